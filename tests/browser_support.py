"""Drive the lessons in a real JupyterLab, in headless Chromium: the helpers behind
``tests/test_browser.py``, and the command that regenerates the README's screenshots::

    python -m tests.browser_support docs/

Nothing here writes to the repository's notebooks. The server serves a throwaway root that mirrors
the repository (``notebooks/`` copied, with its ``lessons`` link resolving to the real package, and
``data/`` copied), with throwaway Jupyter config, data, runtime, settings and workspace folders and
autosave off. What a widget should show is computed in this process by building the same widget with
the package, from the literal arguments of the call in the notebook (read with :mod:`ast`, never
evaluated).
"""

from __future__ import annotations

import ast
import contextlib
import dataclasses
import hashlib
import html
import html.parser
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = REPO / "notebooks"
ARTIFACTS = REPO / "tests" / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
MISSING_CHROMIUM = "chromium not found: .ci/run installs it with apt-get"
LESSON_NAME = re.compile(r"^\d\d_.+\.ipynb$")

# The README's screenshots: (notebook, widget class, file under the target folder).
DOC_SHOTS = [
    ("notebooks/04_the_97_billion_bid.ipynb", "BidCalculator", "bid-calculator.png"),
    ("notebooks/02_the_capped_profit_experiment.ipynb", "StructureExplorer", "structure-explorer.png"),
]

# Settings a learner would not change, written to the throwaway settings folder.
LAB_SETTINGS = {
    # Render every cell, so that the tests see the whole notebook without scrolling.
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    # Never save: the notebooks are copies, and they must stay as they are anyway.
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
    # No "Would you like to get notified about official Jupyter news?" toast over the screenshots.
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false",
                                                                         "checkForUpdates": False},
}
# The development install has nbgrader; a learner's has not (README), so neither has this server.
SERVER_CONFIG = {"ServerApp": {"jpserver_extensions": {
    "nbgrader.server_extensions.formgrader": False, "nbgrader.server_extensions.validate_assignment": False,
    "nbgrader.server_extensions.assignment_list": False, "nbgrader.server_extensions.course_list": False}}}
PAGE_CONFIG = {"disabledExtensions": {"@jupyter/nbgrader": True}}


# ---------------------------------------------------------------------------------------------
# Which notebooks, and what each should show (computed without a browser).
# ---------------------------------------------------------------------------------------------

def lesson_notebooks(folder: Path = NOTEBOOKS) -> list[Path]:
    """Every ``notebooks/**/NN_*.ipynb`` (the French edition in ``notebooks/fr/`` included)."""
    return sorted(path for path in folder.rglob("*.ipynb")
                  if LESSON_NAME.match(path.name) and ".ipynb_checkpoints" not in path.parts)


def chromium_missing() -> str | None:
    """The reason the browser tests cannot run here, or ``None``."""
    return None if Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK) else MISSING_CHROMIUM


def _widget_names() -> set[str]:
    import lessons.widgets

    return set(lessons.widgets.__all__)


@dataclasses.dataclass
class WidgetCall:
    """A code cell whose last statement shows a widget: ``lessons.BidCalculator(stake=0.26)``."""

    cell: int                 # index of the cell in the notebook (and in JupyterLab's DOM)
    name: str                 # "BidCalculator", "show_sources", ...
    args: tuple = ()
    kwargs: dict = dataclasses.field(default_factory=dict)
    literal: bool = True      # False: an argument is not a literal, so nothing is predicted
    source: str = ""

    @property
    def label(self) -> str:
        return f"cell {self.cell} ({self.name})"

    def build(self, language: str = "en"):
        """The same widget, built in this process (``None`` when the arguments are not literal)."""
        if not self.literal:
            return None
        import lessons

        with in_language(language):
            factory = getattr(lessons.widgets, self.name)
            return factory(*self.args, **self.kwargs)


@contextlib.contextmanager
def in_language(language: str):
    import lessons

    before = lessons.get_language()
    lessons.set_language(language)
    try:
        yield
    finally:
        lessons.set_language(before)


def _parse_cell(source: str):
    from IPython.core.inputtransformer2 import TransformerManager

    try:
        return ast.parse(TransformerManager().transform_cell(source))
    except SyntaxError:
        return None


def _lessons_call(node) -> str | None:
    """``lessons.X(...)`` or ``lessons.widgets.X(...)`` → ``"X"``."""
    if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
        return None
    owner = node.func.value
    if isinstance(owner, ast.Name) and owner.id == "lessons":
        return node.func.attr
    if (isinstance(owner, ast.Attribute) and owner.attr == "widgets" and isinstance(owner.value, ast.Name)
            and owner.value.id == "lessons"):
        return node.func.attr
    return None


def _literal_arguments(call: ast.Call):
    try:
        args = tuple(ast.literal_eval(arg) for arg in call.args)
        kwargs = {keyword.arg: ast.literal_eval(keyword.value) for keyword in call.keywords}
    except (ValueError, TypeError, SyntaxError):
        return None
    if any(keyword.arg is None for keyword in call.keywords):
        return None
    return args, kwargs


def widget_calls(notebook: dict) -> list[WidgetCall]:
    """The cells that show a widget of :mod:`lessons.widgets`: their last statement is a call
    ``lessons.<Name>(...)`` (or ``lessons.widgets.<name>(...)``) of an exported widget."""
    names = _widget_names()
    found = []
    for index, cell in enumerate(notebook["cells"]):
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        tree = _parse_cell(source)
        if tree is None or not tree.body or not isinstance(tree.body[-1], ast.Expr):
            continue
        call = tree.body[-1].value
        name = _lessons_call(call)
        if name not in names:
            continue
        literal = _literal_arguments(call)
        args, kwargs = literal if literal is not None else ((), {})
        found.append(WidgetCall(index, name, args, kwargs, literal is not None, source))
    return found


def notebook_language(notebook: dict) -> str:
    """The ``language=`` of the notebook's ``lessons.setup(...)`` call (``"en"`` without one)."""
    for cell in notebook["cells"]:
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        tree = _parse_cell(source)
        for node in ast.walk(tree) if tree is not None else ():
            if _lessons_call(node) in ("setup", "set_language"):
                if node.args and _lessons_call(node) == "set_language":
                    with contextlib.suppress(ValueError):
                        return ast.literal_eval(node.args[0])
                for keyword in node.keywords:
                    if keyword.arg == "language":
                        with contextlib.suppress(ValueError):
                            return ast.literal_eval(keyword.value)
    return "en"


def hidden_solution_cells(notebook: dict) -> list[int]:
    """Code cells a learner should see collapsed: tagged ``solution`` or ``hide-cell``, or marked
    ``source_hidden``."""
    found = []
    for index, cell in enumerate(notebook["cells"]):
        tags = cell.get("metadata", {}).get("tags", [])
        hidden = cell.get("metadata", {}).get("jupyter", {}).get("source_hidden", False)
        if cell["cell_type"] == "code" and ("solution" in tags or "hide-cell" in tags or hidden):
            found.append(index)
    return found


class _Text(html.parser.HTMLParser):
    """Text as ``innerText`` gives it, once whitespace is collapsed: blocks are separated."""

    BLOCKS = {"p", "div", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "br", "table", "caption",
              "thead", "tbody", "tr", "td", "th", "details", "summary"}

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []

    def handle_starttag(self, tag, _attrs):
        if tag in self.BLOCKS:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in self.BLOCKS:
            self.parts.append(" ")

    def handle_data(self, data):
        self.parts.append(data)


def html_text(value: str) -> str:
    """The text a browser shows for an HTML fragment, whitespace collapsed."""
    parser = _Text()
    parser.feed(value or "")
    return squash("".join(parser.parts))


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def _shown(widget) -> bool:
    return getattr(getattr(widget, "layout", None), "display", None) != "none"


def _walk(widget):
    """The widget and the widgets inside it, in display order, skipping hidden ones."""
    if not _shown(widget):
        return
    yield widget
    for child in getattr(widget, "children", ()) or ():
        yield from _walk(child)


@dataclasses.dataclass
class Expected:
    """What a widget should show, from the same widget built in this process."""

    figures: list[int]        # number of traces of each figure, in display order
    summaries: list[str]      # texts of the ``lessons-summary`` paragraphs, in display order
    items: int | None = None  # rows of a sources list or glossary table (HTML widgets)


def expected_view(widget) -> Expected:
    from lessons.widgets._panel import ChartPanel

    figures, summaries = [], []
    for part in _walk(widget):
        if isinstance(part, ChartPanel) and part.figure is not None:
            figures.append(len(part.figure.data))
        value = getattr(part, "value", None)
        if isinstance(value, str) and "lessons-summary" in value:
            summaries.append(html_text(value))
    items = None
    if type(widget).__name__ == "HTML":
        items = len(re.findall(r"<li[\s>]", widget.value)) + len(re.findall(r"<tr[\s>]", widget.value))
    return Expected(figures, summaries, items)


# ---------------------------------------------------------------------------------------------
# The server: JupyterLab on 127.0.0.1, a free port, a token, throwaway everything.
# ---------------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def mirror_repository(root: Path) -> Path:
    """A throwaway root like the repository: ``notebooks/`` copied (its links kept, so
    ``notebooks/lessons`` → ``../lessons`` → the real package), ``lessons`` linked, ``data/`` copied."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(NOTEBOOKS, root / "notebooks", symlinks=True,
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    (root / "lessons").symlink_to(REPO / "lessons", target_is_directory=True)
    shutil.copytree(REPO / "data", root / "data")
    return root


class JupyterLabServer:
    """``jupyter lab`` started in a throwaway folder; :meth:`stop` always ends it and its kernels."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.root = mirror_repository(folder / "root")
        self._copies = self._fingerprints()
        self.port = free_port()
        self.token = secrets.token_hex(16)
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = folder / "jupyterlab.log"
        self.process: subprocess.Popen | None = None
        self._closing: list[threading.Thread] = []

    def _fingerprints(self) -> dict[str, str]:
        return {path.relative_to(self.root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
                for path in (self.root / "notebooks").rglob("*.ipynb")}

    def saved_copies(self) -> list[str]:
        """Copies of notebooks that changed on disk since the start: none, since nothing is saved."""
        now = self._fingerprints()
        return sorted(name for name, digest in self._copies.items() if now.get(name) != digest)

    def _environment(self) -> dict:
        dirs = {name: self.folder / name for name in ("config", "data", "runtime", "settings", "workspaces", "ipython")}
        for path in dirs.values():
            path.mkdir(parents=True, exist_ok=True)
        for name, values in LAB_SETTINGS.items():
            path = dirs["settings"] / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values), encoding="utf-8")
        (dirs["config"] / "jupyter_server_config.json").write_text(json.dumps(SERVER_CONFIG), encoding="utf-8")
        (dirs["config"] / "labconfig").mkdir(exist_ok=True)
        (dirs["config"] / "labconfig" / "page_config.json").write_text(json.dumps(PAGE_CONFIG), encoding="utf-8")
        env = dict(os.environ)
        # The labextensions (plotly, widgets) stay on the path: they live in sys.prefix/share/jupyter.
        env.update(JUPYTER_CONFIG_DIR=str(dirs["config"]), JUPYTER_DATA_DIR=str(dirs["data"]),
                   JUPYTER_RUNTIME_DIR=str(dirs["runtime"]), JUPYTERLAB_SETTINGS_DIR=str(dirs["settings"]),
                   JUPYTERLAB_WORKSPACES_DIR=str(dirs["workspaces"]), IPYTHONDIR=str(dirs["ipython"]),
                   LESSONS_DATA_DIR=str(self.root / "data"), JUPYTER_PLATFORM_DIRS="1",
                   PATH=os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")]))
        env.pop("JUPYTER_TOKEN", None)
        return env

    def start(self, timeout: float = 90) -> JupyterLabServer:
        command = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={self.port}",
                   "--ServerApp.port_retries=0", f"--IdentityProvider.token={self.token}",
                   f"--ServerApp.root_dir={self.root}", "--LabApp.news_url=None",
                   # window.jupyterapp: a prefetched tab runs its "Run All" command on its own (Lab.prefetch)
                   "--LabApp.expose_app_in_browser=True",
                   "--ServerApp.shutdown_no_activity_timeout=600"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.append("--allow-root")
        log = self.log_path.open("wb")
        self.process = subprocess.Popen(command, cwd=self.root, env=self._environment(), stdout=log,
                                        stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"jupyter lab exited with {self.process.returncode}:\n{self.log_tail()}")
            with contextlib.suppress(OSError, urllib.error.URLError):
                if self.api("/api/status") is not None:
                    return self
            time.sleep(0.2)
        raise RuntimeError(f"jupyter lab did not answer within {timeout:.0f} s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 40) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
        return ""

    def api(self, path: str, method: str = "GET"):
        request = urllib.request.Request(self.url + path, method=method,
                                         headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else {}

    def page_config(self) -> dict:
        request = urllib.request.Request(f"{self.url}/lab", headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            page = response.read().decode("utf-8")
        found = re.search(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', page, re.S)
        return json.loads(found.group(1)) if found else {}

    def shut_down_kernels_of(self, relative: str, wait: bool = False) -> None:
        """End the session (and kernel) of one notebook, in the background unless ``wait``."""
        def shut_down():
            with contextlib.suppress(OSError, urllib.error.URLError, ValueError):
                for session in self.api("/api/sessions"):
                    if session.get("path") == relative:
                        self.api(f"/api/sessions/{session['id']}", method="DELETE")

        if wait:
            shut_down()
            return
        thread = threading.Thread(target=shut_down, name=f"shut down {relative}", daemon=True)
        thread.start()
        self._closing.append(thread)

    def stop(self) -> None:
        for thread in self._closing:
            thread.join(timeout=10)
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGINT)      # twice: jupyter asks for confirmation after the first
        time.sleep(0.2)
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
        # Anything left in the group this server started (a kernel that ignored the shutdown).
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)


# ---------------------------------------------------------------------------------------------
# The browser.
# ---------------------------------------------------------------------------------------------

class Lab:
    """A JupyterLab server and a Chromium driving it; use as a context manager (always stopped)."""

    def __init__(self, folder: Path, viewport: tuple[int, int] = (1280, 900)):
        self.folder = Path(folder)
        self.viewport = {"width": viewport[0], "height": viewport[1]}
        self.server: JupyterLabServer | None = None
        self._playwright = None
        self.browser = None
        self.context = None
        self._loading: dict[Path, object] = {}

    def __enter__(self) -> Lab:
        try:
            self.server = JupyterLabServer(self.folder).start()
            from playwright.sync_api import sync_playwright

            self._playwright = sync_playwright().start()
            self.browser = self._playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            self.context = self.browser.new_context(viewport=self.viewport, reduced_motion="reduce")
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    def close(self) -> None:
        for step in (lambda: self.context and self.context.close(), lambda: self.browser and self.browser.close(),
                     lambda: self._playwright and self._playwright.stop()):
            with contextlib.suppress(Exception):
                step()
        self.context = self.browser = self._playwright = None
        if self.server is not None:
            self.server.stop()

    def open(self, path: Path) -> LessonPage:
        """Open the copy of ``path`` (a notebook of the repository) in a new tab."""
        return LessonPage(self, path)

    def url_of(self, path: Path) -> str:
        relative = Path(path).resolve().relative_to(REPO).as_posix()
        workspace = re.sub(r"[^A-Za-z0-9]+", "-", relative)
        return f"{self.server.url}/lab/workspaces/{workspace}/tree/{relative}?token={self.server.token}"

    def prefetch(self, path: Path) -> None:
        """Load ``path`` in a tab of its own now, and let that tab Run All by itself as soon as its
        kernel is idle, while another lesson is being checked (the tests then find it run)."""
        path = Path(path).resolve()
        if path in self._loading:
            return
        cells = len(json.loads(path.read_text(encoding="utf-8"))["cells"])
        page = self.context.new_page()
        page.add_init_script(script=_JS_BACKGROUND_RUN.replace("EXPECTED_CELLS", str(cells)))
        page.goto(self.url_of(path), wait_until="commit")
        self._loading[path] = page

    def _tab_for(self, path: Path):
        page = self._loading.pop(Path(path).resolve(), None)
        if page is None:
            page = self.context.new_page()
            page.goto(self.url_of(path), wait_until="commit")
        return page


# A prefetched tab: once the notebook shows all its cells and its kernel is idle, clear the outputs and
# Run All (the commands behind Edit > Clear Outputs of All Cells and Run > Run All Cells).
_JS_BACKGROUND_RUN = """(() => {
  window.__lessonsRunAll = 'waiting';
  const idle = () => [...document.querySelectorAll('.jp-StatusBar-TextItem')]
      .some(el => /\\|\\s*Idle$/.test(el.textContent.trim()));
  const tick = async () => {
    if (window.__lessonsRunAll !== 'waiting') return;     // the test took over
    const app = window.jupyterapp;
    const cells = document.querySelectorAll('.jp-NotebookPanel .jp-Notebook .jp-Cell').length;
    if (app && cells === EXPECTED_CELLS && idle() && app.commands.isEnabled('notebook:run-all-cells')) {
      window.__lessonsRunAll = 'started';
      try {
        await app.commands.execute('notebook:clear-all-cell-outputs');
        await app.commands.execute('notebook:run-all-cells');
      } catch (error) {
        window.__lessonsRunAll = 'failed: ' + error;
      }
      return;
    }
    setTimeout(tick, 200);
  };
  setTimeout(tick, 200);
})();"""


# JavaScript run in the page. ``panel`` is the notebook's panel element.
_JS_CELLS = """panel => [...panel.querySelectorAll('.jp-Notebook .jp-Cell')].map(cell => {
  const visible = el => !!el && el.checkVisibility();
  const prompt = cell.querySelector('.jp-InputArea-prompt');
  return {
    code: cell.classList.contains('jp-CodeCell'),
    prompt: prompt ? prompt.textContent.trim() : null,
    stderr: [...cell.querySelectorAll('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')]
        .map(el => el.innerText.slice(0, 3000)),
    widgetErrors: [...cell.querySelectorAll('.jp-OutputArea-output')]
        .filter(el => el.innerText.includes('Error displaying widget')).map(el => el.innerText.slice(0, 500)),
    widgetViews: cell.querySelectorAll('.jp-Cell-outputArea .jupyter-widgets').length,
    plotlyOutputs: [...cell.querySelectorAll('.jp-OutputArea-output[data-mime-type="application/vnd.plotly.v1+json"]')]
        .map(out => [...out.querySelectorAll('.js-plotly-plot')].map(gd => (gd.data || []).length)),
    figures: [...cell.querySelectorAll('.jp-Cell-outputArea .js-plotly-plot')].filter(visible)
        .map(gd => (gd.data || []).length),
    summaries: [...cell.querySelectorAll('.jp-Cell-outputArea .lessons-summary')].filter(visible)
        .map(el => el.innerText),
    warnings: [...cell.querySelectorAll('.jp-Cell-outputArea .lessons-warning')].filter(visible)
        .map(el => el.innerText),
    items: cell.querySelectorAll('.jp-Cell-outputArea .widget-html li, .jp-Cell-outputArea .widget-html tr').length,
    math: [...cell.querySelectorAll('.jp-MarkdownOutput mjx-container, .jp-MarkdownOutput .MathJax')]
        .map(el => el.textContent),
    overlaps: [...cell.querySelectorAll('.jp-Cell-outputArea .js-plotly-plot')].filter(visible).flatMap(gd => {
      // Legend entries drawn over tick labels or axis titles (more than half of the smaller box).
      const boxes = sel => [...gd.querySelectorAll(sel)].map(el => [el, el.getBoundingClientRect()])
          .filter(([, r]) => r.width > 0 && r.height > 0);
      const legend = boxes('.legend .traces');
      const covered = b => legend.some(([, a]) => {
        const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        return w > 0 && h > 0 && w * h > 0.5 * Math.min(a.width * a.height, b.width * b.height);
      });
      return boxes('.xtick text, .ytick text, .g-xtitle text, .g-ytitle text').filter(([, b]) => covered(b))
          .map(([el]) => el.textContent);
    }),
    controls: [...cell.querySelectorAll('.jp-Cell-outputArea .widget-inline-hbox')].filter(visible).flatMap(box => {
      const label = box.querySelector(':scope > label.widget-label');
      return [...box.querySelectorAll(':scope > input, :scope > select, :scope > textarea')]
        .filter(el => visible(el) && !['radio', 'checkbox', 'hidden'].includes(el.type))
        .map(el => ({label: label ? label.textContent.trim() : '', type: el.type || el.tagName.toLowerCase(),
                     value: el.value, width: el.clientWidth, scrollWidth: el.scrollWidth}));
    }),
  };
})"""

_JS_RUN_STATUS = """panel => ({
  prompts: [...panel.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')].map(el => el.textContent.trim()),
  idle: [...document.querySelectorAll('.jp-StatusBar-TextItem')].some(el => /\\|\\s*Idle$/.test(el.textContent.trim())),
  raised: [...panel.querySelectorAll('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')]
      .some(el => el.innerText.includes('Traceback (most recent call last)') || /^\\w*Error\\b/m.test(el.innerText)),
})"""

_JS_STATE = """out => {
  const visible = el => !!el && el.checkVisibility();
  const texts = sel => [...out.querySelectorAll(sel)].filter(visible)
      .map(el => el.innerText.replace(/\\s+/g, ' ').trim());
  let hash = 0;
  const figures = [...out.querySelectorAll('.js-plotly-plot')].filter(visible).map(gd => {
    const layout = gd.layout || {};
    const text = JSON.stringify([gd.data || [], layout.shapes || [], layout.annotations || [], layout.title || '']);
    for (let i = 0; i < text.length; i++) hash = (hash * 31 + text.charCodeAt(i)) | 0;
    return (gd.data || []).length;
  });
  return {figures, figureHash: hash, summaries: texts('.lessons-summary'), counts: texts('.lessons-count'),
          feedback: texts('.lessons-feedback'), scores: texts('.lessons-score'), tables: texts('.lessons-table'),
          boards: texts('.lessons-board'), messages: texts('.lessons-message')};
}"""


class LessonPage:
    """One lesson open in JupyterLab: run, inspected, clicked."""

    def __init__(self, lab: Lab, path: Path):
        self.lab = lab
        self.path = Path(path)
        self.relative = self.path.resolve().relative_to(REPO).as_posix()
        self.notebook = json.loads(self.path.read_text(encoding="utf-8"))
        self.language = notebook_language(self.notebook)
        self.calls = widget_calls(self.notebook)
        self.timings: dict[str, float] = {}
        self.page = None
        self.started = time.monotonic()

    # -- opening and running -----------------------------------------------------------------

    def _mark(self, step: str) -> None:
        self.timings[step] = round(time.monotonic() - self.started, 2)

    def open(self) -> LessonPage:
        self.page = self.lab._tab_for(self.path)
        self.panel = self.page.locator(".jp-NotebookPanel").filter(
            has=self.page.locator(".jp-Notebook")).first
        self.panel.locator(".jp-Notebook .jp-Cell").first.wait_for(timeout=60_000)
        expected_cells = len(self.notebook["cells"])
        self.page.wait_for_function(
            "([n]) => document.querySelectorAll('.jp-NotebookPanel .jp-Notebook .jp-Cell').length === n",
            arg=[expected_cells], timeout=30_000)
        self._mark("opened")
        self._close_left_sidebar()
        # Did the tab start Run All on its own (Lab.prefetch)? If not, stop it from doing so and drive it.
        self.background = self.page.evaluate(
            "() => { if (window.__lessonsRunAll === 'waiting') window.__lessonsRunAll = 'taken over';"
            " return window.__lessonsRunAll || ''; }")
        if self.background != "started":
            self.wait_for_kernel_idle()
        self._mark("kernel idle" if self.background != "started" else "run started in its own tab")
        return self

    def _close_left_sidebar(self) -> None:
        with contextlib.suppress(Exception):
            self.page.wait_for_selector("#jp-left-stack:not(.lm-mod-hidden)", timeout=1_500)
            self.page.locator(".jp-SideBar.jp-mod-left .lm-TabBar-tab.lm-mod-current").click(timeout=2_000)

    def wait_for_kernel_idle(self, timeout: float = 60_000) -> None:
        self.page.wait_for_function(
            "() => [...document.querySelectorAll('.jp-StatusBar-TextItem')]"
            ".some(el => /\\|\\s*Idle$/.test(el.textContent.trim()))", timeout=timeout)

    def _menu(self, menu: str, item: str) -> None:
        self.page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(f"^{re.escape(menu)}$")).click()
        self.page.locator(".lm-Menu-itemLabel", has_text=re.compile(f"^{re.escape(item)}$")).click()

    def run_all(self, timeout: float = 120) -> LessonPage:
        """Clear every output (and execution count), Run All, and wait until every code cell ran, or
        until a cell raised (JupyterLab then stops running the cells below it)."""
        if getattr(self, "background", "") != "started":
            self._menu("Edit", "Clear Outputs of All Cells")
            self._menu("Run", "Run All Cells")
        deadline, stopped_since = time.monotonic() + timeout, None
        if not any(cell["cell_type"] == "code" for cell in self.notebook["cells"]):
            deadline = 0.0          # nothing to run
        while time.monotonic() < deadline:
            status = self.panel.evaluate(_JS_RUN_STATUS)
            if status["idle"] and status["prompts"] and all(re.fullmatch(r"\[\d+\]:", p) for p in status["prompts"]):
                break
            if status["idle"] and status["raised"] and "[*]:" not in status["prompts"]:
                stopped_since = stopped_since or time.monotonic()
                if time.monotonic() - stopped_since > 1.5:     # still stopped: Run All ended on the error
                    break
            else:
                stopped_since = None
            self.page.wait_for_timeout(200)
        else:
            if deadline:
                raise TimeoutError(f"{self.relative}: Run All did not finish within {timeout:.0f} s")
        self._mark("ran")
        return self

    def wait_for_widgets(self, expected: dict[int, Expected], timeout: float = 30_000) -> bool:
        """Wait until every widget cell shows a widget view and the expected figures (False on timeout)."""
        wanted = {str(cell): len(view.figures) if view is not None else -1 for cell, view in expected.items()}
        try:
            self.page.wait_for_function(
                """([wanted]) => {
                  const cells = document.querySelectorAll('.jp-NotebookPanel .jp-Notebook .jp-Cell');
                  return Object.entries(wanted).every(([index, figures]) => {
                    const cell = cells[Number(index)];
                    const prompt = cell && cell.querySelector('.jp-InputArea-prompt');
                    if (prompt && !/^\\[\\d+\\]:$/.test(prompt.textContent.trim())) return true;   // never ran
                    if (!cell || !cell.querySelector('.jp-Cell-outputArea .jupyter-widgets')) return false;
                    const plots = [...cell.querySelectorAll('.jp-Cell-outputArea .js-plotly-plot')]
                        .filter(gd => gd.checkVisibility() && gd.data);
                    return figures < 0 ? true : plots.length >= figures;
                  });
                }""", arg=[wanted], timeout=timeout, polling=200)
            ok = True
        except Exception:  # noqa: BLE001 - the tests report what is missing
            ok = False
        self.page.wait_for_timeout(300)   # let plotly finish drawing before screenshots
        self._mark("widgets shown")
        return ok

    # -- reading ---------------------------------------------------------------------------------

    def cells(self) -> list[dict]:
        return self.panel.evaluate(_JS_CELLS)

    def cell(self, index: int):
        return self.panel.locator(".jp-Notebook .jp-Cell").nth(index)

    def output(self, index: int):
        return self.cell(index).locator(".jp-Cell-outputArea")

    def state(self, index: int) -> dict:
        return self.output(index).evaluate(_JS_STATE)

    def page_text(self) -> str:
        return self.panel.inner_text()

    # -- pictures and audits ----------------------------------------------------------------------

    def screenshot(self, target: Path, cell: int | None = None) -> Path:
        """The viewport, scrolled to ``cell`` (the first widget with a figure by default)."""
        target.parent.mkdir(parents=True, exist_ok=True)
        if cell is None:
            with_figures = [c.cell for c in self.calls if c.name not in ("show_sources", "glossary_table")]
            cell = with_figures[0] if with_figures else (self.calls[0].cell if self.calls else None)
        if cell is not None:
            self.cell(cell).scroll_into_view_if_needed()
            self.cell(cell).evaluate("el => el.scrollIntoView({block: 'start'})")
            self.page.wait_for_timeout(200)
        self.page.screenshot(path=str(target))
        return target

    def screenshot_output(self, cell: int, target: Path, margin: int = 12) -> Path:
        """Just the output of one cell, with a small margin (the README's pictures)."""
        target.parent.mkdir(parents=True, exist_ok=True)
        area = self.cell(cell).locator(".jp-Cell-outputWrapper")
        area.evaluate("""(el, margin) => {
            el.scrollIntoView({block: 'start'});
            const scroller = el.closest('.jp-WindowedPanel-outer');
            if (scroller) scroller.scrollTop -= 2 * margin;    // room above, below the toolbar
        }""", margin)
        self.page.wait_for_timeout(300)
        box = area.bounding_box()
        viewport = self.page.viewport_size
        left, top = max(box["x"] - margin, 0), max(box["y"] - margin, 0)
        clip = {"x": left, "y": top, "width": min(box["width"] + 2 * margin, viewport["width"] - left),
                "height": min(box["height"] + 2 * margin, viewport["height"] - top)}
        self.page.screenshot(path=str(target), clip=clip, animations="disabled")
        return target

    def axe(self) -> dict:
        """axe-core on the notebook's output areas only (not JupyterLab's own interface)."""
        from axe_playwright_python.base import AXE_SCRIPT

        if not self.page.evaluate("() => typeof window.axe !== 'undefined'"):
            self.page.evaluate(AXE_SCRIPT)
        return self.page.evaluate(
            """async () => await axe.run({include: [['.jp-NotebookPanel .jp-Notebook .jp-Cell-outputArea']]},
                                         {resultTypes: ['violations']})""")

    def close(self) -> None:
        with contextlib.suppress(Exception):
            if self.page is not None:
                self.page.close()
        self.lab.server.shut_down_kernels_of(self.relative)
        self._mark("closed")


def impact_counts(results: dict) -> dict[str, dict[str, int]]:
    """axe violations by impact: how many rules and how many elements."""
    counts = {impact: {"rules": 0, "nodes": 0} for impact in ("critical", "serious", "moderate", "minor")}
    for violation in results.get("violations", []):
        impact = violation.get("impact") or "minor"
        counts.setdefault(impact, {"rules": 0, "nodes": 0})
        counts[impact]["rules"] += 1
        counts[impact]["nodes"] += len(violation.get("nodes", []))
    return counts


def describe_violations(results: dict, impacts=("critical", "serious")) -> str:
    lines = []
    for violation in results.get("violations", []):
        if violation.get("impact") not in impacts:
            continue
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']} "
                     f"[{len(violation['nodes'])} element(s)] {violation.get('helpUrl', '')}")
        for node in violation["nodes"][:5]:
            target = " ".join(map(str, node.get("target", [])))
            lines.append(f"    {target}: {squash(node.get('html', ''))[:240]}")
            summary = squash(node.get("failureSummary", ""))
            if summary:
                lines.append(f"      {summary[:300]}")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# One real interaction per widget type: do in the browser what a learner does, do the same to the
# widget built here, and return what the browser should then show.
# ---------------------------------------------------------------------------------------------

@dataclasses.dataclass
class Interaction:
    description: str          # what the learner did
    watch: str                # the key of LessonPage.state() expected to change and to match
    expected: list[str]       # what that part should show afterwards (texts, whitespace collapsed)
    figures: list[int] = dataclasses.field(default_factory=list)   # traces of each figure afterwards
    figure_changes: bool = False   # whether the same action changes the figure of the widget built here


def _figure_json(widget) -> list[str]:
    from lessons.widgets._panel import ChartPanel

    return [part.figure.to_json() for part in _walk(widget) if isinstance(part, ChartPanel) and part.figure is not None]


def _control(out, description: str):
    """The ipywidgets control labelled ``description`` (the parent of its ``label.widget-label``)."""
    labels = [squash(text) for text in out.locator("label.widget-label").all_text_contents()]
    for index, text in enumerate(labels):
        if text and text == squash(description):
            return out.locator("label.widget-label").nth(index).locator("xpath=..")
    raise AssertionError(f"no control labelled {description!r} in the output (labels: {[t for t in labels if t]})")


def _summaries(widget) -> list[str]:
    return expected_view(widget).summaries


def _feedback(widget) -> list[str]:
    return [html_text(part.value) for part in widget.feedback if part.value]


def _part(widget, path: str):
    """``"choices.0"`` → ``widget.choices[0]``."""
    for step in path.split("."):
        widget = widget[int(step)] if step.isdigit() else getattr(widget, step)
    return widget


def _warning(widget) -> bool:
    return "lessons-warning" in (getattr(getattr(widget, "message", None), "value", "") or "")


def _labels(control) -> dict:
    """Option value → label of a selection control."""
    return dict(zip(control._options_values, control._options_labels))


def _set_in_browser(out, control, value) -> str:
    """Do in the page what a learner does to give ``control`` the ``value``; return what was done.

    Works from the control's type, so that a lesson may swap a slider for a menu: sliders by keyboard
    (End / Home), menus and lists by choosing options, fields by typing then Enter, dates by typing,
    toggle and radio buttons by clicking the option's label."""
    import ipywidgets as widgets

    from lessons.widgets._controls import CheckboxGroup

    name = squash(control.description)
    if isinstance(control, CheckboxGroup):
        group = out.locator(".lessons-checkbox-group").filter(
            has=out.page.locator(".lessons-group-label", has_text=control.description))
        for label, option in control.options:
            group.get_by_role("checkbox", name=label, exact=True).set_checked(option in value)
        return f"ticked {[label for label, option in control.options if option in value]} in {name!r}"
    box = _control(out, control.description)
    if isinstance(control, (widgets.FloatSlider, widgets.IntSlider, widgets.SelectionSlider)):
        values = list(control._options_values) if isinstance(control, widgets.SelectionSlider) else [control.min,
                                                                                                   control.max]
        key = {values[-1]: "End", values[0]: "Home"}.get(value)
        if key is None:
            raise ValueError(f"a slider is driven to its ends only, not to {value!r}")
        handle = box.locator(".noUi-handle")
        handle.focus()
        handle.press(key)
        return f"pressed {key} on the slider {name!r}"
    if isinstance(control, widgets.DatePicker):
        field = box.locator("input")
        field.fill(value.isoformat())
        field.press("Tab")
        return f"typed {value.isoformat()} in the date field {name!r}"
    if isinstance(control, widgets.SelectMultiple):
        labels = [_labels(control)[item] for item in value]
        box.locator("select").select_option(label=labels)
        return f"selected {labels} in {name!r}"
    if isinstance(control, (widgets.Dropdown, widgets.Select)):
        label = _labels(control)[value]
        box.locator("select").select_option(label=label)
        return f"chose {label!r} in {name!r}"
    if isinstance(control, (widgets.ToggleButtons, widgets.RadioButtons)):
        label = _labels(control)[value]
        role = "button" if isinstance(control, widgets.ToggleButtons) else "radio"
        box.get_by_role(role, name=label, exact=True).first.click()
        return f"clicked {label!r} ({name!r})"
    if isinstance(control, (widgets.Text, widgets.FloatText, widgets.BoundedFloatText, widgets.IntText,
                            widgets.BoundedIntText)):
        field = box.locator("input")
        field.fill(str(value))
        field.press("Enter")
        return f"typed {value} in {name!r} and pressed Enter"
    raise TypeError(f"no learner action for a {type(control).__name__} ({name!r})")


def _days(*days):
    import datetime as dt

    return [dt.date.fromisoformat(day) for day in days]


def _timeline_ends(widget):
    """End dates that keep some of the events shown: the middle one first."""
    import lessons.data

    ids = [value for _label, value in widget.event.options]
    dates = sorted(lessons.data.events().set_index("id").loc[ids, "date"].dt.date) if ids else []
    return [dates[len(dates) * k // 8] for k in (4, 2, 6, 1, 7)] if len(dates) > 1 else []


def _ends_first(control):
    values = list(getattr(control, "_options_values", ()))
    if not values:
        return [control.max, control.min] if hasattr(control, "max") else []
    return [values[-1], values[0], values[len(values) // 2]]


def _options_but_current(control):
    return [value for value in reversed(list(control.options)) if value != control.value]


def _claim_evidence_first(widget):
    """The claim checker shows nothing until a claim has its evidence too: pick the first claim's
    right evidence before its verdict."""
    right = next(value for _label, value in widget.evidence[0].options if value in widget._right_evidence[0])
    return [("evidence.0", right)]


# Widget class → (the control a learner changes, candidate values from a fresh widget, what to watch[,
# the steps a learner takes first: a function of a fresh widget giving (control, value) pairs]).
_ACTIONS = {
    "TimelineExplorer": ("end", _timeline_ends, "summaries"),
    "BoardTimeline": ("date", lambda w: _days("2023-11-30", "2019-03-08", "2024-03-08", "2018-02-20"), "summaries"),
    "StructureExplorer": ("month", lambda w: _ends_first(w.month), "summaries"),
    "OwnershipExplorer": ("date", lambda w: _options_but_current(w.date), "summaries"),
    "CappedReturnCalculator": ("cap", lambda w: [20, 50], "summaries"),
    "BidCalculator": ("stake", lambda w: [1.0, 0.5, 0.0], "summaries"),
    "StructureComparator": ("organisations", lambda w: [tuple(w.organisations._options_values[:2]),
                                                        tuple(w.organisations._options_values[1:3])], "summaries"),
    "ClaimChecker": ("choices.0", lambda w: list(w.choices[0]._options_values), "feedback", _claim_evidence_first),
    "ArgumentSorter": ("choices.0", lambda w: list(w.choices[0]._options_values), "feedback"),
    "Quiz": ("questions.0", lambda w: list(getattr(w.questions[0], "_options_values", ())) or [1.0, 2.0],
             "feedback"),
}


def interact(lesson: LessonPage, call: WidgetCall) -> Interaction | None:
    """Perform one learner action on the widget of ``call``, and predict what it should then show by
    doing the same to the widget built here; ``None`` for widgets without controls."""
    if not call.literal:
        return None
    if call.name not in _ACTIONS:
        raise LookupError(f"no learner action defined for {call.name}: add one to _ACTIONS in tests/browser_support.py")
    path, candidates_of, watch, *first = _ACTIONS[call.name]
    read = _summaries if watch == "summaries" else _feedback
    out = lesson.output(call.cell)
    out.scroll_into_view_if_needed()
    with in_language(lesson.language):
        probe = call.build(lesson.language)
        before_figures = _figure_json(probe)
        steps = first[0](probe) if first else []
        for value in candidates_of(probe):
            widget = call.build(lesson.language)
            for step_path, step_value in steps:
                _part(widget, step_path).value = step_value
            shown_before = read(widget)
            try:
                _part(widget, path).value = value
            except Exception:  # noqa: BLE001 - a value this control refuses: try the next one
                continue
            if read(widget) != shown_before and not _warning(widget):
                break
        else:
            raise AssertionError(f"no value of {path} among the candidates changes what the widget shows")
        done = "; ".join([*(_set_in_browser(out, _part(probe, step_path), step_value)
                            for step_path, step_value in steps),
                          _set_in_browser(out, _part(probe, path), value)])
        return Interaction(done, watch, read(widget), expected_view(widget).figures,
                           _figure_json(widget) != before_figures)


STATIC_WIDGETS = ("show_sources", "glossary_table")


def wait_for_change(lesson: LessonPage, cell: int, before: dict, key: str, figure: bool = False,
                    timeout: float = 15) -> dict:
    """The output's state once ``key`` (and the figure, if ``figure``) no longer match ``before``."""
    deadline = time.monotonic() + timeout
    now = before
    while time.monotonic() < deadline:
        now = lesson.state(cell)
        if now[key] != before[key] and (not figure or now["figureHash"] != before["figureHash"]):
            lesson.page.wait_for_timeout(150)     # a last redraw (the figure comes with the summary)
            return lesson.state(cell)
        lesson.page.wait_for_timeout(100)
    return now


# ---------------------------------------------------------------------------------------------
# The README's screenshots.
# ---------------------------------------------------------------------------------------------

def make_doc_screenshots(target: Path) -> list[Path]:
    made = []
    with tempfile.TemporaryDirectory(prefix="lessons-screenshots-") as folder, \
            Lab(Path(folder), viewport=(1100, 1600)) as lab:
        for notebook, widget, name in DOC_SHOTS:
            lesson = lab.open(REPO / notebook).open().run_all()
            try:
                call = next(c for c in lesson.calls if c.name == widget)
                view = expected_view(call.build(lesson.language))
                lesson.wait_for_widgets({call.cell: view})
                made.append(lesson.screenshot_output(call.cell, target / name))
            finally:
                lesson.close()
    return made


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1 or argv[0] in ("-h", "--help"):
        print(__doc__.strip().splitlines()[0])
        print("usage: python -m tests.browser_support FOLDER   (the README's pictures: docs/)")
        return 2
    reason = chromium_missing()
    if reason:
        print(reason, file=sys.stderr)
        return 1
    target = Path(argv[0])
    for path in make_doc_screenshots(target):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
        print(f"wrote {path} ({path.stat().st_size // 1024} KB, sha256 {digest})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
