"""Timing shared by the benchmarks: best of several rounds, interleaved."""

from __future__ import annotations

import time
from collections.abc import Callable


def best_of(rounds: int, *works: Callable[[], object]) -> list[float]:
    """Best time of each, running them in turn so that drift in the machine hits both."""
    best = [float("inf")] * len(works)
    for _ in range(rounds):
        for i, work in enumerate(works):
            start = time.perf_counter()
            work()
            best[i] = min(best[i], time.perf_counter() - start)
    return best


def percentile(values: list[float], share: float) -> float:
    """The value `share` percent of `values` are at or below (nearest rank)."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(share / 100 * len(ordered)) - 1))]
