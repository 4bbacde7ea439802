"""The printable classroom kit: ``python -m lessons handouts DEST``.

The PDF tests print through the Debian ``chromium`` (as the browser tests do): without it they are skipped,
or fail when ``CI=true``. Everything else builds the HTML only, in temporary folders.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import nbformat
import pandas as pd
import pypdf
import pytest

import lessons
from lessons import data
from lessons.__main__ import main
from lessons.i18n import _, set_language
from lessons.publish import handouts, outline
from lessons.destination import DestinationError
from lessons.teacher import lesson_paths

REPO = Path(__file__).resolve().parent.parent
LESSON_04 = REPO / "notebooks" / "04_the_97_billion_bid.ipynb"
ROLE_PLAY = Path(__file__).parent / "fixtures" / "handouts" / "04_role_play.ipynb"
A4_POINTS = (595, 842)


def _text(html: str) -> str:
    """What a reader sees of a page: tags, styles and scripts removed, spaces normalised."""
    body = re.sub(r"<(style|script)\b.*?</\1>", " ", html, flags=re.DOTALL)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)).replace("&#39;", "'").replace("&amp;", "&")


def _pdf_text(path: Path) -> str:
    """The text of a PDF, with the typographic ligatures Chromium prints ("ﬀ") as plain letters."""
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(path).pages)
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text))


@pytest.fixture(autouse=True)
def english_afterwards():
    """Tests switch the package's language; leave it in English for the next test."""
    yield
    set_language("en")


def _english(key: str, **values) -> str:
    set_language("en")
    return _(key, **values)


# --- the command, with PDFs -------------------------------------------------------------------

@pytest.fixture(scope="module", params=[("04", "en"), ("06", "fr")], ids=["04-en", "06-fr"])
def printed(request, tmp_path_factory):
    """The kit of one lesson written by the command itself, in a fresh interpreter, with PDFs."""
    if handouts.find_browser() is None:
        if os.environ.get("CI") == "true":
            pytest.fail("no Chromium or Chrome found: .ci/run installs chromium with apt-get")
        pytest.skip("no Chromium or Chrome found: .ci/run installs chromium with apt-get")
    number, language = request.param
    destination = tmp_path_factory.mktemp("kit") / "handouts"
    result = subprocess.run([sys.executable, "-m", "lessons", "handouts", str(destination), "--lessons", number,
                             "--lang", language], cwd=REPO, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    return number, language, destination, result.stdout


def _kit_file(destination: Path, number: str, kind: str, language: str, suffix: str = ".pdf") -> Path:
    return (destination / handouts.file_name(number, kind, language)).with_suffix(suffix)


def test_learner_handout_pdf_is_at_most_two_a4_pages_with_dates_exercises_and_the_drawn_diagram(printed):
    number, language, destination, _output = printed
    pdf = pypdf.PdfReader(_kit_file(destination, number, "handout", language))
    assert 1 <= len(pdf.pages) <= 2
    for page in pdf.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == A4_POINTS
    text = _pdf_text(_kit_file(destination, number, "handout", language))
    path = lesson_paths(number, language)[0]
    for exercise in outline.read_exercises(path):
        assert re.search(rf"Exerci[cs]e {re.escape(exercise.number)} —", text), exercise.number
    set_language(language)
    chosen = handouts.key_events(nbformat.read(path, as_version=4), data.events())
    first = chosen.iloc[0]
    assert lessons.i18n.date_text(first["date"], first["date_precision"]) in text
    # plotly.js draws the diagram when the page is printed: its legend adds words the HTML's text lacks.
    legend = _("structure.relation.controls")
    html = _kit_file(destination, number, "handout", language, ".html").read_text(encoding="utf-8")
    assert text.count(legend) > _text(html).count(legend)


def test_teacher_sheet_pdf_is_one_page_with_plan_answers_and_prompts(printed):
    number, language, destination, _output = printed
    path = _kit_file(destination, number, "teacher_sheet", language)
    assert len(pypdf.PdfReader(path).pages) == 1
    text = _pdf_text(path)
    set_language(language)
    for heading in ("handouts.objectives", "handouts.plan", "handouts.answers", "handouts.prompts"):
        assert _(heading) in text
    assert _first_plan_row(number, language) in text


def _first_plan_row(number: str, language: str) -> str:
    """The first cell of the first row of the lesson's minute plan in the teacher's guide."""
    guide, heading, label = {"en": ("TEACHING.md", "Lesson", "Timing plan"),
                             "fr": ("TEACHING.fr.md", "Leçon", "Déroulé minuté")}[language]
    text = (REPO / guide).read_text(encoding="utf-8")
    section = text[text.index(f"\n## {heading} {number} — "):]
    table = section[section.index(f"**{label}**"):]
    return re.search(r"^\|-[-|]*\|\n\|\s*([^|]+?)\s*\|", table, re.MULTILINE).group(1)


def test_exit_ticket_pdf_is_one_page_with_the_lessons_first_three_quiz_questions(printed):
    number, language, destination, _output = printed
    path = _kit_file(destination, number, "exit_ticket", language)
    assert len(pypdf.PdfReader(path).pages) == 1
    quiz = data.quiz()
    questions = quiz[quiz["lesson"] == number][f"question_{language}"].head(3).tolist()
    assert len(questions) == 3
    text = _pdf_text(path)
    for question in questions:
        assert unicodedata.normalize("NFKC", re.sub(r"\s+", " ", question))[:40] in text


def test_command_names_every_file_it_wrote_with_its_size_and_the_missing_role_cards(printed):
    number, language, destination, output = printed
    notebook = nbformat.read(lesson_paths(number, language)[0], as_version=4)
    has_roles = any("role-card" in cell.get("metadata", {}).get("tags", []) for cell in notebook.cells)
    written = sorted(path for path in destination.rglob("*") if path.is_file())
    pages = 4 if has_roles else 3  # handout, exit ticket, teacher sheet (and role cards)
    assert len(written) == 2 * pages + 1  # the pages, their PDFs, plotly.js
    for path in written:
        assert re.search(rf"^wrote {re.escape(str(path))} \(\d+ k?B\)$", output, re.MULTILINE), path
    set_language(language)
    assert (_("handouts.no_role_cards", lesson=number) in output) is not has_roles


# --- the parts and where they come from -------------------------------------------------------

def test_exercises_are_read_from_the_notebook_with_their_kind_of_answer():
    exercises = outline.read_exercises(LESSON_04)
    assert [e.number for e in exercises] == ["4.1", "4.2", "4.3", "4.4", "4.5"]
    assert [e.answer for e in exercises] == ["code", "code", "code", "", "written"]
    assert exercises[3].widgets == ('lessons.Quiz("04")',)
    markdown = "\n".join(cell.source for cell in nbformat.read(LESSON_04, as_version=4).cells
                         if cell.cell_type == "markdown")
    for exercise in exercises:
        assert f"### Exercise {exercise.number} — {exercise.title}\n" in markdown + "\n"
    assert outline.read_exercises(ROLE_PLAY) == (outline.Exercise(
        number="4.1", title="After the meeting", text="In two sentences, say what the vote decided.",
        answer="written", answer_frame="", widgets=()),)


def test_key_dates_of_lesson_04_are_the_bid_days_it_cites_in_date_order():
    chosen = handouts.key_events(nbformat.read(LESSON_04, as_version=4), data.events())
    assert 1 <= len(chosen) <= handouts.KEY_DATES
    assert chosen["date"].is_monotonic_increasing
    assert (chosen["date"].value_counts() <= handouts.PER_DATE).all()
    days = set(chosen["date"].dt.strftime("%Y-%m-%d"))
    assert {"2025-02-10", "2025-02-14"} <= days
    assert handouts.diagram_day(chosen) == pd.Timestamp("2025-02-28")  # the month of the day it mentions most


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_lesson_has_a_handout_exit_ticket_and_teacher_sheet(language):
    for path in lesson_paths("all", language):
        pages = handouts.lesson_pages(path, language)
        notebook = nbformat.read(path, as_version=4)
        has_roles = any("role-card" in cell.get("metadata", {}).get("tags", []) for cell in notebook.cells)
        assert set(pages) == {"handout", "exit_ticket", "teacher_sheet", *(["role_cards"] if has_roles else [])}, \
            path.name
        handout = _text(pages["handout"])
        for exercise in outline.read_exercises(path):
            assert exercise.number in handout, (path.name, exercise.number)
        assert "<table>" in pages["teacher_sheet"], f"{path.name}: no minute plan"
        quiz = data.quiz()
        quiz = quiz[quiz["lesson"] == path.name[:2]]
        assert pages["exit_ticket"].count("<li>\n    <p>") == min(len(quiz), handouts.EXIT_QUESTIONS), path.name


def test_role_cards_come_from_the_cells_tagged_role_card():
    pages = handouts.lesson_pages(ROLE_PLAY, "en")
    cards = _text(pages["role_cards"])
    assert "Card A — The chair" in cards
    assert "You ask one question before you vote." in cards
    assert pages["role_cards"].count('<article class="card">') == 2


def test_lesson_05_prints_a_role_card_per_side_of_the_controversy():
    lesson_05 = lesson_paths("05", "en")[0]
    cards = handouts.lesson_pages(lesson_05, "en")["role_cards"]
    assert cards.count('<article class="card">') == 2


def test_handouts_follow_an_edit_of_the_data(data_copy):
    set_language("en")
    event = handouts.key_events(nbformat.read(LESSON_04, as_version=4), data.events()).iloc[0]
    data_copy.set("events", event["id"], "title_en", "A title edited by the handout test")
    data_copy.set("quiz", "04-bid-target", "question_en", "A question edited by the handout test?")
    pages = handouts.lesson_pages(LESSON_04, "en")
    assert "A title edited by the handout test" in _text(pages["handout"])
    assert "A question edited by the handout test?" in _text(pages["exit_ticket"])


def test_a_malformed_data_row_stops_the_build_with_one_line_naming_it(data_copy, tmp_path, capsys):
    row = data_copy.set("events", "2025-02-10-bid", "date", "10 February 2025")
    assert main(["handouts", str(tmp_path / "kit"), "--lessons", "04"]) == 2
    error = capsys.readouterr().err
    assert error.startswith(f"python -m lessons handouts: data/events.csv, row {row} (id '2025-02-10-bid'), "
                            "column 'date'")
    assert error.count("\n") == 1
    assert not (tmp_path / "kit").exists()


def test_exit_ticket_answers_are_on_the_teacher_sheet_only():
    pages = handouts.lesson_pages(LESSON_04, "en")
    quiz = data.quiz().set_index("id")
    options = quiz.loc["04-bid-target", "options_en"].split(" | ")
    answer = options[int(quiz.loc["04-bid-target", "answer"])]
    assert f"<li>{answer}</li>" in pages["teacher_sheet"]
    assert "<li>10</li>" in pages["teacher_sheet"]  # the numeric answer, as a learner would type it
    assert "10</li>" not in pages["exit_ticket"]


# --- where it writes --------------------------------------------------------------------------

def _repository_files() -> set[Path]:
    skipped = {".git", "__pycache__", "venv", ".pytest_cache"}
    return {path for path in REPO.rglob("*") if not skipped.intersection(path.parts)}


def test_building_writes_only_into_the_destination(tmp_path):
    before = _repository_files()
    written = handouts.write_handouts(tmp_path / "kit", "04", browser=None, report=lambda line: None)
    assert written and all(tmp_path / "kit" in path.parents for path in written)
    created = _repository_files() - before
    assert not [path for path in created if path.suffix in (".html", ".pdf", ".tmp") or path.name == "plotly.min.js"]


def test_a_destination_inside_the_repository_is_refused(capsys):
    destination = REPO / "handouts-refused-by-test"
    assert main(["handouts", str(destination), "--lessons", "04"]) == 2
    assert capsys.readouterr().err == (f"python -m lessons handouts: {destination}: inside the repository ({REPO}); "
                                       "choose a folder outside it, e.g. ../handouts.\n")
    assert not destination.exists()


def test_existing_handouts_are_replaced_only_with_force(tmp_path):
    destination = tmp_path / "kit"
    handouts.write_handouts(destination, "04", browser=None, report=lambda line: None)
    with pytest.raises(DestinationError) as refused:
        handouts.write_handouts(destination, "04", browser=None, report=lambda line: None)
    assert str(refused.value) == (f"{destination}: 4 files would be replaced (04_handout.html, 04_exit_ticket.html, "
                                  "04_teacher_sheet.html, 04_role_cards.html); pass --force to replace them (each is "
                                  "kept as a .bak backup beside it).")
    (destination / "04_handout.html").write_text("a teacher's old copy", encoding="utf-8")
    handouts.write_handouts(destination, "04", force=True, browser=None, report=lambda line: None)
    assert "Exercise 4.1" in (destination / "04_handout.html").read_text(encoding="utf-8")
    assert (destination / "04_handout.html.bak").read_text(encoding="utf-8") == "a teacher's old copy"


def test_without_a_browser_the_command_writes_html_and_says_how_to_get_pdfs(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(handouts, "find_browser", lambda: None)
    assert main(["handouts", str(tmp_path / "kit"), "--lessons", "04"]) == 0
    output = capsys.readouterr().out
    assert _english("handouts.no_browser") in output.splitlines()
    assert sorted(path.name for path in (tmp_path / "kit").glob("*")) == [
        "04_exit_ticket.html", "04_handout.html", "04_role_cards.html", "04_teacher_sheet.html", "assets"]


def test_an_unknown_lesson_is_named_in_one_line(tmp_path, capsys):
    assert main(["handouts", str(tmp_path / "kit"), "--lessons", "09"]) == 2
    assert capsys.readouterr().err == ("python -m lessons handouts: --lessons: unknown lesson '09'; expected 'all' "
                                       "or numbers among 00, 01, 02, 03, 04, 05, 06, 07.\n")
    assert not (tmp_path / "kit").exists()
