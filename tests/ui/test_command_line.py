"""The command line: version, argument errors (exit 2), and screenshots from a real process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

import calcgui
from calcgui.app import build_parser, main


def run_calcgui(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-m", "calcgui", *args], capture_output=True, text=True,
                          timeout=120, env=env)


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"calcgui {calcgui.__version__}"


@pytest.mark.parametrize(("args", "message"), [
    (["--pane", "nonsense"], "unknown pane 'nonsense'"),
    (["--size", "big", "--screenshot", "a.png"], "WIDTHxHEIGHT"),
    (["--size", "800x600"], "--size goes with --screenshot"),
    (["--screenshot", "out.jpg"], ".png"),
    (["--frobnicate"], "unrecognized arguments"),
])
def test_bad_arguments_exit_2_with_a_message(args: list[str], message: str,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        build_parser()  # the parser alone must not need Qt
        main(args)
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


def test_screenshot_of_the_derivative_pane(tmp_path: Path) -> None:
    out = tmp_path / "d.png"
    result = run_calcgui("--pane", "derivative", "--function", "x^3 - x", "--screenshot", str(out),
                         "--size", "1000x700")
    assert result.returncode == 0, result.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1000, 700)
    colours = {image.pixelColor(x, y).name() for x in range(0, 1000, 7) for y in range(0, 700, 7)}
    assert "#0072b2" in colours or len(colours) > 20  # the blue f(x) curve, not a blank window


def test_screenshot_with_a_bad_function_exits_2(tmp_path: Path) -> None:
    out = tmp_path / "bad.png"
    result = run_calcgui("--function", "2x^^3", "--screenshot", str(out))
    assert result.returncode == 2
    assert "--function" in result.stderr and "^" in result.stderr
    assert not out.exists()


def example(stem: str) -> Path:
    from calcgui.ui.scene_files import examples_folder

    return examples_folder() / f"{stem}.calcgui"


def test_a_scene_renders_headless_on_its_own_pane(tmp_path: Path) -> None:
    out = tmp_path / "race.png"
    result = run_calcgui("--scene", str(example("rosenbrock-race")), "--screenshot", str(out), "--size", "1000x700")
    assert result.returncode == 0, result.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1000, 700)


def test_check_scene_accepts_a_good_file_and_names_the_problem_of_a_bad_one(tmp_path: Path) -> None:
    good = run_calcgui("--check-scene", str(example("gradient")))
    assert good.returncode == 0 and good.stderr == ""
    bad = tmp_path / "bad.calcgui"
    bad.write_text(example("gradient").read_text().replace('"version": 2', '"version": 7'))
    result = run_calcgui("--check-scene", str(bad))
    assert result.returncode == 2
    assert "bad.calcgui" in result.stderr and "newer" in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_a_bad_scene_on_the_command_line_exits_2_without_a_window(tmp_path: Path) -> None:
    bad = tmp_path / "broken.calcgui"
    bad.write_text("{")
    result = run_calcgui(str(bad), "--screenshot", str(tmp_path / "never.png"))
    assert result.returncode == 2 and "broken.calcgui" in result.stderr
    assert not (tmp_path / "never.png").exists()


@pytest.mark.parametrize(("args", "message"), [
    (["--zoom", "20"], "between 50 and 300 percent, got 20"),
    (["--zoom", "big"], "expected a zoom in percent"),
    (["--theme", "sepia"], "invalid choice: 'sepia'"),
])
def test_zoom_and_theme_out_of_range_are_clear_errors(args: list[str], message: str,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


def test_screenshot_zoomed_in_on_the_dark_theme(tmp_path: Path) -> None:
    from calcgui.ui.theme import DARK

    out = tmp_path / "dark.png"
    result = run_calcgui("--pane", "derivative", "--function", "x^3 - x", "--zoom", "300", "--theme", "dark",
                         "--screenshot", str(out), "--size", "1280x720")
    assert result.returncode == 0, result.stderr
    image = QImage(str(out))
    assert not image.isNull()
    colours = [image.pixelColor(x, y).name().upper() for x in range(0, image.width(), 11)
               for y in range(0, image.height(), 11)]
    dark = sum(colour in (DARK.window, DARK.surface, DARK.plot_background) for colour in colours)
    assert dark > len(colours) / 2  # a dark window, not the light one
    assert DARK.curve("blue") in colours  # f in the dark theme's blue


def test_present_starts_in_presentation_mode_full_screen(tmp_path: Path) -> None:
    """--present: the picture is the whole (offscreen) screen, full screen, not the --size
    asked for, which a plain screenshot keeps."""
    done = run_calcgui("--fresh", "--present", "--screenshot", str(tmp_path / "present.png"), "--size", "1000x700")
    assert done.returncode == 0, done.stderr
    presented = QImage(str(tmp_path / "present.png"))
    done = run_calcgui("--fresh", "--screenshot", str(tmp_path / "plain.png"), "--size", "1000x700")
    assert done.returncode == 0, done.stderr
    plain = QImage(str(tmp_path / "plain.png"))
    assert (plain.width(), plain.height()) == (1000, 700)
    assert not presented.isNull() and (presented.width(), presented.height()) != (1000, 700)
