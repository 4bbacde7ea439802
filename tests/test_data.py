"""The data module: shapes and types, key facts, sourcing, and one clear error per kind of mistake."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import lessons.data as data
from conftest import DATA

TABLES = data.table_names()
FACT_TABLES = [name for name in TABLES if name not in ("sources", "glossary")]


# --- shapes and types -------------------------------------------------------------------------

def test_every_table_in_the_data_package_has_a_loader():
    assert TABLES == ["sources", "events", "people", "organisations", "board_seats", "structure", "funding",
                      "ownership", "bid", "bid_consortium", "quotes", "claims", "arguments", "glossary",
                      "comparison", "quiz"]
    for name in TABLES:
        assert callable(getattr(data, name)), name


@pytest.mark.parametrize("name", TABLES)
def test_loader_returns_the_columns_of_the_data_package_in_order(name):
    fields = [field["name"] for field in data._resource(name)["schema"]["fields"]]
    assert list(getattr(data, name)().columns) == fields


@pytest.mark.parametrize("name", TABLES)
def test_loader_docstring_describes_every_column(name):
    doc = getattr(data, name).__doc__
    for field in data._resource(name)["schema"]["fields"]:
        assert f"``{field['name']}``" in doc


def test_columns_are_typed():
    events = data.events()
    assert events["date"].dtype.kind == "M"
    assert isinstance(events["category"].dtype, pd.CategoricalDtype)
    assert list(events["date_precision"].cat.categories) == ["day", "month", "year"]
    assert all(isinstance(ids, tuple) for ids in events["source_ids"])
    funding = data.funding()
    assert funding["amount_usd"].dtype == "Int64"
    assert funding["valuation_usd"].dtype == "Int64"
    assert data.ownership()["share"].dtype == "float64"


def test_loads_are_cached_copies():
    first = data.events()
    first.loc[0, "title_en"] = "changed by a learner"
    assert data.events().loc[0, "title_en"] != "changed by a learner"


def test_a_teacher_edit_is_seen_on_the_next_load(data_copy):
    data_copy.set("events", "2025-02-10-bid", "title_en", "A corrected title")
    assert data.events().set_index("id").loc["2025-02-10-bid", "title_en"] == "A corrected title"


def test_at_least_80_events_across_every_category():
    events = data.events()
    assert len(events) >= 80
    assert set(events["category"].astype(str)) == set(events["category"].cat.categories)


def test_events_run_from_the_2015_founding_to_the_2026_verdict():
    events = data.events().set_index("id")
    assert events["date"].min() <= pd.Timestamp("2015-12-11")
    assert events["date"].max() >= pd.Timestamp("2026-05-18")


# --- sourcing and referential integrity --------------------------------------------------------

@pytest.mark.parametrize("name", FACT_TABLES)
def test_every_fact_row_cites_at_least_one_existing_source(name):
    known = set(data.sources()["id"])
    for row in getattr(data, name)().itertuples():
        assert row.source_ids, f"{name} row {row.id} cites no source"
        assert set(row.source_ids) <= known


def test_licence_is_cc_by_4_0():
    package = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    assert package["licenses"][0]["name"] == "CC-BY-4.0"


def test_learner_text_has_french_on_every_row():
    for name, columns in {"events": ["title_fr", "summary_fr"], "claims": ["claim_fr", "explanation_fr"],
                          "arguments": ["argument_fr"], "glossary": ["term_fr", "definition_fr"],
                          "quiz": ["question_fr", "explanation_fr"], "comparison": ["value_fr"]}.items():
        table = getattr(data, name)()
        for column in columns:
            missing = table.loc[table[column].isna(), "id"].tolist()
            assert missing == [], f"{name}.{column} missing for {missing}"


# --- key facts --------------------------------------------------------------------------------

def test_the_bid_was_97_4_billion_on_10_february_2025():
    offer = data.bid().query("step == 'offer'").iloc[0]
    assert offer["amount_usd"] == 97_400_000_000
    assert offer["date"] == pd.Timestamp("2025-02-10")
    assert offer["date_precision"] == "day"


def test_the_condition_came_on_12_february_and_the_rejection_on_14_february():
    assert set(data.bid().query("step == 'condition'")["date"]) == {pd.Timestamp("2025-02-12")}
    assert set(data.bid().query("step == 'rejection'")["date"]) == {pd.Timestamp("2025-02-14")}


def test_altmans_counter_offer_is_ten_percent_of_the_bid():
    offer = data.bid().query("step == 'offer'")["amount_usd"].iloc[0]
    reply = data.bid().query("step == 'reply'")["amount_usd"].dropna().iloc[0]
    assert reply / offer == pytest.approx(0.1)


def test_the_consortium_has_seven_members():
    assert len(data.bid_consortium()) == 7


def test_board_on_2023_11_17_has_six_directors():
    board = data.board_on("2023-11-17", organisation="openai-inc")
    directors = set(board.query("role == 'director'")["holder_id"])
    assert directors == {"sam-altman", "greg-brockman", "ilya-sutskever", "adam-dangelo", "tasha-mccauley",
                         "helen-toner"}


def test_board_on_2023_11_30_is_taylor_summers_dangelo_with_a_microsoft_observer():
    board = data.board_on("2023-11-30", organisation="openai-inc")
    assert set(board.query("role == 'director'")["holder_id"]) == {"bret-taylor", "larry-summers", "adam-dangelo"}
    assert set(board.query("role == 'chair'")["holder_id"]) == {"bret-taylor"}
    observers = board.query("role == 'observer'")
    assert set(observers.loc[observers["certain"], "holder_id"]) == {"microsoft"}


def test_october_2025_ownership_split():
    stakes = data.ownership_on("2025-10-28", entity="openai-group-pbc").set_index("holder_id")
    assert stakes.loc["openai-foundation", "share"] == pytest.approx(0.26)
    assert stakes.loc["microsoft", "share"] == pytest.approx(0.27)
    assert stakes.loc["employees-and-other-investors", "share"] == pytest.approx(0.47)
    assert stakes.loc["openai-foundation", "value_usd"] == 130_000_000_000
    assert stakes["share"].sum() == pytest.approx(1.0)


def test_the_reported_2023_profit_share_is_labelled_reported():
    reported = data.ownership().query("basis == 'reported profit share'")
    assert set(reported["status"].astype(str)) == {"reported"}
    assert reported.set_index("holder_id").loc["microsoft", "share"] == pytest.approx(0.49)


def test_structure_on_2020_has_the_nonprofit_controlling_the_general_partner():
    edges = data.structure_on("2020-06-01")
    assert {("openai-inc", "openai-gp-llc", "controls"), ("openai-gp-llc", "openai-lp", "manages")} <= set(
        zip(edges["from_id"], edges["to_id"], edges["relation"].astype(str)))


def test_structure_after_october_2025_has_the_foundation_controlling_the_pbc():
    edges = data.structure_on("2026-01-01")
    assert ("openai-foundation", "openai-group-pbc", "controls") in set(
        zip(edges["from_id"], edges["to_id"], edges["relation"].astype(str)))
    assert "openai-gp-llc" not in set(edges["from_id"])


def test_musk_left_the_board_in_february_2018():
    seats = data.board_seats().query("holder_id == 'elon-musk'")
    assert seats["end"].max() == pd.Timestamp("2018-02-20")


def test_sources_for_a_row_returns_its_sources():
    row = data.events().set_index("id").loc["2025-02-10-bid"]
    found = data.sources_for(row)
    assert list(found["id"]) == list(row["source_ids"])


def test_date_helpers_reject_a_malformed_date_with_the_parameter_name():
    with pytest.raises(ValueError, match=r"^date: expected a date written YYYY-MM-DD \(e.g. '2023-11-17'\); got '17/11/2023'.$"):
        data.board_on("17/11/2023")
    with pytest.raises(TypeError, match="^date: expected a date such as '2023-11-17'; got int 2023.$"):
        data.structure_on(2023)


def test_unknown_table_names_the_choices():
    with pytest.raises(ValueError, match="^table: expected one of sources, events"):
        data.load("event")


# --- one clear error per kind of mistake ------------------------------------------------------

def _error(data_copy, table):
    with pytest.raises(data.DataError) as caught:
        data.load(table)
    return str(caught.value)


def test_missing_column_is_named(data_copy):
    header, rows = data_copy.rows("events")
    header.remove("status")
    for row in rows:
        del row["status"]
    data_copy.write("events", header, rows)
    assert _error(data_copy, "events") == (
        "data/events.csv, row 1 (header): missing column 'status'; expected the columns id, date, date_precision, "
        "title_en, title_fr, summary_en, summary_fr, category, actors, status, source_ids.")


def test_unknown_column_is_named(data_copy):
    header, rows = data_copy.rows("events")
    header.append("notes")
    data_copy.write("events", header, rows)
    assert _error(data_copy, "events").startswith(
        "data/events.csv, row 1 (header), column 'notes': unknown column; expected only the columns id, date,")


def test_unparseable_date_is_named(data_copy):
    row = data_copy.set("events", "2025-02-10-bid", "date", "10/02/2025")
    assert _error(data_copy, "events") == (
        f"data/events.csv, row {row} (id '2025-02-10-bid'), column 'date': expected a date written YYYY-MM-DD, "
        "YYYY-MM or YYYY; got '10/02/2025'.")


def test_impossible_calendar_date_is_named(data_copy):
    row = data_copy.set("events", "2025-02-10-bid", "date", "2025-02-30")
    assert _error(data_copy, "events") == (
        f"data/events.csv, row {row} (id '2025-02-10-bid'), column 'date': expected a real calendar date; "
        "got '2025-02-30'.")


def test_date_that_does_not_match_its_precision_is_named(data_copy):
    row = data_copy.set("events", "2025-02-10-bid", "date", "2025-02")
    assert _error(data_copy, "events") == (
        f"data/events.csv, row {row} (id '2025-02-10-bid'), column 'date': expected a date at 'day' precision "
        "(YYYY-MM-DD), as 'date_precision' says; got '2025-02'.")


def test_unknown_category_is_named(data_copy):
    row = data_copy.set("events", "2025-02-10-bid", "category", "takeover")
    assert _error(data_copy, "events") == (
        f"data/events.csv, row {row} (id '2025-02-10-bid'), column 'category': expected one of: founding, "
        "structure, funding, board, litigation, bid, regulation, product, context, or a new value added first to "
        "the enum of 'category' in data/datapackage.json; got 'takeover'.")


def test_dangling_source_id_is_named(data_copy):
    row = data_copy.set("events", "2025-02-10-bid", "source_ids", "reuters-cna-2025-02-11;no-such-source")
    assert _error(data_copy, "events") == (
        f"data/events.csv, row {row} (id '2025-02-10-bid'), column 'source_ids': expected an id that exists in "
        "data/sources.csv; 'no-such-source' does not.")


def test_dangling_person_id_is_named(data_copy):
    seat = data.board_seats().iloc[0]["id"]
    row = data_copy.set("board_seats", seat, "holder_id", "jane-doe")
    assert _error(data_copy, "board_seats") == (
        f"data/board_seats.csv, row {row} (id '{seat}'), column 'holder_id': expected an id that exists in "
        "data/people.csv or data/organisations.csv; 'jane-doe' does not.")


def test_dangling_organisation_id_is_named(data_copy):
    member = data.bid_consortium().iloc[0]["id"]
    row = data_copy.set("bid_consortium", member, "organisation_id", "acme")
    assert _error(data_copy, "bid_consortium") == (
        f"data/bid_consortium.csv, row {row} (id '{member}'), column 'organisation_id': expected an id that "
        "exists in data/organisations.csv; 'acme' does not.")


def test_duplicate_id_is_named(data_copy):
    header, rows = data_copy.rows("events")
    first = next(i for i, r in enumerate(rows) if r["id"] == "2025-02-10-bid")
    rows.append(dict(rows[first]))
    data_copy.write("events", header, rows)
    assert _error(data_copy, "events") == (
        f"data/events.csv, row {len(rows) + 1} (id '2025-02-10-bid'), column 'id': expected a value not used by "
        f"another row; '2025-02-10-bid' is already used in row {first + 2}; got '2025-02-10-bid'.")


def test_negative_amount_is_named(data_copy):
    deal = data.funding().dropna(subset=["amount_usd"]).iloc[0]["id"]
    row = data_copy.set("funding", deal, "amount_usd", "-5")
    assert _error(data_copy, "funding") == (
        f"data/funding.csv, row {row} (id '{deal}'), column 'amount_usd': expected a value of at least 0; got '-5'.")


def test_amount_with_separators_is_named(data_copy):
    deal = data.funding().dropna(subset=["amount_usd"]).iloc[0]["id"]
    row = data_copy.set("funding", deal, "amount_usd", "97,400,000,000")
    assert _error(data_copy, "funding") == (
        f"data/funding.csv, row {row} (id '{deal}'), column 'amount_usd': expected a whole number without "
        "separators or decimals (e.g. 97400000000); got '97,400,000,000'.")


def test_end_before_start_is_named(data_copy):
    seat = data.board_seats().query("holder_id == 'elon-musk'").iloc[0]
    row = data_copy.set("board_seats", seat["id"], "end", "2014-01-01")
    assert _error(data_copy, "board_seats") == (
        f"data/board_seats.csv, row {row} (id '{seat['id']}'), column 'end': expected a date on or after 'start' "
        f"({seat['start'].date()}); got '2014-01-01'.")


def test_share_outside_0_and_1_is_named(data_copy):
    stake = data.ownership().query("holder_id == 'microsoft'").iloc[-1]["id"]
    row = data_copy.set("ownership", stake, "share", "27")
    assert _error(data_copy, "ownership") == (
        f"data/ownership.csv, row {row} (id '{stake}'), column 'share': expected a value between 0 and 1; got '27'.")


def test_shares_of_one_entity_above_1_on_a_date_are_named(data_copy):
    stakes = data.ownership().query("entity_id == 'openai-group-pbc'")
    stake = stakes.query("holder_id == 'microsoft'").iloc[0]["id"]
    data_copy.set("ownership", stake, "share", "0.5")
    rows = ", ".join(str(i + 2) for i in sorted(stakes.index))
    assert _error(data_copy, "ownership") == (
        f"data/ownership.csv, rows {rows}, column 'share': expected the shares of 'openai-group-pbc' in force on "
        "2025-10-28 to add up to at most 1; they add up to 1.23.")


def test_empty_required_cell_is_named(data_copy):
    row = data_copy.set("events", "2025-02-10-bid", "title_en", "")
    assert _error(data_copy, "events") == (
        f"data/events.csv, row {row} (id '2025-02-10-bid'), column 'title_en': expected a value (this column "
        "cannot be empty); got ''.")


def test_several_problems_are_counted(data_copy):
    other = data.events()["id"].iloc[0]
    data_copy.set("events", "2025-02-10-bid", "category", "takeover")
    data_copy.set("events", other, "status", "rumour")
    assert _error(data_copy, "events").endswith("(1 more problem in this file.)")


def test_a_broken_referenced_table_is_reported_by_its_own_name(data_copy):
    data_copy.set("sources", data.sources()["id"].iloc[0], "kind", "blog")
    assert _error(data_copy, "events").startswith("data/sources.csv, row 2")


# --- the whole board, 2015 to today (OpenAI, Inc. / OpenAI Foundation, and OpenAI Group PBC) -----

def _directors(day, organisation):
    """Ids of the directors certainly on the board that day, and of those only possibly on it."""
    board = data.board_on(day, organisation=organisation).query("role == 'director'")
    return set(board.loc[board["certain"], "holder_id"]), set(board.loc[~board["certain"], "holder_id"])


BEFORE_CRISIS = {"sam-altman", "greg-brockman", "ilya-sutskever", "adam-dangelo", "tasha-mccauley", "helen-toner"}
MARCH_2024 = {"bret-taylor", "larry-summers", "adam-dangelo", "sam-altman", "sue-desmond-hellmann", "nicole-seligman"}
FOUNDATION = {"bret-taylor", "larry-summers", "adam-dangelo", "sam-altman", "sue-desmond-hellmann", "nicole-seligman",
              "paul-nakasone", "zico-kolter", "adebayo-ogunlesi"}
BOARDS = [  # day, whose board, directors certainly on it, directors only possibly on it
    ("2016-06-30", "openai-inc", {"elon-musk", "sam-altman"}, {"chris-clark"}),
    ("2019-07-31", "openai-inc", {"sam-altman", "greg-brockman", "ilya-sutskever", "holden-karnofsky", "adam-dangelo"},
     {"tasha-mccauley", "reid-hoffman", "shivon-zilis", "sue-yoon"}),
    ("2020-06-30", "openai-inc", {"sam-altman", "greg-brockman", "ilya-sutskever", "holden-karnofsky", "adam-dangelo",
                                  "tasha-mccauley", "reid-hoffman", "shivon-zilis"}, {"sue-yoon"}),
    ("2022-06-30", "openai-inc", BEFORE_CRISIS | {"reid-hoffman", "shivon-zilis", "will-hurd"}, set()),
    ("2023-11-16", "openai-inc", BEFORE_CRISIS, set()),
    ("2023-11-17", "openai-inc", BEFORE_CRISIS, set()),
    ("2023-11-30", "openai-inc", {"bret-taylor", "larry-summers", "adam-dangelo"}, set()),
    ("2024-09-01", "openai-inc", MARCH_2024 | {"fidji-simo", "paul-nakasone", "zico-kolter"}, set()),
    ("2025-10-29", "openai-foundation", FOUNDATION, set()),
    ("2025-10-29", "openai-group-pbc", FOUNDATION - {"zico-kolter"}, set()),
    ("2025-12-01", "openai-foundation", FOUNDATION - {"larry-summers"}, set()),
    ("2025-12-01", "openai-group-pbc", FOUNDATION - {"zico-kolter", "larry-summers"}, set()),
]


@pytest.mark.parametrize("day, organisation, certain, possible", BOARDS, ids=[f"{b[0]}-{b[1]}" for b in BOARDS])
def test_board_on_gives_the_certain_and_the_possible_directors(day, organisation, certain, possible):
    assert _directors(day, organisation) == (certain, possible)


def test_board_on_without_an_organisation_gives_every_board_that_day():
    board = data.board_on("2025-12-01")
    assert set(board["organisation_id"]) == {"openai-foundation", "openai-group-pbc"}


def test_the_co_chairs_of_2015_are_only_possible_chairs_once_the_launch_is_past():
    chairs = data.board_on("2016-06-30", organisation="openai-inc").query("role == 'chair'")
    assert dict(zip(chairs["holder_id"], chairs["certain"])) == {"elon-musk": False, "sam-altman": False}


def test_brockman_is_the_certain_chair_on_17_november_2023():
    chairs = data.board_on("2023-11-17", organisation="openai-inc").query("role == 'chair' and certain")
    assert chairs["holder_id"].tolist() == ["greg-brockman"]


def test_kolter_is_a_non_voting_observer_of_the_group_board():
    board = data.board_on("2025-12-01", organisation="openai-group-pbc").set_index("holder_id")
    assert board.loc["zico-kolter", "role"] == "observer"


def test_microsofts_observer_seat_ended_on_9_july_2024():
    assert "microsoft" in set(data.board_on("2024-07-09", organisation="openai-inc")["holder_id"])
    assert "microsoft" not in set(data.board_on("2024-07-10", organisation="openai-inc")["holder_id"])


def test_every_confirmed_seat_cites_a_primary_document_a_wire_or_a_newspaper():
    kinds = dict(zip(data.sources()["id"], data.sources()["kind"].astype(str)))
    strong = {"primary document", "wire", "newspaper"}
    confirmed = data.board_seats().query("status == 'confirmed'")
    weak = [seat for seat, ids in zip(confirmed["id"], confirmed["source_ids"]) if not strong & {kinds[i] for i in ids}]
    assert weak == []


def test_board_on_an_unknown_organisation_names_the_parameter():
    with pytest.raises(ValueError) as caught:
        data.board_on("2023-11-17", organisation="openai")
    assert str(caught.value) == (
        "organisation: expected one of openai-foundation, openai-group-pbc, openai-inc; got 'openai'.")


def test_a_start_range_out_of_order_is_named(data_copy):
    seat = "tasha-mccauley-openai-inc-director-2018"
    row = data_copy.set("board_seats", seat, "start_latest", "2017")
    assert _error(data_copy, "board_seats") == (
        f"data/board_seats.csv, row {row} (id '{seat}'), column 'start_latest': expected a date on or after 'start' "
        "(2018); got '2017'.")


def test_an_end_range_out_of_order_is_named(data_copy):
    seat = "holden-karnofsky-openai-inc-director-2017-03"
    row = data_copy.set("board_seats", seat, "end_earliest", "2022-01")
    assert _error(data_copy, "board_seats") == (
        f"data/board_seats.csv, row {row} (id '{seat}'), column 'end': expected a date on or after 'end_earliest' "
        "(2022-01); got '2021-11'.")
