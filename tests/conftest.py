"""Shared fixtures: a writable copy of data/ for malformed-data tests, and the language reset."""

from __future__ import annotations

import csv
import functools
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


# --- lessons run once per session -------------------------------------------------------------

NETWORK_GUARD = """
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


# What nbclient's stand-in for the ipywidgets Output sent to the kernel while each lesson ran, by
# lesson path (see executed_lesson). A lesson that displays into an Output while a cell runs makes the
# stand-in send on the shell socket that nbclient awaits the cell's reply on: the stalls of issue 14.
OUTPUT_WIDGET_SENDS: dict[Path, list[str]] = {}


def _recording_output_widget(sends: list[str]):
    from nbclient.output_widget import OutputWidget

    class RecordingOutputWidget(OutputWidget):
        def _publish_msg(self, msg_type, data=None, metadata=None, buffers=None, **keys):
            sends.append(f"{msg_type} {sorted((data or {}).get('state', {}))}")
            super()._publish_msg(msg_type, data, metadata, buffers, **keys)

    return RecordingOutputWidget


@functools.cache
def executed_lesson(path: Path):
    """The lesson at ``path`` run top to bottom, solutions included, in a kernel whose network is
    blocked; cell 0 of the result is the guard, so lesson cell ``i`` is result cell ``i + 1``.
    Run once per test session and shared by the tests that read a lesson's outputs; what the
    Output widgets sent meanwhile is kept in OUTPUT_WIDGET_SENDS[path]."""
    import nbformat

    from lessons.maintain import client

    notebook = nbformat.read(path, as_version=4)
    notebook.cells.insert(0, nbformat.v4.new_code_cell(NETWORK_GUARD))
    runner = client(notebook, path.parent)
    # nbclient's widget_registry is not a setting (passed to the constructor, it is overwritten).
    sends = OUTPUT_WIDGET_SENDS.setdefault(path, [])
    runner.widget_registry = {"@jupyter-widgets/output": {"OutputModel": _recording_output_widget(sends)}}
    runner.execute()
    return notebook
