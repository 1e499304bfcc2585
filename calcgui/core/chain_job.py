"""The Chain rule pane's worker job: one typed expression as a computational graph at a point,
its layout, and the symbolic partials that check the graph's gradient.

The job returns plain numbers and strings (no sympy objects), so the UI process draws it
without sympy, and a test reads it without any widget. The graph follows the expression *as
typed* (parsed with ``evaluate=False``): (x²)³ is two power nodes, which is the chain rule's
point, and x·x is one x node used twice, which is the multivariable chain rule's. The symbolic
partials come from the simplified expression, an independent route to the same numbers.

Like the other jobs it yields the quick part first (graph, layout, numbers: what the view
draws) and the typeset partials and local derivatives after :data:`~calcgui.core.jobs.TYPESETTING`.
A change of a variable's value needs only the quick part (``typeset=False``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the UI imports this module before its first paint: no sympy at import
    from calcgui.core.backprop.expression_graph import BackwardStep, ForwardStep
    from calcgui.core.worker import Phase

__all__ = ["ChainEdge", "ChainFormulas", "ChainNode", "ChainPartial", "ChainResult", "MAX_GRAPH_NODES",
           "agrees", "chain_job", "plain_math"]

#: More nodes than this cannot be followed on a projected screen; the core's limit (500) is for
#: the core, this one for a person (the nesting of sin(sin(…)) eighty deep is refused here).
MAX_GRAPH_NODES = 120
#: The graph's gradient and the symbolic one agree when they are this close, relatively.
AGREEMENT = 1e-9
#: Local derivatives typeset at most (one per distinct op: few, even for a large graph).
MAX_NODE_FORMULAS = 60


@dataclass(frozen=True)
class ChainNode:
    """One node as the view shows it (see :class:`calcgui.core.backprop.Node`); ``column`` and
    ``row`` are its place in the layout, ``expr`` the sub-expression it computes."""

    id: int
    kind: str
    label: str
    name: str
    inputs: tuple[int, ...]
    value: float
    adjoint: float
    expr: str
    derivative: str  #: the op's local derivative in u, u₁ …, plain text ("" for inputs)
    note: str
    at_kink: bool
    column: float
    row: float


@dataclass(frozen=True)
class ChainEdge:
    """Node ``source`` feeding slot ``position`` of ``target``; ``local`` = ∂target/∂source."""

    source: int
    target: int
    position: int
    local: float


@dataclass(frozen=True)
class ChainPartial:
    """∂f/∂variable: from the graph, and from sympy's derivative evaluated at the point
    (None where it is undefined there, say Heaviside at a kink sympy leaves open)."""

    variable: str
    graph: float
    symbolic: float | None
    expr: str  #: sympy's derivative, plain text (the tidied form arrives typeset)
    agrees: bool


@dataclass(frozen=True)
class ChainResult:
    """Everything the graph mode draws for ``text`` at ``values``."""

    text: str
    variables: tuple[str, ...]  #: the variables f uses, in the order allowed
    values: Mapping[str, float]
    nodes: tuple[ChainNode, ...]
    edges: tuple[ChainEdge, ...]
    forward: tuple[ForwardStep, ...]
    backward: tuple[BackwardStep, ...]
    partials: tuple[ChainPartial, ...]
    columns: int
    rows: int

    @property
    def steps(self) -> int:
        """Steps of the whole replay: every node forward, then every node backward."""
        return len(self.forward) + len(self.backward)

    @property
    def value(self) -> float:
        return self.nodes[-1].value


@dataclass(frozen=True)
class ChainFormulas:
    """The typeset side of a result for ``text``: ∂f/∂v = (tidied) per variable, in the order
    of ChainResult.variables, and each op node's local derivative by node id (None for
    inputs and constants)."""

    text: str
    partials: tuple[Any, ...]  #: Formula
    nodes: tuple[Any, ...]  #: Formula | None


def agrees(graph: float, symbolic: float | None) -> bool:
    """Equal up to :data:`AGREEMENT` relatively (and 1e-12 absolutely, for zeros)."""
    return symbolic is not None and math.isclose(graph, symbolic, rel_tol=AGREEMENT, abs_tol=1e-12)


def plain_math(text: str) -> str:
    """sympy's str() as a student writes it: 8x + 12, x^2, not 8*x + 12, x**2."""
    text = text.replace("**", "^")
    text = re.sub(r"(?<![\w.])(\d+(?:\.\d+)?)\*(?=[A-Za-z(])", r"\1", text)
    return text.replace("*", "·").replace("log(", "ln(")


def _where(point: Mapping[str, float]) -> str:
    return ", ".join(f"{name} = {value:g}" for name, value in point.items())


def _with_exp(expr: Any) -> Any:
    """e^u as the exp node a student draws, not a power of the constant e (the typed form
    keeps e^u a power); everything else stays as typed."""
    import sympy

    if not expr.args:
        return expr
    args = tuple(_with_exp(arg) for arg in expr.args)
    if expr.is_Pow and expr.base is sympy.E:
        return sympy.exp(args[1], evaluate=False)
    if args == expr.args:
        return expr
    try:
        return expr.func(*args, evaluate=False)
    except TypeError:  # a function class without the keyword
        return expr.func(*args)


def _symbolic_value(derivative: Any, point: Mapping[Any, float]) -> float | None:
    import sympy

    try:
        number = complex(derivative.evalf(subs={s: sympy.Float(v) for s, v in point.items()}))
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    if number.imag != 0 or not math.isfinite(number.real):
        return None
    return number.real


def chain_graph(text: str, values: Mapping[str, float], variables: Sequence[str]) -> ChainResult:
    """The graph of ``text`` (over ``variables``) at ``values``, laid out, with the symbolic
    partials. ParseError for bad text; ValueError naming the node where f is undefined, or
    when the graph is too large to follow."""
    import sympy

    from calcgui.core.backprop import graph, layout
    from calcgui.core.expression_parser import parse

    variables = tuple(variables)
    typed = _with_exp(parse(text, variables, evaluate=False))
    expr = parse(text, variables)
    symbols = {s.name: s for s in typed.free_symbols | expr.free_symbols}
    used = tuple(name for name in variables if name in symbols)
    point = {name: float(values[name]) for name in used}
    try:
        g = graph(typed, point, max_nodes=MAX_GRAPH_NODES)
    except ValueError as error:
        if str(error).startswith("node "):
            raise ValueError(f"f is undefined at {_where(point)}: {error}") from None
        raise
    drawn = layout(g)
    at = {symbols[name]: value for name, value in point.items()}
    partials = []
    for name in used:
        derivative = sympy.diff(expr, symbols[name])
        symbolic = _symbolic_value(derivative, at)
        graph_value = g.gradient[name]
        partials.append(ChainPartial(name, graph_value, symbolic, plain_math(sympy.sstr(derivative)),
                                     agrees(graph_value, symbolic)))
    nodes = tuple(
        ChainNode(n.id, n.kind, n.label, n.name, n.inputs, n.value, n.adjoint, plain_math(sympy.sstr(n.expr)),
                  n.derivative_text, n.note if n.at_kink else "", n.at_kink, *drawn.positions[n.id])
        for n in g.nodes)
    edges = tuple(ChainEdge(e.source, e.target, e.position, e.local) for e in g.edges)
    return ChainResult(text, used, point, nodes, edges, g.forward_steps, g.backward_steps, tuple(partials),
                       drawn.columns, drawn.rows)


def chain_job(text: str, values: Mapping[str, float], variables: Sequence[str],
              typeset: bool = True) -> Iterator[ChainResult | Phase | ChainFormulas]:
    """The worker job: :func:`chain_graph`, then (if ``typeset``) the partials ∂f/∂v in their
    tidied form and the local derivative of each op, typeset."""
    import sympy

    from calcgui.core.backprop import graph
    from calcgui.core.differentiate import tidy
    from calcgui.core.expression_parser import parse
    from calcgui.core.jobs import TYPESETTING, Formula, typeset as typeset_formula
    from calcgui.core.typeset import render_svg

    result = chain_graph(text, values, variables)
    yield result
    if not typeset:
        return
    yield TYPESETTING
    expr = parse(text, tuple(variables))
    symbols = {s.name: s for s in expr.free_symbols}
    partials = tuple(
        typeset_formula(rf"\frac{{\partial f}}{{\partial {name}}}", f"∂f/∂{name}",
                        tidy(sympy.diff(expr, symbols[name])) if name in symbols else sympy.Integer(0))
        for name in result.variables)
    partials = tuple(Formula(f.latex, f.svg, plain_math(f.plain)) for f in partials)
    g = graph(_with_exp(parse(text, tuple(variables), evaluate=False)), result.values, max_nodes=MAX_GRAPH_NODES)
    rendered: dict[str, Formula] = {}
    nodes: list[Formula | None] = []
    for node in g.nodes:
        latex = node.derivative_latex
        if not latex:
            nodes.append(None)
            continue
        if latex not in rendered:
            svg = render_svg(latex) if len(rendered) < MAX_NODE_FORMULAS else None
            rendered[latex] = Formula(latex, svg, plain_math(node.derivative_text))
        nodes.append(rendered[latex])
    yield ChainFormulas(text, partials, tuple(nodes))
