"""The lessons: their Carpentries shape, hidden solutions, thin code cells, and a full run."""

from __future__ import annotations

import re

import nbformat
import pytest

from conftest import REPO
from lessons.maintain import execute

LESSONS = ["00_start_here", "01_a_nonprofit_for_humanity", "02_the_capped_profit_experiment",
           "03_five_days_in_november", "04_the_97_billion_bid", "05_nonprofit_or_for_profit",
           "06_restructuring_and_the_trial", "07_ai_governance_beyond_one_company"]
SECTIONS = ["## Questions", "## Objectives", "## Time", "## Exercises", "## Key points", "## Sources"]
PATHS = {name: REPO / "notebooks" / f"{name}.ipynb" for name in LESSONS}


def _read(name):
    return nbformat.read(PATHS[name], as_version=4)


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


def _exercise_ids(notebook):
    return [m.group(1) for line in _markdown_lines(notebook) if (m := re.match(r"### Exercise (\d+\.\d+)\b", line))]


def test_all_eight_lessons_exist():
    missing = [name for name, path in PATHS.items() if not path.exists()]
    assert missing == []


@pytest.mark.parametrize("name", LESSONS)
def test_lesson_has_one_h1_titled_with_its_number(name):
    titles = [line for line in _markdown_lines(_read(name)) if line.startswith("# ")]
    assert len(titles) == 1
    assert titles[0].startswith(f"# {name[:2]} — ")


@pytest.mark.parametrize("name", LESSONS)
def test_lesson_has_the_required_sections_in_order(name):
    lines = [line.strip() for line in _markdown_lines(_read(name))]
    positions = [lines.index(section) if section in lines else -1 for section in SECTIONS]
    assert -1 not in positions, f"missing {[s for s, p in zip(SECTIONS, positions) if p == -1]}"
    assert positions == sorted(positions)


@pytest.mark.parametrize("name", LESSONS)
def test_time_section_gives_teaching_and_exercise_minutes(name):
    text = "\n".join(_markdown_lines(_read(name)))
    assert re.search(r"Teaching: \d+ min", text) and re.search(r"Exercises: \d+ min", text)


@pytest.mark.parametrize("name", LESSONS)
def test_first_code_cell_sets_up_lessons_explicitly(name):
    first = next(cell for cell in _read(name).cells if cell.cell_type == "code")
    assert "setup" in _tags(first)
    assert "import lessons" in first.source
    assert 'lessons.setup(renderer="plotly_mimetype", template="plotly_white"' in first.source


@pytest.mark.parametrize("name", LESSONS)
def test_at_least_three_numbered_exercises_including_a_quiz_a_check_and_a_written_answer(name):
    notebook = _read(name)
    ids = _exercise_ids(notebook)
    number = str(int(name[:2]))
    assert len(ids) >= 3 and all(i.split(".")[0] == number for i in ids)
    assert len(set(ids)) == len(ids)
    sources = [cell.source for cell in notebook.cells if cell.cell_type == "code"]
    assert any(f'lessons.Quiz("{name[:2]}")' in source for source in sources)
    assert any("lessons.check(" in cell.source for cell in notebook.cells if "check" in _tags(cell))
    assert any("written" in _tags(cell) for cell in notebook.cells if cell.cell_type == "markdown")


@pytest.mark.parametrize("name", LESSONS)
def test_every_exercise_has_a_hidden_solution_right_after_its_answer(name):
    notebook = _read(name)
    cells = notebook.cells
    for exercise in _exercise_ids(notebook):
        tag = f"exercise-{exercise}"
        solutions = [i for i, cell in enumerate(cells) if tag in _tags(cell) and "solution" in _tags(cell)]
        assert solutions, f"exercise {exercise} has no solution cell"
        for index in solutions:
            cell = cells[index]
            assert cell.metadata.get("jupyter", {}).get("source_hidden") is True
            assert "hide-cell" in _tags(cell)
        answers = [i for i, cell in enumerate(cells) if tag in _tags(cell) and "answer" in _tags(cell)]
        for index in answers:
            following = cells[index + 1]
            if "check" in _tags(following):
                following = cells[index + 2]
            assert "solution" in _tags(following) and tag in _tags(following), \
                f"exercise {exercise}: the solution does not follow the answer cell"


@pytest.mark.parametrize("name", LESSONS)
def test_code_cells_outside_solutions_are_at_most_six_lines(name):
    for index, cell in enumerate(_read(name).cells):
        if cell.cell_type == "code" and "solution" not in _tags(cell):
            assert len(cell.source.strip().splitlines()) <= 6, f"cell {index} is long"


@pytest.mark.parametrize("name", LESSONS)
def test_answer_and_check_cells_hold_no_widget(name):
    for cell in _read(name).cells:
        if cell.cell_type == "code" and {"answer", "check"} & set(_tags(cell)):
            assert not re.search(r"lessons\.[A-Z]", cell.source), cell.source


@pytest.mark.parametrize("name", LESSONS)
def test_key_numbers_are_checked_by_nbval(name):
    kept = [cell for cell in _read(name).cells if "nbval-check-output" in _tags(cell)]
    assert kept, "no cell keeps a checked output"


# --- a full run: solutions correct, and no network -------------------------------------------

GUARD = """
import socket as _socket
def _refuse(*args, **kwargs):
    raise OSError("network access is blocked in this test")
_real_connect = _socket.socket.connect
def _connect(self, address):
    host = address[0] if isinstance(address, tuple) else address
    if isinstance(host, str) and host not in ("127.0.0.1", "::1", "localhost") and not host.startswith("/"):
        _refuse()
    return _real_connect(self, address)
_socket.socket.connect = _connect
_socket.getaddrinfo = _refuse
_socket.create_connection = _refuse
"""


@pytest.fixture(scope="module", params=LESSONS)
def executed(request):
    """Each lesson run top to bottom, solutions included, in a kernel whose network is blocked."""
    notebook = _read(request.param)
    notebook.cells.insert(0, nbformat.v4.new_code_cell(GUARD))
    return request.param, execute(notebook, PATHS[request.param].parent)


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


def test_every_solution_check_reports_correct(executed):
    name, notebook = executed
    verdicts = [_text(cell) for cell in notebook.cells
                if "solution" in _tags(cell) and cell.cell_type == "code" and "lessons.check(" in cell.source]
    assert verdicts, f"{name}: no solution calls lessons.check"
    for verdict in verdicts:
        assert verdict.startswith("✅"), f"{name}: {verdict}"
