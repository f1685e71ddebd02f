"""Spreadsheets of articles (``*.csv``, ``*.xlsx``): one document per row, read with pandas.

Columns are found by name (:class:`~pipeline.ingest.Columns`; ``run --text-column`` and its
siblings name them): the text (``text``/``본문``) must exist, the id (``id``), date
(``published``/``date``/``날짜``), title (``title``/``제목``) and source (``source``/``url``) may. Every
cell is read as text, exactly (no number or date conversion), so offsets count characters of the
cell; a date cell may also be written ``2021.6.15``, ``2021/06/15`` or as an Excel date. A row
without an id gets ``FILE:ROW`` (the row number a spreadsheet shows, the header being row 1), and
its ``path`` is ``FILE:ROW`` (``FILE:SHEET:ROW`` in a workbook of several sheets). Every sheet of
a workbook is read. A file without the text column, an empty sheet, a row with an empty text and a
row with a bad date are error rows.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

from ..ingest import (
    Columns,
    Document,
    DocumentError,
    InputError,
    Reading,
    decode_bytes,
    jsonl_id,
    make_document,
    read_regular_file,
    validate_published,
)

_DATE = re.compile(r"^\s*(\d{4})\s*[-./년]\s*(\d{1,2})(?:\s*[-./월]\s*(\d{1,2})\s*[.일]?)?(?:[ T]\d{1,2}:\d{2}.*)?\s*$")


def date_cell(value: str) -> str:
    """A date cell as ``YYYY-MM[-DD]`` when it is written with dots, slashes, 년월일 or a time of
    day (an Excel date); anything else unchanged, for :func:`validate_published` to judge."""
    m = _DATE.match(value)
    if not m:
        return value.strip()
    year, month, day = m.groups()
    return f"{year}-{int(month):02d}" + (f"-{int(day):02d}" if day else "")


def find_column(header: list[str], names: tuple[str, ...]) -> str | None:
    """The first of ``header`` that matches one of ``names`` (in the order of ``names``)."""
    folded = {h.strip().casefold(): h for h in header}
    return next((folded[n.strip().casefold()] for n in names if n.strip().casefold() in folded), None)


def table_documents(
    frame, path: Path, where: str, file_id: str, reading: Reading
) -> Iterator[Document | DocumentError]:
    """The documents of one table (a CSV file or a sheet); ``where`` names it in paths and errors."""
    columns: Columns = reading.columns
    header = [str(c) for c in frame.columns]
    if frame.empty and not header:
        yield DocumentError(file_id, where, f"{where}: empty sheet (no header and no rows)")
        return
    text_col = find_column(header, columns.text)
    if text_col is None:
        yield DocumentError(
            file_id,
            where,
            f"{where}: no text column (looked for {', '.join(columns.text)}; columns are {', '.join(header)};"
            " --text-column names it)",
        )
        return
    if frame.empty:
        yield DocumentError(file_id, where, f"{where}: empty sheet (a header and no rows)")
        return
    found = {
        "id": find_column(header, columns.id),
        "published": find_column(header, columns.date),
        "title": find_column(header, columns.title),
        "source": find_column(header, columns.source),
    }
    for i, row in enumerate(frame.to_dict("records")):
        at = f"{where}:{i + 2}"
        cells = {k: str(row[c]) if c is not None and row[c] is not None else "" for k, c in found.items()}
        doc_id = jsonl_id(cells.pop("id")) or f"{file_id}:{i + 2}"
        text = row[text_col]
        try:
            if not isinstance(text, str) or not text.strip():
                raise InputError(at, "empty text")
            meta: dict = {k: v for k, v in cells.items() if v}
            meta["published"] = validate_published(date_cell(meta.get("published", "")), at)
        except InputError as exc:
            yield DocumentError(doc_id, at, str(exc))
            continue
        yield make_document(doc_id, text, at, meta, reading.default_published)


def read_csv(path: Path, doc_id: str, reading: Reading) -> Iterator[Document | DocumentError]:
    import pandas as pd

    try:
        content = decode_bytes(read_regular_file(path), path)
        if not content.strip():
            raise InputError(path, "empty file")
        frame = pd.read_csv(io.StringIO(content), dtype=str, keep_default_na=False)
    except InputError as exc:
        yield DocumentError(doc_id, str(path), str(exc))
        return
    except (ValueError, pd.errors.ParserError) as exc:
        yield DocumentError(doc_id, str(path), f"{path}: malformed CSV ({exc})")
        return
    yield from table_documents(frame, path, str(path), doc_id, reading)


def read_xlsx(path: Path, doc_id: str, reading: Reading) -> Iterator[Document | DocumentError]:
    import pandas as pd

    try:
        sheets = pd.read_excel(
            io.BytesIO(read_regular_file(path)), sheet_name=None, dtype=str, keep_default_na=False, engine="openpyxl"
        )
    except InputError as exc:
        yield DocumentError(doc_id, str(path), str(exc))
        return
    except ImportError:
        yield DocumentError(doc_id, str(path), f"{path}: reading XLSX needs openpyxl: pip install openpyxl")
        return
    except Exception as exc:  # a damaged or non-XLSX file: openpyxl and zipfile raise many types
        yield DocumentError(doc_id, str(path), f"{path}: cannot read XLSX ({type(exc).__name__}: {exc})")
        return
    several = len(sheets) > 1
    for name, frame in sheets.items():
        where = f"{path}:{name}" if several else str(path)
        yield from table_documents(frame, path, where, f"{doc_id}:{name}" if several else doc_id, reading)
