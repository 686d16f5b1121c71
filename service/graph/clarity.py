"""Clarity (DOMAIN.md section 13): what a vision or goal leaves unsaid, and whether the
people who restate it in their own words heard the same thing.

Which clarity fields a node states is held in the graph as a small mask per node
(``clarity_mask``), so that the analysis reads no text but the restatements.
"""

import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from functools import cache, lru_cache
from itertools import combinations

import networkx as nx

from service.graph.codes import CLARITY_GAPS, LIVE

__all__ = [
    "CLARITY_BITS",
    "DIVERGENT_AGREEMENT",
    "DIVERGENT_RESTATEMENTS",
    "GOAL_MISSING",
    "VISION_MISSING",
    "agreement",
    "clarity",
    "clarity_mask",
    "content_stems",
    "words",
]

FIELDS = ("user_outcome", "business_outcome", "target_group", "measure")
CLARITY_BITS = {name: 1 << index for index, name in enumerate(FIELDS)}
"""The bit of each clarity field stated; ``destination`` is a vision's described end."""
CLARITY_BITS["destination"] = 1 << len(FIELDS)

VISION_MISSING = CLARITY_GAPS
"""What a vision may leave unsaid, in the order it is listed."""
GOAL_MISSING = ("measure", "user_outcome", "business_outcome")
"""What a goal may leave unsaid (its ``measure`` is a key result), in the order listed."""
DESTINATION_WORDS = 5
"""A vision's description states its destination with at least this many words."""
DIVERGENT_RESTATEMENTS = 3
DIVERGENT_AGREEMENT = 0.2
"""Five people, five answers: this many restatements agreeing less than this."""

# A word: a run of letters or digits (any script); an underscore is neither.
_WORD = re.compile(r"[^\W_]+")
# A restatement's content words: runs of three or more letters, digits not included.
_LETTERS = re.compile(r"[^\W\d_]{3,}")

STOP_WORDS = frozenset(
    """
    about above after again against all also and any are because been before being
    below between both but can could did does doing down during each few for from
    further had has have having her here hers herself him himself his how into its
    itself just more most must myself nor not now off once only other our ours
    ourselves out over own same shall she should some such than that the their theirs
    them themselves then there these they this those through too under until very was
    were what when where which while who whom why will with would you your yours
    yourself yourselves
    """.split()  # noqa: SIM905 - a word list reads better as text
)
"""English words too common to tell two restatements apart (those of three letters or
more: shorter runs are not words for agreement anyway)."""


def words(text: str | None) -> list[str]:
    """The words of ``text``: runs of letters or digits.

    >>> words("Ship v2 to 5 regions -- fast!")
    ['Ship', 'v2', 'to', '5', 'regions', 'fast']
    """
    return _WORD.findall(text or "")


def clarity_mask(values: Sequence[str | None], description: str | None = None) -> int:
    """The bits of the clarity fields stated (``values`` in the order of ``FIELDS``), and
    of ``destination`` when ``description`` has at least five words.

    A field counts as stated when it holds a non-blank value.

    >>> clarity_mask(["Faster checkout", None, "  ", "Weekly orders"])
    9
    >>> clarity_mask([None] * 4, "Every family drives home safely") == CLARITY_BITS["destination"]
    True
    """
    mask = 0
    for name, value in zip(FIELDS, values, strict=True):
        if value is not None and value.strip():
            mask |= CLARITY_BITS[name]
    if len(words(description)) >= DESTINATION_WORDS:
        mask |= CLARITY_BITS["destination"]
    return mask


@lru_cache(maxsize=65_536)
def content_stems(text: str) -> frozenset[str]:
    """The word set agreement compares: Snowball English stems of the lowercase runs of
    three or more letters, stop words removed before stemming.

    >>> sorted(content_stems("The team ships; shipping is what they do."))
    ['ship', 'team']
    """
    found = [w for w in _LETTERS.findall(text.lower()) if w not in STOP_WORDS]
    return frozenset(_stemmer().stemWords(found))


@cache
def _stemmer():
    """The English stemmer, loaded when restatements are first compared (a command that
    never compares any does not pay for its import)."""
    import snowballstemmer

    return snowballstemmer.stemmer("english")


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    union = len(a | b)
    return len(a & b) / union if union else 0.0


@lru_cache(maxsize=16_384)
def agreement(texts: tuple[str, ...]) -> float | None:
    """The mean Jaccard similarity of the content word sets over all pairs of texts; None
    with fewer than two. Two texts without a content word have nothing in common (0).

    >>> agreement(("We ship weekly", "We ship weekly"))
    1.0
    >>> agreement(("Ships fast", "Shipping slowly", "Grow revenue"))
    0.1111111111111111
    >>> agreement(("Only one",)) is None
    True
    """
    if len(texts) < 2:
        return None
    stems = [content_stems(text) for text in texts]
    pairs = list(combinations(stems, 2))
    return sum(_jaccard(a, b) for a, b in pairs) / len(pairs)


def clarity(
    G: nx.DiGraph,
    key_result_goals: Collection[int],
    unanchored: Collection[int],
    restatements: Mapping[int, Iterable[str]],
    candidates: Iterable[int] | None = None,
) -> list[dict]:
    """Return each live vision and goal with something missing or divergent, ids ascending.

    Parameters
    ----------
    G : the supports graph; node attributes ``kind``, ``status`` and ``clarity`` (the
        mask of ``clarity_mask``, absent when 0).
    key_result_goals : the goals that have at least one key result.
    unanchored : the live visions serving no live need (market alignment, section 10).
    restatements : node -> the texts of its restatements.
    candidates : the nodes to assess (default: every node of ``G``).

    Returns
    -------
    list of ``{"node", "missing", "restatements", "agreement", "divergent"}``.

    Examples
    --------
    >>> G = nx.DiGraph()
    >>> G.add_node(1, kind="vision", status="active", clarity=0b11111)
    >>> G.add_node(2, kind="goal", status="active", clarity=0b00001)
    >>> clarity(G, key_result_goals=[], unanchored=[1], restatements={})[0]["missing"]
    ['need']
    >>> clarity(G, key_result_goals=[2], unanchored=[], restatements={})[0]["missing"]
    ['business_outcome']
    """
    nodes = G._node
    with_key_results = set(key_result_goals)
    unanchored = set(unanchored)
    found = []
    for n in sorted(nodes if candidates is None else candidates):
        data = nodes[n]
        kind = data.get("kind")
        if kind not in ("vision", "goal") or data.get("status") not in LIVE:
            continue
        mask = data.get("clarity", 0)
        if kind == "vision":
            missing = [
                code
                for code in VISION_MISSING
                if (n in unanchored if code == "need" else not mask & CLARITY_BITS[code])
            ]
        else:
            missing = [
                code
                for code in GOAL_MISSING
                if (
                    n not in with_key_results
                    if code == "measure"
                    else not mask & CLARITY_BITS[code]
                )
            ]
        texts = tuple(sorted(restatements.get(n, ())))
        agreed = agreement(texts)
        divergent = (
            len(texts) >= DIVERGENT_RESTATEMENTS
            and agreed is not None
            and agreed < DIVERGENT_AGREEMENT
        )
        if missing or divergent:
            found.append(
                {
                    "node": n,
                    "missing": missing,
                    "restatements": len(texts),
                    "agreement": agreed,
                    "divergent": divergent,
                }
            )
    return found
