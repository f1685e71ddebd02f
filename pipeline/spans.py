"""Span groups and attributes shared by the extractors (spaCy conventions).

Every extractor writes ``doc.spans[LABEL]`` with the ``Span._`` attributes :mod:`pipeline.schema`
registers for the label (importing this module registers them).
``Doc._.published`` carries the document date the relative dates resolve against.
:func:`token_index` gives the components plain lists of token offsets, tags and sentence starts,
built once per Doc from arrays (iterating spaCy tokens in Python is what made the first version slow).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from itertools import pairwise
from typing import Any

import numpy
from spacy.attrs import IDX, IS_SPACE, LEMMA, LENGTH, SENT_START, SPACY, TAG
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from . import schema  # noqa: F401  (registers every label's Span attributes)

if not Doc.has_extension("published"):
    Doc.set_extension("published", default=None)

# user_data keys are tuples, as spaCy's own are (its stubs say str)
_INDEX_KEY: Any = ("csr", "token_index")
TEXT_KEY: Any = ("csr", "text")
# the marks that open a list item (▲ 2023.5.3 — …, ○ 한빛교회: …, ※ 문의): no part of a name or a date
LIST_MARKS = frozenset("▲△■□●○◆◇•◦▶▷►※☞◎◀")


def build_doc(
    vocab: Vocab, words: list[str], spaces: list[bool], tags: list[int], lemmas: list[int], starts: Iterable[int]
) -> Doc:
    """What ``Doc(vocab, words, spaces, tags=, lemmas=, sent_starts=)`` makes, from the tags' and
    lemmas' string hashes and the indices of the tokens that open a sentence (every other token
    does not), without that constructor's Python loops over every token."""
    doc = Doc(vocab, words=words, spaces=spaces)
    values = numpy.empty((len(words), 3), dtype=numpy.uint64)
    values[:, 0] = lemmas
    values[:, 1] = tags
    opens = numpy.full(len(words), -1, dtype=numpy.int64)
    opens[list(starts)] = 1
    values[:, 2] = opens.astype(numpy.uint64)
    doc.from_array([LEMMA, TAG, SENT_START], values)  # type: ignore[arg-type]  # (thinc's Ints2d: an ndarray)
    return doc


def base_tags(tag: str) -> list[str]:
    """A token's Kiwi tags (``VV+EC``), in order, without their irregular-inflection marks (``VV-I`` → ``VV``)."""
    return [t.split("-")[0] for t in tag.split("+")]


def doc_text(doc: Doc) -> str:
    """``doc.text`` without rebuilding it token by token (the tokenizer keeps the input)."""
    text = doc.user_data.get(TEXT_KEY)
    return text if text is not None else doc.text


class TokenIndex:
    """Token start/end offsets, tags, lemmas, whitespace and sentence starts of a Doc, as plain lists."""

    def __init__(self, doc: Doc):
        arr = doc.to_array([IDX, LENGTH, TAG, SPACY, SENT_START, IS_SPACE, LEMMA]).tolist() if len(doc) else []
        strings = doc.vocab.strings
        self.n_tokens = len(doc)
        self.start_list = [r[0] for r in arr]
        self.end_list = [r[0] + r[1] for r in arr]
        self.starts = set(self.start_list)
        self.ends = set(self.end_list)
        names = {h: strings[h] for h in {r[2] for r in arr} if h}  # a few dozen tags, many tokens
        self.tags = [names.get(r[2], "") for r in arr]
        # each string once: a lemma comes back many times (하, 을, 다), and a look-up in the
        # StringStore makes a new string every time
        lemma_names = {h: strings[h] for h in {r[6] for r in arr}}
        self.lemmas = [lemma_names[r[6]] for r in arr]
        self.whitespace = [bool(r[3]) for r in arr]
        self.is_space = [bool(r[5]) for r in arr]
        self.sent_starts = [r[0] for i, r in enumerate(arr) if i == 0 or r[4] == 1] or [0]
        self.tag_at = dict(zip(self.start_list, self.tags, strict=True))

    def sentence_of(self, char: int) -> int:
        """0-based index of the sentence holding character ``char``."""
        return max(0, bisect_right(self.sent_starts, char) - 1)

    def same_sentence(self, start: int, end: int) -> bool:
        return self.sentence_of(start) == self.sentence_of(max(start, end - 1))

    def sentence_bounds(self, i: int, text_len: int) -> tuple[int, int]:
        end = self.sent_starts[i + 1] if i + 1 < len(self.sent_starts) else text_len
        return self.sent_starts[i], end

    def token_at(self, char: int) -> int | None:
        """Index of the token whose characters include ``char``."""
        i = bisect_right(self.start_list, char) - 1
        return i if i >= 0 and char < self.end_list[i] else None


def token_index(doc: Doc) -> TokenIndex:
    """The Doc's :class:`TokenIndex`, rebuilt only when its tokens changed."""
    cached = doc.user_data.get(_INDEX_KEY)
    if cached is None or cached.n_tokens != len(doc):
        cached = TokenIndex(doc)
        doc.user_data[_INDEX_KEY] = cached
    return cached


def split_tokens_at(doc: Doc, offsets: set[int]) -> Doc:
    """A Doc in which every offset in ``offsets`` is a token boundary: ``doc`` itself when it
    already is, else a copy rebuilt once with the extra cuts (spaCy's retokenizer costs a pass over
    the whole Doc per split, which made long documents quadratic). Span groups, extension values
    and user data carry over; a split token's parts keep its tag and lemma."""
    index = token_index(doc)
    cuts: dict[int, set[int]] = {}
    for o in offsets:
        i = index.token_at(o)
        if i is not None and index.start_list[i] < o:
            cuts.setdefault(i, set()).add(o)
    if not cuts:
        return doc
    text = doc_text(doc)
    tag_ids, lemma_ids = doc.to_array([TAG, LEMMA]).T.tolist()
    sent_start_chars = set(index.sent_starts)
    words: list[str] = []
    spaces: list[bool] = []
    tags: list[int] = []
    lemmas: list[int] = []
    starts: list[int] = []
    for i, (start, end) in enumerate(zip(index.start_list, index.end_list, strict=True)):
        bounds = [start, *sorted(cuts.get(i, ())), end]
        if start in sent_start_chars:
            starts.append(len(words))
        for a, b in pairwise(bounds):
            words.append(text[a:b])
            spaces.append(index.whitespace[i] and b == end)
            tags.append(tag_ids[i])
            lemmas.append(lemma_ids[i])
    new = build_doc(doc.vocab, words, spaces, tags, lemmas, starts)
    new.user_data.update({k: v for k, v in doc.user_data.items() if k != _INDEX_KEY})
    for name, group in doc.spans.items():
        spans = [new.char_span(sp.start_char, sp.end_char, label=sp.label_) for sp in group]
        new.spans[name] = [sp for sp in spans if sp is not None]  # all are: the cuts only add boundaries
    return new


def set_spans(doc: Doc, label: str, found: list[tuple[int, int, dict]]) -> Doc:
    """Write ``found`` (start, end, attrs) as ``doc.spans[label]``, splitting tokens if needed;
    returns the Doc to go on with (a new one when tokens had to be split)."""
    doc = split_tokens_at(doc, {o for s, e, _ in found for o in (s, e)})
    index = token_index(doc)
    spans = []
    for start, end, attrs in sorted(found, key=lambda f: (f[0], f[1])):
        i, j = bisect_left(index.start_list, start), bisect_left(index.end_list, end)
        span = Span(doc, i, j + 1, label=label)
        if span.start_char != start or span.end_char != end:  # pragma: no cover - split makes them align
            raise AssertionError(f"cannot align {label} span {start}:{end}")
        ext = span._  # (a new accessor object on every access)
        for key, val in attrs.items():
            setattr(ext, key, val)
        spans.append(span)
    doc.spans[label] = spans
    return doc
