"""Exercises of lesson 05, "Nonprofit or for-profit? The debate".

Each expected answer is computed from ``data/arguments.csv`` when an answer is checked: correct or add
an argument in the CSV and the key follows. Learners call ``lessons.check("5.1", answer)``.
"""

from __future__ import annotations

from lessons import data
from lessons.exercises import Exercise


def arguments_per_speaker():
    """How many arguments each speaker (``made_by_id``) made, most first."""
    return data.arguments()["made_by_id"].value_counts()


def top_speakers() -> list[str]:
    """5.1 — the speaker or speakers who made the most arguments: ids, and their names as aliases.

    If two speakers tie, either one is accepted (``value_counts().idxmax()`` returns only one).
    """
    counts = arguments_per_speaker()
    ids = sorted(counts[counts == counts.max()].index)
    names = data.name_of(ids)
    return [*ids, *names]


EXERCISES = [
    Exercise(id="5.1", kind="text", answer=top_speakers,
             hint_key="check.5_1.hint", example="'elon-musk'"),
]
