"""Loss surfaces f(x, y) on which optimizers race: the test functions of the optimization literature.

Each preset is written in the student notation that the parser reads (the text is what the user
sees and may edit) and is parsed on first use: importing this module costs no sympy, so the UI
can list the presets (:data:`PRESETS` keys, :data:`TITLES`) before its first paint.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sympy

__all__ = ["PRESETS", "TITLES", "Surface", "ill_conditioned"]

Interval = tuple[float, float]
Point = tuple[float, float]


@dataclass(frozen=True)
class Surface:
    """A function of x and y with what a descent race needs to know about it."""

    name: str  #: key in PRESETS
    title: str  #: display name
    text: str  #: the formula in student notation, as the parser reads it
    expr: sympy.Expr  #: ``text`` parsed, over the real symbols x and y
    domain: tuple[Interval, Interval]  #: ((xmin, xmax), (ymin, ymax)) to show
    minima: tuple[Point, ...]  #: every global minimum; empty when f is unbounded below
    min_value: float  #: f at the minima; -inf when unbounded below
    start: Point  #: a default start from which the optimizers visibly differ
    note: str  #: why the surface is interesting for optimizers


@dataclass(frozen=True)
class _Spec:
    title: str
    text: str
    domain: tuple[Interval, Interval]
    minima: tuple[Point, ...]
    min_value: float
    start: Point
    note: str


_SQUARE3 = ((-3.0, 3.0), (-3.0, 3.0))


def _number(value: float) -> str:
    """``value`` in the parser's notation, exactly: repr has no exponent (e is Euler's number)
    below 1e16, and an integer needs no ".0"."""
    return repr(value).removesuffix(".0")


def _ill_conditioned_spec(condition: float) -> _Spec:
    if isinstance(condition, bool) or not isinstance(condition, (int, float)) or not (
            math.isfinite(condition) and 1.0 <= condition <= 1e6):
        raise ValueError(f"the condition number must be between 1 and 1e6, not {condition!r}")
    c = float(condition)
    return _Spec(
        f"Ill-conditioned bowl (κ = {c:g})", f"x^2 + {_number(c)}y^2", _SQUARE3, ((0.0, 0.0),), 0.0,
        (-2.5, 1.5),
        f"An elliptical bowl {c:g} times more curved across than along: a step small enough "
        "not to oscillate across the valley crawls along it, which momentum and adaptive "
        "steps fix.")


# Minima to the digits that f64 resolves (found with sympy.nsolve at 30 digits from the
# literature's values).
_SPECS: dict[str, _Spec] = {
    "bowl": _Spec(
        "Bowl", "x^2 + y^2", _SQUARE3, ((0.0, 0.0),), 0.0, (-2.5, 2.0),
        "A perfectly round bowl: the gradient points straight at the minimum, so every "
        "optimizer heads the same way and only the step sizes differ."),
    "ill_conditioned": _ill_conditioned_spec(10.0),
    "saddle": _Spec(
        "Saddle", "x^2 - y^2", _SQUARE3, (), -math.inf, (-2.5, 0.05),
        "A saddle point with no minimum (f is unbounded below): plain descent lingers near "
        "the flat centre before it slides off, while momentum and adaptive steps escape fast."),
    "rosenbrock": _Spec(
        "Rosenbrock", "(1 - x)^2 + 100(y - x^2)^2", ((-2.0, 2.0), (-1.0, 3.0)), ((1.0, 1.0),), 0.0,
        (-1.5, 2.0),
        "A long curved valley with a flat floor: finding the valley is easy, following it to "
        "(1, 1) is slow, and too large a step makes descent zig-zag across it."),
    "himmelblau": _Spec(
        "Himmelblau", "(x^2 + y - 11)^2 + (x + y^2 - 7)^2", ((-5.0, 5.0), (-5.0, 5.0)),
        ((3.0, 2.0), (-2.805118086952745, 3.131312518250573),
         (-3.779310253377747, -3.2831859912861696), (3.5844283403304917, -1.8481265269644036)),
        0.0, (-0.3, -0.9),
        "Four equally good minima: from the same start, different optimizers can end in "
        "different minima."),
    "beale": _Spec(
        "Beale", "(1.5 - x + x y)^2 + (2.25 - x + x y^2)^2 + (2.625 - x + x y^3)^2",
        ((-4.5, 4.5), (-4.5, 4.5)), ((3.0, 0.5),), 0.0, (-1.0, 1.3),
        "Flat plateaus next to very steep walls: gradients range over many orders of "
        "magnitude, which plain descent handles badly and adaptive methods well."),
    "booth": _Spec(
        "Booth", "(x + 2y - 7)^2 + (2x + y - 5)^2", ((-10.0, 10.0), (-10.0, 10.0)), ((1.0, 3.0),),
        0.0, (-8.0, -6.0),
        "A tilted elliptical bowl (condition number 9) whose axes are diagonal, so per-"
        "coordinate adaptive steps no longer point at the minimum."),
    "rastrigin": _Spec(
        "Rastrigin", "20 + x^2 - 10cos(2pi x) + y^2 - 10cos(2pi y)", ((-5.12, 5.12), (-5.12, 5.12)),
        ((0.0, 0.0),), 0.0, (2.3, -3.6),
        "A bowl covered with regularly spaced local minima: gradient methods stop in the "
        "nearest dip unless momentum or a large step carries them over the ridges."),
    "ackley": _Spec(
        "Ackley", "-20 e^(-0.2 sqrt(0.5(x^2 + y^2))) - e^(0.5(cos(2pi x) + cos(2pi y))) + e + 20",
        ((-5.0, 5.0), (-5.0, 5.0)), ((0.0, 0.0),), 0.0, (3.3, 2.6),
        "An almost flat, bumpy plateau around a deep narrow funnel whose tip is a kink: local "
        "minima trap small steps, and the gradient is undefined at the minimum itself."),
    "six_hump_camel": _Spec(
        "Six-hump camel", "(4 - 2.1x^2 + x^4/3)x^2 + x y + (-4 + 4y^2)y^2", ((-3.0, 3.0), (-2.0, 2.0)),
        ((0.08984201310031806, -0.7126564030207396), (-0.08984201310031806, 0.7126564030207396)),
        -1.0316284534898774, (-1.8, -1.0),
        "Six local minima, two of them global: where an optimizer ends depends on its start "
        "and on how far its first steps carry it."),
    "styblinski_tang": _Spec(
        "Styblinski–Tang", "(x^4 - 16x^2 + 5x + y^4 - 16y^2 + 5y)/2", ((-5.0, 5.0), (-5.0, 5.0)),
        ((-2.903534027771177, -2.903534027771177),), -78.33233140754282, (0.5, 4.5),
        "Four basins of different depth: descent from most starts settles in a shallower "
        "local minimum, not the global one at (-2.90, -2.90)."),
    "matyas": _Spec(
        "Matyas", "0.26(x^2 + y^2) - 0.48x y", ((-10.0, 10.0), (-10.0, 10.0)), ((0.0, 0.0),), 0.0,
        (-7.0, -9.0),
        "A nearly flat diagonal valley (condition number 25): along it the gradient is tiny, "
        "so plain descent crawls while momentum and adaptive methods speed up."),
}


def _build(name: str, spec: _Spec) -> Surface:
    from calcgui.core.expression_parser import parse  # sympy is loaded on first use only

    return Surface(name=name, title=spec.title, text=spec.text, expr=parse(spec.text, ("x", "y")),
                   domain=spec.domain, minima=spec.minima, min_value=spec.min_value,
                   start=spec.start, note=spec.note)


def ill_conditioned(condition: float) -> Surface:
    """The quadratic x² + κy², whose Hessian diag(2, 2κ) has condition number κ (1 ≤ κ ≤ 1e6)."""
    return _build("ill_conditioned", _ill_conditioned_spec(condition))


class _Presets(Mapping[str, Surface]):
    """A read-only dict of the presets whose surfaces are parsed on first access."""

    def __init__(self, specs: Mapping[str, _Spec]) -> None:
        self._specs = dict(specs)
        self._built: dict[str, Surface] = {}

    def __getitem__(self, name: str) -> Surface:
        surface = self._built.get(name)
        if surface is None:
            surface = self._built[name] = _build(name, self._specs[name])
        return surface

    def __iter__(self) -> Iterator[str]:
        return iter(self._specs)

    def __len__(self) -> int:
        return len(self._specs)

    def __repr__(self) -> str:
        return f"PRESETS({', '.join(self._specs)})"


#: name -> Surface, in display order; each parsed on first access.
PRESETS: Mapping[str, Surface] = _Presets(_SPECS)

#: name -> display title, without parsing anything (for a menu built at start-up).
TITLES: dict[str, str] = {name: spec.title for name, spec in _SPECS.items()}
