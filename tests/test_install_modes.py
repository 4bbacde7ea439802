"""`import lessons` works installed (requirements.txt) and from a plain checkout (nbgitpuller)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import REPO

PROBE = ("import lessons, lessons.data, pathlib; "
         "print(pathlib.Path(lessons.__file__).resolve().parent); print(lessons.data.DATA_DIR); "
         "print(len(lessons.data.events()))")


def _run(cwd: Path, env=None) -> list[str]:
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=cwd, capture_output=True, text=True, env=env,
                            check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_installed_package_imports_from_any_folder(tmp_path):
    package, data_dir, count = _run(tmp_path)
    assert Path(package) == REPO / "lessons"
    assert Path(data_dir) == REPO / "data"
    assert int(count) >= 80


def test_plain_checkout_imports_from_the_notebooks_folder(tmp_path):
    # A checkout that pip never installed: the notebooks/lessons link must find the package and its data.
    checkout = tmp_path / "checkout"
    tracked = subprocess.run(["git", "ls-files", "lessons", "data", "notebooks"], cwd=REPO, capture_output=True,
                             text=True, check=True).stdout.split()
    for name in tracked:
        target = checkout / name
        target.parent.mkdir(parents=True, exist_ok=True)
        source = REPO / name
        if source.is_symlink():
            os.symlink(os.readlink(source), target)
        else:
            shutil.copy2(source, target)
    package, data_dir, count = _run(checkout / "notebooks")
    assert Path(package) == checkout / "lessons"
    assert Path(data_dir) == checkout / "data"
    assert int(count) >= 80


def test_requirements_do_not_install_nbgrader():
    learner = (REPO / "requirements.txt").read_text(encoding="utf-8").lower()
    assert "nbgrader" not in learner
    assert "-r requirements.txt" in (REPO / "requirements-dev.txt").read_text(encoding="utf-8")
