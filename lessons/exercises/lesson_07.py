"""Exercises of lesson 07, "AI governance beyond one company".

Each expected answer is computed from ``data/events.csv`` when an answer is checked: add or correct a
regulation event in the CSV and the key follows. Learners call ``lessons.check("7.1", answer)``.

- 7.1 — a question the lesson does not answer: how many days passed between Vance's speech in Paris
  and the first AI Act step after it (the lesson lists the steps, not the gap).
"""

from __future__ import annotations

import pandas as pd

from lessons import data
from lessons.exercises import Exercise

AFTER_DAY = "2025-02-11"  # 7.1: the day of Vance's speech in Paris (the lesson states the date)


def ai_act_milestones() -> pd.DataFrame:
    """The EU AI Act's dated steps: the events whose id contains ``ai-act`` (ids are stable keys).

    Titles are not used: "Paris AI Action Summit" contains the letters "AI Act" too.
    """
    events = data.events()
    return events[events["id"].str.contains("ai-act", regex=False)].sort_values("date")


def first_milestone_after(day: str = AFTER_DAY) -> pd.Timestamp:
    """The date of the first AI Act milestone strictly after ``day``."""
    milestones = ai_act_milestones()
    return milestones.loc[milestones["date"] > pd.Timestamp(day), "date"].min()


def days_to_next_milestone(day: str = AFTER_DAY) -> int:
    """7.1 — how many days after ``day`` the first AI Act milestone after it came."""
    return (first_milestone_after(day) - pd.Timestamp(day)).days


EXERCISES = [
    Exercise(id="7.1", kind="integer", answer=days_to_next_milestone, hint_key="check.7_1.hint", example="30"),
]
