"""Command line: ``python -m lessons COMMAND ...`` (run ``python -m lessons --help``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lessons", description="Tools for the lessons.")
    commands = parser.add_subparsers(dest="command", required=True)
    refresh = commands.add_parser(
        "refresh", help="run notebooks and store them with only their nbval-check-output outputs (maintainers)")
    refresh.add_argument("notebooks", nargs="+", type=Path, help="the .ipynb files to refresh (they are rewritten)")
    arguments = parser.parse_args(argv)

    if arguments.command == "refresh":
        from .maintain import refresh as refresh_notebook

        missing = [path for path in arguments.notebooks if not path.is_file() or path.suffix != ".ipynb"]
        if missing:
            print(f"python -m lessons refresh: {missing[0]}: expected an existing .ipynb file.", file=sys.stderr)
            return 2
        for path in arguments.notebooks:
            refresh_notebook(path)
            print(f"refreshed {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
