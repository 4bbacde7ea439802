"""What a lesson is about, read from its first markdown cells: title, hook, questions, objectives, time.

Every lesson opens the same way (Carpentries shape): a ``# NN — Title`` cell with a short hook, then a
cell with ``## Questions``, ``## Objectives`` and ``## Time`` (``Objectifs`` and ``Durée`` in the French
edition). The site's home page and the handouts both show this outline, so it is read in one place.
Questions and objectives stay markdown (they hold ``code`` spans and escaped dollar signs); render them
with a markdown renderer.

>>> [lesson.title for lesson in lessons("fr")]
>>> read_lesson(Path("notebooks/04_the_97_billion_bid.ipynb")).questions
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

from ..teacher import lesson_paths

__all__ = ["Lesson", "OutlineError", "lessons", "read_lesson", "language_of", "Exercise", "read_exercises"]

_HEADINGS = {"en": ("Questions", "Objectives", "Time"), "fr": ("Questions", "Objectifs", "Durée")}
_TITLE = re.compile(r"^#\s+(\d{2})\s+—\s+(.+)$")
_ITEM = re.compile(r"^\s*(?:[-*]|\d+\.)\s+(.*)$")
_TIME_PART = re.compile(r"([^\s·:][^·:]*?)\s*:\s*(\d+)\s*min")  # "Teaching: 25 min", "Cours : 25 min"
_TEACHING = {"en": ("Teaching", "Exercises"), "fr": ("Cours", "Exercices")}


class OutlineError(ValueError):
    """A lesson's opening cells are not in the expected shape; the message names the file and the cell."""


@dataclass(frozen=True)
class Lesson:
    """The outline of one lesson notebook.

    ``number`` ("04") and ``language`` ("en" | "fr") identify it; ``title`` has no number;
    ``hook`` is the markdown under the title; ``questions`` and ``objectives`` are markdown items;
    ``time_text`` is the Time line as the lesson writes it (show this one: it stays right whatever the
    line's parts), ``time_parts`` its labelled minutes in order, e.g. ``(("Teaching", 25), ("Exercises",
    20))``; ``teaching_minutes`` and ``exercise_minutes`` are the parts labelled Teaching and Exercises
    (Cours, Exercices), ``None`` when the line has no such part.
    """

    number: str
    language: str
    path: Path
    title: str
    hook: str
    questions: tuple[str, ...]
    objectives: tuple[str, ...]
    teaching_minutes: int | None
    exercise_minutes: int | None
    time_text: str
    time_parts: tuple[tuple[str, int], ...]

    @property
    def slug(self) -> str:
        """The notebook's file name without ``.ipynb``, e.g. ``04_the_97_billion_bid``."""
        return self.path.stem


def language_of(path: Path) -> str:
    """``"fr"`` for a notebook of the French edition (in a ``fr`` folder), ``"en"`` otherwise."""
    return "fr" if path.parent.name == "fr" else "en"


def _sections(text: str) -> dict[str, list[str]]:
    sections, current = {}, None
    for line in text.splitlines():
        if line.startswith("## "):
            current = line[3:].strip()
            sections[current] = []
        elif current is not None:
            sections[current].append(line)
    return sections


def _items(lines: list[str]) -> tuple[str, ...]:
    """Bulleted or numbered items; an indented or wrapped line continues the item above it."""
    items: list[str] = []
    for line in lines:
        match = _ITEM.match(line)
        if match:
            items.append(match.group(1).strip())
        elif items and line.strip():
            items[-1] += " " + line.strip()
    return tuple(items)


def read_lesson(path: Path, language: str | None = None) -> Lesson:
    """The outline of the lesson notebook at ``path`` (language from its folder unless given)."""
    path = Path(path)
    language = language or language_of(path)
    notebook = nbformat.read(path, as_version=4)
    markdown = [cell for cell in notebook.cells if cell.cell_type == "markdown"][:2]
    if len(markdown) < 2:
        raise OutlineError(f"{path}: expected a title cell and an outline cell before the first code cell.")
    title_line, _, hook = markdown[0].source.partition("\n")
    title = _TITLE.match(title_line.strip())
    if not title:
        raise OutlineError(f"{path}: first cell: expected a title line '# NN — Title'; got {title_line!r}.")
    questions_heading, objectives_heading, time_heading = _HEADINGS[language]
    sections = _sections(markdown[1].source)
    missing = [heading for heading in _HEADINGS[language] if heading not in sections]
    if missing:
        raise OutlineError(f"{path}: second cell: expected headings "
                           f"{', '.join('## ' + heading for heading in missing)}.")
    time_text = next((line.strip() for line in sections[time_heading] if line.strip()), "")
    parts = tuple((label.strip(), int(minutes)) for label, minutes in _TIME_PART.findall(time_text))
    if not parts:
        raise OutlineError(f"{path}: second cell: expected a {time_heading} line that gives minutes, "
                           f"e.g. 'Teaching: 25 min · Exercises: 20 min'; got {time_text!r}.")
    labelled = dict(parts)
    teaching_label, exercise_label = _TEACHING[language]
    return Lesson(number=title.group(1), language=language, path=path, title=title.group(2).strip(),
                  hook=hook.strip(), questions=_items(sections[questions_heading]),
                  objectives=_items(sections[objectives_heading]),
                  teaching_minutes=labelled.get(teaching_label), exercise_minutes=labelled.get(exercise_label),
                  time_text=time_text, time_parts=parts)


def lessons(language: str = "en", selection: str = "all") -> list[Lesson]:
    """The outlines of the lessons of one edition, in order (``selection`` as in the teacher commands)."""
    return [read_lesson(path, language) for path in lesson_paths(selection, language)]


# --- exercises --------------------------------------------------------------------------------

_EXERCISE = re.compile(r"^###\s+(?:Exercise|Exercice)\s+(\d+\.\d+)\s+—\s+(.+)$", re.MULTILINE)
_HEADING = re.compile(r"^#{1,3}\s", re.MULTILINE)
_WIDGET_CALL = re.compile(r"^lessons\.(?:widgets\.)?[A-Z]\w*\(.*\)$", re.DOTALL)


@dataclass(frozen=True)
class Exercise:
    """One exercise of a lesson, as a learner reads it.

    ``number`` ("4.1"), ``title`` and ``text`` (markdown: the instructions under the heading, with any
    untagged markdown cells that follow before the next heading); ``answer``: ``"code"`` (an answer cell
    checked by ``lessons.check``), ``"written"`` (a markdown answer cell) or ``""`` (done in a widget
    only); ``answer_frame``: the written answer cell's text when it is a frame to fill in (more than one
    line), else ``""``; ``widgets``: the widget calls inside the exercise, e.g. ``'lessons.Quiz("04")'``.
    """

    number: str
    title: str
    text: str
    answer: str
    answer_frame: str
    widgets: tuple[str, ...]


def read_exercises(path: Path) -> tuple[Exercise, ...]:
    """The exercises of the lesson notebook at ``path``, in order: every ``### Exercise N.M — Title``
    heading (``Exercice`` in French) of a markdown cell that is not a solution."""
    notebook = nbformat.read(Path(path), as_version=4)
    found: list[dict] = []
    current = None
    for cell in notebook.cells:
        tags = set(cell.get("metadata", {}).get("tags", []))
        if "solution" in tags:
            continue
        source = cell.source.strip()
        if cell.cell_type == "markdown" and "answer" in tags:
            if current is not None:
                current["answer"] = "written"
                current["answer_frame"] = source if len(source.splitlines()) > 1 else ""
            continue
        if cell.cell_type == "code":
            if current is not None and "answer" in tags:
                current["answer"] = "code"
            elif current is not None and _WIDGET_CALL.match(source):
                current["widgets"].append(source)
            continue
        heading = _EXERCISE.search(source)
        if heading:
            current = {"number": heading.group(1), "title": heading.group(2).strip(), "answer": "",
                       "answer_frame": "", "widgets": [], "text": [source[heading.end():].strip()]}
            found.append(current)
        elif current is not None and _HEADING.search(source):
            current = None  # a new section (Key points, Sources...) ends the exercises
        elif current is not None:
            current["text"].append(source)
    return tuple(Exercise(number=item["number"], title=item["title"],
                          text="\n\n".join(part for part in item["text"] if part),
                          answer=item["answer"], answer_frame=item["answer_frame"], widgets=tuple(item["widgets"]))
                 for item in found)
