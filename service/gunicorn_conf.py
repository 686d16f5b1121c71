"""gunicorn settings (``gunicorn -c python:service.gunicorn_conf``); the CLI applies them too.

- Sync workers: each request is short CPU work over the in-memory graph, so threads would only
  contend for the GIL; one process per core is the right default.
- Every worker holds its own copy of the graph (see the README for memory per worker).
- ``timeout`` bounds a stuck request; ``graceful_timeout`` lets requests finish on shutdown.
"""

import os

# The sync worker, with deadlines for slow clients and problem+json errors.
worker_class = "service.worker.Worker"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
timeout = 60
graceful_timeout = 30
keepalive = 5
# Each worker loads the code and builds (or loads from the shared snapshot) its own graph
# before it takes traffic (``post_worker_init``). Building it in the master before forking
# would share it copy-on-write only until reference counts touch its pages, would leave a
# third copy in the master, and would hand workers restarted later an ever older graph.
preload_app = False
accesslog = None
# No request-line limit in gunicorn (it would answer an HTML 414): the app refuses
# overlong URLs itself, as problem+json.
limit_request_line = 0
errorlog = "-"


def post_worker_init(worker):
    """Build or load the graph before the worker accepts its first request."""
    from service.warmup import warm_worker

    warm_worker(worker)


def child_exit(_server, worker):
    """Let /metrics forget a dead worker's live gauges."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)


# Several instances may run on one host (and the tests start many): no shared control socket.
control_socket_disable = True
