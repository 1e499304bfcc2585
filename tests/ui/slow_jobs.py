"""A job that never finishes in time, to drive the time-limit path through the real pane."""

import time


def endless_job(text: str, var: str) -> None:
    time.sleep(60)


def slow_derivative_job(text: str, var: str):  # type: ignore[no-untyped-def]
    """The real derivative job, a second late: the worker stays busy with the typed text."""
    from calcgui.core.jobs import derivative_job

    time.sleep(1.0)
    yield from derivative_job(text, var)
