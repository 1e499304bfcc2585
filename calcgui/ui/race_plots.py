"""How the Descent pane draws a race, at a cost per frame that does not grow with the steps.

Each optimizer has a fixed set of items, made once: its path on the map (a line, no marker
per iterate), its head (one marker), its loss and ‖∇f‖ curves and its 3D line. A frame sets
their data and nothing else. What keeps a frame at step 5,000 as cheap as at step 10:

* a path is two lines: its history up to the last multiple of :data:`HISTORY_STEPS`, set
  again only when that moves and otherwise blitted from a cached pixmap, and the few
  steps since; the history is thinned to the map's pixels when it is set (consecutive
  iterates in one pixel are one vertex: a converged run's thousands of steps in place cost
  nothing to draw);
* what is drawable of a run (finite, clipped to the map) is worked out for its new steps
  only (:class:`DrawableRun`), not for all 5,000 again each frame;
* the loss and ‖∇f‖ curves are downsampled to the plot's width and clipped to its view;
* their axes move in whole steps (0…N with N a round number, y in whole decades), so the
  axes and grid, cached as pixmaps, are redrawn only when a range changes;
* a run that did not move since the last frame (diverged, or its settings unchanged) is not
  set again.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Mapping

import numpy as np
import pyqtgraph as pg

from calcgui.core.descent import Descent
from calcgui.ui.appearance import appearance, follow
from calcgui.ui.contour_map import ContourMap
from calcgui.ui.plot_style import brush, cache_as_pixmap, pen
from calcgui.ui.surface_view import SurfaceView

#: The loss and ‖∇f‖ plots never show a step axis shorter than this.
MIN_STEP_AXIS = 10
#: The per-step plots' ranges reach this fraction of their span past their round ends (steps,
#: values), so that the labels at the ends, 0 and N included, fit and are drawn (pyqtgraph
#: drops a label that would stick out of its axis).
STEP_MARGIN, VALUE_MARGIN = 0.04, 0.12
#: Values below this are drawn at it on the log axes (a loss of exactly 0 has no logarithm).
LOG_FLOOR = 1e-16
#: The per-step plots show at most this many decades below their highest value.
MAX_DECADES = 12
_HIDDEN = ("hidden",)
#: The per-step curves, and everything a frame may leave for a later one.
CURVE_KINDS = ("loss", "norm")
SLOW_PARTS = (*CURVE_KINDS, "3d")
#: A path's history is redrawn (and cached) once every this many steps; the tail since is
#: painted every frame, so it is kept short: at 256 a frame at step 5,000 cost 1.3× one at step 10.
HISTORY_STEPS = 64
#: The loss and ‖∇f‖ curves' histories are set less often: setting one (downsampled to the
#: plot's width, its cached pixmap drawn again) costs ~10 ms, so at every 64 steps those
#: frames were the p95; their recent part is drawn only every third frame, downsampled.
CURVE_HISTORY_STEPS = 512


def round_step_limit(step: int) -> int:
    """The end of a step axis that shows ``step``: the next of 10, 20, 50, 100, 200, 500 …"""
    need = max(int(step), MIN_STEP_AXIS)
    decade = 10 ** math.floor(math.log10(need))
    return next(m * decade for m in (1, 2, 5, 10) if m * decade >= need)


def decade_range(arrays: list[np.ndarray]) -> tuple[float, float]:
    """log10 of the whole decades that hold every positive finite value: (−1, 2) for
    0.3 … 45. Whole decades change rarely, so the axis is seldom redrawn."""
    values = [a[np.isfinite(a) & (a > 0)] for a in arrays]
    values = [v for v in values if v.size]
    if not values:
        return 0.0, 1.0
    high = math.ceil(math.log10(max(float(v.max()) for v in values)))
    low = math.floor(math.log10(min(float(v.min()) for v in values)))
    low = max(low, high - MAX_DECADES)
    return float(low), float(max(high, low + 1))


def thin_to_pixels(points: np.ndarray, pixel: tuple[float, float]) -> np.ndarray:
    """Indices of the points to draw: the first, the last, and each point in another pixel
    than the one before it. The drawn line looks the same; its vertices stay bounded by the
    pixels it crosses, not the steps taken."""
    if len(points) <= 2 or not all(math.isfinite(p) and p > 0 for p in pixel):
        return np.arange(len(points))
    cells = np.floor(points / np.asarray(pixel, dtype=float))
    moved = np.any(cells[1:] != cells[:-1], axis=1)
    keep = np.flatnonzero(moved) + 1
    if not len(keep) or keep[-1] != len(points) - 1:
        keep = np.append(keep, len(points) - 1)
    return np.concatenate(([0], keep))


class SplitLine:
    """One line drawn as two items: its history up to a cut that moves every HISTORY_STEPS
    points, cached as a pixmap and set again only when that cut moves (or ``key`` changes),
    and the recent points since, set each frame. ``offset`` staggers the cuts of a race's
    lines, so that their histories are not all set again in the same frame (7 at once made
    every 64th frame the slowest: 60-80 ms)."""

    def __init__(self, plot: pg.PlotWidget | ContourMap, color: str, width: float, offset: int = 0,
                 history_steps: int = HISTORY_STEPS, **options: object) -> None:
        self.history = plot.plot(**options)
        self.recent = plot.plot(**options)
        self.history_steps = history_steps
        self.color, self.width, self.offset = color, width, offset % history_steps
        self.restyle()
        cache_as_pixmap(self.history.curve)
        self._key: tuple[object, ...] | None = None

    def restyle(self) -> None:
        for item in (self.history, self.recent):
            item.setPen(pen(self.color, self.width))

    def set_z(self, z: float) -> None:
        self.history.setZValue(z)
        self.recent.setZValue(z)

    def show(self, xs: np.ndarray, ys: np.ndarray, key: tuple[object, ...] = (),
             thin: Callable[[np.ndarray], np.ndarray] | None = None) -> None:
        """``thin`` (points (n, 2) -> the indices to draw) is applied to the history when it is
        set; the recent points, fewer than ``history_steps``, are drawn as they are."""
        last = len(xs) - 1
        every = self.history_steps
        cut = (last - self.offset) // every * every + self.offset if last >= self.offset else 0
        if self._key != (*key, cut):
            self._key = (*key, cut)
            hx, hy = (xs[: cut + 1], ys[: cut + 1]) if cut else (xs[:0], ys[:0])
            if thin is not None and len(hx):
                shown = thin(np.c_[hx, hy])
                hx, hy = hx[shown], hy[shown]
            self.history.setData(hx, hy)
        self.recent.setData(xs[cut:], ys[cut:])

    def clear(self) -> None:
        self._key = None
        self.history.setData([], [])
        self.recent.setData([], [])


class RacePlots:
    """The items of each optimizer's run on the map, the per-step plots and the 3D view."""

    def __init__(self, map_: ContourMap, loss_plot: pg.PlotWidget, norm_plot: pg.PlotWidget,
                 surface_view: SurfaceView, colors: Mapping[str, str]) -> None:
        self.map, self.loss_plot, self.norm_plot, self.surface_view = map_, loss_plot, norm_plot, surface_view
        self.colors = dict(colors)
        self.path_lines: dict[str, SplitLine] = {}
        self.loss_lines: dict[str, SplitLine] = {}
        self.norm_lines: dict[str, SplitLine] = {}
        #: every run's current point, one marker each in its colour, in one item: one update
        #: a frame instead of one per optimizer
        self.heads = pg.ScatterPlotItem()
        self._head_colors: list[str] = []
        self.heads.setZValue(21)
        map_.addItem(self.heads)
        #: name -> (run, step, pixel size, domain) last drawn: an unchanged run is not drawn again
        self._drawn: dict[str, tuple[object, ...]] = {}
        #: name -> where its 3D line ends (a diverged run's: where it left the box)
        self._line_ends: dict[str, np.ndarray] = {}
        #: (name, "loss" | "norm") -> (run, step, minimum) of the per-step curve last drawn
        self._curves_drawn: dict[tuple[str, str], tuple[object, ...]] = {}
        #: name -> the key of the 3D line last drawn
        self._lines_3d: dict[str, tuple[object, ...]] = {}
        #: name -> its run's drawable points, extended by each frame's new steps
        self._drawable: dict[str, DrawableRun] = {}
        #: per-step plot -> the ranges last set, so that a range the user zoomed to stays
        #: until the race needs another one
        self._ranges: dict[int, tuple[tuple[float, float], tuple[float, float]]] = {}
        # about one (min, max) pair per pixel column, of the steps in view only
        thin = {"autoDownsample": True, "downsampleMethod": "peak", "autoDownsampleFactor": 1.0, "clipToView": True}
        n, every = len(self.colors), CURVE_HISTORY_STEPS
        for index, (name, color) in enumerate(self.colors.items()):
            # every line's history is cut on a step of its own: the paths at index × 64/n
            # (mod 64), the curves halfway between those (mod 64), loss and ‖∇f‖ half a cycle apart
            between = index * HISTORY_STEPS // n + HISTORY_STEPS // (2 * n)
            self.path_lines[name] = SplitLine(map_, color, 3, offset=index * HISTORY_STEPS // n)
            self.path_lines[name].set_z(20)
            self.loss_lines[name] = SplitLine(loss_plot, color, 2.5, offset=between, history_steps=every, **thin)
            self.norm_lines[name] = SplitLine(norm_plot, color, 2.5, offset=between + every // 2,
                                              history_steps=every, **thin)
        #: the items that show the latest steps (each line's history is in another item)
        self.paths = {name: line.recent for name, line in self.path_lines.items()}
        self.loss_curves = {name: line.recent for name, line in self.loss_lines.items()}
        self.norm_curves = {name: line.recent for name, line in self.norm_lines.items()}
        for plot in (loss_plot, norm_plot):
            item = plot.getPlotItem()
            item.setLogMode(y=True)
            item.setLabel("bottom", "step")
            item.showGrid(x=True, y=True, alpha=0.25)
            item.getAxis("bottom").enableAutoSIPrefix(False)  # "step (x0.001)" reads as a fraction
            item.disableAutoRange()
            for axis in ("left", "bottom"):
                cache_as_pixmap(item.getAxis(axis))
        follow(map_, self.restyle)

    def restyle(self) -> None:
        """Lines, heads and their outlines in the current theme and zoom."""
        for lines in (self.path_lines, self.loss_lines, self.norm_lines):
            for line in lines.values():
                line.restyle()
        self.heads.setSize(appearance().pixels(13))
        self.heads.setPen(pen("k", 1))
        if self._head_colors:
            self.heads.setBrush([brush(c) for c in self._head_colors])

    # -- a frame ---------------------------------------------------------------------------
    def show(self, runs: Mapping[str, Descent], domain: tuple[tuple[float, float], ...], min_value: float,
             two_d: bool, step: int, parts: Collection[str] = SLOW_PARTS) -> None:
        """Draw each run as it stands: its path and head, and those of its loss and ‖∇f‖
        curves and 3D line that ``parts`` names ("loss", "norm", "3d"). While the race plays
        each of those follows every few frames, on frames of its own, so that no frame pays
        for two of them (the 3D view, which software OpenGL redraws whole, repaints a third
        as often)."""
        pixel = self._pixel_size()
        heads, head_colors, head_names = [], [], []
        heads_3d: list[np.ndarray] = []
        lows_highs: dict[str, list[np.ndarray]] = {"loss": [], "norm": []}
        for name, color in self.colors.items():
            run = runs.get(name)
            if run is None:
                self._hide(name)
                continue
            cache = self._drawable.get(name)
            if cache is None or not cache.extends(run, domain):
                cache = self._drawable[name] = DrawableRun(run, domain)
            pts, losses, steps = cache.update()
            key = (id(run), run.step, pixel, domain, two_d)
            if self._drawn.get(name) != key:
                self._drawn[name] = key
                if two_d:
                    self._draw_path(name, pts, pixel)
            for kind in CURVE_KINDS:
                if kind in parts and self._curves_drawn.get((name, kind)) != (id(run), run.step, min_value):
                    self._curves_drawn[(name, kind)] = (id(run), run.step, min_value)
                    self._draw_curve(kind, name, run, losses, steps, min_value)
            if "3d" in parts and two_d and self._lines_3d.get(name) != key:
                self._lines_3d[name] = key
                self._draw_3d_line(name, pts, losses, pixel, run.points[steps])
            for kind in CURVE_KINDS:
                if kind in parts:
                    line = self._curve_lines(kind)[name]
                    lows_highs[kind] += [np.asarray(item.yData) for item in (line.history, line.recent)
                                         if item.yData is not None and len(item.yData)]
            if two_d and len(pts):
                heads.append((*pts[-1], losses[-1]))
                heads_3d.append(self._line_ends.get(name, np.full(3, np.nan)))
                head_colors.append(color)
                head_names.append(name)
        if two_d and "3d" in parts:
            self.surface_view.set_points("heads", np.array(heads_3d) if heads_3d else None, head_colors, size=14)
        self._draw_heads(heads, head_colors, head_names)  # none in 1D, where the ball view draws
        self._fit_axes(lows_highs, step, parts)

    def forget(self) -> None:
        """Draw every run and range again at the next frame (a new surface, a new race)."""
        self._drawn.clear()
        self._curves_drawn.clear()
        self._lines_3d.clear()
        self._ranges.clear()
        self._drawable.clear()

    # -- the parts -----------------------------------------------------------------------------
    def _hide(self, name: str) -> None:
        if self._drawn.get(name) == _HIDDEN:
            return
        self._drawn[name] = _HIDDEN
        for kind in CURVE_KINDS:
            self._curves_drawn.pop((name, kind), None)
        self._lines_3d.pop(name, None)
        self._line_ends.pop(name, None)
        self._drawable.pop(name, None)
        for line in (self.path_lines[name], self.loss_lines[name], self.norm_lines[name]):
            line.clear()
        self.surface_view.set_line(name, None, self.colors[name])

    def _draw_path(self, name: str, pts: np.ndarray, pixel: tuple[float, float]) -> None:
        """``pts`` on the map (clipped to its domain)."""
        run_id, _step, _pixel, domain, _two_d = self._drawn[name]
        self.path_lines[name].show(pts[:, 0], pts[:, 1], key=(run_id, pixel, domain),
                                   thin=lambda history: thin_to_pixels(history, pixel))

    def _draw_3d_line(self, name: str, pts: np.ndarray, losses: np.ndarray, pixel: tuple[float, float],
                      points: np.ndarray) -> None:
        """``points`` as they are (``pts`` is them clipped to the map): in 3D the line is cut
        where it leaves the surface's box, not bent to the box's far corner."""
        shown = thin_to_pixels(pts, pixel)
        drawn = self.surface_view.set_line(name, np.c_[points[shown], losses[shown]] if len(pts) else None,
                                           self.colors[name], width=3, on_top=True)
        self._line_ends[name] = drawn[-1] if len(drawn) else np.full(3, np.nan)  # where the head goes

    def _draw_heads(self, heads: list[tuple[float, ...]], colors: list[str], names: list[str]) -> None:
        """The current points; each carries its optimizer's name (a click says whose it is)."""
        key = (tuple(heads), tuple(names))
        if self._drawn.get("heads") == key:
            return
        self._drawn["heads"] = key
        self._head_colors = list(colors)
        self.heads.setData(pos=[head[:2] for head in heads], brush=[brush(c) for c in colors], data=names,
                           size=appearance().pixels(13), pen=pen("k", 1))

    def _curve_lines(self, kind: str) -> dict[str, SplitLine]:
        return self.loss_lines if kind == "loss" else self.norm_lines

    def _draw_curve(self, kind: str, name: str, run: Descent, losses: np.ndarray, steps: np.ndarray,
                    min_value: float) -> None:
        """Loss (above the known minimum, when there is one) or ‖∇f‖ per step, on log axes."""
        key = (self._drawn[name][0], min_value)
        if kind == "loss":
            shift = min_value if math.isfinite(min_value) else 0.0
            gap = np.maximum(losses - shift, LOG_FLOOR) if shift else np.abs(losses) + LOG_FLOOR
            self.loss_lines[name].show(steps, gap, key=key)
            return
        norms = run.grad_norms[steps]
        shown = np.isfinite(norms)
        self.norm_lines[name].show(steps[shown], np.maximum(norms[shown], LOG_FLOOR), key=key)

    def _fit_axes(self, values: dict[str, list[np.ndarray]], step: int, parts: Collection[str]) -> None:
        """0…N in steps and whole decades in value: ranges that change seldom, so the cached
        axes and grid are seldom drawn again."""
        limit = round_step_limit(step)
        for plot, kind in ((self.loss_plot, "loss"), (self.norm_plot, "norm")):
            if kind not in parts:
                continue
            low, high = decade_range(values[kind])
            margin = VALUE_MARGIN * (high - low)
            wanted = ((-STEP_MARGIN * limit, (1 + STEP_MARGIN) * limit), (low - margin, high + margin))
            if self._ranges.get(id(plot)) != wanted:
                self._ranges[id(plot)] = wanted
                plot.getPlotItem().getViewBox().setRange(xRange=wanted[0], yRange=wanted[1], padding=0)

    def _pixel_size(self) -> tuple[float, float]:
        size = self.map.getPlotItem().getViewBox().viewPixelSize()
        return (round(float(size[0]), 12), round(float(size[1]), 12))


def drawable(run: Descent, domain: tuple[tuple[float, float], ...], first: int = 0
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The run's points from step ``first`` with a finite loss, clipped to the map's domain (a
    diverged step may lie 1e15 away: drawn at the edge it points the way it went), their
    losses and step numbers."""
    points, losses = run.points[first:], run.losses[first:]
    finite = np.all(np.isfinite(points), axis=1) & np.isfinite(losses)
    box = np.array(domain, dtype=float)
    pts = np.clip(points[finite], box[:, 0], box[:, 1])
    return pts, losses[finite], first + np.flatnonzero(finite)


class DrawableRun:
    """:func:`drawable` of one run, kept up to date by working out only the steps added since
    the last frame: runs only grow, so a frame's cost stays the same at step 5,000 as at 10."""

    def __init__(self, run: Descent, domain: tuple[tuple[float, float], ...]) -> None:
        self.run, self.domain = run, domain
        self._done = 0  #: the run's points looked at so far
        self._size = 0  #: of which drawable
        capacity = max(64, len(run.losses))
        self._pts = np.empty((capacity, run.points.shape[1]))
        self._losses = np.empty(capacity)
        self._steps = np.empty(capacity, dtype=np.int64)

    def extends(self, run: Descent, domain: tuple[tuple[float, float], ...]) -> bool:
        """Whether ``run`` is this cache's run (only ever grown since) on the same map."""
        return run is self.run and domain == self.domain and len(run.losses) >= self._done

    def update(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        pts, losses, steps = drawable(self.run, self.domain, self._done)
        self._done = len(self.run.losses)
        end = self._size + len(losses)
        if end > len(self._losses):
            grow = max(end, 2 * len(self._losses))
            self._pts = np.resize(self._pts, (grow, self._pts.shape[1]))
            self._losses, self._steps = np.resize(self._losses, grow), np.resize(self._steps, grow)
        self._pts[self._size: end], self._losses[self._size: end], self._steps[self._size: end] = pts, losses, steps
        self._size = end
        return self._pts[:end], self._losses[:end], self._steps[:end]
