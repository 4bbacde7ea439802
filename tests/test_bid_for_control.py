"""Lesson 04's diagram: what the bid was a price for (lessons.charts.money.bid_for_control and its
describe_ and table siblings), read from the data."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

import lessons
from lessons import data
from lessons.charts import money


def frames():
    return data.bid(), data.people(), data.organisations()


def test_the_diagram_has_three_boxes_and_three_arrows_and_is_valid_plotly():
    figure = money.bid_for_control(*frames())
    go.Figure(figure.to_dict())   # plotly's own validation
    assert len(figure.data[0].x) == 3
    assert sum(1 for note in figure.layout.annotations if note.showarrow) == 3


def test_the_summary_names_the_bidder_the_price_its_date_and_the_nonprofit():
    summary = money.describe_bid_for_control(*frames())
    assert "Elon Musk's consortium" in summary and "$97.4 billion" in summary and "10 February 2025" in summary
    assert "OpenAI, Inc." in summary and "fair value" in summary


def test_the_table_lists_the_offer_the_control_and_the_fair_value_arrows():
    table = money.bid_for_control_table(*frames())
    assert list(table.columns) == ["From", "To", "What"]
    assert len(table) == 3 and "$97.4 billion" in table.loc[0, "What"] and table.loc[1, "What"] == "controls"
    assert table.loc[2, "To"] == table.loc[0, "To"]   # the money for control goes back to the nonprofit


def test_the_offer_follows_the_data(data_copy):
    data_copy.set("bid", "bid-2025-02-10-offer", "amount_usd", "120000000000")
    data.reload()
    assert "$120 billion" in money.describe_bid_for_control(*frames())


def test_a_bidder_missing_from_people_is_one_message_naming_the_table_and_the_id():
    bid, people, organisations = frames()
    with pytest.raises(ValueError, match=r"people: expected a row with id 'elon-musk', the bidder of bid row "
                                         r"'bid-2025-02-10-offer'"):
        money.bid_for_control(bid, people[people["id"] != "elon-musk"], organisations)


def test_the_diagram_speaks_french():
    lessons.set_language("fr")
    summary = money.describe_bid_for_control(*frames())
    assert "97,4\u00a0milliards de dollars" in summary and "10 février 2025" in summary and "juste valeur" in summary
    assert "qui contrôle la société commerciale d’OpenAI" in summary
