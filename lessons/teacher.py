"""Teacher tools: student editions, answer keys and nbgrader course folders, from the lessons.

The lessons mark their cells with tags (see the README's contributing section):

``setup``            the first code cell (imports and plotly settings);
``answer``           a cell the learner fills in (code, or markdown when also tagged ``written``);
``check``            the self-check cell after a code answer: ``lessons.check("4.1", answer)``;
``solution``         a hidden solution (code or markdown), right after its answer (or check) cell;
``exercise-N.M``     the exercise a cell belongs to.

Every function here is an nbformat transform: notebook in, notebook out. The ``write_*`` functions
write through :mod:`lessons.destination`, so nothing is lost: never into the package's own folders, a
file that exists replaced only with ``force`` and then kept as a ``.bak`` backup, no half-written file.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

import nbformat

from .destination import DestinationError, prepare, write_all, write_text
from .maintain import execute, strip

__all__ = ["TeacherError", "LESSONS_DIR", "lesson_paths", "student_edition", "answer_key", "nbgrader_source",
           "write_student", "write_key", "write_nbgrader", "WRITTEN_POINTS", "CHECK_POINTS", "COURSE_ID"]

LESSONS_DIR = Path(__file__).resolve().parent.parent / "notebooks"
COURSE_ID = "who-controls-openai"
CHECK_POINTS = 1
WRITTEN_POINTS = 4  # a written answer whose exercise states no rubric: four criteria, one point each
_RUBRIC = re.compile(r"(?:Rubric|graded|Barème|notée?)[^()\n]*\((\d+) points?\)", re.IGNORECASE)


class TeacherError(DestinationError):
    """A teacher command cannot run; the message says why in one line."""


# --- which lessons ----------------------------------------------------------------------------

def lesson_paths(selection: str = "all", language: str = "en") -> list[Path]:
    """The lesson notebooks chosen by ``selection``: ``"all"`` or lesson numbers such as ``"01,04"``."""
    folder = LESSONS_DIR if language == "en" else LESSONS_DIR / language
    if language not in ("en", "fr"):
        raise TeacherError(f"--lang: expected en or fr; got {language!r}.")
    available = {path.name[:2]: path for path in sorted(folder.glob("[0-9][0-9]_*.ipynb"))}
    if not available:
        raise TeacherError(f"no lessons found in {folder}.")
    if selection.strip() == "all":
        return list(available.values())
    chosen = []
    for part in selection.split(","):
        number = part.strip().zfill(2)
        if number not in available:
            raise TeacherError(f"--lessons: unknown lesson {part.strip()!r}; expected 'all' or numbers among "
                               f"{', '.join(available)}.")
        chosen.append(available[number])
    return chosen


# --- transforms -------------------------------------------------------------------------------

def _tags(cell) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def _exercise(cell) -> str:
    for tag in _tags(cell):
        if tag.startswith("exercise-"):
            return tag.removeprefix("exercise-")
    return ""


def _require_tags(notebook, name: str) -> None:
    tags = {tag for cell in notebook.cells for tag in _tags(cell)}
    missing = [tag for tag in ("setup", "answer", "solution") if tag not in tags]
    if missing:
        raise TeacherError(f"{name}: expected cells tagged {', '.join(missing)}; is this a lesson notebook?")


def _lock(cell) -> None:
    cell.metadata["editable"] = False
    cell.metadata["deletable"] = False


def student_edition(notebook, name: str = "notebook"):
    """Solutions removed, outputs and widget state cleared, setup and check cells locked."""
    _require_tags(notebook, name)
    edition = copy.deepcopy(notebook)
    edition.cells = [cell for cell in edition.cells if "solution" not in _tags(cell)]
    for cell in edition.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        if {"setup", "check"} & set(_tags(cell)):
            _lock(cell)
    edition.metadata.pop("widgets", None)
    return edition


def _show_solutions(notebook):
    for cell in notebook.cells:
        if "solution" in _tags(cell):
            cell.metadata.get("jupyter", {}).pop("source_hidden", None)
            cell.metadata.get("jupyter", {}).pop("outputs_hidden", None)
            cell.metadata["tags"] = [tag for tag in _tags(cell) if tag != "hide-cell"]
    return notebook


def answer_key(notebook, folder: Path, name: str = "notebook"):
    """The lesson executed, solutions shown and unfolded."""
    _require_tags(notebook, name)
    key = copy.deepcopy(notebook)
    strip(key)
    execute(key, folder)
    key.metadata.pop("widgets", None)  # a static key: widget views without state show as plain text
    return _show_solutions(key)


def _solution_code(cells, exercise: str) -> str:
    for cell in cells:
        if cell.cell_type == "code" and "solution" in _tags(cell) and _exercise(cell) == exercise:
            lines = [line for line in cell.source.splitlines() if not line.lstrip().startswith("lessons.check(")]
            return "\n".join(lines).strip()
    raise TeacherError(f"exercise {exercise}: expected a code cell tagged solution and exercise-{exercise}.")


def _written_solution(cells, exercise: str) -> str:
    for cell in cells:
        if cell.cell_type == "markdown" and "solution" in _tags(cell) and _exercise(cell) == exercise:
            return cell.source
    raise TeacherError(f"exercise {exercise}: expected a markdown cell tagged solution and exercise-{exercise}.")


def _written_points(cells, exercise: str) -> int:
    """The total of the rubric the exercise states ("Rubric (10 points)", in its instructions or its
    model answer), else WRITTEN_POINTS."""
    heading = re.compile(rf"^###\s+\w+\s+{re.escape(exercise)}\b", re.MULTILINE)
    inside = False
    for cell in cells:
        if cell.cell_type != "markdown":
            continue
        if heading.search(cell.source):
            inside = True
        elif inside and re.search(r"^#{2,3}\s", cell.source, re.MULTILINE):
            break  # the next exercise or section
        if inside and (match := _RUBRIC.search(cell.source)):
            return int(match.group(1))
    return WRITTEN_POINTS


def _grade_id(kind: str, exercise: str) -> str:
    return f"{kind}-{exercise.replace('.', '_')}"


def _nbgrader(cell, *, grade_id: str, solution=False, grade=False, locked=False, points=None) -> None:
    metadata = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3, "solution": solution}
    if points is not None:
        metadata["points"] = points
    cell.metadata["nbgrader"] = metadata


def nbgrader_source(notebook, name: str = "notebook"):
    """The lesson as an nbgrader source notebook (cell metadata schema 3).

    Code answers become solution cells whose ``### BEGIN SOLUTION`` region holds the solution; check
    cells become autograded tests (a visible self-check, the grading assert in a hidden region); written
    answers become manually graded cells holding the model answer; the setup cell is locked; solution
    cells are folded into their answers; outputs and widget state are cleared.
    """
    _require_tags(notebook, name)
    source = copy.deepcopy(notebook)
    strip(source)
    cells = source.cells
    kept = []
    for cell in cells:
        tags, exercise = set(_tags(cell)), _exercise(cell)
        if "solution" in tags:
            continue
        cell.metadata.pop("jupyter", None)
        if "setup" in tags:
            _nbgrader(cell, grade_id="setup", locked=True)
        elif "answer" in tags and "written" in tags:
            cell.source = _written_solution(cells, exercise)
            _nbgrader(cell, grade_id=_grade_id("written", exercise), solution=True, grade=True,
                      points=_written_points(cells, exercise))
        elif "answer" in tags:
            cell.source = f"### BEGIN SOLUTION\n{_solution_code(cells, exercise)}\n### END SOLUTION"
            _nbgrader(cell, grade_id=_grade_id("answer", exercise), solution=True)
        elif "check" in tags:
            if re.search(r"lessons\.[A-Z]", cell.source):
                raise TeacherError(f"{name}: check cell of exercise {exercise} holds a widget; graded cells must not.")
            cell.source = (f'print(lessons.check("{exercise}", answer))\n'
                           "### BEGIN HIDDEN TESTS\n"
                           f'assert lessons.check("{exercise}", answer), "exercise {exercise} is not correct yet"\n'
                           "### END HIDDEN TESTS")
            _nbgrader(cell, grade_id=_grade_id("check", exercise), grade=True, locked=True, points=CHECK_POINTS)
        kept.append(cell)
    source.cells = kept
    return source


# --- writing folders --------------------------------------------------------------------------

def _notebook(notebook):
    return lambda temporary: nbformat.write(notebook, str(temporary))


def _transform_all(paths, transform) -> list[tuple[Path, object]]:
    # Transform every lesson before writing any, so a bad lesson leaves nothing half done.
    return [(path, transform(nbformat.read(path, as_version=4), path)) for path in paths]


def _ignore(_line: str) -> None:
    pass


def write_student(destination: Path, selection: str = "all", force: bool = False, language: str = "en",
                  report=_ignore) -> list[Path]:
    """Write the student editions of the chosen lessons into ``destination``; ``report`` receives one line
    per file written. Returns the paths written."""
    paths = lesson_paths(selection, language)
    prepare(destination, [destination / path.name for path in paths], force)
    done = _transform_all(paths, lambda notebook, path: student_edition(notebook, path.name))
    return write_all([(destination / path.name, _notebook(notebook)) for path, notebook in done], report)


def write_key(destination: Path, selection: str = "all", force: bool = False, language: str = "en",
              report=_ignore) -> list[Path]:
    """Write the answer keys of the chosen lessons into ``destination`` (see :func:`write_student`)."""
    paths = lesson_paths(selection, language)
    prepare(destination, [destination / path.name for path in paths], force)
    done = _transform_all(paths, lambda notebook, path: answer_key(notebook, path.parent, path.name))
    return write_all([(destination / path.name, _notebook(notebook)) for path, notebook in done], report)


NBGRADER_CONFIG = f'''"""nbgrader configuration for the course written by `python -m lessons nbgrader`."""

c = get_config()  # noqa: F821 (nbgrader provides it)
c.CourseDirectory.course_id = "{COURSE_ID}"
# Learners replace the "..." of each answer; the stub keeps that form.
c.ClearSolutions.code_stub = {{"python": "answer = ...  # YOUR CODE HERE"}}
c.ClearSolutions.text_stub = "*Type your answer here.*"
'''


def write_nbgrader(destination: Path, selection: str = "all", force: bool = False, language: str = "en",
                   report=_ignore) -> list[Path]:
    """Write an nbgrader course folder: ``nbgrader_config.py`` and ``source/<lesson>/<lesson>.ipynb``
    (see :func:`write_student`). An existing ``nbgrader_config.py`` is a file too: replaced only with
    ``force``, and then kept as a backup."""
    paths = lesson_paths(selection, language)
    config = destination / "nbgrader_config.py"
    sources = [destination / "source" / path.stem / path.name for path in paths]
    prepare(destination, [config, *sources], force)
    done = _transform_all(paths, lambda notebook, path: nbgrader_source(notebook, path.name))
    return write_all([(config, write_text(NBGRADER_CONFIG)),
                      *((source, _notebook(notebook)) for source, (_path, notebook) in zip(sources, done))], report)
