"""Run-time hook, in place of PyInstaller's pyi_rth_pyside6: tells Qt where its plugins are.

PyInstaller's hook imports PySide6.QtCore in every process the bundle starts, to register a
qt.conf that PySide6's wheels register themselves when QtCore is imported. The bundle starts
itself for the symbolic worker, its warm spare and multiprocessing's resource tracker too, which
never use Qt: in each that import cost Qt's and ICU's libraries and PySide6's start-up for nothing.
Only the plugin path is set here; the window's process imports PySide6 when it needs it.
"""

import os
import sys

os.environ["QT_PLUGIN_PATH"] = os.path.join(sys._MEIPASS, "PySide6", "Qt", "plugins")
