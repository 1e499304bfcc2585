"""Whatever text a scene file holds, reading it returns a Scene or raises SceneError: never
another exception, never a hang on recursion."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calcgui.state import Scene, SceneError, dumps, load, loads, scene_from_dict, scene_to_dict
from calcgui.state.strict_json import MAX_DEPTH, nesting_depth

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=25,
)
FUZZ = settings(deadline=None, max_examples=300, suppress_health_check=[HealthCheck.too_slow])


def read(text: str) -> Scene | None:
    """loads(text), or None for a SceneError; any other exception fails the test."""
    try:
        return loads(text, "fuzz.calcgui")
    except SceneError as error:
        assert str(error).startswith("fuzz.calcgui: ") and "\n" not in str(error)
        return None


def depth(value: Any) -> int:
    if isinstance(value, list):
        return 1 + max(map(depth, value), default=0)
    if isinstance(value, dict):
        return 1 + max(map(depth, value.values()), default=0)
    return 0


@FUZZ
@given(st.text())
def test_any_text_gives_a_scene_error(text: str) -> None:
    read(text)


@FUZZ
@given(st.text(alphabet='[]{}",:\\ 01aeNIfnrtu-.', max_size=200))
def test_any_json_like_punctuation_gives_a_scene_error(text: str) -> None:
    read(text)


@FUZZ
@given(JSON)
def test_any_json_value_gives_a_scene_error(value: Any) -> None:
    assert read(json.dumps(value)) is None
    assert read(json.dumps({"format": "calcgui-scene", "version": 1, "panes": value})) is None


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in parsed JSON, as the keys and indices that lead to it."""
    found = [prefix] if prefix else []
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        found += paths(item, (*prefix, key))
    return found


SCENE = scene_to_dict(Scene())
PLACES = paths(SCENE)


@FUZZ
@given(st.sampled_from(PLACES), JSON, st.sampled_from(["replace", "delete", "add"]))
def test_a_scene_with_one_place_changed_gives_a_scene_or_a_scene_error(place: tuple[Any, ...], value: Any,
                                                                      change: str) -> None:
    data = json.loads(json.dumps(SCENE))
    parent = data
    for key in place[:-1]:
        parent = parent[key]
    if change == "replace":
        parent[place[-1]] = value
    elif change == "delete":
        del parent[place[-1]]
    elif isinstance(parent, dict):
        parent["extra"] = value
    else:
        parent.append(value)
    scene = read(json.dumps(data))
    if scene is not None:  # accepted only if it is what the JSON says (an absent view or camera is null)
        assert change != "add"
        if change == "delete":
            assert place[-1] in ("view", "camera", "clip")  # the fields that may be null or absent
            parent[place[-1]] = None
        assert scene_to_dict(scene) == data


@FUZZ
@given(st.text(max_size=60))
def test_any_function_text_gives_a_scene_or_a_scene_error(text: str) -> None:
    data = json.loads(json.dumps(SCENE))
    data["panes"]["gradient"]["function"] = text
    scene = read(json.dumps(data))
    assert scene is None or scene.gradient.function == text


@settings(deadline=None, max_examples=100)
@given(st.binary(max_size=300))
def test_any_bytes_in_a_file_give_a_scene_error(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "fuzz.calcgui"
    path.write_bytes(data)
    with pytest.raises(SceneError):
        load(path)


@FUZZ
@given(JSON)
def test_the_nesting_scan_measures_what_json_nests(value: Any) -> None:
    assert nesting_depth(json.dumps(value)) == depth(value)


@pytest.mark.parametrize(("text", "expected"), [
    ('{"a": "[[[[{{{{"}', 1), ('["\\"[[[", 1]', 1), ('["\\\\", [2]]', 2), ("", 0),
    ('"[[[', 3),  # an unterminated string: counting its brackets can only over-estimate, which is safe
    ("]]]][", 0),  # json stops at the first "]"
    ("[" * 100_000, 100_000),
])
def test_the_nesting_scan_skips_brackets_in_strings(text: str, expected: int) -> None:
    assert nesting_depth(text) == expected


def test_the_deepest_scene_needs_far_fewer_levels_than_allowed() -> None:
    assert depth(SCENE) == 6 < MAX_DEPTH


def test_the_scan_is_linear_for_escape_heavy_text() -> None:
    # Backtracking regular expressions are quadratic on this; the scan must not be (1 MB, no timing).
    text = '"\\' * 500_000
    assert read(text) is None


def test_a_valid_scene_from_a_dict_built_by_hand_is_read() -> None:
    assert scene_from_dict(json.loads(dumps(Scene()))) == Scene()
