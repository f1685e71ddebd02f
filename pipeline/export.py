"""Records as rows, and rows as CSV files (UTF-8 with BOM so that Excel shows Hangul).

Tables and columns (downstream tools read them by name; see README.md for their meaning):
"""
from __future__ import annotations

import csv
import os
from pathlib import Path

from spacy.tokens import Doc

from .events import Event
from .numbers import format_number
from .spans import doc_text, token_index

COLUMNS: dict[str, list[str]] = {
    "documents": ["doc_id", "path", "title", "published", "chars", "sentences", "status", "error"],
    "dates": ["doc_id", "sentence_id", "start", "end", "text", "value", "mod"],
    "organizations": ["doc_id", "sentence_id", "start", "end", "text", "name", "kind"],
    "amounts": ["doc_id", "sentence_id", "start", "end", "text", "kind", "value", "unit", "qualifier"],
    "events": ["doc_id", "event_id", "sentence_id", "date_text", "date_value", "date_start", "date_end",
               "orgs", "amounts", "category", "sentence"],
}
__doc__ += "\n".join(f"- ``{name}.csv``: {', '.join(cols)}" for name, cols in COLUMNS.items())


def span_rows(doc: Doc, doc_id: str) -> dict[str, list[dict]]:
    """Rows for dates, organizations and amounts; sentence ids count from 1."""
    index = token_index(doc)
    text = doc_text(doc)

    def base(s):
        return {"doc_id": doc_id, "sentence_id": index.sentence_of(s.start_char) + 1, "start": s.start_char,
                "end": s.end_char, "text": text[s.start_char:s.end_char]}

    rows: dict[str, list[dict]] = {"dates": [], "organizations": [], "amounts": []}
    for s in doc.spans.get("DATE", []):
        rows["dates"].append({**base(s), "value": s._.value, "mod": s._.mod or ""})
    for s in doc.spans.get("ORG", []):
        rows["organizations"].append({**base(s), "name": s._.name, "kind": s._.kind})
    amounts = list(doc.spans.get("MONEY", [])) + list(doc.spans.get("QUANTITY", []))
    for s in sorted(amounts, key=lambda s: s.start_char):
        rows["amounts"].append({**base(s), "kind": s.label_, "value": format_number(s._.value),
                                "unit": s._.unit, "qualifier": s._.qualifier})
    return rows


def event_rows(events: list[Event], doc_id: str) -> list[dict]:
    return [{
        "doc_id": doc_id,
        "event_id": e.event_id,
        "sentence_id": e.sentence_id,
        "date_text": e.date_text,
        "date_value": e.date_value,
        "date_start": e.date_start or "",
        "date_end": e.date_end or "",
        "orgs": ";".join(e.orgs),
        "amounts": ";".join(e.amounts),
        "category": e.category,
        "sentence": e.sentence,
    } for e in events]


class CsvSet:
    """The five output CSVs, written row by row into temp files and renamed into place together
    by :meth:`commit`, so that an interrupted run leaves the previous complete outputs."""

    def __init__(self, out_dir: str | Path):
        self.out_dir = Path(out_dir)
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self._files = {}
        self._writers = {}
        for name, cols in COLUMNS.items():
            tmp = self.out_dir / f".{name}.csv.tmp-{os.getpid()}"
            fh = tmp.open("w", encoding="utf-8-sig", newline="")
            writer = csv.DictWriter(fh, fieldnames=cols, extrasaction="ignore", lineterminator="\r\n")
            writer.writeheader()
            self._files[name] = (fh, tmp)
            self._writers[name] = writer

    def write(self, table: str, rows: list[dict]) -> None:
        self._writers[table].writerows(rows)

    def commit(self) -> list[Path]:
        paths = []
        for name, (fh, tmp) in self._files.items():
            fh.flush()
            os.fsync(fh.fileno())
            fh.close()
        for name, (_, tmp) in self._files.items():
            final = self.out_dir / f"{name}.csv"
            os.replace(tmp, final)
            paths.append(final)
        self._files = {}
        return paths

    def abort(self) -> None:
        for fh, tmp in self._files.values():
            fh.close()
            tmp.unlink(missing_ok=True)
        self._files = {}

    def __enter__(self) -> "CsvSet":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.abort()


def value_text(value) -> str:
    return format_number(value)
