"""Main window: the pane switcher, the menus, the About box."""

from __future__ import annotations

import calcgui
from calcgui.ui.main_window import MainWindow


def test_only_working_panes_are_listed(window: MainWindow) -> None:
    items = [window.switcher.item(i).text() for i in range(window.switcher.count())]
    assert items == ["Derivative", "Secant → tangent", "Gradient", "Gradient descent", "Chain rule"]
    assert window.current_pane() is window.panes["derivative"]


def test_menus_and_about(window: MainWindow) -> None:
    titles = [action.text() for action in window.menuBar().actions()]
    assert titles == ["&File", "&Edit", "&View", "&Animation", "&Help"]
    assert calcgui.__version__ in window.about_text()


def test_window_icon_comes_from_the_package_resources(window: MainWindow) -> None:
    from calcgui.ui.app_icon import icon_pixmap, icon_svg

    assert icon_svg().startswith(b"<svg")
    assert not window.windowIcon().isNull()
    assert icon_pixmap(96).width() == 96
