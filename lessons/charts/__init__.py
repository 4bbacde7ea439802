"""Charts: pure functions from data to :class:`plotly.graph_objects.Figure`.

Every chart has a sibling ``describe_*`` function returning a short text summary (what the chart
shows and its key numbers) for readers who cannot see it, and a ``*_table`` function returning the
data it draws, so widgets can show both next to the figure. Charts never import ipywidgets.
"""

from ._style import PALETTE, TEMPLATE, figure_layout

__all__ = ["PALETTE", "TEMPLATE", "figure_layout"]
