"""``calcgui --scene FILE --export OUT`` in a real process, offscreen, on the shipped scenes."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtGui import QImage, QImageReader

from calcgui.app import main
from calcgui.core.descent import objective, run
from calcgui.core.surfaces import PRESETS
from calcgui.ui.export.gif_render import rgb_pixels
from test_command_line import example, run_calcgui


def export(tmp_path: Path, scene: str, name: str, *extra: str) -> tuple[Path, object]:
    out = tmp_path / name
    result = run_calcgui("--scene", str(example(scene)), "--export", str(out), *extra)
    return out, result


def rows_of(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_a_gif_of_the_race_has_frames_that_differ(tmp_path: Path, qapp: object) -> None:
    out, result = export(tmp_path, "rosenbrock-race", "race.gif", "--frames", "12")
    assert result.returncode == 0, result.stderr
    # nothing on stderr but the offscreen platform's notice about window size hints
    assert set(result.stderr.splitlines()) <= {"This plugin does not support propagateSizeHints()"}
    reader = QImageReader(str(out))
    frames = []
    while not (image := reader.read()).isNull():
        frames.append(rgb_pixels(image))
    assert len(frames) == 12
    assert len({frame.tobytes() for frame in frames}) >= 10  # the paths grow in every frame
    # the race is the scene's: at the last frame it has reached the scene's step 300, so the
    # picture differs most from the first one
    assert (frames[-1] != frames[0]).any(axis=2).sum() > (frames[1] != frames[0]).any(axis=2).sum()


def test_an_svg_of_the_secant_parses(tmp_path: Path) -> None:
    out, result = export(tmp_path, "secant-to-tangent", "secant.svg")
    assert result.returncode == 0, result.stderr
    root = ElementTree.parse(out).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert sum(1 for node in root.iter() if node.tag.endswith("path")) >= 3  # f, the secant, the tangent …


def test_a_png_of_the_secant_is_its_plot_at_twice_the_pixels(tmp_path: Path) -> None:
    out, result = export(tmp_path, "secant-to-tangent", "secant.png", "--size", "1000x700")
    assert result.returncode == 0, result.stderr
    image = QImage(str(out))
    assert image.width() % 2 == 0 and image.height() % 2 == 0
    assert 700 < image.width() < 2000  # the plot, at 2×: not the whole 1000×700 window


def test_the_1d_iterates_equal_a_core_run_with_the_scene_settings(tmp_path: Path) -> None:
    out, result = export(tmp_path, "descent-1d", "iterates.csv")
    assert result.returncode == 0, result.stderr
    header, *lines = rows_of(out)
    assert header == ["step", "optimizer", "x", "f(x)", "f'(x)", "lr"]
    reference = run(objective("x^2", ("x",)), 10.0, "gd", 0.1, 10)  # the scene: x², x = 10, lr 0.1, step 10
    assert [float(line[2]) for line in lines] == list(reference.points[:, 0])
    assert [float(line[3]) for line in lines] == list(reference.losses)
    assert [float(line[4]) for line in lines] == list(reference.gradients[:, 0])


def test_the_race_trajectories_equal_core_runs_with_the_scene_settings(tmp_path: Path) -> None:
    out, result = export(tmp_path, "rosenbrock-race", "race.csv")
    assert result.returncode == 0, result.stderr
    header, *lines = rows_of(out)
    assert header[:7] == ["step", "optimizer", "x", "y", "loss", "grad_norm", "lr"]
    rosenbrock = objective(PRESETS["rosenbrock"].text)
    for name, lr, hyper in (("gd", 0.001, {}), ("momentum", 0.001, {"momentum": 0.9}), ("adam", 0.05, {})):
        reference = run(rosenbrock, (-1.5, 2.0), name, lr, 300, hyper)
        mine = np.array([[float(v) for v in line[2:6]] for line in lines if line[1] == name])
        assert mine.shape == (301, 4)
        np.testing.assert_array_equal(mine[:, :2], reference.points)
        np.testing.assert_array_equal(mine[:, 2], reference.losses)
        np.testing.assert_array_equal(mine[:, 3], reference.grad_norms)


def test_a_gif_of_the_gradient_pane_is_refused_in_one_line(tmp_path: Path) -> None:
    out, result = export(tmp_path, "gradient", "gradient.gif")
    assert result.returncode == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("calcgui")]
    assert errors == ["calcgui: error: the gradient pane has no animation to export as GIF "
                      "(the tangent and descent panes have)"]
    assert "Traceback" not in result.stderr and not out.exists()


@pytest.mark.parametrize(("args", "message"), [
    (["--frames", "10"], "--frames goes with --export of a .gif"),
    (["--export", "out.csv", "--frames", "10"], "--frames goes with --export of a .gif"),
    (["--export", "out.gif", "--frames", "1"], "--frames must be between 2 and 1200"),
    (["--export", "out.jpg"], "--export must name a .png, .svg, .gif or .csv file"),
])
def test_bad_export_arguments_exit_2(args: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err
