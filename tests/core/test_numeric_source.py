"""Functions sent as numpy source: equal to lambdify's, loaded without sympy, and checked."""

from __future__ import annotations

import ast
import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from derivative_corpus import CORPUS

from calcgui.core.compiled import compile_chains
from calcgui.core.differentiate import derivatives
from calcgui.core.expression_parser import parse
from calcgui.core.jobs import DerivativeCurves, derivative_job, steps_job
from calcgui.core.special import NUMPY_NAMES
from calcgui.core import numeric_load
from calcgui.core.numeric_load import load_function
from calcgui.core.numeric_source import NUMPY_FUNCTIONS, OTHER_NAMES, NumericSource, UnsafeSource, check_source
from calcgui.core.numpy_printing import numeric_source
from calcgui.core.sampling import compile_function

XS = np.linspace(-6.0, 6.0, 1201)
MORE = ["x!", "factorial(x)", "sign(x)", "|sin x|", "x^(1/3)", "(x - 1)^(2/5)", "max(x, 0)^2",
        "min(1, x)", "x^1000", "factorial(170)", "(" * 35 + "x" + ")" * 35, "1/(x - 1)", "ln(-x)", "√(x^2 - 4)"]


@pytest.mark.parametrize("text", CORPUS + MORE)
def test_loaded_source_equals_lambdify(text: str) -> None:
    """f, f′ and f″ compiled from their printed source give lambdify's values bit for bit
    (NaN where lambdify's are NaN), and print as source, not as sympy."""
    d = derivatives(parse(text), "x", simplify=False)
    for expr in (d.f, d.first, d.second):
        source = numeric_source(expr, "x")
        assert source.expr is None, (text, expr)
        assert source.text == str(expr)
        np.testing.assert_array_equal(load_function(source)(XS), compile_function(expr, "x")(XS))


def test_what_does_not_print_goes_as_sympy() -> None:
    """floor's derivative stays a sympy Derivative (no numpy code): the expression travels,
    and loading it behaves as compiling it does."""
    d = derivatives(parse("floor(x)"), "x", simplify=False)
    source = numeric_source(d.first, "x")
    assert source.body == "" and source.expr == d.first


def test_functions_of_two_variables_and_of_u() -> None:
    x_y = numeric_source(parse("x^2 y + sin(x y)", variables=("x", "y")), ("x", "y"))
    xs, ys = np.meshgrid(np.linspace(-2, 2, 5), np.linspace(-1, 3, 4))
    np.testing.assert_allclose(load_function(x_y)(xs, ys), xs**2 * ys + np.sin(xs * ys), rtol=1e-15)


@pytest.mark.parametrize("body", [
    "__import__('os').system('true')", "open('/etc/passwd')", "numpy.load(x)", "x.__class__", "'text'",
    "(lambda: 1)()", "[i for i in x]", "x[0]", "globals()", "sin.__globals__", "exec", "numpy.lib",
    "logical_and.at(x, 0, 1)", "y + x", "b'x'", "sin(x) if x else cos(x, key=os)", "sin(**x)", "x and x",
    "not x",
])
def test_unsafe_source_is_refused(body: str) -> None:
    with pytest.raises(UnsafeSource):
        check_source(body, ("x",))
    with pytest.raises(UnsafeSource):
        load_function(NumericSource(("x",), body, body))


def test_sources_are_walked_never_compiled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Loading a source never hands text or code to eval, exec or compile: its checked tree
    is turned into closures (a source here is generated text, not the user's, but the rule
    holds for every text)."""
    import builtins

    real_compile = builtins.compile

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("text was compiled or evaluated")

    def parse_only(source: Any, filename: Any, mode: Any, flags: int = 0, *args: Any, **kwargs: Any) -> Any:
        if not flags & ast.PyCF_ONLY_AST:  # ast.parse reads text into a tree: no code made
            refuse()
        return real_compile(source, filename, mode, flags, *args, **kwargs)

    expr = parse("x^3 sin(x) + |x - 1|/(1 + e^x) + relu(x) + max(x, 0)")
    exprs = (expr, derivatives(expr, "x", simplify=False).second)
    sources = [numeric_source(e, "x") for e in exprs]
    numeric_load._loaded.cache_clear()
    with monkeypatch.context() as patched:
        patched.setattr(builtins, "eval", refuse)
        patched.setattr(builtins, "exec", refuse)
        patched.setattr(builtins, "compile", parse_only)
        values = [load_function(source)(XS) for source in sources]
    for e, got in zip(exprs, values):
        np.testing.assert_array_equal(got, compile_function(e, "x")(XS))


def test_the_listed_names_cover_what_sympy_prints() -> None:
    """Every function and constant sympy's NumPyPrinter knows is listed (else such functions
    would travel as sympy and make the UI process import it)."""
    from sympy.printing.numpy import _known_constants_numpy, _known_functions_numpy

    printed = set(_known_functions_numpy.values()) | set(_known_constants_numpy.values())
    assert printed <= set(NUMPY_FUNCTIONS)
    assert set(NUMPY_NAMES) <= set(OTHER_NAMES)  # calcgui's special functions


def test_the_worker_prints_without_numpy() -> None:
    """Printing and checking a source needs sympy, not numpy: the worker's first job does
    not pay for importing numpy (~80 ms)."""
    script = ("import sys\n"
              "from calcgui.core.expression_parser import parse\n"
              "from calcgui.core.numpy_printing import numeric_source\n"
              "source = numeric_source(parse('sin(x)^2 + |x| + x!'), 'x')\n"
              "print(source.expr is None, 'numpy' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True)
    assert out.stdout.split() == ["True", "False"]


def test_chain_steps_carry_their_parts_as_source() -> None:
    """The derivation's chain step draws u(x) = 2x + 3 and g(u) = u² from source."""
    *_, view = steps_job("(2x + 3)^2")
    parts = next(iter(compile_chains(view).chains.values()))
    assert parts.inner_text == "u = 2*x + 3" and parts.outer_text == "g(u) = u**2"
    np.testing.assert_allclose(parts.inner(XS), 2 * XS + 3)
    np.testing.assert_allclose(parts.outer(XS), XS**2)


def test_the_derivative_panes_results_load_without_sympy(tmp_path: Path) -> None:
    """What the UI process receives for the Derivative pane (curves, formulas, derivation)
    is read and compiled in a fresh process that never imports sympy: the first result at
    start-up does not wait for it."""
    payloads = [*derivative_job("sin(x^2) + |x|"), *steps_job("sin(x^2) + |x|")]
    assert any(isinstance(p, DerivativeCurves) for p in payloads)
    (tmp_path / "payloads.pickle").write_bytes(pickle.dumps(payloads))
    script = (
        "import pickle, sys, numpy as np\n"
        "from calcgui.core.compiled import compile_chains, compile_derivatives\n"
        f"payloads = pickle.loads(open({str(tmp_path / 'payloads.pickle')!r}, 'rb').read())\n"
        "done = [compile_chains(compile_derivatives(p)) for p in payloads]\n"
        "f = [d for d in done if hasattr(d, 'functions')][0].functions\n"
        "print(round(float(f[1](np.array([1.0]))[0]), 9), 'sympy' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True)
    assert out.stdout.split() == [str(round(2 * np.cos(1.0) + 1, 9)), "False"]
