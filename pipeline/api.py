"""What the command line does, callable from Python (a notebook, a script) without files.

>>> from pipeline import extract
>>> r = extract("카카오는 2020년 3월 기부했다.", published="2021-06")
>>> r.dates[0]["value"]
'2020-03'

``extract_folder(path)`` gives pandas DataFrames for a folder; ``run(inputs, out)`` writes the CSVs.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from spacy.language import Language

from .engine import Engine
from .export import COLUMNS, FORMATS, OutputBusy, event_rows, open_tables, span_rows
from .ingest import (
    Columns,
    Document,
    DocumentError,
    InputError,
    analysis_text,
    count_documents,
    iter_documents,
    list_sources,
    read_sources,
    validate_published,
)
from .kiwi import analyse_ahead
from .nlp import MAX_CHARS, DocumentTooLong, annotate
from .schema import RECORD_TABLES
from .spans import token_index
from .texts import TextWriter

TABLES = RECORD_TABLES  # the registry's list, kept up to date when a label is registered


@dataclass(init=False)
class Result:
    """The records of one document, as rows keyed like the CSV columns: one list of rows per table
    in :data:`TABLES` (``dates``, ``organizations``, ``amounts``, ``events`` and any registered
    label's table), in ``tables`` and as attributes (``r.dates``)."""

    doc_id: str
    text: str
    published: str | None
    path: str
    title: str
    sentences: int
    pages: int | None  # the pages of a paged input (PDF), else None
    tables: dict[str, list[dict]]
    doc: object  # the spaCy Doc, for displaCy and further analysis

    def __init__(
        self,
        doc_id: str,
        text: str,
        published: str | None = None,
        path: str = "",
        title: str = "",
        sentences: int = 0,
        doc: object = None,
        pages: int | None = None,
        **tables: list[dict],
    ):
        unknown = tables.keys() - set(TABLES)
        if unknown:
            raise TypeError(f"Result() got rows for unknown tables {sorted(unknown)}")
        self.doc_id, self.text, self.published, self.path, self.title = doc_id, text, published, path, title
        self.sentences, self.pages = sentences, pages
        self.tables = {name: tables.get(name, []) for name in TABLES}
        self.doc = doc

    def __getattr__(self, name: str) -> list[dict]:
        # only called for names that are no attribute: the tables (r.dates, r.events, …)
        tables = self.__dict__.get("tables")
        if tables is None or name not in TABLES:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        return tables.setdefault(name, [])

    def document_row(self) -> dict:
        return {
            "doc_id": self.doc_id,
            "path": self.path,
            "title": self.title,
            "published": self.published or "",
            "chars": len(self.text),
            "sentences": self.sentences,
            "status": "ok",
            "error": "",
            "pages": "" if self.pages is None else self.pages,
        }

    def frames(self) -> dict:
        """This document's tables as pandas DataFrames."""
        return _frames([self])


def process(document: Document, nlp: Language | None = None) -> Result:
    """Annotate one document and link its events, with ``nlp`` (default: the process's pipeline)."""
    doc = annotate(analysis_text(document.text), document.published, nlp)
    rows = span_rows(doc, document.doc_id, document.text, document.page_starts)
    return Result(
        doc_id=document.doc_id,
        text=document.text,
        published=document.published,
        path=document.path,
        title=document.title,
        sentences=len(token_index(doc).sent_starts) if len(doc) else 0,
        events=event_rows(doc._.events, document.doc_id),
        doc=doc,
        pages=len(document.page_starts) or None,
        **rows,
    )


def extract(text: str, published: str | None = None, doc_id: str = "text", nlp: Language | None = None) -> Result:
    """Records from one string; ``published`` (YYYY[-MM[-DD]]) anchors relative dates; ``nlp`` is a
    pipeline from :func:`pipeline.nlp.build_nlp` (e.g. with the gazetteer off), the default one if None."""
    published = validate_published(published, doc_id)
    return process(Document(doc_id=doc_id, text=text, published=published), nlp)


def explain(text: str, published: str | None = None) -> list[dict]:
    """Why each record of ``text`` came out as it did: every span of every registered label, in text
    order, with its offsets, surface, main value and ``rule`` (the name of the rule that found it)."""
    from . import schema

    published = validate_published(published, "published")
    doc = annotate(analysis_text(text), published)
    rows = []
    for label in schema.LABELS.values():
        for s in doc.spans.get(label.name, []):
            cells = label.cells(s)
            value = " ".join(str(cells[a.name]) for a in label.attrs if cells.get(a.name) not in (None, ""))
            rows.append(
                {
                    "label": label.name,
                    "start": s.start_char,
                    "end": s.end_char,
                    "text": text[s.start_char : s.end_char],
                    "value": value,
                    "rule": s._.rule,
                }
            )
    return sorted(rows, key=lambda r: (r["start"], r["end"]))


def _safe_process(item: Document | DocumentError, keep_doc: bool = True) -> Result | DocumentError:
    if isinstance(item, DocumentError):
        return item
    try:
        result = process(item)
    except DocumentTooLong as exc:
        return DocumentError(item.doc_id, item.path, f"{item.path or item.doc_id}: {exc}")
    except Exception as exc:  # one bad document never costs the others their results
        return DocumentError(
            item.doc_id, item.path, f"{item.path or item.doc_id}: extraction failed ({type(exc).__name__}: {exc})"
        )
    if not keep_doc:
        result.doc = None  # a worker sends rows back, not the spaCy Doc
    return result


def _kiwi_text(item: Document | DocumentError) -> str | None:
    """What Kiwi analyses of an item: nothing for an error or a document too long to annotate."""
    if isinstance(item, DocumentError) or len(item.text) > MAX_CHARS:
        return None
    return analysis_text(item.text)


def process_all(items: Iterable[Document | DocumentError], keep_doc: bool = True) -> Iterator[Result | DocumentError]:
    """:func:`_safe_process` on every item, in order, in this process, with Kiwi analysing the next
    documents on its own threads while the extractors work on the current one
    (:func:`pipeline.kiwi.analyse_ahead`): the same results as one by one."""
    for item in analyse_ahead(items, _kiwi_text):
        yield _safe_process(item, keep_doc)


def iter_results(
    inputs, published: str | None = None, workers: int = 1, follow_links: bool = False, engine: Engine | None = None
) -> Iterator[Result | DocumentError]:
    """Results document by document, in input order; a failing document comes out as a
    :class:`DocumentError`. With ``workers > 1`` documents are extracted in that many processes
    (each loads Kiwi once); ``engine`` (a :class:`pipeline.engine.Engine`) chooses another engine,
    such as a Dask cluster. At most a few documents per worker are in flight, so memory stays flat
    on any corpus size, and the results are the same as in one process. Symbolic links out of an
    input folder are errors unless ``follow_links``."""
    engine = engine or Engine("local", workers)
    yield from engine.results(iter_documents(inputs, published, follow_links), process_all)


def content_key(item: Document | DocumentError) -> str:
    """A hash of everything a document's rows depend on: its id, path, metadata and decoded text
    (for an unreadable document, its error). ``run --resume`` reuses a finished document only when
    its key is unchanged."""
    if isinstance(item, DocumentError):
        payload: list = ["error", item.doc_id, item.path, item.error]
    else:
        payload = ["document", item.doc_id, item.path, item.title, item.published, item.source, item.meta, item.text]
    data = json.dumps(payload, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(data.encode("utf-8", "surrogatepass")).hexdigest()


def _error_row(err: DocumentError) -> dict:
    return {
        "doc_id": err.doc_id,
        "path": err.path,
        "title": "",
        "published": "",
        "chars": "",
        "sentences": "",
        "status": "error",
        "error": err.error,
        "pages": "",
    }


def _frames(items: Iterable[Result | DocumentError]) -> dict:
    import pandas as pd

    rows: dict[str, list[dict]] = {name: [] for name in COLUMNS}
    for item in items:
        if isinstance(item, DocumentError):
            rows["documents"].append(_error_row(item))
            continue
        rows["documents"].append(item.document_row())
        for table in TABLES:
            rows[table].extend(item.tables.get(table, []))
    return {name: pd.DataFrame(rows[name], columns=cols) for name, cols in COLUMNS.items()}


def extract_folder(inputs, published: str | None = None, workers: int = 1, engine: Engine | None = None) -> dict:
    """All tables for files or folders as pandas DataFrames, keyed by table name (``engine``: as
    for :func:`iter_results`). To read the outputs of a run (CSV or Parquet), see
    :func:`pipeline.export.read_table`."""
    return _frames(iter_results(inputs, published, workers, engine=engine))


@dataclass
class RunSummary:
    ok: int = 0
    failed: int = 0
    records: dict = field(default_factory=lambda: {t: 0 for t in TABLES})
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    out: str = ""
    resumed_after: int = 0

    def line(self) -> str:
        recs = ", ".join(f"{n} {t}" for t, n in self.records.items())
        resumed = f" (resumed after {self.resumed_after})" if self.resumed_after else ""
        return (
            f"{self.ok + self.failed} documents{resumed}: {self.ok} ok, {self.failed} failed; {recs}; "
            f"written to {self.out} in {self.seconds:.1f} s"
        )


def run(
    inputs,
    out: str | Path = "extracted",
    published: str | None = None,
    on_error: Callable[[str], None] | None = None,
    progress: Callable[[Iterator, int], Iterator] | None = None,
    workers: int = 1,
    resume: bool = False,
    follow_links: bool = False,
    csv_raw: bool = False,
    columns: Columns | None = None,
    engine: Engine | None = None,
    output_format: str = "csv",
) -> RunSummary:
    """Extract every document under ``inputs`` and write the five CSVs to ``out`` atomically
    (``output_format="parquet"``: five Parquet files, see :class:`pipeline.export.ParquetSet`).

    The inputs are checked before anything is written (a missing path, a folder without articles
    or a bad ``published`` raise :class:`InputError` and leave ``out`` as it was), and ``out`` is
    locked for the run: a second run into it raises :class:`InputError` naming the first one's pid.
    ``progress(results, total)`` may wrap the results (``total``: how many will come).

    ``resume=True`` continues an interrupted run into ``out`` without redoing the documents it
    finished, as long as they are unchanged: finished documents are matched against the current
    inputs by :func:`content_key`, from the first; from the first document that was edited, added
    or removed on, documents are extracted again. The outputs are always the bytes a fresh run on
    the current inputs writes. Text cells that a spreadsheet would run as formulas get a leading
    ``'`` in CSV files (``csv_raw=True`` writes them untouched; Parquet keeps every value as it is).
    ``columns``: the column names of spreadsheets of articles (default
    :class:`~pipeline.ingest.Columns`). Every document's text is written to ``OUT/texts.jsonl``
    (:mod:`pipeline.texts`), the text the records' offsets count in.

    ``engine`` (a :class:`pipeline.engine.Engine`; default: local with ``workers`` processes) says
    where documents are extracted, e.g. on a Dask cluster; the outputs are the same bytes.
    """
    t0 = time.perf_counter()
    summary = RunSummary(out=str(out))
    inputs = [inputs] if isinstance(inputs, (str, Path)) else list(inputs)
    published = validate_published(published, "--published")
    sources = list_sources(inputs, follow_links)  # fails here, before the output folder is touched
    if output_format not in FORMATS:
        raise InputError(out, f"unknown output format {output_format!r} (expected {' or '.join(FORMATS)})")
    engine = engine or Engine("local", workers)
    key = json.dumps({"journal": 3, "csv_raw": csv_raw, "columns": repr(columns)})
    try:
        outputs = open_tables(output_format, out, key=key, resume=resume, escape=not csv_raw)
    except OutputBusy as exc:
        raise InputError(out, str(exc)) from None
    except OSError as exc:
        raise InputError(out, f"cannot write output folder ({exc.strerror or exc})") from None
    try:
        texts = TextWriter(out)
    except OSError as exc:
        outputs.close()
        raise InputError(out, f"cannot write output folder ({exc.strerror or exc})") from None
    try:
        documents = read_sources(sources, published, columns)
        keep, first = 0, []
        for document in documents:  # the finished documents that are still the same, from the first
            if keep < len(outputs.finished) and content_key(document) == outputs.finished[keep]["doc"]:
                keep += 1
                texts.add(document)
            else:
                first.append(document)
                break
        outputs.start(keep)
        if outputs.state:
            summary.ok, summary.failed = outputs.state["ok"], outputs.state["failed"]
            summary.records.update(outputs.state["records"])
        summary.resumed_after = keep
        keys: deque[str] = deque()

        def keyed(items: Iterator[Document | DocumentError]) -> Iterator[Document | DocumentError]:
            for item in items:
                keys.append(content_key(item))
                texts.add(item)
                yield item

        results = engine.results(keyed(itertools.chain(first, documents)), process_all)
        if progress is not None:
            results = progress(results, count_documents(sources) - keep)
        for item in results:  # one result per document, in order: its key is the oldest one
            if isinstance(item, DocumentError):
                summary.failed += 1
                summary.errors.append(item.error)
                rows = {"documents": [_error_row(item)]}
                if on_error:
                    on_error(item.error)
            else:
                summary.ok += 1
                rows = {"documents": [item.document_row()], **{t: getattr(item, t) for t in TABLES}}
                for table in TABLES:
                    summary.records[table] += len(rows[table])
            state = {"ok": summary.ok, "failed": summary.failed, "records": summary.records}
            outputs.write_document(rows, state, keys.popleft())
    except BaseException:
        texts.discard()
        outputs.close()
        raise
    texts.commit()
    outputs.commit()
    _record_run_folder(Path(out))
    summary.seconds = time.perf_counter() - t0
    return summary


def _record_run_folder(out: Path) -> None:
    """``OUT/run.json``: the folder the run was started in, so that ``report`` finds the documents
    (their ``path`` in documents.csv is relative to it) from any folder. Written atomically."""
    from .report.texts import RUN_INFO

    tmp = out / f".{RUN_INFO}.tmp"
    tmp.write_text(json.dumps({"cwd": os.getcwd()}, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, out / RUN_INFO)


def _stderr_is_tty() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False
