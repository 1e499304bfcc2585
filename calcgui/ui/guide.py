"""Help → Keyboard shortcuts and Help → Quick guide: what a student needs to get going alone.

The shortcut list is read from the menus themselves, so it can never disagree with them; the
keys that only work inside one view (the tangent plot's arrows, a formula's right-click) are
added by hand below.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMenu, QTextBrowser, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from calcgui.ui.main_window import MainWindow

#: Keys that belong to one view rather than to a menu.
VIEW_KEYS = (
    ("Secant → tangent plot", "← / →", "move P along the curve (click the plot first)"),
    ("Secant → tangent plot", "Shift+← / Shift+→", "h a tenth of a decade smaller / larger"),
    ("Any formula", "right-click", "Copy LaTeX or Copy as text of that formula"),
    ("Any plot", "drag / scroll", "pan / zoom; double-click the function box's examples to try one"),
)

#: A few sentences per pane, for a student on their own.
PANE_GUIDE = {
    "Derivative": (
        "Type f(x) as you would write it: <i>2x^2 + 3x + 1</i>, <i>sin^2 x</i>, <i>e^(-x^2)</i>. "
        "f, f′ and f″ are typeset and drawn together; the tabs on the right derive f′ rule by rule "
        "and from first principles, the limit of the difference quotient."),
    "Secant → tangent": (
        "Drag P along the curve and Q towards it, or move the h slider: the secant's slope "
        "approaches the tangent's. <b>Space</b> animates h → 0, <b>→ / ←</b> shrink or grow h a decade. "
        "The table and the error plot show forward, backward and central quotients, and where "
        "round-off takes over as h gets tiny."),
    "Gradient": (
        "Type f(x, y) or pick a surface. Click the contour map to choose a point: the slices show "
        "∂f/∂x and ∂f/∂y with their tangents, the arrow is the gradient, and the direction you turn "
        "gives the directional derivative ∇f·v̂ — largest along ∇f."),
    "Gradient descent": (
        "Pick a surface and optimizers, click the map to choose the start, and press <b>Space</b>: "
        "the optimizers race downhill. Change learning rates, clipping and schedules as they run. "
        "<b>→</b> steps, <b>←</b> steps back, <b>R</b> starts again. The tabs under the map show the "
        "loss, each optimizer's own numbers as equations, and a map of (γ, β) to click."),
    "Chain rule": (
        "Type an expression in x, y, z, w, b: it becomes a graph of simple operations. "
        "<b>→</b> runs the forward pass node by node, then the backward pass multiplies local "
        "derivatives into each input's gradient; the result is checked against the symbolic "
        "derivative. <i>Network</i> trains a tiny network and shows why gradients can vanish."),
}

CLASSROOM = (
    "<b>F5</b> presents (full screen, larger text, thicker lines); <b>Esc</b> leaves. "
    "<b>Ctrl+= / Ctrl+− / Ctrl+0</b> zoom everything. Save what you see as a scene (Ctrl+S), "
    "and copy every formula on screen with <b>Edit → Copy as LaTeX</b>.")


def shortcut_rows(window: MainWindow) -> list[tuple[str, str, str]]:
    """(menu, keys, what it does) for every menu action that has a key, then the view keys."""
    rows: list[tuple[str, str, str]] = []

    def walk(menu: QMenu, path: str) -> None:
        for action in menu.actions():
            if action.menu() is not None:
                walk(action.menu(), f"{path} → {action.menu().title().replace('&', '')}")
            elif not action.shortcut().isEmpty():
                keys = ", ".join(key.toString(QKeySequence.SequenceFormat.NativeText) for key in action.shortcuts())
                rows.append((path, keys, action.text().replace("&", "")))

    for top in window.menuBar().actions():
        if top.menu() is not None:
            walk(top.menu(), top.menu().title().replace("&", ""))
    return rows + list(VIEW_KEYS)


def shortcuts_html(window: MainWindow) -> str:
    body = "".join(f"<tr><td>{escape(menu)}</td><td><b>{escape(keys)}</b></td><td>{escape(text)}</td></tr>"
                   for menu, keys, text in shortcut_rows(window))
    return ("<h2>Keyboard shortcuts</h2><table cellpadding='4'>"
            "<tr><th align='left'>Where</th><th align='left'>Keys</th><th align='left'>Does</th></tr>"
            f"{body}</table>")


def guide_html() -> str:
    panes = "".join(f"<h3>{escape(title)}</h3><p>{text}</p>" for title, text in PANE_GUIDE.items())
    return f"<h2>Quick guide</h2>{panes}<h3>In class</h3><p>{CLASSROOM}</p>"


def show_html(parent: QWidget, title: str, html: str) -> QDialog:
    """A non-modal dialog showing ``html``; it stays open beside the window while you try things."""
    dialog = QDialog(parent)
    dialog.setWindowTitle(title)
    browser = QTextBrowser()
    browser.setObjectName("guideText")
    browser.setHtml(html)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.rejected.connect(dialog.close)
    layout = QVBoxLayout(dialog)
    layout.addWidget(browser)
    layout.addWidget(buttons)
    dialog.resize(720, 560)
    dialog.show()
    return dialog
