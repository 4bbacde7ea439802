"""Pieces every widget shares: a chart with its text summary and table view, a message line, and
escaping of any data text that goes into HTML."""

from __future__ import annotations

import html

import ipywidgets as widgets
import pandas as pd

from ..i18n import _


def escape(text) -> str:
    """Data text made safe for HTML: a ``<script>`` in a CSV cell shows as text."""
    if text is None or (not isinstance(text, (list, tuple)) and pd.isna(text)):
        return ""
    return html.escape(str(text), quote=True)


def link(url, label) -> str:
    """A clickable, escaped link that opens in a new tab (only http and https addresses)."""
    if isinstance(url, str) and url.startswith(("http://", "https://")):
        return f'<a href="{escape(url)}" target="_blank" rel="noopener noreferrer">{escape(label)}</a>'
    return escape(label)


def html_table(frame: pd.DataFrame, caption: str = "") -> str:
    """A small escaped HTML table of ``frame`` (its columns as headers)."""
    head = "".join(f"<th scope='col'>{escape(column)}</th>" for column in frame.columns)
    rows = "".join("<tr>" + "".join(f"<td>{escape(value)}</td>" for value in row) + "</tr>"
                   for row in frame.itertuples(index=False))
    caption_html = f"<caption>{escape(caption)}</caption>" if caption else ""
    return (f"<table class='lessons-table'>{caption_html}<thead><tr>{head}</tr></thead>"
            f"<tbody>{rows}</tbody></table>")


def field_layout(description: str) -> widgets.Layout:
    """Room for a labelled text or number field to show its label and a whole value (about 14
    characters) side by side: without it the label takes the width and the input shrinks to a sliver."""
    return widgets.Layout(width=f"calc({len(description)}ch + 16ch)", max_width="100%")


def _in_kernel() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


class ChartPanel(widgets.VBox):
    """A figure, its text summary next to it, and a collapsible table view of its data.

    ``panel.show(figure, summary, table)`` redraws all three. The last figure, summary and table stay
    available as ``panel.figure``, ``panel.summary_text`` and ``panel.table`` so tests can read them
    without a browser.
    """

    def __init__(self):
        self.output = widgets.Output()
        self.summary = widgets.HTML()
        self.table_html = widgets.HTML()
        self.table_view = widgets.Accordion(children=[self.table_html])
        self.table_view.set_title(0, _("panel.table_view"))
        self.table_view.selected_index = None
        self.figure = None
        self.summary_text = ""
        self.table = pd.DataFrame()
        super().__init__([self.output, self.summary, self.table_view])

    def show(self, figure, summary: str, table: pd.DataFrame, caption: str = "") -> None:
        self.figure, self.summary_text, self.table = figure, summary, table
        self.summary.value = f"<p class='lessons-summary'>{escape(summary)}</p>"
        self.table_html.value = html_table(table, caption)
        if _in_kernel():
            # Outside a kernel (plain pytest) there is nowhere to draw; tests read .figure instead.
            from IPython.display import display

            self.output.clear_output(wait=True)
            with self.output:
                display(figure)


class Message(widgets.HTML):
    """One line of feedback: ``say(text)`` for information, ``warn(text)`` for a problem to fix."""

    def say(self, text: str) -> None:
        self.text = text
        self.value = f"<p class='lessons-message'>{escape(text)}</p>" if text else ""

    def warn(self, text: str) -> None:
        self.text = text
        self.value = f"<p class='lessons-message lessons-warning' role='alert'>⚠ {escape(text)}</p>"

    text: str = ""
