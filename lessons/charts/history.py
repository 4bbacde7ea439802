"""Charts of OpenAI's governance history: the timeline of events, the control structure on a date,
the board's seats over time, and who owns what.

Every chart is a pure function (DataFrames and values in, :class:`plotly.graph_objects.Figure` out,
no I/O) with two siblings: ``describe_*`` (a text summary in the current language, for readers who
cannot see the chart) and ``*_table`` (the data drawn, with readable column names). The small data
helpers here (``filter_events``, ``layered_layout``, ``board_members``...) take DataFrames from
:mod:`lessons.data` and are pure too, so the widgets in :mod:`lessons.widgets.history` stay thin.

Figures are built from plain dicts without plotly's (slow) validation, so that a widget redraws in a
few milliseconds; the tests check every figure against plotly's schema.
"""

from __future__ import annotations

import functools
import html
import math

import pandas as pd
import plotly.graph_objects as go

from ..i18n import _, column, date_text, get_language, money, percent
from ._style import PALETTE, TEMPLATE, figure_layout, outline

__all__ = [
    "CATEGORIES", "STATUSES", "ROLES", "NONPROFITS",
    "latest_date", "categories_in", "category_label", "status_label", "role_label", "basis_label", "count_text",
    "prepare_events", "filter_events", "timeline", "describe_timeline", "timeline_table",
    "nonprofit_id", "layered_layout", "structure_diagram", "describe_structure_diagram", "structure_diagram_table",
    "board_members", "board_bars", "describe_board_bars", "board_bars_table",
    "ownership_bars", "describe_ownership_bars", "ownership_bars_table",
]

CATEGORIES = ("founding", "structure", "funding", "board", "litigation", "bid", "regulation", "product", "context")
STATUSES = ("confirmed", "reported", "disputed")
ROLES = ("chair", "director", "observer")
# The nonprofit at the top of the structure: OpenAI, Inc., renamed OpenAI Foundation on 28 October 2025.
NONPROFITS = ("openai-inc", "openai-foundation")
RENAMED_ON = pd.Timestamp("2025-10-28")

_STATUS_SYMBOLS = {"confirmed": "circle", "reported": "circle-open", "disputed": "x"}
_ROLE_COLOURS = {"director": PALETTE[0], "chair": PALETTE[1], "observer": PALETTE[2]}
_RELATION_COLOURS = {"controls": PALETTE[3], "manages": PALETTE[0], "owns": PALETTE[2], "invested in": PALETTE[1],
                     "renamed to": PALETTE[7]}
_DAY_MS = 86_400_000


# --------------------------------------------------------------------------------------------
# Shared pieces.
# --------------------------------------------------------------------------------------------

@functools.cache
def _template() -> dict:
    import plotly.io as pio

    return pio.templates[TEMPLATE].to_plotly_json()


def _figure(data: list[dict], layout: dict) -> go.Figure:
    """A figure from plain dicts, skipping plotly's validation (checked once, in the tests)."""
    layout = {**layout, "template": _template()}
    try:
        return go.Figure(data=data, layout=layout, _validate=False)
    except TypeError:  # a plotly without the private switch: validate instead (slower)
        return go.Figure(data=data, layout=layout)


def _plain(text) -> str:
    """Data text for a plotly label: plotly draws a few HTML tags, so escape < > & (keep quotes)."""
    if text is None or (not isinstance(text, (list, tuple)) and pd.isna(text)):
        return ""
    return html.escape(str(text), quote=False)


def _text(value) -> str:
    return "" if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)) else str(value)


def _records(frame: pd.DataFrame, columns) -> list[dict]:
    """Rows of ``frame`` as dicts of the ``columns`` it has (faster than ``to_dict`` on small frames)."""
    columns = [c for c in columns if c in frame.columns]
    return [dict(zip(columns, values)) for values in zip(*(frame[c].tolist() for c in columns))]


def _iso(date) -> str:
    return pd.Timestamp(date).strftime("%Y-%m-%d")


def _when(date, precision) -> str:
    if date is None or pd.isna(date):
        return ""
    precision = precision if isinstance(precision, str) and precision in ("day", "month", "year") else "day"
    return date_text(pd.Timestamp(date), precision)


def _period_end(date, precision) -> pd.Timestamp:
    date = pd.Timestamp(date)
    if precision == "year":
        return date + pd.offsets.YearEnd(0)
    if precision == "month":
        return date + pd.offsets.MonthEnd(0)
    return date


def _mark(mark: str) -> str:
    """``": "`` or ``"; "``, with the non-breaking space French puts before them."""
    return f"\u00a0{mark} " if get_language() == "fr" else f"{mark} "


def _share(share) -> str:
    if share is None or pd.isna(share):
        return ""
    share = float(share)
    return percent(share, 0 if math.isclose(share * 100, round(share * 100), abs_tol=1e-9) else 1)


def _wrap(text: str, width: int = 20) -> str:
    """Data text for a plotly label, escaped and broken into lines of about ``width`` characters."""
    lines, line = [], ""
    for word in str(text).split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return "<br>".join(_plain(part) for part in lines)


def _empty_figure(title: str, message: str) -> go.Figure:
    layout = figure_layout(title, xaxis={"visible": False}, yaxis={"visible": False},
                           annotations=[{"text": _plain(message), "showarrow": False, "xref": "paper",
                                         "yref": "paper", "x": 0.5, "y": 0.5, "font": {"size": 16}}])
    return _figure([], layout)


def category_label(category) -> str:
    """A category of events in the current language (its id if there is no label for it)."""
    try:
        return _(f"timeline.category.{category}")
    except KeyError:
        return str(category)


def status_label(status) -> str:
    """``confirmed`` / ``reported`` / ``disputed`` in the current language."""
    try:
        return _(f"timeline.status.{status}")
    except KeyError:
        return str(status)


def role_label(role) -> str:
    """A board role (``director``, ``chair``, ``observer``) in the current language."""
    try:
        return _(f"board.role.{role}")
    except KeyError:
        return str(role)


def basis_label(basis) -> str:
    """An ownership basis (``as-converted diluted``, ``reported profit share``) in the current language."""
    key = str(basis).replace("-", "_").replace(" ", "_")
    try:
        return _(f"ownership.basis.{key}")
    except KeyError:
        return str(basis)


_DATE_COLUMNS = {
    "events": [("date", "date_precision")],
    "structure": [("valid_from", "valid_from_precision"), ("valid_to", "valid_to_precision")],
    "board_seats": [("start", "start_precision"), ("end", "end_precision")],
    "ownership": [("as_of", "as_of_precision")],
}


def latest_date(tables: dict[str, pd.DataFrame]) -> pd.Timestamp | None:
    """The last day any dated row of ``tables`` reaches (``{"events": events(), ...}``; the tables
    ``events``, ``structure``, ``board_seats`` and ``ownership`` are read, others ignored)."""
    latest = []
    for name, frame in tables.items():
        for date_column, precision_column in _DATE_COLUMNS.get(name, []):
            if date_column in frame.columns and len(frame):
                ends = [_period_end(d, p) for d, p in zip(frame[date_column].tolist(),
                                                          frame[precision_column].tolist()) if not pd.isna(d)]
                latest += ends
    return max(latest) if latest else None


# --------------------------------------------------------------------------------------------
# 1. Timeline of events.
# --------------------------------------------------------------------------------------------

def prepare_events(events: pd.DataFrame) -> pd.DataFrame:
    """Events with what filtering needs computed once: ``period_end`` and lower-case search text.

    Adds ``period_end`` (the last day of the period ``date`` names) and ``search_en``/``search_fr``
    (title and summary, case-folded). Rows are sorted by date.
    """
    frame = events.sort_values(["date", "id"], kind="stable").reset_index(drop=True)
    precision = frame["date_precision"].astype("string")
    frame["period_end"] = frame["date"].where(
        precision == "day",
        (frame["date"] + pd.offsets.MonthEnd(0)).where(precision == "month", frame["date"] + pd.offsets.YearEnd(0)))
    for language in ("en", "fr"):
        title = frame.get(f"title_{language}", pd.Series("", index=frame.index)).fillna("").astype(str)
        summary = frame.get(f"summary_{language}", pd.Series("", index=frame.index)).fillna("").astype(str)
        frame[f"search_{language}"] = (title + "\n" + summary).str.casefold()
    return frame


def filter_events(events: pd.DataFrame, *, start=None, end=None, categories=None, statuses=None,
                  search: str = "") -> pd.DataFrame:
    """The events that match every filter given.

    An event counts as in the date range when its period (a day, month or year) overlaps
    ``[start, end]``. ``categories`` and ``statuses`` are collections of ids (``None`` means all).
    ``search`` matches title or summary in the current language, ignoring case (plain text, not a
    pattern).
    """
    frame = events if "period_end" in events.columns else prepare_events(events)
    keep = pd.Series(True, index=frame.index)
    if start is not None:
        keep &= frame["period_end"] >= pd.Timestamp(start)
    if end is not None:
        keep &= frame["date"] <= pd.Timestamp(end)
    if categories is not None:
        keep &= frame["category"].astype("string").isin(list(categories)).fillna(False)
    if statuses is not None:
        keep &= frame["status"].astype("string").isin(list(statuses)).fillna(False)
    text = (search or "").strip().casefold()
    if text:
        keep &= frame[f"search_{get_language()}"].str.contains(text, regex=False)
    return frame[keep.astype(bool)]


def categories_in(events: pd.DataFrame) -> list[str]:
    """The categories present in ``events``: the documented ones in their order, then any other."""
    present = [str(c) for c in pd.unique(events["category"].dropna().astype(str))]
    return [c for c in CATEGORIES if c in present] + sorted(c for c in present if c not in CATEGORIES)


def timeline(events: pd.DataFrame, *, title: str | None = None) -> go.Figure:
    """Events as markers on a date axis, one lane (and one trace) per category.

    Marker colour: the category; marker shape: the status (filled circle confirmed, open circle
    reported, cross disputed). Hover: title and date at its precision.
    """
    title = title or _("timeline.title")
    if events.empty:
        return _empty_figure(title, _("timeline.no_match"))
    title_column = column("title")
    records = _records(events, ["id", "date", "date_precision", title_column, "category", "status"])
    by_category: dict[str, list[dict]] = {}
    for record in records:
        by_category.setdefault(str(record["category"]), []).append(record)
    data, lanes = [], []
    for index, category in enumerate(categories_in(events)):
        rows = by_category.get(category, [])
        lane = category_label(category)
        lanes.append(lane)
        colour = PALETTE[index % len(PALETTE)]
        symbols = [_STATUS_SYMBOLS.get(str(r["status"]), "circle") for r in rows]
        data.append({
            "type": "scatter", "mode": "markers", "name": _plain(lane),
            "x": [r["date"].strftime("%Y-%m-%d") for r in rows], "y": [lane] * len(rows),
            "customdata": [str(r["id"]) for r in rows],
            "hovertext": [f"<b>{_plain(r[title_column])}</b><br>{_plain(_when(r['date'], r['date_precision']))}"
                          f"<br>{_plain(status_label(r['status']))}" for r in rows],
            "hovertemplate": "%{hovertext}<extra></extra>",
            # An open symbol is drawn in the marker colour alone: it takes the outline colour.
            "marker": {"color": [outline(colour) if symbol.endswith("-open") else colour for symbol in symbols],
                       "size": 13, "opacity": 0.85, "line": {"width": 2, "color": outline(colour)},
                       "symbol": symbols},
        })
    layout = figure_layout(
        title, showlegend=False, hovermode="closest", height=max(260, 70 + 45 * len(lanes)),
        xaxis={"type": "date", "title": {"text": _("timeline.x_axis")}},
        yaxis={"type": "category", "categoryorder": "array", "categoryarray": lanes[::-1],
               "automargin": True})
    return _figure(data, layout)


def describe_timeline(events: pd.DataFrame) -> str:
    """What :func:`timeline` shows: how many events, the first and last, the count per category."""
    if events.empty:
        return _("timeline.describe_empty")
    first, last = events.iloc[0], events.iloc[-1]
    tally = events["category"].astype(str).value_counts()
    counts = ", ".join(f"{category_label(c)} {int(tally.get(c, 0))}" for c in categories_in(events))
    text = " ".join([
        count_text(len(events)) + ".",
        _("timeline.describe_range", first=_when(first["date"], first["date_precision"]),
          last=_when(last["date"], last["date_precision"])),
        _("timeline.describe_categories", counts=counts),
    ])
    uncertain = int(events["status"].astype(str).isin(["reported", "disputed"]).sum())
    if uncertain:
        text += " " + _("timeline.describe_uncertain", n=uncertain)
    return text


def timeline_table(events: pd.DataFrame) -> pd.DataFrame:
    """The events drawn by :func:`timeline`: date at its precision, title, category and status."""
    return pd.DataFrame({
        _("timeline.col.date"): [_when(d, p) for d, p in zip(events["date"], events["date_precision"])],
        _("timeline.col.title"): [_text(t) for t in events[column("title")]],
        _("timeline.col.category"): [category_label(c) for c in events["category"]],
        _("timeline.col.status"): [status_label(s) for s in events["status"]],
    })


def count_text(n: int) -> str:
    """``N events shown`` in the current language (singular for one, and for zero in French)."""
    one = n == 1 or (n == 0 and get_language() == "fr")
    return _("timeline.count_one" if one else "timeline.count_many", n=n)


# --------------------------------------------------------------------------------------------
# 2. Governance structure on a date.
# --------------------------------------------------------------------------------------------

def nonprofit_id(edges: pd.DataFrame, date) -> str:
    """The id of OpenAI's nonprofit on ``date``: the one the edges in force name, else by date."""
    named = set(edges["from_id"].astype(str)) | set(edges["to_id"].astype(str)) if len(edges) else set()
    if "openai-foundation" in named:
        return "openai-foundation"
    if "openai-inc" in named:
        return "openai-inc"
    return NONPROFITS[1] if pd.Timestamp(date) >= RENAMED_ON else NONPROFITS[0]


def layered_layout(nodes, links, *, first: str | None = None) -> dict[str, tuple[float, float]]:
    """Positions for a layered drawing: every link goes from a row to a lower row.

    ``nodes``: ids; ``links``: ``(controller, controlled)`` pairs. A node with no incoming link sits
    on row 0 (``y = 0``); any other node one row below its lowest controller (cycles are cut).
    Within a row, nodes are spaced one unit apart, placed under their controllers where possible;
    ``first`` (e.g. the nonprofit) is put first on the top row. Deterministic: the same input gives
    the same picture.
    """
    nodes = list(dict.fromkeys(str(n) for n in nodes))
    links = [(str(a), str(b)) for a, b in links if str(a) != str(b)]
    for a, b in links:
        for n in (a, b):
            if n not in nodes:
                nodes.append(n)
    layer = {n: 0 for n in nodes}
    for _round in range(len(nodes)):  # longest-path layering, at most len(nodes) passes
        changed = False
        for a, b in links:
            if layer[b] < layer[a] + 1 and layer[a] + 1 < len(nodes):
                layer[b] = layer[a] + 1
                changed = True
        if not changed:
            break
    parents: dict[str, list[str]] = {n: [] for n in nodes}
    for a, b in links:
        if layer[a] < layer[b]:
            parents[b].append(a)
    position: dict[str, tuple[float, float]] = {}
    for row in range(max(layer.values(), default=-1) + 1):
        members = [n for n in nodes if layer[n] == row]
        if row == 0:
            ordered = sorted(members, key=lambda n: (n != first, n))
            start = -(len(ordered) - 1) / 2
            wanted = {n: start + i for i, n in enumerate(ordered)}
        else:
            wanted = {n: (sum(position[p][0] for p in parents[n]) / len(parents[n])) if parents[n] else 0.0
                      for n in members}
            ordered = sorted(members, key=lambda n: (wanted[n], n))
        xs: list[float] = []
        for n in ordered:  # keep one unit between neighbours, then re-centre on the wanted places
            xs.append(max(wanted[n], xs[-1] + 1) if xs else wanted[n])
        shift = (sum(wanted[n] for n in ordered) - sum(xs)) / len(xs) if xs else 0
        for n, x in zip(ordered, xs):
            position[n] = (round(x + shift, 6), float(-row))
    return position


def _names(nodes: pd.DataFrame) -> dict[str, str]:
    if nodes is None or nodes.empty:
        return {}
    return {str(i): _text(n) or str(i) for i, n in zip(nodes["id"], nodes["name"])}


def _edge_rows(edges: pd.DataFrame, names: dict[str, str]) -> list[dict]:
    label_column = column("label")
    rows = []
    for edge in _records(edges, ["from_id", "to_id", "relation", label_column, "share", "status", "valid_from",
                                 "valid_from_precision"]):
        share = _share(edge.get("share"))
        label = _text(edge.get(label_column))
        if share and share.replace("\u00a0", " ") not in label.replace("\u00a0", " ").replace("~", ""):
            label = f"{label} ({share})" if label else share
        rows.append({"from": str(edge["from_id"]), "to": str(edge["to_id"]), "relation": str(edge["relation"]),
                     "label": label, "share": share, "status": str(edge["status"]),
                     "from_name": names.get(str(edge["from_id"]), str(edge["from_id"])),
                     "to_name": names.get(str(edge["to_id"]), str(edge["to_id"])),
                     "since": _when(edge["valid_from"], edge["valid_from_precision"])})
    return rows


def structure_diagram(edges: pd.DataFrame, nodes: pd.DataFrame, board: pd.DataFrame, *, date=None,
                      nonprofit: str | None = None) -> go.Figure:
    """Who controls whom: organisations as labelled nodes, controllers drawn above what they control.

    ``edges``: rows of :func:`lessons.data.structure_on`; ``nodes``: :func:`lessons.data.organisations`
    (``id``, ``name``); ``board``: rows of :func:`lessons.data.board_on` for the nonprofit (shown when
    hovering the nonprofit). ``date``: the day drawn (for the title). The nonprofit is always drawn,
    even when no edge is in force. Edges are lines with an arrowhead and a label (share as %), one
    trace per relation; reported or disputed edges are dashed.
    """
    date = pd.Timestamp(date) if date is not None else None
    nonprofit = nonprofit or nonprofit_id(edges, date if date is not None else RENAMED_ON - pd.Timedelta(days=1))
    names = _names(nodes)
    rows = _edge_rows(edges, names)
    ids = [nonprofit] + [r["from"] for r in rows] + [r["to"] for r in rows]
    position = layered_layout(ids, [(r["from"], r["to"]) for r in rows], first=nonprofit)
    data = []
    pairs: dict[tuple[str, str], list[dict]] = {}
    for r in rows:
        pairs.setdefault((r["from"], r["to"]), []).append(r)
    relations = [rel for rel in _RELATION_COLOURS if any(r["relation"] == rel for r in rows)]
    relations += sorted({r["relation"] for r in rows} - set(relations))
    dashes = {"confirmed": "solid", "reported": "dash", "disputed": "dot"}
    for relation in relations:
        for status in [*STATUSES, *sorted({r["status"] for r in rows} - set(STATUSES))]:
            xs, ys, sizes = [], [], []
            for (a, b), group in pairs.items():
                lead = group[0]
                if lead["relation"] != relation or lead["status"] != status:
                    continue
                (x0, y0), (x1, y1) = position[a], position[b]
                xs += [x0, x0 + 0.72 * (x1 - x0), x1, None]
                ys += [y0, y0 + 0.72 * (y1 - y0), y1, None]
                sizes += [0, 14, 0, 0]
            if not xs:
                continue
            key = relation.replace(" ", "_")
            name = _(f"structure.relation.{key}") if relation in _RELATION_COLOURS else relation
            if status != "confirmed":
                name += f" ({status_label(status)})"
            colour = _RELATION_COLOURS.get(relation, PALETTE[4])
            data.append({"type": "scatter", "mode": "lines+markers", "name": _plain(name), "x": xs, "y": ys,
                         "hoverinfo": "skip",
                         "line": {"color": colour, "width": 2.5, "dash": dashes.get(status, "dash")},
                         "marker": {"symbol": "arrow", "angleref": "previous", "size": sizes, "color": colour}})
    edge_labels = []
    if pairs:
        label_x, label_y, label_text, label_hover = [], [], [], []
        for (a, b), group in pairs.items():
            (x0, y0), (x1, y1) = position[a], position[b]
            span = max(y0 - y1, 1)  # rows crossed; the label sits in the first gap (the last one for long links)
            along = 0.38 if span == 1 else (span - 0.62) / span
            label_x.append(x0 + along * (x1 - x0))
            label_y.append(y0 + along * (y1 - y0))
            label_text.append(" · ".join(r["label"] for r in group))
            label_hover.append("<br>".join(
                f"{_plain(r['from_name'])} → {_plain(r['to_name'])}{_mark(':')}{_plain(r['label'])}"
                f" ({_plain(status_label(r['status']))}, {_plain(_('structure.since', date=r['since']))})"
                for r in group))
        # Invisible points carry the hover text; the visible labels are boxed annotations.
        data.append({"type": "scatter", "mode": "markers", "name": _plain(_("structure.edge_labels")),
                     "x": label_x, "y": label_y, "text": [_plain(t) for t in label_text],
                     "marker": {"size": 18, "opacity": 0}, "showlegend": False,
                     "hovertext": label_hover, "hovertemplate": "%{hovertext}<extra></extra>"})
        edge_labels = [{"x": x, "y": y, "text": _wrap(text), "showarrow": False,
                        "font": {"size": 11, "color": "#333333"}, "bgcolor": "rgba(255,255,255,0.9)", "borderpad": 2}
                       for x, y, text in zip(label_x, label_y, label_text)]
    node_ids = list(position)
    members = board_members(board) if board is not None else board_members(None)
    board_hover = "<br>".join(_plain(_member_text(n, r, c)) for n, r, c in
                              zip(members["name"], members["roles"], members["certain"]))
    possible = int((~members["certain"].astype(bool)).sum())
    hover = []
    for n in node_ids:
        text = f"<b>{_plain(names.get(n, n))}</b>"
        if n == nonprofit:
            text += "<br>" + _plain(_("structure.board_hover", n=len(members) - possible))
            if possible:
                text += "<br>" + _plain(_("structure.board_hover_possible", n=possible))
            if board_hover:
                text += "<br>" + board_hover
        hover.append(text)
    bottom = min(p[1] for p in position.values())
    children: dict[str, list[float]] = {}
    for a, b in pairs:
        children.setdefault(a, []).append(position[b][0] - position[a][0])

    def text_position(n):  # keep a node's name off the lines that leave it
        y = position[n][1]
        if y == 0:
            return "top center"
        if y == bottom or n not in children:
            return "bottom center"
        return "middle left" if sum(children[n]) >= 0 else "middle right"

    data.append({"type": "scatter", "mode": "markers+text", "name": _plain(_("structure.organisations")),
                 "x": [position[n][0] for n in node_ids], "y": [position[n][1] for n in node_ids],
                 "text": [_plain(names.get(n, n)) for n in node_ids],
                 "textposition": [text_position(n) for n in node_ids],
                 "customdata": node_ids, "hovertext": hover, "hovertemplate": "%{hovertext}<extra></extra>",
                 "showlegend": False,
                 "marker": {"symbol": "square", "size": 24, "line": {"width": 1, "color": "#333333"},
                            "color": [PALETTE[2] if n == nonprofit else PALETTE[5] for n in node_ids]}})
    xs = [p[0] for p in position.values()]
    rows_count = int(-bottom) + 1
    title = _("structure.title", month=date_text(date, "month")) if date is not None else _("structure.title_plain")
    annotations = edge_labels
    if not rows:
        annotations.append({"text": _plain(_("structure.nonprofit_alone", nonprofit=names.get(nonprofit, nonprofit))),
                            "showarrow": False, "xref": "paper", "yref": "paper", "x": 0.5, "y": 0.05,
                            "font": {"size": 13}})
    layout = figure_layout(
        title, hovermode="closest", height=max(320, 150 + 130 * rows_count),
        legend={"orientation": "h", "y": -0.05},
        xaxis={"visible": False, "range": [min(xs) - 0.95, max(xs) + 0.95]},
        yaxis={"visible": False, "range": [-(rows_count - 1) - 0.45, 0.45]},
        annotations=annotations)
    return _figure(data, layout)


def describe_structure_diagram(edges: pd.DataFrame, nodes: pd.DataFrame, board: pd.DataFrame, *, date=None,
                               nonprofit: str | None = None) -> str:
    """What :func:`structure_diagram` shows: each link in words, then who sat on the board."""
    date = pd.Timestamp(date) if date is not None else None
    nonprofit = nonprofit or nonprofit_id(edges, date if date is not None else RENAMED_ON - pd.Timedelta(days=1))
    names = _names(nodes)
    rows = _edge_rows(edges, names)
    when = date_text(date, "month") if date is not None else ""
    if rows:
        links = _mark(";").join(f"{r['from_name']} → {r['to_name']}{_mark(':')}{r['label']}"
                                + (f" [{status_label(r['status'])}]" if r["status"] != "confirmed" else "")
                                for r in rows)
        text = _("structure.describe", month=when, links=links)
    else:
        text = _("structure.describe_alone", month=when, nonprofit=names.get(nonprofit, nonprofit))
    text += " " + _("structure.layout_note_status")
    members = board_members(board) if board is not None else board_members(None)
    if len(members):
        people = _mark(";").join(_member_text(n, r, c) for n, r, c in
                                 zip(members["name"], members["roles"], members["certain"]))
        possible = int((~members["certain"].astype(bool)).sum())
        text += " " + _("structure.describe_board_of", nonprofit=names.get(nonprofit, nonprofit),
                        n=len(members) - possible, members=people)
        if possible:
            text += " " + _("structure.describe_board_possible", n=possible)
    else:
        text += " " + _("structure.board_empty")
    return text


def _member_text(name: str, roles: str, certain) -> str:
    """``Name (roles)``, saying when the holder was only possibly on the board that day."""
    return f"{name} ({roles})" if bool(certain) else f"{name} ({roles}, {_('board.possibly')})"


def structure_diagram_table(edges: pd.DataFrame, nodes: pd.DataFrame) -> pd.DataFrame:
    """The links drawn by :func:`structure_diagram`: from, to, label, share, since, status."""
    rows = _edge_rows(edges, _names(nodes))
    return pd.DataFrame({
        _("structure.col.from"): [r["from_name"] for r in rows],
        _("structure.col.to"): [r["to_name"] for r in rows],
        _("structure.col.relation"): [r["label"] for r in rows],
        _("structure.col.share"): [r["share"] for r in rows],
        _("structure.col.since"): [r["since"] for r in rows],
        _("structure.col.status"): [status_label(r["status"]) for r in rows],
    })


# --------------------------------------------------------------------------------------------
# 3. Board seats over time.
# --------------------------------------------------------------------------------------------

def _in_french_day(text: str, precision) -> str:
    # French puts an article before a day in a range ("entre le 22 et ..."), not before a month or a year.
    return f"le {text}" if get_language() == "fr" and precision == "day" else text


def _range_text(first, first_precision, last=None, last_precision=None) -> str:
    """A date known to a day, a month, a year, or only as a range: ``March 2017``, ``2018 or 2019``,
    ``between 22 November 2023 and 29 November 2023``."""
    if last is None or pd.isna(last):
        return _when(first, first_precision)
    if first_precision == last_precision == "year" and pd.Timestamp(last).year - pd.Timestamp(first).year == 1:
        return _("board.range_or", first=_when(first, first_precision), last=_when(last, last_precision))
    return _("board.range_between", first=_in_french_day(_when(first, first_precision), first_precision),
             last=_in_french_day(_when(last, last_precision), last_precision))


def _seat_texts(seat: dict) -> tuple[str, str]:
    """The start and the end of a seat as a learner reads them (the end is empty while it is held)."""
    start = _range_text(seat["start"], _text(seat["start_precision"]), seat.get("start_latest"),
                        _text(seat.get("start_latest_precision")))
    if pd.isna(seat["end"]):
        return start, ""
    end = (_range_text(seat["end_earliest"], _text(seat["end_earliest_precision"]), seat["end"],
                       _text(seat["end_precision"]))
           if not pd.isna(seat.get("end_earliest")) else _when(seat["end"], _text(seat["end_precision"])))
    return start, end


_SEAT_COLUMNS = ["id", "holder_id", "name", "organisation", "organisation_id", "role", "start", "start_precision",
                 "start_latest", "start_latest_precision", "end_earliest", "end_earliest_precision", "end",
                 "end_precision", "status", "certain"]


def board_members(board: pd.DataFrame) -> pd.DataFrame:
    """One row per person (or organisation) on a board, from rows of :func:`lessons.data.board_on`.

    Columns: ``holder_id``, ``name``, ``roles`` (labels, joined), ``certain`` (every seat of the holder
    surely held that day), ``note`` (empty, or says that the holder was only possibly on the board
    that day, with the start and end as the sources give them). Chairs first, then directors, then
    observers; by name within each; holders only possibly on the board come after the others.
    """
    columns = ["holder_id", "name", "roles", "certain", "note"]
    if board is None or board.empty:
        return pd.DataFrame(columns=columns)
    order = {role: i for i, role in enumerate(ROLES)}
    holders: dict[str, list[dict]] = {}
    for seat in _records(board, _SEAT_COLUMNS):
        holders.setdefault(str(seat["holder_id"]), []).append(seat)
    out = []
    for holder, seats in holders.items():
        roles = sorted(dict.fromkeys(str(seat["role"]) for seat in seats), key=lambda r: order.get(r, len(order)))
        certain = all(bool(seat.get("certain", True)) for seat in seats)
        notes = []
        for seat in seats:
            if bool(seat.get("certain", True)):
                continue
            prefix = f"{role_label(seat['role'])}, " if len(roles) > 1 else ""
            start, end = _seat_texts(seat)
            notes.append(prefix + (_("board.possible_note", start=start, end=end) if end
                                   else _("board.possible_note_open", start=start)))
        name = _text(seats[0].get("name")) or holder
        out.append(((not certain, min(order.get(r, len(order)) for r in roles), name), holder, name,
                    ", ".join(role_label(r) for r in roles), certain, _mark(";").join(dict.fromkeys(notes))))
    out.sort(key=lambda row: row[0])
    return pd.DataFrame([row[1:] for row in out], columns=columns)


def _seat_rows(seats: pd.DataFrame, until) -> list[dict]:
    from ..data import seat_periods  # the one place that turns partial dates into certain and possible days

    until = pd.Timestamp(until)
    order = {role: i for i, role in enumerate(ROLES)}
    periods = seat_periods(seats)
    records = _records(seats, _SEAT_COLUMNS)
    first_start: dict[str, pd.Timestamp] = {}
    for seat in records:
        holder = str(seat["holder_id"])
        first_start[holder] = min(first_start.get(holder, seat["start"]), seat["start"])
    rows = []
    for seat, bounds in zip(records, periods.itertuples(index=False)):
        holder = str(seat["holder_id"])
        name = _text(seat.get("name")) or holder
        is_open = pd.isna(seat["end"])
        possible_to = max(until, bounds.possible_from) if is_open else bounds.possible_to
        certain_to = possible_to if pd.isna(bounds.certain_to) else bounds.certain_to
        start_text, end_text = _seat_texts(seat)
        organisation = str(seat.get("organisation_id", ""))
        rows.append({
            "id": str(seat["id"]), "holder_id": holder, "name": name, "role": str(seat["role"]),
            "board": "" if organisation in NONPROFITS or not organisation else (
                _text(seat.get("organisation")) or organisation),
            "start": bounds.possible_from, "last": possible_to, "open": is_open,
            "certain_from": bounds.certain_from, "certain_to": certain_to,
            "uncertain": bounds.possible_from < bounds.certain_from or certain_to < possible_to,
            "start_text": start_text, "end_text": end_text, "status": str(seat["status"]),
            "_order": (organisation not in NONPROFITS, first_start[holder], name, order.get(str(seat["role"]), 9),
                       bounds.possible_from),
        })
    rows.sort(key=lambda r: r["_order"])
    return rows


def _segments(row: dict) -> list[tuple[bool, pd.Timestamp, pd.Timestamp]]:
    """``(certain, first day, last day)`` stretches of a seat: possible, certain, possible."""
    day = pd.Timedelta(days=1)
    first, last, certain_from, certain_to = row["start"], row["last"], row["certain_from"], row["certain_to"]
    if certain_from > certain_to:
        return [(False, first, last)]
    segments = [(False, first, certain_from - day)] if first < certain_from else []
    segments.append((True, certain_from, certain_to))
    if certain_to < last:
        segments.append((False, certain_to + day, last))
    return segments


def _row_label(row: dict) -> str:
    label = f"{row['name']} · {role_label(row['role'])}"
    return f"{label} · {row['board']}" if row["board"] else label


def board_bars(seats: pd.DataFrame, date=None, *, until=None) -> go.Figure:
    """Board seats as horizontal bars over time, one row per holder and role, coloured by role.

    ``seats``: rows of :func:`lessons.data.board_seats` with a ``name`` column (and, for seats on
    another board than the nonprofit's, an ``organisation`` column of names used in the row label);
    ``date``: where to draw the cursor (a vertical line); ``until``: where open-ended seats stop (by
    default the latest date in ``seats``). A seat counts on its start and end days. Where the sources
    give a start or an end only to a month, a year or a range, the days when the seat was possible
    but not certain are drawn lighter and hatched (a legend entry of their own); no day is made up.
    """
    title = _("board.title")
    if seats is None or seats.empty:
        return _empty_figure(title, _("board.no_seats"))
    until = pd.Timestamp(until) if until is not None else _latest_seat_date(seats)
    rows = _seat_rows(seats, until)
    labels = list(dict.fromkeys(_row_label(r) for r in rows))
    roles = [r for r in ROLES if any(row["role"] == r for row in rows)] + \
        sorted({row["role"] for row in rows} - set(ROLES))
    data = []
    for certain in (True, False):
        for role in roles:
            bars = [(r, first, last) for r in rows if r["role"] == role
                    for is_certain, first, last in _segments(r) if is_certain == certain]
            if not bars:
                continue
            hover = [f"<b>{_plain(r['name'])}</b> ({_plain(role_label(role))})<br>"
                     f"{_plain(r['start_text'])} → {_plain(r['end_text'] or _('board.still_on'))}"
                     + ("" if certain else f"<br>{_plain(_('board.uncertain_short'))}")
                     + (f"<br>{_plain(status_label(r['status']))}" if r["status"] != "confirmed" else "")
                     for r, _first, _last in bars]
            colour = _ROLE_COLOURS.get(role, PALETTE[4])
            trace = {
                "type": "bar", "orientation": "h",
                "y": [_plain(_row_label(r)) for r, _first, _last in bars],
                "base": [_iso(first) for _r, first, _last in bars],
                "x": [int(((last - first).days + 1) * _DAY_MS) for _r, first, last in bars],
                "customdata": [r["id"] for r, _first, _last in bars],
                "hovertext": hover, "hovertemplate": "%{hovertext}<extra></extra>",
            }
            if certain:
                trace.update(name=_plain(role_label(role)), legendgroup=role, marker={"color": colour})
            else:
                # One legend entry for every uncertain stretch, whatever the role.
                trace.update(name=_plain(_("board.uncertain_legend")), legendgroup="uncertain",
                             showlegend=not any(t.get("legendgroup") == "uncertain" for t in data),
                             marker={"color": colour, "opacity": 0.4, "pattern": {"shape": "/"}})
            data.append(trace)
    shapes, annotations = [], []
    if date is not None:
        on = _iso(date)
        shapes.append({"type": "line", "x0": on, "x1": on, "y0": 0, "y1": 1, "yref": "paper",
                       "line": {"color": PALETTE[3], "width": 2}})
        annotations.append({"x": on, "y": 1, "yref": "paper", "yanchor": "bottom", "showarrow": False,
                            "text": _plain(date_text(pd.Timestamp(date), "day")), "font": {"color": PALETTE[3]}})
    layout = figure_layout(
        title, barmode="overlay", hovermode="closest", height=max(320, 120 + 24 * len(labels)),
        xaxis={"type": "date", "title": {"text": _("board.x_axis")}},
        yaxis={"type": "category", "categoryorder": "array", "categoryarray": [_plain(x) for x in labels],
               "autorange": "reversed", "automargin": True},
        shapes=shapes, annotations=annotations)
    return _figure(data, layout)


def _latest_seat_date(seats: pd.DataFrame) -> pd.Timestamp:
    ends = [_period_end(e, p) for e, p in zip(seats["end"], seats["end_precision"]) if not pd.isna(e)]
    return max([pd.Timestamp(seats["start"].max()), *ends])


def _on(rows: list[dict], date) -> list[dict]:
    on = pd.Timestamp(date)
    return [r | {"certain": r["certain_from"] <= on <= r["certain_to"]} for r in rows if r["start"] <= on <= r["last"]]


def _holders_text(rows: list[dict]) -> str:
    by_holder: dict[str, list[str]] = {}
    for r in rows:
        name = f"{r['name']} [{r['board']}]" if r["board"] else r["name"]
        by_holder.setdefault(name, []).append(role_label(r["role"]))
    return _mark(";").join(f"{n} ({', '.join(dict.fromkeys(roles))})" for n, roles in by_holder.items())


def describe_board_bars(seats: pd.DataFrame, date=None, *, until=None) -> str:
    """What :func:`board_bars` shows: how many seats and holders, who was certainly and who was
    possibly on the board on ``date``, which seats have dates known only roughly, and where
    open-ended seats stop."""
    if seats is None or seats.empty:
        return _("board.no_seats")
    until = pd.Timestamp(until) if until is not None else _latest_seat_date(seats)
    rows = _seat_rows(seats, until)
    text = _("board.describe", seats=len(rows), holders=len({r["holder_id"] for r in rows}),
             first=date_text(min(r["start"] for r in rows), "day"), last=date_text(until, "day"))
    if date is not None:
        on = _on(rows, date)
        day = date_text(pd.Timestamp(date), "day")
        certain = [r for r in on if r["certain"]]
        possible = [r for r in on if not r["certain"]]
        if certain:
            text += " " + _("board.describe_on", date=day, n=len({_holder_key(r) for r in certain}),
                            members=_holders_text(certain))
        elif not possible:
            text += " " + _("board.no_members", date=day)
        if possible:
            text += " " + _("board.describe_possible_on", date=day, members=_holders_text(possible))
    uncertain = [r for r in rows if r["uncertain"]]
    if uncertain:
        text += " " + _("board.describe_uncertain", names=", ".join(dict.fromkeys(r["name"] for r in uncertain)))
    if any(r["open"] for r in rows):
        text += " " + _("board.describe_open", date=date_text(until, "day"))
    return text


def _holder_key(row: dict) -> tuple[str, str]:
    return row["holder_id"], row["board"]


def board_bars_table(seats: pd.DataFrame, *, until=None) -> pd.DataFrame:
    """The seats drawn by :func:`board_bars`: holder, board, role, start, end (each as the sources
    give it), which dates are not certain, and status."""
    headers = [_("board.col.holder"), _("board.col.board"), _("board.col.role"), _("board.col.start"),
               _("board.col.end"), _("board.col.uncertain"), _("board.col.status")]
    if seats is None or seats.empty:
        return pd.DataFrame(columns=headers)
    rows = _seat_rows(seats, until if until is not None else _latest_seat_date(seats))

    def uncertain(r):
        early, late = r["start"] < r["certain_from"], r["certain_to"] < r["last"]
        if r["certain_from"] > r["certain_to"] or (early and late):
            return _("board.uncertain_both")
        return _("board.uncertain_start") if early else _("board.uncertain_end") if late else ""

    return pd.DataFrame(dict(zip(headers, [
        [r["name"] for r in rows],
        [r["board"] or _("board.nonprofit") for r in rows],
        [role_label(r["role"]) for r in rows],
        [r["start_text"] for r in rows],
        [r["end_text"] or _("board.still_on") for r in rows],
        [uncertain(r) for r in rows],
        [status_label(r["status"]) for r in rows],
    ])))


# --------------------------------------------------------------------------------------------
# 4. Who owns what.
# --------------------------------------------------------------------------------------------

def _stake_groups(stakes: pd.DataFrame) -> list[tuple[tuple[str, str], list[dict]]]:
    """Stakes grouped by (entity name, basis): confirmed stakes first, reported terms after;
    within a group, the largest share first."""
    if stakes is None or stakes.empty:
        return []
    records = _records(stakes, ["id", "holder", "holder_id", "entity", "entity_id", "share", "as_of",
                                "as_of_precision", "basis", "value_usd", "status"])
    groups: dict[tuple[str, str], list[dict]] = {}
    for record in records:
        entity = _text(record.get("entity")) or str(record["entity_id"])
        groups.setdefault((entity, str(record["basis"])), []).append(record)
    for rows in groups.values():
        rows.sort(key=lambda r: -float(r["share"]))
    return sorted(groups.items(), key=lambda item: (item[0][1] == "reported profit share", item[0]))


def _is_reported(rows: list[dict]) -> bool:
    return any(str(r["status"]) != "confirmed" or str(r["basis"]) == "reported profit share" for r in rows)


def _value(record: dict):
    value = record.get("value_usd")
    return None if value is None or pd.isna(value) else int(value)


def _group_caption(key, rows: list[dict]) -> str:
    entity, basis = key
    latest = max(rows, key=lambda r: r["as_of"])
    caption = (f"{entity}{_mark(':')}{basis_label(basis)}, "
               f"{_('ownership.as_of', date=_when(latest['as_of'], latest['as_of_precision']))}")
    if _is_reported(rows):
        caption += f" ({_('ownership.reported')})"
    return caption


def ownership_bars(stakes: pd.DataFrame, date=None) -> go.Figure:
    """Who owns what: one horizontal bar per holder and entity, one trace per entity and basis.

    ``stakes``: rows of :func:`lessons.data.ownership_on` (``holder`` names; an ``entity`` column
    of names is used when present). Bars show the share as a percentage and, where known, its value
    in dollars. Reported terms (such as the 2023 profit-share split, which was never confirmed) are
    hatched and labelled "reported" in the legend, the bar text and the title.
    """
    when = date_text(pd.Timestamp(date), "day") if date is not None else ""
    groups = _stake_groups(stakes)
    if not groups:
        return _empty_figure(_("ownership.title", date=when), _("ownership.none"))
    reported_any = any(_is_reported(rows) for _key, rows in groups)
    title = _("ownership.title", date=when) + (_("ownership.title_reported") if reported_any else "")
    data, bars = [], 0
    for index, (key, rows) in enumerate(groups):
        reported = _is_reported(rows)
        entity_label = _plain(key[0])
        holders = [_plain(r["holder"]) for r in rows]
        bars += len(rows)
        texts = []
        for r in rows:
            text = _share(r["share"])
            if _value(r) is not None:
                text += f" · {money(_value(r))}"
            if reported:
                text += f" ({_('ownership.reported')})"
            texts.append(_plain(text))
        data.append({
            "type": "bar", "orientation": "h", "name": _plain(_group_caption(key, rows)),
            "y": [[entity_label] * len(holders), holders], "x": [float(r["share"]) for r in rows],
            "text": texts, "textposition": "auto", "customdata": [str(r["id"]) for r in rows],
            "hovertemplate": "%{y}" + _mark(":") + "%{text}<extra>%{fullData.name}</extra>",
            "marker": {"color": PALETTE[index % len(PALETTE)], "opacity": 0.55 if reported else 1.0,
                       "pattern": {"shape": "/" if reported else ""}},
        })
    layout = figure_layout(
        title, barmode="group", hovermode="closest", height=max(300, 140 + 38 * bars),
        xaxis={"title": {"text": _("ownership.x_axis")}, "tickformat": ".0%", "range": [0, 1]},
        yaxis={"type": "multicategory", "autorange": "reversed", "automargin": True})
    return _figure(data, layout)


def describe_ownership_bars(stakes: pd.DataFrame, date=None) -> str:
    """What :func:`ownership_bars` shows: for each entity and basis, each holder's share and value,
    with reported terms said to be reported."""
    when = date_text(pd.Timestamp(date), "day") if date is not None else ""
    groups = _stake_groups(stakes)
    if not groups:
        return _("ownership.none")
    parts = []
    for key, rows in groups:
        holders = []
        for r in rows:
            text = f"{_text(r['holder'])} {_share(r['share'])}"
            if _value(r) is not None:
                text += f" ({money(_value(r))})"
            holders.append(text)
        parts.append(f"{_group_caption(key, rows)}{_mark(':')}{', '.join(holders)}.")
    text = _("ownership.describe", date=when) + " " + " ".join(parts)
    if any(_is_reported(rows) for _key, rows in groups):
        text += " " + _("ownership.reported_note")
    return text


def ownership_bars_table(stakes: pd.DataFrame) -> pd.DataFrame:
    """The stakes drawn by :func:`ownership_bars`: entity, holder, share, value, basis, as of, status."""
    rows = [(key[0], r) for key, group in _stake_groups(stakes) for r in group]
    return pd.DataFrame({
        _("ownership.col.entity"): [entity for entity, _r in rows],
        _("ownership.col.holder"): [_text(r["holder"]) for _e, r in rows],
        _("ownership.col.share"): [_share(r["share"]) for _e, r in rows],
        _("ownership.col.value"): ["" if _value(r) is None else money(_value(r)) for _e, r in rows],
        _("ownership.col.basis"): [basis_label(r["basis"]) for _e, r in rows],
        _("ownership.col.as_of"): [_when(r["as_of"], r["as_of_precision"]) for _e, r in rows],
        _("ownership.col.status"): [status_label(r["status"]) for _e, r in rows],
    }, dtype=object)
