"""Words and small formats the explorer's templates share."""

from __future__ import annotations

from flask import Flask

REASON_WORDS = {
    "no_mission": "there is no live mission at all",
    "unlinked": "it supports nothing above it",
    "inactive_path": "every chain to the mission passes through a cancelled or archived node",
    "broken_chain": "its chains end before they reach a live mission",
}
CONFLICT_WORDS = {
    "declared": "declared tension",
    "metric": "metric pulled both ways",
    "period": "outside its parent's period",
    "status": "live under a finished or stopped parent",
    "competing_missions": "more than one live mission",
    "dependency": "depends on something stopped or later",
}

GAP_WORDS = {
    "destination": "where it is going (a description of five words or more)",
    "measure": "how progress is measured",
    "user_outcome": "what it changes for the user",
    "business_outcome": "what it changes for the business",
    "target_group": "who benefits",
    "need": "the customer need it serves",
}

INTENT_WORDS = {
    "user_outcome": "For the user",
    "business_outcome": "For the business",
    "target_group": "Who benefits",
    "measure": "Measured by",
}


def reason_words(reason: str | None) -> str:
    """Why a node is not aligned, in words."""
    if reason is None:
        return "aligned: it connects to the live mission"
    return "not aligned: " + REASON_WORDS.get(reason, reason.replace("_", " "))


def short(text: str | None, length: int = 25) -> str:
    """A title cut to fit a box, with an ellipsis when cut."""
    text = " ".join((text or "").split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "\u2026"


def percent(value: float | None) -> str:
    return "no data" if value is None else f"{round(value * 100)}%"


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(reason_words=reason_words, short=short, percent=percent)
    app.jinja_env.globals.update(CONFLICT_WORDS=CONFLICT_WORDS, INTENT_WORDS=INTENT_WORDS)
