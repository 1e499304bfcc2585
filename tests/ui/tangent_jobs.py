"""Jobs that fail part-way, to drive the Secant → tangent pane's failure paths for real."""

import time


def derivatives_then_stall(text: str, var: str):  # type: ignore[no-untyped-def]
    """f, f′, f″ for plotting, as the real job yields them first; then never typesets in time."""
    from calcgui.core.differentiate import derivatives
    from calcgui.core.expression_parser import parse
    from calcgui.core.jobs import derivative_curves

    yield derivative_curves(derivatives(parse(text, variables=(var,)), var, simplify=False))
    time.sleep(60)
