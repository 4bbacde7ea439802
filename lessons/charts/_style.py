"""One look for every chart: a colour-blind-safe palette and a fixed template."""

from __future__ import annotations

# Okabe–Ito palette: distinguishable with the common forms of colour blindness.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
TEMPLATE = "plotly_white"


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
