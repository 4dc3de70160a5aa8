"""Building many small objects fast: pause Python's cyclic garbage collector meanwhile.

Parsing a 40 MB portfolio creates millions of dicts, lists and strings; each batch of new
objects triggers a collection that walks every object created so far, although nothing in a
parsed JSON document or a column being built can form a reference cycle. Pausing the
collector for that stretch cuts the time by about a third (measured in
``bench/bench_frame.py``); the collector only runs later, it is never skipped.

The rest is about memory once such a load is freed: glibc's allocator is told to unmap big
blocks when they are freed and to hand back the free pages of its arenas, so a server that
fetches again and again stays flat.
"""

from __future__ import annotations

import ctypes
import functools
import gc
import json
import os
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
def _libc() -> ctypes.CDLL | None:
    """The running process's own C library, or None where ctypes cannot open it."""
    try:
        return ctypes.CDLL(None)
    except (OSError, TypeError):
        return None


def _glibc_function(name: str) -> Callable[..., int] | None:
    """One of glibc's allocator functions, or None where the C library has none (musl,
    macOS, Windows)."""
    libc = _libc()
    return getattr(libc, name, None) if libc is not None else None


MMAP_THRESHOLD_BYTES = 1024 * 1024
"""Blocks at least this big are mapped on their own and unmapped when freed (see
:func:`keep_large_blocks_mapped`). 256 KiB kept the server as flat but cost a fetch about 5 %
more CPU in one measurement (each mapping is fresh, zeroed pages); 1 MiB cost nothing
measurable."""

_M_MMAP_THRESHOLD = -3
"""``mallopt``'s parameter number for the threshold, from glibc's ``<malloc.h>``."""


@functools.cache
def keep_large_blocks_mapped() -> bool:
    """Give every freed block of :data:`MMAP_THRESHOLD_BYTES` or more straight back to the
    operating system, for the rest of the process (a server calls it once, at start).

    glibc maps big blocks on their own, but its threshold moves: each time a mapped block is
    freed, blocks up to that size (up to 32 MiB) are carved from the allocating thread's
    arena from then on. A fetch frees multi-megabyte buffers (the answer's text, columns
    being built), Streamlit runs every script run in a new thread, and glibc keeps up to
    eight arenas per core, each reusing only its own free space: ten Refreshes at 20,000
    campaigns grew the server 1.2–1.45× (``bench/bench_scale.py``). A fixed threshold stops
    the moving, and those buffers never stay behind in an arena. Returns whether it was set:
    False off glibc, and when the operator set the threshold (``MALLOC_MMAP_THRESHOLD_`` or
    ``GLIBC_TUNABLES``), whose choice stands.
    """
    if "MALLOC_MMAP_THRESHOLD_" in os.environ:
        return False
    if "mmap_threshold" in os.environ.get("GLIBC_TUNABLES", ""):
        return False
    mallopt = _glibc_function("mallopt")
    if mallopt is None:
        return False
    return bool(mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES))


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
    trim = _glibc_function("malloc_trim")
    if trim is None:
        return False
    trim(0)
    return True
