"""Maintainer tools: keep the committed notebooks in the form the tests expect.

Notebooks are stored without outputs and without widget state, except code cells tagged
``nbval-check-output``, whose deterministic text outputs nbval compares on every test run.
``python -m lessons refresh NOTEBOOK...`` runs the named notebooks and stores them that way.
"""

from __future__ import annotations

import functools
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


@functools.cache
def output_stand_in():
    """nbclient's stand-in for the front end of an ipywidgets Output, sending what it captured back to
    the kernel through the asyncio interface of the shell socket (a class, built on first use so that
    nbclient is imported only when a notebook is run).

    nbclient's own stand-in (nbclient 0.11.0, output_widget.py:63) sends it with
    ``shell_channel.send``, and jupyter_client's ``Session.send`` (8.10.0, session.py:819-821 and 867)
    sends on a blocking shadow of the asyncio socket. That send, made while nbclient awaits the cell's
    execute_reply on the same socket (client.py:782), can consume the socket's edge-triggered ZMQ_FD
    event; pyzmq's asyncio poller never hears of it, so the reply, there already, is read only when the
    cell timeout fires (nbclient issue 312, jupyter_client PR 1059, both open). Sent through the asyncio
    socket, pyzmq re-checks the socket for the waiting poll. The lessons trigger it: each chart is
    displayed into an Output while the cell that builds the widget runs."""
    from nbclient.jsonutil import json_clean
    from nbclient.output_widget import OutputWidget

    class OutputStandIn(OutputWidget):
        def _publish_msg(self, msg_type, data=None, metadata=None, buffers=None, **keys):
            session, shell = self.kernel_client.session, self.kernel_client.shell_channel
            content = json_clean(dict(data=data or {}, comm_id=self.comm_id, **keys))
            message = session.msg(msg_type, content=content, parent=self.parent_header, metadata=metadata or {})
            shell.socket.send_multipart(session.serialize(message))

    return OutputStandIn


def client(notebook, folder: Path, timeout: int = CELL_TIMEOUT):
    """The nbclient client that :func:`execute` runs: a fresh python3 kernel started in ``folder``, no
    timestamps recorded, and :func:`output_stand_in` in place of nbclient's own stand-in for the
    ipywidgets Output. Built apart so that benchmarks/stress.py can time each cell of the same client."""
    from nbclient import NotebookClient

    runner = NotebookClient(notebook, timeout=timeout, kernel_name="python3", record_timing=False,
                            resources={"metadata": {"path": str(folder)}})
    # widget_registry is not a setting (passed to the constructor, it is overwritten): replace the entry.
    runner.widget_registry = {"@jupyter-widgets/output": {"OutputModel": output_stand_in()}}
    return runner


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
