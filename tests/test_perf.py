"""The garbage-collector pause used while parsing and flattening restores what it found."""

from __future__ import annotations

import gc
import platform
import threading

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
