"""Teacher tools: student editions, answer keys and nbgrader course folders, from the lessons.

The lessons mark their cells with tags (see the README's contributing section):

``setup``            the first code cell (imports and plotly settings);
``answer``           a cell the learner fills in (code, or markdown when also tagged ``written``);
``check``            the self-check cell after a code answer: ``lessons.check("4.1", answer)``;
``solution``         a hidden solution (code or markdown), right after its answer (or check) cell;
``exercise-N.M``     the exercise a cell belongs to.

Every function here is an nbformat transform: notebook in, notebook out. The ``write_*`` functions
never write into the package's own ``notebooks/`` or ``lessons/`` folders; they refuse to replace a file
that exists unless ``force`` is set, and then keep the replaced file as a ``.bak`` backup beside it, so
nobody's edits are lost. Each file is written to a temporary file first, then moved into place with the
mode a new file gets under the umask (or the mode of the file it replaces).
"""

from __future__ import annotations

import copy
import os
import re
import shutil
import stat
import tempfile
import time
from pathlib import Path

import nbformat

from .maintain import execute, strip

__all__ = ["TeacherError", "LESSONS_DIR", "lesson_paths", "student_edition", "answer_key", "nbgrader_source",
           "write_student", "write_key", "write_nbgrader", "WRITTEN_POINTS", "CHECK_POINTS", "COURSE_ID"]

LESSONS_DIR = Path(__file__).resolve().parent.parent / "notebooks"
COURSE_ID = "who-controls-openai"
CHECK_POINTS = 1
WRITTEN_POINTS = 4  # a written answer whose exercise states no rubric: four criteria, one point each
_RUBRIC = re.compile(r"(?:Rubric|graded|Barème|notée?)[^()\n]*\((\d+) points?\)", re.IGNORECASE)


class TeacherError(Exception):
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

def _protected_folders() -> list[Path]:
    """The package's own lessons (both editions) and code: never a destination, even with force."""
    return [LESSONS_DIR.resolve(), Path(__file__).resolve().parent]


def _umask() -> int:
    mask = os.umask(0)  # the only portable way to read it is to set it and put it back
    os.umask(mask)
    return mask


def _prepare(destination: Path, targets: list[Path], force: bool) -> None:
    """Refuse a destination that is a file or one of the package's own folders, and refuse to replace
    files unless ``force``; create the folder."""
    if destination.exists() and not destination.is_dir():
        raise TeacherError(f"{destination}: expected a folder; it is a file.")
    for target in targets:
        folder = target.parent.resolve()
        for protected in _protected_folders():
            if folder == protected or protected in folder.parents:
                raise TeacherError(f"{destination}: that is the package's own {protected.name}/ folder, which no "
                                   "command overwrites (not even with --force); choose another destination.")
    existing = [target for target in targets if target.exists()]
    if existing and not force:
        names = ", ".join(str(target.relative_to(destination)) for target in existing)
        raise TeacherError(f"{destination}: {len(existing)} file{'s' if len(existing) > 1 else ''} would be replaced "
                           f"({names}); pass --force to replace them (each is kept as a .bak backup beside it).")
    try:
        destination.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise TeacherError(f"{destination}: cannot create the folder ({error.strerror}).") from None
    if not os.access(destination, os.W_OK):
        raise TeacherError(f"{destination}: the folder is not writable.")


def _backup_path(path: Path) -> Path:
    backup = path.with_name(f"{path.name}.bak")
    if not backup.exists():
        return backup
    stamp = time.strftime("%Y%m%d-%H%M%S")
    backup, number = path.with_name(f"{path.name}.{stamp}.bak"), 1
    while backup.exists():
        number += 1
        backup = path.with_name(f"{path.name}.{stamp}-{number}.bak")
    return backup


def _write(path: Path, write_content) -> Path | None:
    """Write ``path`` through a temporary file in its folder, so a full disk, an error or an interrupt
    never leaves a half-written file in place or a temporary file behind. A new file gets the mode the
    umask gives (as an editor's would); a replaced file keeps its mode and stays as a backup beside it,
    whose path is returned."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    backup = None
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            write_content(stream)
        replaced = path.exists()
        os.chmod(temporary, stat.S_IMODE(path.stat().st_mode) if replaced else 0o666 & ~_umask())
        if replaced:
            backup = _backup_path(path)
            try:
                os.link(path, backup)  # the old version keeps its inode: no copy, nothing to half-write
            except OSError:
                shutil.copy2(path, backup)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        if backup is not None and path.exists() and backup.exists() and os.path.samefile(path, backup):
            backup.unlink()  # the replacement failed: the original is still in place
        raise
    return backup


def _write_all(files: list[tuple[Path, object]], report) -> list[Path]:
    """Write each (path, notebook or text) in turn, reporting each file as soon as it is in place."""
    written = []
    for path, content in files:
        if isinstance(content, str):
            def write_content(stream, text=content):
                stream.write(text)
        else:
            def write_content(stream, notebook=content):
                nbformat.write(notebook, stream)
        try:
            backup = _write(path, write_content)
        except OSError as error:
            before = f"; the {len(written)} file{'s' if len(written) > 1 else ''} listed above were written" if written else ""
            raise TeacherError(f"{path}: cannot write it ({error.strerror or error}); nothing half-written was "
                               f"left{before}.") from None
        written.append(path)
        report(f"wrote {path}" + (f" (the previous version is kept as {backup.name})" if backup else ""))
    return written


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
    _prepare(destination, [destination / path.name for path in paths], force)
    done = _transform_all(paths, lambda notebook, path: student_edition(notebook, path.name))
    return _write_all([(destination / path.name, notebook) for path, notebook in done], report)


def write_key(destination: Path, selection: str = "all", force: bool = False, language: str = "en",
              report=_ignore) -> list[Path]:
    """Write the answer keys of the chosen lessons into ``destination`` (see :func:`write_student`)."""
    paths = lesson_paths(selection, language)
    _prepare(destination, [destination / path.name for path in paths], force)
    done = _transform_all(paths, lambda notebook, path: answer_key(notebook, path.parent, path.name))
    return _write_all([(destination / path.name, notebook) for path, notebook in done], report)


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
    _prepare(destination, [config, *sources], force)
    done = _transform_all(paths, lambda notebook, path: nbgrader_source(notebook, path.name))
    return _write_all([(config, NBGRADER_CONFIG), *zip(sources, (notebook for _, notebook in done))], report)
