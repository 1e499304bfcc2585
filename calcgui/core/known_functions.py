"""The whitelist of names a function may use, and the deep-learning functions sympy lacks.

The parser builds sympy objects only through this table: a name that is not here is an error,
never a lookup into Python or sympy.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sympy


class _RealFunction(sympy.Function):
    """A real function of one real argument, typeset as ``latex_name(arg)``."""

    latex_name = ""

    def _eval_is_real(self) -> bool | None:
        return self.args[0].is_real

    def _eval_evalf(self, prec: int) -> sympy.Expr:
        """Numbers through the textbook definition, so N() and evalf() work."""
        return self.rewrite(sympy.exp).rewrite(sympy.Max)._eval_evalf(prec)

    def _latex(self, printer: sympy.printing.latex.LatexPrinter, exp: str | None = None) -> str:
        """``exp`` is passed by sympy for a power of the function (σ(x)²): written σ^{2}(x),
        as sympy writes sin^{2}(x)."""
        name = self.latex_name if exp is None else f"{self.latex_name}^{{{exp}}}"
        return rf"{name}\left({printer._print(self.args[0])}\right)"


class sigmoid(_RealFunction):  # noqa: N801 (sympy names functions in lower case)
    """The logistic function σ(x) = 1 / (1 + e^(−x)), with σ' = σ(1 − σ)."""

    latex_name = r"\sigma"

    @classmethod
    def eval(cls, arg: sympy.Expr) -> sympy.Expr | None:
        if arg.is_zero:
            return sympy.Rational(1, 2)
        return None

    def fdiff(self, argindex: int = 1) -> sympy.Expr:
        s = sigmoid(self.args[0])
        return s * (1 - s)

    def _eval_rewrite_as_exp(self, arg: sympy.Expr, **kwargs: object) -> sympy.Expr:
        return 1 / (1 + sympy.exp(-arg))

    def _numpycode(self, printer: sympy.printing.numpy.NumPyPrinter) -> str:
        # exp(-log(1 + e^-x)) never overflows (unlike 1/(1 + exp(-x)) for x ≪ 0) and, unlike
        # the tanh form, keeps its relative accuracy deep in the left tail
        return f"numpy.exp(-numpy.logaddexp(0.0, -({printer._print(self.args[0])})))"


class relu(_RealFunction):  # noqa: N801
    """max(0, x); its derivative is the Heaviside step (undefined at 0)."""

    latex_name = r"\operatorname{ReLU}"

    @classmethod
    def eval(cls, arg: sympy.Expr) -> sympy.Expr | None:
        if arg.is_number and arg.is_real:
            return sympy.Max(0, arg)
        if arg.is_nonnegative:
            return arg
        if arg.is_nonpositive:
            return sympy.Integer(0)
        return None

    def fdiff(self, argindex: int = 1) -> sympy.Expr:
        return sympy.Heaviside(self.args[0])

    def _eval_rewrite_as_Max(self, arg: sympy.Expr, **kwargs: object) -> sympy.Expr:
        return sympy.Max(0, arg)

    def _numpycode(self, printer: sympy.printing.numpy.NumPyPrinter) -> str:
        return f"numpy.maximum(0.0, {printer._print(self.args[0])})"


class softplus(_RealFunction):  # noqa: N801
    """ln(1 + e^x), a smooth ReLU; its derivative is σ(x)."""

    latex_name = r"\operatorname{softplus}"

    @classmethod
    def eval(cls, arg: sympy.Expr) -> sympy.Expr | None:
        if arg.is_zero:
            return sympy.log(2)
        return None

    def fdiff(self, argindex: int = 1) -> sympy.Expr:
        return sigmoid(self.args[0])

    def _eval_rewrite_as_exp(self, arg: sympy.Expr, **kwargs: object) -> sympy.Expr:
        return sympy.log(1 + sympy.exp(arg))

    def _numpycode(self, printer: sympy.printing.numpy.NumPyPrinter) -> str:
        return f"numpy.logaddexp(0.0, {printer._print(self.args[0])})"


@dataclass(frozen=True)
class KnownFunction:
    """A name the parser accepts: how to build it, how many arguments, and its inverse
    (for ``sin^-1 x``), if it has one."""

    name: str
    build: Callable[..., sympy.Expr]
    min_args: int = 1
    max_args: int = 1
    inverse: str | None = None

    def arity_text(self) -> str:
        if self.min_args == self.max_args:
            return f"{self.min_args} argument" + ("s" if self.min_args != 1 else "")
        if self.max_args > 100:
            return f"at least {self.min_args} arguments"
        return f"{self.min_args} or {self.max_args} arguments"


def _log(x: sympy.Expr, base: sympy.Expr | None = None) -> sympy.Expr:
    return sympy.log(x) if base is None else sympy.log(x, base)


_TABLE: list[tuple[tuple[str, ...], Callable[..., sympy.Expr], int, int, str | None]] = [
    (("sin",), sympy.sin, 1, 1, "asin"), (("cos",), sympy.cos, 1, 1, "acos"),
    (("tan",), sympy.tan, 1, 1, "atan"), (("sec",), sympy.sec, 1, 1, "asec"),
    (("csc", "cosec"), sympy.csc, 1, 1, "acsc"), (("cot",), sympy.cot, 1, 1, "acot"),
    (("asin", "arcsin"), sympy.asin, 1, 1, None), (("acos", "arccos"), sympy.acos, 1, 1, None),
    (("atan", "arctan"), sympy.atan, 1, 1, None), (("asec", "arcsec"), sympy.asec, 1, 1, None),
    (("acsc", "arccsc"), sympy.acsc, 1, 1, None), (("acot", "arccot"), sympy.acot, 1, 1, None),
    (("sinh",), sympy.sinh, 1, 1, "asinh"), (("cosh",), sympy.cosh, 1, 1, "acosh"),
    (("tanh",), sympy.tanh, 1, 1, "atanh"), (("sech",), sympy.sech, 1, 1, "asech"),
    (("csch",), sympy.csch, 1, 1, "acsch"), (("coth",), sympy.coth, 1, 1, "acoth"),
    (("asinh", "arsinh", "arcsinh"), sympy.asinh, 1, 1, None),
    (("acosh", "arcosh", "arccosh"), sympy.acosh, 1, 1, None),
    (("atanh", "artanh", "arctanh"), sympy.atanh, 1, 1, None),
    (("asech", "arsech", "arcsech"), sympy.asech, 1, 1, None),
    (("acsch", "arcsch", "arccsch"), sympy.acsch, 1, 1, None),
    (("acoth", "arcoth", "arccoth"), sympy.acoth, 1, 1, None),
    (("exp",), sympy.exp, 1, 1, None), (("ln",), sympy.log, 1, 1, None),
    (("log",), _log, 1, 2, None),
    (("log10",), lambda x: sympy.log(x, 10), 1, 1, None),
    (("log2",), lambda x: sympy.log(x, 2), 1, 1, None),
    (("sqrt",), sympy.sqrt, 1, 1, None), (("cbrt",), sympy.cbrt, 1, 1, None),
    (("root",), sympy.root, 2, 2, None),
    (("abs", "Abs"), sympy.Abs, 1, 1, None), (("sign", "sgn"), sympy.sign, 1, 1, None),
    (("floor",), sympy.floor, 1, 1, None), (("ceil", "ceiling"), sympy.ceiling, 1, 1, None),
    (("factorial",), sympy.factorial, 1, 1, None),
    (("max", "Max"), sympy.Max, 1, 1000, None), (("min", "Min"), sympy.Min, 1, 1000, None),
    (("sigmoid",), sigmoid, 1, 1, None), (("relu", "ReLU"), relu, 1, 1, None),
    (("softplus",), softplus, 1, 1, None),
]

#: name → KnownFunction, for every accepted spelling.
FUNCTIONS: dict[str, KnownFunction] = {
    name: KnownFunction(names[0], build, lo, hi, inverse)
    for names, build, lo, hi, inverse in _TABLE
    for name in names
}

#: Constants by name.
CONSTANTS: dict[str, sympy.Expr] = {"e": sympy.E, "E": sympy.E, "pi": sympy.pi, "π": sympy.pi}
