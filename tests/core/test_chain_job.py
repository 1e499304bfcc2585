"""The Chain rule pane's job, without any widget: the graph as typed, its numbers against
sympy's, the messages for undefined points and large graphs, and a result free of sympy."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from collections.abc import Mapping
from typing import Any

import pytest
import sympy

from calcgui.core.chain_job import MAX_GRAPH_NODES, ChainFormulas, ChainResult, agrees, chain_graph, plain_math
from calcgui.core.expression_parser import parse
from calcgui.core.jobs import chain_job
from calcgui.core.worker import Phase

VARIABLES = ("x", "y", "z", "w", "b")
VALUES = {"x": 1.0, "y": 2.0, "z": 1.0, "w": 0.5, "b": 0.1}


def labels(result: ChainResult) -> list[str]:
    return [node.label for node in result.nodes]


def test_2x_plus_3_squared_at_1() -> None:
    result = chain_graph("(2x + 3)^2", VALUES, VARIABLES)
    assert result.variables == ("x",) and dict(result.values) == {"x": 1.0}
    assert result.value == 25.0 and result.steps == 2 * len(result.nodes)
    (partial,) = result.partials
    assert (partial.variable, partial.graph, partial.symbolic, partial.expr, partial.agrees) == (
        "x", 20.0, 20.0, "8x + 12", True)
    assert result.forward[-1].text == "v5 = v4^2 = 5^2 = 25"
    columns = [node.column for node in result.nodes]
    assert columns[-1] == max(columns) and result.columns == max(columns) + 1  # output on the right


def test_the_graph_follows_the_expression_as_typed() -> None:
    assert labels(chain_graph("(x^2)^3", VALUES, VARIABLES)) == ["x", "^2", "^3"]  # a chain, not x⁶
    shared = chain_graph("x·x", {"x": 3.0}, VARIABLES)
    assert labels(shared) == ["x", "×"] and [(e.source, e.target) for e in shared.edges] == [(0, 1), (0, 1)]
    assert shared.partials[0].graph == 6.0
    assert labels(chain_graph("sin((4x)^2)", VALUES, VARIABLES)) == ["4", "x", "×", "^2", "sin"]
    assert labels(chain_graph("e^(-x^2)", VALUES, VARIABLES))[-1] == "exp"  # e^u drawn as exp(u)


@pytest.mark.parametrize("text", ["(x*y + sin(x))^2", "sigmoid(w x + b)", "x^x + y z", "e^(-x^2) / (1 + y^2)",
                                  "ln(1 + exp(w x + b)) - tanh(z)"])
def test_the_graph_s_gradient_equals_sympy_s(text: str) -> None:
    result = chain_graph(text, VALUES, VARIABLES)
    expr = parse(text, VARIABLES)
    symbols = {s.name: s for s in expr.free_symbols}
    assert set(result.variables) == set(symbols)
    for partial in result.partials:
        expected = float(sympy.diff(expr, symbols[partial.variable]).subs(
            {symbols[n]: VALUES[n] for n in symbols}))
        assert partial.graph == pytest.approx(expected, rel=1e-12) and partial.agrees


def test_relu_at_its_kink_disagrees_with_sympy_and_says_why() -> None:
    result = chain_graph("relu(x)", {"x": 0.0}, VARIABLES)
    (partial,) = result.partials
    assert (partial.graph, partial.symbolic, partial.agrees) == (0.0, 0.5, False)  # torch's 0, sympy's H(0)
    assert "ReLU'(0) is taken as 0" in result.nodes[-1].note and result.nodes[-1].at_kink
    assert chain_graph("relu(x)", {"x": 1.0}, VARIABLES).nodes[-1].note == ""  # only at the kink


def test_an_undefined_point_names_the_point_and_the_node() -> None:
    with pytest.raises(ValueError, match=r"^f is undefined at x = -1: node v1 \(log\(x\)\)"):
        chain_graph("ln x", {"x": -1.0}, VARIABLES)


def test_a_graph_too_large_to_follow_is_refused() -> None:
    text = " + ".join(f"sin({k}x)" for k in range(2, 45))
    with pytest.raises(ValueError, match=f"more than {MAX_GRAPH_NODES} nodes"):
        chain_graph(text, VALUES, VARIABLES)


def test_the_job_yields_the_graph_then_the_typeset_formulas() -> None:
    parts = list(chain_job("(2x + 3)^2", VALUES, VARIABLES))
    assert isinstance(parts[0], ChainResult) and isinstance(parts[1], Phase) and isinstance(parts[2], ChainFormulas)
    formulas = parts[2]
    assert formulas.text == "(2x + 3)^2" and formulas.partials[0].plain == "∂f/∂x = 8x + 12"
    assert formulas.partials[0].svg is not None
    square = formulas.nodes[-1]
    assert formulas.nodes[1] is None and square.plain == "d/du u^2 = 2u" and square.svg is not None
    only_numbers = list(chain_job("(2x + 3)^2", {**VALUES, "x": 2.0}, VARIABLES, typeset=False))
    assert len(only_numbers) == 1 and only_numbers[0].value == 49.0


def _plain(value: Any) -> bool:
    if dataclasses.is_dataclass(value):
        return all(_plain(getattr(value, f.name)) for f in dataclasses.fields(value))
    if isinstance(value, Mapping):
        return all(_plain(k) and _plain(v) for k, v in value.items())
    if isinstance(value, tuple):
        return all(_plain(item) for item in value)
    return value is None or type(value) in (int, float, str, bool)


def test_the_result_holds_no_sympy_object() -> None:
    """The UI process draws it before sympy is loaded, and pickling it stays cheap."""
    assert _plain(chain_graph("(x*y + sin(x))^2", VALUES, VARIABLES))


def test_importing_the_job_loads_no_sympy() -> None:
    code = "import sys, calcgui.core.chain_job, calcgui.core.jobs; print('sympy' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True).stdout.strip() == "False"


def test_plain_math_and_agreement() -> None:
    assert plain_math("8*x + 12") == "8x + 12"
    assert plain_math("2*(y + cos(x))*x**2") == "2(y + cos(x))·x^2"
    assert plain_math("u_1*u_2 + 0.5*log(x)") == "u_1·u_2 + 0.5ln(x)"
    assert agrees(1.0, 1.0 + 1e-12) and not agrees(1.0, 1.0 + 1e-6) and not agrees(0.0, None)
    assert agrees(0.0, 1e-15)
