"""notebooks/review.ipynb is committed without outputs and runs top to bottom, headless, on the
committed extracted/ without edits."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "review.ipynb"

nbformat = pytest.importorskip("nbformat")


def test_notebook_is_committed_without_outputs():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code, "no code cells"
    for cell in code:
        assert cell.outputs == [] and cell.execution_count is None, "commit the notebook without outputs"
    first = code[0].source
    assert 'EXTRACTED = Path("../extracted")' in first and 'Path("extracted")' in first


@pytest.mark.skipif(
    importlib.util.find_spec("nbclient") is None or importlib.util.find_spec("ipykernel") is None,
    reason="nbclient and ipykernel are needed to run the notebook",
)
def test_notebook_runs_top_to_bottom_headless():
    from nbclient import NotebookClient

    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOK.parent)}}
    )
    client.execute()  # raises CellExecutionError on the first cell that fails
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    shown = "".join(str(o.get("data", {}).get("text/html", "")) for o in outputs)
    assert "entities" in shown and "DATE 2020-03" in shown  # displaCy drew the highlighted document
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) >= 2  # the timeline and the money charts
    text = "".join(str(o.get("text", "")) for o in outputs) + shown
    assert "53억 9,000만 원" in text
