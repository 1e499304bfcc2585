"""Expression graphs: gradients against sympy's own derivative, the student form of the nodes,
the DAG's shared nodes, the replayable step lists, torch's kink conventions, refusals, layout."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
import sympy

from calcgui.core import ParseError, parse
from calcgui.core.backprop import MAX_NODES, Graph, graph, layout
from calcgui.core.backprop.graph_layout import Layout, crossings
from calcgui.core.backprop.ops import _UNARY, op_for, placeholders, symbolic_form

#: (text, variables, range each variable is drawn from). Kinks (relu, abs, max) are hit with
#: probability zero: the points are random floats.
CORPUS: list[tuple[str, str, tuple[float, float]]] = [
    ("(x*y + sin(x))^2", "xy", (-2, 2)), ("x*x", "x", (-2, 2)), ("x*x*x", "x", (-2, 2)),
    ("sigmoid(w*x + b)", "wxb", (-2, 2)), ("(2x + 3)^2", "x", (-2, 2)), ("(x^2)^3", "x", (-2, 2)),
    ("sin((4x)^2)", "x", (-2, 2)), ("relu(x - y)", "xy", (-2, 2)), ("max(x, y)", "xy", (-2, 2)),
    ("max(x, y, 0.5)", "xy", (-2, 2)), ("min(x^2, y)", "xy", (-2, 2)), ("|x - 1|", "x", (-2, 2)),
    ("|x*y| + x", "xy", (-2, 2)), ("x - y", "xy", (-2, 2)), ("x/y", "xy", (0.3, 2)),
    ("-x/2 + 3", "x", (-2, 2)), ("1/(1 + x^2)", "x", (-2, 2)), ("x^-2 + y^-3", "xy", (0.3, 2)),
    ("sqrt(x) + cbrt(x)", "x", (0.3, 2)), ("sqrt(x^2 + y^2)", "xy", (0.3, 2)), ("e^x", "x", (-2, 2)),
    ("exp(-x^2/2)", "x", (-2, 2)), ("ln(x)", "x", (0.3, 2)), ("ln(x^2 + 1)", "x", (-2, 2)),
    ("log(x, 2)", "x", (0.3, 2)), ("log10(x*y)", "xy", (0.3, 2)), ("2^x", "x", (-2, 2)),
    ("x^x", "x", (0.3, 2)), ("x^y", "xy", (0.3, 2)), ("sin(x)cos(x)", "x", (-2, 2)),
    ("tan(x)", "x", (-1.2, 1.2)), ("sec(x) + csc(x) + cot(x)", "x", (0.3, 1.3)),
    ("asin(x) + acos(x) + atan(x)", "x", (-0.9, 0.9)), ("asec(x) + acsc(x) + acot(x)", "x", (1.1, 3)),
    ("sinh(x) + cosh(x)", "x", (-2, 2)), ("tanh(w*x + b)", "wxb", (-2, 2)),
    ("sech(x) + csch(x) + coth(x)", "x", (0.3, 2)), ("asinh(x) + atanh(x/3)", "x", (-2, 2)),
    ("acosh(x + 2)", "x", (-0.5, 2)), ("asech(x) + acsch(x) + acoth(x + 2)", "x", (0.2, 0.9)),
    ("softplus(x*y)", "xy", (-2, 2)), ("relu(x)^2 + relu(-x)", "x", (-2, 2)),
    ("sigmoid(x)*(1 - sigmoid(x))", "x", (-2, 2)), ("x*sin(x)", "x", (-2, 2)),
    ("sin(x*y) + cos(x*y)", "xy", (-2, 2)), ("(x*y + 1)*x*y", "xy", (-2, 2)),
    ("x*y*z + x*y + z", "xyz", (-2, 2)), ("(x + y + z)^2", "xyz", (-2, 2)),
    ("sin(x + y)*exp(z)", "xyz", (-2, 2)), ("x/(y*z)", "xyz", (0.3, 2)),
    ("(x - y)^2 + (y - z)^2", "xyz", (-2, 2)), ("ln(sigmoid(x))", "x", (-2, 2)),
    ("sin(sin(sin(x)))", "x", (-2, 2)), ("exp(sin(x)^2)", "x", (-2, 2)),
    ("sqrt(1 + sqrt(x))", "x", (0.3, 2)), ("(x + 1)/(x - 3)", "x", (-2, 2)),
    ("3x^2 - 2x + 1", "x", (-2, 2)), ("-(x^3)", "x", (-2, 2)), ("-x - y", "xy", (-2, 2)),
    ("pi*x + e", "x", (-2, 2)), ("sqrt(2)*x^2", "x", (-2, 2)), ("x^(1/3)*y^(2/3)", "xy", (0.3, 2)),
    ("max(x, y) - min(x, y)", "xy", (-2, 2)), ("(w*x + b - y)^2", "wxby", (-2, 2)),
    ("x*exp(-x)*ln(1 + x^2)", "x", (-2, 2)), ("sign(x)*x^2 + x", "x", (-2, 2)),
    ("sin(x)^2 + cos(x)^2", "x", (-2, 2)), ("1/x - 1/y", "xy", (0.3, 2)),
]
POINTS = 3


def names(variables: str) -> tuple[str, ...]:
    return tuple(variables)


def sympy_gradient(expr: sympy.Expr, point: dict[str, float]) -> dict[str, float]:
    symbols = {s.name: s for s in expr.free_symbols}
    at = {symbols[n]: sympy.Float(v, 30) for n, v in point.items() if n in symbols}
    return {n: float(sympy.diff(expr, symbols[n]).subs(at).evalf(30)) if n in symbols else 0.0 for n in point}


def points(case: int, variables: str, bounds: tuple[float, float]) -> list[dict[str, float]]:
    rng = np.random.default_rng(1000 + case)
    return [dict(zip(variables, rng.uniform(*bounds, size=len(variables)).tolist())) for _ in range(POINTS)]


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def test_the_corpus_is_large_and_varied() -> None:
    assert len(CORPUS) >= 60
    assert {len(v) for _, v, _ in CORPUS} >= {1, 2, 3}


@pytest.mark.parametrize("evaluate", [True, False], ids=["evaluated", "as-typed"])
@pytest.mark.parametrize("case", range(len(CORPUS)), ids=[c[0] for c in CORPUS])
def test_gradient_and_value_match_sympy(case: int, evaluate: bool) -> None:
    text, variables, bounds = CORPUS[case]
    expr = parse(text, variables=names(variables), evaluate=evaluate)
    for point in points(case, variables, bounds):
        g = graph(expr, point)
        expected = sympy_gradient(expr, point)
        assert set(g.gradient) == set(point)
        for name in point:
            assert close(g.gradient[name], expected[name]), (name, g.gradient[name], expected[name])
        assert close(g.value, float(expr.subs({s: point[s.name] for s in expr.free_symbols}).evalf(30)))


@pytest.mark.parametrize("case", range(0, len(CORPUS), 3), ids=[c[0] for c in CORPUS[::3]])
def test_each_edge_number_is_its_symbolic_local_derivative(case: int) -> None:
    text, variables, bounds = CORPUS[case]
    expr = parse(text, variables=names(variables))
    point = points(case, variables, bounds)[0]
    g = graph(expr, point)
    at = {s: point[s.name] for s in expr.free_symbols}
    for edge in g.edges:
        assert edge.target > edge.source
        assert g.nodes[edge.target].inputs[edge.position] == edge.source
        assert close(edge.local, float(edge.local_expr.subs(at).evalf(30)))


# -- the student form --------------------------------------------------------------------------------

def kinds(text: str, variables: str = "x", **options: bool) -> list[tuple[str, str, int]]:
    g = graph(parse(text, variables=names(variables), **options), dict.fromkeys(variables, 0.7))
    return [(n.kind, n.label, len(n.inputs)) for n in g.nodes]


@pytest.mark.parametrize(("text", "variables", "node"), [
    ("x - y", "xy", ("sub", "−", 2)),
    ("x/y", "xy", ("div", "÷", 2)),
    ("1/x", "x", ("div", "÷", 2)),
    ("-x", "x", ("neg", "−", 1)),
    ("-x - y", "xy", ("neg", "−", 1)),
    ("x*y*sin(x)", "xy", ("mul", "×", 3)),
    ("x + y + 1", "xy", ("add", "+", 3)),
    ("sqrt(x)", "x", ("sqrt", "√", 1)),
    ("x^3", "x", ("power", "^3", 1)),
    ("2^x", "x", ("pow", "^", 2)),
    ("sigmoid(x)", "x", ("sigmoid", "σ", 1)),
    ("relu(x)", "x", ("relu", "ReLU", 1)),
    ("max(x, y)", "xy", ("max", "max", 2)),
    ("ln x", "x", ("log", "ln", 1)),
])
def test_operations_are_shown_as_a_student_writes_them(text: str, variables: str, node: tuple) -> None:
    assert kinds(text, variables)[-1] == node


def test_subtraction_and_division_hide_sympys_minus_one_and_reciprocal() -> None:
    for text in ("x - y", "x/y", "x/y - y/x"):
        nodes = kinds(text, "xy")
        assert ("constant", "-1", 0) not in nodes
        assert not any(label == "^-1" for _, label, _ in nodes)


def test_a_rational_coefficient_divides() -> None:
    nodes = kinds("-x/2 + 3")
    assert ("div", "÷", 2) in nodes and ("constant", "2", 0) in nodes and ("sub", "−", 2) in nodes


def test_constant_sub_expressions_are_one_node_with_a_readable_label() -> None:
    labels = {n.label for n in graph(parse("pi*x + ln(2) + sqrt(3)*x"), {"x": 1.0}).nodes if n.kind == "constant"}
    assert {"π", "ln(2)", "√(3)"} <= labels


# -- the DAG: one node per sub-expression, forks sum their adjoints --------------------------------------

def test_x_times_x_has_one_x_node_whose_adjoint_is_2x() -> None:
    g = graph(parse("x*x", evaluate=False), {"x": 1.5})
    assert [n.kind for n in g.nodes] == ["input", "mul"]
    x = g.nodes[0]
    assert x.adjoint == pytest.approx(3.0)
    assert [(e.source, e.target, e.position) for e in g.uses(0)] == [(0, 1, 0), (0, 1, 1)]
    assert len(g.backward_steps[-1].contributions) == 2


def test_a_shared_sub_expression_is_one_node_used_twice() -> None:
    g = graph(parse("sin(x*y) + cos(x*y)", variables=("x", "y")), {"x": 0.5, "y": 2.0})
    products = [n for n in g.nodes if n.kind == "mul"]
    assert len(products) == 1
    assert len(g.uses(products[0].id)) == 2
    # ∂f/∂(xy) = cos(xy) − sin(xy), summed over the two uses
    assert products[0].adjoint == pytest.approx(math.cos(1.0) - math.sin(1.0))


def test_the_fork_at_x_sums_both_paths_of_the_chain_rule() -> None:
    g = graph(parse("(x*y + sin(x))^2", variables=("x", "y")), {"x": 1.0, "y": 2.0})
    x = next(n for n in g.nodes if n.label == "x")
    step = next(s for s in g.backward_steps if s.node == x.id)
    assert len(step.contributions) == 2
    outer = 2 * (2.0 + math.sin(1.0))
    assert sorted(c.product for c in step.contributions) == pytest.approx(sorted([outer * 2.0, outer * math.cos(1.0)]))
    assert g.gradient["x"] == pytest.approx(outer * (2.0 + math.cos(1.0)))
    assert g.gradient["y"] == pytest.approx(outer * 1.0)


# -- the step lists --------------------------------------------------------------------------------------

@pytest.mark.parametrize("case", range(0, len(CORPUS), 4), ids=[c[0] for c in CORPUS[::4]])
def test_step_lists_replay_to_the_graphs_numbers(case: int) -> None:
    text, variables, bounds = CORPUS[case]
    g = graph(parse(text, variables=names(variables), evaluate=False), points(case, variables, bounds)[0])
    assert [s.node for s in g.forward_steps] == list(range(len(g.nodes)))
    values: dict[int, float] = {}
    for step in g.forward_steps:
        node = g.nodes[step.node]
        assert step.inputs == tuple(values[i] for i in node.inputs)  # only earlier values go in
        if node.kind not in ("input", "constant"):
            assert close(op_for(node.kind, node.parameter).forward(step.inputs), step.value)
        values[step.node] = step.value
        assert step.value == node.value and node.name in step.text
    assert [s.node for s in g.backward_steps] == list(reversed(range(len(g.nodes))))
    adjoints: dict[int, float] = {}
    for step in g.backward_steps:
        if step.node == g.output.id:
            assert step.adjoint == 1.0 and not step.contributions and "output" in step.text
        else:
            assert step.contributions
        for c in step.contributions:
            assert c.adjoint == adjoints[c.target]  # only adjoints already computed go in
            assert c.product == c.adjoint * c.local
        assert close(sum(c.product for c in step.contributions) if step.contributions else 1.0, step.adjoint)
        adjoints[step.node] = step.adjoint
        assert step.adjoint == g.nodes[step.node].adjoint


def test_step_texts_show_the_rule_and_the_numbers() -> None:
    g = graph(parse("sin(x)*y", variables=("x", "y")), {"x": 0.0, "y": 2.0})
    texts = [s.text for s in g.forward_steps]
    assert "v2 = sin(x) = sin(0) = 0" in texts
    assert texts[-1] == "v3 = y × v2 = 2 × 0 = 0"
    assert g.backward_steps[0].text == "∂f/∂v3 = 1 (the output)"
    assert "∂f/∂x = 2·1 = 2" in [s.text for s in g.backward_steps]


def test_the_output_adjoint_is_one() -> None:
    g = graph(parse("x^2"), {"x": 3.0})
    assert g.output.adjoint == 1.0 and g.value == 9.0


def test_derivative_forms_for_display() -> None:
    g = graph(parse("sin(x^2)"), {"x": 1.0})
    sine = g.output
    assert sine.derivative_text == "d/du sin(u) = cos(u)"
    assert r"\cos" in sine.derivative_latex and sine.latex == r"\sin{\left(x^{2} \right)}"
    (edge,) = g.inputs_of(sine.id)
    x = sympy.Symbol("x", real=True)
    assert edge.local_expr == sympy.cos(x**2) and edge.rule == sympy.cos(placeholders(1)[0])
    assert g.nodes[0].derivative_text == "" and g.nodes[0].derivative_latex == ""


@pytest.mark.parametrize("kind", sorted(_UNARY))
def test_each_ops_numbers_agree_with_its_symbolic_derivative(kind: str) -> None:
    u = 1.7 if kind in ("acosh", "asec", "acsc", "acoth") else 0.4
    op = op_for(kind)
    value = op.forward((u,))
    template, (derivative,) = symbolic_form(kind, 1, None)
    (symbol,) = placeholders(1)
    assert close(value, float(template.subs(symbol, u).evalf(30)))
    assert close(op.partials((u,), value)[0], float(derivative.subs(symbol, u).evalf(30)))


# -- kinks: torch's conventions ------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "point", "gradient"), [
    ("relu(x)", {"x": 0.0}, {"x": 0.0}),          # torch: relu'(0) = 0
    ("abs(x)", {"x": 0.0}, {"x": 0.0}),           # torch: sign(0) = 0
    ("max(x, y)", {"x": 1.0, "y": 1.0}, {"x": 0.5, "y": 0.5}),        # torch.maximum
    ("max(x, y, z)", {"x": 2.0, "y": 2.0, "z": 2.0}, {"x": 1 / 3, "y": 1 / 3, "z": 1 / 3}),  # torch.amax
    ("min(x, y, z)", {"x": 2.0, "y": 2.0, "z": 3.0}, {"x": 0.5, "y": 0.5, "z": 0.0}),
    ("floor(x)", {"x": 2.0}, {"x": 0.0}),
])
def test_kinks_follow_torch_and_are_flagged(text: str, point: dict[str, float], gradient: dict[str, float]) -> None:
    g = graph(parse(text, variables=tuple(point)), point)
    assert dict(g.gradient) == pytest.approx(gradient)
    assert g.output.at_kink and "torch" in g.output.note


def test_away_from_a_kink_nothing_is_flagged() -> None:
    g = graph(parse("relu(x) + abs(x) + max(x, 2)"), {"x": 0.5})
    assert not any(n.at_kink for n in g.nodes)


# -- refusals --------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "point", "words"), [
    ("ln(x)", {"x": -1.0}, ["log(x)", "undefined"]),
    ("1/x", {"x": 0.0}, ["division by zero"]),
    ("x/(y - 1)", {"x": 1.0, "y": 1.0}, ["division by zero"]),
    ("sqrt(x)", {"x": 0.0}, ["sqrt(x)", "derivative", "undefined"]),
    ("asin(x)", {"x": 2.0}, ["asin(x)", "undefined"]),
    ("x^(1/3)", {"x": -8.0}, ["undefined"]),
    ("exp(exp(x))", {"x": 10.0}, ["undefined"]),
])
def test_undefined_points_raise_a_value_error_naming_the_node(text: str, point: dict, words: list[str]) -> None:
    with pytest.raises(ValueError, match="node v") as error:
        graph(parse(text, variables=tuple(point)), point)
    for word in words:
        assert word in str(error.value)


@pytest.mark.parametrize(("values", "message"), [
    ({"x": 1.0}, "no value given for y"),
    ({"x": float("nan"), "y": 1.0}, "finite"),
    ({"x": "one", "y": 1.0}, "must be a number"),
])
def test_bad_points_are_refused(values: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        graph(parse("x*y", variables=("x", "y")), values)


def test_a_variable_the_expression_does_not_use_gets_a_zero_gradient() -> None:
    assert dict(graph(parse("x^2", variables=("x", "y")), {"x": 2.0, "y": 5.0}).gradient) == {"x": 4.0, "y": 0.0}


def huge(terms: int) -> sympy.Expr:
    x = sympy.Symbol("x", real=True)
    return sympy.Add(*(sympy.sin(k * x) for k in range(1, terms + 1)))


def test_graphs_beyond_the_node_limit_are_refused() -> None:
    with pytest.raises(ValueError, match=f"more than {MAX_NODES} nodes"):
        graph(huge(300), {"x": 0.1})
    with pytest.raises(ValueError, match="more than 10 nodes"):
        graph(huge(5), {"x": 0.1}, max_nodes=10)
    assert len(graph(huge(150), {"x": 0.1}).nodes) <= MAX_NODES


def test_parse_errors_are_not_swallowed() -> None:
    with pytest.raises(ParseError):
        parse("x +")


def test_results_are_frozen() -> None:
    g = graph(parse("x^2"), {"x": 1.0})
    with pytest.raises(dataclasses.FrozenInstanceError):
        g.nodes[0].value = 2.0  # type: ignore[misc]
    with pytest.raises(TypeError):
        g.gradient["x"] = 0.0  # type: ignore[index]


# -- layout ------------------------------------------------------------------------------------------------

def id_order(drawn: Layout) -> Layout:
    """The same columns, centred the same way, with rows in node order: where the sweeps start."""
    columns = [x for x, _ in drawn.positions]
    seen: dict[float, int] = {}
    positions = []
    for x in columns:
        positions.append((x, seen.get(x, 0) - (columns.count(x) - 1) / 2))
        seen[x] = seen.get(x, 0) + 1
    return Layout(tuple(positions), drawn.columns, drawn.rows)


@pytest.mark.parametrize("case", range(len(CORPUS)), ids=[c[0] for c in CORPUS])
def test_layout_puts_values_left_of_their_uses_without_adding_crossings(case: int) -> None:
    text, variables, bounds = CORPUS[case]
    g = graph(parse(text, variables=names(variables)), points(case, variables, bounds)[0])
    drawn = layout(g)
    assert len(set(drawn.positions)) == len(g.nodes)  # no two nodes on one spot
    for edge in g.edges:
        assert drawn.positions[edge.source][0] < drawn.positions[edge.target][0]
    for node in g.nodes:
        x = drawn.positions[node.id][0]
        if node.kind == "input":
            assert x == 0
        if node.kind == "constant":
            assert x == min(drawn.positions[e.target][0] for e in g.uses(node.id)) - 1
    assert drawn.columns == 1 + max(x for x, _ in drawn.positions)
    assert crossings(g, drawn) <= crossings(g, id_order(drawn))


def test_layout_uncrosses_a_graph_that_node_order_crosses() -> None:
    g = graph(parse("(x*y + sin(x))^2", variables=("x", "y")), {"x": 0.3, "y": 0.4})
    drawn = layout(g)
    assert crossings(g, id_order(drawn)) == 1 and crossings(g, drawn) == 0


def test_crossings_counts_crossed_edges_only() -> None:
    g = graph(parse("sin(x) + cos(y)", variables=("x", "y")), {"x": 1.0, "y": 2.0})
    assert [n.label for n in g.nodes] == ["x", "sin", "y", "cos", "+"]
    straight = Layout(((0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (1.0, 1.0), (2.0, 0.5)), 3, 2)
    crossed = Layout(((0.0, 0.0), (1.0, 1.0), (0.0, 1.0), (1.0, 0.0), (2.0, 0.5)), 3, 2)
    assert crossings(g, straight) == 0 and crossings(g, crossed) == 1
