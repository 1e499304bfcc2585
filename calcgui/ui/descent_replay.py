"""Replaying descent runs off the UI thread, debounced, with stale results dropped.

A learning rate moved at step 5,000 means replaying that run's 5,000 steps from the start:
about 30 µs a step, 150 ms for one run and a second for seven. Done on the UI thread, a slider
drag froze the window for that long at every tick. Here a change waits until the slider has
rested for :data:`DEBOUNCE_MS`, and the replay runs in a thread. Each request takes a new
generation: a replay for settings the user has since changed stops at its next chunk and its
result is dropped.

Why a thread and not the worker process: the runs are needed here, as :class:`Descent`
objects the animation keeps advancing, and their compiled objective cannot be pickled. The
per-step loop holds the GIL, but it hands it back every few milliseconds (Python's switch
interval), so the UI thread waits a few milliseconds at most; bench_descent_frames.py
measures the UI thread's longest stall while a slider is dragged.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from calcgui.core.descent import Clipping, Descent, Objective, Schedule

#: A change is replayed once the controls have been still this long.
DEBOUNCE_MS = 150
#: The replay checks between chunks of this many steps whether it is still wanted.
CHUNK_STEPS = 250


@dataclass(frozen=True)
class RunSpec:
    """Everything that decides one optimizer's run, so that equal specs mean equal runs."""

    name: str
    start: tuple[float, ...]
    lr: float
    hyper: tuple[tuple[str, Any], ...]
    clipping: Clipping
    schedule: Schedule
    bounds: tuple[tuple[float, float], ...]

    def build(self, objective: Objective) -> Descent:
        """The run at step 0."""
        return Descent(objective, self.start, self.name, self.lr, dict(self.hyper), clipping=self.clipping,
                       schedule=self.schedule, bounds=self.bounds)


def replay(objective: Objective, specs: Sequence[RunSpec], steps: int,
           cancelled: Callable[[], bool] = lambda: False) -> dict[str, Descent] | None:
    """The runs of ``specs`` advanced to ``steps``; None when ``cancelled`` said so midway."""
    runs = {}
    for spec in specs:
        run = runs[spec.name] = spec.build(objective)
        while run.step < steps and run.diverged_at is None:
            if cancelled():
                return None
            run.advance(min(CHUNK_STEPS, steps - run.step))
    return runs


class RunReplayer(QObject):
    """Replays runs in a thread after a quiet moment; ``finished`` carries the runs of the
    latest request only."""

    finished = Signal(object)  #: dict[str, Descent]
    _landed = Signal(int, object)  #: generation, runs or None (emitted from the thread)

    def __init__(self, parent: QObject | None = None, delay_ms: int = DEBOUNCE_MS) -> None:
        super().__init__(parent)
        self._generation = 0
        self._running = 0  #: the generation whose thread is working, 0 when none is
        self._request: tuple[Objective, tuple[RunSpec, ...], int] | None = None
        self._quiet = QTimer(self, singleShot=True, interval=delay_ms)
        self._quiet.timeout.connect(self._start)
        self._landed.connect(self._on_landed)

    def request(self, objective: Objective, specs: Sequence[RunSpec], steps: int) -> None:
        """Replay ``specs`` to ``steps`` once no newer request has come for a moment."""
        self.cancel()
        self._request = (objective, tuple(specs), steps)
        self._quiet.start()

    def cancel(self) -> None:
        """Forget the request waiting or running: its result will be dropped."""
        self._generation += 1
        self._request = None
        self._quiet.stop()

    def busy(self) -> bool:
        """Whether a requested replay has not landed yet."""
        return self._request is not None or self._running == self._generation

    def _start(self) -> None:
        if self._request is None:
            return
        objective, specs, steps = self._request
        self._request = None
        generation = self._running = self._generation
        thread = threading.Thread(target=self._work, args=(generation, objective, specs, steps),
                                  name="descent-replay", daemon=True)
        thread.start()

    def _work(self, generation: int, objective: Objective, specs: tuple[RunSpec, ...], steps: int) -> None:
        runs = replay(objective, specs, steps, cancelled=lambda: generation != self._generation)
        try:
            self._landed.emit(generation, runs)
        except RuntimeError:  # the pane was closed meanwhile: nobody is waiting
            pass

    def _on_landed(self, generation: int, runs: dict[str, Descent] | None) -> None:
        if generation != self._generation or runs is None:
            return  # superseded: a newer request is waiting or running
        self._running = 0
        self.finished.emit(runs)
