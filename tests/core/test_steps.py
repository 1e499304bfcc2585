"""Rule-by-rule derivations: every result right, every step right, the seeds' examples."""

from __future__ import annotations

import math

import pytest
import sympy

from calcgui.core import parse
from calcgui.core.steps import RULES, U, Step, derivative_steps
from derivative_corpus import CORPUS

x = sympy.Symbol("x", real=True)

SAMPLES = (0.37, 0.81, 1.3)


def numeric(expr: sympy.Expr, var: sympy.Symbol, value: float) -> complex | None:
    try:
        result = complex(sympy.N(expr.subs(var, value)))
    except (TypeError, ValueError):
        return None
    return result if math.isfinite(result.real) and math.isfinite(result.imag) else None


def agree(a: sympy.Expr, b: sympy.Expr, var: sympy.Symbol) -> bool:
    checked = 0
    for value in SAMPLES:
        left, right = numeric(a, var, value), numeric(b, var, value)
        if left is None or right is None:
            continue
        checked += 1
        if abs(left - right) > 1e-9 * max(1.0, abs(right)):
            return False
    return checked > 0


def test_the_corpus_is_large_and_covers_every_family() -> None:
    assert len(CORPUS) >= 100
    rules = {s.rule for text in CORPUS for top in derivative_steps(parse(text, evaluate=False)).steps
             for s in top.walk()}
    assert rules >= set(RULES) - {"general"}


@pytest.mark.parametrize("text", CORPUS)
def test_result_and_every_step_are_right(text: str) -> None:
    derivation = derivative_steps(parse(text, evaluate=False), "x")
    assert agree(derivation.result, sympy.diff(parse(text), x), x), derivation.result
    for top in derivation.steps:
        for step in top.walk():
            assert step.rule in RULES
            assert step.text.endswith((".", "?")) and "$" not in step.text
            assert not any(name in step.text for name in ("Abs(", "atan(", "asin(", "**", "log(")), step.text
            if step.rule != "simplify":
                assert agree(step.result, sympy.diff(step.expr, step.var), step.var), (step.rule, step.expr)


def chain_steps(text: str) -> list[Step]:
    derivation = derivative_steps(parse(text, evaluate=False), "x")
    return [s for top in derivation.steps for s in top.walk() if s.rule == "chain"]


@pytest.mark.parametrize(("text", "result", "inner"), [
    ("(2x + 3)^2", 8 * x + 12, 2 * x + 3),
    ("(x^2)^3", 6 * x**5, x**2),
    ("sin((4x)^2)", 32 * x * sympy.cos(16 * x**2), (4 * x) ** 2),
])
def test_seed_chain_rule_examples_name_the_inner_function(text: str, result: sympy.Expr, inner: sympy.Expr) -> None:
    assert sympy.expand(derivative_steps(parse(text, evaluate=False)).result - result) == 0
    first = chain_steps(text)[0]
    assert sympy.simplify(first.inner.doit() - inner) == 0
    assert first.outer is not None and first.outer.has(U)


def test_chain_step_text_names_u_as_typed() -> None:
    assert "let u = 2x + 3" in chain_steps("(2x + 3)^2")[0].text
    assert "let u = x^2" in chain_steps("(x^2)^3")[0].text
    assert "let u = (4x)^2" in chain_steps("sin((4x)^2)")[0].text


def test_quotient_rule_when_the_user_wrote_a_division() -> None:
    top = derivative_steps(parse("sin(3x)/x", evaluate=False)).steps[0]
    assert top.rule == "quotient"
    assert derivative_steps(parse("x^2 e^x", evaluate=False)).steps[0].rule == "product"


def test_sigmoid_uses_its_own_rule() -> None:
    top = derivative_steps(parse("sigmoid(x)", evaluate=False)).steps[0]
    assert top.rule == "sigmoid" and "σ(x)(1 − σ(x))" in top.text


def test_abs_says_where_it_is_not_differentiable() -> None:
    steps = [s for s in derivative_steps(parse("|x - 2|", evaluate=False)).steps[0].walk() if s.rule == "abs"]
    assert steps and "does not exist" in steps[0].text


def test_unforeseen_functions_get_a_general_step_with_the_right_result() -> None:
    derivation = derivative_steps(sympy.erf(x), "x")
    assert derivation.steps[0].rule == "general"
    assert sympy.simplify(derivation.result - sympy.diff(sympy.erf(x), x)) == 0


def test_public_api_names() -> None:
    from calcgui.core import derivative_steps as exported_steps
    from calcgui.core import limit_definition

    assert exported_steps is derivative_steps
    assert limit_definition(parse("x^2"), "x").result == 2 * x
    assert exported_steps(parse("2x^2 + 3x + 1"), "x").result == 4 * x + 3


def test_power_rule_sentences_use_unambiguous_linear_notation() -> None:
    """"x^1/3" reads as x¹/3: fractional and negative exponents are bracketed."""
    from calcgui.core import derivative_steps, parse

    texts = {text: derivative_steps(parse(text), "x").steps[0].text for text in ("x^(1/3)", "x^-3", "x^2")}
    assert "d/dx x^(1/3) = " in texts["x^(1/3)"] and "x^1/3" not in texts["x^(1/3)"]
    assert "d/dx x^(-3) = " in texts["x^-3"]
    assert "d/dx x^2 = 2x" in texts["x^2"]


@pytest.mark.parametrize(("text", "said"), [
    ("|x - 2|", "f′(x) = -1 for x < 2; 1 for x > 2; no derivative at x = 2."),
    ("relu(x)", "f′(x) = 0 for x < 0; 1 for x > 0; no derivative at x = 0."),
    ("max(x, 0)", "f′(x) = 0 for x < 0; 1 for x > 0; no derivative at x = 0."),
    ("x/|x|", "f′(x) = 0 for x ≠ 0; f is undefined at x = 0."),
    ("sign(x)", "f′(x) = 0 for x ≠ 0; no derivative at x = 0."),
])
def test_derivations_with_kinks_end_on_the_classical_answer(text: str, said: str) -> None:
    """The rules end with sign(x − 2), θ(x) or δ(x); the last step says what they mean by
    pieces, in the same form as the typeset f′ (classical_derivative)."""
    from calcgui.core.classical import classical_derivative

    derivation = derivative_steps(parse(text, evaluate=False), "x")
    last = derivation.steps[-1]
    assert last.rule == "by pieces" and last.text.endswith(said), last.text
    classical = classical_derivative(parse(text), "x", 1)
    assert last.latex == classical.latex and derivation.result == classical.expr
    assert "Heaviside" not in str(derivation.result) and "sign" not in str(derivation.result)


def test_smooth_functions_have_no_step_by_pieces() -> None:
    assert all(s.rule != "by pieces" for s in derivative_steps(parse("x^2 sin x", evaluate=False)).steps)
