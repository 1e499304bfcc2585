"""The derivative from first principles: the limit of the difference quotient, step by step.

This is the derivation students do by hand: write the difference quotient, substitute
f(x + h), expand, cancel h, and let h → 0. Where h does not simply cancel (sin, exp, ...) the
quotient is split into known limits such as sin h / h → 1. Where the algebra is not tractable
it says so plainly and shows numeric quotients instead.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy

from calcgui.core.known_functions import relu, sigmoid, softplus
from calcgui.core.typeset import to_latex

H = sympy.Symbol("h", real=True)

#: Difference quotients shown when the algebra is not tractable by hand.
NUMERIC_STEPS = (1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6)
#: A line of LaTeX longer than this (in characters of source) is broken at its + and −.
LINE_CHARS = 90
#: What has no first-principles algebra in a calculus class, and how the sentence names it.
_WITHOUT_LIMIT_ALGEBRA = (
    (sigmoid, "The sigmoid σ(x)"), (softplus, "softplus(x) = ln(1 + eˣ)"),
    ((sympy.factorial, sympy.gamma), "x! = Γ(x + 1)"), (relu, "ReLU(x)"), ((sympy.Max, sympy.Min), "A max or min"),
    ((sympy.Abs, sympy.sign), "A function with |u| or sign(u)"),
)
#: ... of which these are made of pieces (the others are smooth but have no algebra for h).
_PIECEWISE_NAMES = ("ReLU(x)", "A max or min", "A function with |u| or sign(u)")


@dataclass(frozen=True)
class LimitStep:
    """One line of the derivation: what was done (``text``), the line itself (``latex``) and,
    where the line is one expression, that expression (``expr``; the numerator over h, the
    quotient after cancelling, or the limit)."""

    text: str
    latex: str
    expr: sympy.Expr | None = None
    table: tuple[tuple[float, float | None], ...] = ()


@dataclass(frozen=True)
class LimitDerivation:
    """f'(x) from the definition; ``tractable`` is False when only numbers could be shown."""

    expr: sympy.Expr
    var: sympy.Symbol
    steps: tuple[LimitStep, ...]
    result: sympy.Expr
    tractable: bool


def _lim(body: str) -> str:
    return rf"\lim_{{h \to 0}} {body}"


def _quotient(numerator: str) -> str:
    return rf"\frac{{{numerator}}}{{h}}"


def limit_definition(expr: sympy.Expr, var: str | sympy.Symbol = "x", *,
                     at: float = 1.0, typed: sympy.Expr | None = None) -> LimitDerivation:
    """Derive f'(``var``) from the limit definition; ``at`` is where numeric quotients are
    shown if the algebra cannot be done by hand. ``typed``, the function as the user typed it
    (``parse(text, evaluate=False)``), makes the substitution read as they would write it:
    2(x + h)² + 3(x + h) + 1, not sympy's 3h + 3x + 2(h + x)² + 1."""
    x = var if isinstance(var, sympy.Symbol) else sympy.Symbol(var, real=True)
    shifted = expr.subs(x, x + H)
    shown = typed if typed is not None else expr
    shown_shifted = _substitute_as_typed(shown, x, sympy.Add(x, H, evaluate=False))
    subtracted = to_latex(shown, as_stored=True)
    if isinstance(shown, sympy.Add):
        subtracted = rf"\left({subtracted}\right)"
    steps = [
        LimitStep("The definition of the derivative:",
                  rf"f^{{\prime}}({x}) = " + _lim(_quotient(rf"f({x} + h) - f({x})"))),
        LimitStep(f"Substitute f({x} + h) and f({x}):",
                  "= " + _lim(_quotient(rf"{to_latex(shown_shifted, as_stored=True)} - {subtracted}"))),
    ]
    try:
        done = _algebra(expr, x, shifted, steps)
    except (NotImplementedError, ValueError, TypeError, AttributeError, ArithmeticError):
        done = None  # sympy could not do the algebra: the numbers below still tell the story
    return done if done is not None else _numeric(expr, x, steps, at)


def _algebra(expr: sympy.Expr, x: sympy.Symbol, shifted: sympy.Expr,
             steps: list[LimitStep]) -> LimitDerivation | None:
    """Expand, cancel h, let h → 0 (or split into known limits); None when it does not work
    out (``steps`` may then hold an expansion that the numbers continue)."""
    if _is_square_root(expr):
        conjugated = _conjugate(expr, x, steps)
        if conjugated is not None:
            return LimitDerivation(expr, x, tuple(steps), conjugated, True)
    numerator = sympy.expand(sympy.expand_trig(shifted) - expr)
    if numerator != sympy.expand(shifted - expr) or numerator.is_polynomial(H):
        steps.extend(_wrapped("Expand and collect:", numerator))
    elif sympy.denom(sympy.together(numerator)).has(H):
        combined = sympy.factor(sympy.together(numerator))
        steps.append(LimitStep("Put the numerator over a common denominator:",
                               "= " + _lim(_quotient(to_latex(combined))), combined))
    cancelled = sympy.cancel(sympy.together(numerator / H))
    at_zero = cancelled.subs(H, 0)
    if not cancelled.has(sympy.zoo, sympy.nan) and _is_finite(at_zero):
        if cancelled != at_zero:
            steps.append(LimitStep("Cancel h:", "= " + _lim(to_latex(cancelled)), cancelled))
        result = sympy.simplify(at_zero)
        steps.append(LimitStep("Let h → 0:", "= " + to_latex(result), result))
        return LimitDerivation(expr, x, tuple(steps), result, True)
    split = _known_limits(numerator, x)
    if split is not None:
        grouped, limits, result = split
        steps.append(LimitStep("Group the terms by what depends on h:", "= " + _lim(grouped)))
        steps.append(LimitStep("Use the known limits:", ", \\quad ".join(limits)))
        steps.append(LimitStep("So:", "= " + to_latex(result), result))
        return LimitDerivation(expr, x, tuple(steps), result, True)
    return None


def _wrapped(text: str, numerator: sympy.Expr) -> list[LimitStep]:
    """"= lim (numerator)/h" as one line, or, when the numerator is long (sin((4x)²) expands
    to 9 terms of sin¹⁵ and cos), as "= lim 1/h · (" and its terms on several lines broken
    at the top-level + and −, as on a board: a line shrunk to fit was unreadable and clipped."""
    whole = to_latex(numerator)
    if len(whole) <= LINE_CHARS:
        return [LimitStep(text, "= " + _lim(_quotient(whole)), numerator)]
    lines, line = [], ""
    for i, term in enumerate(numerator.as_ordered_terms()):
        negative = term.could_extract_minus_sign()
        shown = to_latex(-term if negative else term)
        if isinstance(-term if negative else term, sympy.Add):
            shown = rf"\left({shown}\right)"
        piece = ("- " if negative else "" if i == 0 else "+ ") + shown
        if line and len(line) + len(piece) > LINE_CHARS:
            lines.append(line)
            line = ""
        line = f"{line} {piece}".strip()
    lines.append(line)
    first = "= " + _lim(r"\frac{1}{h}") + rf" \Big( {lines[0]}"
    rest = [rf"\qquad {body}" for body in lines[1:]]
    if rest:
        rest[-1] += r" \Big)"
    else:
        first += r" \Big)"
    return [LimitStep(text, first, numerator), *(LimitStep("", line) for line in rest)]


def _substitute_as_typed(expr: sympy.Expr, x: sympy.Symbol, replacement: sympy.Expr) -> sympy.Expr:
    """``expr`` with ``x`` replaced and nothing re-evaluated: 3x becomes 3(x + h), not 3h + 3x."""
    if expr == x:
        return replacement
    if not expr.args:
        return expr
    args = [_substitute_as_typed(arg, x, replacement) for arg in expr.args]
    if isinstance(expr, (sympy.Add, sympy.Mul, sympy.Pow)):
        return expr.func(*args, evaluate=False)
    return expr.func(*args)


def _is_square_root(expr: sympy.Expr) -> bool:
    return isinstance(expr, sympy.Pow) and expr.exp == sympy.Rational(1, 2)


def _conjugate(expr: sympy.Pow, x: sympy.Symbol, steps: list[LimitStep]) -> sympy.Expr | None:
    """√A(x+h) − √A(x): multiply by the conjugate so that h cancels (the textbook way)."""
    a, a_shifted = expr.base, expr.base.subs(x, x + H)
    root, root_shifted = sympy.sqrt(a), sympy.sqrt(a_shifted)
    difference = sympy.expand(a_shifted - a)
    cancelled = sympy.cancel(difference / H)
    if cancelled.has(H) and not sympy.cancel(cancelled).is_polynomial(H):
        return None
    conj = rf"\sqrt{{{to_latex(a_shifted)}}} + \sqrt{{{to_latex(a)}}}"
    steps.append(LimitStep(
        "Multiply above and below by the conjugate; the roots square away:",
        "= " + _lim(rf"\frac{{{to_latex(difference)}}}{{h \left({conj}\right)}}"), difference))
    quotient = cancelled / (root_shifted + root)
    steps.append(LimitStep("Cancel h:", "= " + _lim(to_latex(quotient)), quotient))
    result = sympy.simplify(quotient.subs(H, 0))
    steps.append(LimitStep("Let h → 0:", "= " + to_latex(result), result))
    return result


def _is_finite(value: sympy.Expr) -> bool:
    return not value.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo)


def _known_limits(numerator: sympy.Expr, x: sympy.Symbol) -> tuple[str, list[str], sympy.Expr] | None:
    """Write numerator/h as Σ a_i(x) · (b_i(h)/h) and take each b_i(h)/h → L_i separately."""
    groups: dict[sympy.Expr, sympy.Expr] = {}
    for term in sympy.Add.make_args(numerator):
        h_part, x_part = term.as_independent(x, as_Add=False)
        if x_part.has(H):
            return None  # h and x are tangled in this term
        groups[x_part] = groups.get(x_part, sympy.Integer(0)) + h_part
    pieces, limits, result = [], [], sympy.Integer(0)
    for x_part, h_part in groups.items():
        quotient = sympy.simplify(h_part / H)
        try:
            value = sympy.limit(quotient, H, 0)
        except (NotImplementedError, ValueError):
            return None
        if not _is_finite(value):
            return None
        pieces.append(rf"{to_latex(x_part)} \cdot {_quotient(to_latex(h_part))}")
        limits.append(_lim(_quotient(to_latex(h_part))) + f" = {to_latex(value)}")
        result += x_part * value
    return " + ".join(pieces), limits, sympy.simplify(result)


def _no_limit_algebra(expr: sympy.Expr) -> str | None:
    """The name of what in ``expr`` has no limit derivation a class does by hand, if anything."""
    for node in sympy.preorder_traversal(expr):
        for kinds, name in _WITHOUT_LIMIT_ALGEBRA:
            if isinstance(node, kinds):
                return name
    return None


def quotient_table(expr: sympy.Expr, x: sympy.Symbol, at: float,
                   steps: tuple[float, ...] = NUMERIC_STEPS) -> tuple[tuple[float, float | None], ...]:
    """(h, (f(at + h) − f(at)) / h) for each h; None where f is not defined. Evaluated with
    the plots' numpy functions, which know σ, ReLU, softplus, max and Γ (lambdify's "math"
    module does not: it raised NameError for sigmoid)."""
    from calcgui.core.sampling import compile_function

    f = compile_function(expr, str(x))
    hs = np.asarray(steps, dtype=float)
    with np.errstate(all="ignore"):
        quotients = (f(at + hs) - f(np.full_like(hs, at))) / hs
    return tuple((float(h), float(q) if np.isfinite(q) else None) for h, q in zip(hs, quotients))


def _numeric(expr: sympy.Expr, x: sympy.Symbol, steps: list[LimitStep], at: float) -> LimitDerivation:
    """No tractable algebra: say so in a sentence, and show the quotient's values as h
    shrinks at x = ``at``; then the exact value, by pieces where f has kinks."""
    from calcgui.core.differentiate import classical_first

    reason = _no_limit_algebra(expr)
    if reason in _PIECEWISE_NAMES:
        said = (f"{reason} is made of pieces, so its difference quotient is not one formula in h that "
                "can be simplified until h cancels: on each side of a kink it is that piece's slope. "
                "Here are its values")
    elif reason is not None:
        said = (f"{reason} has no limit derivation that can be done by hand: the quotient cannot "
                "be simplified until h cancels. Here are its values")
    else:
        said = "The algebra here goes beyond what calcgui can show step by step, so here are the " \
               "difference quotient's values"
    steps.append(LimitStep(f"{said} at {x} = {at:g} as h shrinks:", "", None, quotient_table(expr, x, at)))
    classical = classical_first(expr, str(x))
    if classical is not None:
        steps.append(LimitStep("The exact value (by the differentiation rules, piece by piece):",
                               rf"f^{{\prime}}({x}) = {classical.latex}", classical.expr))
        return LimitDerivation(expr, x, tuple(steps), classical.expr, False)
    result = sympy.diff(expr, x)
    steps.append(LimitStep("The exact value (by the differentiation rules):",
                           rf"f^{{\prime}}({x}) = {to_latex(result)}", result))
    return LimitDerivation(expr, x, tuple(steps), result, False)
