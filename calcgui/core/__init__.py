"""calcgui's Qt-free core: parsing, calculus and numerics on sympy and numpy.

Nothing here imports Qt or pyqtgraph, and nothing here evaluates user text: text goes
through :func:`parse`, our own whitelisting parser.

The public names are loaded lazily (PEP 562) so that ``import calcgui.core.worker`` (which the
UI needs before its first paint) does not pay for importing sympy.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "parse": "calcgui.core.expression_parser",
    "ParseError": "calcgui.core.expression_parser",
    "derivative_steps": "calcgui.core.steps",
    "limit_definition": "calcgui.core.first_principles",
    "differentiability": "calcgui.core.differentiability",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'calcgui.core' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(list(globals()) + __all__)
