"""The settings dataclasses: the defaults the panes open with, and every field refusing bad values
with a message that names it."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from typing import Any

import pytest

from calcgui.core import optimizers, surfaces
from calcgui.state import (
    DEFAULT_LR,
    DEFAULT_ON,
    GRID_SIZES,
    MAX_STEPS,
    PANE_NAMES,
    Camera,
    ChainSettings,
    DerivativeSettings,
    DescentSettings,
    GradientSettings,
    OptimizerSettings,
    RaceSettings,
    Scene,
    SettingsError,
    TangentSettings,
    ViewRange,
    default_race_1d,
    default_race_2d,
    validate_functions,
)


def optimizer_settings(**changes: OptimizerSettings) -> dict[str, OptimizerSettings]:
    return {**default_race_2d().optimizers, **changes}


def race(**changes: Any) -> RaceSettings:
    return dataclasses.replace(default_race_2d(), **changes)


# -- defaults -------------------------------------------------------------------------------------

def test_a_fresh_scene_opens_on_the_derivative_of_the_shared_quadratic() -> None:
    scene = Scene()
    assert (scene.pane, scene.function, scene.surface) == ("derivative", "2x^2 + 3x + 1", "2x^2 - y^2")
    assert scene.derivative == DerivativeSettings("2x^2 + 3x + 1", (True, True, True), "rules", True, None)
    assert scene.tangent == TangentSettings("2x^2 + 3x + 1", 1.0, 10 ** -0.3, False, None)
    assert scene.gradient == GradientSettings("2x^2 - y^2", (1.0, 0.5), 45.0, 160, False, True, None, None)
    assert scene.descent.mode == "2d"
    assert scene.chain == ChainSettings("graph", "(2x + 3)^2", {"x": 1.0, "y": 2.0, "z": 1.0, "w": 0.5, "b": 0.1}, 0)
    assert PANE_NAMES == ("derivative", "tangent", "gradient", "descent", "chain")
    assert GRID_SIZES == (50, 100, 160, 250, 400) and MAX_STEPS == 5000


def test_the_default_2d_race_is_gd_momentum_and_adam_on_rosenbrock() -> None:
    two_d = default_race_2d()
    rosenbrock = surfaces.PRESETS["rosenbrock"]
    assert (two_d.surface, two_d.function, two_d.start) == ("rosenbrock", rosenbrock.text, rosenbrock.start)
    assert tuple(two_d.optimizers) == optimizers.NAMES
    assert two_d.enabled == DEFAULT_ON == ("gd", "momentum", "adam")
    assert {name: s.lr for name, s in two_d.optimizers.items()} == DEFAULT_LR
    assert two_d.optimizers["momentum"] == OptimizerSettings(True, 1e-3, momentum=0.9)
    assert two_d.optimizers["nesterov"] == OptimizerSettings(False, 1e-3, momentum=0.9)
    assert two_d.optimizers["rmsprop"] == OptimizerSettings(False, 0.01, alpha=0.99)
    assert two_d.optimizers["adamw"] == OptimizerSettings(False, 0.05, beta1=0.9, beta2=0.999)
    assert two_d.optimizers["gd"].hyper() == {} and two_d.optimizers["adagrad"].hyper() == {}
    assert (two_d.clipping, two_d.clip_value, two_d.schedule, two_d.speed, two_d.step) == (
        "none", 1.0, "constant", 2, 0)


def test_the_default_1d_race_is_gd_alone_on_x_squared_from_10() -> None:
    one_d = default_race_1d()
    assert (one_d.function, one_d.surface, one_d.start, one_d.enabled) == ("x^2", "custom", (10.0,), ("gd",))
    assert one_d.optimizers["gd"].lr == 0.1
    assert one_d.optimizers["adam"] == OptimizerSettings(False, 0.05, beta1=0.9, beta2=0.999)


def test_default_settings_are_equal_and_hashable_each_time() -> None:
    assert Scene() == Scene() and hash(Scene()) == hash(Scene())
    assert len({Scene(), Scene(), dataclasses.replace(Scene(), pane="tangent")}) == 2


# -- numbers: type, finiteness, normalisation -----------------------------------------------------

def test_an_int_is_accepted_where_a_float_is_expected_and_stored_as_a_float() -> None:
    tangent = TangentSettings(x0=2, h=-1)
    assert tangent.x0 == 2.0 and type(tangent.x0) is float and tangent.h == -1.0
    assert type(GradientSettings(point=(1, 2)).point[0]) is float


@pytest.mark.parametrize(("build", "path", "problem"), [
    (lambda: TangentSettings(x0=True), "x0", "must be a number, got true"),
    (lambda: TangentSettings(x0="1"), "x0", 'must be a number, got "1"'),
    (lambda: TangentSettings(x0=math.nan), "x0", "must be a finite number, got NaN"),
    (lambda: TangentSettings(x0=-math.inf), "x0", "must be a finite number, got -Infinity"),
    (lambda: TangentSettings(x0=2e6), "x0", "must be between -1000000 and 1000000, got 2000000.0"),
    (lambda: TangentSettings(x0=10**400), "x0", "got a number with more than 20 digits"),
    (lambda: TangentSettings(h=0.0), "h", "must be at least 1e-12 in size (either sign), got 0.0"),
    (lambda: TangentSettings(h=1e-13), "h", "must be at least 1e-12"),
    (lambda: TangentSettings(h=-1.5), "h", "must be between -1 and 1, got -1.5"),
    (lambda: TangentSettings(zoom_with_h=1), "zoom_with_h", "must be true or false, got 1"),
    (lambda: TangentSettings(function=None), "function", "must be text, got null"),
    (lambda: DerivativeSettings(shown=[True, True, True]), "shown", "must be 3 true/false values, got a list of 3"),
    (lambda: DerivativeSettings(shown=(True, False)), "shown", "must be 3 true/false values"),
    (lambda: DerivativeSettings(shown=(True, 0, True)), "shown[1]", "must be true or false, got 0"),
    (lambda: DerivativeSettings(tab="proof"), "tab", 'must be one of "rules", "limit", got "proof"'),
    (lambda: DerivativeSettings(view=((0, 1), (0, 1))), "view", "must be ViewRange or None"),
    (lambda: ViewRange((1.0, 1.0), (0.0, 1.0)), "x", "must go from low to high, got [1, 1]"),
    (lambda: ViewRange((0.0, 1.0), (0.0, 2e12)), "y[1]", "must be between -1000000000000 and 1000000000000"),
    (lambda: ViewRange((0.0, 1.0), (0.0, 1.0, 2.0)), "y", "must be 2 numbers, got a list of 3"),
    (lambda: Camera(0.0, 30.0, 0.0), "distance", "must be > 0, got 0.0"),
    (lambda: Camera(1.0, 91.0, 0.0), "elevation", "must be between -90 and 90, got 91.0"),
    (lambda: Camera(1.0, 0.0, math.inf), "azimuth", "must be a finite number, got Infinity"),
    (lambda: GradientSettings(grid=160.0), "grid", "must be one of 50, 100, 160, 250, 400, got 160.0"),
    (lambda: GradientSettings(grid=200), "grid", "must be one of 50, 100, 160, 250, 400, got 200"),
    (lambda: GradientSettings(angle_degrees=181), "angle_degrees", "must be between -180 and 180, got 181"),
    (lambda: GradientSettings(point=(0.0,)), "point", "must be 2 numbers, got a list of 1"),
    (lambda: GradientSettings(camera="top"), "camera", 'must be Camera or None, got "top"'),
    (lambda: GradientSettings(field=None), "field", "must be true or false, got null"),
])
def test_a_bad_value_is_refused_naming_its_field(build: Callable[[], object], path: str, problem: str) -> None:
    with pytest.raises(SettingsError) as caught:
        build()
    assert caught.value.path == path
    assert problem in caught.value.problem
    assert str(caught.value) == f"{path}: {caught.value.problem}"


def test_settings_are_frozen_and_replace_checks_again() -> None:
    tangent = TangentSettings()
    with pytest.raises(dataclasses.FrozenInstanceError):
        tangent.x0 = 3.0  # type: ignore[misc]
    assert dataclasses.replace(tangent, x0=3).x0 == 3.0
    with pytest.raises(SettingsError, match="x0: must be a number"):
        dataclasses.replace(tangent, x0="3")


# -- optimizers and races -------------------------------------------------------------------------

@pytest.mark.parametrize(("changes", "path", "problem"), [
    ({"lr": 0.0}, "lr", "must be between 1e-5 and 10, got 0.0"),
    ({"lr": 11}, "lr", "must be between 1e-5 and 10, got 11"),
    ({"lr": -1}, "lr", "must be between 1e-5 and 10, got -1"),
    ({"momentum": 1.0}, "momentum", "must be between 0 and 0.999, got 1.0"),
    ({"alpha": -0.1}, "alpha", "must be between 0 and 0.999, got -0.1"),
    ({"beta1": 0.9995}, "beta1", "must be between 0 and 0.999, got 0.9995"),
    ({"beta2": 0.99995}, "beta2", "must be between 0 and 0.9999, got 0.99995"),
    ({"enabled": "yes"}, "enabled", 'must be true or false, got "yes"'),
])
def test_optimizer_settings_check_their_ranges(changes: dict[str, Any], path: str, problem: str) -> None:
    with pytest.raises(SettingsError) as caught:
        OptimizerSettings(**{"enabled": True, "lr": 0.1, **changes})
    assert (caught.value.path, caught.value.problem) == (path, problem)


def test_beta2_may_come_closer_to_one_than_the_other_decay_rates() -> None:
    assert OptimizerSettings(True, 0.1, beta1=0.999, beta2=0.9999).hyper() == {"beta1": 0.999, "beta2": 0.9999}


@pytest.mark.parametrize(("optimizers_", "path", "problem"), [
    ({name: s for name, s in default_race_2d().optimizers.items() if name != "adamw"},
     "optimizers.adamw", "missing"),
    (optimizer_settings(lion=OptimizerSettings(True, 0.1)), "optimizers.lion", "unknown optimizer"),
    (optimizer_settings(gd=OptimizerSettings(True, 0.1, momentum=0.9)), "optimizers.gd.momentum", "gd has no momentum"),
    (optimizer_settings(adam=OptimizerSettings(True, 0.1, beta1=0.9)), "optimizers.adam.beta2",
     "missing (adam needs it)"),
    (optimizer_settings(rmsprop=OptimizerSettings(True, 0.1, momentum=0.9)), "optimizers.rmsprop.momentum",
     "rmsprop has no momentum"),
    (optimizer_settings(gd={"enabled": True, "lr": 0.1}), "optimizers.gd", "must be OptimizerSettings, got an object"),
    ([("gd", OptimizerSettings(True, 0.1))], "optimizers", "must map each optimizer's name to its settings"),
])
def test_a_race_has_exactly_the_seven_optimizers_each_with_its_own_hyper_parameters(
        optimizers_: Any, path: str, problem: str) -> None:
    with pytest.raises(SettingsError) as caught:
        race(optimizers=optimizers_)
    assert caught.value.path == path and problem in caught.value.problem


def test_a_race_keeps_its_optimizers_immutable_in_display_order() -> None:
    source = dict(reversed(list(default_race_2d().optimizers.items())))
    built = race(optimizers=source)
    source["gd"] = OptimizerSettings(False, 0.2)
    assert tuple(built.optimizers) == optimizers.NAMES and built.optimizers["gd"].enabled
    assert built == default_race_2d() and hash(built) == hash(default_race_2d())
    with pytest.raises(TypeError):
        built.optimizers["gd"] = OptimizerSettings(False, 0.2)  # type: ignore[index]


@pytest.mark.parametrize(("changes", "path", "problem"), [
    ({"surface": "everest"}, "surface", 'must be one of "custom", "bowl"'),
    ({"start": (1.0, 2.0, 3.0)}, "start", "must be 1 or 2 numbers, got a list of 3"),
    ({"start": (math.nan, 0.0)}, "start[0]", "must be a finite number, got NaN"),
    ({"start": (1.0,)}, "surface", 'must be "custom" when the start is 1 number'),
    ({"clipping": "clamp"}, "clipping", 'must be one of "none", "norm", "value", got "clamp"'),
    ({"clip_value": 0.0}, "clip_value", "must be between 0.001 and 10000, got 0.0"),
    ({"schedule": "linear"}, "schedule", 'must be one of "constant", "step", "exponential", "cosine", "warmup"'),
    ({"speed": 0}, "speed", "must be between 1 and 20, got 0"),
    ({"speed": 2.0}, "speed", "must be a whole number, got 2.0"),
    ({"step": MAX_STEPS + 1}, "step", "must be between 0 and 5000, got 5001"),
    ({"step": -1}, "step", "must be between 0 and 5000, got -1"),
])
def test_race_settings_check_their_fields(changes: dict[str, Any], path: str, problem: str) -> None:
    with pytest.raises(SettingsError) as caught:
        race(**changes)
    assert caught.value.path == path and problem in caught.value.problem


def test_every_preset_and_a_typed_function_are_valid_surfaces() -> None:
    for name in (*surfaces.TITLES, "custom"):
        assert race(surface=name).surface == name


def test_the_descent_pane_holds_a_2d_race_and_a_1d_race_in_their_slots() -> None:
    with pytest.raises(SettingsError) as caught:
        DescentSettings(two_d=default_race_1d())
    assert caught.value.path == "two_d.start" and "must be 2 numbers (x, y) in this race" in caught.value.problem
    with pytest.raises(SettingsError, match=r"^one_d\.start: must be 1 number \(x\)"):
        DescentSettings(one_d=default_race_2d())
    with pytest.raises(SettingsError, match='^mode: must be one of "2d", "1d", got "3d"'):
        DescentSettings(mode="3d")


# -- the scene ------------------------------------------------------------------------------------

def test_with_pane_replaces_one_pane_and_checks_its_type() -> None:
    tangent = TangentSettings(x0=3.0)
    scene = Scene().with_pane("tangent", tangent)
    assert scene.tangent is tangent and scene.pane_settings("tangent") is tangent
    assert dataclasses.replace(scene, tangent=Scene().tangent) == Scene()
    with pytest.raises(SettingsError, match="^derivative: must be DerivativeSettings, got TangentSettings"):
        Scene().with_pane("derivative", tangent)
    with pytest.raises(SettingsError, match='^pane: must be one of "derivative"'):
        Scene().with_pane("network", tangent)


def test_scene_fields_are_checked() -> None:
    with pytest.raises(SettingsError, match='^pane: must be one of "derivative", "tangent", "gradient", "descent", '
                                            '"chain"'):
        Scene(pane="network")
    with pytest.raises(SettingsError, match="^surface: must be text, got 3"):
        Scene(surface=3)  # type: ignore[arg-type]


def test_an_error_seen_from_its_container_has_the_longer_path() -> None:
    error = SettingsError("adam.lr", "must be > 0, got -1")
    assert str(error.within("descent.two_d.optimizers")) == "descent.two_d.optimizers.adam.lr: must be > 0, got -1"
    assert str(SettingsError("[1]", "bad").within("point")) == "point[1]: bad"
    assert error.within("") is error and isinstance(error, ValueError)


# -- function texts -------------------------------------------------------------------------------

def test_the_default_scene_s_functions_all_parse() -> None:
    validate_functions(Scene())


@pytest.mark.parametrize(("scene", "path", "problem"), [
    (Scene(function="x + y"), "function", "does not parse: unknown name 'y'"),
    (Scene(surface="2x^^3"), "surface", "does not parse: unexpected '^'"),
    (Scene(derivative=DerivativeSettings(function="__import__('os').system('ls')")), "derivative.function",
     "does not parse: unexpected character"),
    (Scene(tangent=TangentSettings(function="10^10^10")), "tangent.function", "does not parse: exponent too large"),
    (Scene(gradient=GradientSettings(function="x z")), "gradient.function", "does not parse: unknown name 'z'"),
    (Scene(descent=DescentSettings(two_d=race(function="sin("))), "descent.two_d.function", "does not parse"),
    (Scene(descent=DescentSettings(one_d=dataclasses.replace(default_race_1d(), function="x y"))),
     "descent.one_d.function", "does not parse: unknown name 'y'"),
    (Scene(function="x+" * 300 + "x"), "function", "is 601 characters long; a function has at most 500"),
    (Scene(function=""), "function", "does not parse"),
])
def test_a_function_that_does_not_parse_is_named_by_its_path(scene: Scene, path: str, problem: str) -> None:
    with pytest.raises(SettingsError) as caught:
        validate_functions(scene)
    assert caught.value.path == path and caught.value.problem.startswith(problem)


def test_a_hostile_function_text_is_never_run(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    marker = tmp_path / "ran"
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SettingsError):
        validate_functions(Scene(function=f"__import__('os').system('touch {marker}')"))
    with pytest.raises(SettingsError):
        validate_functions(Scene(function="open('ran', 'w')"))
    assert not marker.exists() and not (tmp_path / "ran").exists()


def test_nesterov_without_momentum_is_refused_as_torch_does() -> None:
    from dataclasses import replace

    from calcgui.state import OptimizerSettings, default_race_2d

    race = default_race_2d()
    optimizers = dict(race.optimizers)
    optimizers["nesterov"] = OptimizerSettings(True, 0.01, momentum=0.0)
    with pytest.raises(SettingsError, match="optimizers.nesterov.momentum: must be above 0"):
        replace(race, optimizers=optimizers)
    optimizers["momentum"] = OptimizerSettings(True, 0.01, momentum=0.0)  # plain momentum 0 is plain GD
    optimizers["nesterov"] = OptimizerSettings(True, 0.01, momentum=0.5)
    assert replace(race, optimizers=optimizers).optimizers["momentum"].momentum == 0.0


# -- the Chain rule pane ----------------------------------------------------------------------------

def test_chain_settings_keep_values_in_the_variables_order_and_default_the_rest() -> None:
    settings = ChainSettings(values={"b": -2, "x": 0.25})
    assert list(settings.values.items()) == [("x", 0.25), ("y", 2.0), ("z", 1.0), ("w", 0.5), ("b", -2.0)]
    assert isinstance(settings.values["b"], float)
    assert settings.value_of("b") == -2.0 and settings.value_of("w") == 0.5 and settings.value_of("y") == 2.0
    assert hash(settings) == hash(ChainSettings(values={"x": 0.25, "b": -2.0}))  # frozen and hashable
    assert ChainSettings(values={"x": 1.0}) != ChainSettings(values={"x": 1.5})


@pytest.mark.parametrize(("fields", "message"), [
    ({"mode": "tree"}, '^mode: must be one of "graph", "network", got "tree"'),
    ({"function": 3}, "^function: must be text, got 3"),
    ({"values": {"t": 1.0}}, "^values.t: unknown variable; the variables are x, y, z, w, b"),
    ({"values": {"x": float("nan")}}, "^values.x: must be a finite number, got NaN"),
    ({"values": {"x": True}}, "^values.x: must be a number, got true"),
    ({"values": {"x": -1e7}}, "^values.x: must be between -1000000 and 1000000, got -10000000"),
    ({"values": [("x", 1.0)]}, "^values: must map variable names to numbers, got a list of 1"),
    ({"step": -1}, "^step: must be between 0 and 1000, got -1"),
    ({"step": 2.0}, "^step: must be a whole number, got 2.0"),
])
def test_chain_settings_are_checked(fields: dict[str, object], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        ChainSettings(**fields)  # type: ignore[arg-type]


def test_the_chain_function_is_parsed_over_its_own_variables() -> None:
    validate_functions(dataclasses.replace(Scene(), chain=ChainSettings(function="sigmoid(w x + b) + y z")))
    with pytest.raises(SettingsError, match="^chain.function: does not parse"):
        validate_functions(dataclasses.replace(Scene(), chain=ChainSettings(function="sin(t)")))
