"""Undo and redo over whole scenes, without Qt.

Scenes are immutable, so a history is a list of them: undo is moving back one, and nothing
needs an inverse operation. A drag records a scene at every mouse move; giving those records
the same ``merge_key`` makes the drag one undo step, as a user expects.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from calcgui.state.settings import Scene

__all__ = ["History"]


class History:
    """The scenes a session went through, with the current one and a saved mark.

    ``record`` after a change; ``undo``/``redo`` return the scene to show (None when there is
    nothing to undo or redo). At most ``limit`` undo steps are kept (the oldest go first).
    Records with the same non-None ``merge_key`` less than ``merge_seconds`` apart (per
    ``clock``, measured from the previous record) replace each other.
    """

    def __init__(self, initial: Scene, *, limit: int = 200, merge_seconds: float = 1.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise ValueError(f"limit must be a whole number ≥ 1, not {limit!r}")
        if not (isinstance(merge_seconds, (int, float)) and math.isfinite(merge_seconds) and merge_seconds >= 0):
            raise ValueError(f"merge_seconds must be a finite number ≥ 0, not {merge_seconds!r}")
        self._limit = limit
        self._merge_seconds = float(merge_seconds)
        self._clock = clock
        self.reset(initial)

    @property
    def current(self) -> Scene:
        return self._current

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    @property
    def is_modified(self) -> bool:
        """Whether the current scene differs from the one at the last :meth:`mark_saved`."""
        return self._current != self._saved

    def record(self, scene: Scene, merge_key: str | None = None) -> bool:
        """Make ``scene`` current; False (and nothing recorded) if it equals the current one.

        Recording drops whatever could have been redone.
        """
        if scene == self._current:
            return False
        now = self._clock()
        merge = (merge_key is not None and merge_key == self._last_key and bool(self._undo)
                 and now - self._last_time < self._merge_seconds)
        if not merge:
            self._undo.append(self._current)
            del self._undo[:-self._limit]
        elif scene == self._undo[-1]:  # dragged back to where the drag began: no step at all,
            self._undo.pop()  # and the next record starts a new one
            merge_key = None
        self._current = scene
        self._redo.clear()
        self._last_key, self._last_time = merge_key, now
        return True

    def undo(self) -> Scene | None:
        if not self._undo:
            return None
        self._redo.append(self._current)
        self._current = self._undo.pop()
        self._last_key = None  # the next record starts a new step, even with the same key
        return self._current

    def redo(self) -> Scene | None:
        if not self._redo:
            return None
        self._undo.append(self._current)
        self._current = self._redo.pop()
        self._last_key = None
        return self._current

    def reset(self, scene: Scene) -> None:
        """Start over from ``scene`` (a file just opened, or a fresh start): nothing to undo or
        redo, and ``scene`` counts as saved."""
        self._undo: list[Scene] = []
        self._redo: list[Scene] = []
        self._current = self._saved = scene
        self._last_key: str | None = None
        self._last_time = -math.inf

    def mark_saved(self) -> None:
        """The current scene has just been written to a file."""
        self._saved = self._current
