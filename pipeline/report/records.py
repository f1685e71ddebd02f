"""Records as the text shows them: marks, the sentences around them, and what to review first.

Sentence boundaries are not in the CSVs: an event's evidence sentence is found in the text; any
other sentence is its records' extent widened to the nearest ``. ! ?`` or line break (a display
aid only).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any, NamedTuple

import pandas as pd

from .. import schema
from ..ingest import analysis_text
from ..timex import try_parse
from .money import format_amount, format_number
from .palette import LABEL_TAGS, QUALIFIER_SIGNS


def to_int(value: object, default: int | None = None) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return default


@dataclass
class Mark:
    """One record of a label table (DATE, ORG, MONEY, QUANTITY …), as the text highlights it."""

    table: str
    row: int
    doc_id: str
    sid: int
    start: int
    end: int
    text: str
    label: str
    tag: str  # what the label shows: the value
    tip: str  # what the hover shows: everything
    rec: dict = field(default_factory=dict)  # the CSV row

    @property
    def short_label(self) -> str:
        return LABEL_TAGS.get(self.label, self.label)


def _date_mark(r: dict) -> tuple[str, str, str]:
    value, mod = r.get("value") or "", r.get("mod") or ""
    return "DATE", " ".join(filter(None, (value, mod))), f"DATE {value}" + (f" (mod {mod})" if mod else "")


def _org_mark(r: dict) -> tuple[str, str, str]:
    name, kind = r.get("name") or "", r.get("kind") or ""
    return "ORG", name if name != r.get("text") else "", f"ORG {name} ({kind})"


def _amount_mark(r: dict) -> tuple[str, str, str]:
    kind = r.get("kind") if r.get("kind") in ("MONEY", "QUANTITY") else "QUANTITY"  # the labels of _amount_mark
    unit, q = r.get("unit") or "", r.get("qualifier") or ""
    shown = format_amount(r.get("value"), unit) if unit else f"{format_number(r.get('value'))} (no unit)"
    return (
        str(kind),
        QUALIFIER_SIGNS.get(q, "") + shown,
        f"{kind} {r.get('value')} {unit or '(no unit)'}, {q or schema.EXACT}",
    )


# table → (label, tag, tip) of one of its rows: the built-in label tables' own formats
MARKERS: dict[str, Callable[[dict], tuple[str, str, str]]] = {
    "dates": _date_mark,
    "organizations": _org_mark,
    "amounts": _amount_mark,
}


def generic_mark(table: str) -> Callable[[dict], tuple[str, str, str]]:
    """The marker of a label table with no format of its own: the label, and its attributes as
    ``key=value`` (the empty ones left out)."""

    def mark(r: dict) -> tuple[str, str, str]:
        label = schema.table_label(table, r)
        shown = " ".join(f"{k}={r[k]}" for k in schema.LABELS[label].keys if r.get(k) not in (None, ""))
        return label, shown, f"{label} {shown}".rstrip()

    return mark


def markers() -> dict[str, Callable[[dict], tuple[str, str, str]]]:
    """The marker of every label table of the registry, in registration order."""
    return {table: MARKERS.get(table) or generic_mark(table) for table in schema.span_tables()}


def marks(tables: Mapping[str, pd.DataFrame]) -> list[Mark]:
    out = []
    for table, marker in markers().items():
        for i, r in enumerate(tables[table].to_dict("records")):
            label, tag, tip = marker(r)
            out.append(
                Mark(
                    table,
                    i,
                    str(r["doc_id"]),
                    to_int(r["sentence_id"], 0) or 0,
                    _pos(r["start"]),
                    _pos(r["end"]),
                    r.get("text") or "",
                    label,
                    tag,
                    tip,
                    r,
                )
            )
    return out


def _pos(value: object) -> int:
    n = to_int(value)
    return -1 if n is None else n


def non_overlapping(
    spans: Iterable, start: Callable = lambda s: s.start, end: Callable = lambda s: s.end
) -> tuple[list, list]:
    """Spans that can be highlighted side by side (by start, longer first) and those left over."""
    kept, dropped, last_end = [], [], -1
    for s in sorted(spans, key=lambda s: (start(s), -end(s))):
        if start(s) >= last_end and end(s) > start(s):
            kept.append(s)
            last_end = end(s)
        else:
            dropped.append(s)
    return kept, dropped


@dataclass(frozen=True)
class ReviewCheck:
    """One kind of record to review first: the rows of ``table`` that ``flags``, shown by their
    ``text`` and ``detail``."""

    issue: str
    table: str
    flags: Callable[[Mapping[Any, Any]], bool]
    text: Callable[[Mapping[Any, Any]], str]
    detail: Callable[[Mapping[Any, Any]], str]


def _unresolved(r: Mapping[Any, Any]) -> bool:
    value = try_parse(str(r.get("value") or ""))
    return value is not None and not value.is_resolved


DOCUMENT_FAILED = ReviewCheck(
    "document failed",
    "documents",
    lambda r: r.get("status") == "error",
    lambda r: r.get("path") or "",
    lambda r: r.get("error") or "",
)
RECORD_CHECKS = (
    ReviewCheck(
        "unresolved date", "dates", _unresolved, lambda r: r.get("text") or "", lambda r: f"value {r.get('value')}"
    ),
    ReviewCheck(
        "amount without unit",
        "amounts",
        lambda r: not str(r.get("unit") or "").strip(),
        lambda r: r.get("text") or "",
        lambda r: f"{r.get('kind')} {r.get('value')}",
    ),
    ReviewCheck(
        "event without organisation",
        "events",
        lambda r: not str(r.get("orgs") or "").strip(),
        lambda r: r.get("date_text") or "",
        lambda r: r.get("sentence") or "",
    ),
)


def _review(check: ReviewCheck, table: pd.DataFrame) -> list[dict[str, Any]]:
    return [
        {
            "issue": check.issue,
            "doc_id": r["doc_id"],
            "sentence_id": r.get("sentence_id", ""),
            "text": check.text(r),
            "detail": check.detail(r),
            "table": check.table,
            "row": i,
        }
        for i, r in enumerate(table.to_dict("records"))
        if check.flags(r)
    ]


def review_rows(tables: Mapping[str, pd.DataFrame], unreadable: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The records to review first, one row each: ``issue, doc_id, sentence_id, text, detail``
    (plus ``table`` and ``row``, the record's CSV table and 0-based row): failed documents, texts
    that could not be read back, then the records :data:`RECORD_CHECKS` flags."""
    rows = _review(DOCUMENT_FAILED, tables["documents"])
    rows += [
        {
            "issue": "text not readable",
            "doc_id": doc_id,
            "sentence_id": "",
            "text": "",
            "detail": why,
            "table": "documents",
            "row": -1,
        }
        for doc_id, why in (unreadable or {}).items()
    ]
    for check in RECORD_CHECKS:
        rows += _review(check, tables[check.table])
    cols = ["issue", "doc_id", "sentence_id", "text", "detail", "table", "row"]
    return pd.DataFrame(rows, columns=cols)


_BOUNDARY = re.compile(r"[.!?。](?=\s)|\n")


def sentence_regions(
    text: str, marks: list[Mark], evidence: Mapping[int, str]
) -> tuple[dict[int, tuple[int, int]], list[int]]:
    """Character ranges of the sentences holding records: {sentence_id: (lo, hi)}, and the
    sentence ids whose place in the text could not be found (an event sentence not found).
    Raises ValueError when the records of two sentences interleave."""
    core: dict[int, list[int]] = {}
    for m in marks:
        c = core.setdefault(m.sid, [m.start, m.end])
        c[0], c[1] = min(c[0], m.start), max(c[1], m.end)
    sids = sorted(core)
    for a, b in pairwise(sids):
        if core[a][1] > core[b][0]:
            raise ValueError(f"records of sentence {a} run past the first record of sentence {b}")
    ends = [m.end() for m in _BOUNDARY.finditer(text)]
    atext = analysis_text(text)
    regions: dict[int, tuple[int, int]] = {}
    prev_hi = 0
    for k, sid in enumerate(sids):
        c0, c1 = core[sid]
        next_lo = core[sids[k + 1]][0] if k + 1 < len(sids) else len(text)
        lo = hi = None
        sentence = evidence.get(sid)
        if sentence:
            pos = atext.rfind(sentence, prev_hi, c0 + len(sentence))  # the last one starting by c0
            if pos >= 0 and pos + len(sentence) >= c1:
                lo, hi = pos, pos + len(sentence)
        if lo is None or hi is None:
            i = bisect_right(ends, c0) - 1
            lo = ends[i] if i >= 0 else 0
            j = bisect_left(ends, c1)
            hi = ends[j] if j < len(ends) else len(text)
        lo, hi = max(lo, prev_hi), min(hi, next_lo)
        while lo < c0 and text[lo].isspace():
            lo += 1
        while hi > c1 and text[hi - 1].isspace():
            hi -= 1
        regions[sid] = (lo, hi)
        prev_hi = hi
    unplaced = [sid for sid in evidence if sid not in regions]
    return regions, unplaced


class Piece(NamedTuple):
    """A piece of a highlighted text: ``text`` (plain text), ``open``/``close`` of a sentence
    (``sid``) or of a mark (``mark``)."""

    kind: str  # "text", "sent", "/sent", "mark", "/mark"
    text: str = ""
    sid: int = 0
    mark: Mark | None = None


def highlight(text: str, marks: list[Mark], regions: Mapping[int, tuple[int, int]]) -> list[Piece]:
    """``text`` cut into pieces around each mark and each sentence region, in document order.
    Marks must be disjoint and inside their sentence's region."""
    bounds: list[tuple[int, int, Piece]] = []  # (position, rank, piece): closings before openings
    for sid, (lo, hi) in regions.items():
        bounds.append((lo, 2, Piece("sent", sid=sid)))
        bounds.append((hi, 1, Piece("/sent", sid=sid)))
    for m in marks:
        bounds.append((m.start, 3, Piece("mark", mark=m)))
        bounds.append((m.end, 0, Piece("/mark", mark=m)))
    bounds.sort(key=lambda b: (b[0], b[1]))
    out, pos = [], 0
    for at, _, piece in bounds:
        if at > pos:
            out.append(Piece("text", text[pos:at]))
        out.append(piece)
        pos = max(pos, at)
    if pos < len(text):
        out.append(Piece("text", text[pos:]))
    return out
