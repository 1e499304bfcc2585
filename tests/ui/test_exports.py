"""Exports driven through the real menus: right-click on plots, File → Export …, the GIF
dialog, its progress dialog and Cancel. File dialogs are replaced (as SceneFiles.warn is)."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import numpy as np
import pyqtgraph as pg
import pytest
from conftest import RESULT_TIMEOUT_MS
from mouse import to_pixels
from PySide6.QtCore import QEvent, QPointF, Qt, QTimer
from PySide6.QtGui import QImage, QImageReader, QMouseEvent
from PySide6.QtWidgets import QApplication, QMenu, QPushButton
from pytestqt.qtbot import QtBot

from calcgui.core import gif
from calcgui.ui.export import plot_export, plot_menus
from calcgui.ui.export.gif_dialog import GifDialog
from calcgui.ui.export.gif_render import GifOptions, rgb_pixels
from calcgui.ui.main_window import MainWindow


def answer_with(window: MainWindow, folder: Path) -> list[str]:
    """Every file dialog answers ``folder/export-N.<kind>``; warnings are collected, not shown."""
    warnings: list[str] = []
    counter = iter(range(1, 1000))
    window.exports.ask_path = lambda kind, _suggested: folder / f"export-{next(counter)}.{kind}"  # type: ignore[method-assign]
    window.exports.warn = lambda title, message: warnings.append(f"{title}: {message}")  # type: ignore[method-assign]
    return warnings


def read_csv(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))


def gif_frames(path: Path) -> list[QImage]:
    reader = QImageReader(str(path))
    frames = []
    while True:
        image = reader.read()
        if image.isNull():
            return frames
        frames.append(image.convertToFormat(QImage.Format.Format_RGB888))


def right_click(plot: pg.PlotWidget, x: float, y: float) -> QMenu | None:
    """A real right-click at data point (x, y); the menu that pops up."""
    pos = to_pixels(plot, x, y)
    viewport = plot.viewport()
    for kind, buttons in ((QEvent.Type.MouseButtonPress, Qt.MouseButton.RightButton),
                          (QEvent.Type.MouseButtonRelease, Qt.MouseButton.NoButton)):
        QApplication.sendEvent(viewport, QMouseEvent(kind, QPointF(pos), viewport.mapToGlobal(pos),
                                                     Qt.MouseButton.RightButton, buttons, Qt.KeyboardModifier.NoModifier))
    menu = QApplication.activePopupWidget()
    return menu if isinstance(menu, QMenu) else None


def action_named(menu: QMenu, text: str) -> object:
    return next(action for action in menu.actions() if action.text() == text)


def settled(qtbot: QtBot, window: MainWindow, pane: str) -> None:
    window.show_pane(pane)
    qtbot.waitUntil(lambda: not window.is_busy(), timeout=RESULT_TIMEOUT_MS)


# -- the GIF encoder as Qt reads it ---------------------------------------------------------------
def test_qt_reads_our_gifs_pixel_for_pixel(tmp_path: Path, qapp: object) -> None:
    assert b"gif" in [bytes(name) for name in QImageReader.supportedImageFormats()]
    colours = np.array([[255, 255, 255], [213, 94, 0], [0, 114, 178], [0, 158, 115], [0, 0, 0]], dtype=np.uint8)
    frames = []
    for k in range(6):
        index = np.zeros((40, 64), dtype=np.int64)
        index[5:15, 3 + 5 * k:13 + 5 * k] = 1
        index[25:30, : 6 + 8 * k] = 2
        index[32 + k % 3, :] = 3 + k % 2
        frames.append(colours[index])
    path = tmp_path / "squares.gif"
    path.write_bytes(gif.encode(frames, fps=10))
    decoded = gif_frames(path)
    assert len(decoded) == 6
    for original, image in zip(frames, decoded):
        np.testing.assert_array_equal(rgb_pixels(image), original)


# -- menus ----------------------------------------------------------------------------------
def test_file_menu_offers_the_exports_before_quit(qtbot: QtBot, window: MainWindow) -> None:
    file_menu = window.menuBar().actions()[0].menu()
    texts = [action.text() for action in file_menu.actions()]
    assert texts[-1] == "&Quit"
    assert texts[-5:-2] == ["Export window as PNG…", "Export animation (h → 0) as GIF…"
                            if window.current_pane_name() == "tangent" else "Export animation as GIF…",
                            texts[-3]]
    settled(qtbot, window, "tangent")
    file_menu.aboutToShow.emit()
    assert window.exports.gif_action.isEnabled()
    assert window.exports.gif_action.text() == "Export animation (h → 0) as GIF…"
    assert window.exports.table_action.text() == "Export quotient table as CSV…"
    settled(qtbot, window, "gradient")
    assert not window.exports.gif_action.isEnabled()  # no animation on the gradient pane
    assert not window.exports.table_action.isEnabled()


def test_every_plot_and_map_of_every_pane_has_the_three_exports(qtbot: QtBot, window: MainWindow) -> None:
    settled(qtbot, window, "descent")
    boxes = plot_menus.view_boxes(window)
    assert len(boxes) >= 12  # f, secant, errors, contour, slices, directional, race map, loss, ‖∇f‖, ball …
    for box in boxes:
        menu = plot_menus.export_menu(box)
        assert menu is not None
        texts = [action.text() for action in menu.actions()]
        assert {plot_menus.PNG_TEXT, plot_menus.SVG_TEXT, plot_menus.CSV_TEXT} <= set(texts)


#: a popup menu on the offscreen platform (xvfb grabs the keyboard without a word)
offscreen_popup = pytest.mark.qt_log_ignore("This plugin does not support grabbing")


@offscreen_popup
def test_right_click_on_a_plot_whose_menu_was_off_exports_png_svg_csv(qtbot: QtBot, window: MainWindow,
                                                                       tmp_path: Path) -> None:
    settled(qtbot, window, "derivative")
    warnings = answer_with(window, tmp_path)
    plot = window.panes["derivative"].plot
    menu = right_click(plot, 0.0, -0.5)
    assert menu is not None
    assert [action.text() for action in menu.actions()][:3] == [plot_menus.PNG_TEXT, plot_menus.SVG_TEXT,
                                                                plot_menus.CSV_TEXT]
    menu.close()
    for text in (plot_menus.PNG_TEXT, plot_menus.SVG_TEXT, plot_menus.CSV_TEXT):
        action_named(menu, text).trigger()
    assert warnings == []
    image = QImage(str(tmp_path / "export-1.png"))
    item = plot.getPlotItem()
    on_screen = item.mapRectToDevice(item.boundingRect()).toRect()
    assert (image.width(), image.height()) == (2 * on_screen.width(), 2 * on_screen.height())
    root = ElementTree.parse(tmp_path / "export-2.svg").getroot()
    assert root.tag.endswith("svg") and len(list(root.iter())) > 20
    header, *rows = read_csv(tmp_path / "export-3.csv")
    assert header[:2] == ["f(x) x", "f(x) y"]  # the curves by their legend names, x then y
    xs, ys = (np.array([float(r[k]) for r in rows if r[k]]) for k in (0, 1))
    drawn_x, drawn_y = window.panes["derivative"].plot.getPlotItem().listDataItems()[0].getOriginalDataset()
    np.testing.assert_array_equal(xs, drawn_x)
    np.testing.assert_array_equal(ys[np.isfinite(drawn_y)], drawn_y[np.isfinite(drawn_y)])


@offscreen_popup
def test_right_click_on_the_race_map_exports_the_grid_of_f(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    settled(qtbot, window, "descent")
    answer_with(window, tmp_path)
    menu = right_click(window.panes["descent"].map, 1.5, -0.5)
    assert menu is not None
    texts = [action.text() for action in menu.actions()]
    assert "View All" in texts and plot_menus.CSV_TEXT in texts  # pyqtgraph's own menu, and ours
    menu.close()
    action_named(menu, plot_menus.CSV_TEXT).trigger()
    header, *rows = read_csv(tmp_path / "export-1.csv")
    xs = np.array([float(v) for v in header[1:]])
    ys = np.array([float(row[0]) for row in rows])
    z = np.array([[float(v) for v in row[1:]] for row in rows])
    assert z.shape == (160, 160)
    rosenbrock = (1 - xs[None, :]) ** 2 + 100 * (ys[:, None] - xs[None, :] ** 2) ** 2
    np.testing.assert_allclose(z, rosenbrock, rtol=1e-12)  # f itself, not the log colours


# -- tables ---------------------------------------------------------------------------------
def test_right_click_on_the_quotient_table_writes_its_numbers(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    settled(qtbot, window, "tangent")
    pane = window.panes["tangent"]
    pane.flush()
    answer_with(window, tmp_path)
    table = pane.table
    assert table.contextMenuPolicy() == Qt.ContextMenuPolicy.ActionsContextMenu
    table.actions()[0].trigger()
    header, *rows = read_csv(tmp_path / "export-1.csv")
    assert header == ["h", "forward", "forward_error", "backward", "backward_error", "central", "central_error"]
    assert len(rows) == table.rowCount() == 13
    for r, row in enumerate(rows):
        numbers = [float(v) if v else float("nan") for v in row]
        assert numbers[0] == 10.0 ** -r
        for c in (1, 3, 5):  # as the pane shows them, to its 12 digits
            assert f"{numbers[c]:.12g}" == table.item(r, c).text()
        for c in (2, 4, 6):
            shown = table.item(r, c).text()
            assert shown == ("0" if numbers[c] == 0 else f"{numbers[c]:.2e}")


def test_file_menu_writes_the_race_trajectories(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    settled(qtbot, window, "descent")
    pane = window.panes["descent"]
    pane.advance(25)
    answer_with(window, tmp_path)
    window.menuBar().actions()[0].menu().aboutToShow.emit()
    assert window.exports.table_action.text() == "Export trajectories as CSV…"
    window.exports.table_action.trigger()
    header, *rows = read_csv(tmp_path / "export-1.csv")
    assert header[:7] == ["step", "optimizer", "x", "y", "loss", "grad_norm", "lr"]
    assert len(rows) == sum(len(run.points) for run in pane.runs.values()) == 3 * 26
    for name, run in pane.runs.items():
        mine = [row for row in rows if row[1] == name]
        np.testing.assert_array_equal([[float(r[2]), float(r[3])] for r in mine], run.points)
        np.testing.assert_array_equal([float(r[4]) for r in mine], run.losses)
        np.testing.assert_array_equal([float(r[6]) for r in mine[1:]], run.lrs)


# -- pictures -------------------------------------------------------------------------------
def test_window_png_and_3d_view_without_opengl(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    settled(qtbot, window, "gradient")
    warnings = answer_with(window, tmp_path)
    window.exports.window_action.trigger()
    image = QImage(str(tmp_path / "export-1.png"))
    assert (image.width(), image.height()) == (window.width(), window.height())
    view = window.panes["gradient"].surface_view
    if view.available:
        pytest.skip("OpenGL is available here: the fallback is not reached")
    assert view.contextMenuPolicy() == Qt.ContextMenuPolicy.ActionsContextMenu
    view.actions()[0].trigger()
    assert len(warnings) == 1 and "OpenGL" in warnings[0]
    assert not (tmp_path / "export-2.png").exists()


# -- GIFs -----------------------------------------------------------------------------------
def test_gif_dialog_turns_seconds_or_frames_into_options(qtbot: QtBot, window: MainWindow) -> None:
    from calcgui.ui.export.animations import animation_of

    settled(qtbot, window, "descent")
    dialog = GifDialog(animation_of(window.current_pane()), window)
    qtbot.addWidget(dialog)
    dialog.fps.setValue(20)
    dialog.length.setValue(3)
    dialog.size_box.setCurrentIndex(2)
    assert dialog.options() == GifOptions((960, 600), 20, 60)
    assert "from step 0 to step" in dialog.summary.text()
    dialog.unit.setCurrentText("frames")
    dialog.length.setValue(45)
    assert dialog.options() == GifOptions((960, 600), 20, 45)
    assert dialog.fps.minimum() == 5 and dialog.fps.maximum() == 30


def test_gif_of_h_to_zero_renders_while_the_window_keeps_working(qtbot: QtBot, window: MainWindow,
                                                                  tmp_path: Path) -> None:
    settled(qtbot, window, "tangent")
    pane = window.panes["tangent"]
    pane.auto_zoom.setChecked(True)  # the view follows h down: every frame shows a new scale
    h_before = pane.h
    answer_with(window, tmp_path)
    window.exports.ask_gif_options = lambda _animation: GifOptions((320, 200), 10, 12)  # type: ignore[method-assign]
    ticks = [0]
    ticker = QTimer(interval=0)
    ticker.timeout.connect(lambda: ticks.__setitem__(0, ticks[0] + 1))
    ticker.start()
    seen: list[int] = []
    window.exports.gif_action.trigger()
    render = window.exports.render
    assert render is not None and window.exports.progress is not None
    render.progressed.connect(lambda done, _encoded, _total: seen.append(ticks[0]) if done > len(seen) else None)
    with qtbot.waitSignal(render.finished, timeout=60_000) as finished:
        pass
    ticker.stop()
    assert finished.args == [True, ""]
    assert len(seen) == 12  # one per frame: the first is drawn on the event loop's next turn too
    assert all(later > earlier for earlier, later in zip(seen, seen[1:]))  # the loop turned between frames
    frames = gif_frames(tmp_path / "export-1.gif")
    assert len(frames) == 12 and (frames[0].width(), frames[0].height()) == (320, 200)
    distinct = {bytes(rgb_pixels(frame)) for frame in frames}
    assert len(distinct) >= 10  # the view zooms in on P as h shrinks: frame after frame differs
    assert pane.h == h_before and window.exports.progress is None


def test_cancel_stops_the_race_gif_and_leaves_no_file(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    settled(qtbot, window, "descent")
    pane = window.panes["descent"]
    pane.advance(40)
    answer_with(window, tmp_path)
    window.exports.ask_gif_options = lambda _animation: GifOptions(None, 15, 200)  # type: ignore[method-assign]
    window.exports.gif_action.trigger()
    render = window.exports.render
    qtbot.waitUntil(lambda: render.rendered >= 3, timeout=20_000)
    assert pane.step_count < 40  # the race is replayed from step 0 for the GIF
    cancel = window.exports.progress.findChild(QPushButton)
    assert cancel.text() == "Cancel" and window.exports.progress.isVisible()
    with qtbot.waitSignal(render.finished, timeout=20_000) as finished:
        qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert finished.args == [False, ""]
    stopped_at = render.rendered
    qtbot.wait(100)
    assert render.rendered == stopped_at < 200
    assert list(tmp_path.iterdir()) == []  # neither the GIF nor its temporary file
    assert pane.step_count == 40  # the race is back where the user left it


def test_a_pane_without_animation_says_so(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    settled(qtbot, window, "derivative")
    warnings = answer_with(window, tmp_path)
    assert window.exports.export_animation() is None
    assert warnings == ["No animation here: This pane has no animation to export."]


def test_two_x_png_of_a_log_plot_is_twice_its_pixels(qtbot: QtBot, window: MainWindow) -> None:
    settled(qtbot, window, "tangent")
    item = window.panes["tangent"].errors.getPlotItem()
    image = plot_export.plot_image(item)
    on_screen = item.mapRectToDevice(item.boundingRect()).toRect()
    assert (image.width(), image.height()) == (2 * on_screen.width(), 2 * on_screen.height())
