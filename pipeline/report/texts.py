"""Documents' texts read back for highlighting.

The CSVs hold offsets, not text. A run writes every document's text to ``OUT/texts.jsonl``
(:mod:`pipeline.texts`); :func:`load_texts` takes a document's text from there (``saved``) when
it has the length ``documents.csv`` gives. For a run without it (an older run), the text is read
again from the document's path: a ``.txt``/``.md`` path is decoded again with
:func:`pipeline.ingest.read_text_file`, a ``file.jsonl:LINE`` path gives that line's ``text``.
A relative path is relative to the folder the run was started in. That folder is not in the CSVs,
so :func:`text_roots` lists where to look, most likely first: the folder the run recorded in
``OUT/run.json`` (``{"cwd": ...}``) when there is one, the current folder, then the output
folder's parent and its ancestors. For each document the first folder holding a file of the
length ``documents.csv`` gives wins (else the first holding the file at all, so that a changed
file is shown as changed rather than missing).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from ..ingest import InputError, read_text_file

RUN_INFO = "run.json"  # OUT/run.json: {"cwd": the absolute folder `run` was started in}
_JSONL_LINE = re.compile(r"^(?P<file>.+\.jsonl):(?P<line>\d+)$", re.IGNORECASE)


class TextUnavailable(Exception):
    """A document's text cannot be read back (the reason is the message)."""


def recorded_root(out_dir: Path) -> Path | None:
    """The folder the run was started in, when the run recorded it (``OUT/run.json``)."""
    try:
        info = json.loads((Path(out_dir) / RUN_INFO).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    cwd = info.get("cwd") if isinstance(info, dict) else None
    return Path(cwd) if isinstance(cwd, str) and Path(cwd).is_absolute() else None


def text_roots(out_dir: Path | None = None) -> list[Path]:
    """Folders the ``path`` cells of ``OUT/documents.csv`` may be relative to, most likely first."""
    roots: list[Path] = []
    if out_dir is not None:
        recorded = recorded_root(out_dir)
        if recorded is not None:
            roots.append(recorded)
    roots.append(Path.cwd())
    if out_dir is not None:
        roots.extend(Path(out_dir).resolve().parents)
    unique: list[Path] = []
    for r in roots:
        if r not in unique:
            unique.append(r)
    return unique


def _split(path: str) -> tuple[str, int | None]:
    m = _JSONL_LINE.match(path)
    return (m.group("file"), int(m.group("line"))) if m else (path, None)


def read_document_text(path: str, base_dir: Path | None = None, _cache: dict | None = None) -> str:
    """The text a document was extracted from: a ``.txt``/``.md`` file decoded as the pipeline
    decodes it, or the ``text`` of line LINE of ``file.jsonl:LINE``, relative to ``base_dir`` (the
    current folder by default). Raises :class:`TextUnavailable`."""
    base = Path(base_dir) if base_dir is not None else Path.cwd()
    if not path:
        raise TextUnavailable("documents.csv gives no path")
    name, line = _split(path)
    file = base / name
    try:
        if line is None:
            return read_text_file(file)
        lines = _cache.get(file) if _cache is not None else None
        if lines is None:
            lines = read_text_file(file).splitlines()
            if _cache is not None:
                _cache[file] = lines
        if not 1 <= line <= len(lines):
            raise TextUnavailable(f"{file} has no line {line}")
        obj = json.loads(lines[line - 1])
        if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
            raise TextUnavailable(f"line {line} of {file} has no string 'text'")
        return obj["text"]
    except InputError as exc:  # "PATH: reason"
        raise TextUnavailable(str(exc)) from None
    except (OSError, ValueError) as exc:
        raise TextUnavailable(f"cannot read {file}: {exc}") from None


def find_document_text(path: str, roots: Iterable[Path], chars: int | None = None, _cache: dict | None = None) -> str:
    """The text of ``path`` under the first of ``roots`` that holds it with ``chars`` characters
    (else the first that holds it). Raises :class:`TextUnavailable`, naming every folder tried."""
    roots = list(roots)
    if not path:
        raise TextUnavailable("documents.csv gives no path")
    name, _ = _split(path)
    if Path(name).is_absolute():
        roots = roots[:1]
    first: str | None = None
    first_error: TextUnavailable | None = None
    tried = []
    for root in roots:
        if not (root / name).exists():
            tried.append(root)
            continue
        try:
            text = read_document_text(path, root, _cache)
        except TextUnavailable as exc:
            first_error = first_error or exc
            continue
        if chars is None or len(text) == chars:
            return text
        first = text if first is None else first
    if first is not None:
        return first
    if first_error is not None:
        raise first_error
    if len(roots) == 1:
        return read_document_text(path, roots[0], _cache)  # raises, with the reason of the one folder
    raise TextUnavailable(f"{name}: cannot read (no such file under {', '.join(str(r) for r in tried)})")


def _chars(value: object) -> int | None:
    try:
        return int(str(value).strip())
    except ValueError:
        return None


def load_texts(
    documents: pd.DataFrame,
    base_dir: Path | None = None,
    roots: Iterable[Path] | None = None,
    saved: dict[str, str] | None = None,
) -> tuple[dict[str, str], dict[str, str]]:
    """Texts of the ``ok`` documents: ({doc_id: text}, {doc_id: why it could not be read}).

    ``saved``: the run's texts (:func:`pipeline.texts.read_texts`), used first. Other documents'
    paths are relative to ``base_dir`` when given, else looked up under each of ``roots`` (default:
    :func:`text_roots` without an output folder: the current folder)."""
    saved = saved or {}
    folders = [Path(base_dir)] if base_dir is not None else list(roots) if roots is not None else text_roots()
    texts: dict[str, str] = {}
    problems: dict[str, str] = {}
    cache: dict = {}
    for row in documents.to_dict("records"):
        doc_id = str(row["doc_id"])
        if row.get("status") != "ok" or doc_id in texts or doc_id in problems:
            continue
        if doc_id in saved and len(saved[doc_id]) == _chars(row.get("chars")):
            texts[doc_id] = saved[doc_id]
            continue
        try:
            texts[doc_id] = find_document_text(str(row.get("path") or ""), folders, _chars(row.get("chars")), cache)
        except TextUnavailable as exc:
            problems[doc_id] = str(exc)
    return texts, problems
