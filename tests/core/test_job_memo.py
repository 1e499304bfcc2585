"""Replayed generator jobs: the same yields for the same arguments, computed once; nothing
kept from a job that raised or was not read to its end; the oldest forgotten first."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from calcgui.core.job_memo import replayed


def counting_job() -> tuple[list[tuple[int, ...]], object]:
    calls: list[tuple[int, ...]] = []

    @replayed(maxsize=2)
    def squares(n: int, fail_at: int = -1) -> Iterator[int]:
        calls.append((n, fail_at))
        for i in range(n):
            if i == fail_at:
                raise ValueError("no")
            yield i * i

    return calls, squares


def test_a_second_call_replays_the_first_ones_yields_without_running_it() -> None:
    calls, squares = counting_job()
    assert list(squares(4)) == [0, 1, 4, 9]
    assert list(squares(4)) == [0, 1, 4, 9]
    assert calls == [(4, -1)]


def test_nothing_is_kept_from_a_job_that_raised_or_was_left_early() -> None:
    calls, squares = counting_job()
    with pytest.raises(ValueError):
        list(squares(4, 2))
    with pytest.raises(ValueError):
        list(squares(4, 2))
    assert next(iter(squares(3))) == 0  # read one item only, as a reader that stops early
    assert list(squares(3)) == [0, 1, 4]
    assert calls == [(4, 2), (4, 2), (3, -1), (3, -1)]


def test_the_least_recently_used_is_forgotten_beyond_maxsize() -> None:
    calls, squares = counting_job()
    for n in (1, 2, 1, 3):  # 2 is now the oldest: 1 was used again
        list(squares(n))
    list(squares(1))
    list(squares(2))
    assert calls == [(1, -1), (2, -1), (3, -1), (2, -1)]


def test_the_derivative_job_replays_equal_results() -> None:
    from calcgui.core.jobs import derivative_job

    first = list(derivative_job("x^3 sin x"))
    again = list(derivative_job("x^3 sin x"))
    assert again == first and again[-1].formulas[1].plain == first[-1].formulas[1].plain
