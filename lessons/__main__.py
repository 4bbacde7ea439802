"""Command line: ``python -m lessons COMMAND ...`` (``python -m lessons --help``).

Teachers: ``student DEST`` (student edition), ``key DEST`` (answer key), ``nbgrader DEST`` (an nbgrader
course folder), ``handouts DEST`` (a printable classroom kit), ``site DEST`` (the lessons as a website that
works offline). Maintainers: ``refresh NOTEBOOK...``.
Errors print one line on stderr and exit with 2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

TEACHER_COMMANDS = {
    "student": ("write_student", "write a student edition: solutions removed, outputs cleared, setup and check cells locked"),
    "key": ("write_key", "write the answer key: lessons executed, solutions shown"),
    "nbgrader": ("write_nbgrader", "write an nbgrader course folder (source/<lesson>/<lesson>.ipynb and nbgrader_config.py)"),
}


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        print(f"{self.prog}: {message}", file=sys.stderr)
        raise SystemExit(2)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m lessons", description="Tools for the lessons.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for name, (_, help_text) in TEACHER_COMMANDS.items():
        command = commands.add_parser(name, help=help_text, description=help_text)
        command.add_argument("destination", type=Path, metavar="DEST", help="folder to write into")
        command.add_argument("--lessons", default="all", help="'all' (default) or lesson numbers, e.g. 01,04")
        command.add_argument("--lang", default="en", choices=["en", "fr"], help="edition language (default en)")
        command.add_argument("--force", action="store_true",
                             help="replace files already in DEST, keeping each as a .bak backup beside it")
    refresh = commands.add_parser(
        "refresh", help="run notebooks and store them with only their nbval-check-output outputs (maintainers)")
    refresh.add_argument("notebooks", nargs="+", type=Path, help="the .ipynb files to refresh (they are rewritten)")
    site = commands.add_parser(
        "site", help="write the lessons as a static website that works offline (both editions, executed)",
        description="Write the lessons as a static website that works offline: home pages, every lesson of both "
                    "editions executed, reference pages. Open DEST/index.html or put DEST on any static host.")
    site.add_argument("destination", type=Path, metavar="DEST", help="folder to write the site into")
    site.add_argument("--lessons", default="all", help="'all' (default) or lesson numbers, e.g. 01,04")
    site.add_argument("--binder", metavar="OWNER/REPO", help="add a 'Run this lesson' link to Binder")
    site.add_argument("--hub", metavar="URL", help="add a 'Run this lesson' nbgitpuller link to this JupyterHub")
    site.add_argument("--repo", metavar="URL", help="the repository the hub pulls (with --hub)")
    site.add_argument("--force", action="store_true",
                      help="write into a non-empty DEST that is not a previous site build (nothing is deleted)")
    handouts = commands.add_parser(
        "handouts", help="write a printable classroom kit: handouts, exit tickets, teacher sheets (HTML, and A4 PDF "
                         "when Chromium or Chrome is found)",
        description="Write a printable classroom kit for each lesson: a learner handout, an exit ticket, a one-page "
                    "teacher sheet and, where a lesson has them, role cards. HTML always; A4 PDFs too when Chromium "
                    "or Chrome is found. DEST must be outside the repository.")
    handouts.add_argument("destination", type=Path, metavar="DEST", help="folder to write into, outside the repository")
    handouts.add_argument("--lessons", default="all", help="'all' (default) or lesson numbers, e.g. 01,04")
    handouts.add_argument("--lang", default="en", choices=["en", "fr"], help="edition language (default en)")
    handouts.add_argument("--force", action="store_true",
                          help="replace handout files already in DEST, keeping each as a .bak backup beside it")
    return parser


def main(argv: list[str] | None = None) -> int:
    arguments = _parser().parse_args(argv)
    prog = f"python -m lessons {arguments.command}"
    if arguments.command == "refresh":
        from .maintain import refresh

        missing = [path for path in arguments.notebooks if not path.is_file() or path.suffix != ".ipynb"]
        if missing:
            print(f"{prog}: {missing[0]}: expected an existing .ipynb file.", file=sys.stderr)
            return 2
        for path in arguments.notebooks:
            refresh(path)
            print(f"refreshed {path}")
        return 0

    if arguments.command == "site":
        from .publish.site import Launch, SiteError, build_site

        try:
            launch = Launch(binder=arguments.binder, hub=arguments.hub, repo=arguments.repo)
            written = build_site(arguments.destination, selection=arguments.lessons, launch=launch,
                                 force=arguments.force)
        except SiteError as error:
            print(f"{prog}: {error}", file=sys.stderr)
            return 2
        print(f"wrote {len(written)} files into {arguments.destination}; open {arguments.destination / 'index.html'}")
        return 0

    if arguments.command == "handouts":
        from .publish.handouts import find_browser, write_handouts

        def write(destination, selection, force, language, report):
            return write_handouts(destination, selection, force, language, browser=find_browser(), report=report)
    else:
        from . import teacher

        write = getattr(teacher, TEACHER_COMMANDS[arguments.command][0])
    return _write_for_a_class(prog, write, arguments)


def _write_for_a_class(prog: str, write, arguments) -> int:
    """Run a command that writes files for a class; every file is reported as it is written, and a
    refusal, a failure or Ctrl-C ends with one line on stderr (exit status 2, or 130 for Ctrl-C)."""
    from .destination import DestinationError

    try:
        write(arguments.destination, arguments.lessons, arguments.force, arguments.lang,
              report=lambda line: print(line, flush=True))
    except DestinationError as error:
        print(f"{prog}: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{prog}: interrupted; no half-written file was left (any file written before is listed above).",
              file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
