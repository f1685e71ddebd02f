"""EVENT: a dated statement of what an organisation did, does or plans (docs/annotation.md, EVENT).

For each sentence with a DATE other than a bare duration: the anchor date (a range ``A부터 B까지``
/ ``A~B`` gives ``date_start``/``date_end``; a start plus a duration ends one unit of the start's
precision before start + duration), the organisations (with the dropped-subject carry-over),
the amounts, a category from ``data/event_categories.tsv`` and the evidence sentence.
A sentence gives at most one event, anchored by its first date that is neither a bare duration
nor a comparison year (``지난해보다``, ``2019년 대비``); a reporting date (``…했다고 8일 밝혔다``,
a ``say`` verb of ``data/reporting_verbs.tsv``) anchors only a sentence with no other date. Date
values are read and computed with :mod:`pipeline.timex`.

:func:`link_events` is a pure function of an annotated Doc and an :class:`EventTables`; the
``csr_events`` component (last in the pipeline) runs it and writes ``doc._.events``.
"""
from __future__ import annotations

import calendar
import datetime as _dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from . import schema
from .component import TableComponent
from .lexicon import DATA_DIR, read_table
from .numbers import format_number
from .settings import SETTINGS
from .spans import doc_text, token_index
from .timex import Timex, try_parse

if not Doc.has_extension("events"):
    Doc.set_extension("events", default=None)

FILES = ("event_categories.tsv", "actor_words.tsv", "affiliate_words.tsv", "particles.tsv", "reporting_verbs.tsv")
_RANGE_JOIN = re.compile(r"^\s*(?:부터|에서|이래|[~∼〜\-–])\s*$")
_FROM_THEN_DURATION = re.compile(r"^\s*부터\s*$")
_CITED = re.compile(r"에\s*따르면")
_NON_CONTENT = re.compile(r"[\s.,!?·…\"'()\[\]-]")
_BYLINE_BEFORE = re.compile(r"[가-힣]=\s*$")  # 서울=연합뉴스 (but not 기자 = 하나금융그룹은)
_BYLINE_AFTER = re.compile(r"^\s*[가-힣]{2,4}\s*(?:기자|특파원)")
_COMPARISON_AFTER = re.compile(r"^\s*(?:보다|대비|에\s*비해|와\s*비교|과\s*비교)")


@dataclass
class Event:
    event_id: int
    sentence_id: int
    date_text: str
    date_value: str
    date_start: str | None
    date_end: str | None
    orgs: list[str]
    amounts: list[str]
    category: str
    sentence: str


def _alt(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@dataclass(frozen=True)
class EventTables:
    """The tables of one ``csr_events`` component, compiled."""

    categories: list[tuple[str, re.Pattern]]  # (category, cue), first match wins
    subject: re.Pattern  # an acting organisation's particle (카카오는, 단체에서는)
    staff: re.Pattern  # the organisation's staff acting for it (롯데케미칼 임직원 300여 명은)
    anaphor: re.Pattern  # a sentence opening with an anaphor as its subject (회사는 …)
    anaphors: dict[str, str]  # anaphor → the kind of organisation it refers to
    report_after: re.Pattern  # a few words and a verb of saying after a date (8일 밝혔다)
    sources: dict[str, Path]

    @classmethod
    def load(cls, data_dir: str | Path | None = None) -> EventTables:
        rows = read_table("actor_words.tsv", data_dir)
        staff = _alt(r["word"] for r in rows if r["role"] == "staff")
        affiliates = _alt(r["word"] for r in read_table("affiliate_words.tsv", data_dir))
        acting = _alt(r["particle"] for r in read_table("particles.tsv", data_dir) if r["actor"] == "yes")
        say = _alt(r["stem"] for r in read_table("reporting_verbs.tsv", data_dir) if r["kind"] == "say")
        return cls(
            categories=[(r["category"], re.compile(r["cue"])) for r in read_table("event_categories.tsv", data_dir)],
            subject=re.compile(rf"^(?:{acting})(?![가-힣])"),
            staff=re.compile(rf"^\s*(?:등\s+)?(?:(?:{affiliates})\s+)?(?:{staff})(?:\s*[\d,.]+[만천]?\s*여?\s*명)?"
                             rf"(?:들)?(?:{acting})(?![가-힣])"),
            anaphor=re.compile(rf"^\s*(?:이\s+|이번에\s+|한편\s+|또한\s+|특히\s+)?([가-힣]+?)(?:{acting})\s"),
            anaphors={r["word"]: r["kind"] for r in rows if r["role"] == "anaphor"},
            report_after=re.compile(rf"^\s+(?:[가-힣]+\s+){{0,3}}?(?:{say})"),
            sources={name: Path(data_dir or DATA_DIR) / name for name in FILES},
        )


def categorize(tables: EventTables, text: str, mentions_product: bool = False) -> str:
    """The category of an event sentence: the first matching cue in ``event_categories.tsv``;
    else ``service`` when it is about a product or app (``카카오톡은 …``), else
    :data:`~pipeline.schema.OTHER_CATEGORY`.
    Organisation names should be masked out first (사회복지공동모금회 is no fundraising cue)."""
    text = text.lower()
    for category, rx in tables.categories:
        if rx.search(text):
            return category
    return "service" if mentions_product else schema.OTHER_CATEGORY


# ---------------------------------------------------------------------------------------------
# Date arithmetic on normalised values


def _is_duration(value: str) -> bool:
    t = try_parse(value)
    return t is not None and t.is_duration


def end_after_duration(start: str, duration: str) -> str | None:
    """``2020-09-22`` + ``P1M`` → ``2020-10-21``; ``2023-05`` + ``P2Y`` → ``2025-04``; None if unknown
    (a start that is not a known year, month or day, a duration that is not a whole number of units)."""
    s, dur = try_parse(start), try_parse(duration)
    if s is None or s.grain not in ("year", "month", "day") or not s.is_resolved or s.year is None \
            or dur is None or not dur.is_duration or not isinstance(dur.count, int):
        return None
    n, unit = dur.count, dur.unit
    y, mo, d = s.year, s.month, s.day
    if unit in ("W", "D"):
        days = n * 7 if unit == "W" else n
        first = _dt.date(y, mo or 1, d or 1)
        return (first + _dt.timedelta(days=days - 1)).isoformat()
    months = n * 12 if unit == "Y" else n
    if d is not None and mo is not None:
        idx = y * 12 + mo - 1 + months
        ny, nm = idx // 12, idx % 12 + 1
        nd = min(d, calendar.monthrange(ny, nm)[1])
        return (_dt.date(ny, nm, nd) - _dt.timedelta(days=1)).isoformat()
    if mo is not None:
        idx = y * 12 + mo - 1 + months - 1
        return Timex("month", idx // 12, idx % 12 + 1).format()
    if unit == "Y":
        return Timex("year", y + n - 1).format()
    idx = y * 12 + months - 1
    return Timex("month", idx // 12, idx % 12 + 1).format()


# ---------------------------------------------------------------------------------------------
# Linking


@dataclass
class Mention:
    """A span as plain data (reading ``Span._`` attributes repeatedly is slow)."""

    label: str
    start: int
    end: int
    value: Any = None  # DATE: the value string; MONEY, QUANTITY: a Decimal
    name: str = ""
    kind: str = ""
    unit: str = ""


def mentions(doc: Doc) -> list[Mention]:
    out = []
    for label in (*schema.LABELS, "PRODUCT"):
        for sp in doc.spans.get(label, []):
            ext = sp._
            out.append(Mention(label, sp.start_char, sp.end_char, ext.value, ext.name or "", ext.kind or "", ext.unit or ""))
    return out


def _is_byline(text: str, org: Mention) -> bool:
    before = text[max(0, org.start - SETTINGS.byline_before):org.start]
    after = text[org.end:org.end + SETTINGS.byline_after]
    return bool(_BYLINE_BEFORE.search(before) or _BYLINE_AFTER.match(after))


def _is_subject(t: EventTables, text: str, org: Mention) -> bool:
    """The ORG acts: a subject/topic particle on it, or on its staff (롯데케미칼 임직원 300여 명은)."""
    after = text[org.end:org.end + SETTINGS.subject_after]
    return bool(t.subject.match(after) or t.staff.match(after))


def _anaphor_kind(t: EventTables, sentence: str) -> str | None:
    """``회사는 …`` refers back to the latest acting company: the kind of organisation it names."""
    m = t.anaphor.match(sentence)
    return t.anaphors.get(m.group(1)) if m else None


def _amount_item(m: Mention) -> str:
    return f"{format_number(m.value)} {m.unit}"


def _anchor(t: EventTables, text: str, dates: list[Mention]) -> tuple[Mention, Mention | None, str | None, str | None] | None:
    """The sentence's anchor: (first date, last span of its range or duration, date_start, date_end)."""
    points = [d for d in dates if not _is_duration(d.value)
              and not _COMPARISON_AFTER.match(text[d.end:d.end + SETTINGS.comparison_after])]
    non_report = [d for d in points if not t.report_after.match(text[d.end:d.end + SETTINGS.reporting_verb_after])]
    points = non_report or points
    if not points:
        return None
    a = points[0]
    if len(points) > 1:
        b = points[1]
        between = text[a.end:b.start]
        after_b = text[b.end:b.end + SETTINGS.range_end_after]
        if _RANGE_JOIN.match(between) and ("부터" not in between or after_b.startswith("까지")) \
                and ("에서" not in between or after_b.startswith("까지")):
            return a, b, a.value, b.value
    for d in dates:  # a start plus a duration: 2020년 9월 22일부터 1개월 동안
        if d.start > a.end and _is_duration(d.value) and _FROM_THEN_DURATION.match(text[a.end:d.start]):
            return a, d, a.value, end_after_duration(a.value, d.value)
    return a, None, None, None


def _category(t: EventTables, text: str, start: int, end: int, orgs: list[Mention], products: list[Mention]) -> str:
    """:func:`categorize` for ``text[start:end]`` with the sentence's ORG names masked."""
    return categorize(t, _without(text, start, end, orgs, " "), bool(products))


def _without(text: str, start: int, end: int, spans: list[Mention], fill: str) -> str:
    """``text[start:end]`` with the characters of ``spans`` replaced by ``fill`` (linear time)."""
    parts, pos = [], start
    for m in sorted(spans, key=lambda m: m.start):
        if m.start >= pos:
            parts.append(text[pos:m.start])
            parts.append(fill * (m.end - m.start) if fill else "")
            pos = m.end
    parts.append(text[pos:end])
    return "".join(parts)


def sentence_category(doc: Doc, start: int, end: int, tables: EventTables | None = None) -> str:
    """The category of ``doc.text[start:end]`` as an event would get it (with the default
    pipeline's tables unless ``tables`` is given)."""
    ms = [m for m in mentions(doc) if start <= m.start < end]
    return _category(tables or _default_tables(), doc_text(doc), start, end,
                     [m for m in ms if m.label == "ORG"], [m for m in ms if m.label == "PRODUCT"])


def _default_tables() -> EventTables:
    from .nlp import get_nlp

    component = get_nlp().get_pipe("csr_events")
    assert isinstance(component, EventLinker)
    return component.tables


def link_events(doc: Doc, tables: EventTables | None = None) -> list[Event]:
    """Events of one annotated Doc, in text order (with the default pipeline's tables unless
    ``tables`` is given)."""
    t = tables or _default_tables()
    amount_labels = {name for name, label in schema.LABELS.items() if label.table == "amounts"}
    text = doc_text(doc)
    index = token_index(doc)
    n_sents = len(index.sent_starts)
    by_sent: list[list[Mention]] = [[] for _ in range(n_sents)]
    for m in mentions(doc):
        by_sent[index.sentence_of(m.start)].append(m)
    events: list[Event] = []
    actor: str | None = None
    actor_by_kind: dict[str, str] = {}
    for i in range(n_sents):
        lo, hi = index.sentence_bounds(i, len(text))
        sentence = text[lo:hi].strip()
        ms = sorted(by_sent[i], key=lambda m: m.start)
        orgs = [m for m in ms if m.label == "ORG" and not _is_byline(text, m)]
        subjects = [o for o in orgs if _is_subject(t, text, o)]
        anaphor = _anaphor_kind(t, sentence)
        if not subjects and anaphor and anaphor in actor_by_kind:
            actor = actor_by_kind[anaphor]
        dates = [m for m in ms if m.label == "DATE"]
        anchor = _anchor(t, text, dates) if dates else None
        has_content = bool(_NON_CONTENT.sub("", _without(text, lo, hi, dates, "")))
        if anchor and has_content and not _CITED.search(sentence):
            a, g, start, end = anchor
            names = [o.name for o in orgs]
            if not subjects and actor and actor not in names:
                names.append(actor)
            events.append(Event(
                event_id=len(events) + 1,
                sentence_id=i + 1,
                date_text=text[a.start:(g or a).end],
                date_value=a.value,
                date_start=start,
                date_end=end,
                orgs=sorted(set(names)),
                amounts=[_amount_item(m) for m in ms if m.label in amount_labels],
                category=_category(t, text, lo, hi, orgs, [m for m in ms if m.label == "PRODUCT"]),
                sentence=sentence,
            ))
        if subjects:
            actor = subjects[0].name
            actor_by_kind[subjects[0].kind] = actor
    return events


@Language.factory("csr_events", default_config={"data_dir": None})
def make_events(nlp: Language, name: str, data_dir: str | None) -> EventLinker:
    return EventLinker(nlp, name, data_dir=data_dir)


class EventLinker(TableComponent[EventTables]):
    """spaCy component (last in the pipeline): ``doc._.events``, the Doc's :class:`Event` list."""

    tables_type = EventTables

    def __call__(self, doc: Doc) -> Doc:
        doc._.events = link_events(doc, self.tables)
        return doc
