"""The colour tables of the themes: light, dark and high contrast.

Code names a curve colour by its light-theme Okabe & Ito value (``plot_style.BLUE``) and asks
the theme to :meth:`Theme.resolve` it, so the same "blue" is a lighter blue on a dark plot.
Text written in a curve colour goes through :meth:`Theme.ink`, which darkens or lightens it
until it reads at WCAG AA (4.5:1) on the window. Tests check every table against those ratios.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from calcgui.core.contrast import TEXT_CONTRAST, with_contrast

#: The names of the curve colours, in the order of Okabe & Ito's palette (plus a dark yellow).
CURVE_NAMES = ("blue", "vermillion", "green", "orange", "sky", "purple", "yellow", "grey", "ochre")

#: Okabe & Ito's palette, distinguishable with every common colour-vision deficiency: the
#: light theme's curves, and the names code uses for a colour.
OKABE_ITO = {
    "blue": "#0072B2", "vermillion": "#D55E00", "green": "#009E73", "orange": "#E69F00",
    "sky": "#56B4E9", "purple": "#CC79A7", "yellow": "#F0E442", "grey": "#7F7F7F", "ochre": "#8C6D00",
}


@dataclass(frozen=True)
class Theme:
    """Every colour the app draws with, as ``#RRGGBB`` (fills that show the plot through
    them are ``(r, g, b, alpha)``)."""

    name: str
    dark: bool
    window: str            # behind labels and panels
    surface: str           # inside boxes, lists, tables
    text: str
    muted: str             # secondary sentences
    accent: str            # selection, links, focus
    warning: str           # text of a warning
    warning_background: str
    error: str             # text of an error, the border of a box with an error
    error_mark: str        # behind the character an error points at
    best: str              # behind the best cell of a table
    plot_background: str
    plot_foreground: str   # axes, tick labels, marker outlines
    grid: str
    label_fill: tuple[int, int, int, int]  # behind text drawn on a plot
    curves: dict[str, str] = field(default_factory=dict)

    def curve(self, name: str) -> str:
        return self.curves[name]

    def resolve(self, colour: str) -> str:
        """This theme's version of ``colour``: an Okabe & Ito value becomes the theme's curve
        of that name, "k" / "w" the plot's foreground / background; others are kept."""
        key = colour.upper() if isinstance(colour, str) else colour
        for name, value in OKABE_ITO.items():
            if value == key:
                return self.curves[name]
        if colour == "k":
            return self.plot_foreground
        if colour == "w":
            return self.plot_background
        return colour

    def ink(self, colour: str) -> str:
        """``colour`` (resolved) as text: adjusted to reach 4.5:1 on the window and the surface."""
        return with_contrast(with_contrast(self.resolve(colour), self.window, TEXT_CONTRAST),
                             self.surface, TEXT_CONTRAST)

    def plot_ink(self, colour: str) -> str:
        """``colour`` as text drawn on the plot's background."""
        return with_contrast(self.resolve(colour), self.plot_background, TEXT_CONTRAST)


LIGHT = Theme(
    name="light", dark=False,
    window="#EFEFEF", surface="#FFFFFF", text="#111111", muted="#404040", accent="#0063A0",
    warning="#7A4200", warning_background="#FFF4DC", error="#A93226", error_mark="#F5B7B1",
    best="#FCE8B2", plot_background="#FFFFFF", plot_foreground="#000000", grid="#000000",
    label_fill=(255, 255, 255, 220), curves=dict(OKABE_ITO),
)

DARK = Theme(
    name="dark", dark=True,
    window="#2B2B2B", surface="#1F1F1F", text="#E8E8E8", muted="#BDBDBD", accent="#5AB0F0",
    warning="#FFCB6B", warning_background="#3D3020", error="#FF8A80", error_mark="#7A2A24",
    best="#5A4A1A", plot_background="#1A1A1A", plot_foreground="#DADADA", grid="#DADADA",
    label_fill=(26, 26, 26, 220),
    curves={"blue": "#56A8E8", "vermillion": "#FF7A33", "green": "#2FC59A", "orange": "#E69F00",
            "sky": "#8FD0F5", "purple": "#E08DC0", "yellow": "#F0E442", "grey": "#A8A8A8",
            "ochre": "#C8A43A"},
)

HIGH_CONTRAST = Theme(
    name="high-contrast", dark=True,
    window="#000000", surface="#000000", text="#FFFFFF", muted="#F0F0F0", accent="#FFD700",
    warning="#FFD700", warning_background="#000000", error="#FF9E9E", error_mark="#8B0000",
    best="#5A4A00", plot_background="#000000", plot_foreground="#FFFFFF", grid="#FFFFFF",
    label_fill=(0, 0, 0, 235),
    curves={"blue": "#6CC4FF", "vermillion": "#FF8C42", "green": "#3DEBAA", "orange": "#FFC233",
            "sky": "#A8E0FF", "purple": "#FFA3DA", "yellow": "#FFF35C", "grey": "#D0D0D0",
            "ochre": "#E8C85A"},
)

THEMES = {theme.name: theme for theme in (LIGHT, DARK, HIGH_CONTRAST)}
#: What the user may choose: "system" follows the desktop (light or dark).
THEME_NAMES = ("system", "light", "dark", "high-contrast")
