"""sympy expressions to LaTeX, and LaTeX to SVG with ziamath (no LaTeX installation needed).

Rendering costs 2-40 ms a formula, so it runs in the worker and is cached by LaTeX string.
The UI imports this module for :data:`SVG_FONT_SIZE` before its first paint, so sympy and
ziamath are imported where they are used.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sympy

#: Font size (px) formulas are drawn at; the widget scales the SVG to its own font size.
SVG_FONT_SIZE = 24.0

_LATEX_SETTINGS = {"ln_notation": True, "inv_trig_style": "full"}


def to_latex(expr: sympy.Basic, *, as_stored: bool = False) -> str:
    """LaTeX for ``expr`` in the notation of a calculus course (ln, arcsin); ``as_stored``
    keeps the order of terms as built (as the user typed them) instead of sympy's order."""
    from sympy import latex

    return latex(expr, **_LATEX_SETTINGS, **({"order": "none"} if as_stored else {}))


def equation_latex(lhs: str, expr: sympy.Basic) -> str:
    """``lhs = expr`` as LaTeX, where ``lhs`` is already LaTeX (``f^{\\prime}(x)``)."""
    return f"{lhs} = {to_latex(expr)}"


@lru_cache(maxsize=1024)
def render_svg(latex: str, size: float = SVG_FONT_SIZE) -> str | None:
    """SVG text for ``latex``, or None when ziamath cannot draw it (the UI then shows text)."""
    import ziamath

    from calcgui.core.ziamath_speed import install

    install()  # the same SVG, 3 times as fast (see ziamath_speed)
    ziamath.config.svg2 = False  # QtSvg draws SVG 2 <symbol>/<use> output blank
    try:
        return ziamath.Latex(latex, size=size).svg()
    except Exception:  # ziamath raises many kinds on constructs it lacks
        return None
