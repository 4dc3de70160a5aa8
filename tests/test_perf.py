"""The garbage-collector pause used while parsing and flattening restores what it found, and
glibc's allocator is really told to give big freed blocks back."""

from __future__ import annotations

import gc
import json
import os
import platform
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


_MAPPED_AFTER_A_BIG_FREE = """
import ctypes, json, sys
from smartlead import perf

class MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
        "fordblks", "keepcost")]

libc = ctypes.CDLL(None)
libc.malloc.restype = ctypes.c_void_p
libc.free.argtypes = [ctypes.c_void_p]
libc.mallinfo2.restype = MallInfo2
tuned = perf.keep_large_blocks_mapped() if sys.argv[1] == "tuned" else None
libc.free(libc.malloc(8 << 20))  # an 8 MiB block, mapped, then freed: glibc's cue to move
before = libc.mallinfo2().hblks
block = libc.malloc(2 << 20)  # a 2 MiB block: its own mapping, or carved from an arena?
mapped = libc.mallinfo2().hblks - before
libc.free(block)
print(json.dumps({"tuned": tuned, "mapped": mapped}))
"""


def _big_block_after_a_big_free(mode: str, **env: str) -> dict:
    """What a fresh process does with a 2 MiB block once an 8 MiB one was freed."""
    root = Path(__file__).resolve().parents[1]
    environment = {**os.environ, "PYTHONPATH": str(root), **env}
    done = subprocess.run(
        [sys.executable, "-c", _MAPPED_AFTER_A_BIG_FREE, mode],
        capture_output=True,
        text=True,
        env=environment,
        check=True,
        timeout=60,
    )
    return json.loads(done.stdout)


def test_big_blocks_stay_mapped_after_a_big_free_so_no_arena_keeps_them():
    """glibc alone carves the 2 MiB block from an arena (its threshold moved to 8 MiB); the
    server's setting keeps it in a mapping of its own, unmapped when freed."""
    if platform.libc_ver()[0] != "glibc":
        assert perf.keep_large_blocks_mapped() is False
        return
    assert _big_block_after_a_big_free("plain") == {"tuned": None, "mapped": 0}
    assert _big_block_after_a_big_free("tuned") == {"tuned": True, "mapped": 1}


def test_an_operators_own_threshold_stands():
    """MALLOC_MMAP_THRESHOLD_ in the environment is the operator's choice: not overridden."""
    if platform.libc_ver()[0] != "glibc":
        assert perf.keep_large_blocks_mapped() is False
        return
    chosen = _big_block_after_a_big_free("tuned", MALLOC_MMAP_THRESHOLD_="4194304")
    assert chosen == {"tuned": False, "mapped": 0}  # 2 MiB is under the operator's 4 MiB
    tunable = _big_block_after_a_big_free(
        "tuned", GLIBC_TUNABLES="glibc.malloc.mmap_threshold=4194304"
    )
    assert tunable == {"tuned": False, "mapped": 0}
