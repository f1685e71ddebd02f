"""The tables of a run (CSV or Parquet), read back for the report and checked on the way.

:func:`read_tables` gives the tables of :data:`pipeline.schema.COLUMNS` (``documents``, one per
label table, ``events``) as DataFrames of strings, each from the file
:func:`pipeline.export.table_path` names (``NAME.parquet`` after ``run --format parquet``, else
``NAME.csv``). A damaged table (cut short,
re-saved in another encoding, a required column gone, a row with too many or too few cells)
raises :class:`ReportError` with one line naming the file and the reason, never a traceback.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from ..export import read_parquet_strings, restore_formula, table_path
from ..ingest import InputError
from ..schema import COLUMNS, SPAN_COLUMNS

TABLE_NAMES = COLUMNS  # the tables of a run, in order (the registry's, kept up to date in place)
# Without these a table cannot be shown; any other missing column is read as empty cells. A label
# table needs its span columns.
REQUIRED: dict[str, tuple[str, ...]] = {
    "documents": ("doc_id", "path", "status"),
    "events": ("doc_id", "sentence_id"),
}


def required(name: str) -> tuple[str, ...]:
    return REQUIRED.get(name, SPAN_COLUMNS)


class ReportError(InputError):
    """A table of the run cannot be read; ``str()`` is one line: ``PATH: reason``."""


def empty_table(name: str) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in COLUMNS[name]})


def read_table(path: Path, name: str) -> pd.DataFrame:
    """One CSV as a DataFrame of strings (empty cells ""), the columns of ``COLUMNS[name]`` always
    present. Raises :class:`ReportError`."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReportError(path, f"cannot read ({exc.strerror or exc})") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.end == len(exc.object) and exc.reason == "unexpected end of data":  # cut inside a character
            raise ReportError(path, "ends inside a character: cut short? Run again to rewrite it") from None
        raise ReportError(
            path,
            f"not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}): re-saved in "
            "another encoding such as CP949? Save it as 'CSV UTF-8' or run again",
        ) from None
    if text and not text.endswith(("\n", "\r")):
        raise ReportError(path, "does not end with a line break: cut short? Run again to rewrite it")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        if header is None:
            raise ReportError(path, "empty file, not even a header: cut short? Run again to rewrite it")
        twice = sorted({c for c in header if header.count(c) > 1})
        if twice:
            raise ReportError(path, f"column {', '.join(repr(c) for c in twice)} appears twice in the header")
        missing = [c for c in required(name) if c not in header]
        if missing:
            raise ReportError(
                path,
                f"no column {', '.join(repr(c) for c in missing)} (the header has {', '.join(header) or 'no names'})",
            )
        rows = []
        for row in reader:
            if len(row) != len(header) and row:
                raise ReportError(
                    path,
                    f"line {reader.line_num} has {len(row)} cells, the header {len(header)}: "
                    "cut short or edited? Run again to rewrite it",
                )
            if row:
                rows.append([restore_formula(cell) for cell in row])
    except csv.Error as exc:
        raise ReportError(
            path, f"damaged CSV at line {reader.line_num} ({exc}): cut short? Run again to rewrite it"
        ) from None
    df = pd.DataFrame(rows, columns=header, dtype=object)
    for col in COLUMNS[name]:
        if col not in df.columns:
            df[col] = ""
    return df


def read_parquet_table(path: Path, name: str) -> pd.DataFrame:
    """One Parquet table as a DataFrame of strings, the columns of ``COLUMNS[name]`` always present.
    Raises :class:`ReportError`."""
    try:
        df = read_parquet_strings(path)
    except Exception as exc:  # pyarrow's errors have no common base but OSError/ArrowException
        raise ReportError(path, f"not a readable Parquet file ({type(exc).__name__}): cut short? Run again") from None
    missing = [c for c in required(name) if c not in df.columns]
    if missing:
        raise ReportError(path, f"no column {', '.join(repr(c) for c in missing)} (it has {', '.join(df.columns)})")
    for col in COLUMNS[name]:
        if col not in df.columns:
            df[col] = ""
    return df


def read_tables(out_dir: Path) -> dict[str, pd.DataFrame]:
    """The tables of a run (:data:`TABLE_NAMES`, CSV or Parquet) as DataFrames of strings (empty cells
    ""). ``documents`` must exist (FileNotFoundError); a missing records table is read as empty; a
    damaged one raises :class:`ReportError`."""
    out_dir = Path(out_dir)
    tables = {}
    for name in TABLE_NAMES:
        path = table_path(out_dir, name)
        if not path.exists():
            if name == "documents":
                raise FileNotFoundError(f"{path}: not found (run `python -m pipeline run --out {out_dir}` first)")
            tables[name] = empty_table(name)
            continue
        tables[name] = read_parquet_table(path, name) if path.suffix == ".parquet" else read_table(path, name)
    return tables
