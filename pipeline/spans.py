"""Span groups and attributes shared by the extractors (spaCy conventions).

Every extractor writes ``doc.spans[LABEL]`` with ``Span._`` attributes:
DATE ``value``/``mod``; MONEY and QUANTITY ``value``/``unit``/``qualifier``; ORG ``name``/``kind``.
``Doc._.published`` carries the document date the relative dates resolve against.
"""
from __future__ import annotations

from bisect import bisect_right

from spacy.tokens import Doc, Span

LABELS = ("DATE", "ORG", "MONEY", "QUANTITY")

_ATTRS = ("value", "mod", "unit", "qualifier", "name", "kind")
for _attr in _ATTRS:
    if not Span.has_extension(_attr):
        Span.set_extension(_attr, default=None)
if not Doc.has_extension("published"):
    Doc.set_extension("published", default=None)


class Boundaries:
    """Token start/end offsets of a Doc, for asking whether a match sits on token edges."""

    def __init__(self, doc: Doc):
        self.starts = {t.idx for t in doc}
        self.ends = {t.idx + len(t.text) for t in doc}
        self._starts_sorted = sorted(self.starts)
        self.sent_ids = [0] * len(doc.text)
        self.sent_starts = sorted(s.start_char for s in doc.sents) if doc.has_annotation("SENT_START") else [0]

    def sentence_of(self, char: int) -> int:
        return max(0, bisect_right(self.sent_starts, char) - 1)

    def same_sentence(self, start: int, end: int) -> bool:
        return self.sentence_of(start) == self.sentence_of(max(start, end - 1))


def split_tokens_at(doc: Doc, offsets: set[int]) -> None:
    """Split tokens so that every offset in ``offsets`` is a token boundary."""
    todo = {}
    for t in doc:
        cuts = sorted(o - t.idx for o in offsets if t.idx < o < t.idx + len(t.text))
        if cuts:
            todo[t.i] = cuts
    if not todo:
        return
    # span groups hold token indices, which a split shifts: keep them by characters and rebuild
    saved = {
        name: [(s.start_char, s.end_char, s.label_, {a: getattr(s._, a) for a in _ATTRS}) for s in group]
        for name, group in doc.spans.items()
    }
    _split(doc, todo)
    for name, items in saved.items():
        spans = []
        for start, end, label, attrs in items:
            span = doc.char_span(start, end, label=label)
            for key, val in attrs.items():
                setattr(span._, key, val)
            spans.append(span)
        doc.spans[name] = spans


def _split(doc: Doc, todo: dict[int, list[int]]) -> None:
    with doc.retokenize() as retok:
        for i, cuts in todo.items():
            tok = doc[i]
            bounds = [0, *cuts, len(tok.text)]
            orths = [tok.text[a:b] for a, b in zip(bounds, bounds[1:])]
            heads = [(tok, k) for k in range(len(orths))]
            retok.split(tok, orths, heads=heads)


def set_spans(doc: Doc, label: str, found: list[tuple[int, int, dict]]) -> None:
    """Write ``found`` (start, end, attrs) as ``doc.spans[label]``, splitting tokens if needed."""
    split_tokens_at(doc, {o for s, e, _ in found for o in (s, e)})
    spans = []
    for start, end, attrs in sorted(found, key=lambda f: (f[0], f[1])):
        span = doc.char_span(start, end, label=label)
        if span is None:  # pragma: no cover - split_tokens_at makes every offset a boundary
            raise AssertionError(f"cannot align {label} span {start}:{end}")
        for key, val in attrs.items():
            setattr(span._, key, val)
        spans.append(span)
    doc.spans[label] = spans
