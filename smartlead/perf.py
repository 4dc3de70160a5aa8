"""Building many small objects fast: pause Python's cyclic garbage collector meanwhile.

Parsing a 40 MB portfolio creates millions of dicts, lists and strings; each batch of new
objects triggers a collection that walks every object created so far, although nothing in a
parsed JSON document or a column being built can form a reference cycle. Pausing the
collector for that stretch cuts the time by about a third (measured in
``bench/bench_frame.py``); the collector only runs later, it is never skipped.
"""

from __future__ import annotations

import gc
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_lock = threading.Lock()
_depth = 0
_enabled_before = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic GC for the block; overlapping blocks (other threads) resume it once."""
    global _depth, _enabled_before  # process-wide, like the collector itself
    with _lock:
        if _depth == 0:
            _enabled_before = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _enabled_before:
                gc.enable()


def loads(text: str | bytes) -> Any:
    """``json.loads`` with the collector paused (same result, same errors)."""
    with collector_paused():
        return json.loads(text)
