"""Exercises of lesson 06, "Restructuring and the trial" (December 2024 – 2026).

Each expected answer is computed from ``data/ownership.csv`` and ``data/funding.csv`` when an answer
is checked: correct a stake, a valuation or an event's status in the CSVs and the key follows. Learners call
``lessons.check("6.2", answer)``, ``lessons.check("6.3", answer)`` and ``lessons.check("6.4", answer)``.

- 6.2 — the OpenAI Foundation's stake at the recapitalization (its share, from ``ownership``) times
  the latest valuation in ``funding`` dated no later than the recapitalization (the employee share
  sale of October 2025, at $500 billion). The result matches the ``value_usd`` the sources report
  for the stake (about $130 billion), which is the point of the exercise.
- 6.3 — a question the lesson does not answer: how many events dated in 2025 have only the status
  ``reported`` in ``data/events.csv`` (the lesson names one of them, the CEO-removal bylaws).
- 6.4 — a what-if: the same share times the latest valuation in the data (the $852 billion
  post-money valuation of March 2026). The sources give no newer share for the Foundation, so this
  is not a reported value.
"""

from __future__ import annotations

import pandas as pd

from lessons import data
from lessons.exercises import Exercise

FOUNDATION = "openai-foundation"   # the nonprofit, renamed on 28 October 2025
PBC = "openai-group-pbc"           # the for-profit, OpenAI Group PBC
RECAPITALIZATION_DAY = "2025-10-28"
REPORTED_YEAR = 2025               # 6.3: the year whose reported-only events are counted


def foundation_stake() -> pd.Series:
    """The Foundation's row of ``ownership`` in force on the day of the recapitalization."""
    stakes = data.ownership_on(RECAPITALIZATION_DAY, entity=PBC)
    return stakes[stakes["holder_id"] == FOUNDATION].iloc[0]


def foundation_share() -> float:
    """The Foundation's share of OpenAI Group PBC (a fraction: 0.26)."""
    return float(foundation_stake()["share"])


def reported_stake_value() -> int:
    """The value the sources give for the Foundation's stake, in dollars (about $130 billion)."""
    return int(foundation_stake()["value_usd"])


def _valuations() -> pd.DataFrame:
    funding = data.funding()
    return funding[funding["valuation_usd"].notna()].sort_values(["date", "id"], kind="stable")


def valuation_before_recapitalization() -> pd.Series:
    """The latest funding row with a valuation dated on or before the recapitalization day."""
    valuations = _valuations()
    return valuations[valuations["date"] <= pd.Timestamp(RECAPITALIZATION_DAY)].iloc[-1]


def latest_valuation() -> pd.Series:
    """The latest funding row with a valuation in the data."""
    return _valuations().iloc[-1]


def stake_at_recapitalization() -> float:
    """6.2 — the Foundation's share times the last valuation before the recapitalization, in dollars."""
    return foundation_share() * float(valuation_before_recapitalization()["valuation_usd"])


def reported_events_of_year(year: int = REPORTED_YEAR) -> pd.DataFrame:
    """The events dated in ``year`` whose status is ``reported`` (no confirmation in the sources)."""
    events = data.events()
    return events[(events["date"].dt.year == year) & (events["status"] == "reported")]


def count_reported_events() -> int:
    """6.3 — how many events of 2025 rest only on reported sources."""
    return len(reported_events_of_year())


def stake_at_latest_valuation() -> float:
    """6.4 — what-if: the same share times the latest valuation in the data, in dollars."""
    return foundation_share() * float(latest_valuation()["valuation_usd"])


EXERCISES = [
    Exercise(id="6.2", kind="number", answer=stake_at_recapitalization, tolerance=0.01,
             hint_key="check.6_2.hint", example="12_500_000_000"),
    Exercise(id="6.3", kind="integer", answer=count_reported_events, hint_key="check.6_3.hint", example="12"),
    Exercise(id="6.4", kind="number", answer=stake_at_latest_valuation, tolerance=0.01,
             hint_key="check.6_4.hint", example="12_500_000_000"),
]
