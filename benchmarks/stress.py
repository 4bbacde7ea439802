#!/usr/bin/env python
"""Stress test for stalled headless runs: many consecutive executions of lessons, and nbgrader autogrades.

    python benchmarks/stress.py                          # 200 runs of 03, 04 and 06, 30 autogrades of 04
    python benchmarks/stress.py --runs 20 --autogrades 5 # a shorter check
    nice -n 10 python benchmarks/stress.py --max-minutes 60 > stress.txt   # on a shared machine

A *stall* is a cell that waits for the cell timeout although the kernel answered long before: the
client then finds the reply and goes on without error, so only the time shows it.

- Lessons: each run executes an in-memory copy of the lesson through :func:`lessons.maintain.client`
  (the client that ``refresh``, ``key`` and the tests use, in a fresh kernel), with the cell timeout
  set to ``--timeout`` (default 30 s, so that a stall costs 30 s, not the ordinary timeout). Each
  cell is timed from its request to its reply; a cell that takes more than ``--stall-seconds``
  (default 20 s; no lesson cell takes 5 s) counts as a stall, and its run as a stalled run.
- Autogrades: ``nbgrader autograde`` of one lesson for two students (the answer key and the
  unchanged release), ``--autogrades`` times, in a throwaway course, with nbgrader's own settings
  (cell timeout 30 s). nbgrader gives no per-cell times, so a run that takes more than
  ``--stall-seconds`` beyond the median run counts as stalled. A run that fails is counted apart,
  and its whole log is printed.

The script stops by itself: after the given counts, or once ``--max-minutes`` have passed (the runs
done so far are reported). It prints, per lesson and for the autogrades: runs, stalled runs, stalled
cells, errors, and the median and maximum run time; ``--json`` also writes every run.
Nothing here writes to ``notebooks/`` or ``data/``.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = REPO / "notebooks"
PACKAGES = ("nbclient", "ipykernel", "jupyter_client", "pyzmq", "ipywidgets", "comm", "nbgrader", "tornado")


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def lesson_path(number: str) -> Path:
    matches = sorted(NOTEBOOKS.glob(f"{number}_*.ipynb"))
    if len(matches) != 1:
        raise SystemExit(f"stress.py: --lessons: no single English lesson numbered {number!r} in {NOTEBOOKS}")
    return matches[0]


def run_lesson(notebook, folder: Path, timeout: int, stall_seconds: float) -> dict:
    """One headless run of an in-memory copy of ``notebook``: total seconds, the slowest cell, and
    the cells slower than ``stall_seconds``."""
    from nbclient.exceptions import CellExecutionError, CellTimeoutError

    from lessons.maintain import client

    copied = copy.deepcopy(notebook)
    runner = client(copied, folder, timeout)
    sent: dict[int, float] = {}
    seconds: dict[int, float] = {}

    def request_sent(cell, cell_index):
        sent[cell_index] = time.perf_counter()

    def reply_received(cell, cell_index, execute_reply):
        seconds[cell_index] = time.perf_counter() - sent[cell_index]

    runner.on_cell_execute = request_sent
    runner.on_cell_executed = reply_received
    start = time.perf_counter()
    error = ""
    try:
        runner.execute()
    except (CellExecutionError, CellTimeoutError) as exc:  # reported; the stress goes on
        error = f"{type(exc).__name__}: {str(exc)[-500:]}"
    slowest = max(seconds, key=seconds.get, default=None)
    return {"seconds": time.perf_counter() - start, "error": error,
            "slowest_cell": slowest, "slowest_cell_seconds": seconds.get(slowest, 0.0),
            "stalled_cells": {index: round(s, 1) for index, s in seconds.items() if s > stall_seconds}}


def nbgrader(course: Path, *arguments: str) -> subprocess.CompletedProcess:
    # nbgrader calls alembic through PATH: put this environment's bin first.
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    return subprocess.run([sys.executable, "-m", "nbgrader", *arguments], cwd=course, env=env, text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False)


def autograde_course(number: str, folder: Path) -> tuple[Path, str]:
    """A course holding lesson ``number``, generated, with two submissions: the key and the blank release."""
    from lessons import teacher

    course = folder / "course"
    teacher.write_nbgrader(course, number)
    name = lesson_path(number).stem
    generated = nbgrader(course, "generate_assignment", name, "--force")
    if generated.returncode != 0:
        raise SystemExit(f"stress.py: nbgrader generate_assignment failed:\n{generated.stdout}")
    for student, source in (("key", "source"), ("blank", "release")):
        submission = course / "submitted" / student / name
        submission.mkdir(parents=True)
        shutil.copy(course / source / name / f"{name}.ipynb", submission / f"{name}.ipynb")
    return course, name


def figures(runs: list[dict]) -> dict:
    times = [run["seconds"] for run in runs]
    return {"runs": len(runs), "stalled_runs": sum(bool(run["stalled_cells"]) for run in runs),
            "stalled_cells": sum(len(run["stalled_cells"]) for run in runs),
            "errors": sum(bool(run["error"]) for run in runs),
            "median_s": round(statistics.median(times), 2) if times else None,
            "max_s": round(max(times), 2) if times else None}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lessons", nargs="*", default=["03", "04", "06"], metavar="NN",
                        help="lessons to run headless (default: 03 04 06, the ones with the most widgets)")
    parser.add_argument("--runs", type=int, default=200, help="runs of each lesson (default 200)")
    parser.add_argument("--autogrades", type=int, default=30, help="nbgrader autogrades (default 30; 0: none)")
    parser.add_argument("--autograde-lesson", default="04", metavar="NN", help="lesson to autograde (default 04)")
    parser.add_argument("--timeout", type=int, default=30, help="cell timeout of the lesson runs, seconds (default 30)")
    parser.add_argument("--stall-seconds", type=float, default=20.0,
                        help="a cell (lessons) or a run beyond the median run (autogrades) longer than this is a stall (default 20)")
    parser.add_argument("--max-minutes", type=float, default=240.0,
                        help="stop starting new runs after this many minutes (default 240)")
    parser.add_argument("--json", type=Path, help="also write every run to this JSON file")
    args = parser.parse_args(argv)
    for option in ("runs", "autogrades"):
        if getattr(args, option) < 0:
            parser.error(f"--{option}: expected 0 or more, got {getattr(args, option)}")
    if args.timeout <= 0:
        parser.error(f"--timeout: expected a positive number of seconds, got {args.timeout}")
    if args.stall_seconds >= args.timeout:
        parser.error(f"--stall-seconds ({args.stall_seconds}) must be below --timeout ({args.timeout}): "
                     "a stall lasts the whole timeout")

    os.chdir(REPO)
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    import nbformat

    deadline = time.monotonic() + 60 * args.max_minutes
    versions = {}
    for package in PACKAGES:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True,
                            text=True).stdout.strip() or "(not a git checkout)"
    started = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())
    log(f"stress: commit {commit}, Python {platform.python_version()}, "
        + ", ".join(f"{k} {v}" for k, v in versions.items()) + f"; load average {os.getloadavg()}")

    notebooks = {number: nbformat.read(lesson_path(number), as_version=4) for number in args.lessons}
    results: dict[str, list[dict]] = {number: [] for number in args.lessons}
    stopped_early = False
    # Lessons in turn (03, 04, 06, 03, ...) so that a change in machine load hits them all alike.
    for index in range(args.runs):
        if time.monotonic() > deadline:
            stopped_early = True
            break
        for number in args.lessons:
            run = run_lesson(notebooks[number], NOTEBOOKS, args.timeout, args.stall_seconds)
            results[number].append(run)
            if run["stalled_cells"] or run["error"]:
                log(f"  {number} run {index + 1}: {run['seconds']:.1f} s, stalled cells {run['stalled_cells']}"
                    + (f", error {run['error']}" if run["error"] else ""))
        if (index + 1) % 10 == 0:
            log(f"{index + 1} runs of each lesson: "
                + "; ".join(f"{n} {figures(r)['stalled_runs']} stalled" for n, r in results.items()))

    autogrades: list[dict] = []
    if args.autogrades and not stopped_early:
        with tempfile.TemporaryDirectory(prefix="lessons-stress-") as folder:
            course, name = autograde_course(args.autograde_lesson, Path(folder))
            for index in range(args.autogrades):
                if time.monotonic() > deadline:
                    stopped_early = True
                    break
                start = time.perf_counter()
                graded = nbgrader(course, "autograde", name, "--force")
                run = {"seconds": time.perf_counter() - start, "stalled_cells": {},
                       "error": "" if graded.returncode == 0 else f"exit status {graded.returncode}"}
                autogrades.append(run)
                if graded.returncode != 0:
                    log(f"  autograde {index + 1} failed; nbgrader's whole log:\n{graded.stdout}")
                if (index + 1) % 5 == 0:
                    log(f"{index + 1} autogrades: median {statistics.median(r['seconds'] for r in autogrades):.1f} s")
            typical = statistics.median(run["seconds"] for run in autogrades) if autogrades else 0
            for run in autogrades:
                if run["seconds"] > typical + args.stall_seconds:
                    run["stalled_cells"] = {"run": round(run["seconds"], 1)}

    rows = {f"lesson {number}": figures(runs) for number, runs in results.items()}
    if autogrades:
        rows[f"autograde {args.autograde_lesson} (2 students)"] = figures(autogrades)
    print(f"Stress run of commit {commit}, started {started}, {os.cpu_count()} CPUs, load average at the end "
          f"{tuple(round(x, 2) for x in os.getloadavg())}; cell timeout {args.timeout} s, stall > "
          f"{args.stall_seconds:g} s" + (f"; stopped at --max-minutes {args.max_minutes:g}" if stopped_early else ""))
    print("Versions: " + ", ".join(f"{k} {v}" for k, v in versions.items()))
    header = ("", "runs", "stalled runs", "stalled cells", "errors", "median s", "max s")
    print("  ".join(f"{h:>13}" if i else f"{h:<26}" for i, h in enumerate(header)))
    for label, row in rows.items():
        values = (row["runs"], row["stalled_runs"], row["stalled_cells"], row["errors"], row["median_s"], row["max_s"])
        print(f"{label:<26}" + "".join(f"  {str(v):>13}" for v in values))
    if args.json:
        args.json.write_text(json.dumps({"commit": commit, "started": started, "versions": versions,
                                         "arguments": {k: str(v) for k, v in vars(args).items()},
                                         "figures": rows, "lessons": results, "autogrades": autogrades},
                                        indent=1), encoding="utf-8")
    return 1 if any(row["stalled_runs"] or row["errors"] for row in rows.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
