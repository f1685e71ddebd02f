"""``python -m pipeline report``: read a run's CSVs and texts, write ``report.html`` atomically."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..texts import read_texts
from .html import build_report
from .tables import ReportError, read_tables
from .texts import load_texts, text_roots


@dataclass
class Written:
    """What :func:`make_report` wrote: the page, and the documents whose text was not found
    ({doc_id: why}); their records are listed without highlighting."""

    path: Path
    documents: int
    unreadable: dict[str, str] = field(default_factory=dict)
    roots: list[Path] = field(default_factory=list)  # the folders texts were looked up in

    def warning(self) -> str | None:
        """One line for stderr when texts were not found, else None."""
        if not self.unreadable:
            return None
        doc_id, why = next(iter(self.unreadable.items()))
        return (
            f"warning: {len(self.unreadable)} of {self.documents} documents' texts could not be read, so their "
            f"records are not highlighted (first: {doc_id}: {why}); looked in "
            f"{', '.join(str(r) for r in self.roots[:3])}{', …' if len(self.roots) > 3 else ''}"
        )


def make_report(
    out_dir: Path, html_path: Path | None = None, docs_per_page: int = 50, base_dir: Path | None = None
) -> Written:
    """Read the CSVs in ``out_dir``, read the texts back and write ``out_dir/report.html`` (or
    ``html_path``) atomically.

    Relative paths in ``documents.csv`` are read under ``base_dir`` when given, else under each of
    :func:`~pipeline.report.texts.text_roots` (the folder the run recorded, the current folder,
    the output folder's ancestors). Raises FileNotFoundError when ``out_dir`` has no
    documents.csv and :class:`~pipeline.report.tables.ReportError` when a CSV is damaged."""
    out_dir = Path(out_dir)
    html_path = Path(html_path) if html_path is not None else out_dir / "report.html"
    tables = read_tables(out_dir)
    roots = [Path(base_dir)] if base_dir is not None else text_roots(out_dir)
    texts, unreadable = load_texts(tables["documents"], roots=roots, saved=read_texts(out_dir))
    page = build_report(
        tables, texts, unreadable, docs_per_page=docs_per_page, title=f"CSR extraction report: {out_dir.resolve().name}"
    )
    _write_atomically(html_path, page)
    return Written(html_path, len(texts) + len(unreadable), unreadable, roots)


def write_report(
    out_dir: Path,
    html_path: Path | None = None,
    docs_per_page: int = 50,
    base_dir: Path | None = None,
    warn: bool = True,
) -> Path:
    """:func:`make_report`, returning the path written; when texts were not found, says so in one
    line on stderr (unless ``warn`` is False)."""
    written = make_report(out_dir, html_path, docs_per_page, base_dir)
    message = written.warning()
    if message and warn:
        print(message, file=sys.stderr)
    return written.path


def _write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.tmp-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes it private; a report is for sharing
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def report_command(out_dir: Path, docs_per_page: int = 50, base_dir: Path | None = None) -> int:
    """``python -m pipeline report``: write the report and say so on stderr. Exit status 0 when
    every text was found, 1 when the report was written but some texts were not found (their
    records are not highlighted; a warning says why), 2 when there is no report (no run in
    ``out_dir``, or a damaged CSV: one line naming the file)."""
    try:
        written = make_report(out_dir, docs_per_page=docs_per_page, base_dir=base_dir)
    except (FileNotFoundError, ReportError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"report written to {written.path}", file=sys.stderr)
    message = written.warning()
    if message:
        print(message, file=sys.stderr)
        return 1
    return 0
