"""Every kind of bad scene file is refused with one line that names the file, the field and the
problem, and nothing in it is ever run."""

from __future__ import annotations

import errno
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from calcgui.state import Scene, SceneError, check, dumps, load, loads, scene_file, scene_to_dict

NAME = "lecture.calcgui"


def edited(edit: Callable[[dict[str, Any]], object]) -> str:
    """The default scene's text after ``edit`` changed its parsed JSON."""
    data = scene_to_dict(Scene())
    edit(data)
    return json.dumps(data, indent=2)


def replaced(old: str, new: str) -> str:
    """The default scene's text with one piece of it replaced (for what json.dumps cannot write)."""
    text = dumps(Scene())
    assert old in text
    return text.replace(old, new, 1)


def panes(data: dict[str, Any]) -> dict[str, Any]:
    return data["panes"]  # type: ignore[no-any-return]


def adam(data: dict[str, Any]) -> dict[str, Any]:
    return panes(data)["descent"]["two_d"]["optimizers"]["adam"]  # type: ignore[no-any-return]


@pytest.fixture
def open_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[str | bytes], Scene]:
    """Writes a file named lecture.calcgui in an empty folder and loads it by that name."""
    monkeypatch.chdir(tmp_path)

    def write_and_load(content: str | bytes) -> Scene:
        Path(NAME).write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        return load(NAME)
    return write_and_load


def refused(open_file: Callable[[str | bytes], Scene], content: str | bytes) -> str:
    with pytest.raises(SceneError) as caught:
        open_file(content)
    message = str(caught.value)
    assert message.startswith(NAME + ": ") and "\n" not in message
    assert "Traceback" not in message and caught.value.source == NAME
    return message.removeprefix(NAME + ": ")


CASES: list[tuple[str, str | bytes, str]] = [
    # (what, file content, the message after "lecture.calcgui: ")
    ("not JSON", "title: my lecture", "not valid JSON (line 1, column 1: Expecting value)"),
    ("bad JSON later on", '{"format": "calcgui-scene",\n  "version": 1,\n  "pane" "x"}',
     "not valid JSON (line 3, column 10: Expecting ':' delimiter)"),
    ("empty", "", "the file is empty"),
    ("only blanks", " \n\t\n", "the file is empty"),
    ("a list", "[1, 2]", 'not a calcgui scene (no "format": "calcgui-scene")'),
    ("a number", "3", 'not a calcgui scene (no "format": "calcgui-scene")'),
    ("another program's JSON", '{"name": "lecture", "pages": 3}', 'not a calcgui scene (no "format": "calcgui-scene")'),
    ("another format", '{"format": "calcgui-lesson", "version": 1}',
     'not a calcgui scene ("format" is "calcgui-lesson", not "calcgui-scene")'),
    ("newer version", edited(lambda d: d.update(version=7)),
     "made by a newer calcgui (version 7); this one reads version 2"),
    ("version zero", edited(lambda d: d.update(version=0)), "version: must be between 1 and 2, got 0"),
    ("version as text", edited(lambda d: d.update(version="1")), 'version: must be a whole number, got "1"'),
    ("version as a float", edited(lambda d: d.update(version=1.0)), "version: must be a whole number, got 1.0"),
    ("no version", edited(lambda d: d.pop("version")), "version: missing"),
    ("unknown top field", edited(lambda d: d.update(title="Week 3")),
     "title: unknown field; the fields here are format, version, pane, function, surface, panes"),
    ("unknown pane", edited(lambda d: panes(d).update(network={})),
     "panes.network: unknown field; the fields here are derivative, tangent, gradient, descent, chain"),
    ("the chain pane in a version 1 file", edited(lambda d: d.update(version=1)),
     "panes.chain: unknown field; the fields here are derivative, tangent, gradient, descent"),
    ("no chain pane in a version 2 file", edited(lambda d: panes(d).pop("chain")), "panes.chain: missing"),
    ("unknown chain mode", edited(lambda d: panes(d)["chain"].update(mode="tree")),
     'chain.mode: must be one of "graph", "network", got "tree"'),
    ("unknown variable", edited(lambda d: panes(d)["chain"]["values"].update(t=1.0)),
     "chain.values.t: unknown field; the fields here are x, y, z, w, b"),
    ("missing value", edited(lambda d: panes(d)["chain"]["values"].pop("b")), "chain.values.b: missing"),
    ("value as text", edited(lambda d: panes(d)["chain"]["values"].update(w="0.5")),
     'chain.values.w: must be a number, got "0.5"'),
    ("value too large", edited(lambda d: panes(d)["chain"]["values"].update(x=1e7)),
     "chain.values.x: must be between -1000000 and 1000000, got 10000000.0"),
    ("values not an object", edited(lambda d: panes(d)["chain"].update(values=[1.0])),
     "chain.values: must be an object, got a list of 1"),
    ("duplicate value", replaced('"w": 0.5', '"w": 0.5, "w": 0.7'), "chain.values.w: appears twice"),
    ("replay step", edited(lambda d: panes(d)["chain"].update(step=1001)),
     "chain.step: must be between 0 and 1000, got 1001"),
    ("chain function over other names", edited(lambda d: panes(d)["chain"].update(function="a + x")),
     "chain.function: does not parse: unknown name 'a' at 1: use x, y, z, w and b, numbers, e, pi and functions "
     "such as sin, ln, sqrt"),
    ("unknown nested field", edited(lambda d: adam(d).update(amsgrad=True)),
     "descent.two_d.optimizers.adam.amsgrad: unknown field; the fields here are enabled, lr, beta1, beta2"),
    ("a hyper-parameter the optimizer lacks", edited(lambda d: panes(d)["descent"]["one_d"]["optimizers"]["gd"]
                                                   .update(momentum=0.9)),
     "descent.one_d.optimizers.gd.momentum: unknown field; the fields here are enabled, lr"),
    ("unknown optimizer", edited(lambda d: panes(d)["descent"]["two_d"]["optimizers"].update(lion={})),
     "descent.two_d.optimizers.lion: unknown field; the fields here are gd, momentum, nesterov, adagrad, "
     "rmsprop, adam, adamw"),
    ("missing field", edited(lambda d: panes(d)["gradient"].pop("grid")), "gradient.grid: missing"),
    ("missing pane", edited(lambda d: panes(d).pop("tangent")), "panes.tangent: missing"),
    ("missing panes", edited(lambda d: d.pop("panes")), "panes: missing"),
    ("missing race", edited(lambda d: panes(d)["descent"].pop("one_d")), "descent.one_d: missing"),
    ("missing hyper-parameter", edited(lambda d: adam(d).pop("beta2")), "descent.two_d.optimizers.adam.beta2: missing"),
    ("string for a number", edited(lambda d: panes(d)["tangent"].update(x0="1.5")),
     'tangent.x0: must be a number, got "1.5"'),
    ("bool for a number", edited(lambda d: adam(d).update(lr=True)),
     "descent.two_d.optimizers.adam.lr: must be a number, got true"),
    ("null for a number", edited(lambda d: panes(d)["gradient"].update(angle_degrees=None)),
     "gradient.angle_degrees: must be a number, got null"),
    ("list for an object", edited(lambda d: panes(d)["derivative"].update(view=[[0, 1], [0, 1]])),
     "derivative.view: must be an object, got a list of 2"),
    ("object for a list", edited(lambda d: panes(d)["derivative"].update(shown={"f": True})),
     "derivative.shown: must be 3 true/false values, got an object"),
    ("number for text", edited(lambda d: d.update(function=3)), "function: must be text, got 3"),
    ("fraction for a count", edited(lambda d: panes(d)["descent"]["two_d"].update(speed=2.5)),
     "descent.two_d.speed: must be a whole number, got 2.5"),
    ("number for a flag", edited(lambda d: panes(d)["gradient"].update(field=0)),
     "gradient.field: must be true or false, got 0"),
    ("NaN", replaced('"lr": 0.05', '"lr": NaN'), "descent.two_d.optimizers.adam.lr: must be a finite number, got NaN"),
    ("Infinity", replaced('"x0": 1.0', '"x0": Infinity'), "tangent.x0: must be a finite number, got Infinity"),
    ("-Infinity", replaced('"point": [1.0, 0.5]', '"point": [1.0, -Infinity]'),
     "gradient.point[1]: must be a finite number, got -Infinity"),
    ("a float too large for a float", replaced('"x0": 1.0', '"x0": 1e400'),
     "tangent.x0: must be a finite number, got Infinity"),
    ("negative learning rate", edited(lambda d: adam(d).update(lr=-1)),
     "descent.two_d.optimizers.adam.lr: must be between 1e-5 and 10, got -1"),
    ("grid size", edited(lambda d: panes(d)["gradient"].update(grid=7)),
     "gradient.grid: must be one of 50, 100, 160, 250, 400, got 7"),
    ("step", edited(lambda d: panes(d)["descent"]["one_d"].update(step=5001)),
     "descent.one_d.step: must be between 0 and 5000, got 5001"),
    ("camera", edited(lambda d: panes(d)["gradient"].update(camera={"distance": 5, "elevation": 100, "azimuth": 0})),
     "gradient.camera.elevation: must be between -90 and 90, got 100"),
    ("view upside down", edited(lambda d: panes(d)["tangent"].update(view={"x": [2, 1], "y": [0, 1]})),
     "tangent.view.x: must go from low to high, got [2, 1]"),
    ("2D race started at one number",
     edited(lambda d: panes(d)["descent"]["two_d"].update(start=[1.0], surface="custom")),
     "descent.two_d.start: must be 2 numbers (x, y) in this race, got a list of 1"),
    ("preset on f(x)", edited(lambda d: panes(d)["descent"]["one_d"].update(surface="bowl")),
     'descent.one_d.surface: must be "custom" when the start is 1 number (a race on f(x)), got "bowl"'),
    ("huge int", edited(lambda d: panes(d)["tangent"].update(x0=10**400)),
     "tangent.x0: must be between -1000000 and 1000000, got a number with more than 20 digits"),
    ("huge int count", edited(lambda d: panes(d)["descent"]["two_d"].update(step=-(10**400))),
     "descent.two_d.step: must be between 0 and 5000, got a number with more than 20 digits"),
    ("huge version", edited(lambda d: d.update(version=10**400)),
     "version: must be between 1 and 2, got a number with more than 20 digits"),
    ("endless number", replaced('"x0": 1.0', '"x0": 1' + "0" * 5000),
     "a number in the file is 5,001 characters long (at most 1000)"),
    ("duplicate key", replaced('"tab": "rules",', '"tab": "rules", "tab": "limit",'), "derivative.tab: appears twice"),
    ("duplicate top key", replaced('"pane": "derivative",', '"pane": "derivative", "pane": "tangent",'),
     "pane: appears twice"),
    ("unknown pane name", edited(lambda d: d.update(pane="network")),
     'pane: must be one of "derivative", "tangent", "gradient", "descent", "chain", got "network"'),
    ("function that does not parse", edited(lambda d: panes(d)["gradient"].update(function="x + z")),
     "gradient.function: does not parse: unknown name 'z' at 5: use x and y, numbers, e, pi and functions such as "
     "sin, ln, sqrt"),
    ("shared function over the wrong variables", edited(lambda d: d.update(function="x y")),
     "function: does not parse: unknown name 'y' at 3: use x, numbers, e, pi and functions such as sin, ln, sqrt"),
    ("function too long", edited(lambda d: panes(d)["descent"]["one_d"].update(function="x" * 501)),
     "descent.one_d.function: is 501 characters long; a function has at most 500"),
    ("Python code", edited(lambda d: panes(d)["derivative"].update(function="__import__('os').system('ls')")),
     "derivative.function: does not parse: unexpected character ''' at 12"),
    ("a power tower", edited(lambda d: d.update(function="10^10^10")),
     "function: does not parse: exponent too large at 3: 10000000000 is more than 1000"),
    ("deep nesting", "[" * 100_000, "nested too deeply (more than 16 levels of brackets; a scene needs 6)"),
    ("deep objects", '{"a": ' * 100_000, "nested too deeply (more than 16 levels of brackets; a scene needs 6)"),
    ("17 levels", "[" * 17 + "]" * 17, "nested too deeply (more than 16 levels of brackets; a scene needs 6)"),
    ("16 levels", "[" * 16 + "]" * 16, 'not a calcgui scene (no "format": "calcgui-scene")'),
    ("brackets inside a string", '{"format": "[[[[[[[[[[[[[[[[[[[[\\"[[[[[["}',
     'not a calcgui scene ("format" is "[[[[[[[[[[[[[[[[[[[[\\"[[[[[[", not "calcgui-scene")'),
    ("binary", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe", "not a text file"),
    ("UTF-16", dumps(Scene()).encode("utf-16"), "not a text file"),
    ("NUL bytes", b'{"format": "calcgui-scene"}\x00\x00', "not a text file"),
    ("Latin-1", '{"function": "x²"}'.encode("latin-1"), "not a text file"),
]


@pytest.mark.parametrize(("content", "message"), [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_a_bad_file_is_refused_with_one_clear_line(open_file: Callable[[str | bytes], Scene], content: str | bytes,
                                                   message: str) -> None:
    assert refused(open_file, content) == message


@pytest.mark.parametrize("cut", [1, 100, 1000, -2, -1])
def test_a_truncated_file_is_said_to_be_cut_short(open_file: Callable[[str | bytes], Scene], cut: int) -> None:
    text = dumps(Scene()).rstrip()
    message = refused(open_file, text[:cut])
    assert message.startswith("not valid JSON (line ")
    assert message.endswith("it ends too early; is the file cut short?)")


def test_hostile_function_texts_are_refused_without_running_anything(tmp_path: Path,
                                                                    open_file: Callable[[str | bytes], Scene]) -> None:
    for text in ("__import__('os').system('touch pwned')", "open('pwned', 'w')", "exec(\"open('pwned','w')\")",
                 "lambda: 0", "x.__class__", "10^10^10^10", "9^9^9"):
        assert "does not parse" in refused(open_file, edited(lambda d, t=text: d.update(function=t)))
    assert sorted(p.name for p in tmp_path.iterdir()) == [NAME]


@pytest.mark.parametrize(("size", "shown"), [(2_100_000, "2.1 MB"), (1_000_001, "1,000,001 bytes")])
def test_a_file_over_1_mb_is_refused_before_it_is_read(open_file: Callable[[str | bytes], Scene], size: int,
                                                       shown: str) -> None:
    text = dumps(Scene())
    assert refused(open_file, text + " " * (size - len(text))) == f"too large ({shown}; a scene is at most 1 MB)"


def test_a_huge_file_is_judged_by_its_size_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with open(NAME, "wb") as file:
        file.truncate(50 * 10**9)  # sparse: 50 GB that take no disk, and reading them would take minutes
    with pytest.raises(SceneError, match=r"^lecture\.calcgui: too large \(50000\.0 MB; a scene is at most 1 MB\)$"):
        load(NAME)


def test_an_endless_special_file_is_read_no_further_than_the_limit() -> None:
    with pytest.raises(SceneError, match=r"^/dev/zero: too large \(1,000,001 bytes; a scene is at most 1 MB\)$"):
        load("/dev/zero")


def test_the_text_limit_counts_utf8_bytes() -> None:
    with pytest.raises(SceneError, match=r"^<text>: too large \(1,000,002 bytes"):
        loads("é" * 500_001)


def test_files_that_cannot_be_opened_are_named_with_the_reason(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SceneError, match=r"^lecture\.calcgui: file not found$"):
        load(NAME)
    Path("folder.calcgui").mkdir()
    with pytest.raises(SceneError, match=r"^folder\.calcgui: it is a folder, not a file$"):
        load("folder.calcgui")
    Path(NAME).write_text(dumps(Scene()), encoding="utf-8")

    def forbidden(*_args: object, **_kwargs: object) -> None:  # chmod does not stop root, who runs the tests
        raise PermissionError(errno.EACCES, "Permission denied", NAME)
    monkeypatch.setattr(scene_file, "open", forbidden, raising=False)
    with pytest.raises(SceneError, match=r"^lecture\.calcgui: permission denied$"):
        check(NAME)


@pytest.mark.parametrize(("key", "path"), [("my field", '"my field"'), ("two\nlines", '"two\\nlines"'),
                                         ("", '""'), ("x-" * 25, '"' + "x-" * 20 + '…"')])
def test_an_odd_unknown_key_is_quoted_in_the_path(key: str, path: str) -> None:
    with pytest.raises(SceneError) as caught:
        loads(edited(lambda d: d["panes"]["tangent"].update({key: 1})))
    assert str(caught.value).startswith(f"<text>: tangent.{path}: unknown field; ")


def test_a_message_is_one_line_whatever_the_file_is_called(tmp_path: Path) -> None:
    path = tmp_path / "week\n3\u2028.calcgui"
    path.write_text("", encoding="utf-8")
    with pytest.raises(SceneError) as caught:
        load(path)
    assert str(caught.value) == f"{tmp_path}/week\\n3\\u2028.calcgui: the file is empty"
    assert caught.value.source == str(path)


def test_a_name_no_system_accepts_is_refused_like_a_bad_file() -> None:
    with pytest.raises(SceneError, match=r"^'a\\x00b\.calcgui': the file name is not valid$"):
        load("a\x00b.calcgui")


def test_check_accepts_a_good_file_and_refuses_a_bad_one_like_load(open_file: Callable[[str | bytes], Scene]) -> None:
    open_file(dumps(Scene()))
    assert check(NAME) == Scene()
    message = refused(open_file, edited(lambda d: d.update(version=7)))
    with pytest.raises(SceneError) as caught:
        check(NAME)
    assert str(caught.value) == f"{NAME}: {message}"


def test_loads_names_its_source() -> None:
    with pytest.raises(SceneError, match=r"^<text>: the file is empty$"):
        loads("")
    with pytest.raises(SceneError, match=r"^slide 3: version: missing$"):
        loads('{"format": "calcgui-scene"}', source="slide 3")
