"""Calculators: the capped-return calculator (lesson 02) and the bid calculator (lesson 04).

Thin widgets: controls with visible labels, a message line and a :class:`ChartPanel` (figure, text
summary, table view). Every number comes from :mod:`lessons.charts.money`; the bid calculator reads
the funding rounds and the bid from :mod:`lessons.data` each time it is created, so a row a teacher
adds to ``data/funding.csv`` shows up as a new preset.

>>> calc = CappedReturnCalculator(investment=10_000_000, cap=100, exit_value=5_000_000_000)
>>> calc.cap.value = 20          # the summary, chart and table follow
>>> bid = BidCalculator(stake=0.26)
>>> bid.valuation.value = "custom"; bid.custom_valuation.value = 300   # billions of dollars
"""

from __future__ import annotations

import ipywidgets as widgets
import pandas as pd
import traitlets

from .. import data
from ..charts import money as charts
from ..i18n import _, percent
from ._panel import ChartPanel, Message, field_layout

__all__ = ["CappedReturnCalculator", "BidCalculator"]

_STYLE = {"description_width": "initial"}
CUSTOM = charts.CUSTOM


def _set_initial(control, value, problems: list[str], message_key: str) -> None:
    """Give ``control`` a starting value; a value of the wrong type is reported, not raised."""
    try:
        control.value = value
    except (traitlets.TraitError, TypeError, ValueError):
        problems.append(_(message_key))


class CappedReturnCalculator(widgets.VBox):
    """How a cap on investor returns splits the value of a stake (lesson 02).

    Controls (public, so a test or a lesson can set ``.value``): ``investment`` (dollars), ``cap``
    (a multiple: 100 for OpenAI LP's first investors in 2019) and ``exit_value`` (what the
    investor's stake would be worth without a cap, in dollars). Shows the investor's capped payout
    and the excess that goes to the nonprofit as a chart, a text summary and a table. The cap limits
    investor returns, not company profits.
    """

    def __init__(self, investment: float = 10_000_000, cap: float = 100, exit_value: float = 5_000_000_000):
        self.investment, self.cap, self.exit_value = (
            widgets.FloatText(value=start, description=_(key), style=_STYLE, layout=field_layout(_(key)))
            for start, key in ((10_000_000, "capped.investment"), (100, "capped.cap"),
                               (5_000_000_000, "capped.exit_value")))
        problems: list[str] = []
        _set_initial(self.investment, investment, problems, "capped.invalid.investment")
        _set_initial(self.cap, cap, problems, "capped.invalid.cap")
        _set_initial(self.exit_value, exit_value, problems, "capped.invalid.exit_value")
        self.message = Message()
        self.panel = ChartPanel()
        super().__init__([widgets.VBox([self.investment, self.cap, self.exit_value]),
                          self.message, self.panel])
        for control in (self.investment, self.cap, self.exit_value):
            control.observe(self._redraw, "value")
        self._redraw()
        if problems:
            self.message.warn(" ".join(problems))

    def _redraw(self, _change=None) -> None:
        values = (self.investment.value, self.cap.value, self.exit_value.value)
        try:
            figure = charts.capped_return_chart(*values)
            self.panel.show(figure, charts.describe_capped_return_chart(*values),
                            charts.capped_return_chart_table(*values), caption=_("capped.title"))
            self.message.say("")
        except charts.InputError as error:
            self.message.warn(_(f"capped.invalid.{error.parameter}"))
        except Exception:  # a widget never shows a traceback
            self.message.warn(_("capped.error"))


class BidCalculator(widgets.VBox):
    """The nonprofit's stake at a valuation, against the $97.4 billion bid (lesson 04).

    Controls: ``valuation`` (a dropdown of the valuations in ``data/funding.csv``, plus "custom"),
    ``custom_valuation`` (billions of dollars, used when ``valuation`` is ``"custom"``) and ``stake``
    (the nonprofit's stake, 0–1). Shows the implied value of the stake (valuation × stake), the bid
    read from ``data/bid.csv`` and the ratio bid ÷ implied value, as a chart of every valuation, a
    text summary and a table.

    Parameters
    ----------
    stake : float
        Starting stake (0.26: the OpenAI Foundation's share after October 2025).
    valuation : str, optional
        ``id`` of the funding row to start on; by default the latest valuation before the bid.
    """

    def __init__(self, *, stake: float = 0.26, valuation: str | None = None):
        problems: list[str] = []
        self._presets = pd.DataFrame(columns=["id", "label", "valuation_usd", "date"])
        self._offer = None
        try:
            self._presets = charts.valuation_presets(data.funding())
            self._offer = charts.bid_offer(data.bid())
        except data.DataError as error:
            problems.append(_("bid.data_error", error=str(error)))
        except ValueError:
            problems.append(_("bid.no_offer"))
        options = [(label, row_id) for label, row_id in zip(self._presets["label"], self._presets["id"])]
        options.append((_("bid.custom_option"), CUSTOM))
        start = self._default_valuation(valuation)
        self.valuation = widgets.Dropdown(options=options, value=start, description=_("bid.valuation"),
                                          style=_STYLE, layout=widgets.Layout(width="max-content", max_width="100%"))
        start_billions = 100.0
        if start != CUSTOM:
            start_billions = float(self._presets.set_index("id").loc[start, "valuation_usd"]) / 1e9
        self.custom_valuation = widgets.FloatText(value=start_billions, description=_("bid.custom_valuation"),
                                                  style=_STYLE, disabled=start != CUSTOM,
                                                  layout=field_layout(_("bid.custom_valuation")))
        # A labelled number field rather than a slider: a slider's handle has no accessible name.
        self.stake = widgets.BoundedFloatText(value=0.26, min=0, max=1, step=0.01, description=_("bid.stake"),
                                              style=_STYLE, layout=field_layout(_("bid.stake")))
        _set_initial(self.stake, stake, problems, "bid.invalid.stake")
        if valuation is not None and start != valuation:
            problems.append(_("bid.unknown_valuation", valuation=str(valuation)))
        self.message = Message()
        self.panel = ChartPanel()
        super().__init__([self.valuation, widgets.VBox([self.custom_valuation, self.stake]),
                          self.message, self.panel])
        for control in (self.valuation, self.custom_valuation, self.stake):
            control.observe(self._redraw, "value")
        self._redraw()
        if problems:
            self.message.warn(" ".join(problems))

    @property
    def bid_usd(self) -> int | None:
        """The bid's amount in dollars, from ``data/bid.csv`` (``None`` if the data has none)."""
        return None if self._offer is None else self._offer["amount_usd"]

    def _default_valuation(self, wanted) -> str:
        ids = list(self._presets["id"])
        if wanted in ids or wanted == CUSTOM:
            return wanted
        if not ids:
            return CUSTOM
        if self._offer is not None:
            before = self._presets[self._presets["date"] <= self._offer["date"]]
            if len(before):
                return str(before["id"].iloc[-1])
        return ids[-1]

    def _redraw(self, _change=None) -> None:
        try:
            selected = self.valuation.value
            self.custom_valuation.disabled = selected != CUSTOM
            if self._offer is None:
                return
            valuations = self._presets
            if selected == CUSTOM:
                valuations = charts.with_custom_valuation(valuations, self.custom_valuation.value * 1e9)
            arguments = (valuations, self._offer["amount_usd"], self.stake.value, selected)
            figure = charts.bid_against_valuations(*arguments)
            summary = charts.describe_bid_against_valuations(*arguments, bid_date=self._offer["date"])
            self.panel.show(figure, summary, charts.bid_against_valuations_table(*arguments),
                            caption=_("bid.title", stake=percent(self.stake.value)))
            self.message.say("")
        except charts.InputError as error:
            key = {"valuation_usd": "bid.invalid.custom_valuation", "stake": "bid.invalid.stake"}.get(
                error.parameter, "bid.error")
            self.message.warn(_(key))
        except Exception:  # a widget never shows a traceback
            self.message.warn(_("bid.error"))
