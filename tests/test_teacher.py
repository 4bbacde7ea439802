"""Teacher commands: student editions, answer keys, and an nbgrader round trip with nbgrader itself."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest

from conftest import REPO
from lessons import teacher
from lessons.__main__ import main

LESSON_PATHS = teacher.lesson_paths("all")
NAMES = [path.stem for path in LESSON_PATHS]


def _tags(cell):
    return cell.get("metadata", {}).get("tags", [])


def _run(argv, capsys):
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# --- student edition --------------------------------------------------------------------------

def test_student_edition_removes_solutions_clears_outputs_and_locks_setup_and_checks(tmp_path, capsys):
    code, out, err = _run(["student", str(tmp_path / "class"), "--lessons", "all"], capsys)
    assert code == 0 and err == ""
    for path in LESSON_PATHS:
        written = tmp_path / "class" / path.name
        assert f"wrote {written}" in out
        edition = nbformat.read(written, as_version=4)
        assert not [cell for cell in edition.cells if "solution" in _tags(cell)]
        assert all(cell.outputs == [] for cell in edition.cells if cell.cell_type == "code")
        assert "widgets" not in edition.metadata
        for cell in edition.cells:
            if {"setup", "check"} & set(_tags(cell)):
                assert cell.metadata["editable"] is False and cell.metadata["deletable"] is False
        original = nbformat.read(path, as_version=4)
        assert sum("check" in _tags(c) for c in edition.cells) == sum("check" in _tags(c) for c in original.cells)


def test_student_edition_refuses_to_overwrite_without_force(tmp_path, capsys):
    destination = tmp_path / "class"
    assert _run(["student", str(destination), "--lessons", "00"], capsys)[0] == 0
    edited = destination / "00_start_here.ipynb"
    edited.write_text(edited.read_text(encoding="utf-8").replace("Start here", "Start here (my notes)"), encoding="utf-8")
    code, out, err = _run(["student", str(destination), "--lessons", "00"], capsys)
    assert code == 2 and out == ""
    assert err == (f"python -m lessons student: {destination}: 1 file would be replaced (00_start_here.ipynb); "
                   "pass --force to replace them (each is kept as a .bak backup beside it).\n")
    assert "my notes" in edited.read_text(encoding="utf-8")
    assert _run(["student", str(destination), "--lessons", "00", "--force"], capsys)[0] == 0
    assert "my notes" not in edited.read_text(encoding="utf-8")
    assert "my notes" in (destination / "00_start_here.ipynb.bak").read_text(encoding="utf-8")


def test_unknown_lesson_is_a_one_line_error(tmp_path, capsys):
    code, out, err = _run(["student", str(tmp_path / "class"), "--lessons", "01,42"], capsys)
    assert code == 2 and out == ""
    assert err.startswith("python -m lessons student: --lessons: unknown lesson '42'; expected 'all' or numbers among 00, 01")
    assert err.count("\n") == 1
    assert not (tmp_path / "class" / "01_a_nonprofit_for_humanity.ipynb").exists()


def test_destination_that_is_a_file_is_a_one_line_error(tmp_path, capsys):
    target = tmp_path / "a-file"
    target.write_text("x", encoding="utf-8")
    code, _, err = _run(["key", str(target), "--lessons", "00"], capsys)
    assert code == 2
    assert err == f"python -m lessons key: {target}: expected a folder; it is a file.\n"


def test_unwritable_destination_is_a_one_line_error(tmp_path, capsys):
    if os.geteuid() == 0:
        destination = Path("/proc/lessons-class")  # even root cannot create folders in /proc
    else:
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        destination = locked / "class"
    code, _, err = _run(["student", str(destination), "--lessons", "00"], capsys)
    assert code == 2
    assert err.startswith(f"python -m lessons student: {destination}: cannot create the folder")


def test_a_notebook_without_lesson_tags_is_refused_and_nothing_is_written(tmp_path, monkeypatch, capsys):
    lessons_dir = tmp_path / "notebooks"
    lessons_dir.mkdir()
    shutil.copy(LESSON_PATHS[0], lessons_dir / LESSON_PATHS[0].name)
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# 99 — Untagged")]),
                   lessons_dir / "99_untagged.ipynb")
    monkeypatch.setattr(teacher, "LESSONS_DIR", lessons_dir)
    code, _, err = _run(["student", str(tmp_path / "class")], capsys)
    assert code == 2
    assert err == ("python -m lessons student: 99_untagged.ipynb: expected cells tagged setup, answer, solution; "
                   "is this a lesson notebook?\n")
    assert list((tmp_path / "class").glob("*.ipynb")) == []


# --- answer key -------------------------------------------------------------------------------

def test_answer_key_is_executed_with_solutions_shown(tmp_path, capsys):
    code, out, _ = _run(["key", str(tmp_path / "key"), "--lessons", "00"], capsys)
    assert code == 0 and "wrote" in out
    key = nbformat.read(tmp_path / "key" / "00_start_here.ipynb", as_version=4)
    solutions = [cell for cell in key.cells if "solution" in _tags(cell)]
    assert solutions
    for cell in solutions:
        assert not cell.metadata.get("jupyter", {}).get("source_hidden")
        assert "hide-cell" not in _tags(cell)
    checked = [cell for cell in solutions if cell.cell_type == "code" and "lessons.check(" in cell.source]
    for cell in checked:
        shown = "".join(o.get("text", "") + o.get("data", {}).get("text/plain", "") for o in cell.outputs)
        assert shown.startswith("✅"), shown


def test_written_answer_points_follow_the_rubric_the_exercise_states():
    cells = [nbformat.v4.new_markdown_cell("### Exercise 9.1 — Argue"),
             nbformat.v4.new_markdown_cell("*Type your answer here.*", metadata={"tags": ["answer", "written", "exercise-9.1"]}),
             nbformat.v4.new_markdown_cell("**Rubric (10 points):** thesis (2); evidence (8).",
                                           metadata={"tags": ["solution", "exercise-9.1"]}),
             nbformat.v4.new_markdown_cell("### Exercise 9.2 — Explain"),
             nbformat.v4.new_markdown_cell("*Type your answer here.*", metadata={"tags": ["answer", "written", "exercise-9.2"]})]
    assert teacher._written_points(cells, "9.1") == 10
    assert teacher._written_points(cells, "9.2") == teacher.WRITTEN_POINTS


# --- nbgrader round trip ----------------------------------------------------------------------

def _nbgrader(course: Path, *arguments: str) -> subprocess.CompletedProcess:
    # nbgrader calls alembic through PATH: put this environment's bin first.
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    # Its log (stderr) and its verdicts (stdout) are kept in one stream, in order.
    return subprocess.run([sys.executable, "-m", "nbgrader", *arguments], cwd=course, env=env, text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False)


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """An nbgrader course for every lesson: generated; the key and the unchanged release submitted and
    autograded; the key validated. Each nbgrader step covers every lesson in one run ("*"), and
    validation runs beside autograding, to keep the suite short. Returns the course folder and the
    output of `nbgrader validate`.

    A step that fails stops the fixture with every error nbgrader logged, tracebacks whole (the cause
    is near the start of a long log, not at its end), and leaves its whole log in tests/artifacts/."""
    course = tmp_path_factory.mktemp("nbgrader") / "course"
    teacher.write_nbgrader(course)

    def require_success(step: str, result: subprocess.CompletedProcess) -> None:
        if result.returncode == 0:
            return
        log = REPO / "tests" / "artifacts" / f"nbgrader-{step}.log"
        log.parent.mkdir(exist_ok=True)
        log.write_text(result.stdout, encoding="utf-8")
        # An error record runs on over the following lines that do not open a record ("[App | LEVEL]").
        errors = re.findall(r"^\[\w+ \| (?:ERROR|CRITICAL)\].*(?:\n(?!\[).*)*", result.stdout, re.M)
        pytest.fail(f"nbgrader {step} exited with status {result.returncode}; its whole log: {log}\n"
                    + "\n".join(errors or [result.stdout]), pytrace=False)

    require_success("generate_assignment", _nbgrader(course, "generate_assignment", "*", "--force"))
    for name in NAMES:
        for student, folder in (("key", "source"), ("blank", "release")):
            submission = course / "submitted" / student / name
            submission.mkdir(parents=True)
            shutil.copy(course / folder / name / f"{name}.ipynb", submission / f"{name}.ipynb")
    keys = [str(course / "source" / name / f"{name}.ipynb") for name in NAMES]
    with ThreadPoolExecutor(max_workers=2) as pool:
        autograding = pool.submit(_nbgrader, course, "autograde", "*", "--force")
        validating = pool.submit(_nbgrader, course, "validate", *keys)
        autograded, validated = autograding.result(), validating.result()
    require_success("autograde", autograded)
    return course, validated


def _autograded_scores(course: Path, student: str, name: str) -> list[tuple[float, float]]:
    notebook = nbformat.read(course / "autograded" / student / name / f"{name}.ipynb", as_version=4)
    scores = []
    for cell in notebook.cells:
        grading = cell.metadata.get("nbgrader", {})
        if grading.get("grade") and cell.cell_type == "code":
            failed = any(output["output_type"] == "error" for output in cell.outputs)
            scores.append((0.0 if failed else grading["points"], grading["points"]))
    return scores


def test_nbgrader_config_names_the_course(course):
    course, _ = course
    assert f'c.CourseDirectory.course_id = "{teacher.COURSE_ID}"' in (course / "nbgrader_config.py").read_text()


@pytest.mark.parametrize("name", NAMES)
def test_nbgrader_source_has_schema_3_metadata_and_no_widget_in_graded_cells(course, name):
    course, _ = course
    source = nbformat.read(course / "source" / name / f"{name}.ipynb", as_version=4)
    graded = [cell for cell in source.cells if cell.metadata.get("nbgrader", {}).get("grade")]
    assert graded
    for cell in source.cells:
        grading = cell.metadata.get("nbgrader")
        if grading:
            assert grading["schema_version"] == 3
            assert "lessons.Quiz" not in cell.source and "Explorer(" not in cell.source
    answers = [cell for cell in source.cells if cell.metadata.get("nbgrader", {}).get("solution")
               and cell.cell_type == "code"]
    assert answers and all("### BEGIN SOLUTION" in cell.source for cell in answers)
    assert any("### BEGIN HIDDEN TESTS" in cell.source for cell in graded)
    written = [cell for cell in graded if cell.cell_type == "markdown"]
    assert written and all(cell.metadata["nbgrader"]["points"] >= teacher.WRITTEN_POINTS for cell in written)
    setup = next(cell for cell in source.cells if cell.cell_type == "code")
    assert setup.metadata["nbgrader"]["locked"] is True


@pytest.mark.parametrize("name", NAMES)
def test_release_hides_solutions_and_hidden_tests(course, name):
    course, _ = course
    release = (course / "release" / name / f"{name}.ipynb").read_text(encoding="utf-8")
    assert "### BEGIN SOLUTION" not in release and "### BEGIN HIDDEN TESTS" not in release
    assert "answer = ...  # YOUR CODE HERE" in release


@pytest.mark.parametrize("name", NAMES)
def test_answer_key_submission_autogrades_to_full_marks(course, name):
    scores = _autograded_scores(course[0], "key", name)
    assert scores and all(score == points for score, points in scores)


@pytest.mark.parametrize("name", NAMES)
def test_unchanged_release_autogrades_to_zero(course, name):
    scores = _autograded_scores(course[0], "blank", name)
    assert scores and all(score == 0 for score, _ in scores)


@pytest.mark.parametrize("name", NAMES)
def test_nbgrader_validate_passes_on_the_key(course, name):
    _, validated = course
    assert validated.returncode == 0, validated.stdout[-2000:]
    report = validated.stdout.split(f"{name}.ipynb", 1)
    assert len(report) == 2, f"{name} was not validated"
    assert report[1].split(".ipynb", 1)[0].count("Success! Your notebook passes all the tests.") == 1


def test_requirements_stay_valid_for_repo2docker():
    # repo2docker runs `pip install -r requirements.txt` from the repository root.
    for line in (REPO / "requirements.txt").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            assert line == "-e ." or "==" in line, line
