"""A Scene to and from the plain dicts and lists of a JSON scene file (format version 2).

The mapping follows the settings dataclasses field by field (their type hints say which
fields are nested settings, tuples or optional), so a value is checked once, by the class
that owns it, and its path in the error is the path in the scene: ``descent.two_d.optimizers.
adam.lr``. Reading is strict: an unknown or missing field, or one that appears twice, is an
error naming it, because a typo in a hand-edited lesson must not be silently ignored.

Version 2 added the Chain rule pane (``panes.chain``). A version 1 file has exactly the four
older panes (still strictly: a ``chain`` in it is an unknown field) and opens with the Chain
rule pane's defaults, its function following the file's shared f(x).
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping
from functools import cache
from typing import Any

from calcgui.core.optimizers import NAMES
from calcgui.state import checks
from calcgui.state.errors import SettingsError
from calcgui.state.chain import CHAIN_VARIABLES, ChainSettings
from calcgui.state.settings import HYPER_PARAMETERS, PANE_NAMES, OptimizerSettings, Scene, validate_functions

__all__ = ["FORMAT", "VERSION", "decode_scene", "encode_scene", "exact_fields"]

FORMAT = "calcgui-scene"
#: The format version this calcgui writes, and the newest it reads.
VERSION = 2
#: The panes each version's files hold, exactly: version 1 predates the Chain rule pane.
_VERSION_PANES: dict[int, tuple[str, ...]] = {1: ("derivative", "tangent", "gradient", "descent"), 2: PANE_NAMES}
#: A larger "version" is not a version at all, and is reported as out of range.
_NEWEST_PLAUSIBLE = 1_000_000
_TOP_FIELDS = ("format", "version", "pane", "function", "surface", "panes")


def encode_scene(scene: Scene) -> dict[str, Any]:
    """``scene`` as JSON-ready dicts and lists, keys in a fixed, readable order."""
    return {"format": FORMAT, "version": VERSION, "pane": scene.pane, "function": scene.function,
            "surface": scene.surface, "panes": {name: _plain(getattr(scene, name)) for name in PANE_NAMES}}


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        items = [(f.name, getattr(value, f.name)) for f in dataclasses.fields(value)]
        if isinstance(value, OptimizerSettings):  # only the hyper-parameters this optimizer has
            items = [(name, item) for name, item in items if item is not None]
        return {name: _plain(item) for name, item in items}
    if isinstance(value, Mapping):
        return {name: _plain(item) for name, item in value.items()}
    if isinstance(value, tuple):
        return [_plain(item) for item in value]
    return value


def decode_scene(data: Any) -> Scene:
    """The Scene that ``data`` (parsed JSON) describes; SettingsError naming the first problem.

    A problem with the file as a whole (not a scene, a newer version) has an empty path.
    """
    if not isinstance(data, dict) or "format" not in data:
        raise SettingsError("", f'not a calcgui scene (no "format": "{FORMAT}")')
    if data["format"] != FORMAT:
        raise SettingsError("", f'not a calcgui scene ("format" is {checks.describe(data["format"])}, '
                                f'not "{FORMAT}")')
    version = data.get("version")
    if "version" not in data:
        raise SettingsError("version", "missing")
    if not isinstance(version, bool) and isinstance(version, int) and VERSION < version <= _NEWEST_PLAUSIBLE:
        raise SettingsError("", f"made by a newer calcgui (version {checks.describe(version)}); "
                                f"this one reads version {VERSION}")
    checks.whole("version", version, 1, VERSION)
    top = exact_fields(data, "", _TOP_FIELDS)
    names = _VERSION_PANES[version]
    panes = exact_fields(top["panes"], "panes", names)
    hints = _layout(Scene)[2]
    settings = {name: _decode(hints[name], panes[name], name) for name in names}
    if "chain" not in names and isinstance(top["function"], str):  # a file from before the pane
        settings["chain"] = ChainSettings(function=top["function"])
    scene = _build(Scene, "", {"pane": top["pane"], "function": top["function"], "surface": top["surface"],
                                 **settings})
    validate_functions(scene)
    return scene


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def exact_fields(data: Any, path: str, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> dict[str, Any]:
    """``data`` as an object with exactly these fields (an absent optional one is None)."""
    if not isinstance(data, dict):
        raise SettingsError(path, f"must be an object, got {checks.describe(data)}")
    duplicates = getattr(data, "duplicates", ())  # see strict_json.JsonObject
    if duplicates:
        raise SettingsError(_join(path, checks.key_label(duplicates[0])), "appears twice")
    known = required + optional
    for key in data:
        if key not in known:
            raise SettingsError(_join(path, checks.key_label(key)),
                                f"unknown field; the fields here are {', '.join(known)}")
    for key in required:
        if key not in data:
            raise SettingsError(_join(path, key), "missing")
    return {key: data.get(key) for key in known}


@cache
def _layout(kind: type) -> tuple[tuple[str, ...], tuple[str, ...], dict[str, Any]]:
    """A settings class's required fields, optional fields (those that may be None) and types."""
    hints = typing.get_type_hints(kind)
    names = [f.name for f in dataclasses.fields(kind)]
    optional = tuple(name for name in names if type(None) in typing.get_args(hints[name]))
    return tuple(name for name in names if name not in optional), optional, hints


def _decode(kind: type, data: Any, path: str, *, optimizer: str | None = None) -> Any:
    required, optional, hints = _layout(kind)
    if optimizer is not None:  # an optimizer's hyper-parameters are optional in the class, exact in the file
        required, optional = ("enabled", "lr", *HYPER_PARAMETERS[optimizer]), ()
    values = exact_fields(data, path, required, optional)
    return _build(kind, path, {name: _value(hints[name], value, _join(path, name)) for name, value in values.items()})


def _value(hint: Any, value: Any, path: str) -> Any:
    """A JSON value as the field of type ``hint`` holds it: nested settings decoded, lists as tuples."""
    options = typing.get_args(hint) if typing.get_origin(hint) in (typing.Union, types.UnionType) else (hint,)
    if value is None and type(None) in options:
        return None
    kind = next(option for option in options if option is not type(None))
    if dataclasses.is_dataclass(kind):
        return _decode(kind, value, path)  # type: ignore[arg-type]
    if typing.get_origin(kind) is Mapping and typing.get_args(kind)[1] is not OptimizerSettings:
        return exact_fields(value, path, CHAIN_VARIABLES)  # the chain pane's values: every variable, exactly
    if typing.get_origin(kind) is Mapping:  # the optimizers, by name
        entries = exact_fields(value, path, NAMES)
        return {name: _decode(OptimizerSettings, entries[name], _join(path, name), optimizer=name) for name in NAMES}
    if typing.get_origin(kind) is tuple and isinstance(value, list):
        return tuple(value)
    return value


def _build(kind: type, path: str, values: dict[str, Any]) -> Any:
    try:
        return kind(**values)
    except SettingsError as error:
        raise error.within(path) from None
