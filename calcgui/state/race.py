"""The Gradient descent pane's settings: the optimizers' race on f(x, y) and the 1D race on f(x).

Kept apart from :mod:`calcgui.state.settings` (which re-exports every name) because a race has
the most rules: seven optimizers, each with exactly its own hyper-parameters, and a start
point whose length says whether the race is on f(x, y) or on f(x).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from calcgui.core.descent import CLIPPING_MODES, SCHEDULE_KINDS
from calcgui.core.optimizers import NAMES
from calcgui.core.surfaces import TITLES
from calcgui.state import checks
from calcgui.state.errors import SettingsError
from calcgui.state.frozen import FrozenMapping

__all__ = ["DEFAULT_LR", "DEFAULT_ON", "DESCENT_MODES", "HYPER_PARAMETERS", "MAX_STEPS", "POSITION_BOUND",
           "DescentSettings", "OptimizerSettings", "RaceSettings", "default_race_1d", "default_race_2d"]

#: A race stops here: enough for the slowest optimizer to show its pace, and bounded replay work.
MAX_STEPS = 5000
#: A point (x0, P, a start) may lie this far from the origin at most.
POSITION_BOUND = 1e6
DESCENT_MODES: tuple[str, ...] = ("2d", "1d")
#: Learning rates at which each optimizer makes visible progress on Rosenbrock within a few hundred steps.
DEFAULT_LR: dict[str, float] = {"gd": 1e-3, "momentum": 1e-3, "nesterov": 1e-3, "adagrad": 0.5,
                                "rmsprop": 0.01, "adam": 0.05, "adamw": 0.05}
#: The optimizers that race when the pane opens: plain descent against its two famous fixes.
DEFAULT_ON: tuple[str, ...] = ("gd", "momentum", "adam")
#: optimizer -> the hyper-parameters (besides lr) that the pane lets the user set.
HYPER_PARAMETERS: dict[str, tuple[str, ...]] = {
    "gd": (), "momentum": ("momentum",), "nesterov": ("momentum",), "adagrad": (), "rmsprop": ("alpha",),
    "adam": ("beta1", "beta2"), "adamw": ("beta1", "beta2")}
_HYPER_DEFAULTS = {"momentum": 0.9, "alpha": 0.99, "beta1": 0.9, "beta2": 0.999}
#: Rosenbrock as calcgui.core.surfaces.PRESETS has it, copied so that building the default
#: settings needs no sympy (a preset parses its text on first access); a test keeps them equal.
_ROSENBROCK_TEXT = "(1 - x)^2 + 100(y - x^2)^2"
_ROSENBROCK_START = (-1.5, 2.0)


@dataclass(frozen=True)
class OptimizerSettings:
    """One optimizer's entry in a race; a hyper-parameter it does not have is None."""

    enabled: bool
    lr: float
    momentum: float | None = None  #: momentum, nesterov
    alpha: float | None = None  #: rmsprop's smoothing constant
    beta1: float | None = None  #: adam, adamw
    beta2: float | None = None  #: adam, adamw

    def __post_init__(self) -> None:
        checks.flag("enabled", self.enabled)
        object.__setattr__(self, "lr", checks.number("lr", self.lr, 1e-5, 10.0))
        for name in ("momentum", "alpha", "beta1", "beta2"):
            value = getattr(self, name)
            if value is not None:  # the spin boxes' ranges: a decay rate of 1 never forgets
                object.__setattr__(self, name, checks.number(name, value, 0.0, 0.9999 if name == "beta2" else 0.999))

    def hyper(self) -> dict[str, float]:
        """The hyper-parameters that are set, by name (lr not included)."""
        return {name: value for name in _HYPER_DEFAULTS if (value := getattr(self, name)) is not None}


def _optimizers(value: Any) -> FrozenMapping[str, OptimizerSettings]:
    """Exactly the seven optimizers, each with exactly its hyper-parameters, in NAMES order."""
    if not isinstance(value, Mapping):
        raise SettingsError("optimizers",
                            f"must map each optimizer's name to its settings, got {checks.describe(value)}")
    for name in value:
        if name not in NAMES:
            raise SettingsError(f"optimizers.{checks.key_label(name)}",
                                f"unknown optimizer; the optimizers are {', '.join(NAMES)}")
    for name in NAMES:
        path = f"optimizers.{name}"
        if name not in value:
            raise SettingsError(path, "missing")
        settings = checks.instance(path, value[name], OptimizerSettings)
        for hyper in _HYPER_DEFAULTS:
            has = getattr(settings, hyper) is not None
            if has and hyper not in HYPER_PARAMETERS[name]:
                raise SettingsError(f"{path}.{hyper}", f"{name} has no {hyper}")
            if not has and hyper in HYPER_PARAMETERS[name]:
                raise SettingsError(f"{path}.{hyper}", f"missing ({name} needs it)")
        if name == "nesterov" and settings.momentum == 0:  # as torch.optim: no lookahead without momentum
            raise SettingsError(f"{path}.momentum", "must be above 0 for Nesterov momentum, got 0")
    return FrozenMapping((name, value[name]) for name in NAMES)


@dataclass(frozen=True)
class RaceSettings:
    """One race: the function, where the runs start, who runs and how, and how far they got.

    A start of two numbers makes it a race on f(x, y); of one number, on f(x) (``surface`` is
    then "custom"). ``step`` is where the runs stand: reopening a scene replays them to it.
    """

    function: str
    surface: str  #: a key of calcgui.core.surfaces.PRESETS, or "custom" for a typed function
    start: tuple[float, ...]
    optimizers: Mapping[str, OptimizerSettings]
    clipping: str = "none"  #: one of calcgui.core.descent.CLIPPING_MODES
    clip_value: float = 1.0
    schedule: str = "constant"  #: one of calcgui.core.descent.SCHEDULE_KINDS
    speed: int = 2  #: steps per animation frame
    step: int = 0

    def __post_init__(self) -> None:
        checks.text("function", self.function)
        start = checks.numbers("start", self.start, (1, 2), POSITION_BOUND)
        object.__setattr__(self, "start", start)
        if len(start) == 1 and self.surface != "custom":
            raise SettingsError("surface", 'must be "custom" when the start is 1 number (a race on f(x)), '
                                           f"got {checks.describe(self.surface)}")
        checks.member("surface", self.surface, ("custom", *TITLES))
        object.__setattr__(self, "optimizers", _optimizers(self.optimizers))
        checks.member("clipping", self.clipping, CLIPPING_MODES)
        object.__setattr__(self, "clip_value", checks.number("clip_value", self.clip_value, 1e-3, 1e4))
        checks.member("schedule", self.schedule, SCHEDULE_KINDS)
        checks.whole("speed", self.speed, 1, 20)
        checks.whole("step", self.step, 0, MAX_STEPS)

    @property
    def enabled(self) -> tuple[str, ...]:
        """The names of the optimizers that race, in NAMES order."""
        return tuple(name for name, settings in self.optimizers.items() if settings.enabled)


def _default_optimizers(lr: Mapping[str, float], on: Collection[str]) -> dict[str, OptimizerSettings]:
    return {name: OptimizerSettings(name in on, lr[name], **{h: _HYPER_DEFAULTS[h] for h in HYPER_PARAMETERS[name]})
            for name in NAMES}


def default_race_2d() -> RaceSettings:
    """Rosenbrock's valley from (-1.5, 2): GD crawls, momentum and Adam get there."""
    return RaceSettings(_ROSENBROCK_TEXT, "rosenbrock", _ROSENBROCK_START, _default_optimizers(DEFAULT_LR, DEFAULT_ON))


def default_race_1d() -> RaceSettings:
    """x² from x = 10 with GD at lr 0.1: each step multiplies x by 0.8, easy to check by hand."""
    return RaceSettings("x^2", "custom", (10.0,), _default_optimizers({**DEFAULT_LR, "gd": 0.1}, ("gd",)))


@dataclass(frozen=True)
class DescentSettings:
    """The Gradient descent pane: which race is shown (2D or 1D) and both races."""

    mode: str = "2d"  #: one of DESCENT_MODES
    two_d: RaceSettings = field(default_factory=default_race_2d)
    one_d: RaceSettings = field(default_factory=default_race_1d)

    def __post_init__(self) -> None:
        checks.member("mode", self.mode, DESCENT_MODES)
        for name, count, what in (("two_d", 2, "2 numbers (x, y)"), ("one_d", 1, "1 number (x)")):
            race = checks.instance(name, getattr(self, name), RaceSettings)
            if len(race.start) != count:
                raise SettingsError(f"{name}.start", f"must be {what} in this race, got {checks.describe(race.start)}")
