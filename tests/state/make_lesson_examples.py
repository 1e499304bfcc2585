"""Writes the shipped lesson, calcgui/resources/lessons/course.calcgui-lesson, with calcgui's own
``lesson_file.dumps``.

Run after a change to the lesson or to the scene format (test_lesson_examples.py fails until
the shipped file equals what this builds)::

    PYTHONPATH=. .venv/bin/python tests/state/make_lesson_examples.py

The lesson walks the course end to end, one idea a slide, in the order of the panes. The
numbers in the notes are the ones the panes show (checked by tests/ui/test_lesson_course.py).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from make_scene_examples import scene

from calcgui.core.surfaces import PRESETS
from calcgui.state import LESSON_SUFFIX, Arrival, Lesson, OptimizerSettings, RaceSettings, Scene, Slide, lesson_file

FOLDER = Path(__file__).resolve().parents[2] / "calcgui" / "resources" / "lessons"  # resources/lessons links here
COURSE = "course"


def _derivative(function: str, tab: str) -> Scene:
    base = scene("derivative", function)
    return base.with_pane("derivative", dataclasses.replace(base.derivative, tab=tab))


def _gradient(angle: float) -> Scene:
    base = scene("gradient", surface="3x^2 + 2y")
    return base.with_pane("gradient", dataclasses.replace(base.gradient, point=(1.0, 2.0), angle_degrees=angle))


def _one_d(lr: float) -> Scene:
    """1D descent on x² from x = 10 by plain gradient descent at ``lr``, at step 0."""
    base = scene("descent", "x^2")
    race = base.descent.one_d
    gd = dataclasses.replace(race.optimizers["gd"], lr=lr)
    race = dataclasses.replace(race, start=(10.0,), optimizers={**race.optimizers, "gd": gd}, step=0)
    return base.with_pane("descent", dataclasses.replace(base.descent, mode="1d", one_d=race))


def _race(on: tuple[str, ...], lr: dict[str, float] | None = None, clipping: str = "none",
          clip_value: float = 1.0) -> Scene:
    """Optimizers racing on Rosenbrock from (-1.5, 2), at step 0."""
    base = scene("descent", surface=PRESETS["rosenbrock"].text)
    race = base.descent.two_d
    optimizers: dict[str, OptimizerSettings] = {
        name: dataclasses.replace(settings, enabled=name in on, lr=(lr or {}).get(name, settings.lr))
        for name, settings in race.optimizers.items()}
    race = RaceSettings(race.function, race.surface, race.start, optimizers, clipping=clipping,
                        clip_value=clip_value, schedule=race.schedule, speed=race.speed, step=0)
    return base.with_pane("descent", dataclasses.replace(base.descent, mode="2d", two_d=race))


def _tangent() -> Scene:
    base = scene("tangent", "x^2")
    # h = 1: the animation then runs the whole way, from a wide secant to 10⁻¹²
    return base.with_pane("tangent", dataclasses.replace(base.tangent, x0=1.0, h=1.0))


def _backprop() -> Scene:
    base = scene("chain", "(2x + 3)^2")
    return base.with_pane("chain", dataclasses.replace(base.chain, step=0))


#: Momentum at lr 0.003 on Rosenbrock: unclipped it leaves the map at step 9; with the gradient's
#: norm clipped to 10 it reaches (1, 1) (0.999, 0.998 at step 500). GD beside it, at the same lr.
_STEEP = {"gd": 0.003, "momentum": 0.003}


def course() -> Lesson:
    """The lesson that walks the course end to end."""
    play = Arrival()
    slides = (
        Slide("The derivative from first principles",
              "f′(x) is the limit of the difference quotient (f(x + h) − f(x)) / h as h → 0. For 2x² + 3x + 1 "
              "expand, cancel, divide by h, and let h go to 0: f′(x) = 4x + 3.",
              _derivative("2x^2 + 3x + 1", "limit")),
        Slide("Rules, and the chain rule on (2x + 3)²",
              "No limits needed once we know the rules. The chain rule: the outer derivative 2(2x + 3) "
              "times the inner derivative 2, so f′(x) = 4(2x + 3) = 8x + 12.",
              _derivative("(2x + 3)^2", "rules")),
        Slide("The secant becomes the tangent",
              "The secant through P and Q has slope (f(x₀ + h) − f(x₀)) / h. Watch h shrink: Q slides into P and "
              "the slope of x² at x₀ = 1 tends to 2. Far below 10⁻⁸, round-off takes over.",
              _tangent(), play),
        Slide("Partial derivatives and the gradient of 3x² + 2y",
              "Hold y fixed and differentiate: ∂f/∂x = 6x. Hold x fixed: ∂f/∂y = 2. At (1, 2) the gradient is "
              "∇f = (6, 2): the direction of steepest ascent.",
              _gradient(45.0)),
        Slide("The directional derivative",
              "The slope in the direction v̂ is ∇f · v̂. At 60° it is 6·cos 60° + 2·sin 60° ≈ 4.73; turn v̂ "
              "towards ∇f and it grows to its maximum |∇f| = √40 ≈ 6.32.",
              _gradient(60.0)),
        Slide("Gradient descent in 1D: x² from x = 10, lr 0.1",
              "Each step is x ← x − lr · f′(x) = x − 0.1 · 2x = 0.8x. After 30 steps x = 10 · 0.8³⁰ ≈ 0.012.",
              _one_d(0.1), Arrival(until_step=30)),
        Slide("Learning rate too small: lr 0.01",
              "Now x ← 0.98x: after 100 steps x is still 10 · 0.98¹⁰⁰ ≈ 1.33. Safe, but slow.",
              _one_d(0.01), Arrival(until_step=100)),
        Slide("Learning rate too large: lr 1.05",
              "Now x ← x − 2.1x = −1.1x: every step overshoots the minimum and lands further away. "
              "The iterates oscillate and diverge.",
              _one_d(1.05), Arrival(until_step=30)),
        Slide("Optimizers racing on Rosenbrock",
              "Plain gradient descent crawls along the curved valley; momentum builds up speed; Adam scales "
              "each step by the gradient's recent size. All start at (−1.5, 2); the minimum is at (1, 1).",
              _race(("gd", "momentum", "adam")), Arrival(until_step=500)),
        Slide("A step too large: without clipping the run blows up",
              "Momentum and GD at lr 0.003: the valley's steep walls give huge gradients, each step "
              "overshoots further, and both runs leave the map within ten steps.",
              _race(("gd", "momentum"), _STEEP), Arrival(until_step=500)),
        Slide("Gradient clipping saves the run",
              "Same learning rate, but the gradient's norm is clipped to 10: g ← g · min(1, 10 / ‖g‖). "
              "No step can be huge any more, and momentum now reaches the minimum (1, 1).",
              _race(("gd", "momentum"), _STEEP, clipping="norm", clip_value=10.0), Arrival(until_step=500)),
        Slide("Backpropagation through (2x + 3)²",
              "The same chain rule, done by a computer: a forward pass computes each node's value, a backward "
              "pass multiplies local derivatives from the output back. At x = 1 the gradient is 8x + 12 = 20.",
              _backprop(), play),
    )
    return Lesson("The course, end to end", slides)


def examples() -> dict[str, Lesson]:
    """File stem -> lesson."""
    return {COURSE: course()}


def main() -> None:
    FOLDER.mkdir(parents=True, exist_ok=True)
    for stem, lesson in examples().items():
        path = FOLDER / (stem + LESSON_SUFFIX)
        lesson_file.save(lesson, path)
        print(path)


if __name__ == "__main__":
    main()
