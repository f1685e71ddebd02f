"""The report page: its views assembled from the tables and texts, rendered by Jinja2 templates.

:func:`build_report` is pure (tables and texts in, one HTML string out); the templates in
``templates/`` write the markup, with autoescaping on, so no value from the CSVs or the texts is
ever markup.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache

import jinja2
import pandas as pd

from .. import schema
from ..export import COLUMNS
from . import charts
from .charts import Shape
from .money import GIVEN, NAMED, RECEIVED, ROLES, format_amount, format_krw, format_number, money_by, split_amounts
from .palette import LABEL_COLORS, LABELS, category_color
from .records import Mark, Piece, highlight, marks, non_overlapping, review_rows, sentence_regions, to_int
from .tables import TABLE_NAMES, empty_table
from .timeline import date_label, event_span

EVENTS_PER_PAGE = 100
TIMELINE_MAX_ROWS = 60
TOP_ORGS = 15


@dataclass
class Doc:
    """A row of ``documents.csv`` (number ``n`` from 1) with its records."""

    n: int
    row: dict
    marks: list[Mark] = field(default_factory=list)
    events: list[tuple[int, dict]] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"doc-{self.n}"

    def sent_href(self, sid: object) -> str:
        return f"#doc-{self.n}-s{to_int(sid, 0)}"

    @property
    def event_rows(self) -> list[tuple[int, dict, Doc]]:
        return [(i, e, self) for i, e in self.events]


@dataclass
class Sentence:
    """A sentence listed with its records (when the text cannot be highlighted)."""

    sid: int
    text: str
    marks: list[Mark]


@dataclass
class DocSection:
    doc: Doc
    page: int
    meta: list[str]
    mode: str  # "highlight", "list" (not highlighted), "plain" (no records), "note" (no text), ""
    reason: str | None = None
    pieces: list[Piece] = field(default_factory=list)
    text: str = ""
    sentences: list[Sentence] = field(default_factory=list)
    sentences_heading: str = ""
    dropped: list[Mark] = field(default_factory=list)
    timeline: Shape | None = None
    by_table: dict[str, list[Mark]] = field(default_factory=dict)


def _sentences(d: Doc, sids: list[int], evidence: Mapping[int, str]) -> list[Sentence]:
    by_sid: dict[int, list[Mark]] = defaultdict(list)
    for m in d.marks:
        by_sid[m.sid].append(m)
    return [Sentence(sid, evidence.get(sid) or "", sorted(by_sid.get(sid, []), key=lambda m: m.start)) for sid in sids]


def _mismatch(d: Doc, text: str) -> str | None:
    """Why the records cannot be placed in ``text`` (None when they can)."""
    chars = to_int(d.row.get("chars"))
    if chars is not None and chars != len(text):
        return (
            f"the text read back has {len(text)} characters, documents.csv says {chars} "
            f"(the file changed since extraction?)"
        )
    for m in d.marks:
        if not (0 <= m.start < m.end <= len(text)) or text[m.start : m.end] != m.text:
            return (
                f"the {m.table} record {m.text!r} is not at characters {m.start}–{m.end} of the text "
                f"(the file changed since extraction?)"
            )
    return None


def doc_section(d: Doc, page: int, text: str | None, why: str | None) -> DocSection:
    """One document's view: its text highlighted when its records sit where they say, else its
    records listed by sentence with the reason (``section.reason``)."""
    r = d.row
    meta = [
        x
        for x in (
            r.get("path"),
            r.get("title"),
            f"published {r.get('published')}" if r.get("published") else "",
            f"{r.get('chars')} characters" if r.get("chars") else "",
            f"{r.get('sentences')} sentences" if r.get("sentences") else "",
            f"status {r.get('status')}",
        )
        if x
    ]
    sec = DocSection(d, page, meta, "")
    evidence: dict[int, str] = {}
    for _, e in d.events:
        evidence.setdefault(to_int(e.get("sentence_id"), 0) or 0, e.get("sentence") or "")
    sids = sorted({m.sid for m in d.marks} | set(evidence))
    reason = why
    if reason is None and text is None and sids:
        reason = "the text was not read"
    if reason is None and text is not None:
        reason = _mismatch(d, text)
    if reason is None and text is not None:
        kept, sec.dropped = non_overlapping(d.marks)
        try:
            regions, unplaced = sentence_regions(text, d.marks, evidence)
        except ValueError as exc:
            reason = f"records are out of order ({exc})"
        else:
            if sids:
                sec.mode, sec.pieces = "highlight", highlight(text, kept, regions)
                sec.sentences = _sentences(d, unplaced, evidence)
                sec.sentences_heading = "Event sentences not found in the text"
            else:
                sec.mode, sec.text = "plain", text
    if reason is not None:
        sec.reason = reason
        if sids:
            sec.mode, sec.sentences = "list", _sentences(d, sids, evidence)
            sec.sentences_heading = "Sentences with records"
        elif r.get("status") != "error":
            sec.mode = "note"
    if d.events:
        sec.timeline = charts.timeline(charts.timeline_items((e for _, e in d.events), d.sent_href))
    sec.by_table = {table: [] for table in schema.span_tables()}
    for m in sorted(d.marks, key=lambda m: (m.start, m.row)):
        sec.by_table[m.table].append(m)
    return sec


def _money(
    per_sentence: pd.DataFrame,
    by_category: pd.DataFrame,
    tables: Mapping[str, pd.DataFrame],
    doc_for: Callable[[str], Doc],
) -> tuple[list[dict], int, Shape | None, Shape | None]:
    """Rows of the money table (one per organisation: KRW given as an event's actor, received as
    its counterpart, and named in sentences without roles; with the sentences behind each sum) and
    the two bar charts (KRW given or named by organisation, KRW by category)."""
    rows: list[dict] = []
    org_bars: list[tuple[str, dict[str, Decimal], str]] = []
    sentences = list(tables["events"]["sentence"])
    totals: dict[str, dict[str, Decimal]] = defaultdict(lambda: dict.fromkeys(ROLES, Decimal(0)))
    by_org: dict[str, list[dict]] = defaultdict(list)
    for rec in per_sentence.to_dict("records"):
        totals[rec["org"]][rec["role"]] += rec["krw"]
        by_org[rec["org"]].append(rec)

    def rank(kv: tuple[str, dict[str, Decimal]]) -> tuple:
        return -(kv[1][GIVEN] + kv[1][NAMED]), -kv[1][RECEIVED], kv[0]

    for k, (org, total) in enumerate(sorted(totals.items(), key=rank), start=1):
        parts: dict[str, Decimal] = defaultdict(Decimal)
        other: dict[str, Decimal] = defaultdict(Decimal)
        items = []
        for rec in by_org[org]:
            if rec["role"] != RECEIVED:
                parts[rec["category"]] += rec["krw"]
            for unit, v in rec["other"]:
                other[unit] += v
            evidence = sentences[rec["event_row"]] if rec["event_row"] >= 0 else " · ".join(rec["texts"])
            shared = f" (shared by {rec['n_orgs']} organisations)" if rec["n_orgs"] > 1 else ""
            items.append(
                {
                    "href": doc_for(rec["doc_id"]).sent_href(rec["sentence_id"]),
                    "doc_id": rec["doc_id"],
                    "sid": rec["sentence_id"],
                    "figure": format_krw(rec["krw"]) if rec["krw"] else "",
                    "category": rec["category"],
                    "evidence": evidence,
                    "role": rec["role"],
                    "shared": shared,
                }
            )
        rows.append(
            {
                "id": f"money-{k}",
                "org": org,
                **{role: format_krw(total[role]) if total[role] else "" for role in ROLES},
                "other": "; ".join(f"{format_number(v)} {u}" for u, v in other.items()),
                "items": items,
            }
        )
        bar_total = total[GIVEN] + total[NAMED]
        if len(org_bars) < TOP_ORGS and bar_total > 0:
            org_bars.append((org, {c: v for c, v in parts.items() if v}, f"#money-{k}"))
    cat_bars = [(c, {c: v}, "#money") for c, v in zip(by_category["category"], by_category["krw"], strict=True)]
    if not org_bars:
        return rows, 0, None, None
    return rows, len(org_bars), charts.bars(org_bars), charts.bars(cat_bars, label_px=140)


class Documents:
    """The rows of ``documents.csv`` as :class:`Doc`, each with its records and events. A doc_id
    listed twice gets the records on its first ``ok`` row; a doc_id only the records name gets a
    row of its own (status ``missing``, its text marked unreadable)."""

    def __init__(self, tables: Mapping[str, pd.DataFrame], unreadable: dict[str, str]):
        self.docs: list[Doc] = []
        self.first: dict[str, Doc] = {}
        self.unreadable = unreadable
        for r in tables["documents"].to_dict("records"):
            d = Doc(len(self.docs) + 1, {k: ("" if v is None else str(v)) for k, v in r.items()})
            self.docs.append(d)
            held = self.first.get(d.row["doc_id"])
            if held is None or (held.row.get("status") != "ok" and d.row.get("status") == "ok"):
                self.first[d.row["doc_id"]] = d
        for m in marks(tables):
            self.holding(m.doc_id).marks.append(m)
        self.events: list[tuple[int, dict, Doc]] = []
        for i, r in enumerate(tables["events"].to_dict("records")):
            e = {k: ("" if v is None else str(v)) for k, v in r.items()}
            d = self.holding(e["doc_id"])
            d.events.append((i, e))
            self.events.append((i, e, d))

    def holding(self, doc_id: str) -> Doc:
        """The Doc that shows the records of ``doc_id``."""
        if doc_id not in self.first:  # records of a document documents.csv does not list
            d = Doc(
                len(self.docs) + 1,
                {
                    **dict.fromkeys(COLUMNS["documents"], ""),
                    "doc_id": doc_id,
                    "status": "missing",
                    "error": "no row in documents.csv",
                },
            )
            self.docs.append(d)
            self.first[doc_id] = d
            self.unreadable.setdefault(doc_id, "documents.csv has no row for this document")
        return self.first[doc_id]

    def text_of(self, d: Doc, texts: Mapping[str, str]) -> tuple[str | None, str | None]:
        """(text, why it is missing) of the Doc, both None for a failed or duplicate row."""
        if d is not self.first.get(d.row["doc_id"]) or d.row.get("status") == "error":
            return None, None
        return texts.get(d.row["doc_id"]), self.unreadable.get(d.row["doc_id"])


def _in_date_order(events: list[tuple[int, dict, Doc]]) -> list[tuple[int, dict, Doc]]:
    """Events by start date, unresolved dates last, then by row."""

    def key(ev: tuple[int, dict, Doc]) -> tuple[int, date, int]:
        where = event_span(ev[1])
        return (0, where[0], ev[0]) if where else (1, date.max, ev[0])

    return sorted(events, key=key)


def _review(tables: Mapping[str, pd.DataFrame], run: Documents, not_highlighted: Mapping[int, str]) -> list[dict]:
    """Rows of the review view, each with the link to its sentence or document."""
    review = []
    for rec in review_rows(tables, run.unreadable).to_dict("records"):
        at = (
            run.docs[rec["row"]]
            if rec["table"] == "documents" and rec["row"] >= 0
            else run.first.get(str(rec["doc_id"]))
        )
        has_sid = rec["sentence_id"] != ""
        href = at.sent_href(rec["sentence_id"]) if (at and has_sid) else (f"#{at.anchor}" if at else "#review")
        review.append(
            {
                **rec,
                "href": href,
                "link": f"s{rec['sentence_id']}" if has_sid else "document",
                "key": f"{rec['table']}:{rec['row']}",
            }
        )
    for n, why in not_highlighted.items():
        d = run.docs[n - 1]
        if d.row["doc_id"] in run.unreadable and d is run.first.get(d.row["doc_id"]):
            continue  # listed above as "text not readable"
        review.append(
            {
                "href": f"#{d.anchor}",
                "link": "document",
                "issue": "not highlighted",
                "doc_id": d.row["doc_id"],
                "text": "",
                "detail": why,
                "key": f"documents:{n - 1}",
            }
        )
    return review


def _overview_timeline(
    ordered: list[tuple[int, dict, Doc]], events_per_page: int, with_doc: bool
) -> tuple[Shape | None, str]:
    """The overview's chart of all events (a row each, or counts per period when there are many)
    and the note under its heading."""
    items: list[charts.TimelineItem] = []
    item_page = {}
    for k, (_, e, d) in enumerate(ordered):
        got = charts.timeline_items([e], d.sent_href, prefix=f"{d.row.get('doc_id')}: " if with_doc else "")
        if got:
            item_page[len(items)] = k // events_per_page + 1
            items.extend(got)
    if len(items) <= TIMELINE_MAX_ROWS:
        chart = charts.timeline(items)
        note = "One row per event: a dot for a date, a bar for a range. Click a row for its sentence."
    else:
        chart = charts.histogram(items, item_page)
        note = (
            f"{len(items)} events by start date, stacked by category. Click a bar for the events of that "
            f"period; each document has its own timeline."
        )
    if len(ordered) > len(items):
        note += f" {len(ordered) - len(items)} events with unresolved dates are not drawn (see Review)."
    return chart, note


def _pages(items: list, per_page: int) -> list[list]:
    """``items`` cut into pages of ``per_page`` (at least one page, maybe empty)."""
    return [items[k : k + per_page] for k in range(0, len(items), per_page)] or [[]]


def build_report(
    tables: Mapping[str, pd.DataFrame],
    texts: Mapping[str, str],
    unreadable: Mapping[str, str] | None = None,
    docs_per_page: int = 50,
    title: str = "CSR extraction report",
    events_per_page: int = EVENTS_PER_PAGE,
) -> str:
    """The report as one HTML string (pure: no file access).

    ``tables``: the five CSVs as DataFrames (:func:`read_tables`); ``texts``: {doc_id: text read
    back}; ``unreadable``: {doc_id: why its text could not be read}."""
    docs_per_page = max(1, int(docs_per_page))
    tables = {name: tables[name] if name in tables else empty_table(name) for name in TABLE_NAMES}
    run = Documents(tables, dict(unreadable or {}))
    docs = run.docs
    sections = [doc_section(d, (d.n - 1) // docs_per_page + 1, *run.text_of(d, texts)) for d in docs]
    not_highlighted = {s.doc.n: s.reason for s in sections if s.reason is not None and (s.doc.marks or s.doc.events)}
    counts: dict[str, dict[int, int]] = {t: defaultdict(int) for t in schema.span_tables()}
    for d in docs:
        for m in d.marks:
            counts[m.table][d.n] += 1
    ordered = _in_date_order(run.events)
    money_rows, money_top, org_chart, cat_chart = _money(*money_by(tables, texts), tables, run.holding)
    review = _review(tables, run, not_highlighted)
    timeline, tl_note = _overview_timeline(ordered, events_per_page, with_doc=len(docs) > 1)
    cards = [
        (len(docs), "documents"),
        (sum(1 for d in docs if d.row.get("status") == "ok"), "ok"),
        (sum(1 for d in docs if d.row.get("status") == "error"), "failed"),
        (len(ordered), "events"),
        (len(tables["dates"]), "dates"),
        (len(tables["organizations"]), "organisations"),
        (len(tables["amounts"]), "amounts"),
        (len(review), "to review"),
    ]
    return _template("report.html.j2").render(
        title=title,
        n_docs=len(docs),
        n_events=len(ordered),
        cards=cards,
        timeline=timeline,
        tl_note=tl_note,
        money_top=money_top,
        org_chart=org_chart,
        cat_chart=cat_chart,
        money_rows=money_rows,
        review=review,
        index_pages=_pages(docs, docs_per_page),
        counts=counts,
        not_highlighted=not_highlighted,
        event_pages=_pages(ordered, events_per_page),
        sections=sections,
    )


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("pipeline.report", "templates"),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2",), default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals.update(
        label_colors=LABEL_COLORS,
        labels=LABELS,
        category_color=category_color,
        format_amount=format_amount,
        format_number=format_number,
        split_amounts=split_amounts,
        date_label=date_label,
        to_int=to_int,
    )
    return env


def _template(name: str) -> jinja2.Template:
    return environment().get_template(name)
