"""A sympy expression as the computational graph a student would draw: a DAG of plain ops.

sympy stores x − y as x + (−1)·y and x / y as x·y⁻¹, with n-ary Add and Mul. A student draws
a "−" node and a "÷" node, so the translation is:

- a sum with negative terms becomes ``(positive terms) − (negated terms)``; a sum whose terms
  are all negative becomes ``−(sum)``; a sum of two or more terms on one side is one n-ary "+";
- a product with reciprocal factors (y⁻ⁿ, a rational coefficient p/q) becomes
  ``(numerator) ÷ (denominator)``, with 1 as the numerator of 1/x; a coefficient of −1 (or −1/q)
  becomes a unary "−"; other factors multiply in one n-ary "×";
- u^n for a constant n is a one-input "^n" node (√ for n = ½, 1 ÷ u^n for n < 0), and u^w for an
  exponent that depends on the variables is a two-input "^" node;
- any sub-expression without variables (3, π, ln 2, √2) is one constant node.

Nodes are hash-consed on (kind, parameter, inputs): a sub-expression that occurs twice (the x of
x·sin x, the x·y of (x·y + 1)·x·y) is one node whose value fans out, which is exactly where the
multivariable chain rule sums adjoints.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy
from sympy.core.function import Application

from calcgui.core.backprop.ops import known_function

__all__ = ["MAX_DEPTH", "MAX_NODES", "Proto", "student_form"]

#: Graphs are for reading: beyond this many nodes nobody can follow them, and we refuse.
MAX_NODES = 500
#: Deeper nesting than this would exhaust Python's recursion before the node limit.
MAX_DEPTH = 150

_HALF = sympy.Rational(1, 2)


@dataclass(frozen=True)
class Proto:
    """A node before evaluation: its op kind and parameter, input node indices, sympy form."""

    kind: str
    parameter: object
    inputs: tuple[int, ...]
    expr: sympy.Expr


def student_form(expr: sympy.Expr, max_nodes: int = MAX_NODES) -> tuple[Proto, ...]:
    """The nodes of ``expr`` in topological order (inputs before the nodes that use them); the
    last one is the output. Raises ValueError beyond ``max_nodes`` nodes or ``MAX_DEPTH`` levels."""
    builder = _Builder(max_nodes)
    builder.convert(sympy.sympify(expr), 0)
    return tuple(builder.nodes)


class _Builder:
    def __init__(self, max_nodes: int) -> None:
        self.max_nodes = max_nodes
        self.nodes: list[Proto] = []
        self.keys: dict[tuple[object, ...], int] = {}
        self.memo: dict[sympy.Expr, int] = {}
        self.constants: dict[sympy.Expr, bool] = {}

    def node(self, kind: str, inputs: list[int], expr: sympy.Expr, parameter: object = None) -> int:
        key = (kind, parameter, *inputs)
        found = self.keys.get(key)
        if found is not None:
            return found
        if len(self.nodes) >= self.max_nodes:
            raise ValueError(f"the graph would have more than {self.max_nodes} nodes: "
                             "too large to draw or follow; try a smaller expression")
        self.nodes.append(Proto(kind, parameter, tuple(inputs), expr))
        self.keys[key] = len(self.nodes) - 1
        return len(self.nodes) - 1

    def is_constant(self, expr: sympy.Expr) -> bool:
        """No variables inside (memoised: sympy's free_symbols walks the whole tree each time)."""
        known = self.constants.get(expr)
        if known is None:
            known = not expr.is_Symbol and all(self.is_constant(arg) for arg in expr.args)
            self.constants[expr] = known
        return known

    def convert(self, expr: sympy.Expr, depth: int) -> int:
        found = self.memo.get(expr)
        if found is not None:
            return found
        if depth > MAX_DEPTH:
            raise ValueError(f"the expression is nested more than {MAX_DEPTH} levels deep")
        if expr.is_Symbol:
            index = self.node("input", [], expr, expr.name)
        elif self.is_constant(expr):
            index = self.node("constant", [], expr, expr)
        elif expr.is_Add:
            index = self.sum(expr, depth)
        elif expr.is_Mul:
            index = self.product(expr, depth)
        elif expr.is_Pow:
            index = self.power(expr, depth)
        elif isinstance(expr, Application) and expr.args:
            index = self.function(expr, depth)
        else:
            raise ValueError(f"a graph cannot show {type(expr).__name__} ({expr})")
        self.memo[expr] = index
        return index

    def many(self, kind: str, terms: list[sympy.Expr], depth: int, build: type) -> int:
        """One node for a single term, else one n-ary node over all of them."""
        if len(terms) == 1:
            return self.convert(terms[0], depth + 1)
        inputs = [self.convert(term, depth + 1) for term in terms]
        return self.node(kind, inputs, build(*terms))

    def sum(self, expr: sympy.Expr, depth: int) -> int:
        terms = list(expr.as_ordered_terms())
        positive = [t for t in terms if not t.could_extract_minus_sign()]
        negative = [-t for t in terms if t.could_extract_minus_sign()]
        if not negative:
            return self.many("add", positive, depth, sympy.Add)
        subtracted = self.many("add", negative, depth, sympy.Add)
        if not positive:
            return self.node("neg", [subtracted], expr)
        return self.node("sub", [self.many("add", positive, depth, sympy.Add), subtracted], expr)

    def product(self, expr: sympy.Expr, depth: int) -> int:
        coefficient = sympy.Integer(1)
        numerator: list[sympy.Expr] = []
        denominator: list[sympy.Expr] = []
        for factor in _flat_factors(expr):
            if factor.is_Rational:
                coefficient *= factor
            elif factor.is_Pow and self.is_constant(factor.exp) and factor.exp.could_extract_minus_sign():
                denominator.append(factor.base if factor.exp == -1 else sympy.Pow(factor.base, -factor.exp))
            else:
                numerator.append(factor)
        negated = coefficient.p == -1
        if negated:
            coefficient = -coefficient
        if coefficient.q != 1:
            denominator.insert(0, sympy.Integer(coefficient.q))
        if coefficient.p != 1:
            numerator.insert(0, sympy.Integer(coefficient.p))
        if not denominator:
            core = self.many("mul", numerator, depth, sympy.Mul)
            if not negated:
                return core
        else:
            top = self.many("mul", numerator, depth, sympy.Mul) if numerator else self.convert(sympy.Integer(1), depth + 1)
            bottom = self.many("mul", denominator, depth, sympy.Mul)
            quotient = sympy.Mul(*numerator) / sympy.Mul(*denominator)
            core = self.node("div", [top, bottom], expr if not negated else quotient)
            if not negated:
                return core
        return self.node("neg", [core], expr)

    def power(self, expr: sympy.Expr, depth: int) -> int:
        base, exponent = expr.args
        if not self.is_constant(exponent):
            return self.node("pow", [self.convert(base, depth + 1), self.convert(exponent, depth + 1)], expr)
        if exponent.could_extract_minus_sign():
            positive = base if exponent == -1 else sympy.Pow(base, -exponent)
            one = self.convert(sympy.Integer(1), depth + 1)
            return self.node("div", [one, self.convert(positive, depth + 1)], expr)
        inner = self.convert(base, depth + 1)
        if exponent == _HALF:
            return self.node("sqrt", [inner], expr)
        return self.node("power", [inner], expr, exponent)

    def function(self, expr: sympy.Expr, depth: int) -> int:
        name = type(expr).__name__.lower()
        kind, parameter = (name, None) if known_function(name) else ("function", type(expr))
        inputs = [self.convert(arg, depth + 1) for arg in expr.args]
        return self.node(kind, inputs, expr, parameter)


def _flat_factors(expr: sympy.Expr) -> list[sympy.Expr]:
    """The factors of a product, nested unevaluated products (from ``evaluate=False``) merged."""
    factors: list[sympy.Expr] = []
    for factor in expr.as_ordered_factors():
        factors.extend(_flat_factors(factor) if factor.is_Mul else [factor])
    return factors
