"""The keys a teacher presses in front of a class, as menu actions so the menus show them.

Space, → / ← and R act on the current pane's animation (:meth:`Pane.play_pause`, :meth:`Pane.step`,
:meth:`Pane.reset_animation`); Ctrl+1 … Ctrl+5 and Ctrl+Tab switch panes. Every action is also
added to the window itself, so its key works while the menu bar is hidden (presentation).

Typing is never stolen: a text box claims Space, the arrows and letters for itself (Qt asks it
first, with a ShortcutOverride event), and so does the tangent plot for its arrows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QMenu

from calcgui.ui.math_view import MathLabel
from calcgui.ui.panes import PANE_CLASSES

if TYPE_CHECKING:
    from calcgui.ui.main_window import MainWindow

#: What the status bar says where the current pane has nothing to play or step.
NO_ANIMATION = ("{title} has nothing to play: Secant → tangent animates h → 0, Gradient descent "
                "runs its race, Chain rule replays its passes.")


def add_transport_menu(window: MainWindow) -> QMenu:
    """The Animation menu: play / pause, step forward and back, reset."""
    menu = window.menuBar().addMenu("&Animation")
    for text, key, act in (("&Play / pause", "Space", lambda pane: pane.play_pause()),
                           ("Step &forward", "Right", lambda pane: pane.step(1)),
                           ("Step &back", "Left", lambda pane: pane.step(-1)),
                           ("&Reset", "R", lambda pane: pane.reset_animation())):
        menu.addAction(window._action(text, lambda act=act, key=key: _transport(window, key, act), key))
    return menu


def _transport(window: MainWindow, key: str, act: object) -> None:
    """In a lesson being presented, → and ← turn the slides; otherwise the pane acts."""
    lessons = getattr(window, "lessons", None)
    if key in ("Right", "Left") and window.is_presenting() and lessons is not None and lessons.is_open():
        (lessons.next_slide if key == "Right" else lessons.previous_slide)()
        return
    pane = window.current_pane()
    if not act(pane):  # type: ignore[operator]
        window.statusBar().showMessage(NO_ANIMATION.format(title=pane.title), 6_000)


def add_pane_actions(window: MainWindow, menu: QMenu) -> None:
    """View → Panes: Ctrl+1 … Ctrl+5 for each pane; Ctrl+Tab and Ctrl+Shift+Tab go round."""
    panes = menu.addMenu("&Panes")
    for number, (name, pane_class) in enumerate(PANE_CLASSES.items(), start=1):
        panes.addAction(window._action(pane_class.title, lambda name=name: window.show_pane(name), f"Ctrl+{number}"))
    panes.addSeparator()
    panes.addAction(window._action("&Next pane", lambda: _next_pane(window, 1), "Ctrl+Tab"))
    panes.addAction(window._action("P&revious pane", lambda: _next_pane(window, -1), "Ctrl+Shift+Tab"))


def _next_pane(window: MainWindow, delta: int) -> None:
    names = list(window.panes)
    window.show_pane(names[(names.index(window.current_pane_name()) + delta) % len(names)])


def latex_on_screen(window: MainWindow) -> list[str]:
    """The LaTeX of every formula the current pane shows, top to bottom as found."""
    formulas: list[str] = []
    for label in window.current_pane().findChildren(MathLabel):
        latex = label.latex()
        if latex and label.isVisible() and latex not in formulas:
            formulas.append(latex)
    return formulas


def copy_latex(window: MainWindow) -> None:
    """Edit → Copy as LaTeX: the pane's formulas, one per line, ready for a handout."""
    formulas = latex_on_screen(window)
    if not formulas:
        window.statusBar().showMessage("No formula on screen to copy.", 6_000)
        return
    QGuiApplication.clipboard().setText("\n".join(formulas))
    count = f"{len(formulas)} formulas" if len(formulas) > 1 else "1 formula"
    window.statusBar().showMessage(f"Copied {count} as LaTeX (right-click a formula to copy only that one).",
                                   6_000)


def add_copy_latex(window: MainWindow, menu: QMenu) -> QAction:
    action = window._action("Copy as &LaTeX", lambda: copy_latex(window), QKeySequence("Ctrl+Shift+C"))
    menu.addAction(action)
    return action
