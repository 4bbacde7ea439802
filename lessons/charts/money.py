"""Money charts: capped investor returns (lesson 02), the February 2025 bid against valuations
(lessons 04 and 06), and what the bid was a price for (lesson 04).

Pure functions: values and DataFrames in, a :class:`plotly.graph_objects.Figure`, a text or a table
out; no globals, no I/O. Every chart ``foo`` has ``describe_foo`` (a short text for readers who
cannot see the chart, in the current language) and ``foo_table`` (the numbers drawn, with readable
column names in the current language).

Helpers that turn the data tables into what the charts draw take DataFrames too:
:func:`valuation_presets` (``data.funding()`` → one row per valuation, with a label) and
:func:`bid_offer` (``data.bid()`` → the amount and date of the offer).

Bad input raises :class:`InputError`, a :class:`ValueError` whose ``parameter`` attribute names the
argument at fault, so that a widget can show a message in the learner's language.

>>> from lessons import data
>>> capped_payout(10_000_000, 100, 5_000_000_000)
(1000000000, 4000000000)
>>> presets = valuation_presets(data.funding())
>>> fig = bid_against_valuations(presets, bid_offer(data.bid())["amount_usd"], 0.26)
"""

from __future__ import annotations

import functools
import html
import math
import numbers
import textwrap

import pandas as pd
import plotly.graph_objects as go

from ..i18n import _, date_text, get_language, money, percent
from ._style import PALETTE, figure_layout

__all__ = [
    "InputError",
    "capped_payout", "capped_return_chart", "describe_capped_return_chart", "capped_return_chart_table",
    "valuation_presets", "with_custom_valuation", "bid_offer", "implied_stake_value",
    "bid_against_valuations", "describe_bid_against_valuations", "bid_against_valuations_table",
    "valuations_over_time", "describe_valuations_over_time", "valuations_over_time_table",
    "bid_for_control", "describe_bid_for_control", "bid_for_control_table",
]

CUSTOM = "custom"  # id of the learner's own valuation row (see with_custom_valuation)
_BASES = ("pre-money", "post-money", "implied", "unspecified")


class InputError(ValueError):
    """A value a chart cannot use; ``parameter`` names the argument, e.g. ``"cap"``."""

    def __init__(self, parameter: str, expected: str, value):
        self.parameter, self.value = parameter, value
        super().__init__(f"{parameter}: expected {expected}; got {_shown(value)}.")


def _shown(value) -> str:
    try:
        text = repr(value)
    except Exception:  # a value whose repr fails still gets a readable message
        text = f"a {type(value).__name__}"
    return text if len(text) <= 60 else text[:57] + "..."


def _real(value, parameter: str, expected: str) -> float | int:
    """``value`` as a finite real number, or InputError naming ``parameter``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise InputError(parameter, expected, value)
    if not math.isfinite(value):
        raise InputError(parameter, expected, value)
    return value.item() if hasattr(value, "item") else value


@functools.cache
def _template_json(name: str) -> dict:
    import plotly.io as pio

    return pio.templates[name].to_plotly_json()


def _figure(data: list[dict], layout: dict) -> go.Figure:
    """A figure from plain dicts, without plotly's validation (slow: most of a redraw's time).

    The named template is expanded once (go.Figure copies it into each figure), so the JSON is the same
    as a validated figure's; the tests check every chart against plotly's validation.
    """
    layout = dict(layout)
    if isinstance(layout.get("template"), str):
        layout["template"] = _template_json(layout["template"])  # go.Figure copies it
    return go.Figure(data=data, layout=layout, _validate=False)


def _escape(text) -> str:
    """Data text made safe for plotly's HTML-like labels."""
    if text is None or (not isinstance(text, (list, tuple)) and pd.isna(text)):
        return ""
    return html.escape(str(text), quote=True)


def _decimal(value: float, digits: int = 2) -> str:
    """``2.39`` / ``2,39``; trailing zeros dropped (``100``, not ``100.00``)."""
    text = f"{value:,.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if get_language() == "fr":
        text = text.replace(",", "\u202f").replace(".", ",")
    return text


def _times(value: float, digits: int = 2) -> str:
    return f"{_decimal(value, digits)}×"


# --------------------------------------------------------------------------------------------
# Capped returns (lesson 02).
# --------------------------------------------------------------------------------------------

def capped_payout(investment, cap, exit_value) -> tuple:
    """What a capped investor receives, and the excess that goes to the nonprofit.

    Parameters
    ----------
    investment : number
        Dollars the investor put in (more than 0).
    cap : number
        Most the investor may get back, as a multiple of ``investment`` (more than 0); 100 for
        OpenAI LP's first investors in 2019.
    exit_value : number
        What the investor's stake would be worth without a cap (0 or more).

    Returns
    -------
    (payout, excess)
        ``payout = min(exit_value, investment × cap)``; ``excess = max(0, exit_value − investment × cap)``.

    The cap limits what investors get back, not how much profit the company makes.

    >>> capped_payout(10_000_000, 100, 500_000_000)
    (500000000, 0)
    """
    investment = _real(investment, "investment", "a number of dollars greater than 0, e.g. 10000000")
    cap = _real(cap, "cap", "a multiple greater than 0, e.g. 100")
    exit_value = _real(exit_value, "exit_value", "a number of dollars of at least 0, e.g. 5000000000")
    if investment <= 0:
        raise InputError("investment", "a number of dollars greater than 0, e.g. 10000000", investment)
    if cap <= 0:
        raise InputError("cap", "a multiple greater than 0, e.g. 100", cap)
    if exit_value < 0:
        raise InputError("exit_value", "a number of dollars of at least 0, e.g. 5000000000", exit_value)
    ceiling = investment * cap
    if not math.isfinite(ceiling):
        raise InputError("cap", "a multiple small enough that investment × cap is a finite number", cap)
    payout = min(exit_value, ceiling)
    excess = max(0, exit_value - ceiling)
    return payout, excess


def capped_return_chart(investment, cap, exit_value) -> go.Figure:
    """One stacked bar: the stake's uncapped value split into the investor's payout and the excess
    that goes to the nonprofit, with a dashed line at the cap (investment × cap)."""
    payout, excess = capped_payout(investment, cap, exit_value)
    ceiling = investment * cap
    category = [_("capped.bar")]
    data = [
        dict(type="bar", name=_("capped.payout"), x=category, y=[payout], marker={"color": PALETTE[0]},
             text=[money(payout)], textposition="inside", hoverinfo="name+text"),
        dict(type="bar", name=_("capped.excess"), x=category, y=[excess],
             marker={"color": PALETTE[1], "pattern": {"shape": "/"}},
             text=[money(excess) if excess else ""], textposition="inside", hoverinfo="name+text"),
    ]
    layout = figure_layout(
        _("capped.title"), barmode="stack", showlegend=True,
        yaxis={"title": {"text": _("capped.axis_usd")}, "rangemode": "tozero",
               "range": [0, max(exit_value, ceiling) * 1.15 or 1]},
        shapes=[{"type": "line", "xref": "paper", "x0": 0, "x1": 1, "y0": ceiling, "y1": ceiling,
                 "line": {"color": PALETTE[7], "dash": "dash", "width": 2}}],
        annotations=[{"xref": "paper", "x": 1, "xanchor": "right", "y": ceiling, "yanchor": "bottom",
                      "showarrow": False,
                      "text": _escape(_("capped.cap_line", cap=_decimal(cap), investment=money(investment),
                                        ceiling=money(ceiling)))}],
    )
    return _figure(data, layout)


def describe_capped_return_chart(investment, cap, exit_value) -> str:
    """What the capped-return chart shows, with its numbers, in the current language."""
    payout, excess = capped_payout(investment, cap, exit_value)
    values = dict(investment=money(investment), cap=_times(cap), ceiling=money(investment * cap),
                  exit_value=money(exit_value), payout=money(payout), excess=money(excess))
    outcome = _("capped.describe_over", **values) if excess > 0 else _("capped.describe_under", **values)
    return " ".join([_("capped.describe_start", **values), outcome, _("capped.describe_note")])


def capped_return_chart_table(investment, cap, exit_value) -> pd.DataFrame:
    """The numbers behind the capped-return chart: one row per quantity, readable and in dollars."""
    payout, excess = capped_payout(investment, cap, exit_value)
    rows = [
        ("capped.row_investment", money(investment), investment),
        ("capped.row_cap", _times(cap), None),
        ("capped.row_ceiling", money(investment * cap), investment * cap),
        ("capped.row_exit_value", money(exit_value), exit_value),
        ("capped.row_payout", money(payout), payout),
        ("capped.row_excess", money(excess), excess),
    ]
    return pd.DataFrame({
        _("capped.col_item"): [_(key) for key, _text, _usd in rows],
        _("capped.col_amount"): [text for _key, text, _usd in rows],
        _("capped.col_usd"): pd.array([usd for *_rest, usd in rows], dtype="Float64"),
    })


# --------------------------------------------------------------------------------------------
# The bid against valuations (lessons 04 and 06).
# --------------------------------------------------------------------------------------------

def _basis_text(basis) -> str:
    basis = "unspecified" if basis is None or pd.isna(basis) or basis not in _BASES else basis
    return _(f"valuation.basis.{basis}")


def valuation_presets(funding: pd.DataFrame) -> pd.DataFrame:
    """One row per funding row with a valuation, oldest first, ready for a chart or a dropdown.

    Parameters
    ----------
    funding : DataFrame
        Rows of ``lessons.data.funding()`` (any subset).

    Returns
    -------
    DataFrame
        ``id``, ``date``, ``date_precision``, ``deal`` (in the current language), ``valuation_usd``,
        ``valuation_basis``, ``status``, ``when`` (the date at its precision), ``label`` (date, deal,
        valuation and basis, for a dropdown) and ``short_label`` (date and valuation, for an axis).
    """
    rows = funding[funding["valuation_usd"].notna()].sort_values(["date", "id"], kind="stable")
    deal_column = f"deal_{get_language()}"
    when = [date_text(date, str(precision)) for date, precision in zip(rows["date"], rows["date_precision"])]
    deal = [("" if pd.isna(text) else str(text)) for text in rows[deal_column]]
    valuation = [int(value) for value in rows["valuation_usd"]]
    basis = [_basis_text(value) for value in rows["valuation_basis"]]
    return pd.DataFrame({
        "id": rows["id"].astype(str).to_numpy(),
        "date": rows["date"].to_numpy(),
        "date_precision": rows["date_precision"].astype(str).to_numpy(),
        "deal": deal,
        "valuation_usd": valuation,
        "valuation_basis": rows["valuation_basis"].astype(object).where(rows["valuation_basis"].notna(), None).to_numpy(),
        "status": rows["status"].astype(str).to_numpy(),
        "when": when,
        "label": [f"{w} — {d} — {money(v)} ({b})" for w, d, v, b in zip(when, deal, valuation, basis)],
        "short_label": [f"{w}, {money(v)}" for w, v in zip(when, valuation)],
    })


def with_custom_valuation(presets: pd.DataFrame, valuation_usd) -> pd.DataFrame:
    """``presets`` plus one row, id ``"custom"``, for a valuation the learner typed in (dollars)."""
    valuation_usd = _real(valuation_usd, "valuation_usd", "a number of dollars of at least 0, e.g. 157000000000")
    if valuation_usd < 0:
        raise InputError("valuation_usd", "a number of dollars of at least 0, e.g. 157000000000", valuation_usd)
    row = {"id": CUSTOM, "date": pd.NaT, "date_precision": "", "deal": _("bid.custom_deal"),
           "valuation_usd": valuation_usd, "valuation_basis": None, "status": "",
           "when": "", "label": _("bid.custom_deal"), "short_label": f"{_('bid.custom_short')}, {money(valuation_usd)}"}
    return pd.concat([presets, pd.DataFrame([row])], ignore_index=True)


def bid_offer(bid: pd.DataFrame) -> dict:
    """The offer of the February 2025 bid: ``{"amount_usd", "date", "date_precision", "id"}``.

    Read from the row of ``lessons.data.bid()`` whose ``step`` is ``"offer"`` and that has an amount.
    """
    offers = bid[(bid["step"] == "offer") & bid["amount_usd"].notna()].sort_values("date", kind="stable")
    if offers.empty:
        raise ValueError("bid: expected a row with step 'offer' and an amount_usd; found none.")
    row = offers.iloc[0]
    return {"id": str(row["id"]), "amount_usd": int(row["amount_usd"]), "date": row["date"],
            "date_precision": str(row["date_precision"])}


def implied_stake_value(valuation_usd, stake) -> float:
    """What a ``stake`` (fraction 0–1) of a company valued at ``valuation_usd`` dollars is worth."""
    valuation_usd = _real(valuation_usd, "valuation_usd", "a number of dollars of at least 0, e.g. 157000000000")
    stake = _real(stake, "stake", "a fraction between 0 and 1, e.g. 0.26")
    if valuation_usd < 0:
        raise InputError("valuation_usd", "a number of dollars of at least 0, e.g. 157000000000", valuation_usd)
    if not 0 <= stake <= 1:
        raise InputError("stake", "a fraction between 0 and 1, e.g. 0.26", stake)
    return valuation_usd * stake


def _stake_rows(valuations: pd.DataFrame, bid_usd, stake, selected) -> list[dict]:
    """One dict per valuation with its implied stake value, bid ratio and whether it is selected."""
    bid_usd = _real(bid_usd, "bid_usd", "a number of dollars of at least 0, e.g. 97400000000")
    if bid_usd < 0:
        raise InputError("bid_usd", "a number of dollars of at least 0, e.g. 97400000000", bid_usd)
    implied_stake_value(0, stake)  # checks the stake even when there is no valuation
    rows = valuations.to_dict("records")
    if selected is not None and selected not in {row["id"] for row in rows}:
        raise InputError("selected", "an id of the valuations table or None", selected)
    for row in rows:
        row["implied_usd"] = implied_stake_value(row["valuation_usd"], stake)
        row["ratio"] = bid_usd / row["implied_usd"] if row["implied_usd"] > 0 else math.nan
        row["selected"] = row["id"] == selected
    return rows


def bid_against_valuations(valuations: pd.DataFrame, bid_usd, stake, selected: str | None = None) -> go.Figure:
    """Bars: a ``stake`` of the for-profit at each valuation; a line at the bid; ``selected`` highlighted.

    Parameters
    ----------
    valuations : DataFrame
        From :func:`valuation_presets` (optionally :func:`with_custom_valuation`).
    bid_usd : number
        The bid, in dollars (see :func:`bid_offer`).
    stake : float
        The nonprofit's stake, a fraction between 0 and 1.
    selected : str, optional
        The ``id`` of the valuation to highlight (also drawn with a hatch and an outline, not only
        a colour).
    """
    rows = _stake_rows(valuations, bid_usd, stake, selected)
    x = [_escape(row["short_label"]) for row in rows]
    hover = [f"{_escape(row['deal'])}<br>{_escape(row['when'])}"
             f"<br>{_escape(_('bid.hover_valuation', valuation=money(row['valuation_usd'])))}"
             f"<br>{_escape(_('bid.hover_stake', stake=percent(stake), value=money(row['implied_usd'])))}"
             for row in rows]
    data = [
        dict(type="bar", name=_escape(_("bid.bars", stake=percent(stake))), x=x,
             y=[float(row["implied_usd"]) for row in rows],
             marker={"color": [PALETTE[3] if row["selected"] else PALETTE[0] for row in rows],
                     "line": {"color": PALETTE[7], "width": [3 if row["selected"] else 0 for row in rows]},
                     "pattern": {"shape": ["/" if row["selected"] else "" for row in rows]}},
             text=[money(row["implied_usd"]) for row in rows], textposition="outside",
             hovertext=hover, hoverinfo="text"),
        dict(type="scatter", mode="lines", name=_escape(_("bid.line", bid=money(bid_usd))), x=x, y=[bid_usd] * len(x),
             line={"color": PALETTE[7], "dash": "dash", "width": 2}, hoverinfo="name"),
    ]
    top = max([bid_usd, *(row["implied_usd"] for row in rows)])
    layout = figure_layout(_("bid.title", stake=percent(stake)), showlegend=True,
                           yaxis={"title": {"text": _("bid.axis_usd")}, "range": [0, (top or 1) * 1.2]},
                           xaxis={"title": {"text": _("bid.axis_valuation")}, "type": "category"})
    return _figure(data, layout)


def describe_bid_against_valuations(valuations: pd.DataFrame, bid_usd, stake, selected: str | None = None,
                                    bid_date=None) -> str:
    """The selected valuation's implied stake value against the bid, and the range over all valuations.

    Given ``bid_date``, a valuation dated after the bid is said to be so.
    """
    rows = _stake_rows(valuations, bid_usd, stake, selected)
    parts = []
    if selected is not None:
        row = next(row for row in rows if row["selected"])
        where = (row["deal"] if row["id"] == CUSTOM
                 else f"{row['when']}, {row['deal']}, {_basis_text(row['valuation_basis'])}")
        parts.append(_("bid.describe_selected", valuation=money(row["valuation_usd"]), where=where,
                       stake=percent(stake), value=money(row["implied_usd"])))
        if math.isnan(row["ratio"]):
            parts.append(_("bid.describe_zero", bid=money(bid_usd)))
        else:
            side = _("bid.above") if row["ratio"] > 1 else (_("bid.below") if row["ratio"] < 1 else _("bid.equal"))
            parts.append(_("bid.describe_ratio", bid=money(bid_usd), ratio=_times(row["ratio"]), side=side))
        if (bid_date is not None and row["id"] != CUSTOM and pd.notna(row["date"])
                and pd.Timestamp(row["date"]) > pd.Timestamp(bid_date)):
            parts.append(_("bid.describe_later"))
    values = [row["implied_usd"] for row in rows if row["id"] != CUSTOM]
    if values:
        above = sum(value < bid_usd for value in values)
        parts.append(_("bid.describe_range", count=len(values), low=money(min(values)), high=money(max(values)),
                       above=above, bid=money(bid_usd)))
    else:
        parts.append(_("bid.describe_none"))
    return " ".join(parts)


def bid_against_valuations_table(valuations: pd.DataFrame, bid_usd, stake, selected: str | None = None) -> pd.DataFrame:
    """The numbers behind :func:`bid_against_valuations`: one row per valuation."""
    rows = _stake_rows(valuations, bid_usd, stake, selected)
    return pd.DataFrame({
        _("bid.col_selected"): ["●" if row["selected"] else "" for row in rows],
        _("bid.col_date"): [row["when"] for row in rows],
        _("bid.col_deal"): [row["deal"] for row in rows],
        _("bid.col_valuation"): [money(row["valuation_usd"]) for row in rows],
        _("bid.col_basis"): ["" if row["id"] == CUSTOM else _basis_text(row["valuation_basis"]) for row in rows],
        _("bid.col_stake_value", stake=percent(stake)): [money(row["implied_usd"]) for row in rows],
        _("bid.col_ratio"): ["—" if math.isnan(row["ratio"]) else _times(row["ratio"]) for row in rows],
        _("bid.col_stake_usd"): pd.array([float(row["implied_usd"]) for row in rows], dtype="Float64"),
    })


# --------------------------------------------------------------------------------------------
# Valuations over time, with the bid marked (lesson 06).
# --------------------------------------------------------------------------------------------

def _midpoints(dates: pd.Series, precisions: pd.Series) -> pd.Series:
    """A partial date drawn in the middle of its period (``2021`` at the start of July 2021)."""
    from ..data import period_end  # data never imports charts; pure helper

    ends = period_end(pd.Series(dates), pd.Series(precisions))
    return (pd.Series(dates) + (ends - pd.Series(dates)) / 2).dt.normalize()


def _valuation_rows(funding: pd.DataFrame) -> pd.DataFrame:
    rows = valuation_presets(funding)
    rows["drawn_at"] = _midpoints(rows["date"], rows["date_precision"]).to_numpy()
    return rows


def valuations_over_time(funding: pd.DataFrame, bid_usd, bid_date=None) -> go.Figure:
    """Line and markers: each valuation of OpenAI's for-profit over time; the bid as a dashed line
    (and, given ``bid_date``, a diamond on the day of the offer).

    Partial dates (a month, a year) are drawn in the middle of their period; reported valuations
    get hollow markers. Parameters: ``funding`` (``data.funding()``), ``bid_usd`` and ``bid_date``
    (see :func:`bid_offer`).
    """
    bid_usd = _real(bid_usd, "bid_usd", "a number of dollars of at least 0, e.g. 97400000000")
    if bid_usd < 0:
        raise InputError("bid_usd", "a number of dollars of at least 0, e.g. 97400000000", bid_usd)
    rows = _valuation_rows(funding)
    x = [d.strftime("%Y-%m-%d") for d in pd.to_datetime(rows["drawn_at"])]
    hover = [f"{_escape(deal)}<br>{_escape(when)}<br>{_escape(money(value))} ({_escape(_basis_text(basis))})"
             + (f"<br>{_escape(_('valuation.reported'))}" if status == "reported" else "")
             for deal, when, value, basis, status in zip(rows["deal"], rows["when"], rows["valuation_usd"],
                                                          rows["valuation_basis"], rows["status"])]
    data = [dict(type="scatter", mode="lines+markers", name=_("valuation.series"), x=x,
                 y=[float(v) for v in rows["valuation_usd"]], hovertext=hover, hoverinfo="text",
                 line={"color": PALETTE[0], "width": 2},
                 marker={"size": 10, "color": PALETTE[0],
                         "symbol": ["circle-open" if s == "reported" else "circle" for s in rows["status"]]})]
    span = list(x)
    if bid_date is not None:
        bid_day = pd.Timestamp(bid_date).strftime("%Y-%m-%d")
        span.append(bid_day)
    if span:
        data.append(dict(type="scatter", mode="lines", name=_escape(_("bid.line", bid=money(bid_usd))),
                         x=[min(span), max(span)], y=[bid_usd, bid_usd], hoverinfo="name",
                         line={"color": PALETTE[3], "dash": "dash", "width": 2}))
    if bid_date is not None:
        data.append(dict(type="scatter", mode="markers", name=_escape(_("valuation.bid_marker",
                                                                         date=date_text(pd.Timestamp(bid_date)))),
                         x=[bid_day], y=[bid_usd], hoverinfo="name",
                         marker={"size": 14, "color": PALETTE[3], "symbol": "diamond"}))
    layout = figure_layout(_("valuation.title"), showlegend=True,
                           xaxis={"title": {"text": _("valuation.axis_date")}, "type": "date"},
                           yaxis={"title": {"text": _("bid.axis_usd")}, "rangemode": "tozero"})
    return _figure(data, layout)


def describe_valuations_over_time(funding: pd.DataFrame, bid_usd, bid_date=None) -> str:
    """The first and last valuations, how many there are, and the last one before the bid."""
    rows = _valuation_rows(funding)
    if rows.empty:
        return _("valuation.describe_none")
    first, last = rows.iloc[0], rows.iloc[-1]
    parts = [_("valuation.describe_range", count=len(rows), first=money(first["valuation_usd"]), first_when=first["when"],
               last=money(last["valuation_usd"]), last_when=last["when"])]
    if bid_date is not None:
        bid_day = pd.Timestamp(bid_date)
        parts.append(_("valuation.describe_bid", bid=money(bid_usd), when=date_text(bid_day)))
        before = rows[rows["date"] <= bid_day]
        if len(before):
            latest = before.iloc[-1]
            parts.append(_("valuation.describe_before", valuation=money(latest["valuation_usd"]),
                           when=latest["when"], share=percent(bid_usd / latest["valuation_usd"])))
    else:
        parts.append(_("valuation.describe_bid_undated", bid=money(bid_usd)))
    parts.append(_("valuation.describe_note"))
    return " ".join(parts)


def valuations_over_time_table(funding: pd.DataFrame, bid_usd=None, bid_date=None) -> pd.DataFrame:
    """The valuations drawn by :func:`valuations_over_time`, oldest first."""
    rows = _valuation_rows(funding)
    return pd.DataFrame({
        _("bid.col_date"): rows["when"].tolist(),
        _("bid.col_deal"): rows["deal"].tolist(),
        _("bid.col_valuation"): [money(v) for v in rows["valuation_usd"]],
        _("bid.col_basis"): [_basis_text(b) for b in rows["valuation_basis"]],
        _("valuation.col_status"): [_(f"valuation.status.{s}") if s in ("confirmed", "reported", "disputed") else s
                                    for s in rows["status"]],
        _("valuation.col_usd"): pd.array(rows["valuation_usd"].tolist(), dtype="Int64"),
    })


# --------------------------------------------------------------------------------------------
# Why the bid mattered: a price on the nonprofit's control (lesson 04).
# --------------------------------------------------------------------------------------------

_NONPROFIT = "openai-inc"   # the nonprofit the bid was addressed to, in data/organisations.csv


def _wrapped(text: str, width: int) -> str:
    """Escaped text broken into lines of about ``width`` characters (plotly does not wrap labels)."""
    return "<br>".join(_escape(line) for line in textwrap.wrap(text, width))


def _control_parts(bid: pd.DataFrame, people: pd.DataFrame, organisations: pd.DataFrame) -> dict:
    offer = bid_offer(bid)
    bidder_id = bid.set_index("id").loc[offer["id"], "actor_id"]
    names = people.set_index("id")["name"]
    nonprofits = organisations.set_index("id")["name"]
    if bidder_id not in names.index:
        raise ValueError(f"people: expected a row with id {bidder_id!r}, the bidder of bid row {offer['id']!r}")
    if _NONPROFIT not in nonprofits.index:
        raise ValueError(f"organisations: expected a row with id {_NONPROFIT!r}, the nonprofit the bid was for")
    return {"bidder": _("bid_diagram.bidder", name=names[bidder_id]),
            "nonprofit": _("bid_diagram.nonprofit", name=nonprofits[_NONPROFIT]),
            "company": _("bid_diagram.company"),
            "offer": _("bid_diagram.offer", amount=money(offer["amount_usd"]),
                       date=date_text(offer["date"], offer["date_precision"])),
            "controls": _("bid_diagram.controls"),
            "pays": _("bid_diagram.pays")}


def bid_for_control(bid: pd.DataFrame, people: pd.DataFrame, organisations: pd.DataFrame) -> go.Figure:
    """The main idea of lesson 04 in one diagram: the bidder offers a price to the nonprofit for its
    control over the for-profit company; in a conversion the company must pay the nonprofit fair
    value for that control, so a public price is a yardstick for what it must pay.

    Boxes for the bidder, the nonprofit and the company; arrows for the offer (amount and date from
    ``bid``), the control, and the fair value the charity must receive.
    """
    parts = _control_parts(bid, people, organisations)
    places = {"bidder": (0, 1), "nonprofit": (2, 1), "company": (2, -0.6)}
    boxes = [parts[name][:1].upper() + parts[name][1:] for name in places]
    data = [dict(type="scatter", mode="markers+text", x=[x for x, _y in places.values()],
                 y=[y for _x, y in places.values()], text=[f"<b>{_wrapped(box, 22)}</b>" for box in boxes],
                 textposition="middle center", hoverinfo="skip", showlegend=False,
                 marker={"symbol": "square", "size": 100, "color": [PALETTE[1], PALETTE[0], PALETTE[2]],
                         "opacity": 0.25, "line": {"color": PALETTE[7], "width": 1}})]

    def arrow(start, end, colour, shift=0.0):
        # Vertical arrows stop short of the boxes and are shifted sideways so the two do not overlap.
        (x0, y0), (x1, y1) = places[start], places[end]
        gap = 0.5 if y1 < y0 else -0.5 if y1 > y0 else 0
        return dict(x=x1 + shift, y=y1 + gap, ax=x0 + shift, ay=y0 - gap,
                    xref="x", yref="y", axref="x", ayref="y", showarrow=True, arrowhead=3, arrowwidth=2,
                    arrowcolor=colour, text="")

    def label(x, y, text, anchor):
        return dict(x=x, y=y, xref="x", yref="y", showarrow=False, text=_wrapped(text, 28), xanchor=anchor,
                    font={"size": 13})

    annotations = [
        {**arrow("bidder", "nonprofit", PALETTE[1]), "x": 1.55, "ax": 0.45},
        arrow("nonprofit", "company", PALETTE[0], shift=-0.15),
        arrow("company", "nonprofit", PALETTE[2], shift=0.15),
        label(1.0, 1.3, parts["offer"], "center"),
        label(1.8, 0.2, parts["controls"], "right"),
        label(2.2, 0.2, parts["pays"], "left"),
    ]
    layout = figure_layout(_("bid_diagram.title"), showlegend=False, annotations=annotations, height=460,
                           xaxis={"visible": False, "range": [-0.6, 3.4]},
                           yaxis={"visible": False, "range": [-1.2, 1.7]})
    return _figure(data, layout)


def describe_bid_for_control(bid: pd.DataFrame, people: pd.DataFrame, organisations: pd.DataFrame) -> str:
    """The diagram of :func:`bid_for_control` in one paragraph."""
    parts = _control_parts(bid, people, organisations)
    return _("bid_diagram.describe", bidder=parts["bidder"], offer=parts["offer"], nonprofit=parts["nonprofit"],
             company=parts["company"])


def bid_for_control_table(bid: pd.DataFrame, people: pd.DataFrame, organisations: pd.DataFrame) -> pd.DataFrame:
    """The arrows of :func:`bid_for_control`: who, to whom, what."""
    parts = _control_parts(bid, people, organisations)
    return pd.DataFrame({
        _("bid_diagram.col_from"): [parts["bidder"], parts["nonprofit"], parts["company"]],
        _("bid_diagram.col_to"): [parts["nonprofit"], parts["company"], parts["nonprofit"]],
        _("bid_diagram.col_what"): [parts["offer"], parts["controls"], parts["pays"]],
    })
