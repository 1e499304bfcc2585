"""Lesson files: a round trip keeps every slide, every bad field is refused with one line that
names the slide and the field, saving is atomic, and --check-scene tells lessons from scenes."""

from __future__ import annotations

import copy
import dataclasses
import errno
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from make_scene_examples import examples

from calcgui.state import (
    LESSON_SUFFIX,
    Arrival,
    Lesson,
    Scene,
    SceneError,
    SettingsError,
    Slide,
    TangentSettings,
    check_file,
    lesson_file,
    scene_file,
)

SCENES = examples()
FIXTURE = Path(__file__).parent / "lessons_v1" / "two-slides.calcgui-lesson"
#: What the version 1 fixture holds, built from today's example scenes.
FIXTURE_LESSON = Lesson("Two slides", (
    Slide("The secant at h = 10⁻⁴", "Q is almost P.", SCENES["secant-to-tangent"]),
    Slide("1D descent", "", SCENES["descent-1d"], Arrival(until_step=20)),
))


def lesson_dict() -> dict[str, Any]:
    return lesson_file.lesson_to_dict(FIXTURE_LESSON)


def test_a_round_trip_through_text_and_through_a_file_keeps_everything(tmp_path: Path) -> None:
    lesson = Lesson("Mixed", (
        Slide("Rosenbrock", "A long note.\nOn two lines, with “quotes” and 10⁻⁴.", SCENES["rosenbrock-race"],
              Arrival(play=True, until_step=500)),
        Slide("Backprop", "", SCENES["backprop-graph"], Arrival()),
        Slide("No arrival", "x", Scene(pane="gradient")),
    ))
    assert lesson_file.loads(lesson_file.dumps(lesson)) == lesson
    path = tmp_path / f"mixed{LESSON_SUFFIX}"
    lesson_file.save(lesson, path)
    assert lesson_file.load(path) == lesson
    assert path.read_text(encoding="utf-8") == lesson_file.dumps(lesson)
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary file left


def test_the_version_1_file_opens_as_it_was_written() -> None:
    assert lesson_file.load(FIXTURE) == FIXTURE_LESSON
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    assert (data["format"], data["version"], len(data["slides"])) == ("calcgui-lesson", 1, 2)
    assert data["slides"][1]["arrival"] == {"play": True, "until_step": 20}
    assert data["slides"][0]["scene"]["format"] == "calcgui-scene"  # a whole scene, as a scene file has it


def test_note_and_arrival_may_be_left_out() -> None:
    data = lesson_dict()
    del data["slides"][0]["note"], data["slides"][1]["arrival"]
    lesson = lesson_file.lesson_from_dict(data)
    assert lesson.slides[0].note == "" and lesson.slides[1].arrival is None


def test_a_slide_may_hold_a_version_1_scene() -> None:
    data = lesson_dict()
    data["slides"][0]["scene"] = json.loads((Path(__file__).parent / "scenes_v1" / "gradient.calcgui").read_text())
    assert lesson_file.lesson_from_dict(data).slides[0].scene == SCENES["gradient"]


def edit(change: Callable[[dict[str, Any]], object]) -> dict[str, Any]:
    data = copy.deepcopy(lesson_dict())
    change(data)
    return data


def set_in(data: dict[str, Any], path: tuple[Any, ...], value: Any) -> None:
    for key in path[:-1]:
        data = data[key]
    data[path[-1]] = value


SLIDE_1, SLIDE_2 = ("slides", 0), ("slides", 1)


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: set_in(d, ("version",), 7), "made by a newer calcgui (lesson version 7); this one reads version 1"),
    (lambda d: set_in(d, ("version",), 0), "version: must be 1, got 0"),
    (lambda d: set_in(d, ("version",), "1"), 'version: must be a whole number, got "1"'),
    (lambda d: d.pop("version"), "version: missing"),
    (lambda d: set_in(d, ("format",), "calcgui-scene"), 'not a calcgui lesson ("format" is "calcgui-scene"'),
    (lambda d: d.pop("format"), 'not a calcgui lesson (no "format": "calcgui-lesson")'),
    (lambda d: set_in(d, ("author",), "me"), "author: unknown field; the fields here are format, version, title, "
                                             "slides"),
    (lambda d: d.pop("title"), "title: missing"),
    (lambda d: set_in(d, ("title",), "   "), "title: must not be empty"),
    (lambda d: set_in(d, ("title",), 3), "title: must be text, got 3"),
    (lambda d: set_in(d, ("slides",), {}), "slides: must be a list of slides, got an object"),
    (lambda d: set_in(d, ("slides",), []), "slides: must hold 1 to 200 slides, got 0"),
    (lambda d: set_in(d, ("slides", 1), "slide"), 'slide 2: must be an object, got "slide"'),
    (lambda d: set_in(d, (*SLIDE_1, "titel"), "x"), "slide 1: titel: unknown field; the fields here are title, "
                                                    "scene, note, arrival"),
    (lambda d: d["slides"][1].pop("scene"), "slide 2: scene: missing"),
    (lambda d: set_in(d, (*SLIDE_2, "title"), ""), "slide 2: title: must not be empty"),
    (lambda d: set_in(d, (*SLIDE_2, "title"), "two\nlines"), "slide 2: title: must be one line"),
    (lambda d: set_in(d, (*SLIDE_2, "title"), "t" * 121), "slide 2: title: is 121 characters long; a title has at "
                                                          "most 120"),
    (lambda d: set_in(d, (*SLIDE_1, "note"), ["a"]), "slide 1: note: must be text, got a list of 1"),
    (lambda d: set_in(d, (*SLIDE_1, "note"), "n" * 2001), "slide 1: note: is 2,001 characters long"),
    (lambda d: set_in(d, (*SLIDE_2, "arrival"), {"play": "yes"}), 'slide 2: arrival.play: must be true or false, '
                                                                 'got "yes"'),
    (lambda d: set_in(d, (*SLIDE_2, "arrival"), {"play": True, "until_step": 0}),
     "slide 2: arrival.until_step: must be between 1 and 5000, got 0"),
    (lambda d: set_in(d, (*SLIDE_2, "arrival"), {"play": True, "until_step": 30.0}),
     "slide 2: arrival.until_step: must be a whole number, got 30.0"),
    (lambda d: set_in(d, (*SLIDE_2, "arrival"), {"play": True, "speed": 3}), "slide 2: arrival.speed: unknown field"),
    (lambda d: set_in(d, (*SLIDE_2, "arrival"), True), "slide 2: arrival: must be an object, got true"),
    (lambda d: set_in(d, (*SLIDE_1, "scene"), None), "slide 1: scene: not a calcgui scene"),
    (lambda d: set_in(d, (*SLIDE_1, "scene", "version"), 9), "slide 1: scene: made by a newer calcgui (version 9)"),
    (lambda d: set_in(d, (*SLIDE_1, "scene", "panes", "tangent", "h"), 5),
     "slide 1: scene.tangent.h: must be between -1 and 1, got 5"),
    (lambda d: set_in(d, (*SLIDE_2, "scene", "function"), "2x^^3"), "slide 2: scene.function: does not parse"),
    (lambda d: d["slides"][1]["scene"]["panes"].pop("chain"), "slide 2: scene.panes.chain: missing"),
])
def test_each_bad_field_is_refused_naming_the_slide_and_the_field(change: Callable[[dict[str, Any]], object],
                                                                   message: str) -> None:
    text = json.dumps(edit(change), ensure_ascii=False)
    with pytest.raises(SceneError) as error:
        lesson_file.loads(text, "course.calcgui-lesson")
    assert str(error.value).startswith(f"course.calcgui-lesson: {message}")
    assert "\n" not in str(error.value)


@pytest.mark.parametrize(("text", "message"), [
    ("", "the file is empty"),
    ("{", "not valid JSON"),
    ('{"format": "calcgui-lesson", "format": "calcgui-lesson", "version": 1, "title": "t", "slides": []}',
     "format: appears twice"),
    ("[" * 40 + "]" * 40, "nested too deeply"),
])
def test_text_that_is_not_a_lesson_is_one_clear_line(text: str, message: str) -> None:
    with pytest.raises(SceneError, match=message) as error:
        lesson_file.loads(text, "l.calcgui-lesson")
    assert str(error.value).startswith("l.calcgui-lesson: ")


def test_a_file_that_cannot_be_read_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(SceneError, match="missing.calcgui-lesson: file not found"):
        lesson_file.load(tmp_path / "missing.calcgui-lesson")
    big = tmp_path / "big.calcgui-lesson"
    big.write_bytes(b" " * 1_000_001)
    with pytest.raises(SceneError, match=r"too large \(1,000,001 bytes; a lesson is at most 1 MB\)"):
        lesson_file.load(big)


def test_the_dataclasses_check_themselves() -> None:
    with pytest.raises(SettingsError, match="title: must not be empty"):
        Slide("")
    with pytest.raises(SettingsError, match="scene: must be Scene"):
        Slide("t", scene=TangentSettings())  # type: ignore[arg-type]
    with pytest.raises(SettingsError, match="until_step: must be between 1 and 5000"):
        Arrival(until_step=5001)
    with pytest.raises(SettingsError, match="slides: must be a tuple"):
        Lesson("t", [Slide("a")])  # type: ignore[arg-type]
    with pytest.raises(SettingsError, match="slide 2: must be Slide"):
        Lesson("t", (Slide("a"), "b"))  # type: ignore[arg-type]


def test_editing_returns_new_lessons_in_the_right_order() -> None:
    a, b, c = Slide("a"), Slide("b"), Slide("c")
    lesson = Lesson("t").inserted(0, a).inserted(1, c).inserted(1, b)
    assert [s.title for s in lesson.slides] == ["a", "b", "c"]
    assert [s.title for s in lesson.reordered([2, 0, 1]).slides] == ["c", "a", "b"]
    assert [s.title for s in lesson.removed(1).slides] == ["a", "c"]
    assert lesson.replaced(2, Slide("z")).slides[2].title == "z"
    with pytest.raises(SettingsError, match="name each slide once"):
        lesson.reordered([0, 0, 1])


# -- saving ----------------------------------------------------------------------------------
def test_a_failed_save_leaves_the_old_file_and_no_temporary_file(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "course.calcgui-lesson"
    lesson_file.save(FIXTURE_LESSON, path)
    old = path.read_bytes()

    def full_disk(*_args: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "replace", full_disk)
    changed = dataclasses.replace(FIXTURE_LESSON, title="Changed")
    with pytest.raises(SceneError, match=f"could not save {path}: the disk is full"):
        lesson_file.save(changed, path)
    assert path.read_bytes() == old
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


def test_a_lesson_that_could_not_be_opened_again_is_not_saved(tmp_path: Path) -> None:
    path = tmp_path / "l.calcgui-lesson"
    with pytest.raises(SceneError, match="the lesson has no slides yet"):
        lesson_file.save(Lesson("Empty"), path)
    bad = Slide("bad", scene=Scene(function="2x^^3"))
    with pytest.raises(SceneError, match="slide 2: scene.function: does not parse"):
        lesson_file.save(Lesson("t", (Slide("good"), bad)), path)
    assert not path.exists()


# -- --check-scene reads both ------------------------------------------------------------------
def test_check_file_tells_a_lesson_from_a_scene(tmp_path: Path) -> None:
    assert check_file(FIXTURE) == FIXTURE_LESSON
    scene_path = tmp_path / "s.calcgui"
    scene_file.save(SCENES["gradient"], scene_path)
    assert check_file(scene_path) == SCENES["gradient"]
    bad = tmp_path / "bad.calcgui-lesson"
    bad.write_text(FIXTURE.read_text(encoding="utf-8").replace('"until_step": 20', '"until_step": -1'))
    with pytest.raises(SceneError, match=r"bad.calcgui-lesson: slide 2: arrival.until_step: must be between"):
        check_file(bad)
    neither = tmp_path / "n.json"
    neither.write_text('{"format": "something"}')
    with pytest.raises(SceneError, match='n.json: not a calcgui scene'):
        check_file(neither)
    assert lesson_file.is_lesson_path("A/Course.CALCGUI-LESSON") and not lesson_file.is_lesson_path(scene_path)
