"""ziamath's speed fixes (calcgui/core/ziamath_speed.py) leave every SVG byte for byte as the
unpatched renderer draws it, and stay off for ziamath versions they were not checked on."""

from __future__ import annotations

import dataclasses

import pytest
import ziamath
from derivative_corpus import CORPUS
from ziamath import styles
from ziamath.nodes.mrow import Mrow

from calcgui.core import parse
from calcgui.core.differentiate import derivatives
from calcgui.core.typeset import SVG_FONT_SIZE, equation_latex
from calcgui.core.ziamath_speed import VERIFIED_VERSIONS, install, uninstall

#: Deep nesting, stretchy fences inside fractions inside fences, cases, roots, scripts: where
#: the skipped measuring could have mattered.
NESTED = [
    r"f(x) = \left(\frac{\left(x^{2} - 1\right)^{2}}{\left(x^{2} + 1\right)^{3}}\right)^{\frac{1}{2}}",
    r"\left[\left(\left(\left(x + 1\right)^{2} + 1\right)^{2} + 1\right)^{2}\right]",
    r"f^{\prime}(x) = \begin{cases} 2 x & \text{for}\: x > 0 \\ - \frac{1}{\left(x - 1\right)^{2}} & \text{otherwise} \end{cases}",
    r"\sqrt{\frac{1 + \sqrt{\frac{x}{1 + \sqrt{x}}}}{\left|x - \frac{1}{x}\right|}}",
    r"e^{- \frac{\left(x - \mu\right)^{2}}{2 \sigma^{2}}} \left(\frac{d}{d x} \left(\frac{\sin{\left(x \right)}}{x}\right)\right)",
    r"\frac{\partial}{\partial x} \left\{x^{x^{x}}\right\} = x^{x^{x}} \left(x^{x - 1} + x^{x} \ln{\left(x \right)}^{2}\right)",
]


def corpus_latex() -> list[str]:
    """f and f′ (as differentiated, before tidying) of every corpus function, and NESTED."""
    out = []
    for text in CORPUS:
        d = derivatives(parse(text), simplify=False)
        out += [equation_latex("f(x)", d.f), equation_latex(r"f^{\prime}(x)", d.first)]
    return list(dict.fromkeys(out)) + NESTED


def render(latex: str) -> str:
    ziamath.config.svg2 = False
    return ziamath.Latex(latex, size=SVG_FONT_SIZE).svg()


@pytest.mark.skipif(ziamath.__version__ not in VERIFIED_VERSIONS, reason="the fixes are off for this ziamath")
def test_the_fixes_change_no_svg_and_are_in_place_when_rendering() -> None:
    latexes = corpus_latex()
    assert len(latexes) > 200
    uninstall()
    try:
        assert styles.asdict is dataclasses.asdict  # really unpatched
        plain = [render(latex) for latex in latexes]
    finally:
        assert install()
    assert styles.asdict is not dataclasses.asdict
    fast = [render(latex) for latex in latexes]
    different = [latex for latex, a, b in zip(latexes, plain, fast) if a != b]
    assert not different


def test_an_unchecked_ziamath_version_is_left_alone() -> None:
    uninstall()
    try:
        nostretch = Mrow._get_height_nostretch
        assert not install(version="0.0-unchecked")
        assert styles.asdict is dataclasses.asdict and Mrow._get_height_nostretch is nostretch
    finally:
        install()


def test_installing_twice_patches_once() -> None:
    install()
    patched = Mrow._get_height_nostretch
    assert install() and Mrow._get_height_nostretch is patched
