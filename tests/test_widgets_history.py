"""The history widgets (timeline, structure, board, ownership) and their charts.

Run against the real data in data/ (expectations are read from lessons.data, so a row a teacher adds
keeps these tests true). If the real tables do not load (another table still being written), the
tests fall back to the small fixture of tests/fixtures/history/ (regenerated against the current
datapackage.json) and say so with a warning. Injection tests poison a copy of the data in tmp_path.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import importlib.util
import json
import re
import shutil
import warnings
from pathlib import Path

import hypothesis.strategies as st
import pandas as pd
import plotly.graph_objects as go
import pytest
import traitlets
from hypothesis import HealthCheck, given, settings

import lessons.data
import ipywidgets
from conftest import html_values, walk
from lessons.charts import PALETTE
from lessons.charts._style import contrast_on_white, outline
from lessons.charts import history as charts
from lessons.i18n import date_text, money, percent, set_language
from lessons.widgets.history import BoardTimeline, OwnershipExplorer, StructureExplorer, TimelineExplorer

ROOT = Path(__file__).resolve().parent.parent
REAL_DATA = ROOT / "data"
FIXTURE_SCRIPT = Path(__file__).resolve().parent / "fixtures" / "history" / "make_fixture.py"
TABLES = ("sources", "people", "organisations", "events", "board_seats", "structure", "ownership")

SCRIPT, IMAGE = "<script>alert(1)</script>", "<img src=x onerror=alert(1)>"
POISON = f"Poisoned {SCRIPT} and {IMAGE}"
ESCAPED_SCRIPT, ESCAPED_IMAGE = html.escape(SCRIPT), html.escape(IMAGE)
FAST = settings(max_examples=25, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


# --------------------------------------------------------------------------------------------
# Fixtures: which data, the language, a poisoned copy.
# --------------------------------------------------------------------------------------------

def _problem_loading(path: Path) -> str | None:
    saved = lessons.data.DATA_DIR
    try:
        lessons.data.DATA_DIR = path
        lessons.data.reload()
        for table in TABLES:
            lessons.data.load(table)
        return None
    except Exception as error:  # noqa: BLE001 - any failure means: use the fixture
        return str(error)
    finally:
        lessons.data.DATA_DIR = saved
        lessons.data.reload()


def _write_fixture(target: Path) -> Path:
    spec = importlib.util.spec_from_file_location("history_fixture", FIXTURE_SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.write_fixture(target, REAL_DATA)


@pytest.fixture(scope="session")
def fixture_data(tmp_path_factory) -> Path:
    return _write_fixture(tmp_path_factory.mktemp("history-fixture"))


@pytest.fixture(scope="session")
def history_data(tmp_path_factory, fixture_data) -> Path:
    problem = _problem_loading(REAL_DATA)
    if problem is None:
        return REAL_DATA
    warnings.warn(f"data/ does not load yet ({problem}); the history tests use tests/fixtures/history instead.")
    return fixture_data


def _use(monkeypatch, path: Path) -> None:
    monkeypatch.setattr(lessons.data, "DATA_DIR", Path(path))
    lessons.data.reload()


@pytest.fixture(autouse=True)
def data_dir(history_data, monkeypatch):
    _use(monkeypatch, history_data)
    yield history_data
    lessons.data.reload()


@pytest.fixture(autouse=True)
def english():
    set_language("en")
    yield
    set_language("en")


@pytest.fixture
def fixture_only(fixture_data, monkeypatch):
    """The small fixture, whatever the state of data/: exact numbers can be asserted."""
    _use(monkeypatch, fixture_data)
    return fixture_data


def _rewrite(path: Path, change) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header, rows = reader.fieldnames, list(reader)
    change(rows)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture
def poisoned(history_data, tmp_path, monkeypatch) -> Path:
    """A copy of the data with HTML in the texts the widgets render."""
    for file in history_data.iterdir():
        if file.suffix in (".csv", ".json"):
            shutil.copy(file, tmp_path / file.name)
    first_event = lessons.data.events().sort_values(["date", "id"], kind="stable").iloc[0]
    first_source = first_event["source_ids"][0]

    def events(rows):
        for row in rows:
            if row["id"] == first_event["id"]:
                for key in ("title_en", "title_fr", "summary_en", "summary_fr"):
                    row[key] = POISON

    def sources(rows):
        for row in rows:
            if row["id"] == first_source:
                row["publisher"], row["title"] = POISON, POISON

    def people(rows):
        for row in rows:
            if row["id"] == "helen-toner":
                row["name"] = POISON

    def organisations(rows):
        for row in rows:
            if row["id"] in ("openai-inc", "microsoft", "openai-foundation"):
                row["name"] = POISON

    def structure(rows):
        for row in rows:
            row["label_en"] = POISON

    for name, change in (("events", events), ("sources", sources), ("people", people),
                         ("organisations", organisations), ("structure", structure)):
        _rewrite(tmp_path / f"{name}.csv", change)
    _use(monkeypatch, tmp_path)
    return tmp_path


# --------------------------------------------------------------------------------------------
# Helpers.
# --------------------------------------------------------------------------------------------

def assert_escaped(widget) -> None:
    values = html_values(widget)
    for value in values:
        assert SCRIPT not in value and IMAGE not in value, value
    joined = "\n".join(values)
    assert ESCAPED_SCRIPT in joined and ESCAPED_IMAGE in joined
    figure_json = json.dumps(widget.panel.figure.to_plotly_json(), default=str)
    assert SCRIPT not in figure_json and IMAGE not in figure_json


def text_of(value: str) -> str:
    """The text a reader sees in an HTML value: tags removed, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", value))


def shown_ids(figure) -> list[str]:
    return [i for trace in figure.data for i in (trace.customdata or ())]


def assert_valid(figure) -> None:
    """The figure passes plotly's own validation (the charts skip it for speed)."""
    go.Figure(figure.to_plotly_json())


EARLIEST = "1990-01-01"  # a start before every event: the whole timeline


def all_events() -> pd.DataFrame:
    return charts.prepare_events(lessons.data.events())


def latest_data_date() -> pd.Timestamp:
    dates = []
    for table, pairs in (("events", [("date", "date_precision")]),
                         ("structure", [("valid_from", "valid_from_precision"), ("valid_to", "valid_to_precision")]),
                         ("board_seats", [("start", "start_precision"), ("end", "end_precision")]),
                         ("ownership", [("as_of", "as_of_precision")])):
        frame = lessons.data.load(table)
        for column, precision in pairs:
            dates.append(lessons.data.period_end(frame[column], frame[precision]).max())
    return max(d for d in dates if not pd.isna(d))


def names_in(members_html: str) -> list[str]:
    return [text_of(part.split("</strong>")[0]) for part in members_html.split("<strong>")[1:]]


def random_day(rng, first="2015-06-01", last="2026-09-30") -> dt.date:
    first, last = pd.Timestamp(first), pd.Timestamp(last)
    return (first + pd.Timedelta(days=rng.randrange((last - first).days))).date()


# --------------------------------------------------------------------------------------------
# 1. TimelineExplorer.
# --------------------------------------------------------------------------------------------

def test_timeline_opens_on_2015_to_today_and_earlier_context_is_one_click_away():
    events = all_events()
    explorer = TimelineExplorer()
    from_2015 = events[events["period_end"] >= "2015-01-01"]
    assert explorer.start.value == dt.date(2015, 1, 1)
    assert sorted(shown_ids(explorer.panel.figure)) == sorted(from_2015["id"])
    assert explorer.earlier.description == f"Show the context from {events['date'].min().year}"
    explorer.earlier.click()
    assert explorer.start.value == events["date"].min().date()
    assert sorted(shown_ids(explorer.panel.figure)) == sorted(events["id"])


def test_timeline_categories_and_statuses_are_checkboxes_not_ctrl_click_lists():
    explorer = TimelineExplorer()
    boxes = [w for w in walk(explorer.categories) if isinstance(w, ipywidgets.Checkbox)]
    assert [box.description for box in boxes] == [charts.category_label(c) for c in explorer.categories._options_values]
    assert all(box.value for box in boxes)
    boxes[0].value = False  # one click unticks one category and keeps the others
    assert explorer.categories.value == explorer.categories._options_values[1:]
    assert not [w for w in walk(explorer) if isinstance(w, ipywidgets.SelectMultiple)]


def test_timeline_shows_every_event_from_the_earliest():
    events = all_events()
    explorer = TimelineExplorer(start=str(events["date"].min().date()))
    figure = explorer.panel.figure
    assert sorted(shown_ids(figure)) == sorted(events["id"])
    assert len(figure.data) == events["category"].nunique()
    assert text_of(explorer.count.value) == f"{len(events)} events shown"
    assert explorer.message.text == ""
    assert len(explorer.panel.table) == len(events)


def test_timeline_draws_one_lane_per_category_with_palette_colours():
    events = all_events()
    figure = TimelineExplorer(start=EARLIEST).panel.figure
    for index, trace in enumerate(figure.data):
        category = charts.categories_in(events)[index]
        assert trace.name == charts.category_label(category)
        assert set(trace.y) == {charts.category_label(category)}
        colour = PALETTE[index % len(PALETTE)]
        assert trace.marker.line.color == outline(colour)
        assert [c for c, symbol in zip(trace.marker.color, trace.marker.symbol)
                if not symbol.endswith("-open")] == [colour] * sum(not s.endswith("-open") for s in trace.marker.symbol)
        assert contrast_on_white(trace.marker.line.color) >= 3.0
        assert len(trace.x) == int((events["category"].astype(str) == category).sum())
    assert_valid(figure)


def test_timeline_hover_shows_title_and_date_at_its_precision():
    events = all_events().set_index("id")
    figure = TimelineExplorer().panel.figure
    for trace in figure.data:
        for event_id, hover in zip(trace.customdata, trace.hovertext):
            row = events.loc[event_id]
            assert html.escape(str(row["title_en"]), quote=False) in hover
            assert date_text(row["date"], row["date_precision"]) in hover


def test_timeline_constructor_dates_prefilter_by_overlapping_period():
    events = all_events()
    explorer = TimelineExplorer(start="2015-01-01", end="2018-12-31")
    expected = events[(events["period_end"] >= "2015-01-01") & (events["date"] <= "2018-12-31")]
    assert sorted(shown_ids(explorer.panel.figure)) == sorted(expected["id"])
    assert explorer.start.value == dt.date(2015, 1, 1) and explorer.end.value == dt.date(2018, 12, 31)


def test_timeline_constructor_categories_prefilter():
    events = all_events()
    explorer = TimelineExplorer(categories=["board"])
    assert explorer.categories.value == ("board",)
    assert sorted(shown_ids(explorer.panel.figure)) == sorted(events.loc[events["category"] == "board", "id"])
    assert len(explorer.panel.figure.data) == 1


def test_timeline_category_control_filters_lanes():
    events = all_events()
    explorer = TimelineExplorer(start=EARLIEST)
    explorer.categories.value = ("board", "bid")
    expected = events[events["category"].isin(["board", "bid"])]
    assert sorted(shown_ids(explorer.panel.figure)) == sorted(expected["id"])
    assert {t.name for t in explorer.panel.figure.data} == {charts.category_label(c)
                                                            for c in expected["category"].astype(str).unique()}


def test_timeline_status_control_filters_events():
    events = all_events()
    explorer = TimelineExplorer(start=EARLIEST)
    explorer.statuses.value = ("reported", "disputed")
    expected = events[events["status"].isin(["reported", "disputed"])]
    assert sorted(shown_ids(explorer.panel.figure)) == sorted(expected["id"])
    assert text_of(explorer.count.value).startswith(f"{len(expected)} event")


def test_timeline_search_is_case_insensitive_over_title_and_summary():
    events = all_events()
    explorer = TimelineExplorer(start=EARLIEST)
    explorer.search.value = "MUSK"
    upper = shown_ids(explorer.panel.figure)
    explorer.search.value = "musk"
    assert shown_ids(explorer.panel.figure) == upper
    text = (events["title_en"] + " " + events["summary_en"]).str.lower()
    assert sorted(upper) == sorted(events.loc[text.str.contains("musk", regex=False), "id"])
    assert upper


def test_timeline_search_treats_pattern_characters_as_text():
    explorer = TimelineExplorer()
    explorer.search.value = "(.*"
    assert explorer.message.text == "" or "No event matches" in explorer.message.text


def test_timeline_start_after_end_warns_without_traceback():
    explorer = TimelineExplorer()
    explorer.start.value = dt.date(2020, 1, 1)
    explorer.end.value = dt.date(2019, 1, 1)
    assert explorer.message.text == ("The start date (1 January 2020) is after the end date (1 January 2019): "
                                     "choose a start date before the end date.")
    assert "lessons-warning" in explorer.message.value
    assert len(explorer.panel.figure.data) == 0
    assert text_of(explorer.count.value) == "0 events shown"
    assert explorer.event.options == () and explorer.detail.value == ""


def test_timeline_no_match_shows_message_and_empty_chart():
    explorer = TimelineExplorer()
    explorer.search.value = "no event has this text qwxz"
    assert explorer.message.text.startswith("No event matches these filters")
    assert len(explorer.panel.figure.data) == 0
    assert explorer.panel.summary_text == "No event to show."


def test_timeline_event_dropdown_lists_the_matching_events_and_detail_shows_the_first():
    explorer = TimelineExplorer(categories=["board"])
    ids = [value for _label, value in explorer.event.options]
    figure_ids = shown_ids(explorer.panel.figure)
    assert sorted(ids) == sorted(figure_ids)
    first = all_events().set_index("id").loc[ids[0]]
    assert explorer.event.value == ids[0]
    assert html.escape(str(first["title_en"])) in explorer.detail.value


def test_timeline_detail_shows_date_status_summary_and_source_links():
    events = all_events().set_index("id")
    explorer = TimelineExplorer(start=EARLIEST)
    for event_id in [value for _label, value in explorer.event.options][:15]:
        explorer.event.value = event_id
        row = events.loc[event_id]
        detail = explorer.detail.value
        assert html.escape(date_text(row["date"], row["date_precision"])) in detail
        assert f"Status: {row['status']}" in detail
        assert html.escape(str(row["summary_en"])) in detail
        for source in lessons.data.sources_for(list(row["source_ids"])).itertuples():
            assert html.escape(str(source.publisher)) in detail
            if isinstance(source.url, str):
                assert f'href="{html.escape(source.url)}"' in detail
                assert 'target="_blank"' in detail


def test_timeline_keeps_the_selected_event_when_it_still_matches():
    explorer = TimelineExplorer(start=EARLIEST)
    board_event = next(v for label, v in explorer.event.options
                       if all_events().set_index("id").loc[v, "category"] == "board")
    explorer.event.value = board_event
    explorer.categories.value = ("board",)
    assert explorer.event.value == board_event


def test_timeline_bad_constructor_values_show_messages_not_tracebacks():
    explorer = TimelineExplorer(start="not a date", categories=["board", "nope"])
    assert "Could not read “not a date” as a date" in explorer.message.text
    assert "Unknown category “nope”" in explorer.message.text
    assert explorer.categories.value == ("board",)


def test_timeline_table_lists_the_events_drawn():
    explorer = TimelineExplorer(categories=["bid"])
    table = explorer.panel.table
    assert list(table.columns) == ["Date", "Title", "Category", "Status"]
    assert set(table["Category"]) == {"Bid"}
    assert len(table) == len(shown_ids(explorer.panel.figure))


def test_timeline_exact_numbers_on_the_fixture(fixture_only):
    explorer = TimelineExplorer(start="2019", end="2023-11")
    assert shown_ids(explorer.panel.figure) == ["2019-03-11-lp", "2019-07-22-microsoft", "2023-01-10-profit-share",
                                                "2023-11-17-altman-fired", "2023-11-29-observer"]
    assert text_of(explorer.count.value) == "5 events shown"
    assert explorer.panel.summary_text.startswith("5 events shown. First: 11 March 2019; last: 29 November 2023.")
    month_event = TimelineExplorer(categories=["board"], end="2018-12-31")
    assert "February 2018" in month_event.detail.value


timeline_actions = st.one_of(
    st.tuples(st.just("start"), st.one_of(st.none(), st.dates(dt.date(1990, 1, 1), dt.date(2040, 12, 31)))),
    st.tuples(st.just("end"), st.one_of(st.none(), st.dates(dt.date(1990, 1, 1), dt.date(2040, 12, 31)))),
    st.tuples(st.just("start"), st.text(max_size=12)),
    st.tuples(st.just("categories"), st.lists(st.sampled_from([*charts.CATEGORIES, "nope", ""]), unique=True)
              .map(tuple)),
    st.tuples(st.just("statuses"), st.lists(st.sampled_from([*charts.STATUSES, "maybe"]), unique=True).map(tuple)),
    st.tuples(st.just("search"), st.text(max_size=20)),
    st.tuples(st.just("search"), st.sampled_from(["musk", "BOARD", "openai", "<script>", "{n}", "%s", "«"])),
    st.tuples(st.just("event"), st.one_of(st.integers(0, 200), st.text(max_size=8))),
)


@FAST
@given(actions=st.lists(timeline_actions, max_size=8))
def test_timeline_random_control_sequences_never_raise(actions):
    explorer = TimelineExplorer()
    for name, value in actions:
        control = getattr(explorer, name)
        if name == "event" and isinstance(value, int):
            options = [v for _label, v in explorer.event.options]
            value = options[value % len(options)] if options else None
        try:
            control.value = value
        except traitlets.TraitError:
            pass  # the control itself refuses a value of the wrong kind; the widget is untouched
        ids = shown_ids(explorer.panel.figure)
        assert sorted(ids) == sorted(v for _label, v in explorer.event.options)
        assert text_of(explorer.count.value).startswith(f"{len(ids)} event")
        assert "data could not be loaded" not in explorer.message.text


# --------------------------------------------------------------------------------------------
# 2. StructureExplorer.
# --------------------------------------------------------------------------------------------

def node_trace(figure):
    return next(t for t in figure.data if t.mode == "markers+text")


def label_trace(figure):
    return next(t for t in figure.data if t.name == "link labels")


def positions(figure) -> dict[str, tuple[float, float]]:
    nodes = node_trace(figure)
    return {i: (x, y) for i, x, y in zip(nodes.customdata, nodes.x, nodes.y)}


def test_structure_march_2019_draws_the_capped_profit_chain():
    explorer = StructureExplorer(month="2019-03")
    edges = lessons.data.structure_on("2019-03-31")
    figure = explorer.panel.figure
    where = positions(figure)
    assert set(where) == {"openai-inc"} | set(edges["from_id"]) | set(edges["to_id"])
    for edge in edges.itertuples():
        assert where[edge.from_id][1] > where[edge.to_id][1]  # controllers above
    lines = [t for t in figure.data if t.mode == "lines+markers"]
    assert {t.name for t in lines} >= {"controls", "manages"}
    pairs = len(edges[["from_id", "to_id"]].drop_duplicates())
    assert len(label_trace(figure).text) == len(figure.layout.annotations) == pairs
    assert_valid(figure)


def test_structure_before_march_2019_shows_the_nonprofit_alone():
    explorer = StructureExplorer(month="2015-12")
    for month in [v for _label, v in explorer.month.options if v < "2019-03"]:
        explorer.month.value = month
        day = pd.Period(month, freq="M").end_time.normalize()
        assert lessons.data.structure_on(day).empty
        figure = explorer.panel.figure
        assert list(node_trace(figure).customdata) == ["openai-inc"]
        assert [t.mode for t in figure.data] == ["markers+text"]
        assert "stands alone" in explorer.panel.summary_text
        assert explorer.message.text == ""


def test_structure_after_the_renaming_the_nonprofit_is_the_foundation():
    explorer = StructureExplorer(month="2025-11")
    nodes = node_trace(explorer.panel.figure)
    assert "openai-foundation" in nodes.customdata
    colour = dict(zip(nodes.customdata, nodes.marker.color))
    assert colour["openai-foundation"] == PALETTE[2]
    assert "Board of OpenAI Foundation on 30 November 2025" in text_of(explorer.board.value)


def test_structure_months_run_from_december_2015_to_the_latest_data_month():
    explorer = StructureExplorer()
    values = [v for _label, v in explorer.month.options]
    assert values[0] == "2015-12"
    assert values[-1] == latest_data_date().strftime("%Y-%m")
    assert len(values) == len(set(values))
    assert explorer.month.options[0][0] == "December 2015"


def test_structure_edge_labels_show_shares_as_percentages():
    latest = [v for _label, v in StructureExplorer().month.options][-1]
    explorer = StructureExplorer(month=latest)
    day = pd.Period(latest, freq="M").end_time.normalize()
    owned = lessons.data.structure_on(day).dropna(subset=["share"])
    labels = " ".join(label_trace(explorer.panel.figure).text)
    for share in owned["share"]:
        assert percent(share).replace("%", "") in labels.replace("%", "")
    table = explorer.panel.table
    assert list(table.columns) == ["From", "To", "Link", "Share", "In force from", "Status"]
    assert len(table) == len(lessons.data.structure_on(day))


def test_structure_board_lists_names_roles_and_possible_members():
    explorer = StructureExplorer(month="2019-03")
    board = lessons.data.board_on("2019-03-31")
    board = board[board["organisation_id"].isin(charts.NONPROFITS)]
    assert sorted(names_in(explorer.board.value)) == sorted(board["name"].unique())
    if not board["certain"].all():
        assert "possibly, not certainly, on the board that day" in explorer.board.value
        assert "Some dates are known only to the month, the year or as a range" in explorer.board.value
        assert "may not have been on the board that day" in explorer.panel.summary_text
    assert "director" in explorer.board.value


def test_structure_months_show_the_whole_board_of_the_month(fixture_only):
    explorer = StructureExplorer(month="2020-06")
    assert sorted(names_in(explorer.board.value)) == ["Adam D'Angelo", "Greg Brockman", "Ilya Sutskever",
                                                      "Sam Altman", "Tasha McCauley"]
    assert "Tasha McCauley (director, possibly)" not in explorer.panel.summary_text
    explorer.month.value = "2019-06"
    assert "Tasha McCauley (director, possibly)" in explorer.panel.summary_text


def test_structure_describe_names_every_link_and_the_board(fixture_only):
    explorer = StructureExplorer(month="2025-10")
    summary = explorer.panel.summary_text
    assert summary.startswith("At the end of October 2025: ")
    assert "Microsoft → OpenAI Group PBC: owns (27%)" in summary
    assert "OpenAI Foundation → OpenAI Group PBC: owns (26%)" in summary
    assert "Controllers are drawn above what they control" in summary


def test_structure_bad_month_argument_shows_a_message():
    explorer = StructureExplorer(month="1999-01")
    assert explorer.message.text.startswith("There is no month “1999-01” here")
    assert explorer.month.value == "2019-03"
    assert StructureExplorer(month=None).month.value == "2019-03"


def test_layered_layout_draws_links_downwards_and_is_deterministic():
    links = [("np", "gp"), ("gp", "lp"), ("ms", "lp")]
    where = charts.layered_layout(["np", "gp", "lp", "ms"], links, first="np")
    assert where == charts.layered_layout(["np", "gp", "lp", "ms"], links, first="np")
    assert where["np"][1] == where["ms"][1] == 0
    assert where["gp"][1] == -1 and where["lp"][1] == -2
    assert where["np"][0] < where["ms"][0]


def test_layered_layout_survives_cycles_and_self_links():
    where = charts.layered_layout(["a", "b"], [("a", "b"), ("b", "a"), ("a", "a")])
    assert set(where) == {"a", "b"}


@FAST
@given(size=st.integers(1, 9), pairs=st.lists(st.tuples(st.integers(0, 8), st.integers(0, 8)), max_size=20))
def test_layered_layout_places_controllers_above_and_spaces_rows(size, pairs):
    links = [(f"n{a % size}", f"n{b % size}") for a, b in pairs if a % size < b % size]
    where = charts.layered_layout([f"n{i}" for i in range(size)], links)
    for a, b in links:
        assert where[a][1] > where[b][1]
    rows: dict[float, list[float]] = {}
    for x, y in where.values():
        rows.setdefault(y, []).append(x)
    for xs in rows.values():
        xs.sort()
        assert all(b - a >= 1 - 1e-9 for a, b in zip(xs, xs[1:]))


@FAST
@given(months=st.lists(st.one_of(st.integers(0, 400), st.text(max_size=8)), max_size=6))
def test_structure_random_month_sequences_never_raise(months):
    explorer = StructureExplorer()
    options = [v for _label, v in explorer.month.options]
    for month in months:
        value = options[month % len(options)] if isinstance(month, int) else month
        try:
            explorer.month.value = value
        except traitlets.TraitError:
            pass
        assert explorer.message.text == ""
        assert explorer.panel.figure is not None and explorer.board.value


# --------------------------------------------------------------------------------------------
# 3. BoardTimeline.
# --------------------------------------------------------------------------------------------

SIX = ["Sam Altman", "Greg Brockman", "Ilya Sutskever", "Adam D'Angelo", "Tasha McCauley", "Helen Toner"]


def test_board_on_2023_11_17_lists_the_six_directors():
    board = BoardTimeline(date="2023-11-17")
    assert sorted(names_in(board.members.value)) == sorted(SIX)
    directors = lessons.data.board_on("2023-11-17").query("role == 'director'")
    assert sorted(directors["name"]) == sorted(SIX)
    assert "Board on 17 November 2023 (6)" in board.panel.summary_text


def test_board_on_2023_11_30_lists_taylor_chair_summers_dangelo_and_the_microsoft_observer():
    board = BoardTimeline(date="2023-11-30")
    members = board.members.value
    everyone = lessons.data.board_on("2023-11-30")
    assert sorted(names_in(members)) == sorted(everyone["name"].unique())
    assert sorted(everyone.loc[everyone["certain"], "name"].unique()) == sorted(
        ["Bret Taylor", "Larry Summers", "Adam D'Angelo", "Microsoft"])
    items = {text_of(item.split("</strong> — ")[0]): text_of(item.split("</strong> — ")[1].split("</li>")[0])
             for item in members.split("<strong>")[1:]}
    assert items["Bret Taylor"].startswith("chair")
    assert items["Microsoft"].startswith("observer")
    assert items["Larry Summers"].startswith("director")


def _stretches(figure) -> dict[str, list[tuple[pd.Timestamp, pd.Timestamp, bool]]]:
    """Seat id -> its drawn stretches (first day, last day, certain), in date order."""
    out: dict[str, list] = {}
    for trace in (t for t in figure.data if t.type == "bar"):
        certain = trace.legendgroup != "uncertain"
        for seat_id, base, length in zip(trace.customdata, trace.base, trace.x):
            first = pd.Timestamp(base)
            out.setdefault(seat_id, []).append((first, first + pd.Timedelta(milliseconds=length) - pd.Timedelta(days=1),
                                                certain))
    return {seat: sorted(parts) for seat, parts in out.items()}


def test_board_draws_every_seat_without_gaps_coloured_by_role():
    seats = lessons.data.board_seats().set_index("id")
    figure = BoardTimeline().panel.figure
    stretches = _stretches(figure)
    assert sorted(stretches) == sorted(seats.index)
    for seat_id, parts in stretches.items():
        assert parts[0][0] == seats.loc[seat_id, "start"]
        assert all(later[0] == earlier[1] + pd.Timedelta(days=1) for earlier, later in zip(parts, parts[1:]))
    for trace in (t for t in figure.data if t.type == "bar"):
        roles = set(seats.loc[list(trace.customdata), "role"])
        assert len(roles) == 1
        role = roles.pop()
        assert trace.marker.color == charts._ROLE_COLOURS[role]
        if trace.legendgroup != "uncertain":
            assert trace.name == charts.role_label(role)
    assert_valid(figure)


def test_board_open_ended_seats_reach_the_latest_data_date():
    seats = lessons.data.board_seats().set_index("id")
    latest = latest_data_date()
    for seat_id, parts in _stretches(BoardTimeline().panel.figure).items():
        last = parts[-1][1]
        if pd.isna(seats.loc[seat_id, "end"]):
            assert last == latest
        else:
            assert last == charts._period_end(seats.loc[seat_id, "end"], seats.loc[seat_id, "end_precision"])
    assert f"drawn up to {date_text(latest)}" in BoardTimeline().panel.summary_text


def test_board_uncertain_stretches_are_hatched_lighter_in_the_legend_and_explained():
    seats = lessons.data.board_seats().set_index("id")
    periods = lessons.data.seat_periods(seats)
    board = BoardTimeline()
    uncertain = [t for t in board.panel.figure.data if t.type == "bar" and t.legendgroup == "uncertain"]
    for trace in uncertain:
        assert trace.marker.pattern.shape == "/" and trace.marker.opacity < 1
        assert trace.name == "possibly on the board (dates not certain)"
    assert sum(bool(t.showlegend) for t in uncertain) == (1 if uncertain else 0)
    rough = periods.index[(periods["possible_from"] < periods["certain_from"])
                          | (periods["certain_to"] < periods["possible_to"])
                          | (periods["certain_from"] > periods["certain_to"])]
    assert sorted({i for t in uncertain for i in t.customdata}) == sorted(rough)
    if len(rough):
        assert "Lighter, hatched stretches are days when a seat was possible but not certain" in \
            board.panel.summary_text
        for name in lessons.data.name_of(seats.loc[rough, "holder_id"].tolist()):
            assert name in board.panel.summary_text


def test_board_never_draws_a_certain_day_the_sources_do_not_give(fixture_only):
    parts = _stretches(BoardTimeline().panel.figure)
    assert parts["mccauley-director"] == [
        (pd.Timestamp("2018-01-01"), pd.Timestamp("2019-12-30"), False),
        (pd.Timestamp("2019-12-31"), pd.Timestamp("2023-11-22"), True),
        (pd.Timestamp("2023-11-23"), pd.Timestamp("2023-11-29"), False)]
    assert parts["altman-chair-2015"] == [(pd.Timestamp("2015-12-11"), pd.Timestamp("2015-12-11"), True),
                                          (pd.Timestamp("2015-12-12"), pd.Timestamp("2018-02-20"), False)]


def test_board_cursor_is_a_vertical_line_at_the_date():
    board = BoardTimeline(date="2023-11-17")
    board.date.value = dt.date(2024, 3, 8)
    shape = board.panel.figure.layout.shapes[0]
    assert shape.x0 == shape.x1 == "2024-03-08" and shape.yref == "paper"
    assert "On the board on 8 March 2024" in text_of(board.members.value)


def test_board_without_a_date_or_outside_the_data_shows_a_message():
    board = BoardTimeline()
    board.date.value = None
    assert board.message.text == "Choose a date to see who sat on the board."
    assert board.members.value == "" and board.panel.figure.layout.shapes == ()
    board.date.value = dt.date(1999, 1, 1)
    assert board.message.text.startswith("1 January 1999 is outside the data (11 December 2015 to ")
    assert board.panel.figure.layout.shapes == ()
    bad = BoardTimeline(date="someday")
    assert "Could not read “someday” as a date" in bad.message.text


def test_board_members_list_says_who_was_only_possibly_there(fixture_only):
    board = BoardTimeline(date="2019-06-30")
    assert names_in(board.members.value)[-1] == "Tasha McCauley"
    assert ("possibly, not certainly, on the board that day (start: 2018 or 2019; end: between 22 November 2023 "
            "and 29 November 2023)") in text_of(board.members.value)
    assert ("Possibly also on the board on 30 June 2019, as far as dates known only to the month, the year or as a "
            "range tell: Greg Brockman (chair); Tasha McCauley (director).") in board.panel.summary_text
    assert "Board on 30 June 2019 (4): " in board.panel.summary_text


def test_board_members_list_the_group_board_apart(fixture_only):
    board = BoardTimeline(date="2025-11-01")
    assert "Board of OpenAI Group PBC on 1 November 2025" in text_of(board.members.value)
    assert "Bret Taylor · director · OpenAI Group PBC" in board.panel.figure.layout.yaxis.categoryarray


def test_board_table_lists_every_seat_with_dates_as_the_sources_give_them(fixture_only):
    table = BoardTimeline().panel.table.set_index("Holder")
    assert list(table.reset_index().columns) == ["Holder", "Board", "Role", "Start", "End", "Dates not certain",
                                                 "Status"]
    assert len(table) == len(lessons.data.board_seats())
    assert table.loc["Tasha McCauley", ["Start", "End", "Dates not certain"]].tolist() == [
        "2018 or 2019", "between 22 November 2023 and 29 November 2023", "start and end"]
    assert table.loc["Adam D'Angelo", ["Start", "End", "Dates not certain"]].tolist() == [
        "April 2018", "still held", "start"]


@FAST
@given(days=st.lists(st.one_of(st.none(), st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)), st.text(max_size=6)),
                     max_size=6))
def test_board_random_dates_never_raise(days):
    board = BoardTimeline()
    for day in days:
        try:
            board.date.value = day
        except traitlets.TraitError:
            pass
        assert "data could not be loaded" not in board.message.text
        assert board.panel.figure is not None


# --------------------------------------------------------------------------------------------
# 4. OwnershipExplorer.
# --------------------------------------------------------------------------------------------

def test_ownership_on_2025_10_28_shows_the_stakes_with_values():
    explorer = OwnershipExplorer(date="2025-10-28")
    stakes = lessons.data.ownership_on("2025-10-28")
    bars = explorer.panel.figure.data
    assert sum(len(t.x) for t in bars) == len(stakes)
    shares = {i: x for t in bars for i, x in zip(t.customdata, t.x)}
    assert shares == dict(zip(stakes["id"], stakes["share"]))
    texts = " ".join(text for t in bars for text in t.text)
    for value in stakes["value_usd"].dropna():
        assert money(int(value)) in texts and money(int(value)) in explorer.panel.summary_text
    assert explorer.panel.figure.layout.yaxis.type == "multicategory"
    assert explorer.message.text == ""
    assert_valid(explorer.panel.figure)


def test_ownership_reported_profit_share_is_labelled_reported():
    reported = lessons.data.ownership().query("basis == 'reported profit share'")
    assert len(reported), "the 2023 reported profit-share terms should be in data/ownership.csv"
    day = reported["as_of"].max()
    explorer = OwnershipExplorer(date=day.strftime("%Y-%m-%d"))
    figure = explorer.panel.figure
    assert "reported" in figure.layout.title.text
    names = [t.name for t in figure.data]
    assert any("reported profit share" in n and n.endswith("(reported)") for n in names)
    assert all(text.endswith("(reported)") for t in figure.data if "reported" in t.name for text in t.text)
    assert "reported profit share" in explorer.panel.summary_text
    assert "did not confirm" in explorer.panel.summary_text
    assert "reported profit share" in set(explorer.panel.table["Basis"])


def test_ownership_before_any_row_shows_a_message_and_no_bars():
    explorer = OwnershipExplorer(date="2010-01-01")
    first = lessons.data.ownership().sort_values("as_of").iloc[0]
    assert explorer.message.text == (f"No ownership data on 1 January 2010: the first row is dated "
                                     f"{date_text(first['as_of'], first['as_of_precision'])}.")
    assert len(explorer.panel.figure.data) == 0


def test_ownership_offers_the_as_of_dates_and_accepts_a_typed_date():
    explorer = OwnershipExplorer()
    ownership = lessons.data.ownership()
    assert len(explorer.date.options) == len(ownership[["as_of"]].drop_duplicates())
    assert "2025-10-28" in explorer.date.options
    explorer.date.value = "2026-01-15"
    assert explorer.message.text == ""
    assert sorted(shown_ids(explorer.panel.figure)) == sorted(lessons.data.ownership_on("2026-01-15")["id"])


def test_ownership_unreadable_or_empty_date_shows_a_message():
    explorer = OwnershipExplorer()
    explorer.date.value = "next year"
    assert explorer.message.text.startswith("Could not read “next year” as a date")
    assert len(explorer.panel.figure.data) == 0
    explorer.date.value = ""
    assert explorer.message.text == "Type or pick a date."


def test_ownership_reported_terms_exact_on_the_fixture(fixture_only):
    explorer = OwnershipExplorer(date="2024-06-01")
    assert explorer.panel.summary_text.startswith(
        "Who owned what on 1 June 2024, by entity: OpenAI Global, LLC: reported profit share, as of "
        "10 January 2023 (reported): Microsoft 49%, Other investors 49%, OpenAI, Inc. 2%.")
    assert explorer.panel.figure.layout.title.text == "Who owns what on 1 June 2024 (includes reported terms)"


@FAST
@given(values=st.lists(st.one_of(st.text(max_size=12), st.sampled_from(["2025-10-28", "2023-01", "2023", "1999-02-30"]),
                                 st.dates(dt.date(1900, 1, 1), dt.date(2100, 1, 1)).map(str)), max_size=6))
def test_ownership_random_dates_never_raise(values):
    explorer = OwnershipExplorer()
    for value in values:
        explorer.date.value = value
        assert "data could not be loaded" not in explorer.message.text
        assert explorer.panel.figure is not None


# --------------------------------------------------------------------------------------------
# Injection, French, data errors, speed.
# --------------------------------------------------------------------------------------------

def test_timeline_escapes_html_in_event_and_source_texts(poisoned):
    explorer = TimelineExplorer(start=EARLIEST)
    assert explorer.message.text == ""
    assert_escaped(explorer)


def test_structure_escapes_html_in_organisation_names_and_labels(poisoned):
    explorer = StructureExplorer(month="2019-03")
    assert_escaped(explorer)
    explorer.month.value = "2015-12"
    assert_escaped(explorer)


def test_board_escapes_html_in_people_names(poisoned):
    board = BoardTimeline(date="2023-11-17")
    assert_escaped(board)
    assert ESCAPED_SCRIPT in board.members.value


def test_ownership_escapes_html_in_holder_names(poisoned):
    explorer = OwnershipExplorer(date="2025-10-28")
    assert_escaped(explorer)


def test_french_labels_after_set_language():
    set_language("fr")
    timeline = TimelineExplorer()
    assert (timeline.start.description, timeline.end.description) == ("Du", "Au")
    assert timeline.categories.description == "Catégories" and timeline.search.description == "Rechercher"
    assert text_of(timeline.count.value).endswith("événements affichés")
    assert "Statut\u00a0:" in timeline.detail.value
    assert list(timeline.panel.table.columns) == ["Date", "Titre", "Catégorie", "Statut"]
    structure = StructureExplorer(month="2019-03")
    assert structure.panel.figure.layout.title.text == "Qui contrôle qui, fin mars 2019"
    assert structure.month.description == "Mois"
    board = BoardTimeline(date="2023-11-30")
    assert "présidence" in board.members.value and "observateur sans droit de vote" in board.members.value
    assert "Au conseil le 30 novembre 2023" in text_of(board.members.value)
    ownership = OwnershipExplorer(date="2025-10-28")
    assert ownership.panel.figure.layout.title.text.startswith("Qui détient quoi au 28 octobre 2025")
    assert "26\u00a0%" in ownership.panel.summary_text
    assert "130\u00a0milliards de dollars" in ownership.panel.summary_text


def test_french_search_and_messages_use_french_text():
    set_language("fr")
    events = all_events()
    word = str(events.iloc[-1]["title_fr"]).split()[0]
    explorer = TimelineExplorer()
    explorer.search.value = word.upper()
    assert events.iloc[-1]["id"] in shown_ids(explorer.panel.figure)
    explorer.search.value = "aucun événement n’a ce texte qwxz"
    assert explorer.message.text.startswith("Aucun événement ne correspond à ces filtres\u00a0:")
    assert text_of(explorer.count.value) == "0 événement affiché"


def test_widgets_show_a_data_error_instead_of_raising(history_data, tmp_path, monkeypatch):
    for file in history_data.iterdir():
        if file.suffix in (".csv", ".json"):
            shutil.copy(file, tmp_path / file.name)

    def break_category(rows):
        rows[0]["category"] = "gossip"

    _rewrite(tmp_path / "events.csv", break_category)
    _use(monkeypatch, tmp_path)
    explorer = TimelineExplorer()
    assert explorer.message.text.startswith("The data could not be loaded: data/events.csv, row 2")
    assert "gossip" in explorer.message.text
    assert StructureExplorer().message.text == ""  # the diagram does not need events.csv


def test_every_chart_passes_plotly_validation():
    events = all_events()
    assert_valid(charts.timeline(events))
    assert_valid(charts.timeline(events.iloc[0:0]))
    day = pd.Timestamp("2025-10-31")
    board = lessons.data.board_on(day)
    assert_valid(charts.structure_diagram(lessons.data.structure_on(day), lessons.data.organisations(), board,
                                          date=day))
    seats = lessons.data.board_seats().assign(name=lambda f: lessons.data.name_of(f["holder_id"].tolist()))
    assert_valid(charts.board_bars(seats, "2023-11-17"))
    stakes = lessons.data.ownership_on("2025-10-28").assign(entity="OpenAI Group PBC")
    assert_valid(charts.ownership_bars(stakes, "2025-10-28"))
    assert_valid(charts.ownership_bars(stakes.iloc[0:0], "2025-10-28"))


def test_date_controls_accept_text_dates_and_refuse_anything_else():
    board = BoardTimeline()
    board.date.value = "2023-11-30"
    assert board.date.value == dt.date(2023, 11, 30)
    assert "Bret Taylor" in names_in(board.members.value)
    with pytest.raises(traitlets.TraitError):
        board.date.value = "soon"
    assert board.date.value == dt.date(2023, 11, 30)
    board.date.value = ""
    assert board.date.value is None and board.message.text == "Choose a date to see who sat on the board."


@FAST
@given(start=st.one_of(st.none(), st.dates(dt.date(2000, 1, 1), dt.date(2030, 1, 1))),
       end=st.one_of(st.none(), st.dates(dt.date(2000, 1, 1), dt.date(2030, 1, 1))),
       categories=st.one_of(st.none(), st.sets(st.sampled_from(charts.CATEGORIES))),
       statuses=st.one_of(st.none(), st.sets(st.sampled_from(charts.STATUSES))),
       search=st.sampled_from(["", "musk", "BOARD", "a", "zzz", "("]))
def test_filter_events_keeps_exactly_the_matching_events(start, end, categories, statuses, search):
    events = all_events()
    kept = charts.filter_events(events, start=start, end=end, categories=categories, statuses=statuses,
                                search=search)
    text = (events["title_en"] + "\n" + events["summary_en"]).str.casefold()

    def matches(row, index):
        return ((start is None or row["period_end"] >= pd.Timestamp(start))
                and (end is None or row["date"] <= pd.Timestamp(end))
                and (categories is None or row["category"] in categories)
                and (statuses is None or row["status"] in statuses)
                and (search.casefold() in text[index]))

    expected = [row["id"] for index, row in events.iterrows() if matches(row, index)]
    assert list(kept["id"]) == expected


def test_latest_date_reads_every_dated_column_at_its_precision():
    tables = {"events": pd.DataFrame({"date": [pd.Timestamp("2026-08-01")], "date_precision": ["month"]}),
              "ownership": pd.DataFrame({"as_of": [pd.Timestamp("2026-01-01")], "as_of_precision": ["year"]}),
              "other": pd.DataFrame({"date": [pd.Timestamp("2030-01-01")]})}
    assert charts.latest_date(tables) == pd.Timestamp("2026-12-31")
    assert charts.latest_date({}) is None


def test_a_redraw_puts_the_new_figure_in_the_output_as_state_without_displaying_anything(monkeypatch):
    # Displaying into an Output while a cell runs stalled headless runs (issue 14); the chart is the
    # Output's state instead, which JupyterLab redraws on each change.
    import plotly.io as pio

    monkeypatch.setattr(pio.renderers, "default", "plotly_mimetype")     # as lessons.setup() sets it
    displayed = []
    monkeypatch.setattr("IPython.display.display", lambda *objects, **_: displayed.extend(objects))
    explorer = BoardTimeline()
    before = explorer.panel.output.outputs
    explorer.date.value = dt.date(2023, 11, 30)
    (output,) = explorer.panel.output.outputs
    assert output["output_type"] == "display_data"
    assert output["data"]["application/vnd.plotly.v1+json"]["data"] == json.loads(explorer.panel.figure.to_json())["data"]
    assert output != before[0] and not displayed
