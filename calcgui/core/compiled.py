"""Turning a worker's symbolic results into numpy functions, off the UI thread.

The worker process sends numpy source (the Derivative pane's jobs) or sympy expressions (the
others) back; drawing needs compiled numpy functions. Compiling sympy costs milliseconds to
seconds, so it must never run on the UI thread:
the UI's bridge to the worker calls one of these ``prepare`` functions on the runner's thread
for each partial result, before the result is handed to a pane. Each takes any payload and
passes through what it does not know, so a job may stream several kinds of results.

They live in the core (not beside the panes) so that they can be tested, and reused by
exports and benchmarks, without Qt.
"""

from __future__ import annotations

from dataclasses import dataclass

from calcgui.core.display_range import NumericFunction
from calcgui.core.jobs import DerivationView, DerivativeCurves
from calcgui.core.numeric_load import load_function, load_with_derivatives


@dataclass(frozen=True)
class CompiledDerivatives:
    """f, f', f'' compiled to numpy, in that order."""

    functions: tuple[NumericFunction, ...]


@dataclass(frozen=True)
class ChainParts:
    """A chain step's inner u(x) and outer g(u), compiled, with their names for a legend."""

    inner: NumericFunction
    outer: NumericFunction
    inner_text: str
    outer_text: str


@dataclass(frozen=True)
class CompiledDerivation:
    """A rule-by-rule derivation with each chain step's parts compiled, by step index."""

    view: DerivationView
    chains: dict[int, ChainParts]


def compile_derivatives(payload: object) -> object:
    """Compile f, f', f'' of :class:`~calcgui.core.jobs.DerivativeCurves` for plotting. f′
    and f″ only where f is defined: ln x has no f′ = 1/x for x < 0."""
    if isinstance(payload, DerivativeCurves):
        return CompiledDerivatives(load_with_derivatives(payload.sources))
    return payload


def compile_chains(payload: object) -> object:
    """Compile every chain step's inner and outer functions of a derivation."""
    if not isinstance(payload, DerivationView):
        return payload
    chains: dict[int, ChainParts] = {}
    pending = list(payload.steps)
    while pending:
        step = pending.pop()
        pending.extend(step.children)
        if step.rule == "chain" and step.inner is not None and step.outer is not None:
            chains[step.index] = ChainParts(load_function(step.inner), load_function(step.outer),
                                            f"u = {step.inner.text}", f"g(u) = {step.outer.text}")
    return CompiledDerivation(payload, chains)


def compile_partials(payload: object) -> object:
    """Compile f(x, y) and its partial derivatives (a :class:`~calcgui.core.gradient.Partials`)."""
    from calcgui.core.gradient import Partials, compile_surface

    return compile_surface(payload) if isinstance(payload, Partials) else payload


def compile_objective(payload: object) -> object:
    """Compile a descent objective and its exact gradient from ``(expr, variables)``."""
    if isinstance(payload, tuple) and len(payload) == 2:
        from calcgui.core.descent import objective

        expr, variables = payload
        return objective(expr, variables)
    return payload
