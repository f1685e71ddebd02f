"""MONEY and QUANTITY: numbers with a currency or a counter, their value, unit and qualifier.

``약 53.9억 원`` → span ``53.9억 원``, 5390000000 KRW, ``approx``; ``120여 개`` → 120 개 approx;
``100만 명 이상`` → 1000000 명 at_least; ``세 곳`` → 3 곳. Counters, currencies and qualifier
words live in ``data/counters.tsv``, ``data/currencies.tsv`` and ``data/qualifiers.tsv``.
Each rule is one :class:`AmountRule` value (name, pattern, resolution); :func:`find_amounts` is a
pure function of the text and an :class:`AmountTables`, and :class:`AmountRecognizer` the spaCy
component (``csr_amounts``) that owns the tables.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from . import schema
from .component import TableComponent, filter_overlaps
from .lexicon import DATA_DIR, read_table
from .numbers import SCALES as _SCALES
from .numbers import native_numeral_pattern, parse_native, parse_number
from .settings import SETTINGS
from .spans import TokenIndex, doc_text, set_spans, token_index

_ARABIC = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SINO = "일이삼사오육칠팔구십백천만억조"
# a numeral: Arabic digits or 십/백/천 first, then more digits and group units; a space may
# separate groups (1조 2천억)
# atomic, and never starting inside a number: linear time even on a run of 100,000 digits
_NUMEXPR = (rf"(?<![\d.,])(?>(?:{_ARABIC}|[십백천])"
            rf"(?:{_ARABIC}|[{_SINO}]|\s(?=(?:{_ARABIC}|[{_SINO}])*[만억조천])|(?<=[만억조])\s(?=\d))*)")
# particles between an amount and 넘다 (50만 명을 넘어섰다): their functions in particles.tsv
_BEFORE_MORE_THAN = ("object", "subject", "additive")

FILES = ("counters.tsv", "currencies.tsv", "counter_exceptions.tsv", "qualifiers.tsv", "particles.tsv")
TABLE = "amounts"  # the output table of the labels this component writes


@dataclass
class Amount:
    start: int
    end: int
    kind: str  # MONEY or QUANTITY
    value: Decimal
    unit: str
    qualifier: str = schema.EXACT
    rule: str = ""


# A rule's resolution: (match, tables) → (kind, value, unit, infix qualifier word) or None
Resolution = Callable[[re.Match, "AmountTables"], "tuple[str, Decimal, str, str | None] | None"]


@dataclass(frozen=True)
class AmountRule:
    """One way to write an amount: its name (``span._.rule``), pattern and resolution."""

    name: str
    pattern: re.Pattern
    resolve: Resolution


def _alt(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _number_unit(m: re.Match, t: AmountTables) -> tuple[str, Decimal, str, str | None] | None:
    """``53.9억 원``, ``120여 개``: a number, then a currency word or a counter."""
    value = parse_number(m.group("num").rstrip() + (m.group("tail") or ""))
    if value is None:
        return None
    key = m.group("unit").lower()
    if key in t.counters:
        unit = t.counters[key]
        exception = t.exceptions.get(unit)
        if exception is not None and exception.match(m.string, m.end()):
            return None  # 20대 여성 (an age bracket), 10대 원칙 (the ten principles)
        return "QUANTITY", value, unit, m.group("infix")
    return "MONEY", value, t.after[key], m.group("infix")


def _currency_number(m: re.Match, t: AmountTables) -> tuple[str, Decimal, str, str | None] | None:
    """``$1.5 million``, ``US$ 300만``: a currency symbol, then a number and maybe a scale."""
    value = parse_number(m.group("num"))
    if value is None:
        return None
    scale = (m.group("scale") or "").lower()
    if scale in _SCALES:
        value *= _SCALES[scale]
    elif scale:
        value = parse_number(m.group("num") + scale)
        if value is None:
            return None
    return "MONEY", value, t.before[m.group("cur").lower()], None


def _native_counter(m: re.Match, t: AmountTables) -> tuple[str, Decimal, str, str | None] | None:
    """``세 곳``, ``스무 명``: a native numeral before a counter that takes one."""
    value = parse_native(m.group("num"))
    if value is None:
        return None
    return "QUANTITY", Decimal(value), t.counters[m.group("unit").lower()], None


@dataclass(frozen=True)
class AmountTables:
    """The tables of one ``csr_amounts`` component, compiled."""

    counters: dict[str, str]  # counter (lower-cased) → unit
    exceptions: dict[str, re.Pattern]  # unit → words after it that make it no QUANTITY
    after: dict[str, str]  # currency word after a number → unit
    before: dict[str, str]  # currency symbol before a number → unit
    q_before: dict[str, str]  # qualifier word → qualifier, by position
    q_after: dict[str, str]
    q_infix: dict[str, str]
    rules: tuple[AmountRule, ...]
    rx_q_before: re.Pattern
    rx_q_after: re.Pattern
    sources: dict[str, Path]

    @classmethod
    def load(cls, data_dir: str | Path | None = None) -> AmountTables:
        counter_rows = read_table("counters.tsv", data_dir)
        counters = {r["counter"].lower(): r["unit"] for r in counter_rows}
        currencies = read_table("currencies.tsv", data_dir)
        after = {r["surface"].lower(): r["unit"] for r in currencies if r["position"] == "after"}
        before = {r["surface"].lower(): r["unit"] for r in currencies if r["position"] == "before"}
        exceptions: dict[str, list[str]] = {}
        for r in read_table("counter_exceptions.tsv", data_dir):
            exceptions.setdefault(r["unit"], []).append(r["next_word"])
        quals = read_table("qualifiers.tsv", data_dir)
        q_before = {r["word"]: r["qualifier"] for r in quals if r["position"] == "before"}
        q_after = {r["word"]: r["qualifier"] for r in quals if r["position"] == "after"}
        q_infix = {r["word"]: r["qualifier"] for r in quals if r["position"] == "infix"}
        particles = [r["particle"] for r in read_table("particles.tsv", data_dir)
                     if r["function"] in _BEFORE_MORE_THAN]
        native_counters = [r["counter"].lower() for r in counter_rows if r["native_ok"] == "yes"]
        rules = (
            AmountRule("amount.number_unit", re.compile(
                rf"(?P<num>{_NUMEXPR})(?:(?P<infix>{_alt(q_infix)})(?P<tail>[만억조]*))?\s*"
                rf"(?P<unit>{_alt(counters)}|{_alt(after)})", re.I), _number_unit),
            AmountRule("money.currency_number", re.compile(
                rf"(?P<cur>{_alt(before)})\s*(?P<num>{_ARABIC})(?:\s*(?P<scale>{_alt(_SCALES)}|[만억조]|천만|백만))?",
                re.I), _currency_number),
            AmountRule("quantity.native_counter", re.compile(
                rf"(?P<num>{native_numeral_pattern()})\s+(?P<unit>{_alt(native_counters)})"), _native_counter),
        )
        # a suffix word after a particle is only one of "more than" (50만 명을 넘어섰다)
        more_than = [w for w in q_after if w.startswith("넘")]
        rx_q_after = re.compile(rf"^(?:\s*(?P<q>{_alt([w for w in q_after if w not in more_than])})"
                                rf"|(?:{_alt(particles)})?\s*(?P<q2>{_alt(more_than)}))")
        return cls(
            counters=counters,
            exceptions={u: re.compile(rf"\s*(?:{'|'.join(ws)})") for u, ws in exceptions.items()},
            after=after, before=before, q_before=q_before, q_after=q_after, q_infix=q_infix, rules=rules,
            rx_q_before=re.compile(rf"(?:^|\s)(?P<q>{_alt(q_before)})\s*$"),
            rx_q_after=rx_q_after,
            sources={name: Path(data_dir or DATA_DIR) / name for name in FILES},
        )


def _qualifier(t: AmountTables, text: str, start: int, end: int, infix: str | None) -> str:
    m = t.rx_q_after.match(text[end:end + SETTINGS.amount_qualifier_after])
    if m:
        return t.q_after[m.group("q") or m.group("q2")]
    if infix:
        return t.q_infix[infix]
    m = t.rx_q_before.search(text[max(0, start - SETTINGS.amount_qualifier_before):start])
    if m:
        return t.q_before[m.group("q")]
    return schema.EXACT


def _valid_edges(text: str, start: int, end: int, bounds: TokenIndex | None) -> bool:
    before = text[start - 1] if start else " "
    if before.isalnum() or before in "-.:/#":
        return False  # inside a word, a name (포스코1%), a phone or model number
    after = text[end:end + 1]
    if after.isdigit() or after in ("째", "차", "-", ":"):
        return False
    return bounds is None or end in bounds.ends  # 3원칙, 1개월: the counter only starts a longer word


def find_amounts(tables: AmountTables, text: str, bounds: TokenIndex | None = None,
                 skip: Iterable[tuple[int, int]] = ()) -> list[Amount]:
    """MONEY and QUANTITY spans in ``text``; ``skip`` lists ranges (dates) they may not touch."""
    skip = list(skip)
    found: list[Amount] = []
    for rule in tables.rules:
        for m in rule.pattern.finditer(text):
            if not _valid_edges(text, m.start(), m.end(), bounds):
                continue
            resolved = rule.resolve(m, tables)
            if resolved is None:
                continue
            kind, value, unit, infix = resolved
            qualifier = _qualifier(tables, text, m.start(), m.end(), infix)
            found.append(Amount(m.start(), m.end(), kind, value, unit, qualifier, rule.name))
    found = [a for a in found if not any(a.start < e and s < a.end for s, e in skip)
             and (bounds is None or bounds.same_sentence(a.start, a.end))]
    return filter_overlaps(found)


def labels() -> tuple[str, ...]:
    """The registered labels of the :data:`TABLE` table (MONEY, QUANTITY): the span groups written."""
    return tuple(label.name for label in schema.span_tables()[TABLE])


@Language.factory("csr_amounts", default_config={"data_dir": None})
def make_amounts(nlp: Language, name: str, data_dir: str | None) -> AmountRecognizer:
    return AmountRecognizer(nlp, name, data_dir=data_dir)


class AmountRecognizer(TableComponent[AmountTables]):
    """spaCy component: ``doc.spans["MONEY"]`` and ``doc.spans["QUANTITY"]``."""

    tables_type = AmountTables

    def __call__(self, doc: Doc) -> Doc:
        bounds = token_index(doc)
        dates = [(s.start_char, s.end_char) for s in doc.spans.get("DATE", [])]
        amounts = find_amounts(self.tables, doc_text(doc), bounds, dates)
        for kind in labels():
            doc = set_spans(doc, kind, [
                (a.start, a.end, {"value": a.value, "unit": a.unit, "qualifier": a.qualifier, "rule": a.rule})
                for a in amounts if a.kind == kind
            ])
        return doc
