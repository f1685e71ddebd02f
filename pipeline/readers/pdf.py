"""PDF reports (``*.pdf``): the text layer page by page, read with pypdf, as running text.

pypdf was measured against pdfplumber on generated Korean PDFs (README, Inputs): it keeps the
order in which the text was written (a two-column page comes out column by column, where
pdfplumber's sort by position interleaves the columns line by line), and it is about four times
faster and pure Python with no dependencies. Its one artefact, doubled spaces on justified
lines, is undone here.

What PDF layout adds to the text is taken out again, so that a report reads like the same
article given as ``.txt``:

- lines that repeat at the top or bottom of several pages (running headers and footers, digits
  ignored so that page numbers match) and lines that are only a page number are dropped;
- a line break that only wraps a paragraph is undone: after a sentence end it stays a line
  break; a Latin word hyphenated across lines is joined; between Hangul (or a digit) and Hangul,
  Kiwi's analysis decides whether the break fell between words (a space) or inside one (nothing:
  ``보건복지부\\n와`` → ``보건복지부와``, see :func:`_word_break`); anything else becomes a space.

Each page's start offset in the text is kept (``Document.page_starts``), so every record gets
its page. A PDF with no text layer (a scan) and an encrypted PDF that needs a password are error
rows; a PDF encrypted only against editing (an empty user password, common for published
reports) is read.
"""

from __future__ import annotations

import io
import logging
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from ..ingest import Document, DocumentError, InputError, Reading, make_document, read_meta, read_regular_file

EXTRA = "reading PDF needs pypdf (a dependency of csr-pipeline): pip install pypdf"
EDGE = 2  # lines at the top and at the bottom of a page that may be a running header or footer
_SPACES = re.compile(r"[ \t\u00a0]{2,}")
_PAGE_NUMBER = re.compile(r"[-–—\s]*(?:p\.?|page)?\s*\d{1,4}(?:\s*/\s*\d{1,4})?[-–—\s]*", re.I)
_DIGITS = re.compile(r"\d+")
_SENTENCE_END = re.compile(r"""[.!?。…]["'”’)\]]*$""")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_CLOSING = set(".,!?;:)]}%」』”’")
_ATTACH = ("J", "E", "XS", "VCP")  # Kiwi tags of morphemes written against the word before them
_ATTACH_AFTER_DIGIT = (*_ATTACH, "NNB", "NR")


def pdf_pages(data: bytes, where: str | Path) -> list[list[str]]:
    """The text lines of each page (stripped, spaces collapsed, blank lines left out)."""
    import pypdf

    quiet = logging.getLogger("pypdf")  # its warnings about damaged files become our error row
    level = quiet.level
    quiet.setLevel(logging.ERROR)
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                opened = bool(reader.decrypt(""))
            except Exception:  # an unsupported cipher is a password we do not have
                opened = False
            if not opened:
                raise InputError(where, "encrypted PDF (it needs a password; save an unprotected copy)")
        texts = [page.extract_text() or "" for page in reader.pages]
    except InputError:
        raise
    except Exception as exc:  # pypdf raises many types for damaged files
        raise InputError(where, f"cannot read PDF ({type(exc).__name__}: {exc})") from None
    finally:
        quiet.setLevel(level)
    return [[_SPACES.sub(" ", line.strip()) for line in t.splitlines() if line.strip()] for t in texts]


def _edge_key(line: str) -> str:
    return _DIGITS.sub("#", line)


def drop_running_lines(pages: list[list[str]]) -> list[list[str]]:
    """Pages without their running headers and footers: a line among the first or last
    :data:`EDGE` lines of at least two pages (and at least half of them), digits ignored, and an
    edge line that is only a page number."""
    counts: Counter[str] = Counter()
    for lines in pages:
        counts.update({_edge_key(line) for line in lines[:EDGE] + lines[-EDGE:]})
    need = max(2, (len(pages) + 1) // 2)
    running = {key for key, n in counts.items() if n >= need}
    out = []
    for lines in pages:
        edges = set(range(min(EDGE, len(lines)))) | set(range(max(0, len(lines) - EDGE), len(lines)))
        out.append(
            [
                line
                for i, line in enumerate(lines)
                if i not in edges or (_edge_key(line) not in running and not _PAGE_NUMBER.fullmatch(line))
            ]
        )
    return out


def _space_inserted(joined: str, spaced: str, pos: int) -> bool:
    """Whether ``spaced`` (``joined`` with spaces only added) has a new space at ``pos``."""
    j = 0
    for ch in spaced:
        if j < len(joined) and ch == joined[j]:
            j += 1
        elif ch == " " and j == pos:
            return True
    return False


def _word_break(left: str, right: str) -> bool:
    """Whether a line break between the word ends ``left`` and ``right`` was a space, by Kiwi: no
    when it falls inside a morpheme (``장|학금``) or before one that attaches to what precedes it
    (a particle, an ending, a suffix, the copula: ``보건복지부|와``, ``기부했|다``; after digits also a
    counter or a numeral: ``2020|년``); otherwise Kiwi's spacing model decides (``지역|의료진에게``,
    ``10억|원을``: a space). A break inside a compound noun reads as a space (``사회복지공동
    모금회``): Kiwi spaces compounds, and most PDFs wrap at spaces."""
    from ..kiwi import get_kiwi

    kiwi = get_kiwi()
    joined, at = left + right, len(left)
    attach = _ATTACH_AFTER_DIGIT if left[-1].isdigit() else _ATTACH
    for token in kiwi.tokenize(joined):
        if token.start < at < token.start + token.len:
            return False
        if token.start == at and token.tag.startswith(attach):
            return False
    return _space_inserted(joined, kiwi.space(joined, reset_whitespace=False), at)


def wrap_separator(before: str, after: str) -> str:
    """What a line break between the lines ``before`` and ``after`` of one paragraph stands for:
    a line break after a sentence end, nothing before closing punctuation or inside a word, a
    hyphen taken out of a hyphenated Latin word (``"\x00"``), else a space."""
    if _SENTENCE_END.search(before):
        return "\n"
    if after[0] in _CLOSING:
        return ""
    if before.endswith("-") and before[-2:-1].isalpha() and before[-2:-1].isascii() and after[:1].islower():
        return "\x00"  # a hyphenated Latin word: the hyphen goes, the halves join
    if (_HANGUL.match(before[-1]) or before[-1].isdigit()) and _HANGUL.match(after[0]):
        return " " if _word_break(before.rsplit(" ", 1)[-1], after.split(" ", 1)[0]) else ""
    return " "


def join_pages(pages: list[list[str]]) -> tuple[str, tuple[int, ...]]:
    """The running text of the pages' lines and the offset where each page begins."""
    parts: list[str] = []
    length = 0
    starts: list[int] = []
    prev = ""
    for lines in pages:
        starts.append(length)
        for k, line in enumerate(lines):
            if prev:
                sep = wrap_separator(prev, line)
                if sep == "\x00":
                    parts[-1] = parts[-1][:-1]
                    length -= 1
                    sep = ""
                parts.append(sep)
                length += len(sep)
            if k == 0:
                starts[-1] = length
            parts.append(line)
            length += len(line)
            prev = line
    return "".join(parts), tuple(starts)


def read_pdf(path: Path, doc_id: str, reading: Reading) -> Iterator[Document | DocumentError]:
    try:
        import pypdf  # noqa: F401
    except ImportError:
        yield DocumentError(doc_id, str(path), f"{path}: {EXTRA}")
        return
    try:
        pages = pdf_pages(read_regular_file(path), path)
        meta = read_meta(path)
    except InputError as exc:
        yield DocumentError(doc_id, str(path), str(exc))
        return
    if not any(pages):
        yield DocumentError(doc_id, str(path), f"{path}: no text layer (a scanned PDF? run OCR on it first)")
        return
    text, starts = join_pages(drop_running_lines(pages))
    if not text.strip():
        yield DocumentError(doc_id, str(path), f"{path}: no text besides running headers and footers")
        return
    document = make_document(doc_id, text, str(path), meta, reading.default_published)
    document.page_starts = starts
    yield document
