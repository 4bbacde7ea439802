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


def march_2025_valuation() -> int:
    """The valuation of the round announced in March 2025, which OpenAI was raising when the bid
    came, from ``data/funding.csv``."""
    funding = data.funding()
    rows = funding[(funding["date"].dt.year == 2025) & (funding["date"].dt.month == 3)
                   & funding["valuation_usd"].notna()]
    return int(rows["valuation_usd"].iloc[0])


def foundation_share() -> float:
    """The OpenAI Foundation's stake in OpenAI Group PBC, from ``data/ownership.csv``."""
    ownership = data.ownership()
    return float(ownership.loc[ownership["holder_id"] == "openai-foundation", "share"].iloc[0])


def lowball_stake() -> float:
    """4.1 — the stake in the for-profit above which, at the March 2025 valuation, the nonprofit's
    shares would have been worth more than the bid, which would then have been a lowball."""
    return _amount("offer") / march_2025_valuation()


def floor_raise() -> float:
    """4.2 — how many dollars the public price added to the floor of what the for-profit had to
    pay the charity, taking as the floor without a bid the Foundation's stake at the March 2025
    valuation (a yardstick: the stake is the one of October 2025)."""
    stake_value = foundation_share() * march_2025_valuation()
    return max(_amount("offer"), stake_value) - stake_value


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
    # Rounding to two decimals (0.32) is a fair answer: hence 2%.
    Exercise(id="4.1", kind="number", answer=lowball_stake, tolerance=0.02,
             hint_key="check.4_1.hint", example="0.25"),
    Exercise(id="4.2", kind="number", answer=floor_raise, tolerance=0.01,
             hint_key="check.4_2.hint", example="12_500_000_000"),
    Exercise(id="4.3", kind="choice", answer=condition_day, options=bid_days,
             hint_key="check.4_3.hint", example="'2025-02-10'"),
]
