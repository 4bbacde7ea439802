"""Tables as a learner reads them: dates at their precision, names instead of ids, amounts in words.

The loaders of :mod:`lessons.data` return typed tables for analysis: a date known only to the month
is stored as the first day of that month, people are ids, amounts are integers. Shown as they are,
such tables teach the wrong thing ("1 February 2025" for a date known only as February 2025). This
module decides, in one place, how a table is shown to a learner; lessons, the site and the handouts
call it rather than formatting cells themselves.

>>> lessons.show(data.bid()[["date", "date_precision", "actor_id", "amount_usd"]])
"""

from __future__ import annotations

import pandas as pd

from . import i18n

__all__ = ["readable", "ID_COLUMNS"]

# Columns that hold ids of people or organisations (one id, or a tuple of ids), shown as names.
ID_COLUMNS = ("actor_id", "speaker_id", "holder_id", "made_by_id", "key_person_id", "organisation_id",
              "entity_id", "from_id", "to_id", "actors", "lead_investors", "other_investors")
_AMOUNT_SUFFIX = "_usd"
_SHARE_COLUMNS = ("share",)


def _text(value) -> str:
    return "" if value is None or (not isinstance(value, (tuple, list)) and pd.isna(value)) else str(value)


def _dates(values: pd.Series, precisions: pd.Series | None) -> list[str]:
    if precisions is None:
        precisions = pd.Series("day", index=values.index)
    return ["" if pd.isna(date) else i18n.date_text(date, _text(precision) or "day")
            for date, precision in zip(values, precisions)]


def _names(values: pd.Series) -> list[str]:
    from .data import name_of

    shown = []
    for value in values:
        if isinstance(value, (tuple, list)):
            shown.append(", ".join(name_of(list(value))))
        else:
            shown.append(name_of(value) if _text(value) else "")
    return shown


def _publishers(values: pd.Series) -> list[str]:
    from .data import sources

    publisher = dict(zip(sources()["id"], sources()["publisher"]))
    return ["; ".join(publisher.get(i, i) for i in (value if isinstance(value, (tuple, list)) else [value]) if _text(i))
            for value in values]


def _header(name: str) -> str:
    key = f"table.column.{name}"
    try:
        return i18n._(key)
    except KeyError:  # a column the strings do not name: its own name, readable
        return name.replace("_", " ").capitalize()


def readable(frame: pd.DataFrame, language: str | None = None) -> pd.DataFrame:
    """A copy of ``frame`` as a learner should read it, in ``language`` (default: the lesson's).

    - a date column with a ``<column>_precision`` sibling shows at that precision ("February 2025",
      "2019", "17 November 2023"), and the precision column goes; other dates show as days;
    - id columns (:data:`ID_COLUMNS`) show names; ``source_ids`` shows publishers;
    - ``*_usd`` amounts show in words ("$97.4 billion"), a ``share`` as a percentage;
    - of a pair of ``*_en`` / ``*_fr`` text columns, the language's one is kept, without the suffix;
    - every cell is text, headers are words, and the index is numbered from 1.

    The table's rows and their order are unchanged; the original frame is not modified.
    """
    previous = i18n.get_language()
    if language is not None:
        i18n.set_language(language)
    try:
        return _readable(frame, i18n.get_language())
    finally:
        i18n.set_language(previous)


def _readable(frame: pd.DataFrame, language: str) -> pd.DataFrame:
    shown = {}
    columns = list(frame.columns)
    precision_columns = {f"{name}_precision" for name in columns} & set(columns)
    other = "fr" if language == "en" else "en"
    for name in columns:
        values = frame[name]
        if name in precision_columns or name.endswith(f"_{other}"):
            continue
        if f"{name}_precision" in precision_columns:
            shown[name] = _dates(values, frame[f"{name}_precision"])
        elif pd.api.types.is_datetime64_any_dtype(values):
            shown[name] = _dates(values, None)
        elif name in ID_COLUMNS:
            shown[name.removesuffix("_id")] = _names(values)
        elif name == "source_ids":
            shown["sources"] = _publishers(values)
        elif name.endswith(_AMOUNT_SUFFIX):
            shown[name.removesuffix(_AMOUNT_SUFFIX)] = ["" if pd.isna(v) else i18n.money(v) for v in values]
        elif name in _SHARE_COLUMNS:
            shown[name] = ["" if pd.isna(v) else i18n.percent(v, 0 if abs(v * 100 - round(v * 100)) < 1e-9 else 1)
                           for v in values]
        elif name.endswith(f"_{language}"):
            shown[name.removesuffix(f"_{language}")] = [_text(v) for v in values]
        else:
            shown[name] = [", ".join(map(str, v)) if isinstance(v, (tuple, list)) else _text(v) for v in values]
    table = pd.DataFrame(shown)
    table.columns = [_header(name) for name in table.columns]
    table.index = pd.RangeIndex(1, len(table) + 1)
    return table
