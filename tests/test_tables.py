"""Tables shown to learners: dates at their precision, names instead of ids, both languages."""

from __future__ import annotations

import pandas as pd
import pytest

import lessons
from lessons import data, i18n
from lessons.tables import readable


@pytest.fixture(autouse=True)
def _english():
    previous = i18n.get_language()
    i18n.set_language("en")
    yield
    i18n.set_language(previous)


def _frame(**columns):
    return pd.DataFrame(columns)


def test_a_date_known_to_the_month_is_never_shown_as_its_first_day():
    frame = _frame(date=pd.to_datetime(["2025-02-01", "2019-01-01", "2023-11-17"]),
                   date_precision=["month", "year", "day"])
    table = readable(frame)
    assert table["Date"].tolist() == ["February 2025", "2019", "17 November 2023"]
    assert list(table.columns) == ["Date"]


def test_dates_in_french_and_the_language_is_restored():
    frame = _frame(date=pd.to_datetime(["2025-02-10", "2025-02-01"]), date_precision=["day", "month"],
                   title_en=["Bid", "Month"], title_fr=["Offre", "Mois"])
    table = readable(frame, language="fr")
    assert table.to_dict("list") == {"Date": ["10 février 2025", "février 2025"], "Titre": ["Offre", "Mois"]}
    assert i18n.get_language() == "en"


def test_ids_become_names_and_sources_become_publishers():
    frame = data.bid().query("step == 'offer'")[["actor_id", "amount_usd", "source_ids"]]
    table = readable(frame)
    assert table["Who"].tolist() == ["Elon Musk"]
    assert table["Amount"].tolist() == ["$97.4 billion"]
    publishers = dict(zip(data.sources()["id"], data.sources()["publisher"]))
    assert table["Sources"].iloc[0] == "; ".join(publishers[i] for i in frame["source_ids"].iloc[0])
    assert not any(column.endswith("_id") or column.endswith("_ids") for column in table.columns)


def test_lists_of_ids_are_names_joined():
    frame = _frame(actors=[("elon-musk", "xai"), ()])
    assert readable(frame)["Who"].tolist() == [f"Elon Musk, {data.name_of('xai')}", ""]


def test_shares_and_missing_values():
    frame = _frame(share=[0.26, 0.325, None], amount_usd=pd.array([None, 10_000_000_000, None], dtype="Int64"))
    table = readable(frame)
    assert table["Share"].tolist() == ["26%", "32.5%", ""]
    assert table["Amount"].tolist() == ["", "$10 billion", ""]


def test_rows_keep_their_order_numbered_from_one_and_the_frame_is_unchanged():
    frame = data.events().head(3)
    before = frame.copy()
    table = readable(frame)
    assert list(table.index) == [1, 2, 3]
    assert table["Title"].tolist() == frame["title_en"].tolist()
    pd.testing.assert_frame_equal(frame, before)


def test_every_date_column_of_every_table_shows_at_its_precision():
    for name in data.table_names():
        frame = data.load(name)
        table = readable(frame)
        for column in frame.columns:
            if f"{column}_precision" in frame.columns:
                month_only = frame[f"{column}_precision"] == "month"
                shown = table[lessons.tables._header(column)][month_only.to_numpy()]
                assert not shown.str.match(r"^\d{1,2} ").any(), (name, column)


def test_lessons_show_is_the_readable_table():
    assert lessons.show is readable
