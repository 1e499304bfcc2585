"""The network mode's settings (Chain rule / backprop pane): a small network, its data and how it
is trained, as a frozen dataclass that checks itself.

Like the other settings, every field is checked in ``__post_init__`` and a bad value raises a
:class:`SettingsError` naming the field, because a scene file written by hand reaches here
unchanged. Only plain fields (numbers, text, a flag, ``None``) so that the scene codec encodes
it generically. The weights are not stored: they are rebuilt from ``seed``, which makes a saved
lesson reopen on exactly the network the teacher started from. Importing this loads no sympy.
"""

from __future__ import annotations

from dataclasses import dataclass

from calcgui.state import checks
from calcgui.state.errors import SettingsError

__all__ = ["ACTIVATIONS", "DATA_SETS", "LOSSES", "MAX_HIDDEN_LAYERS", "MAX_SEED", "MAX_TRAIN_STEPS", "MAX_UNITS",
           "NetworkSettings"]

#: Up to 6 hidden layers for teaching; up to 10 for the vanishing-gradient demonstration.
MAX_HIDDEN_LAYERS = 10
#: Beyond 8 units a column of neurons no longer reads on a projector.
MAX_UNITS = 8
MAX_TRAIN_STEPS = 10_000
#: numpy's default_rng takes any int ≥ 0; this bound is what a seed spin box (a C int) holds.
MAX_SEED = 2**31 - 1
ACTIVATIONS: tuple[str, ...] = ("sigmoid", "tanh", "relu")
LOSSES: tuple[str, ...] = ("mse", "cross_entropy")
#: "single": one example (the chain rule with nothing summed); the others are 2-D data sets.
DATA_SETS: tuple[str, ...] = ("single", "xor", "moons", "line")
LR_RANGE = (1e-4, 10.0)
CLIP_RANGE = (1e-3, 1e4)


@dataclass(frozen=True)
class NetworkSettings:
    """A network 2 → ``hidden_layers`` × ``units`` → 1, trained on ``data`` by gradient descent
    with learning rate ``lr``, gradient clipping at global norm ``clip`` (None: no clipping) and
    L2 ``weight_decay``; "Train" runs ``train_steps`` steps. ``compare`` shows sigmoid's and
    ReLU's ‖δ‖ per layer side by side."""

    hidden_layers: int = 1
    units: int = 3
    activation: str = "sigmoid"  #: one of ACTIVATIONS
    loss: str = "cross_entropy"  #: one of LOSSES
    data: str = "xor"  #: one of DATA_SETS
    lr: float = 2.0  #: XOR's loss falls to ≈ 0.02 in 500 steps from seeds 0–3
    clip: float | None = None
    weight_decay: float = 0.0
    seed: int = 0
    train_steps: int = 500
    compare: bool = False

    def __post_init__(self) -> None:
        checks.whole("hidden_layers", self.hidden_layers, 1, MAX_HIDDEN_LAYERS)
        checks.whole("units", self.units, 1, MAX_UNITS)
        checks.member("activation", self.activation, ACTIVATIONS)
        checks.member("loss", self.loss, LOSSES)
        checks.member("data", self.data, DATA_SETS)
        object.__setattr__(self, "lr", checks.number("lr", self.lr, *LR_RANGE))
        if self.clip is not None:
            object.__setattr__(self, "clip", checks.number("clip", self.clip, *CLIP_RANGE))
        object.__setattr__(self, "weight_decay", checks.number("weight_decay", self.weight_decay, 0.0, 1.0))
        checks.whole("seed", self.seed, 0, MAX_SEED)
        checks.whole("train_steps", self.train_steps, 1, MAX_TRAIN_STEPS)
        checks.flag("compare", self.compare)

    @property
    def sizes(self) -> tuple[int, ...]:
        """The layer sizes a :class:`calcgui.core.backprop.Network` takes: 2 inputs, 1 output."""
        return (2, *([self.units] * self.hidden_layers), 1)

    def to_plain(self) -> dict[str, object]:
        """The fields as plain JSON values, in field order (what a scene file holds)."""
        return {name: getattr(self, name) for name in self.__dataclass_fields__}

    @classmethod
    def from_plain(cls, data: object) -> NetworkSettings:
        """Settings from :meth:`to_plain`'s dict; SettingsError for a missing or unknown field."""
        if not isinstance(data, dict):
            raise SettingsError("", f"network settings must be an object, got {checks.describe(data)}")
        fields = tuple(cls.__dataclass_fields__)
        for key in data:
            if key not in fields:
                raise SettingsError(checks.key_label(key), f"unknown field; the fields here are {', '.join(fields)}")
        missing = [name for name in fields if name not in data]
        if missing:
            raise SettingsError(missing[0], "missing")
        return cls(**data)
