"""WCAG 2 contrast, checked against the figures WCAG and its tools publish."""

from __future__ import annotations

import pytest

from calcgui.core.contrast import (
    GRAPHIC_CONTRAST, TEXT_CONTRAST, contrast_ratio, is_dark, parse_hex, relative_luminance, with_contrast,
)


def test_black_and_white_are_the_extremes() -> None:
    assert relative_luminance("#000") == 0.0
    assert relative_luminance("#FFFFFF") == pytest.approx(1.0)
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#ffffff", "#000000") == pytest.approx(21.0)  # order does not matter
    assert contrast_ratio("#0072B2", "#0072B2") == pytest.approx(1.0)


def test_published_examples() -> None:
    # WCAG's understanding doc: #777 on white just fails AA (4.48:1); #767676 is the lightest grey that passes
    assert contrast_ratio("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.005)
    assert contrast_ratio("#767676", "#FFFFFF") == pytest.approx(4.54, abs=0.005)
    # WebAIM's checker: pure red on white 4.0:1, pure blue on white 8.59:1
    assert contrast_ratio("#FF0000", "#FFFFFF") == pytest.approx(4.0, abs=0.005)
    assert contrast_ratio("#0000FF", "#FFFFFF") == pytest.approx(8.59, abs=0.005)


def test_parse_hex_accepts_short_and_long_forms_and_refuses_others() -> None:
    assert parse_hex("#abc") == (0xAA, 0xBB, 0xCC)
    assert parse_hex("0072B2") == (0x00, 0x72, 0xB2)
    with pytest.raises(ValueError, match="expected a colour"):
        parse_hex("#12345")


def test_is_dark() -> None:
    assert is_dark("#1E1E1E") and is_dark("#0072B2")
    assert not is_dark("#FFFFFF") and not is_dark("#E69F00")


@pytest.mark.parametrize("colour", ["#E69F00", "#56B4E9", "#F0E442", "#009E73", "#0072B2", "#D55E00"])
@pytest.mark.parametrize("background", ["#FFFFFF", "#1E1E1E", "#000000", "#F0F0F0"])
def test_with_contrast_reaches_the_ratio_and_changes_no_colour_that_already_does(colour: str, background: str) -> None:
    adjusted = with_contrast(colour, background)
    assert contrast_ratio(adjusted, background) >= TEXT_CONTRAST
    if contrast_ratio(colour, background) >= TEXT_CONTRAST:
        assert adjusted == colour.upper()
    assert contrast_ratio(with_contrast(colour, background, GRAPHIC_CONTRAST), background) >= GRAPHIC_CONTRAST


def test_with_contrast_keeps_the_hue() -> None:
    """Orange text on white is darkened, not turned grey: red stays the largest channel."""
    r, g, b = parse_hex(with_contrast("#E69F00", "#FFFFFF"))
    assert r > g > b
