"""A profile hook that records the sympy functions a thread calls (shared by core and UI tests).

Used to check *why* something is fast without timing it: a descent step or a keystroke is
cheap because it runs no symbolic work, and that can be asserted exactly on any machine.
"""

from __future__ import annotations

import inspect
import sys
from types import FrameType

#: Not symbolic work: the finalizer lambdify registers to drop a compiled function's source
#: from linecache, which runs wherever the old compiled function is freed.
HOUSEKEEPING = {"sympy.utilities.lambdify._cleanup"}
#: Generator frames are skipped: the garbage collector closes a sympy generator made on
#: another thread (or long ago) on whichever thread it happens to run.
_GENERATOR_FLAGS = inspect.CO_GENERATOR | inspect.CO_COROUTINE | inspect.CO_ASYNC_GENERATOR


class SympyCalls:
    """``with SympyCalls() as calls: ...`` then ``calls.names``: each sympy function the
    current thread called inside the block, as ``module.function``."""

    def __init__(self) -> None:
        self.names: list[str] = []

    def _hook(self, frame: FrameType, event: str, arg: object) -> None:
        module = frame.f_globals.get("__name__", "")
        if event != "call" or module.partition(".")[0] != "sympy" or frame.f_code.co_flags & _GENERATOR_FLAGS:
            return
        name = f"{module}.{frame.f_code.co_name}"
        if name not in HOUSEKEEPING:
            self.names.append(name)

    def __enter__(self) -> SympyCalls:
        sys.setprofile(self._hook)
        return self

    def __exit__(self, *exc: object) -> None:
        sys.setprofile(None)
