"""Partial derivatives, the gradient and the directional derivative of f(x, y).

The symbolic part (:func:`partials`) runs in the worker; the numeric part works on compiled
functions: the grid for the contour and surface views, and the numbers at the point the user
picked, including the worked dot product ∇f·v̂ shown to the student.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from calcgui.core.display_range import NumericFunction

VARIABLES = ("x", "y")


@dataclass(frozen=True)
class Partials:
    """f(x, y) with ∂f/∂x and ∂f/∂y (sympy expressions over real x, y)."""

    f: Any
    fx: Any
    fy: Any


def partials(expr: Any, *, tidy_them: bool = False) -> Partials:
    """∂f/∂x and ∂f/∂y of ``expr``; ``tidy_them`` spends a time-boxed simplify on each."""
    import sympy

    from calcgui.core.differentiate import tidy

    x, y = sympy.Symbol("x", real=True), sympy.Symbol("y", real=True)
    fx, fy = sympy.diff(expr, x), sympy.diff(expr, y)
    if tidy_them:
        fx, fy = tidy(fx), tidy(fy)
    return Partials(expr, fx, fy)


@dataclass(frozen=True)
class CompiledSurface:
    """f, ∂f/∂x and ∂f/∂y as vectorised numpy functions of (x, y)."""

    f: NumericFunction
    fx: NumericFunction
    fy: NumericFunction

    def at(self, x: float, y: float) -> PointGradient:
        """f and ∇f at (x, y); NaN or ±inf where they are undefined (√(x² + y²) at 0)."""
        xs, ys = np.array([float(x)]), np.array([float(y)])
        with np.errstate(all="ignore"):
            return PointGradient(float(x), float(y), float(self.f(xs, ys)[0]),
                                 float(self.fx(xs, ys)[0]), float(self.fy(xs, ys)[0]))


def compile_surface(p: Partials) -> CompiledSurface:
    """Compile f and its partials once, for every grid and point that follows."""
    from calcgui.core.sampling import compile_function

    return CompiledSurface(*(compile_function(e, VARIABLES) for e in (p.f, p.fx, p.fy)))


@dataclass(frozen=True)
class Grid:
    """f and ∇f sampled on a grid: ``z[j, i] = f(xs[i], ys[j])`` (rows are y, as images are)."""

    xs: np.ndarray
    ys: np.ndarray
    z: np.ndarray
    gx: np.ndarray | None = None
    gy: np.ndarray | None = None


def evaluate_grid(surface: CompiledSurface, x_range: tuple[float, float], y_range: tuple[float, float],
                  resolution: int, *, with_gradient: bool = True) -> Grid:
    """Sample f (and ∇f) on ``resolution``² points spanning the two ranges.

    The grid is sparse (a column of y against a row of x): numpy broadcasts it, so terms in
    one variable cost a row, not the whole grid, and no dense coordinate arrays are built.
    """
    xs = np.linspace(*x_range, resolution)
    ys = np.linspace(*y_range, resolution)
    gx_, gy_ = xs[None, :], ys[:, None]
    z = surface.f(gx_, gy_)
    if not with_gradient:
        return Grid(xs, ys, z)
    return Grid(xs, ys, z, surface.fx(gx_, gy_), surface.fy(gx_, gy_))


@dataclass(frozen=True)
class PointGradient:
    """f and its gradient at one point."""

    x: float
    y: float
    value: float
    fx: float
    fy: float

    @property
    def norm(self) -> float:
        """|∇f|: the largest rate of change of f at the point."""
        return math.hypot(self.fx, self.fy)

    @property
    def angle(self) -> float:
        """The direction of steepest ascent, in radians (NaN where ∇f = 0)."""
        return math.atan2(self.fy, self.fx) if self.norm > 0 else float("nan")

    @property
    def defined(self) -> bool:
        return all(math.isfinite(v) for v in (self.value, self.fx, self.fy))


@dataclass(frozen=True)
class Directional:
    """D_v f = ∇f·v̂ for the unit vector v̂ at ``angle`` (radians), with the sum written out."""

    angle: float
    ux: float
    uy: float
    value: float
    worked: str


def _num(v: float) -> str:
    text = f"{v:.4g}"
    return f"({text})" if v < 0 else text


def directional_derivative(point: PointGradient, angle: float) -> Directional:
    """The rate of change of f at the point moving along the direction ``angle``."""
    ux, uy = math.cos(angle), math.sin(angle)
    value = point.fx * ux + point.fy * uy if point.defined else math.nan
    worked = (f"∇f·v = {_num(point.fx)}·{_num(ux)} + {_num(point.fy)}·{_num(uy)} = {value:.4g}")
    return Directional(angle, ux, uy, value, worked)


def directional_curve(point: PointGradient, angles: np.ndarray) -> np.ndarray:
    """D_v f for each angle: |∇f| cos(θ − θ_∇f), largest along ∇f, zero along the level line.
    NaN where it is not a finite number (an infinite ∂f/∂x, as for x^(1/3) at x = 0)."""
    with np.errstate(all="ignore"):
        values = point.fx * np.cos(angles) + point.fy * np.sin(angles)
    return np.where(np.isfinite(values), values, np.nan)


def tangent_plane(point: PointGradient, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """z = f(x0, y0) + fx·(x − x0) + fy·(y − y0)."""
    return point.value + point.fx * (x - point.x) + point.fy * (y - point.y)


def typical_gradient_norm(grid: Grid) -> float:
    """A robust "large" |∇f| over the grid (95th percentile), for scaling arrows."""
    if grid.gx is None or grid.gy is None:
        return float("nan")
    norms = np.hypot(grid.gx, grid.gy)
    norms = norms[np.isfinite(norms)]
    return float(np.percentile(norms, 95)) if norms.size else float("nan")


def arrow_length(norm: float, typical: float, span: float) -> float:
    """Display length of the gradient arrow: proportional to |∇f| against the grid's typical
    |∇f|, kept between 16 % and 35 % of the view so it is neither lost nor off screen."""
    if not (math.isfinite(norm) and norm > 0):
        return 0.0
    ratio = norm / typical if math.isfinite(typical) and typical > 0 else 1.0
    return span * min(0.35, max(0.16, 0.35 * ratio))


def field_segments(grid: Grid, arrows_per_side: int, span: float) -> np.ndarray:
    """The gradient field as arrow segments ((x, y) → (x, y) + scaled ∇f) on a coarse grid.

    Arrows share one scale: the longest (95th percentile) is 90 % of the spacing, so they
    never overlap and their lengths compare. Returns shape (m, 2, 2).
    """
    if grid.gx is None or grid.gy is None:
        return np.empty((0, 2, 2))
    stride = max(1, len(grid.xs) // arrows_per_side)
    jj, ii = np.meshgrid(np.arange(stride // 2, len(grid.ys), stride),
                         np.arange(stride // 2, len(grid.xs), stride), indexing="ij")
    gx, gy = grid.gx[jj, ii], grid.gy[jj, ii]
    x, y = grid.xs[ii], grid.ys[jj]
    norms = np.hypot(gx, gy)
    finite = np.isfinite(norms) & (norms > 0)
    if not finite.any():
        return np.empty((0, 2, 2))
    big = float(np.percentile(norms[finite], 95))
    scale = 0.9 * span / arrows_per_side / big
    factor = np.minimum(scale, 0.9 * span / arrows_per_side / np.where(finite, norms, 1.0))
    start = np.stack([x[finite], y[finite]], axis=-1)
    end = start + np.stack([gx[finite], gy[finite]], axis=-1) * factor[finite][:, None]
    return np.stack([start, end], axis=1)
