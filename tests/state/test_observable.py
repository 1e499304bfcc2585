"""Event and SharedFunctions: the shared function announced once per change, without Qt."""

from __future__ import annotations

import pytest

from calcgui.state import Event, SharedFunctions


def test_callbacks_run_in_connection_order_with_the_arguments() -> None:
    event, calls = Event(), []
    event.connect(lambda *args: calls.append(("a", args)))
    event.connect(lambda *args: calls.append(("b", args)))
    event.emit(1, "two")
    assert calls == [("a", (1, "two")), ("b", (1, "two"))]


def test_a_disconnected_callback_is_not_called_and_disconnecting_a_stranger_fails() -> None:
    event, calls = Event(), []
    event.connect(calls.append)
    event.disconnect(calls.append)  # bound methods compare equal
    event.emit("x")
    assert calls == []
    with pytest.raises(ValueError):
        event.disconnect(calls.append)


def test_a_callback_may_disconnect_itself_or_a_later_one_during_emit() -> None:
    event, calls = Event(), []

    def once(value: str) -> None:
        calls.append(("once", value))
        event.disconnect(once)
        event.disconnect(later)

    def later(value: str) -> None:
        calls.append(("later", value))

    def last(value: str) -> None:
        calls.append(("last", value))

    for callback in (once, later, last):
        event.connect(callback)
    event.emit("1")
    event.emit("2")
    assert calls == [("once", "1"), ("last", "1"), ("last", "2")]


def test_a_callback_connected_during_emit_runs_from_the_next_emit() -> None:
    event, calls = Event(), []
    event.connect(lambda value: event.connect(lambda v: calls.append(("new", v))) if value == 1 else None)
    event.emit(1)
    assert calls == []
    event.emit(2)
    assert calls == [("new", 2)]


def test_the_shared_functions_start_from_the_defaults() -> None:
    shared = SharedFunctions()
    assert (shared.function_text, shared.surface_text) == ("2x^2 + 3x + 1", "2x^2 - y^2")
    shared = SharedFunctions("x^3", surface_text="x y")
    assert (shared.function_text, shared.surface_text) == ("x^3", "x y")


def test_each_change_is_announced_once_with_the_new_text() -> None:
    shared, functions, surfaces = SharedFunctions(), [], []
    shared.function_changed.connect(functions.append)
    shared.surface_changed.connect(surfaces.append)
    shared.set_function_text("sin x")
    shared.set_function_text("sin x")  # no change: no announcement
    shared.set_surface_text("x^2 + y^2")
    shared.set_function_text("2x^2 + 3x + 1")
    assert functions == ["sin x", "2x^2 + 3x + 1"] and surfaces == ["x^2 + y^2"]
    assert shared.function_text == "2x^2 + 3x + 1" and shared.surface_text == "x^2 + y^2"


def test_a_listener_reads_the_new_text_from_the_state_too() -> None:
    shared, seen = SharedFunctions(), []
    shared.function_changed.connect(lambda _text: seen.append(shared.function_text))
    shared.set_function_text("e^x")
    assert seen == ["e^x"]


def test_a_function_text_must_be_a_str() -> None:
    shared = SharedFunctions()
    with pytest.raises(TypeError):
        shared.set_function_text(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        SharedFunctions(surface_text=3)  # type: ignore[arg-type]
    assert shared.function_text == "2x^2 + 3x + 1"
