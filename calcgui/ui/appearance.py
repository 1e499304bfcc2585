"""One zoom and one theme for the whole app: every text size, line width and colour comes
from here, so that a projector (Ctrl++), a dark desktop or presentation mode reach every pane.

Widgets do not hard-code sizes: they ask :meth:`Appearance.points` for a role ("body",
"readout", "tick" …) and :meth:`Appearance.pen_width` for a line, and :func:`follow` the
:attr:`Appearance.changed` signal to restyle. The application's palette, font and
pyqtgraph's defaults are set here too, before the panes restyle themselves.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable

import pyqtgraph as pg
from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtGui import QAction, QActionGroup, QColor, QFont, QGuiApplication, QKeySequence, QPalette
from PySide6.QtWidgets import QApplication, QFrame, QMainWindow, QMenu, QScrollArea, QStyleFactory, QWidget

from calcgui.core.contrast import is_dark
from calcgui.ui.theme import DARK, LIGHT, THEME_NAMES, THEMES, Theme

#: Zoom steps, in percent, as browsers have them.
ZOOM_STEPS = (50, 67, 80, 90, 100, 110, 125, 150, 175, 200, 250, 300)
MIN_ZOOM, MAX_ZOOM = ZOOM_STEPS[0], ZOOM_STEPS[-1]
#: Width (px at 100 %) of the curves; other lines are given relative to it.
LINE_WIDTH = 3.0
#: Presentation mode draws lines this much thicker, on top of the zoom.
THICK_LINES = 1.5

#: Every text size in the app, in points at 100 %: the one table the zoom multiplies.
POINTS: dict[str, float] = {
    "body": 9,        # the application font: labels, buttons, menus, sentences (Qt's own default)
    "small": 9,       # secondary notes
    "input": 14,      # the function box: read from the back of a lecture hall
    "heading": 12,    # panel titles
    "readout": 15,    # a big number (a slope, a step counter)
    "sentence": 16,   # the one sentence a step is about (the chain rule's replay)
    "math": 13,       # a typeset formula in a list (MathLabel draws it 1.35x larger)
    "math_large": 16,  # f, f′, f″ over the plot
    "table": 11,      # numbers in tables
    "axis": 12,       # axis labels
    "tick": 11,       # tick labels
    "legend": 12,     # plot legends
    "plot_title": 11,  # titles over small plots
    "plot_label": 10,  # text drawn on a plot (P, Q, contour levels, slopes)
    "graph": 11,      # node and edge text of graphs and networks
    "status": 9,      # the status bar
    "switcher": 12,   # the pane list
    "slide_title": 16,  # a lesson slide's title over the panes
    "slide_note": 11,   # and its note for the class
}

_instance: Appearance | None = None


class Appearance(QObject):
    """The zoom, the theme and the line thickness; :attr:`changed` after any of them changes."""

    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.zoom = 100
        self.theme_name = "system"
        self.thick_lines = False
        self._system_palette: QPalette | None = None
        self._system_style = ""
        self.theme: Theme = self._resolve("system")
        hints = QGuiApplication.styleHints() if QGuiApplication.instance() is not None else None
        if hints is not None:
            hints.colorSchemeChanged.connect(self._system_changed)

    # -- zoom -------------------------------------------------------------------------------
    def set_zoom(self, percent: int) -> None:
        percent = max(MIN_ZOOM, min(MAX_ZOOM, int(round(percent))))
        if percent != self.zoom:
            self.zoom = percent
            self._apply()

    def zoom_in(self) -> None:
        self.set_zoom(next((z for z in ZOOM_STEPS if z > self.zoom), MAX_ZOOM))

    def zoom_out(self) -> None:
        self.set_zoom(next((z for z in reversed(ZOOM_STEPS) if z < self.zoom), MIN_ZOOM))

    def reset_zoom(self) -> None:
        self.set_zoom(100)

    @property
    def scale(self) -> float:
        """The zoom as a factor (1.5 at 150 %)."""
        return self.zoom / 100

    def points(self, role: str) -> float:
        """The point size of text in ``role`` at the current zoom."""
        return POINTS[role] * self.scale

    def font(self, role: str, base: QFont | None = None, *, bold: bool | None = None) -> QFont:
        """``base`` (or the application's font) at the size of ``role``."""
        font = QFont(base if base is not None else QApplication.font())
        font.setPointSizeF(self.points(role))
        if bold is not None:
            font.setBold(bold)
        return font

    def pixels(self, base: float) -> float:
        """A size in pixels at 100 % (a marker, an arrow head, a margin) at the current zoom."""
        return base * self.scale

    def pen_width(self, base: float = LINE_WIDTH) -> float:
        """A line's width: ``base`` at 100 %, scaled with the zoom and presentation mode."""
        return base * self.scale * (THICK_LINES if self.thick_lines else 1.0)

    def set_thick_lines(self, on: bool) -> None:
        if on != self.thick_lines:
            self.thick_lines = on
            self._apply()

    # -- theme ------------------------------------------------------------------------------
    def set_theme(self, name: str) -> None:
        if name not in THEME_NAMES:
            raise ValueError(f"unknown theme {name!r}; choose from {', '.join(THEME_NAMES)}")
        self.theme_name = name
        theme = self._resolve(name)
        changed, self.theme = theme != self.theme, theme
        if changed:
            self._apply()

    def _resolve(self, name: str) -> Theme:
        if name != "system":
            return THEMES[name]
        hints = QGuiApplication.styleHints() if QGuiApplication.instance() is not None else None
        if hints is not None and hints.colorScheme() == Qt.ColorScheme.Dark:
            return DARK
        if hints is not None and hints.colorScheme() == Qt.ColorScheme.Light:
            return LIGHT
        palette = self._system_palette or (QGuiApplication.palette() if QGuiApplication.instance() else None)
        window = palette.color(QPalette.ColorRole.Window).name() if palette is not None else "#FFFFFF"
        return DARK if is_dark(window) else LIGHT

    @Slot()
    def _system_changed(self) -> None:
        if self.theme_name == "system":
            self._system_palette = None  # the desktop's new palette is what counts
            self.set_theme("system")

    # -- applying ---------------------------------------------------------------------------
    def apply_to_application(self) -> None:
        """Set the application's palette, style, font and pyqtgraph's defaults (no signal)."""
        app = QApplication.instance()
        pg.setConfigOptions(antialias=True, background=self.theme.plot_background,
                            foreground=self.theme.plot_foreground)
        if not isinstance(app, QApplication):
            return
        if self._system_palette is None:
            self._system_palette, self._system_style = QPalette(app.palette()), app.style().name()
        wanted = "fusion" if self.theme.dark else self._system_style
        if app.style().name().lower() != wanted.lower():
            style = QStyleFactory.create(wanted)
            if style is not None:
                app.setStyle(style)
        app.setPalette(palette_of(self.theme))
        app.setFont(self.font("body", app.font()))

    def _apply(self) -> None:
        self.apply_to_application()
        self.changed.emit()


def palette_of(theme: Theme) -> QPalette:
    """A QPalette in ``theme``'s colours, so Qt's own widgets (and Fusion) follow it."""
    role = QPalette.ColorRole
    palette = QPalette()
    colours = {
        role.Window: theme.window, role.WindowText: theme.text, role.Base: theme.surface,
        role.AlternateBase: theme.window, role.Text: theme.text, role.Button: theme.window,
        role.ButtonText: theme.text, role.ToolTipBase: theme.surface, role.ToolTipText: theme.text,
        role.PlaceholderText: theme.muted, role.Highlight: theme.accent,
        role.HighlightedText: theme.surface if theme.dark else "#FFFFFF", role.Link: theme.accent,
        role.LinkVisited: theme.accent, role.BrightText: theme.error,
        role.Light: "#FFFFFF" if not theme.dark else "#4A4A4A", role.Midlight: theme.window,
        role.Mid: theme.muted, role.Dark: theme.muted, role.Shadow: "#000000",
    }
    for colour_role, colour in colours.items():
        palette.setColor(colour_role, QColor(colour))
    disabled = QColor(theme.muted)
    for colour_role in (role.WindowText, role.Text, role.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, colour_role, disabled)
    return palette


def badge_style() -> str:
    """A badge that something went wrong (a run diverged): the theme's error colour behind
    black or white text, whichever reads."""
    background = appearance().theme.error
    text = "#FFFFFF" if is_dark(background) else "#000000"
    return f"color: {text}; background: {background}; padding: 6px; border-radius: 4px;"


def scrolling(widget: QWidget) -> QScrollArea:
    """``widget`` (a side panel) in a frameless area that scrolls: zoomed in, its text may be
    taller or wider than the window, and scrolling beats cutting it off (labels that wrap
    wrap first: the panel is never narrower than its minimum)."""
    scroll = QScrollArea()
    scroll.setWidget(widget)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    return scroll


def appearance() -> Appearance:
    """The app-wide appearance (created on first use, after the QApplication)."""
    global _instance
    if _instance is None:
        _instance = Appearance()
    return _instance


class _Follower(QObject):
    """Calls a restyle function on every change while its parent lives (a weak reference to
    a bound method, so a closed widget is not kept alive by its own restyling)."""

    def __init__(self, owner: QObject, restyle: Callable[[], None]) -> None:
        super().__init__(owner)
        self._restyle: Callable[[], Callable[[], None] | None]
        if hasattr(restyle, "__self__"):
            self._restyle = weakref.WeakMethod(restyle)  # type: ignore[arg-type]
        else:
            self._restyle = lambda: restyle
        appearance().changed.connect(self.restyle)

    @Slot()
    def restyle(self) -> None:
        function = self._restyle()
        if function is not None:
            function()


def follow(owner: QObject, restyle: Callable[[], None]) -> None:
    """Call ``restyle`` now and after every change of zoom or theme, for as long as ``owner``
    (a widget or plot item) lives."""
    restyle()
    _Follower(owner, restyle)


def add_appearance_actions(window: QMainWindow, view_menu: QMenu) -> None:
    """View → Zoom in / out / reset and View → Theme; shortcuts work without a menu bar."""
    look = appearance()

    def zoom(step: Callable[[], None]) -> None:
        step()
        window.statusBar().showMessage(f"Zoom {look.zoom} %", 3000)

    view_menu.addSeparator()
    for text, step, keys in (("Zoom &in", look.zoom_in, ("Ctrl+=", "Ctrl++")),
                             ("Zoom &out", look.zoom_out, ("Ctrl+-",)),
                             ("&Reset zoom", look.reset_zoom, ("Ctrl+0",))):
        action = QAction(text, window)
        action.setShortcuts([QKeySequence(k) for k in keys])
        action.triggered.connect(lambda _checked=False, s=step: zoom(s))
        window.addAction(action)
        view_menu.addAction(action)
    theme_menu = view_menu.addMenu("&Theme")
    group = QActionGroup(window)
    group.setExclusive(True)
    for name, text in zip(THEME_NAMES, ("&System", "&Light", "&Dark", "&High contrast")):
        action = QAction(text, window, checkable=True)
        action.setObjectName(f"theme-{name}")
        action.setChecked(name == look.theme_name)
        action.triggered.connect(lambda _checked=False, n=name: look.set_theme(n))
        group.addAction(action)
        theme_menu.addAction(action)
