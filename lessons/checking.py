"""A friendly verdict on a learner's answer: ``lessons.check("4.1", answer)``.

The exercise is looked up in :data:`lessons.exercises.EXERCISES`; its expected answer is computed
from the data at that moment. The result is a :class:`Verdict`, shown in a notebook as a short
coloured line (HTML) or as plain text starting with its status:

- ``✅ Correct`` / ``✅ Exact`` — the answer matches;
- ``🔁 Not yet`` / ``🔁 Pas encore`` — the answer has the right form but another value; a hint follows;
- ``⚠ Wrong type`` / ``⚠ Type inattendu`` — the answer is not of the form the exercise expects
  (text instead of a number, a whole table instead of a list...); the message says how to write it;
- ``❓ Unknown exercise`` / ``❓ Exercice inconnu`` — no exercise has that id.

``check`` never raises because of the answer, whatever it is (a DataFrame, ``None``, a function...),
and it never evaluates it: a string is only ever compared as text. A broken data file still raises
:class:`lessons.data.DataError`, whose message tells the teacher which file and row to fix.

>>> import lessons
>>> lessons.check("4.1", 0.1)
✅ Correct — exercise 4.1: 0.1 is the expected answer.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import html
import math
import numbers
import re
import unicodedata

import numpy as np
import pandas as pd

from .i18n import _, get_language

__all__ = ["check", "Verdict", "STATUSES"]

STATUSES = ("correct", "not yet", "wrong type", "unknown exercise")
_LABEL_KEYS = {"correct": "check.status.correct", "not yet": "check.status.not_yet",
               "wrong type": "check.status.wrong_type", "unknown exercise": "check.status.unknown"}
_COLOURS = {"correct": "#009E73", "not yet": "#0072B2", "wrong type": "#D55E00", "unknown exercise": "#CC79A7"}
_MISSING = object()


@dataclasses.dataclass(frozen=True)
class Verdict:
    """The outcome of :func:`check`.

    Attributes
    ----------
    exercise_id : str
    status : str
        ``"correct"``, ``"not yet"``, ``"wrong type"`` or ``"unknown exercise"``.
    message : str
        What was checked and what to do, in the language in use when checking.
    hint : str
        A hint after a "not yet" (empty otherwise).

    A verdict is true only when correct, so ``assert lessons.check("4.1", answer)`` works in a test.
    """

    exercise_id: str
    status: str
    message: str
    hint: str = ""
    label: str = dataclasses.field(default="", compare=False)
    hint_label: str = dataclasses.field(default="", compare=False, repr=False)

    def __post_init__(self):
        if self.status not in STATUSES:
            raise ValueError(f"status: expected one of {', '.join(STATUSES)}; got {self.status!r}.")
        if not self.label:
            object.__setattr__(self, "label", _(_LABEL_KEYS[self.status]))
        if not self.hint_label:
            colon = "\u00a0:" if get_language() == "fr" else ":"  # French typography
            object.__setattr__(self, "hint_label", _("check.hint_label") + colon)

    def __bool__(self) -> bool:
        return self.status == "correct"

    def __str__(self) -> str:
        text = f"{self.label} — {self.message}"
        return f"{text}\n{self.hint_label} {self.hint}" if self.hint else text

    __repr__ = __str__

    def _repr_html_(self) -> str:
        colour = _COLOURS[self.status]
        hint = (f"<br><em>{html.escape(self.hint_label)}</em> {html.escape(self.hint)}" if self.hint else "")
        slug = self.status.replace(" ", "-")
        return (f"<div class='lessons-verdict lessons-verdict-{slug}' role='status' "
                f"style='border-left: 4px solid {colour}; padding: 0.3em 0.8em'>"
                f"<strong>{html.escape(self.label)}</strong> — {html.escape(self.message)}{hint}</div>")


class _WrongType(Exception):
    """The answer is not of the expected form; ``advice`` says how to write it (may be empty)."""

    def __init__(self, advice: str = ""):
        super().__init__(advice)
        self.advice = advice


# --------------------------------------------------------------------------------------------
# Describing what the learner handed in, safely (no learner code is run, reprs are bounded).
# --------------------------------------------------------------------------------------------

def _clip(text: str, limit: int = 60) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _quoted(text: str) -> str:
    return "'" + _clip(text, 58) + "'"


def _is_missing_scalar(value) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def _got(value) -> str:
    """What the learner handed in, described in words: ``text '13%'``, ``a function (f)``..."""
    if value is None:
        return _("check.got.none")
    if value is Ellipsis:
        return _("check.got.placeholder")
    if value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return _("check.got.missing", value=_clip(str(value)))
    if isinstance(value, (bool, np.bool_)):
        return _("check.got.bool", value=str(bool(value)))
    if isinstance(value, str):
        return _("check.got.text", text=_quoted(value))
    if isinstance(value, (dt.date, np.datetime64)):
        return _("check.got.date", value=_clip(str(value)))
    if isinstance(value, (numbers.Number, decimal.Decimal)):
        return _("check.got.number", value=_number_text(value))
    if isinstance(value, pd.DataFrame):
        return _("check.got.frame", rows=value.shape[0], columns=value.shape[1])
    if isinstance(value, (pd.Series, pd.Index, np.ndarray, list, tuple, set, frozenset, dict)):
        return _("check.got.collection", kind=type(value).__name__, count=len(value))
    if callable(value):
        return _("check.got.function", name=_clip(str(getattr(value, "__name__", type(value).__name__)), 40))
    return _("check.got.other", kind=_clip(type(value).__name__, 40))


def _number_text(value) -> str:
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        return repr(float(value))
    return _clip(str(value))


# --------------------------------------------------------------------------------------------
# Turning an answer into a comparable value, per kind.
# --------------------------------------------------------------------------------------------

_SEQUENCES = (pd.Series, pd.Index, np.ndarray, list, tuple)


def _single(value):
    """A one-value Series, Index, array, list or 1×1 DataFrame → that value; several → wrong type."""
    if isinstance(value, pd.DataFrame):
        if value.shape == (1, 1):
            return value.iat[0, 0]
        raise _WrongType(_("check.advice.frame"))
    if isinstance(value, _SEQUENCES):
        if isinstance(value, np.ndarray) and value.ndim == 0:
            return value.item()
        if len(value) == 1:
            return value.iloc[0] if isinstance(value, pd.Series) else list(value)[0]
        raise _WrongType(_("check.advice.several", count=len(value)))
    return value


def _common_advice(value) -> str:
    if value is None:
        return _("check.advice.none")
    if value is Ellipsis:
        return _("check.advice.placeholder")
    if callable(value) and not isinstance(value, (str, numbers.Number)):
        return _("check.advice.function")
    return ""


_DECIMAL_COMMA = re.compile(r"^-?\d+,\d+$")


def _as_number(value, example: str) -> float:
    # A decimal written the French way: "0,25" as text, or 0,25 without quotes, which Python reads as
    # the pair (0, 25).
    if isinstance(value, tuple) and len(value) == 2 and all(isinstance(v, int) and not isinstance(v, bool)
                                                            for v in value) and value[1] >= 0:
        raise _WrongType(_("check.advice.decimal_comma", number=f"{value[0]}.{value[1]}",
                           written=f"{value[0]},{value[1]}"))
    value = _single(value)
    if isinstance(value, (bool, np.bool_)):
        raise _WrongType()
    if isinstance(value, str):
        text = value.strip()
        if text.endswith("%"):
            raise _WrongType(_("check.advice.percent_text"))
        if _DECIMAL_COMMA.match(text):
            raise _WrongType(_("check.advice.decimal_comma", number=text.replace(",", "."), written=text))
        raise _WrongType(_("check.advice.quotes", example=example))
    if isinstance(value, decimal.Decimal):
        value = float(value)
    if not isinstance(value, numbers.Real):
        raise _WrongType(_common_advice(value))
    number = float(value)
    if math.isnan(number):
        raise _WrongType(_("check.advice.missing"))
    if math.isinf(number):
        raise _WrongType()
    return number


def _compare_number(answer, expected, exercise) -> tuple[str, str, str]:
    given = _as_number(answer, exercise.example)
    wanted = float(expected)
    tolerance = float(exercise.tolerance)

    def close(a: float) -> bool:
        return math.isclose(a, wanted, rel_tol=tolerance, abs_tol=tolerance if wanted == 0 else 0.0)

    shown = _number_text(given if not given.is_integer() or abs(given) > 2**53 else int(given))
    if close(given):
        return "correct", shown, ""
    if wanted != 0 and close(given / 100):
        return "not yet", shown, _("check.advice.percent")
    for factor, key in ((1e9, "check.advice.billions"), (1e6, "check.advice.millions")):
        if abs(wanted) >= factor and close(given * factor):
            return "not yet", shown, _(key)
    return "not yet", shown, ""


def _compare_integer(answer, expected, exercise) -> tuple[str, str, str]:
    given = _as_number(answer, exercise.example)
    if not given.is_integer():
        raise _WrongType(_("check.advice.whole"))
    shown = str(int(given))
    return ("correct" if int(given) == int(expected) else "not yet"), shown, ""


_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "ʼ": "'", "“": '"', "”": '"', "„": '"', "«": '"', "»": '"',
                         "\u00a0": " ", "\u202f": " "})


def _normal_text(text: str) -> str:
    text = unicodedata.normalize("NFKC", str(text)).translate(_QUOTES).casefold()
    text = " ".join(text.split())
    text = text.strip(" \"'")
    return text.rstrip(" .!?;:,").strip(" \"'")


def _as_text(value) -> str:
    value = _single(value)
    if not isinstance(value, str):
        raise _WrongType(_common_advice(value))
    return value


def _accepted(expected) -> set[str]:
    if isinstance(expected, str):
        return {_normal_text(expected)}
    return {_normal_text(item) for item in expected}


def _compare_text(answer, expected, exercise) -> tuple[str, str, str]:
    given = _as_text(answer)
    status = "correct" if _normal_text(given) in _accepted(expected) else "not yet"
    return status, _quoted(given), ""


def _normal_name(text: str) -> str:
    text = _normal_text(text).replace("-", " ").replace("_", " ").replace(".", " ")
    return " ".join(text.split())


def _aliases() -> dict[str, str]:
    """id → name for people and organisations (empty if the tables cannot be read)."""
    from . import data

    try:
        return dict(zip(data.people()["id"], data.people()["name"])) | dict(
            zip(data.organisations()["id"], data.organisations()["name"]))
    except Exception:  # names still compare as written
        return {}


def _compare_names(answer, expected, exercise) -> tuple[str, str, str]:
    if isinstance(answer, str):
        raise _WrongType(_("check.advice.one_name"))
    if isinstance(answer, pd.DataFrame):
        raise _WrongType(_("check.advice.frame_names"))
    if not isinstance(answer, (*_SEQUENCES, set, frozenset)):
        raise _WrongType(_common_advice(answer))
    items = list(answer)
    if isinstance(answer, np.ndarray) and answer.ndim != 1:
        raise _WrongType(_("check.advice.frame_names"))
    if not all(isinstance(item, str) for item in items):
        raise _WrongType(_("check.advice.name_items"))
    given = {_normal_name(item) for item in items}
    names = _aliases()
    by_name = {_normal_name(name): key for key, name in names.items()}
    wanted = [str(item) for item in ([expected] if isinstance(expected, str) else expected)]
    matched, used = 0, set()
    for item in wanted:
        aliases = {_normal_name(item)}
        if item in names:
            aliases.add(_normal_name(names[item]))
        if _normal_name(item) in by_name:
            aliases.add(_normal_name(by_name[_normal_name(item)]))
        if aliases & given:
            matched += 1
            used |= aliases & given
    extra = len(given - used)
    missing = len(wanted) - matched
    shown = _clip("[" + ", ".join(_quoted(item) for item in items) + "]")
    if missing == 0 and extra == 0:
        return "correct", shown, ""
    return "not yet", shown, _("check.advice.names_count", right=matched, missing=missing, extra=extra)


_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _as_day(value) -> pd.Timestamp:
    value = _single(value)
    if isinstance(value, str):
        text = value.strip()
        if _DAY.fullmatch(text):
            try:
                return pd.Timestamp(dt.datetime.strptime(text, "%Y-%m-%d"))
            except ValueError:
                raise _WrongType(_("check.advice.calendar")) from None
        raise _WrongType(_("check.advice.date_format"))
    if value is pd.NaT:
        raise _WrongType(_("check.advice.missing"))
    if isinstance(value, (dt.date, np.datetime64)):
        stamp = pd.Timestamp(value)
        if stamp is pd.NaT:
            raise _WrongType(_("check.advice.missing"))
        return stamp.tz_localize(None).normalize() if stamp.tzinfo else stamp.normalize()
    raise _WrongType(_common_advice(value))


def _compare_date(answer, expected, exercise) -> tuple[str, str, str]:
    given = _as_day(answer)
    wanted = pd.Timestamp(expected).normalize()
    shown = _quoted(given.strftime("%Y-%m-%d"))
    return ("correct" if given == wanted else "not yet"), shown, ""


def _option_text(value) -> str:
    if isinstance(value, (dt.date, np.datetime64)):
        return pd.Timestamp(value).strftime("%Y-%m-%d")
    return str(value)


def _compare_choice(answer, expected, exercise) -> tuple[str, str, str]:
    options = [_option_text(option) for option in exercise.choices()]
    value = _single(answer)
    if isinstance(value, (dt.date, np.datetime64)) and value is not pd.NaT:
        given = _option_text(value)
    elif isinstance(value, str):
        given = value
    elif isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_)):
        given = _number_text(value)
    else:
        raise _WrongType(_common_advice(value))
    normal = {_normal_text(option): option for option in options}
    if _normal_text(given) not in normal:
        raise _WrongType()
    status = "correct" if _normal_text(given) == _normal_text(_option_text(expected)) else "not yet"
    return status, _quoted(normal[_normal_text(given)]), ""


_COMPARE = {"number": _compare_number, "integer": _compare_integer, "text": _compare_text,
            "names": _compare_names, "date": _compare_date, "choice": _compare_choice}


def _expected_form(exercise) -> str:
    if exercise.kind == "choice":
        try:
            options = ", ".join(_quoted(_option_text(option)) for option in exercise.choices())
        except Exception:  # the data behind the options is broken: say less, never fail
            options = exercise.example
        return _("check.expected.choice", options=options)
    return _(f"check.expected.{exercise.kind}", example=exercise.example)


def _hint(exercise) -> str:
    try:
        return _(exercise.hint_key) if exercise.hint_key else ""
    except KeyError:
        return ""


def check(exercise_id, answer=_MISSING) -> Verdict:
    """Check ``answer`` against exercise ``exercise_id`` and return a :class:`Verdict`.

    Parameters
    ----------
    exercise_id : str
        The exercise number shown in the lesson, e.g. ``"4.1"``.
    answer : object
        The learner's answer. Any value is accepted; it is compared, never run.

    Examples
    --------
    >>> check("4.1", "10%").status
    'wrong type'
    """
    from .exercises import EXERCISES

    key = _exercise_key(exercise_id)
    exercise = EXERCISES.get(key) if key is not None else None
    if exercise is None:
        shown = key if key is not None else _got(exercise_id)
        return Verdict(str(shown), "unknown exercise",
                       _("check.unknown", id=_clip(str(shown), 40), known=", ".join(sorted(EXERCISES, key=_sort_key))))
    if answer is _MISSING:
        return Verdict(key, "wrong type", _("check.no_answer", id=key))
    expected = exercise.expected()  # computed from the data; a broken CSV raises DataError
    try:
        status, shown, advice = _COMPARE[exercise.kind](answer, expected, exercise)
    except _WrongType as problem:
        advice = problem.advice or _safe_advice(answer)
        message = _("check.wrong_type", id=key, expected=_expected_form(exercise), got=_safe_got(answer))
        return Verdict(key, "wrong type", f"{message} {advice}".strip())
    except Exception:  # an answer whose own methods fail is still only a wrong type
        message = _("check.wrong_type", id=key, expected=_expected_form(exercise), got=_safe_got(answer))
        return Verdict(key, "wrong type", message)
    if status == "correct":
        return Verdict(key, "correct", _("check.correct", id=key, answer=shown))
    message = _("check.not_yet", id=key, answer=shown)
    return Verdict(key, "not yet", f"{message} {advice}".strip(), hint=_hint(exercise))


def _safe_got(answer) -> str:
    try:
        return _got(answer)
    except Exception:
        return _("check.got.other", kind=_clip(type(answer).__name__, 40))


def _safe_advice(answer) -> str:
    try:
        return _common_advice(answer)
    except Exception:
        return ""


def _exercise_key(exercise_id) -> str | None:
    if isinstance(exercise_id, str):
        return exercise_id.strip()
    if isinstance(exercise_id, numbers.Real) and not isinstance(exercise_id, bool):
        try:
            return str(exercise_id) if not isinstance(exercise_id, float) else repr(exercise_id)
        except Exception:
            return None
    return None


def _sort_key(exercise_id: str):
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", exercise_id)]
