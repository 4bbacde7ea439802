"""Exercises of lesson 00, "Start here": a first pandas count, checked against the data."""

from __future__ import annotations

from lessons import data
from lessons.exercises import Exercise


def bid_event_count() -> int:
    """0.2 — how many events belong to the category ``bid``."""
    return int((data.events()["category"] == "bid").sum())


EXERCISES = [
    Exercise(id="0.2", kind="integer", answer=bid_event_count, hint_key="check.0_2.hint", example="12"),
]
