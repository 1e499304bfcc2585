"""One zoom and one theme for the whole window: what a teacher sees after Ctrl++ or View → Theme."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QImage
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget
from pytestqt.qtbot import QtBot

from calcgui.core.contrast import TEXT_CONTRAST, contrast_ratio
from calcgui.ui.appearance import LINE_WIDTH, POINTS, ZOOM_STEPS, appearance
from calcgui.ui.main_window import MainWindow
from calcgui.ui.theme import CURVE_NAMES, DARK, HIGH_CONTRAST, LIGHT, THEMES
from tests.ui.conftest import RESULT_TIMEOUT_MS, settle, settle_on


@pytest.fixture(autouse=True)
def restore_appearance() -> Iterator[None]:
    """Each test starts at 100 % in the light theme and leaves it so for the next."""
    look = appearance()
    look.set_thick_lines(False)
    look.set_zoom(100)
    look.set_theme("light")
    yield
    look.set_thick_lines(False)
    look.set_zoom(100)
    look.set_theme("light")


def _press(qtbot: QtBot, window: MainWindow, keys: str) -> None:
    """A shortcut as the user types it (Ctrl++ comes as Ctrl with Plus)."""
    sequence = {"Ctrl+=": (Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier),
                "Ctrl++": (Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier),
                "Ctrl+-": (Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier),
                "Ctrl+0": (Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)}[keys]
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    qtbot.keyClick(window.current_pane().input.line_edit, *sequence)


# -- the tables ------------------------------------------------------------------------------
@pytest.mark.parametrize("theme", [LIGHT, DARK, HIGH_CONTRAST], ids=lambda t: t.name)
def test_every_text_colour_reads_at_wcag_aa(theme: object) -> None:
    for text in (theme.text, theme.muted, theme.error, theme.accent):
        assert contrast_ratio(text, theme.window) >= TEXT_CONTRAST, text
        assert contrast_ratio(text, theme.surface) >= TEXT_CONTRAST, text
    assert contrast_ratio(theme.warning, theme.warning_background) >= TEXT_CONTRAST
    assert contrast_ratio(theme.plot_foreground, theme.plot_background) >= TEXT_CONTRAST
    for name in CURVE_NAMES:  # a curve's colour written as text is made readable
        assert contrast_ratio(theme.ink(theme.curve(name)), theme.window) >= TEXT_CONTRAST
        assert contrast_ratio(theme.plot_ink(theme.curve(name)), theme.plot_background) >= TEXT_CONTRAST


@pytest.mark.parametrize("theme", [DARK, HIGH_CONTRAST], ids=lambda t: t.name)
def test_dark_curves_stand_out_from_the_plot(theme: object) -> None:
    for name in CURVE_NAMES:
        assert contrast_ratio(theme.curve(name), theme.plot_background) >= 3.0, name


def test_light_curves_are_okabe_and_ito() -> None:
    assert LIGHT.curve("blue") == "#0072B2" and LIGHT.resolve("#0072b2") == "#0072B2"
    assert DARK.resolve("#0072B2") == DARK.curve("blue") != "#0072B2"
    assert DARK.resolve("k") == DARK.plot_foreground and DARK.resolve("#123456") == "#123456"


def test_zoom_steps_and_clamping() -> None:
    look = appearance()
    seen = []
    for _ in range(len(ZOOM_STEPS) + 2):
        look.zoom_in()
        seen.append(look.zoom)
    assert seen[:7] == [110, 125, 150, 175, 200, 250, 300] and seen[-1] == 300
    look.set_zoom(20)
    assert look.zoom == 50
    look.zoom_out()
    assert look.zoom == 50
    look.set_zoom(150)
    assert look.points("input") == pytest.approx(POINTS["input"] * 1.5)
    assert look.pen_width() == pytest.approx(LINE_WIDTH * 1.5)
    look.set_thick_lines(True)
    assert look.pen_width() == pytest.approx(LINE_WIDTH * 1.5 * 1.5)
    with pytest.raises(ValueError, match="unknown theme"):
        look.set_theme("sepia")


# -- the window ------------------------------------------------------------------------------
def test_zoom_shortcuts_change_text_ticks_and_lines(qtbot: QtBot, window: MainWindow) -> None:
    pane = window.panes["derivative"]
    box = pane.input.line_edit
    tick_font = lambda: pane.plot.getPlotItem().getAxis("left").style["tickFont"].pointSizeF()  # noqa: E731
    curve_width = lambda: pane.plot.curves[0].opts["pen"].widthF()  # noqa: E731
    before = (box.font().pointSizeF(), tick_font(), curve_width(), pane.formulas[0].font().pointSizeF())
    assert before[0] == pytest.approx(POINTS["input"])
    _press(qtbot, window, "Ctrl+=")
    assert appearance().zoom == 110
    _press(qtbot, window, "Ctrl++")
    assert appearance().zoom == 125
    after = (box.font().pointSizeF(), tick_font(), curve_width(), pane.formulas[0].font().pointSizeF())
    for old, new in zip(before, after):
        assert new == pytest.approx(old * 1.25)
    assert "Zoom 125 %" in window.statusBar().currentMessage()
    _press(qtbot, window, "Ctrl+-")
    assert appearance().zoom == 110
    _press(qtbot, window, "Ctrl+0")
    assert appearance().zoom == 100
    assert (box.font().pointSizeF(), tick_font(), curve_width()) == pytest.approx(before[:3])


def test_theme_menu_changes_the_plots_and_the_palette(qtbot: QtBot, window: MainWindow) -> None:
    actions = {a.objectName(): a for a in window.findChildren(QAction) if a.objectName().startswith("theme-")}
    assert set(actions) == {f"theme-{name}" for name in ("system", "light", "dark", "high-contrast")}
    plot = window.panes["derivative"].plot
    actions["theme-dark"].trigger()
    assert actions["theme-dark"].isChecked() and not actions["theme-light"].isChecked()
    assert plot.backgroundBrush().color().name().upper() == DARK.plot_background
    qtbot.waitUntil(lambda: window.palette().window().color().name().upper() == DARK.window, timeout=2000)
    assert plot.curves[0].opts["pen"].color().name().upper() == DARK.curve("blue")
    actions["theme-high-contrast"].trigger()
    assert plot.backgroundBrush().color().name().upper() == HIGH_CONTRAST.plot_background
    actions["theme-light"].trigger()
    assert plot.backgroundBrush().color().name().upper() == LIGHT.plot_background


def test_function_box_keeps_its_size_after_an_error(qtbot: QtBot, window: MainWindow) -> None:
    """It once dropped from 14 pt to 9 pt for good after the first typing error."""
    pane = window.panes["derivative"]
    box = pane.input.line_edit
    box.selectAll()
    qtbot.keyClicks(box, "2x^^3")
    settle_on(qtbot, window, "2x^^3")
    assert pane.input.error_text()
    assert box.font().pointSizeF() == pytest.approx(POINTS["input"])
    assert box.fontInfo().pointSizeF() == pytest.approx(POINTS["input"], abs=0.5)
    box.selectAll()
    qtbot.keyClicks(box, "x^2")
    settle_on(qtbot, window, "x^2")
    assert not pane.input.error_text()
    assert box.font().pointSizeF() == pytest.approx(POINTS["input"])


# -- contrast measured on screen -----------------------------------------------------------------
def _ink_and_paper(image: QImage) -> tuple[str, str]:
    """The background (the commonest colour) and the text (the pixel that differs most)."""
    pixels = Counter(image.pixelColor(x, y).name() for x in range(0, image.width())
                     for y in range(0, image.height()))
    paper = pixels.most_common(1)[0][0]
    ink = max(pixels, key=lambda colour: contrast_ratio(colour, paper))
    return ink, paper


@pytest.mark.parametrize("name", ["light", "dark", "high-contrast"])
def test_formulas_and_sentences_read_on_every_theme(qtbot: QtBot, window: MainWindow, name: str) -> None:
    appearance().set_theme(name)
    pane = window.panes["derivative"]
    settle(qtbot, window)
    qtbot.waitUntil(lambda: pane.palette().window().color().name().upper() == THEMES[name].window, timeout=2000)
    qtbot.waitUntil(lambda: pane.formulas[2].has_svg(), timeout=RESULT_TIMEOUT_MS)
    steps = pane.derivation.step_items()
    assert steps
    sentence = pane.derivation.tree.itemWidget(steps[0], 0).sentence
    for widget in (*pane.formulas, sentence, pane.input.label):
        ink, paper = _ink_and_paper(widget.grab().toImage())
        assert paper.upper() in (THEMES[name].window, THEMES[name].surface), (widget, paper)
        assert contrast_ratio(ink, paper) >= TEXT_CONTRAST, (widget, ink, paper)


# -- nothing cut off when zoomed -------------------------------------------------------------------
def _clipped(window: MainWindow, pane: QWidget) -> list[str]:
    """Every visible label, button and check box whose text does not fit, and every visible
    widget that reaches outside the window."""
    problems = []
    frame = window.rect()
    for widget in pane.findChildren(QWidget):
        if not widget.isVisibleTo(window) or widget.width() <= 1:
            continue
        corner = widget.mapTo(window, widget.rect().bottomRight())
        if not frame.contains(corner) and not _inside_scroll_area(widget):
            problems.append(f"{type(widget).__name__} {widget.objectName()!r} reaches outside the window")
        if isinstance(widget, QLabel) and widget.text() and not widget.textFormat() == Qt.TextFormat.RichText:
            if widget.wordWrap():
                if widget.heightForWidth(widget.width()) > widget.height() + 2:
                    problems.append(f"label {widget.text()!r} is cut off at the bottom")
            elif widget.fontMetrics().horizontalAdvance(widget.text()) > widget.contentsRect().width() + 1:
                problems.append(f"label {widget.text()!r} is cut off")
        elif isinstance(widget, QAbstractButton) and widget.text():
            if widget.sizeHint().width() > widget.width() + 1:
                problems.append(f"{type(widget).__name__} {widget.text()!r} is cut off")
    return problems


def _inside_scroll_area(widget: QWidget) -> bool:
    from PySide6.QtWidgets import QAbstractScrollArea

    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea):
            return True
        parent = parent.parentWidget()
    return False


@pytest.mark.parametrize("zoom", [150, 200])
def test_nothing_is_cut_off_at_1280_by_720(qtbot: QtBot, window: MainWindow, zoom: int) -> None:
    """At 150 % every pane fits beside the pane list; at 200 % the Gradient and Descent panes
    scroll sideways (by about 80 and 20 pixels) rather than cut anything off."""
    appearance().set_zoom(zoom)
    window.resize(1280, 720)
    problems, scrolled = {}, []
    for name in window.panes:
        window.show_pane(name)
        settle(qtbot, window)
        qtbot.wait(50)
        assert window.width() <= 1280 and window.height() <= 720, f"{name}: the window grew to {window.size()}"
        found = _clipped(window, window.panes[name])
        if found:
            problems[name] = found
        area = window.stack.currentWidget()
        if area.horizontalScrollBar().isVisible() or area.verticalScrollBar().isVisible():
            scrolled.append(name)
    assert not problems
    assert scrolled == [] if zoom == 150 else set(scrolled) <= {"gradient", "descent"}


def test_presenting_at_1280_by_720_nothing_scrolls_even_at_200(qtbot: QtBot, window: MainWindow) -> None:
    """Presentation's layout (no pane list, menu or status bar) at 1280×720: every pane fits
    whole at 150 % and at 200 %."""
    window.switcher.hide()
    window.menuBar().hide()
    window.statusBar().hide()
    window.resize(1280, 720)
    for zoom in (150, 200):
        appearance().set_zoom(zoom)
        for name in window.panes:
            window.show_pane(name)
            settle(qtbot, window)
            qtbot.wait(50)
            area = window.stack.currentWidget()
            assert not area.horizontalScrollBar().isVisible(), f"{name} scrolls sideways at {zoom} %"
            assert not area.verticalScrollBar().isVisible(), f"{name} scrolls down at {zoom} %"
            assert not _clipped(window, window.panes[name])


def test_zoom_and_theme_are_kept_between_runs(tmp_path: object) -> None:
    from calcgui.ui.session import SessionStore

    store = SessionStore(tmp_path)  # type: ignore[arg-type]
    assert store.zoom() is None and store.theme() is None
    store.save_zoom(175)
    store.save_theme("high-contrast")
    again = SessionStore(tmp_path)  # type: ignore[arg-type]
    assert again.zoom() == 175 and again.theme() == "high-contrast"
    again.save_theme("sepia")  # a garbled file is ignored, not obeyed
    assert SessionStore(tmp_path).theme() is None  # type: ignore[arg-type]
