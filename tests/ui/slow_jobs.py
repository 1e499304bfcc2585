"""A job that never finishes in time, to drive the time-limit path through the real pane."""

import time


def endless_job(text: str, var: str) -> None:
    time.sleep(60)
