"""Reading articles: files and folders → :class:`Document` (or :class:`DocumentError`).

Inputs are ``*.txt`` / ``*.md`` (one article each, optional sidecar ``NAME.meta.json``) and
``*.jsonl`` (one article a line: ``id``, ``text``, optional metadata keys). Bytes are decoded as
UTF-8 (with or without BOM), UTF-16 with BOM, or CP949/EUC-KR, detected without being told. The
text is kept exactly as decoded: every offset the pipeline reports points into it.
"""
from __future__ import annotations

import datetime as _dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

_MARKUP = re.compile(
    r"<(script|style)\b[^>]*>.*?</\1\s*>"  # script and style blocks with their content
    r"|<!--.*?-->"  # comments
    r"|</?[A-Za-z][A-Za-z0-9:-]*(?:\s[^<>]{0,2000})?/?>"  # tags
    r"|&(?:[A-Za-z]{2,10}|#\d{1,7}|#x[0-9A-Fa-f]{1,6});",  # entities
    re.S | re.I,
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\ufeff]")

ARTICLE_SUFFIXES = (".txt", ".md")
JSONL_SUFFIX = ".jsonl"
META_SUFFIX = ".meta.json"
_PUBLISHED = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class InputError(Exception):
    """A problem with one input; ``str()`` is the one-line message naming the file."""

    def __init__(self, path: str | Path, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason


@dataclass
class Document:
    doc_id: str
    text: str
    path: str = ""
    title: str = ""
    published: str | None = None
    source: str = ""
    meta: dict = field(default_factory=dict)


@dataclass
class DocumentError:
    """A document that could not be read; it still gets a row in documents.csv."""

    doc_id: str
    path: str
    error: str


def validate_published(value: object, where: str | Path) -> str | None:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` naming a real calendar date, or None."""
    if value in (None, ""):
        return None
    m = _PUBLISHED.match(str(value).strip())
    if not m:
        raise InputError(where, f"published date {value!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = m.groups()
    try:
        _dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        raise InputError(where, f"published date {value!r} is not a real date") from None
    return m.group(0)


_MAGIC = (b"%PDF", b"\x89PNG", b"PK\x03\x04", b"GIF8", b"\xff\xd8\xff", b"\x7fELF", b"\x1f\x8b",
          b"\xd0\xcf\x11\xe0", b"Rar!", b"7z\xbc\xaf", b"II*\x00", b"MM\x00*")
_TEXT_CONTROLS = {9, 10, 12, 13, 27}


def _looks_binary(head: bytes) -> bool:
    """A known binary signature, or more than 5% control bytes (a stray NUL in a text is noise)."""
    if head.startswith(_MAGIC):
        return True
    controls = sum(1 for b in head if (b < 32 and b not in _TEXT_CONTROLS) or b == 127)
    return controls > max(2, len(head) // 20)


def analysis_text(text: str) -> str:
    """The text the extractors read: HTML tags, comments and entities left in by a scraper, and
    control characters, become spaces of the same length. Offsets therefore stay offsets into the
    text as read (what every record reports), and nothing is found inside markup."""
    def blank(m: re.Match) -> str:
        return "".join("\n" if ch == "\n" else " " for ch in m.group(0))

    if "<" in text or "&" in text:
        text = _MARKUP.sub(blank, text)
    return _CONTROL.sub(" ", text)


def decode_bytes(data: bytes, where: str | Path) -> str:
    """Decode an article's bytes; raise :class:`InputError` for binary or undecodable input."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        encodings = ("utf-8",)
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(where, f"undecodable UTF-16 at byte {exc.start}") from None
    else:
        if _looks_binary(data[:8192]):
            raise InputError(where, "not a text file (binary content)")
        encodings = ("utf-8", "cp949")
    try:
        return data.decode(encodings[0])
    except UnicodeDecodeError as exc:
        first_error = exc
    for enc in encodings[1:]:
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise InputError(
        where, f"undecodable bytes at offset {first_error.start} (not UTF-8, UTF-16 or CP949/EUC-KR)"
    )


def read_text_file(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot read ({exc.strerror or exc})") from None
    text = decode_bytes(data, path)
    if not text.strip():
        raise InputError(path, "empty file")
    return text


def _read_meta(path: Path) -> dict:
    meta_path = path.with_name(path.name[: -len(path.suffix)] + META_SUFFIX)
    if not meta_path.exists():
        return {}
    try:
        meta = json.loads(decode_bytes(meta_path.read_bytes(), meta_path))
    except json.JSONDecodeError as exc:
        raise InputError(meta_path, f"malformed JSON ({exc.msg} at line {exc.lineno})") from None
    except OSError as exc:
        raise InputError(meta_path, f"cannot read ({exc.strerror or exc})") from None
    if not isinstance(meta, dict):
        raise InputError(meta_path, "metadata must be a JSON object")
    meta["published"] = validate_published(meta.get("published"), meta_path)
    return meta


def _document(doc_id: str, text: str, path: str, meta: dict, default_published: str | None) -> Document:
    published = meta.get("published") or default_published
    return Document(
        doc_id=doc_id,
        text=text,
        path=path,
        title=str(meta.get("title") or ""),
        published=published,
        source=str(meta.get("source") or ""),
        meta=meta,
    )


def _iter_jsonl(path: Path, default_published: str | None) -> Iterator[Document | DocumentError]:
    try:
        content = read_text_file(path)
    except InputError as exc:
        yield DocumentError(path.stem, str(path), str(exc))
        return
    for lineno, line in enumerate(content.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{lineno}"
        try:
            obj = json.loads(line)
            if not isinstance(obj, dict):
                raise InputError(where, "a JSONL line must be an object with 'id' and 'text'")
            doc_id, text = obj.get("id"), obj.get("text")
            if doc_id in (None, "") or not isinstance(text, str):
                raise InputError(where, "a JSONL line needs 'id' and a string 'text'")
            if not text.strip():
                raise InputError(where, "empty text")
            meta = {k: v for k, v in obj.items() if k not in ("id", "text")}
            meta["published"] = validate_published(meta.get("published"), where)
            yield _document(str(doc_id), text, where, meta, default_published)
        except json.JSONDecodeError as exc:
            yield DocumentError(f"{path.stem}:{lineno}", where, f"{where}: malformed JSON ({exc.msg})")
        except InputError as exc:
            doc_id = obj.get("id") if isinstance(obj, dict) and obj.get("id") else f"{path.stem}:{lineno}"
            yield DocumentError(str(doc_id), where, str(exc))


def _candidates(root: Path) -> list[Path]:
    files = []
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root)
        if any(part.startswith(".") for part in rel.parts) or p.is_dir():
            continue  # hidden files; a broken link or unreadable file is kept, to be reported
        files.append(p)
    return files


def iter_documents(
    inputs: list[str | Path] | str | Path, default_published: str | None = None
) -> Iterator[Document | DocumentError]:
    """Every document under ``inputs`` (files or folders), in a stable order.

    Unreadable inputs come out as :class:`DocumentError` so that one bad file never costs the
    others their results. Raises :class:`InputError` only for a missing path or an empty folder.
    """
    if isinstance(inputs, (str, Path)):
        inputs = [inputs]
    default_published = validate_published(default_published, "--published")
    seen: set[str] = set()
    for raw in inputs:
        root = Path(raw)
        if not root.exists():
            raise InputError(root, "no such file or folder")
        if root.is_dir():
            files = _candidates(root)
            if not any(_is_input(p) for p in files):
                raise InputError(root, "no .txt, .md or .jsonl files in this folder")
            pairs = [(p, p.relative_to(root)) for p in files]
        else:
            pairs = [(root, Path(root.name))]
        for path, rel in pairs:
            for item in _read_one(path, rel, default_published):
                if item.doc_id in seen:
                    item = DocumentError(item.doc_id, item.path, f"{item.path}: duplicate document id {item.doc_id!r}")
                seen.add(item.doc_id)
                yield item


def _is_input(path: Path) -> bool:
    return path.suffix.lower() in ARTICLE_SUFFIXES + (JSONL_SUFFIX,) and not path.name.endswith(META_SUFFIX)


def _read_one(path: Path, rel: Path, default_published: str | None) -> Iterator[Document | DocumentError]:
    if path.name.endswith(META_SUFFIX):
        return
    doc_id = rel.with_suffix("").as_posix()
    suffix = path.suffix.lower()
    if suffix == JSONL_SUFFIX:
        yield from _iter_jsonl(path, default_published)
        return
    if suffix not in ARTICLE_SUFFIXES:
        yield DocumentError(doc_id, str(path), f"{path}: unsupported file type {suffix or '(none)'!r} (expected .txt, .md or .jsonl)")
        return
    try:
        text = read_text_file(path)
        meta = _read_meta(path)
    except InputError as exc:
        yield DocumentError(doc_id, str(path), str(exc))
        return
    yield _document(doc_id, text, str(path), meta, default_published)
