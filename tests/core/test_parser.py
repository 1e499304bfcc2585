"""The whitelisting parser: student notation in, the right sympy expression out; everything
else a ParseError with a position, and nothing ever evaluated. How quickly: bench/bench_parser_bounds.py."""

from __future__ import annotations

import builtins
import os
import re
import sys
from fractions import Fraction

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st
from parser_inputs import ALPHABET, BOUNDS, LARGEST_ALLOWED

from calcgui.core import ParseError, parse
from calcgui.core.known_functions import relu, sigmoid, softplus
from calcgui.core.tokenizer import MAX_LITERAL, MAX_LITERAL_TEXT

x, y = sympy.symbols("x y", real=True)
E, pi = sympy.E, sympy.pi

NOTATION = [
    # the seeds and implicit multiplication
    ("2x^2 + 3x + 1", 2 * x**2 + 3 * x + 1),
    ("2x", 2 * x), ("3 sin x", 3 * sympy.sin(x)), ("(x+1)(x-1)", (x + 1) * (x - 1)),
    ("x(x+1)", x * (x + 1)), ("2(x+1)", 2 * (x + 1)), ("2pi x", 2 * pi * x), ("2e^x", 2 * sympy.exp(x)),
    ("1/2x", x / 2), ("x/2x", x**2 / 2),
    # powers
    ("x^2", x**2), ("x**2", x**2), ("-x^2", -(x**2)), ("2^-x", 2 ** (-x)), ("x^-1", 1 / x),
    ("x^2^3", x**8), ("e^(-x^2)", sympy.exp(-(x**2))), ("e^x", sympy.exp(x)), ("(x+1)^2", (x + 1) ** 2),
    ("x^(1/2)", sympy.sqrt(x)), ("e^sin x", sympy.exp(sympy.sin(x))),
    # unicode
    ("x²", x**2), ("x³", x**3), ("x¹⁰", x**10), ("x⁻¹", 1 / x), ("2·x", 2 * x), ("2⋅x", 2 * x), ("2×x", 2 * x),
    ("x÷2", x / 2), ("x − 1", x - 1), ("x – 1", x - 1), ("π", pi), ("πx", pi * x), ("√x", sympy.sqrt(x)),
    ("√(x+1)", sympy.sqrt(x + 1)), ("√2x", sympy.sqrt(2) * x), ("√x+1", sympy.sqrt(x) + 1),
    ("∛x", sympy.cbrt(x)), ("ｘ＋１", x + 1), ("sin²x", sympy.sin(x) ** 2),
    # absolute value
    ("|x|", sympy.Abs(x)), ("|x - 2|", sympy.Abs(x - 2)), ("2|x|", 2 * sympy.Abs(x)),
    ("|x - |x||", sympy.Abs(x - sympy.Abs(x))), ("abs(x)", sympy.Abs(x)), ("|x|+|x-1|", sympy.Abs(x) + sympy.Abs(x - 1)),
    # constants, logs, roots
    ("e", E), ("pi", pi), ("exp(x)", sympy.exp(x)), ("ln x", sympy.log(x)), ("log(x)", sympy.log(x)),
    ("log(x, 2)", sympy.log(x, 2)), ("log10(x)", sympy.log(x, 10)), ("log2 x", sympy.log(x, 2)),
    ("sqrt(x)", sympy.sqrt(x)), ("cbrt(x)", sympy.cbrt(x)), ("root(x, 4)", sympy.root(x, 4)),
    # trig and function-power notation
    ("sin x", sympy.sin(x)), ("sin(x)", sympy.sin(x)), ("sin^2 x", sympy.sin(x) ** 2),
    ("sin^2(x)", sympy.sin(x) ** 2), ("sin(x)^2", sympy.sin(x) ** 2), ("sin^-1 x", sympy.asin(x)),
    ("sin^(-1)(x)", sympy.asin(x)), ("tan^-1 x", sympy.atan(x)), ("cosh^-1 x", sympy.acosh(x)),
    ("sin x^2", sympy.sin(x**2)), ("sin 2x", sympy.sin(2 * x)), ("sin x cos x", sympy.sin(x) * sympy.cos(x)),
    ("sin x + 1", sympy.sin(x) + 1), ("ln x / x", sympy.log(x) / x), ("sin(x)(x+1)", sympy.sin(x) * (x + 1)),
    ("sin -x", sympy.sin(-x)), ("ln ln x", sympy.log(sympy.log(x))),
    ("sin x e^x", sympy.sin(x) * sympy.exp(x)), ("cos x e^(-x)", sympy.cos(x) * sympy.exp(-x)),
    ("ln x e^x", sympy.log(x) * sympy.exp(x)),
    ("sec x", sympy.sec(x)), ("csc x", sympy.csc(x)), ("cot x", sympy.cot(x)),
    # inverse trig and hyperbolic names
    ("arcsin x", sympy.asin(x)), ("asin x", sympy.asin(x)), ("arccos x", sympy.acos(x)), ("acos x", sympy.acos(x)),
    ("arctan x", sympy.atan(x)), ("atan(x^2)", sympy.atan(x**2)), ("arcsec x", sympy.asec(x)),
    ("arccsc x", sympy.acsc(x)), ("arccot x", sympy.acot(x)), ("sinh x", sympy.sinh(x)), ("cosh x", sympy.cosh(x)),
    ("tanh x", sympy.tanh(x)), ("sech x", sympy.sech(x)), ("csch x", sympy.csch(x)), ("coth x", sympy.coth(x)),
    ("arsinh x", sympy.asinh(x)), ("arcosh x", sympy.acosh(x)), ("artanh x", sympy.atanh(x)),
    ("arctanh x", sympy.atanh(x)),
    # piecewise and deep-learning functions
    ("max(x, 0)", sympy.Max(x, 0)), ("min(x, x^2, 1)", sympy.Min(x, x**2, 1)), ("sigmoid(x)", sigmoid(x)),
    ("relu(x)", relu(x)), ("ReLU(x)", relu(x)), ("softplus(x)", softplus(x)), ("sign x", sympy.sign(x)),
    ("floor(x)", sympy.floor(x)), ("ceil(x)", sympy.ceiling(x)), ("x!", sympy.factorial(x)),
    ("factorial(5)", sympy.Integer(120)),
    # numbers are exact
    ("0.5x", x / 2), (".5x", x / 2), ("1e-3 x", x / 1000), ("2.5E3", sympy.Integer(2500)), ("2e3", sympy.Integer(2000)),
    ("2e", 2 * E), ("2e-x", 2 * E - x),
    # definitions and brackets
    ("f(x) = x^2", x**2), ("y = 3x", 3 * x), ("  x + 1  ", x + 1), ("[x+1]^2", (x + 1) ** 2), ("{x}", x),
    ("x^x", x**x),
]


@pytest.mark.parametrize(("text", "expected"), NOTATION, ids=[t for t, _ in NOTATION])
def test_student_notation(text: str, expected: sympy.Expr) -> None:
    assert parse(text) == expected


def test_symbols_are_real() -> None:
    assert parse("x").is_real and parse("x") == x


@pytest.mark.parametrize(("text", "expected"), [
    ("x*y + 1", x * y + 1), ("x y", x * y), ("xy", x * y), ("2xy^2", 2 * x * y**2),
    ("f(x, y) = x^2 - y^2", x**2 - y**2), ("z = 3x^2 + 2y", 3 * x**2 + 2 * y), ("2y^3x^2", 2 * y**3 * x**2),
])
def test_two_variables(text: str, expected: sympy.Expr) -> None:
    assert parse(text, variables=("x", "y")) == expected


ERRORS = [
    # text, position (0-based), words the message must contain
    ("2x^^3", 3, "unexpected '^' at 4"),
    ("(x+1", 4, "missing ')' at 5"),
    ("x+1)", 3, "unexpected ')' at 4"),
    ("sin()", 4, "sin needs a value"),
    ("sinx", 0, "did you mean sin(x)?"),
    ("t", 0, "unknown name 't' at 1"),
    ("x +", 3, "missing at the end"),
    ("3..2", 2, "second decimal point"),
    ("log(x, 1, 2)", 0, "takes 1 or 2 arguments, not 3"),
    ("|x", 2, "missing '|'"),
    (", ", 0, "unexpected ','"),
    ("x = 3 = 4", 6, "only one '='"),
    ("3 = x", 2, "'=' may only follow"),
    ("", 0, "type a function of x"),
    ("   ", 3, "type a function of x"),
    ("sqtr(x)", 0, "did you mean sqrt?"),
    ("1/0", 1, "division by zero"),
    ("sin", 3, "write sin(x)"),
    ("x @ 2", 2, "unexpected character '@'"),
    ("x\\2", 1, "unexpected character"),
    ("exp^-1 x", 0, "no inverse"),
    ("sin^x x", 4, "expected a number after sin^"),
]


@pytest.mark.parametrize(("text", "position", "words"), ERRORS, ids=[t or "empty" for t, _, _ in ERRORS])
def test_errors_point_at_the_problem(text: str, position: int, words: str) -> None:
    with pytest.raises(ParseError) as info:
        parse(text)
    assert info.value.position == position
    assert words in str(info.value)
    assert isinstance(info.value, ValueError)


def test_other_variables_are_named_in_the_error() -> None:
    with pytest.raises(ParseError, match="use x and y"):
        parse("t", variables=("x", "y"))
    with pytest.raises(ParseError, match="unknown name 'y'"):
        parse("x + y")


INJECTIONS = [
    "__import__('os').system('ls')", "__import__", "().__class__", "x.__class__", "lambda: 0", "lambda x: x",
    "exec('1')", "eval('1')", "open('/etc/passwd')", "os.system", "globals()", "x; import os", "getattr(x, 'y')",
    "sympify('x')", "S('x')", "[].__class__.__base__", "'x'", '"x"', "x if x else x", "x == x", "x.real",
]


@pytest.mark.parametrize("text", INJECTIONS)
def test_injection_attempts_are_refused_and_run_nothing(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[object] = []
    monkeypatch.setattr(os, "system", lambda *a: calls.append(a) or 0)
    real_import = builtins.__import__

    def spy_import(name: str, *args: object, **kwargs: object) -> object:
        if name in ("os", "subprocess", "shutil"):
            calls.append(name)
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", spy_import)
    with pytest.raises(ParseError):
        parse(text + " ")  # a fresh text, so no cached result hides the work
    assert calls == []


@pytest.mark.parametrize(("text", "bound"), BOUNDS, ids=[t[:20] for t, _ in BOUNDS])
def test_bounds_refuse_expensive_input_by_name(text: str, bound: str) -> None:
    """Each bound refuses before sympy does the expensive work, and says which bound it was
    (how fast: bench/bench_parser_bounds.py)."""
    with pytest.raises(ParseError) as info:
        parse(text)
    assert bound in str(info.value)


def test_the_largest_allowed_inputs_are_accepted() -> None:
    results = [parse(text) for text in LARGEST_ALLOWED]
    assert results[:3] == [x**1000, sympy.Integer(2) ** 1000, sympy.factorial(170)]
    assert results[3] == x and results[4] == 10**308 - 1


@settings(max_examples=400)
@given(st.lists(st.sampled_from(ALPHABET), max_size=25).map("".join))
def test_any_text_parses_or_raises_parse_error(text: str) -> None:
    try:
        result = parse(text)
    except ParseError as error:
        assert 0 <= error.position <= len(text)
    else:
        assert isinstance(result, sympy.Expr)
        assert result.free_symbols <= {x}


def _trees() -> st.SearchStrategy[sympy.Expr]:
    leaves = st.one_of(st.just(x), st.integers(1, 9).map(sympy.Integer))

    def extend(children: st.SearchStrategy[sympy.Expr]) -> st.SearchStrategy[sympy.Expr]:
        return st.one_of(
            st.tuples(children, children).map(lambda ab: ab[0] + ab[1]),
            st.tuples(children, children).map(lambda ab: ab[0] - ab[1]),
            st.tuples(children, children).map(lambda ab: ab[0] * ab[1]),
            st.tuples(children, children).map(lambda ab: ab[0] / ab[1]),
            st.tuples(children, st.integers(-3, 4)).map(lambda ab: ab[0] ** ab[1]),
            children.map(sympy.sin), children.map(sympy.cos), children.map(sympy.exp),
            children.map(sympy.log), children.map(sympy.sqrt),
        )

    return st.recursive(leaves, extend, max_leaves=8)


def _has_literal_over_the_bound(text: str) -> bool:
    return any(Fraction(literal) > MAX_LITERAL for literal in re.findall(r"\d+(?:\.\d+)?", text))


@settings(max_examples=200)
@given(_trees())
def test_printed_expressions_parse_back_to_themselves(expr: sympy.Expr) -> None:
    """What sympy prints (and a student pastes) parses back to the same expression; the one
    exception is a number no float can hold, refused with a message that names the bound."""
    if expr.has(sympy.zoo, sympy.nan, sympy.I):
        return  # not a real function of x (sympy wrote log of a negative number with I)
    text = sympy.sstr(expr)
    if len(text) > 500:
        return
    if _has_literal_over_the_bound(text):
        with pytest.raises(ParseError, match=re.escape(MAX_LITERAL_TEXT)):
            parse(text)
    else:
        assert parse(text) == expr


def test_sympy_prints_exact_integers_that_parse_back() -> None:
    """sin(exp(125 log 2)) prints as sin(42535295865117307932921825928971026432): 38 digits."""
    expr = sympy.sin(sympy.exp(125 * sympy.log(2)))
    text = sympy.sstr(expr)
    assert text == "sin(42535295865117307932921825928971026432)"
    assert parse(text) == expr


@pytest.mark.parametrize("text", ["9" * 308, str(int(sys.float_info.max)), "0.5e100", "1" * 290 + "e10",
                                  "0." + "0" * 400 + "1"])
def test_literals_up_to_the_largest_float_are_accepted(text: str) -> None:
    assert parse(text) == sympy.Rational(Fraction(text))


@pytest.mark.parametrize(("text", "position", "shown"), [
    ("1" + "0" * 309, 0, "1000000000…0000 (about 1.0e309)"),
    (str(int(sys.float_info.max) + 1), 0, "(about 1.7e308)"),
    ("x + " + "9" * 400 + "x", 4, "9999999999…9999 (about 9.9e399)"),
    ("2" * 300 + "e9", 0, "2222222222…22e9 (about 2.2e308)"),
])
def test_literals_beyond_the_largest_float_are_refused_at_once(text: str, position: int, shown: str) -> None:
    with pytest.raises(ParseError) as info:
        parse(text)
    assert info.value.position == position
    assert str(info.value).startswith(f"number too large at {position + 1}: ")
    assert shown in str(info.value)
    assert str(info.value).endswith(f"is more than {MAX_LITERAL_TEXT}, the largest number allowed")


@pytest.mark.parametrize(("text", "expected"), [
    ("xe^x", x * sympy.exp(x)), ("2xe^(-x)", 2 * x * sympy.exp(-x)), ("pix", pi * x), ("xx", x**2),
    ("x^2x", x**3),
])
def test_names_that_split_into_variables_and_constants(text: str, expected: sympy.Expr) -> None:
    assert parse(text) == expected
