"""Colour contrast as WCAG 2 defines it: relative luminance and the contrast ratio.

Themes promise text a reader can make out from the back of a hall (WCAG AA: 4.5:1 for text,
3:1 for lines and marks); these functions let the promise be checked, by tests and by the
theme itself when it darkens or lightens a curve colour to write text in it. Qt-free.
"""

from __future__ import annotations

from functools import lru_cache

#: WCAG AA: normal text against its background.
TEXT_CONTRAST = 4.5
#: WCAG AA: graphical objects (lines, markers) against their background.
GRAPHIC_CONTRAST = 3.0


def parse_hex(colour: str) -> tuple[int, int, int]:
    """``"#RGB"`` or ``"#RRGGBB"`` (case-insensitive) as 0-255 components."""
    text = colour.strip().lstrip("#")
    if len(text) == 3:
        text = "".join(c * 2 for c in text)
    if len(text) != 6:
        raise ValueError(f"expected a colour such as #0072B2, got {colour!r}")
    return int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16)


def to_hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{max(0, min(255, round(c))):02X}" for c in rgb)


def _linear(channel: int) -> float:
    """sRGB channel (0-255) to linear light, WCAG 2's formula (with its 0.03928 threshold)."""
    c = channel / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str | tuple[int, int, int]) -> float:
    """L = 0.2126 R + 0.7152 G + 0.0722 B over linearised sRGB: 0 for black, 1 for white."""
    r, g, b = parse_hex(colour) if isinstance(colour, str) else colour
    return 0.2126 * _linear(r) + 0.7152 * _linear(g) + 0.0722 * _linear(b)


def contrast_ratio(a: str | tuple[int, int, int], b: str | tuple[int, int, int]) -> float:
    """(L_lighter + 0.05) / (L_darker + 0.05): from 1 (same colour) to 21 (black on white)."""
    la, lb = relative_luminance(a), relative_luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def is_dark(colour: str | tuple[int, int, int]) -> bool:
    """Whether black text would read worse on ``colour`` than white text."""
    return contrast_ratio(colour, (255, 255, 255)) > contrast_ratio(colour, (0, 0, 0))


@lru_cache(maxsize=512)
def with_contrast(colour: str, background: str, ratio: float = TEXT_CONTRAST) -> str:
    """``colour`` mixed towards black or white (whichever the background is not) just enough
    to reach ``ratio`` against ``background``: orange text stays orange, only darker.
    Remembered: readouts redrawn on every move of a drag ask for the same few colours."""
    if contrast_ratio(colour, background) >= ratio:
        return to_hex(parse_hex(colour))
    target = (255, 255, 255) if is_dark(background) else (0, 0, 0)
    start = parse_hex(colour)
    lo, hi = 0.0, 1.0  # the fraction of the way to the target: bisect for the least that works
    for _ in range(24):
        mid = (lo + hi) / 2
        mixed = tuple(s + (t - s) * mid for s, t in zip(start, target))
        if contrast_ratio(tuple(round(c) for c in mixed), background) >= ratio:  # type: ignore[arg-type]
            hi = mid
        else:
            lo = mid
    return to_hex(tuple(s + (t - s) * hi for s, t in zip(start, target)))  # type: ignore[arg-type]
