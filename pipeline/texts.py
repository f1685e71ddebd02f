"""The texts beside the records: ``OUT/texts.jsonl``, one line per document that was read.

Every record's offsets count characters of its document's text. For a ``.txt`` file that text is
the file, but for a web page, a PDF or a spreadsheet row it is what the reader extracted, which
exists nowhere else; so ``run`` writes every document's text here, ``{"doc_id": …, "text": …}``
a line in input order, and ``report``, the notebook and anyone checking a row read it back
(:func:`read_texts`): ``text[start:end]`` of a row is its ``text`` cell. One file rather than a
file per document: a document id is not a path (a JSONL id may be ``../../x`` or ``/etc/y``),
and a million small files are no friend of any file system.

The file is written beside the CSVs and replaced with them (:class:`TextWriter`), so it always
belongs to the same run.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TextIO

from .ingest import Document, DocumentError

TEXTS_FILE = "texts.jsonl"


class TextWriter:
    """Writes ``OUT/texts.jsonl`` through a temporary file that :meth:`commit` renames into place
    (:meth:`discard` removes it): an interrupted run leaves the previous texts as they were.
    The caller holds the output folder's lock (``export.CsvSet``)."""

    def __init__(self, out_dir: str | Path):
        self.path = Path(out_dir) / TEXTS_FILE
        self._tmp = self.path.with_name(f".{TEXTS_FILE}.partial")
        self._fh: TextIO | None = self._tmp.open("w", encoding="utf-8", newline="\n")

    def add(self, item: Document | DocumentError) -> None:
        """The text of a document (an unreadable one has none)."""
        if isinstance(item, Document) and self._fh is not None:
            self._fh.write(json.dumps({"doc_id": item.doc_id, "text": item.text}, ensure_ascii=False) + "\n")

    def commit(self) -> Path:
        assert self._fh is not None, "commit() once"
        self._fh.flush()
        os.fsync(self._fh.fileno())
        self._fh.close()
        self._fh = None
        os.replace(self._tmp, self.path)
        return self.path

    def discard(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None
        self._tmp.unlink(missing_ok=True)


def read_texts(out_dir: str | Path) -> dict[str, str]:
    """``{doc_id: text}`` from ``OUT/texts.jsonl``; {} when the run wrote none (an older run)."""
    path = Path(out_dir) / TEXTS_FILE
    try:
        fh = path.open(encoding="utf-8")
    except FileNotFoundError:
        return {}
    texts: dict[str, str] = {}
    with fh:
        for line in fh:
            if line.strip():
                row = json.loads(line)
                texts[str(row["doc_id"])] = row["text"]
    return texts
