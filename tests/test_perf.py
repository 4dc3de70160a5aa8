"""The garbage-collector pause used while parsing and flattening restores what it found."""

from __future__ import annotations

import gc
import os
import platform
import re
import subprocess
import sys
import threading
from pathlib import Path

from smartlead import perf


def test_the_collector_is_paused_inside_and_restored_after():
    assert gc.isenabled()
    with perf.collector_paused():
        assert not gc.isenabled()
        with perf.collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled(), "an inner block does not resume it early"
    assert gc.isenabled()


def test_a_collector_disabled_by_someone_else_stays_disabled():
    gc.disable()
    try:
        with perf.collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_overlapping_blocks_in_threads_resume_the_collector_once_all_are_done():
    inside = threading.Barrier(3)
    leave = threading.Event()

    def work():
        with perf.collector_paused():
            inside.wait()
            leave.wait()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    inside.wait()
    assert not gc.isenabled()
    leave.set()
    for thread in threads:
        thread.join()
    assert gc.isenabled()


def test_loads_is_json_loads():
    assert perf.loads(b'[{"id": 1, "name": "x"}]') == [{"id": 1, "name": "x"}]


def test_freed_memory_is_handed_back_where_the_c_library_can():
    """On glibc (Debian, the container) the trim is really called, never silently skipped."""
    found = perf.release_freed_memory()
    assert found == (platform.libc_ver()[0] == "glibc")


ARENAS_AFTER_THREADS = """
import ctypes, sys, threading
from smartlead import perf
if sys.argv[1] == "capped":
    assert perf.limit_malloc_arenas()
together = threading.Barrier(6)
def work():
    kept = [bytearray(200) for _ in range(20_000)]  # small blocks: from the thread's arena
    together.wait()  # all six alive at once, as several sessions' script runs are
    del kept
for _ in range(4):  # one batch of threads after another, as Streamlit runs one per script run
    threads = [threading.Thread(target=work) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
sys.stderr.flush()
ctypes.CDLL(None).malloc_stats()  # one "Arena N:" block per arena, on standard error
"""


def _arenas_after_many_threads(mode: str) -> int:
    env = {k: v for k, v in os.environ.items() if k != "MALLOC_ARENA_MAX"}
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[1])
    done = subprocess.run(
        [sys.executable, "-c", ARENAS_AFTER_THREADS, mode],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return len(re.findall(r"^Arena \d+:", done.stderr, flags=re.MULTILINE))


def test_capped_arenas_keep_a_server_of_many_threads_on_few_arenas():
    if platform.libc_ver()[0] != "glibc":  # musl, macOS: no arenas to cap, and nothing is done
        assert perf.limit_malloc_arenas() is False
        return
    uncapped = _arenas_after_many_threads("uncapped")
    capped = _arenas_after_many_threads("capped")
    assert uncapped >= 6, "glibc gives threads alive at once arenas of their own"
    assert capped <= perf.SERVER_ARENAS + 1, f"{capped} arenas with the cap"


def test_an_operators_malloc_arena_max_wins(monkeypatch):
    perf.limit_malloc_arenas.cache_clear()
    monkeypatch.setenv("MALLOC_ARENA_MAX", "4")
    try:
        assert perf.limit_malloc_arenas() is False
    finally:
        perf.limit_malloc_arenas.cache_clear()
