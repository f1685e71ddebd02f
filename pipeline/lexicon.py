"""Loading the linguistic data files in ``pipeline/data/`` (TSV with a header, ``#`` comments)."""

from __future__ import annotations

import csv
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


def read_table(name: str, data_dir: str | Path | None = None) -> tuple[dict[str, str], ...]:
    """Rows of ``NAME`` in ``data_dir`` (the packaged ``pipeline/data/`` by default) as dicts keyed
    by the header; comment and blank lines skipped. Components call it from ``initialize``, so the
    tables belong to a pipeline, not to the process."""
    path = Path(data_dir or DATA_DIR) / name
    with path.open(encoding="utf-8", newline="") as fh:
        lines = [ln for ln in fh if ln.strip() and not ln.startswith("#")]
    reader = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    rows = []
    for lineno, row in enumerate(reader, start=2):
        if None in row or any(v is None for v in row.values()):
            raise ValueError(f"{path}: row {lineno} has the wrong number of fields: {row}")
        rows.append({k: v.strip() for k, v in row.items()})
    return tuple(rows)
