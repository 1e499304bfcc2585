"""calcgui's Qt-free state: each pane's settings, the shared functions, undo history, scene and
lesson files.

The UI renders from these objects and replaces them; nothing here imports Qt, and importing
the package loads no sympy (function texts are parsed only when a scene is loaded, saved or
explicitly validated), so the UI can build its settings before its first paint.
"""

from __future__ import annotations

from calcgui.state import lesson_file, scene_file
from calcgui.state.errors import SceneError, SettingsError
from calcgui.state.history import History
from calcgui.state.lesson import Arrival, Lesson, Slide
from calcgui.state.lesson_file import LESSON_SUFFIX, check_file
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
from calcgui.state.network import NetworkSettings

__all__ = [
    "LESSON_SUFFIX", "Arrival", "Lesson", "Slide", "check_file", "lesson_file",
    "DEFAULT_LR", "DEFAULT_ON", "GRID_SIZES", "MAX_STEPS", "PANE_NAMES", "SCENE_SUFFIX", "Camera", "ChainSettings",
    "DerivativeSettings", "DescentSettings", "Event", "GradientSettings", "History", "NetworkSettings",
    "OptimizerSettings",
    "RaceSettings", "Scene", "SceneError", "SettingsError", "SharedFunctions", "TangentSettings", "ViewRange",
    "check", "default_race_1d", "default_race_2d", "dumps", "load", "loads", "save", "scene_file",
    "scene_from_dict", "scene_to_dict", "validate_functions",
]
