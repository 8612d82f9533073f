"""Running the map step of an analysis on a ``dask.distributed`` cluster.

Every analysis maps a function over the partitions of the corpus and merges the
partial results (:mod:`discourse.partitions`); :func:`discourse.partitions.run_partitions`
is the one place a map runs. Given a client, it hands the map to :func:`dask_map`:
one task per partition, each loading its partition *on a worker* and returning only
the partial result (counts by group, hit lists), gathered in partition order so the
merge (and so every result) is the same as a local run. This is the map/reduce scheme of
Dean & Ghemawat (2004, "MapReduce: simplified data processing on large clusters", OSDI) on
Dask's distributed scheduler (Rocklin 2015, "Dask: parallel computation with blocked algorithms
and task scheduling", SciPy): for partial counts ``C_k`` of partitions ``k``, the result is
``f(sum_k C_k)``, ``f`` the analysis' unchanged final statistics.

Which client (the first that applies):

1. ``client=`` where the protocol takes one (``SplitTokens.map``, ``run_partitions``);
2. the innermost ``with discourse.use_client(client):`` block (``use_client(None)`` runs locally
   inside it, whatever the configuration says);
3. the Dask configuration key ``discourse.client`` (``dask.config.set({"discourse.client": client})``,
   a Dask YAML file or the environment variable ``DASK_DISCOURSE__CLIENT``): a ``Client``, a
   scheduler address (``"tcp://10.0.0.5:8786"``, connected to once) or ``"default"`` (the
   client Dask itself would use, :func:`distributed.default_client`). An address is the safer
   form to configure: Dask hands its configuration to worker processes it starts later;
4. none: the partitions are mapped here, one at a time.

Dask is an optional dependency (``pip install "discourse[cluster]"``): nothing here imports
``distributed`` unless a client is used; outside a :func:`use_client` block, ``dask.config`` is
read when Dask is installed and something can have set the key: Dask imported already, a ``DASK_``
environment variable, or one of the directories Dask reads YAML files from (else Dask is not imported
just to find no setting: 0.17 s at the first analysis of a session).
"""
from __future__ import annotations

import contextlib
import contextvars
import heapq
import os
import site
import sys
import uuid
import weakref
from typing import Any, Callable, Iterator, Sequence

__all__ = ["use_client", "current_client", "dask_map", "dask_map_reduce", "scatter_parts", "ScatteredParts",
           "CONFIG_KEY"]

CONFIG_KEY = "discourse.client"

_UNSET = object()
_CLIENT: contextvars.ContextVar = contextvars.ContextVar("discourse_client", default=_UNSET)
_CONNECTED: dict[str, Any] = {}  # scheduler address -> the Client connected to it from the configuration


@contextlib.contextmanager
def use_client(client: Any) -> Iterator[Any]:
    """Within the block, every analysis maps its partitions on ``client`` (a ``dask.distributed.Client``).

    Blocks nest (the innermost wins); ``use_client(None)`` runs locally inside a block or a
    configured client. The setting is a context variable, so threads and asyncio tasks keep their own.

    Examples
    --------
    >>> from dask.distributed import Client, LocalCluster            # doctest: +SKIP
    >>> with Client(LocalCluster(n_workers=2)) as client, dc.use_client(client):  # doctest: +SKIP
    ...     freq = dc.frequencies(store, by="outlet")
    """
    token = _CLIENT.set(client)
    try:
        yield client
    finally:
        _CLIENT.reset(token)


def current_client() -> Any:
    """The client analyses map on: the innermost :func:`use_client`, else the ``discourse.client``
    Dask setting, else None (run locally)."""
    client = _CLIENT.get()
    if client is not _UNSET:
        return client
    return _configured_client()


def _configurable() -> bool:
    """Whether the Dask setting can be set: Dask imported (``dask.config.set``), a ``DASK_`` environment
    variable, or a directory of Dask's YAML files (those ``dask.config`` reads when imported)."""
    if "dask" in sys.modules or any(name.startswith("DASK_") for name in os.environ):
        return True
    dirs = ["/etc/dask", os.path.join(sys.prefix, "etc", "dask"),
            *(os.path.join(prefix, "etc", "dask") for prefix in getattr(site, "PREFIXES", [])),
            os.path.join(os.path.expanduser("~"), ".config", "dask")]
    return any(os.path.isdir(d) for d in dirs)


def _configured_client() -> Any:
    if not _configurable():
        return None
    try:
        import dask.config
    except ImportError:  # Dask not installed: nothing can be configured
        return None
    value = dask.config.get(CONFIG_KEY, default=None)
    if value is None or value is False or value == "":
        return None
    if not isinstance(value, str):
        return value
    from distributed import Client, default_client

    if value == "default":
        try:
            return default_client()
        except ValueError:
            raise ValueError(f"the Dask setting {CONFIG_KEY} is 'default' but there is no Dask client: start "
                             "one (distributed.Client(...)) or unset the setting to run locally") from None
    client = _CONNECTED.get(value)
    if client is None or client.status not in ("running", "connecting", "newly-created"):
        client = _CONNECTED[value] = Client(value, set_as_default=False)
    return client


# -- on the workers ---------------------------------------------------------------
def _run(load: Callable, k: int, func: Callable, args: tuple) -> Any:
    """Load partition ``k`` on this worker and map ``func`` over it; only the result travels back."""
    part, first = load(k)
    return func(part, first, *args)


def _run_loaded(part: Any, first: int, func: Callable, args: tuple) -> Any:
    """Map ``func`` over a partition already held by this worker (see :func:`scatter_parts`)."""
    return func(part, first, *args)


# -- partitions held on the workers -------------------------------------------------
class ScatteredParts:
    """A ``load`` whose partitions are already on the workers: ``futures[k]`` is ``(Future of partition k,
    its first document)``. :func:`dask_map` runs each task where its partition is; called here, it
    fetches the partition back (``load(k)``, as :func:`~discourse.partitions.run_partitions` expects)."""

    def __init__(self, futures: dict[int, tuple[Any, int]]) -> None:
        self.futures = futures

    def __call__(self, k: int) -> tuple[Any, int]:
        future, first = self.futures[k]
        return future.result(), first


# owner (an in-memory partitioned corpus) -> {client id: {k: (future, first)}}; an entry goes with its owner
_SCATTERED: "weakref.WeakKeyDictionary[Any, dict[str, dict[int, tuple[Any, int]]]]" = weakref.WeakKeyDictionary()


def _live(client: Any, held: tuple[Any, int] | None) -> bool:
    return held is not None and held[0].status == "finished" and held[0].client is client


def scatter_parts(client: Any, owner: Any, load: Callable[[int], tuple[Any, int]],
                  ks: Sequence[int]) -> ScatteredParts:
    """Partitions ``ks`` of an in-memory corpus ``owner`` sent to the workers once, for every later map.

    A corpus that lives in this process (a :class:`~discourse.partitions.SplitTokens`) would
    otherwise travel whole inside every task. Here each partition is cut (``load(k)``), sent to
    one worker (the one holding the fewest tokens a thread so far) and dropped locally before the next
    is cut, so the client holds one partition more than the corpus and the workers together
    hold the corpus once. The partitions stay on the workers while ``owner`` lives (analyses
    after the first send nothing but their arguments); partitions lost with a worker are sent again.
    """
    held = _SCATTERED.setdefault(owner, {}).setdefault(client.id, {})
    missing = [int(k) for k in ks if not _live(client, held.get(int(k)))]
    if missing:
        threads = client.nthreads()  # every worker's threads (scheduler_info lists only some on some versions)
        load_of = [(0.0, i, address) for i, address in enumerate(sorted(threads))]  # (tokens a thread, order, worker)
        for k in missing:
            part, first = load(k)
            size = int(getattr(part, "n_tokens", 0))
            if load_of:
                held_tokens, order, address = heapq.heappop(load_of)
                heapq.heappush(load_of, (held_tokens + (size + 1) / max(threads[address], 1), order, address))
                target = [address]
            else:  # no worker yet (an adaptive cluster): the scheduler places it
                target = None
            held[k] = (client.scatter([part], workers=target, hash=False)[0], int(first))
            del part  # one partition here at a time
    return ScatteredParts({int(k): held[int(k)] for k in ks})


# -- the map ------------------------------------------------------------------------
def _submit(client: Any, load: Callable, ks: list[int], func: Callable, args: tuple, tag: str) -> list:
    """One task a partition (``load`` and ``args`` sent to the cluster once, not once a task)."""
    if isinstance(load, ScatteredParts):
        (args_f,) = client.scatter([args], hash=False)
        return [client.submit(_run_loaded, load.futures[k][0], load.futures[k][1], func, args_f,
                              key=f"{tag}-{k}", pure=False) for k in ks]
    load_f, args_f = client.scatter([load, args], hash=False)
    return [client.submit(_run, load_f, k, func, args_f, key=f"{tag}-{k}", pure=False) for k in ks]


def _tag(func: Callable) -> str:
    name = getattr(func, "__name__", "map").strip("_") or "map"
    return f"discourse_{name}-{uuid.uuid4().hex[:8]}"  # task prefix discourse_<map>: the dashboard groups by it


def _result(client: Any, futures: list, wanted: Any) -> Any:
    """``client.gather(wanted)``; on an exception in any task, the others are cancelled and it is raised here."""
    try:
        return client.gather(wanted)
    except BaseException:
        client.cancel(futures)
        raise


def dask_map(client: Any, load: Callable, ks: Sequence[int], func: Callable, args: tuple) -> list:
    """``[func(*load(k), *args) for k in ks]`` computed on the cluster's workers, in order.

    One task per partition: the worker loads partition ``k`` (``load(k)``: a store opens it from
    its path; a :class:`ScatteredParts` has it on a worker already) and returns
    ``func(part, first, *args)``. ``load`` and ``args`` are sent to the cluster once, not once a
    task. Results are gathered in the order of ``ks``, so merging them gives the local result
    exactly. An exception raised in a task is raised here, with its type and message (the
    remaining tasks are cancelled).
    """
    ks = [int(k) for k in ks]
    if not ks:
        return []
    futures = _submit(client, load, ks, func, args, _tag(func))
    return _result(client, futures, futures)


def _combine(combine: Callable[[list], Any], *parts: Any) -> Any:
    return combine(list(parts))


def dask_map_reduce(client: Any, load: Callable, ks: Sequence[int], func: Callable, args: tuple,
                    combine: Callable[[list], Any], split_every: int = 8) -> Any:
    """``combine([func(*load(k), *args) for k in ks])`` with the merge on the workers, as a tree.

    :func:`dask_map` brings every partial result here, so this process holds all of them at
    once (for counts, up to one partial table a partition). Here the workers combine
    ``split_every`` consecutive partials at a time, level by level, and only the final result
    travels back: this process holds one result whatever the number of partitions (the
    reduction of Dask's own ``Bag.reduction`` and ``Array.sum``). ``combine`` takes a list and
    must be associative (:func:`discourse.partitions.merge_sum`); partials are combined in
    partition order, so integer counts equal the sequential merge exactly and floating-point
    sums within rounding (a different order of additions).
    """
    from .validation import check_count

    check_count("split_every", split_every, minimum=2)
    ks = [int(k) for k in ks]
    if not ks:
        raise ValueError("no partitions to map and reduce")
    tag = _tag(func)
    level = futures = _submit(client, load, ks, func, args, tag)
    depth = 0
    while len(level) > 1:
        depth += 1
        level = [client.submit(_combine, combine, *level[i:i + split_every], key=f"{tag}-merge{depth}-{i}",
                               pure=False) for i in range(0, len(level), int(split_every))]
        futures = futures + level
    return _result(client, futures, level[0])
