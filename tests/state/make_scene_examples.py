"""Writes the example scenes of resources/scenes/ with calcgui's own ``dumps``.

Run after a change to the format or to an example (test_scene_examples.py fails until the
shipped files equal what this builds)::

    PYTHONPATH=. .venv/bin/python tests/state/make_scene_examples.py

The files of the previous format version are kept in tests/state/scenes_v1/, to check that
old files keep opening.

Each example opens one pane on one idea of a lesson. Its function is also the shared f(x)
(or f(x, y)) and every other pane's, as the app leaves them after the teacher typed it once.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from calcgui.core.surfaces import PRESETS
from calcgui.state import (
    SCENE_SUFFIX,
    ChainSettings,
    DerivativeSettings,
    DescentSettings,
    GradientSettings,
    NetworkSettings,
    Scene,
    TangentSettings,
    default_race_1d,
    default_race_2d,
    dumps,
)

FOLDER = Path(__file__).resolve().parents[2] / "calcgui" / "resources" / "scenes"  # resources/scenes links here


def scene(pane: str, function: str = "2x^2 + 3x + 1", surface: str = "2x^2 - y^2") -> Scene:
    """A scene on ``pane`` whose f(x) and f(x, y) are the same in every pane that shows them."""
    descent = DescentSettings(one_d=dataclasses.replace(default_race_1d(), function=function))
    return Scene(pane, function, surface, DerivativeSettings(function), TangentSettings(function),
                 GradientSettings(surface), descent, ChainSettings(function=function))


def examples() -> dict[str, Scene]:
    """File stem -> scene."""
    rosenbrock = PRESETS["rosenbrock"].text
    first_principles = scene("derivative")
    chain_rule = scene("derivative", "(2x + 3)^2")
    secant = scene("tangent", "x^2")
    gradient = scene("gradient", surface="3x^2 + 2y")
    descent_1d = scene("descent", "x^2")
    race = scene("descent", surface=rosenbrock)
    backprop = scene("chain", "(2x + 3)^2")
    vanishing = scene("chain")
    return {
        "first-principles": first_principles.with_pane(
            "derivative", dataclasses.replace(first_principles.derivative, tab="limit")),
        "chain-rule": chain_rule.with_pane("derivative", dataclasses.replace(chain_rule.derivative, tab="rules")),
        "secant-to-tangent": secant.with_pane("tangent", dataclasses.replace(secant.tangent, x0=3.0, h=1e-4)),
        "gradient": gradient.with_pane("gradient", dataclasses.replace(gradient.gradient, point=(1.0, 2.0))),
        "descent-1d": descent_1d.with_pane("descent", dataclasses.replace(
            descent_1d.descent, mode="1d", one_d=dataclasses.replace(descent_1d.descent.one_d, step=10))),
        "rosenbrock-race": race.with_pane("descent", dataclasses.replace(
            race.descent, mode="2d", two_d=dataclasses.replace(default_race_2d(), step=300))),
        # (2x + 3)²'s graph has 6 nodes: step 12 is the backward pass done, with 8x + 12 = 20
        # at x = 1 built from the local derivatives on the edges
        "backprop-graph": backprop.with_pane("chain", dataclasses.replace(backprop.chain, step=12)),
        "vanishing-gradients": vanishing.with_pane("chain", dataclasses.replace(
            vanishing.chain, mode="network", network=NetworkSettings(hidden_layers=10, units=8, data="moons",
                                                                     compare=True))),
    }


def main() -> None:
    FOLDER.mkdir(parents=True, exist_ok=True)
    for stem, example in examples().items():
        path = FOLDER / (stem + SCENE_SUFFIX)
        path.write_text(dumps(example), encoding="utf-8")
        print(path)


if __name__ == "__main__":
    main()
