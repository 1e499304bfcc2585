"""Where the replay of a graph's forward and backward passes stands, and its Play button's clock.

Position p of a graph with n nodes: 0 is before anything is computed, 1 … n are the forward
pass's steps (node by node), n + 1 … 2n the backward pass's. Play advances at
:data:`STEPS_PER_SECOND` by the wall clock, not by counting timer ticks, so a busy machine that
delivers ticks late still plays at the same pace (it catches up, skipping no state).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

#: A lecture's pace: slow enough to read each step's sentence aloud.
STEPS_PER_SECOND = 1.5
#: How often Play looks at the clock.
TICK_MS = 50


class Replay(QObject):
    """The replay position over ``nodes`` nodes; emits :attr:`moved` (position) on each change
    and :attr:`playing_changed` when Play starts or stops. ``clock`` is for tests."""

    moved = Signal(int)
    playing_changed = Signal(bool)

    def __init__(self, clock: Callable[[], float] = time.monotonic, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._clock = clock
        self.nodes = 0
        self.position = 0
        self._started_at = 0.0
        self._started_from = 0
        self._timer = QTimer(self, interval=TICK_MS)
        self._timer.timeout.connect(self.tick)

    # -- the graph --------------------------------------------------------------------------
    @property
    def total(self) -> int:
        return 2 * self.nodes

    @property
    def phase(self) -> str:
        """"forward" up to the end of the forward pass, then "backward"."""
        return "forward" if self.position <= self.nodes else "backward"

    def counter(self) -> str:
        """"forward 3 / 7", "backward 2 / 7": the step in its pass."""
        if self.phase == "forward":
            return f"forward {self.position} / {self.nodes}"
        return f"backward {self.position - self.nodes} / {self.nodes}"

    def set_nodes(self, nodes: int, position: int) -> None:
        """A new graph of ``nodes`` nodes, shown at ``position`` (clamped)."""
        self.nodes = nodes
        self.set_position(position, force=True)

    # -- moving -----------------------------------------------------------------------------
    def set_position(self, position: int, *, force: bool = False) -> None:
        position = max(0, min(self.total, position))
        if position != self.position or force:
            self.position = position
            self.moved.emit(position)
        if self.position >= self.total:
            self.pause()

    def step(self, delta: int = 1) -> None:
        self.pause()
        self.set_position(self.position + delta)

    def reset(self) -> None:
        self.pause()
        self.set_position(0)

    # -- playing ----------------------------------------------------------------------------
    def is_playing(self) -> bool:
        return self._timer.isActive()

    def toggle(self) -> None:
        if self.is_playing():
            self.pause()
        else:
            self.play()

    def play(self) -> None:
        """Step now, then STEPS_PER_SECOND by the clock; from the start if at the end."""
        if self.total == 0:
            return
        if self.position >= self.total:
            self.set_position(0)
        self._started_at, self._started_from = self._clock(), self.position
        self._timer.start()
        self.playing_changed.emit(True)
        self.tick()

    def pause(self) -> None:
        if self._timer.isActive():
            self._timer.stop()
            self.playing_changed.emit(False)

    def tick(self) -> None:
        """Move to where the clock says Play should be by now."""
        if not self._timer.isActive():
            return
        elapsed = max(0.0, self._clock() - self._started_at)
        self.set_position(self._started_from + 1 + math.floor(elapsed * STEPS_PER_SECOND))
