"""The state package's names, loaded on first use (PEP 562)."""

from __future__ import annotations

import subprocess
import sys

import calcgui.state as state


def test_every_exported_name_resolves_to_its_module() -> None:
    """Each name in __all__ has a home and loads from it (a name added to __all__ but not to
    the lazy table would fail only when first used)."""
    assert set(state.__all__) == set(state._HOMES)
    from calcgui.state import scene_file, settings

    assert state.PANE_NAMES is settings.PANE_NAMES
    assert state.save is scene_file.save
    for name in state.__all__:
        assert getattr(state, name) is not None
    assert set(state.__all__) <= set(dir(state))


def test_the_command_line_lists_panes_without_numpy() -> None:
    """Reading the arguments loads neither numpy nor the rest of the state layer, so that
    the worker process starts before them."""
    script = ("import sys\n"
              "import calcgui.app\n"
              "print('numpy' in sys.modules, 'calcgui.state.settings' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True)
    assert out.stdout.split() == ["False", "False"]
