"""Exercises of lesson 04, "The $97.4 billion bid" — the model for the other lessons' modules.

Each expected answer is computed from the data when an answer is checked: correct a CSV and the key
follows. Learners call ``lessons.check("4.1", answer)``.
"""

from __future__ import annotations

import pandas as pd

from lessons import data
from lessons.exercises import Exercise


def _amount(step: str) -> int:
    bid = data.bid()
    return int(bid.loc[bid["step"] == step, "amount_usd"].dropna().iloc[0])


def counter_offer_share() -> float:
    """4.1 — Altman's counter-offer ($9.74 billion for Twitter) as a share of the bid."""
    return _amount("reply") / _amount("offer")


def october_2024_valuation() -> int:
    """The valuation set in October 2024 (the $6.6 billion round), from ``data/funding.csv``."""
    funding = data.funding()
    rows = funding[(funding["date"].dt.year == 2024) & (funding["date"].dt.month == 10)
                   & funding["valuation_usd"].notna()]
    return int(rows["valuation_usd"].iloc[0])


def foundation_share() -> float:
    """The OpenAI Foundation's stake in OpenAI Group PBC, from ``data/ownership.csv``."""
    ownership = data.ownership()
    return float(ownership.loc[ownership["holder_id"] == "openai-foundation", "share"].iloc[0])


def stake_at_october_2024() -> float:
    """4.2 — the implied value in dollars of a 26% stake at the October 2024 valuation."""
    return october_2024_valuation() * foundation_share()


def _day(date) -> str:
    return pd.Timestamp(date).strftime("%Y-%m-%d")


def bid_days() -> list[str]:
    """4.3 options — the days of the bid's steps in the month of the offer, oldest first."""
    bid = data.bid()
    offer = bid[bid["step"] == "offer"]["date"].iloc[0]
    days = bid[(bid["date_precision"] == "day") & (bid["date"].dt.year == offer.year)
               & (bid["date"].dt.month == offer.month)]["date"]
    return sorted({_day(day) for day in days})


def condition_day() -> str:
    """4.3 — the day the withdrawal condition appeared (the court filing)."""
    bid = data.bid()
    return _day(bid.loc[bid["step"] == "condition", "date"].iloc[0])


EXERCISES = [
    Exercise(id="4.1", kind="number", answer=counter_offer_share, tolerance=0.01,
             hint_key="check.4_1.hint", example="0.25"),
    Exercise(id="4.2", kind="number", answer=stake_at_october_2024, tolerance=0.01,
             hint_key="check.4_2.hint", example="12_500_000_000"),
    Exercise(id="4.3", kind="choice", answer=condition_day, options=bid_days,
             hint_key="check.4_3.hint", example="'2025-02-10'"),
]
