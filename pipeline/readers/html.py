"""Saved web pages (``*.html``, ``*.htm``): the article's main text, found by trafilatura.

trafilatura drops navigation, headers, footers, comments and link lists and keeps the article's
paragraphs, one a line. What it keeps of a news page's related-article list ("관련기사", headings
in ``data/html_boilerplate.tsv``) is cut, and a first line that repeats the page title is dropped
(the title goes to the ``title`` column, as a sidecar's would). Title, publication date
(``article:published_time``, JSON-LD ``datePublished``, ``<time>``; the page's metadata only, not
dates guessed from the text) and ``source`` (the canonical URL) come from the page when the
sidecar ``NAME.meta.json`` gives none. Offsets count characters of the extracted text, which
``run`` saves (:mod:`pipeline.texts`).

trafilatura is the ``html`` extra (``pip install 'csr-pipeline[html]'``).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from ..ingest import (
    Document,
    DocumentError,
    InputError,
    Reading,
    decode_bytes,
    make_document,
    read_meta,
    read_regular_file,
    validate_published,
)
from ..lexicon import read_table

EXTRA = "reading HTML needs the 'html' extra: pip install 'csr-pipeline[html]'"
# htmldate: the page's own metadata only (no guessing from dates in the text or the URL)
DATE_CONFIG = {"extensive_search": False, "original_date": True, "outputformat": "%Y-%m-%d"}


@lru_cache(maxsize=1)
def related_headings() -> frozenset[str]:
    return frozenset(r["heading"] for r in read_table("html_boilerplate.tsv"))


def main_text(page: str, title: str = "") -> str:
    """The main text of an HTML page, paragraphs one a line, without a related-article list and
    without a first line equal to ``title``; empty when trafilatura finds none."""
    import trafilatura

    text = trafilatura.extract(
        page, output_format="txt", include_comments=False, include_tables=True, favor_precision=True
    )
    lines = [line.strip() for line in (text or "").splitlines()]
    for i, line in enumerate(lines):
        if line in related_headings():
            lines = lines[:i]
            break
    if lines and title and lines[0] == title.strip():
        lines = lines[1:]
    return "\n".join(line for line in lines if line)


def page_metadata(page: str) -> dict:
    """``title``, ``published`` (YYYY-MM-DD) and ``source`` (canonical URL) of a page, where found."""
    import trafilatura

    found = trafilatura.extract_metadata(page, extensive=False, date_config=DATE_CONFIG)
    meta = {"title": found.title or "", "published": found.date or None, "source": found.url or ""}
    try:
        meta["published"] = validate_published(meta["published"], "page")
    except InputError:
        meta["published"] = None
    return {k: v for k, v in meta.items() if v}


def read_html(path: Path, doc_id: str, reading: Reading) -> Iterator[Document | DocumentError]:
    try:
        import trafilatura  # noqa: F401
    except ImportError:
        yield DocumentError(doc_id, str(path), f"{path}: {EXTRA}")
        return
    try:
        page = decode_bytes(read_regular_file(path), path)
        sidecar = read_meta(path)
        found = page_metadata(page) if page.strip() else {}
        text = main_text(page, found.get("title", "")) if page.strip() else ""
    except InputError as exc:
        yield DocumentError(doc_id, str(path), str(exc))
        return
    if not text:
        yield DocumentError(doc_id, str(path), f"{path}: no main text found in this HTML page")
        return
    meta = {**found, **{k: v for k, v in sidecar.items() if v not in (None, "")}}
    yield make_document(doc_id, text, str(path), meta, reading.default_published)
