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
from service.graphstore import Graph, freeze_long_lived

log = logging.getLogger(__name__)


def warm(app: Flask, findings: bool = False) -> bool:
    """Build or load ``app``'s graph now, and with ``findings`` its whole-graph findings
    too; whether it is ready.

    Findings are warmed only before the worker takes traffic: a warm-up in the background
    (``/readyz``) runs beside requests, and the graph's caches serve one at a time.
    """
    store = app.extensions["graph_store"]
    started = time.perf_counter()
    try:
        with app.app_context():
            graph = store.warm(session, database().autocommit)
    except Exception:  # the database may be away: /readyz says so and tries again
        log.warning("graph warm-up failed; the worker starts cold", exc_info=True)
        return False
    built = time.perf_counter()
    log.info("graph warm", extra={"seconds": round(built - started, 3)})
    if not findings:
        return True
    try:
        with app.app_context():
            warm_findings(graph, app.config["THROUGHLINE"].stale_after_days)
    except Exception:  # the graph is ready; the first request computes what is missing
        log.warning("findings warm-up failed", exc_info=True)
    else:
        log.info("findings warm", extra={"seconds": round(time.perf_counter() - built, 3)})
    return True


def warm_findings(graph: Graph, stale_days: int) -> None:
    """Compute what every whole-graph answer starts from (health reads every finding, and
    the language findings their terms), and every node's progress: the first leaders'
    page or node page after a start pays for none of it, and the first after a write
    only for what that write moved."""
    from service import analysis

    analysis.health(graph, stale_days, session=session())
    graph.progress()
    # What was computed lives until the graph's shape changes: out of the collector's
    # sight, as the graph is, so collections after a write do not walk it all again.
    freeze_long_lived()


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
        warm(app, findings=True)
    finally:
        done.set()
        beating.join()
