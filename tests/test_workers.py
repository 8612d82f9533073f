"""ordered_map: results in the order of the arguments, a bounded number in flight, errors raised to the caller."""
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from discourse.workers import ordered_map


def _slow_square(x, delay):
    time.sleep(delay * (5 - x % 5))  # later tasks finish first: order must come from the arguments
    return x * x


def test_results_in_argument_order_here_and_in_a_pool():
    here = list(ordered_map(_slow_square, range(12), [0.0] * 12))
    with ThreadPoolExecutor(3) as pool:
        pooled = list(ordered_map(_slow_square, range(12), [0.002] * 12, executor=pool, ahead=3))
    assert here == pooled == [x * x for x in range(12)]


def test_at_most_ahead_tasks_in_flight():
    lock, running, peak = threading.Lock(), [0], [0]

    def task(x):
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        time.sleep(0.005)
        with lock:
            running[0] -= 1
        return x

    drawn = []

    def args():
        for i in range(20):
            drawn.append(i)
            yield i

    with ThreadPoolExecutor(8) as pool:
        out = ordered_map(task, args(), executor=pool, ahead=2)
        assert next(out) == 0 and len(drawn) == 3  # arguments drawn only as tasks are submitted
        assert list(out) == list(range(1, 20))
    assert peak[0] <= 2


def test_a_failing_task_raises_in_the_caller():
    def task(x):
        if x == 3:
            raise ValueError("task 3 failed")
        return x

    with ThreadPoolExecutor(2) as pool:
        out = ordered_map(task, range(6), executor=pool)
        assert [next(out) for _ in range(3)] == [0, 1, 2]
        with pytest.raises(ValueError, match="task 3 failed"):
            next(out)
