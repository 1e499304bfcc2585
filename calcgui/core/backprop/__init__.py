"""Backpropagation, twice: on the computational graph of one typed expression
(:func:`graph`, :func:`layout`) and on a small fully connected network (:class:`Network`,
:mod:`datasets`).

The names load lazily (PEP 562), like :mod:`calcgui.core`'s: the network half needs only numpy,
so code that trains a network does not pay for importing sympy.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "graph": "calcgui.core.backprop.expression_graph",
    "Graph": "calcgui.core.backprop.expression_graph",
    "Node": "calcgui.core.backprop.expression_graph",
    "Edge": "calcgui.core.backprop.expression_graph",
    "ForwardStep": "calcgui.core.backprop.expression_graph",
    "BackwardStep": "calcgui.core.backprop.expression_graph",
    "Contribution": "calcgui.core.backprop.expression_graph",
    "MAX_NODES": "calcgui.core.backprop.student_form",
    "layout": "calcgui.core.backprop.graph_layout",
    "Layout": "calcgui.core.backprop.graph_layout",
    "Network": "calcgui.core.backprop.network",
    "ForwardPass": "calcgui.core.backprop.network",
    "Gradients": "calcgui.core.backprop.network",
    "DecisionGrid": "calcgui.core.backprop.decision",
    "decision_grid": "calcgui.core.backprop.decision",
    "datasets": "calcgui.core.backprop.datasets",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'calcgui.core.backprop' has no attribute {name!r}")
    loaded = import_module(module)
    value = loaded if module == f"calcgui.core.backprop.{name}" else getattr(loaded, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(list(globals()) + __all__)
