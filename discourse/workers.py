"""Running independent tasks in order, in this process or ahead of the caller in a pool of processes.

:func:`ordered_map` is the one place where the store's build (:mod:`discourse.store.pipeline`) and the
boilerplate detector (:func:`discourse.detect_boilerplate`) hand work to worker processes: results come
back strictly in the order of the arguments, so the outcome does not depend on the number of workers,
and at most ``ahead`` tasks are in flight, so memory is that of a few tasks' arguments and results.
"""
from __future__ import annotations

from collections import deque
from concurrent.futures import Executor
from itertools import islice
from typing import Any, Callable, Iterable, Iterator

__all__ = ["ordered_map"]


def ordered_map(fn: Callable, *iterables: Iterable, executor: Executor | None = None, ahead: int = 2) -> Iterator[Any]:
    """``fn(*args)`` of each tuple of arguments, in order: here (``executor=None``) or in ``executor``.

    With an executor, ``ahead`` tasks run while the caller consumes the result before them; an
    exception raised by a task is raised here, with its message. ``fn`` must be picklable (module level)
    for a process pool; the arguments are drawn from ``iterables`` only as tasks are submitted.
    """
    args = zip(*iterables)
    if executor is None:
        for a in args:
            yield fn(*a)
        return
    pending = deque(executor.submit(fn, *a) for a in islice(args, max(1, ahead)))
    try:
        while pending:
            done = pending.popleft().result()
            a = next(args, None)
            if a is not None:
                pending.append(executor.submit(fn, *a))
            yield done
            del done  # one result held here at a time
    finally:
        for f in pending:  # the caller stopped early or a task failed: nothing left running for it
            f.cancel()
