"""The one timing helper every benchmark uses: the median of several runs."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any


def median_time(work: Callable[[], Any], runs: int, *, warm_up: bool = False) -> tuple[float, Any]:
    """Median wall time of ``runs`` calls (the median shrugs off a noisy neighbour), and the
    last call's result; ``warm_up`` makes one untimed call first (caches, lazy imports)."""
    if warm_up:
        work()
    times: list[float] = []
    result: Any = None
    for _ in range(runs):
        started = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def median_seconds(work: Callable[[], Any], runs: int, *, warm_up: bool = False) -> float:
    """Median wall time of ``runs`` calls."""
    return median_time(work, runs, warm_up=warm_up)[0]


def cpu_seconds(work: Callable[[], Any]) -> float:
    """CPU time of this process (all its threads) over one call."""
    started = time.process_time()
    work()
    return time.process_time() - started


def median_cpu_seconds(work: Callable[[], Any], runs: int) -> float:
    """Median CPU time of this process (all its threads) over ``runs`` calls: on a machine
    shared with other work, what the code costs rather than how long it waited for a core."""
    return statistics.median(cpu_seconds(work) for _ in range(runs))
