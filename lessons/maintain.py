"""Maintainer tools: keep the committed notebooks in the form the tests expect.

Notebooks are stored without outputs and without widget state, except code cells tagged
``nbval-check-output``, whose deterministic text outputs nbval compares on every test run.
``python -m lessons refresh NOTEBOOK...`` runs the named notebooks and stores them that way.
"""

from __future__ import annotations

from pathlib import Path

import nbformat

KEEP_TAG = "nbval-check-output"
# No lesson cell needs more than a few seconds; a cell that hangs fails after this many.
CELL_TIMEOUT = 300


def keeps_output(cell) -> bool:
    return cell.cell_type == "code" and KEEP_TAG in cell.get("metadata", {}).get("tags", [])


def strip(notebook) -> None:
    """Clear outputs and counts except in kept cells, and drop widget state, in place."""
    notebook.metadata.pop("widgets", None)
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        cell.metadata.pop("execution", None)
        if not keeps_output(cell):
            cell.outputs = []
            cell.execution_count = None


def client(notebook, folder: Path, timeout: int = CELL_TIMEOUT):
    """The nbclient client that :func:`execute` runs: a fresh python3 kernel started in ``folder`` and
    no timestamps recorded. Built apart so that benchmarks/stress.py and the tests can time or watch
    each cell of the same client."""
    from nbclient import NotebookClient

    return NotebookClient(notebook, timeout=timeout, kernel_name="python3", record_timing=False,
                          resources={"metadata": {"path": str(folder)}})


def execute(notebook, folder: Path, timeout: int = CELL_TIMEOUT):
    """Run ``notebook`` in place through :func:`client` and return it."""
    client(notebook, folder, timeout).execute()
    return notebook


def refresh(path: Path) -> None:
    """Execute the notebook at ``path`` and store it with only its kept outputs."""
    notebook = nbformat.read(path, as_version=4)
    execute(notebook, path.parent)
    strip(notebook)
    nbformat.write(notebook, path)
