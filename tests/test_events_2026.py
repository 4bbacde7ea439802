"""The 2026 events, the corrected event rows and the comparison table, as issue 11 asks for them."""

from __future__ import annotations

import nbformat
import pandas as pd
import pytest

import lessons.data as data
from test_lessons import EDITIONS, PATHS

QUALIFYING_KINDS = {"primary document", "wire", "newspaper"}
ADDED_EVENTS = [
    "2025-08-x-xai-antitrust-suit", "2025-09-xai-trade-secrets-suit", "2025-11-13-antitrust-suit-proceeds",
    "2026-02-13-irs-mission-without-safely", "2026-02-24-xai-suit-dismissed", "2026-06-01-florida-suit",
    "2026-06-12-spacex-listing", "2026-06-15-xai-suit-dismissed-with-prejudice",
]


def event(event_id: str) -> pd.Series:
    return data.events().set_index("id").loc[event_id]


def source_kinds(event_id: str) -> set[str]:
    return set(data.sources_for(event(event_id))["kind"])


# --------------------------------------------------------------------------------------------
# "As of": the date comes from the data.
# --------------------------------------------------------------------------------------------

def test_as_of_is_the_latest_day_a_source_was_read():
    assert data.as_of() == data.sources()["accessed"].max()


def test_as_of_moves_when_a_source_is_read_later(data_copy):
    source_id = data.sources()["id"].iloc[0]
    data_copy.set("sources", source_id, "accessed", "2027-01-15")
    assert data.as_of() == pd.Timestamp("2027-01-15")


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("lesson", ["06", "07"])
def test_lessons_06_and_07_take_their_as_of_date_from_the_data(language, lesson):
    name = next(n for n in EDITIONS[language]["names"] if n.startswith(lesson))
    notebook = nbformat.read(PATHS[(language, name)], as_version=4)
    text = "\n".join(cell.source for cell in notebook.cells)
    for fixed in ("29 November 2026", "November 2026", "29 novembre 2026", "novembre 2026"):
        assert fixed not in text
    assert "data.as_of()" in text


# --------------------------------------------------------------------------------------------
# Events added for 2025–2026.
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("event_id", ADDED_EVENTS)
def test_each_added_event_that_is_confirmed_cites_a_primary_wire_or_newspaper_source(event_id):
    row = event(event_id)
    if row["status"] == "confirmed":
        assert source_kinds(event_id) & QUALIFYING_KINDS


def test_irs_filing_without_safely_is_reported_because_only_analyses_support_it():
    row = event("2026-02-13-irs-mission-without-safely")
    assert row["status"] == "reported"
    assert not source_kinds("2026-02-13-irs-mission-without-safely") & QUALIFYING_KINDS
    assert '"safely"' in row["summary_en"] and "«\u00a0safely\u00a0»" in row["summary_fr"]


def test_xai_trade_secrets_suit_was_dismissed_in_february_then_with_prejudice_in_june():
    events = data.events().set_index("id")
    assert events.loc["2025-09-xai-trade-secrets-suit", ["date", "date_precision"]].tolist() == [
        pd.Timestamp("2025-09-01"), "month"]
    assert events.loc["2026-02-24-xai-suit-dismissed", "date"] == pd.Timestamp("2026-02-24")
    assert events.loc["2026-06-15-xai-suit-dismissed-with-prejudice", "date"] == pd.Timestamp("2026-06-15")
    assert "with prejudice" in events.loc["2026-06-15-xai-suit-dismissed-with-prejudice", "summary_en"]


def test_florida_suit_is_labelled_consumer_protection_not_governance():
    row = event("2026-06-01-florida-suit")
    assert (row["date"], row["date_precision"], row["category"]) == (pd.Timestamp("2026-06-01"), "day", "litigation")
    assert "consumer-protection case" in row["summary_en"] and "does not change who controls OpenAI" in row["summary_en"]
    assert "protection des consommateurs" in row["summary_fr"]


def test_spacex_listing_puts_xai_inside_a_listed_company_on_12_june_2026():
    row = event("2026-06-12-spacex-listing")
    assert row["date"] == pd.Timestamp("2026-06-12") and {"spacex", "xai"} <= set(row["actors"])


def test_every_xai_event_of_2026_is_shown_by_lesson_07s_xai_cell():
    events = data.events()
    xai_2026 = set(events[events["actors"].map(lambda ids: "xai" in ids) & (events["date"] >= "2026-01-01")]["id"])
    assert {"2026-02-02-spacex-acquires-xai", "2026-02-24-xai-suit-dismissed", "2026-06-12-spacex-listing",
            "2026-06-15-xai-suit-dismissed-with-prejudice"} <= xai_2026


# --------------------------------------------------------------------------------------------
# Corrected rows.
# --------------------------------------------------------------------------------------------

def test_shear_was_named_on_sunday_19_november_and_the_staff_letter_came_on_monday_20_november():
    shear, letter = event("2023-11-19-shear-interim"), event("2023-11-19-staff-threat")
    assert shear["date"] == pd.Timestamp("2023-11-19") and shear["date"].day_name() == "Sunday"
    assert "20 November" in shear["summary_en"]  # why some outlets give the next day
    assert letter["date"] == pd.Timestamp("2023-11-20") and letter["date"].day_name() == "Monday"


def test_subpoena_was_served_on_friday_12_june_2026_and_is_only_reported():
    row = event("2026-06-ag-subpoena")
    assert (row["date"], row["date_precision"], row["status"]) == (pd.Timestamp("2026-06-12"), "day", "reported")
    assert row["date"].day_name() == "Friday"
    assert "42 states is not confirmed" in row["summary_en"]


@pytest.mark.parametrize("event_id", ["2026-04-24-fraud-claims-dismissed", "2026-05-12-altman-testifies",
                                      "2026-05-14-closing-arguments", "2026-02-foundation-controls-pbc"])
def test_points_known_only_from_secondary_reports_are_reported(event_id):
    assert event(event_id)["status"] == "reported"


def test_microsoft_amendment_is_announced_by_both_companies_and_cites_microsofts_post():
    row = event("2026-04-27-microsoft-amendment")
    assert row["status"] == "confirmed" and "microsoft-blog-2026-04-27" in row["source_ids"]
    assert "primary document" in source_kinds("2026-04-27-microsoft-amendment")


def test_march_2025_round_is_described_as_announced_not_closed():
    summary = event("2025-03-31-round-300b")["summary_en"]
    assert summary.startswith("OpenAI announced") and "not closed" in summary


def test_appeal_vow_attributes_the_ninth_circuit_only_to_musk():
    summary = event("2026-05-18-appeal-vow")["summary_en"]
    assert summary.index("Ninth Circuit") < summary.index("Steven Molo")
    assert '"we intend to appeal"' in summary and '"This one is not over"' in summary


def test_control_right_is_given_in_each_sources_own_words():
    summary = event("2025-10-27-attorneys-general-clearance")["summary_en"]
    assert '"exclusive authority to appoint and remove"' in summary
    assert '"sole right to hire and non-exclusive right to fire"' in summary


def test_ai_act_rows_give_the_article_50_2_grace_period_and_label_the_postponement_reported():
    main = event("2026-08-02-ai-act-main-provisions")["summary_en"]
    assert "2 December 2026" in main and "Article 50(2)" in main
    assert "reported, not confirmed" in main
    assert "2 December 2026 for the Article 50(2) marking duty" in event("2026-05-07-omnibus-deal")["summary_en"]


# --------------------------------------------------------------------------------------------
# The comparison table.
# --------------------------------------------------------------------------------------------

def test_comparison_answers_every_cell_from_the_sources():
    comparison = data.comparison()
    assert len(comparison) == 30
    assert not (comparison["value_en"] == "not in our sources").any()
    assert not (comparison["value_fr"] == "absent de nos sources").any()


@pytest.mark.parametrize("cell", ["anthropic-outside-equity", "mozilla-board-appointed-by", "xai-board-appointed-by",
                                  "openai-2015-board-appointed-by"])
def test_formerly_empty_cells_cite_new_sources(cell):
    row = data.comparison().set_index("id").loc[cell]
    assert not set(row["source_ids"]) <= {"ibtimes-uk-2023-12", "piglix-wikipedia-nodate", "reuters-2015-12-11",
                                          "openai-our-structure-2023-06-28"}
