"""One look for every chart: a colour-blind-safe palette and a fixed template."""

from __future__ import annotations

# Okabe–Ito palette: distinguishable with the common forms of colour blindness.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
TEMPLATE = "plotly_white"
# Small marks (markers, thin lines) need a contrast of 3:1 against the white page (WCAG 1.4.11);
# the palette's yellow, orange, sky blue and pink do not reach it, so small marks get an outline.
MIN_CONTRAST = 3.0


def _luminance(colour: str) -> float:
    def channel(value: int) -> float:
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)


def contrast_on_white(colour: str) -> float:
    """The WCAG contrast ratio of ``colour`` (``#rrggbb``) against white."""
    return 1.05 / (_luminance(colour) + 0.05)


def outline(colour: str) -> str:
    """``colour`` darkened just enough (same hue) to reach :data:`MIN_CONTRAST` on white: the outline of
    a small marker filled with ``colour``, so light colours stay visible."""
    red, green, blue = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    factor = 1.0
    while contrast_on_white(f"#{int(red * factor):02x}{int(green * factor):02x}{int(blue * factor):02x}") < MIN_CONTRAST:
        factor -= 0.02
    return f"#{int(red * factor):02X}{int(green * factor):02X}{int(blue * factor):02X}"


def figure_layout(title: str, **extra) -> dict:
    """Layout shared by every chart: title, template, palette, readable fonts, no plotly logo."""
    return {
        "title": {"text": title, "x": 0, "xanchor": "left", "y": 0.97, "yanchor": "top"},
        "template": TEMPLATE,
        "colorway": PALETTE,
        "font": {"size": 14},
        # Legends sit in one row above the plot, under the title: below it they cover long axis labels.
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "left", "x": 0},
        "margin": {"l": 60, "r": 20, "t": 100, "b": 50},
        **extra,
    }
