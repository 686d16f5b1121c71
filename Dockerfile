# Throughline service image: gunicorn serving the API; migrations run at start-up.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PROMETHEUS_MULTIPROC_DIR=/tmp/throughline-metrics

WORKDIR /app
COPY pyproject.toml README.md ./
COPY models ./models
COPY service ./service
RUN pip install . && useradd --system --home /app throughline && mkdir -p /data \
    && chown throughline /data
USER throughline

EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --retries=5 \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz')"

# `serve` applies pending migrations (THROUGHLINE_MIGRATE_ON_START) and then runs gunicorn.
CMD ["throughline", "serve", "--host", "0.0.0.0", "--port", "8000", "--workers", "2"]
