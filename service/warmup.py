"""A worker's graph built (or loaded) before the worker takes traffic.

gunicorn calls ``warm_worker`` from ``post_worker_init``, after the app is loaded and
before the worker accepts its first connection: no request pays for a cold graph, and the
other workers keep serving while this one warms. Should the database be away then, the
worker starts cold; ``/readyz`` answers 503 and warms it in the background until it is
ready.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from flask import Flask

from service.db import database, session

log = logging.getLogger(__name__)


def warm(app: Flask) -> bool:
    """Build or load ``app``'s graph now; whether it is ready."""
    store = app.extensions["graph_store"]
    started = time.perf_counter()
    try:
        with app.app_context():
            store.warm(session, database().autocommit)
    except Exception:  # the database may be away: /readyz says so and tries again
        log.warning("graph warm-up failed; the worker starts cold", exc_info=True)
        return False
    log.info("graph warm", extra={"seconds": round(time.perf_counter() - started, 3)})
    return True


def warm_worker(worker: Any) -> None:
    """``post_worker_init``: warm the worker's app, telling the master it is alive meanwhile.

    gunicorn restarts a worker silent for ``timeout`` seconds; building a large graph from
    the database can take longer than that.
    """
    app = worker.wsgi
    if not isinstance(app, Flask):
        return
    app.extensions["graph_store"].warm_required = True
    done = threading.Event()

    def heartbeat() -> None:
        while not done.wait(1.0):
            worker.notify()

    beating = threading.Thread(target=heartbeat, name="warm-heartbeat", daemon=True)
    beating.start()
    try:
        warm(app)
    finally:
        done.set()
        beating.join()
