"""Student notation to sympy, through a whitelist: nothing typed is ever evaluated.

Grammar, loosest binding first::

    input    := [name ["(" names ")"] "="] sum          (f(x) = ..., y = ... are accepted)
    sum      := term (("+" | "-") term)*
    term     := unary (("*" | "/") unary | factor)*       (implicit product binds like *)
    unary    := ("-" | "+") unary | power
    power    := postfix ["^" unary]                       (right-associative; -x^2 = -(x^2); 2^-x)
    postfix  := atom (superscript | "!")*                 (x², x!)
    atom     := number | name | call | "(" sum ")" | "|" sum "|" | "√" postfix | "∛" postfix
    call     := function ["^" n | superscript] ("(" sum ("," sum)* ")" | bare-argument)

A bare argument (``sin 2x``, ``sin x^2``) is the implicit product that follows, stopping at
the next function name, e, operator or closing bracket: ``sin x cos x`` is sin(x)·cos(x) and
``sin x e^x`` is sin(x)·e^x.
``sin^-1 x`` is arcsin x. Sizes are bounded before sympy sees them, so every input is cheap.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from fractions import Fraction
from functools import lru_cache

import sympy

from calcgui.core.known_functions import CONSTANTS, FUNCTIONS, KnownFunction
from calcgui.core.tokenizer import MAX_LENGTH, ParseError, Token, tokenize

MAX_DEPTH = 40
#: |exponent| (and a rational exponent's numerator and denominator) may be at most this.
MAX_EXPONENT = 1000
#: A number raised to a number may have at most this many digits.
MAX_POWER_DIGITS = 1000
MAX_FACTORIAL = 170

__all__ = ["ParseError", "parse"]


def parse(text: str, variables: Sequence[str] = ("x",), *, evaluate: bool = True) -> sympy.Expr:
    """Parse ``text`` into a sympy expression over real symbols named by ``variables``.

    Raises :class:`ParseError` (a ValueError with ``.position``) with a message a student
    understands. ``evaluate=False`` keeps the structure as typed ((x²)³ stays a power of a
    power, (4x)² is not expanded), for derivations that follow the student's own form.
    Results are cached: expressions are immutable.
    """
    return _parse(text, tuple(variables), evaluate)


@lru_cache(maxsize=512)
def _parse(text: str, variables: tuple[str, ...], evaluate: bool = True) -> sympy.Expr:
    if len(text) > MAX_LENGTH:
        raise ParseError(f"the function is longer than {MAX_LENGTH} characters", MAX_LENGTH)
    return _Parser(text, tokenize(text), variables, evaluate).parse()


def _flat(kind: type, *terms: sympy.Expr) -> sympy.Expr:
    """An unevaluated sum or product, its nested sums (products) merged: a + b + c is one Add."""
    args: list[sympy.Expr] = []
    for term in terms:
        args.extend(term.args if isinstance(term, kind) else (term,))
    return kind(*args, evaluate=False)


def _offsets(parts: Sequence[str]) -> list[int]:
    """Where each piece of a split name starts, relative to the name."""
    starts, at = [], 0
    for part in parts:
        starts.append(at)
        at += len(part)
    return starts


def _spoken(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


class _Parser:
    def __init__(self, text: str, tokens: list[Token], variables: tuple[str, ...],
                 evaluate: bool = True) -> None:
        self.text = text
        self.evaluate = evaluate
        self.tokens = tokens
        self.i = 0
        self.depth = 0
        self.bars = [0]  # open |...| per bracket level: a '|' closes only at its own level
        self.variables = variables
        self.symbols = {name: sympy.Symbol(name, real=True) for name in variables}

    # -- tokens -------------------------------------------------------------------------------
    def peek(self, ahead: int = 0) -> Token:
        return self.tokens[min(self.i + ahead, len(self.tokens) - 1)]

    def advance(self) -> Token:
        token = self.tokens[self.i]
        self.i = min(self.i + 1, len(self.tokens) - 1)
        return token

    def at_op(self, *ops: str) -> bool:
        token = self.peek()
        return token.kind == "op" and token.text in ops

    def error(self, message: str, position: int, hint: str = "") -> ParseError:
        """"<problem> at <1-based place>[: <advice>]", pointing at ``position``."""
        return ParseError(f"{message} at {position + 1}" + (f": {hint}" if hint else ""), position)

    @contextmanager
    def nested(self, position: int) -> Iterator[None]:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ParseError(f"the function is nested too deeply (more than {MAX_DEPTH} levels)", position)
        try:
            yield
        finally:
            self.depth -= 1

    # -- grammar ------------------------------------------------------------------------------
    def parse(self) -> sympy.Expr:
        self.skip_definition()
        if self.peek().kind == "end":
            raise ParseError(f"type a function of {_spoken(self.variables)}", len(self.text))
        value = self.sum()
        token = self.peek()
        if token.kind != "end":
            if token.text == ")":
                raise self.error("unexpected ')'", token.position, "there is no '(' to close")
            raise self.error(f"unexpected '{token.text}'", token.position)
        if value.has(sympy.zoo, sympy.nan):
            raise ParseError("this is undefined (it divides by zero)", 0)
        return value

    def skip_definition(self) -> None:
        """Accept and drop ``f(x) =``, ``y =``, ``f(x, y) =`` at the start."""
        equals = [k for k, t in enumerate(self.tokens) if t.kind == "op" and t.text == "="]
        if not equals:
            return
        first = equals[0]
        head = self.tokens[:first]
        plain = len(head) == 1 and head[0].kind == "name"
        call = (len(head) >= 4 and head[0].kind == "name" and head[1].text == "(" and head[-1].text == ")"
                and all(t.kind == "name" if k % 2 == 0 else t.text == ","
                        for k, t in enumerate(head[2:-1])))
        if not (plain or call):
            raise self.error("unexpected '='", self.tokens[first].position,
                             "'=' may only follow f(x) or y at the start")
        if len(equals) > 1:
            raise self.error("only one '=' is allowed", self.tokens[equals[1]].position)
        self.i = first + 1

    def sum(self) -> sympy.Expr:
        value = self.term()
        while self.at_op("+", "-"):
            op = self.advance().text
            right = self.term()
            value = self.add(value, right if op == "+" else self.negate(right))
        return value

    def starts_factor(self, token: Token, *, allow_functions: bool = True) -> bool:
        if token.kind == "num":
            return True
        if token.kind == "name":
            return allow_functions or token.text not in FUNCTIONS
        if token.kind == "op":
            return token.text in ("(", "√", "∛") or (token.text == "|" and self.bars[-1] == 0)
        return False

    def term(self) -> sympy.Expr:
        value = self.unary()
        while True:
            token = self.peek()
            if self.at_op("*", "/"):
                self.advance()
                right = self.unary()
                if token.text == "*":
                    value = self.multiply(value, right)
                elif right == 0:
                    raise self.error("division by zero", token.position)
                else:
                    value = self.multiply(value, self.pow(right, sympy.Integer(-1)))
            elif self.starts_factor(token):
                value = self.multiply(value, self.power())
            else:
                return value

    def unary(self) -> sympy.Expr:
        if self.at_op("-", "+"):
            token = self.advance()
            with self.nested(token.position):
                operand = self.unary()
            return self.negate(operand) if token.text == "-" else operand
        return self.power()

    def power(self) -> sympy.Expr:
        base = self.postfix()
        if self.at_op("^"):
            caret = self.advance()
            with self.nested(caret.position):
                exponent = self.unary()  # a signed power: 2^-x, x^2^3
            return self.raise_to(base, exponent, caret.position)
        return base

    def postfix(self) -> sympy.Expr:
        value = self.atom()
        while True:
            token = self.peek()
            if token.kind == "sup":
                self.advance()
                value = self.raise_to(value, self.superscript(token), token.position)
            elif self.at_op("!"):
                self.advance()
                value = self.factorial(value, token.position)
            else:
                return value

    def superscript(self, token: Token) -> sympy.Integer:
        try:
            return sympy.Integer(int(token.text))
        except ValueError:
            raise self.error(f"unreadable superscript '{token.text}'", token.position) from None

    def atom(self) -> sympy.Expr:
        token = self.advance()
        if token.kind == "num":
            fraction = Fraction(token.text)
            return sympy.Rational(fraction.numerator, fraction.denominator)
        if token.kind == "name":
            return self.name(token)
        if token.kind == "op":
            if token.text == "(":
                return self.group(token)
            if token.text == "|":
                return self.absolute(token)
            if token.text in ("√", "∛"):
                with self.nested(token.position):
                    operand = self.postfix()
                return sympy.sqrt(operand) if token.text == "√" else sympy.cbrt(operand)
        if token.kind == "end":
            raise ParseError("something is missing at the end", token.position)
        if token.text == ")":
            raise self.error("unexpected ')'", token.position, "a value is missing before it")
        raise self.error(f"unexpected '{token.text}'", token.position)

    def group(self, opening: Token) -> sympy.Expr:
        with self.nested(opening.position):
            self.bars.append(0)
            value = self.sum()
            self.bars.pop()
        self.close(")", opening)
        return value

    def absolute(self, opening: Token) -> sympy.Expr:
        with self.nested(opening.position):
            self.bars[-1] += 1
            value = self.sum()
            self.bars[-1] -= 1
        self.close("|", opening)
        return sympy.Abs(value)

    def close(self, symbol: str, opening: Token) -> None:
        token = self.peek()
        if token.kind == "op" and token.text == symbol:
            self.advance()
            return
        where = f"to close the '{opening.text}' at {opening.position + 1}"
        if token.kind == "end":
            raise self.error(f"missing '{symbol}'", token.position, where)
        raise self.error(f"expected '{symbol}' instead of '{token.text}'", token.position, where)

    # -- names and calls ------------------------------------------------------------------------
    def name(self, token: Token) -> sympy.Expr:
        name = token.text
        if name in self.symbols:
            return self.symbols[name]
        if name in CONSTANTS:
            return CONSTANTS[name]
        if name in FUNCTIONS:
            with self.nested(token.position):
                return self.call(FUNCTIONS[name], token)
        parts = self.split_variables(name)
        if parts:
            # "xy^2" is x·y²: the pieces become tokens of their own, so a power that follows
            # binds to the last one, and implicit multiplication joins them
            pieces = [Token("name", part, token.position + offset)
                      for part, offset in zip(parts, _offsets(parts))]
            self.tokens[self.i:self.i] = pieces[1:]
            return self.name(pieces[0])
        raise self.unknown(name, token.position)

    def split_variables(self, name: str) -> list[str] | None:
        """``xy`` → [x, y], ``xe`` → [x, e]: every piece an allowed variable or e/pi; else None."""
        if not name:
            return []
        pieces = sorted({*self.variables, "e", "pi"}, key=len, reverse=True)
        for piece in pieces:
            if name.startswith(piece):
                rest = self.split_variables(name[len(piece):])
                if rest is not None:
                    return [piece, *rest]
        return None

    def unknown(self, name: str, position: int) -> ParseError:
        for fname in sorted(FUNCTIONS, key=len, reverse=True):
            rest = name[len(fname):]
            if name.startswith(fname) and rest and (self.split_variables(rest) or rest in CONSTANTS):
                return self.error(f"unknown name '{name}'", position, f"did you mean {fname}({rest})?")
        close = difflib.get_close_matches(name, [*FUNCTIONS, "pi"], n=1, cutoff=0.75)
        if close:
            return self.error(f"unknown name '{name}'", position, f"did you mean {close[0]}?")
        return self.error(f"unknown name '{name}'", position,
                          f"use {_spoken(self.variables)}, numbers, e, pi and functions such as sin, ln, sqrt")

    def call(self, function: KnownFunction, token: Token) -> sympy.Expr:
        exponent = self.function_power(function, token)
        if exponent == -1:
            if function.inverse is None:
                raise self.error(f"no inverse for {token.text}^-1", token.position, f"write 1/{token.text}(x)")
            function, exponent = FUNCTIONS[function.inverse], None
        if self.at_op("("):
            args = self.arguments(token)
        else:
            args = [self.bare_argument(token)]
        if not function.min_args <= len(args) <= function.max_args:
            raise self.error(f"wrong number of arguments for {token.text}", token.position,
                             f"it takes {function.arity_text()}, not {len(args)}")
        if function.name == "factorial":
            value = self.factorial(args[0], token.position)
        else:
            value = function.build(*args)
        return value if exponent is None else self.raise_to(value, exponent, token.position)

    def function_power(self, function: KnownFunction, token: Token) -> sympy.Expr | None:
        """The n of ``sin^n x`` / ``sin² x`` (None when there is none)."""
        following = self.peek()
        if following.kind == "sup":
            self.advance()
            return self.superscript(following)
        if not self.at_op("^"):
            return None
        self.advance()
        sign = 1
        if self.at_op("-"):
            self.advance()
            sign = -1
        if self.at_op("("):
            opening = self.advance()
            value = self.group(opening)
        elif self.peek().kind == "num":
            value = self.atom()
        else:
            raise self.error(f"expected a number after {token.text}^", self.peek().position,
                             f"as in {token.text}^2 x")
        value = sign * value
        if not value.is_Rational:
            raise self.error(f"expected a number after {token.text}^", following.position + 1,
                             f"as in {token.text}^2 x")
        return value

    def arguments(self, token: Token) -> list[sympy.Expr]:
        opening = self.advance()
        if self.at_op(")"):
            raise self.error("missing argument", self.peek().position, f"{token.text} needs a value inside the parentheses")
        self.bars.append(0)
        args = [self.sum()]
        while self.at_op(","):
            self.advance()
            args.append(self.sum())
        self.bars.pop()
        self.close(")", opening)
        return args

    def bare_argument(self, token: Token) -> sympy.Expr:
        """The argument of ``sin 2x``: an implicit product up to the next function name."""
        if self.at_op("-", "+"):
            sign = self.advance()
            with self.nested(sign.position):
                operand = self.bare_argument(token)
            return self.negate(operand) if sign.text == "-" else operand
        following = self.peek()
        if not self.starts_factor(following):
            raise self.error(f"missing argument for {token.text}", following.position, f"write {token.text}(x)")
        value = self.power()
        while self.starts_factor(self.peek(), allow_functions=False) and not self.at_exponential():
            value = self.multiply(value, self.power())
        return value

    def at_exponential(self) -> bool:
        """An e (or E) here starts a new factor, e^x: "sin x e^x" is sin(x)·e^x."""
        token = self.peek()
        return token.kind == "name" and token.text in ("e", "E")

    # -- bounded construction -----------------------------------------------------------------
    def raise_to(self, base: sympy.Expr, exponent: sympy.Expr, position: int) -> sympy.Expr:
        """base**exponent, refused when numbers would make it huge (sympy evaluates eagerly)."""
        if exponent.is_Rational:
            p, q = abs(int(exponent.p)), int(exponent.q)
            if p > MAX_EXPONENT or q > MAX_EXPONENT:
                raise self.error("exponent too large", position, f"{exponent} is more than {MAX_EXPONENT}")
            if base.is_Rational and base != 0:
                digits = max(math.log10(abs(int(base.p))), math.log10(int(base.q)))
                if digits * p / q > MAX_POWER_DIGITS:
                    raise self.error("number too large", position,
                                     f"{base}^{exponent} has more than {MAX_POWER_DIGITS} digits")
            if base == 0 and exponent.is_negative:
                raise self.error("division by zero", position, "0 to a negative power")
        elif exponent.is_number and base.is_number and not exponent.is_finite:
            raise self.error("exponent not finite", position)
        return self.pow(base, exponent)

    # -- construction: evaluated (simplest form) or as typed -------------------------------
    def add(self, a: sympy.Expr, b: sympy.Expr) -> sympy.Expr:
        return a + b if self.evaluate else _flat(sympy.Add, a, b)

    def multiply(self, a: sympy.Expr, b: sympy.Expr) -> sympy.Expr:
        if self.evaluate:
            return a * b
        if a == 1 or b == 1:  # 1/(1 + x²) is a reciprocal, not 1 times one
            return b if a == 1 else a
        return _flat(sympy.Mul, a, b)

    def negate(self, a: sympy.Expr) -> sympy.Expr:
        if self.evaluate or a.is_Number:
            return -a
        return sympy.Mul(sympy.Integer(-1), a, evaluate=False)

    def pow(self, base: sympy.Expr, exponent: sympy.Expr) -> sympy.Expr:
        return sympy.Pow(base, exponent, evaluate=self.evaluate)

    def factorial(self, value: sympy.Expr, position: int) -> sympy.Expr:
        if value.is_number:
            if not (value.is_Integer and 0 <= value <= MAX_FACTORIAL):
                raise self.error("factorial out of range", position, f"it needs a whole number from 0 to {MAX_FACTORIAL}")
        return sympy.factorial(value)
