"""The 3D view on a real OpenGL context (Xvfb + Mesa), and the fallback where there is none.

pytest's QApplication runs on the offscreen platform, which has no OpenGL; these tests run the
app in a subprocess on the X server instead (scripts/test.sh starts Xvfb)."""

from __future__ import annotations

import json
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
