"""The fingerprint is put together by hand for speed: held equal to its definition."""

from __future__ import annotations

import hashlib
import json
from types import SimpleNamespace

from hypothesis import given
from hypothesis import strategies as st

from service.domain.fingerprint import fingerprint


def _reference(title, description, key_results=()) -> str:
    """The definition (DOMAIN.md 7): SHA-256 of the canonical JSON."""
    targets = sorted([kr.metric, kr.direction, float(kr.target_value)] for kr in key_results)
    canonical = json.dumps(
        {"title": title, "description": description or "", "key_results": targets},
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


@given(_text, st.one_of(st.none(), _text), st.lists(_target, max_size=4))
def test_the_fingerprint_is_the_sha256_of_the_canonical_json(title, description, targets):
    assert fingerprint(title, description, targets) == _reference(title, description, targets)


def test_quotes_controls_and_non_ascii_are_escaped_as_json_does():
    title = 'A "quoted"\\ title\n\t\x01 with ünïcode \u2028 and emoji \U0001f680'

    assert fingerprint(title, None) == _reference(title, None)
    assert fingerprint(title, "") == fingerprint(title, None)
