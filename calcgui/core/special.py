"""Γ, ψ and ψ′ for numpy arrays, so that x! can be drawn as Γ(x + 1) with its derivatives.

Why here: numpy has no gamma function and calcgui does not depend on scipy, and sympy's
lambdify prints ``gamma(...)`` and ``polygamma(n, ...)`` as names it cannot resolve, which
used to leave the plot of x! blank. These are the textbook methods, vectorised: Lanczos'
approximation (g = 7, 9 terms, relative error about 1e-15) with the reflection formula
Γ(x)Γ(1 − x) = π / sin(πx) for x < ½; for ψ and ψ′ the recurrences ψ(x + 1) = ψ(x) + 1/x,
ψ′(x + 1) = ψ′(x) − 1/x² up to x ≥ 10, their asymptotic series there, and reflection below ½.
Poles (0, −1, −2, …) are NaN.
"""

from __future__ import annotations

import numpy as np

_G = 7.0
#: ψ and ψ′ use their asymptotic series from here on (relative error ~1e-14).
SHIFT_TO = 10
_LANCZOS = (0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
            -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
            1.5056327351493116e-7)


def _poles(x: np.ndarray) -> np.ndarray:
    return (x <= 0) & (x == np.round(x))


def _gamma_right(z: np.ndarray) -> np.ndarray:
    """Γ(z) for z ≥ ½ by Lanczos' approximation."""
    z = z - 1.0
    series = np.full_like(z, _LANCZOS[0])
    for i, c in enumerate(_LANCZOS[1:], start=1):
        series = series + c / (z + i)
    t = z + _G + 0.5
    return np.sqrt(2 * np.pi) * t ** (z / 2 + 0.25) * np.exp(-t) * t ** (z / 2 + 0.25) * series


def gamma(x: np.ndarray) -> np.ndarray:
    """Γ(x); NaN at the poles, ±inf beyond the largest float (x > 171.6)."""
    x = np.asarray(x, dtype=float)
    with np.errstate(all="ignore"):
        left = x < 0.5
        right = _gamma_right(np.where(left, 1.0 - x, x))
        out = np.where(left, np.pi / (np.sin(np.pi * x) * right), right)
    return np.where(_poles(x), np.nan, out)


def _shifted(x: np.ndarray, step: callable) -> tuple[np.ndarray, np.ndarray]:  # type: ignore[valid-type]
    """Move every x up to at least :data:`SHIFT_TO` by ones, adding ``step(x)`` for each move."""
    total = np.zeros_like(x)
    for _ in range(SHIFT_TO):
        low = x < SHIFT_TO
        total = total + np.where(low, step(x), 0.0)
        x = np.where(low, x + 1.0, x)
    return x, total


def digamma(x: np.ndarray) -> np.ndarray:
    """ψ(x) = Γ′(x)/Γ(x)."""
    x = np.asarray(x, dtype=float)
    with np.errstate(all="ignore"):
        left = x < 0.5
        z = np.where(left, 1.0 - x, x)
        z, total = _shifted(z, lambda v: -1.0 / v)
        w = 1.0 / (z * z)
        series = np.log(z) - 0.5 / z - w * (1 / 12 - w * (1 / 120 - w * (1 / 252 - w * (1 / 240 - w / 132))))
        right = series + total
        out = np.where(left, right - np.pi / np.tan(np.pi * x), right)
    return np.where(_poles(x), np.nan, out)


def trigamma(x: np.ndarray) -> np.ndarray:
    """ψ′(x)."""
    x = np.asarray(x, dtype=float)
    with np.errstate(all="ignore"):
        left = x < 0.5
        z = np.where(left, 1.0 - x, x)
        z, total = _shifted(z, lambda v: 1.0 / (v * v))
        w = 1.0 / (z * z)
        series = 1 / z + w / 2 + w / z * (1 / 6 - w * (1 / 30 - w * (1 / 42 - w / 30)))
        right = series + total
        out = np.where(left, (np.pi / np.sin(np.pi * x)) ** 2 - right, right)
    return np.where(_poles(x), np.nan, out)


def polygamma(n: int, x: np.ndarray) -> np.ndarray:
    """ψ⁽ⁿ⁾(x) for n = 0 and 1 (what f′ and f″ of x! need); NaN for higher orders."""
    if n == 0:
        return digamma(x)
    if n == 1:
        return trigamma(x)
    return np.full(np.shape(x), np.nan)


def factorial(x: np.ndarray) -> np.ndarray:
    """x! = Γ(x + 1) for real x."""
    return gamma(np.asarray(x, dtype=float) + 1.0)


#: The names lambdify leaves unresolved, for :func:`calcgui.core.sampling.compile_function`.
NUMPY_NAMES = {"gamma": gamma, "polygamma": polygamma, "factorial": factorial}
