"""Field checks shared by the settings dataclasses: each returns the clean value or raises a
:class:`SettingsError` naming the field.

Values may come from a scene file written by hand, so the checks trust nothing about their
type (``True`` is not a number, ``"1"`` is not a number, 10**400 is not a float) and say what
they got in the words of JSON, which is what the teacher sees in the file.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Collection
from typing import Any

from calcgui.state.errors import SettingsError

__all__ = ["describe", "flag", "flags", "format_number", "instance", "key_label", "member", "number", "numbers",
           "pair_range", "text", "whole"]

#: Longest piece of a string quoted back in a message.
_QUOTE_LENGTH = 40
#: Integers with more digits than this are described by their length, not spelled out.
_SPELLED_DIGITS = 20
_PLAIN_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def format_number(value: float) -> str:
    """A number as a person writes it: 10 not 10.0, 1e-5 not 1e-05, NaN and Infinity as in JSON."""
    if isinstance(value, int):
        if abs(value) < 10**_SPELLED_DIGITS:
            return str(value)
        return f"a number with more than {_SPELLED_DIGITS} digits"
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    mantissa, _, exponent = repr(value).partition("e")
    return mantissa if not exponent else f"{mantissa}e{int(exponent)}"


def describe(value: Any) -> str:
    """How ``value`` is quoted in a message: as it looks in JSON, shortened."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return f"{value:.1f}"  # as written in the file: 160.0 is not the whole number 160
    if isinstance(value, (int, float)):
        return format_number(value)
    if isinstance(value, str):
        shown = value if len(value) <= _QUOTE_LENGTH else value[:_QUOTE_LENGTH] + "…"
        quoted = json.dumps(shown, ensure_ascii=False)
        return quoted.encode("utf-8", "backslashreplace").decode("utf-8")  # lone surrogates
    if isinstance(value, (list, tuple)):
        return f"a list of {len(value)}"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def key_label(key: Any) -> str:
    """A key as a field path shows it: bare if it is a plain name, else quoted as in JSON."""
    return key if isinstance(key, str) and _PLAIN_NAME.match(key) else describe(key)


def number(path: str, value: Any, lo: float, hi: float, *, above: bool = False) -> float:
    """A finite number in [lo, hi] (in (lo, hi] when ``above``) as a float; int is accepted."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise SettingsError(path, f"must be a number, got {describe(value)}")
    if isinstance(value, float) and not math.isfinite(value):
        raise SettingsError(path, f"must be a finite number, got {describe(value)}")
    # int and float compare exactly in Python, so a huge int is out of range, not an OverflowError.
    if (value <= lo if above else value < lo) or value > hi:
        raise SettingsError(path, f"{_range(lo, hi, above)}, got {describe(value)}")
    return float(value)


def _range(lo: float, hi: float, above: bool) -> str:
    if above and math.isinf(hi):
        return f"must be > {format_number(lo)}"
    if math.isinf(lo) and math.isinf(hi):
        return "must be a finite number"
    return f"must be between {format_number(lo)} and {format_number(hi)}"


def whole(path: str, value: Any, lo: int, hi: int) -> int:
    """An int in [lo, hi]; a float such as 2.0 is refused, because a count is never fractional."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise SettingsError(path, f"must be a whole number, got {describe(value)}")
    if not lo <= value <= hi:
        wanted = f"must be {lo}" if lo == hi else f"must be between {lo} and {hi}"
        raise SettingsError(path, f"{wanted}, got {describe(value)}")
    return int(value)


def member(path: str, value: Any, choices: Collection[Any]) -> Any:
    """One of ``choices`` (strings or ints), compared by type too: 160.0 is not the grid 160."""
    for choice in choices:
        if type(value) is type(choice) and value == choice:
            return choice
    listed = ", ".join(describe(choice) for choice in choices)
    raise SettingsError(path, f"must be one of {listed}, got {describe(value)}")


def flag(path: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise SettingsError(path, f"must be true or false, got {describe(value)}")
    return value


def text(path: str, value: Any) -> str:
    if not isinstance(value, str):
        raise SettingsError(path, f"must be text, got {describe(value)}")
    return value


def _items(path: str, value: Any, counts: Collection[int], what: str) -> tuple[Any, ...]:
    if not isinstance(value, tuple) or len(value) not in counts:
        wanted = " or ".join(str(count) for count in sorted(counts))
        raise SettingsError(path, f"must be {wanted} {what}, got {describe(value)}")
    return value


def numbers(path: str, value: Any, counts: Collection[int], bound: float) -> tuple[float, ...]:
    """A tuple of ``counts`` finite numbers, each with absolute value at most ``bound``."""
    items = _items(path, value, counts, "numbers")
    return tuple(number(f"{path}[{i}]", item, -bound, bound) for i, item in enumerate(items))


def flags(path: str, value: Any, count: int) -> tuple[bool, ...]:
    items = _items(path, value, (count,), "true/false values")
    return tuple(flag(f"{path}[{i}]", item) for i, item in enumerate(items))


def pair_range(path: str, value: Any, bound: float) -> tuple[float, float]:
    """(lo, hi) with lo < hi: an axis range."""
    lo, hi = numbers(path, value, (2,), bound)
    if not lo < hi:
        raise SettingsError(path, f"must go from low to high, got [{format_number(lo)}, {format_number(hi)}]")
    return lo, hi


def instance(path: str, value: Any, kind: type, *, optional: bool = False) -> Any:
    """``value`` if it is a ``kind`` (or None when ``optional``): nested settings are checked
    by their own class, so here only their type is."""
    if isinstance(value, kind) or (optional and value is None):
        return value
    wanted = f"{kind.__name__} or None" if optional else kind.__name__
    raise SettingsError(path, f"must be {wanted}, got {describe(value)}")
