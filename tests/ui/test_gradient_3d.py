"""The 3D view on a real OpenGL context (Xvfb + Mesa), and the fallback where there is none.

pytest's QApplication runs on the offscreen platform, which has no OpenGL; these tests run the
app in a subprocess on the X server instead (scripts/test.sh starts Xvfb)."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent
needs_display = pytest.mark.skipif(not os.environ.get("DISPLAY"), reason="needs an X server (run scripts/test.sh)")


def run_on_x(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "QT_QPA_PLATFORM": "xcb", **env}
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, env=environment, timeout=120)


def render(**env: str) -> dict:
    done = run_on_x(str(HERE / "render_3d.py"), **env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@needs_display
def test_3d_view_renders_the_surface_and_the_point_under_xvfb() -> None:
    report = render()
    assert report["platform"] == "xcb"
    assert report["available"], report["message"]
    assert report["size"][0] > 200 and report["size"][1] > 200
    assert report["distinct_colours"] > 500  # a shaded, colour-mapped surface, not a blank
    assert 0.15 < report["non_white"] < 0.95
    assert all(report["overlays"].values()), report["overlays"]


@needs_display
def test_without_opengl_the_3d_area_shows_a_message_not_a_crash() -> None:
    report = render(CALCGUI_NO_OPENGL="1")
    assert not report["available"]
    assert "3D view" in report["message"] and "2D" in report["message"]


@needs_display
@pytest.mark.parametrize("no_gl", ["0", "1"])
def test_screenshot_of_the_gradient_pane_works_with_and_without_opengl(tmp_path: Path, no_gl: str) -> None:
    out = tmp_path / "gradient.png"
    done = run_on_x("-m", "calcgui", "--pane", "gradient", "--function", "x e^(-x^2 - y^2)",
                    "--screenshot", str(out), CALCGUI_NO_OPENGL=no_gl)
    assert done.returncode == 0, done.stderr
    assert out.stat().st_size > 20_000


@needs_display
def test_3d_view_is_drawn_off_screen_orbits_and_appears_in_the_window_picture() -> None:
    """No QOpenGLWidget in the window (one made Qt compose the whole window through OpenGL on
    every repaint: 12-14 ms a frame under llvmpipe); the view still orbits under a drag, draws
    its axis names, and is in the window's own picture, pixel for pixel; a second 3D view in
    the same window renders too."""
    done = run_on_x(str(HERE / "offscreen_3d.py"))
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["available"]
    assert report["opengl_widgets"] == 0
    assert report["grab_matches_view"] == 0.0
    assert report["azimuth_turned"] != 0
    assert report["orbit_changed_pixels"] > 0.2
    assert report["grab_after_orbit_matches_view"] == 0.0
    assert report["labels_pixels"] > 0.005  # x, y and z drawn, and gone when hidden
    # the Descent pane's view, rendered after the Gradient pane's: a shaded surface, not the
    # near-blank of a second, unshared context using the first one's shader programs (104)
    assert report["descent_colours"] > 500


# -- geometry inside the box (issue #13 part 6) ----------------------------------------------------
def inspect(*args: str) -> dict:
    root = str(HERE.parent.parent)  # this checkout's calcgui, not whichever one is installed
    done = run_on_x(str(HERE / "inspect_3d.py"), *args,
                    PYTHONPATH=os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH", "")])))
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["available"]
    return report


def within(points: list, box: list, slack: float = 0.0) -> bool:
    """Inside the box, up to the GL items' float32 round-off (and ``slack`` of its height)."""
    (x0, x1), (y0, y1), (z0, z1) = box
    dx, dy, dz = 1e-6 * (x1 - x0), 1e-6 * (y1 - y0), (slack + 1e-6) * (z1 - z0)
    return all(x0 - dx <= x <= x1 + dx and y0 - dy <= y <= y1 + dy and z0 - dz <= z <= z1 + dz
               for x, y, z in points)


@needs_display
def test_rosenbrock_tangent_plane_is_a_patch_round_p_inside_the_box() -> None:
    """Once clamped into a flat square beside P; at (−1.5, 2) the plane is steep (|∇f| ≈ 150)."""
    report = inspect("plane", "(1-x)^2+100(y-x^2)^2", "-1.5", "2")
    plane, box = report["plane"], report["box"]
    x, y, value, fx, fy = report["point"]
    assert len(plane) >= 3 and within(plane, box)
    for px, py, pz in plane:  # on the plane itself, not flattened onto the box's lid or floor
        assert abs(pz - (value + fx * (px - x) + fy * (py - y))) <= 1e-4 * (box[2][1] - box[2][0])
    xs, ys = [p[0] for p in plane], [p[1] for p in plane]
    assert min(xs) <= x <= max(xs) and min(ys) <= y <= max(ys)  # round P


@needs_display
def test_a_diverged_run_stays_in_the_3d_box_and_ends_the_way_it_went() -> None:
    """GD at lr 0.1 on Rosenbrock: once a line to the box's far top corner, across the view."""
    report = inspect("race", "0.1", "50")
    assert report["diverged_at"] is not None
    line, box = report["line"], report["box"]
    assert line and within(line, box, slack=0.02)  # the line is drawn a hair above the surface
    (x0, x1), (y0, y1), _ = box
    points = report["points"]
    inside = [p for p in points if x0 <= p[0] <= x1 and y0 <= p[1] <= y1]
    outside = next(p for p in points if not (x0 <= p[0] <= x1 and y0 <= p[1] <= y1))
    last_in, end = inside[-1], line[-1]
    # the end lies on the step from the last point over the grid towards the first one off it
    scale = [x1 - x0, y1 - y0, box[2][1] - box[2][0]]
    step = [(b - a) / s for a, b, s in zip(last_in, outside, scale)]
    went = [(b - a) / s for a, b, s in zip(last_in, end, scale)]
    assert abs(went[0] * step[1] - went[1] * step[0]) <= 1e-3 * max(1.0, abs(step[0]) + abs(step[1]))
    assert report["heads"] and within(report["heads"], box, slack=0.04)


@needs_display
def test_where_f_is_undefined_the_surface_has_a_hole_not_garbage() -> None:
    """ln(x·y): undefined in two quadrants; once a floor of made-up values with green edges."""
    report = inspect("surface", "ln(x y)")
    assert report["faces"] > 1000
    vertices, colors = report["used_vertices"], report["used_colors"]
    assert all(math.isfinite(v) for vertex in vertices for v in vertex)
    assert all(x * y > 0 for x, y, _ in vertices)  # only where ln(x·y) exists
    assert all(c[3] == 1.0 and all(0.0 <= v <= 1.0 for v in c) for c in colors)
