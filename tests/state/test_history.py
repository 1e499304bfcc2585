"""Undo and redo over scenes: a drag is one step, redo is dropped by a new change, the
modified flag follows the last save."""

from __future__ import annotations

import dataclasses

import pytest

from calcgui.state import History, Scene, TangentSettings


class Clock:
    """A clock the test moves by hand, so that the merge window is exact."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def at(x0: float) -> Scene:
    return Scene(pane="tangent", tangent=TangentSettings(x0=x0))


@pytest.fixture
def clock() -> Clock:
    return Clock()


def test_undo_and_redo_walk_back_and_forth(clock: Clock) -> None:
    history = History(at(0), clock=clock)
    assert not history.can_undo and not history.can_redo and history.undo() is None and history.redo() is None
    for x0 in (1, 2, 3):
        assert history.record(at(x0))
    assert history.undo() == at(2) and history.undo() == at(1)
    assert history.current == at(1) and history.can_undo and history.can_redo
    assert history.redo() == at(2) and history.redo() == at(3) and history.redo() is None
    assert [history.undo() for _ in range(4)] == [at(2), at(1), at(0), None]


def test_recording_the_current_scene_again_changes_nothing(clock: Clock) -> None:
    history = History(at(0), clock=clock)
    assert not history.record(at(0))
    assert not history.can_undo
    history.record(at(1))
    history.undo()
    assert not history.record(at(0)) and history.can_redo


def test_recording_after_an_undo_drops_the_redo_tail(clock: Clock) -> None:
    history = History(at(0), clock=clock)
    history.record(at(1))
    history.record(at(2))
    history.undo()
    assert history.record(at(5))
    assert not history.can_redo and history.redo() is None
    assert history.undo() == at(1) and history.undo() == at(0)


def test_a_drag_with_one_merge_key_is_one_undo_step(clock: Clock) -> None:
    history = History(at(0), merge_seconds=1.0, clock=clock)
    for x0 in (0.1, 0.2, 0.3, 0.4):
        clock.now += 0.5  # each move within the window of the previous one: 2 s in all
        assert history.record(at(x0), merge_key="drag x0")
    assert history.current == at(0.4)
    assert history.undo() == at(0) and not history.can_undo
    assert history.redo() == at(0.4)


def test_a_pause_as_long_as_the_window_or_another_key_starts_a_new_step(clock: Clock) -> None:
    history = History(at(0), merge_seconds=1.0, clock=clock)
    history.record(at(1), merge_key="drag")
    clock.now += 1.0  # not less than merge_seconds: a new step
    history.record(at(2), merge_key="drag")
    clock.now += 0.1
    history.record(at(3), merge_key="h slider")
    clock.now += 0.1
    history.record(at(4))  # no key: never merged
    clock.now += 0.1
    history.record(at(5))
    assert [history.undo() for _ in range(6)] == [at(4), at(3), at(2), at(1), at(0), None]


def test_an_undo_ends_the_merge_so_the_next_drag_is_its_own_step(clock: Clock) -> None:
    history = History(at(0), clock=clock)
    history.record(at(1), merge_key="drag")
    history.record(at(2), merge_key="drag")
    history.undo()
    history.record(at(3), merge_key="drag")
    assert history.undo() == at(0) and history.redo() == at(3)
    history.record(at(4), merge_key="drag")
    assert history.undo() == at(3)


def test_a_drag_that_ends_where_it_began_leaves_no_step(clock: Clock) -> None:
    history = History(at(0), clock=clock)
    history.record(at(9))
    history.record(at(1), merge_key="drag")
    history.record(at(9), merge_key="drag")
    assert history.current == at(9)
    assert history.undo() == at(0)
    history.redo()
    history.record(at(2), merge_key="drag")  # a new drag after the round trip: a step of its own
    assert history.undo() == at(9) and history.undo() == at(0)


def test_only_the_latest_limit_steps_are_kept(clock: Clock) -> None:
    history = History(at(0), limit=3, clock=clock)
    for x0 in range(1, 7):
        history.record(at(x0))
    assert [history.undo() for _ in range(4)] == [at(5), at(4), at(3), None]


def test_modified_means_different_from_the_last_saved_scene(clock: Clock) -> None:
    history = History(at(0), clock=clock)
    assert not history.is_modified
    history.record(at(1))
    assert history.is_modified
    history.mark_saved()
    assert not history.is_modified
    history.undo()
    assert history.is_modified
    history.redo()
    assert not history.is_modified
    history.record(dataclasses.replace(at(1), pane="derivative"))
    history.record(at(1))  # different steps, same scene as saved: not modified
    assert not history.is_modified


def test_reset_starts_over_unmodified(clock: Clock) -> None:
    history = History(at(0), clock=clock)
    history.record(at(1))
    history.record(at(2))
    history.undo()
    history.reset(at(7))
    assert history.current == at(7)
    assert not (history.can_undo or history.can_redo or history.is_modified)


@pytest.mark.parametrize("options", [{"limit": 0}, {"limit": 2.5}, {"limit": True}, {"merge_seconds": -1.0},
                                     {"merge_seconds": float("nan")}])
def test_nonsense_options_are_refused(options: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        History(Scene(), **options)  # type: ignore[arg-type]


def test_the_default_clock_is_monotonic_time() -> None:
    history = History(at(0))
    history.record(at(1), merge_key="drag")
    history.record(at(2), merge_key="drag")  # microseconds later: merged
    assert history.undo() == at(0)
