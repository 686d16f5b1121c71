"""Request ids, one JSON log line per request, and Prometheus metrics.

Metrics work with several gunicorn workers: ``throughline serve`` points
``PROMETHEUS_MULTIPROC_DIR`` at a fresh directory before the workers start, each worker
writes its samples there, and ``/metrics`` adds them up.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import time
import uuid
from contextvars import ContextVar

from flask import Flask, Response, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

request_id: ContextVar[str] = ContextVar("request_id", default="-")
_VALID_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")

REQUESTS = Counter(
    "throughline_http_requests_total", "Requests answered.", ["endpoint", "method", "status"]
)
LATENCY = Histogram(
    "throughline_http_request_duration_seconds",
    "Time to answer a request.",
    ["endpoint"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
GRAPH_SIZE = Gauge(
    "throughline_graph_size",
    "Nodes and links in the worker's graph.",
    ["part"],
    multiprocess_mode="max",
)
GRAPH_BUILD = Histogram(
    "throughline_graph_build_seconds",
    "Time to load or refresh the in-memory graph.",
    ["how"],
    buckets=(0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60),
)
ANALYSIS = Histogram(
    "throughline_analysis_seconds",
    "Time of whole-graph analyses.",
    ["analysis"],
    buckets=(0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)


class JSONFormatter(logging.Formatter):
    """One JSON object a line, with the request id of the request being served."""

    FIELDS = ("method", "path", "status", "duration_ms", "actor", "remote", "nodes", "seconds")

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or request_id.get(),
        }
        line.update({k: getattr(record, k) for k in self.FIELDS if hasattr(record, k)})
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)


def configure_logging(level: str) -> None:
    """Send the service's logs to standard error as JSON lines."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JSONFormatter())
    for name in ("service", "throughline.access"):
        logger = logging.getLogger(name)
        logger.setLevel(level)
        if not any(isinstance(h.formatter, JSONFormatter) for h in logger.handlers):
            logger.addHandler(handler)
        logger.propagate = False


access = logging.getLogger("throughline.access")


def _start() -> None:
    incoming = request.headers.get("X-Request-ID", "")
    g.request_id = incoming if _VALID_ID.match(incoming) else uuid.uuid4().hex
    g.token = request_id.set(g.request_id)
    g.started = time.perf_counter()


def _finish(response: Response) -> Response:
    response.headers["X-Request-ID"] = g.get("request_id", "-")
    started = g.get("started")
    elapsed = time.perf_counter() - started if started else 0.0
    endpoint = request.url_rule.rule if request.url_rule else "unmatched"
    REQUESTS.labels(endpoint, request.method, str(response.status_code)).inc()
    LATENCY.labels(endpoint).observe(elapsed)
    principal = g.get("principal")
    access.info(
        "request",
        extra={
            "method": request.method,
            "path": request.path,
            "status": response.status_code,
            "duration_ms": round(elapsed * 1000, 2),
            "actor": principal.actor if principal else None,
            "remote": request.remote_addr,
            "request_id": g.get("request_id"),
        },
    )
    return response


def _reset(_exc) -> None:
    token = g.pop("token", None)
    if token is not None:
        request_id.reset(token)


def metrics() -> Response:
    """The Prometheus exposition of every worker's samples."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        payload = generate_latest(registry)
    else:
        from prometheus_client import REGISTRY

        payload = generate_latest(REGISTRY)
    return Response(payload, mimetype=CONTENT_TYPE_LATEST)


def init_app(app: Flask) -> None:
    app.before_request(_start)
    app.after_request(_finish)
    app.teardown_request(_reset)
    app.add_url_rule("/metrics", "metrics", metrics)
