"""The two errors of the state layer, both ValueErrors that read as one line for a person.

A :class:`SettingsError` names the field (a dotted path such as ``optimizers.adam.lr``) so that
a settings object nested in a scene can be reported where it sits in the scene; a
:class:`SceneError` adds the file it came from, because a teacher opening a lecture needs to know
which file and which line of it to fix.
"""

from __future__ import annotations

import re

__all__ = ["SceneError", "SettingsError"]


class SettingsError(ValueError):
    """A settings value out of range or of the wrong type: ``str()`` is ``"path: problem"``."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}" if path else problem)
        self.path = path
        self.problem = problem

    def within(self, prefix: str) -> SettingsError:
        """The same error seen from the object that holds this one under ``prefix``."""
        if not prefix:
            return self
        path = prefix if not self.path else (
            prefix + self.path if self.path.startswith("[") else f"{prefix}.{self.path}")
        return SettingsError(path, self.problem)


class SceneError(ValueError):
    """A scene file that cannot be read, checked or written.

    ``str()`` is ``"source: path: problem"`` with the parts that are known, e.g.
    ``lecture.calcgui: descent.two_d.optimizers.adam.lr: must be > 0, got -1``.
    """

    def __init__(self, problem: str, *, source: str | None = None, path: str | None = None) -> None:
        super().__init__(_one_line(": ".join(part for part in (source, path, problem) if part)))
        self.problem = problem
        self.source = source
        self.path = path

    @classmethod
    def from_settings(cls, error: SettingsError, source: str | None = None) -> SceneError:
        return cls(error.problem, source=source, path=error.path or None)


#: Characters that would break the message over lines (or ring a bell) on a terminal.
_CONTROL = re.compile("[\x00-\x1f\x7f\x85\u2028\u2029]")


def _one_line(text: str) -> str:
    """``text`` with control characters escaped (a file name or a key may hold a newline)."""
    return _CONTROL.sub(lambda match: match[0].encode("unicode_escape").decode("ascii"), text)
