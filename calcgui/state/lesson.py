"""A lesson: an ordered list of slides, each a whole scene with a title and a note for students.

A teacher builds a lesson by adding the view on screen as a slide, then clicks through it in
front of the class; a slide may start its pane's animation when it is reached (h → 0, the
descent race to step N, the backprop replay). Like the pane settings these are frozen
dataclasses that check themselves, so a lesson in memory is always one that can be saved.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from calcgui.state import checks
from calcgui.state.errors import SettingsError
from calcgui.state.race import MAX_STEPS
from calcgui.state.settings import Scene

__all__ = ["MAX_NOTE_LENGTH", "MAX_SLIDES", "MAX_TITLE_LENGTH", "Arrival", "Lesson", "Slide"]

#: A title is read from the back of a hall in one line: longer is not a title.
MAX_TITLE_LENGTH = 120
#: A note is a few sentences for students, not an essay.
MAX_NOTE_LENGTH = 2000
#: A lesson file is at most 1 MB and a scene about 3 kB; 200 slides is a whole term.
MAX_SLIDES = 200


def _title(path: str, value: object) -> str:
    """Non-empty text on one line, at most MAX_TITLE_LENGTH characters."""
    text = checks.text(path, value)
    if not text.strip():
        raise SettingsError(path, "must not be empty")
    if any(char in text for char in "\n\r\t"):
        raise SettingsError(path, "must be one line (no line breaks or tabs)")
    if len(text) > MAX_TITLE_LENGTH:
        raise SettingsError(path, f"is {len(text)} characters long; a title has at most {MAX_TITLE_LENGTH}")
    return text


@dataclass(frozen=True)
class Arrival:
    """What happens when a slide is reached: ``play`` starts the pane's animation (the descent
    pane's race or 1D ball stops at ``until_step`` when it is given)."""

    play: bool = True
    until_step: int | None = None

    def __post_init__(self) -> None:
        checks.flag("play", self.play)
        if self.until_step is not None:
            checks.whole("until_step", self.until_step, 1, MAX_STEPS)


@dataclass(frozen=True)
class Slide:
    """One slide: the scene it shows, its title and note, and what starts on arrival."""

    title: str
    note: str = ""
    scene: Scene = field(default_factory=Scene)
    arrival: Arrival | None = None

    def __post_init__(self) -> None:
        _title("title", self.title)
        note = checks.text("note", self.note)
        if len(note) > MAX_NOTE_LENGTH:
            raise SettingsError("note", f"is {len(note):,} characters long; a note has at most {MAX_NOTE_LENGTH:,}")
        checks.instance("scene", self.scene, Scene)
        checks.instance("arrival", self.arrival, Arrival, optional=True)


@dataclass(frozen=True)
class Lesson:
    """A titled, ordered tuple of slides. It may be empty while it is being built (a file
    holds at least one slide: the state layer's save refuses an empty lesson)."""

    title: str
    slides: tuple[Slide, ...] = ()

    def __post_init__(self) -> None:
        _title("title", self.title)
        if not isinstance(self.slides, tuple):
            raise SettingsError("slides", f"must be a tuple of slides, got {checks.describe(self.slides)}")
        if len(self.slides) > MAX_SLIDES:
            raise SettingsError("slides", f"{len(self.slides)} slides; a lesson has at most {MAX_SLIDES}")
        for number, slide in enumerate(self.slides, 1):
            checks.instance(f"slide {number}", slide, Slide)

    # -- editing: each returns a new lesson -------------------------------------------------
    def inserted(self, index: int, slide: Slide) -> Lesson:
        """``slide`` inserted at ``index`` (0 … len)."""
        return dataclasses.replace(self, slides=(*self.slides[:index], slide, *self.slides[index:]))

    def removed(self, index: int) -> Lesson:
        return dataclasses.replace(self, slides=self.slides[:index] + self.slides[index + 1:])

    def replaced(self, index: int, slide: Slide) -> Lesson:
        return dataclasses.replace(self, slides=(*self.slides[:index], slide, *self.slides[index + 1:]))

    def reordered(self, order: list[int] | tuple[int, ...]) -> Lesson:
        """The slides in ``order`` (a permutation of their indices)."""
        if sorted(order) != list(range(len(self.slides))):
            raise SettingsError("slides", f"a new order must name each slide once, got {list(order)}")
        return dataclasses.replace(self, slides=tuple(self.slides[i] for i in order))
