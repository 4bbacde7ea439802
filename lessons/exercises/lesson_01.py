"""Exercises of lesson 01, "A nonprofit for humanity (2015–2018)".

Each expected answer is computed from the data when an answer is checked: correct a CSV and the key
follows. Learners call ``lessons.check("1.2", answer)``.
"""

from __future__ import annotations

from lessons import data
from lessons.exercises import Exercise

PLEDGES = "2015-12-11-founding-pledges"
RECEIVED = "2024-donations-received"
# Exercise 1.4 compares the board the day after Musk left with the board a year later.
DAY_AFTER_MUSK_LEFT = "2018-02-21"
A_YEAR_LATER = "2019-02-20"


def _amount(row_id: str) -> int:
    return int(data.funding().set_index("id").loc[row_id, "amount_usd"])


def pledged() -> int:
    """The $1 billion pledged at the launch, from ``data/funding.csv``."""
    return _amount(PLEDGES)


def received() -> int:
    """The donations actually received, as reported in 2024 (a floor: "more than $130 million")."""
    return _amount(RECEIVED)


def received_share() -> float:
    """1.2 — the share of the pledge actually received: received ÷ pledged (0.13)."""
    return received() / pledged()


def _directors(day: str) -> set[str]:
    board = data.board_on(day)
    return set(board.loc[board["role"] == "director", "holder_id"])


def joined_in_the_year_after_musk() -> list[str]:
    """1.4 — the directors on the board a year after Musk left who were not on it the day after he left."""
    return sorted(_directors(A_YEAR_LATER) - _directors(DAY_AFTER_MUSK_LEFT))


EXERCISES = [
    # Relative tolerance 3%: the other count in the sources, "over $133 million", gives 0.133.
    Exercise(id="1.2", kind="number", answer=received_share, tolerance=0.03,
             hint_key="check.1_2.hint", example="0.5"),
    Exercise(id="1.4", kind="names", answer=joined_in_the_year_after_musk, hint_key="check.1_4.hint"),
]
