"""A job that never finishes in time, to drive the time-limit path through the real pane."""

import time


def endless_job(text: str, var: str) -> None:
    time.sleep(60)


def slow_derivative_job(text: str, var: str):  # type: ignore[no-untyped-def]
    """The real derivative job, a second late: the worker stays busy with the typed text."""
    from calcgui.core.jobs import derivative_job

    time.sleep(1.0)
    yield from derivative_job(text, var)


def marked_endless_job(text: str, var: str, marker: str) -> None:
    """Leaves ``marker`` (a file) behind if it ever starts, then never finishes in time."""
    with open(marker, "w") as file:
        file.write(text)
    time.sleep(60)


def plot_then_endless_job(text: str, var: str):  # type: ignore[no-untyped-def]
    """The real derivative job's curves, then typesetting that never ends in time (what
    e^x^x^x^x did on a slow machine)."""
    from calcgui.core.jobs import derivative_job

    yield next(iter(derivative_job(text, var)))
    time.sleep(60)


def broken_limit_job(text: str, var: str):  # type: ignore[no-untyped-def]
    """A first-principles job that fails, as sigmoid's did with a NameError."""
    raise RuntimeError("this derivation failed on purpose")
    yield  # a generator, like the real job
