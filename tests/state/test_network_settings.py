"""NetworkSettings: the defaults the network mode opens with, every field refusing bad values with
a message that names it, and the plain-JSON round trip (the scene codec's generic encoding)."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from typing import Any

import pytest

from calcgui.state.errors import SettingsError
from calcgui.state.network import NetworkSettings


def test_defaults_are_the_xor_network_of_the_lecture() -> None:
    settings = NetworkSettings()
    assert settings.sizes == (2, 3, 1)
    assert (settings.activation, settings.loss, settings.data) == ("sigmoid", "cross_entropy", "xor")
    assert settings.clip is None and settings.weight_decay == 0.0 and settings.seed == 0


def test_sizes_follow_depth_and_width() -> None:
    assert NetworkSettings(hidden_layers=10, units=8).sizes == (2, *[8] * 10, 1)


@pytest.mark.parametrize(("field", "value", "message"), [
    ("hidden_layers", 0, "hidden_layers: must be between 1 and 10, got 0"),
    ("hidden_layers", 11, "hidden_layers: must be between 1 and 10, got 11"),
    ("hidden_layers", 2.0, "hidden_layers: must be a whole number, got 2.0"),
    ("units", 9, "units: must be between 1 and 8, got 9"),
    ("units", True, "units: must be a whole number, got true"),
    ("activation", "softplus", 'activation: must be one of "sigmoid", "tanh", "relu", got "softplus"'),
    ("loss", "hinge", 'loss: must be one of "mse", "cross_entropy", got "hinge"'),
    ("data", "two moons", 'data: must be one of "single", "xor", "moons", "line", got "two moons"'),
    ("lr", 0.0, "lr: must be between 0.0001 and 10, got 0.0"),
    ("lr", 11, "lr: must be between 0.0001 and 10, got 11"),
    ("lr", float("nan"), "lr: must be a finite number, got NaN"),
    ("lr", "0.1", 'lr: must be a number, got "0.1"'),
    ("clip", 0.0, "clip: must be between 0.001 and 10000, got 0.0"),
    ("clip", -1, "clip: must be between 0.001 and 10000, got -1"),
    ("weight_decay", 1.5, "weight_decay: must be between 0 and 1, got 1.5"),
    ("seed", -1, "seed: must be between 0 and 2147483647, got -1"),
    ("train_steps", 0, "train_steps: must be between 1 and 10000, got 0"),
    ("train_steps", 10_001, "train_steps: must be between 1 and 10000, got 10001"),
    ("compare", 1, "compare: must be true or false, got 1"),
])
def test_each_bad_value_is_refused_naming_its_field(field: str, value: Any, message: str) -> None:
    with pytest.raises(SettingsError) as caught:
        NetworkSettings(**{field: value})
    assert caught.value.path == field
    assert str(caught.value) == message


def test_numbers_are_normalised_to_float() -> None:
    settings = NetworkSettings(lr=1, clip=2, weight_decay=0)
    assert type(settings.lr) is float and type(settings.clip) is float and type(settings.weight_decay) is float


def test_plain_round_trip_through_json() -> None:
    settings = NetworkSettings(hidden_layers=4, units=5, activation="relu", loss="mse", data="moons", lr=0.05,
                               clip=1.5, weight_decay=1e-3, seed=7, train_steps=2000, compare=True)
    plain = json.loads(json.dumps(settings.to_plain()))
    assert plain["clip"] == 1.5 and plain["data"] == "moons"
    assert NetworkSettings.from_plain(plain) == settings
    assert NetworkSettings.from_plain(NetworkSettings().to_plain()) == NetworkSettings()


def test_plain_data_with_a_missing_or_unknown_field_is_refused() -> None:
    plain = NetworkSettings().to_plain()
    with pytest.raises(SettingsError, match="^seed: missing$"):
        NetworkSettings.from_plain({k: v for k, v in plain.items() if k != "seed"})
    with pytest.raises(SettingsError, match="^depth: unknown field"):
        NetworkSettings.from_plain({**plain, "depth": 3})
    with pytest.raises(SettingsError, match="must be an object"):
        NetworkSettings.from_plain([1, 2])


def test_fields_are_plain_for_the_scene_codec() -> None:
    for field in dataclasses.fields(NetworkSettings):
        assert field.type in ("int", "float", "str", "bool", "float | None"), field


def test_importing_the_settings_loads_neither_qt_nor_sympy() -> None:
    code = ("import sys, calcgui.state.network; "
            "print(sorted(m for m in ('sympy', 'PySide6', 'pyqtgraph') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
