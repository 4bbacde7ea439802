"""Exercises of lesson 02, "The capped-profit experiment (2019–2022)".

Each expected answer is computed from the data when an answer is checked: correct a CSV and the key
follows. Learners call ``lessons.check("2.2", answer)``.
"""

from __future__ import annotations

import re

from lessons import data
from lessons.exercises import Exercise

CAP_QUOTE = "q-2019-03-11-capped-returns"
_CAP = re.compile(r"capped at (\d+)x")

# Exercise 2.2 is a made-up scenario; these two numbers are stated in the lesson, not in the data.
INVESTMENT_USD = 25_000_000
EXIT_VALUE_USD = 4_000_000_000
# Exercise 2.4 compares the board on the day of Microsoft's first investment with the board on the
# day ChatGPT was released; the lesson gives both days.
MICROSOFT_FIRST_INVESTMENT = "2019-07-22"
CHATGPT_RELEASED = "2022-11-30"


def first_round_cap() -> int:
    """The first-round cap (100), read from OpenAI's words of 11 March 2019 in ``data/quotes.csv``."""
    text = str(data.quotes().set_index("id").loc[CAP_QUOTE, "text"])
    match = _CAP.search(text)
    if match is None:
        raise ValueError(f"data/quotes.csv, row {CAP_QUOTE!r}, column 'text': expected 'capped at 100x'; "
                         "no cap found.")
    return int(match.group(1))


def capped_payout() -> int:
    """2.2 — what the investor keeps: the smaller of the stake's value and cap × investment."""
    return min(EXIT_VALUE_USD, first_round_cap() * INVESTMENT_USD)


def _directors(day: str) -> set[str]:
    board = data.board_on(day)
    return set(board.loc[board["role"] == "director", "holder_id"])


def joined_before_chatgpt() -> list[str]:
    """2.4 — the directors on the board when ChatGPT was released who were not on it when Microsoft first invested."""
    return sorted(_directors(CHATGPT_RELEASED) - _directors(MICROSOFT_FIRST_INVESTMENT))


EXERCISES = [
    Exercise(id="2.2", kind="number", answer=capped_payout, tolerance=0.001,
             hint_key="check.2_2.hint", example="1_000_000_000"),
    Exercise(id="2.4", kind="names", answer=joined_before_chatgpt, hint_key="check.2_4.hint"),
]
