"""JSON text to Python values, refusing what a scene file never contains and what could hurt.

Python's json module accepts NaN and Infinity, keeps the last of repeated keys, turns a number
of any length into an int (slowly, or not at all past 4300 digits) and recurses once per
bracket, so 100,000 ``[`` raise RecursionError. Here the nesting depth is measured first by
a linear scan that does not recurse, NaN and Infinity come back as floats for the field's own
check to refuse with its name, repeated keys are recorded for the decoder to name, and over-long
numbers are refused before any conversion.
"""

from __future__ import annotations

import json
import re
from itertools import accumulate
from typing import Any

from calcgui.state.errors import SceneError

__all__ = ["MAX_DEPTH", "MAX_NUMBER_LENGTH", "JsonObject", "nesting_depth", "parse_json"]

#: Brackets a scene may nest: it needs 6 (scene, panes, descent, race, optimizers, one optimizer).
MAX_DEPTH = 16
#: Characters a number may have: far beyond any setting, far below what is slow to convert.
MAX_NUMBER_LENGTH = 1000

_ESCAPE = re.compile(r"\\.", re.DOTALL)
_STRING = re.compile(r'"[^"]*"')
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_CONSTANTS = {"NaN": float("nan"), "Infinity": float("inf"), "-Infinity": float("-inf")}


class JsonObject(dict[str, Any]):
    """A JSON object: a dict (the last value of a repeated key wins) that remembers which
    keys its text repeated, so that the scene decoder can name the field."""

    def __init__(self, pairs: list[tuple[str, Any]]) -> None:
        super().__init__(pairs)
        seen: set[str] = set()
        repeated: list[str] = []
        for key, _ in pairs:
            if key in seen:
                repeated.append(key)
            seen.add(key)
        self.duplicates = tuple(repeated)


def nesting_depth(text: str) -> int:
    """How deeply the brackets of ``text`` nest outside strings, in linear time and no recursion.

    Escapes are removed first (so ``"\\""`` is a whole string), then strings, then all but
    brackets. For valid JSON this is the exact depth; for invalid JSON it is at least the depth
    the json module reaches before its first error (it agrees with json up to that error, and
    an unterminated string's brackets count), which is what bounds json's recursion.
    """
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", _ESCAPE.sub("", text)))
    steps = (1 if char in "[{" else -1 for char in brackets)
    return max(accumulate(steps, initial=0))


def _number(convert: type) -> Any:
    def parse(text: str) -> Any:
        if len(text) > MAX_NUMBER_LENGTH:
            raise SceneError(f"a number in the file is {len(text):,} characters long (at most {MAX_NUMBER_LENGTH})")
        return convert(text)
    return parse


def parse_json(text: str) -> Any:
    """The value of the JSON ``text``; SceneError (without a source) if it is not valid JSON or
    nests more than MAX_DEPTH brackets deep."""
    if nesting_depth(text) > MAX_DEPTH:
        raise SceneError(f"nested too deeply (more than {MAX_DEPTH} levels of brackets; a scene needs 6)")
    try:
        return json.loads(text, object_pairs_hook=JsonObject, parse_constant=_CONSTANTS.__getitem__,
                          parse_int=_number(int), parse_float=_number(float))
    except json.JSONDecodeError as error:
        where = f"line {error.lineno}, column {error.colno}"
        if error.pos >= len(text.rstrip()) or error.msg.startswith("Unterminated string"):
            raise SceneError(f"not valid JSON ({where}: it ends too early; is the file cut short?)") from None
        raise SceneError(f"not valid JSON ({where}: {error.msg})") from None
