"""The application icon, loaded through importlib.resources so that it is found the same
way installed, run in place and inside the standalone bundle."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from PySide6.QtCore import QByteArray
from PySide6.QtGui import QIcon, QImage, QPixmap

ICON = "calcgui.svg"


def icon_svg() -> bytes:
    return resources.files("calcgui").joinpath("resources", ICON).read_bytes()


@lru_cache(maxsize=1)
def app_icon() -> QIcon:
    """The icon, crisp at every size (SVG)."""
    pixmap = QPixmap()
    pixmap.loadFromData(QByteArray(icon_svg()), "SVG")
    return QIcon(pixmap) if not pixmap.isNull() else QIcon()


def icon_pixmap(size: int) -> QPixmap:
    """The icon rendered at ``size`` pixels, for dialogs such as About."""
    image = QImage.fromData(QByteArray(icon_svg()), "SVG")
    return QPixmap.fromImage(image).scaled(size, size) if not image.isNull() else QPixmap()
