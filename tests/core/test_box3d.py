"""What the 3D view may draw: lines and planes cut to the surface's box."""

from __future__ import annotations

import numpy as np
import pytest

from calcgui.core.box3d import clip_segments, finite_triangles, fitting_half_width, path_in_box, tangent_patch

BOX = ((-2.0, 2.0), (-1.0, 3.0), (0.0, 2500.0))


def inside(points: np.ndarray, box=BOX) -> bool:
    low = np.array([b[0] for b in box])
    high = np.array([b[1] for b in box])
    return bool(np.all((points >= low - 1e-9) & (points <= high + 1e-9)))


def test_a_segment_is_cut_where_it_leaves_the_box() -> None:
    starts, ends, kept = clip_segments(np.array([[0.0, 0.0, 0.0]]), np.array([[4.0, 2.0, 0.0]]),
                                       ((-1, 1), (-1, 1), (-1, 1)))
    assert kept.tolist() == [True]
    assert ends[0] == pytest.approx([1.0, 0.5, 0.0])
    _, _, kept = clip_segments(np.array([[2.0, 2.0, 0.0]]), np.array([[3.0, 2.0, 0.0]]), ((-1, 1), (-1, 1), (-1, 1)))
    assert kept.tolist() == [False]  # wholly outside: not drawn at all


def test_a_diverged_step_ends_at_the_box_the_way_it_went() -> None:
    """Rosenbrock, GD at lr 0.1: (−1.5, 2) then (14, 7) with a loss of 3.6e6, then 1e5 away."""
    path = np.array([[-1.5, 2.0, 12.5], [14.0, 7.0, 3572269.0], [-105828.6, 3787.0, 1.25e22]])
    drawn = path_in_box(path, BOX)
    assert len(drawn) == 2 and inside(drawn)
    assert drawn[0] == pytest.approx(path[0])
    step = (path[1] - path[0]) / np.linalg.norm(path[1] - path[0])
    went = (drawn[1] - drawn[0]) / np.linalg.norm(drawn[1] - drawn[0])
    assert went == pytest.approx(step)  # along the step, not to the box's far corner
    assert drawn[1][2] == pytest.approx(2500.0)  # through the lid


def test_points_over_the_grid_lie_on_the_clamped_surface() -> None:
    path = np.array([[0.0, 0.0, 1.0], [1.0, 1.0, 9000.0], [1.5, 2.0, 3.0]])
    drawn = path_in_box(path, BOX)
    assert drawn.reshape(-1, 2, 3)[:, 1, 2].tolist() == [2500.0, 3.0]
    assert len(path_in_box(np.array([[0.0, 0.0, np.nan], [1.0, 1.0, 1.0]]), BOX)) == 0  # undefined: a gap
    assert path_in_box(np.array([[9.0, 0.0, 1.0]]), BOX).shape == (0, 3)


def test_a_steep_tangent_plane_is_a_patch_round_p_inside_the_box() -> None:
    """Rosenbrock at (−1.5, 2): f = 12.5 just above the floor, |∇f| ≈ 150."""
    x0, y0 = -1.5, 2.0
    z0, fx, fy = 12.5, -2 * (1 - x0) - 400 * x0 * (y0 - x0 ** 2), 200 * (y0 - x0 ** 2)
    patch = tangent_patch(x0, y0, z0, fx, fy, 1.2, BOX)
    assert len(patch) >= 3 and inside(patch)
    plane = z0 + fx * (patch[:, 0] - x0) + fy * (patch[:, 1] - y0)
    assert patch[:, 2] == pytest.approx(plane, abs=1e-6)  # on the plane, not flattened
    edges = np.roll(patch[:, :2], -1, axis=0) - patch[:, :2]
    to_p = np.array([x0, y0]) - patch[:, :2]
    turns = edges[:, 0] * to_p[:, 1] - edges[:, 1] * to_p[:, 0]
    assert np.all(turns >= 0) or np.all(turns <= 0)  # P lies on the patch
    assert patch[:, 2].max() <= z0 + 0.02 * 2500 + 1e-6  # about as far above f(P) as the floor is below


def test_no_tangent_patch_where_p_is_outside_the_box() -> None:
    assert tangent_patch(0.0, 0.0, 5000.0, 1.0, 1.0, 1.0, BOX).shape == (0, 3)
    assert tangent_patch(0.0, 0.0, np.nan, 1.0, 1.0, 1.0, BOX).shape == (0, 3)
    flat = tangent_patch(0.0, 1.0, 3.0, 0.0, 0.0, 0.5, BOX)
    assert len(flat) == 4 and np.all(flat[:, 2] == 3.0)


def test_the_patch_shrinks_to_where_the_plane_fits_f() -> None:
    f = lambda x, y: 100 * x ** 2 + y ** 2  # noqa: E731
    half = fitting_half_width(f, 0.0, 0.0, 0.0, 0.0, 0.0, 2.0, tolerance=26.0)
    assert half == 0.5  # 100·0.5² + 0.5² ≈ 25 fits, 100·1² does not


def test_triangles_only_where_f_is_defined() -> None:
    with np.errstate(all="ignore"):
        xs = np.linspace(-1, 1, 5)
        z = np.log(xs[None, :] * xs[:, None])  # ln(x·y): undefined in two quadrants and on the axes
    faces = finite_triangles(z)
    assert len(faces) > 0
    assert np.isfinite(z.ravel()[faces]).all()
    assert len(finite_triangles(np.full((3, 3), np.nan))) == 0
