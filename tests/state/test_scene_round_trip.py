"""A scene written with dumps reads back equal, field for field, and the text is the format of
docs/scene-format.md."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from scene_samples import unusual_scene, scenes

from calcgui.state import (
    SCENE_SUFFIX,
    DerivativeSettings,
    DescentSettings,
    GradientSettings,
    Scene,
    SceneError,
    TangentSettings,
    dumps,
    load,
    loads,
    save,
    scene_file,
    scene_from_dict,
    scene_to_dict,
)

DOCS = Path(__file__).resolve().parents[2] / "docs" / "scene-format.md"


def test_the_default_scene_round_trips() -> None:
    assert loads(dumps(Scene())) == Scene()


def test_a_scene_with_every_field_changed_round_trips_exactly() -> None:
    scene = unusual_scene()
    back = loads(dumps(scene))
    assert back == scene
    for pane in ("derivative", "tangent", "gradient", "descent"):
        assert back.pane_settings(pane) == scene.pane_settings(pane)
    assert back.tangent.x0 == 1 / 3 and back.tangent.view is not None and back.tangent.view.x[1] == 0.30000000000000004


@pytest.mark.parametrize("pane", [DerivativeSettings(tab="limit", shown=(True, False, True)),
                                  TangentSettings(x0=-2.5, h=-1e-12, zoom_with_h=True),
                                  GradientSettings(point=(0.0, -3.0), grid=50, field=True),
                                  DescentSettings(mode="1d")])
def test_each_pane_s_settings_round_trip_in_a_scene(pane: object) -> None:
    name = {DerivativeSettings: "derivative", TangentSettings: "tangent", GradientSettings: "gradient",
            DescentSettings: "descent"}[type(pane)]
    scene = Scene(pane=name).with_pane(name, pane)
    assert loads(dumps(scene)).pane_settings(name) == pane


@settings(deadline=None, max_examples=150)
@given(scenes())
def test_any_valid_scene_round_trips_through_text_and_a_file(scene: Scene) -> None:
    assert loads(dumps(scene)) == scene
    assert scene_from_dict(json.loads(json.dumps(scene_to_dict(scene)))) == scene


def test_a_file_round_trips_too(tmp_path: Path) -> None:
    path = tmp_path / ("lecture" + SCENE_SUFFIX)
    save(unusual_scene(), path)
    assert load(path) == unusual_scene()
    assert scene_file.check(path) == unusual_scene()
    assert path.read_text(encoding="utf-8") == dumps(unusual_scene())


def test_the_text_has_the_documented_layout() -> None:
    text = dumps(Scene())
    data = json.loads(text)
    assert text.endswith("}\n") and text.startswith('{\n  "format": "calcgui-scene",\n  "version": 2,\n')
    assert list(data) == ["format", "version", "pane", "function", "surface", "panes"]
    assert list(data["panes"]) == ["derivative", "tangent", "gradient", "descent", "chain"]
    network = {"hidden_layers": 1, "units": 3, "activation": "sigmoid", "loss": "cross_entropy", "data": "xor",
               "lr": 2.0, "clip": None, "weight_decay": 0.0, "seed": 0, "train_steps": 500, "compare": False}
    assert data["panes"]["chain"] == {"mode": "graph", "function": "(2x + 3)^2", "step": 0,
                                      "values": {"x": 1.0, "y": 2.0, "z": 1.0, "w": 0.5, "b": 0.1},
                                      "network": network}
    assert '"clip": null,' in text
    assert '"shown": [true, true, true],' in text and '"start": [-1.5, 2.0],' in text
    assert data["panes"]["descent"]["two_d"]["optimizers"]["gd"] == {"enabled": True, "lr": 0.001}
    assert data["panes"]["descent"]["two_d"]["optimizers"]["adam"] == {"enabled": True, "lr": 0.05, "beta1": 0.9,
                                                                       "beta2": 0.999}
    assert data["panes"]["gradient"]["camera"] is None and data["panes"]["gradient"]["view"] is None
    assert dumps(Scene()) == text  # stable


def test_non_ascii_function_texts_are_written_readably() -> None:
    scene = dataclasses.replace(Scene(), function="√(x² + 1)")
    text = dumps(scene)
    assert '"function": "√(x² + 1)"' in text
    assert loads(text) == scene


def test_optional_views_and_camera_may_be_absent() -> None:
    data = scene_to_dict(Scene())
    for pane in ("derivative", "tangent", "gradient"):
        del data["panes"][pane]["view"]
    del data["panes"]["gradient"]["camera"]
    assert scene_from_dict(data) == Scene()


def test_a_byte_order_mark_is_accepted() -> None:
    assert loads("\ufeff" + dumps(Scene())) == Scene()


def test_scene_from_dict_reports_like_loads_without_a_file_name() -> None:
    data = scene_to_dict(Scene())
    data["panes"]["tangent"]["h"] = 2
    with pytest.raises(SceneError) as caught:
        scene_from_dict(data)
    assert str(caught.value) == "tangent.h: must be between -1 and 1, got 2"
    assert (caught.value.source, caught.value.path) == (None, "tangent.h")


def test_the_documented_example_is_exactly_what_calcgui_writes() -> None:
    text = DOCS.read_text(encoding="utf-8")
    example = text.split("```json\n", 1)[1].split("```", 1)[0]
    assert dumps(loads(example, "docs/scene-format.md")) == example
