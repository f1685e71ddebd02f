"""Reading articles: files and folders → :class:`Document` (or :class:`DocumentError`).

Inputs are ``*.txt`` / ``*.md`` (one article each, optional sidecar ``NAME.meta.json``) and
``*.jsonl`` (one article a line: ``id``, ``text``, optional metadata keys). Bytes are decoded as
UTF-8 (with or without BOM), UTF-16 or UTF-32 with BOM, or CP949/EUC-KR, detected without being
told. The text is kept exactly as decoded: every offset the pipeline reports points into it.
Saved web pages, PDF reports and spreadsheets of articles are read by :mod:`pipeline.readers`
(:data:`pipeline.readers.READERS`: one reader per file suffix); their offsets count characters
of the text they extract, which ``run`` saves beside the records (:mod:`pipeline.texts`).

Only regular files are read (a FIFO or a device would block or never end), and a symbolic link
that leads out of an input folder is not followed unless asked (``follow_links``): a folder of
articles must not be able to pull ``/etc/passwd`` into the outputs.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

_MARKUP = re.compile(
    r"<(script|style)\b[^>]*>.*?</\1\s*>"  # script and style blocks with their content
    r"|<!--.*?-->"  # comments
    r"|</?[A-Za-z][A-Za-z0-9:-]*(?:\s[^<>]{0,2000})?/?>"  # tags
    r"|&(?:[A-Za-z]{2,10}|#\d{1,7}|#x[0-9A-Fa-f]{1,6});",  # entities
    re.S | re.I,
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\ufeff]")

JSONL_SUFFIX = ".jsonl"
JSONL_GZ_SUFFIX = ".jsonl.gz"  # a gzip-compressed JSONL shard, read as it is decompressed
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
    """One article. ``page_starts``: for a paged input (PDF), the offset in ``text`` where each
    page begins (the first is 0); empty for inputs without pages."""

    doc_id: str
    text: str
    path: str = ""
    title: str = ""
    published: str | None = None
    source: str = ""
    meta: dict = field(default_factory=dict)
    page_starts: tuple[int, ...] = ()


@dataclass(frozen=True)
class Columns:
    """The column names of a spreadsheet of articles (CSV, XLSX), each a tuple of names tried in
    order (case and surrounding spaces ignored). ``text`` must exist; the others are optional."""

    text: tuple[str, ...] = ("text", "본문", "내용")
    id: tuple[str, ...] = ("id", "doc_id")
    date: tuple[str, ...] = ("published", "date", "날짜", "일자")
    title: tuple[str, ...] = ("title", "제목")
    source: tuple[str, ...] = ("source", "url", "출처")


@dataclass(frozen=True)
class Reading:
    """What every reader is told: the date of documents whose metadata gives none, and the
    spreadsheet column names."""

    default_published: str | None = None
    columns: Columns = Columns()


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


_MAGIC = (
    b"%PDF",
    b"\x89PNG",
    b"PK\x03\x04",
    b"GIF8",
    b"\xff\xd8\xff",
    b"\x7fELF",
    b"\x1f\x8b",
    b"\xd0\xcf\x11\xe0",
    b"Rar!",
    b"7z\xbc\xaf",
    b"II*\x00",
    b"MM\x00*",
)
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
    encodings: tuple[str, ...]
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        encodings = ("utf-8",)
    elif data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return _decode_with_bom(data, "utf-32", where)
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decode_with_bom(data, "utf-16", where)
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
        where, f"undecodable bytes at offset {first_error.start} (not UTF-8, UTF-16, UTF-32 or CP949/EUC-KR)"
    )


def _decode_with_bom(data: bytes, encoding: str, where: str | Path) -> str:
    try:
        return data.decode(encoding)  # the codec reads the BOM for the byte order and drops it
    except UnicodeDecodeError as exc:
        raise InputError(where, f"undecodable {encoding.upper()} at byte {exc.start}") from None


def read_regular_file(path: Path) -> bytes:
    """The bytes of ``path`` if it is a regular file (after links), else :class:`InputError`.

    The file is opened non-blocking and checked on the open descriptor, so a FIFO is never waited
    on and a file swapped for one between a check and the read cannot block either."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise InputError(path, f"cannot read ({exc.strerror or exc})") from None
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise InputError(path, "not a regular file")
        try:
            return fh.read()
        except OSError as exc:
            raise InputError(path, f"cannot read ({exc.strerror or exc})") from None


def read_text_file(path: Path) -> str:
    text = decode_bytes(read_regular_file(path), path)
    if not text.strip():
        raise InputError(path, "empty file")
    return text


def read_meta(path: Path) -> dict:
    """The sidecar ``NAME.meta.json`` of ``path`` (title, published, source …), or {}."""
    meta_path = path.with_name(path.name[: -len(path.suffix)] + META_SUFFIX)
    if not meta_path.exists():
        return {}
    try:
        meta = json.loads(decode_bytes(read_regular_file(meta_path), meta_path))
    except json.JSONDecodeError as exc:
        raise InputError(meta_path, f"malformed JSON ({exc.msg} at line {exc.lineno})") from None
    if not isinstance(meta, dict):
        raise InputError(meta_path, "metadata must be a JSON object")
    meta["published"] = validate_published(meta.get("published"), meta_path)
    return meta


def make_document(doc_id: str, text: str, path: str, meta: dict, default_published: str | None) -> Document:
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


def jsonl_id(value: object) -> str | None:
    """A JSONL ``id`` as a document id: a non-empty string as it is, a whole number as its decimal
    digits (``12345`` → ``"12345"``, so it meets the string ``"12345"`` as a duplicate id, never
    silently); anything else (``true``, ``1.5``, a list, an object, null) is not an id."""
    if isinstance(value, str):
        return value or None
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None


def read_jsonl(path: Path, file_id: str, reading: Reading) -> Iterator[Document | DocumentError]:
    """One document per non-blank line of a ``.jsonl`` file (``id``, ``text``, metadata keys)."""
    default_published = reading.default_published
    try:
        content = read_text_file(path)
    except InputError as exc:
        yield DocumentError(path.stem, str(path), str(exc))
        return
    yield from _jsonl_documents(content.splitlines(), path, path.stem, default_published)


def _gzip_lines(path: Path) -> Iterator[str]:
    """The lines of a gzip-compressed UTF-8 file, decompressed as they are read (a shard of any
    size is never in memory at once); :class:`InputError` if it is no gzip file or no UTF-8."""
    import gzip
    import zlib

    if not path.is_file():
        raise InputError(path, "not a regular file")
    try:
        with gzip.open(path, "rt", encoding="utf-8-sig", newline="") as fh:
            for line in fh:
                yield line.rstrip("\r\n")
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(path, f"cannot read gzip file ({exc})") from None
    except UnicodeDecodeError as exc:
        raise InputError(path, f"undecodable bytes (a .jsonl.gz shard must be UTF-8): {exc.reason}") from None


def input_suffix(path: Path) -> str:
    """The suffix that says how a file is read (the key of ``pipeline.readers.READERS``):
    ``.jsonl.gz`` for a compressed shard, else the file's last suffix, lower-cased."""
    return JSONL_GZ_SUFFIX if path.name.lower().endswith(JSONL_GZ_SUFFIX) else path.suffix.lower()


def read_jsonl_gz(path: Path, file_id: str, reading: Reading) -> Iterator[Document | DocumentError]:
    """A ``*.jsonl.gz`` shard, streamed line by line; a shard that breaks off (truncated, corrupt)
    gives an error row after the documents read before the break."""
    stem = path.name[: -len(JSONL_GZ_SUFFIX)]
    try:
        yield from _jsonl_documents(_gzip_lines(path), path, stem, reading.default_published)
    except InputError as exc:
        yield DocumentError(stem, str(path), str(exc))


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _jsonl_documents(
    lines: Iterable[str], path: Path, stem: str, default_published: str | None
) -> Iterator[Document | DocumentError]:
    for lineno, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path}:{lineno}"
        doc_id = None
        try:
            obj = json.loads(line)
            if not isinstance(obj, dict):
                raise InputError(where, "a JSONL line must be an object with 'id' and 'text'")
            doc_id, text = jsonl_id(obj.get("id")), obj.get("text")
            if obj.get("id") not in (None, "") and doc_id is None:
                raise InputError(where, f"'id' must be a string or a whole number, not {json.dumps(obj['id'])[:40]}")
            if doc_id is None or not isinstance(text, str):
                raise InputError(where, "a JSONL line needs 'id' and a string 'text'")
            if not text.strip():
                raise InputError(where, "empty text")
            for key, value in (("id", doc_id), ("text", text)):
                lone = _LONE_SURROGATE.search(value)
                if lone:  # JSON may escape half a UTF-16 pair (\ud800); no UTF-8 output can hold it
                    doc_id = None if key == "id" else doc_id  # the error row is named by its line then
                    raise InputError(
                        where,
                        f"'{key}' has a lone surrogate \\u{ord(lone.group()):04x} at character {lone.start()}: not valid Unicode",
                    )
            meta = {k: v for k, v in obj.items() if k not in ("id", "text")}
            meta["published"] = validate_published(meta.get("published"), where)
            yield make_document(doc_id, text, where, meta, default_published)
        except json.JSONDecodeError as exc:
            yield DocumentError(f"{stem}:{lineno}", where, f"{where}: malformed JSON ({exc.msg})")
        except InputError as exc:
            yield DocumentError(doc_id or f"{stem}:{lineno}", where, str(exc))


def read_article(path: Path, doc_id: str, reading: Reading) -> Iterator[Document | DocumentError]:
    """A ``.txt`` / ``.md`` article with its optional sidecar, its text exactly as decoded."""
    try:
        text = read_text_file(path)
        meta = read_meta(path)
    except InputError as exc:
        yield DocumentError(doc_id, str(path), str(exc))
        return
    yield make_document(doc_id, text, str(path), meta, reading.default_published)


@dataclass(frozen=True)
class Source:
    """One file to read, found by :func:`list_sources`, or a problem found while listing a folder
    (``error``: an unreadable subfolder, a link leading out of the folder)."""

    path: Path
    rel: Path
    error: str = ""


def _inside(path: str, root: str) -> bool:
    return os.path.commonpath([path, root]) == root


def _walk(root: Path, follow_links: bool) -> list[Source]:
    """Every non-hidden entry under ``root``, in the order of its sorted paths (the same order as
    ``sorted(root.rglob("*"))``). A symbolic link is read when it leads to a place inside ``root``
    (a linked folder inside it is not walked twice) and otherwise becomes an error, unless
    ``follow_links``; a folder that cannot be listed becomes an error instead of being skipped."""
    real_root = os.path.realpath(root)
    found: list[Source] = []
    seen_dirs = {real_root}

    def visit(folder: Path) -> None:
        try:
            with os.scandir(folder) as it:
                entries = list(it)
        except OSError as exc:
            if folder == root:
                raise InputError(root, f"cannot read folder ({exc.strerror or exc})") from None
            found.append(
                Source(folder, folder.relative_to(root), f"{folder}: cannot read folder ({exc.strerror or exc})")
            )
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue  # hidden files and folders
            path = Path(entry.path)
            rel = path.relative_to(root)
            if entry.is_symlink():
                target = os.path.realpath(path)
                if not os.path.exists(target):
                    found.append(Source(path, rel))  # a broken link: reported as unreadable
                    continue
                if not _inside(target, real_root) and not follow_links:
                    found.append(
                        Source(
                            path,
                            rel,
                            f"{path}: symbolic link to {target}, outside the input "
                            "folder (not followed; --follow-links reads it)",
                        )
                    )
                    continue
                if os.path.isdir(target):
                    if not _inside(target, real_root) and target not in seen_dirs:
                        seen_dirs.add(target)
                        visit(path)
                    continue  # a link to a folder inside the tree: its files are read there
                found.append(Source(path, rel))
            elif entry.is_dir(follow_symlinks=False):
                visit(path)
            else:
                found.append(Source(path, rel))

    visit(root)
    return sorted(found, key=lambda s: s.path)


def list_sources(inputs: list[str | Path] | str | Path, follow_links: bool = False) -> list[Source]:
    """The files that :func:`iter_documents` reads, in order; raises :class:`InputError` for a
    missing path or a folder with no articles (nothing is read yet: call it to fail early)."""
    if isinstance(inputs, (str, Path)):
        inputs = [inputs]
    sources: list[Source] = []
    for raw in inputs:
        root = Path(raw)
        if not root.exists():
            raise InputError(root, "no such file or folder")
        if root.is_dir():
            found = _walk(root, follow_links)
            if not any(s.error or _is_input(s.path) for s in found):
                raise InputError(root, f"no {_suffix_list()} files in this folder")
            sources.extend(s for s in found if not s.path.name.endswith(META_SUFFIX))
        else:
            sources.append(Source(root, Path(root.name)))
    return sources


def count_documents(sources: list[Source]) -> int:
    """How many documents (and error rows) :func:`read_sources` will give, cheaply: one per file,
    one per non-blank line of a JSONL file (for a progress bar's total)."""
    n = 0
    for s in sources:
        if not s.error and s.path.name.lower().endswith(JSONL_GZ_SUFFIX):
            try:
                n += max(1, sum(1 for line in _gzip_lines(s.path) if line.strip()))
            except InputError:
                n += 1
            continue
        if s.error or s.path.suffix.lower() != JSONL_SUFFIX:
            n += 1
            continue
        try:
            n += max(1, sum(1 for line in read_text_file(s.path).splitlines() if line.strip()))
        except InputError:
            n += 1
    return n


def read_sources(
    sources: list[Source], default_published: str | None = None, columns: Columns | None = None
) -> Iterator[Document | DocumentError]:
    """The documents of :func:`list_sources`' files; ``default_published`` must be valid;
    ``columns``: the column names of spreadsheets of articles (default :class:`Columns`)."""
    reading = Reading(default_published, columns or Columns())
    seen: set[str] = set()
    for source in sources:
        for item in _read_one(source, reading):
            if item.doc_id in seen:
                item = DocumentError(item.doc_id, item.path, f"{item.path}: duplicate document id {item.doc_id!r}")
            seen.add(item.doc_id)
            yield item


def iter_documents(
    inputs: list[str | Path] | str | Path,
    default_published: str | None = None,
    follow_links: bool = False,
    columns: Columns | None = None,
) -> Iterator[Document | DocumentError]:
    """Every document under ``inputs`` (files or folders), in a stable order.

    Unreadable inputs come out as :class:`DocumentError` so that one bad file never costs the
    others their results. Raises :class:`InputError` only for a missing path, an empty folder or a
    bad ``default_published``.
    """
    default_published = validate_published(default_published, "--published")
    yield from read_sources(list_sources(inputs, follow_links), default_published, columns)


def _readers() -> dict:
    from .readers import READERS  # the readers import this module

    return READERS


def _suffix_list() -> str:
    names = list(_readers())
    return ", ".join(names[:-1]) + " or " + names[-1]


def _is_input(path: Path) -> bool:
    return input_suffix(path) in _readers() and not path.name.endswith(META_SUFFIX)


def _read_one(source: Source, reading: Reading) -> Iterator[Document | DocumentError]:
    path = source.path
    doc_id = source.rel.with_suffix("").as_posix()
    if source.error:
        yield DocumentError(doc_id, str(path), source.error)
        return
    suffix = input_suffix(path)
    reader = _readers().get(suffix)
    if reader is None:
        yield DocumentError(
            doc_id, str(path), f"{path}: unsupported file type {suffix or '(none)'!r} (expected {_suffix_list()})"
        )
        return
    yield from reader(path, doc_id, reading)
