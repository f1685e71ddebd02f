"""Loading the linguistic data files in ``pipeline/data/`` (TSV with a header, ``#`` comments)."""
from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


@lru_cache(maxsize=None)
def read_table(name: str) -> tuple[dict[str, str], ...]:
    """Rows of ``data/NAME`` as dicts keyed by the header; comment and blank lines skipped."""
    path = DATA_DIR / name
    with path.open(encoding="utf-8", newline="") as fh:
        lines = [ln for ln in fh if ln.strip() and not ln.startswith("#")]
    reader = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    rows = []
    for lineno, row in enumerate(reader, start=2):
        if None in row or any(v is None for v in row.values()):
            raise ValueError(f"{path}: row {lineno} has the wrong number of fields: {row}")
        rows.append({k: v.strip() for k, v in row.items()})
    return tuple(rows)

