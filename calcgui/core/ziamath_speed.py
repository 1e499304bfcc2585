"""Two fixes to ziamath's speed that leave its SVG unchanged, byte for byte.

Typesetting f, f′ and f″ of a new function took up to 250 ms (the goal is 150), most of it in
ziamath, for two reasons:

1. To size its stretchy fences, a row first lays its children out once more without them
   ("nostretch") and reads their height. A child row does the same inside that extra layout,
   and so on down: the work doubles with each level of nesting ((x² − 1)/(x² + 1): 198 ms).
   Inside a nostretch layout only the heights are read, and a stretchy glyph's own height is
   left out of them, so the size its fences would stretch to cannot change them: a nested
   row in a nostretch layout now skips measuring its own children.
2. Each node copies its parent's style with ``dataclasses.asdict``, a deep, recursive copy,
   only to read five plain fields from it; a view of the fields does.

Applied only to the ziamath versions the test (tests/core/test_ziamath_speed.py) has compared
byte for byte against the unpatched renderer over the corpus's formulas: over 544 formulas
rendering went from 11.6 s to 3.8 s, p95 53 → 15 ms, the slowest 448 → 37 ms. Any other
version runs unpatched (correct, slower).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

#: ziamath versions the fixes were checked against.
VERIFIED_VERSIONS = frozenset({"0.13"})

_originals: dict[str, Callable[..., Any]] = {}


def _fields_of(style: Any) -> dict[str, Any]:
    """The style's fields as they are: parse_style only reads them (no copy needed)."""
    return style.__dict__


def install(version: str | None = None) -> bool:
    """Patch ziamath if its version (``version`` overrides it, for tests) was verified;
    returns whether the patch is in place. Safe to call more than once."""
    import ziamath
    from ziamath import styles
    from ziamath.nodes.mrow import Mrow

    if (version or getattr(ziamath, "__version__", "")) not in VERIFIED_VERSIONS:
        return False
    if _originals:
        return True
    measure = Mrow._get_height_nostretch
    _originals["asdict"] = styles.asdict
    _originals["nostretch"] = measure

    def height_nostretch(self: Mrow, line: list[Any], **kwargs: Any) -> tuple[float, float]:
        if kwargs.get("nostretch"):  # only heights are read here, never a stretched fence's
            return kwargs.get("rowymin", 0.0), kwargs.get("rowymax", 0.0)
        return measure(self, line, **kwargs)

    styles.asdict = _fields_of
    Mrow._get_height_nostretch = height_nostretch  # type: ignore[method-assign]
    return True


def uninstall() -> None:
    """Put ziamath back as it was (for the test that compares both)."""
    if not _originals:
        return
    from ziamath import styles
    from ziamath.nodes.mrow import Mrow

    styles.asdict = _originals.pop("asdict")
    Mrow._get_height_nostretch = _originals.pop("nostretch")  # type: ignore[method-assign]
