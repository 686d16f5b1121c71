"""Python's cyclic garbage collector paused around work that makes millions of containers.

A graph build, a snapshot load, an import or a table read makes millions of small
containers (rows, images, events, cells) that hold no cycles. The collector's passes,
triggered by those allocations, walk every object alive each time, so their cost grows
with the square of the work: at 100,000 rows they cost more than the work itself.
Reference counting frees all of it as usual meanwhile.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """The collector off for the block, and on again after it if it was on before."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
