"""The sourced data behind the lessons.

One loader per table of ``data/``, in the spirit of ``plotly.express.data``: each returns a tidy,
typed :class:`pandas.DataFrame` read from the CSV files a teacher can edit. The tables and their
columns are described in ``data/datapackage.json`` (a Frictionless Data Package), which also drives
the validation: a mistake in a CSV raises one :class:`DataError` that names the file, the row, the
column and what was expected.

Loads are cached by the bytes of each file and of the files its ids point to, so a teacher who
corrects a row and re-runs a cell sees the correction. A file is read again when its size, times or
inode change, and on every load while its last change is too recent for its times to be trusted.
Every loader returns a copy: changing it does not change the cache.

The CSV files are read strictly (RFC 4180): a field that holds a comma, a double quote or a line break
is written between double quotes, with each double quote inside it doubled; every row has as many
fields as the header. A UTF-8 byte order mark at the start and empty lines at the end are ignored.

Types: dates are ``datetime64`` (the first day of the period that the matching ``*_precision``
column names), categories are ``category``, dollar amounts are nullable ``Int64``, shares are
``float64``, and cells that hold several ids are tuples of strings.

Set the environment variable ``LESSONS_DATA_DIR`` to read the tables from another folder.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import re
import time
from pathlib import Path

import pandas as pd

__all__ = [
    "DataError", "DATA_DIR", "table_names", "load", "reload",
    "sources", "events", "people", "organisations", "board_seats", "structure", "funding",
    "ownership", "bid", "bid_consortium", "quotes", "claims", "arguments", "glossary",
    "comparison", "quiz", "as_of",
    "board_on", "seat_periods", "structure_on", "ownership_on", "sources_for", "name_of", "period_end",
]

DATA_DIR = Path(os.environ.get("LESSONS_DATA_DIR") or Path(__file__).resolve().parent.parent / "data")
_FORMATS = {"day": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y"}
_PRECISION_PATTERNS = {"day": r"^\d{4}-\d{2}-\d{2}$", "month": r"^\d{4}-\d{2}$", "year": r"^\d{4}$"}
_INTEGER = re.compile(r"^-?\d+$")
_NUMBER = re.compile(r"^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$")


class DataError(ValueError):
    """A data file does not match ``data/datapackage.json``; the message says where and why."""


# --------------------------------------------------------------------------------------------
# Reading and validation, driven by the Data Package descriptor.
# --------------------------------------------------------------------------------------------

# A field of a CSV file (RFC 4180): either between double quotes, with "" for a quote inside, or
# without any quote; then what ends it: a comma, a line break or the end of the text.
_CSV_FIELD = re.compile(r'(?>"((?:[^"]|"")*+)"|([^",\r\n]*+))(,|\r\n|\n|\r|\Z)')
_QUOTED_FIELD = re.compile(r'"(?:[^"]|"")*+"')
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_READ_ATTEMPTS = 5
# A file last changed this long before it was read is "settled": a later save gets a later time, so
# an unchanged stamp means unchanged bytes. Far coarser than any file system's clock tick.
_SETTLED_NS = 2_000_000_000
_settled_reads: dict[Path, tuple[tuple[int, int, int, int], bytes]] = {}


def _stamp(path: Path) -> tuple[int, int, int, int]:
    # Size, modification and change times in nanoseconds, inode: a save changes at least one of them,
    # even a same-size rewrite that keeps the modification time, unless it falls within the clock tick
    # of the previous change (see _SETTLED_NS).
    try:
        info = path.stat()
    except FileNotFoundError:
        raise DataError(f"{_display(path)}: file not found.") from None
    return info.st_size, info.st_mtime_ns, info.st_ino, info.st_ctime_ns


def _read_bytes(path: Path) -> bytes:
    """The bytes of ``path``: read again while another program is saving it, so that a half-written
    file is never taken for the whole; not read at all when its stamp is that of a settled read."""
    settled = _settled_reads.get(path)
    if settled is not None and settled[0] == _stamp(path):
        return settled[1]
    _settled_reads.pop(path, None)
    for attempt in range(_READ_ATTEMPTS):
        read_at = time.time_ns()
        before = _stamp(path)
        content = path.read_bytes()
        after = _stamp(path)
        if before == after and len(content) == after[0]:
            if read_at - max(after[1], after[3]) > _SETTLED_NS:
                _settled_reads[path] = (after, content)
            return content
        time.sleep(0.01 * 2 ** attempt)  # give the program that is saving the file time to finish
    raise DataError(f"{_display(path)}: the file changed while it was being read, {_READ_ATTEMPTS} times in a "
                    "row; expected a file that no program is writing. Load it again once it is saved.")


def _display(path: Path) -> str:
    return f"data/{path.name}" if path.parent == DATA_DIR else str(path)


@functools.lru_cache(maxsize=4)
def _descriptor_from(content: bytes) -> dict:
    try:
        return json.loads(content)
    except json.JSONDecodeError as error:
        raise DataError(f"data/datapackage.json, line {error.lineno}: not valid JSON ({error.msg}).") from None


def _descriptor() -> dict:
    return _descriptor_from(_read_bytes(DATA_DIR / "datapackage.json"))


def _resource(name: str) -> dict:
    return _resource_in(_descriptor(), name)


def _resource_in(descriptor: dict, name: str) -> dict:
    for resource in descriptor["resources"]:
        if resource["name"] == name:
            return resource
    raise ValueError(f"table: expected one of {', '.join(table_names())}; got {name!r}.")


def table_names() -> list[str]:
    """Names of the tables described in ``data/datapackage.json``, in their documented order."""
    return [resource["name"] for resource in _descriptor()["resources"]]


def load(name: str) -> pd.DataFrame:
    """Load the table ``name`` (see :func:`table_names`): typed, validated, cached; a copy."""
    package = _read_bytes(DATA_DIR / "datapackage.json")
    descriptor = _descriptor_from(package)
    resource = _resource_in(descriptor, name)
    # The tables its ids point to are part of the key: deleting a row they cite is a new load.
    referenced = sorted({other for reference in resource["schema"].get("references", [])
                         for other in reference["resources"]} - {name})
    referenced_contents = tuple(_read_bytes(DATA_DIR / _resource_in(descriptor, other)["path"]) for other in referenced)
    return _load_from(name, _read_bytes(DATA_DIR / resource["path"]), package, referenced_contents).copy()


def reload() -> None:
    """Forget every cached table (loads re-read files that changed anyway)."""
    _load_from.cache_clear()
    _descriptor_from.cache_clear()
    _settled_reads.clear()


@functools.lru_cache(maxsize=64)
def _load_from(name: str, content: bytes, package: bytes, _referenced_contents: tuple[bytes, ...]) -> pd.DataFrame:
    # Keyed by the bytes of the table, of the descriptor and of the tables it refers to: any change
    # to one of them is a new load.
    resource = _resource_in(_descriptor_from(package), name)
    path = DATA_DIR / resource["path"]
    frame = _read_csv(path, content)
    schema = resource["schema"]
    _check_header(path, frame, schema["fields"])
    problems = _check_cells(path, frame, schema["fields"])
    if not problems:
        typed = _typed(frame, schema["fields"])
        problems = (_check_ranges(path, frame, typed, schema["fields"])
                    or _check_together(path, frame, schema)
                    or _check_choices(path, frame, typed, schema)
                    or _check_references(path, frame, schema.get("references", []))
                    or _check_intervals(path, frame, typed, schema)
                    or _check_share_totals(path, frame, typed, schema))
    if problems:
        more = f" ({len(problems) - 1} more problem{'s' if len(problems) > 2 else ''} in this file.)" if len(problems) > 1 else ""
        raise DataError(problems[0] + more)
    return typed


def _read_csv(path: Path, content: bytes) -> pd.DataFrame:
    """Every cell as text, once the file is known to be a well-formed table (see the module's notes)."""
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as error:
        line = content.count(b"\n", 0, error.start) + 1
        raise DataError(f"{_display(path)}, line {line}: expected UTF-8 text; got a byte that is not UTF-8 "
                        "(Excel's plain CSV format writes another encoding). Save the file as CSV UTF-8.") from None
    text = text.removeprefix("\ufeff")  # the byte order mark that Excel writes at the start of CSV UTF-8
    records, starts = _records(path, text)
    while len(records) > 1 and records[-1] == [""]:  # empty lines at the end of the file
        records.pop()
    if not records or records == [[""]]:
        raise DataError(f"{_display(path)}: the file is empty; expected a header row.")
    header = records[0]
    for index, record in enumerate(records[1:], start=1):
        if len(record) != len(header):
            where = _record_where(path, header, index + 1, record, _line(text, starts[index]))
            if record == [""]:
                raise DataError(f"{where}: an empty line; expected a row of {len(header)} fields, one per column "
                                "(delete the empty line).")
            raise DataError(f"{where}: {len(record)} field{'s' if len(record) > 1 else ''} where the header has "
                            f"{len(header)}; expected one field per column (a text with a comma or a line break "
                            "in it goes between double quotes).")
    if "\ufeff" in text:
        index, column = next((i, c) for i, record in enumerate(records)
                             for c, cell in enumerate(record) if "\ufeff" in cell)
        where = _record_where(path, header, index + 1, records[index], _line(text, starts[index]), column)
        raise DataError(f"{where}: expected text without a byte order mark (an invisible U+FEFF character, "
                        f"left where two files were pasted together); got {records[index][column]!r}.")
    return pd.DataFrame(records[1:], columns=header, dtype=str)


def _records(path: Path, text: str) -> tuple[list[list[str]], list[int]]:
    """The fields of each line of ``text`` (a line may span several lines of the file inside quotes),
    and where each starts; one DataError at the first field that is not well-formed CSV."""
    records, starts, record, position = [], [], [], 0
    while position < len(text) or record:
        match = _CSV_FIELD.match(text, position)
        if match is None:
            raise DataError(_quote_problem(path, text, position, records, record))
        if not record:
            starts.append(position)
        quoted, plain, end = match.groups()
        record.append(plain if quoted is None else quoted.replace('""', '"'))
        position = match.end()
        if end != ",":
            if not records and len(record) == 1 and ";" in record[0]:
                raise DataError(f"{_display(path)}: the fields are separated by semicolons (;), as Excel saves CSV "
                                "files with French regional settings; expected commas (,). Save the file as "
                                "comma-separated CSV UTF-8: in LibreOffice Calc, File > Save As, type Text CSV, "
                                "tick Edit filter settings and choose the field delimiter ','; in Excel, which "
                                "uses the list separator of the Windows region settings, set that separator to ',' "
                                "first, then save as CSV UTF-8.")
            records.append(record)
            record = []
    return records, starts


def _quote_problem(path: Path, text: str, position: int, records: list[list[str]], record: list[str]) -> str:
    line_end = _LINE_BREAK.search(text, position)
    start = text[position:line_end.start() if line_end else len(text)]
    shown = start if len(start) <= 40 else start[:40] + "…"
    header = records[0] if records else []
    where = _record_where(path, header, len(records) + 1, record, _line(text, position), len(record))
    expected = 'expected a field that starts with " to end with ", with each " inside it written ""'
    if text[position] != '"':
        return (f'{where}: unbalanced double quote in {shown!r}: a " inside a field that does not start with one; '
                f"{expected} (as a spreadsheet saves it).")
    closed = _QUOTED_FIELD.match(text, position)
    if closed is None:
        return (f'{where}: unbalanced double quote in {shown!r}: the field starts with " and no closing " comes '
                f"before the end of the file; {expected}.")
    return (f'{where}: unbalanced double quote in {shown!r}: the field starts with " but the next lone " '
            f"(line {_line(text, closed.end() - 1)} of the file) is followed by {text[closed.end()]!r}, not by a "
            f"comma or a line end; {expected}.")


def _line(text: str, position: int) -> int:
    return len(_LINE_BREAK.findall(text, 0, position)) + 1


def _record_where(path: Path, header: list[str], row: int, record: list[str], line: int,
                  column: int | None = None) -> str:
    # Rows are counted as a spreadsheet shows them (the header is row 1); the line of the file is
    # added where it differs, for a teacher who opens the file in a text editor.
    notes = ["header"] if row == 1 else []
    if row > 1 and header[:1] == ["id"] and record[:1] and record[0] and column != 0:
        notes.append(f"id {record[0]!r}")
    if line != row:
        notes.append(f"line {line} of the file")
    where = f"{_display(path)}, row {row}" + (f" ({', '.join(notes)})" if notes else "")
    if column is None:
        return where
    name = header[column] if row > 1 and column < len(header) else f"field {column + 1}"
    return f"{where}, column {name!r}" if row > 1 and column < len(header) else f"{where}, {name}"


def _where(path: Path, frame: pd.DataFrame, index: int, column: str) -> str:
    # Rows are counted as a spreadsheet shows them: the header is row 1.
    row_id = frame.at[index, "id"] if "id" in frame.columns else ""
    label = f" (id {row_id!r})" if row_id else ""
    return f"{_display(path)}, row {index + 2}{label}, column {column!r}"


def _check_header(path: Path, frame: pd.DataFrame, fields: list[dict]) -> None:
    expected = [field["name"] for field in fields]
    columns = list(frame.columns)
    repeated = [name for position, name in enumerate(columns) if name in columns[:position]]
    missing = [name for name in expected if name not in frame.columns]
    unknown = [name for name in frame.columns if name not in expected]
    if repeated:
        raise DataError(f"{_display(path)}, row 1 (header), column {repeated[0]!r}: the column appears twice; "
                        f"expected each of the columns {', '.join(expected)} once.")
    if missing:
        raise DataError(f"{_display(path)}, row 1 (header): missing column {missing[0]!r}; "
                        f"expected the columns {', '.join(expected)}.")
    if unknown:
        raise DataError(f"{_display(path)}, row 1 (header), column {unknown[0]!r}: unknown column; "
                        f"expected only the columns {', '.join(expected)}.")


def _is_list(field: dict) -> bool:
    return "separator" in field


def _check_cells(path: Path, frame: pd.DataFrame, fields: list[dict]) -> list[str]:
    """Presence, enumerations, patterns, number formats, unique keys and date precisions."""
    import pandera.pandas as pa  # imported here: only loading needs it, not `import lessons`

    precision_columns = {field["precisionField"] for field in fields if "precisionField" in field}
    columns = {}
    for field in fields:
        constraints = field.get("constraints", {})
        checks = []
        if constraints.get("required"):
            checks.append(pa.Check(lambda s: s != "", error="a value (this column cannot be empty)"))
        present = "" if constraints.get("required") else None

        def when_present(test, present=present):
            return (lambda s: test(s) | (s == "")) if present is None else test

        if "enum" in constraints:
            allowed = constraints["enum"]
            # A teacher may need a new category; a new date precision would need new code.
            new_value = ("" if field["name"] in precision_columns else
                         f", or a new value added first to the enum of {field['name']!r} in data/datapackage.json")
            checks.append(pa.Check(when_present(lambda s, allowed=allowed: s.isin(allowed)),
                                   error=f"one of: {', '.join(allowed)}{new_value}"))
        if field["type"] == "integer":
            checks.append(pa.Check(when_present(lambda s: s.str.fullmatch(_INTEGER.pattern)),
                                   error="a whole number without separators or decimals (e.g. 97400000000)"))
        if field["type"] == "number":
            checks.append(pa.Check(when_present(lambda s: s.str.fullmatch(_NUMBER.pattern)),
                                   error="a number written with a decimal point (e.g. 0.26)"))
        if field["type"] == "date":
            checks.append(pa.Check(when_present(lambda s: s.str.fullmatch(_PRECISION_PATTERNS["day"])),
                                   error="a date written YYYY-MM-DD"))
        if "pattern" in constraints:
            pattern = constraints["pattern"]
            expected = ("a date written YYYY-MM-DD, YYYY-MM or YYYY" if "precisionField" in field
                        else f"text matching {pattern}")
            checks.append(pa.Check(when_present(lambda s, p=pattern: s.str.fullmatch(p)), error=expected))
        # No dtype check (dtype None): _read_csv reads every cell as text, and with pandas' string dtype
        # pandera checks the type cell by cell, which was a third of a cold load.
        columns[field["name"]] = pa.Column(
            None, checks=checks, unique=bool(constraints.get("unique")), report_duplicates="exclude_first")
    try:
        pa.DataFrameSchema(columns).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        return _messages(path, frame, errors.failure_cases)
    return _check_precisions(path, frame, fields)


def _messages(path: Path, frame: pd.DataFrame, failures: pd.DataFrame) -> list[str]:
    failures = failures.dropna(subset=["index"]).sort_values("index", kind="stable")
    messages = []
    for failure in failures.itertuples():
        index, column, value = int(failure.index), failure.column, failure.failure_case
        if failure.check == "field_uniqueness":
            first = frame.index[frame[column] == value][0]
            expected = f"a value not used by another row; {value!r} is already used in row {first + 2}"
        else:
            expected = failure.check
        messages.append(f"{_where(path, frame, index, column)}: expected {expected}; got {value!r}.")
    return messages


def _check_precisions(path: Path, frame: pd.DataFrame, fields: list[dict]) -> list[str]:
    messages = []
    for field in fields:
        if "precisionField" not in field:
            continue
        name, precision_name = field["name"], field["precisionField"]
        for index, (value, precision) in enumerate(zip(frame[name], frame[precision_name])):
            if not value and not precision:
                continue
            if not value or not precision:
                missing, present = (name, precision_name) if not value else (precision_name, name)
                messages.append(f"{_where(path, frame, index, missing)}: expected a value, because "
                                f"{present!r} has one; got ''.")
            elif not re.fullmatch(_PRECISION_PATTERNS[precision], value):
                messages.append(f"{_where(path, frame, index, name)}: expected a date at {precision!r} precision "
                                f"({_FORMATS[precision].replace('%Y', 'YYYY').replace('%m', 'MM').replace('%d', 'DD')}), "
                                f"as {precision_name!r} says; got {value!r}.")
            else:
                try:
                    dt.datetime.strptime(value, _FORMATS[precision])
                except ValueError:
                    messages.append(f"{_where(path, frame, index, name)}: expected a real calendar date; got {value!r}.")
    return messages


def _typed(frame: pd.DataFrame, fields: list[dict]) -> pd.DataFrame:
    typed = {}
    for field in fields:
        name, column = field["name"], frame[field["name"]]
        empty = column == ""
        constraints = field.get("constraints", {})
        if _is_list(field):
            typed[name] = pd.Series([tuple(part.strip() for part in cell.split(field["separator"]) if part.strip())
                                     for cell in column], index=frame.index, dtype=object)
        elif "precisionField" in field or field["type"] == "date":
            typed[name] = pd.to_datetime(column.mask(empty).str.slice(0, 10).map(_pad_date), format="%Y-%m-%d")
        elif field["type"] == "integer":
            typed[name] = pd.to_numeric(column.mask(empty)).astype("Int64")
        elif field["type"] == "number":
            typed[name] = pd.to_numeric(column.mask(empty)).astype("float64")
        elif "enum" in constraints:
            ordered = constraints["enum"] == list(_FORMATS)
            typed[name] = pd.Categorical(column.mask(empty), categories=constraints["enum"], ordered=ordered)
        else:
            typed[name] = column.mask(empty).astype("string")
    return pd.DataFrame(typed, index=frame.index)


def _pad_date(value):
    if not isinstance(value, str):
        return value
    return {4: value + "-01-01", 7: value + "-01"}.get(len(value), value)


def _check_ranges(path, frame, typed, fields) -> list[str]:
    messages = []
    for field in fields:
        constraints = field.get("constraints", {})
        low, high = constraints.get("minimum"), constraints.get("maximum")
        if low is None and high is None:
            continue
        values = typed[field["name"]]
        bad = values.notna() & (((values < low) if low is not None else False) |
                                ((values > high) if high is not None else False))
        for index in bad[bad].index:
            if low is not None and high is not None:
                expected = f"a value between {low} and {high}"
            else:
                expected = f"a value of at least {low}" if low is not None else f"a value of at most {high}"
            messages.append(f"{_where(path, frame, index, field['name'])}: expected {expected}; "
                            f"got {frame.at[index, field['name']]!r}.")
    return sorted(messages, key=_row_number)


def _check_together(path, frame, schema) -> list[str]:
    """Columns that only mean something together (``requiredTogether``): both empty or both filled."""
    messages = []
    for first, second in schema.get("requiredTogether", []):
        for index, (a, b) in enumerate(zip(frame[first], frame[second])):
            if bool(a) != bool(b):
                missing, present = (first, second) if not a else (second, first)
                messages.append(f"{_where(path, frame, index, missing)}: expected a value, because "
                                f"{present!r} has one; got ''.")
    return sorted(messages, key=_row_number)


def _check_choices(path, frame, typed, schema) -> list[str]:
    """Multiple-choice rows (``choices``): options in every language, as many in each, an answer that
    is the number of one of them counted from 0, and no tolerance; other rows have no options."""
    rule = schema.get("choices")
    if not rule:
        return []
    separator, first_options = rule["separator"], rule["options"][0]
    options = pd.DataFrame({column: frame[column] for column in rule["options"]}).to_dict("records")
    messages = []
    for index, (kind, cells) in enumerate(zip(frame[rule["kind"]], options)):
        where = functools.partial(_where, path, frame, index)
        if kind != rule["when"]:
            messages += [f"{where(column)}: expected no options for a {kind!r} question; got {cell!r}."
                         for column, cell in cells.items() if cell]
            continue
        counts = {column: len([part for part in cell.split(separator) if part.strip()])
                  for column, cell in cells.items()}
        wrong = [column for column, count in counts.items() if count < 2]
        if wrong:
            messages.append(f"{where(wrong[0])}: expected at least two options separated by {separator!r} for a "
                            f"{kind!r} question; got {cells[wrong[0]]!r}.")
            continue
        unequal = [column for column in rule["options"] if counts[column] != counts[first_options]]
        if unequal:
            messages.append(f"{where(unequal[0])}: expected as many options as {first_options!r} "
                            f"({counts[first_options]}), separated by {separator!r}; got {counts[unequal[0]]}.")
        answer, last = typed.at[index, rule["answer"]], counts[first_options] - 1
        if not (answer == int(answer) and 0 <= answer <= last):
            messages.append(f"{where(rule['answer'])}: expected the number of one of the {last + 1} options of "
                            f"{first_options!r}, counted from 0 (0 to {last}); got {frame.at[index, rule['answer']]!r}.")
        if frame.at[index, rule["tolerance"]]:
            messages.append(f"{where(rule['tolerance'])}: expected no tolerance for a {kind!r} question; "
                            f"got {frame.at[index, rule['tolerance']]!r}.")
    return messages


def _row_number(message: str) -> int:
    match = re.search(r", row (\d+)", message)
    return int(match.group(1)) if match else 0


def _known_ids(resource: str, current: str, frame: pd.DataFrame) -> set[str]:
    if resource == current:
        return set(frame["id"])
    return set(load(resource)["id"])


def _check_references(path, frame, references) -> list[str]:
    messages = []
    current = path.stem
    for reference in references:
        column = reference["field"]
        known = set()
        for resource in reference["resources"]:
            known |= _known_ids(resource, current, frame)
        targets = " or ".join(f"data/{r}.csv" for r in reference["resources"])
        for index, cell in enumerate(frame[column]):
            values = [part.strip() for part in cell.split(";")] if reference["many"] else [cell]
            for value in values:
                if value and value not in known:
                    messages.append(f"{_where(path, frame, index, column)}: expected an id that exists in "
                                    f"{targets}; {value!r} does not.")
                    break
    return sorted(messages, key=_row_number)


def period_end(dates: pd.Series, precisions: pd.Series) -> pd.Series:
    """Last day of the period each partial date names (the day itself, its month, or its year)."""
    precisions = precisions.astype("string")
    month_end = dates + pd.offsets.MonthEnd(0)
    year_end = dates + pd.offsets.YearEnd(0)
    return dates.where(precisions == "day", month_end.where(precisions == "month", year_end))


def _check_intervals(path, frame, typed, schema) -> list[str]:
    messages = []
    fields = {field["name"]: field for field in schema["fields"]}
    for start, end in schema.get("intervals", []):
        end_precision = typed[fields[end]["precisionField"]]
        # Compare whole periods: an end in "2024-07" may follow a start on 2024-07-15.
        bad = typed[end].notna() & (period_end(typed[end], end_precision) < typed[start])
        for index in bad[bad].index:
            messages.append(f"{_where(path, frame, index, end)}: expected a date on or after {start!r} "
                            f"({frame.at[index, start]}); got {frame.at[index, end]!r}.")
    return messages


def _check_share_totals(path, frame, typed, schema) -> list[str]:
    rule = schema.get("shareTotals")
    if not rule:
        return []
    rows = typed
    for column, value in rule.get("where", {}).items():
        rows = rows[rows[column] == value]
    messages = []
    for date in sorted(rows[rule["from"]].dropna().unique()):
        in_force = _in_force_rows(rows, rule, pd.Timestamp(date))
        keys = [rule["entity"], *rule.get("group", [])]
        for key, group in in_force.groupby(keys, observed=True):
            total = group[rule["share"]].sum()
            if total > 1 + 1e-9:
                entity = key[0] if isinstance(key, tuple) else key
                numbers = ", ".join(str(i + 2) for i in group.index)
                messages.append(f"{_display(path)}, rows {numbers}, column {rule['share']!r}: expected the "
                                f"shares of {entity!r} in force on {pd.Timestamp(date).date()} to add up to at "
                                f"most 1; they add up to {total:.4g}.")
    return list(dict.fromkeys(messages))


def _in_force_rows(rows: pd.DataFrame, rule: dict, date: pd.Timestamp) -> pd.DataFrame:
    started = rows[rows[rule["from"]] <= date]
    if "to" in rule:
        ends = started[rule["to"]]
        return started[ends.isna() | (ends >= date)]
    # Snapshot tables: a row holds until its `replaced` day, or until a later row for the same holder
    # and entity replaces it.
    keys = [rule["holder"], rule["entity"], *rule.get("group", [])]
    latest = started.sort_values(rule["from"]).groupby(keys, observed=True).tail(1)
    if "replaced" in rule:
        latest = latest[latest[rule["replaced"]].isna() | (latest[rule["replaced"]] > date)]
    return latest


# --------------------------------------------------------------------------------------------
# Public loaders: one per table. Their column lists come from data/datapackage.json.
# --------------------------------------------------------------------------------------------

def _columns_doc(name: str) -> str:
    lines = []
    for field in _resource(name)["schema"]["fields"]:
        kind = ("tuple[str]" if _is_list(field) else "datetime64" if ("precisionField" in field or field["type"] == "date")
                else "Int64" if field["type"] == "integer" else "float64" if field["type"] == "number"
                else "category" if "enum" in field.get("constraints", {}) else "string")
        lines.append(f"    ``{field['name']}`` ({kind}): {field['description']}")
    return "\n".join(lines)


def _loader(name: str):
    def decorate(function):
        function.__doc__ = function.__doc__.replace("{columns}", _columns_doc(name).strip())
        return function
    return decorate


@_loader("sources")
def sources() -> pd.DataFrame:
    """Every source the facts rest on, one row per document read.

    Columns
    -------
    {columns}

    Data: ``data/sources.csv``, described in ``data/datapackage.json``.

    Examples
    --------
    >>> sources().query("kind == 'primary document'")[["publisher", "title"]]
    """
    return load("sources")


@_loader("events")
def events() -> pd.DataFrame:
    """Dated events in OpenAI's governance history and its context.

    Columns
    -------
    {columns}

    Data: ``data/events.csv``, described in ``data/datapackage.json``.

    Examples
    --------
    >>> events().query("category == 'bid'")[["date", "title_en"]]
    """
    return load("events")


@_loader("people")
def people() -> pd.DataFrame:
    """People who play a part in the lessons.

    Columns
    -------
    {columns}

    Examples
    --------
    >>> people().set_index("id").loc["bret-taylor", "name"]
    'Bret Taylor'
    """
    return load("people")


@_loader("organisations")
def organisations() -> pd.DataFrame:
    """Companies, nonprofits, investors, courts and governments in the lessons.

    Columns
    -------
    {columns}

    Examples
    --------
    >>> organisations().query("kind == 'nonprofit'")["name"]
    """
    return load("organisations")


@_loader("board_seats")
def board_seats() -> pd.DataFrame:
    """Seats on the boards of OpenAI's nonprofit and of OpenAI Group PBC, with start and end at their
    known precision.

    A seat counts on its start day and on its end day. Dates are known to a day, a month or a year;
    some only as a range ("2018 or 2019", "between October and November 2021"). ``start`` is the
    earliest possible start and ``start_latest`` (when given) the latest; ``end`` is the latest
    possible end and ``end_earliest`` (when given) the earliest. So membership is *certain* from the
    last day of the latest possible start to the first day of the earliest possible end, and only
    *possible* in the stretches before and after (see :func:`seat_periods`). A range out of order
    (``start_latest`` before ``start``, ``end`` before ``end_earliest``...) raises a
    :class:`DataError` naming the file, the row and the column. See :func:`board_on` for the board on
    a given day.

    Columns
    -------
    {columns}

    Examples
    --------
    >>> board_seats().query("role == 'chair'")[["holder_id", "start", "end"]]
    """
    return load("board_seats")


@_loader("structure")
def structure() -> pd.DataFrame:
    """Control and ownership edges between OpenAI's entities and its investors, by era.

    See :func:`structure_on` for the edges in force on a given day.

    Columns
    -------
    {columns}

    Examples
    --------
    >>> structure().query("relation == 'controls'")[["from_id", "to_id", "valid_from"]]
    """
    return load("structure")


@_loader("funding")
def funding() -> pd.DataFrame:
    """Investments, funding rounds, share sales and valuations of OpenAI's for-profit.

    Columns
    -------
    {columns}

    Examples
    --------
    >>> funding().dropna(subset=["valuation_usd"])[["date", "deal_en", "valuation_usd"]]
    """
    return load("funding")


@_loader("ownership")
def ownership() -> pd.DataFrame:
    """Who holds what share of which entity, from a date on (see :func:`ownership_on`).

    Columns
    -------
    {columns}

    Examples
    --------
    >>> ownership().query("entity_id == 'openai-group-pbc'")[["holder_id", "share", "value_usd"]]
    """
    return load("ownership")


@_loader("bid")
def bid() -> pd.DataFrame:
    """Each step of the February 2025 bid for OpenAI's nonprofit and the responses to it.

    Columns
    -------
    {columns}

    Examples
    --------
    >>> bid().query("step == 'offer'")["amount_usd"].iloc[0]
    97400000000
    """
    return load("bid")


@_loader("bid_consortium")
def bid_consortium() -> pd.DataFrame:
    """The members of the consortium behind the February 2025 bid.

    Columns
    -------
    {columns}

    Examples
    --------
    >>> bid_consortium()[["legal_name", "fund_name"]]
    """
    return load("bid_consortium")


@_loader("quotes")
def quotes() -> pd.DataFrame:
    """Short verbatim quotes in their original language, with speaker, date, context and source.

    Columns
    -------
    {columns}

    Examples
    --------
    >>> quotes().query("speaker_id == 'bret-taylor'")[["date", "text"]]
    """
    return load("quotes")


@_loader("claims")
def claims() -> pd.DataFrame:
    """The factual claims of the February 2025 French article, each with a verdict and evidence.

    Columns
    -------
    {columns}

    Examples
    --------
    >>> claims()["verdict"].value_counts()
    """
    return load("claims")


@_loader("arguments")
def arguments() -> pd.DataFrame:
    """Arguments of the for-profit versus nonprofit debate, with who made them.

    Columns
    -------
    {columns}

    Examples
    --------
    >>> arguments().groupby("side", observed=True).size()
    """
    return load("arguments")


@_loader("glossary")
def glossary() -> pd.DataFrame:
    """Terms the lessons use, defined in English and French.

    Columns
    -------
    {columns}

    Examples
    --------
    >>> glossary()[["term_en", "definition_en"]]
    """
    return load("glossary")


@_loader("comparison")
def comparison() -> pd.DataFrame:
    """OpenAI (2015, 2019, 2025), Anthropic, Mozilla and xAI compared on control and purpose.

    Columns
    -------
    {columns}

    Examples
    --------
    >>> comparison().pivot(index="organisation_label_en", columns="feature", values="value_en")
    """
    return load("comparison")


@_loader("quiz")
def quiz() -> pd.DataFrame:
    """Self-check questions for the lessons, one row per question.

    Columns
    -------
    {columns}

    Examples
    --------
    >>> quiz().query("lesson == '04'")["question_en"]
    """
    return load("quiz")


# --------------------------------------------------------------------------------------------
# Date-scoped helpers.
# --------------------------------------------------------------------------------------------

def _as_date(value, parameter: str = "date") -> pd.Timestamp:
    if isinstance(value, (pd.Timestamp, dt.date)):
        return pd.Timestamp(value).normalize()
    if isinstance(value, str):
        text = value.strip()
        for precision, pattern in _PRECISION_PATTERNS.items():
            if re.fullmatch(pattern, text):
                try:
                    return pd.Timestamp(dt.datetime.strptime(text, _FORMATS[precision]))
                except ValueError:
                    break
        raise ValueError(f"{parameter}: expected a date written YYYY-MM-DD (e.g. '2023-11-17'); got {value!r}.")
    raise TypeError(f"{parameter}: expected a date such as '2023-11-17'; got {type(value).__name__} {value!r}.")


def _in_force(frame: pd.DataFrame, start: str, end: str, on: pd.Timestamp) -> pd.Series:
    end_precision = "end_precision" if end == "end" else f"{end}_precision"
    last_day = period_end(frame[end], frame[end_precision])
    return (frame[start] <= on) & (last_day.isna() | (last_day >= on))


def name_of(ids) -> str | list[str]:
    """Display name of a person or organisation id (or of each id in a list)."""
    names = dict(zip(people()["id"], people()["name"])) | dict(zip(organisations()["id"], organisations()["name"]))
    if isinstance(ids, str):
        return names.get(ids, ids)
    return [names.get(i, i) for i in ids]


def seat_periods(seats: pd.DataFrame) -> pd.DataFrame:
    """When each seat was possibly and certainly held: rows of :func:`board_seats` in, four days out.

    Columns (``datetime64``, same index as ``seats``): ``possible_from`` (first day of ``start``),
    ``certain_from`` (last day of ``start_latest``, or of ``start`` when there is no range),
    ``certain_to`` (first day of ``end_earliest``, or of ``end``) and ``possible_to`` (last day of
    ``end``). The ends are empty while a seat is held. When ``certain_from`` falls after
    ``certain_to`` the seat is never certain: the sources only allow it on each day of its span.
    """
    latest = seats["start_latest"].fillna(seats["start"])
    latest_precision = seats["start_latest_precision"].astype("string").fillna(seats["start_precision"].astype("string"))
    return pd.DataFrame({
        "possible_from": seats["start"],
        "certain_from": period_end(latest, latest_precision),
        "certain_to": seats["end_earliest"].fillna(seats["end"]),
        "possible_to": period_end(seats["end"], seats["end_precision"]),
    }, index=seats.index)


def board_on(date, organisation: str | None = None) -> pd.DataFrame:
    """The whole board on ``date``: one row per seat that the sources allow on that day.

    Parameters
    ----------
    date : str or date
        A day, e.g. ``"2023-11-17"``.
    organisation : str, optional
        Whose board (``"openai-inc"``, ``"openai-foundation"`` or ``"openai-group-pbc"``); by default
        every board in ``board_seats``.

    Returns
    -------
    DataFrame
        The rows of :func:`board_seats` possibly in force that day, plus ``name`` and ``certain``
        (``True`` when the seat was surely held that day; ``False`` when its start or end is known
        only to a month, a year or a range that includes the day), sorted by role and name.

    Examples
    --------
    >>> board = board_on("2019-07-31", organisation="openai-inc")
    >>> board.query("role == 'director' and certain")["name"].tolist()
    """
    on = _as_date(date)
    seats = board_seats()
    if organisation is not None:
        known = sorted(seats["organisation_id"].astype(str).unique())
        if organisation not in known:
            raise ValueError(f"organisation: expected one of {', '.join(known)}; got {organisation!r}.")
        seats = seats[seats["organisation_id"] == organisation]
    periods = seat_periods(seats)
    possible = (periods["possible_from"] <= on) & (periods["possible_to"].isna() | (periods["possible_to"] >= on))
    certain = (periods["certain_from"] <= on) & (periods["certain_to"].isna() | (periods["certain_to"] >= on))
    seats = seats[possible].copy()
    seats.insert(2, "name", name_of(seats["holder_id"].tolist()))
    seats["certain"] = certain[possible].astype(bool)
    return seats.sort_values(["role", "name"]).reset_index(drop=True)


def structure_on(date) -> pd.DataFrame:
    """The control and ownership edges in force on ``date`` (rows of :func:`structure`)."""
    on = _as_date(date)
    edges = structure()
    return edges[_in_force(edges, "valid_from", "valid_to", on)].reset_index(drop=True)


def ownership_on(date, entity: str | None = None) -> pd.DataFrame:
    """Who owned what on ``date``: for each holder, entity and basis, the latest row dated no later,
    unless it was replaced by that day.

    Parameters
    ----------
    date : str or date
        A day, e.g. ``"2025-10-28"``.
    entity : str, optional
        Only this entity (an id of :func:`organisations`).
    """
    on = _as_date(date)
    stakes = ownership()
    if entity is not None:
        stakes = stakes[stakes["entity_id"] == entity]
    rule = _resource("ownership")["schema"]["shareTotals"]
    current = _in_force_rows(stakes, rule, on).copy()
    current.insert(2, "holder", name_of(current["holder_id"].tolist()))
    return current.sort_values(["entity_id", "share"], ascending=[True, False]).reset_index(drop=True)


def sources_for(row_or_ids) -> pd.DataFrame:
    """The rows of :func:`sources` behind a row (a Series with ``source_ids``) or a list of ids."""
    ids = row_or_ids["source_ids"] if isinstance(row_or_ids, pd.Series) else row_or_ids
    if isinstance(ids, str):
        ids = [ids]
    table = sources().set_index("id")
    unknown = [i for i in ids if i not in table.index]
    if unknown:
        raise ValueError(f"source ids: expected ids of data/sources.csv; {unknown[0]!r} is not one.")
    return table.loc[list(ids)].reset_index()


def as_of() -> pd.Timestamp:
    """The day the data were last checked against their sources: the latest ``accessed`` date in
    :func:`sources`.

    Lessons state the newest facts "as of" this day rather than a date written into their text, so
    the date moves when a source is added or read again.

    Examples
    --------
    >>> as_of()
    """
    return sources()["accessed"].max()
