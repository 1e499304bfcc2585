"""The Chain rule / backprop pane's settings: which mode is open, and the graph mode's function,
variable values and replay position.

Kept apart from :mod:`calcgui.state.settings` (which re-exports every name) because the pane
has two modes with settings of their own: the network mode's are one field here, a
:class:`~calcgui.state.network.NetworkSettings` checked by its own class, so the scene codec
needs nothing new for them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from calcgui.state import checks
from calcgui.state.errors import SettingsError
from calcgui.state.frozen import FrozenMapping
from calcgui.state.network import NetworkSettings

__all__ = ["CHAIN_MODES", "CHAIN_VARIABLES", "DEFAULT_CHAIN_FUNCTION", "DEFAULT_VALUES", "MAX_REPLAY_STEP",
           "VALUE_BOUND", "ChainSettings", "default_values"]

#: The pane's two modes: the graph of one typed expression, or a small network.
CHAIN_MODES: tuple[str, ...] = ("graph", "network")
#: The names a graph-mode expression may use: x and y as elsewhere, and the w·x + b of a neuron
#: (z for a third input). Fixed, so a scene file is checked without knowing what was typed.
CHAIN_VARIABLES: tuple[str, ...] = ("x", "y", "z", "w", "b")
#: Where each variable starts: small, distinct, and inside every example's domain.
DEFAULT_VALUES: dict[str, float] = {"x": 1.0, "y": 2.0, "z": 1.0, "w": 0.5, "b": 0.1}
DEFAULT_CHAIN_FUNCTION = "(2x + 3)^2"
#: A variable's value may be at most this large: the spin boxes' own bound.
VALUE_BOUND = 1e6
#: The replay walks every node forward, then every node backward: 2 × the graph's node limit
#: (calcgui.core.backprop.MAX_NODES, copied so that this module loads no sympy).
MAX_REPLAY_STEP = 2 * 500


def default_values() -> FrozenMapping[str, float]:
    """Every variable at its starting value."""
    return FrozenMapping(DEFAULT_VALUES)


def _values(value: Any) -> FrozenMapping[str, float]:
    """Every variable of CHAIN_VARIABLES, in that order, with its value: finite and bounded.
    A variable missing from ``value`` gets its default (a scene file must name all five)."""
    if not isinstance(value, Mapping):
        raise SettingsError("values", f"must map variable names to numbers, got {checks.describe(value)}")
    for name in value:
        if name not in CHAIN_VARIABLES:
            raise SettingsError(f"values.{checks.key_label(name)}",
                                f"unknown variable; the variables are {', '.join(CHAIN_VARIABLES)}")
    return FrozenMapping((name, checks.number(f"values.{name}", value[name], -VALUE_BOUND, VALUE_BOUND)
                          if name in value else DEFAULT_VALUES[name]) for name in CHAIN_VARIABLES)


@dataclass(frozen=True)
class ChainSettings:
    """The Chain rule pane: the open mode, the graph mode's state and the network mode's.

    ``values`` holds the value of every variable, used in f or not, so that one that comes
    back into f keeps its value (a variable left out when building starts at
    :data:`DEFAULT_VALUES`); ``step`` is how far the replay has got: 0 is before the
    first forward step, n (the graph's node count) is the forward pass done, 2n the backward
    pass done. It is clamped to the graph when the graph is known.
    """

    mode: str = "graph"  #: one of CHAIN_MODES
    function: str = DEFAULT_CHAIN_FUNCTION  #: f over CHAIN_VARIABLES
    values: Mapping[str, float] = field(default_factory=default_values)
    step: int = 0  #: 0 … 2 × nodes: forward steps, then backward steps
    network: NetworkSettings = field(default_factory=NetworkSettings)  #: the network mode

    def __post_init__(self) -> None:
        checks.member("mode", self.mode, CHAIN_MODES)
        checks.text("function", self.function)
        object.__setattr__(self, "values", _values(self.values))
        checks.whole("step", self.step, 0, MAX_REPLAY_STEP)
        checks.instance("network", self.network, NetworkSettings)

    def value_of(self, name: str) -> float:
        """The value of variable ``name``."""
        return self.values[name]
