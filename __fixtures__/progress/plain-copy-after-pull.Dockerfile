FROM 127.0.0.1:5000/python:3.11-local
WORKDIR /app
RUN --mount=type=bind,from=wheelhouse,target=/wheelhouse \
    echo installing && \
    pip --version
COPY site/ ./site/
COPY --link site/ ./site2/
