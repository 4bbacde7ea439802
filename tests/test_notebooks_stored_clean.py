"""How notebooks are stored in git: no outputs and no widget state, except kept nbval outputs."""

from __future__ import annotations

import json

import pytest

from conftest import REPO

NOTEBOOKS = sorted(p for p in (REPO / "notebooks").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
KEEP = "nbval-check-output"


def _ids(paths):
    return [str(p.relative_to(REPO)) for p in paths]


def test_there_are_notebooks():
    assert (REPO / "notebooks" / "00_start_here.ipynb") in NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_only_kept_cells_store_outputs(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    for index, cell in enumerate(notebook["cells"]):
        if cell["cell_type"] != "code":
            continue
        kept = KEEP in cell.get("metadata", {}).get("tags", [])
        if not kept:
            assert cell["outputs"] == [], f"cell {index} stores outputs without the {KEEP} tag"
            assert cell["execution_count"] is None, f"cell {index} stores an execution count"
        else:
            assert cell["outputs"], f"kept cell {index} has no stored output for nbval to compare"
            assert cell["execution_count"] is not None, f"kept cell {index} has outputs but no execution count"
            for output in cell["outputs"]:
                assert "application/vnd.jupyter.widget-view+json" not in output.get("data", {}), \
                    f"kept cell {index} stores a widget view"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_no_widget_state_and_python3_kernel(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    assert "widgets" not in notebook["metadata"]
    assert notebook["metadata"]["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_notebook_is_at_most_100_kb(path):
    assert path.stat().st_size <= 100_000
