"""Timing shared by the benchmarks: best of several rounds, interleaved."""

from __future__ import annotations

import time
from collections.abc import Callable


def best_of(rounds: int, *works: Callable[[], object],
            clock: Callable[[], float] = time.perf_counter) -> list[float]:
    """Best time of each, running them in turn so that drift in the machine hits both.

    `clock=time.process_time` counts this process's CPU time only: on a machine other
    work keeps busy, the wall clock also counts the time the process waited for a core.
    """
    best = [float("inf")] * len(works)
    for _ in range(rounds):
        for i, work in enumerate(works):
            start = clock()
            work()
            best[i] = min(best[i], clock() - start)
    return best


def percentile(values: list[float], share: float) -> float:
    """The value `share` percent of `values` are at or below (nearest rank)."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(share / 100 * len(ordered)) - 1))]
