"""The fingerprint is put together by hand for speed: held equal to its definition."""

from __future__ import annotations

import hashlib
import json
from types import SimpleNamespace

from hypothesis import given
from hypothesis import strategies as st

from service.domain.fingerprint import CLARITY, fingerprint, stated_clarity


def _reference(title, description, key_results=(), clarity=None) -> str:
    """The definition (DOMAIN.md 7): SHA-256 of the canonical JSON."""
    targets = sorted([kr.metric, kr.direction, float(kr.target_value)] for kr in key_results)
    canonical = json.dumps(
        {
            "title": title,
            "description": description or "",
            "key_results": targets,
            **(clarity or {}),
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
_target = st.builds(
    SimpleNamespace,
    metric=_text,
    direction=st.sampled_from(["increase", "decrease"]),
    target_value=st.one_of(st.integers(-(10**12), 10**12), st.floats(allow_nan=False)),
)


_clarity = st.dictionaries(st.sampled_from(CLARITY), _text.filter(str.strip), max_size=4)


@given(_text, st.one_of(st.none(), _text), st.lists(_target, max_size=4), _clarity)
def test_the_fingerprint_is_the_sha256_of_the_canonical_json(title, description, targets, clarity):
    assert fingerprint(title, description, targets, clarity) == _reference(
        title, description, targets, clarity
    )


def test_a_node_stating_no_clarity_keeps_the_fingerprint_it_had_before_them():
    node = {"title": "Ship", "description": "Fast", "measure": "  ", "user_outcome": None}

    assert stated_clarity(node) == {}
    assert fingerprint("Ship", "Fast", (), stated_clarity(node)) == _reference("Ship", "Fast")
    stated = stated_clarity({**node, "measure": "Weekly active teams"})
    assert fingerprint("Ship", "Fast", (), stated) != fingerprint("Ship", "Fast")


def test_quotes_controls_and_non_ascii_are_escaped_as_json_does():
    title = 'A "quoted"\\ title\n\t\x01 with ünïcode \u2028 and emoji \U0001f680'

    assert fingerprint(title, None) == _reference(title, None)
    assert fingerprint(title, "") == fingerprint(title, None)
