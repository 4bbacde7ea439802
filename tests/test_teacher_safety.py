"""Teacher commands never destroy anything: not the lessons, not a teacher's or a learner's edits,
and a failure or an interrupt leaves no half-written or temporary file behind."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import nbformat
import pytest

from lessons import teacher
from lessons.__main__ import main

LESSON_00 = "00_start_here.ipynb"
LESSON_01 = "01_a_nonprofit_for_humanity.ipynb"


def _run(argv, capsys):
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _snapshot(folder):
    return {path: path.read_bytes() for path in sorted(folder.rglob("*.ipynb"))}


def _leftovers(folder):
    return sorted(path.name for path in folder.rglob("*") if path.name.endswith(".tmp"))


# --- the package's own folders ----------------------------------------------------------------

@pytest.mark.parametrize("command", ["student", "key", "nbgrader"])
@pytest.mark.parametrize("relative", ["notebooks", "notebooks/fr", "notebooks/fr/..", "notebooks/./fr"])
def test_the_lessons_folders_are_refused_even_with_force(command, relative, capsys):
    lessons = teacher.LESSONS_DIR
    before = _snapshot(lessons)
    destination = lessons.parent / relative
    code, out, err = _run([command, str(destination), "--lessons", "00", "--force"], capsys)
    assert code == 2 and out == ""
    assert err == (f"python -m lessons {command}: {destination}: that is the package's own notebooks/ folder, "
                   "which no command overwrites (not even with --force); choose another destination.\n")
    assert _snapshot(lessons) == before


@pytest.mark.parametrize("command", ["student", "nbgrader"])
def test_a_link_to_the_lessons_is_refused_even_with_force(tmp_path, command, capsys):
    lessons = teacher.LESSONS_DIR
    before = _snapshot(lessons)
    if command == "student":
        destination = tmp_path / "class"
        destination.symlink_to(lessons)
    else:  # an nbgrader course whose source/00_start_here points at the lessons
        destination = tmp_path / "course"
        (destination / "source").mkdir(parents=True)
        (destination / "source" / "00_start_here").symlink_to(lessons)
    code, out, err = _run([command, str(destination), "--lessons", "00", "--force"], capsys)
    assert code == 2 and out == ""
    assert "that is the package's own notebooks/ folder, which no command overwrites" in err
    assert err.count("\n") == 1
    assert _snapshot(lessons) == before


def test_the_package_code_folder_is_refused(capsys):
    destination = teacher.LESSONS_DIR / "lessons"  # the link from notebooks/ to the package
    code, _, err = _run(["student", str(destination), "--lessons", "00", "--force"], capsys)
    assert code == 2
    assert "that is the package's own" in err and err.count("\n") == 1
    assert not (destination / LESSON_00).exists()


# --- permissions ------------------------------------------------------------------------------

def test_written_files_get_the_mode_the_umask_gives(tmp_path, capsys):
    previous = os.umask(0o022)
    try:
        assert _run(["nbgrader", str(tmp_path / "course"), "--lessons", "00"], capsys)[0] == 0
    finally:
        os.umask(previous)
    for path in [tmp_path / "course" / "nbgrader_config.py", tmp_path / "course" / "source" / "00_start_here" / LESSON_00]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o644, path


def test_a_replaced_file_keeps_its_mode(tmp_path, capsys):
    destination = tmp_path / "class"
    assert _run(["student", str(destination), "--lessons", "00"], capsys)[0] == 0
    (destination / LESSON_00).chmod(0o664)
    assert _run(["student", str(destination), "--lessons", "00", "--force"], capsys)[0] == 0
    assert stat.S_IMODE((destination / LESSON_00).stat().st_mode) == 0o664


# --- what is refused, what is replaced, what is kept ------------------------------------------

def test_other_notebooks_in_the_folder_do_not_block_writing(tmp_path, capsys):
    destination = tmp_path / "class"
    destination.mkdir()
    mine = destination / "my_own_notebook.ipynb"
    nbformat.write(nbformat.v4.new_notebook(), mine)
    before = mine.read_bytes()
    code, out, err = _run(["student", str(destination), "--lessons", "00"], capsys)
    assert code == 0 and err == ""
    assert out == f"wrote {destination / LESSON_00}\n"
    assert mine.read_bytes() == before


def test_replacing_lists_every_file_and_force_keeps_backups(tmp_path, capsys):
    destination = tmp_path / "class"
    assert _run(["student", str(destination), "--lessons", "00,01"], capsys)[0] == 0
    for name in (LESSON_00, LESSON_01):
        (destination / name).write_text((destination / name).read_text(encoding="utf-8") + " ", encoding="utf-8")
    edited = {name: (destination / name).read_bytes() for name in (LESSON_00, LESSON_01)}
    code, out, err = _run(["student", str(destination), "--lessons", "00,01"], capsys)
    assert code == 2 and out == ""
    assert err == (f"python -m lessons student: {destination}: 2 files would be replaced ({LESSON_00}, {LESSON_01}); "
                   "pass --force to replace them (each is kept as a .bak backup beside it).\n")
    code, out, err = _run(["student", str(destination), "--lessons", "00,01", "--force"], capsys)
    assert code == 0 and err == ""
    assert out.splitlines() == [f"wrote {destination / name} (the previous version is kept as {name}.bak)"
                                for name in (LESSON_00, LESSON_01)]
    for name in (LESSON_00, LESSON_01):
        assert (destination / f"{name}.bak").read_bytes() == edited[name]
        assert (destination / name).read_bytes() != edited[name]


def test_a_second_force_keeps_the_first_backup(tmp_path, capsys):
    destination = tmp_path / "class"
    assert _run(["student", str(destination), "--lessons", "00"], capsys)[0] == 0
    (destination / LESSON_00).write_text("first edit", encoding="utf-8")
    assert _run(["student", str(destination), "--lessons", "00", "--force"], capsys)[0] == 0
    (destination / LESSON_00).write_text("second edit", encoding="utf-8")
    assert _run(["student", str(destination), "--lessons", "00", "--force"], capsys)[0] == 0
    backups = sorted(path.read_text(encoding="utf-8") for path in destination.glob(f"{LESSON_00}*.bak"))
    assert backups == ["first edit", "second edit"]


def test_nbgrader_config_is_never_replaced_without_force_and_then_backed_up(tmp_path, capsys):
    course = tmp_path / "course"
    course.mkdir()
    config = course / "nbgrader_config.py"
    config.write_text("c = get_config()\nc.CourseDirectory.course_id = 'my-course'\n", encoding="utf-8")
    code, out, err = _run(["nbgrader", str(course), "--lessons", "00"], capsys)
    assert code == 2 and out == ""
    assert err == (f"python -m lessons nbgrader: {course}: 1 file would be replaced (nbgrader_config.py); "
                   "pass --force to replace them (each is kept as a .bak backup beside it).\n")
    assert not (course / "source").exists()
    code, out, err = _run(["nbgrader", str(course), "--lessons", "00", "--force"], capsys)
    assert code == 0
    assert out.splitlines()[0] == f"wrote {config} (the previous version is kept as nbgrader_config.py.bak)"
    assert "my-course" in (course / "nbgrader_config.py.bak").read_text(encoding="utf-8")
    assert "who-controls-openai" in config.read_text(encoding="utf-8")


# --- failures and interrupts ------------------------------------------------------------------

def _fail_on_second_notebook(monkeypatch, exception, failing=2):
    real_write, calls = nbformat.write, []

    def write(notebook, target, *args, **kwargs):
        calls.append(1)
        if len(calls) == failing:
            Path(target).write_text('{"cells": [', encoding="utf-8")  # half a notebook, then the failure
            raise exception
        return real_write(notebook, target, *args, **kwargs)

    monkeypatch.setattr(teacher.nbformat, "write", write)


def test_a_full_disk_is_one_line_and_leaves_nothing_half_written(tmp_path, monkeypatch, capsys):
    destination = tmp_path / "class"
    _fail_on_second_notebook(monkeypatch, OSError(errno.ENOSPC, "No space left on device"))
    code, out, err = _run(["student", str(destination), "--lessons", "00,01"], capsys)
    assert code == 2
    assert out == f"wrote {destination / LESSON_00}\n"
    assert err == (f"python -m lessons student: {destination / LESSON_01}: cannot write it (No space left on device); "
                   "nothing half-written was left; the file listed above was written.\n")
    assert sorted(path.name for path in destination.iterdir()) == [LESSON_00]


def test_a_full_disk_after_two_files_names_both_as_written(tmp_path, monkeypatch, capsys):
    destination = tmp_path / "class"
    _fail_on_second_notebook(monkeypatch, OSError(errno.ENOSPC, "No space left on device"), failing=3)
    code, out, err = _run(["student", str(destination), "--lessons", "00,01,02"], capsys)
    assert code == 2 and out.count("\n") == 2
    assert err.endswith("nothing half-written was left; the 2 files listed above were written.\n")


def test_a_full_disk_while_replacing_keeps_the_old_file_and_no_backup(tmp_path, monkeypatch, capsys):
    destination = tmp_path / "class"
    assert _run(["student", str(destination), "--lessons", "00,01"], capsys)[0] == 0
    (destination / LESSON_01).write_text("my edits", encoding="utf-8")
    _fail_on_second_notebook(monkeypatch, OSError(errno.ENOSPC, "No space left on device"))
    code, _, err = _run(["student", str(destination), "--lessons", "00,01", "--force"], capsys)
    assert code == 2 and err.count("\n") == 1
    assert (destination / LESSON_01).read_text(encoding="utf-8") == "my edits"
    assert not (destination / f"{LESSON_01}.bak").exists()
    assert _leftovers(destination) == []


def test_an_unwritable_file_is_one_line(tmp_path, capsys):
    destination = tmp_path / "class"
    (destination / LESSON_00).mkdir(parents=True)  # a folder where the notebook should go: even root cannot replace it
    code, out, err = _run(["student", str(destination), "--lessons", "00", "--force"], capsys)
    assert code == 2 and out == ""
    assert err.startswith(f"python -m lessons student: {destination / LESSON_00}: cannot write it (")
    assert err.endswith("nothing half-written was left.\n") and err.count("\n") == 1
    assert (destination / LESSON_00).is_dir() and _leftovers(destination) == []


def test_an_interrupt_exits_130_and_leaves_nothing_half_written(tmp_path, monkeypatch, capsys):
    destination = tmp_path / "class"
    _fail_on_second_notebook(monkeypatch, KeyboardInterrupt())
    code, out, err = _run(["student", str(destination), "--lessons", "00,01"], capsys)
    assert code == 130
    assert out == f"wrote {destination / LESSON_00}\n"
    assert err == ("python -m lessons student: interrupted; no half-written file was left "
                   "(any file written before is listed above).\n")
    assert sorted(path.name for path in destination.iterdir()) == [LESSON_00]
