"""Tests run headless (Qt's offscreen platform unless a display was chosen, Xvfb for GL) and
reproducibly: hypothesis draws the same examples on every run unless asked to explore.

Profiles (choose with HYPOTHESIS_PROFILE):

- ``ci`` (the default): derandomized, so a failure on the CI machine is the same failure on a
  laptop; no deadline, because a busy 2-core runner makes any per-example time limit fire at
  random; ``print_blob`` so a failure prints the line that replays it.
- ``explore``: random examples (new ones each run) to hunt for bugs locally, still without a
  deadline. Speed is measured by the scripts in bench/, never by a test.
"""

import os

from hypothesis import settings

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("explore", derandomize=False, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
