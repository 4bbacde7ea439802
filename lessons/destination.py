"""Writing files for a class without losing anything: the one place the commands write through.

``python -m lessons student|key|nbgrader|handouts`` all write here, so they share one set of rules:

- the package's own ``notebooks/`` (both editions, also through a link or ``..``) and ``lessons/``
  are never a destination, not even with ``force``;
- a file that exists is replaced only with ``force``, and then kept beside it as a backup
  (``NAME.bak``, or a dated ``NAME.<date>.bak`` when that exists); other files are left alone;
- each file is written to a temporary file in its folder, then moved into place, so a full disk, an
  error or an interrupt never leaves a half-written or temporary file behind;
- a new file gets the mode the umask gives (as an editor's would), a replaced file keeps its mode.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

__all__ = ["DestinationError", "prepare", "write", "write_text", "write_all"]

PACKAGE_DIR = Path(__file__).resolve().parent


class DestinationError(Exception):
    """A command cannot write where it was asked to; the message says why in one line."""


def _protected_folders() -> list[Path]:
    from . import teacher  # tests point teacher.LESSONS_DIR at a copy of the lessons

    return [teacher.LESSONS_DIR.resolve(), PACKAGE_DIR]


def _umask() -> int:
    mask = os.umask(0)  # the only portable way to read it is to set it and put it back
    os.umask(mask)
    return mask


def prepare(destination: Path, targets: list[Path], force: bool) -> None:
    """Refuse a destination that is a file or one of the package's own folders, and refuse to replace
    any of ``targets`` unless ``force``; then create the folder."""
    if destination.exists() and not destination.is_dir():
        raise DestinationError(f"{destination}: expected a folder; it is a file.")
    for target in targets:
        folder = target.parent.resolve()
        for protected in _protected_folders():
            if folder == protected or protected in folder.parents:
                raise DestinationError(f"{destination}: that is the package's own {protected.name}/ folder, which "
                                       "no command overwrites (not even with --force); choose another destination.")
    existing = [target for target in targets if target.exists()]
    if existing and not force:
        names = ", ".join(str(target.relative_to(destination)) for target in existing)
        raise DestinationError(f"{destination}: {len(existing)} file{'s' if len(existing) > 1 else ''} would be "
                               f"replaced ({names}); pass --force to replace them (each is kept as a .bak backup "
                               "beside it).")
    try:
        destination.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise DestinationError(f"{destination}: cannot create the folder ({error.strerror}).") from None
    if not os.access(destination, os.W_OK):
        raise DestinationError(f"{destination}: the folder is not writable.")


def _backup_path(path: Path) -> Path:
    backup = path.with_name(f"{path.name}.bak")
    if not backup.exists():
        return backup
    stamp = time.strftime("%Y%m%d-%H%M%S")
    backup, number = path.with_name(f"{path.name}.{stamp}.bak"), 1
    while backup.exists():
        number += 1
        backup = path.with_name(f"{path.name}.{stamp}-{number}.bak")
    return backup


def write(path: Path, write_content: Callable[[Path], None]) -> Path | None:
    """Write ``path`` through a temporary file in its folder: ``write_content(temporary_path)`` fills
    it. A replaced file keeps its mode and stays as a backup beside it, whose path is returned."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    temporary, backup = Path(name), None
    try:
        write_content(temporary)
        replaced = path.exists()
        os.chmod(temporary, stat.S_IMODE(path.stat().st_mode) if replaced else 0o666 & ~_umask())
        if replaced:
            backup = _backup_path(path)
            try:
                os.link(path, backup)  # the old version keeps its inode: no copy, nothing to half-write
            except OSError:
                shutil.copy2(path, backup)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        if backup is not None and path.exists() and backup.exists() and os.path.samefile(path, backup):
            backup.unlink()  # the replacement failed: the original is still in place
        raise
    return backup


def write_text(text: str) -> Callable[[Path], None]:
    """A ``write_content`` for :func:`write` that writes ``text`` (UTF-8)."""
    return lambda temporary: temporary.write_text(text, encoding="utf-8")


def write_all(files: list[tuple[Path, Callable[[Path], None]]], report: Callable[[str], None],
              describe: Callable[[Path], str] = str) -> list[Path]:
    """Write each ``(path, write_content)`` in turn with :func:`write`, reporting each file as soon as it
    is in place (``describe`` turns a path into its report line, e.g. with its size)."""
    written = []
    for path, write_content in files:
        try:
            backup = write(path, write_content)
        except OSError as error:
            before = ("" if not written else "; the file listed above was written" if len(written) == 1
                      else f"; the {len(written)} files listed above were written")
            raise DestinationError(f"{path}: cannot write it ({error.strerror or error}); nothing half-written "
                                   f"was left{before}.") from None
        written.append(path)
        report(f"wrote {describe(path)}" + (f" (the previous version is kept as {backup.name})" if backup else ""))
    return written
