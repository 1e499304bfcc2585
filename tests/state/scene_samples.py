"""Scenes for the scene-file tests: one with a non-default value in every field, and a
hypothesis strategy for any valid scene."""

from __future__ import annotations

from hypothesis import strategies as st

from calcgui.core import surfaces
from calcgui.core.descent import CLIPPING_MODES, SCHEDULE_KINDS
from calcgui.core.optimizers import NAMES
from calcgui.state import (
    GRID_SIZES,
    MAX_STEPS,
    PANE_NAMES,
    Camera,
    DerivativeSettings,
    DescentSettings,
    GradientSettings,
    OptimizerSettings,
    RaceSettings,
    Scene,
    TangentSettings,
    ViewRange,
)
from calcgui.state.race import HYPER_PARAMETERS

HIMMELBLAU = "(x^2 + y - 11)^2 + (x + y^2 - 7)^2"


def unusual_scene() -> Scene:
    """Every field away from its default, with floats that only survive an exact round trip."""
    lrs = {"gd": 0.1234, "momentum": 1e-5, "nesterov": 10.0, "adagrad": 1 / 3, "rmsprop": 0.002, "adam": 2e-3,
           "adamw": 0.7}
    hyper = {"momentum": 0.5, "alpha": 0.0, "beta1": 0.999, "beta2": 0.9999}
    optimizers = {name: OptimizerSettings(name != "adagrad", lrs[name], **{h: hyper[h] for h in HYPER_PARAMETERS[name]})
                  for name in NAMES}
    two_d = RaceSettings(HIMMELBLAU, "himmelblau", (-0.3, -0.9), optimizers, "norm", 5.5, "cosine", 20, MAX_STEPS)
    one_d = RaceSettings("x^4 - 3x", "custom", (-2.5,), optimizers, "value", 1e-3, "warmup", 1, 17)
    return Scene(
        pane="descent", function="sin x", surface="x y",
        derivative=DerivativeSettings("e^x", (False, True, False), "limit", False,
                                      ViewRange((-3.5, 2.25), (-1e3, 1e12))),
        tangent=TangentSettings("ln x", 1 / 3, -1e-7, True, ViewRange((0.1, 0.30000000000000004), (-1e-12, 1e-12))),
        gradient=GradientSettings("x^2 + 3y^2", (-0.25, 2.0), -135.5, 400, True, False, Camera(12.5, -90.0, 721.25),
                                  ViewRange((-1e12, -1e11), (5.0, 6.0))),
        descent=DescentSettings("1d", two_d, one_d),
    )


# -- any valid scene ------------------------------------------------------------------------------

FUNCTIONS_X = st.sampled_from(["x", "2x^2 + 3x + 1", "sin x", "x^x", "|x|", "√(x^2 + 1)", "e^(-x²)"])
FUNCTIONS_XY = st.sampled_from(["x y", "2x^2 - y^2", "sin x cos y", HIMMELBLAU, "x² + 10y²"])


def finite(lo: float, hi: float) -> st.SearchStrategy[float]:
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False)


def view_ranges() -> st.SearchStrategy[ViewRange | None]:
    axis = st.tuples(finite(-1e12, 1e12), finite(-1e12, 1e12)).filter(lambda p: p[0] < p[1])
    return st.none() | st.builds(ViewRange, axis, axis)


def optimizer_settings(name: str) -> st.SearchStrategy[OptimizerSettings]:
    lowest = 1e-3 if name == "nesterov" else 0.0  # Nesterov needs some momentum, as in torch.optim
    hyper = {h: finite(lowest, 0.9999 if h == "beta2" else 0.999) for h in HYPER_PARAMETERS[name]}
    return st.builds(OptimizerSettings, st.booleans(), finite(1e-5, 10.0), **hyper)


def races(points: int) -> st.SearchStrategy[RaceSettings]:
    functions = FUNCTIONS_XY if points == 2 else FUNCTIONS_X
    surface = st.sampled_from(["custom", *surfaces.TITLES]) if points == 2 else st.just("custom")
    return st.builds(
        RaceSettings, functions, surface, st.tuples(*[finite(-1e6, 1e6)] * points),
        st.fixed_dictionaries({name: optimizer_settings(name) for name in NAMES}),
        st.sampled_from(CLIPPING_MODES), finite(1e-3, 1e4), st.sampled_from(SCHEDULE_KINDS),
        st.integers(1, 20), st.integers(0, MAX_STEPS))


def scenes() -> st.SearchStrategy[Scene]:
    h = (finite(1e-12, 1.0) | finite(-1.0, -1e-12))
    return st.builds(
        Scene, st.sampled_from(PANE_NAMES), FUNCTIONS_X, FUNCTIONS_XY,
        st.builds(DerivativeSettings, FUNCTIONS_X, st.tuples(*[st.booleans()] * 3), st.sampled_from(["rules", "limit"]),
                  st.booleans(), view_ranges()),
        st.builds(TangentSettings, FUNCTIONS_X, finite(-1e6, 1e6), h, st.booleans(), view_ranges()),
        st.builds(GradientSettings, FUNCTIONS_XY, st.tuples(finite(-1e6, 1e6), finite(-1e6, 1e6)),
                  finite(-180.0, 180.0), st.sampled_from(GRID_SIZES), st.booleans(), st.booleans(),
                  st.none() | st.builds(Camera, finite(1e-9, 1e9), finite(-90.0, 90.0), finite(-1e9, 1e9)),
                  view_ranges()),
        st.builds(DescentSettings, st.sampled_from(["2d", "1d"]), races(2), races(1)),
    )
