"""The operations a computational graph is made of: value, local derivatives, symbolic form.

Each node of a graph applies one :class:`Op` to the values of its inputs. Numbers go through
Python's ``math`` (a graph is evaluated at one point, node by node, and a C call per node costs
far less than evaluating sympy); the symbolic side (the op as a sympy expression in placeholder
inputs u, u₁, u₂ …, and its derivative for typesetting) comes from sympy, cached per op.

Where the derivative does not exist, torch's conventions apply, so that the numbers a student
sees here are the ones PyTorch prints: relu'(0) = 0, |u|' = sign(u) (0 at 0), the derivative of
sign, floor and ceiling is 0, and max / min send the adjoint in equal parts to inputs that tie
(torch.maximum gives 0.5 / 0.5, torch.amax 1/k each). Each such op carries a note that says so.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import sympy

from calcgui.core.known_functions import relu, sigmoid, softplus

__all__ = ["Op", "known_function", "op_for", "placeholders", "symbolic_form"]

Partials = Callable[[tuple[float, ...], float], tuple[float, ...]]


@dataclass(frozen=True)
class Op:
    """One operation: ``forward(inputs) -> value``, ``partials(inputs, value) -> ∂v/∂uᵢ``.

    ``template`` builds the op as a sympy expression of its inputs (for typesetting and for the
    symbolic local derivative); ``note`` names the convention used at a kink, if any.
    """

    kind: str
    label: str
    forward: Callable[[tuple[float, ...]], float]
    partials: Partials
    template: Callable[..., sympy.Expr]
    note: str = ""


def _sigmoid(u: float) -> float:
    # exp(-log(1 + e^-u)) never overflows, unlike 1 / (1 + e^-u) for u ≪ 0
    return math.exp(-_softplus(-u))


def _softplus(u: float) -> float:
    """ln(1 + e^u) without overflow."""
    return max(u, 0.0) + math.log1p(math.exp(-abs(u)))


def _sign(u: float) -> float:
    return (u > 0) - (u < 0)


def _ties(inputs: tuple[float, ...], best: float) -> tuple[float, ...]:
    """The adjoint shared equally by the inputs that attain the max (or min), as torch does."""
    winners = sum(1 for u in inputs if u == best)
    return tuple(1.0 / winners if u == best else 0.0 for u in inputs)


def _product_except(inputs: tuple[float, ...], skip: int) -> float:
    """∏ uⱼ for j ≠ skip, by multiplication, so a zero factor elsewhere is handled exactly."""
    return math.prod(u for j, u in enumerate(inputs) if j != skip)


def _unary(kind: str, label: str, f: Callable[[float], float], df: Callable[[float, float], float],
           template: Callable[[sympy.Expr], sympy.Expr], note: str = "") -> Op:
    return Op(kind, label, lambda a: f(a[0]), lambda a, v: (df(a[0], v),), template, note)


_KINK = "torch's convention at the kink"
_UNARY: dict[str, Op] = {op.kind: op for op in [
    _unary("neg", "−", lambda u: -u, lambda u, v: -1.0, lambda u: -u),
    _unary("sqrt", "√", math.sqrt, lambda u, v: 0.5 / v, sympy.sqrt),
    _unary("exp", "exp", math.exp, lambda u, v: v, sympy.exp),
    _unary("log", "ln", math.log, lambda u, v: 1.0 / u, sympy.log),
    _unary("sin", "sin", math.sin, lambda u, v: math.cos(u), sympy.sin),
    _unary("cos", "cos", math.cos, lambda u, v: -math.sin(u), sympy.cos),
    _unary("tan", "tan", math.tan, lambda u, v: 1.0 + v * v, sympy.tan),
    _unary("sec", "sec", lambda u: 1.0 / math.cos(u), lambda u, v: v * math.tan(u), sympy.sec),
    _unary("csc", "csc", lambda u: 1.0 / math.sin(u), lambda u, v: -v / math.tan(u), sympy.csc),
    _unary("cot", "cot", lambda u: 1.0 / math.tan(u), lambda u, v: -(1.0 + v * v), sympy.cot),
    _unary("asin", "arcsin", math.asin, lambda u, v: 1.0 / math.sqrt(1.0 - u * u), sympy.asin),
    _unary("acos", "arccos", math.acos, lambda u, v: -1.0 / math.sqrt(1.0 - u * u), sympy.acos),
    _unary("atan", "arctan", math.atan, lambda u, v: 1.0 / (1.0 + u * u), sympy.atan),
    _unary("acot", "arccot", lambda u: math.atan(1.0 / u), lambda u, v: -1.0 / (1.0 + u * u), sympy.acot),
    _unary("asec", "arcsec", lambda u: math.acos(1.0 / u),
           lambda u, v: 1.0 / (u * u * math.sqrt(1.0 - 1.0 / (u * u))), sympy.asec),
    _unary("acsc", "arccsc", lambda u: math.asin(1.0 / u),
           lambda u, v: -1.0 / (u * u * math.sqrt(1.0 - 1.0 / (u * u))), sympy.acsc),
    _unary("sinh", "sinh", math.sinh, lambda u, v: math.cosh(u), sympy.sinh),
    _unary("cosh", "cosh", math.cosh, lambda u, v: math.sinh(u), sympy.cosh),
    _unary("tanh", "tanh", math.tanh, lambda u, v: 1.0 - v * v, sympy.tanh),
    _unary("sech", "sech", lambda u: 1.0 / math.cosh(u), lambda u, v: -v * math.tanh(u), sympy.sech),
    _unary("csch", "csch", lambda u: 1.0 / math.sinh(u), lambda u, v: -v / math.tanh(u), sympy.csch),
    _unary("coth", "coth", lambda u: 1.0 / math.tanh(u), lambda u, v: 1.0 - v * v, sympy.coth),
    _unary("asinh", "arsinh", math.asinh, lambda u, v: 1.0 / math.sqrt(u * u + 1.0), sympy.asinh),
    _unary("acosh", "arcosh", math.acosh, lambda u, v: 1.0 / math.sqrt(u * u - 1.0), sympy.acosh),
    _unary("atanh", "artanh", math.atanh, lambda u, v: 1.0 / (1.0 - u * u), sympy.atanh),
    _unary("acoth", "arcoth", lambda u: math.atanh(1.0 / u), lambda u, v: 1.0 / (1.0 - u * u), sympy.acoth),
    _unary("asech", "arsech", lambda u: math.acosh(1.0 / u),
           lambda u, v: -1.0 / (u * math.sqrt(1.0 - u * u)), sympy.asech),
    _unary("acsch", "arcsch", lambda u: math.asinh(1.0 / u),
           lambda u, v: -1.0 / (abs(u) * math.sqrt(1.0 + u * u)), sympy.acsch),
    _unary("sigmoid", "σ", _sigmoid, lambda u, v: v * (1.0 - v), sigmoid),
    _unary("softplus", "softplus", _softplus, lambda u, v: _sigmoid(u), softplus),
    _unary("relu", "ReLU", lambda u: max(u, 0.0), lambda u, v: 1.0 if u > 0 else 0.0, relu,
           f"ReLU'(0) is taken as 0 ({_KINK})"),
    _unary("abs", "abs", abs, lambda u, v: float(_sign(u)), sympy.Abs,
           f"|u|' = sign(u), taken as 0 at u = 0 ({_KINK})"),
    _unary("sign", "sign", lambda u: float(_sign(u)), lambda u, v: 0.0, sympy.sign,
           "the derivative of sign is taken as 0 everywhere (as torch)"),
    _unary("floor", "floor", lambda u: float(math.floor(u)), lambda u, v: 0.0, sympy.floor,
           "the derivative of floor is taken as 0 everywhere (as torch)"),
    _unary("ceiling", "ceil", lambda u: float(math.ceil(u)), lambda u, v: 0.0, sympy.ceiling,
           "the derivative of ceil is taken as 0 everywhere (as torch)"),
]}

_TIES = "inputs that tie share the adjoint equally (torch's convention)"
_NARY: dict[str, Op] = {op.kind: op for op in [
    Op("add", "+", math.fsum, lambda a, v: (1.0,) * len(a), lambda *u: sympy.Add(*u)),
    Op("mul", "×", math.prod, lambda a, v: tuple(_product_except(a, i) for i in range(len(a))),
       lambda *u: sympy.Mul(*u)),
    Op("sub", "−", lambda a: a[0] - a[1], lambda a, v: (1.0, -1.0), lambda a, b: a - b),
    Op("div", "÷", lambda a: a[0] / a[1], lambda a, v: (1.0 / a[1], -v / a[1]), lambda a, b: a / b),
    Op("pow", "^", lambda a: math.pow(a[0], a[1]),
       lambda a, v: (a[1] * math.pow(a[0], a[1] - 1.0), v * math.log(a[0])), lambda a, b: a**b),
    Op("max", "max", max, lambda a, v: _ties(a, v), lambda *u: sympy.Max(*u), _TIES),
    Op("min", "min", min, lambda a, v: _ties(a, v), lambda *u: sympy.Min(*u), _TIES),
]}


@lru_cache(maxsize=256)
def _power(exponent: sympy.Expr) -> Op:
    """u^n for a constant n: one input, the exponent is part of the op (as in "square")."""
    n = float(exponent)
    label = "^" + (str(exponent) if exponent.is_Rational else sympy.sstr(exponent))
    return Op("power", label, lambda a: math.pow(a[0], n),
              lambda a, v: (n * math.pow(a[0], n - 1.0),), lambda u: u**exponent)


@lru_cache(maxsize=64)
def _generic(function: type) -> Op:
    """Any other sympy function (factorial …), numbers by sympy: slow, but rare."""

    def forward(a: tuple[float, ...]) -> float:
        return _real(function(*map(sympy.Float, a)))

    def partials(a: tuple[float, ...], v: float) -> tuple[float, ...]:
        derivatives = _symbolic_partials("function", len(a), function)
        values = dict(zip(placeholders(len(a)), map(sympy.Float, a)))
        return tuple(_real(d.xreplace(values)) for d in derivatives)

    return Op("function", function.__name__, forward, partials, function)


def _real(value: sympy.Expr) -> float:
    """A sympy number as a float; ValueError when it is not a finite real number."""
    number = complex(value.evalf())
    if number.imag != 0 or not math.isfinite(number.real):
        raise ValueError("not a real number")
    return number.real


def op_for(kind: str, parameter: object = None) -> Op:
    """The op of a node kind; ``parameter`` is the exponent of "power", the class of "function"."""
    if kind == "power":
        return _power(parameter)  # type: ignore[arg-type]
    if kind == "function":
        return _generic(parameter)  # type: ignore[arg-type]
    return _UNARY.get(kind) or _NARY[kind]


def known_function(name: str) -> bool:
    """True when ``name`` (a sympy class name, lower case) has an op of its own."""
    return name in _UNARY or name in _NARY


@lru_cache(maxsize=64)
def placeholders(arity: int) -> tuple[sympy.Symbol, ...]:
    """The inputs of an op in its generic form: u for one input, u₁ … uₙ for more."""
    if arity == 1:
        return (sympy.Symbol("u", real=True),)
    return tuple(sympy.Symbol(f"u_{k}", real=True) for k in range(1, arity + 1))


@lru_cache(maxsize=512)
def _symbolic_partials(kind: str, arity: int, parameter: object) -> tuple[sympy.Expr, ...]:
    us = placeholders(arity)
    expr = op_for(kind, parameter).template(*us)
    derivatives = [sympy.diff(expr, u) for u in us]
    if kind == "relu":  # sympy's Heaviside(0) is 1/2; ours (torch's) is 0
        derivatives = [sympy.Heaviside(us[0], 0)]
    elif kind in ("sign", "floor", "ceiling"):  # sympy: DiracDelta or an unevaluated Derivative
        derivatives = [sympy.Integer(0)]
    return tuple(derivatives)


def symbolic_form(kind: str, arity: int, parameter: object) -> tuple[sympy.Expr, tuple[sympy.Expr, ...]]:
    """The op in placeholders and its partial derivatives ∂v/∂uᵢ, for typesetting."""
    us = placeholders(arity)
    return op_for(kind, parameter).template(*us), _symbolic_partials(kind, arity, parameter)
