"""Building many small objects fast: pause Python's cyclic garbage collector meanwhile.

Parsing a 40 MB portfolio creates millions of dicts, lists and strings; each batch of new
objects triggers a collection that walks every object created so far, although nothing in a
parsed JSON document or a column being built can form a reference cycle. Pausing the
collector for that stretch cuts the time by about a third (measured in
``bench/bench_frame.py``); the collector only runs later, it is never skipped.
"""

from __future__ import annotations

import ctypes
import functools
import gc
import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pyarrow as pa

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


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim``, or None where the C library has none (musl, macOS, Windows)."""
    try:
        return ctypes.CDLL(None).malloc_trim  # the running process's own C library
    except (OSError, AttributeError, TypeError):
        return None


def release_freed_memory() -> bool:
    """Hand the memory freed after a big load back to the operating system.

    A fetch of 20,000 campaigns builds some 150 MB of short-lived Python objects; once they
    are freed, glibc's allocator keeps the pages for reuse, spread over the arenas of the
    threads that ran (Streamlit runs every script run in a thread of its own), so a server
    that fetches again and again grows (``bench/bench_scale.py``). ``malloc_trim(0)`` gives
    the free pages of every arena back, and Arrow's pool releases what it holds unused.
    Returns whether the C library could be asked (False off glibc: nothing is done).
    """
    pa.default_memory_pool().release_unused()
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True
