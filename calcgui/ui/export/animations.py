"""The animations a GIF is made of, driven frame by frame instead of by the clock.

On screen, h → 0 and the descent race follow the wall clock (a slow repaint skips ahead). A
GIF must not: frame ``i`` of ``n`` shows exactly the state at ``i / (n - 1)`` of the way,
whatever the machine. Each animation saves what the pane showed, steps it through the
frames, and puts it back.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from calcgui.state import MAX_STEPS
from calcgui.ui.panes.tangent import SLIDER_STEPS

if TYPE_CHECKING:
    from calcgui.ui.panes.descent import DescentPane
    from calcgui.ui.panes.tangent import TangentPane


class Animation:
    """One animation of a pane: ``view`` is what each frame shows."""

    #: what the animation shows, for the dialog ("h → 0", "the descent race")
    title = ""
    view: QWidget

    def describe(self, seconds: float) -> str:
        """One sentence on what a GIF of ``seconds`` will show."""
        raise NotImplementedError

    def begin(self, frames: int, seconds: float) -> None:
        """Remember the pane's state and stop its own animation; ``frames`` ≥ 2 will follow."""
        raise NotImplementedError

    def show(self, index: int) -> None:
        """Put frame ``index`` (0 … frames − 1) on screen."""
        raise NotImplementedError

    def end(self) -> None:
        """Put the pane back as :meth:`begin` found it."""
        raise NotImplementedError


class ShrinkingH(Animation):
    """h from 1 down to 10⁻¹² on the slider's log scale, as "Animate h → 0" moves it."""

    title = "h → 0"

    def __init__(self, pane: TangentPane) -> None:
        self.pane = pane
        self.view = pane.plot
        self._frames = 2
        self._h = pane.h

    def describe(self, seconds: float) -> str:
        return "The secant as h shrinks from 1 to 10⁻¹², on a log scale, as “Animate h → 0” plays it."

    def begin(self, frames: int, seconds: float) -> None:
        self._frames, self._h = max(frames, 2), self.pane.h
        self.pane.stop()

    def slider_value(self, index: int) -> int:
        """The slider's position in frame ``index``: |h| = 10^(−value / 100)."""
        return round(index * SLIDER_STEPS / (self._frames - 1))

    def show(self, index: int) -> None:
        self.pane.set_h(math.copysign(10.0 ** (-self.slider_value(index) / 100), self._h))

    def end(self) -> None:
        self.pane.set_h(self._h)


class Race(Animation):
    """The descent race (or, in 1D, the balls rolling) from step 0. It ends at the step the
    pane shows when that is past 0 (a scene's "race to step 300"); from step 0 it covers as
    many steps as the race would play in the GIF's length at the pane's speed."""

    def __init__(self, pane: DescentPane) -> None:
        self.pane = pane
        one_d = pane.mode_key() == "1d"
        self.title = "the ball rolling down f(x)" if one_d else "the descent race"
        self.view = pane.ball_view.curve_plot if one_d else pane.map
        self._frames, self._total = 2, 0
        self._saved_step, self._playing = pane.step_count, False

    def total_steps(self, seconds: float) -> int:
        """The steps a GIF of ``seconds`` covers."""
        if self.pane.step_count > 0:
            return self.pane.step_count
        return max(1, min(MAX_STEPS, round(seconds * self.pane.controls.steps_per_second())))

    def describe(self, seconds: float) -> str:
        steps = self.total_steps(seconds)
        how = ("up to the step it shows now" if self.pane.step_count > 0
               else f"at its speed of {self.pane.controls.steps_per_second():.0f} steps/s")
        return f"{self.title[0].upper()}{self.title[1:]} from step 0 to step {steps} ({how})."

    def begin(self, frames: int, seconds: float) -> None:
        self._frames = max(frames, 2)
        self._saved_step, self._playing = self.pane.step_count, self.pane.is_playing()
        self._total = self.total_steps(seconds)
        self.pane.reset()  # stops the race, back to step 0: every run rebuilt at once

    def step_at(self, index: int) -> int:
        """The race's step in frame ``index``."""
        return round(index * self._total / (self._frames - 1))

    def show(self, index: int) -> None:
        ahead = self.step_at(index) - self.pane.step_count
        if ahead > 0:
            self.pane.advance(ahead)

    def end(self) -> None:
        pane = self.pane
        if pane.step_count > self._saved_step:
            pane.reset()
        if pane.step_count < self._saved_step:
            pane.advance(self._saved_step - pane.step_count)
        if self._playing:
            pane.play()


def animation_of(pane: QWidget) -> Animation | None:
    """The animation a GIF can be made of in ``pane``, or None where it has none."""
    from calcgui.ui.panes.descent import DescentPane
    from calcgui.ui.panes.tangent import TangentPane

    if isinstance(pane, TangentPane):
        return ShrinkingH(pane)
    if isinstance(pane, DescentPane):
        return Race(pane)
    return None
