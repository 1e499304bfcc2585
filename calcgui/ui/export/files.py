"""Writing an export: to a temporary file beside the target, renamed at the end, so that a
failed or cancelled export never leaves half a file where the user asked for one."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from PySide6.QtGui import QImage


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


#: Exports get the permissions any new file gets (mkstemp's are private: 0600).
FILE_MODE = 0o666 & ~_umask()


class ExportError(Exception):
    """An export could not be written; the message is for the user."""


def write_with(path: Path, write: Callable[[BinaryIO], None]) -> None:
    """Call ``write`` on a temporary file in ``path``'s folder, then rename it to ``path``."""
    path = Path(path)
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError as error:
        raise ExportError(f"could not write in {path.parent}: {error.strerror or error}") from None
    try:
        os.chmod(temporary, FILE_MODE)
        with os.fdopen(handle, "wb") as stream:
            write(stream)
        os.replace(temporary, path)
    except BaseException as error:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise ExportError(f"could not write {path}: {error.strerror or error}") from None
        raise


def write_bytes(data: bytes, path: Path) -> None:
    write_with(path, lambda stream: stream.write(data))


def write_text(text: str, path: Path) -> None:
    """UTF-8 text, line ends as given (CSV rows end in "\\r\\n" already)."""
    write_bytes(text.encode("utf-8"), path)


def write_image(image: QImage, path: Path) -> None:
    """``image`` in the format named by ``path``'s suffix (PNG for slides)."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if image.isNull() or not image.save(buffer, Path(path).suffix.lstrip(".").upper() or "PNG"):
        raise ExportError(f"could not encode the picture for {path}")
    buffer.close()
    write_bytes(bytes(data.data()), path)
