"""One optimizer's update rule with this step's numbers, as the race runs or is stepped.

The core writes the lines (:mod:`calcgui.core.update_rules`); this widget lays them out, one
equation a row: its rule in symbols, the same rule with the numbers, and the result in bold. Rich text in a QLabel costs well under a millisecond to update, so the lines can
follow every frame of the animation (typesetting with ziamath costs 2–40 ms a formula).
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from calcgui.core.update_rules import StepExplanation, format_vector

#: Serif faces in order of preference: a maths feel for symbols, with a wide Unicode cover.
MATH_FONTS = "'STIX Two Math', 'DejaVu Serif', 'Latin Modern Roman', serif"


def explanation_html(explained: StepExplanation) -> str:
    """The lines as an HTML table, one equation a row: lhs | = rule | = numbers = value."""
    rows = []
    for line in explained.lines:
        numbers = f"= {html.escape(line.numbers)} " if line.numbers else ""
        rows.append(f"<tr><td align='right' nowrap><i>{html.escape(line.lhs)}</i></td>"
                    f"<td nowrap>= {html.escape(line.rule)}</td>"
                    f"<td nowrap>{numbers}= <b>{html.escape(format_vector(line.value))}</b></td></tr>")
    return (f"<div style=\"font-family: {MATH_FONTS}\"><table cellspacing='0' cellpadding='3'>"
            + "".join(rows) + "</table></div>")


class StepEquations(QWidget):
    """Heading (optimizer, step, fixed hyper-parameters) and the step's equations; a sentence
    instead when there is no step to show (none picked yet, step 0, or a diverged run)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel()
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.body = QLabel()
        self.body.setTextFormat(Qt.TextFormat.RichText)
        self.body.setWordWrap(False)  # an equation stays on its row; the scroll area scrolls
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.body.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        layout.addWidget(self.title)
        layout.addWidget(self.body)
        layout.addStretch(1)
        self._explained: StepExplanation | None = None
        self.show_message("Click an optimizer's path or name to see its update, number by number.")

    def show_step(self, explained: StepExplanation) -> None:
        self._explained = explained
        self.title.setText(explained.title)
        self.body.setWordWrap(False)
        self.body.setText(explanation_html(explained))
        self.setAccessibleDescription(explained.text)

    def show_message(self, message: str, title: str = "Inside the optimizer") -> None:
        self._explained = None
        self.title.setText(title)
        self.body.setWordWrap(True)
        self.body.setText(html.escape(message))
        self.setAccessibleDescription(message)

    def explanation(self) -> StepExplanation | None:
        """What is shown, for tests and copying: None while a sentence is shown instead."""
        return self._explained
