"""Generator jobs that replay what they yielded for the same arguments.

A student toggles between functions, undoes, and the Derivative and Secant → tangent panes
ask for the same f, f′, f″ of one typed text. Each time, parsing, differentiating, tidying
(simplify under its time box) and typesetting cost 30-300 ms in the worker. The results
depend on nothing but the arguments, so the worker process keeps the last ones it made and
replays them. Only a job that ran to its end is kept: one that raised, or whose reader
stopped early, is computed afresh next time.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from functools import wraps
from typing import Any, TypeVar

Item = TypeVar("Item")


def replayed(maxsize: int) -> Callable[[Callable[..., Iterator[Item]]], Callable[..., Iterator[Item]]]:
    """Decorate a generator function whose yields depend only on its (hashable) arguments."""

    def decorate(job: Callable[..., Iterator[Item]]) -> Callable[..., Iterator[Item]]:
        kept: OrderedDict[Hashable, tuple[Item, ...]] = OrderedDict()

        @wraps(job)
        def replaying(*args: Any) -> Iterator[Item]:
            if args in kept:
                kept.move_to_end(args)
                yield from kept[args]
                return
            made: list[Item] = []
            for item in job(*args):
                made.append(item)
                yield item
            kept[args] = tuple(made)
            if len(kept) > maxsize:
                kept.popitem(last=False)

        replaying.forget = kept.clear  # type: ignore[attr-defined]  # for tests
        return replaying

    return decorate
