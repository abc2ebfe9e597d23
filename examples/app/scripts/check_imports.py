"""Imports every top-level module of every installed distribution; exits 1 naming the ones that fail.

Run inside the image: proves each wheel fits the image's Python, libc and system libraries.
"""
import importlib
import importlib.metadata as metadata
import os
import sys

sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_app.settings")
import django  # noqa: E402

django.setup()

# the installer's own distributions, as the base image ships them
SKIP = {"pip", "setuptools", "wheel"}


def top_level(dist):
    text = dist.read_text("top_level.txt")
    if text:
        return {n.strip() for n in text.split() if n.strip()}
    names = set()
    for f in dist.files or []:
        parts = f.parts
        if not parts or parts[0].endswith((".dist-info", ".data")) or parts[0] == "..":
            continue
        head = parts[0]
        if len(parts) == 1:
            if head.endswith(".py"):
                names.add(head[:-3])
            elif head.endswith(".so"):
                names.add(head.split(".")[0])
        else:
            names.add(head)
    return names


failed, imported = [], 0
for dist in metadata.distributions():
    if (dist.metadata["Name"] or "").lower() in SKIP:
        continue
    for name in sorted(top_level(dist)):
        if name.startswith("_") or not name.isidentifier():
            continue
        try:
            importlib.import_module(name)
            imported += 1
        except Exception as error:  # noqa: BLE001 - report every failure
            failed.append(f"{dist.metadata['Name']}: {name}: {type(error).__name__}: {error}")

import psycopg2.extensions  # noqa: E402,F401 - the compiled extension must load libpq

print(f"imported {imported} modules")
for line in failed:
    print("FAILED", line)
sys.exit(1 if failed else 0)
