"""The example scenes shipped in resources/scenes/ load, and are exactly what
make_scene_examples.py builds (so a format change cannot leave them stale)."""

from __future__ import annotations

import pytest
from make_scene_examples import FOLDER, examples

from calcgui.state import SCENE_SUFFIX, ChainSettings, dumps, load

EXAMPLES = examples()
#: The examples as version 1 wrote them, before the Chain rule pane.
VERSION_1 = FOLDER.parents[2] / "tests" / "state" / "scenes_v1"
#: The examples that existed before the Chain rule pane (and so have a version 1 file).
BEFORE_CHAIN = sorted(stem for stem, example in EXAMPLES.items() if example.pane != "chain")


def test_the_shipped_files_are_the_examples() -> None:
    assert sorted(path.stem for path in FOLDER.glob("*" + SCENE_SUFFIX)) == sorted(EXAMPLES)


@pytest.mark.parametrize("stem", sorted(EXAMPLES))
def test_each_example_loads_and_equals_what_the_script_builds(stem: str) -> None:
    path = FOLDER / (stem + SCENE_SUFFIX)
    assert load(path) == EXAMPLES[stem]
    assert path.read_text(encoding="utf-8") == dumps(EXAMPLES[stem])


def test_the_examples_show_what_their_names_promise() -> None:
    first, chain = EXAMPLES["first-principles"], EXAMPLES["chain-rule"]
    assert (first.pane, first.function, first.derivative.tab) == ("derivative", "2x^2 + 3x + 1", "limit")
    assert (chain.pane, chain.function, chain.derivative.function, chain.derivative.tab) == (
        "derivative", "(2x + 3)^2", "(2x + 3)^2", "rules")
    secant = EXAMPLES["secant-to-tangent"]
    assert (secant.pane, secant.tangent.function, secant.tangent.x0, secant.tangent.h) == ("tangent", "x^2", 3.0, 1e-4)
    gradient = EXAMPLES["gradient"]
    assert (gradient.pane, gradient.surface, gradient.gradient.function, gradient.gradient.point) == (
        "gradient", "3x^2 + 2y", "3x^2 + 2y", (1.0, 2.0))
    one_d = EXAMPLES["descent-1d"]
    assert (one_d.pane, one_d.function, one_d.descent.mode) == ("descent", "x^2", "1d")
    race = one_d.descent.one_d
    assert (race.function, race.start, race.enabled, race.optimizers["gd"].lr, race.step) == (
        "x^2", (10.0,), ("gd",), 0.1, 10)
    rosenbrock = EXAMPLES["rosenbrock-race"]
    race = rosenbrock.descent.two_d
    assert (rosenbrock.pane, rosenbrock.descent.mode, race.surface, race.enabled, race.step) == (
        "descent", "2d", "rosenbrock", ("gd", "momentum", "adam"), 300)
    assert rosenbrock.surface == race.function == rosenbrock.gradient.function


def test_each_example_s_shared_functions_match_its_panes() -> None:
    for scene in EXAMPLES.values():
        assert scene.derivative.function == scene.tangent.function == scene.descent.one_d.function == scene.function
        assert scene.chain.function == scene.function
        assert scene.gradient.function == scene.surface


def test_the_version_1_files_are_the_examples_before_the_chain_pane() -> None:
    assert sorted(path.stem for path in VERSION_1.glob("*" + SCENE_SUFFIX)) == BEFORE_CHAIN


@pytest.mark.parametrize("stem", BEFORE_CHAIN)
def test_each_version_1_example_opens_with_the_chain_pane_s_defaults(stem: str) -> None:
    """Old files keep opening: what they hold is read as before, and the Chain rule pane they
    do not know opens on its defaults with the file's shared f(x)."""
    path = VERSION_1 / (stem + SCENE_SUFFIX)
    assert '"version": 1,' in path.read_text(encoding="utf-8") and '"chain"' not in path.read_text(encoding="utf-8")
    old = load(path)
    assert old.chain == ChainSettings(function=old.function)
    assert old == EXAMPLES[stem]
