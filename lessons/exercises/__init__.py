"""Exercises that :func:`lessons.check` can check, gathered from one module per lesson.

How to add the exercises of a lesson
------------------------------------
Create ``lessons/exercises/lesson_NN.py`` (``NN`` = ``00`` … ``07``) defining a list ``EXERCISES``
of :class:`Exercise`. The registry below imports every such module that exists, so nothing else has
to change; an id used twice raises at import, naming both modules. ``lesson_04.py`` is the model::

    from lessons import data
    from lessons.exercises import Exercise

    def _counter_offer_share() -> float:
        bid = data.bid()
        offer = bid.loc[bid["step"] == "offer", "amount_usd"].dropna().iloc[0]
        reply = bid.loc[bid["step"] == "reply", "amount_usd"].dropna().iloc[0]
        return reply / offer

    EXERCISES = [
        Exercise(id="4.1", kind="number", answer=_counter_offer_share, tolerance=0.01,
                 hint_key="check.4_1.hint", example="0.25"),
    ]

Rules for writers:

- ``id`` is the exercise's number as the lesson shows it (``"4.1"``); learners call
  ``lessons.check("4.1", answer)``.
- ``answer`` is a function without arguments that *computes* the expected answer from
  :mod:`lessons.data`, so that a corrected CSV corrects the key. Hard-code only what the data cannot
  give. It is called each time an answer is checked.
- ``hint_key`` is a key of ``lessons/strings.csv`` (prefix ``check.``) holding a hint in English and
  French; it is shown with "not yet" verdicts. Append keys, never rewrite the file.
- ``example`` is shown when the answer has the wrong type ("expected a number such as 0.13; got
  text '13%'"); give one of the right form but not the answer itself.
- Keep graded notebook cells free of widgets; ``check`` itself never evaluates learner input.

Kinds and what a learner may hand in
------------------------------------
``"number"``
    An int or float (numpy and pandas scalars too; also a Series, array or list holding exactly one
    number). Right when within ``tolerance`` (relative; absolute when the expected value is 0).
``"integer"``
    A whole number (``6`` or ``6.0``); compared exactly.
``"text"``
    A string; compared after normalising case, spaces, accents of quotes and final punctuation. The
    expected answer may be a string or a collection of accepted strings.
``"names"``
    A list, tuple, set, pandas Series or Index of strings; compared as a set, ignoring case, spaces and
    the difference between ``-`` and a space. The expected answer is a collection of names or ids of
    ``data.people()``/``data.organisations()``; an id also accepts that row's name.
``"date"``
    A ``'YYYY-MM-DD'`` string, a ``datetime.date``/``datetime``, a pandas ``Timestamp`` or numpy
    ``datetime64``; compared by day.
``"choice"``
    One of ``options`` (a collection, or a function returning one); compared as text. When the options
    are dates, a date object is accepted too.
"""

from __future__ import annotations

import dataclasses
import importlib
import importlib.util
from typing import Any, Callable

__all__ = ["Exercise", "EXERCISES", "KINDS", "LESSON_MODULES"]

KINDS = ("number", "integer", "text", "names", "date", "choice")
LESSON_MODULES = tuple(f"lesson_{number:02d}" for number in range(8))

_DEFAULT_EXAMPLES = {
    "number": "0.13",
    "integer": "6",
    "text": "'not for sale'",
    "names": "['Bret Taylor', 'Larry Summers']",
    "date": "'2023-11-17'",
    "choice": "",
}


@dataclasses.dataclass(frozen=True)
class Exercise:
    """One checkable exercise.

    Attributes
    ----------
    id : str
        The number the lesson shows, e.g. ``"4.1"``.
    kind : str
        One of :data:`KINDS`.
    answer : callable
        No arguments; returns the expected answer, computed from :mod:`lessons.data`.
    tolerance : float
        Relative tolerance for ``"number"`` (0.01 = 1 %).
    hint_key : str
        Key of ``lessons/strings.csv`` with the hint shown after a "not yet".
    example : str
        An answer of the right form (not the right answer), shown after a wrong type.
    options : collection or callable, optional
        For ``"choice"``: the allowed answers, or a function returning them (computed from the data).
    """

    id: str
    kind: str
    answer: Callable[[], Any]
    tolerance: float = 0.01
    hint_key: str = ""
    example: str = ""
    options: Any = None

    def __post_init__(self):
        if not isinstance(self.id, str) or not self.id.strip():
            raise ValueError(f"Exercise id: expected a non-empty string such as '4.1'; got {self.id!r}.")
        if self.kind not in KINDS:
            raise ValueError(f"Exercise {self.id} kind: expected one of {', '.join(KINDS)}; got {self.kind!r}.")
        if not callable(self.answer):
            raise ValueError(f"Exercise {self.id} answer: expected a function without arguments that computes "
                             f"the answer from lessons.data; got {type(self.answer).__name__}.")
        if isinstance(self.tolerance, bool) or not isinstance(self.tolerance, (int, float)) or not self.tolerance >= 0:
            raise ValueError(f"Exercise {self.id} tolerance: expected a relative tolerance of at least 0, "
                             f"e.g. 0.01; got {self.tolerance!r}.")
        if self.kind == "choice" and self.options is None:
            raise ValueError(f"Exercise {self.id} options: a 'choice' exercise needs its options.")
        if not self.example:
            object.__setattr__(self, "example", _DEFAULT_EXAMPLES[self.kind])

    def expected(self):
        """The expected answer, computed now from the data."""
        return self.answer()

    def choices(self) -> list:
        """The options of a ``"choice"`` exercise, computed now (``[]`` for other kinds)."""
        if self.options is None:
            return []
        options = self.options() if callable(self.options) else self.options
        return list(options)


def _collect(package: str = __name__, names=LESSON_MODULES) -> dict[str, Exercise]:
    """Import ``package.lesson_NN`` for every module that exists and gather their EXERCISES."""
    registry: dict[str, Exercise] = {}
    origin: dict[str, str] = {}
    folder = package.replace(".", "/")
    for name in names:
        if importlib.util.find_spec(f"{package}.{name}") is None:
            continue
        module = importlib.import_module(f"{package}.{name}")
        exercises = getattr(module, "EXERCISES", None)
        if not isinstance(exercises, (list, tuple)):
            raise ValueError(f"{folder}/{name}.py: expected a list EXERCISES of Exercise; "
                             f"got {type(exercises).__name__}.")
        for exercise in exercises:
            if not isinstance(exercise, Exercise):
                raise ValueError(f"{folder}/{name}.py: expected only Exercise objects in EXERCISES; "
                                 f"got {type(exercise).__name__}.")
            if exercise.id in registry:
                raise ValueError(f"Exercise id {exercise.id!r} is defined twice: in {folder}/"
                                 f"{origin[exercise.id]}.py and in {folder}/{name}.py.")
            registry[exercise.id] = exercise
            origin[exercise.id] = name
    return registry


EXERCISES: dict[str, Exercise] = _collect()
