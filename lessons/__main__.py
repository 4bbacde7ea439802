"""Command line: ``python -m lessons COMMAND ...`` (``python -m lessons --help``).

Teachers: ``student DEST`` (student edition), ``key DEST`` (answer key), ``nbgrader DEST`` (an nbgrader
course folder). Maintainers: ``refresh NOTEBOOK...``. Errors print one line on stderr and exit with 2.
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
        command.add_argument("--force", action="store_true", help="replace notebooks already in DEST")
    refresh = commands.add_parser(
        "refresh", help="run notebooks and store them with only their nbval-check-output outputs (maintainers)")
    refresh.add_argument("notebooks", nargs="+", type=Path, help="the .ipynb files to refresh (they are rewritten)")
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

    from . import teacher

    writer = getattr(teacher, TEACHER_COMMANDS[arguments.command][0])
    try:
        written = writer(arguments.destination, arguments.lessons, arguments.force, arguments.lang)
    except teacher.TeacherError as error:
        print(f"{prog}: {error}", file=sys.stderr)
        return 2
    for path in written:
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
