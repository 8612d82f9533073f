"""Progress of long steps: a bar (tqdm.auto: a widget in Jupyter, text elsewhere) and step messages.

Every progress display of the package goes through this module: the bar is
off when ``TQDM_DISABLE`` is set (the report runner sets it, so rendered
reports carry no widgets, whose ids and timings differ run to run), and the
step messages of the command line go to standard error unless quiet.
"""
from __future__ import annotations

import os
import sys
from typing import Callable, Iterable, Iterator, TypeVar

__all__ = ["progress_disabled", "progress_bar", "StepMessages"]

T = TypeVar("T")


def progress_disabled() -> bool:
    """True when ``TQDM_DISABLE`` is set to ``1``, ``true`` or ``yes``.

    tqdm's notebook bar ignores ``TQDM_DISABLE``, so it is checked here for every bar.
    """
    return os.environ.get("TQDM_DISABLE", "").lower() in {"1", "true", "yes"}


def progress_bar(iterable: Iterable[T], *, enabled: bool = True, postfix: Callable[[T], str] | None = None,
                 **kwargs) -> Iterable[T]:
    """Wrap ``iterable`` in a tqdm bar, unless ``enabled`` is false or ``TQDM_DISABLE`` is set.

    Parameters
    ----------
    iterable : iterable
        The items to go through.
    enabled : bool
        False: no bar (e.g. a ``--quiet`` option).
    postfix : callable, optional
        Text shown after the bar while an item is processed (e.g. its file name).
    **kwargs
        Passed to ``tqdm`` (``desc``, ``unit``, ``total``, ``file`` ...).

    Returns
    -------
    iterable
        The same items, in the same order.
    """
    if not enabled or progress_disabled():
        return iterable
    from tqdm.auto import tqdm

    bar = tqdm(iterable, **kwargs)
    return bar if postfix is None else _with_postfix(bar, postfix)


def _with_postfix(bar, postfix: Callable[[T], str]) -> Iterator[T]:
    for item in bar:
        bar.set_postfix_str(postfix(item))
        yield item


class StepMessages:
    """Step messages on standard error (``discourse: reading corpus/``), unless ``quiet``.

    They are not a bar, so ``TQDM_DISABLE`` does not silence them; ``quiet`` does.
    """

    def __init__(self, quiet: bool = False, prefix: str = "discourse") -> None:
        self.quiet, self.prefix = quiet, prefix

    def __call__(self, message: str) -> None:
        if not self.quiet:
            print(f"{self.prefix}: {message}", file=sys.stderr, flush=True)
