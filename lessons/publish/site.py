"""The lesson site: ``python -m lessons site DEST`` writes a static website that works offline.

What it holds, in English (``en/``) and French (``fr/``):

- a home page per edition: what the course is, each lesson's questions and time, how to run the lessons,
  the licences;
- every lesson, executed in a fresh kernel (:func:`lessons.maintain.execute`) and rendered by nbconvert's
  HTML exporter with the ``templates/lesson`` template: plotly figures drawn by the site's own copy of
  ``plotly.min.js``, each widget as its static snapshot (:func:`lessons.widgets._panel.snapshot_html`,
  built from the figure, summary and table the widget itself shows), solutions folded in ``<details>``;
- reference pages built from :mod:`lessons.data`: the timeline, the sources, the glossary, the board.

Nothing is fetched: scripts and stylesheets are copied into ``assets/`` from the installed plotly and
nbconvert packages. A file ``.lessons-site`` lists what a build wrote, so that the next build may replace
exactly those files, and nothing else, in a folder it made.

Why nbconvert rather than Jupyter Book 1: it is installed with JupyterLab already (no new dependency),
builds offline, and keeps JupyterLab's look for the lessons; Jupyter Book's navigation and search would
bring a Sphinx stack for 16 lesson pages and a handful of reference pages.
"""

from __future__ import annotations

import concurrent.futures
import copy
import json
import re
import shutil
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

import nbformat

from .. import i18n
from ..maintain import execute, strip
from ..teacher import LESSONS_DIR, TeacherError
from . import outline

__all__ = ["SiteError", "Launch", "build_site", "MARKER"]

REPO = LESSONS_DIR.parent
PROTECTED = ("notebooks", "lessons", "data")
MARKER = ".lessons-site"
HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
PLOTLY_MIME = "application/vnd.plotly.v1+json"
RUN_LINE = "pip install -r requirements.txt && jupyter lab notebooks/00_start_here.ipynb"
RUN_LINE_FR = "pip install -r requirements.txt && jupyter lab notebooks/fr/00_pour_commencer.ipynb"
# The cell the build runs after a lesson's setup cell, then removes: widgets show as static snapshots.
SNAPSHOT_CELL = "from lessons.widgets._panel import show_static_snapshots\nshow_static_snapshots()"
_ANSI = re.compile(r"\x1b\[[0-9;]*m")  # the colours of a traceback, which a one-line message drops
_OWNER_REPO = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9._-]+$")


class SiteError(Exception):
    """The site cannot be built; the message says why in one line."""


@dataclass(frozen=True)
class Launch:
    """Where a "Run this lesson" link opens a lesson: Binder (``binder="OWNER/REPO"``), a JupyterHub
    through nbgitpuller (``hub`` and ``repo`` URLs), both, or neither (no link)."""

    binder: str | None = None
    hub: str | None = None
    repo: str | None = None

    def __post_init__(self):
        if self.binder is not None and not _OWNER_REPO.match(self.binder):
            raise SiteError(f"--binder: expected OWNER/REPO, e.g. my-school/who-controls-openai; got {self.binder!r}.")
        if (self.hub is None) != (self.repo is None):
            raise SiteError("--hub and --repo go together: the hub's address and the repository it pulls.")
        for option, url in (("--hub", self.hub), ("--repo", self.repo)):
            if url is not None and not url.startswith(("https://", "http://")):
                raise SiteError(f"{option}: expected an http(s) address; got {url!r}.")

    @staticmethod
    def _notebook(lesson: outline.Lesson) -> str:
        return lesson.path.relative_to(REPO).as_posix()

    def binder_url(self, lesson: outline.Lesson) -> str:
        """The lesson on Binder (the README's badge link, opening this lesson)."""
        return f"https://mybinder.org/v2/gh/{self.binder}/HEAD?urlpath=lab/tree/{self._notebook(lesson)}"

    def hub_url(self, lesson: outline.Lesson) -> str:
        """The nbgitpuller link of the README's template: the hub copies the repository, opens the lesson."""
        folder = self.repo.rstrip("/").rsplit("/", 1)[-1].removesuffix(".git")
        query = urllib.parse.urlencode({"repo": self.repo, "branch": "main",
                                        "urlpath": f"lab/tree/{folder}/{self._notebook(lesson)}"})
        return f"{self.hub.rstrip('/')}/hub/user-redirect/git-pull?{query}"

    def links(self, lesson: outline.Lesson) -> list[dict]:
        links = []
        if self.binder:
            links.append({"label": i18n._("site.run_on_binder"), "url": self.binder_url(lesson)})
        if self.hub:
            links.append({"label": i18n._("site.run_on_hub"), "url": self.hub_url(lesson)})
        return links


# --------------------------------------------------------------------------------------------
# The destination folder.
# --------------------------------------------------------------------------------------------

def _checked_destination(destination: Path, force: bool) -> Path:
    """``destination``, resolved, once it is known to be a folder the site may be written into: not in
    the repository's own folders, and empty, a previous site build, or ``force`` given."""
    destination = destination.resolve()
    for name in PROTECTED:
        protected = REPO / name
        if destination == protected or protected in destination.parents:
            raise SiteError(f"DEST: {destination} is inside the repository's {name}/ folder; "
                            f"choose a folder outside notebooks/, lessons/ and data/.")
    if destination.exists() and not destination.is_dir():
        raise SiteError(f"DEST: {destination} is a file; expected a folder.")
    if (destination.exists() and not (destination / MARKER).is_file() and any(destination.iterdir())
            and not force):
        raise SiteError(f"DEST: {destination} is not empty and holds no previous site build; "
                        f"choose an empty folder, or add --force to write into it anyway.")
    return destination


def _clear_previous_build(destination: Path) -> None:
    """Delete the files a previous build listed in its marker (and folders left empty), nothing else."""
    marker = destination / MARKER
    if marker.is_file():
        for relative in json.loads(marker.read_text(encoding="utf-8"))["files"]:
            (destination / relative).unlink(missing_ok=True)
        for folder in sorted((path for path in destination.rglob("*") if path.is_dir()), reverse=True):
            if not any(folder.iterdir()):
                folder.rmdir()
    destination.mkdir(parents=True, exist_ok=True)


# --------------------------------------------------------------------------------------------
# Lessons: executed, then rendered.
# --------------------------------------------------------------------------------------------

def executed_lesson(path: Path):
    """The lesson at ``path`` run in a fresh kernel, its widgets displayed as static snapshots."""
    notebook = nbformat.read(path, as_version=4)
    strip(notebook)
    setup = next((index for index, cell in enumerate(notebook.cells)
                  if "setup" in cell.metadata.get("tags", [])), None)
    if setup is None:
        raise SiteError(f"{path}: expected a code cell tagged setup.")
    notebook.cells.insert(setup + 1, nbformat.v4.new_code_cell(SNAPSHOT_CELL))
    try:
        execute(notebook, path.parent)
    except Exception as error:  # noqa: BLE001 - nbclient raises several kinds; the page cannot be built
        first_line = _ANSI.sub("", (str(error).strip().splitlines() or [type(error).__name__])[-1])
        raise SiteError(f"{path}: running the lesson failed: {first_line}") from None
    del notebook.cells[setup + 1]
    notebook.metadata.pop("widgets", None)
    return notebook


def _static_plotly(notebook) -> None:
    """Replace every plotly figure output by the HTML that draws it with the page's plotly.js."""
    import plotly.io as pio

    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            figure = output.get("data", {}).get(PLOTLY_MIME)
            if figure is not None:
                output["data"] = {"text/html": pio.to_html(figure, include_plotlyjs=False, full_html=False),
                                  "text/plain": output["data"].get("text/plain", "")}


# --------------------------------------------------------------------------------------------
# Pages.
# --------------------------------------------------------------------------------------------

# Reference pages: name (of the page and its file) → keys of its title and description in strings.csv.
_REFERENCE_PAGES = {
    "timeline": ("site.timeline.title", "site.timeline.description"),
    "sources": ("site.sources.title", "site.sources.description"),
    "glossary": ("site.glossary.title", "site.glossary.description"),
    "board": ("site.board.title", "site.board.description"),
}


def _environment():
    import jinja2
    from markupsafe import Markup
    from nbconvert.filters import markdown2html

    def markdown_inline(text: str) -> Markup:
        rendered = markdown2html(text).strip()
        return Markup(rendered.removeprefix("<p>").removesuffix("</p>"))

    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES / "pages"), autoescape=True,
                                     undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    environment.filters["markdown_inline"] = markdown_inline
    environment.globals["t"] = i18n._
    return environment


def _common(language: str, current: str, other_page: str | None = None) -> dict:
    other = "fr" if language == "en" else "en"
    return {
        "language": language, "other_language": other, "other_page": other_page or current,
        "other_language_label": i18n._("site.other_language"), "root": "../", "current": current,
        "site_name": i18n._("site.name"), "plotly": False,
        "reference_pages": [{"file": f"{name}.html", "title": i18n._(title), "description": i18n._(description)}
                            for name, (title, description) in _REFERENCE_PAGES.items()],
    }


def _sources_table() -> str:
    from markupsafe import Markup, escape

    from .. import data

    head = "".join(f"<th scope='col'>{escape(i18n._(f'site.sources.col.{name}'))}</th>"
                   for name in ("source", "kind", "date", "link"))
    rows = []
    sources = data.sources()
    for source in sources.astype(object).where(sources.notna(), "").itertuples(index=False):  # blank, not NA
        when = (i18n.date_text(source.date, source.date_precision) if source.date_precision
                else i18n._("sources.undated"))
        named = escape(source.publisher)
        if source.outlet:
            named += Markup(" (") + escape(i18n._("sources.outlet", outlet=source.outlet)) + Markup(")")
        named += Markup(", ") + escape(i18n._("sources.title", title=source.title))
        link = (Markup("<a href='{0}'>{0}</a>").format(source.url) if source.url
                else escape(i18n._("sources.no_url")))
        kind = i18n._(f"sources.kind.{source.kind.replace(' ', '_')}")
        rows.append(Markup("<tr id='source-{}'><td>{}</td><td>{}</td><td>{}</td><td class='site-url'>{}</td></tr>")
                    .format(source.id, named, kind, when, link))
    return Markup("<table class='lessons-table site-table'><thead><tr>{}</tr></thead><tbody>{}</tbody></table>").format(
        Markup(head), Markup("".join(rows)))


def _timeline_table() -> str:
    from markupsafe import Markup, escape

    from .. import data
    from ..charts.history import category_label, status_label

    head = "".join(f"<th scope='col'>{escape(i18n._(f'site.timeline.col.{name}'))}</th>"
                   for name in ("date", "event", "category", "status", "sources"))
    rows = []
    for event in data.events().sort_values("date", kind="stable").to_dict("records"):
        sources = Markup(", ").join(Markup("<a href='sources.html#source-{0}'>{0}</a>").format(source_id)
                                    for source_id in event["source_ids"])
        what = Markup("<strong>{}</strong><br>{}").format(event[i18n.column("title")], event[i18n.column("summary")])
        rows.append(Markup("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>").format(
            i18n.date_text(event["date"], event["date_precision"]), what, category_label(event["category"]),
            status_label(event["status"]), sources))
    return Markup("<table class='lessons-table site-table'><thead><tr>{}</tr></thead><tbody>{}</tbody></table>").format(
        Markup(head), Markup("".join(rows)))


def _glossary_table(language: str) -> str:
    from markupsafe import Markup, escape

    from .. import data

    other = "fr" if language == "en" else "en"
    head = "".join(f"<th scope='col'>{escape(i18n._(f'site.glossary.col.{name}'))}</th>"
                   for name in ("term", "definition", "other_term"))
    rows = []
    glossary = data.glossary().sort_values(f"term_{language}", key=lambda terms: terms.str.casefold())
    for entry in glossary.to_dict("records"):
        rows.append(Markup("<tr id='term-{}'><th scope='row'>{}</th><td>{}</td><td lang='{}'>{}</td></tr>").format(
            entry["id"], entry[f"term_{language}"], entry[f"definition_{language}"], other, entry[f"term_{other}"]))
    return Markup("<table class='lessons-table site-table'><thead><tr>{}</tr></thead><tbody>{}</tbody></table>").format(
        Markup(head), Markup("".join(rows)))


def _reference_body(name: str, language: str) -> tuple[str, bool]:
    """The body of a reference page, and whether it draws plotly figures."""
    from markupsafe import Markup

    from ..widgets import BoardTimeline, TimelineExplorer
    from ..widgets._panel import snapshot_html

    # The widgets' charts as they first appear, without their controls: a reference page has nothing to move.
    if name == "timeline":
        return Markup(snapshot_html(TimelineExplorer().panel)) + _timeline_table(), True
    if name == "sources":
        return _sources_table(), False
    if name == "glossary":
        return _glossary_table(language), False
    board = BoardTimeline()
    return Markup(snapshot_html(board.panel)) + Markup(board.members.value), True


def _write(path: Path, text: str, written: list[Path]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    written.append(path)


def _copy_assets(destination: Path, written: list[Path]) -> None:
    import jupyter_core.paths
    import plotly

    assets = destination / "assets"
    assets.mkdir(parents=True, exist_ok=True)
    lab_static = next((Path(folder) / "lab" / "static" for folder in jupyter_core.paths.jupyter_path("nbconvert", "templates")
                       if (Path(folder) / "lab" / "static" / "index.css").is_file()), None)
    if lab_static is None:
        raise SiteError("nbconvert's lab template (lab/static/index.css) is not installed; reinstall nbconvert.")
    css = (lab_static / "index.css").read_text(encoding="utf-8") + (lab_static / "theme-light.css").read_text(encoding="utf-8")
    _write(assets / "jupyterlab.css", css, written)
    for source, name in ((Path(plotly.__file__).parent / "package_data" / "plotly.min.js", "plotly.min.js"),
                         (HERE / "static" / "site.css", "site.css")):
        shutil.copyfile(source, assets / name)
        written.append(assets / name)


def _write_pages(destination: Path, editions: dict, executed: dict, launch: Launch, written: list[Path]) -> None:
    """Write the assets and every page, adding each file to ``written`` as soon as it exists."""
    from nbconvert import HTMLExporter

    _copy_assets(destination, written)
    environment = _environment()
    exporter = HTMLExporter(template_name="lesson", extra_template_basedirs=[str(TEMPLATES)],
                            exclude_input_prompt=True, exclude_output_prompt=True)
    spoken = i18n.get_language()
    try:
        for language in i18n.LANGUAGES:
            i18n.set_language(language)
            lessons = editions[language]
            twins = {lesson.number: lesson.slug for lesson in editions["fr" if language == "en" else "en"]}
            for lesson in lessons:
                notebook = copy.deepcopy(executed[lesson.path])
                _static_plotly(notebook)
                page = f"{lesson.slug}.html"
                common = _common(language, page, f"{twins[lesson.number]}.html" if lesson.number in twins else "index.html")
                site = {"header": environment.get_template("header.html.j2").render(common),
                        "footer": environment.get_template("footer.html.j2").render(common),
                        "launch_links": launch.links(lesson), "run_label": i18n._("site.run_lesson"),
                        "solution_label": i18n._("site.solution")}
                body, _ = exporter.from_notebook_node(
                    notebook, resources={"site": site, "language_code": language,
                                         "metadata": {"name": f"{lesson.number} — {lesson.title}"}})
                _write(destination / language / page, body, written)
            home = environment.get_template("home.html.j2").render(
                _common(language, "index.html"), title=i18n._("site.name"), lessons=lessons, launch=launch,
                first_lesson=lessons[0], run_line=RUN_LINE if language == "en" else RUN_LINE_FR)
            _write(destination / language / "index.html", home, written)
            for name, (title, description) in _REFERENCE_PAGES.items():
                body, plotly = _reference_body(name, language)
                page = environment.get_template("reference.html.j2").render(
                    {**_common(language, f"{name}.html"), "plotly": plotly}, title=i18n._(title),
                    description=i18n._(description), body=body)
                _write(destination / language / f"{name}.html", page, written)
        names, intros = {}, {}
        for language in i18n.LANGUAGES:
            i18n.set_language(language)
            names[language], intros[language] = i18n._("site.name"), i18n._("site.enter")
    finally:
        i18n.set_language(spoken)
    _write(destination / "index.html",
           environment.get_template("languages.html.j2").render(names=names, intros=intros), written)


def build_site(destination: Path, *, selection: str = "all", launch: Launch = Launch(), force: bool = False,
               workers: int = 2) -> list[Path]:
    """Write the site into ``destination`` and return the files written (see the module's docstring).

    ``selection`` picks lessons as the teacher commands do ("all" or numbers such as "01,04"); the home
    pages list only those. Lessons run ``workers`` at a time, each in its own kernel."""
    try:
        editions = {language: outline.lessons(language, selection) for language in i18n.LANGUAGES}
    except (TeacherError, outline.OutlineError) as error:
        raise SiteError(str(error)) from None
    destination = _checked_destination(Path(destination), force)
    paths = [lesson.path for language in i18n.LANGUAGES for lesson in editions[language]]
    with concurrent.futures.ProcessPoolExecutor(max_workers=workers) as pool:
        executed = dict(zip(paths, pool.map(executed_lesson, paths)))
    _clear_previous_build(destination)  # only now: a lesson that fails to run leaves the last site whole

    written: list[Path] = []
    try:
        _write_pages(destination, editions, executed, launch, written)
    finally:
        # Even a build stopped half-way lists what it wrote, so that the next build may replace it.
        files = sorted(path.relative_to(destination).as_posix() for path in written)
        _write(destination / MARKER, json.dumps({"files": files + [MARKER]}, indent=1) + "\n", written)
    return written
