"""Widgets for the history lessons: the timeline explorer, the structure explorer, the board
timeline and the ownership explorer.

Each widget is a thin :class:`ipywidgets.VBox`: labelled controls (public attributes, so a test or a
teacher can set ``.value``), a message line, and a :class:`ChartPanel` (figure, text summary, table
view). Control changes call the pure functions of :mod:`lessons.charts.history` with data from
:mod:`lessons.data`. Every piece of data text that reaches HTML is escaped. A bad value (a date that
cannot be read, an empty filter result...) shows a message in the widget, never a traceback.

>>> TimelineExplorer(start="2015-01-01", end="2018-12-31")
>>> StructureExplorer(month="2019-03")
>>> BoardTimeline(date="2023-11-17")
>>> OwnershipExplorer(date="2025-10-28")
"""

from __future__ import annotations

import datetime as dt
import functools
import re

import ipywidgets as widgets
import pandas as pd
import traitlets

from .. import data
from ..charts import history as charts
from ..charts.debate import source_kind_label
from ..i18n import _, column, date_text
from ._controls import CheckboxGroup
from ._panel import ChartPanel, Message, escape, field_layout, link

__all__ = ["TimelineExplorer", "StructureExplorer", "BoardTimeline", "OwnershipExplorer"]

_STYLE = {"description_width": "initial"}
_STORY_START = pd.Timestamp("2015-01-01")
_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


# --------------------------------------------------------------------------------------------
# Small shared pieces (no data logic: parsing what a learner typed, and guarding observers).
# --------------------------------------------------------------------------------------------

def _parse_day(value, *, end: bool = False) -> pd.Timestamp | None:
    """A day from a date, a Timestamp or text ``YYYY-MM-DD`` / ``YYYY-MM`` / ``YYYY``.

    ``None`` or empty text gives ``None``. A month or a year means its first day, or its last day
    when ``end`` is true. Anything else raises :class:`ValueError`.
    """
    if value is None:
        return None
    if isinstance(value, (pd.Timestamp, dt.date)):
        if pd.isna(value):
            return None
        return pd.Timestamp(value).normalize().tz_localize(None) if getattr(value, "tzinfo", None) else \
            pd.Timestamp(value).normalize()
    if not isinstance(value, str):
        raise ValueError(repr(value))
    text = value.strip()
    if not text:
        return None
    match = _PARTIAL_DATE.match(text)
    if not match:
        raise ValueError(text)
    year, month, day = match.groups()
    try:
        day_one = pd.Timestamp(dt.date(int(year), int(month or 1), int(day or 1)))
    except ValueError:
        raise ValueError(text) from None
    if end and day is None:
        return day_one + (pd.offsets.MonthEnd(0) if month else pd.offsets.YearEnd(0))
    return day_one


def _as_date(day: pd.Timestamp | None) -> dt.date | None:
    return None if day is None else day.date()


class DayPicker(widgets.DatePicker):
    """A DatePicker whose ``value`` also accepts text (``"2023-11-17"``; a month or a year means its
    first day) and refuses what is not a day with a :class:`traitlets.TraitError` (ipywidgets' own
    picker accepts anything and then fails when it sends the value to the browser)."""

    @traitlets.validate("value")
    def _validate_value(self, proposal):
        value = proposal["value"]
        try:
            day = _parse_day(value)
        except ValueError:
            raise traitlets.TraitError(f"expected a date such as 2023-11-17; got {value!r}") from None
        return super()._validate_value({**proposal, "value": None if day is None else day.date()})


def _guarded(prefix: str):
    """Run an observer; show any error in the widget's message line instead of raising it."""
    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, change=None):
            try:
                return method(self, change)
            except Exception as error:  # noqa: BLE001 - a widget never raises from an observer
                self.message.warn(_(f"{prefix}.data_error", error=error))
        return wrapper
    return decorate


def _latest_data_date() -> pd.Timestamp:
    """The latest date in the history tables (events, structure, board seats, ownership).

    A table that does not load is skipped here: its own widget reports the problem.
    """
    tables = {}
    for name in ("events", "structure", "board_seats", "ownership"):
        try:
            tables[name] = data.load(name)
        except (data.DataError, ValueError, OSError):
            continue
    latest = charts.latest_date(tables)
    return latest if latest is not None else pd.Timestamp.today().normalize()


def _members_html(members: pd.DataFrame, heading: str) -> str:
    """An escaped list of board members (from :func:`lessons.charts.history.board_members`)."""
    items = []
    for name, roles, note in zip(members["name"], members["roles"], members["note"]):
        item = f"<li><strong>{escape(name)}</strong> — {escape(roles)}"
        if note:
            item += f" · <em>{escape(note)}</em>"
        items.append(item + "</li>")
    body = f"<ul>{''.join(items)}</ul>"
    if any(members["note"]):
        body += f"<p class='lessons-note'>{escape(_('board.caveat_possible'))}</p>"
    return f"<div class='lessons-board'><h4>{escape(heading)}</h4>{body}</div>"


# --------------------------------------------------------------------------------------------
# 1. Timeline explorer.
# --------------------------------------------------------------------------------------------

class TimelineExplorer(widgets.VBox):
    """Events on a date axis, one lane per category, with filters and a detail pane.

    Parameters
    ----------
    start, end : str or date, optional
        Show only events in this range (``"2015-01-01"``; a month or a year also works).
    categories : list of str, optional
        Show only these categories (ids such as ``"board"``; all by default).

    Controls (public, so a test can set ``.value``): ``start`` and ``end`` (DatePicker; by default from
    2015, the year OpenAI was founded, and the ``earlier`` button shows the older context events),
    ``categories`` and ``statuses`` (groups of checkboxes whose ``value`` is a tuple of ids), ``search``
    (Text, case-insensitive over title and
    summary in the current language), ``event`` (Dropdown of the matching events, by id). Output:
    ``panel`` (figure, summary, table), ``count`` ("N events shown"), ``detail`` (the event with its
    sources as links), ``message``.
    """

    def __init__(self, start=None, end=None, categories=None):
        self.message, self.panel = Message(), ChartPanel()
        self.count, self.detail = widgets.HTML(), widgets.HTML()
        self._busy, self._shown, self._notes = False, None, []
        try:
            self._events = charts.prepare_events(data.events())
        except (data.DataError, ValueError, OSError) as error:
            self._events = None
            self._notes.append(_("timeline.data_error", error=error))
        events = self._events
        present = charts.categories_in(events) if events is not None else list(charts.CATEGORIES)
        first = events["date"].min() if events is not None and len(events) else None
        last = events["period_end"].max() if events is not None and len(events) else None
        # The story starts in 2015: older context events (Mozilla, DeepMind...) are one click away.
        opening = max(first, _STORY_START) if first is not None else None
        start_day = self._initial(start, opening, end=False)
        end_day = self._initial(end, last, end=True)
        chosen = self._initial_categories(categories, present)

        self.start = DayPicker(value=_as_date(start_day), description=_("timeline.start"), style=_STYLE)
        self.end = DayPicker(value=_as_date(end_day), description=_("timeline.end"), style=_STYLE)
        self.earlier = widgets.Button(description=_("timeline.show_earlier", year=first.year if first is not None else ""),
                                      layout=widgets.Layout(width="auto"))
        self.earlier.layout.display = None if first is not None and first < _STORY_START else "none"
        self.earlier.on_click(lambda _button: setattr(self.start, "value", _as_date(first)))
        self.categories = CheckboxGroup([(charts.category_label(c), c) for c in present], value=tuple(chosen),
                                        description=_("timeline.categories"), columns=3)
        self.statuses = CheckboxGroup([(charts.status_label(s), s) for s in charts.STATUSES], value=charts.STATUSES,
                                      description=_("timeline.statuses"), columns=3)
        self.search = widgets.Text(description=_("timeline.search"), placeholder=_("timeline.search_placeholder"),
                                   style=_STYLE)
        self.event = widgets.Dropdown(options=[], description=_("timeline.event"), style=_STYLE,
                                      layout=widgets.Layout(width="95%"))
        super().__init__([
            widgets.HBox([self.start, self.end, self.earlier]),
            widgets.HBox([self.categories, self.statuses]),
            self.search, self.message, self.count, self.panel, self.event, self.detail,
        ])
        for control in (self.start, self.end, self.categories, self.statuses, self.search):
            control.observe(self._redraw, "value")
        self.event.observe(self._on_event, "value")
        self._redraw()
        if self._notes and not self.message.text:
            self.message.warn(" ".join(self._notes))

    def _initial(self, value, default, *, end: bool):
        try:
            day = _parse_day(value, end=end)
        except ValueError:
            self._notes.append(_("timeline.bad_date", value=value))
            day = None
        return day if day is not None else default

    def _initial_categories(self, categories, present):
        if categories is None:
            return list(present)
        if isinstance(categories, str):
            categories = [categories]
        chosen = []
        for category in categories:
            if category in present:
                chosen.append(category)
            else:
                self._notes.append(_("timeline.unknown_category", value=category,
                                     allowed=", ".join(present)))
        return chosen

    @_guarded("timeline")
    def _redraw(self, _change=None):
        if self._events is None:
            return
        start, end = _parse_day(self.start.value), _parse_day(self.end.value)
        if start is not None and end is not None and start > end:
            shown = self._events.iloc[0:0]
            self.message.warn(_("timeline.start_after_end", start=date_text(start), end=date_text(end)))
        else:
            shown = charts.filter_events(self._events, start=start, end=end, categories=self.categories.value,
                                         statuses=self.statuses.value, search=self.search.value)
            if shown.empty:
                self.message.warn(_("timeline.no_match"))
            else:
                self.message.say("")
        self._shown = shown.set_index("id", drop=False)
        self.panel.show(charts.timeline(shown), charts.describe_timeline(shown), charts.timeline_table(shown))
        self.count.value = f"<p class='lessons-count'>{escape(charts.count_text(len(shown)))}</p>"
        self._update_events(shown)
        self._show_detail()

    def _update_events(self, shown: pd.DataFrame) -> None:
        title = column("title")
        options = [(f"{date_text(d, p)} — {t}", str(i)) for d, p, t, i in
                   zip(shown["date"], shown["date_precision"], shown[title], shown["id"])]
        keep = self.event.value
        self._busy = True
        try:
            self.event.options = options
            ids = [value for _label, value in options]
            self.event.value = keep if keep in ids else (ids[0] if ids else None)
        finally:
            self._busy = False

    @_guarded("timeline")
    def _on_event(self, _change=None):
        if not self._busy:
            self._show_detail()

    def _show_detail(self) -> None:
        event_id = self.event.value
        if self._shown is None or event_id is None or event_id not in self._shown.index:
            self.detail.value = ""
            return
        row = self._shown.loc[event_id]
        parts = [
            f"<h4>{escape(row[column('title')])}</h4>",
            f"<p><strong>{escape(date_text(row['date'], row['date_precision']))}</strong> · "
            f"{escape(_('timeline.detail_status', status=charts.status_label(row['status'])))}</p>",
            f"<p>{escape(row[column('summary')])}</p>",
            f"<h5>{escape(_('timeline.detail_sources'))}</h5>",
        ]
        try:
            found = data.sources_for(row)
        except ValueError as error:
            parts.append(f"<p class='lessons-warning'>{escape(error)}</p>")
            found = None
        if found is not None and len(found):
            items = []
            for source in found.itertuples(index=False):
                publisher = str(source.publisher) if not pd.isna(source.publisher) else ""
                if not pd.isna(source.outlet) and str(source.outlet):
                    publisher += f" ({source.outlet})"
                label = f"{publisher} — {source.title}" if publisher else str(source.title)
                kind = source_kind_label(source.kind)
                if kind:
                    kind = f" <span class='lessons-source-kind'>{escape(_('sources.kind_note', kind=kind))}</span>"
                when = ""
                if not pd.isna(source.date) and not pd.isna(source.date_precision):
                    when = f", {escape(date_text(source.date, str(source.date_precision)))}"
                items.append(f"<li>{link(source.url, label)}{kind}{when}</li>")
            parts.append(f"<ul>{''.join(items)}</ul>")
        elif found is not None:
            parts.append(f"<p>{escape(_('timeline.no_sources'))}</p>")
        self.detail.value = f"<div class='lessons-detail'>{''.join(parts)}</div>"


# --------------------------------------------------------------------------------------------
# 2. Structure explorer.
# --------------------------------------------------------------------------------------------

class StructureExplorer(widgets.VBox):
    """The governance diagram in force at the end of a month, and the nonprofit's board that day.

    Parameters
    ----------
    month : str
        ``"YYYY-MM"``, from ``2015-12`` to the latest month in the data.

    Controls: ``month`` (Dropdown of ``"YYYY-MM"`` values). Output: ``panel`` (diagram,
    summary, table of links), ``board`` (who sat on the board on the last day of the month, with
    roles, saying who was only possibly on it because the sources give their dates only to a month, a
    year or as a range), ``message``.
    """

    FIRST_MONTH = "2015-12"

    def __init__(self, month="2019-03"):
        self.message, self.panel, self.board = Message(), ChartPanel(), widgets.HTML()
        self._cache: dict[str, tuple] = {}
        notes = []
        try:
            self._organisations = data.organisations()
            latest = _latest_data_date()
        except (data.DataError, ValueError, OSError) as error:
            self._organisations = None
            latest = pd.Timestamp(self.FIRST_MONTH)
            notes.append(_("structure.data_error", error=error))
        months = pd.period_range(self.FIRST_MONTH, max(latest, pd.Timestamp(self.FIRST_MONTH)), freq="M")
        options = [(date_text(p.start_time, "month"), str(p)) for p in months]
        values = [value for _label, value in options]
        wanted = self._month_text(month)
        if wanted not in values:
            notes.append(_("structure.bad_month", value=month, first=options[0][0], last=options[-1][0]))
            wanted = "2019-03" if "2019-03" in values else values[0]
        # A labelled menu rather than a slider: a slider's handle has no accessible name.
        self.month = widgets.Dropdown(options=options, value=wanted, description=_("structure.month"), style=_STYLE)
        super().__init__([self.month, self.message, self.panel, self.board])
        self.month.observe(self._redraw, "value")
        self._redraw()
        if notes and not self.message.text:
            self.message.warn(" ".join(notes))

    @staticmethod
    def _month_text(month) -> str | None:
        try:
            day = _parse_day(month)
        except ValueError:
            return None
        return None if day is None else day.strftime("%Y-%m")

    def _state(self, month: str):
        if month not in self._cache:
            day = pd.Period(month, freq="M").end_time.normalize()
            edges = data.structure_on(day)
            board = data.board_on(day)
            board = board[board["organisation_id"].isin(charts.NONPROFITS)]
            self._cache[month] = (day, edges, board, charts.nonprofit_id(edges, day))
        return self._cache[month]

    @_guarded("structure")
    def _redraw(self, _change=None):
        if self._organisations is None:
            return
        day, edges, board, nonprofit = self._state(self.month.value)
        nodes = self._organisations
        self.panel.show(charts.structure_diagram(edges, nodes, board, date=day, nonprofit=nonprofit),
                        charts.describe_structure_diagram(edges, nodes, board, date=day, nonprofit=nonprofit),
                        charts.structure_diagram_table(edges, nodes))
        name = data.name_of(nonprofit)
        heading = _("structure.board_heading_of", nonprofit=name, date=date_text(day))
        members = charts.board_members(board)
        if len(members):
            self.board.value = _members_html(members, heading)
        else:
            self.board.value = (f"<div class='lessons-board'><h4>{escape(heading)}</h4>"
                                f"<p>{escape(_('structure.board_empty'))}</p></div>")
        self.message.say("")


# --------------------------------------------------------------------------------------------
# 3. Board timeline.
# --------------------------------------------------------------------------------------------

class BoardTimeline(widgets.VBox):
    """Every seat on the boards of OpenAI's nonprofit and, from October 2025, of OpenAI Group PBC, as
    bars over time, with a date cursor and who sat that day.

    Parameters
    ----------
    date : str or date
        The day under the cursor, e.g. ``"2023-11-17"``.

    Controls: ``date`` (DatePicker). Output: ``panel`` (bars, summary, table), ``members`` (who sat
    on each board that day and in what role, saying who was only possibly there), ``message``.
    """

    def __init__(self, date="2023-11-17"):
        self.message, self.panel, self.members = Message(), ChartPanel(), widgets.HTML()
        notes = []
        try:
            seats = data.board_seats()
            seats.insert(2, "name", data.name_of(seats["holder_id"].tolist()))
            seats.insert(3, "organisation", data.name_of(seats["organisation_id"].tolist()))
            self._seats = seats
            self._until = _latest_data_date()
            self._first = seats["start"].min() if len(seats) else None
            self._table = charts.board_bars_table(seats, until=self._until)
        except (data.DataError, ValueError, OSError) as error:
            self._seats = None
            notes.append(_("board.data_error", error=error))
        try:
            day = _parse_day(date)
        except ValueError:
            notes.append(_("timeline.bad_date", value=date))
            day = pd.Timestamp("2023-11-17")
        self.date = DayPicker(value=_as_date(day), description=_("board.date"), style=_STYLE)
        super().__init__([self.date, self.message, self.panel, self.members])
        self.date.observe(self._redraw, "value")
        self._redraw()
        if notes and not self.message.text:
            self.message.warn(" ".join(notes))

    @_guarded("board")
    def _redraw(self, _change=None):
        if self._seats is None:
            return
        day = _parse_day(self.date.value)
        cursor = day
        if day is None:
            self.message.say(_("board.no_date"))
            self.members.value = ""
        elif self._first is None or day < self._first or day > self._until:
            cursor = None
            first = date_text(self._first) if self._first is not None else "—"
            self.message.warn(_("board.out_of_range", date=date_text(day), first=first,
                                last=date_text(self._until)))
            self.members.value = ""
        else:
            self.members.value = self._members(day)
            self.message.say("")
        self.panel.show(charts.board_bars(self._seats, cursor, until=self._until),
                        charts.describe_board_bars(self._seats, cursor, until=self._until), self._table)

    @staticmethod
    def _members(day) -> str:
        """The nonprofit's board that day, then any other board (OpenAI Group PBC), as escaped lists."""
        board = data.board_on(day)
        nonprofit = board["organisation_id"].isin(charts.NONPROFITS)
        members = charts.board_members(board[nonprofit])
        heading = _("board.members_heading", date=date_text(day))
        if len(members):
            parts = [_members_html(members, heading)]
        else:
            parts = [f"<div class='lessons-board'><h4>{escape(heading)}</h4>"
                     f"<p>{escape(_('board.no_members', date=date_text(day)))}</p></div>"]
        for organisation, seats in board[~nonprofit].groupby("organisation_id", observed=True):
            parts.append(_members_html(charts.board_members(seats), _("board.group_heading", board=data.name_of(
                str(organisation)), date=date_text(day))))
        return "".join(parts)


# --------------------------------------------------------------------------------------------
# 4. Ownership explorer.
# --------------------------------------------------------------------------------------------

class OwnershipExplorer(widgets.VBox):
    """Who owns what on a date, per entity; reported terms labelled as reported.

    Parameters
    ----------
    date : str or date
        ``"YYYY-MM-DD"``; the dates of the ownership table are offered, any other date can be typed.

    Controls: ``date`` (Combobox: pick one of the ``as_of`` dates or type a date). Output: ``panel``
    (bars, summary, table), ``message``.
    """

    def __init__(self, date="2025-10-28"):
        self.message, self.panel = Message(), ChartPanel()
        self._cache: dict[pd.Timestamp, pd.DataFrame] = {}
        notes = []
        try:
            stakes = data.ownership()
            first = stakes.sort_values("as_of").iloc[0] if len(stakes) else None
            self._first = None if first is None else date_text(first["as_of"], str(first["as_of_precision"]))
            options = sorted({_as_of_text(d, p) for d, p in zip(stakes["as_of"], stakes["as_of_precision"])})
        except (data.DataError, ValueError, OSError) as error:
            self._first, options = None, []
            notes.append(_("ownership.data_error", error=error))
        self._broken = bool(notes)
        value = date.strftime("%Y-%m-%d") if isinstance(date, (dt.date, pd.Timestamp)) else str(date or "")
        self.date = widgets.Combobox(value=value, options=options, ensure_option=False, placeholder="2025-10-28",
                                     continuous_update=False, description=_("ownership.date"), style=_STYLE,
                                     layout=field_layout(_("ownership.date")))
        super().__init__([self.date, self.message, self.panel])
        self.date.observe(self._redraw, "value")
        self._redraw()
        if notes and not self.message.text:
            self.message.warn(" ".join(notes))

    def _empty(self, day=None) -> None:
        self.panel.show(charts.ownership_bars(None, day), charts.describe_ownership_bars(None, day),
                        charts.ownership_bars_table(None))

    @_guarded("ownership")
    def _redraw(self, _change=None):
        if self._broken:
            return
        text = self.date.value
        try:
            day = _parse_day(text)
        except ValueError:
            self.message.warn(_("ownership.bad_date", value=text))
            self._empty()
            return
        if day is None:
            self.message.say(_("ownership.no_date"))
            self._empty()
            return
        if day not in self._cache:
            stakes = data.ownership_on(day)
            stakes["entity"] = data.name_of(stakes["entity_id"].tolist())
            self._cache[day] = stakes
        stakes = self._cache[day]
        if stakes.empty:
            self.message.warn(_("ownership.before_data", date=date_text(day), first=self._first or "—"))
            self._empty(day)
            return
        self.message.say("")
        self.panel.show(charts.ownership_bars(stakes, day), charts.describe_ownership_bars(stakes, day),
                        charts.ownership_bars_table(stakes))


def _as_of_text(date, precision) -> str:
    return pd.Timestamp(date).strftime({"year": "%Y", "month": "%Y-%m"}.get(str(precision), "%Y-%m-%d"))
