"""An optional cProfile around a block, its top functions printed to standard error."""

from __future__ import annotations

import cProfile
import pstats
import sys
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def profiled(enabled: bool, title: str, top: int = 25) -> Iterator[None]:
    """Profile the block when ``enabled``; print where its time went, by cumulative time."""
    if not enabled:
        yield
        return
    profile = cProfile.Profile()
    profile.enable()
    try:
        yield
    finally:
        profile.disable()
        print(f"--- profile: {title}", file=sys.stderr)
        stats = pstats.Stats(profile, stream=sys.stderr)
        stats.sort_stats("cumulative").print_stats(top)
