"""A typeset formula: ziamath's SVG drawn with QtSvg, crisp at any size and pixel ratio."""

from __future__ import annotations

from collections import OrderedDict

from PySide6.QtCore import QByteArray, QRectF, QSize, Qt
from PySide6.QtGui import QAction, QFontInfo, QGuiApplication, QPainter, QPaintEvent
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QSizePolicy, QWidget

from calcgui.core.typeset import SVG_FONT_SIZE
from calcgui.ui.appearance import appearance, follow

#: Formulas are drawn this much larger than the widget's text, as in a textbook.
MATH_SCALE = 1.35
#: A formula wider than the widget is shrunk to fit, but never below this fraction.
MIN_FIT = 0.55

_renderers: OrderedDict[str, QSvgRenderer] = OrderedDict()


def in_colour(svg: str, colour: str) -> str:
    """``svg`` drawn in ``colour`` instead of black: ziamath paints every glyph and rule
    ``fill="black"``, which vanishes on a dark theme."""
    if colour.lower() in ("black", "#000000"):
        return svg
    return svg.replace('fill="black"', f'fill="{colour}"').replace('stroke="black"', f'stroke="{colour}"')


def _renderer(svg: str) -> QSvgRenderer:
    """A parsed SVG, cached by its text: a formula is parsed once however often it is shown."""
    renderer = _renderers.get(svg)
    if renderer is None:
        renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
        _renderers[svg] = renderer
        if len(_renderers) > 256:
            _renderers.popitem(last=False)
    else:
        _renderers.move_to_end(svg)
    return renderer


class MathLabel(QWidget):
    """Shows one typeset formula; falls back to plain text when there is no SVG.

    Right-click offers "Copy LaTeX" and "Copy as text" for handouts and slides. The formula
    is drawn in the theme's text colour, at the size of its ``role`` (see
    :data:`calcgui.ui.appearance.POINTS`), and follows zoom and theme changes.
    """

    def __init__(self, parent: QWidget | None = None, *, min_fit: float = MIN_FIT, role: str = "math") -> None:
        super().__init__(parent)
        self._min_fit = min_fit
        self._role = role
        self._svg: str | None = None
        self._plain = ""
        self._latex = ""
        self._stale = False
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        copy_latex = QAction("Copy LaTeX", self)
        copy_latex.triggered.connect(lambda: QGuiApplication.clipboard().setText(self._latex))
        copy_text = QAction("Copy as text", self)
        copy_text.triggered.connect(lambda: QGuiApplication.clipboard().setText(self._plain))
        self.addActions([copy_latex, copy_text])
        follow(self, self._restyle)

    def set_role(self, role: str) -> None:
        """Draw at the size of text in ``role`` ("math", "math_large" …)."""
        self._role = role
        self._restyle()

    def _restyle(self) -> None:
        self.setFont(appearance().font(self._role))
        self.updateGeometry()
        self.update()

    # -- content ----------------------------------------------------------------------------
    def set_formula(self, svg: str | None, plain: str, latex: str = "") -> None:
        self._svg, self._plain, self._latex = svg, plain, latex
        self._stale = False
        self.setToolTip(plain)
        self.setAccessibleName(plain)
        self.updateGeometry()
        self.update()

    def set_stale(self, stale: bool) -> None:
        """Dim a formula that no longer matches the input, until its replacement arrives."""
        self._stale = stale
        self.update()

    def is_stale(self) -> bool:
        return self._stale

    def clear(self) -> None:
        self.set_formula(None, "", "")

    def plain_text(self) -> str:
        return self._plain

    def latex(self) -> str:
        return self._latex

    def has_svg(self) -> bool:
        return self._svg is not None

    # -- geometry ---------------------------------------------------------------------------
    def _natural_size(self) -> QSize:
        """The formula's size at this widget's font size, before fitting to the width."""
        font_px = QFontInfo(self.font()).pixelSize()
        scale = font_px * MATH_SCALE / SVG_FONT_SIZE
        if self._svg is None:
            metrics = self.fontMetrics()
            return QSize(metrics.horizontalAdvance(self._plain) + 4, int(metrics.height() * 1.6))
        box = _renderer(self._svg).viewBoxF()
        return QSize(int(box.width() * scale) + 2, int(box.height() * scale) + 2)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        natural = self._natural_size()
        return QSize(natural.width(), max(natural.height(), self.fontMetrics().height()))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        natural = self._natural_size()
        return QSize(int(natural.width() * self._min_fit), int(natural.height() * self._min_fit))

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if self._stale:
            painter.setOpacity(0.3)
        if self._svg is None:
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                             self._plain)
            return
        natural = self._natural_size()
        fit = min(1.0, self.width() / max(natural.width(), 1))
        fit = max(fit, self._min_fit)
        w, h = natural.width() * fit, natural.height() * fit
        if fit < 1.0:  # keep the height the layout gave us; centre the shrunk formula in it
            h = min(h, self.height())
        target = QRectF(0, (self.height() - h) / 2, w, h)
        _renderer(in_colour(self._svg, appearance().theme.text)).render(painter, target)
