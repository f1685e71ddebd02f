"""Readers of inputs, one per file suffix: :data:`READERS` is the table ``ingest`` dispatches on.

A reader is called with the file's path, the document id the file gets (its path relative to the
input folder, without suffix) and the :class:`~pipeline.ingest.Reading` options, and yields
:class:`~pipeline.ingest.Document` or :class:`~pipeline.ingest.DocumentError` rows: one per file,
or one per line or row for files that hold several articles. A reader whose library is an
optional extra that is not installed yields an error row that names the extra.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from ..ingest import JSONL_GZ_SUFFIX, Document, DocumentError, Reading, read_article, read_jsonl, read_jsonl_gz
from . import html, pdf, sheets

Reader = Callable[[Path, str, Reading], Iterator[Document | DocumentError]]

READERS: dict[str, Reader] = {
    ".txt": read_article,
    ".md": read_article,
    ".jsonl": read_jsonl,
    JSONL_GZ_SUFFIX: read_jsonl_gz,
    ".html": html.read_html,
    ".htm": html.read_html,
    ".pdf": pdf.read_pdf,
    ".csv": sheets.read_csv,
    ".xlsx": sheets.read_xlsx,
}
