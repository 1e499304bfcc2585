"""Scene files (``*.calcgui``): a Scene as versioned JSON, read strictly and written atomically.

A lecture may be opened from a USB stick minutes before class, so reading never trusts the
file: it is size-checked before it is read, its nesting is measured before it is parsed, every
field is checked, function texts go through the whitelisting parser only, and whatever is wrong
comes back as one :class:`SceneError` line that names the file, the field and the problem.
Writing goes to a temporary file in the same folder that then replaces the target in one step,
so a full disk or a crash leaves the previous file intact. The format is docs/scene-format.md.
"""

from __future__ import annotations

import errno
import json
import os
import re
import stat
import tempfile
from contextlib import suppress
from pathlib import Path
from typing import Any

from calcgui.state.errors import SceneError, SettingsError
from calcgui.state.scene_codec import FORMAT, VERSION, decode_scene, encode_scene
from calcgui.state.settings import Scene, validate_functions
from calcgui.state.strict_json import parse_json

__all__ = ["FORMAT", "MAX_BYTES", "SCENE_SUFFIX", "VERSION", "check", "dumps", "json_text", "load", "loads", "read_text",
           "save", "scene_from_dict", "scene_to_dict", "write_atomically"]

SCENE_SUFFIX = ".calcgui"
#: A scene is a few kilobytes; anything over this is not one, and is refused before it is read.
MAX_BYTES = 1_000_000
#: An array of numbers or true/false that json.dumps spread over lines ("[" then a newline,
#: which no JSON string contains, and no quote or bracket inside).
_SCALAR_ARRAY = re.compile(r'\[\n([^\[\]{}"]*)\n\s*\]')
#: A new file's permissions (umask cannot be read without changing it, which is not thread-safe).
_NEW_FILE_MODE = 0o644

PathLike = str | os.PathLike[str]


def scene_to_dict(scene: Scene) -> dict[str, Any]:
    """``scene`` as JSON-ready dicts and lists (format version :data:`VERSION`)."""
    return encode_scene(scene)


def scene_from_dict(data: Any) -> Scene:
    """The Scene that parsed JSON ``data`` describes; SceneError with the field's path if it is
    not exactly a valid scene (function texts included)."""
    try:
        return decode_scene(data)
    except SettingsError as error:
        raise SceneError.from_settings(error) from None


def dumps(scene: Scene) -> str:
    """``scene`` as the text of a scene file: indented, keys in a fixed order, a final newline."""
    return json_text(encode_scene(scene))


def json_text(data: Any) -> str:
    """JSON-ready ``data`` as the text calcgui's files hold: indented, lists of numbers on one line."""
    text = json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False)
    return _SCALAR_ARRAY.sub(lambda m: "[" + ", ".join(item.strip() for item in m[1].split(",")) + "]", text) + "\n"


def loads(text: str, source: str = "<text>") -> Scene:
    """The Scene in the scene-file ``text``; for any text that is not one, SceneError naming
    ``source`` (and nothing else: no other exception, nothing evaluated)."""
    try:
        return _loads(text)
    except SceneError as error:
        raise SceneError(error.problem, source=source, path=error.path) from None


def _loads(text: str) -> Scene:
    if not isinstance(text, str):
        raise SceneError(f"not text: {type(text).__name__}")
    size = len(text) if len(text) > MAX_BYTES else len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_BYTES:
        raise _too_large(size)
    text = text.removeprefix("\ufeff")  # a byte order mark, as some Windows editors write
    if not text.strip():
        raise SceneError("the file is empty")
    return scene_from_dict(parse_json(text))


def _too_large(size: int, what: str = "a scene") -> SceneError:
    shown = f"{size / 1e6:.1f} MB" if size >= 1.1 * MAX_BYTES else f"{size:,} bytes"
    return SceneError(f"too large ({shown}; {what} is at most 1 MB)")


def load(path: PathLike) -> Scene:
    """The Scene in the file at ``path``; SceneError naming the file for any problem."""
    return loads(read_text(path), os.fspath(path))


def read_text(path: PathLike, what: str = "a scene") -> str:
    """The text of the file at ``path``, refused unless it is UTF-8 text of at most MAX_BYTES
    (``what`` the file should be, for the message); SceneError naming the file otherwise.
    Lesson files are read by this too."""
    source = os.fspath(path)
    try:
        with open(path, "rb") as file:
            size = os.fstat(file.fileno()).st_size
            if size > MAX_BYTES:
                raise _too_large(size, what)
            data = file.read(MAX_BYTES + 1)  # a special file may say 0 and be endless
    except SceneError as error:
        raise SceneError(error.problem, source=source) from None
    except OSError as error:
        raise SceneError(_reason(error), source=source) from None
    except ValueError:  # a NUL character in the name
        raise SceneError(_BAD_NAME, source=repr(source)) from None
    if len(data) > MAX_BYTES:
        raise SceneError(_too_large(len(data), what).problem, source=source)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise SceneError("not a text file", source=source) from None
    if "\x00" in text:
        raise SceneError("not a text file", source=source)
    return text


def check(path: PathLike) -> Scene:
    """Validate the scene file at ``path`` as opening it would, without a window: the Scene, or
    SceneError with the one line that ``calcgui --check-scene`` prints."""
    return load(path)


def save(scene: Scene, path: PathLike) -> None:
    """Write ``scene`` to ``path`` atomically: the file is either the old one or the new one.

    A scene whose function texts do not parse is refused (such a file could not be opened).
    On any failure the previous file is left as it was, no temporary file remains, and
    SceneError says "could not save <path>: <reason>".
    """
    shown = os.fspath(path)
    try:
        validate_functions(scene)
    except SettingsError as error:
        raise SceneError(f"could not save {shown}: {error}") from None
    write_atomically(dumps(scene).encode("utf-8"), path)


def write_atomically(data: bytes, path: PathLike) -> None:
    """Write ``data`` to ``path`` through a temporary file renamed over it (lesson files too);
    on failure the old file is intact, no temporary file remains, and SceneError says
    "could not save <path>: <reason>"."""
    shown = os.fspath(path)
    if "\x00" in shown:
        raise SceneError(f"could not save {shown!r}: {_BAD_NAME}")
    target = Path(os.path.realpath(path))  # through a link, replace the file it points to
    temporary: str | None = None
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode) if target.exists() else _NEW_FILE_MODE
        with tempfile.NamedTemporaryFile(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp",
                                         delete=False) as file:
            temporary = file.name
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
        temporary = None
        _sync_folder(target.parent)
    except OSError as error:
        raise SceneError(f"could not save {shown}: {_reason(error, saving=True)}") from None
    finally:
        if temporary is not None:
            with suppress(OSError):
                os.unlink(temporary)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable where the system allows it (not on Windows)."""
    if not hasattr(os, "O_DIRECTORY"):
        return
    with suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


_BAD_NAME = "the file name is not valid"
_REASONS = {errno.ENOENT: "file not found", errno.EACCES: "permission denied", errno.EPERM: "permission denied",
            errno.EISDIR: "it is a folder, not a file", errno.ENOSPC: "the disk is full",
            errno.EROFS: "the disk is read-only", errno.ENAMETOOLONG: "the file name is too long"}


def _reason(error: OSError, *, saving: bool = False) -> str:
    """An OSError as a few words a teacher understands."""
    if saving and error.errno == errno.ENOENT:
        return "the folder does not exist"
    reason = _REASONS.get(error.errno) if error.errno is not None else None
    if reason is None:
        words = error.strerror or str(error) or type(error).__name__
        reason = words[:1].lower() + words[1:]
    return reason
