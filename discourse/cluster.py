"""Running the map step of an analysis on a ``dask.distributed`` cluster (placeholder: local only for now).

:func:`use_client` sets the client every analysis uses (``with dc.use_client(client): ...``);
:func:`dask_map` runs :func:`discourse.partitions.run_partitions` on it.
"""
from __future__ import annotations

import contextlib
from typing import Any, Callable, Iterator, Sequence

__all__ = ["use_client", "current_client", "dask_map"]

_CLIENT: list[Any] = []


@contextlib.contextmanager
def use_client(client: Any) -> Iterator[Any]:
    """Within the block, every analysis maps its partitions on ``client`` (a ``dask.distributed.Client``)."""
    _CLIENT.append(client)
    try:
        yield client
    finally:
        _CLIENT.pop()


def current_client() -> Any:
    """The client set by :func:`use_client`, or None (run locally)."""
    return _CLIENT[-1] if _CLIENT else None


def dask_map(client: Any, load: Callable, ks: Sequence[int], func: Callable, args: tuple) -> list:
    """``[func(*load(k), *args) for k in ks]`` computed on the cluster's workers, in order."""
    raise NotImplementedError("discourse.cluster.dask_map: the Dask execution is not built yet")
