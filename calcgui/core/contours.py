"""Level lines of a gridded surface by vectorised marching squares.

A contour view redraws a dozen level lines whenever the function or the view changes; a
per-cell Python loop (pyqtgraph's ``isocurve``) takes ~15 ms a level on a 200×200 grid, this
takes well under 1 ms. The output is a list of segments, which a plot draws with one
``connect="pairs"`` item per level.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# For each of the 16 corner patterns (bit 0: lower-left, 1: lower-right, 2: upper-right,
# 3: upper-left above the level), the pairs of cell edges a level line joins. Edges:
# 0 bottom, 1 right, 2 top, 3 left. Saddles (5, 10) are split by the cell's mean value.
_EDGE_PAIRS: dict[int, tuple[tuple[int, int], ...]] = {
    1: ((3, 0),), 2: ((0, 1),), 3: ((3, 1),), 4: ((1, 2),), 6: ((0, 2),), 7: ((3, 2),),
    8: ((2, 3),), 9: ((0, 2),), 11: ((1, 2),), 12: ((1, 3),), 13: ((0, 1),), 14: ((3, 0),),
}
_SADDLE_PAIRS = {  # (centre above level, centre below level)
    5: (((3, 2), (0, 1)), ((3, 0), (1, 2))),
    10: (((0, 3), (1, 2)), ((0, 1), (2, 3))),
}


@dataclass(frozen=True)
class LevelLine:
    """The level set f = ``level`` as segments: ``segments[k] = ((x0, y0), (x1, y1))``."""

    level: float
    segments: np.ndarray  # shape (m, 2, 2)

    def label_position(self) -> tuple[float, float] | None:
        """A point on the line to put its label at: the segment nearest the line's middle."""
        if not len(self.segments):
            return None
        mids = self.segments.mean(axis=1)
        centre = mids.mean(axis=0)
        best = np.argmin(np.sum((mids - centre) ** 2, axis=1))
        return float(mids[best, 0]), float(mids[best, 1])


def _edge_points(xs: np.ndarray, ys: np.ndarray, z: np.ndarray, level: float,
                 i: np.ndarray, j: np.ndarray, edge: int) -> np.ndarray:
    """Where the level crosses ``edge`` of cells (j, i), linearly interpolated."""
    corners = {0: ((0, 0), (0, 1)), 1: ((0, 1), (1, 1)), 2: ((1, 1), (1, 0)), 3: ((1, 0), (0, 0))}[edge]
    (ja, ia), (jb, ib) = corners
    za, zb = z[j + ja, i + ia], z[j + jb, i + ib]
    with np.errstate(all="ignore"):
        t = np.clip((level - za) / (zb - za), 0.0, 1.0)
    t = np.where(np.isfinite(t), t, 0.5)
    x = xs[i + ia] + t * (xs[i + ib] - xs[i + ia])
    y = ys[j + ja] + t * (ys[j + jb] - ys[j + ja])
    return np.stack([x, y], axis=-1)


def level_line(xs: np.ndarray, ys: np.ndarray, z: np.ndarray, level: float) -> LevelLine:
    """The segments of f = ``level`` on the grid ``z[j, i] = f(xs[i], ys[j])``.

    Cells with a NaN corner are skipped, so undefined regions leave a gap, not a wrong line.
    """
    above = z > level
    case = (above[:-1, :-1].astype(np.int8) | (above[:-1, 1:] << 1) | (above[1:, 1:] << 2)
            | (above[1:, :-1] << 3))
    defined = np.isfinite(z)
    defined = defined[:-1, :-1] & defined[:-1, 1:] & defined[1:, 1:] & defined[1:, :-1]
    pieces = []
    for pattern, pairs in _EDGE_PAIRS.items():
        j, i = np.nonzero((case == pattern) & defined)
        for a, b in pairs:
            pieces.append(np.stack([_edge_points(xs, ys, z, level, i, j, a),
                                    _edge_points(xs, ys, z, level, i, j, b)], axis=1))
    for pattern, (high, low) in _SADDLE_PAIRS.items():
        j, i = np.nonzero((case == pattern) & defined)
        if not len(j):
            continue
        centre_above = (z[j, i] + z[j, i + 1] + z[j + 1, i + 1] + z[j + 1, i]) / 4 > level
        for mask, pairs in ((centre_above, high), (~centre_above, low)):
            for a, b in pairs:
                pieces.append(np.stack([_edge_points(xs, ys, z, level, i[mask], j[mask], a),
                                        _edge_points(xs, ys, z, level, i[mask], j[mask], b)], axis=1))
    segments = np.concatenate(pieces) if pieces else np.empty((0, 2, 2))
    segments = segments[np.any(segments[:, 0] != segments[:, 1], axis=1)]  # a level through a node
    return LevelLine(float(level), segments)


def nice_levels(low: float, high: float, count: int = 12) -> np.ndarray:
    """About ``count`` round levels strictly inside (low, high): 1, 2 or 5 times a power of 10."""
    if not (np.isfinite(low) and np.isfinite(high)) or high <= low:
        return np.empty(0)
    raw = (high - low) / max(count, 1)
    power = 10.0 ** np.floor(np.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    first = np.floor(low / step + 1) * step
    levels = np.arange(first, high, step)
    levels = levels[(levels > low) & (levels < high)]
    return np.round(levels / step) * step


def log_levels(low: float, high: float, count: int = 12) -> np.ndarray:
    """About ``count`` round levels strictly inside (low, high), both > 0, spaced evenly on a
    log scale: 1, 10, 100 … or, over few decades, 1, 2, 5, 10 … . For a map coloured by the
    logarithm of f, whose lines must still be at values a person reads at a glance."""
    if not (np.isfinite(low) and np.isfinite(high)) or high <= low or low <= 0:
        return np.empty(0)
    first, last = int(np.floor(np.log10(low))), int(np.ceil(np.log10(high)))
    decades = 10.0 ** np.arange(first, last + 1)
    for mantissas in ((1.0, 2.0, 5.0), (1.0, 3.0), (1.0,)):
        levels = (decades[:, None] * np.array(mantissas)[None, :]).ravel()
        levels = levels[(levels > low) & (levels < high)]
        if len(levels) <= count:
            break
    while len(levels) > count:  # very many decades: every other one
        levels = levels[::2]
    return levels


def level_lines(xs: np.ndarray, ys: np.ndarray, z: np.ndarray, levels: np.ndarray) -> list[LevelLine]:
    """:func:`level_line` for each level."""
    return [level_line(xs, ys, z, float(level)) for level in levels]
