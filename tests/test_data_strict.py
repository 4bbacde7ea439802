"""Strict reading of the CSV files: a mistake made in a spreadsheet or a text editor never changes the
data silently; it raises one DataError that names the file, the row and what is wrong."""

from __future__ import annotations

import csv
import functools
import io
import os
import time
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import lessons.data as data
from conftest import DATA

TABLES = data.table_names()
ORIGINALS = {table: (DATA / f"{table}.csv").read_text(encoding="utf-8") for table in TABLES}


def _text(data_copy, table: str) -> str:
    return (data_copy.folder / f"{table}.csv").read_text(encoding="utf-8")


def _write(data_copy, table: str, text: str) -> None:
    (data_copy.folder / f"{table}.csv").write_bytes(text.encode("utf-8"))


def _error(table: str) -> str:
    with pytest.raises(data.DataError) as caught:
        data.load(table)
    return str(caught.value)


def _edit_line(data_copy, table: str, number: int, edit) -> None:
    """Replace line ``number`` (1 = the header) of a file whose fields hold no line breaks."""
    lines = _text(data_copy, table).split("\n")
    lines[number - 1] = edit(lines[number - 1])
    _write(data_copy, table, "\n".join(lines))


def _row_of(table: str, row_id: str) -> int:
    """The spreadsheet row (header = 1) of ``row_id``: its line, as no field of the table holds a line break."""
    return int(data.load(table).index[data.load(table)["id"] == row_id][0]) + 2


ROUND = "2021-microsoft-round"  # its title_fr, "Nouvel investissement de Microsoft", is not quoted


# --- quotes and field counts --------------------------------------------------------------------

def test_a_stray_quote_at_the_start_of_a_field_is_named(data_copy):
    # Before: the quote swallowed the rest of the row and the next one; one event vanished.
    row = _row_of("events", ROUND)
    _edit_line(data_copy, "events", row, lambda line: line.replace(",Nouvel investissement", ',"Nouvel investissement'))
    text = _text(data_copy, "events")
    start = text.index('"Nouvel investissement')
    closing = start + 1
    while text.startswith('""', closing := text.index('"', closing)):
        closing += 2
    assert _error("events") == (
        f"data/events.csv, row {row} (id '{ROUND}'), column 'title_fr': unbalanced double quote in "
        f"{text[start:start + 40] + '…'!r}: the field starts with \" but the next lone \" (line "
        f"{text.count(chr(10), 0, closing) + 1} of the file) is followed by {text[closing + 1]!r}, not by a comma "
        "or a line end; expected a field that starts with \" to end with \", with each \" inside it written \"\".")


def test_a_row_with_one_field_too_many_is_named(data_copy):
    row = _row_of("events", ROUND)
    _edit_line(data_copy, "events", row, lambda line: line + ",extra")
    assert _error("events") == (
        f"data/events.csv, row {row} (id '{ROUND}'): 12 fields where the header has 11; expected one "
        "field per column (a text with a comma or a line break in it goes between double quotes).")


def test_one_field_too_many_on_the_first_row_is_named(data_copy):
    # Before: pandas took the first column as the index and raised a bare ValueError.
    first = data.events()["id"].iloc[0]
    _edit_line(data_copy, "events", 2, lambda line: line + ",extra")
    assert _error("events") == (
        f"data/events.csv, row 2 (id '{first}'): 12 fields where the header has 11; expected one field per column "
        "(a text with a comma or a line break in it goes between double quotes).")


def test_a_row_with_one_field_too_few_is_named(data_copy):
    row = _row_of("events", ROUND)
    _edit_line(data_copy, "events", row, lambda line: line.rsplit(",", 1)[0])
    assert _error("events") == (
        f"data/events.csv, row {row} (id '{ROUND}'): 10 fields where the header has 11; expected one "
        "field per column (a text with a comma or a line break in it goes between double quotes).")


def test_a_quote_inside_a_field_without_quotes_is_named(data_copy):
    row = _row_of("events", ROUND)
    _edit_line(data_copy, "events", row, lambda line: line.replace("Nouvel investissement", 'Nouvel "investissement'))
    line = _text(data_copy, "events").split("\n")[row - 1]
    shown = line[line.index("Nouvel"):][:40] + "…"
    assert _error("events") == (
        f"data/events.csv, row {row} (id '{ROUND}'), column 'title_fr': unbalanced double quote in "
        f"{shown!r}: a \" inside a field that does not start with one; expected "
        "a field that starts with \" to end with \", with each \" inside it written \"\" (as a spreadsheet saves it).")


def test_a_quote_left_open_at_the_end_of_the_file_is_named(data_copy):
    rows = len(data.events())
    _write(data_copy, "events", _text(data_copy, "events") + '2030-01-01-next,"2030')
    assert _error("events") == (
        f"data/events.csv, row {rows + 2} (id '2030-01-01-next'), column 'date': unbalanced double quote in "
        "'\"2030': the field starts with \" and no closing \" comes before the end of the file; expected a field "
        "that starts with \" to end with \", with each \" inside it written \"\".")


def test_a_row_spanning_lines_is_named_with_its_line_in_the_file(data_copy):
    header, rows = data_copy.rows("events")
    rows[0]["summary_en"] += "\nA second paragraph."
    data_copy.write("events", header, rows)
    row = _row_of("events", ROUND)
    _edit_line(data_copy, "events", row + 1, lambda line: line + ",extra")
    assert _error("events") == (
        f"data/events.csv, row {row} (id '{ROUND}', line {row + 1} of the file): 12 fields where the header has "
        "11; expected one field per column (a text with a comma or a line break in it goes between double quotes).")


def test_an_empty_line_between_rows_is_named(data_copy):
    row = _row_of("events", ROUND)
    _edit_line(data_copy, "events", row, lambda line: "\n" + line)
    assert _error("events") == (
        f"data/events.csv, row {row}: an empty line; expected a row of 11 fields, one per column (delete the empty line).")


def test_a_repeated_column_is_named(data_copy):
    _edit_line(data_copy, "events", 1, lambda line: line.replace("title_fr", "title_en"))
    assert _error("events") == (
        "data/events.csv, row 1 (header), column 'title_en': the column appears twice; expected each of the "
        "columns id, date, date_precision, title_en, title_fr, summary_en, summary_fr, category, actors, status, "
        "source_ids once.")


# --- what spreadsheets and editors leave behind -------------------------------------------------

def test_windows_line_ends_a_byte_order_mark_and_empty_lines_at_the_end_load_the_same_table(data_copy):
    expected = data.events()
    _write(data_copy, "events", "\ufeff" + _text(data_copy, "events").replace("\n", "\r\n") + "\r\n\n")
    pd.testing.assert_frame_equal(data.events(), expected)


def test_a_byte_order_mark_inside_the_file_is_named(data_copy):
    row = _row_of("events", ROUND)
    _edit_line(data_copy, "events", row, lambda line: line.replace("Nouvel investissement", "Nouvel\ufeff investissement"))
    assert _error("events") == (
        f"data/events.csv, row {row} (id '{ROUND}'), column 'title_fr': expected text without a byte "
        "order mark (an invisible U+FEFF character, left where two files were pasted together); got "
        "'Nouvel\\ufeff investissement de Microsoft'.")


def test_a_file_saved_with_semicolons_says_how_to_save_it_with_commas(data_copy):
    header, rows = data_copy.rows("events")
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, delimiter=";", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    _write(data_copy, "events", buffer.getvalue())
    assert _error("events") == (
        "data/events.csv: the fields are separated by semicolons (;), as Excel saves CSV files with French "
        "regional settings; expected commas (,). Save the file as comma-separated CSV UTF-8: in LibreOffice Calc, "
        "File > Save As, type Text CSV, tick Edit filter settings and choose the field delimiter ','; in Excel, "
        "which uses the list separator of the Windows region settings, set that separator to ',' first, then save "
        "as CSV UTF-8.")


def test_a_file_that_is_not_utf8_names_the_line(data_copy):
    row = _row_of("events", ROUND)
    path = data_copy.folder / "events.csv"
    path.write_bytes(path.read_bytes().replace("Nouvel investissement".encode(), "Nouvel investissement é".encode("cp1252")))
    assert _error("events") == (
        f"data/events.csv, line {row}: expected UTF-8 text; got a byte that is not UTF-8 (Excel's plain CSV format "
        "writes another encoding). Save the file as CSV UTF-8.")


# --- values that pass their column's type but break the table's meaning -------------------------

def _option_count(question: str) -> int:
    return len(data.quiz().set_index("id").at[question, "options_en"].split(" | "))


def test_a_quiz_answer_outside_its_options_is_named(data_copy):
    count = _option_count("04-bid-target")
    row = data_copy.set("quiz", "04-bid-target", "answer", str(count))
    assert _error("quiz") == (
        f"data/quiz.csv, row {row} (id '04-bid-target'), column 'answer': expected the number of one of the "
        f"{count} options of 'options_en', counted from 0 (0 to {count - 1}); got '{count}'.")


def test_a_quiz_answer_between_two_options_is_named(data_copy):
    count = _option_count("04-bid-target")
    row = data_copy.set("quiz", "04-bid-target", "answer", "1.5")
    assert _error("quiz") == (
        f"data/quiz.csv, row {row} (id '04-bid-target'), column 'answer': expected the number of one of the "
        f"{count} options of 'options_en', counted from 0 (0 to {count - 1}); got '1.5'.")


def test_quiz_options_missing_in_one_language_are_named(data_copy):
    count = _option_count("04-bid-target")
    options = data.quiz().set_index("id").at["04-bid-target", "options_fr"]
    row = data_copy.set("quiz", "04-bid-target", "options_fr", options.rsplit(" | ", 1)[0])
    assert _error("quiz") == (
        f"data/quiz.csv, row {row} (id '04-bid-target'), column 'options_fr': expected as many options as "
        f"'options_en' ({count}), separated by ' | '; got {count - 1}.")


def test_a_choice_question_without_options_is_named(data_copy):
    row = data_copy.set("quiz", "04-bid-target", "options_en", "")
    assert _error("quiz") == (
        f"data/quiz.csv, row {row} (id '04-bid-target'), column 'options_en': expected at least two options "
        "separated by ' | ' for a 'choice' question; got ''.")


def test_a_tolerance_on_a_choice_question_is_named(data_copy):
    row = data_copy.set("quiz", "04-bid-target", "tolerance", "0.5")
    assert _error("quiz") == (
        f"data/quiz.csv, row {row} (id '04-bid-target'), column 'tolerance': expected no tolerance for a 'choice' "
        "question; got '0.5'.")


def test_options_on_a_numeric_question_are_named(data_copy):
    row = data_copy.set("quiz", "04-counter-offer-share", "options_en", "10 | 25")
    assert _error("quiz") == (
        f"data/quiz.csv, row {row} (id '04-counter-offer-share'), column 'options_en': expected no options for a "
        "'numeric' question; got '10 | 25'.")


def test_a_valuation_without_its_basis_is_named(data_copy):
    row = data_copy.set("funding", "2021-valuation-14b", "valuation_basis", "")
    assert _error("funding") == (
        f"data/funding.csv, row {row} (id '2021-valuation-14b'), column 'valuation_basis': expected a value, "
        "because 'valuation_usd' has one; got ''.")


def test_a_stake_replaced_before_it_was_held_is_named(data_copy):
    stake = data.ownership().dropna(subset=["replaced_on"]).iloc[0]
    row = data_copy.set("ownership", stake["id"], "replaced_on", "2022-12-31")
    header, rows = data_copy.rows("ownership")
    as_of = rows[row - 2]["as_of"]
    assert _error("ownership") == (
        f"data/ownership.csv, row {row} (id '{stake['id']}'), column 'replaced_on': expected a date on or after "
        f"'as_of' ({as_of}); got '2022-12-31'.")


def test_an_unknown_date_precision_does_not_suggest_adding_it(data_copy):
    row = data_copy.set("events", "2025-02-10-bid", "date_precision", "week")
    assert _error("events").startswith(
        f"data/events.csv, row {row} (id '2025-02-10-bid'), column 'date_precision': expected one of: day, month, "
        "year; got 'week'.")


# --- files that change while they are read ------------------------------------------------------

def test_a_table_saved_while_it_is_read_is_read_again(data_copy, monkeypatch):
    expected = data.events()
    path = data_copy.folder / "events.csv"
    whole = path.read_bytes()
    written_so_far = whole[: whole.index(b"\n", len(whole) // 2) + 1]  # whole rows: a valid, shorter table
    path.write_bytes(written_so_far)
    read_bytes = Path.read_bytes

    def read_while_the_save_finishes(self):
        content = read_bytes(self)
        if self == path and content == written_so_far:
            path.write_bytes(whole)
        return content

    monkeypatch.setattr(Path, "read_bytes", read_while_the_save_finishes)
    pd.testing.assert_frame_equal(data.events(), expected)


def test_a_table_that_keeps_changing_while_it_is_read_is_named(data_copy, monkeypatch):
    path = data_copy.folder / "events.csv"
    read_bytes = Path.read_bytes

    def read_during_endless_saves(self):
        content = read_bytes(self)
        if self == path:
            path.write_bytes(content[:-1] if content.endswith(b"\n\n") else content + b"\n")
        return content

    monkeypatch.setattr(Path, "read_bytes", read_during_endless_saves)
    assert _error("events") == (
        "data/events.csv: the file changed while it was being read, 5 times in a row; expected a file that no "
        "program is writing. Load it again once it is saved.")


def test_an_edit_of_the_same_size_that_keeps_the_modification_time_is_seen(data_copy):
    path = data_copy.folder / "events.csv"
    assert data.events().set_index("id").at["2021-microsoft-round", "title_fr"] == "Nouvel investissement de Microsoft"
    before = path.stat()
    path.write_bytes(path.read_bytes().replace(b"Nouvel investissement", b"Second investissement", 1))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    assert data.events().set_index("id").at["2021-microsoft-round", "title_fr"] == "Second investissement de Microsoft"


def test_a_same_size_rewrite_that_leaves_a_recent_stamp_unchanged_is_seen(data_copy, monkeypatch):
    # A coarse clock can give a rewrite in the same tick the same size and times: a stamp whose last
    # change is recent (here: ahead of this machine's clock, as on a network drive) is not trusted.
    path = data_copy.folder / "events.csv"
    size, _, inode, _ = data._stamp(path)
    ahead = time.time_ns() + 3600 * 10**9
    stamp = data._stamp
    monkeypatch.setattr(data, "_stamp", lambda p: (size, ahead, inode, ahead) if p == path else stamp(p))
    assert data.events().set_index("id").at["2021-microsoft-round", "title_fr"] == "Nouvel investissement de Microsoft"
    path.write_bytes(path.read_bytes().replace(b"Nouvel investissement", b"Second investissement", 1))
    assert data.events().set_index("id").at["2021-microsoft-round", "title_fr"] == "Second investissement de Microsoft"


def test_a_settled_file_is_not_read_again_until_its_stamp_changes(data_copy, monkeypatch):
    path = data_copy.folder / "events.csv"
    stamp, read_bytes, reads = data._stamp, Path.read_bytes, []
    an_hour = 3600 * 10**9
    # Every change an hour old: settled.
    monkeypatch.setattr(data, "_stamp", lambda p: (lambda s: (s[0], s[1] - an_hour, s[2], s[3] - an_hour))(stamp(p)))
    monkeypatch.setattr(Path, "read_bytes", lambda p: reads.append(p) or read_bytes(p))
    data.events()
    reads.clear()
    data.events()
    assert path not in reads
    path.write_bytes(path.read_bytes().replace(b"Nouvel investissement", b"Second investissement", 1))
    assert data.events().set_index("id").at["2021-microsoft-round", "title_fr"] == "Second investissement de Microsoft"


def test_deleting_a_source_that_a_loaded_table_cites_is_named(data_copy):
    events = data.events()
    # A source that only events cite, so that events.csv is the one file the deletion breaks.
    elsewhere = set(data.sources()["copy_of"].dropna()).union(
        *data.people()["source_ids"], *data.organisations()["source_ids"])
    cited = next(i for ids in events["source_ids"] for i in ids if i not in elsewhere)
    first = next(index for index, ids in events["source_ids"].items() if cited in ids)
    header, rows = data_copy.rows("sources")
    _write(data_copy, "sources", _as_csv([header] + [[row[c] for c in header] for row in rows if row["id"] != cited]))
    assert _error("events") == (
        f"data/events.csv, row {first + 2} (id '{events.at[first, 'id']}'), column 'source_ids': expected an id "
        f"that exists in data/sources.csv; {cited!r} does not.")

# --- random edits: either exactly what the file means, or a DataError naming the file ---------

def meaning(text: str) -> list[list[str]] | None:
    """What a CSV text means under the rules the README states, read character by character,
    independently of lessons.data: RFC 4180 quoting, a byte order mark allowed only at the start,
    empty lines only at the end, every row as many fields as the header. None if it breaks a rule."""
    text = text.removeprefix("\ufeff")
    if "\ufeff" in text:
        return None
    records, record, field, state, position = [], [], [], "start", 0
    while position < len(text):
        char = "\r\n" if text.startswith("\r\n", position) else text[position]
        line_break = char in ("\r", "\n", "\r\n")
        if state == "quoted":
            if char == '"':
                state = "closing"
            else:
                field.append(char)
        elif state == "closing" and char == '"':
            field.append('"')
            state = "quoted"
        elif state == "start" and char == '"':
            state = "quoted"
        elif char == '"' or (state == "closing" and not (char == "," or line_break)):
            return None
        elif char == "," or line_break:
            record.append("".join(field))
            field, state = [], "start"
            if line_break:
                records.append(record)
                record = []
        else:
            field.append(char)
            state = "plain"
        position += len(char)
    if state == "quoted":
        return None
    if record or state != "start":
        record.append("".join(field))
        records.append(record)
    while len(records) > 1 and records[-1] == [""]:
        records.pop()
    if not records or any(len(record) != len(records[0]) for record in records):
        return None
    return records


def _as_csv(records: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(records)
    return buffer.getvalue()


def _load_text(folder: Path, table: str, text: str):
    """The loaded table, or the word DataError after checking that the message names the file."""
    (folder / f"{table}.csv").write_bytes(text.encode("utf-8"))
    try:
        return data.load(table)
    except data.DataError as error:
        assert str(error).startswith(f"data/{table}.csv"), str(error)
        return "DataError"


def _assert_same(got, expected) -> None:
    if isinstance(expected, str) or isinstance(got, str):
        assert got == expected
    else:
        pd.testing.assert_frame_equal(got, expected)


@functools.cache
def _field_edges(table: str) -> list[int]:
    """Positions at the start or end of a field, where a stray quote or comma does the most harm."""
    text = ORIGINALS[table]
    return [i for i in range(len(text) + 1) if i == 0 or text[i - 1] in ",\n" or text[i:i + 1] in (",", "\n")]


@st.composite
def edited_tables(draw):
    table = draw(st.sampled_from(TABLES))
    original = ORIGINALS[table]
    edit = draw(st.sampled_from(["insert", "delete", "swap columns"]))
    if edit == "insert":
        position = draw(st.sampled_from(_field_edges(table)) | st.integers(0, len(original)))
        inserted = draw(st.sampled_from(['"', ",", ";", "\n", "\r\n", "\ufeff"]))
        return table, edit, original[:position] + inserted + original[position:]
    if edit == "delete":
        position = draw(st.sampled_from([i for i, char in enumerate(original) if char in '",;\n']))
        return table, edit, original[:position] + original[position + 1:]
    records = meaning(original)  # a fresh list: the swap below edits it
    first, second = draw(st.lists(st.integers(0, len(records[0]) - 1), min_size=2, max_size=2, unique=True))
    for record in records:
        record[first], record[second] = record[second], record[first]
    return table, edit, _as_csv(records)


@settings(max_examples=60, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(edited_tables())
def test_a_random_edit_loads_what_the_file_means_or_names_the_file(data_copy, edit):
    table, kind, text = edit
    try:
        got = _load_text(data_copy.folder, table, text)
        intended = meaning(text)
        if intended is None:
            assert got == "DataError"
        else:
            _assert_same(got, _load_text(data_copy.folder, table, _as_csv(intended)))
        if kind == "swap columns":
            _assert_same(got, _load_text(data_copy.folder, table, ORIGINALS[table]))
    finally:
        (data_copy.folder / f"{table}.csv").write_bytes(ORIGINALS[table].encode("utf-8"))
