"""A generated alignment tree with planted findings, and its ground truth.

Every item but the mission supports one item of the level above, except about 1% left
unlinked; about 0.5% of the items are goals whose title changed after their children
linked to them, which makes each of those links suspect. The tree depends only on
``(items, seed)``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

__all__ = ["LEVELS", "Item", "Tree", "generate"]

# (prefix, kind): the order is the chain, mission first.
LEVELS = (
    ("MIS", "mission"),
    ("VIS", "vision"),
    ("STR", "strategy"),
    ("GOL", "goal"),
    ("WRK", "work"),
)
_VERBS = ("Grow", "Retain", "Simplify", "Ship", "Launch", "Reduce", "Open", "Automate", "Secure")
_THINGS = ("rail passes", "family trips", "checkout", "the mobile app", "city guides", "refunds")


@dataclass
class Item:
    """One item: ``uid`` like ``GOL-00012``; ``parent`` is None for the mission and the unlinked."""

    uid: str
    kind: str
    title: str
    parent: str | None = None
    changed_title: str | None = None  # the title now, when it changed after linking

    @property
    def current_title(self) -> str:
        return self.changed_title or self.title


@dataclass
class Tree:
    items: list[Item]
    unlinked: set[str] = field(default_factory=set)
    suspect: set[tuple[str, str]] = field(default_factory=set)  # (child uid, parent uid)

    @property
    def size(self) -> int:
        return len(self.items)


def _counts(items: int) -> list[int]:
    visions, strategies, goals = max(2, items // 500), max(3, items // 100), max(5, items // 12)
    return [1, visions, strategies, goals, items - 1 - visions - strategies - goals]


def generate(items: int, seed: int = 0) -> Tree:
    """A tree of ``items`` items (at least 20) and the findings planted in it.

    >>> tree = generate(1000)
    >>> tree.size, len(tree.unlinked), len({parent for _child, parent in tree.suspect})
    (1000, 10, 5)
    >>> tree.items[0].uid, tree.items[0].parent
    ('MIS-00001', None)
    """
    if items < 20:
        raise ValueError("a tree needs at least 20 items")
    rng = random.Random(seed)
    made: list[Item] = []
    above: list[Item] = []
    for (prefix, kind), count in zip(LEVELS, _counts(items), strict=True):
        level = []
        for number in range(1, count + 1):
            title = f"{rng.choice(_VERBS)} {rng.choice(_THINGS)} {number}"
            parent = rng.choice(above).uid if above else None
            level.append(Item(f"{prefix}-{number:05d}", kind, title, parent))
        made.extend(level)
        above = level
    tree = Tree(made)
    below_mission = made[1:]
    for item in rng.sample(below_mission, max(1, items // 100)):
        item.parent = None
        tree.unlinked.add(item.uid)
    goals = [item for item in made if item.kind == "goal"]
    children: dict[str, list[str]] = {}
    for item in made:
        if item.parent:
            children.setdefault(item.parent, []).append(item.uid)
    supported = [goal for goal in goals if goal.uid in children]
    for goal in rng.sample(supported, min(len(supported), max(1, items // 200))):
        goal.changed_title = f"{goal.title}, revised"
        tree.suspect.update((child, goal.uid) for child in children[goal.uid])
    return tree
