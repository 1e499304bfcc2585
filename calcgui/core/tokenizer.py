"""Splits typed text into tokens, each with its place in the original text.

Unicode a student may paste or type (x², −, ·, ×, ÷, π, √, fullwidth forms) is read here, so
the parser sees one small alphabet. Anything else is an error at its exact position.
"""

from __future__ import annotations

import sys
import unicodedata
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

#: The longest text the parser reads (what a box accepts, what a scene may hold): a function a
#: student writes is far shorter, and a bound keeps every step after it cheap.
MAX_LENGTH = 500

Kind = Literal["num", "name", "op", "sup", "end"]

#: A numeric literal may be as large as a float64 holds, and no larger. Students paste what
#: sympy (or our own "Copy as text") prints, and sympy writes exact integers: 2^125 comes out as
#: 42535295865117307932921825928971026432. Bounding the *value* accepts every such number the
#: plots can still evaluate (up to 308 digits and a little more) and refuses at once one no
#: float could stand for; the text's length bound keeps any accepted literal cheap.
MAX_LITERAL = Fraction(sys.float_info.max)
#: :data:`MAX_LITERAL` as the messages name it.
MAX_LITERAL_TEXT = "1.8e308"
#: A scientific exponent (1e-3) may be at most this size.
MAX_SCI_EXPONENT = 100
#: Literals longer than this are shortened in messages.
_SHOWN_CHARS = 24

_SUPERSCRIPTS = {"⁰": "0", "¹": "1", "²": "2", "³": "3", "⁴": "4", "⁵": "5", "⁶": "6", "⁷": "7",
                 "⁸": "8", "⁹": "9", "⁻": "-", "⁺": "+"}
_OPERATORS = {
    "+": "+", "-": "-", "−": "-", "–": "-", "‐": "-", "*": "*", "·": "*", "⋅": "*", "×": "*",
    "∙": "*", "/": "/", "÷": "/", "^": "^", "(": "(", ")": ")", "[": "(", "]": ")", "{": "(",
    "}": ")", ",": ",", "|": "|", "=": "=", "!": "!", "√": "√", "∛": "∛",
}


class ParseError(ValueError):
    """Text that is not a function we accept; ``position`` is a 0-based index into the text."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(message)
        self.message = message
        self.position = position

@dataclass(frozen=True)
class Token:
    kind: Kind
    text: str
    position: int


def _digit(ch: str) -> bool:
    """ASCII 0-9 only: str.isdigit() is also true of superscripts such as '²'."""
    return "0" <= ch <= "9"


def _normal(ch: str) -> str:
    """Fullwidth and other compatibility forms to ASCII; superscripts keep their meaning."""
    if ch in _SUPERSCRIPTS or ch in _OPERATORS or ch == "π":
        return ch
    folded = unicodedata.normalize("NFKC", ch)
    return folded if len(folded) == 1 else ch


def tokenize(text: str) -> list[Token]:
    """The tokens of ``text``, ending with an ``end`` token."""
    chars = [_normal(ch) for ch in text]
    tokens: list[Token] = []
    i, n = 0, len(chars)
    while i < n:
        ch = chars[i]
        if ch.isspace():
            i += 1
        elif _digit(ch) or (ch == "." and i + 1 < n and _digit(chars[i + 1])):
            i = _number(chars, i, tokens)
        elif ch.isascii() and (ch.isalpha() or ch == "_"):
            start = i
            while i < n and chars[i].isascii() and (chars[i].isalpha() or chars[i] == "_"):
                i += 1
            name = "".join(chars[start:i])
            if name == "log" and "".join(chars[i:i + 2]) == "10":
                name, i = "log10", i + 2
            elif name == "log" and i < n and chars[i] == "2":
                name, i = "log2", i + 1
            tokens.append(Token("name", name, start))
        elif ch == "π":
            tokens.append(Token("name", "pi", i))
            i += 1
        elif ch in _SUPERSCRIPTS:
            start = i
            while i < n and chars[i] in _SUPERSCRIPTS:
                i += 1
            tokens.append(Token("sup", "".join(_SUPERSCRIPTS[c] for c in chars[start:i]), start))
        elif ch == "*" and i + 1 < n and chars[i + 1] == "*":
            tokens.append(Token("op", "^", i))
            i += 2
        elif ch in _OPERATORS:
            tokens.append(Token("op", _OPERATORS[ch], i))
            i += 1
        else:
            shown = ch if ch.isprintable() else repr(ch)
            raise ParseError(f"unexpected character '{shown}' at {i + 1}", i)
    tokens.append(Token("end", "", n))
    return tokens


def _number(chars: list[str], i: int, tokens: list[Token]) -> int:
    """Read a decimal literal (3, 3.14, .5, 2.5e-3) at ``i``; return the index after it."""
    start, n = i, len(chars)
    while i < n and _digit(chars[i]):
        i += 1
    if i < n and chars[i] == ".":
        i += 1
        while i < n and _digit(chars[i]):
            i += 1
        if i < n and chars[i] == ".":
            raise ParseError(f"a second decimal point at {i + 1}", i)
    mantissa = "".join(chars[start:i])
    exponent = ""
    if i < n and chars[i] in "eE":
        j = i + 1
        if j < n and chars[j] in "+-":
            j += 1
        if j < n and _digit(chars[j]):  # otherwise the e is Euler's number: 2e, 2e^x
            while j < n and _digit(chars[j]):
                j += 1
            exponent = "".join(chars[i + 1:j])
            i = j
    if exponent and abs(int(exponent)) > MAX_SCI_EXPONENT:
        raise ParseError(f"number too large at {start + 1}: its exponent is more than {MAX_SCI_EXPONENT}", start)
    literal = mantissa + ("e" + exponent if exponent else "")
    value = Fraction(literal)  # exact, and cheap: the exponent is bounded above
    if value > MAX_LITERAL:
        raise ParseError(f"number too large at {start + 1}: {_shown(literal, value)} is more than "
                         f"{MAX_LITERAL_TEXT}, the largest number allowed", start)
    tokens.append(Token("num", literal, start))
    return i


def _shown(literal: str, value: Fraction) -> str:
    """A literal for a message: whole if short, else its ends and its size (a 309-digit
    number is no easier to compare with the bound when printed in full)."""
    if len(literal) <= _SHOWN_CHARS:
        return literal
    whole = str(value.numerator // value.denominator)
    return f"{literal[:10]}…{literal[-4:]} (about {whole[0]}.{whole[1:2] or '0'}e{len(whole) - 1})"
