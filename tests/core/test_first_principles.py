"""Derivatives from the limit of the difference quotient, line by line as the seeds do them."""

from __future__ import annotations

import sympy

from calcgui.core import parse
from calcgui.core.first_principles import H, limit_definition

x = sympy.Symbol("x", real=True)
h = H


def lines(text: str) -> list[sympy.Expr]:
    return [s.expr for s in limit_definition(parse(text)).steps if s.expr is not None]


def test_seed_quadratic_shows_each_line() -> None:
    derivation = limit_definition(parse("2x^2 + 3x + 1"))
    assert derivation.tractable and derivation.result == 4 * x + 3
    assert lines("2x^2 + 3x + 1") == [4 * x * h + 2 * h**2 + 3 * h, 4 * x + 2 * h + 3, 4 * x + 3]
    assert r"\lim_{h \to 0}" in derivation.steps[0].latex


def test_seed_square_and_constant() -> None:
    assert limit_definition(parse("x^2")).result == 2 * x
    assert lines("x^2 + 3")[:2] == [2 * x * h + h**2, 2 * x + h]  # the 3 cancels
    assert limit_definition(parse("x^2 + 3")).result == 2 * x


def test_sine_through_the_known_limits() -> None:
    derivation = limit_definition(parse("sin x"))
    assert derivation.tractable and derivation.result == sympy.cos(x)
    known = next(s for s in derivation.steps if s.text.startswith("Use the known limits"))
    assert r"\frac{\sin{\left(h \right)}}{h}" in known.latex and "= 1" in known.latex
    assert r"\frac{\cos{\left(h \right)} - 1}{h}" in known.latex and "= 0" in known.latex


def test_root_by_the_conjugate_and_reciprocal_by_a_common_denominator() -> None:
    root = limit_definition(parse("sqrt x"))
    assert root.tractable and sympy.simplify(root.result - 1 / (2 * sympy.sqrt(x))) == 0
    assert any("conjugate" in s.text for s in root.steps)
    reciprocal = limit_definition(parse("1/x"))
    assert reciprocal.result == -1 / x**2
    assert any("common denominator" in s.text for s in reciprocal.steps)


def test_untractable_algebra_says_so_and_shows_numbers() -> None:
    derivation = limit_definition(parse("ln x"), at=2.0)
    assert not derivation.tractable
    table = derivation.steps[-2].table
    assert "values" in derivation.steps[-2].text and [h for h, _ in table] == [1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6]
    assert abs(table[-1][1] - 0.5) < 1e-5 and abs(table[0][1] - 0.5) > abs(table[-1][1] - 0.5)
    assert derivation.result == 1 / x


def test_results_agree_with_differentiation() -> None:
    for text in ("x^3 - x", "e^x", "cos x", "e^(2x)", "5", "x", "(x+1)^2", "1/(x+1)", "sqrt(3x + 1)", "x^4"):
        derivation = limit_definition(parse(text))
        assert sympy.simplify(derivation.result - sympy.diff(parse(text), x)) == 0, text


def test_a_long_expansion_is_broken_at_its_operators_not_shrunk() -> None:
    """sin((4x)²) expands to 9 terms: one line was shrunk until unreadable and clipped."""
    from calcgui.core.first_principles import LINE_CHARS

    expr = parse("sin((4x)^2)")
    steps = limit_definition(expr, "x", typed=parse("sin((4x)^2)", evaluate=False)).steps
    start = next(i for i, s in enumerate(steps) if s.text == "Expand and collect:")
    lines = [steps[start].latex] + [s.latex for s in steps[start + 1:] if s.text == ""]
    assert len(lines) >= 9 and all(len(line) <= LINE_CHARS + 20 for line in lines)
    assert r"\Big(" in lines[0] and lines[-1].endswith(r"\Big)")
    assert all(line.startswith((r"\qquad + ", r"\qquad - ")) for line in lines[1:])
