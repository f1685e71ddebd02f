"""Records as rows, and rows as CSV files (UTF-8 with BOM so that Excel shows Hangul).

Tables and columns (downstream tools read them by name; see README.md for their meaning):
"""
from __future__ import annotations

import csv
import json
import os
import shutil
from pathlib import Path

from spacy.tokens import Doc

from . import schema
from .events import Event
from .schema import COLUMNS
from .spans import doc_text, token_index

__doc__ += "\n".join(f"- ``{name}.csv``: {', '.join(cols)}" for name, cols in COLUMNS.items())


def span_rows(doc: Doc, doc_id: str, source_text: str | None = None) -> dict[str, list[dict]]:
    """Rows for every label table (dates, organizations, amounts, …); sentence ids count from 1.
    ``text`` is cut from ``source_text`` (the document as read) when the Doc was built from its
    masked form. A table that holds several labels has them in document order and names each
    row's label in its ``kind`` column."""
    index = token_index(doc)
    text = source_text if source_text is not None else doc_text(doc)
    rows: dict[str, list[dict]] = {}
    for table, labels in schema.span_tables().items():
        spans = sorted(((label, s) for label in labels for s in doc.spans.get(label.name, [])),
                       key=lambda ls: ls[1].start_char)
        shared = len(labels) > 1
        rows[table] = [{"doc_id": doc_id, "sentence_id": index.sentence_of(s.start_char) + 1,
                        "start": s.start_char, "end": s.end_char, "text": text[s.start_char:s.end_char],
                        **({schema.LABEL_COLUMN: label.name} if shared else {}), **label.cells(s)}
                       for label, s in spans]
    return rows


def _event_cell(value) -> object:
    if isinstance(value, list):
        return ";".join(value)
    return "" if value is None else value


def event_rows(events: list[Event], doc_id: str) -> list[dict]:
    """One row per event: each ``events`` column from the :class:`Event` attribute of that name
    (lists joined with ``;``, None as an empty cell)."""
    columns = [c for c in COLUMNS["events"] if c != "doc_id"]
    return [{"doc_id": doc_id, **{c: _event_cell(getattr(e, c)) for c in columns}} for e in events]


class CsvSet:
    """The five output CSVs of a run, written document by document into ``OUT/.partial/`` and
    renamed into place together by :meth:`commit`: an interrupted run (Ctrl-C, SIGKILL, a crash)
    leaves the previous complete outputs untouched.

    After each document a line goes to ``.partial/journal``: how many documents are done, the
    running totals and the size of every partial file. ``resume=True`` truncates the partial files
    to the last journal line and continues after that many documents, so the final files are the
    same bytes an uninterrupted run writes. ``key`` identifies the run (its inputs and options):
    a journal of another run is never resumed.
    """

    def __init__(self, out_dir: str | Path, key: str = "", resume: bool = False):
        self.out_dir = Path(out_dir)
        self.partial = self.out_dir / ".partial"
        self.key = key
        self.done = 0
        self.state: dict = {}
        self.out_dir.mkdir(parents=True, exist_ok=True)
        journal = self.partial / "journal"
        last = self._last_journal_line(journal) if resume else None
        if last is None:
            if self.partial.exists():
                shutil.rmtree(self.partial)
            self.partial.mkdir()
            sizes = None
            journal.write_text(json.dumps({"key": key}, ensure_ascii=False) + "\n", encoding="utf-8")
        else:
            self.done, self.state, sizes = last["done"], last["state"], last["sizes"]
        self._files = {}
        self._writers = {}
        for name, cols in COLUMNS.items():
            path = self.partial / f"{name}.csv"
            if sizes is None:
                fh = path.open("w", encoding="utf-8-sig", newline="")
                writer = csv.DictWriter(fh, fieldnames=cols, extrasaction="ignore", lineterminator="\r\n")
                writer.writeheader()
            else:
                with path.open("r+b") as raw:
                    raw.truncate(sizes[name])
                fh = path.open("a", encoding="utf-8", newline="")
                writer = csv.DictWriter(fh, fieldnames=cols, extrasaction="ignore", lineterminator="\r\n")
            self._files[name] = fh
            self._writers[name] = writer
        self._journal = journal.open("a", encoding="utf-8")

    def _last_journal_line(self, journal: Path) -> dict | None:
        if not journal.exists():
            return None
        lines = journal.read_text(encoding="utf-8").splitlines()
        try:
            if json.loads(lines[0]).get("key") != self.key:
                return None
            entries = [json.loads(ln) for ln in lines[1:] if ln.strip()]
        except (ValueError, IndexError):
            return None  # a journal cut mid-line by a kill: its last full line is still good
        if not entries:
            return None
        last = entries[-1]
        if any(not (self.partial / f"{n}.csv").exists() for n in COLUMNS):
            return None
        return last

    def write_document(self, rows: dict[str, list[dict]], state: dict) -> None:
        """All rows of one document, then the journal line that makes them count."""
        for table, table_rows in rows.items():
            self._writers[table].writerows(table_rows)
        for fh in self._files.values():
            fh.flush()
        self.done += 1
        self.state = state
        sizes = {name: fh.tell() for name, fh in self._files.items()}
        self._journal.write(json.dumps({"done": self.done, "state": state, "sizes": sizes}) + "\n")
        self._journal.flush()

    def commit(self) -> list[Path]:
        paths = []
        for fh in self._files.values():
            fh.flush()
            os.fsync(fh.fileno())
            fh.close()
        self._journal.close()
        for name in COLUMNS:
            final = self.out_dir / f"{name}.csv"
            os.replace(self.partial / f"{name}.csv", final)
            paths.append(final)
        shutil.rmtree(self.partial, ignore_errors=True)
        self._files = {}
        return paths

    def close(self) -> None:
        """Stop without committing; the partial files stay for ``resume``."""
        for fh in self._files.values():
            fh.close()
        self._journal.close()
        self._files = {}

