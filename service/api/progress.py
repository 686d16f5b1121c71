"""The graph a request reads, and the computed ``progress`` that node answers carry."""

from __future__ import annotations

from flask import after_this_request, current_app, g, has_request_context

from service.analysis import progress_map
from service.db import database, session
from service.graphstore import Graph


def graph() -> Graph:
    """The graph at the latest committed revision (for read requests).

    What a replay set aside of the revision before is freed once the answer is sent.
    """
    store = current_app.extensions["graph_store"]
    held = store.current(session, g.get("revision"), database().autocommit)
    if held.retired and has_request_context() and "release" not in g:
        g.release = True

        @after_this_request
        def release_once_sent(response):
            response.call_on_close(store.release)
            return response

    return held


def with_progress(items):
    """Attach ``progress`` to a node or a list of nodes."""
    nodes = items if isinstance(items, list) else [items]
    if "changes" in g:
        # A write must not refresh the shared graph from its own uncommitted transaction.
        current = current_app.extensions["graph_store"].latest
        values = progress_map(current) if current is not None else {}
        for node in nodes:
            node.progress = _local_progress(node, values)
    else:
        values = progress_map(graph())
        for node in nodes:
            node.progress = values.get(node.id)
    return items


def _local_progress(node, values: dict):
    if node.kind == "work":
        if node.status == "done":
            return 1.0
        return node.reported_progress if node.reported_progress is not None else 0.0
    return values.get(node.id)
