"""``python -m lessons site DEST``: the rendered lesson site, built in a temporary folder.

One build of the whole site per session (every lesson of both editions is executed once); the browser
tests open each of its pages from file:// in headless Chromium, with every request that would leave
the folder blocked and recorded. A second, small build (lesson 00 only) reads an edited copy of the
data and gives launch options. Without chromium the browser tests are skipped, or fail when ``CI=true``.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

import browser_support as support
import lessons
from browser_support import REPO
from lessons.publish import outline
from lessons.publish.site import MARKER, Launch, SiteError, _clear_previous_build, build_site
from lessons.widgets._panel import snapshot_html

EDITIONS = {language: outline.lessons(language) for language in ("en", "fr")}
REFERENCE = ("timeline", "sources", "glossary", "board")
LESSON_PAGES = [f"{language}/{lesson.slug}.html" for language, found in EDITIONS.items() for lesson in found]
OTHER_PAGES = ["index.html"] + [f"{language}/{name}.html" for language in EDITIONS
                                for name in ("index", *REFERENCE)]
WATCHED = ("notebooks", "lessons", "data")
BINDER = "my-school/who-controls-openai"
HUB, HUB_REPO = "https://hub.example.edu", "https://github.com/my-school/who-controls-openai"
A4_CONTENT_WIDTH_PX = (210 - 2 * 12) / 25.4 * 96  # the print stylesheet's A4 page and 12 mm margins


def _state(folders=WATCHED) -> dict[str, tuple[int, int]]:
    """Size and modification time of every file under the repository's own folders."""
    return {path.relative_to(REPO).as_posix(): (path.stat().st_size, path.stat().st_mtime_ns)
            for name in folders for path in (REPO / name).rglob("*")
            if path.is_file() and "__pycache__" not in path.parts}


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """The whole site, built once; and what the repository's folders looked like before and after."""
    destination = tmp_path_factory.mktemp("site") / "site"
    before = _state()
    written = build_site(destination)
    return {"folder": destination, "written": written, "before": before, "after": _state()}


def _notebook(page: str):
    language, name = page.split("/")
    folder = REPO / "notebooks" / ("fr" if language == "fr" else "")
    return nbformat.read(folder / name.replace(".html", ".ipynb"), as_version=4)


# --------------------------------------------------------------------------------------------
# The files.
# --------------------------------------------------------------------------------------------

def test_site_has_every_lesson_home_and_reference_page_in_both_languages(site):
    folder = site["folder"]
    missing = [page for page in LESSON_PAGES + OTHER_PAGES if not (folder / page).is_file()]
    assert not missing
    assert len(LESSON_PAGES) == 16


def test_scripts_come_from_the_site_itself(site):
    folder = site["folder"]
    import plotly

    shipped = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    assert (folder / "assets" / "plotly.min.js").read_bytes() == shipped.read_bytes()
    for page in LESSON_PAGES + OTHER_PAGES:
        text = (folder / page).read_text(encoding="utf-8")
        sources = re.findall(r"""<(?:script|link)[^>]*(?:src|href)=["']([^"']+)""", text)
        assert all(not re.match(r"^(?:https?:)?//", source) for source in sources), (page, sources)


def test_marker_lists_exactly_the_files_written(site):
    folder = site["folder"]
    listed = json.loads((folder / MARKER).read_text(encoding="utf-8"))["files"]
    on_disk = sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file())
    assert sorted(listed) == on_disk


def test_building_never_writes_into_the_repository(site):
    assert site["after"] == site["before"]
    assert all(REPO not in path.parents for path in site["written"])


def test_no_widget_is_shown_as_its_python_repr(site):
    for page in LESSON_PAGES:
        text = (site["folder"] / page).read_text(encoding="utf-8")
        assert "application/vnd.jupyter.widget-view+json" not in text
        assert not re.search(r"\b(?:VBox|HBox|HTML)\(", text), page


def test_home_page_lists_each_lesson_with_its_questions_and_time(site):
    for language, found in EDITIONS.items():
        home = (site["folder"] / language / "index.html").read_text(encoding="utf-8")
        text = html.unescape(re.sub(r"<[^>]+>", "", home))
        for lesson in found:
            assert f'href="{lesson.slug}.html"' in home
            assert f'<p class="site-time">{html.escape(lesson.time_text)}</p>' in home
            plain = [question for question in lesson.questions if not re.search(r"[`*_\\\[]", question)]
            assert all(question in text for question in plain), lesson.slug
        assert home.count("<li value=") == len(found)


def test_without_launch_options_no_lesson_has_a_run_link(site):
    for page in LESSON_PAGES:
        assert 'class="lesson-run"' not in (site["folder"] / page).read_text(encoding="utf-8")


# --------------------------------------------------------------------------------------------
# A small build from an edited copy of the data, with launch links.
# --------------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def edited_site(tmp_path_factory):
    """Lesson 00 of both editions built by the command line, from a copy of data/ in which the founding
    event has a new English title, with Binder and JupyterHub links."""
    root = tmp_path_factory.mktemp("edited")
    data = root / "data"
    shutil.copytree(REPO / "data", data)
    events = (data / "events.csv").read_text(encoding="utf-8")
    old_title = "OpenAI launched as a nonprofit with $1 billion pledged"
    assert events.count(old_title) == 1
    (data / "events.csv").write_text(events.replace(old_title, "OpenAI founded (title edited by a test)"),
                                     encoding="utf-8")
    destination = root / "site"
    destination.mkdir()
    (destination / "notes.txt").write_text("a teacher's file", encoding="utf-8")
    command = [sys.executable, "-m", "lessons", "site", str(destination), "--lessons", "00", "--force",
               "--binder", BINDER, "--hub", HUB, "--repo", HUB_REPO]
    result = subprocess.run(command, cwd=root, capture_output=True, text=True, check=False,
                            env={**os.environ, "LESSONS_DATA_DIR": str(data)})
    assert result.returncode == 0, result.stderr
    return destination


def test_site_follows_a_changed_csv_row(site, edited_site):
    edited = "OpenAI founded (title edited by a test)"
    assert edited in (edited_site / "en" / "timeline.html").read_text(encoding="utf-8")
    assert edited in (edited_site / "en" / "00_start_here.html").read_text(encoding="utf-8")
    assert edited not in (site["folder"] / "en" / "timeline.html").read_text(encoding="utf-8")


def test_run_links_open_the_lesson_on_binder_and_on_the_hub(edited_site):
    page = (edited_site / "en" / "00_start_here.html").read_text(encoding="utf-8")
    run = re.search(r'<p class="lesson-run">(.*?)</p>', page, re.DOTALL).group(1)
    links = re.findall(r'href="([^"]+)"', run)
    assert links[0] == f"https://mybinder.org/v2/gh/{BINDER}/HEAD?urlpath=lab/tree/notebooks/00_start_here.ipynb"
    assert links[1] == (f"{HUB}/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgithub.com%2Fmy-school%2F"
                        "who-controls-openai&amp;branch=main&amp;urlpath=lab%2Ftree%2Fwho-controls-openai%2F"
                        "notebooks%2F00_start_here.ipynb")
    french = (edited_site / "fr" / "00_pour_commencer.html").read_text(encoding="utf-8")
    assert "urlpath=lab/tree/notebooks/fr/00_pour_commencer.ipynb" in french
    assert "Lancer cette leçon" in french


def test_force_writes_beside_a_teachers_files_without_deleting_them(edited_site):
    assert (edited_site / "notes.txt").read_text(encoding="utf-8") == "a teacher's file"


# --------------------------------------------------------------------------------------------
# Refusals, each one line on stderr with exit status 2, before any lesson runs.
# --------------------------------------------------------------------------------------------

def _refusal(capsys, *arguments) -> str:
    from lessons.__main__ import main

    assert main(["site", *map(str, arguments)]) == 2
    message = capsys.readouterr().err
    assert message.count("\n") == 1
    return message


@pytest.mark.parametrize("folder", ["notebooks", "lessons", "data"])
def test_refuses_a_destination_inside_the_repositorys_own_folders(capsys, folder):
    target = REPO / folder / "site-output"
    message = _refusal(capsys, target)
    assert message == (f"python -m lessons site: DEST: {target} is inside the repository's {folder}/ folder; "
                       f"choose a folder outside notebooks/, lessons/ and data/.\n")
    assert not target.exists()


def test_refuses_a_non_empty_folder_that_is_not_a_site_build(capsys, tmp_path):
    (tmp_path / "essay.txt").write_text("keep me", encoding="utf-8")
    message = _refusal(capsys, tmp_path)
    assert message == (f"python -m lessons site: DEST: {tmp_path} is not empty and holds no previous site build; "
                       f"choose an empty folder, or add --force to write into it anyway.\n")
    assert [path.name for path in tmp_path.iterdir()] == ["essay.txt"]


@pytest.mark.parametrize("arguments, expected", [
    (["--binder", "not a repository"], "--binder: expected OWNER/REPO, e.g. my-school/who-controls-openai; "
                                       "got 'not a repository'."),
    (["--hub", HUB], "--hub and --repo go together: the hub's address and the repository it pulls."),
    (["--hub", "hub.example.edu", "--repo", HUB_REPO], "--hub: expected an http(s) address; got 'hub.example.edu'."),
    (["--lessons", "42"], "--lessons: unknown lesson '42'; expected 'all' or numbers among 00, 01, 02, 03, 04, "
                          "05, 06, 07."),
])
def test_refuses_bad_options(capsys, tmp_path, arguments, expected):
    assert _refusal(capsys, tmp_path / "site", *arguments) == f"python -m lessons site: {expected}\n"


def test_a_rebuild_deletes_only_the_files_the_last_build_listed(tmp_path):
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "index.html").write_text("old page", encoding="utf-8")
    (tmp_path / "en" / "my-notes.txt").write_text("not from a build", encoding="utf-8")
    (tmp_path / MARKER).write_text(json.dumps({"files": ["en/index.html", MARKER]}), encoding="utf-8")
    _clear_previous_build(tmp_path)
    assert sorted(path.relative_to(tmp_path).as_posix() for path in tmp_path.rglob("*")) == ["en", "en/my-notes.txt"]


def test_launch_needs_both_hub_and_repo():
    with pytest.raises(SiteError, match="go together"):
        Launch(repo=HUB_REPO)


def _outline_notebook(folder: Path, time_line: str) -> Path:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_markdown_cell("# 09 — A test lesson\n\nTwo lines of hook."),
                      nbformat.v4.new_markdown_cell("## Questions\n- Who?\n\n## Objectives\n1. do\n   this;\n\n"
                                                    f"## Time\n\n{time_line}\n\nA note under the line.")]
    path = folder / "09_test.ipynb"
    nbformat.write(notebook, path)
    return path


def test_outline_reads_a_time_line_of_any_parts(tmp_path):
    lesson = outline.read_lesson(_outline_notebook(tmp_path, "Core: 45 min · Reading: 9 min · Going further: 7 min"))
    assert (lesson.number, lesson.title, lesson.questions, lesson.objectives) == ("09", "A test lesson", ("Who?",),
                                                                                  ("do this;",))
    assert lesson.time_text == "Core: 45 min · Reading: 9 min · Going further: 7 min"
    assert lesson.time_parts == (("Core", 45), ("Reading", 9), ("Going further", 7))
    assert (lesson.teaching_minutes, lesson.exercise_minutes) == (None, None)


def test_outline_refuses_a_time_line_without_minutes(tmp_path):
    path = _outline_notebook(tmp_path, "about an hour")
    with pytest.raises(outline.OutlineError) as error:
        outline.read_lesson(path)
    assert str(error.value) == (f"{path}: second cell: expected a Time line that gives minutes, e.g. "
                                "'Teaching: 25 min · Exercises: 20 min'; got 'about an hour'.")


# --------------------------------------------------------------------------------------------
# Snapshots come from the widget's own figure, summary and table.
# --------------------------------------------------------------------------------------------

def test_snapshot_shows_the_widgets_own_figure_summary_and_table():
    board = lessons.BoardTimeline(date="2023-11-17")
    snapshot = snapshot_html(board)
    assert board.panel.summary.value in snapshot
    assert board.panel.table_html.value in snapshot
    first_trace = board.panel.figure.data[0].name
    assert json.dumps(first_trace)[1:-1] in snapshot
    assert "17 November 2023" in snapshot
    assert "Interactive in JupyterLab" in snapshot


def test_snapshot_of_a_plain_html_widget_has_no_interactive_note():
    sources = lessons.show_sources(["openai-our-structure-2023-06-28"])
    snapshot = snapshot_html(sources)
    assert sources.value in snapshot
    assert "lessons-snapshot-note" not in snapshot


def test_snapshot_marks_the_chosen_option_of_a_choice():
    quiz = lessons.Quiz("00")
    snapshot = snapshot_html(quiz)
    assert snapshot.count("<strong>") >= 2  # question labels; no option chosen yet
    assert "Your answer" in snapshot


# --------------------------------------------------------------------------------------------
# In a real browser, from file://.
# --------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def chromium():
    reason = support.chromium_missing()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=support.CHROMIUM, args=support.CHROMIUM_ARGS)
        yield browser
        browser.close()


class Visit:
    """A page of the site opened from file://, with every request that leaves the site's folder (another
    file of the disk, or the network) blocked and recorded."""

    def __init__(self, browser, folder: Path, page: str):
        self.inside = folder.as_uri() + "/"
        self.context = browser.new_context(viewport={"width": 1100, "height": 900}, reduced_motion="reduce")
        self.outside, self.errors = [], []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", lambda message: self.errors.append(message.text) if message.type == "error" else None)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.goto((folder / page).as_uri(), wait_until="load")

    def _route(self, route):
        if route.request.url.startswith((self.inside, "data:")):
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def close(self):
        self.context.close()


@pytest.fixture
def visit(site, chromium):
    opened = []

    def open_page(page: str) -> Visit:
        opened.append(Visit(chromium, site["folder"], page))
        return opened[-1]

    yield open_page
    for page in opened:
        page.close()


def _axe(page) -> dict:
    from axe_playwright_python.base import AXE_SCRIPT

    page.evaluate(AXE_SCRIPT)
    return page.evaluate("async () => await axe.run(document, {preload: false, resultTypes: ['violations']})")


@pytest.mark.browser
@pytest.mark.parametrize("page", LESSON_PAGES + OTHER_PAGES)
def test_page_works_offline_draws_its_figures_and_passes_axe(site, visit, page):
    opened = visit(page)
    html = (site["folder"] / page).read_text(encoding="utf-8")
    figures = html.count('class="plotly-graph-div"')
    drawn = opened.page.evaluate(
        "() => [...document.querySelectorAll('.plotly-graph-div')].filter(d => d.querySelector('svg.main-svg')).length")
    assert (opened.outside, opened.errors) == ([], [])
    assert drawn == figures
    results = _axe(opened.page)
    counts = support.impact_counts(results)
    assert counts["critical"]["nodes"] == counts["serious"]["nodes"] == 0, support.describe_violations(results)


@pytest.mark.browser
@pytest.mark.parametrize("page", LESSON_PAGES)
def test_lesson_page_shows_every_widget_snapshot_and_folds_every_solution(visit, page):
    notebook = _notebook(page)
    opened = visit(page)
    widget_cells = len(support.widget_calls(notebook))
    solutions = sum("solution" in cell.metadata.get("tags", []) for cell in notebook.cells)
    assert opened.page.locator(".lessons-snapshot").count() == widget_cells
    details = opened.page.locator("details.lesson-solution")
    assert details.count() == solutions
    assert opened.page.locator("details.lesson-solution[open]").count() == 0
    assert not any(cell.is_visible() for cell in details.locator(".jp-Cell").all())


@pytest.mark.browser
def test_a_lesson_prints_without_controls_within_the_page_and_without_solutions(visit):
    opened = visit(LESSON_PAGES[3])  # lesson 03: two widgets with figures
    page = opened.page
    page.emulate_media(media="print")
    for hidden in (".site-header", ".lessons-snapshot-note", "details.lesson-solution", ".modebar-container"):
        assert not any(element.is_visible() for element in page.locator(hidden).all()), hidden
    widths = page.evaluate("() => [...document.querySelectorAll('svg.main-svg')].map(s => s.getBoundingClientRect().width)")
    assert widths and max(widths) <= A4_CONTENT_WIDTH_PX
    page.locator("details.lesson-solution").first.evaluate("details => details.open = true")
    assert page.locator("details.lesson-solution").first.is_visible()
