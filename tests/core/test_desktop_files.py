"""Desktop integration files agree with each other and with the app."""

from __future__ import annotations

import configparser
import struct
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RESOURCES = ROOT / "resources"


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", header[16:24])


def test_desktop_entry_launches_calcgui_with_its_icon() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # keys are case-sensitive
    entry.read(RESOURCES / "io.github.calcgui.desktop", encoding="utf-8")
    section = entry["Desktop Entry"]
    assert section["Type"] == "Application" and section["Exec"] == "calcgui"
    assert section["Icon"] == "calcgui" and "Education;" in section["Categories"]


def test_metainfo_names_the_desktop_entry_and_binary() -> None:
    root = ET.parse(RESOURCES / "io.github.calcgui.metainfo.xml").getroot()
    assert root.findtext("id") == "io.github.calcgui"
    assert root.findtext("launchable") == "io.github.calcgui.desktop"
    assert root.find("provides").findtext("binary") == "calcgui"
    import calcgui

    assert root.find("releases")[0].get("version") == calcgui.__version__


def test_icon_sizes_exist_and_are_square() -> None:
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        assert png_size(RESOURCES / "icons" / f"calcgui-{size}.png") == (size, size)
    assert (ROOT / "calcgui" / "resources" / "calcgui.svg").read_text().startswith("<svg")
