"""The capped-return and bid calculators, and the money charts behind them (lessons 02, 04, 06)."""

from __future__ import annotations

import json
import math

import ipywidgets as widgets
import pandas as pd
import plotly.io as pio
import pytest
import traitlets
from hypothesis import given, settings
from hypothesis import strategies as st

import lessons
import lessons.data as data
from lessons.charts import PALETTE
from lessons.charts import money as charts
from lessons.i18n import money
from lessons.widgets.calculators import BidCalculator, CappedReturnCalculator

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
FAST = settings(max_examples=25, deadline=None)


def _html_values(widget) -> list[str]:
    """Every HTML string the widget tree shows (HTML widgets, including messages and tables)."""
    found = []
    if isinstance(widget, (widgets.HTML, widgets.HTMLMath)):
        found.append(widget.value)
    for child in getattr(widget, "children", ()):
        found.extend(_html_values(child))
    return found


def _descriptions(widget) -> list[str]:
    found = [widget.description] if getattr(widget, "description", "") else []
    for child in getattr(widget, "children", ()):
        found.extend(_descriptions(child))
    return found


def _offer() -> dict:
    return charts.bid_offer(data.bid())


def _presets() -> pd.DataFrame:
    return charts.valuation_presets(data.funding())


def _is_warning(calc) -> bool:
    return "lessons-warning" in calc.message.value


# --------------------------------------------------------------------------------------------
# capped_payout and the capped-return chart (pure).
# --------------------------------------------------------------------------------------------

def test_capped_payout_limits_the_investor_to_investment_times_cap():
    assert charts.capped_payout(10_000_000, 100, 5_000_000_000) == (1_000_000_000, 4_000_000_000)


def test_capped_payout_below_the_cap_sends_nothing_to_the_nonprofit():
    assert charts.capped_payout(10_000_000, 100, 500_000_000) == (500_000_000, 0)


@pytest.mark.parametrize(("arguments", "parameter"), [
    ((-1, 100, 1e9), "investment"),
    ((0, 100, 1e9), "investment"),
    ((1e7, 0, 1e9), "cap"),
    ((1e7, -5, 1e9), "cap"),
    ((1e7, 100, -1), "exit_value"),
    ((1e7, 100, math.nan), "exit_value"),
    ((1e7, math.inf, 1e9), "cap"),
    (("10M", 100, 1e9), "investment"),
    ((1e7, True, 1e9), "cap"),
    ((1e7, 100, None), "exit_value"),
])
def test_capped_payout_bad_input_raises_value_error_naming_the_parameter(arguments, parameter):
    with pytest.raises(ValueError, match=rf"^{parameter}: expected") as raised:
        charts.capped_payout(*arguments)
    assert raised.value.parameter == parameter


@FAST
@given(investment=st.floats(1, 1e12), cap=st.floats(0.01, 1000), exit_value=st.floats(0, 1e15))
def test_capped_payout_and_excess_add_up_to_the_exit_value(investment, cap, exit_value):
    payout, excess = charts.capped_payout(investment, cap, exit_value)
    assert payout <= investment * cap * (1 + 1e-12)
    assert excess >= 0
    assert math.isclose(payout + excess, exit_value, rel_tol=1e-9, abs_tol=1e-6)


def test_capped_return_chart_stacks_payout_and_excess_under_a_cap_line():
    figure = charts.capped_return_chart(10_000_000, 100, 5_000_000_000)
    assert [trace.type for trace in figure.data] == ["bar", "bar"]
    assert [list(trace.y) for trace in figure.data] == [[1_000_000_000], [4_000_000_000]]
    assert figure.layout.barmode == "stack"
    assert figure.layout.shapes[0].y0 == 1_000_000_000


def test_capped_return_table_lists_investment_cap_payout_and_excess():
    table = charts.capped_return_chart_table(10_000_000, 100, 5_000_000_000)
    assert list(table.columns) == ["Item", "Amount", "US dollars"]
    assert table["Amount"].tolist() == ["$10 million", "100×", "$1 billion", "$5 billion", "$1 billion", "$4 billion"]


def test_capped_return_description_says_the_cap_limits_returns_not_profits():
    text = charts.describe_capped_return_chart(10_000_000, 100, 5_000_000_000)
    assert "receives $1 billion" in text and "$4 billion, goes to the nonprofit" in text
    assert "not how much profit the company makes" in text


# --------------------------------------------------------------------------------------------
# CappedReturnCalculator.
# --------------------------------------------------------------------------------------------

def test_capped_calculator_default_shows_the_2019_first_round_cap():
    calc = CappedReturnCalculator()
    assert calc.cap.value == 100
    assert [list(trace.y) for trace in calc.panel.figure.data] == [[1_000_000_000], [4_000_000_000]]
    assert "$4 billion" in calc.panel.summary_text
    assert calc.message.value == ""


def test_capped_calculator_lower_cap_sends_more_to_the_nonprofit():
    calc = CappedReturnCalculator(investment=10_000_000, cap=100, exit_value=5_000_000_000)
    calc.cap.value = 20
    assert [list(trace.y) for trace in calc.panel.figure.data] == [[200_000_000], [4_800_000_000]]
    assert "$4.8 billion" in calc.panel.summary_text
    assert calc.panel.table.iloc[-1, 1] == "$4.8 billion"


def test_capped_calculator_exit_below_cap_says_nothing_goes_to_the_nonprofit():
    calc = CappedReturnCalculator()
    calc.exit_value.value = 300_000_000
    assert "nothing goes to the nonprofit" in calc.panel.summary_text
    assert list(calc.panel.figure.data[1].y) == [0]


@pytest.mark.parametrize(("control", "value", "words"), [
    ("investment", -5, "Investment: enter an amount in dollars greater than 0"),
    ("cap", 0, "Cap: enter a multiple greater than 0"),
    ("exit_value", -1, "Value of the stake: enter an amount in dollars of 0 or more"),
    ("exit_value", math.nan, "Value of the stake"),
    ("investment", math.inf, "Investment"),
])
def test_capped_calculator_bad_input_shows_a_warning_and_keeps_the_last_chart(control, value, words):
    calc = CappedReturnCalculator()
    before = calc.panel.figure
    getattr(calc, control).value = value
    assert _is_warning(calc)
    assert words in calc.message.text
    assert calc.panel.figure is before


def test_capped_calculator_warning_clears_once_the_input_is_fixed():
    calc = CappedReturnCalculator()
    calc.cap.value = -1
    calc.cap.value = 10
    assert calc.message.value == ""
    assert list(calc.panel.figure.data[0].y) == [100_000_000]


def test_capped_calculator_text_given_to_the_constructor_warns_instead_of_raising():
    calc = CappedReturnCalculator(investment="ten million")
    assert _is_warning(calc)
    assert "Investment" in calc.message.text
    assert calc.investment.value == 10_000_000


def test_capped_calculator_every_control_has_a_visible_label():
    calc = CappedReturnCalculator()
    for control in (calc.investment, calc.cap, calc.exit_value):
        assert control.description
        assert control.style.description_width == "initial"


@FAST
@given(st.lists(st.tuples(st.sampled_from(["investment", "cap", "exit_value"]),
                          st.one_of(st.floats(allow_nan=True, allow_infinity=True),
                                    st.integers(-10**15, 10**15))), max_size=12))
def test_capped_calculator_random_changes_never_raise_and_match_capped_payout(changes):
    calc = CappedReturnCalculator()
    for name, value in changes:
        getattr(calc, name).value = value
        values = (calc.investment.value, calc.cap.value, calc.exit_value.value)
        try:
            expected = charts.capped_payout(*values)
        except ValueError:
            assert _is_warning(calc)
        else:
            if not _is_warning(calc):  # numbers too large for a chart may still warn; never raise
                assert [trace.y[0] for trace in calc.panel.figure.data] == list(expected)


def test_capped_calculator_french_labels_and_summary():
    lessons.set_language("fr")
    calc = CappedReturnCalculator()
    assert calc.investment.description == "Investissement (en dollars)"
    assert "4\u00a0milliards de dollars" in calc.panel.summary_text
    assert "pas les bénéfices de l’entreprise" in calc.panel.summary_text
    assert "Élément" in calc.panel.table.columns
    calc.cap.value = 0
    assert calc.message.text.startswith("Plafond\u00a0:")


# --------------------------------------------------------------------------------------------
# Valuation presets and the bid chart (pure).
# --------------------------------------------------------------------------------------------

def test_bid_offer_is_read_from_the_offer_row_of_bid_csv():
    offer = _offer()
    rows = data.bid().query("step == 'offer'")
    assert offer["amount_usd"] == int(rows["amount_usd"].iloc[0]) == 97_400_000_000
    assert offer["date"] == pd.Timestamp("2025-02-10")


def test_valuation_presets_hold_every_funding_row_with_a_valuation_oldest_first():
    presets = _presets()
    funding = data.funding()
    assert set(presets["id"]) == set(funding.loc[funding["valuation_usd"].notna(), "id"])
    assert presets["date"].is_monotonic_increasing


def test_valuation_preset_label_gives_date_at_its_precision_deal_amount_and_basis():
    labels = _presets().set_index("id")["label"]
    assert labels["2024-10-02-primary-round"] == (
        "2 October 2024 — $6.6 billion funding round at $157 billion — $157 billion (basis not stated)")
    assert labels["2025-03-31-primary-round"].endswith("— $300 billion (post-money)")
    assert labels["2021-valuation-14b"].startswith("2021 — ")


def test_bid_chart_draws_one_bar_per_valuation_and_a_line_at_the_bid():
    presets = _presets()
    figure = charts.bid_against_valuations(presets, 97_400_000_000, 0.26, "2024-10-02-primary-round")
    bars, line = figure.data
    assert len(bars.x) == len(presets)
    assert list(bars.y) == pytest.approx([v * 0.26 for v in presets["valuation_usd"]])
    assert set(line.y) == {97_400_000_000}
    assert list(bars.marker.color).count(PALETTE[3]) == 1


def test_bid_description_gives_stake_value_and_ratio_at_157_billion():
    text = charts.describe_bid_against_valuations(_presets(), 97_400_000_000, 0.26, "2024-10-02-primary-round")
    assert "a 26% stake is worth $40.82 billion" in text
    assert "2.39× that value: above it" in text


def test_bid_description_says_a_zero_stake_cannot_be_compared():
    text = charts.describe_bid_against_valuations(_presets(), 97_400_000_000, 0, "2024-10-02-primary-round")
    assert "cannot be expressed as a multiple" in text


def test_bid_table_marks_the_selected_row_and_gives_the_ratio():
    table = charts.bid_against_valuations_table(_presets(), 97_400_000_000, 0.26, "2025-03-31-primary-round")
    selected = table[table["Selected"] == "●"]
    assert len(selected) == 1
    assert selected["Bid ÷ stake value"].iloc[0] == "1.25×"
    assert selected["Value of a 26% stake"].iloc[0] == "$78 billion"


def test_with_custom_valuation_rejects_a_negative_valuation():
    with pytest.raises(ValueError, match="^valuation_usd: expected"):
        charts.with_custom_valuation(_presets(), -1)


def test_implied_stake_value_rejects_a_stake_above_one():
    with pytest.raises(ValueError, match="^stake: expected a fraction between 0 and 1"):
        charts.implied_stake_value(1e9, 1.5)


def test_valuations_over_time_draws_valuations_the_bid_line_and_a_marker_on_the_day():
    offer = _offer()
    figure = charts.valuations_over_time(data.funding(), offer["amount_usd"], offer["date"])
    series, line, marker = figure.data
    assert len(series.y) == len(_presets())
    assert set(line.y) == {97_400_000_000}
    assert list(marker.x) == ["2025-02-10"]


def test_valuations_over_time_draws_a_year_in_the_middle_of_that_year():
    figure = charts.valuations_over_time(data.funding(), 97_400_000_000)
    assert len(figure.data) == 2
    assert figure.data[0].x[0] == "2021-07-02"


@pytest.mark.parametrize("build", [
    lambda: charts.capped_return_chart(10_000_000, 100, 5_000_000_000),
    lambda: charts.bid_against_valuations(
        charts.with_custom_valuation(_presets(), 2e11), 97_400_000_000, 0.26, "custom"),
    lambda: charts.valuations_over_time(data.funding(), 97_400_000_000, "2025-02-10"),
], ids=["capped_return_chart", "bid_against_valuations", "valuations_over_time"])
def test_every_money_chart_passes_plotly_validation(build):
    import plotly.graph_objects as go

    figure = build()  # built without validation, for speed
    validated = go.Figure(figure.to_dict())
    assert validated.to_plotly_json() == figure.to_plotly_json()


def test_valuations_over_time_marks_reported_valuations_with_hollow_markers():
    figure = charts.valuations_over_time(data.funding(), 97_400_000_000)
    presets = _presets()
    symbols = dict(zip(presets["id"], figure.data[0].marker.symbol))
    assert symbols["2023-01-microsoft-deal-terms"] == "circle-open"
    assert symbols["2024-10-02-primary-round"] == "circle"


def test_valuations_over_time_description_names_the_latest_valuation_before_the_bid():
    offer = _offer()
    text = charts.describe_valuations_over_time(data.funding(), offer["amount_usd"], offer["date"])
    assert "The latest valuation before the bid was $157 billion (2 October 2024); the bid came to 62% of it." in text
    assert "not for shares of the for-profit" in text


def test_valuations_over_time_table_has_one_row_per_valuation():
    table = charts.valuations_over_time_table(data.funding())
    assert len(table) == len(_presets())
    assert table["Valuation (US dollars)"].iloc[-1] == _presets()["valuation_usd"].iloc[-1]


# --------------------------------------------------------------------------------------------
# BidCalculator.
# --------------------------------------------------------------------------------------------

def test_bid_calculator_starts_on_the_latest_valuation_before_the_bid():
    calc = BidCalculator()
    presets = _presets()
    expected = presets[presets["date"] <= _offer()["date"]]["id"].iloc[-1]
    assert calc.valuation.value == expected == "2024-10-02-primary-round"
    assert calc.stake.value == 0.26
    assert calc.bid_usd == 97_400_000_000


def test_bid_calculator_offers_every_preset_and_a_custom_option():
    calc = BidCalculator()
    values = [value for _label, value in calc.valuation.options]
    assert values == [*_presets()["id"], "custom"]


def test_bid_calculator_summary_at_157_billion_and_26_percent():
    calc = BidCalculator()
    assert "$40.82 billion" in calc.panel.summary_text
    assert "2.39×" in calc.panel.summary_text
    assert "$97.4 billion" in calc.panel.summary_text


def test_bid_calculator_stake_slider_redraws_the_bars():
    calc = BidCalculator()
    calc.stake.value = 0.5
    assert "a 50% stake is worth $78.5 billion" in calc.panel.summary_text
    assert max(calc.panel.figure.data[0].y) == pytest.approx(852e9 * 0.5)


def test_bid_calculator_later_valuation_is_below_the_bid_and_flagged_as_after_it():
    calc = BidCalculator()
    calc.valuation.value = "2026-03-31-round-closed"
    assert "0.44× that value: below it" in calc.panel.summary_text
    assert "came after the bid" in calc.panel.summary_text


def test_bid_calculator_custom_valuation_in_billions_is_used_when_custom_is_picked():
    calc = BidCalculator()
    assert calc.custom_valuation.disabled
    calc.valuation.value = "custom"
    calc.custom_valuation.value = 200
    assert not calc.custom_valuation.disabled
    assert "a 26% stake is worth $52 billion" in calc.panel.summary_text
    bars = calc.panel.figure.data[0]
    assert len(bars.x) == len(_presets()) + 1
    assert bars.marker.color[-1] == PALETTE[3]


def test_bid_calculator_custom_valuation_has_a_visible_label():
    calc = BidCalculator()
    assert calc.custom_valuation.description == "Your valuation (billions of US dollars)"


@pytest.mark.parametrize("value", [-3, math.nan, math.inf])
def test_bid_calculator_bad_custom_valuation_shows_a_warning(value):
    calc = BidCalculator()
    calc.valuation.value = "custom"
    calc.custom_valuation.value = value
    assert _is_warning(calc)
    assert calc.message.text.startswith("Your valuation: enter a number of billions")


def test_bid_calculator_zero_stake_explains_instead_of_dividing_by_zero():
    calc = BidCalculator()
    calc.stake.value = 0
    assert not _is_warning(calc)
    assert "cannot be expressed as a multiple" in calc.panel.summary_text


def test_bid_calculator_unknown_starting_valuation_warns_and_uses_the_default():
    calc = BidCalculator(valuation="no-such-round")
    assert _is_warning(calc)
    assert "no-such-round" in calc.message.text
    assert calc.valuation.value == "2024-10-02-primary-round"


def test_bid_calculator_shows_a_valuation_a_teacher_adds_to_funding_csv(data_copy):
    data_copy.append("funding", id="2027-01-01-teacher-round", date="2027-01-01", date_precision="day",
                     deal_en="A round added by a teacher", deal_fr="Un tour ajouté par un enseignant",
                     kind="primary round", amount_usd="1000000000", valuation_usd="1000000000000",
                     valuation_basis="post-money", status="confirmed",
                     source_ids=data.sources()["id"].iloc[0])
    calc = BidCalculator()
    labels = dict((value, label) for label, value in calc.valuation.options)
    assert labels["2027-01-01-teacher-round"].startswith("1 January 2027 — A round added by a teacher — $1 trillion")


def test_bid_calculator_without_an_offer_amount_shows_a_message(data_copy):
    data_copy.set("bid", "bid-2025-02-10-offer", "amount_usd", "")
    calc = BidCalculator()
    assert _is_warning(calc)
    assert "data/bid.csv has no row with the step 'offer' and an amount" in calc.message.text


def test_bid_calculator_broken_funding_csv_shows_the_whole_data_error(data_copy):
    row = data_copy.set("funding", "2024-10-02-primary-round", "valuation_usd", "157 billion")
    calc = BidCalculator()
    assert _is_warning(calc)
    assert calc.message.text == (
        f"The data could not be read. data/funding.csv, row {row} (id '2024-10-02-primary-round'), column "
        "'valuation_usd': expected a whole number without separators or decimals (e.g. 97400000000); "
        "got '157 billion'.")
    assert calc.valuation.options == (("Your own valuation (type it below)", "custom"),)


@FAST
@given(st.lists(st.one_of(
    st.tuples(st.just("valuation"), st.sampled_from(["2021-valuation-14b", "2024-10-02-primary-round",
                                                      "2026-03-31-round-closed", "custom", "not-an-option"])),
    st.tuples(st.just("stake"), st.one_of(st.floats(allow_nan=False), st.integers(-5, 5))),
    st.tuples(st.just("custom_valuation"), st.one_of(st.floats(allow_nan=True, allow_infinity=True),
                                                     st.integers(-10**6, 10**6)))), max_size=10))
def test_bid_calculator_random_changes_never_raise(changes):
    calc = BidCalculator()
    for name, value in changes:
        try:
            getattr(calc, name).value = value
        except traitlets.TraitError:
            assert name == "valuation"  # a Dropdown refuses a value that is not an option
        assert 0 <= calc.stake.value <= 1
        assert calc.message.value == "" or _is_warning(calc)
        if not _is_warning(calc):
            assert money(calc.bid_usd) in calc.panel.summary_text


def test_bid_calculator_escapes_html_in_deal_text(data_copy):
    data_copy.set("funding", "2024-10-02-primary-round", "deal_en", f"Round {SCRIPT} {IMG}")
    calc = BidCalculator()
    shown = _html_values(calc)
    for raw in (SCRIPT, IMG, "<script", "<img"):
        assert not any(raw in value for value in shown)
    assert any("&lt;script&gt;alert(1)&lt;/script&gt;" in value for value in shown)
    assert any("&lt;img src=x onerror=alert(1)&gt;" in value for value in shown)
    figure_json = pio.to_json(calc.panel.figure)
    assert "<script" not in figure_json and "<img" not in figure_json


def test_valuations_over_time_escapes_html_in_deal_text(data_copy):
    data_copy.set("funding", "2024-10-02-primary-round", "deal_en", f"Round {SCRIPT} {IMG}")
    figure = charts.valuations_over_time(data.funding(), 97_400_000_000, "2025-02-10")
    text = json.dumps(figure.to_plotly_json(), default=str)
    assert "<script" not in text and "<img" not in text
    assert "&lt;script&gt;" in text


def test_capped_calculator_html_holds_only_escaped_text():
    calc = CappedReturnCalculator()
    shown = " ".join(_html_values(calc))
    assert "<script" not in shown and "<img" not in shown
    assert "lessons-summary" in shown and "<table" in shown


def test_bid_calculator_french_labels_presets_and_summary():
    lessons.set_language("fr")
    calc = BidCalculator()
    labels = dict((value, label) for label, value in calc.valuation.options)
    assert labels["2024-10-02-primary-round"] == (
        "2 octobre 2024 — Levée de fonds de 6,6 milliards de dollars à 157 milliards — "
        "157\u00a0milliards de dollars (base non précisée)")
    assert labels["custom"] == "Votre propre valorisation (à saisir ci-dessous)"
    assert calc.stake.description == "Part de l’organisme à but non lucratif (de 0 à 1\u00a0; 0,26 = 26\u00a0%)"
    assert "40,82\u00a0milliards de dollars" in calc.panel.summary_text
    assert "2,39×" in calc.panel.summary_text
    assert "Opération" in calc.panel.table.columns
    assert all(description for description in _descriptions(calc))


def test_valuations_over_time_french_description():
    lessons.set_language("fr")
    text = charts.describe_valuations_over_time(data.funding(), 97_400_000_000, "2025-02-10")
    assert "La dernière valorisation avant l’offre était de 157\u00a0milliards de dollars (2 octobre 2024)" in text
