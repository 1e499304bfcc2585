"""Differentiation rule by rule, the way a teacher derives it on the board.

:func:`derivative_steps` walks the expression tree and records, for every node, which rule
applies, what it is applied to, its result and the sub-derivations it needs. Every step's
``result`` is the true derivative of its ``expr`` with respect to its ``var`` (the tests check
this), and anything without a dedicated rule gets a general step that still carries the right
result: never a wrong answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sympy

from calcgui.core.differentiate import tidy
from calcgui.core.known_functions import relu, sigmoid, softplus

#: The rule names a Step may carry.
RULES = (
    "constant", "variable", "constant multiple", "sum", "power", "product", "quotient", "chain",
    "exp", "exponential", "log", "trig", "inverse trig", "hyperbolic", "inverse hyperbolic",
    "abs", "piecewise", "sigmoid", "softplus", "log differentiation", "simplify", "by pieces", "general",
)

U = sympy.Symbol("u", real=True)

_TRIG = {
    sympy.sin: lambda u: sympy.cos(u),
    sympy.cos: lambda u: -sympy.sin(u),
    sympy.tan: lambda u: sympy.sec(u) ** 2,
    sympy.sec: lambda u: sympy.sec(u) * sympy.tan(u),
    sympy.csc: lambda u: -sympy.csc(u) * sympy.cot(u),
    sympy.cot: lambda u: -sympy.csc(u) ** 2,
}
_INVERSE_TRIG = (sympy.asin, sympy.acos, sympy.atan, sympy.asec, sympy.acsc, sympy.acot)
_HYPERBOLIC = (sympy.sinh, sympy.cosh, sympy.tanh, sympy.sech, sympy.csch, sympy.coth)
_INVERSE_HYPERBOLIC = (sympy.asinh, sympy.acosh, sympy.atanh, sympy.asech, sympy.acsch, sympy.acoth)


@dataclass(frozen=True)
class Step:
    """One rule applied: d/d``var`` of ``expr`` is ``result``, using ``substeps``.

    ``text`` is one plain sentence. A chain step also names its ``inner`` function u(x) and
    its ``outer`` function g(u) (in the symbol :data:`U`), so a view can draw both.
    """

    rule: str
    expr: sympy.Expr
    result: sympy.Expr
    substeps: tuple[Step, ...]
    text: str
    var: sympy.Symbol
    inner: sympy.Expr | None = None
    outer: sympy.Expr | None = None
    #: the right-hand side ready typeset, for a derivative by pieces (a cases environment)
    latex: str | None = None

    def walk(self) -> list[Step]:
        """This step and all its substeps, depth first."""
        found = [self]
        for sub in self.substeps:
            found.extend(sub.walk())
        return found


@dataclass(frozen=True)
class Derivation:
    """The derivative of ``expr`` and the steps that produce it."""

    expr: sympy.Expr
    var: sympy.Symbol
    result: sympy.Expr
    steps: tuple[Step, ...]


def derivative_steps(expr: sympy.Expr, var: str | sympy.Symbol = "x") -> Derivation:
    """Differentiate ``expr`` with respect to ``var`` and explain each rule used."""
    x = var if isinstance(var, sympy.Symbol) else sympy.Symbol(var, real=True)
    top = _derive(expr, x)
    steps = [top]
    final = tidy(top.result)
    if final != top.result:
        steps.append(Step("simplify", expr, final, (), f"Simplify: {_tex(top.result)} = {_tex(final)}.", x))
    by_pieces = _by_pieces(expr, x)
    if by_pieces is not None:
        steps.append(by_pieces)
        final = by_pieces.result
    return Derivation(expr, x, final, tuple(steps))


def _by_pieces(expr: sympy.Expr, x: sympy.Symbol) -> Step | None:
    """The last step for a function with kinks: the rules end with sign(x − 2) or θ(x) (and
    δ a step later), which a calculus class does not write; so say what they mean, piece by
    piece, as the typeset f′ and the plot do (:mod:`calcgui.core.classical`)."""
    from calcgui.core.differentiate import classical_first

    classical = classical_first(expr, str(x))
    if classical is None:
        return None
    said = classical.text.replace("; none at", "; no derivative at").replace("; undefined at", "; f is undefined at")
    return Step("by pieces", expr, classical.expr, (),
                f"By pieces, as a calculus course writes it: f′({x}) = {said}.", x, latex=classical.latex)


def plain_text(expr: sympy.Basic) -> str:
    """``expr`` in plain text as a student writes it: 2x^2 + 3, sin(x)·e^x, ln(x), √(x), x^(1/3)."""
    text = sympy.sstr(expr, order="none").replace("E**", "e**")
    text = text.replace("**", "^").replace("exp(", "e^(").replace("log(", "ln(").replace("sqrt(", "√(")
    text = re.sub(r"\ba(sin|cos|tan|sec|csc|cot)\(", r"arc\1(", text)  # atan( -> arctan(
    text = re.sub(r"\ba(sinh|cosh|tanh|sech|csch|coth)\(", r"ar\1(", text)  # asinh( -> arsinh(
    text = re.sub(r"Abs\(([^()]*)\)", r"|\1|", text)  # Abs(u) -> |u|
    text = re.sub(r"e\^\((\w)\)", r"e^\1", text)  # e^(x) -> e^x
    text = re.sub(r"(?<![\^\w.])(\d+)\*(?=[A-Za-z(√])", r"\1", text)  # 2*x -> 2x, not x^2*e
    return text.replace("*", "·")


_tex = plain_text


def _power_text(exp: sympy.Expr) -> str:
    """``{v}^exp`` in linear notation that reads one way only: x^2, x^(1/3), x^(-1), x^(n + 1)."""
    said = plain_text(exp)
    return f"{{v}}^{said}" if said.isalnum() else f"{{v}}^({said})"


def _step(rule: str, expr: sympy.Expr, result: sympy.Expr, x: sympy.Symbol, text: str,
          *substeps: Step) -> Step:
    return Step(rule, expr, result, tuple(substeps), text, x)


def _derive(e: sympy.Expr, x: sympy.Symbol) -> Step:
    if not e.has(x):
        return _step("constant", e, sympy.Integer(0), x, f"{_tex(e)} does not depend on {x}: its derivative is 0.")
    if e == x:
        return _step("variable", e, sympy.Integer(1), x, f"The derivative of {x} with respect to {x} is 1.")
    if isinstance(e, sympy.Add):
        return _sum(e, x)
    if isinstance(e, sympy.Mul):
        return _mul(e, x)
    if isinstance(e, sympy.Pow):
        return _pow(e, x)
    if isinstance(e, sympy.Function) and len(e.args) == 1:
        return _function(e, x)
    if isinstance(e, (sympy.Max, sympy.Min)):
        return _piecewise(e, x)
    return _general(e, x)


def _general(e: sympy.Expr, x: sympy.Symbol) -> Step:
    return _step("general", e, sympy.diff(e, x), x, f"Differentiate {_tex(e)} directly.")


def _sum(e: sympy.Add, x: sympy.Symbol) -> Step:
    subs = [_derive(term, x) for term in e.args]
    result = sympy.Add(*(s.result for s in subs))
    return _step("sum", e, result, x, "Sum rule: differentiate term by term and add the results.", *subs)


def _mul(e: sympy.Mul, x: sympy.Symbol) -> Step:
    constant, rest = e.as_independent(x, as_Add=False)
    if constant != 1:
        inner = _derive(rest, x)
        return _step("constant multiple", e, constant * inner.result, x,
                     f"Constant multiple rule: keep the factor {_tex(constant)} and differentiate {_tex(rest)}.",
                     inner)
    numerator, denominator = sympy.fraction(e, exact=True)
    if denominator != 1 and denominator.has(x) and numerator != 1:
        return _quotient(e, numerator, denominator, x)
    factors = list(e.args)
    subs = [_derive(f, x) for f in factors]
    terms = []
    for i, sub in enumerate(subs):
        others = [f for j, f in enumerate(factors) if j != i]
        terms.append(sympy.Mul(sub.result, *others))
    names = " · ".join(_tex(f) for f in factors)
    return _step("product", e, sympy.Add(*terms), x,
                 f"Product rule for {names}: differentiate one factor at a time, keep the others, and add.",
                 *subs)


def _quotient(e: sympy.Expr, num: sympy.Expr, den: sympy.Expr, x: sympy.Symbol) -> Step:
    d_num, d_den = _derive(num, x), _derive(den, x)
    result = (d_num.result * den - num * d_den.result) / den**2
    return _step("quotient", e, result, x,
                 f"Quotient rule with numerator {_tex(num)} and denominator {_tex(den)}: "
                 "(low · d(high) − high · d(low)) / low².", d_num, d_den)


def _chain(e: sympy.Expr, inner: sympy.Expr, outer: Step, x: sympy.Symbol) -> Step:
    """Chain rule: ``outer`` differentiates f(u) with respect to u; u = ``inner``."""
    d_inner = _derive(inner, x)
    result = (outer.result.subs(U, inner) * d_inner.result).doit()  # (4x)² → 16x² once put back
    return Step("chain", e, result, (outer, d_inner),
                f"Chain rule: let u = {_tex(inner)}, so the outside is {_tex(outer.expr)}; "
                f"multiply its derivative {_tex(outer.result)} by du/d{x}.", x, inner, outer.expr)


def _maybe_chain(e: sympy.Expr, inner: sympy.Expr, x: sympy.Symbol, rule: str, outer_of_u: sympy.Expr,
                 d_outer_of_u: sympy.Expr, text: str) -> Step:
    """A one-argument rule, applied directly when its argument is the variable, else by the chain rule."""
    if inner == x:  # no chain: say it in x ("2x", not "2u")
        said = re.sub(r"(?<![A-Za-z])u(?![A-Za-z])", str(x), text.format(v=x))
        return _step(rule, e, d_outer_of_u.subs(U, x), x, said)
    outer = _step(rule, outer_of_u, d_outer_of_u, U, text.format(v=U))
    return _chain(e, inner, outer, x)


def _pow(e: sympy.Pow, x: sympy.Symbol) -> Step:
    base, exp = e.base, e.exp
    if not exp.has(x):
        if exp == -1 and base.has(x) and base != x:
            return _quotient(e, sympy.Integer(1), base, x)
        form = "√{v} = {v}^(1/2)" if exp == sympy.Rational(1, 2) else _power_text(exp)
        return _maybe_chain(e, base, x, "power", U**exp, exp * U ** (exp - 1),
                            f"Power rule: d/d{{v}} {form} = {_tex(exp * U ** (exp - 1))}.")
    if not base.has(x):
        if base == sympy.E:
            return _maybe_chain(e, exp, x, "exp", sympy.exp(U), sympy.exp(U),
                                "The exponential is its own derivative: d/d{v} e^{v} = e^{v}.")
        return _maybe_chain(e, exp, x, "exponential", base**U, base**U * sympy.log(base),
                            f"Exponential rule: d/d{{v}} {_tex(base)}^{{v}} = {_tex(base**U * sympy.log(base))}.")
    d_exp, d_base = _derive(exp, x), _derive(base, x)
    result = e * (d_exp.result * sympy.log(base) + exp * d_base.result / base)
    return _step("log differentiation", e, result, x,
                 f"Variable base and exponent: take logarithms, ln y = {_tex(exp * sympy.log(base))}, "
                 "differentiate both sides, and multiply by y.", d_exp, d_base)


def _function(e: sympy.Function, x: sympy.Symbol) -> Step:
    (inner,) = e.args
    func = e.func
    if func is sympy.exp:
        return _maybe_chain(e, inner, x, "exp", sympy.exp(U), sympy.exp(U),
                            "The exponential is its own derivative: d/d{v} e^{v} = e^{v}.")
    if func is sympy.log:
        return _maybe_chain(e, inner, x, "log", sympy.log(U), 1 / U, "d/d{v} ln {v} = 1/{v}.")
    if func in _TRIG:
        d = _TRIG[func](U)
        return _maybe_chain(e, inner, x, "trig", func(U), d, f"d/d{{v}} {_tex(func(U))} = {_tex(d)}.")
    for family, rule in ((_INVERSE_TRIG, "inverse trig"), (_HYPERBOLIC, "hyperbolic"),
                         (_INVERSE_HYPERBOLIC, "inverse hyperbolic")):
        if func in family:
            d = sympy.diff(func(U), U)
            return _maybe_chain(e, inner, x, rule, func(U), d, f"d/d{{v}} {_tex(func(U))} = {_tex(d)}.")
    if func is sympy.Abs:
        return _maybe_chain(e, inner, x, "abs", sympy.Abs(U), sympy.sign(U),
                            "d/d{v} |{v}| = sign({v}) = {v}/|{v}|, which does not exist at {v} = 0.")
    if func is sigmoid:
        d = sigmoid(U) * (1 - sigmoid(U))
        return _maybe_chain(e, inner, x, "sigmoid", sigmoid(U), d, "The sigmoid's derivative: σ'({v}) = σ({v})(1 − σ({v})).")
    if func is softplus:
        return _maybe_chain(e, inner, x, "softplus", softplus(U), sigmoid(U),
                            "d/d{v} softplus({v}) = d/d{v} ln(1 + e^{v}) = σ({v}).")
    if func is relu:
        return _maybe_chain(e, inner, x, "piecewise", relu(U), sympy.Heaviside(U),
                            "ReLU({v}) = max(0, {v}) has slope 0 for {v} < 0 and 1 for {v} > 0 (none at {v} = 0).")
    return _general(e, x)


def _piecewise(e: sympy.Expr, x: sympy.Symbol) -> Step:
    result = sympy.diff(e, x)
    name = "max" if isinstance(e, sympy.Max) else "min"
    return _step("piecewise", e, result, x,
                 f"{name} picks one argument on each side of where they cross: differentiate the piece "
                 "that is chosen (no derivative where they cross with different slopes).",
                 *(_derive(a, x) for a in e.args))
