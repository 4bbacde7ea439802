"""Exercises of lesson 07, "AI governance beyond one company".

Each expected answer is computed from ``data/events.csv`` when an answer is checked: add or correct a
regulation event in the CSV and the key follows. Learners call ``lessons.check("7.1", answer)``.
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
    """7.1 — the date of the first AI Act milestone strictly after ``day``."""
    milestones = ai_act_milestones()
    return milestones.loc[milestones["date"] > pd.Timestamp(day), "date"].min()


EXERCISES = [
    Exercise(id="7.1", kind="date", answer=first_milestone_after,
             hint_key="check.7_1.hint", example="'2024-07-12'"),
]
