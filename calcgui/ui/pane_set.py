"""The window's panes, each made the first time something needs it.

Making all five panes took about 1 s of the UI thread before the window could first paint
(the descent pane alone a third of it), and every pane started computing at once, competing
for the worker with the pane the user looks at. So the window makes the pane it opens on and
the others later, one per event-loop turn (see :class:`~calcgui.ui.main_window.MainWindow`),
or at once when anything asks for one: ``panes["descent"]`` always returns a real pane.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

from calcgui.ui.panes import PANE_CLASSES, Pane


class PaneSet(Mapping[str, Pane]):
    """Every pane by name, in the switcher's order; ``make(name)`` builds one on first use.

    Iterating names, ``len`` and ``in`` never build a pane; ``values()`` and ``items()`` do
    (they hand out panes). :meth:`built` lists only the panes made so far.
    """

    def __init__(self, make: Callable[[str], Pane]) -> None:
        self._make = make
        self._built: dict[str, Pane] = {}

    def __getitem__(self, name: str) -> Pane:
        if name not in PANE_CLASSES:
            raise KeyError(name)
        pane = self._built.get(name)
        if pane is None:
            pane = self._make(name)
            self._built[name] = pane
        return pane

    def __contains__(self, name: object) -> bool:
        return name in PANE_CLASSES

    def __iter__(self) -> Iterator[str]:
        return iter(PANE_CLASSES)

    def __len__(self) -> int:
        return len(PANE_CLASSES)

    def is_built(self, name: str) -> bool:
        return name in self._built

    def built(self) -> list[tuple[str, Pane]]:
        """The panes made so far, in the switcher's order."""
        return [(name, self._built[name]) for name in PANE_CLASSES if name in self._built]

    def unbuilt(self) -> list[str]:
        """The names of the panes not made yet, in the switcher's order."""
        return [name for name in PANE_CLASSES if name not in self._built]
