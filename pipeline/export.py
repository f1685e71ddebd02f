"""Records as rows, and rows as CSV files (UTF-8 with BOM so that Excel shows Hangul).

Tables and columns (downstream tools read them by name; see README.md for their meaning):
"""

from __future__ import annotations

import bisect
import csv
import json
import os
import re
import shutil
from pathlib import Path
from typing import TextIO

from spacy.tokens import Doc

from . import schema
from .events import Event
from .schema import COLUMNS
from .spans import doc_text, token_index

__doc__ += "\n".join(f"- ``{name}.csv``: {', '.join(cols)}" for name, cols in COLUMNS.items())


def span_rows(
    doc: Doc, doc_id: str, source_text: str | None = None, page_starts: tuple[int, ...] = ()
) -> dict[str, list[dict]]:
    """Rows for every label table (dates, organizations, amounts, …); sentence ids count from 1.
    ``text`` is cut from ``source_text`` (the document as read) when the Doc was built from its
    masked form. A table that holds several labels has them in document order and names each
    row's label in its ``kind`` column. ``page_starts``: where each page of a paged document
    begins (``Document.page_starts``), for the ``page`` column (empty without pages)."""
    index = token_index(doc)
    text = source_text if source_text is not None else doc_text(doc)

    def page(offset: int) -> int | str:
        return bisect.bisect_right(page_starts, offset) if page_starts else ""

    rows: dict[str, list[dict]] = {}
    for table, labels in schema.span_tables().items():
        spans = sorted(
            ((label, s) for label in labels for s in doc.spans.get(label.name, [])), key=lambda ls: ls[1].start_char
        )
        shared = len(labels) > 1
        rows[table] = [
            {
                "doc_id": doc_id,
                "sentence_id": index.sentence_of(s.start_char) + 1,
                "start": s.start_char,
                "end": s.end_char,
                "text": text[s.start_char : s.end_char],
                **({schema.LABEL_COLUMN: label.name} if shared else {}),
                **label.cells(s),
                schema.PAGE_COLUMN: page(s.start_char),
            }
            for label, s in spans
        ]
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


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def neutralise_formula(value: object) -> object:
    """A text cell that a spreadsheet would run as a formula (it begins with ``=``, ``+``, ``-``,
    ``@``, a tab or a carriage return) gets a leading ``'``, as OWASP recommends against CSV
    injection; numbers (``-5``, ``1.5e3``) and every other cell are returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def restore_formula(value: str) -> str:
    """The cell as extracted, from a cell that :func:`neutralise_formula` escaped (for readers of
    the CSVs: ``report``, ``evaluate --pred``). A text that really began with ``'=`` reads back
    without its quote: escaping cannot tell the two apart."""
    if value.startswith("'") and value[1:].startswith(FORMULA_START) and not _NUMBER.fullmatch(value[1:]):
        return value[1:]
    return value


class OutputBusy(Exception):
    """Another live run holds the output folder's lock."""

    def __init__(self, pid: str):
        super().__init__(f"another run (pid {pid}) is writing to this folder; wait for it to finish or stop it")
        self.pid = pid


class OutputLock:
    """An exclusive lock on an output folder (``OUT/.run.lock``) for the whole of a run, so two runs
    never write into the same ``.partial/`` at once; the holder's pid is in ``OUT/.run.pid``.

    The lock is ``filelock``'s, which on Linux and macOS is ``flock(2)`` on an open descriptor: the
    kernel releases it when the holding process ends in any way, ``kill -9`` included, so a lock
    left by a dead run is simply free and the next run takes it; no stale-lock guessing by pid or
    age. (Forked ``--workers`` share the descriptor; they exit with their parent, see ``api``.)
    The lock file itself stays, empty: deleting it on release would let a waiting run lock a file
    that a third run has already replaced."""

    def __init__(self, out_dir: Path):
        from filelock import FileLock

        self.pid_file = out_dir / ".run.pid"
        self._lock = FileLock(out_dir / ".run.lock", timeout=0)

    def acquire(self) -> None:
        from filelock import Timeout

        try:
            self._lock.acquire()
        except Timeout:
            try:
                pid = self.pid_file.read_text(encoding="ascii").strip() or "unknown"
            except OSError:
                pid = "unknown"
            raise OutputBusy(pid) from None
        tmp = self.pid_file.with_name(f".run.pid.{os.getpid()}")
        tmp.write_text(f"{os.getpid()}\n", encoding="ascii")
        os.replace(tmp, self.pid_file)

    def release(self) -> None:
        if self._lock.is_locked:
            self.pid_file.unlink(missing_ok=True)  # before unlocking: the next holder writes its own
            self._lock.release()


class OutputSet:
    """The output tables of a run, written document by document into ``OUT/.partial/`` and put in
    place together by :meth:`commit`: an interrupted run (Ctrl-C, SIGKILL, a crash) leaves the
    previous complete outputs untouched. The output folder is locked (:class:`OutputLock`) from
    the constructor to :meth:`commit` or :meth:`close`.

    Each finished document is a line of ``.partial/journal``: its content key (a hash of its text
    and metadata, see ``api.content_key``), the running totals and where its rows end in the
    partial files. ``resume=True`` reads the journal's complete lines (a line torn by a kill is
    dropped, the ones before it kept) into :attr:`finished`; the caller compares them with the
    documents of the current inputs and calls :meth:`start` with how many of them, from the first,
    are unchanged. The partial files are cut back to that point and writing continues there, so
    the final files are the bytes an uninterrupted run on the current inputs writes. ``key``
    identifies the options (a journal written with other options is never resumed).

    Subclasses say how rows are stored (:class:`CsvSet`, :class:`ParquetSet`)."""

    suffix = ""

    def __init__(self, out_dir: str | Path, key: str = "", resume: bool = False):
        self.out_dir = Path(out_dir)
        self.partial = self.out_dir / ".partial"
        self.key = key
        self.done = 0
        self.state: dict = {}
        self._journal: TextIO | None = None
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self._lock = OutputLock(self.out_dir)
        self._lock.acquire()
        self.finished: list[dict] = self._read_journal() if resume else []

    def _read_journal(self) -> list[dict]:
        """The journal's entries up to the first incomplete or inconsistent one."""
        journal = self.partial / "journal"
        try:
            lines = journal.read_bytes().split(b"\n")
            header = json.loads(lines[0])
        except (OSError, ValueError, IndexError):
            return []
        if not isinstance(header, dict) or header.get("key") != self.key:
            return []
        entries: list[dict] = []
        for line in lines[1:]:
            try:
                entry = json.loads(line)
                ok = entry["done"] == len(entries) + 1 and isinstance(entry["doc"], str) and self._entry_ok(entry)
            except (ValueError, KeyError, TypeError, OSError):
                break  # a line cut by a kill, or an empty last line: the lines before it are good
            if not ok:
                break
            entries.append(entry)
        return entries

    def _entry_ok(self, entry: dict) -> bool:
        """Whether the partial files hold everything the journal ``entry`` says they do."""
        raise NotImplementedError

    def _start_journal(self, keep: int) -> list[dict]:
        """The journal cut back to the first ``keep`` finished documents (a fresh ``.partial/``
        when ``keep`` is 0); returns the kept entries."""
        journal = self.partial / "journal"
        kept = self.finished[:keep]
        if not kept:
            if self.partial.exists():
                shutil.rmtree(self.partial)
            self.partial.mkdir()
        header = json.dumps({"key": self.key}, ensure_ascii=False)
        journal.write_text("\n".join([header] + [json.dumps(e) for e in kept]) + "\n", encoding="utf-8")
        if kept:
            self.done, self.state = len(kept), kept[-1]["state"]
        self._journal = journal.open("a", encoding="utf-8")
        return kept

    def _journal_line(self, entry: dict) -> None:
        assert self._journal is not None, "start() opens the journal"
        self._journal.write(json.dumps(entry) + "\n")
        self._journal.flush()

    def _put_in_place(self) -> list[Path]:
        paths = []
        for name in COLUMNS:
            final = self.out_dir / f"{name}{self.suffix}"
            os.replace(self.partial / f"{name}{self.suffix}", final)
            paths.append(final)
        shutil.rmtree(self.partial, ignore_errors=True)
        self._lock.release()
        return paths

    def close(self) -> None:
        """Stop without committing; the partial files stay for ``resume``."""
        self._close_files()
        self._lock.release()

    def _close_files(self) -> None:
        if self._journal is not None:
            self._journal.close()
        self._journal = None


class CsvSet(OutputSet):
    """The five output CSVs of a run (see :class:`OutputSet`); each journal line records the size
    of every partial file after the document, and a resume truncates the files to those sizes.

    Text cells are written through :func:`neutralise_formula` unless ``escape=False``.
    """

    suffix = ".csv"

    def __init__(self, out_dir: str | Path, key: str = "", resume: bool = False, escape: bool = True):
        self.escape = escape
        self._files: dict = {}
        self._writers: dict = {}
        super().__init__(out_dir, key, resume)

    def _entry_ok(self, entry: dict) -> bool:
        return all(0 < entry["sizes"][n] <= (self.partial / f"{n}.csv").stat().st_size for n in COLUMNS)

    def start(self, keep: int = 0) -> None:
        """Open the partial files: fresh ones, or (``keep > 0``) the resumed ones cut back to the
        first ``keep`` finished documents."""
        kept = self._start_journal(keep)
        sizes = kept[-1]["sizes"] if kept else None
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

    def write_document(self, rows: dict[str, list[dict]], state: dict, doc: str = "") -> None:
        """All rows of one document, then the journal line that makes them count; ``doc`` is the
        document's content key."""
        for table, table_rows in rows.items():
            if self.escape:
                table_rows = [{k: neutralise_formula(v) for k, v in row.items()} for row in table_rows]
            self._writers[table].writerows(table_rows)
        for fh in self._files.values():
            fh.flush()
        self.done += 1
        self.state = state
        sizes = {name: fh.tell() for name, fh in self._files.items()}
        self._journal_line({"done": self.done, "doc": doc, "state": state, "sizes": sizes})

    def commit(self) -> list[Path]:
        for fh in self._files.values():
            fh.flush()
            os.fsync(fh.fileno())
        self._close_files()
        return self._put_in_place()

    def _close_files(self) -> None:
        for fh in self._files.values():
            fh.close()
        self._files = {}
        super()._close_files()


# Columns written as integers in Parquet (64-bit, null where the CSV cell is empty: the ``chars``
# and ``sentences`` of a document that could not be read). Every other column is a string, as
# written in the CSV: an amount's ``value`` is its exact plain decimal (``5390000000``, ``1.5``).
INTEGER_COLUMNS = frozenset({"sentence_id", "start", "end", "chars", "sentences", "event_id"})


def parquet_schema(table: str):
    """The Arrow schema of an output table: :data:`INTEGER_COLUMNS` as ``int64``, the rest ``string``."""
    import pyarrow as pa

    return pa.schema([(c, pa.int64() if c in INTEGER_COLUMNS else pa.string()) for c in COLUMNS[table]])


def _parquet_cell(column: str, value: object) -> object:
    if column in INTEGER_COLUMNS:
        return None if value in (None, "") else int(value)  # type: ignore[call-overload]
    return "" if value is None else str(value)


class ParquetSet(OutputSet):
    """The five output tables of a run as Parquet files (``OUT/events.parquet`` …; pyarrow, zstd),
    for corpora: the columns of the CSVs, typed (:func:`parquet_schema`), values as extracted (no
    formula escaping: no spreadsheet runs a Parquet file).

    Rows are kept in memory for :data:`PART_DOCUMENTS` documents, then written as one part file per
    table into ``.partial/`` and journalled; :meth:`commit` joins each table's parts into one file
    (one row group per part). Each journal line records its part and how many rows of each table
    that part holds up to the document, so a resume rewrites the last kept part cut to its
    documents and continues after it."""

    suffix = ".parquet"
    PART_DOCUMENTS = 2000

    def __init__(self, out_dir: str | Path, key: str = "", resume: bool = False):
        import pyarrow  # noqa: F401  (fails here, before anything is written, when it is missing)

        self.part = 0
        self._rows: dict[str, list[dict]] = {name: [] for name in COLUMNS}
        self._pending: list[dict] = []
        super().__init__(out_dir, key, resume)

    def _part_path(self, table: str, part: int) -> Path:
        return self.partial / f"{table}.{part:06d}.parquet"

    def _entry_ok(self, entry: dict) -> bool:
        return all(self._part_path(n, entry["part"]).exists() and entry["rows"][n] >= 0 for n in COLUMNS)

    def start(self, keep: int = 0) -> None:
        import pyarrow.parquet as pq

        kept = self._start_journal(keep)
        if not kept:
            return
        last = kept[-1]
        self.part = last["part"] + 1
        for path in self.partial.glob("*.parquet"):
            if int(path.name.split(".")[-2]) > last["part"]:
                path.unlink()
        for name in COLUMNS:  # the last kept part, cut after the last kept document
            path = self._part_path(name, last["part"])
            table = pq.read_table(path).slice(0, last["rows"][name])
            self._write_part(table, path)

    @staticmethod
    def _write_part(table, path: Path) -> None:
        import pyarrow.parquet as pq

        tmp = path.with_name(f".{path.name}.tmp")
        pq.write_table(table, tmp, compression="zstd")
        os.replace(tmp, path)

    def write_document(self, rows: dict[str, list[dict]], state: dict, doc: str = "") -> None:
        for table, table_rows in rows.items():
            self._rows[table].extend(table_rows)
        self.done += 1
        self.state = state
        counts = {name: len(r) for name, r in self._rows.items()}
        self._pending.append({"done": self.done, "doc": doc, "state": state, "part": self.part, "rows": counts})
        if len(self._pending) >= self.PART_DOCUMENTS:
            self._flush()

    def _flush(self) -> None:
        """The buffered documents as one part per table, then their journal lines."""
        import pyarrow as pa

        if not self._pending:
            return
        for name, cols in COLUMNS.items():
            data = {c: [_parquet_cell(c, row.get(c)) for row in self._rows[name]] for c in cols}
            self._write_part(pa.Table.from_pydict(data, schema=parquet_schema(name)), self._part_path(name, self.part))
            self._rows[name] = []
        for entry in self._pending:
            self._journal_line(entry)
        self._pending = []
        self.part += 1

    def commit(self) -> list[Path]:
        import pyarrow.parquet as pq

        self._flush()
        self._close_files()
        for name in COLUMNS:
            joined = self.partial / f"{name}.parquet"
            with pq.ParquetWriter(joined, parquet_schema(name), compression="zstd") as writer:
                for part in sorted(self.partial.glob(f"{name}.[0-9]*.parquet")):
                    writer.write_table(pq.read_table(part))
            with joined.open("rb") as fh:
                os.fsync(fh.fileno())
        return self._put_in_place()


FORMATS = ("csv", "parquet")


def open_tables(output_format: str, out_dir: str | Path, key: str = "", resume: bool = False, escape: bool = True):
    """The :class:`OutputSet` of ``output_format`` (one of :data:`FORMATS`) for ``out_dir``; ``escape``
    (formula escaping) applies to CSV only. The format is part of the journal's key: a resume
    never continues a run written in the other format."""
    if output_format == "parquet":
        return ParquetSet(out_dir, key=f"{key}parquet", resume=resume)
    return CsvSet(out_dir, key=key, resume=resume, escape=escape)


def table_path(out_dir: str | Path, name: str) -> Path:
    """Where a run's table ``name`` is: ``OUT/NAME.parquet`` when the run wrote Parquet, else
    ``OUT/NAME.csv``; when both are there, the newer one (the last run's)."""
    parquet, csv_path = Path(out_dir) / f"{name}.parquet", Path(out_dir) / f"{name}.csv"
    if parquet.exists() and not (csv_path.exists() and csv_path.stat().st_mtime > parquet.stat().st_mtime):
        return parquet
    return csv_path


def read_parquet_strings(path: str | Path):
    """A Parquet table as a pandas DataFrame of strings (a null as ``""``): the dtype
    ``read_csv(dtype=str)`` gives the CSV of the same run."""
    import pandas as pd

    frame = pd.read_parquet(path, dtype_backend="numpy_nullable")
    return frame.astype("string").fillna("").astype(str)


def read_table(out_dir: str | Path, name: str):
    """One output table of a run (:func:`table_path`) as a pandas DataFrame of strings (an empty cell
    as ``""``; CSV cells as written)."""
    import pandas as pd

    path = table_path(out_dir, name)
    if path.suffix == ".parquet":
        return read_parquet_strings(path)
    return pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
