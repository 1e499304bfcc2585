"""The jobs the UI sends to the worker: what each yields, and where its typesetting starts."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

import calcgui.core.typeset
from calcgui.core.gradient import Partials
from calcgui.core.jobs import (
    TYPESET_SECONDS, TYPESETTING, DerivationView, DerivativeCurves, DerivativeFormulas, GradientFormulas, LimitView,
    derivative_job, gradient_job, limit_job, steps_job,
)
from calcgui.core.worker import Phase

JOBS = [
    (derivative_job, "x^2 sin x", [DerivativeCurves, TYPESETTING, DerivativeFormulas]),
    (steps_job, "(2x + 3)^2", [TYPESETTING, DerivationView]),
    (limit_job, "2x^2 + 3x + 1", [TYPESETTING, LimitView]),
    (gradient_job, "x^2 y", [Partials, TYPESETTING, GradientFormulas]),
]


@pytest.mark.parametrize(("job", "text", "expected"), JOBS, ids=[job.__name__ for job, _, _ in JOBS])
def test_typesetting_starts_after_the_marker(job: Callable[[str], Iterator[Any]], text: str, expected: list[Any],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Each job yields the marker once, after its symbolic work and before the first formula
    is drawn, so that the runner times the two parts apart; the UI gets the same payloads."""
    events: list[Any] = []
    render = calcgui.core.typeset.render_svg

    def spy(latex: str) -> str | None:
        events.append("render")
        return render(latex)

    monkeypatch.setattr(calcgui.core.typeset, "render_svg", spy)
    for value in job(text):
        events.append(value if isinstance(value, Phase) else type(value))
    assert [e for e in events if e != "render"] == expected
    assert "render" in events and "render" not in events[:events.index(TYPESETTING)]


def test_typesetting_has_its_own_limit() -> None:
    assert TYPESETTING == Phase("typesetting", TYPESET_SECONDS) and TYPESET_SECONDS >= 10


@pytest.mark.parametrize("seconds", [0, -1.0, float("inf"), float("nan"), "10"])
def test_a_phase_needs_a_positive_number_of_seconds(seconds: Any) -> None:
    with pytest.raises(ValueError, match="a phase's seconds must be a positive number"):
        Phase("typesetting", seconds)
