"""MONEY and QUANTITY: numbers with a currency or a counter, their value, unit and qualifier.

``약 53.9억 원`` → span ``53.9억 원``, 5390000000 KRW, ``approx``; ``120여 개`` → 120 개 approx;
``100만 명 이상`` → 1000000 명 at_least; ``세 곳`` → 3 곳; ``100시간`` → 100 시간 (an open counter:
any bound noun Kiwi tags ``NNB`` after a number, unless ``data/non_counters.tsv`` lists it);
``15만~73만 원`` → two spans, ``15만`` and ``73만 원``, both KRW. Counters (with the normalised
unit of each written form), currencies, qualifier words and the bound nouns that are no counters
live in ``data/counters.tsv``, ``data/currencies.tsv``, ``data/qualifiers.tsv`` and
``data/non_counters.tsv``. Each rule is one :class:`AmountRule` value (name, pattern, resolution);
:func:`find_amounts` is a pure function of the text, its tokens and an :class:`AmountTables`, and
:class:`AmountRecognizer` the spaCy component (``csr_amounts``) that owns the tables.
"""

from __future__ import annotations

import re
import sys
from bisect import bisect_left
from collections.abc import Callable, Container, Iterable
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from . import schema
from .component import TableComponent, filter_overlaps
from .lexicon import DATA_DIR, read_table
from .numbers import (
    CLOSE_QUOTES,
    NUMERALS,
    add,
    in_quoted_title,
    multiply,
    native_numeral_pattern,
    parse_native,
    parse_number,
)
from .numbers import SCALES as _SCALES
from .settings import SETTINGS
from .spans import TokenIndex, doc_text, set_spans, token_index


def _atomic(body: str) -> str:
    """An atomic group: ``(?>…)`` from Python 3.11; before, the same through a look-ahead (atomic in
    ``re``) captured and matched again (Python 3.10 has no ``(?>``)."""
    return f"(?>{body})" if sys.version_info >= (3, 11) else f"(?=(?P<_atom>{body}))(?P=_atom)"


_ARABIC = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_DIGITS = "일이삼사오육칠팔구"  # Sino-Korean digits: 이천, 오천억, 이만칠천
_SINO = _DIGITS + "십백천만억조"
# a numeral: Arabic digits, 십/백/천/만, or a Sino digit before a unit (오천억, 이만) first, then
# more digits and group units; a space may separate groups (1조 2천억). A Sino digit never follows
# an Arabic one: the 일 of `12일` is the day, not a numeral (12일 5억 원 is a date, then 5억 원).
# Atomic, and never starting inside a number or a word (항만 12곳 is no 만): linear time even on a
# run of 100,000 digits. `만점` (full marks: 4.5 만점, 100점 만점에) is a word, never ten thousand points.
# A digit may also follow a Hangul word when Kiwi reads that word as a determiner glued to the number
# (총160가구, 약300명, 각100만원씩) or a prefix qualifier (최대50만원): `_valid_edges` decides.
_NUMEXPR = r"(?:(?<![\w.,])|(?<=[가-힣])(?=\d))" + _atomic(
    rf"(?:{_ARABIC}|[십백천]|만(?!점)|[{_DIGITS}](?=[십백천만억조])|일(?=\s[만억조]))"
    rf"(?:{_ARABIC}|[십백천만억조]|(?<!\d)[{_DIGITS}]"
    rf"|\s(?!만점)(?=(?:{_ARABIC}|[{_SINO}])*[만억조천백])|(?<=[만억조])\s(?=\d))*"
)
_NUMBER = re.compile(_NUMEXPR)
_GROUP_UNIT = re.compile(r"(?<=\d)[십백천만억조]+$")  # 73만, 3천만: the units a bare first end borrows
# the first end of a range, right before the second end's span: `15만~` in 15만~73만 원
# (10에서 20달러, 1억에서 2억 원 사이: 에서 right after the first number joins one too)
_RANGE_START = re.compile(rf"(?P<num>{_NUMEXPR})\s*(?:[~∼〜～]|(?P<dash>[\-–])|(?<=[\d만억조천])에서\s)\s*$")
# a dash joins a range's two ends after a group unit (500만-600만원) or a short number standing alone
# before an end with a unit (10-20달러, 30-40명), never a phone or model number (1588-1234, 010-1234-5678)
_ORDINAL_PREFIX = re.compile(r"(?<![가-힣])제\s$")
# a dash with a space on both sides joins them too (1200 - 1500엔, 3 - 5만 원)
_RANGE_DASH = re.compile(r"(?:\d[만억조천]|(?<![\w\-–.,:/#])\d{1,4})(?:[\-–]| [\-–])$")
# particles between an amount and a verb qualifier (50만 명을 넘어섰다, 1조 원에 육박): their
# functions in particles.tsv
_BEFORE_VERB = ("object", "subject", "additive", "locative")
_NNB = "NNB"  # Kiwi's tag for a bound noun: the open counters (시간, 평, 실, 기, 가지 …)

FILES = (
    "counters.tsv",
    "currencies.tsv",
    "counter_exceptions.tsv",
    "qualifiers.tsv",
    "particles.tsv",
    "non_counters.tsv",
    "money_words.tsv",
    "amount_lists.tsv",
)
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


@dataclass(frozen=True)
class Reading:
    """What a rule makes of a match: the kind, value and unit, the infix qualifier word (``여``),
    and where the span ends when not at the match's end (an open counter ends with its token)."""

    kind: str
    value: Decimal
    unit: str
    infix: str | None = None
    end: int | None = None


# A rule's resolution: (match, tables, the text's tokens or None) → a Reading, or None
Resolution = Callable[[re.Match, "AmountTables", "TokenIndex | None"], "Reading | None"]


@dataclass(frozen=True)
class AmountRule:
    """One way to write an amount: its name (``span._.rule``), pattern and resolution."""

    name: str
    pattern: re.Pattern
    resolve: Resolution


def _alt(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _value(m: re.Match) -> Decimal | None:
    """The number of a match: ``num``, and the group units after an infix ``여`` (2억5천여만)."""
    groups = m.groupdict()
    return parse_number(m.group("num").rstrip() + (groups.get("tail") or ""))


def _excepted(t: AmountTables, unit: str, text: str, end: int, value: Decimal | None = None) -> bool:
    """``20대 여성`` (an age bracket), ``10대 원칙`` (the ten principles), ``만원 버스`` (a full bus);
    any unit before ``당`` (``1가구당``: a rate's denominator; counter_exceptions.tsv unit ``*``); a
    count of one as a price's unit (``한 가구에 최대 50만 원``, ``연탄 한 장 가격``: unit ``1``)."""
    return any(
        exception is not None and exception.match(text, end) is not None
        for exception in (t.exceptions.get(unit), t.exceptions.get("*"), t.exceptions.get("1") if value == 1 else None)
    )


def _one_word(m: re.Match, bounds: TokenIndex | None) -> bool:
    """Whether a numeral written in Hangul and the counter after it are one word to Kiwi (``삼천포``,
    ``천장``): a name or a noun, no count. A numeral with digits is always its own token."""
    if bounds is None or any(c.isdigit() for c in m.group("num")):
        return False
    i = bounds.token_at(m.start())
    return i is not None and bounds.end_list[i] >= m.end()


def _number_unit(m: re.Match, t: AmountTables, bounds: TokenIndex | None) -> Reading | None:
    """``53.9억 원``, ``120여 개``, ``100㎾``: a number, then a currency word or a listed counter."""
    value = _value(m)
    key = m.group("unit").lower()
    if value is None:
        return None
    if key in t.counters:
        if key in t.bound_only and bounds is not None and bounds.tag_at.get(m.start("unit")) != _NNB:
            return None  # 4대 제철소: Kiwi's noun 大 (major), no counter
        unit, kind = t.counters[key], "QUANTITY"
        head, _, second = key.partition(" ")
        if second and head in t.counters and bounds is not None and bounds.tag_at.get(m.end("unit"), "")[:2] == "NN":
            # 15개 동주민센터: the counter's second word begins a longer word (a neighbourhood's office), so
            # the first word counts alone
            return Reading(kind, value, t.counters[head], m.group("infix"), m.start("unit") + len(head))
        if _one_word(m, bounds):
            return None  # 삼천포 (a place), 천장 (a ceiling): Kiwi reads a Hangul numeral and counter as one word
    else:
        (unit, scale), kind = t.after[key], "MONEY"
        value = multiply(value, scale)
    if _excepted(t, unit, m.string, m.end(), value):
        return None
    return Reading(kind, value, unit, m.group("infix"))


def _dollar_cent(m: re.Match, t: AmountTables, bounds: TokenIndex | None) -> Reading | None:
    """``2달러 23센트``: dollars and cents, one amount of 2.23 USD."""
    dollars, cents = parse_number(m.group("num")), parse_number(m.group("cent"))
    if dollars is None or cents is None:
        return None
    unit, scale = t.after[m.group("cent_unit").lower()]
    return Reading("MONEY", add(dollars, multiply(cents, scale)), unit)


def _currency_number(m: re.Match, t: AmountTables, bounds: TokenIndex | None) -> Reading | None:
    """``$1.5 million``, ``US$ 300만``: a currency symbol, then a number and maybe a scale."""
    value = parse_number(m.group("num"))
    if value is None:
        return None
    scale = (m.group("scale") or m.groupdict().get("rscale") or "").lower()
    if scale in _SCALES:
        value = multiply(value, _SCALES[scale])
    elif scale:
        value = parse_number(m.group("num") + scale)
        if value is None:
            return None
    return Reading("MONEY", value, t.before[m.group("cur").lower()])


_CURRENCY_RANGE_BEFORE = re.compile(rf"(?P<cur>\S+?)\s*(?:{_ARABIC})\s*[~∼〜～]\s*$")


def _scaled_range_end(m: re.Match, t: AmountTables, bounds: TokenIndex | None) -> Reading | None:
    """``5 million`` in ``$3~5 million``: a second end with a scale and no currency of its own takes
    the currency written before the first end."""
    before = _CURRENCY_RANGE_BEFORE.search(m.string, max(0, m.start() - 30), m.start())
    value = parse_number(m.group("num"))
    if before is None or value is None:
        return None
    cur = next((c for c in sorted(t.before, key=len, reverse=True) if before.group("cur").lower().endswith(c)), None)
    if cur is None:
        return None
    return Reading("MONEY", multiply(value, _SCALES[m.group("scale").lower()]), t.before[cur])


def _one_currency(m: re.Match, t: AmountTables, bounds: TokenIndex | None) -> Reading | None:
    """``일 달러``, ``일 원도``: the Sino numeral one written alone before a currency word."""
    unit, scale = t.after[m.group("unit").lower()]
    return Reading("MONEY", multiply(Decimal(1), scale), unit)


_ZEROS = "".join(NUMERALS["zero"])  # 영, 공
_SINO_FRACTION = _ZEROS + _DIGITS  # digits after 점/쩜: 삼점오 (3.5), 일쩜영오 (1.05)


def _sino_money(m: re.Match, t: AmountTables, bounds: TokenIndex | None) -> Reading | None:
    """``팔 유로``, ``오 달러``: one Sino digit before a currency word; ``삼점오 달러``, ``일쩜오억 원``:
    a Sino numeral with a decimal part after 점/쩜 (a zero of ``numerals.tsv``: 영/공), then a currency word."""
    value = parse_number(m.group("int") or m.group("int1"))
    if value is None:
        return None
    frac = m.group("frac")
    if frac:
        digits = "".join(str(NUMERALS["zero"][c]) if c in _ZEROS else str(parse_number(c)) for c in frac)
        value = add(value, Decimal(f"0.{digits}"))
    if m.group("scale"):
        value = multiply(value, parse_number("일" + m.group("scale")) or Decimal(1))
    unit, scale = t.after[(m.group("unit") or m.group("unit1")).lower()]
    return Reading("MONEY", multiply(value, scale), unit)


def _native_counter(m: re.Match, t: AmountTables, bounds: TokenIndex | None) -> Reading | None:
    """``세 곳``, ``스무 명``: a native numeral before a counter that takes one."""
    value = parse_native(m.group("num"))
    unit = t.counters[m.group("unit").lower()]
    if value is None or _excepted(t, unit, m.string, m.end(), Decimal(value)):
        return None
    return Reading("QUANTITY", Decimal(value), unit)


def _open_counter(m: re.Match, t: AmountTables, bounds: TokenIndex | None) -> Reading | None:
    """``100시간``, ``3천 평``, ``20실``: a number, then any bound noun (Kiwi's ``NNB``) that is a
    counter: not a listed one (their rule reads them), not a date, age, time or ordinal word. The
    number has digits: a Hangul numeral before an unlisted bound noun is mostly a word (삼천리)."""
    if bounds is None or bounds.tag_at.get(m.end()) != _NNB or not any(c.isdigit() for c in m.group("num")):
        return None
    i = bounds.token_at(m.end())
    if i is None:
        return None
    end = bounds.end_list[i]
    word = m.string[m.end() : end]
    if word.lower() in t.counters or word.lower() in t.after or word in t.non_counters:
        return None
    value = _value(m)
    if value is None or _excepted(t, word, m.string, end, value):
        return None
    return Reading("QUANTITY", value, word, m.group("infix"), end)


def _bare_scaled(m: re.Match, t: AmountTables, bounds: TokenIndex | None) -> Reading | None:
    """``250억 기부금``, ``80억을 기부``, ``성금 26억 기탁``: a number with a group unit and no currency,
    beside a word that names money (money_words.tsv), is won."""
    before = t.rx_money_before.search(m.string, max(0, m.start() - 12), m.start())
    after = t.rx_money_after.match(m.string, m.end())
    cue = (before and before.group("w")) or (after and after.group("w"))
    value = _value(m)
    if not cue or value is None or _unit_follows(t, m.string, m.end(), bounds):
        return None
    return Reading("MONEY", value, t.money_words[(cue, "before" if before else "after")])


def _unit_follows(t: AmountTables, text: str, end: int, bounds: TokenIndex | None) -> bool:
    """Whether a bound noun Kiwi reads as a unit nobody listed follows a bare amount (``장학금 1억 동``:
    Vietnamese dong, a currency left out), so the amount is not won; a list's ``등`` is no unit."""
    if bounds is None:
        return False
    after = len(text[end:]) - len(text[end:].lstrip(" "))
    i = bounds.token_at(end + after)
    return (
        i is not None
        and bounds.start_list[i] == end + after
        and bounds.tags[i] == _NNB
        and text[bounds.start_list[i] : bounds.end_list[i]] not in t.list_separators
    )


@dataclass(frozen=True)
class AmountTables:
    """The tables of one ``csr_amounts`` component, compiled."""

    counters: dict[str, str]  # counter (lower-cased) → unit
    bound_only: frozenset[str]  # counters that count only as Kiwi's bound nouns (대: not the 大 of 4대 제철소)
    exceptions: dict[str, re.Pattern]  # unit → words after it that make it no amount
    after: dict[str, tuple[str, Decimal]]  # currency word after a number → (unit, its worth in that unit)
    before: dict[str, str]  # currency symbol before a number → unit
    non_counters: frozenset[str]  # bound nouns after a number that are no counter (년, 세, 차 …)
    q_before: dict[str, str]  # qualifier word → qualifier, by position
    q_after: dict[str, str]
    q_infix: dict[str, str]
    q_attached: dict[str, str]  # a suffix written onto the amount (270억원대의): its qualifier
    rules: tuple[AmountRule, ...]
    rx_q_before: re.Pattern
    rx_q_after: re.Pattern
    rx_q_attached: re.Pattern
    money_words: dict[tuple[str, str], str]  # (word naming money, before/after) → the unit of a bare amount
    rx_money_before: re.Pattern
    rx_money_after: re.Pattern
    rx_number: re.Pattern  # a number, maybe with an infix qualifier (2억여): a list's bare items
    list_separators: frozenset[str]  # marks between two items of a list of amounts (amount_lists.tsv)
    rx_list_link: re.Pattern  # what may stand between two items of one list (2억 ▲주거 개선 1억; 1억 등 총 4억 원)
    before_width: int  # how far before an amount its prefix qualifier may start (with a word between)
    sources: dict[str, Path]

    @classmethod
    def load(cls, data_dir: str | Path | None = None) -> AmountTables:
        counter_rows = read_table("counters.tsv", data_dir)
        counters = {r["counter"].lower(): r["unit"] for r in counter_rows}
        bound_only = frozenset(r["counter"].lower() for r in counter_rows if r["bound_only"] == "yes")
        currencies = read_table("currencies.tsv", data_dir)
        after = {r["surface"].lower(): (r["unit"], Decimal(r["scale"])) for r in currencies if r["position"] == "after"}
        before = {r["surface"].lower(): r["unit"] for r in currencies if r["position"] == "before"}
        exceptions: dict[str, list[str]] = {}
        for r in read_table("counter_exceptions.tsv", data_dir):
            exceptions.setdefault(r["unit"], []).append(r["next_word"])
        quals = read_table("qualifiers.tsv", data_dir)
        q_before = {r["word"]: r["qualifier"] for r in quals if r["position"] == "before"}
        q_after = {r["word"]: r["qualifier"] for r in quals if r["position"] == "after"}
        q_infix = {r["word"]: r["qualifier"] for r in quals if r["position"] == "infix"}
        q_attached = {r["word"]: r["qualifier"] for r in quals if r["position"] == "attached"}
        between = [r["word"] for r in quals if r["position"] == "between"]
        particles = [r["particle"] for r in read_table("particles.tsv", data_dir) if r["function"] in _BEFORE_VERB]
        native_counters = [r["counter"].lower() for r in counter_rows if r["native_ok"] == "yes"]
        cents = [w for w, (_, scale) in after.items() if scale < 1]
        sino_digit_words = [
            r["surface"].lower()
            for r in currencies
            if r["position"] == "after" and r["sino_digit"] == "yes" and re.match("[가-힣]", r["surface"])
        ]
        dollars = [w for w, (unit, scale) in after.items() if scale == 1 and unit in {after[c][0] for c in cents}]
        number = rf"(?P<num>{_NUMEXPR})(?:(?P<infix>{_alt(q_infix)})(?P<tail>[만억조]*))?"
        rules = (
            AmountRule(
                "money.dollar_cent",
                re.compile(
                    rf"(?P<num>{_ARABIC}|(?<![\w.,])[{_SINO}]+)\s*(?:{_alt(dollars)})\s*"
                    rf"(?P<cent>\d{{1,2}}|(?:[{_DIGITS[1:]}]?십)?[{_DIGITS}]?(?<=[{_SINO}]))\s*(?P<cent_unit>{_alt(cents)})",
                    re.I,
                ),
                _dollar_cent,
            ),
            AmountRule(
                "amount.number_unit",
                # one alternation, longest first: 대만달러 is a currency, not the counter 대
                re.compile(rf"{number}\s*(?P<unit>{_alt([*counters, *after])})", re.I),
                _number_unit,
            ),
            AmountRule(
                "money.currency_number",
                re.compile(
                    rf"(?P<cur>{_alt(before)})\s*(?P<num>{_ARABIC})(?:\s*(?P<scale>{_alt(_SCALES)}|[만억조]|천만|백만))?"
                    # $3~5 million: the first end borrows the scale written after the second
                    rf"(?:(?=\s*[~∼〜～]\s*(?:{_ARABIC})\s*(?P<rscale>{_alt(_SCALES)})))?",
                    re.I,
                ),
                _currency_number,
            ),
            AmountRule(
                "money.scaled_range_end",
                re.compile(
                    rf"(?:(?<=[~∼〜～])|(?<=[~∼〜～]\s))(?P<num>{_ARABIC})\s*(?P<scale>{_alt(_SCALES)})(?![A-Za-z])",
                    re.I,
                ),
                _scaled_range_end,
            ),
            AmountRule(
                "money.one",
                # never the 일 of a day (1일 원주, 토요일 원주): no digit or letter before it
                re.compile(rf"(?<![\w.,])일\s?(?P<unit>{_alt(w for w in after if re.match('[가-힣]', w))})"),
                _one_currency,
            ),
            AmountRule(
                "money.sino",
                # 삼점오 달러, 일쩜오억 원 (a decimal needs 점/쩜 and its digits); 팔 유로, 오 달러 (one digit:
                # only before the words currencies.tsv marks sino_digit), the currency word right after
                re.compile(
                    rf"(?<![\w.,])(?:(?P<int>[{_SINO}]+)[점쩜](?P<frac>[{_SINO_FRACTION}]+)(?P<scale>[만억조])?\s?"
                    rf"(?P<unit>{_alt(w for w in after if re.match('[가-힣]', w))})"
                    rf"|(?<![점쩜]\s)(?P<int1>[{_DIGITS[2:]}])\s?(?P<unit1>{_alt(sino_digit_words)}))"
                ),
                _sino_money,
            ),
            AmountRule(
                "quantity.native_counter",
                re.compile(rf"(?P<num>{native_numeral_pattern()})\s+(?P<unit>{_alt(native_counters)})"),
                _native_counter,
            ),
            AmountRule("quantity.open_counter", re.compile(rf"{number}\s?(?=[가-힣])"), _open_counter),
            AmountRule("money.bare_scaled", re.compile(rf"{number}(?<=[만억조])"), _bare_scaled),
        )
        # a verb qualifier may follow a particle (50만 명을 넘어섰다, 1조 원에 육박한다)
        verbs = [r["word"] for r in quals if r["position"] == "after" and r["particle"] == "yes"]
        # 어치 (worth) between the amount and its qualifier sets nothing (10억 원어치 이상)
        rx_q_after = re.compile(
            rf"^(?:어치)?(?:\s*(?P<q>{_alt([w for w in q_after if w not in verbs])})"
            rf"|(?:{_alt(particles)})?\s*(?P<q2>{_alt(verbs)}))"
        )
        money_rows = read_table("money_words.tsv", data_dir)
        money_words = {(r["word"], r["position"]): r["unit"] for r in money_rows}
        all_particles = [r["particle"] for r in read_table("particles.tsv", data_dir)]
        list_rows = read_table("amount_lists.tsv", data_dir)
        separators = [r["word"] for r in list_rows if r["role"] == "separator"]
        totals = [r["word"] for r in list_rows if r["role"] == "total"]
        return cls(
            counters=counters,
            bound_only=bound_only,
            exceptions={u: re.compile(rf"\s*(?:{'|'.join(ws)})") for u, ws in exceptions.items()},
            after=after,
            before=before,
            non_counters=frozenset(r["word"] for r in read_table("non_counters.tsv", data_dir)),
            q_before=q_before,
            q_after=q_after,
            q_infix=q_infix,
            q_attached=q_attached,
            rules=rules,
            # a word may stand between a prefix and the amount: 최대 연 1.0%포인트
            rx_q_before=re.compile(rf"(?:^|[\s(])(?P<q>{_alt(q_before)})(?:\s+(?:{_alt(between)}))?\s*$"),
            rx_q_after=rx_q_after,
            # no space before it, and its word ends: a particle, a space or a mark after it
            rx_q_attached=re.compile(rf"(?P<q>{_alt(q_attached)})(?=(?:{_alt(all_particles)})?(?![가-힣A-Za-z\d]))"),
            money_words=money_words,
            rx_money_before=re.compile(
                rf"(?<![가-힣])(?P<w>{_alt(w for w, pos in money_words if pos == 'before')})\s+$"
            ),
            # a qualifier (21억 이상 모금) or a particle (80억을 기부) may stand between
            rx_money_after=re.compile(
                rf"(?:\s*(?:{_alt(q_after)}))?(?:{_alt(all_particles)})?\s*"
                rf"(?P<w>{_alt(w for w, pos in money_words if pos == 'after')})"
            ),
            rx_number=re.compile(number),
            list_separators=frozenset(separators),
            # a separator right after the first item, then at most three short words (the next item's head)
            # and a total word: no verb, no particle (checked against Kiwi's tags), no end of a sentence
            rx_list_link=re.compile(
                rf"\s*(?:{_alt(separators)})(?:\s*[^\s\d.!?]{{1,12}}){{0,3}}?(?:\s*(?:{_alt(totals)}))?\s*$"
            ),
            before_width=SETTINGS.amount_qualifier_before + max((len(w) + 1 for w in between), default=0),
            sources={name: Path(data_dir or DATA_DIR) / name for name in FILES},
        )


_COUNTED_NOUN = re.compile(r"\s+[가-힣]{1,6}(?=\s)")  # 15개 단체 내외: the noun 개 counts, then the qualifier
_COUNTED_UNITS = frozenset({"개"})  # counters a counted noun often follows (15개 단체, 30개 기관)


def _qualifier(t: AmountTables, text: str, start: int, end: int, infix: str | None, unit: str = "") -> str:
    m = t.rx_q_after.match(text[end : end + SETTINGS.amount_qualifier_after])
    noun = _COUNTED_NOUN.match(text, end) if m is None and unit in _COUNTED_UNITS else None
    if noun is not None:
        m = t.rx_q_after.match(text[noun.end() : noun.end() + SETTINGS.amount_qualifier_after])
    if m:
        return t.q_after[m.group("q") or m.group("q2")]
    m = t.rx_q_attached.match(text, end)
    if m:
        return t.q_attached[m.group("q")]
    if infix:
        return t.q_infix[infix]
    m = t.rx_q_before.search(text[max(0, start - t.before_width) : start])
    if m:
        return t.q_before[m.group("q")]
    return schema.EXACT


_DETERMINER = "MM"  # Kiwi's tag for a determiner (총, 약, 각, 전)


def _glued_prefix(text: str, start: int, bounds: TokenIndex | None, prefixes: Container[str]) -> bool:
    """A number written onto the word before it, where Kiwi reads that word as its own token: a
    determiner (총160가구, 약300명) or a prefix qualifier (최대50만원). A name (포스코1%), a noun
    (오후3시) or a prefix (제3회) is no such word."""
    if bounds is None or start not in bounds.starts or start not in bounds.ends:
        return False
    i = bisect_left(bounds.end_list, start)
    word = text[bounds.start_list[i] : start]
    return bounds.tags[i] == _DETERMINER or word in prefixes


def _valid_edges(text: str, start: int, end: int, bounds: TokenIndex | None, prefixes: Container[str] = ()) -> bool:
    before = text[start - 1] if start else " "
    if "가" <= before <= "힣" and text[start].isdigit() and _glued_prefix(text, start, bounds, prefixes):
        before = " "
    if before.isalnum() or (before in "-.:/#" and not _RANGE_DASH.search(text, max(0, start - 6), start)):
        return False  # inside a word, a name (포스코1%), a phone or model number
    if _ORDINAL_PREFIX.search(text, max(0, start - 3), start):
        return False  # 제 7회: an ordinal, also with a space after 제
    after = text[end : end + 1]
    if after.isdigit() or after in ("째", "차", ":") or (after in "-–" and after and text[end - 1] not in "만억조천"):
        return False  # 3차, 10:30, 1588-1234; 500만-600만원 is a range
    return bounds is None or end in bounds.ends  # 3원칙, 1개월: the counter only starts a longer word


def _range_start(tables: AmountTables, text: str, a: Amount, bounds: TokenIndex | None = None) -> Amount | None:
    """The first end of a range whose second end is ``a``: ``15만`` in ``15만~73만 원``, with the
    second end's kind and unit. A bare first end takes the second's group unit (30~50만 원: 30만)."""
    m = _RANGE_START.search(text, max(0, a.start - 40), a.start)
    if m is None:
        return None
    first = m.group("num").rstrip()
    plain_dash = m.group("dash") is not None and first[-1] not in "만억조천"  # 10-20달러
    if plain_dash:
        if not _RANGE_DASH.search(text, m.start(), m.start("dash") + 1):
            return None
    elif not _valid_edges(text, m.start(), m.start() + len(first), None) and not (
        _glued_prefix(text, m.start(), bounds, tables.q_before)
    ):
        return None
    second = _NUMBER.match(text, a.start)
    group = _GROUP_UNIT.search(second.group().rstrip()) if second else None
    if group and not re.search(f"[{_SINO}]", first):
        first_value = parse_number(first + group.group())
    else:
        first_value = parse_number(first)
    if first_value is None or (plain_dash and first_value > a.value):
        return None  # 3-1명 is no range: a range written with a dash goes up
    end = m.start() + len(first)
    # a qualifier word after the range covers both ends (60만~80만 원가량); 여 only its own (2~3천여 명)
    qualifier = _qualifier(tables, text, m.start(), m.start(), None)
    after = tables.rx_q_after.match(text[a.end : a.end + SETTINGS.amount_qualifier_after])
    if qualifier == schema.EXACT and after:
        qualifier = a.qualifier
    return Amount(m.start(), end, a.kind, first_value, a.unit, qualifier, "amount.range_start")


_ELIDED_MAN = re.compile(r"억\s*[\d,.]+\s*[천백십]?$|억\s*[천백십]$")  # 1억 5천: 1억 5천만
_ELIDED_EOK = re.compile(r"조\s*[\d,.]+\s*[천백십]?$|조\s*[천백십]$")  # 2조 5천: 2조 5천억
_NOT_IN_LINK = ("V", "E", "J", "XSV", "XSA")  # a verb, an ending or a particle ends a list


def _listed_value(num: str) -> Decimal | None:
    """The value of a list's bare item: a group after 억 (조) with no 만 (억) of its own leaves it out, as
    a reader reads it (``1억 5천`` is 150000000, ``2조 5천`` is 2500000000000)."""
    num = num.rstrip()
    if _ELIDED_MAN.search(num):
        num += "만"
    elif _ELIDED_EOK.search(num):
        num += "억"
    return parse_number(num)


def _linked(tables: AmountTables, text: str, a: Amount, b: Amount, bounds: TokenIndex | None) -> bool:
    """Whether ``a`` and ``b`` are neighbouring items of one list (``2억 ▲주거 개선 1억 5천``, ``1억 등 총 4억
    원``): a separator right after ``a``, then a short noun phrase and maybe a total word before ``b``."""
    between = text[a.end : b.start]
    if "\n\n" in between or not tables.rx_list_link.match(between):
        return False
    if bounds is None:
        return True
    for i in range(bisect_left(bounds.start_list, a.end), bisect_left(bounds.start_list, b.start)):
        word = text[bounds.start_list[i] : bounds.end_list[i]]
        if word not in tables.list_separators and bounds.tags[i].startswith(_NOT_IN_LINK):
            return False
    return True


def _listed_bare(tables: AmountTables, text: str, found: list[Amount], bounds: TokenIndex | None) -> list[Amount]:
    """Bare numbers with a group unit that are items of a list whose other item or total states its
    currency: ``2억``, ``1억 5천`` in ``▲위기가정 지원 2억 ▲주거 개선 1억 5천 … 총 7억원`` are won. A list
    with no currency written, or with two, gives its bare items nothing."""
    bare: list[Amount] = []
    for m in tables.rx_number.finditer(text):
        num = m.group("num").rstrip()
        end = m.start() + len(num) if not m.group("infix") else m.end()
        whole = num if not m.group("infix") else num + (m.group("tail") or "")  # 5천여만: the scale is the tail's
        if not re.search("[만억조]", whole) or any(a.start < end and m.start() < a.end for a in found):
            continue
        if not _valid_edges(text, m.start(), end, bounds, tables.q_before):
            continue
        value = _listed_value(whole)
        if value is None:
            continue
        qualifier = _qualifier(tables, text, m.start(), end, m.group("infix"))
        bare.append(Amount(m.start(), end, "", value, "", qualifier, "money.listed"))
    if not bare:
        return []
    items = sorted([*found, *bare], key=lambda a: a.start)
    groups: list[list[Amount]] = [[items[0]]]
    for a, b in pairwise(items):
        if _linked(tables, text, a, b, bounds):
            groups[-1].append(b)
        else:
            groups.append([b])
    listed: list[Amount] = []
    for group in groups:
        units = {a.unit for a in group if a.kind == "MONEY"}
        if len(units) == 1:
            unit = units.pop()
            listed += [Amount(a.start, a.end, "MONEY", a.value, unit, a.qualifier, a.rule) for a in group if not a.kind]
    return listed


_QUOTE_ENDS = re.compile(rf"\s*[{CLOSE_QUOTES}]\s*")
_NOUN_TAGS = ("NN", "NR", "NP", "SL", "SH", "SN", "XSN", "XPN")  # a word a title could name (캠페인, 행사)


def _quoted_emphasis(text: str, a: Amount, bounds: TokenIndex | None) -> bool:
    """A quotation that ends with the amount and stands before no noun is emphasis, not a title: the
    headline's ``‘성금 44억여 원’ 모였다`` states the sum; ``'사랑의 쌀 천 포대' 캠페인`` names a campaign."""
    m = _QUOTE_ENDS.match(text, a.end)
    if m is None or bounds is None:
        return False
    if m.end() >= len(text) or "\n" in m.group() or text[m.end()] == "\n":  # the line ends after the quotation
        return True
    i = bounds.token_at(m.end())
    # a noun made of a verb (나눔: Kiwi's VV+ETN) names a title's thing too
    return i is not None and not bounds.tags[i].startswith(_NOUN_TAGS) and not bounds.tags[i].endswith("ETN")


def find_amounts(
    tables: AmountTables, text: str, bounds: TokenIndex | None = None, skip: Iterable[tuple[int, int]] = ()
) -> list[Amount]:
    """MONEY and QUANTITY spans in ``text``; ``skip`` lists ranges (dates) they may not touch."""
    skip = list(skip)
    found: list[Amount] = []
    for rule in tables.rules:
        for m in rule.pattern.finditer(text):
            reading = rule.resolve(m, tables, bounds)
            if reading is None:
                continue
            end = reading.end if reading.end is not None else m.end()
            if not _valid_edges(text, m.start(), end, bounds, tables.q_before):
                continue
            qualifier = _qualifier(tables, text, m.start(), end, reading.infix, reading.unit)
            found.append(Amount(m.start(), end, reading.kind, reading.value, reading.unit, qualifier, rule.name))
    found = filter_overlaps(found)
    found += [r for r in (_range_start(tables, text, a, bounds) for a in found) if r is not None]
    found += _listed_bare(tables, text, found, bounds)
    found = [
        a
        for a in found
        if not any(a.start < e and s < a.end for s, e in skip)
        and (bounds is None or bounds.same_sentence(a.start, a.end))
        # '한 잔에 백 원' 캠페인: a name; ‘성금 44억여 원’ 모였다: emphasis
        and (not in_quoted_title(text, a.start, a.end) or _quoted_emphasis(text, a, bounds))
    ]
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
            doc = set_spans(
                doc,
                kind,
                [
                    (a.start, a.end, {"value": a.value, "unit": a.unit, "qualifier": a.qualifier, "rule": a.rule})
                    for a in amounts
                    if a.kind == kind
                ],
            )
        return doc
