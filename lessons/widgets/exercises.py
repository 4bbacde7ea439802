"""Exercise widgets: the claim checker (lesson 04), the argument sorter and the structure comparator
(lesson 05), the self-check quiz, and the lists every lesson shows (sources, glossary).

The widgets are thin: the data come from :mod:`lessons.data`, the grading, ordering and wording
from :mod:`lessons.charts.debate`; here they are only arranged, escaped and wired to the controls.
Every piece of data text goes through :func:`~lessons.widgets._panel.escape` or
:func:`~lessons.widgets._panel.link`. A problem (missing data, an answer of the wrong type, an
unknown lesson) shows as a message inside the widget, never as a traceback.

>>> checker = ClaimChecker()
>>> checker.choices[0].value = "accurate"      # what a learner's clicks do: a verdict...
>>> checker.evidence[0].value = checker.evidence[0].options[0][1]   # ...and the evidence it rests on
>>> checker.score.value                        # "Score: verdicts 1 of 22, evidence 0 of 22 (1 of 22 answered)."
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable

import ipywidgets as widgets
import pandas as pd

from .. import data
from ..charts import debate
from ..i18n import _, column, date_text, get_language
from ._controls import CheckboxGroup
from ._panel import ChartPanel, Message, escape, html_table, link

__all__ = ["ClaimChecker", "ArgumentSorter", "StructureComparator", "Quiz", "show_sources", "glossary_table"]

_LABEL = {"description_width": "initial"}


# --------------------------------------------------------------------------------------------
# Shared pieces.
# --------------------------------------------------------------------------------------------

def _guarded(error_key: str):
    """Run an observer so that nothing escapes it: a failure becomes a message in the widget."""
    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except Exception as error:  # noqa: BLE001 - a widget never raises from an observer
                self.message.warn(_(error_key, error=f"{type(error).__name__}: {error}"))
        return wrapper
    return decorate


def _sources_list(ids: Iterable[str], table: pd.DataFrame | None = None) -> str:
    """An escaped ``<ul>`` of the sources named by ``ids``: publisher, outlet, title and kind, date, link."""
    ids = [str(i) for i in ids]
    if not ids:
        return f"<p class='lessons-sources-empty'>{escape(_('sources.none'))}</p>"
    entries, unknown = debate.source_entries(data.sources() if table is None else table, ids)
    items = []
    for entry in entries.itertuples(index=False):
        parts = [escape(entry.publisher)]
        if entry.outlet:
            # An aggregator sums up its outlet rather than copying it: say so, so it is not taken for a copy.
            outlet_key = "sources.based_on" if entry.rewrite else "sources.outlet"
            parts[0] += f" ({escape(_(outlet_key, outlet=entry.outlet))})"
        title = escape(_("sources.title", title=entry.title))
        if entry.kind:
            title += f" <span class='lessons-source-kind'>{escape(_('sources.kind_note', kind=entry.kind))}</span>"
        parts.append(title)
        parts.append(escape(entry.date or _("sources.undated")))
        parts.append(link(entry.url, entry.url) if entry.url else escape(_("sources.no_url")))
        items.append("<li>" + ", ".join(parts) + "</li>")
    if unknown:
        items.append(f"<li class='lessons-warning'>⚠ {escape(_('sources.unknown', ids=', '.join(unknown)))}</li>")
    return f"<ul class='lessons-sources' aria-label='{escape(_('sources.heading'))}'>" + "".join(items) + "</ul>"


def show_sources(source_ids) -> widgets.HTML:
    """The "Sources" list of a lesson: an HTML widget with one escaped bullet per source
    (publisher, outlet if the copy cites one, title and the kind of document it is, so that learners
    can weigh it, date at its precision, clickable address).

    ``source_ids`` is one id or a list of ids of ``data/sources.csv``; an unknown id is named in a
    warning line rather than raising.

    >>> lessons.show_sources(["reuters-cna-2025-02-11", "ap-citynews-2025-02-14"])
    """
    if source_ids is None:
        source_ids = []
    elif isinstance(source_ids, str):
        source_ids = [source_ids]
    try:
        ids = [str(i) for i in source_ids]
        body = _sources_list(ids)
    except TypeError:
        body = f"<p class='lessons-message lessons-warning' role='alert'>⚠ {escape(_('sources.none'))}</p>"
    except Exception as error:  # noqa: BLE001 - a broken sources.csv is reported, not raised
        body = (f"<p class='lessons-message lessons-warning' role='alert'>⚠ "
                f"{escape(_('sources.data_error', error=error))}</p>")
    return widgets.HTML(value=body)


def glossary_table(lesson=None) -> widgets.HTML:
    """The glossary as an HTML table, terms and definitions in the current language, alphabetical;
    only the terms of one lesson if ``lesson`` is given (``0``, ``"00"``, ``5``...)."""
    def warning(text):
        return widgets.HTML(value=f"<p class='lessons-message lessons-warning' role='alert'>⚠ {escape(text)}</p>")

    code = None
    if lesson is not None:
        try:
            code = debate.lesson_code(lesson)
        except ValueError:
            return warning(_("sources.glossary.bad_lesson", lesson=lesson))
    try:
        terms = debate.glossary_terms(data.glossary(), code)
    except Exception as error:  # noqa: BLE001 - e.g. data/glossary.csv missing or malformed
        return warning(_("sources.glossary.data_error", error=error))
    if terms.empty:
        return warning(_("sources.glossary.none", lesson=code if code is not None else ""))
    return widgets.HTML(value=html_table(terms, _("sources.glossary.caption")))


def _card(children) -> widgets.VBox:
    return widgets.VBox(children, layout=widgets.Layout(border="1px solid #ddd", padding="4px 8px", margin="4px 0"))


def _numbered(label: str, text) -> str:
    return f"<p><strong>{escape(label)}</strong> {escape(text)}</p>"


# --------------------------------------------------------------------------------------------
# Claim checker.
# --------------------------------------------------------------------------------------------

class _ScoredPicks:
    """Score keeping shared by the widgets where a learner picks one answer per item: ``_results``
    holds True (right), False (wrong) or None (not answered yet) per item; ``_score_key`` names the
    score line in strings.csv."""

    _score_key = ""

    @property
    def correct_count(self) -> int:
        """How many items the learner answered as the evidence does."""
        return sum(1 for result in self._results if result)

    @property
    def answered_count(self) -> int:
        """How many items the learner has answered."""
        return sum(1 for result in self._results if result is not None)

    def _update_score(self) -> None:
        text = _(self._score_key, correct=self.correct_count, total=len(self.choices), answered=self.answered_count)
        self.score.value = f"<p class='lessons-score'><strong>{escape(text)}</strong></p>"


class ClaimChecker(_ScoredPicks, widgets.VBox):
    """Rate each claim of the February 2025 French article and pick the evidence you rely on; then
    see the verdict, why, and the evidence.

    ``lesson`` (``4`` or ``"04"``) and ``part`` (``"core"`` or ``"further"``) keep only the claims
    that lesson lists in that part (``None``, the default, keeps them all). Each claim is shown in the
    article's language, French, with its English translation when the lessons are in English.

    Public parts: ``choices`` (one ToggleButtons of verdicts per claim, in the article's order,
    nothing chosen at first), ``evidence`` (one Dropdown per claim: the sources or data rows that
    settle it, mixed with plausible others), ``feedback`` (one HTML per claim, filled once
    both are chosen), ``score`` (HTML), ``correct_count`` (verdicts that match the evidence),
    ``evidence_count`` (evidence picks that settle the claim), ``answered_count`` (claims with
    both chosen), ``message`` and ``panel`` (the chart of verdicts, shown once every claim is
    answered).
    """

    _score_key = "claims.score"

    def __init__(self, *, lesson=None, part: str | None = None):
        self.choices: list[widgets.ToggleButtons] = []
        self.evidence: list[widgets.Dropdown] = []
        self.feedback: list[widgets.HTML] = []
        self.score = widgets.HTML()
        self.message = Message()
        self.panel = ChartPanel()
        self.panel.layout.display = "none"
        self.chart_hint = widgets.HTML(f"<p class='lessons-hint'>{escape(_('claims.chart_hint'))}</p>")
        self._verdicts: list[str] = []
        self._right_evidence: list[set[str]] = []
        self._explanations: list[str] = []
        self._results: list[bool | None] = []
        self._evidence_results: list[bool | None] = []
        intro = widgets.HTML(f"<p>{escape(_('claims.intro'))}</p>")
        cards = []
        claims = self._claims(lesson, part)
        if claims is not None:
            try:
                sources, bid = data.sources(), data.bid()
                offered = [debate.evidence_choices(row, sources, bid) for _index, row in claims.iterrows()]
            except Exception as error:  # noqa: BLE001 - missing or malformed data: say so in the widget
                self.message.warn(_("claims.data_error", error=error))
                claims, offered = None, []
        if claims is not None:
            options = [(debate.verdict_label(v), v) for v in debate.VERDICTS]
            translated = get_language() != "fr"
            for number, (row, evidence_options) in enumerate(zip(claims.itertuples(index=False), offered), start=1):
                choice = widgets.ToggleButtons(options=options, value=None, description=_("claims.your_verdict"),
                                               style=_LABEL)
                # A menu, not radio buttons: the labels are long, and radio labels wrap over each other.
                evidence = widgets.Dropdown(options=evidence_options, value=None,
                                            description=_("claims.your_evidence"), style=_LABEL,
                                            layout=widgets.Layout(width="95%"))
                feedback = widgets.HTML()
                for control in (choice, evidence):
                    control.observe(functools.partial(self._on_pick, len(self.choices)), "value")
                self.choices.append(choice)
                self.evidence.append(evidence)
                self.feedback.append(feedback)
                self._verdicts.append(str(row.verdict))
                self._right_evidence.append({str(i) for i in row.evidence_ids})
                self._explanations.append(
                    f"<p>{escape(getattr(row, column('explanation')))}</p>"
                    f"<p><strong>{escape(_('claims.evidence'))}</strong></p>{_sources_list(row.source_ids, sources)}")
                text = _numbered(_("claims.claim", number=number) + ".", row.claim_fr)
                if translated:
                    text += f"<p class='lessons-translation'>{escape(_('claims.translation', text=row.claim_en))}</p>"
                cards.append(_card([widgets.HTML(text), choice, evidence, feedback]))
            if not cards:
                self.message.warn(_("claims.empty") if lesson is None and part is None else
                                  _("claims.none_for", lesson=lesson, part=part))
        self._results = [None] * len(self.choices)
        self._evidence_results = [None] * len(self.choices)
        self._update_score()
        super().__init__([intro, *cards, self.score, self.message, self.chart_hint, self.panel])

    def _claims(self, lesson, part) -> pd.DataFrame | None:
        """The claims to list, or None after a message naming the bad argument or the data problem."""
        code = None
        if lesson is not None:
            try:
                code = debate.lesson_code(lesson)
            except ValueError:
                self.message.warn(_("claims.bad_lesson", lesson=repr(lesson)))
                return None
        if part is not None and part not in debate.CLAIM_PARTS:
            self.message.warn(_("claims.bad_part", part=repr(part)))
            return None
        try:
            return debate.claims_for(data.claims(), code, part)
        except Exception as error:  # noqa: BLE001 - missing or malformed data: say so in the widget
            self.message.warn(_("claims.data_error", error=error))
            return None

    @property
    def evidence_count(self) -> int:
        """How many claims the learner answered with evidence that settles them."""
        return sum(1 for result in self._evidence_results if result)

    def _update_score(self) -> None:
        total = len(self.choices)
        text = _(self._score_key, correct=self.correct_count, evidence=self.evidence_count, total=total,
                 answered=self.answered_count)
        self.score.value = f"<p class='lessons-score'><strong>{escape(text)}</strong></p>"

    @_guarded("claims.error")
    def _on_pick(self, index: int, _change) -> None:
        pick, evidence, verdict = self.choices[index].value, self.evidence[index].value, self._verdicts[index]
        if pick is None or evidence is None:
            # Nothing is revealed until the learner has committed to both a verdict and its evidence.
            self._results[index] = self._evidence_results[index] = None
            self.feedback[index].value = ""
        else:
            self._results[index] = pick == verdict
            self._evidence_results[index] = evidence in self._right_evidence[index]
            if self._results[index]:
                verdict_text = _("claims.right", verdict=debate.verdict_label(verdict))
            else:
                verdict_text = _("claims.wrong", pick=debate.verdict_label(pick), verdict=debate.verdict_label(verdict))
            evidence_text = _("claims.evidence_right" if self._evidence_results[index] else "claims.evidence_wrong")
            state = "right" if self._results[index] and self._evidence_results[index] else "wrong"
            self.feedback[index].value = (f"<div class='lessons-feedback lessons-{state}' role='status'>"
                                          f"<p><strong>{escape(verdict_text)}</strong></p>"
                                          f"<p><strong>{escape(evidence_text)}</strong></p>"
                                          f"{self._explanations[index]}</div>")
        self.message.say("")
        self._update_score()
        self._update_chart()

    def _update_chart(self) -> None:
        done = bool(self.choices) and self.answered_count == len(self.choices)
        if done:
            picks = [choice.value for choice in self.choices]
            self.panel.show(debate.verdict_chart(self._verdicts, picks),
                            debate.describe_verdict_chart(self._verdicts, picks),
                            debate.verdict_chart_table(self._verdicts, picks),
                            caption=_("claims.chart.title"))
        self.panel.layout.display = None if done else "none"
        self.chart_hint.layout.display = "none" if done else None


# --------------------------------------------------------------------------------------------
# Argument sorter.
# --------------------------------------------------------------------------------------------

class ArgumentSorter(_ScoredPicks, widgets.VBox):
    """Sort each argument of the debate to its side (for-profit, nonprofit, both, or neither when it
    answers another question); then see who made it, when, and the source.

    Public parts: ``choices`` (one ToggleButtons per argument, nothing chosen at first),
    ``feedback`` (one HTML per argument), ``score`` (HTML), ``correct_count``, ``answered_count``,
    ``message``. The arguments are mixed in a fixed order so the sides do not come in blocks
    (``mixed=False`` keeps the order of ``data/arguments.csv``).
    """

    _score_key = "arguments.score"

    def __init__(self, *, mixed: bool = True):
        self.choices: list[widgets.ToggleButtons] = []
        self.feedback: list[widgets.HTML] = []
        self.score = widgets.HTML()
        self.message = Message()
        self._sides: list[str] = []
        self._details: list[str] = []
        intro = widgets.HTML(f"<p>{escape(_('arguments.intro'))}</p>")
        cards = []
        try:
            arguments = debate.arguments_in_order(data.arguments(), mixed=mixed)
            sources = data.sources()
        except Exception as error:  # noqa: BLE001
            self.message.warn(_("arguments.data_error", error=error))
            arguments = None
        if arguments is not None:
            options = [(debate.side_label(side), side) for side in debate.SIDES]
            text_column, who_column = column("argument"), column("made_by_label")
            for number, row in enumerate(arguments.itertuples(index=False), start=1):
                choice = widgets.ToggleButtons(options=options, value=None, description=_("arguments.side"),
                                               style=_LABEL)
                feedback = widgets.HTML()
                choice.observe(functools.partial(self._on_pick, len(self.choices)), "value")
                self.choices.append(choice)
                self.feedback.append(feedback)
                self._sides.append(str(row.side))
                when = date_text(row.date, str(row.date_precision)) if not pd.isna(row.date) else _("sources.undated")
                self._details.append(
                    f"<p>{escape(_('arguments.made_by', who=getattr(row, who_column), date=when))}</p>"
                    f"{_sources_list(row.source_ids, sources)}")
                cards.append(_card([widgets.HTML(_numbered(_("arguments.argument", number=number) + ".",
                                                           getattr(row, text_column))), choice, feedback]))
            if not cards:
                self.message.warn(_("arguments.empty"))
        self._results: list[bool | None] = [None] * len(self.choices)
        self._update_score()
        super().__init__([intro, *cards, self.score, self.message])

    @_guarded("arguments.error")
    def _on_pick(self, index: int, change) -> None:
        pick, side = change["new"], self._sides[index]
        if pick is None:
            self._results[index] = None
            self.feedback[index].value = ""
        else:
            self._results[index] = pick == side
            key = debate.feedback_key(side, self._results[index])
            state = "right" if self._results[index] else "wrong"
            self.feedback[index].value = (f"<div class='lessons-feedback lessons-{state}' role='status'>"
                                          f"<p><strong>{escape(_(key, side=debate.side_label(side)))}</strong></p>"
                                          f"{self._details[index]}</div>")
        self.message.say("")
        self._update_score()


# --------------------------------------------------------------------------------------------
# Structure comparator.
# --------------------------------------------------------------------------------------------

class StructureComparator(widgets.VBox):
    """OpenAI (2015, 2019, 2025), Anthropic, Mozilla and xAI side by side on five features.

    ``organisations``: labels to show first (English or French, e.g. ``["OpenAI 2015", "Mozilla"]``;
    default all). ``features``: keys among ``board_appointed_by``, ``outside_equity``,
    ``returns_capped``, ``mission_binding``, ``enforced_by`` (default all).

    Public parts: ``organisations`` and ``features`` (groups of checkboxes; ``value`` is a tuple), ``table`` (HTML: rows =
    features, columns = organisations; points only reported are marked "(reported)"), ``summary``
    (HTML text), ``sources`` (HTML list of the sources behind the cells shown), ``frame`` (the
    DataFrame shown) and ``message``.
    """

    def __init__(self, organisations=None, features=None):
        self.message = Message()
        self.table = widgets.HTML()
        self.summary = widgets.HTML()
        self.sources = widgets.HTML()
        self.frame = pd.DataFrame()
        self._comparison = None
        problems = []
        try:
            self._comparison = data.comparison()
            self._sources = data.sources()
            known = debate.comparison_organisations(self._comparison)
            chosen, unknown = debate.match_organisations(self._comparison, organisations)
        except Exception as error:  # noqa: BLE001
            problems.append(_("comparator.data_error", error=error))
            known, chosen, unknown = pd.DataFrame({"key": [], "label": []}), [], []
        if unknown:
            problems.append(_("comparator.unknown_organisations", names=", ".join(unknown),
                              available=", ".join(known["label"])))
        wanted_features, bad_features = self._match_features(features)
        if bad_features:
            problems.append(_("comparator.unknown_features", names=", ".join(bad_features),
                              available=", ".join(debate.FEATURES)))
        self.organisations = CheckboxGroup(list(zip(known["label"], known["key"])), value=tuple(chosen),
                                           description=_("comparator.organisations"), columns=3)
        self.features = CheckboxGroup([(debate.feature_label(f), f) for f in debate.FEATURES],
                                      value=tuple(wanted_features), description=_("comparator.features"))
        intro = widgets.HTML(f"<p>{escape(_('comparator.intro'))}</p>")
        super().__init__([intro, widgets.HBox([self.organisations, self.features]), self.message,
                          self.summary, self.table, self.sources])
        for control in (self.organisations, self.features):
            control.observe(self._redraw, "value")
        self._redraw()
        if problems:
            self.message.warn(" ".join(problems))

    @staticmethod
    def _match_features(features) -> tuple[list[str], list[str]]:
        if features is None:
            return list(debate.FEATURES), []
        if isinstance(features, str):
            features = [features]
        good, bad = [], []
        for feature in features:
            (good if str(feature) in debate.FEATURES else bad).append(str(feature))
        return [f for f in debate.FEATURES if f in good], bad

    @_guarded("comparator.error")
    def _redraw(self, _change=None) -> None:
        if self._comparison is None:
            return
        organisations = list(self.organisations.value)
        features = [f for f in debate.FEATURES if f in self.features.value]
        if not organisations or not features:
            self.frame = pd.DataFrame()
            self.table.value = self.summary.value = self.sources.value = ""
            self.message.warn(_("comparator.pick_something"))
            return
        self.message.say("")
        self.frame = debate.comparison_matrix(self._comparison, organisations, features)
        self.table.value = html_table(self.frame, _("comparator.caption"))
        summary = debate.describe_comparison(self._comparison, organisations, features)
        self.summary.value = f"<p class='lessons-summary'>{escape(summary)}</p>"
        ids = debate.comparison_source_ids(self._comparison, organisations, features)
        self.sources.value = (f"<details><summary>{escape(_('comparator.sources'))}</summary>"
                              f"{_sources_list(ids, self._sources)}</details>")


# --------------------------------------------------------------------------------------------
# Quiz.
# --------------------------------------------------------------------------------------------

class Quiz(widgets.VBox):
    """Self-check questions of one lesson (``Quiz("04")``), from ``data/quiz.csv``.

    Choice questions are RadioButtons with nothing selected; numeric questions are a FloatText and a
    "Check" button. Public parts: ``questions`` (the controls, in order), ``check_buttons`` (the
    button of each numeric question, ``None`` for choice questions), ``feedback`` (one HTML per
    question), ``score`` (HTML), ``correct_count``, ``answered_count``, ``message``, and
    ``answer(i, value)`` to answer question ``i`` (counted from 0) from code.
    """

    def __init__(self, lesson="04"):
        self.questions: list[widgets.ValueWidget] = []
        self.check_buttons: list[widgets.Button | None] = []
        self.feedback: list[Message] = []
        self.score = widgets.HTML()
        self.message = Message()
        self.lesson = None
        self._rows: list[dict] = []
        self._options: list[list[str]] = []
        self._results: list[bool | None] = []
        self._quiet = False
        intro = widgets.HTML(f"<p>{escape(_('quiz.intro'))}</p>")
        cards = []
        rows = self._load(lesson)
        for number, row in enumerate(rows, start=1):
            cards.append(self._question(number - 1, row))
        self._results = [None] * len(self.questions)
        if self.questions:
            self._update_score()
        super().__init__([intro, *cards, self.score, self.message])

    def _load(self, lesson) -> list[dict]:
        try:
            quiz = data.quiz()
            self._sources = data.sources()
        except Exception as error:  # noqa: BLE001
            self.message.warn(_("quiz.data_error", error=error))
            return []
        available = sorted(quiz["lesson"].dropna().astype(str).unique())
        try:
            code = debate.lesson_code(lesson)
        except ValueError:
            code = None
        rows = debate.quiz_for_lesson(quiz, code) if code is not None else quiz.iloc[0:0]
        if rows.empty:
            self.message.warn(_("quiz.unknown_lesson", lesson=lesson,
                                lessons=", ".join(available) or _("quiz.none_yet")))
            return []
        self.lesson = code
        return rows.to_dict("records")

    def _question(self, index: int, row: dict) -> widgets.VBox:
        self._rows.append(row)
        feedback = Message()
        self.feedback.append(feedback)
        text = widgets.HTML(_numbered(_("quiz.question", number=index + 1) + ".", row[column("question")]))
        if row["kind"] == "numeric":
            options = []
            control = widgets.FloatText(value=0.0, description=_("quiz.your_number"), style=_LABEL)
            button = widgets.Button(description=_("quiz.check"), button_style="primary")
            button.on_click(lambda _button, index=index: self._check(index))
            control.observe(lambda _change, index=index: None if self._quiet else self._check(index), "value")
            parts = [text, widgets.HBox([control, button]), feedback]
        else:
            options = debate.split_options(row.get(column("options")))
            control = widgets.RadioButtons(options=[(label, i) for i, label in enumerate(options)], value=None,
                                           description=_("quiz.your_answer"), style=_LABEL,
                                           layout=widgets.Layout(width="auto"))
            button = None
            control.observe(lambda _change, index=index: None if self._quiet else self._check(index), "value")
            parts = [text, control, feedback]
            if not options:
                feedback.warn(_("quiz.no_options"))
        self._options.append(options)
        self.questions.append(control)
        self.check_buttons.append(button)
        return _card(parts)

    @property
    def correct_count(self) -> int:
        """How many questions are answered right."""
        return sum(1 for result in self._results if result)

    @property
    def answered_count(self) -> int:
        """How many questions have been checked."""
        return sum(1 for result in self._results if result is not None)

    def _update_score(self) -> None:
        total = len(self.questions)
        self.score.value = (f"<p class='lessons-score'><strong>"
                            f"{escape(_('quiz.score', correct=self.correct_count, total=total, answered=self.answered_count))}"
                            f"</strong></p>")

    def answer(self, i, value) -> None:
        """Answer question ``i`` (counted from 0) with ``value``: an option's number or exact text
        for a choice question, a number (``10``, ``"10"``, ``"9,74"``) for a numeric one. A value of
        the wrong kind, or an empty one, gives a message instead of an answer."""
        try:
            self._answer(i, value)
        except Exception as error:  # noqa: BLE001 - never a traceback for a learner
            self.message.warn(_("quiz.error", error=f"{type(error).__name__}: {error}"))

    def _answer(self, i, value) -> None:
        count = len(self.questions)
        if isinstance(i, bool) or not isinstance(i, int) or not 0 <= i < count:
            self.message.warn(_("quiz.no_such_question", number=i, count=count))
            return
        self.message.say("")
        feedback, control = self.feedback[i], self.questions[i]
        if value is None or (isinstance(value, str) and not value.strip()):
            feedback.warn(_("quiz.empty_answer"))
            return
        if self._rows[i]["kind"] == "numeric":
            try:
                number = debate.parse_number(value)
            except (TypeError, ValueError):
                feedback.warn(_("quiz.not_a_number", value=value))
                return
            self._set_quietly(control, number)
        else:
            option = self._option_index(i, value)
            if option is None:
                feedback.warn(_("quiz.not_an_option", value=value, last=len(self._options[i]) - 1))
                return
            self._set_quietly(control, option)
        self._check(i)

    def _set_quietly(self, control, value) -> None:
        self._quiet = True
        try:
            control.value = value
        finally:
            self._quiet = False

    def _option_index(self, i: int, value) -> int | None:
        options = self._options[i]
        if isinstance(value, bool):
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, int):
            return value if 0 <= value < len(options) else None
        if isinstance(value, str):
            wanted = value.strip().casefold()
            for index, label in enumerate(options):
                if label.casefold() == wanted:
                    return index
        return None

    @_guarded("quiz.error")
    def _check(self, i: int) -> None:
        row, control, feedback = self._rows[i], self.questions[i], self.feedback[i]
        value = control.value
        if value is None or (isinstance(value, float) and math.isnan(value)):
            self._results[i] = None
            feedback.warn(_("quiz.empty_answer"))
            self._update_score()
            return
        if row["kind"] == "numeric":
            right = debate.numeric_correct(value, row["answer"], row["tolerance"])
        else:
            right = int(value) == int(row["answer"])
        self._results[i] = right
        verdict = _("quiz.right") if right else _("quiz.not_yet")
        feedback.text = verdict
        feedback.value = (f"<div class='lessons-feedback lessons-{'right' if right else 'wrong'}' role='status'>"
                          f"<p><strong>{escape(verdict)}</strong></p>"
                          f"<p>{escape(row[column('explanation')])}</p>"
                          f"{_sources_list(row['source_ids'], self._sources)}</div>")
        self._update_score()
