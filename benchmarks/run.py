#!/usr/bin/env python
"""Performance benchmarks for the lessons: measured on this machine, printed as a table, saved as JSON.

    python benchmarks/run.py             # everything except the test suite (10-15 minutes)
    python benchmarks/run.py --quick     # fewer repeats (about 5 minutes)
    python benchmarks/run.py --suite     # also time `pytest -m "not browser"`, `-m browser` and all (long)
    python benchmarks/run.py --explain   # also profile every figure that misses its target
    python benchmarks/run.py --only widgets imports   # some sections only

What is measured (each several times; the table gives the median and the spread):

- notebooks: headless execution of every ``notebooks/**/NN_*.ipynb`` through
  :func:`lessons.maintain.execute` (nbclient, a fresh kernel each run) on an in-memory copy (the committed
  file is never written), against the floor: a one-cell notebook that only imports pandas, plotly and
  ipywidgets, run the same way. Target: notebook / floor <= 2.
- imports: ``import lessons`` in a fresh interpreter against ``import pandas, plotly, ipywidgets``.
  Target: ratio <= 1.2. Also, for information, what a lesson's setup cell pays.
- data: cold load of every table through its loader in a fresh interpreter, and a cached load (in-process,
  after a first load).
- widgets: server-side redraw latency of every widget over many seeded random interactions (a control's
  ``.value`` set to a random valid value that differs from the current one), inside a real kernel (so the
  figure is displayed into the widget's Output and serialised, as in a lesson) and in plain Python (the
  figure is built but not displayed, as in the unit tests). Targets: median <= 20 ms, p95 <= 50 ms.
- sizes: committed notebook files. Target: <= 100 kB each.
- site: ``python -m lessons site`` into a temporary folder (every lesson of both editions executed and
  rendered), with the number and size of the files it writes. Target: the whole build <= 2 minutes.
- handouts: ``python -m lessons handouts`` into a temporary folder, each edition (all eight lessons, with
  the A4 PDFs when Chromium is found), with the number and size of the files and the PDFs' page counts.
  No target: it is reported so that a slow printer shows.
- suite (``--suite``): wall time of the test suite without the browser tests, of the browser tests
  alone (or a note that ``-m browser`` selects nothing), and of the whole suite.

Timing figures are compared with targets here and only here: the tests assert no timings. Results go to
``benchmarks/results.json`` (ignored by git). Nothing here writes to ``notebooks/`` or ``data/``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
NOTEBOOKS = REPO / "notebooks"
RESULTS = HERE / "results.json"
SECTIONS = ("imports", "data", "widgets", "notebooks", "sizes", "site", "handouts", "suite")

NOTEBOOK_RATIO_TARGET = 2.0
IMPORT_RATIO_TARGET = 1.2
REDRAW_MEDIAN_TARGET_MS = 20.0
REDRAW_P95_TARGET_MS = 50.0
NOTEBOOK_SIZE_TARGET = 100_000  # bytes (100 kB)
SITE_BUILD_TARGET = 120.0  # seconds: the whole site (16 lessons executed) in under 2 minutes
# nbclient here sometimes stalls on a cell until its timeout, then goes on as if nothing happened (the
# kernel and the client both idle). A run that long is counted as a stall; a shorter timeout than
# `refresh`'s 300 s keeps a stall from costing five minutes. No lesson cell comes near it.
NOTEBOOK_TIMEOUT = 120
STALL_SECONDS = 0.9 * NOTEBOOK_TIMEOUT

FLOOR_CODE = "import pandas, plotly, ipywidgets"
SETUP_CODE = 'import lessons\nlessons.setup(renderer="plotly_mimetype", template="plotly_white", language="en")'
WIDGETS = ("TimelineExplorer", "StructureExplorer", "BoardTimeline", "OwnershipExplorer", "CappedReturnCalculator",
           "BidCalculator", "ClaimChecker", "ArgumentSorter", "StructureComparator", "Quiz")


# --------------------------------------------------------------------------------------------
# Statistics and the result table.
# --------------------------------------------------------------------------------------------

def summary(values: list[float]) -> dict:
    """Median, min, max, quartiles and p95 (nearest rank) of ``values``."""
    ordered = sorted(values)
    n = len(ordered)
    quartiles = statistics.quantiles(ordered, n=4) if n >= 2 else [ordered[0]] * 3
    return {"n": n, "median": statistics.median(ordered), "min": ordered[0], "max": ordered[-1],
            "q1": quartiles[0], "q3": quartiles[2], "p95": ordered[max(0, math.ceil(0.95 * n) - 1)],
            "values": [round(v, 6) for v in values]}


class Table:
    """Rows of the printed table; each also goes to results.json."""

    def __init__(self):
        self.rows: list[dict] = []

    def add(self, section: str, measure: str, value: str, spread: str = "", n="", target: str = "",
            status: str = "", **extra) -> None:
        self.rows.append({"section": section, "measure": measure, "value": value, "spread": spread,
                          "n": n, "target": target, "status": status, **extra})

    def render(self) -> str:
        headers = ("Measure", "Median", "Spread", "n", "Target", "Status")
        keys = ("measure", "value", "spread", "n", "target", "status")
        widths = [max(len(h), *(len(str(r[k])) for r in self.rows)) if self.rows else len(h)
                  for h, k in zip(headers, keys)]
        line = "  ".join(h.ljust(w) for h, w in zip(headers, widths))
        out = [line, "  ".join("-" * w for w in widths)]
        section = None
        for row in self.rows:
            if row["section"] != section:
                section = row["section"]
                out.append(f"[{section}]")
            out.append("  ".join(str(row[k]).ljust(w) for k, w in zip(keys, widths)).rstrip())
        return "\n".join(out)

    def markdown(self) -> str:
        out = ["| Section | Measure | Median | Spread | n | Target | Status |", "|---|---|---|---|---|---|---|"]
        for row in self.rows:
            cells = [row["section"], row["measure"], row["value"], row["spread"], row["n"], row["target"],
                     row["status"]]
            out.append("| " + " | ".join(str(c).replace("|", "\\|") for c in cells) + " |")
        return "\n".join(out)


def secs(value: float) -> str:
    return f"{value:.2f} s"


def ms(value: float) -> str:
    return f"{value:.1f} ms"


def ok(condition: bool) -> str:
    return "OK" if condition else "MISS"


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------
# The machine.
# --------------------------------------------------------------------------------------------

def machine() -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor()
    ram = ""
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        ram = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, AttributeError):
        pass
    versions = {}
    from importlib import metadata

    for package in ("pandas", "plotly", "ipywidgets", "pandera", "nbclient", "ipykernel", "numpy", "pytest"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    return {"nproc": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
            "cpu": cpu, "ram": ram, "python": platform.python_version(), "platform": platform.platform(),
            "packages": versions}


def load_average() -> list[float]:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return []


# --------------------------------------------------------------------------------------------
# Fresh interpreters.
# --------------------------------------------------------------------------------------------

def child_timing(timed: str, setup: str = "", repeats: int = 5) -> dict:
    """Wall and CPU seconds that ``timed`` takes in a fresh interpreter (after ``setup``, untimed),
    ``repeats`` times: summary() of the wall times, with the summary of the CPU times under "cpu".

    One discarded run first, so that byte-code compilation is not counted. CPU time is reported
    because the machine may be shared: it is much less sensitive to other load than wall time.
    """
    program = (f"import time\n{setup}\n_cpu = time.process_time()\n_start = time.perf_counter()\n{timed}\n"
               f"print('BENCH', time.perf_counter() - _start, time.process_time() - _cpu)\n")
    walls, cpus = [], []
    for index in range(repeats + 1):
        result = subprocess.run([sys.executable, "-c", program], cwd=REPO, capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(f"child failed:\n{program}\n{result.stderr[-2000:]}")
        wall, cpu = re.search(r"^BENCH (\S+) (\S+)$", result.stdout, re.M).groups()
        if index:
            walls.append(float(wall))
            cpus.append(float(cpu))
    return {**summary(walls), "cpu": summary(cpus)}


def spread_s(s: dict) -> str:
    """``min–max s`` and, when known, the median CPU time."""
    text = f"{s['min']:.2f}–{s['max']:.2f} s"
    return text + (f" (CPU {s['cpu']['median']:.2f} s)" if "cpu" in s else "")


def import_profile(code: str, top: int = 12) -> list[dict]:
    """The slowest modules (cumulative, -X importtime) that ``code`` imports beyond pandas, plotly and
    ipywidgets (those are imported first, untimed by the difference)."""
    def run(program):
        result = subprocess.run([sys.executable, "-X", "importtime", "-c", program], cwd=REPO,
                                capture_output=True, text=True)
        times = {}
        for line in result.stderr.splitlines():
            match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)", line)
            if match:
                times[match.group(4).strip()] = (int(match.group(2)), len(match.group(3)))
        return times

    base = run(FLOOR_CODE)
    full = run(f"{FLOOR_CODE}\n{code}")
    extra = [(name, us, depth) for name, (us, depth) in full.items() if name not in base]
    extra.sort(key=lambda item: -item[1])
    return [{"module": name, "cumulative_ms": round(us / 1000, 1), "depth": depth} for name, us, depth in extra[:top]]


def section_imports(table: Table, results: dict, repeats: int, explain: bool) -> None:
    log(f"imports: {repeats} fresh interpreters per line")
    deps = child_timing(FLOOR_CODE, repeats=repeats)
    pkg = child_timing("import lessons", repeats=repeats)
    setup = child_timing(SETUP_CODE, repeats=repeats)
    first = child_timing(f"{SETUP_CODE}\nfrom lessons import TimelineExplorer\nimport lessons.data", repeats=repeats)
    ratio = pkg["median"] / deps["median"]
    results["imports"] = {"dependencies": deps, "lessons": pkg, "lessons_setup": setup,
                          "lessons_setup_first_widget": first, "ratio": ratio}

    table.add("imports", "import pandas, plotly, ipywidgets (dependencies)", secs(deps["median"]), spread_s(deps),
              deps["n"])
    table.add("imports", "import lessons", secs(pkg["median"]), spread_s(pkg), pkg["n"])
    table.add("imports", "import lessons / dependencies", f"{ratio:.2f}×", "", "", f"≤ {IMPORT_RATIO_TARGET}×",
              ok(ratio <= IMPORT_RATIO_TARGET))
    table.add("imports", "import lessons + lessons.setup(...)", secs(setup["median"]), spread_s(setup), setup["n"],
              "", f"{setup['median'] / deps['median']:.2f}× deps")
    table.add("imports", "… + first widget import + lessons.data", secs(first["median"]), spread_s(first),
              first["n"], "", f"{first['median'] / deps['median']:.2f}× deps")
    if explain:
        results["imports"]["profile_setup_first_widget"] = import_profile(
            f"{SETUP_CODE}\nfrom lessons import TimelineExplorer\nimport lessons.data")


# --------------------------------------------------------------------------------------------
# Data.
# --------------------------------------------------------------------------------------------

_COLD = """
order = []
for name in d.table_names():
    t = time.perf_counter()
    getattr(d, name)()
    order.append((name, time.perf_counter() - t))
print('TABLES', order)
"""


def section_data(table: Table, results: dict, repeats: int, explain: bool) -> None:
    log(f"data: cold load in {repeats} fresh interpreters; cached load in-process")
    cold = child_timing("for _name in d.table_names(): getattr(d, _name)()", setup="import lessons.data as d",
                        repeats=repeats)
    cold_with_import = child_timing("import lessons.data as d\nfor _name in d.table_names(): getattr(d, _name)()",
                                    repeats=repeats)
    import lessons.data as d

    names = d.table_names()
    for name in names:
        getattr(d, name)()
    cached = []
    for _ in range(50):
        start = time.perf_counter()
        for name in names:
            getattr(d, name)()
        cached.append(time.perf_counter() - start)
    cached = summary(cached)
    results["data"] = {"tables": names, "cold": cold, "cold_with_import": cold_with_import, "cached": cached}
    table.add("data", f"cold load, all {len(names)} loaders (fresh interpreter)", secs(cold["median"]),
              spread_s(cold), cold["n"])
    table.add("data", "  same, including import lessons.data (pandas)", secs(cold_with_import["median"]),
              spread_s(cold_with_import), cold_with_import["n"])
    table.add("data", f"cached load, all {len(names)} loaders (in-process)", ms(cached["median"] * 1000),
              f"{cached['q1'] * 1000:.1f}–{cached['q3'] * 1000:.1f} ms (IQR)", cached["n"])
    if explain:
        result = subprocess.run([sys.executable, "-c", "import time\nimport lessons.data as d\n" + _COLD],
                                cwd=REPO, capture_output=True, text=True)
        match = re.search(r"^TABLES (.*)$", result.stdout, re.M)
        results["data"]["cold_by_loader"] = eval(match.group(1)) if match else result.stderr[-2000:]  # noqa: S307
        results["data"]["profile_cold"] = profile_text(
            "import lessons.data as d\nimport pandas, plotly, ipywidgets",
            "for _name in d.table_names(): getattr(d, _name)()")


def profile_text(setup: str, code: str, top: int = 25) -> str:
    """cProfile of ``code`` in a fresh interpreter (after ``setup``): the top functions by cumulative time."""
    program = (f"import cProfile, pstats, io\n{setup}\n_p = cProfile.Profile()\n_p.enable()\n{code}\n_p.disable()\n"
               f"_s = io.StringIO()\npstats.Stats(_p, stream=_s).sort_stats('cumulative').print_stats({top})\n"
               f"print(_s.getvalue())\n")
    result = subprocess.run([sys.executable, "-c", program], cwd=REPO, capture_output=True, text=True)
    return result.stdout if result.returncode == 0 else result.stderr[-3000:]


# --------------------------------------------------------------------------------------------
# Widgets: random valid interactions. This part also runs inside a kernel (see widgets_in_kernel).
# --------------------------------------------------------------------------------------------

def _values(control) -> list:
    """The values a selection control accepts (options may be labels or (label, value) pairs)."""
    return [option[1] if isinstance(option, tuple) else option for option in control.options]


def _subset(rng: random.Random, values: list, empty: float = 0.0) -> tuple:
    """A random subset of ``values`` in their order; empty with probability ``empty``."""
    if not values or rng.random() < empty:
        return ()
    k = rng.randint(1, len(values))
    chosen = set(rng.sample(range(len(values)), k))
    return tuple(v for i, v in enumerate(values) if i in chosen)


def _random_day(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randint(0, max(0, (last - first).days)))


SEARCH_WORDS = ["", "", "board", "Musk", "Microsoft", "nonprofit", "Altman", "bid", "lawsuit", "OpenAI", "zzzz"]


def interaction_plan(name: str, widget, rng: random.Random):
    """A function that returns one random (control, value) for ``widget``; ``value`` is valid for the
    control. Controls are the widget's public attributes, as its docstring and tests describe them."""
    if name == "TimelineExplorer":
        first, last = widget.start.value, widget.end.value

        def step():
            which = rng.choice(["start", "end", "categories", "statuses", "search", "event"])
            if which == "start":
                return widget.start, _random_day(rng, first, widget.end.value or last)
            if which == "end":
                return widget.end, _random_day(rng, widget.start.value or first, last)
            if which == "categories":
                return widget.categories, _subset(rng, _values(widget.categories), empty=0.05)
            if which == "statuses":
                return widget.statuses, _subset(rng, _values(widget.statuses), empty=0.05)
            if which == "search":
                return widget.search, rng.choice(SEARCH_WORDS)
            options = _values(widget.event)
            return widget.event, (rng.choice(options) if options else None)
        return step
    if name == "StructureExplorer":
        months = _values(widget.month)
        return lambda: (widget.month, rng.choice(months))
    if name == "BoardTimeline":
        first, last = dt.date(2015, 12, 1), dt.date(2026, 12, 31)
        return lambda: (widget.date, _random_day(rng, first, last))
    if name == "OwnershipExplorer":
        options = list(widget.date.options)

        def step():
            if options and rng.random() < 0.7:
                return widget.date, rng.choice(options)
            return widget.date, _random_day(rng, dt.date(2019, 1, 1), dt.date(2026, 12, 31)).isoformat()
        return step
    if name == "CappedReturnCalculator":
        def step():
            which = rng.choice(["investment", "cap", "exit_value"])
            if which == "investment":
                return widget.investment, float(round(10 ** rng.uniform(5, 10)))
            if which == "cap":
                return widget.cap, float(rng.randint(1, 200))
            return widget.exit_value, float(round(10 ** rng.uniform(6, 12)))
        return step
    if name == "BidCalculator":
        valuations = _values(widget.valuation)

        def step():
            which = rng.choice(["valuation", "custom_valuation", "stake"])
            if which == "valuation":
                return widget.valuation, rng.choice(valuations)
            if which == "custom_valuation":
                return widget.custom_valuation, float(rng.randint(10, 1000))
            return widget.stake, round(rng.uniform(0, 1), 2)
        return step
    if name in ("ClaimChecker", "ArgumentSorter"):
        def step():
            choice = rng.choice(widget.choices)
            values = _values(choice)
            return choice, (None if rng.random() < 0.1 else rng.choice(values))
        return step
    if name == "StructureComparator":
        def step():
            if rng.random() < 0.5:
                return widget.organisations, _subset(rng, _values(widget.organisations), empty=0.05)
            return widget.features, _subset(rng, _values(widget.features), empty=0.05)
        return step
    if name == "Quiz":
        def step():
            control = rng.choice(widget.questions)
            if hasattr(control, "options"):
                return control, rng.choice(_values(control))
            return control, float(round(rng.uniform(0, 100), 1))
        return step
    raise ValueError(name)


def make_widget(name: str):
    import lessons

    cls = getattr(lessons, name)
    return cls("04") if name == "Quiz" else cls()


def measure_widget(name: str, interactions: int, seed: int, profile_path: str | None = None) -> dict:
    """Construct ``name`` (timed), then time ``interactions`` random value changes that each differ from
    the control's current value."""
    start = time.perf_counter()
    widget = make_widget(name)
    construct = time.perf_counter() - start
    rng = random.Random(f"{seed}-{name}")
    step = interaction_plan(name, widget, rng)
    profiler = None
    if profile_path:
        import cProfile

        profiler = cProfile.Profile()
    times, cpu_times, warnings = [], [], 0
    while len(times) < interactions:
        # Draw as we go (a seeded sequence): the valid values of some controls depend on the state
        # (the timeline's event list, its date bounds); a value equal to the current one is redrawn.
        for _attempt in range(50):
            control, value = step()
            if value != control.value:
                break
        else:
            raise RuntimeError(f"{name}: could not draw a value that changes a control")
        if profiler:
            profiler.enable()
        cpu = time.process_time()
        start = time.perf_counter()
        control.value = value
        elapsed = time.perf_counter() - start
        cpu = time.process_time() - cpu
        if profiler:
            profiler.disable()
        times.append(elapsed * 1000)
        cpu_times.append(cpu * 1000)
        message = getattr(widget, "message", None)
        warnings += bool(message is not None and "lessons-warning" in (message.value or ""))
    if profiler:
        profiler.dump_stats(profile_path)
    return {"construct_ms": construct * 1000, "redraw_ms": times, "redraw_cpu_ms": cpu_times, "warnings": warnings}


def measure_widgets(interactions: int, seed: int, profile_dir: str | None = None, only=None) -> dict:
    """Every widget (or those in ``only``): construction and redraw times in milliseconds."""
    import lessons

    lessons.setup(renderer="plotly_mimetype", template="plotly_white", language="en")
    out = {}
    for name in only or WIDGETS:
        path = str(Path(profile_dir) / f"{name}.prof") if profile_dir else None
        try:
            out[name] = measure_widget(name, interactions, seed, path)
        except Exception as error:  # noqa: BLE001 - a broken widget is reported, not fatal
            out[name] = {"error": f"{type(error).__name__}: {error}"}
    return out


def widgets_in_kernel(interactions: int, seed: int, profile_dir: str | None = None, only=None) -> dict:
    """measure_widgets run inside a fresh kernel through lessons.maintain.execute, so that each redraw
    also displays its figure into the widget's Output and sends it to the front end, as in a lesson."""
    import nbformat

    from lessons.maintain import execute

    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "widgets.json"
        code = (f"import importlib.util, json\n"
                f"_spec = importlib.util.spec_from_file_location('_lessons_bench', {str(Path(__file__).resolve())!r})\n"
                f"_bench = importlib.util.module_from_spec(_spec)\n_spec.loader.exec_module(_bench)\n"
                f"_result = _bench.measure_widgets({interactions}, {seed}, profile_dir={profile_dir!r}, "
                f"only={list(only) if only else None!r})\n"
                f"open({str(out)!r}, 'w').write(json.dumps(_result))\n")
        notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
        notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        execute(notebook, NOTEBOOKS, timeout=1800)
        return json.loads(out.read_text())


def profile_summary(path: str, top: int = 18) -> str:
    import io
    import pstats

    stream = io.StringIO()
    stats = pstats.Stats(path, stream=stream)
    stats.sort_stats("cumulative").print_stats(top)
    stream.write("\n--- by own time ---\n")
    stats.sort_stats("tottime").print_stats(12)
    return stream.getvalue()


def section_widgets(table: Table, results: dict, interactions: int, seed: int, explain: bool) -> None:
    log(f"widgets: {interactions} interactions each, in a kernel and in plain Python")
    modes = {"kernel": widgets_in_kernel(interactions, seed), "plain": measure_widgets(interactions, seed)}
    results["widgets"] = {}
    for mode, measured in modes.items():
        results["widgets"][mode] = {}
        for name in WIDGETS:
            entry = measured.get(name, {"error": "not measured"})
            if "error" in entry:
                table.add(f"widgets ({mode})", name, "ERROR", entry["error"][:60], "", "", "ERROR")
                results["widgets"][mode][name] = entry
                continue
            redraw = summary(entry["redraw_ms"])
            good = redraw["median"] <= REDRAW_MEDIAN_TARGET_MS and redraw["p95"] <= REDRAW_P95_TARGET_MS
            cpu = summary(entry["redraw_cpu_ms"])
            results["widgets"][mode][name] = {"construct_ms": entry["construct_ms"], "redraw_ms": redraw,
                                              "redraw_cpu_ms": cpu, "warnings": entry["warnings"], "ok": good}
            table.add(f"widgets ({mode})", f"{name} redraw", ms(redraw["median"]),
                      f"p95 {redraw['p95']:.1f}, max {redraw['max']:.1f} (CPU med {cpu['median']:.1f}) ms", redraw["n"],
                      f"≤ {REDRAW_MEDIAN_TARGET_MS:g} / p95 ≤ {REDRAW_P95_TARGET_MS:g} ms", ok(good),
                      construct=f"{entry['construct_ms']:.0f} ms")
        if mode == "kernel":
            constructs = ", ".join(f"{n} {measured[n]['construct_ms']:.0f}" for n in WIDGETS
                                   if "construct_ms" in measured.get(n, {}))
            results["widgets"]["construct_note"] = f"construction in a kernel (ms, first widget pays cold loads): {constructs}"
    missed = [name for name in WIDGETS if not results["widgets"]["kernel"].get(name, {}).get("ok", True)]
    if explain and missed:
        # A separate pass: the profiler slows every call down, so it never runs in the timed pass.
        log(f"widgets: profiling {', '.join(missed)} in a kernel")
        profile_dir = tempfile.mkdtemp(prefix="lessons-bench-")
        widgets_in_kernel(interactions, seed, profile_dir, only=missed)
        results["widgets"]["profiles"] = {name: profile_summary(str(Path(profile_dir) / f"{name}.prof"))
                                          for name in missed if (Path(profile_dir) / f"{name}.prof").exists()}


# --------------------------------------------------------------------------------------------
# Notebooks.
# --------------------------------------------------------------------------------------------

def lesson_notebooks() -> list[Path]:
    """notebooks/**/NN_*.ipynb, without checkpoints and without following the notebooks/lessons link."""
    found = []
    for folder, subfolders, files in os.walk(NOTEBOOKS, followlinks=False):
        subfolders[:] = sorted(s for s in subfolders if s != ".ipynb_checkpoints" and not s.startswith("."))
        for file in files:
            if re.match(r"^\d\d_.*\.ipynb$", file):
                found.append(Path(folder) / file)
    return sorted(found, key=lambda p: (p.name, str(p)))


def _children_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_notebook(source, folder: Path) -> tuple[float, float]:
    """Wall seconds to execute an in-memory copy of ``source`` (a path or a NotebookNode) in a fresh
    kernel, and the CPU seconds the kernel used (it is our child, reaped on shutdown)."""
    import copy

    import nbformat

    from lessons.maintain import execute

    notebook = nbformat.read(source, as_version=4) if isinstance(source, Path) else copy.deepcopy(source)
    cpu = _children_cpu()
    start = time.perf_counter()
    execute(notebook, folder, timeout=NOTEBOOK_TIMEOUT)
    return time.perf_counter() - start, _children_cpu() - cpu


def cell_times(path: Path) -> dict:
    """One diagnostic run of ``path`` with nbclient hooks: kernel start and per-cell seconds."""
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    marks = {"t0": time.perf_counter()}
    cells = []

    def started(cell, cell_index):
        marks.setdefault("first_cell", time.perf_counter())
        marks["cell"] = time.perf_counter()

    def executed(cell, cell_index, execute_reply):
        cells.append({"index": cell_index, "seconds": round(time.perf_counter() - marks["cell"], 3),
                      "source": cell.source.splitlines()[0][:70] if cell.source else ""})

    client = NotebookClient(notebook, timeout=NOTEBOOK_TIMEOUT, kernel_name="python3", record_timing=False,
                            resources={"metadata": {"path": str(path.parent)}},
                            on_cell_start=started, on_cell_executed=executed)
    client.execute()
    total = time.perf_counter() - marks["t0"]
    before = marks.get("first_cell", marks["t0"]) - marks["t0"]
    return {"total": round(total, 3), "kernel_start": round(before, 3),
            "cells": sorted(cells, key=lambda c: -c["seconds"])[:6],
            "cells_total": round(sum(c["seconds"] for c in cells), 3)}


_BLOCK_RFC = 'import sys\nsys.modules["rfc3987_syntax"] = None  # what-if: jsonschema then skips it'
_LOAD_ALL = "from lessons import data\nfor _name in data.table_names(): getattr(data, _name)()"
_ALL_WIDGETS = "\n".join(f"lessons.{w}({chr(34) + '04' + chr(34) if w == 'Quiz' else ''})" for w in WIDGETS)
# Each adds one piece to the one before (all start from the floor's imports).
ATTRIBUTION = {
    "floor": FLOOR_CODE,
    "+ import lessons, lessons.setup()": f"{FLOOR_CODE}\n{SETUP_CODE}",
    "  same, rfc3987_syntax blocked": f"{_BLOCK_RFC}\n{FLOOR_CODE}\n{SETUP_CODE}",
    "  + import pandera.pandas (blocked)": f"{_BLOCK_RFC}\n{FLOOR_CODE}\n{SETUP_CODE}\nimport pandera.pandas",
    "  + cold load of every table (blocked)": f"{_BLOCK_RFC}\n{FLOOR_CODE}\n{SETUP_CODE}\n{_LOAD_ALL}",
    "  + every widget constructed (blocked)": f"{_BLOCK_RFC}\n{FLOOR_CODE}\n{SETUP_CODE}\n{_LOAD_ALL}\n{_ALL_WIDGETS}",
    "+ cold load + every widget (as shipped)": f"{FLOOR_CODE}\n{SETUP_CODE}\n{_LOAD_ALL}\n{_ALL_WIDGETS}",
}


def attribution(repeats: int = 2) -> dict:
    """Where a lesson's kernel time goes: one-cell notebooks that each add one piece to the floor,
    run through the same path (kernel CPU seconds, less sensitive to a busy machine, and wall seconds)."""
    import nbformat

    out = {}
    for label, code in ATTRIBUTION.items():
        walls, cpus = [], []
        for _ in range(repeats):
            notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
            wall, cpu = run_notebook(notebook, NOTEBOOKS)
            walls.append(wall)
            cpus.append(cpu)
        out[label] = {"wall_median": statistics.median(walls), "cpu_median": statistics.median(cpus),
                      "walls": walls, "cpus": cpus}
        log(f"  attribution: {label}: wall {out[label]['wall_median']:.2f} s, kernel CPU {out[label]['cpu_median']:.2f} s")
    return out


def section_notebooks(table: Table, results: dict, repeats: int, floor_repeats: int, explain: bool) -> None:
    import nbformat

    paths = lesson_notebooks()
    log(f"notebooks: {len(paths)} lessons × {repeats} runs, floor × {floor_repeats} (interleaved)")
    floor_nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(FLOOR_CODE)])
    floor_nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    floor, floor_cpu, errors = [], [], {}
    times, cpus = {p: [] for p in paths}, {p: [] for p in paths}
    for run in range(max(repeats, floor_repeats)):
        if run < floor_repeats:
            wall, cpu = run_notebook(floor_nb, NOTEBOOKS)
            floor.append(wall)
            floor_cpu.append(cpu)
            log(f"  floor run {run + 1}: {wall:.2f} s, kernel CPU {cpu:.2f} s  (load {load_average()})")
        if run < repeats:
            for path in paths:
                if path in errors:
                    continue
                try:
                    wall, cpu = run_notebook(path, path.parent)
                except Exception as error:  # noqa: BLE001 - a lesson being written may not run yet
                    text = re.sub(r"\x1b\[[0-9;]*m", "", str(error)).strip()
                    errors[path] = f"{type(error).__name__}: {text.splitlines()[-1][:200] if text else ''}"
                    log(f"  {path.relative_to(NOTEBOOKS)}: ERROR {errors[path]}")
                    continue
                times[path].append(wall)
                cpus[path].append(cpu)
                log(f"  {path.relative_to(NOTEBOOKS)} run {run + 1}: {wall:.2f} s, kernel CPU {cpu:.2f} s")
    floor_s = {**summary(floor), "cpu": summary(floor_cpu)}
    results["notebooks"] = {"floor": floor_s, "lessons": {}, "timeout": NOTEBOOK_TIMEOUT,
                            "stall_seconds": STALL_SECONDS}
    if explain:
        results["notebooks"]["attribution"] = attribution()
    table.add("notebooks", f"floor: kernel + {FLOOR_CODE}", secs(floor_s["median"]), spread_s(floor_s),
              floor_s["n"])
    for path in paths:
        name = str(path.relative_to(NOTEBOOKS))
        if path in errors:
            results["notebooks"]["lessons"][name] = {"error": errors[path], "runs": times[path]}
            table.add("notebooks", name, "ERROR", errors[path][:60], len(times[path]), "", "ERROR")
            continue
        s = {**summary(times[path]), "cpu": summary(cpus[path])}
        ratio = s["median"] / floor_s["median"]
        cpu_ratio = s["cpu"]["median"] / floor_s["cpu"]["median"]
        stalls = sum(1 for t in times[path] if t >= STALL_SECONDS)
        entry = {"seconds": s, "ratio": ratio, "cpu_ratio": cpu_ratio, "ok": ratio <= NOTEBOOK_RATIO_TARGET,
                 "stalls": stalls}
        if explain and ratio > NOTEBOOK_RATIO_TARGET:
            entry["cells"] = cell_times(path)
        results["notebooks"]["lessons"][name] = entry
        stall_note = f"; {stalls} stall{'s' if stalls > 1 else ''}" if stalls else ""
        table.add("notebooks", name, secs(s["median"]), spread_s(s) + stall_note, s["n"],
                  f"≤ {NOTEBOOK_RATIO_TARGET:g}× floor",
                  f"{ok(ratio <= NOTEBOOK_RATIO_TARGET)} ({ratio:.1f}×; CPU {cpu_ratio:.1f}×)")


def section_sizes(table: Table, results: dict) -> None:
    results["sizes"] = {}
    for path in lesson_notebooks():
        size = path.stat().st_size
        name = str(path.relative_to(NOTEBOOKS))
        results["sizes"][name] = size
        table.add("sizes", name, f"{size / 1000:.1f} kB", "", "", f"≤ {NOTEBOOK_SIZE_TARGET / 1000:g} kB",
                  ok(size <= NOTEBOOK_SIZE_TARGET))


# --------------------------------------------------------------------------------------------
# The lesson site.
# --------------------------------------------------------------------------------------------

def _timed_build(arguments: list[str], inspect=lambda destination: None):
    """Run ``python -m lessons ARGUMENTS DEST`` into a throwaway folder: (seconds, CPU seconds of the
    child, the finished process, the files written with their sizes, ``inspect(destination)``)."""
    with tempfile.TemporaryDirectory() as folder:
        destination = Path(folder) / "build"
        before = _children_cpu()
        start = time.perf_counter()
        result = subprocess.run([sys.executable, "-m", "lessons", arguments[0], str(destination), *arguments[1:]],
                                cwd=REPO, capture_output=True, text=True)
        seconds, cpu = time.perf_counter() - start, _children_cpu() - before
        if result.returncode != 0:
            return seconds, cpu, result, {}, None
        files = {path.relative_to(destination).as_posix(): path.stat().st_size
                 for path in destination.rglob("*") if path.is_file()}
        return seconds, cpu, result, files, inspect(destination)


def section_site(table: Table, results: dict, repeats: int) -> None:
    seconds, cpu = [], []
    for run in range(repeats):
        log(f"site: python -m lessons site (build {run + 1} of {repeats})")
        took, used, result, files, _ = _timed_build(["site"])
        seconds.append(took)
        cpu.append(used)
        if result.returncode != 0:
            results["site"] = {"error": result.stderr.strip().splitlines()[-1:]}
            table.add("site", "python -m lessons site", "failed", result.stderr.strip()[-70:], run + 1, "", "ERROR")
            return
    s, c = summary(seconds), summary(cpu)
    pages = {name: size for name, size in files.items() if name.endswith(".html")}
    largest = max(pages, key=pages.get)
    results["site"] = {"seconds": s, "cpu_seconds": c, "files": files}
    table.add("site", "python -m lessons site (all 16 lessons, both editions)",
              f"{secs(s['median'])} (CPU {c['median']:.1f} s)", spread_s(s), len(seconds),
              f"≤ {SITE_BUILD_TARGET:g} s", ok(s["median"] <= SITE_BUILD_TARGET))
    table.add("site", "files written / total size", f"{len(files)} / {sum(files.values()) / 1e6:.1f} MB",
              f"{len(pages)} pages; largest {largest} {pages[largest] / 1000:.0f} kB")


# --------------------------------------------------------------------------------------------
# The printable classroom kit.
# --------------------------------------------------------------------------------------------

def section_handouts(table: Table, results: dict, repeats: int) -> None:
    import pypdf

    results["handouts"] = {}
    for language in ("en", "fr"):
        seconds, cpu = [], []
        for run in range(repeats):
            log(f"handouts: python -m lessons handouts --lang {language} (build {run + 1} of {repeats})")
            took, used, result, files, pages = _timed_build(
                ["handouts", "--lang", language],
                lambda destination: {path.name: len(pypdf.PdfReader(path).pages)
                                     for path in destination.glob("*.pdf")})
            seconds.append(took)
            cpu.append(used)
            if result.returncode != 0:
                results["handouts"][language] = {"error": result.stderr.strip().splitlines()[-1:]}
                table.add("handouts", f"python -m lessons handouts --lang {language}", "failed",
                          result.stderr.strip()[-70:], run + 1, "", "ERROR")
                break
        else:
            s, c = summary(seconds), summary(cpu)
            results["handouts"][language] = {"seconds": s, "cpu_seconds": c, "files": files, "pdf_pages": pages}
            table.add("handouts", f"python -m lessons handouts --lang {language} (8 lessons)",
                      f"{secs(s['median'])} (CPU {c['median']:.1f} s)", spread_s(s), len(seconds))
            pdf_note = (f"{len(pages)} PDFs, {min(pages.values())}–{max(pages.values())} pages each" if pages
                        else "no PDF (no Chromium or Chrome found)")
            table.add("handouts", f"files written / total size ({language})",
                      f"{len(files)} / {sum(files.values()) / 1e6:.1f} MB", pdf_note)


# --------------------------------------------------------------------------------------------
# The test suite.
# --------------------------------------------------------------------------------------------

def _pytest(*args) -> tuple[float, int, str]:
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", *args], cwd=REPO, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    last = next((line for line in reversed(lines) if re.search(r"passed|failed|error|no tests ran|deselected", line)),
                lines[-1] if lines else "")
    return elapsed, result.returncode, last.strip("= ").strip()


def section_suite(table: Table, results: dict) -> None:
    log("suite: pytest -m 'not browser' (minutes)")
    seconds, code, last = _pytest("-m", "not browser")
    results["suite"] = {"not_browser": {"seconds": seconds, "returncode": code, "summary": last}}
    table.add("suite", 'pytest -m "not browser"', secs(seconds), last[:70], 1, "",
              "passed" if code == 0 else f"exit {code}")
    _, code, last = _pytest("-m", "browser", "--collect-only")
    if code == 5:
        results["suite"]["browser"] = {"selected": 0, "summary": last}
        table.add("suite", "pytest -m browser", "—", "selects nothing (no browser tests yet)", 0, "", "n/a")
        return
    log("suite: pytest -m browser")
    seconds, code, last = _pytest("-m", "browser")
    results["suite"]["browser"] = {"seconds": seconds, "returncode": code, "summary": last}
    table.add("suite", "pytest -m browser", secs(seconds), last[:70], 1, "", "passed" if code == 0 else f"exit {code}")
    log("suite: pytest (everything)")
    seconds, code, last = _pytest()
    results["suite"]["all"] = {"seconds": seconds, "returncode": code, "summary": last}
    table.add("suite", "pytest (all, with browser)", secs(seconds), last[:70], 1, "",
              "passed" if code == 0 else f"exit {code}")


# --------------------------------------------------------------------------------------------
# Main.
# --------------------------------------------------------------------------------------------

def explanations(results: dict) -> str:
    """What --explain found, as text under the table."""
    out = []
    imports = results.get("imports", {})
    if imports.get("profile_setup_first_widget"):
        out.append("Slowest imports of a lesson's setup beyond pandas, plotly and ipywidgets (-X importtime, cumulative):")
        out += [f"  {m['cumulative_ms']:8.1f} ms  {m['module']}" for m in imports["profile_setup_first_widget"][:8]]
    notebooks = results.get("notebooks", {})
    if notebooks.get("attribution"):
        floor = notebooks["attribution"]["floor"]
        out.append("Kernel cost by piece (one-cell notebooks through the same path; median of 2):")
        for label, entry in notebooks["attribution"].items():
            out.append(f"  {label:42s} kernel CPU {entry['cpu_median']:5.2f} s (floor +{entry['cpu_median'] - floor['cpu_median']:5.2f}), "
                       f"wall {entry['wall_median']:5.2f} s")
    for name, entry in notebooks.get("lessons", {}).items():
        cells = entry.get("cells")
        if cells:
            top = "; ".join(f"cell {c['index']} {c['seconds']:.2f} s ({c['source'][:40]})" for c in cells["cells"][:3])
            out.append(f"{name}: one diagnostic run {cells['total']:.1f} s, kernel start {cells['kernel_start']:.1f} s; {top}")
    data = results.get("data", {})
    if data.get("cold_by_loader"):
        first = ", ".join(f"{n} {t * 1000:.0f} ms" for n, t in data["cold_by_loader"][:4])
        out.append(f"Cold load by loader, in order (the first pays the pandera import): {first}, ...")
    for name, text in results.get("widgets", {}).get("profiles", {}).items():
        out.append(f"Profile of {name} redraws in a kernel (cProfile, cumulative):")
        lines = [line for line in text.splitlines() if re.match(r"\s+\d", line)
                 and not re.search(r"traitlets\.py|widget\.py:691|function calls", line)][:14]
        out += ["  " + line.strip()[:150] for line in lines]
    return "\n".join(out)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer repeats (a rougher, faster run)")
    parser.add_argument("--suite", action="store_true", help="also time the test suite (takes minutes)")
    parser.add_argument("--explain", action="store_true", help="profile what misses (adds a minute or two)")
    parser.add_argument("--only", nargs="+", choices=SECTIONS, help="run only these sections")
    parser.add_argument("--seed", type=int, default=7, help="seed of the random widget interactions")
    parser.add_argument("--interactions", type=int, help="interactions per widget (default 200, quick 100)")
    parser.add_argument("--output", type=Path, default=RESULTS, help=f"JSON file to write (default {RESULTS.relative_to(REPO)})")
    parser.add_argument("--markdown", action="store_true", help="also print the table as Markdown")
    args = parser.parse_args(argv)

    sections = list(args.only or [s for s in SECTIONS if s != "suite" or args.suite])
    repeats = {"imports": 3 if args.quick else 7, "data": 3 if args.quick else 7,
               "notebooks": 1 if args.quick else 3, "floor": 2 if args.quick else 5,
               "site": 1 if args.quick else 3, "handouts": 1 if args.quick else 3}
    interactions = args.interactions or (100 if args.quick else 200)
    os.chdir(REPO)
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))

    table, results = Table(), {}
    started = dt.datetime.now(dt.timezone.utc)
    info = {"machine": machine(), "started": started.isoformat(timespec="seconds"),
            "command": " ".join(["python", "benchmarks/run.py", *(argv if argv is not None else sys.argv[1:])]),
            "quick": args.quick, "repeats": repeats, "interactions": interactions, "seed": args.seed,
            "load_average_start": load_average()}
    log(f"machine: {info['machine']['nproc']} CPUs ({info['machine']['cpu']}), {info['machine']['ram']}, "
        f"Python {info['machine']['python']}; load average {info['load_average_start']}")

    if "imports" in sections:
        section_imports(table, results, repeats["imports"], args.explain)
    if "data" in sections:
        section_data(table, results, repeats["data"], args.explain)
    if "widgets" in sections:
        section_widgets(table, results, interactions, args.seed, args.explain)
    if "notebooks" in sections:
        section_notebooks(table, results, repeats["notebooks"], repeats["floor"], args.explain)
    if "sizes" in sections:
        section_sizes(table, results)
    if "site" in sections:
        section_site(table, results, repeats["site"])
    if "handouts" in sections:
        section_handouts(table, results, repeats["handouts"])
    if "suite" in sections:
        section_suite(table, results)

    info["load_average_end"] = load_average()
    info["seconds"] = round((dt.datetime.now(dt.timezone.utc) - started).total_seconds(), 1)
    misses = [f"{r['section']}: {r['measure']}" for r in table.rows if str(r["status"]).startswith(("MISS", "ERROR"))]
    args.output.write_text(json.dumps({**info, "results": results, "table": table.rows, "misses": misses},
                                      indent=2, default=str), encoding="utf-8")
    m = info["machine"]
    print(f"Machine: {m['nproc']} CPUs, {m['cpu']}, {m['ram']} RAM, Python {m['python']}; "
          f"load average {info['load_average_start']} → {info['load_average_end']}")
    print(table.render())
    if args.explain:
        text = explanations(results)
        if text:
            print("\n" + text)
    if args.markdown:
        print()
        print(table.markdown())
    print(f"\n{len(misses)} miss(es)" + (": " + "; ".join(misses) if misses else "") +
          f". Results: {args.output} ({info['seconds']:.0f} s).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
