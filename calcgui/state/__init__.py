"""calcgui's Qt-free state: each pane's settings, the shared functions, undo history, scene and
lesson files.

The UI renders from these objects and replaces them; nothing here imports Qt, and importing
the package loads no sympy (function texts are parsed only when a scene is loaded, saved or
explicitly validated), so the UI can build its settings before its first paint.

Names are loaded on first use (PEP 562): ``from calcgui.state import PANE_NAMES`` loads one
small module, so that the command line reads its arguments and starts the worker process
before numpy and the rest of this layer are imported.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from calcgui.state import lesson_file, scene_file
    from calcgui.state.errors import SceneError, SettingsError
    from calcgui.state.history import History
    from calcgui.state.lesson import Arrival, Lesson, Slide
    from calcgui.state.lesson_file import LESSON_SUFFIX, check_file
    from calcgui.state.network import NetworkSettings
    from calcgui.state.observable import Event, SharedFunctions
    from calcgui.state.scene_file import (
        SCENE_SUFFIX,
        check,
        dumps,
        load,
        loads,
        save,
        scene_from_dict,
        scene_to_dict,
    )
    from calcgui.state.settings import (
        DEFAULT_LR,
        DEFAULT_ON,
        GRID_SIZES,
        MAX_STEPS,
        PANE_NAMES,
        Camera,
        ChainSettings,
        DerivativeSettings,
        DescentSettings,
        GradientSettings,
        OptimizerSettings,
        RaceSettings,
        Scene,
        TangentSettings,
        ViewRange,
        default_race_1d,
        default_race_2d,
        validate_functions,
    )

__all__ = [
    "LESSON_SUFFIX", "Arrival", "Lesson", "Slide", "check_file", "lesson_file",
    "DEFAULT_LR", "DEFAULT_ON", "GRID_SIZES", "MAX_STEPS", "PANE_NAMES", "SCENE_SUFFIX", "Camera", "ChainSettings",
    "DerivativeSettings", "DescentSettings", "Event", "GradientSettings", "History", "NetworkSettings",
    "OptimizerSettings",
    "RaceSettings", "Scene", "SceneError", "SettingsError", "SharedFunctions", "TangentSettings", "ViewRange",
    "check", "default_race_1d", "default_race_2d", "dumps", "load", "loads", "save", "scene_file",
    "scene_from_dict", "scene_to_dict", "validate_functions",
]

#: Where each name lives (modules of this package that are names too are imported as such).
_HOMES = {
    "lesson_file": "", "scene_file": "",
    "SceneError": "errors", "SettingsError": "errors", "History": "history",
    "Arrival": "lesson", "Lesson": "lesson", "Slide": "lesson",
    "LESSON_SUFFIX": "lesson_file", "check_file": "lesson_file",
    "Event": "observable", "SharedFunctions": "observable",
    "SCENE_SUFFIX": "scene_file", "check": "scene_file", "dumps": "scene_file", "load": "scene_file",
    "loads": "scene_file", "save": "scene_file", "scene_from_dict": "scene_file", "scene_to_dict": "scene_file",
    "PANE_NAMES": "pane_names", "NetworkSettings": "network",
    **{name: "settings" for name in (
        "DEFAULT_LR", "DEFAULT_ON", "GRID_SIZES", "MAX_STEPS", "Camera", "ChainSettings", "DerivativeSettings",
        "DescentSettings", "GradientSettings", "OptimizerSettings", "RaceSettings", "Scene", "TangentSettings",
        "ViewRange", "default_race_1d", "default_race_2d", "validate_functions")},
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = importlib.import_module(f"{__name__}.{home or name}")
    if home:
        value = getattr(value, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
