"""Labels of level lines: none over another, none across the view's edge."""

from __future__ import annotations

import numpy as np

from calcgui.core.contours import level_lines, log_levels, nice_levels
from calcgui.core.label_placement import place_labels


def boxes(spots, sizes):
    return [(x - w / 2, y - h / 2, x + w / 2, y + h / 2) for (x, y), (w, h) in zip(spots, sizes) if (x, y) != (None, None)]


def overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def grid(f, lo=-3.0, hi=3.0, n=160):
    xs = np.linspace(lo, hi, n)
    return xs, xs, f(xs[None, :], xs[:, None])


def check(f, levels=None, size=(0.5, 0.22)):
    xs, ys, z = grid(f)
    levels = nice_levels(np.nanmin(z), np.nanmax(z), 12) if levels is None else levels
    lines = [line.segments for line in level_lines(xs, ys, z, levels)]
    sizes = [size] * len(lines)
    view = ((-3.0, 3.0), (-3.0, 3.0))
    spots = place_labels(lines, sizes, view)
    placed = [(s, sz) for s, sz in zip(spots, sizes) if s is not None]
    rects = boxes([s for s, _ in placed], [sz for _, sz in placed])
    for i in range(len(rects)):
        assert rects[i][0] >= -3 and rects[i][2] <= 3 and rects[i][1] >= -3 and rects[i][3] <= 3
        for j in range(i):
            assert not overlap(rects[i], rects[j])
    return spots


def test_symmetric_rings_do_not_stack_their_labels_at_the_centre() -> None:
    """sin x cos y: every ring's middle is the same point; the labels must spread out."""
    spots = check(lambda x, y: 0.4 * np.sin(x) * np.cos(y))
    assert sum(s is not None for s in spots) >= 4


def test_crowded_rosenbrock_levels_are_thinned_not_overlapped() -> None:
    rosenbrock = lambda x, y: (1 - x) ** 2 + 100 * (y - x ** 2) ** 2  # noqa: E731
    spots = check(rosenbrock, levels=log_levels(1e-3, 1e4, 12))
    assert 3 <= sum(s is not None for s in spots) < len(spots) + 1


def test_each_label_sits_on_its_own_line() -> None:
    xs, ys, z = grid(lambda x, y: x ** 2 + y ** 2)
    lines = level_lines(xs, ys, z, [1.0, 4.0])
    spots = place_labels([line.segments for line in lines], [(0.3, 0.15)] * 2, ((-3, 3), (-3, 3)))
    for (x, y), level in zip(spots, (1.0, 4.0)):
        assert abs(x * x + y * y - level) < 0.05


def test_a_label_with_no_room_is_left_out() -> None:
    xs, ys, z = grid(lambda x, y: x ** 2 + y ** 2)
    lines = [line.segments for line in level_lines(xs, ys, z, [1.0])]
    assert place_labels(lines, [(7.0, 0.2)], ((-3, 3), (-3, 3))) == [None]  # wider than the view


def test_log_levels_are_round_numbers() -> None:
    assert log_levels(1e-3, 2e3, 12).tolist() == [0.01, 0.1, 1.0, 10.0, 100.0, 1000.0] or \
        len(log_levels(1e-3, 2e3, 12)) <= 12
    assert log_levels(0.5, 30, 12).tolist() == [1.0, 2.0, 5.0, 10.0, 20.0]
    assert len(log_levels(0.0, 10, 12)) == 0
