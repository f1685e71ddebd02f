"""MONEY and QUANTITY: numbers with a currency or a counter, their value, unit and qualifier.

``약 53.9억 원`` → span ``53.9억 원``, 5390000000 KRW, ``approx``; ``120여 개`` → 120 개 approx;
``100만 명 이상`` → 1000000 명 at_least; ``세 곳`` → 3 곳. Counters, currencies and qualifier
words live in ``data/counters.tsv``, ``data/currencies.tsv`` and ``data/qualifiers.tsv``;
:func:`find_amounts` is a pure function and :class:`AmountRecognizer` the spaCy component.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from .lexicon import read_table
from .numbers import SCALES as _SCALES, native_numeral_pattern, parse_native, parse_number
from .spans import TokenIndex, doc_text, set_spans, token_index

_ARABIC = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SINO = "일이삼사오육칠팔구십백천만억조"
# a numeral: Arabic digits or 십/백/천 first, then more digits and group units; a space may
# separate groups (1조 2천억)
# atomic, and never starting inside a number: linear time even on a run of 100,000 digits
_NUMEXPR = (rf"(?<![\d.,])(?>(?:{_ARABIC}|[십백천])"
            rf"(?:{_ARABIC}|[{_SINO}]|\s(?=(?:{_ARABIC}|[{_SINO}])*[만억조천])|(?<=[만억조])\s(?=\d))*)")


@dataclass
class Amount:
    start: int
    end: int
    kind: str  # MONEY or QUANTITY
    value: Decimal
    unit: str
    qualifier: str = "exact"


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=1)
def _tables() -> dict:
    counters = {r["counter"].lower(): r for r in read_table("counters.tsv")}
    currencies = read_table("currencies.tsv")
    after = {r["surface"].lower(): r["unit"] for r in currencies if r["position"] == "after"}
    before = {r["surface"].lower(): r["unit"] for r in currencies if r["position"] == "before"}
    exceptions: dict[str, list[str]] = {}
    for r in read_table("counter_exceptions.tsv"):
        exceptions.setdefault(r["unit"], []).append(r["next_word"])
    quals = read_table("qualifiers.tsv")
    q_before = {r["word"]: r["qualifier"] for r in quals if r["position"] == "before"}
    q_after = {r["word"]: r["qualifier"] for r in quals if r["position"] == "after"}
    q_infix = {r["word"]: r["qualifier"] for r in quals if r["position"] == "infix"}
    native_counters = [c for c, r in counters.items() if r["native_ok"] == "yes"]
    infix = _alt(q_infix)
    rx_after = re.compile(
        rf"(?P<num>{_NUMEXPR})(?:(?P<infix>{infix})(?P<tail>[만억조]*))?\s*(?P<unit>{_alt(counters)}|{_alt(after)})", re.I
    )
    rx_before = re.compile(
        rf"(?P<cur>{_alt(before)})\s*(?P<num>{_ARABIC})(?:\s*(?P<scale>{_alt(_SCALES)}|[만억조]|천만|백만))?", re.I
    )
    rx_native = re.compile(rf"(?P<num>{native_numeral_pattern()})\s+(?P<unit>{_alt(native_counters)})")
    rx_q_before = re.compile(rf"(?:^|\s)(?P<q>{_alt(q_before)})\s*$")
    more_than = [w for w, q in q_after.items() if w.startswith("넘")]
    rx_q_after = re.compile(
        rf"^(?:\s*(?P<q>{_alt([w for w in q_after if w not in more_than])})|(?:을|를|이|가|도)?\s*(?P<q2>{_alt(more_than)}))"
    )
    return {
        "counters": counters,
        "exceptions": {u: re.compile(rf"\s*(?:{'|'.join(ws)})") for u, ws in exceptions.items()},
        "after": after,
        "before": before,
        "q_before": q_before,
        "q_after": q_after,
        "q_infix": q_infix,
        "patterns": (rx_after, rx_before, rx_native),
        "rx_q_before": rx_q_before,
        "rx_q_after": rx_q_after,
    }


def _qualifier(text: str, start: int, end: int, infix: str | None) -> str:
    t = _tables()
    m = t["rx_q_after"].match(text[end:end + 12])
    if m:
        word = m.group("q") or m.group("q2")
        # a suffix word must end its word (이상이 ok, 이상한 not)
        return t["q_after"][word]
    if infix:
        return t["q_infix"][infix]
    m = t["rx_q_before"].search(text[max(0, start - 6):start])
    if m:
        return t["q_before"][m.group("q")]
    return "exact"


def _valid_edges(text: str, start: int, end: int, bounds: TokenIndex | None) -> bool:
    before = text[start - 1] if start else " "
    if before.isalnum() or before in "-.:/#":
        return False  # inside a word, a name (포스코1%), a phone or model number
    after = text[end:end + 1]
    if after.isdigit() or after in ("째", "차", "-", ":"):
        return False
    if bounds is not None and end not in bounds.ends:
        return False  # 3원칙, 1개월: the counter is only the start of a longer word
    return True


def find_amounts(text: str, bounds: TokenIndex | None = None, skip: list[tuple[int, int]] = ()) -> list[Amount]:
    """MONEY and QUANTITY spans in ``text``; ``skip`` lists ranges (dates) they may not touch."""
    t = _tables()
    rx_after, rx_before, rx_native = t["patterns"]
    found: list[Amount] = []
    for m in rx_after.finditer(text):
        num_text = m.group("num").rstrip() + (m.group("tail") or "")
        value = parse_number(num_text)
        unit_word = m.group("unit")
        if value is None or not _valid_edges(text, m.start(), m.end(), bounds):
            continue
        key = unit_word.lower()
        if key in t["counters"]:
            kind, unit = "QUANTITY", t["counters"][key]["unit"]
            if unit in t["exceptions"] and t["exceptions"][unit].match(text[m.end():]):
                continue  # 20대 여성 (an age bracket), 10대 원칙 (the ten principles)
        else:
            kind, unit = "MONEY", t["after"][key]
        found.append(Amount(m.start(), m.end(), kind, value, unit, _qualifier(text, m.start(), m.end(), m.group("infix"))))
    for m in rx_before.finditer(text):
        value = parse_number(m.group("num"))
        if value is None or not _valid_edges(text, m.start(), m.end(), bounds):
            continue
        scale = (m.group("scale") or "").lower()
        if scale in _SCALES:
            value *= _SCALES[scale]
        elif scale:
            value = parse_number(m.group("num") + scale)
        found.append(Amount(m.start(), m.end(), "MONEY", value, t["before"][m.group("cur").lower()],
                            _qualifier(text, m.start(), m.end(), None)))
    for m in rx_native.finditer(text):
        value = parse_native(m.group("num"))
        if value is None or not _valid_edges(text, m.start(), m.end(), bounds):
            continue
        unit = t["counters"][m.group("unit").lower()]["unit"]
        found.append(Amount(m.start(), m.end(), "QUANTITY", Decimal(value), unit, _qualifier(text, m.start(), m.end(), None)))
    found.sort(key=lambda a: (a.start, -(a.end - a.start)))
    out: list[Amount] = []
    for a in found:
        if out and a.start < out[-1].end:
            continue
        if any(a.start < e and s < a.end for s, e in skip):
            continue
        if bounds is not None and not bounds.same_sentence(a.start, a.end):
            continue
        out.append(a)
    return out


@Language.factory("csr_amounts")
class AmountRecognizer:
    """spaCy component: ``doc.spans["MONEY"]`` and ``doc.spans["QUANTITY"]``."""

    def __init__(self, nlp: Language, name: str = "csr_amounts"):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        bounds = token_index(doc)
        dates = [(s.start_char, s.end_char) for s in doc.spans.get("DATE", [])]
        amounts = find_amounts(doc_text(doc), bounds, dates)
        for kind in ("MONEY", "QUANTITY"):
            doc = set_spans(doc, kind, [
                (a.start, a.end, {"value": a.value, "unit": a.unit, "qualifier": a.qualifier})
                for a in amounts if a.kind == kind
            ])
        return doc
