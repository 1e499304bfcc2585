"""Tests run headless: Qt's offscreen platform unless a display was chosen (Xvfb for GL)."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
