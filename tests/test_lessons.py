"""The lessons: their Carpentries shape, hidden solutions, thin code cells, and a full run."""

from __future__ import annotations

import re

import nbformat
import pytest

from conftest import OUTPUT_WIDGET_SENDS, REPO, executed_lesson

EDITIONS = {
    "en": {"folder": REPO / "notebooks",
           "names": ["00_start_here", "01_a_nonprofit_for_humanity", "02_the_capped_profit_experiment",
                     "03_five_days_in_november", "04_the_97_billion_bid", "05_nonprofit_or_for_profit",
                     "06_restructuring_and_the_trial", "07_ai_governance_beyond_one_company"],
           "sections": ["## Questions", "## Objectives", "## Time", "## Exercises", "## Key points", "## Sources",
                        "## Going further"],
           "exercise": "Exercise"},
    "fr": {"folder": REPO / "notebooks" / "fr",
           "names": ["00_pour_commencer", "01_une_association_pour_l_humanite", "02_l_experience_du_profit_plafonne",
                     "03_cinq_jours_en_novembre", "04_l_offre_a_97_milliards", "05_but_lucratif_ou_non",
                     "06_restructuration_et_proces", "07_gouverner_l_ia_au_dela_d_une_entreprise"],
           "sections": ["## Questions", "## Objectifs", "## Durée", "## Exercices", "## Points clés", "## Sources",
                        "## Pour aller plus loin"],
           "exercise": "Exercice"},
}
LESSONS = [(edition, name) for edition, spec in EDITIONS.items() for name in spec["names"]]
IDS = [f"{edition}/{name}" for edition, name in LESSONS]
PATHS = {(edition, name): EDITIONS[edition]["folder"] / f"{name}.ipynb" for edition, name in LESSONS}


def _read(lesson):
    return nbformat.read(PATHS[lesson], as_version=4)


def _tags(cell):
    return cell.get("metadata", {}).get("tags", [])


def _markdown_lines(notebook):
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            in_fence = False
            for line in cell.source.splitlines():
                if line.startswith("```"):
                    in_fence = not in_fence
                elif not in_fence:
                    yield line


def exercise_ids(notebook, word: str = "Exercise"):
    return [m.group(1) for line in _markdown_lines(notebook) if (m := re.match(rf"### {word} (\d+\.\d+)\b", line))]


@pytest.mark.parametrize("edition", EDITIONS)
def test_all_eight_lessons_exist(edition):
    folder = EDITIONS[edition]["folder"]
    assert sorted(p.stem for p in folder.glob("[0-9][0-9]_*.ipynb")) == EDITIONS[edition]["names"]


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_lesson_has_one_h1_titled_with_its_number(lesson):
    titles = [line for line in _markdown_lines(_read(lesson)) if line.startswith("# ")]
    assert len(titles) == 1
    assert titles[0].startswith(f"# {lesson[1][:2]} — ")


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_lesson_has_the_required_sections_in_order(lesson):
    sections = EDITIONS[lesson[0]]["sections"]
    lines = [line.strip() for line in _markdown_lines(_read(lesson))]
    positions = [lines.index(section) if section in lines else -1 for section in sections]
    assert -1 not in positions, f"missing {[s for s, p in zip(sections, positions) if p == -1]}"
    assert positions == sorted(positions)


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_first_code_cell_sets_up_lessons_explicitly(lesson):
    first = next(cell for cell in _read(lesson).cells if cell.cell_type == "code")
    assert "setup" in _tags(first)
    assert "import lessons" in first.source
    assert (f'lessons.setup(renderer="plotly_mimetype", template="plotly_white", language="{lesson[0]}")'
            in first.source)


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_at_least_three_numbered_exercises_including_a_quiz_a_check_and_a_written_answer(lesson):
    notebook = _read(lesson)
    name = lesson[1]
    ids = exercise_ids(notebook, EDITIONS[lesson[0]]["exercise"])
    number = str(int(name[:2]))
    assert len(ids) >= 3 and all(i.split(".")[0] == number for i in ids)
    assert len(set(ids)) == len(ids)
    sources = [cell.source for cell in notebook.cells if cell.cell_type == "code"]
    assert any(f'lessons.Quiz("{name[:2]}")' in source for source in sources)
    assert any("lessons.check(" in cell.source for cell in notebook.cells if "check" in _tags(cell))
    assert any("written" in _tags(cell) for cell in notebook.cells if cell.cell_type == "markdown")


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_every_exercise_has_a_hidden_solution_right_after_its_answer(lesson):
    notebook = _read(lesson)
    cells = notebook.cells
    for exercise in exercise_ids(notebook, EDITIONS[lesson[0]]["exercise"]):
        tag = f"exercise-{exercise}"
        solutions = [i for i, cell in enumerate(cells) if tag in _tags(cell) and "solution" in _tags(cell)]
        assert solutions, f"exercise {exercise} has no solution cell"
        for index in solutions:
            cell = cells[index]
            assert cell.metadata.get("jupyter", {}).get("source_hidden") is True
            assert "hide-cell" in _tags(cell)
            if cell.cell_type == "code":  # its verdict would give the answer away
                assert cell.metadata["jupyter"].get("outputs_hidden") is True
        answers = [i for i, cell in enumerate(cells) if tag in _tags(cell) and "answer" in _tags(cell)]
        for index in answers:
            following = cells[index + 1]
            if "check" in _tags(following):
                following = cells[index + 2]
            assert "solution" in _tags(following) and tag in _tags(following), \
                f"exercise {exercise}: the solution does not follow the answer cell"


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_code_cells_outside_solutions_are_at_most_six_lines(lesson):
    for index, cell in enumerate(_read(lesson).cells):
        if cell.cell_type == "code" and "solution" not in _tags(cell):
            assert len(cell.source.strip().splitlines()) <= 6, f"cell {index} is long"


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_answer_and_check_cells_hold_no_widget(lesson):
    for cell in _read(lesson).cells:
        if cell.cell_type == "code" and {"answer", "check"} & set(_tags(cell)):
            assert not re.search(r"lessons\.[A-Z]", cell.source), cell.source


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_key_numbers_are_checked_by_nbval(lesson):
    kept = [cell for cell in _read(lesson).cells if "nbval-check-output" in _tags(cell)]
    assert kept, "no cell keeps a checked output"


# --- a full run: solutions correct, and no network -------------------------------------------

@pytest.fixture(scope="module", params=LESSONS, ids=IDS)
def executed(request):
    """Each lesson run top to bottom, solutions included, in a kernel whose network is blocked."""
    return "/".join(request.param), executed_lesson(PATHS[request.param])


def _text(cell):
    parts = []
    for output in cell.get("outputs", []):
        parts.append(output.get("text", ""))
        parts.append(output.get("data", {}).get("text/plain", ""))
    return "".join(parts)


def test_lesson_runs_offline_without_error_output(executed):
    name, notebook = executed
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            assert output["output_type"] != "error", f"{name}: {output.get('ename')}: {output.get('evalue')}"
            assert output.get("name") != "stderr" or not output.get("text", "").strip(), output.get("text")


def test_no_widget_displays_into_an_output_while_a_cell_runs(executed):
    # Headless runners (nbclient, hence nbgrader autograde and `python -m lessons key`) stand in for
    # the Output's front end and send what it captured back to the kernel on the shell socket while
    # they await the cell's reply there; one run in about ten then waited for the whole cell timeout.
    # Charts go into an Output as state (ChartPanel.show), so nothing is sent.
    name, notebook = executed
    path = PATHS[tuple(name.split("/"))]
    assert OUTPUT_WIDGET_SENDS[path] == [], (
        f"{name}: an Output widget was displayed into while a cell ran; its stand-in sent "
        f"{len(OUTPUT_WIDGET_SENDS[path])} messages to the kernel, first {OUTPUT_WIDGET_SENDS[path][0]!r}")


def test_every_solution_check_reports_correct(executed):
    name, notebook = executed
    verdicts = [_text(cell) for cell in notebook.cells
                if "solution" in _tags(cell) and cell.cell_type == "code" and "lessons.check(" in cell.source]
    assert verdicts, f"{name}: no solution calls lessons.check"
    for verdict in verdicts:
        assert verdict.startswith("✅"), f"{name}: {verdict}"
