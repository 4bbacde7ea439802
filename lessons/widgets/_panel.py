"""Pieces every widget shares: a chart with its text summary and table view, a message line, and
escaping of any data text that goes into HTML."""

from __future__ import annotations

import datetime as dt
import html

import ipywidgets as widgets
import pandas as pd

from ..i18n import _, date_text


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
        # The figure goes into the Output as state, not displayed into it (``with output: display()``):
        # displaying into an Output while a cell runs makes nbclient's stand-in for the Output send
        # messages to the kernel on the socket it awaits the cell's reply on, and one headless run in
        # about ten (nbgrader autograde, `python -m lessons key`, the tests) then waited for the whole cell
        # timeout. As state, JupyterLab redraws it on every change and nbclient sends nothing.
        self.output.outputs = ({"output_type": "display_data", "data": figure._repr_mimebundle_(), "metadata": {}},)


class Message(widgets.HTML):
    """One line of feedback: ``say(text)`` for information, ``warn(text)`` for a problem to fix."""

    def say(self, text: str) -> None:
        self.text = text
        self.value = f"<p class='lessons-message'>{escape(text)}</p>" if text else ""

    def warn(self, text: str) -> None:
        self.text = text
        self.value = f"<p class='lessons-message lessons-warning' role='alert'>⚠ {escape(text)}</p>"

    text: str = ""


# --------------------------------------------------------------------------------------------
# Static snapshots: a widget as plain HTML, for pages read without a kernel (the lesson site).
# --------------------------------------------------------------------------------------------

def _control_html(control) -> str:
    label = f"<span class='lessons-snapshot-label'>{escape(control.description)}</span> " if control.description else ""
    labels = getattr(control, "_options_labels", None)
    if labels is None:
        value = control.value
        if isinstance(value, dt.date):
            value = date_text(pd.Timestamp(value))
        return f"<p class='lessons-snapshot-control'>{label}<span>{escape(value)}</span></p>"
    chosen = control.label if isinstance(control.label, tuple) else (control.label,)
    choices = "".join(f"<li><strong>{escape(text)}</strong></li>" if text in chosen else f"<li>{escape(text)}</li>"
                      for text in labels)
    return f"<div class='lessons-snapshot-control'>{label}<ul>{choices}</ul></div>"


def _snapshot_parts(widget) -> tuple[list[str], bool]:
    """The HTML pieces of ``widget`` in display order, and whether it has controls a learner can use."""
    if isinstance(widget, ChartPanel):
        parts = []
        if widget.figure is not None:
            import plotly.io as pio

            parts.append(f"<div class='lessons-snapshot-figure'>"
                         f"{pio.to_html(widget.figure, include_plotlyjs=False, full_html=False)}</div>")
        parts.append(widget.summary.value)
        if len(widget.table):
            parts.append(f"<details class='lessons-snapshot-table'><summary>{escape(_('panel.table_view'))}</summary>"
                         f"{widget.table_html.value}</details>")
        return parts, False
    if isinstance(widget, widgets.HTML):
        return ([widget.value] if widget.value else []), False
    if isinstance(widget, widgets.Label):
        return [f"<p>{escape(widget.value)}</p>"], False
    if isinstance(widget, widgets.Button):
        return [], True
    if isinstance(widget, widgets.Output):
        return [], False  # what a bare Output shows lives in the front end only
    if isinstance(widget, (widgets.Accordion, widgets.Tab)):
        parts, interactive = [], False
        for title, child in zip(widget.titles, widget.children):
            inner, child_interactive = _snapshot_parts(child)
            parts.append(f"<details><summary>{escape(title)}</summary>{''.join(inner)}</details>")
            interactive = interactive or child_interactive
        return parts, interactive
    if isinstance(widget, widgets.Box):
        parts, interactive = [], False
        for child in widget.children:
            inner, child_interactive = _snapshot_parts(child)
            parts.extend(inner)
            interactive = interactive or child_interactive
        return parts, interactive
    if isinstance(widget, widgets.ValueWidget):
        return [_control_html(widget)], True
    return [], False


def snapshot_html(widget) -> str:
    """``widget`` as it stands, in static HTML: each chart panel's figure (plotly, drawn by plotly.js on
    the page), text summary and folded table; the text of its HTML parts; each control's label and value
    (a choice's options, the chosen one in bold); and, when it has controls, a line saying it is
    interactive in JupyterLab. Built from the very figure, summary and table the widget shows."""
    parts, interactive = _snapshot_parts(widget)
    note = f"<p class='lessons-snapshot-note'>{escape(_('snapshot.interactive'))}</p>" if interactive else ""
    return f"<div class='lessons-snapshot'>{note}{''.join(parts)}</div>"


def show_static_snapshots() -> None:
    """From now on, show every widget this kernel displays as :func:`snapshot_html` instead of a live
    view (the lesson site runs this in each lesson's kernel: a static page has no kernel to talk to)."""
    from IPython import get_ipython

    get_ipython().display_formatter.mimebundle_formatter.for_type(
        widgets.Widget, lambda widget: {"text/html": snapshot_html(widget), "text/plain": repr(widget)})
