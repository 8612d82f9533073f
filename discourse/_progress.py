"""Progress bars for long steps (tqdm.auto: a widget in Jupyter, text elsewhere)."""
from __future__ import annotations

import os
from typing import Iterable, TypeVar

T = TypeVar("T")


def progress_bar(iterable: Iterable[T], **kwargs) -> Iterable[T]:
    """Wrap ``iterable`` in a tqdm bar, unless ``TQDM_DISABLE`` is set.

    tqdm's notebook bar ignores ``TQDM_DISABLE``; the report runner sets it so
    that rendered reports carry no widgets (whose ids differ run to run).
    """
    if os.environ.get("TQDM_DISABLE", "").lower() in {"1", "true", "yes"}:
        return iterable
    from tqdm.auto import tqdm

    return tqdm(iterable, **kwargs)
