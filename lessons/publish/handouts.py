"""The printable classroom kit: ``python -m lessons handouts DEST [--lessons ...] [--lang en|fr]``.

For each lesson, files a teacher can hand out or project when the computers fail:

``NN_handout``        the learner handout (at most two A4 pages): key dates, the governance diagram of
                      the lesson's era, its glossary terms, its exercises with space to answer;
``NN_exit_ticket``    three short questions (the answers are on the teacher sheet);
``NN_teacher_sheet``  one A4 page: objectives, minute plan, key answers, discussion prompts;
``NN_role_cards``     one card per notebook cell tagged ``role-card``, for lessons that have a role activity.

(French file names in the French edition.) HTML is always written; each file is also printed to an A4
PDF when a Chromium or Chrome is found. Everything comes from the notebooks, the data and the teacher's
guide, so there is no second copy of a fact to keep in step:

- key dates: the events of ``data/events.csv`` that the lesson cites. An event is cited when the
  lesson's code names its id, or when the lesson's text (its markdown, folded solutions excepted)
  writes its date at its precision and the lesson's code names one of its sources (the Sources list).
  The handout shows the ``KEY_DATES`` cited events whose dates the text mentions most (at most
  ``PER_DATE`` on one date: those the lesson's sources back best), in date order;
- the governance diagram: :func:`lessons.charts.history.structure_diagram` for the structure in force
  at the end of the month of the most-mentioned key date (the latest of equals), drawn by plotly.js in
  the page;
- glossary terms: the rows of ``data/glossary.csv`` whose ``lesson`` is the lesson's number;
- exercises: :func:`lessons.publish.outline.read_exercises`; objectives and time:
  :func:`lessons.publish.outline.read_lesson`;
- the exit ticket: the first ``EXIT_QUESTIONS`` rows of ``data/quiz.csv`` for the lesson;
- the minute plan, the key answers and the discussion prompts: the lesson's section of ``TEACHING.md``
  (``TEACHING.fr.md``), its blocks "Timing plan", "Answer key." and "Discussion prompts";
- role cards: the notebook's markdown cells tagged ``role-card``, one card each.

The kit is written outside the repository only, through :mod:`lessons.destination`: an existing file is
replaced only with ``force`` and then kept as a ``.bak`` backup.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import jinja2
import markupsafe
import mistune
import nbformat
import pandas as pd
import plotly

from .. import data
from ..charts import history
from ..charts.debate import glossary_terms, quiz_for_lesson, split_options
from ..i18n import _, column, date_text, get_language, set_language
from ..destination import DestinationError, prepare, write, write_all, write_text
from ..teacher import LESSONS_DIR, TeacherError, lesson_paths
from . import outline

__all__ = ["HandoutError", "KIT_FILES", "KEY_DATES", "EXIT_QUESTIONS", "REPOSITORY", "find_browser", "key_events",
           "diagram_day", "lesson_pages", "file_name", "print_pdf", "write_handouts"]

REPOSITORY = LESSONS_DIR.parent
GUIDES = {"en": REPOSITORY / "TEACHING.md", "fr": REPOSITORY / "TEACHING.fr.md"}
KEY_DATES = 8
PER_DATE = 2  # events shown for one date, at most
EXIT_QUESTIONS = 3
# The kit's files, in the order they are written; the name of each is a string of lessons/strings.csv.
KIT_FILES = ("handout", "exit_ticket", "teacher_sheet", "role_cards")
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
ASSETS = "assets"
_TEMPLATES = Path(__file__).with_name("handout_templates")
_PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
_GUIDE_HEADING = {"en": "Lesson", "fr": "Leçon"}
_GUIDE_BLOCKS = {"en": ("Timing plan", "Answer key.", "Discussion prompts"),
                 "fr": ("Déroulé minuté", "Corrigé.", "Pistes de discussion")}
_ESCAPED_DOLLAR = re.compile(r"\\{1,2}\$")
_RENDER_MARKDOWN = mistune.create_markdown(escape=True, plugins=["table"])
_STRING_LITERAL = re.compile(r"""["']([A-Za-z0-9][\w.-]*)["']""")
_WRITTEN_LINES, _CODE_LINES = 5, 2  # ruled lines left for a written answer and for a computed one
_PRINT_TIMEOUT = 120  # seconds for one page; a first start of Chromium can take several


class HandoutError(DestinationError):
    """The kit cannot be built; the message says why in one line."""


# --- reading the parts ------------------------------------------------------------------------

def _plain(text: str) -> str:
    """The notebooks escape dollar signs (``\\$``) so that JupyterLab does not typeset them as
    mathematics; on paper they are plain dollars."""
    return _ESCAPED_DOLLAR.sub("$", text)


def _markdown(text: str) -> str:
    """Markdown of a notebook or of the guide as HTML (any HTML inside it escaped)."""
    return _RENDER_MARKDOWN(_plain(text))


def _learner_text(notebook) -> str:
    """The markdown a learner reads (folded solutions excepted), on one line, spaces normalised."""
    cells = [cell.source for cell in notebook.cells
             if cell.cell_type == "markdown" and "solution" not in cell.get("metadata", {}).get("tags", [])]
    return re.sub(r"[\s\u00a0\u202f]+", " ", _plain("\n".join(cells)))


def _code_literals(notebook) -> set[str]:
    return {match for cell in notebook.cells if cell.cell_type == "code"
            for match in _STRING_LITERAL.findall(cell.source)}


def _mentions(text: str, date, precision: str) -> int:
    """How often ``text`` writes this date at this precision (a month inside a full date does not count,
    nor a year inside a month or a full date)."""
    written = date_text(date, precision)
    count = len(re.findall(rf"(?<![\w]){re.escape(written)}(?!\d)", text))
    if precision == "month":
        count -= len(re.findall(rf"\d(?:er)? {re.escape(written)}(?!\d)", text))
    elif precision == "year":
        months = "|".join(re.escape(date_text(pd.Timestamp(year=2000, month=m, day=1), "month")[:-5])
                          for m in range(1, 13))
        count -= len(re.findall(rf"(?:{months}) {re.escape(written)}(?!\d)", text, re.IGNORECASE))
    return max(count, 0)


def key_events(notebook, events: pd.DataFrame) -> pd.DataFrame:
    """The events the lesson cites (see the module's docstring), at most ``KEY_DATES``, in date order,
    with a ``mentions`` column. Dates are looked for as the current language writes them: pass the
    notebook of that language's edition."""
    text, literals = _learner_text(notebook), _code_literals(notebook)
    mentions = [_mentions(text, date, precision) for date, precision in zip(events["date"], events["date_precision"])]
    cited = [event_id in literals or (count > 0 and bool(literals.intersection(sources)))
             for event_id, count, sources in zip(events["id"], mentions, events["source_ids"])]
    cited_sources = [len(literals.intersection(sources)) for sources in events["source_ids"]]
    chosen = events.assign(mentions=mentions, cited_sources=cited_sources)[cited]
    # The events the text mentions most; on one date, those the lesson's sources back best.
    chosen = chosen.sort_values(["mentions", "date", "cited_sources", "id"], ascending=[False, True, False, True],
                                kind="stable")
    chosen = chosen.groupby("date", sort=False).head(PER_DATE).head(KEY_DATES)
    return chosen.drop(columns="cited_sources").sort_values(["date", "id"], kind="stable").reset_index(drop=True)


def diagram_day(chosen: pd.DataFrame) -> pd.Timestamp | None:
    """The day the handout's diagram shows: the end of the month of the most-mentioned key date (the
    latest of equals), as the structure explorer shows a month. On the day of a change both the old and
    the new links are in force; at the end of the month only what followed is."""
    if chosen.empty:
        return None
    top = chosen.sort_values(["mentions", "date"], ascending=[False, False], kind="stable").iloc[0]
    return pd.Period(top["date"], freq="M").end_time.normalize()


def _diagram(day: pd.Timestamp) -> tuple[str, str]:
    """The structure in force on ``day`` as plotly JSON sized for an A4 column, and its text summary."""
    edges = data.structure_on(day)
    board = data.board_on(day)
    board = board[board["organisation_id"].isin(history.NONPROFITS)]
    nonprofit = history.nonprofit_id(edges, day)
    organisations = data.organisations()
    figure = history.structure_diagram(edges, organisations, board, date=day, nonprofit=nonprofit)
    # As wide as the page (the page draws it at 72%, see handouts.css) and a little flatter than on screen.
    figure.update_layout(title=None, width=940, height=round(figure.layout.height * 0.8),
                         margin={"l": 10, "r": 10, "t": 40, "b": 10}, hovermode=False)
    summary = history.describe_structure_diagram(edges, organisations, board, date=day, nonprofit=nonprofit)
    return figure.to_json(), summary


def _guide_section(language: str, number: str) -> tuple[Path, str]:
    path = GUIDES[language]
    try:
        guide = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise HandoutError(f"{path.name}: file not found; the teacher sheets are made from it.") from None
    heading = re.search(rf"^## {_GUIDE_HEADING[language]} {number} — .*$", guide, re.MULTILINE)
    if not heading:
        raise HandoutError(f"{path.name}: expected a section '## {_GUIDE_HEADING[language]} {number} — ...'.")
    end = re.search(r"^## ", guide[heading.end():], re.MULTILINE)
    return path, guide[heading.end(): heading.end() + end.start() if end else len(guide)]


def _guide_block(path: Path, number: str, section: str, label: str) -> str:
    """The markdown that a bold ``label`` opens in a lesson's section (a table, a list, or the rest of a
    paragraph), without the label, up to the next blank line."""
    start = re.search(rf"^\*\*{re.escape(label)}\*\*[ \t]*\n?", section, re.MULTILINE)
    if not start:
        raise HandoutError(f"{path.name}, lesson {number}: expected a block that starts with '**{label}**'.")
    rest = section[start.end():].lstrip("\n")
    block = re.split(r"\n[ \t]*\n", rest, maxsplit=1)[0]
    return block.strip()


@dataclass(frozen=True)
class Kit:
    """Everything printed for one lesson, ready for the templates (HTML fragments are already escaped)."""

    lesson: outline.Lesson
    key_dates: list[dict]
    diagram_heading: str
    diagram_json: str
    diagram_summary: str
    glossary: list[tuple[str, str]]
    exercises: list[dict]
    exit_questions: list[dict]
    plan: str
    answers: str
    prompts: str
    role_cards: list[str]


def _exit_questions(lesson: str) -> list[dict]:
    rows = quiz_for_lesson(data.quiz(), lesson).head(EXIT_QUESTIONS)
    questions = []
    for row in rows.to_dict("records"):
        options = split_options(row[column("options")]) if row["kind"] == "choice" else []
        if options:
            answer = options[int(row["answer"])]
        else:
            answer = f"{row['answer']:g}".replace(".", "," if get_language() == "fr" else ".")
        questions.append({"text": _plain(row[column("question")]), "options": [_plain(o) for o in options],
                          "answer": _plain(answer)})
    return questions


def _exercise(exercise: outline.Exercise) -> dict:
    notes = []
    for call in exercise.widgets:
        notes.append(_("handouts.on_exit_ticket") if call.startswith("lessons.Quiz(")
                     else _("handouts.widget_part", call=call))
    lines = {"written": _WRITTEN_LINES, "code": _CODE_LINES}.get(exercise.answer, 0)
    return {"number": exercise.number, "title": _plain(exercise.title), "text": _markdown(exercise.text),
            "notes": notes, "frame": _markdown(exercise.answer_frame) if exercise.answer_frame else "",
            "lines": lines, "written": exercise.answer == "written"}


def _lesson_kit(path: Path, language: str) -> Kit:
    """Read and compute every part of one lesson's kit (in ``language``, which must be the current one)."""
    lesson = outline.read_lesson(path, language)
    notebook = nbformat.read(path, as_version=4)
    chosen = key_events(notebook, data.events())
    key_dates = [{"date": date_text(row["date"], row["date_precision"]), "title": row[column("title")],
                  "status": "" if row["status"] == "confirmed" else history.status_label(row["status"])}
                 for row in chosen.to_dict("records")]
    day = diagram_day(chosen)
    diagram_json, summary = _diagram(day) if day is not None else ("", "")
    guide, section = _guide_section(language, lesson.number)
    plan_label, answers_label, prompts_label = _GUIDE_BLOCKS[language]
    cards = [_markdown(cell.source) for cell in notebook.cells
             if "role-card" in cell.get("metadata", {}).get("tags", []) and cell.cell_type == "markdown"]
    glossary = glossary_terms(data.glossary(), lesson.number)
    return Kit(
        lesson=lesson, key_dates=key_dates,
        diagram_heading=_("handouts.diagram", month=date_text(day, "month")) if day is not None else "",
        diagram_json=diagram_json.replace("</", "<\\/"), diagram_summary=summary,
        glossary=list(glossary.itertuples(index=False, name=None)),
        exercises=[_exercise(exercise) for exercise in outline.read_exercises(path)],
        exit_questions=_exit_questions(lesson.number),
        plan=_markdown(_guide_block(guide, lesson.number, section, plan_label)),
        answers=_markdown(_guide_block(guide, lesson.number, section, answers_label)),
        prompts=_markdown(_guide_block(guide, lesson.number, section, prompts_label)),
        role_cards=cards)


# --- writing ----------------------------------------------------------------------------------

def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(_TEMPLATES), autoescape=True,
                                     undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    environment.globals["_"] = _
    environment.filters["plain"] = _plain
    # A list item of markdown, as inline HTML (without the paragraph mistune wraps it in).
    environment.filters["inline"] = lambda text: markupsafe.Markup(
        re.sub(r"^<p>(.*)</p>\s*$", r"\1", _markdown(text), flags=re.DOTALL))
    return environment


def lesson_pages(path: Path, language: str) -> dict[str, str]:
    """The HTML of each file of one lesson's kit, by kind (see ``KIT_FILES``); no ``"role_cards"`` for a
    lesson without role cards."""
    previous = get_language()
    set_language(language)
    try:
        kit = _lesson_kit(Path(path), language)
        environment = _environment()
        style = (_TEMPLATES / "handouts.css").read_text(encoding="utf-8")
        labels = {kind: _(f"handouts.title.{kind}") for kind in KIT_FILES}
        return {kind: environment.get_template(f"{kind}.html").render(
                    kit=kit, lesson=kit.lesson, language=language, style=style, assets=ASSETS, labels=labels)
                for kind in KIT_FILES if kind != "role_cards" or kit.role_cards}
    finally:
        set_language(previous)


def _text(language: str, key: str, **values) -> str:
    previous = get_language()
    set_language(language)
    try:
        return _(key, **values)
    finally:
        set_language(previous)


def file_name(number: str, kind: str, language: str) -> str:
    """``04_handout.html`` (``04_fiche_eleve.html`` in French): the name of one file of the kit."""
    return f"{number}_{_text(language, f'handouts.file.{kind}')}.html"


def find_browser() -> str | None:
    """A Chromium or Chrome on PATH (the Debian ``chromium`` first), or None."""
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    return None


def _inside_repository(destination: Path) -> bool:
    resolved = destination.expanduser().resolve()
    return resolved == REPOSITORY or REPOSITORY in resolved.parents


def print_pdf(page: Path, browser: str, pdf: Path) -> Path:
    """Print an HTML page to the A4 PDF ``pdf`` with headless Chromium (the page sets A4 in its CSS)."""
    with tempfile.TemporaryDirectory(prefix="handouts-browser-") as profile:
        command = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                   "--disable-background-networking", "--disable-component-update", "--disable-sync",
                   f"--user-data-dir={profile}", "--no-pdf-header-footer", "--virtual-time-budget=10000",
                   f"--print-to-pdf={pdf}", page.resolve().as_uri()]
        try:
            result = subprocess.run(command, capture_output=True, text=True, timeout=_PRINT_TIMEOUT)
        except subprocess.TimeoutExpired:
            raise HandoutError(f"{page.name}: {browser} did not print it within {_PRINT_TIMEOUT} s.") from None
    if result.returncode != 0 or not pdf.is_file() or pdf.stat().st_size == 0:
        detail = (result.stderr.strip().splitlines() or ["no message"])[-1]
        raise HandoutError(f"{page.name}: {browser} could not print it to PDF ({detail}).")
    return pdf


def _size(path: Path) -> str:
    return f"{path.stat().st_size / 1000:.0f} kB" if path.stat().st_size >= 1000 else f"{path.stat().st_size} B"


def write_handouts(destination: Path, selection: str = "all", force: bool = False, language: str = "en",
                   browser: str | None = None, report: Callable[[str], None] = print) -> list[Path]:
    """Write the kit of the chosen lessons into ``destination``; print PDFs too when ``browser`` is given.

    ``report`` receives one line per file written and one per note (a lesson without role cards, how to
    get the PDFs without a browser). Every page is built before any is written, so a bad lesson or data
    file leaves nothing half done. Returns the paths written.
    """
    if _inside_repository(destination):
        raise HandoutError(f"{destination}: inside the repository ({REPOSITORY}); choose a folder outside it, "
                           "e.g. ../handouts.")
    try:
        paths = lesson_paths(selection, language)
    except TeacherError as error:
        raise HandoutError(str(error)) from None
    pages, notes = {}, []
    try:
        for path in paths:
            number = path.name[:2]
            for kind, page in lesson_pages(path, language).items():
                pages[destination / file_name(number, kind, language)] = page
            if destination / file_name(number, "role_cards", language) not in pages:
                notes.append(_text(language, "handouts.no_role_cards", lesson=number))
    except (data.DataError, outline.OutlineError) as error:
        raise HandoutError(str(error)) from None
    if browser is None:
        notes.append(_text(language, "handouts.no_browser"))
    pdfs = [page.with_suffix(".pdf") for page in pages] if browser else []
    plotly_js = destination / ASSETS / _PLOTLY_JS.name
    prepare(destination, [*pages, *pdfs], force)

    def describe(path: Path) -> str:
        return f"{path} ({_size(path)})"

    written = write_all([(path, write_text(text)) for path, text in pages.items()], report, describe)
    write(plotly_js, lambda temporary: shutil.copyfile(_PLOTLY_JS, temporary))  # the library, not a teacher's file
    report(f"wrote {describe(plotly_js)}")
    if browser:
        # Printed two at a time into temporary files, then put in place one by one like the pages.
        with ThreadPoolExecutor(max_workers=2) as pool, tempfile.TemporaryDirectory(dir=destination) as scratch:
            printed = list(pool.map(lambda page: print_pdf(page, browser, Path(scratch) / page.with_suffix(".pdf").name),
                                    written))
            written += write_all([(pdf, lambda temporary, done=done: shutil.copyfile(done, temporary))
                                  for pdf, done in zip(pdfs, printed)], report, describe)
    for note in notes:
        report(note)
    return [*written, plotly_js]
