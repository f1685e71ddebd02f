"""Helpers several test files share."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any


def stop_after(n: int) -> Callable[[Iterator[Any], int], Iterator[Any]]:
    """A ``progress`` wrapper for :func:`pipeline.api.run` that raises KeyboardInterrupt (as Ctrl-C
    does) when the ``n``-th result (0-based) is due: the first ``n`` documents are finished."""

    def wrap(items: Iterator[Any], total: int) -> Iterator[Any]:
        for k, item in enumerate(items):
            if k == n:
                raise KeyboardInterrupt
            yield item

    return wrap
