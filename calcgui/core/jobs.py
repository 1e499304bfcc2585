"""The symbolic work the UI sends to the worker process (see :mod:`calcgui.core.worker`).

Each job is a module-level function so that it can be sent to the worker by reference. Jobs
that have a quick part and a slow part are generators: the quick result (what the plot needs)
is yielded first, so the plot is drawn before the typesetting is done.

Jobs that typeset yield :data:`TYPESETTING` once their symbolic work is done: the runner then
gives the typesetting a limit of its own (:data:`TYPESET_SECONDS`) instead of what is left of
the symbolic one, and never delivers the marker, so the UI receives the same payloads as ever.

The UI process imports this module before its first paint to name the jobs it sends, so
sympy is imported inside the job functions (which run in the worker), not here. The payloads
of the Derivative pane's jobs hold no sympy objects either (functions travel as numpy source,
:class:`~calcgui.core.numeric_source.NumericSource`): the UI process can read and draw them
without importing sympy, which start-up and typing both wait for.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from calcgui.core.job_memo import replayed
from calcgui.core.worker import Phase, TimedRunner

if TYPE_CHECKING:
    from calcgui.core.differentiate import Derivatives
    from calcgui.core.gradient import Partials
    from calcgui.core.numeric_source import NumericSource

#: Typesetting's own limit. It cannot run away as symbolic work can, but a long derivation's
#: 60 formulas at ~18 ms each take over a second, and a busy machine several.
TYPESET_SECONDS = 10.0
#: What a job yields between its symbolic part and its typesetting part.
TYPESETTING = Phase("typesetting", TYPESET_SECONDS)

#: LaTeX for the left-hand sides of f, f', f''.
DERIVATIVE_LABELS = ("f(x)", "f^{\\prime}(x)", "f^{\\prime\\prime}(x)")


@dataclass(frozen=True)
class Formula:
    """One typeset line: its LaTeX, the SVG ziamath drew (None if it could not), plain text."""

    latex: str
    svg: str | None
    plain: str


@dataclass(frozen=True)
class DerivativeFormulas:
    """f, f', f'' typeset, in that order, in their tidied forms."""

    formulas: tuple[Formula, ...]


@dataclass(frozen=True)
class DerivativeCurves:
    """f, f', f'' of ``var`` as numpy source, in that order: what the plot needs."""

    var: str
    sources: tuple[NumericSource, ...]


def derivative_curves(derivatives: Derivatives) -> DerivativeCurves:
    """The curves of f, f', f'' (untidied: tidying is for reading, not for drawing)."""
    from calcgui.core.numpy_printing import numeric_source

    var = derivatives.var
    return DerivativeCurves(var, tuple(numeric_source(e, var) for e in
                                       (derivatives.f, derivatives.first, derivatives.second)))


def typeset(lhs_latex: str, lhs_plain: str, expr: Any) -> Formula:
    """``lhs = expr`` as a :class:`Formula`."""
    from calcgui.core.typeset import equation_latex, render_svg

    latex = equation_latex(lhs_latex, expr)
    return Formula(latex, render_svg(latex), f"{lhs_plain} = {expr}")


@replayed(maxsize=64)
def derivative_job(text: str, var: str = "x") -> Iterator[DerivativeCurves | Phase | DerivativeFormulas]:
    """Parse ``text``; yield f, f', f'' for plotting, then the same tidied and typeset
    (replayed when asked again: see :mod:`calcgui.core.job_memo`)."""
    from calcgui.core.differentiate import derivatives, tidy
    from calcgui.core.expression_parser import parse

    expr = parse(text, variables=(var,))
    raw = derivatives(expr, var, simplify=False)
    yield derivative_curves(raw)
    first = tidy(raw.first)
    second = tidy(raw.second)
    yield TYPESETTING
    labels = [lbl.replace("x", var) for lbl in DERIVATIVE_LABELS]
    plain = [f"f{p}({var})" for p in ("", "'", "''")]
    formulas = [typeset(lbl, pl, e) for lbl, pl, e in zip(labels, plain, (expr, first, second))]
    for i, by_pieces in enumerate(raw.classical, start=1):  # |x|' as a course writes it, not sign(x)
        if by_pieces is not None:
            formulas[i] = classical_formula(labels[i], plain[i], by_pieces)
    yield DerivativeFormulas(tuple(formulas))


def classical_formula(lhs_latex: str, lhs_plain: str, derivative: Any) -> Formula:
    """``lhs = `` a derivative by pieces (a cases environment) as a :class:`Formula`."""
    from calcgui.core.typeset import render_svg

    latex = f"{lhs_latex} = {derivative.latex}"
    return Formula(latex, render_svg(latex), f"{lhs_plain} = {derivative.text}")


def warm_up() -> None:
    """Pay sympy's and ziamath's first-call costs in a new worker, before the user types."""
    for _ in derivative_job("2x^2 + 3x + 1"):
        pass
    for _ in derivative_job("sin(x) e^(-x^2) / (1 + x)"):
        pass


def warm_up_imports() -> None:
    """A first worker's light warm-up: the modules every job needs, so that the first job's
    clock starts after them; the first-call costs are paid by the job (then by warm_up)."""
    import sympy  # noqa: F401
    import ziamath  # noqa: F401

    from calcgui.core import differentiate, expression_parser, numpy_printing, steps, typeset  # noqa: F401

    differentiate.import_what_simplify_imports()


def warm_up_local() -> None:
    """The UI process's share of the warm-up: sympy imported and lambdify's first call paid,
    on the runner's thread, so the first result is not slowed by imports."""
    import sympy

    from calcgui.core.sampling import compile_function

    compile_function(sympy.Symbol("x", real=True) ** 2)


#: Steps beyond this many are shown as text only: typesetting costs ~6 ms a formula (median; 37 ms at worst).
MAX_TYPESET_STEPS = 60


@dataclass(frozen=True)
class StepView:
    """One derivation step ready to show: its rule, sentence and typeset equation.

    ``index`` numbers the steps depth first; a chain step keeps its ``inner`` u(x) and
    ``outer`` g(u) as numpy source so the view can draw them.
    """

    index: int
    rule: str
    text: str
    formula: Formula
    children: tuple[StepView, ...]
    inner: NumericSource | None = None
    outer: NumericSource | None = None


@dataclass(frozen=True)
class DerivationView:
    """The rule-by-rule derivation of one function, typeset."""

    steps: tuple[StepView, ...]
    count: int


@dataclass(frozen=True)
class LimitLine:
    """One line of a first-principles derivation: sentence, typeset line, numbers if any."""

    text: str
    formula: Formula | None
    table: tuple[tuple[float, float | None], ...] = ()


@dataclass(frozen=True)
class LimitView:
    """The first-principles derivation, line by line."""

    lines: tuple[LimitLine, ...]
    tractable: bool


def _step_formula(step: Any, typeset_it: bool) -> Formula:
    from calcgui.core.typeset import render_svg, to_latex

    var = step.var
    if step.rule == "by pieces":
        latex = rf"f^{{\prime}}({var}) = {step.latex}"
        plain = step.text
    elif step.rule == "simplify":
        latex = rf"f^{{\prime}}({var}) = {to_latex(step.result)}"
        plain = f"f'({var}) = {step.result}"
    else:
        latex = rf"\frac{{d}}{{d{var}}}\left[{to_latex(step.expr)}\right] = {to_latex(step.result)}"
        plain = f"d/d{var} [{step.expr}] = {step.result}"
    return Formula(latex, render_svg(latex) if typeset_it else None, plain)


def steps_job(text: str, var: str = "x") -> Iterator[Phase | DerivationView]:
    """The rule-by-rule derivation of ``text``, parsed as typed, typeset (one view)."""
    from calcgui.core.expression_parser import parse
    from calcgui.core.numpy_printing import numeric_source
    from calcgui.core.steps import derivative_steps

    derivation = derivative_steps(parse(text, variables=(var,), evaluate=False), var)
    yield TYPESETTING
    counter = iter(range(10**6))

    def view(step: Any) -> StepView:
        index = next(counter)
        chain = step.rule == "chain" and step.inner is not None and step.outer is not None
        return StepView(index, step.rule, step.text, _step_formula(step, index < MAX_TYPESET_STEPS),
                        tuple(view(sub) for sub in step.substeps),
                        numeric_source(step.inner, "x") if chain else None,
                        numeric_source(step.outer, "u") if chain else None)

    steps = tuple(view(step) for step in derivation.steps)
    yield DerivationView(steps, next(counter))


def limit_job(text: str, var: str = "x") -> Iterator[Phase | LimitView]:
    """The derivation of ``text`` from the limit of the difference quotient, typeset (one view)."""
    from calcgui.core.expression_parser import parse
    from calcgui.core.first_principles import limit_definition
    from calcgui.core.typeset import render_svg

    limit = limit_definition(parse(text, variables=(var,)), var,
                             typed=parse(text, variables=(var,), evaluate=False))
    yield TYPESETTING
    lines = tuple(
        LimitLine(line.text, Formula(line.latex, render_svg(line.latex), line.latex) if line.latex else None,
                  line.table)
        for line in limit.steps)
    yield LimitView(lines, limit.tractable)


def typeset_job(latexes: tuple[str, ...]) -> tuple[Formula, ...]:
    """Typeset fixed formulas (a pane's labels) in the worker."""
    from calcgui.core.typeset import render_svg

    return tuple(Formula(latex, render_svg(latex), latex) for latex in latexes)


#: LaTeX left-hand sides of f(x, y), its partials and its gradient.
GRADIENT_LABELS = ("f(x, y)", r"\frac{\partial f}{\partial x}", r"\frac{\partial f}{\partial y}", r"\nabla f")


@dataclass(frozen=True)
class GradientFormulas:
    """f(x, y), ∂f/∂x, ∂f/∂y and ∇f typeset, in that order."""

    formulas: tuple[Formula, ...]


def gradient_job(text: str) -> Iterator[Partials | Phase | GradientFormulas]:
    """Parse f(x, y); yield its partials for plotting, then f, ∂f/∂x, ∂f/∂y, ∇f typeset."""
    from calcgui.core.expression_parser import parse
    from calcgui.core.gradient import partials
    from calcgui.core.typeset import render_svg, to_latex

    expr = parse(text, variables=("x", "y"))
    yield partials(expr)
    tidied = partials(expr, tidy_them=True)
    yield TYPESETTING
    plain = ("f(x, y)", "∂f/∂x", "∂f/∂y")
    formulas = [typeset(lhs, p, e) for lhs, p, e in zip(GRADIENT_LABELS, plain, (expr, tidied.fx, tidied.fy))]
    latex = rf"{GRADIENT_LABELS[3]} = \left( {to_latex(tidied.fx)},\; {to_latex(tidied.fy)} \right)"
    formulas.append(Formula(latex, render_svg(latex), f"∇f = ({tidied.fx}, {tidied.fy})"))
    yield GradientFormulas(tuple(formulas))


def descent_job(text: str, variables: tuple[str, ...] = ("x", "y")) -> Iterator[tuple[Any, tuple[str, ...]]]:
    """Parse the function a descent runs on; the bridge's prepare step compiles it (with its
    gradient) to numpy on the runner's thread."""
    from calcgui.core.expression_parser import parse

    yield parse(text, variables=tuple(variables)), tuple(variables)


def chain_job(text: str, values: Any, variables: tuple[str, ...], typeset: bool = True) -> Iterator[Any]:
    """The Chain rule pane's job (see :mod:`calcgui.core.chain_job`): the graph of ``text`` at
    ``values``, then its typeset partials and local derivatives."""
    from calcgui.core import chain_job as chain

    yield from chain.chain_job(text, values, variables, typeset)


def differentiability_job(text: str, x0: float, var: str = "x") -> Any:
    """Whether ``text`` has a derivative at ``x0``: a
    :class:`~calcgui.core.differentiability.Differentiability` (verdict, one-sided slopes,
    f′(x₀), the sentence). Its sympy work is boxed to 1.5 s, then difference quotients decide."""
    from calcgui.core.differentiability import differentiability
    from calcgui.core.expression_parser import parse

    return differentiability(parse(text, variables=(var,)), float(x0), var=var, name=text)


def start_runner(time_limit: float = 3.0) -> TimedRunner:
    """The runner with calcgui's warm-ups (its replies go nowhere until ``deliver_to``).

    It can start before Qt is imported, so that the worker process imports sympy while this
    one imports Qt. Then switch automatic garbage collection off first: the runner's thread
    allocates a lot and must never be the one to collect Qt objects (see
    :mod:`calcgui.ui.gui_thread_gc`, which takes collection over on the GUI thread).
    """
    return TimedRunner(lambda _reply: None, time_limit=time_limit, warm_up=warm_up,
                       first_warm_up=warm_up_imports, local_warm_up=warm_up_local)
