"""What each pane shows, as frozen dataclasses that check themselves: the app's state without Qt.

A pane renders from its settings and replaces them (``dataclasses.replace``) when the user
moves something; a scene file stores them; undo keeps old ones. So every field is checked in
``__post_init__`` (type, finiteness, range) and a bad value raises :class:`SettingsError`
naming the field. Function texts are only checked to be text there: parsing them costs a
little and needs sympy, and the UI builds settings at every drag step, so they are parsed by
:func:`validate_functions`, which the scene decoder calls. Importing this module loads no sympy.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from calcgui.core.tokenizer import MAX_LENGTH
from calcgui.state import checks
from calcgui.state.chain import CHAIN_MODES, CHAIN_VARIABLES, DEFAULT_VALUES, ChainSettings
from calcgui.state.errors import SettingsError
from calcgui.state.pane_names import PANE_NAMES
from calcgui.state.race import (
    DEFAULT_LR,
    DEFAULT_ON,
    DESCENT_MODES,
    HYPER_PARAMETERS,
    MAX_STEPS,
    POSITION_BOUND,
    DescentSettings,
    OptimizerSettings,
    RaceSettings,
    default_race_1d,
    default_race_2d,
)

__all__ = [
    "CHAIN_MODES", "CHAIN_VARIABLES", "DEFAULT_FUNCTION", "DEFAULT_LR", "DEFAULT_ON", "DEFAULT_SURFACE",
    "DEFAULT_VALUES", "DERIVATIVE_TABS", "DESCENT_MODES", "GRID_SIZES", "HYPER_PARAMETERS", "MAX_FUNCTION_LENGTH",
    "MAX_STEPS", "PANE_NAMES", "Camera", "ChainSettings", "DerivativeSettings", "DescentSettings",
    "GradientSettings", "OptimizerSettings", "RaceSettings", "Scene", "SettingsError", "TangentSettings",
    "ViewRange", "default_race_1d", "default_race_2d", "function_fields", "validate_function",
    "validate_functions",
]

DEFAULT_FUNCTION = "2x^2 + 3x + 1"
DEFAULT_SURFACE = "2x^2 - y^2"
#: The Derivative pane's two explanations: rule by rule, or from first principles.
DERIVATIVE_TABS: tuple[str, ...] = ("rules", "limit")
#: Samples per side of the Gradient pane's grid.
GRID_SIZES: tuple[int, ...] = (50, 100, 160, 250, 400)
#: The parser's own limit: a longer text is refused before it is parsed.
MAX_FUNCTION_LENGTH = MAX_LENGTH  #: the parser's own bound
#: A view's edges may lie this far out at most: beyond it a float64 axis loses all resolution.
VIEW_BOUND = 1e12

_X = ("x",)
_XY = ("x", "y")


def _set(obj: object, name: str, value: Any) -> None:
    """Store a checked (normalised) value in a frozen dataclass: ints become floats, etc."""
    object.__setattr__(obj, name, value)


@dataclass(frozen=True)
class ViewRange:
    """The visible rectangle of a plot, so that a scene reopens on what the teacher framed."""

    x: tuple[float, float]
    y: tuple[float, float]

    def __post_init__(self) -> None:
        _set(self, "x", checks.pair_range("x", self.x, VIEW_BOUND))
        _set(self, "y", checks.pair_range("y", self.y, VIEW_BOUND))


@dataclass(frozen=True)
class DerivativeSettings:
    """The Derivative pane: f(x), which of f, f', f'' are plotted, and which explanation is open."""

    function: str = DEFAULT_FUNCTION
    shown: tuple[bool, bool, bool] = (True, True, True)  #: f, f', f''
    tab: str = "rules"  #: one of DERIVATIVE_TABS
    auto_frame: bool = True  #: frame the curves after each new function
    view: ViewRange | None = None  #: None: framed automatically

    def __post_init__(self) -> None:
        checks.text("function", self.function)
        _set(self, "shown", checks.flags("shown", self.shown, 3))
        checks.member("tab", self.tab, DERIVATIVE_TABS)
        checks.flag("auto_frame", self.auto_frame)
        checks.instance("view", self.view, ViewRange, optional=True)


@dataclass(frozen=True)
class TangentSettings:
    """The Secant → tangent pane: P at x0 and Q at x0 + h (h < 0 puts Q left of P)."""

    function: str = DEFAULT_FUNCTION
    x0: float = 1.0
    h: float = 10 ** -0.3  #: ≈ 0.5: Q well inside the first view
    zoom_with_h: bool = False
    view: ViewRange | None = None

    def __post_init__(self) -> None:
        checks.text("function", self.function)
        _set(self, "x0", checks.number("x0", self.x0, -POSITION_BOUND, POSITION_BOUND))
        h = checks.number("h", self.h, -1.0, 1.0)
        if abs(h) < 1e-12:  # the h slider's end: below it the quotient is all round-off
            raise SettingsError("h", f"must be at least 1e-12 in size (either sign), got {checks.describe(h)}")
        _set(self, "h", h)
        checks.flag("zoom_with_h", self.zoom_with_h)
        checks.instance("view", self.view, ViewRange, optional=True)


@dataclass(frozen=True)
class Camera:
    """Where the 3D view looks from, as pyqtgraph's GLViewWidget sets it (angles in degrees)."""

    distance: float
    elevation: float
    azimuth: float

    def __post_init__(self) -> None:
        _set(self, "distance", checks.number("distance", self.distance, 0.0, float("inf"), above=True))
        _set(self, "elevation", checks.number("elevation", self.elevation, -90.0, 90.0))
        _set(self, "azimuth", checks.number("azimuth", self.azimuth, float("-inf"), float("inf")))


@dataclass(frozen=True)
class GradientSettings:
    """The Gradient pane: f(x, y), the point P, the direction of v̂ and what is drawn."""

    function: str = DEFAULT_SURFACE
    point: tuple[float, float] = (1.0, 0.5)  #: P = (x0, y0)
    angle_degrees: float = 45.0  #: v̂'s direction, counter-clockwise from +x
    grid: int = 160  #: one of GRID_SIZES
    field: bool = False  #: arrows of ∇f over the map
    tangent_plane: bool = True
    camera: Camera | None = None  #: None: the 3D view's default camera
    view: ViewRange | None = None  #: the contour map's rectangle; None: the default

    def __post_init__(self) -> None:
        checks.text("function", self.function)
        _set(self, "point", checks.numbers("point", self.point, (2,), POSITION_BOUND))
        _set(self, "angle_degrees", checks.number("angle_degrees", self.angle_degrees, -180.0, 180.0))
        checks.member("grid", self.grid, GRID_SIZES)
        checks.flag("field", self.field)
        checks.flag("tangent_plane", self.tangent_plane)
        checks.instance("camera", self.camera, Camera, optional=True)
        checks.instance("view", self.view, ViewRange, optional=True)


@dataclass(frozen=True)
class Scene:
    """Everything a lesson needs to reopen the app as it was: the open pane, the shared
    functions and every pane's settings."""

    pane: str = "derivative"  #: one of PANE_NAMES
    function: str = DEFAULT_FUNCTION  #: the shared f(x)
    surface: str = DEFAULT_SURFACE  #: the shared f(x, y)
    derivative: DerivativeSettings = field(default_factory=DerivativeSettings)
    tangent: TangentSettings = field(default_factory=TangentSettings)
    gradient: GradientSettings = field(default_factory=GradientSettings)
    descent: DescentSettings = field(default_factory=DescentSettings)
    chain: ChainSettings = field(default_factory=ChainSettings)

    def __post_init__(self) -> None:
        checks.member("pane", self.pane, PANE_NAMES)
        checks.text("function", self.function)
        checks.text("surface", self.surface)
        for name, kind in _PANE_TYPES.items():
            checks.instance(name, getattr(self, name), kind)

    def pane_settings(self, name: str) -> Any:
        """The settings of the pane ``name`` (one of PANE_NAMES)."""
        return getattr(self, checks.member("pane", name, PANE_NAMES))

    def with_pane(self, name: str, settings: Any) -> Scene:
        """A new scene with the settings of pane ``name`` replaced (type-checked)."""
        checks.member("pane", name, PANE_NAMES)
        return dataclasses.replace(self, **{name: settings})


_PANE_TYPES: dict[str, type] = {"derivative": DerivativeSettings, "tangent": TangentSettings,
                                "gradient": GradientSettings, "descent": DescentSettings,
                                "chain": ChainSettings}


def function_fields(scene: Scene) -> Iterator[tuple[str, str, tuple[str, ...]]]:
    """Every function text of ``scene`` as (dotted path, text, the variables it may use)."""
    yield "function", scene.function, _X
    yield "surface", scene.surface, _XY
    yield "derivative.function", scene.derivative.function, _X
    yield "tangent.function", scene.tangent.function, _X
    yield "gradient.function", scene.gradient.function, _XY
    yield "descent.two_d.function", scene.descent.two_d.function, _XY
    yield "descent.one_d.function", scene.descent.one_d.function, _X
    yield "chain.function", scene.chain.function, CHAIN_VARIABLES


def validate_function(path: str, text: str, variables: tuple[str, ...]) -> None:
    """Raise SettingsError unless ``text`` parses over ``variables``.

    Only the project's whitelisting parser ever reads a function text: nothing from a file is
    evaluated any other way, so ``__import__('os')`` is refused as a syntax error.
    """
    if len(text) > MAX_FUNCTION_LENGTH:
        raise SettingsError(path, f"is {len(text):,} characters long; a function has at most {MAX_FUNCTION_LENGTH}")
    from calcgui.core.expression_parser import ParseError, parse  # sympy: loaded on first use only

    try:
        parse(text, variables)
    except ParseError as error:
        raise SettingsError(path, f"does not parse: {error}") from None


def validate_functions(scene: Scene) -> None:
    """Raise SettingsError (with the field's path) for the first function text that does not parse."""
    for path, text, variables in function_fields(scene):
        validate_function(path, text, variables)
