"""The panes, named once (scenes, the command line and the window all use these names).

A module of its own, importing nothing, so that the command line can list the panes without
loading the rest of the state layer (numpy among it) before the worker process is started.
"""

from __future__ import annotations

#: The panes in the order of the tabs; a scene opens on one of them.
PANE_NAMES: tuple[str, ...] = ("derivative", "tangent", "gradient", "descent", "chain")
