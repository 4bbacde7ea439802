"""Lessons that fit a class: a 45-minute core, a Time line that adds up, a prediction before a
reveal, a question the text did not answer, and no exercise whose answer is shown above it.

The conventions the lessons follow (README, "Writing a lesson"):

- The core ends where the final section ``## Going further`` (French ``## Pour aller plus loin``)
  begins; nothing after it is needed for the next lesson.
- The core's prose (markdown outside hidden solutions) holds at most 1,500 words in English and
  1,800 in French: the same text needs about a fifth more words in French, so French is read at
  180 words a minute where English is read at 150.
- The ``## Time`` section says ``Core: 45 min · Reading: R min · Activities: A min · Going further:
  G min`` (French ``Cœur : … · Lecture : … · Activités : … · Pour aller plus loin : …``). R + A is
  the core; R is the core's words at the reading speed (within two minutes); A is the sum of the
  ``(N min)`` that each activity of the core announces (a **Predict.**, **Try it.** or **Discuss.**
  prompt, an exercise heading); G is the same sum after ``## Going further``.
- A prediction: a markdown cell starting ``**Predict.**`` (``**Prédisez.**``), then an answer cell
  tagged ``prediction`` where the learner writes it, then the code cell that reveals the result.
- At least one code exercise asks a question that the text did not answer: its answer cell is
  tagged ``new-question``.
"""

from __future__ import annotations

import functools
import math
import re

import nbformat
import pytest

from browser_support import html_text, in_language, widget_calls
from conftest import REPO, executed_lesson, html_values
from lessons import i18n
from lessons.exercises import EXERCISES

FOLDERS = {"en": REPO / "notebooks", "fr": REPO / "notebooks" / "fr"}
LESSONS = [(language, path) for language, folder in FOLDERS.items() for path in sorted(folder.glob("[0-9][0-9]_*.ipynb"))]
IDS = [f"{language}/{path.stem}" for language, path in LESSONS]

CORE_LENGTH = 45
GOING_FURTHER = {"en": "## Going further", "fr": "## Pour aller plus loin"}
WORD_BUDGET = {"en": 1500, "fr": 1800}
WORDS_PER_MINUTE = {"en": 150, "fr": 180}
PREDICT = {"en": "**Predict.**", "fr": "**Prédisez.**"}
TIME_LINE = {
    "en": re.compile(r"Core: (\d+) min · Reading: (\d+) min · Activities: (\d+) min · Going further: (\d+) min"),
    "fr": re.compile(r"Cœur\u00a0: (\d+) min · Lecture\u00a0: (\d+) min · Activités\u00a0: (\d+) min · "
                     r"Pour aller plus loin\u00a0: (\d+) min"),
}
MINUTES = re.compile(r"\((\d+)\s*min\)")
WORD = re.compile(r"[^\W_]+(?:[’'\-.,][^\W_]+)*")


def _tags(cell) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


@functools.cache
def _read(path):
    return nbformat.read(path, as_version=4)


def _prose(cell) -> str:
    """A markdown cell's text without code fences (code is not prose)."""
    return re.sub(r"```.*?```", " ", cell.source, flags=re.DOTALL)


def _split(language, path):
    """(core cells, going-further cells): the core ends at the ``## Going further`` heading."""
    cells = _read(path).cells
    for index, cell in enumerate(cells):
        if cell.cell_type == "markdown" and cell.source.strip().startswith(GOING_FURTHER[language]):
            return cells[:index], cells[index:]
    return cells, []


def _counted(cells) -> list:
    return [cell for cell in cells if cell.cell_type == "markdown" and "solution" not in _tags(cell)]


def core_words(language, path) -> int:
    return sum(len(WORD.findall(_prose(cell))) for cell in _counted(_split(language, path)[0]))


def _minutes(cells) -> int:
    return sum(int(m) for cell in _counted(cells) for m in MINUTES.findall(cell.source))


def time_line(language, path) -> tuple[int, int, int, int]:
    text = "\n".join(cell.source for cell in _read(path).cells if cell.cell_type == "markdown")
    match = TIME_LINE[language].search(text)
    assert match, f"no Time line of the form {TIME_LINE[language].pattern!r}"
    return tuple(int(group) for group in match.groups())


@pytest.mark.parametrize(("language", "path"), LESSONS, ids=IDS)
def test_going_further_is_the_final_section(language, path):
    core, further = _split(language, path)
    assert further, f"no {GOING_FURTHER[language]!r} section"
    later = [line for cell in further[1:] if cell.cell_type == "markdown"
             for line in cell.source.splitlines() if re.match(r"#{1,2} ", line)]
    assert later == [], f"sections after {GOING_FURTHER[language]!r}: {later}"


@pytest.mark.parametrize(("language", "path"), LESSONS, ids=IDS)
def test_core_prose_fits_the_word_budget(language, path):
    assert core_words(language, path) <= WORD_BUDGET[language]


@pytest.mark.parametrize(("language", "path"), LESSONS, ids=IDS)
def test_time_line_adds_up(language, path):
    core, reading, activities, further = time_line(language, path)
    core_cells, further_cells = _split(language, path)
    assert core == CORE_LENGTH
    assert reading + activities == core, "reading + activities is not the core's length"
    words = core_words(language, path)
    assert abs(reading - words / WORDS_PER_MINUTE[language]) <= 2, \
        f"{words} words take about {math.ceil(words / WORDS_PER_MINUTE[language])} min to read, not {reading}"
    assert _minutes(core_cells) == activities, "the core's activities announce other minutes than the Time line"
    assert _minutes(further_cells) == further, "going further announces other minutes than the Time line"


@pytest.mark.parametrize(("language", "path"), LESSONS, ids=IDS)
def test_a_prediction_is_written_before_a_cell_reveals(language, path):
    core, _further = _split(language, path)
    for index, cell in enumerate(core[:-2]):
        if cell.cell_type == "markdown" and cell.source.lstrip().startswith(PREDICT[language]):
            written, reveal = core[index + 1], core[index + 2]
            assert "prediction" in _tags(written), "a prediction prompt is not followed by a cell to write it in"
            assert reveal.cell_type == "code", "a prediction is not followed by the cell that reveals the result"
            return
    pytest.fail(f"no {PREDICT[language]} prompt in the core")


@pytest.mark.parametrize(("language", "path"), LESSONS, ids=IDS)
def test_an_exercise_asks_a_question_the_text_did_not_answer(language, path):
    tagged = [cell for cell in _read(path).cells if {"answer", "new-question"} <= set(_tags(cell))]
    assert tagged, "no answer cell tagged new-question"
    assert all(cell.cell_type == "code" for cell in tagged)


# --- no answer shown before its exercise ------------------------------------------------------

def _number_forms(value: float, language: str) -> set[str]:
    forms = set()
    with in_language(language):
        if abs(value) >= 1e6:
            forms.add(i18n.money(value))
            forms.add(re.sub(r"^\$|\s*de dollars$", "", i18n.money(value)))  # "97.4 billion", "97,4 milliards"
        if 0 < abs(value) < 1:
            for digits in (0, 1, 2):
                if abs(value * 100 - round(value * 100, digits)) < 1e-9:
                    forms.add(i18n.percent(value, digits))
                    forms.add(i18n.percent(value, digits).replace("\u00a0", " "))
    if float(value).is_integer():
        number = int(value)
        if abs(number) >= 10:  # small whole numbers (2, 6...) appear in any text for other reasons
            forms |= {str(number), f"{number:,}", f"{number:,}".replace(",", "\u202f")}
    else:
        forms |= {f"{value:g}", f"{value:.2f}".rstrip("0").rstrip(".")}
        if language == "fr":
            forms |= {form.replace(".", ",") for form in list(forms) if re.fullmatch(r"[\d.]+", form)}
    return {form for form in forms if form}


def answer_forms(exercise, language: str) -> list[set[str]]:
    """The texts that would give ``exercise``'s answer away; a list of alternatives, each a set of
    texts that must all appear (a list of names is given away only when every name is shown)."""
    expected = exercise.expected()
    if exercise.kind in ("number", "integer"):
        return [{form} for form in _number_forms(float(expected), language)]
    if exercise.kind == "date" or (exercise.kind == "choice" and re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(expected))):
        import pandas as pd

        with in_language(language):
            return [{str(expected)}, {i18n.date_text(pd.Timestamp(str(expected)), "day")}]
    if exercise.kind == "names":
        from lessons.data import name_of

        names = [name_of(item) for item in expected]
        return [set(names)]
    texts = [expected] if isinstance(expected, str) else list(expected)
    return [{text} for text in texts]


def _outputs_text(cell) -> str:
    parts = []
    for output in cell.get("outputs", []):
        parts.append(output.get("text", ""))
        data = output.get("data", {})
        parts.append(data.get("text/plain", ""))
        parts.append(html_text(data.get("text/html", "")))
    return "\n".join(parts)


def _shown_before(language, path, stop: int) -> list[str]:
    """What a learner has seen above cell ``stop``: markdown, outputs of the run, and the widgets
    as they first appear (built here, like the browser tests do)."""
    executed = executed_lesson(path)
    notebook = _read(path)
    built = {call.cell: call for call in widget_calls(notebook) if call.literal}
    shown = []
    for index, cell in enumerate(notebook.cells[:stop]):
        if "solution" in _tags(cell):
            continue
        if cell.cell_type == "markdown":
            shown.append(MINUTES.sub("", cell.source))
            continue
        if index in built and built[index].name not in ("show_sources",):
            widget = built[index].build(language)
            shown.append(" ".join(html_text(value) for value in html_values(widget)))
            shown.extend(str(getattr(control, "description", "")) for control in _controls(widget))
            shown.extend(_panel_tables(widget))
        shown.append(_outputs_text(executed.cells[index + 1]))  # the run has a guard cell first
    return shown


def _controls(widget):
    from conftest import walk

    return [part for part in walk(widget) if hasattr(part, "options") or hasattr(part, "description")]


def _panel_tables(widget):
    from conftest import walk
    from lessons.widgets._panel import ChartPanel

    return [part.table.to_string() for part in walk(widget)
            if isinstance(part, ChartPanel) and getattr(part, "table", None) is not None]


def _hint(exercise, language) -> str:
    if not exercise.hint_key:
        return ""
    with in_language(language):
        return i18n._(exercise.hint_key)


def _check_cells(notebook):
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "code" and "check" in _tags(cell):
            match = re.search(r'lessons\.check\(\s*["\'](\d+\.\d+)["\']', cell.source)
            if match:
                yield index, match.group(1)


@pytest.mark.parametrize(("language", "path"), LESSONS, ids=IDS)
def test_no_code_exercise_answer_is_shown_before_it(language, path):
    notebook = _read(path)
    for index, exercise_id in _check_cells(notebook):
        exercise = EXERCISES[exercise_id]
        answer_cell = max(i for i in range(index) if "answer" in _tags(notebook.cells[i]))
        seen = "\n".join(_shown_before(language, path, answer_cell)) + "\n" + _hint(exercise, language)
        for needed in answer_forms(exercise, language):
            found = [text for text in needed if re.search(rf"(?<![\w.,]){re.escape(text)}(?![\w]|[.,]\d)", seen)]
            assert len(found) < len(needed), f"exercise {exercise_id}: its answer ({', '.join(sorted(needed))}) " \
                                             "is shown above it"


# --- tables as learners read them -------------------------------------------------------------

@pytest.mark.parametrize(("language", "path"), LESSONS, ids=IDS)
def test_displayed_tables_show_dates_at_their_precision_and_names_not_ids(language, path):
    executed = executed_lesson(path)
    for cell in executed.cells:
        for output in cell.get("outputs", []):
            table = output.get("data", {}).get("text/html", "")
            if "<table" not in table:
                continue
            headers = re.findall(r"<th[^>]*>(.*?)</th>", table, flags=re.DOTALL)
            assert not [h for h in headers if re.search(r"(_id|_ids|_precision|_en|_fr)$", h.strip())], headers
            assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", html_text(table)), "a table shows an ISO date"
