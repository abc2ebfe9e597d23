from django.http import HttpResponse, JsonResponse

GREETING = "Hello from the wheelhouse example"


def index(request):
    return HttpResponse(GREETING)


def health(request):
    return JsonResponse({"ok": True})
