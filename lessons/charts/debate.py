"""Charts and helpers for the debate exercises: the claim checker, the argument sorter, the
structure comparator and the self-check quiz.

Pure functions: DataFrames and values in, DataFrames, text or :class:`plotly.graph_objects.Figure`
out; no globals, no I/O, no ipywidgets. Text is in the current language (:mod:`lessons.i18n`). The
widgets in :mod:`lessons.widgets.exercises` call these and only arrange and escape the results.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import math
import re
from collections.abc import Iterable, Sequence

import pandas as pd
import plotly.graph_objects as go

from ..i18n import _, column, date_text
from ._style import PALETTE, figure_layout

__all__ = [
    "VERDICTS", "SIDES", "FEATURES",
    "verdict_label", "side_label", "argument_kind_label", "feature_label", "status_note",
    "claims_in_order", "CLAIM_PARTS", "claims_for", "evidence_choices", "grade", "verdict_chart",
    "verdict_chart_table", "describe_verdict_chart",
    "arguments_in_order", "SCORED_SIDES", "arguments_per_side", "feedback_key",
    "comparison_organisations", "match_organisations", "comparison_matrix", "describe_comparison",
    "comparison_source_ids",
    "lesson_code", "quiz_for_lesson", "split_options", "parse_number", "numeric_correct",
    "SOURCE_KINDS", "source_kind_label", "source_entries", "glossary_terms",
]

VERDICTS = ("accurate", "inaccurate", "incomplete", "outdated")
# "both" and "neither" are answers the sorter accepts where the data say so; only the two sides of
# the debate count when its balance is checked.
SIDES = ("for-profit", "nonprofit", "both", "neither")
SCORED_SIDES = ("for-profit", "nonprofit")
FEATURES = ("board_appointed_by", "outside_equity", "returns_capped", "mission_binding", "enforced_by")
# The kinds of data/sources.csv, strongest first; lesson 00 explains them to learners.
SOURCE_KINDS = ("primary document", "wire", "newspaper", "press", "analysis", "aggregator")


# --------------------------------------------------------------------------------------------
# Labels.
# --------------------------------------------------------------------------------------------

def verdict_label(verdict: str) -> str:
    """``"outdated"`` → ``"outdated"`` / ``"dépassée"``: a verdict in the current language."""
    return _(f"claims.verdict.{verdict}")


def side_label(side: str) -> str:
    """``"for-profit"`` → ``"for-profit"`` / ``"but lucratif"``: a side of the debate."""
    return _(f"arguments.side.{side}")


def argument_kind_label(kind: str) -> str:
    """``"charitable-assets"`` → ``"charitable assets"`` / ``"biens caritatifs"``: what an argument is about."""
    return _(f"arguments.kind.{kind}")


def source_kind_label(kind) -> str:
    """``"wire"`` → ``"wire report"`` / ``"dépêche d’agence"``: what kind of document a source is,
    in the current language; empty for a missing kind."""
    if kind is None or pd.isna(kind) or not str(kind):
        return ""
    return _(f"sources.kind.{str(kind).replace(' ', '_')}")


def feature_label(feature: str) -> str:
    """A compared feature as a question, e.g. ``"returns_capped"`` → ``"Are returns capped?"``."""
    return _(f"comparator.feature.{feature}")


def status_note(status) -> str:
    """`` (reported)`` for a reported point, `` (disputed)`` for a disputed one, else nothing."""
    if isinstance(status, str) and status in ("reported", "disputed"):
        return " " + _(f"comparator.status.{status}")
    return ""


# --------------------------------------------------------------------------------------------
# Claim checker.
# --------------------------------------------------------------------------------------------

def claims_in_order(claims: pd.DataFrame) -> pd.DataFrame:
    """The claims in the order the article makes them (``position``, then ``id``)."""
    return claims.sort_values(["position", "id"], kind="stable").reset_index(drop=True)


CLAIM_PARTS = ("core", "further")


def claims_for(claims: pd.DataFrame, lesson: str | None = None, part: str | None = None) -> pd.DataFrame:
    """The claims one checker lists, in the article's order: those of ``lesson`` (``"04"``) and of
    ``part`` (``"core"``, the 45-minute class, or ``"further"``); ``None`` keeps every lesson or part.
    An unknown ``part`` raises ValueError naming the parts there are."""
    if part is not None and part not in CLAIM_PARTS:
        raise ValueError(f"part: expected one of {', '.join(CLAIM_PARTS)}, or None; got {part!r}")
    if lesson is not None:
        claims = claims[claims["lesson"] == lesson]
    if part is not None:
        claims = claims[claims["part"] == part]
    return claims_in_order(claims)


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z«\"“])")


def _first_sentence(text: str) -> str:
    return _SENTENCE_END.split(text.strip(), maxsplit=1)[0]


def _evidence_label(evidence_id: str, sources: pd.DataFrame, bid: pd.DataFrame) -> str:
    """A source as publisher (and the outlet it copies), title, kind and date; a row of the bid's
    steps as its date and first sentence, so that a learner can tell a document from a data row."""
    entries, _unknown = source_entries(sources, [evidence_id])
    if len(entries):
        entry = entries.iloc[0]
        publisher = entry["publisher"]
        if entry["outlet"]:
            outlet_key = "sources.based_on" if entry["rewrite"] else "sources.outlet"
            publisher += f" ({_(outlet_key, outlet=entry['outlet'])})"
        kind = f" {_('sources.kind_note', kind=entry['kind'])}" if entry["kind"] else ""
        return f"{publisher}, {_('sources.title', title=entry['title'])}{kind}, {entry['date'] or _('sources.undated')}"
    row = bid.set_index("id").loc[evidence_id]
    return _("claims.data_row", date=date_text(row["date"], str(row["date_precision"])),
             text=_first_sentence(str(row[column("description")])))


def evidence_choices(claim, sources: pd.DataFrame, bid: pd.DataFrame) -> list[tuple[str, str]]:
    """The evidence offered for one claim (a row of ``data.claims()``): ``(label, id)`` for each of
    its ``evidence_ids`` and ``decoy_ids``, mixed in an order fixed by the claim's id, so the right
    evidence is not always first. An id in both columns raises ValueError naming the row."""
    right, decoys = [str(i) for i in claim["evidence_ids"]], [str(i) for i in claim["decoy_ids"]]
    both = sorted(set(right) & set(decoys))
    if both:
        raise ValueError(f"data/claims.csv, row {claim['id']!r}: {', '.join(both)} in both 'evidence_ids' and "
                         "'decoy_ids'; expected each piece of evidence in one of them")
    ids = sorted(dict.fromkeys(right + decoys),
                 key=lambda i: hashlib.sha256(f"{claim['id']}:{i}".encode()).hexdigest())
    return [(_evidence_label(i, sources, bid), i) for i in ids]


def grade(expected: Sequence, picks: Sequence) -> list[bool | None]:
    """For each item: ``None`` if not answered, else whether the pick equals the expected value."""
    return [None if pick is None else str(pick) == str(answer) for answer, pick in zip(expected, picks)]


def _verdict_counts(verdicts: Iterable, picks: Iterable) -> tuple[list[int], list[int]]:
    verdicts, picks = list(verdicts), list(picks)
    evidence = [sum(1 for v in verdicts if v == name) for name in VERDICTS]
    yours = [sum(1 for p in picks if p == name) for name in VERDICTS]
    return evidence, yours


def verdict_chart(verdicts: Sequence[str], picks: Sequence[str | None]) -> go.Figure:
    """Grouped bars: how many claims the evidence rates accurate, inaccurate, incomplete, outdated,
    next to how many the learner rated so."""
    evidence, yours = _verdict_counts(verdicts, picks)
    labels = [verdict_label(v) for v in VERDICTS]
    data = [
        dict(type="bar", name=_("claims.chart.evidence"), x=labels, y=evidence, marker=dict(color=PALETTE[0]),
             text=[str(n) for n in evidence], textposition="outside"),
        dict(type="bar", name=_("claims.chart.yours"), x=labels, y=yours, marker=dict(color=PALETTE[1]),
             text=[str(n) for n in yours], textposition="outside"),
    ]
    layout = figure_layout(_("claims.chart.title"), barmode="group",
                           yaxis=dict(title=dict(text=_("claims.chart.count")), dtick=1, rangemode="tozero"),
                           xaxis=dict(title=dict(text=_("claims.chart.verdict"))))
    return _figure(data, layout)


@functools.cache
def _template_json(name: str) -> dict:
    import plotly.io as pio

    return pio.templates[name].to_plotly_json()


def _figure(data: list[dict], layout: dict) -> go.Figure:
    """A figure from plain dicts without plotly's validation, which takes most of a redraw's time
    (about 10 ms, nearly all of it expanding the named template). The template is expanded once and
    copied, so the JSON is the same as a validated figure's; the tests validate every chart."""
    layout = dict(layout)
    if isinstance(layout.get("template"), str):
        layout["template"] = copy.deepcopy(_template_json(layout["template"]))
    try:
        return go.Figure(data=data, layout=layout, _validate=False)
    except TypeError:  # a plotly without the private switch: validate instead (slower)
        return go.Figure(data=data, layout=layout)


def verdict_chart_table(verdicts: Sequence[str], picks: Sequence[str | None]) -> pd.DataFrame:
    """The numbers :func:`verdict_chart` draws, one row per verdict."""
    evidence, yours = _verdict_counts(verdicts, picks)
    return pd.DataFrame({_("claims.chart.verdict"): [verdict_label(v) for v in VERDICTS],
                         _("claims.chart.evidence"): evidence,
                         _("claims.chart.yours"): yours})


def describe_verdict_chart(verdicts: Sequence[str], picks: Sequence[str | None]) -> str:
    """What :func:`verdict_chart` shows, in words, with its numbers."""
    evidence, yours = _verdict_counts(verdicts, picks)
    results = grade(verdicts, picks)
    parts = "; ".join(_("claims.chart.part", verdict=verdict_label(v), evidence=e, yours=y)
                      for v, e, y in zip(VERDICTS, evidence, yours))
    return _("claims.chart.summary", total=len(list(verdicts)), parts=parts,
             correct=sum(1 for r in results if r))


# --------------------------------------------------------------------------------------------
# Argument sorter.
# --------------------------------------------------------------------------------------------

def arguments_in_order(arguments: pd.DataFrame, mixed: bool = True) -> pd.DataFrame:
    """The arguments, mixed in a fixed order (by a hash of their id) so that the two sides are not
    listed in blocks; the same order on every machine. ``mixed=False`` keeps the file's order."""
    if not mixed:
        return arguments.reset_index(drop=True)
    keys = arguments["id"].map(lambda i: hashlib.sha256(str(i).encode("utf-8")).hexdigest())
    return arguments.assign(_key=keys).sort_values("_key", kind="stable").drop(columns="_key").reset_index(drop=True)


def arguments_per_side(arguments: pd.DataFrame) -> pd.Series:
    """How many arguments each side has, in the order of :data:`SIDES` (zero for a side with none)."""
    return arguments["side"].astype(str).value_counts().reindex(list(SIDES), fill_value=0)


def feedback_key(side: str, correct: bool) -> str:
    """The string key of the sorter's verdict on a pick: "both" and "neither" have sentences of their
    own, since "an argument for the neither side" would not read."""
    if side in ("both", "neither"):
        return f"arguments.right.{side}" if correct else f"arguments.wrong.{side}"
    return "arguments.right" if correct else "arguments.wrong"


# --------------------------------------------------------------------------------------------
# Structure comparator.
# --------------------------------------------------------------------------------------------

def comparison_organisations(comparison: pd.DataFrame) -> pd.DataFrame:
    """The compared organisations in the order the file first lists them: columns
    ``key`` (the English label, stable across languages) and ``label`` (current language)."""
    firsts = comparison.drop_duplicates("organisation_label_en")
    return pd.DataFrame({"key": firsts["organisation_label_en"].astype(str).tolist(),
                         "label": firsts[column("organisation_label")].astype(str).tolist()})


def match_organisations(comparison: pd.DataFrame, wanted) -> tuple[list[str], list[str]]:
    """Keys of the organisations named in ``wanted`` (English or French labels, any case), and the
    names that match none. ``None`` means all of them."""
    table = comparison_organisations(comparison)
    if wanted is None:
        return table["key"].tolist(), []
    if isinstance(wanted, str):
        wanted = [wanted]
    lookup = {}
    for key, fr in zip(comparison["organisation_label_en"].astype(str), comparison["organisation_label_fr"].astype(str)):
        lookup[key.casefold().strip()] = key
        lookup[fr.casefold().strip()] = key
    found, unknown = [], []
    for name in wanted:
        key = lookup.get(str(name).casefold().strip())
        if key is None:
            unknown.append(str(name))
        elif key not in found:
            found.append(key)
    return found, unknown


def comparison_matrix(comparison: pd.DataFrame, organisations: Sequence[str], features: Sequence[str]) -> pd.DataFrame:
    """Rows = features (as questions), columns = organisations (labels in the current language); each
    cell the value in the current language, marked "(reported)" or "(disputed)" when the data says so,
    or "no data" when the file has no row for it. ``organisations`` are English labels (keys)."""
    value_column, label_column = column("value"), column("organisation_label")
    cells, labels = {}, {}
    for row in comparison.itertuples(index=False):
        key = str(row.organisation_label_en)
        labels.setdefault(key, str(getattr(row, label_column)))
        value = getattr(row, value_column)
        cells[(key, str(row.feature))] = ("" if pd.isna(value) else str(value)) + status_note(row.status)
    frame = {_("comparator.feature"): [feature_label(f) for f in features]}
    for key in organisations:
        frame[labels.get(key, key)] = [cells.get((key, f), _("comparator.no_data")) for f in features]
    return pd.DataFrame(frame)


def describe_comparison(comparison: pd.DataFrame, organisations: Sequence[str], features: Sequence[str]) -> str:
    """One or two sentences: what the table compares, and how many of its cells are only reported."""
    labels = dict(zip(comparison["organisation_label_en"].astype(str), comparison[column("organisation_label")].astype(str)))
    shown = comparison[comparison["organisation_label_en"].isin(list(organisations))
                       & comparison["feature"].isin(list(features))]
    reported = int((shown["status"] == "reported").sum())
    disputed = int((shown["status"] == "disputed").sum())
    text = _("comparator.summary", organisations=", ".join(labels.get(o, o) for o in organisations),
             features=" ".join(feature_label(f) for f in features), rows=len(features), columns=len(organisations))
    if text.endswith("?."):  # the features are questions: no full stop after the last one
        text = text[:-1]
    if reported or disputed:
        text += " " + _("comparator.summary_status", reported=reported, disputed=disputed)
    return text


def comparison_source_ids(comparison: pd.DataFrame, organisations: Sequence[str], features: Sequence[str]) -> list[str]:
    """The source ids behind the shown cells, each once, in table order."""
    shown = comparison[comparison["organisation_label_en"].isin(list(organisations))
                       & comparison["feature"].isin(list(features))]
    ids = []
    for source_ids in shown["source_ids"]:
        for source_id in source_ids:
            if source_id not in ids:
                ids.append(source_id)
    return ids


# --------------------------------------------------------------------------------------------
# Quiz.
# --------------------------------------------------------------------------------------------

def lesson_code(lesson) -> str:
    """``4``, ``"4"`` or ``"04"`` → ``"04"``; anything else raises ValueError."""
    if isinstance(lesson, bool):
        raise ValueError(lesson)
    if isinstance(lesson, int):
        text = str(lesson)
    elif isinstance(lesson, str):
        text = lesson.strip()
    else:
        raise ValueError(lesson)
    if not re.fullmatch(r"\d{1,2}", text):
        raise ValueError(lesson)
    return f"{int(text):02d}"


def quiz_for_lesson(quiz: pd.DataFrame, lesson: str) -> pd.DataFrame:
    """The questions of one lesson (``"04"``), in file order."""
    return quiz[quiz["lesson"] == lesson].reset_index(drop=True)


def split_options(text) -> list[str]:
    """``"a | b | c"`` → ``["a", "b", "c"]`` (empty cell → ``[]``)."""
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return []
    return [part.strip() for part in str(text).split(" | ") if part.strip()]


_PLAIN_NUMBER = re.compile(r"[-+]?(\d+(\.\d*)?|\.\d+)")


def parse_number(value) -> float:
    """A learner's number: ``10``, ``10.0``, ``"10"``, ``"10 %"``, ``"9,74"`` (French decimal comma),
    ``"1,000.5"``. Raises TypeError for other types and ValueError for text that is not a number,
    for NaN and for infinity. Never evaluates the text."""
    if isinstance(value, bool):
        raise TypeError(value)
    if isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, str):
        text = re.sub(r"[\s\u00a0\u202f]", "", value).removesuffix("%")
        if "," in text and "." in text:
            text = text.replace(",", "")
        elif text.count(",") == 1:
            text = text.replace(",", ".")
        if not _PLAIN_NUMBER.fullmatch(text):
            raise ValueError(value)
        number = float(text)
    else:
        raise TypeError(value)
    if math.isnan(number) or math.isinf(number):
        raise ValueError(value)
    return number


def numeric_correct(value: float, answer: float, tolerance) -> bool:
    """Whether ``value`` is within ``tolerance`` (absolute; missing = exact) of ``answer``."""
    tolerance = 0.0 if tolerance is None or pd.isna(tolerance) else float(tolerance)
    return abs(float(value) - float(answer)) <= tolerance + 1e-9


# --------------------------------------------------------------------------------------------
# Sources and glossary.
# --------------------------------------------------------------------------------------------

def source_entries(sources: pd.DataFrame, ids: Iterable[str]) -> tuple[pd.DataFrame, list[str]]:
    """The sources named by ``ids`` (in that order, each once), ready to print: columns ``id``,
    ``publisher``, ``outlet``, ``title``, ``kind`` (see :func:`source_kind_label`), ``rewrite`` (True
    for an aggregator, whose ``outlet`` is a source it sums up rather than copies), ``date`` (text at
    its precision, or empty) and ``url``; and the ids that ``sources`` does not have."""
    table = sources.set_index("id")
    rows, unknown, seen = [], [], set()
    for source_id in ids:
        source_id = str(source_id)
        if source_id in seen:
            continue
        seen.add(source_id)
        if source_id not in table.index:
            unknown.append(source_id)
            continue
        row = table.loc[source_id]
        date = "" if pd.isna(row["date"]) else date_text(row["date"], str(row["date_precision"]))
        rows.append({"id": source_id, "publisher": _text(row["publisher"]), "outlet": _text(row["outlet"]),
                     "title": _text(row["title"]), "kind": source_kind_label(row.get("kind")),
                     "rewrite": _text(row.get("kind")) == "aggregator", "date": date, "url": _text(row["url"])})
    frame = pd.DataFrame(rows, columns=["id", "publisher", "outlet", "title", "kind", "rewrite", "date", "url"])
    return frame, unknown


def _text(value) -> str:
    return "" if value is None or pd.isna(value) else str(value)


def glossary_terms(glossary: pd.DataFrame, lesson: str | None = None) -> pd.DataFrame:
    """Terms and definitions in the current language, alphabetical, optionally for one lesson:
    two columns with headers in the current language."""
    if lesson is not None:
        glossary = glossary[glossary["lesson"] == lesson]
    term, definition = column("term"), column("definition")
    frame = glossary[[term, definition]].astype(str)
    frame = frame.iloc[sorted(range(len(frame)), key=lambda i: frame.iloc[i, 0].casefold())]
    return frame.set_axis([_("sources.glossary.term"), _("sources.glossary.definition")], axis=1).reset_index(drop=True)
