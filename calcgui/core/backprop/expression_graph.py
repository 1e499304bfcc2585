"""Reverse-mode differentiation of one expression at one point, shown as a computational graph.

:func:`graph` turns a parsed expression into the DAG a student draws (see
:mod:`~calcgui.core.backprop.student_form`), runs the forward pass (each node's value from its
inputs) and the backward pass (each node's adjoint ∂f/∂node = Σ over its uses v of
adjoint(v)·∂v/∂node, the multivariable chain rule), and records both as step lists that a view
replays one node at a time. The numbers are the ones PyTorch's autograd would print for the
same expression, kinks included (see :mod:`~calcgui.core.backprop.ops`).

Undefined points are refused, not propagated: a value or local derivative that is not a finite
real number (ln of a negative number, division by zero, √u at u = 0) raises a ValueError that
names the node, so the view can say where the computation breaks instead of drawing NaNs.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import Any

import sympy

from calcgui.core.backprop.ops import Op, op_for, placeholders, symbolic_form
from calcgui.core.backprop.student_form import MAX_NODES, Proto, student_form

__all__ = ["BackwardStep", "Contribution", "Edge", "ForwardStep", "Graph", "Node", "graph"]


@dataclass(frozen=True)
class Node:
    """One value of the computation. ``kind`` is "input", "constant" or an op ("add", "sin" …);
    ``adjoint`` is ∂f/∂(this node); ``at_kink`` is True where the op is not differentiable at
    this point and ``note`` names the convention used there (torch's)."""

    id: int
    kind: str
    label: str
    inputs: tuple[int, ...]
    expr: sympy.Expr
    value: float
    adjoint: float
    note: str = ""
    at_kink: bool = False
    parameter: object = field(default=None, repr=False, compare=False)

    @property
    def name(self) -> str:
        """How step texts refer to the node: the variable's name, or v<id>."""
        return self.parameter if self.kind == "input" else f"v{self.id}"  # type: ignore[return-value]

    @cached_property
    def latex(self) -> str:
        """The sub-expression this node computes, in LaTeX."""
        from calcgui.core.typeset import to_latex

        return to_latex(self.expr)

    @cached_property
    def derivative_latex(self) -> str:
        """The op's local derivatives in its generic inputs u (or u₁, u₂ …), in LaTeX:
        ``\\frac{\\partial}{\\partial u}\\sin{u} = \\cos{u}``; empty for inputs and constants."""
        from calcgui.core.typeset import to_latex

        parts = []
        for u, template, derivative in self._rules():
            d = r"\frac{d}{d u}" if len(self.inputs) == 1 else rf"\frac{{\partial}}{{\partial {to_latex(u)}}}"
            parts.append(rf"{d}\left({to_latex(template)}\right) = {to_latex(derivative)}")
        return r",\quad ".join(parts)

    @cached_property
    def derivative_text(self) -> str:
        """The same as :attr:`derivative_latex`, in plain text: ``d/du sin(u) = cos(u)``."""
        d = "d/d{}" if len(self.inputs) == 1 else "∂/∂{}"
        return "; ".join(f"{d.format(u)} {template} = {derivative}" for u, template, derivative in self._rules())

    def _rules(self) -> list[tuple[sympy.Symbol, sympy.Expr, sympy.Expr]]:
        if not self.inputs:
            return []
        template, derivatives = symbolic_form(self.kind, len(self.inputs), self.parameter)
        return [(u, template, d) for u, d in zip(placeholders(len(self.inputs)), derivatives)]


@dataclass(frozen=True)
class Edge:
    """Input ``source`` feeding slot ``position`` of node ``target``, with the local derivative
    ∂target/∂source: ``local`` at the point, ``rule`` in the op's generic inputs (u, u₁ …) and
    :attr:`local_expr` in the target's actual input sub-expressions."""

    source: int
    target: int
    position: int
    local: float
    rule: sympy.Expr
    substitution: tuple[tuple[sympy.Symbol, sympy.Expr], ...] = field(repr=False, compare=False)

    @cached_property
    def local_expr(self) -> sympy.Expr:
        """∂target/∂source written in the sub-expressions that feed the target (cos(x²) for
        the edge x² → sin(x²)); computed on demand, as it costs a sympy rebuild."""
        return self.rule.xreplace(dict(self.substitution))


@dataclass(frozen=True)
class ForwardStep:
    """Node ``node`` computed: the input values that went in and the value that came out."""

    node: int
    inputs: tuple[float, ...]
    value: float
    text: str


@dataclass(frozen=True)
class Contribution:
    """One use of a node u by a node v in the backward pass: adjoint(v)·∂v/∂u = product."""

    target: int
    position: int
    adjoint: float
    local: float
    product: float


@dataclass(frozen=True)
class BackwardStep:
    """Node ``node``'s adjoint: the sum of its contributions (1 for the output itself)."""

    node: int
    contributions: tuple[Contribution, ...]
    adjoint: float
    text: str


@dataclass(frozen=True)
class Graph:
    """The computational graph of ``expr`` at ``values``: nodes in topological order (each
    after its inputs; ``nodes[k].id == k``), the output last; ``gradient`` maps every variable
    of ``values`` to ∂f/∂variable (0 for one the expression does not use)."""

    expr: sympy.Expr
    values: Mapping[str, float]
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    gradient: Mapping[str, float]
    forward_steps: tuple[ForwardStep, ...]
    backward_steps: tuple[BackwardStep, ...]

    @property
    def output(self) -> Node:
        return self.nodes[-1]

    @property
    def value(self) -> float:
        """f at the point."""
        return self.nodes[-1].value

    def uses(self, node: int) -> tuple[Edge, ...]:
        """The edges out of ``node``: where its value goes."""
        return tuple(edge for edge in self.edges if edge.source == node)

    def inputs_of(self, node: int) -> tuple[Edge, ...]:
        """The edges into ``node``, in input order."""
        return tuple(edge for edge in self.edges if edge.target == node)


def graph(expr: sympy.Expr, values: Mapping[str, float], *, max_nodes: int = MAX_NODES) -> Graph:
    """The graph of ``expr`` (in any variables) at the point ``values`` (name -> number), with
    every node's value and adjoint. Raises ValueError for a missing or non-finite value, a
    graph of more than ``max_nodes`` nodes, or a node undefined at the point."""
    point = _point(expr, values)
    protos = student_form(expr, max_nodes)
    ops = [_op(p) for p in protos]
    forward = _forward(protos, ops, point)
    partials = [_partials(p, op, [forward[i] for i in p.inputs], forward[k], k)
                for k, (p, op) in enumerate(zip(protos, ops))]
    adjoints, backward_steps = _backward(protos, partials)
    names = [_name(p, k) for k, p in enumerate(protos)]
    nodes = tuple(
        Node(k, p.kind, _label(p, op), p.inputs, p.expr, forward[k], adjoints[k], op.note if op else "",
             _at_kink(p.kind, [forward[i] for i in p.inputs], forward[k]), p.parameter)
        for k, (p, op) in enumerate(zip(protos, ops)))
    edges = tuple(_edges(protos, partials))
    inputs = {p.parameter: k for k, p in enumerate(protos) if p.kind == "input"}
    gradient = {name: adjoints[inputs[name]] if name in inputs else 0.0 for name in point}
    forward_steps = []
    for k, p in enumerate(protos):
        args = tuple(forward[i] for i in p.inputs)
        forward_steps.append(ForwardStep(k, args, forward[k], _forward_text(nodes[k], names, args)))
    return Graph(expr, MappingProxyType(point), nodes, edges, MappingProxyType(gradient), tuple(forward_steps),
                 tuple(_backward_text(step, names) for step in backward_steps))


def _point(expr: sympy.Expr, values: Mapping[str, float]) -> dict[str, float]:
    point: dict[str, float] = {}
    for name, value in values.items():
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise ValueError(f"the value of {name} must be a number, not {value!r}") from None
        if not math.isfinite(number):
            raise ValueError(f"the value of {name} must be a finite number, not {number}")
        point[str(name)] = number
    missing = sorted(s.name for s in expr.free_symbols if s.name not in point)
    if missing:
        raise ValueError("no value given for " + ", ".join(missing))
    return point


def _op(proto: Proto) -> Op | None:
    return None if proto.kind in ("input", "constant") else op_for(proto.kind, proto.parameter)


def _label(proto: Proto, op: Op | None) -> str:
    if proto.kind == "input":
        return str(proto.parameter)
    if proto.kind == "constant":
        return _constant_label(proto.expr)
    return op.label  # type: ignore[union-attr]


def _constant_label(expr: sympy.Expr) -> str:
    """3, 1/2, π, e, √2, ln(2): short text a student reads."""
    if expr.is_Float:
        return f"{float(expr):g}"
    text = sympy.sstr(expr)
    for old, new in (("sqrt", "√"), ("log", "ln"), ("pi", "π"), ("E", "e"), ("*", "·")):
        text = text.replace(old, new)
    return text


def _name(proto: Proto, k: int) -> str:
    return str(proto.parameter) if proto.kind == "input" else f"v{k}"


def _describe(proto: Proto, k: int) -> str:
    text = sympy.sstr(proto.expr)
    return f"node v{k} ({text if len(text) <= 60 else text[:57] + '…'})"


def _forward(protos: tuple[Proto, ...], ops: list[Op | None], point: dict[str, float]) -> list[float]:
    values: list[float] = []
    for k, (proto, op) in enumerate(zip(protos, ops)):
        if proto.kind == "input":
            values.append(point[proto.parameter])  # type: ignore[index]
            continue
        if op is None:
            result = _guarded(lambda: complex(proto.expr.evalf()), proto, k, "its value")  # noqa: B023
        else:
            args = tuple(values[i] for i in proto.inputs)
            result = _guarded(lambda: op.forward(args), proto, k, "its value")  # noqa: B023 (called at once)
        values.append(_finite(result, proto, k, "its value"))
    return values


def _partials(proto: Proto, op: Op | None, args: list[float], value: float, k: int) -> tuple[float, ...]:
    if op is None:
        return ()
    partials = _guarded(lambda: op.partials(tuple(args), value), proto, k, "its derivative")
    return tuple(_finite(p, proto, k, "its derivative") for p in partials)


def _guarded(compute: Callable[[], Any], proto: Proto, k: int, what: str) -> Any:
    """``compute()``, its math errors turned into a ValueError that names the node."""
    try:
        return compute()
    except (ValueError, ZeroDivisionError, OverflowError) as error:
        reason = "division by zero" if isinstance(error, ZeroDivisionError) else str(error)
        raise ValueError(f"{_describe(proto, k)}: {what} is undefined at this point ({reason})") from None


def _finite(result: float | complex, proto: Proto, k: int, what: str) -> float:
    """``result`` as a finite real float, or a ValueError that names the node."""
    if isinstance(result, complex):
        if result.imag != 0:
            raise ValueError(f"{_describe(proto, k)}: {what} is not a real number at this point")
        result = result.real
    if not math.isfinite(result):
        raise ValueError(f"{_describe(proto, k)}: {what} is not finite at this point")
    return float(result)


def _backward(protos: tuple[Proto, ...], partials: list[tuple[float, ...]]
              ) -> tuple[list[float], list[BackwardStep]]:
    """Adjoints in reverse topological order: each node after every node that uses it."""
    uses: list[list[tuple[int, int]]] = [[] for _ in protos]
    for v, proto in enumerate(protos):
        for position, u in enumerate(proto.inputs):
            uses[u].append((v, position))
    adjoints = [0.0] * len(protos)
    steps = []
    for u in reversed(range(len(protos))):
        if u == len(protos) - 1:
            adjoints[u] = 1.0
            steps.append(BackwardStep(u, (), 1.0, ""))
            continue
        contributions = tuple(
            Contribution(v, position, adjoints[v], partials[v][position], adjoints[v] * partials[v][position])
            for v, position in uses[u])
        total = 0.0
        for c in contributions:
            total += c.product
        adjoints[u] = total
        steps.append(BackwardStep(u, contributions, total, ""))
    return adjoints, steps


def _edges(protos: tuple[Proto, ...], partials: list[tuple[float, ...]]) -> list[Edge]:
    edges = []
    for v, proto in enumerate(protos):
        if not proto.inputs:
            continue
        _, rules = symbolic_form(proto.kind, len(proto.inputs), proto.parameter)
        substitution = tuple(zip(placeholders(len(proto.inputs)), (protos[i].expr for i in proto.inputs)))
        edges.extend(Edge(u, v, position, partials[v][position], rules[position], substitution)
                     for position, u in enumerate(proto.inputs))
    return edges


def _at_kink(kind: str, args: list[float], value: float) -> bool:
    """True where the op has no derivative at this point and a convention was used."""
    if kind in ("relu", "abs", "sign"):
        return args[0] == 0.0
    if kind in ("max", "min"):
        return sum(1 for a in args if a == value) > 1
    if kind in ("floor", "ceiling"):
        return float(args[0]).is_integer()
    return False


def _number(x: float) -> str:
    return f"{x:.6g}"


def _operand(x: float) -> str:
    """A number inside a product or an operator: (-1), not -1, after an operator sign."""
    return f"({x:.6g})" if x < 0 else f"{x:.6g}"


_INFIX = {"add": " + ", "sub": " − ", "mul": " × ", "div": " ÷ ", "pow": " ^ "}


def _forward_text(node: Node, names: list[str], inputs: tuple[float, ...]) -> str:
    """``v3 = v1 × x = 2 × 0.5 = 1``: the rule in names, then in numbers."""
    if node.kind == "input":
        return f"{node.name} = {_number(node.value)}"
    if node.kind == "constant":
        shown = "" if node.label == _number(node.value) else f" = {_number(node.value)}"
        return f"{node.name} = {node.label}{shown}"

    def applied(args: list[str]) -> str:
        if node.kind in _INFIX:
            return _INFIX[node.kind].join(args)
        if node.kind == "neg":
            return f"−{args[0]}"
        if node.kind == "power":
            return f"{args[0]}{node.label}"
        return f"{node.label}({', '.join(args)})"

    return (f"{node.name} = {applied([names[i] for i in node.inputs])} = "
            f"{applied([_operand(x) for x in inputs])} = {_number(node.value)}")


def _backward_text(step: BackwardStep, names: list[str]) -> BackwardStep:
    """The step with its text: ``∂f/∂x = 1·2 + 0.5·3 = 3.5`` (a fork sums its contributions)."""
    name = names[step.node]
    if step.node == len(names) - 1:
        text = f"∂f/∂{name} = 1 (the output)"
    else:
        terms = " + ".join(f"{_operand(c.adjoint)}·{_operand(c.local)}" for c in step.contributions)
        text = f"∂f/∂{name} = {terms} = {_number(step.adjoint)}"
    return BackwardStep(step.node, step.contributions, step.adjoint, text)
