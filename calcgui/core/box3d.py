"""What the 3D view may draw: geometry cut to the surface's box.

The 3D view shows f(x, y) inside a box: the grid's x and y ranges and a z range that frames
the surface's bulk (values above it are drawn flat on the lid). Anything drawn with the surface
has to stay in that box, or the projected picture lies: a diverged descent step at 1e17 with a
loss of 1e30, clamped vertex by vertex, becomes a line from the path to the box's far top
corner, straight across the view; a steep tangent plane clamped the same way becomes a flat
square beside P. Here lines and planes are *cut* where they leave the box, so what remains is
exactly the part that lies inside it. Pure numpy, so the rules are tested without OpenGL.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

#: ((x0, x1), (y0, y1), (z0, z1)): the surface's box in data coordinates.
Box = tuple[tuple[float, float], tuple[float, float], tuple[float, float]]


def clip_segments(starts: np.ndarray, ends: np.ndarray, box: Box) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Liang–Barsky: the part of each segment (m, 3) inside ``box``.

    Returns the clipped starts and ends of the segments that meet the box, and the mask of
    those segments. Non-finite ends are dropped (there is no direction to cut along)."""
    starts, ends = np.asarray(starts, float).reshape(-1, 3), np.asarray(ends, float).reshape(-1, 3)
    low = np.array([b[0] for b in box], dtype=float)
    high = np.array([b[1] for b in box], dtype=float)
    delta = ends - starts
    t0, t1 = np.zeros(len(starts)), np.ones(len(starts))
    keep = np.all(np.isfinite(starts) & np.isfinite(ends), axis=1)
    with np.errstate(all="ignore"):
        for axis in range(3):
            d, s = delta[:, axis], starts[:, axis]
            still = d == 0
            keep &= ~still | ((s >= low[axis]) & (s <= high[axis]))  # parallel and outside: gone
            ta, tb = (low[axis] - s) / d, (high[axis] - s) / d
            enter, leave = np.minimum(ta, tb), np.maximum(ta, tb)
            t0 = np.where(still, t0, np.maximum(t0, enter))
            t1 = np.where(still, t1, np.minimum(t1, leave))
    keep &= t0 <= t1
    clipped_starts = starts + t0[:, None] * delta
    clipped_ends = starts + t1[:, None] * delta
    # the cut lands on a face up to round-off: put it exactly inside
    return (np.clip(clipped_starts[keep], low, high), np.clip(clipped_ends[keep], low, high), keep)


def segments_in_box(starts: np.ndarray, ends: np.ndarray, box: Box) -> np.ndarray:
    """Segments (m, 3) from ``starts`` to ``ends`` of points (x, y, f(x, y)), as pairs
    (2k, 3) inside ``box``.

    A point over the grid keeps its place with z clamped to the box: it lies on the surface,
    which is drawn clamped too. A point off the grid (a diverged step) is not moved to the
    box's edge; the segment towards it is cut where it leaves the box, so the line ends at the
    wall or the lid it went through, pointing the way the run went. Segments with a NaN end
    (f undefined there) are left out."""
    placed = [_on_surface(np.asarray(p, float).reshape(-1, 3), box) for p in (starts, ends)]
    kept_starts, kept_ends, _ = clip_segments(placed[0], placed[1], box)
    return np.stack([kept_starts, kept_ends], axis=1).reshape(-1, 3)


def path_in_box(points: np.ndarray, box: Box) -> np.ndarray:
    """A path (m, 3) as segment pairs inside ``box`` (see :func:`segments_in_box`); a path of
    one point is that point, if it lies over the grid."""
    points = np.asarray(points, float).reshape(-1, 3)
    if len(points) == 1:
        point = _on_surface(points, box)
        (x0, x1), (y0, y1), _ = box
        inside = np.isfinite(point).all() and x0 <= point[0, 0] <= x1 and y0 <= point[0, 1] <= y1
        return point if inside else np.empty((0, 3))
    return segments_in_box(points[:-1], points[1:], box)


def _on_surface(points: np.ndarray, box: Box) -> np.ndarray:
    """``points`` with z clamped to the box where they lie over the grid."""
    (x0, x1), (y0, y1), (z0, z1) = box
    over_grid = (points[:, 0] >= x0) & (points[:, 0] <= x1) & (points[:, 1] >= y0) & (points[:, 1] <= y1)
    placed = points.copy()
    placed[over_grid, 2] = np.clip(placed[over_grid, 2], z0, z1)  # NaN stays NaN
    return placed


def _clip_polygon(polygon: np.ndarray, normal: np.ndarray, limit: float) -> np.ndarray:
    """Sutherland–Hodgman: the part of a convex polygon (k, 2) where normal·p <= limit."""
    if not len(polygon):
        return polygon
    side = polygon @ normal - limit
    out = []
    for k in range(len(polygon)):
        a, b = polygon[k], polygon[(k + 1) % len(polygon)]
        sa, sb = side[k], side[(k + 1) % len(polygon)]
        if sa <= 0:
            out.append(a)
        if (sa < 0 < sb) or (sb < 0 < sa):
            out.append(a + (b - a) * (sa / (sa - sb)))
    return np.array(out).reshape(-1, 2)


def tangent_patch(x0: float, y0: float, z0: float, fx: float, fy: float, half: float, box: Box) -> np.ndarray:
    """The tangent plane z = z0 + fx·(x − x0) + fy·(y − y0) round P = (x0, y0) inside
    ``box``: a convex polygon (k, 3), empty where P itself is outside the box.

    The square of half-width ``half`` round P is cut to the grid, then to the band where the
    plane stays as far above and below f(P) as the box allows on the nearer side, so that P
    stays at the patch's centre: a steep plane (Rosenbrock's valley wall) becomes a strip
    along the level line through P, not a sheet hanging off to one side of it."""
    if not all(np.isfinite(v) for v in (x0, y0, z0, fx, fy, half)) or half <= 0:
        return np.empty((0, 3))
    (xa, xb), (ya, yb), (za, zb) = box
    if not (xa <= x0 <= xb and ya <= y0 <= yb and za <= z0 <= zb):
        return np.empty((0, 3))
    polygon = np.array([[x0 - half, y0 - half], [x0 + half, y0 - half], [x0 + half, y0 + half],
                        [x0 - half, y0 + half]], dtype=float)
    for normal, limit in (((1.0, 0.0), xb), ((-1.0, 0.0), -xa), ((0.0, 1.0), yb), ((0.0, -1.0), -ya)):
        polygon = _clip_polygon(polygon, np.array(normal), limit)
    slope = np.array([fx, fy])
    if np.any(slope):
        room = max(min(zb - z0, z0 - za), 0.02 * (zb - za))  # never a zero-width strip
        low, high = max(z0 - room, za), min(z0 + room, zb)
        base = fx * x0 + fy * y0 - z0  # z = slope·p − base
        polygon = _clip_polygon(polygon, slope, high + base)      # z <= high
        polygon = _clip_polygon(polygon, -slope, -(low + base))   # z >= low
    if len(polygon) < 3:
        return np.empty((0, 3))
    z = np.clip(z0 + (polygon - (x0, y0)) @ slope, za, zb)  # exact up to round-off
    return np.c_[polygon, z]


def fitting_half_width(f: Callable[[np.ndarray, np.ndarray], np.ndarray], x0: float, y0: float, z0: float,
                       fx: float, fy: float, half: float, tolerance: float, tries: int = 6) -> float:
    """The largest of ``half``, half/2, half/4 … over whose square round P the tangent plane
    stays within ``tolerance`` of f: where the plane is what it claims to be, the linear
    approximation of f. On Rosenbrock's valley wall a patch a third of the view wide is far
    from the surface except at P; a smaller one hugs it. f undefined on a square: smaller."""
    offsets = np.linspace(-1.0, 1.0, 9)
    for k in range(tries):
        h = half / 2 ** k
        dx, dy = np.meshgrid(offsets * h, offsets * h)
        with np.errstate(all="ignore"):
            gap = np.abs(f(x0 + dx, y0 + dy) - (z0 + fx * dx + fy * dy))
        if np.all(gap <= tolerance):  # NaN (undefined) fails
            return h
    return half / 2 ** tries


def finite_triangles(z: np.ndarray) -> np.ndarray:
    """Triangles (k, 3) of vertex indices (row-major, ``z[j, i]`` is vertex j·nx + i) of the
    grid's cells, two a cell, keeping only those whose three corners are finite: where f is
    undefined (ln(x·y) for x·y <= 0) the surface has a hole, not a floor of made-up values."""
    ny, nx = z.shape
    if ny < 2 or nx < 2:
        return np.empty((0, 3), dtype=np.int64)
    index = np.arange(ny * nx).reshape(ny, nx)
    a, b = index[:-1, :-1].ravel(), index[:-1, 1:].ravel()
    c, d = index[1:, 1:].ravel(), index[1:, :-1].ravel()
    triangles = np.concatenate([np.c_[a, b, c], np.c_[a, c, d]])
    finite = np.isfinite(z).ravel()
    return triangles[finite[triangles].all(axis=1)]
