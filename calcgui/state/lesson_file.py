"""Lesson files (``*.calcgui-lesson``): a Lesson as versioned JSON, in the scene files' family.

Each slide holds a whole scene exactly as a scene file holds it (its own ``format`` and
``version``, so a slide can be copied out into a ``.calcgui`` file and back), decoded by the
scene codec. Reading is as strict as for scenes, and an error names the slide by its number
as the slide strip shows it (``slide 3: scene.tangent.h: must be …``). Reading and the
atomic write are the scene files' own (:func:`scene_file.read_text`,
:func:`scene_file.write_atomically`). The format is docs/lesson-format.md.
"""

from __future__ import annotations

import os
from typing import Any

from calcgui.state import checks
from calcgui.state.errors import SceneError, SettingsError
from calcgui.state.lesson import MAX_SLIDES, Arrival, Lesson, Slide
from calcgui.state.scene_codec import decode_scene, encode_scene, exact_fields
from calcgui.state.scene_file import PathLike, json_text, read_text, write_atomically
from calcgui.state.settings import Scene, validate_functions
from calcgui.state.strict_json import parse_json

__all__ = ["FORMAT", "LESSON_SUFFIX", "VERSION", "check", "check_file", "dumps", "is_lesson_path", "lesson_from_dict",
           "lesson_to_dict", "load", "loads", "save"]

FORMAT = "calcgui-lesson"
#: The format version this calcgui writes, and the newest it reads.
VERSION = 1
LESSON_SUFFIX = ".calcgui-lesson"
_NEWEST_PLAUSIBLE = 1_000_000
_WHAT = "a lesson"


def is_lesson_path(path: PathLike) -> bool:
    """Whether ``path`` is named as a lesson (the File menu and drops open it as one)."""
    return os.fspath(path).lower().endswith(LESSON_SUFFIX)


def lesson_to_dict(lesson: Lesson) -> dict[str, Any]:
    """``lesson`` as JSON-ready dicts and lists, keys in a fixed order."""
    return {"format": FORMAT, "version": VERSION, "title": lesson.title,
            "slides": [_slide_to_dict(slide) for slide in lesson.slides]}


def _slide_to_dict(slide: Slide) -> dict[str, Any]:
    arrival = None if slide.arrival is None else {"play": slide.arrival.play, "until_step": slide.arrival.until_step}
    return {"title": slide.title, "note": slide.note, "arrival": arrival, "scene": encode_scene(slide.scene)}


def dumps(lesson: Lesson) -> str:
    """``lesson`` as the text of a lesson file: indented, a final newline."""
    return json_text(lesson_to_dict(lesson))


def lesson_from_dict(data: Any) -> Lesson:
    """The Lesson that parsed JSON ``data`` describes; SceneError naming the slide and field of
    the first problem (function texts of every slide's scene included)."""
    try:
        return _decode(data)
    except SettingsError as error:
        raise SceneError.from_settings(error) from None


def _decode(data: Any) -> Lesson:
    if not isinstance(data, dict) or "format" not in data:
        raise SettingsError("", f'not a calcgui lesson (no "format": "{FORMAT}")')
    if data["format"] != FORMAT:
        raise SettingsError("", f'not a calcgui lesson ("format" is {checks.describe(data["format"])}, '
                                f'not "{FORMAT}")')
    if "version" not in data:
        raise SettingsError("version", "missing")
    version = data["version"]
    if not isinstance(version, bool) and isinstance(version, int) and VERSION < version <= _NEWEST_PLAUSIBLE:
        raise SettingsError("", f"made by a newer calcgui (lesson version {version}); this one reads version {VERSION}")
    checks.whole("version", version, 1, VERSION)
    top = exact_fields(data, "", ("format", "version", "title", "slides"))
    slides = top["slides"]
    if not isinstance(slides, list):
        raise SettingsError("slides", f"must be a list of slides, got {checks.describe(slides)}")
    if not 1 <= len(slides) <= MAX_SLIDES:
        raise SettingsError("slides", f"must hold 1 to {MAX_SLIDES} slides, got {len(slides)}")
    decoded = tuple(_decode_slide(item, number) for number, item in enumerate(slides, 1))
    return Lesson(top["title"], decoded)


def _decode_slide(data: Any, number: int) -> Slide:
    """Slide ``number`` (1-based, as the strip shows it); errors are prefixed "slide N"."""
    where = f"slide {number}"
    try:
        fields = exact_fields(data, "", ("title", "scene"), ("note", "arrival"))
        arrival = fields["arrival"]
        if arrival is not None:
            values = exact_fields(arrival, "arrival", ("play",), ("until_step",))
            try:
                arrival = Arrival(**values)
            except SettingsError as error:
                raise error.within("arrival") from None
        try:
            scene = decode_scene(fields["scene"])
        except SettingsError as error:
            raise (error.within("scene") if error.path else SettingsError("scene", error.problem)) from None
        note = "" if fields["note"] is None else fields["note"]
        return Slide(fields["title"], note, scene, arrival)
    except SettingsError as error:
        raise SettingsError(f"{where}: {error.path}" if error.path else where, error.problem) from None


def loads(text: str, source: str = "<text>") -> Lesson:
    """The Lesson in the lesson-file ``text``; SceneError naming ``source`` for anything else."""
    try:
        if not text.strip():
            raise SceneError("the file is empty")
        return lesson_from_dict(parse_json(text.removeprefix("\ufeff")))
    except SceneError as error:
        raise SceneError(error.problem, source=source, path=error.path) from None


def load(path: PathLike) -> Lesson:
    """The Lesson in the file at ``path``; SceneError naming the file for any problem."""
    return loads(read_text(path, _WHAT), os.fspath(path))


def check(path: PathLike) -> Lesson:
    """Validate the lesson file at ``path`` as opening it would (every slide's scene too)."""
    return load(path)


def check_file(path: PathLike) -> Scene | Lesson:
    """``--check-scene``: the scene or the lesson in ``path``, told apart by its "format" field
    (a file with neither is reported as not a scene)."""
    source = os.fspath(path)
    text = read_text(path, "a scene or a lesson")
    try:
        data = parse_json(text.removeprefix("\ufeff")) if text.strip() else None
    except SceneError as error:
        raise SceneError(error.problem, source=source) from None
    if isinstance(data, dict) and data.get("format") == FORMAT:
        return loads(text, source)
    from calcgui.state import scene_file

    return scene_file.loads(text, source)


def save(lesson: Lesson, path: PathLike) -> None:
    """Write ``lesson`` to ``path`` atomically (see :func:`scene_file.write_atomically`).

    A lesson that could not be opened again is refused: one with no slides, or a slide whose
    function texts do not parse. On failure the previous file is left as it was.
    """
    shown = os.fspath(path)
    if not lesson.slides:
        raise SceneError(f"could not save {shown}: the lesson has no slides yet (add one with Ctrl+M)")
    for number, slide in enumerate(lesson.slides, 1):
        try:
            validate_functions(slide.scene)
        except SettingsError as error:
            raise SceneError(f"could not save {shown}: slide {number}: scene.{error}") from None
    write_atomically(dumps(lesson).encode("utf-8"), path)

