"""Where to put the labels of level lines so that none covers another.

A label at the middle of each line piles up wherever the lines crowd: Rosenbrock's valley put
"0.0994" over "0.999" and "10", and the closed rings of sin x · cos y all have their middle at
the same point. A class reads a number that is half hidden as a different number, so a label is
placed only where its box (with a margin) is clear of every label placed before it and lies
wholly inside the view; a level that has no such place is left unlabelled. Greedy, over a few
dozen candidate points a line, vectorised: about a millisecond for a dozen levels.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

#: Candidate points tried per level line.
MAX_CANDIDATES = 160
#: Labels at least this many label sizes apart count as well spread; beyond that, a label
#: prefers the middle of its line.
SPREAD = 3.0


def _candidates(segments: np.ndarray) -> np.ndarray:
    """Up to MAX_CANDIDATES segment midpoints spread along the line, middle of the line first."""
    if not len(segments):
        return np.empty((0, 2))
    mids = np.asarray(segments, float).reshape(-1, 2, 2).mean(axis=1)
    mids = mids[np.all(np.isfinite(mids), axis=1)]
    if len(mids) > MAX_CANDIDATES:
        mids = mids[np.linspace(0, len(mids) - 1, MAX_CANDIDATES).round().astype(int)]
    centre = mids.mean(axis=0) if len(mids) else np.zeros(2)
    return mids[np.argsort(np.sum((mids - centre) ** 2, axis=1), kind="stable")]


def place_labels(lines: Sequence[np.ndarray], sizes: Sequence[tuple[float, float]],
                 view: tuple[tuple[float, float], tuple[float, float]], *, margin: float = 0.35,
                 avoid: Sequence[tuple[float, float, float, float]] = ()) -> list[tuple[float, float] | None]:
    """The centre of each line's label, or None where it would overlap.

    ``lines[k]`` holds the segments (m, 2, 2) of one level line and ``sizes[k]`` its label's
    (width, height) in data units. A label's box, grown by ``margin`` label heights on every
    side, must not meet another label's box nor any ``avoid`` rectangle (x0, y0, x1, y1), and
    the label must lie inside ``view`` by that same margin. Among the free places a label takes
    one far from the labels already placed, then the one nearest the middle of its line.
    """
    (vx0, vx1), (vy0, vy1) = view
    placed: list[np.ndarray] = []  # rows: cx, cy, half width, half height (with margin)
    for x0, y0, x1, y1 in avoid:
        placed.append(np.array([(x0 + x1) / 2, (y0 + y1) / 2, abs(x1 - x0) / 2, abs(y1 - y0) / 2]))
    avoided = len(placed)
    out: list[tuple[float, float] | None] = [None] * len(lines)
    # every other level first: where lines crowd, the labels kept are spread over the levels
    order = [*range(0, len(lines), 2), *range(1, len(lines), 2)]
    for k in order:
        segments, (width, height) = lines[k], sizes[k]
        pad = margin * height
        hw, hh = width / 2 + pad, height / 2 + pad
        spots = _candidates(segments)
        inside = ((spots[:, 0] - hw >= vx0) & (spots[:, 0] + hw <= vx1)
                  & (spots[:, 1] - hh >= vy0) & (spots[:, 1] + hh <= vy1))
        spots = spots[inside]
        if not len(spots) or not (width > 0 and height > 0):
            continue
        if placed:
            others = np.array(placed)
            dx = np.abs(spots[:, None, 0] - others[None, :, 0])
            dy = np.abs(spots[:, None, 1] - others[None, :, 1])
            free = ~np.any((dx < hw + others[None, :, 2]) & (dy < hh + others[None, :, 3]), axis=1)
            labels = others[avoided:]
            if len(labels):
                gaps = np.sqrt((dx[:, avoided:] / (2 * hw)) ** 2 + (dy[:, avoided:] / (2 * hh)) ** 2).min(axis=1)
            else:
                gaps = np.full(len(spots), SPREAD)
        else:
            free, gaps = np.ones(len(spots), dtype=bool), np.full(len(spots), SPREAD)
        if not free.any():
            continue
        # the most spread-out free spot; ties (all far enough) go to the earliest, nearest the middle
        score = np.where(free, np.minimum(gaps, SPREAD), -1.0)
        best = int(np.argmax(score))
        cx, cy = spots[best]
        placed.append(np.array([cx, cy, hw, hh]))
        out[k] = (float(cx), float(cy))
    return out
