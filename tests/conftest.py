"""Shared fixtures: a writable copy of data/ for malformed-data tests, and the language reset."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import ipywidgets as widgets
import pytest

import lessons
import lessons.data

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"


@pytest.fixture(autouse=True)
def english():
    """Every test starts and ends in English."""
    lessons.set_language("en")
    yield
    lessons.set_language("en")


class DataCopy:
    """A copy of data/ that tests may break, with helpers to edit one CSV cell or row."""

    def __init__(self, folder: Path):
        self.folder = folder

    def rows(self, table: str) -> tuple[list[str], list[dict]]:
        with (self.folder / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            return list(reader.fieldnames), list(reader)

    def write(self, table: str, header: list[str], rows: list[dict]) -> None:
        with (self.folder / f"{table}.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=header)
            writer.writeheader()
            writer.writerows(rows)
        lessons.data.reload()

    def set(self, table: str, row_id: str, column: str, value: str) -> int:
        """Set one cell; return the spreadsheet row number of the edited row (header = row 1)."""
        header, rows = self.rows(table)
        position = next(i for i, row in enumerate(rows) if row["id"] == row_id)
        rows[position][column] = value
        self.write(table, header, rows)
        return position + 2

    def append(self, table: str, **values) -> int:
        header, rows = self.rows(table)
        rows.append({column: values.get(column, "") for column in header})
        self.write(table, header, rows)
        return len(rows) + 1


@pytest.fixture
def data_copy(tmp_path, monkeypatch) -> DataCopy:
    """lessons.data reading from a throwaway copy of data/."""
    folder = tmp_path / "data"
    shutil.copytree(DATA, folder)
    monkeypatch.setattr(lessons.data, "DATA_DIR", folder)
    lessons.data.reload()
    yield DataCopy(folder)
    lessons.data.reload()


def walk(widget):
    """The widget and every widget inside it."""
    yield widget
    for child in getattr(widget, "children", ()) or ():
        yield from walk(child)


def html_values(widget) -> list[str]:
    """The value of every HTML widget inside ``widget``: what a browser would render."""
    return [w.value for w in walk(widget) if isinstance(w, widgets.HTML)]
