"""The architecture's one-way rule, enforced: core imports neither Qt, pyqtgraph, the UI nor the
state layer; the state layer imports neither Qt, pyqtgraph nor the UI."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

import calcgui

PACKAGE = Path(calcgui.__file__).parent
QT = ("PySide6", "PyQt5", "PyQt6", "shiboken6", "pyqtgraph", "qtpy", "superqt")
#: package -> what it must never import (top-level names, or calcgui sub-packages by prefix).
FORBIDDEN = {
    "core": (*QT, "calcgui.ui", "calcgui.state", "calcgui.app"),
    "state": (*QT, "calcgui.ui", "calcgui.app"),
}


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def forbidden(name: str, banned: tuple[str, ...]) -> bool:
    return any(name == ban or name.startswith(ban + ".") for ban in banned)


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_sources_do_not_import_upward_or_qt(package: str) -> None:
    offenders = {
        f"{path.relative_to(PACKAGE)}: {name}"
        for path in (PACKAGE / package).rglob("*.py")
        for name in imported_modules(path)
        if forbidden(name, FORBIDDEN[package])
    }
    assert (PACKAGE / package / "__init__.py").exists()
    assert not offenders


def test_the_rule_catches_an_upward_import() -> None:
    assert forbidden("calcgui.state.settings", FORBIDDEN["core"])
    assert forbidden("PySide6.QtCore", FORBIDDEN["state"])
    assert not forbidden("calcgui.core.parser", FORBIDDEN["state"])
    assert not forbidden("calcgui.statements", FORBIDDEN["core"])


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_importing_all_of_a_package_loads_nothing_forbidden(package: str) -> None:
    modules = sorted(p.stem for p in (PACKAGE / package).glob("*.py") if p.stem != "__init__")
    assert modules
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module('calcgui.{package}.' + m)\n"
        f"banned = {FORBIDDEN[package]!r}\n"
        "bad = [m for m in sys.modules if any(m == b or m.startswith(b + '.') for b in banned)]\n"
        "print(bad); sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("code", [
    "import sys; import calcgui.app, calcgui.ui.main_window\nsys.exit(1 if 'sympy' in sys.modules else 0)\n",
    # The UI builds its settings before the first paint: the state layer must not pull sympy in,
    # not even when default settings are built.
    "import sys; import calcgui.state; calcgui.state.Scene(); calcgui.state.History(calcgui.state.Scene())\n"
    "sys.exit('sympy' in sys.modules)\n",
])
def test_start_up_modules_do_not_import_sympy_before_first_paint(code: str) -> None:
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, "sympy is imported at start-up: " + result.stderr
