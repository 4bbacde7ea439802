"""Every lesson in a real JupyterLab, in headless Chromium: Run All, then what a learner sees.

For each ``notebooks/**/NN_*.ipynb`` (a copy of it, in a throwaway root: the committed notebooks are
never written): no error output, every widget and figure rendered as the same widget built here
draws it, one real action per widget type changes what is shown, hidden solutions open on click,
no dollar amount typeset as math, and no critical or serious axe-core violation in the outputs.
One server and one browser for the whole session; a screenshot per lesson in ``tests/artifacts/``.

Without chromium these tests are skipped, or fail when ``CI=true``. The terminal summary gives the
seconds each lesson took and its axe-core counts by impact (also in ``tests/artifacts/browser-report.json``
and as junit testsuite properties; ``-s`` prints the interactions and every axe finding as well).
The README's screenshots come from ``python -m tests.browser_support docs/``.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time

import pytest

import browser_support as support
from browser_support import ARTIFACTS, REPO

LESSONS = support.lesson_notebooks()
browser = pytest.mark.browser


def _id(path) -> str:
    return path.relative_to(REPO / "notebooks").with_suffix("").as_posix()


class Unavailable:
    """Stands for the browser when chromium is missing in CI: every browser test then fails."""

    def __init__(self, reason: str):
        self.reason = reason


def _ready(value):
    if isinstance(value, Unavailable):
        pytest.fail(value.reason, pytrace=False)
    return value


# ---------------------------------------------------------------------------------------------
# Fixtures: one server and one browser per session, each lesson run once (its tests share it).
# ---------------------------------------------------------------------------------------------

class _Summary:
    """A plugin registered by the ``report`` fixture: prints per-lesson times and axe counts at the end."""

    def __init__(self, found: dict):
        self.found = found

    def lines(self) -> list[str]:
        lines = ["seconds per lesson (open, Run All, checks, closed) and axe-core violations (elements) by impact:"]
        for name, entry in self.found.items():
            axe = entry.get("axe", {})
            counts = ", ".join(f"{impact} {axe[impact]['nodes']}" for impact in axe)
            if "steps" not in entry:
                counts = ""
            lines.append(f"  {name:48} {entry.get('seconds', 0):6.1f} s   {counts or ''}".rstrip())
        total = sum(entry.get("seconds", 0) for entry in self.found.values())
        lines.append(f"  {'total':48} {total:6.1f} s")
        return lines

    def pytest_terminal_summary(self, terminalreporter):
        if self.found:
            terminalreporter.write_sep("-", "browser tests")
            for line in self.lines():
                terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def report(request, record_testsuite_property):
    """Per-lesson times and axe counts: in the terminal summary, in junit properties, and in
    ``tests/artifacts/browser-report.json``."""
    found: dict[str, dict] = {}
    request.config.pluginmanager.register(_Summary(found), "lessons-browser-summary")
    yield found
    if not found:
        return
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "browser-report.json").write_text(json.dumps(found, indent=2), encoding="utf-8")
    for name, entry in found.items():
        record_testsuite_property(f"browser {name} seconds", entry.get("seconds"))  # junit: a string
        if "axe" in entry:
            nodes = {impact: counts["nodes"] for impact, counts in entry["axe"].items()}
            record_testsuite_property(f"browser {name} axe", json.dumps(nodes))


@pytest.fixture(scope="module")
def lab(tmp_path_factory, report):
    """JupyterLab (throwaway root, config, settings; autosave off) and headless Chromium, stopped when this
    module's tests end: Playwright's sync API allows one instance at a time in a thread, and the site's
    tests start their own."""
    reason = support.chromium_missing()
    if reason:
        if os.environ.get("CI") == "true":
            yield Unavailable(reason)
            return
        pytest.skip(reason)
    started = time.monotonic()
    with support.Lab(tmp_path_factory.mktemp("jupyterlab")) as running:
        report["(JupyterLab and Chromium start)"] = {"seconds": round(time.monotonic() - started, 1)}
        yield running
        saved = running.server.saved_copies()
    assert not saved, f"notebooks were saved during the browser tests (copies only, but still): {saved}"


def _next_lesson(session, current):
    """The lesson this session checks after ``current`` (its tab can load meanwhile)."""
    order = []
    for item in session.items:
        if getattr(item, "module", None) is not sys.modules[__name__]:
            continue            # another module may have a parameter called "lesson" too
        path = getattr(getattr(item, "callspec", None), "params", {}).get("lesson")
        if path in LESSONS and path not in order:
            order.append(path)
    position = order.index(current) if current in order else len(order)
    return order[position + 1] if position + 1 < len(order) else None


@pytest.fixture(scope="module", params=LESSONS, ids=[_id(p) for p in LESSONS])
def lesson(request, lab, report):
    """The lesson opened, run with Run All, its widgets drawn, and a screenshot taken."""
    if isinstance(lab, Unavailable):
        yield lab
        return
    name = _id(request.param)
    started = time.monotonic()
    page = lab.open(request.param)
    try:
        page.open().run_all()
        page.expected = {call.cell: support.expected_view(call.build(page.language)) if call.literal else None
                         for call in page.calls}
        page.widgets_ready = page.wait_for_widgets(page.expected)
        page.after_run = page.cells()
        page.screenshot(ARTIFACTS / f"{name}.png")
        page.timings["ready"] = round(time.monotonic() - started, 2)
        upcoming = _next_lesson(request.session, request.param)
        if upcoming is not None:
            lab.prefetch(upcoming)
        yield page
    finally:
        page.close()
        entry = report.setdefault(name, {})
        entry["seconds"] = round(time.monotonic() - started, 1)
        entry["steps"] = page.timings


# ---------------------------------------------------------------------------------------------
# Without a browser: how the expectations are read from a notebook.
# ---------------------------------------------------------------------------------------------

def _notebook(*sources, metadata=None):
    cells = [{"cell_type": "code", "source": source, "metadata": dict(metadata or {}), "outputs": [],
              "execution_count": None} for source in sources]
    return {"cells": cells, "metadata": {}}


def test_every_lesson_notebook_is_found():
    names = [_id(path) for path in LESSONS]
    assert "00_start_here" in names
    assert all(re.fullmatch(r"(\w+/)*\d\d_\w+", name) for name in names), names


def test_widget_cells_are_found_from_the_last_call_of_a_cell():
    notebook = _notebook('import lessons\nlessons.setup(language="fr")',
                         'lessons.BidCalculator(stake=0.26)',
                         'w = lessons.Quiz("04")\nw',
                         'lessons.widgets.glossary_table()',
                         'lessons.show_sources(first["source_ids"])',
                         'lessons.check("4.1", answer)',
                         '%matplotlib inline\nlessons.StructureExplorer(month="2019-07")')
    calls = support.widget_calls(notebook)
    assert [(c.cell, c.name, c.kwargs, c.literal) for c in calls] == [
        (1, "BidCalculator", {"stake": 0.26}, True), (3, "glossary_table", {}, True),
        (4, "show_sources", {}, False), (6, "StructureExplorer", {"month": "2019-07"}, True)]
    assert support.notebook_language(notebook) == "fr"


def test_expected_figures_come_from_the_widget_built_here():
    call = support.WidgetCall(0, "BidCalculator", (), {"stake": 0.26})
    view = support.expected_view(call.build())
    assert view.figures == [len(call.build().panel.figure.data)]
    assert view.summaries and view.summaries[0] == support.html_text(call.build().panel.summary.value)


def test_text_of_html_matches_what_a_browser_shows():
    assert support.html_text("<p>A <strong>b</strong></p><ul><li>c</li><li>d</li></ul>") == "A b c d"


# ---------------------------------------------------------------------------------------------
# In the browser.
# ---------------------------------------------------------------------------------------------

@browser
def test_plotly_and_widget_labextensions_load(lab):
    config = _ready(lab).server.page_config()
    names = {extension["name"] for extension in config.get("federated_extensions", [])}
    assert {"jupyterlab-plotly", "@jupyter-widgets/jupyterlab-manager"} <= names, sorted(names)
    assert config.get("serverRoot") == str(lab.server.root), "the server must serve the throwaway copy"


@browser
def test_lesson_runs_without_error_output(lesson):
    page = _ready(lesson)
    problems = []
    for index, cell in enumerate(page.after_run):
        for text in cell["stderr"]:
            problems.append(f"cell {index} shows an error or stderr output:\n{text}")
        for text in cell["widgetErrors"]:
            problems.append(f"cell {index}: {text}")
        if cell["code"] and cell["prompt"] is not None and not re.fullmatch(r"\[\d+\]:", cell["prompt"]):
            problems.append(f"cell {index} did not run (prompt {cell['prompt']!r})")
    assert "Error displaying widget" not in page.page_text()
    assert not problems, "\n".join(problems)


@browser
def test_no_widget_shows_a_warning_after_run_all(lesson):
    page = _ready(lesson)
    warnings = [f"cell {i}: {text}" for i, cell in enumerate(page.after_run) for text in cell["warnings"]]
    assert not warnings, "\n".join(warnings)


@browser
def test_every_widget_renders_as_built_by_the_package(lesson):
    page = _ready(lesson)
    problems = []
    for call in page.calls:
        cell, expected = page.after_run[call.cell], page.expected[call.cell]
        if cell["widgetViews"] == 0:
            problems.append(f"{call.label}: no widget view in the output")
            continue
        if expected is None:        # arguments that are not literals: rendered is all we can say
            continue
        if expected.items is not None and cell["items"] != expected.items:
            problems.append(f"{call.label}: {cell['items']} list items or table rows shown, {expected.items} built")
        shown = [support.squash(text) for text in cell["summaries"]]
        if shown != expected.summaries:
            problems.append(f"{call.label}: text summaries shown {shown}, built {expected.summaries}")
    counted = {call.cell for call in page.calls}
    problems += [f"cell {index} shows a widget, but its last line is not a lessons.<Widget>(...) call: not checked"
                 for index, cell in enumerate(page.after_run) if cell["widgetViews"] and index not in counted]
    assert not problems, "\n".join(problems)


@browser
def test_every_control_is_wide_enough_for_its_value(lesson):
    """A number or a date typed in a widget's field is readable whole, at a laptop's width (1280 px)."""
    page = _ready(lesson)
    problems = []
    for index, cell in enumerate(page.after_run):
        for control in cell["controls"]:
            if control["type"] not in ("text", "number", "search", "date"):
                continue
            if control["width"] < 40 or control["scrollWidth"] > control["width"] + 2:
                problems.append(f"cell {index}: the field {control['label']!r} is {control['width']} px wide; "
                                f"its value {control['value']!r} needs {control['scrollWidth']} px")
    assert not problems, "\n".join(problems)


@browser
def test_every_figure_renders_with_the_expected_traces(lesson):
    page = _ready(lesson)
    problems = []
    for call in page.calls:
        expected, shown = page.expected[call.cell], page.after_run[call.cell]["figures"]
        if expected is None:
            problems += [f"{call.label}: a figure without traces" for traces in shown if traces < 1]
        elif shown != expected.figures:
            problems.append(f"{call.label}: figures with {shown} traces shown, {expected.figures} built")
    widget_cells = {call.cell for call in page.calls}
    for index, cell in enumerate(page.after_run):
        for plots in cell["plotlyOutputs"]:       # figures shown directly, outside a widget
            if index not in widget_cells and (len(plots) != 1 or plots[0] < 1):
                problems.append(f"cell {index}: a plotly output rendered as {plots} (figures: traces)")
    assert not problems, "\n".join(problems)


@browser
def test_no_legend_covers_axis_labels(lesson):
    page = _ready(lesson)
    problems = [f"cell {index}: the legend covers the axis labels {cell['overlaps']}"
                for index, cell in enumerate(page.after_run) if cell["overlaps"]]
    assert not problems, "\n".join(problems)


@browser
def test_no_dollar_amount_is_typeset_as_math(lesson):
    """Two "$" on one markdown line make JupyterLab typeset the text between them as math."""
    page = _ready(lesson)
    problems = []
    for index, cell in enumerate(page.after_run):
        for text in cell["math"]:
            if re.search(r"\d", text) and re.search(r"[A-Za-z]{3,}", text):
                source = "".join(page.notebook["cells"][index]["source"])
                dollars = re.findall(r"\$[\d.,]+(?: (?:billion|million|trillion))?", source)
                problems.append(f"cell {index}: {text[:70]!r} typeset as math; the cell writes "
                                f"{', '.join(dollars[:4])}: escape them as \\$")
    assert not problems, "\n".join(problems)


@browser
def test_solution_cells_stay_collapsed_until_clicked(lesson):
    page = _ready(lesson)
    problems = []
    for index in support.hidden_solution_cells(page.notebook):
        source = "".join(page.notebook["cells"][index]["source"])
        lines = [line.strip() for line in source.splitlines() if line.strip()]
        cell = page.cell(index)
        cell.scroll_into_view_if_needed()
        shown = cell.inner_text()
        editor = cell.locator(".jp-InputArea .cm-content")
        if editor.count() and editor.first.is_visible():
            problems.append(f"cell {index}: the solution's source is shown before any click")
            continue
        leaked = [line for line in lines[1:] if line in shown]
        if leaked:
            problems.append(f"cell {index}: solution lines visible before any click: {leaked[:2]}")
        placeholder = cell.locator(".jp-InputPlaceholder .jp-Placeholder-content")
        if not placeholder.count():
            problems.append(f"cell {index}: no placeholder to click")
            continue
        placeholder.first.click()
        try:
            editor.first.wait_for(state="visible", timeout=5_000)
        except Exception:  # noqa: BLE001
            problems.append(f"cell {index}: clicking the placeholder does not show the source")
            continue
        text = support.squash(editor.first.inner_text())
        missing = [line for line in lines if support.squash(line) not in text]
        if missing:
            problems.append(f"cell {index}: after the click, lines still hidden: {missing[:2]}")
    assert not problems, "\n".join(problems)


@browser
def test_one_action_per_widget_type_changes_what_is_shown(lesson, report):
    page = _ready(lesson)
    problems, done, seen = [], [], set()
    for call in page.calls:
        if call.name in seen or call.name in support.STATIC_WIDGETS:
            continue
        seen.add(call.name)
        before = page.state(call.cell)
        try:
            action = support.interact(page, call)
        except Exception as error:  # noqa: BLE001 - report every widget type, not the first failure
            problems.append(f"{call.label}: could not act on it: {type(error).__name__}: {error}")
            continue
        if action is None:
            done.append(f"{call.label}: not acted on (its arguments are not literals: nothing to predict)")
            continue
        after = support.wait_for_change(page, call.cell, before, action.watch, figure=action.figure_changes)
        label = f"{call.label}, {action.description}"
        if after[action.watch] == before[action.watch]:
            problems.append(f"{label}: {action.watch} did not change ({before[action.watch][:2]})")
        elif after[action.watch] != action.expected:
            problems.append(f"{label}: {action.watch} shows {after[action.watch][:2]}, built {action.expected[:2]}")
        if after["figures"] != action.figures:
            problems.append(f"{label}: figures with {after['figures']} traces, built {action.figures}")
        if action.figure_changes and after["figureHash"] == before["figureHash"]:
            problems.append(f"{label}: the figure did not change")
        done.append(f"{label}: {action.watch} changed" + (", figure redrawn" if action.figure_changes else ""))
    report.setdefault(_id(page.path), {})["interactions"] = done
    print("\n".join(done))
    assert not problems, "\n".join(problems)


@browser
def test_outputs_have_no_critical_or_serious_accessibility_violation(lesson, report):
    page = _ready(lesson)
    results = page.axe()
    counts = support.impact_counts(results)
    report.setdefault(_id(page.path), {})["axe"] = counts
    print(f"axe ({_id(page.path)}): " + ", ".join(f"{k} {v['rules']} rule(s)/{v['nodes']} element(s)"
                                                   for k, v in counts.items()))
    print(support.describe_violations(results, ("moderate", "minor")))
    serious = support.describe_violations(results)
    assert not serious, f"axe-core, notebook outputs only:\n{serious}"
