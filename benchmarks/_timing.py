"""Timing shared by the benchmark scripts: medians of repeated runs (the machines are noisy)."""
from __future__ import annotations

import statistics
import time
from typing import Any, Callable


def median_time(fn: Callable[[], Any], runs: int, *, warmup: bool = False) -> tuple[float, float, Any]:
    """Median wall-clock seconds, median CPU seconds of this process, and the last result of ``fn()``.

    ``warmup`` runs ``fn`` once first, untimed (caches, lazy imports).
    """
    if warmup:
        fn()
    walls, cpus, out = [], [], None
    for _ in range(runs):
        w0, c0 = time.perf_counter(), time.process_time()
        out = fn()
        walls.append(time.perf_counter() - w0)
        cpus.append(time.process_time() - c0)
    return statistics.median(walls), statistics.median(cpus), out
