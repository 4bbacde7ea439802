"""Exercises of lesson 03, "Five days in November" (the November 2023 board crisis).

Each expected answer is computed from ``data/board_seats.csv`` through :func:`lessons.data.board_on`
when an answer is checked: correct a seat in the CSV and the key follows. Learners call
``lessons.check("3.1", answer)`` and ``lessons.check("3.2", answer)``. Exercise 3.2 asks what the lesson
does not say: the size of the board a year before the crisis, before the departures of 2023.
"""

from __future__ import annotations

from lessons import data
from lessons.exercises import Exercise

ORGANISATION = "openai-inc"   # the nonprofit OpenAI, Inc., whose board the lesson follows
REVIEW_DAY = "2024-03-08"     # 3.1: the day the WilmerHale review ended (the lesson states the date)
YEAR_BEFORE_DAY = "2022-11-17"  # 3.2: a year before Altman was removed on 17 November 2023


def directors_on(day: str) -> list[str]:
    """Ids of the people certainly holding a voting director seat on the nonprofit's board on ``day``.

    A chair also holds a director seat (two rows in ``board_seats``), so counting ``director`` rows
    counts each voting member once; observers have no vote and are left out, and so are seats the
    sources allow on that day without making them certain (``certain`` is false).
    """
    board = data.board_on(day, organisation=ORGANISATION)
    return sorted(board.loc[(board["role"] == "director") & board["certain"], "holder_id"].unique())


def directors_on_review_day() -> int:
    """3.1 — how many voting directors sat on the board on 8 March 2024."""
    return len(directors_on(REVIEW_DAY))


def directors_a_year_before() -> int:
    """3.2 — how many voting directors sat on the board on 17 November 2022, a year before the crisis."""
    return len(directors_on(YEAR_BEFORE_DAY))


EXERCISES = [
    Exercise(id="3.1", kind="integer", answer=directors_on_review_day,
             hint_key="check.3_1.hint", example="4"),
    Exercise(id="3.2", kind="integer", answer=directors_a_year_before,
             hint_key="check.3_2.hint", example="5"),
]
