"""A portal's first steps, written against the client generated from openapi/openapi.yaml.

``tests/test_generated_client.py`` generates the client (the ``throughline_client`` package),
type-checks this file with ``mypy --strict`` and runs it against a live server:
``python client_scenario.py URL TOKEN``. It must need no cast and no ``type: ignore``: every
answer is narrowed with ``isinstance``, as a portal's code would.
"""

from __future__ import annotations

import sys

from throughline_client import AuthenticatedClient
from throughline_client.api.analysis import list_orphans
from throughline_client.api.links import create_link
from throughline_client.api.nodes import create_node, get_node, update_node
from throughline_client.api.traces import trace_up
from throughline_client.models import (
    Kind,
    Link,
    LinkCreate,
    LinkType,
    Node,
    NodeCreate,
    NodeUpdate,
    OrphanPage,
    OrphanReason,
    Problem,
    ProblemCode,
    Status,
    TraceUp,
    VisibleNode,
)

CHAIN = (Kind.MISSION, Kind.VISION, Kind.STRATEGY, Kind.GOAL, Kind.WORK)


def create(client: AuthenticatedClient, kind: Kind, ref: str) -> Node:
    answer = create_node.sync(
        client=client,
        body=NodeCreate(
            kind=kind, title=f"The {kind.value}", ref=ref, url=f"https://t.example/{ref}"
        ),
    )
    assert isinstance(answer, Node), answer
    assert answer.kind is kind and answer.status is Status.ACTIVE and answer.version == 1
    return answer


def link(client: AuthenticatedClient, child: Node, parent: Node) -> Link | Problem:
    body = LinkCreate(source_id=child.id, target_id=parent.id, rationale="It serves it")
    answer = create_link.sync(client=client, body=body)
    assert answer is not None
    return answer


def run(url: str, token: str) -> None:
    client = AuthenticatedClient(base_url=url, token=token, raise_on_unexpected_status=True)

    # The chain: mission <- vision <- strategy <- goal <- work.
    chain = [create(client, kind, f"scenario-{kind.value}") for kind in CHAIN]
    for child, parent in zip(chain[1:], chain, strict=False):
        made = link(client, child, parent)
        assert isinstance(made, Link), made
        assert made.type_ is LinkType.SUPPORTS and made.suspect is False

    # Why does the work matter? Its trace up names every node with its tracker key.
    work = chain[-1]
    trace = trace_up.sync(work.id, client=client)
    assert isinstance(trace, TraceUp), trace
    assert trace.aligned and trace.reason is None and not trace.truncated
    assert trace.paths == [[node.id for node in reversed(chain)]]
    assert isinstance(trace.node, VisibleNode) and trace.node.ref == "scenario-work"
    refs = {node.id: node.ref for node in trace.nodes if isinstance(node, VisibleNode)}
    assert refs == {node.id: node.ref for node in chain}
    assert all(node.url is not None for node in trace.nodes if isinstance(node, VisibleNode))

    # Work nobody linked is an orphan, with its reason.
    stray = create(client, Kind.WORK, "scenario-stray")
    orphans = list_orphans.sync(client=client)
    assert isinstance(orphans, OrphanPage), orphans
    reasons = {item.node.id: item.reason for item in orphans.items}
    assert reasons == {stray.id: OrphanReason.UNLINKED}, reasons

    # A link that would close a loop is refused with the loop's node ids.
    strategy = chain[2]
    other = create(client, Kind.STRATEGY, "scenario-other-strategy")
    assert isinstance(link(client, other, strategy), Link)
    refused = link(client, strategy, other)
    assert isinstance(refused, Problem), refused
    assert refused.status == 409 and refused.code is ProblemCode.CYCLE
    assert isinstance(refused.cycle, list) and set(refused.cycle) == {strategy.id, other.id}

    # A change made against a stale ETag is refused (412) and changes nothing.
    current = get_node.sync_detailed(work.id, client=client)
    etag = current.headers["ETag"]
    renamed = update_node.sync(
        work.id, client=client, body=NodeUpdate(title="Offline mode"), if_match=etag
    )
    assert isinstance(renamed, Node) and renamed.version == 2, renamed
    late = update_node.sync_detailed(
        work.id, client=client, body=NodeUpdate(title="Lost update"), if_match=etag
    )
    assert late.status_code == 412 and isinstance(late.parsed, Problem), late
    assert late.parsed.code is ProblemCode.PRECONDITION_FAILED
    again = get_node.sync(work.id, client=client)
    assert isinstance(again, Node) and again.title == "Offline mode"


if __name__ == "__main__":
    run(sys.argv[1], sys.argv[2])
    print("scenario passed")
