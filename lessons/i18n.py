"""Labels and messages in English and French, looked up by key.

Every label and message the package shows lives in ``lessons/strings.csv`` (columns ``key``, ``en``,
``fr``). Learner-facing text that belongs to the data (event titles, claims, arguments...) lives in
the data tables, in ``*_en`` and ``*_fr`` columns; :func:`column` picks the right one.
"""

from __future__ import annotations

import csv
import functools
from pathlib import Path

LANGUAGES = ("en", "fr")
NBSP, NARROW_NBSP = "\u00a0", "\u202f"  # French typography: before ; : ! ? %, and in numbers
_language = "en"


def set_language(language: str) -> None:
    """Show every label, message and data text in ``language``: ``"en"`` (default) or ``"fr"``.

    Widgets created afterwards use the new language.
    """
    global _language
    if language not in LANGUAGES:
        raise ValueError(f"language: expected one of {', '.join(map(repr, LANGUAGES))}; got {language!r}.")
    _language = language


def get_language() -> str:
    """The language in use: ``"en"`` or ``"fr"``."""
    return _language


@functools.cache
def _strings() -> dict[str, dict[str, str]]:
    path = Path(__file__).with_name("strings.csv")
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["key"]: {language: row[language] for language in LANGUAGES} for row in csv.DictReader(handle)}


def _(key: str, **values) -> str:
    """The label or message ``key`` in the current language, with ``{placeholders}`` filled in."""
    try:
        text = _strings()[key][_language]
    except KeyError:
        raise KeyError(f"lessons/strings.csv has no key {key!r}") from None
    return text.format(**values) if values else text


def column(name: str) -> str:
    """The data column for ``name`` in the current language, e.g. ``column("title")`` → ``"title_fr"``."""
    return f"{name}_{_language}"


_MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
           "octobre", "novembre", "décembre"],
}


def date_text(date, precision: str = "day") -> str:
    """A date at its known precision: ``10 February 2025`` / ``10 février 2025``, ``February 2025``, ``2025``."""
    month = _MONTHS[_language][date.month - 1]
    if precision == "year":
        return f"{date.year}"
    if precision == "month":
        return f"{month} {date.year}"
    day = "1er" if (_language == "fr" and date.day == 1) else str(date.day)
    return f"{day} {month} {date.year}"


def money(usd) -> str:
    """An amount in US dollars for reading: ``$97.4 billion`` / ``97,4 milliards de dollars``."""
    usd = float(usd)
    for size, en, fr_one, fr_many in ((1e12, "trillion", "millier de milliards", "milliers de milliards"),
                                      (1e9, "billion", "milliard", "milliards"),
                                      (1e6, "million", "million", "millions")):
        if abs(usd) >= size:
            amount = usd / size
            text = f"{amount:,.2f}".rstrip("0").rstrip(".")
            if _language == "en":
                return f"${text} {en}"
            word = fr_one if amount < 2 else fr_many
            return text.replace(".", ",") + NBSP + word + " de dollars"
    text = f"{usd:,.0f}"
    return f"${text}" if _language == "en" else text.replace(",", NARROW_NBSP) + NBSP + "dollars"


def percent(share: float, digits: int = 0) -> str:
    """A share as a percentage: ``26%`` in English, ``26 %`` (non-breaking space) in French."""
    text = f"{share * 100:.{digits}f}"
    return f"{text}%" if _language == "en" else text.replace(".", ",") + NBSP + "%"
