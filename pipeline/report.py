"""An offline HTML report of a run's records: ``python -m pipeline report [--out DIR]``.

:func:`write_report` reads the five CSVs in ``DIR`` (``documents``, ``dates``, ``organizations``,
``amounts``, ``events``), reads every document's text back from its ``path`` and writes
``DIR/report.html``; :func:`build_report` is the pure function that turns tables and texts into
the HTML string. The file is self-contained: styles inline, charts as inline SVG drawn here, no
script, no font, no image and no URL, so it opens in any browser offline.

Views. The page holds several views, each a ``<section class="view">`` with its own id, and CSS
alone (no JavaScript) shows one at a time: a view is displayed when it is the target of the
address (``:target``) or holds the target (``:has(:target)``); with no fragment the overview shows.

- ``#overview``: counts, the event timeline (one row per event, ranges drawn as bars, coloured by
  category; events per month/quarter/year, stacked by category, when there are more than
  :data:`TIMELINE_MAX_ROWS` events), money by organisation and by category (KRW in 억/만).
- ``#events-P``: every event in date order, :data:`EVENTS_PER_PAGE` a page.
- ``#money``: money by organisation and by category; each organisation opens to the sentences
  that make its sum, each linked to its place in its document.
- ``#review``: the records to review first: unresolved values (``XXXX-03``), amounts without a
  unit, events without an organisation, failed documents, texts that could not be read back.
- ``#docs-P``: the document index, ``docs_per_page`` documents a page.
- ``#doc-N`` (N = the document's row in ``documents.csv``, from 1): its text with every DATE, ORG,
  MONEY and QUANTITY highlighted (a colour per label, the value in the label, details on hover),
  its timeline and its records. Each sentence holding a record is an element ``#doc-N-sK``
  (K = ``sentence_id``), highlighted when targeted; every record row links to it, so following a
  link opens the document at the sentence.

Hidden views are not laid out, so the page stays quick with 1,000 documents (each is its own
section; the index and the event list are paged). A browser without ``:has()`` (older than 2023)
shows every view one after another: a long page, but every link still works.

Text. The CSVs hold offsets, not text: a ``.txt``/``.md`` path is decoded again with
:func:`pipeline.ingest.read_text_file`, a ``file.jsonl:LINE`` path gives that line's ``text``,
relative to ``base_dir`` (the folder the run was started in). When the text cannot be read, its
length differs from ``chars`` or a record's text is not at its offsets, the document's records are
listed sentence by sentence without highlighting, and the page says why. Sentence boundaries are
not in the CSVs either: an event's evidence sentence is found in the text; any other sentence is
the records' extent widened to the nearest ``. ! ?`` or line break (a display aid only).

Money (:func:`money_by`). The MONEY records of ``amounts.csv`` in KRW are summed by sentence
(other currencies are listed beside, never converted). A sentence's sum counts once for each of
its organisations: its event's (which include an actor carried over from the sentence before),
else the ORG records of the sentence, else "(no organisation)"; so organisation totals can
overlap, and the page says so. Its category is its event's, or "no event" for a sentence
without a date. Every sum opens to the sentences behind it.

Size: 1,000 documents of about 800 characters and 45 records each make a file of about 28 MB,
built in about 4 s, that Chromium opens in a few seconds; each view lays out only its own part.
"""
from __future__ import annotations

import html
import json
import math
import os
import re
import tempfile
from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Iterable, Mapping

import pandas as pd

from .export import COLUMNS
from .ingest import analysis_text, read_text_file

TABLE_NAMES = ("documents", "dates", "organizations", "amounts", "events")
LABELS = ("DATE", "ORG", "MONEY", "QUANTITY")
LABEL_COLORS = {"DATE": "#ffd166", "ORG": "#a9cbff", "MONEY": "#8fdca0", "QUANTITY": "#f2b8ee"}
CATEGORIES = ("partnership", "donation", "fundraising", "fee_relief", "support", "service", "other")
_CATEGORY_ORDER = CATEGORIES + ("no event",)
CATEGORY_COLORS = {
    "partnership": "#4e79a7", "donation": "#e15759", "fundraising": "#f28e2b", "fee_relief": "#76b7b2",
    "support": "#59a14f", "service": "#b07aa1", "other": "#9d9d9d", "no event": "#cfd4da",
}
QUALIFIER_SIGNS = {"approx": "≈", "at_least": "≥", "more_than": ">", "at_most": "≤", "less_than": "<"}
EVENTS_PER_PAGE = 100
TIMELINE_MAX_ROWS = 60
TOP_ORGS = 15
NO_ORG = "(no organisation)"
NO_EVENT = "no event"  # money in a sentence that is not an event


# ---------------------------------------------------------------------------------------------
# Values


def _decimal(value) -> Decimal | None:
    try:
        d = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return d if d.is_finite() else None


def format_krw(value) -> str:
    """Won the way Korean readers write it: ``5390000000`` → ``53억 9,000만 원``,
    ``500000000`` → ``5억 원``, ``1200000000000`` → ``1조 2,000억 원``, ``12345`` → ``1만 2,345 원``."""
    d = _decimal(value)
    if d is None:
        return f"{value} 원"
    n = int(d.to_integral_value(rounding=ROUND_HALF_UP))
    sign, n = ("-" if n < 0 else ""), abs(n)
    jo, rest = divmod(n, 10**12)
    eok, rest = divmod(rest, 10**8)
    man, won = divmod(rest, 10**4)
    parts = [f"{v:,}{unit}" for v, unit in ((jo, "조"), (eok, "억"), (man, "만")) if v]
    if won or not parts:
        parts.append(f"{won:,}")
    return sign + " ".join(parts) + " 원"


def format_krw_short(value) -> str:
    """Axis labels: the two largest units only (``53억 9,000만`` → ``53.9억``)."""
    d = _decimal(value)
    if d is None:
        return str(value)
    n = float(d)
    for size, unit in ((1e12, "조"), (1e8, "억"), (1e4, "만")):
        if abs(n) >= size:
            return f"{n / size:,.1f}".rstrip("0").rstrip(".") + unit
    return f"{n:,.0f}"


def format_number(value) -> str:
    d = _decimal(value)
    if d is None:
        return str(value)
    if d == d.to_integral_value():
        return f"{int(d):,}"
    return f"{d:,}"


def format_amount(value, unit: str) -> str:
    """``5390000000 KRW`` → ``53억 9,000만 원``; ``120000 개`` → ``120,000 개``; no unit → the number."""
    if unit == "KRW":
        return format_krw(value)
    return f"{format_number(value)} {unit}".strip()


def split_amounts(cell: str) -> list[tuple[str, str]]:
    """An ``events.csv`` ``amounts`` cell (``5390000000 KRW;100 %``) as (value, unit) pairs."""
    out = []
    for item in str(cell or "").split(";"):
        item = item.strip()
        if item:
            value, _, unit = item.partition(" ")
            out.append((value, unit.strip()))
    return out


_PERIOD = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?|-H([12])|-Q([1-4]))?")


def _add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    return date(d.year + y, m + 1, 1)


def period(value: str) -> tuple[date, date] | None:
    """A date value as [start, end): ``2020-03`` → (2020-03-01, 2020-04-01); ``2021-Q1``,
    ``2020-H2``, ``2020``, ``2020-03-08`` likewise; unresolved (``XXXX-03``), durations → None."""
    m = _PERIOD.fullmatch(str(value or "").strip())
    if not m:
        return None
    year, month, day, half, quarter = m.groups()
    try:
        if day:
            d = date(int(year), int(month), int(day))
            return d, d + timedelta(days=1)
        if month:
            d = date(int(year), int(month), 1)
            return d, _add_months(d, 1)
        if half:
            d = date(int(year), 1 + 6 * (int(half) - 1), 1)
            return d, _add_months(d, 6)
        if quarter:
            d = date(int(year), 1 + 3 * (int(quarter) - 1), 1)
            return d, _add_months(d, 3)
        return date(int(year), 1, 1), date(int(year) + 1, 1, 1)
    except ValueError:
        return None


def event_span(row: Mapping) -> tuple[date, date | None] | None:
    """Where an event sits on a timeline: (start, end) for a range (end exclusive, ``None`` when
    open-ended), (start, start) for a single date; ``None`` when its date is unresolved."""
    start_value = row.get("date_start") or ""
    if start_value:
        s = period(start_value)
        if s is None:
            return None
        end_value = row.get("date_end") or ""
        if not end_value:
            return s[0], None
        e = period(end_value)
        return (s[0], e[1]) if e else (s[0], None)
    p = period(row.get("date_value") or "")
    return (p[0], p[0]) if p else None


# ---------------------------------------------------------------------------------------------
# Reading


def read_tables(out_dir: Path) -> dict[str, pd.DataFrame]:
    """The five CSVs of a run as DataFrames of strings (empty cells ""). ``documents.csv`` must
    exist; a missing records table is read as empty."""
    out_dir = Path(out_dir)
    tables = {}
    for name in TABLE_NAMES:
        path = out_dir / f"{name}.csv"
        if not path.exists():
            if name == "documents":
                raise FileNotFoundError(f"{path}: not found (run `python -m pipeline run --out {out_dir}` first)")
            tables[name] = pd.DataFrame({c: pd.Series(dtype=object) for c in COLUMNS[name]})
            continue
        df = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
        for col in COLUMNS[name]:
            if col not in df.columns:
                df[col] = ""
        tables[name] = df.astype(object)
    return tables


class TextUnavailable(Exception):
    """A document's text cannot be read back (the reason is the message)."""


_JSONL_LINE = re.compile(r"^(?P<file>.+\.jsonl):(?P<line>\d+)$", re.IGNORECASE)


def read_document_text(path: str, base_dir: Path | None = None, _cache: dict | None = None) -> str:
    """The text a document was extracted from: a ``.txt``/``.md`` file decoded as the pipeline
    decodes it, or the ``text`` of line LINE of ``file.jsonl:LINE``. Raises :class:`TextUnavailable`."""
    from .ingest import InputError

    base = Path(base_dir) if base_dir is not None else Path.cwd()
    if not path:
        raise TextUnavailable("documents.csv gives no path")
    m = _JSONL_LINE.match(path)
    file = base / (m.group("file") if m else path)
    try:
        if m:
            lines = _cache.get(file) if _cache is not None else None
            if lines is None:
                lines = read_text_file(file).splitlines()
                if _cache is not None:
                    _cache[file] = lines
            n = int(m.group("line"))
            if not 1 <= n <= len(lines):
                raise TextUnavailable(f"{file} has no line {n}")
            obj = json.loads(lines[n - 1])
            if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
                raise TextUnavailable(f"line {n} of {file} has no string 'text'")
            return obj["text"]
        return read_text_file(file)
    except TextUnavailable:
        raise
    except InputError as exc:  # "PATH: reason"
        raise TextUnavailable(str(exc)) from None
    except (OSError, ValueError) as exc:
        raise TextUnavailable(f"cannot read {file}: {exc}") from None


def load_texts(documents: pd.DataFrame, base_dir: Path | None = None) -> tuple[dict[str, str], dict[str, str]]:
    """Texts of the ``ok`` documents: ({doc_id: text}, {doc_id: why it could not be read})."""
    texts: dict[str, str] = {}
    problems: dict[str, str] = {}
    cache: dict = {}
    for row in documents.to_dict("records"):
        doc_id = str(row["doc_id"])
        if row.get("status") != "ok" or doc_id in texts or doc_id in problems:
            continue
        try:
            texts[doc_id] = read_document_text(str(row.get("path") or ""), base_dir, cache)
        except TextUnavailable as exc:
            problems[doc_id] = str(exc)
    return texts, problems


# ---------------------------------------------------------------------------------------------
# Records


def _int(value, default: int | None = None) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return default


@dataclass
class Mark:
    """One DATE/ORG/MONEY/QUANTITY record, as the text highlights it."""

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


def _marks(tables: Mapping[str, pd.DataFrame]) -> list[Mark]:
    marks = []
    for i, r in enumerate(tables["dates"].to_dict("records")):
        value = r.get("value") or ""
        mod = r.get("mod") or ""
        marks.append(Mark("dates", i, str(r["doc_id"]), _int(r["sentence_id"], 0), _int(r["start"], -1),
                          _int(r["end"], -1), r.get("text") or "", "DATE", " ".join(filter(None, (value, mod))),
                          f"DATE {value}" + (f" (mod {mod})" if mod else ""), r))
    for i, r in enumerate(tables["organizations"].to_dict("records")):
        name, kind = r.get("name") or "", r.get("kind") or ""
        marks.append(Mark("organizations", i, str(r["doc_id"]), _int(r["sentence_id"], 0), _int(r["start"], -1),
                          _int(r["end"], -1), r.get("text") or "", "ORG", name if name != r.get("text") else "",
                          f"ORG {name} ({kind})", r))
    for i, r in enumerate(tables["amounts"].to_dict("records")):
        kind = r.get("kind") if r.get("kind") in ("MONEY", "QUANTITY") else "QUANTITY"
        unit, q = r.get("unit") or "", r.get("qualifier") or ""
        shown = format_amount(r.get("value"), unit) if unit else f"{format_number(r.get('value'))} (no unit)"
        marks.append(Mark("amounts", i, str(r["doc_id"]), _int(r["sentence_id"], 0), _int(r["start"], -1),
                          _int(r["end"], -1), r.get("text") or "", kind,
                          (QUALIFIER_SIGNS.get(q, "") + shown),
                          f"{kind} {r.get('value')} {unit or '(no unit)'}, {q or 'exact'}", r))
    return marks


def non_overlapping(spans: Iterable, start=lambda s: s.start, end=lambda s: s.end) -> tuple[list, list]:
    """Spans that can be highlighted side by side (by start, longer first) and those left over."""
    kept, dropped, last_end = [], [], -1
    for s in sorted(spans, key=lambda s: (start(s), -end(s))):
        if start(s) >= last_end and end(s) > start(s):
            kept.append(s)
            last_end = end(s)
        else:
            dropped.append(s)
    return kept, dropped


def review_rows(tables: Mapping[str, pd.DataFrame], unreadable: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The records to review first, one row each: ``issue, doc_id, sentence_id, text, detail``
    (plus ``table`` and ``row``, the record's CSV table and 0-based row)."""
    rows = []
    for i, r in enumerate(tables["documents"].to_dict("records")):
        if r.get("status") == "error":
            rows.append({"issue": "document failed", "doc_id": r["doc_id"], "sentence_id": "",
                         "text": r.get("path") or "", "detail": r.get("error") or "", "table": "documents", "row": i})
    for doc_id, why in (unreadable or {}).items():
        rows.append({"issue": "text not readable", "doc_id": doc_id, "sentence_id": "", "text": "",
                     "detail": why, "table": "documents", "row": -1})
    for i, r in enumerate(tables["dates"].to_dict("records")):
        if "X" in str(r.get("value") or ""):
            rows.append({"issue": "unresolved date", "doc_id": r["doc_id"], "sentence_id": r["sentence_id"],
                         "text": r.get("text") or "", "detail": f"value {r.get('value')}", "table": "dates", "row": i})
    for i, r in enumerate(tables["amounts"].to_dict("records")):
        if not str(r.get("unit") or "").strip():
            rows.append({"issue": "amount without unit", "doc_id": r["doc_id"], "sentence_id": r["sentence_id"],
                         "text": r.get("text") or "", "detail": f"{r.get('kind')} {r.get('value')}",
                         "table": "amounts", "row": i})
    for i, r in enumerate(tables["events"].to_dict("records")):
        if not str(r.get("orgs") or "").strip():
            rows.append({"issue": "event without organisation", "doc_id": r["doc_id"],
                         "sentence_id": r["sentence_id"], "text": r.get("date_text") or "",
                         "detail": r.get("sentence") or "", "table": "events", "row": i})
    cols = ["issue", "doc_id", "sentence_id", "text", "detail", "table", "row"]
    return pd.DataFrame(rows, columns=cols)


def money_by(tables: Mapping[str, pd.DataFrame]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Money by sentence, from ``amounts.csv``: (one row per sentence × organisation: ``org,
    category, krw, other, doc_id, sentence_id, texts, n_orgs, event_row``; and KRW per category).

    A sentence's organisations are its event's (which carry over the actor of a sentence that
    drops its subject), else the ORG records of the sentence, else "(no organisation)"; its
    category is its event's, else "no event". ``krw`` is the sum of its KRW amounts, ``other``
    the amounts in other currencies as (code, value) pairs."""
    events = {}
    for i, r in enumerate(tables["events"].to_dict("records")):
        events.setdefault((str(r["doc_id"]), str(r["sentence_id"])), (i, r))
    org_names = defaultdict(list)
    for r in tables["organizations"].to_dict("records"):
        key = (str(r["doc_id"]), str(r["sentence_id"]))
        name = r.get("name") or r.get("text") or ""
        if name and name not in org_names[key]:
            org_names[key].append(name)
    money: dict[tuple[str, str], dict] = {}
    for r in tables["amounts"].to_dict("records"):
        if r.get("kind") != "MONEY":
            continue
        d = _decimal(r.get("value"))
        unit = str(r.get("unit") or "")
        if d is None or not unit:
            continue
        key = (str(r["doc_id"]), str(r["sentence_id"]))
        m = money.setdefault(key, {"krw": Decimal(0), "other": [], "texts": []})
        if unit == "KRW":
            m["krw"] += d
        else:
            m["other"].append((unit, d))
        m["texts"].append(str(r.get("text") or ""))
    rows = []
    for key, m in money.items():
        event_row, event = events.get(key, (-1, None))
        if event is not None:
            orgs = [o for o in str(event.get("orgs") or "").split(";") if o]
            category = event.get("category") if event.get("category") in CATEGORY_COLORS else "other"
        else:
            orgs, category = sorted(org_names.get(key, [])), NO_EVENT
        orgs = orgs or [NO_ORG]
        for org in orgs:
            rows.append({"org": org, "category": category, "krw": m["krw"], "other": m["other"],
                         "doc_id": key[0], "sentence_id": key[1], "texts": m["texts"], "n_orgs": len(orgs),
                         "event_row": event_row})
    cols = ["org", "category", "krw", "other", "doc_id", "sentence_id", "texts", "n_orgs", "event_row"]
    per_sentence = pd.DataFrame(rows, columns=cols)
    first = per_sentence.drop_duplicates(["doc_id", "sentence_id"])
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for c, v in zip(first["category"], first["krw"]):
        totals[c] += v
    by_category = pd.DataFrame([(c, v) for c, v in sorted(totals.items(), key=lambda kv: -kv[1]) if v > 0],
                               columns=["category", "krw"])
    return per_sentence, by_category


# ---------------------------------------------------------------------------------------------
# Sentences and highlighting

_BOUNDARY = re.compile(r"[.!?。](?=\s)|\n")


def _sentence_regions(text: str, marks: list[Mark], evidence: Mapping[int, str]) -> tuple[dict[int, tuple[int, int]], list[int]]:
    """Character ranges of the sentences holding records: {sentence_id: (lo, hi)}, and the
    sentence ids whose place in the text could not be found (an event sentence not found)."""
    core: dict[int, list[int]] = {}
    for m in marks:
        c = core.setdefault(m.sid, [m.start, m.end])
        c[0], c[1] = min(c[0], m.start), max(c[1], m.end)
    sids = sorted(core)
    for a, b in zip(sids, sids[1:]):
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
        if lo is None:
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


def _esc(s) -> str:
    return html.escape("" if s is None else str(s), quote=True)


def _mark_open(m: Mark) -> str:
    return (f'<mark class="ent e-{m.label}" data-rec="{m.table}:{m.row}" title="{_esc(m.tip)}">')


def _mark_close(m: Mark) -> str:
    label = "QTY" if m.label == "QUANTITY" else m.label
    return f'<span class="tag">{_esc(label)}{" " if m.tag else ""}{_esc(m.tag)}</span></mark>'


def highlight(text: str, marks: list[Mark], regions: Mapping[int, tuple[int, int]], anchor: str) -> str:
    """HTML of ``text`` with each mark highlighted and each region a ``<span class="sent"
    id="{anchor}-s{sid}">``. Marks must be disjoint and inside their sentence's region."""
    events = []  # (position, rank, html): at one position closings come before openings
    for sid, (lo, hi) in regions.items():
        sid_id = f"{anchor}-s{sid}"
        events.append((lo, 2, f'<span class="sent" id="{sid_id}"><a class="sn" href="#{sid_id}">{sid}</a>'))
        events.append((hi, 1, "</span>"))
    for m in marks:
        events.append((m.start, 3, _mark_open(m)))
        events.append((m.end, 0, _mark_close(m)))
    events.sort(key=lambda e: (e[0], e[1]))
    out, pos = [], 0
    for at, _, piece in events:
        out.append(_esc(text[pos:at]))
        out.append(piece)
        pos = at
    out.append(_esc(text[pos:]))
    return "".join(out)


# ---------------------------------------------------------------------------------------------
# SVG charts


def _text_px(s: str, size: float) -> float:
    return sum(size * (1.0 if ord(ch) >= 0x1100 else 0.6) for ch in s)


def _fit(s: str, px: float, size: float) -> str:
    """``s`` cut to about ``px`` pixels of text at ``size`` px, with … when cut."""
    if _text_px(s, size) <= px:
        return s
    out = ""
    for ch in s:
        if _text_px(out + ch + "…", size) > px:
            break
        out += ch
    return out + "…"


def _legend(items: list[tuple[str, str]], x: float, y: float, width: float) -> tuple[str, float]:
    """Colour swatches with names, wrapping; returns (svg, height used)."""
    out, cx, cy = [], x, y
    for name, color in items:
        w = 18 + _text_px(name, 12) + 16
        if cx + w > x + width and cx > x:
            cx, cy = x, cy + 18
        out.append(f'<rect x="{cx:.0f}" y="{cy:.0f}" width="12" height="12" rx="2" fill="{color}"/>'
                   f'<text x="{cx + 17:.0f}" y="{cy + 10:.0f}" class="lg">{_esc(name)}</text>')
        cx += w
    return "".join(out), cy - y + 18


def _ticks(lo: date, hi: date) -> list[tuple[date, str]]:
    days = (hi - lo).days
    if days <= 62:
        step = 7 if days > 21 else 1
        ticks, d = [], lo
        while d <= hi:
            ticks.append((d, d.isoformat()))
            d += timedelta(days=step)
        return ticks
    months = days / 30.44
    for step in (1, 2, 3, 6, 12, 24, 60, 120, 240, 600):
        if months / step <= 9:
            break
    d = date(lo.year, lo.month, 1)
    if step >= 12:
        d = date(lo.year - lo.year % (step // 12), 1, 1)
    else:
        d = date(d.year, ((d.month - 1) // step) * step + 1, 1)
    ticks = []
    while d <= hi:
        if d >= lo:
            ticks.append((d, str(d.year) if step >= 12 else f"{d.year}-{d.month:02d}"))
        d = _add_months(d, step)
    return ticks


@dataclass
class TimelineItem:
    label: str
    start: date
    end: date | None  # exclusive; None: open-ended range
    is_range: bool
    category: str
    href: str
    tip: str
    date_label: str
    period_end: date | None = None  # a single date's period end (2020-03 → 2020-04-01)


def svg_timeline(items: list[TimelineItem], width: int = 1000, label_px: int = 300) -> str:
    """One row per event in date order: a bar for a range, a dot for a single date."""
    if not items:
        return ""
    items = sorted(items, key=lambda it: (it.start, it.end or it.start))
    lo = min(it.start for it in items)
    hi = max((it.end or it.start + timedelta(days=30)) if it.is_range else (it.period_end or it.start)
             for it in items)
    if (hi - lo).days < 120:  # a few days: widen to four months so the ticks read as months
        pad = timedelta(days=(120 - (hi - lo).days) / 2)
        lo, hi = lo - pad, hi + pad
    span = (hi - lo).days
    lo, hi = lo - timedelta(days=span * 0.02 + 1), hi + timedelta(days=span * 0.02 + 1)
    x0, x1 = label_px + 10, width - 20
    used = sorted({it.category for it in items}, key=lambda c: _CATEGORY_ORDER.index(c) if c in _CATEGORY_ORDER else 99)
    legend, lh = _legend([(c, CATEGORY_COLORS.get(c, "#999")) for c in used], 10, 8, width - 20)
    top = 8 + lh + 26
    row_h = 24
    height = top + row_h * len(items) + 12

    def x(d: date) -> float:
        return x0 + (x1 - x0) * (d - lo).days / max((hi - lo).days, 1)

    out = [f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
           f'aria-label="event timeline">', legend]
    for d, label in _ticks(lo, hi):
        anchor = "start" if x(d) < x0 + 30 else "end" if x(d) > x1 - 30 else "middle"
        out.append(f'<line x1="{x(d):.1f}" x2="{x(d):.1f}" y1="{top - 6}" y2="{height - 8}" class="grid"/>'
                   f'<text x="{x(d):.1f}" y="{top - 10}" class="tick" text-anchor="{anchor}">{label}</text>')
    for k, it in enumerate(items):
        y = top + k * row_h
        cy = y + row_h / 2
        color = CATEGORY_COLORS.get(it.category, "#999")
        if k % 2:
            out.append(f'<rect x="0" y="{y}" width="{width}" height="{row_h}" class="band"/>')
        out.append(f'<a href="{_esc(it.href)}"><title>{_esc(it.tip)}</title>')
        out.append(f'<text x="{label_px}" y="{cy + 4:.1f}" text-anchor="end" class="rl">'
                   f'{_esc(_fit(it.label, label_px - 10, 12))}</text>')
        xs = x(it.start)
        if it.is_range:
            xe = x(it.end) if it.end else x1
            out.append(f'<rect x="{xs:.1f}" y="{cy - 6:.1f}" width="{max(xe - xs, 3):.1f}" height="12" rx="3" '
                       f'fill="{color}"/>')
            if not it.end:
                out.append(f'<path d="M{x1 - 1:.1f},{cy - 8:.1f} l7,8 l-7,8 z" fill="{color}"/>')
            xr = max(xe, xs + 3)
        else:
            out.append(f'<circle cx="{xs:.1f}" cy="{cy:.1f}" r="6" fill="{color}" stroke="#fff" stroke-width="1.5"/>')
            xr = xs + 7
        dl, w = it.date_label, _text_px(it.date_label, 11)
        if xr + 8 + w < width:  # right of the mark
            out.append(f'<text x="{xr + 6:.1f}" y="{cy + 4:.1f}" class="dl">{_esc(dl)}</text>')
        elif xs - 9 - w > x0:  # left of it
            out.append(f'<text x="{xs - 9:.1f}" y="{cy + 4:.1f}" class="dl" text-anchor="end">{_esc(dl)}</text>')
        else:  # a bar across the chart: inside it
            out.append(f'<text x="{xs + 6:.1f}" y="{cy + 4:.1f}" class="dl in">{_esc(dl)}</text>')
        out.append("</a>")
    out.append("</svg>")
    return "".join(out)


def svg_histogram(items: list[TimelineItem], page_of: Mapping[int, int], width: int = 1000) -> str:
    """Events per month (quarter, year for long spans) by start date, stacked by category; a bar
    links to the events page that lists its first event (``page_of``: item index → page)."""
    if not items:
        return ""
    lo = min(it.start for it in items)
    hi = max(it.start for it in items)
    months = (hi.year - lo.year) * 12 + hi.month - lo.month + 1
    step = 1 if months <= 72 else 3 if months <= 216 else 12

    def bin_of(d: date) -> int:
        return ((d.year - lo.year) * 12 + d.month - lo.month + (lo.month - 1) % step) // step

    n_bins = bin_of(hi) + 1
    counts: list[dict[str, int]] = [defaultdict(int) for _ in range(n_bins)]
    first: dict[int, int] = {}
    for k, it in enumerate(items):
        b = bin_of(it.start)
        counts[b][it.category] += 1
        first.setdefault(b, k)
    peak = max(sum(c.values()) for c in counts) or 1
    used = sorted({it.category for it in items}, key=lambda c: _CATEGORY_ORDER.index(c) if c in _CATEGORY_ORDER else 99)
    legend, lh = _legend([(c, CATEGORY_COLORS.get(c, "#999")) for c in used], 10, 8, width - 20)
    top, plot_h, x0, x1 = 8 + lh + 14, 220, 50, width - 10
    height = top + plot_h + 40
    bw = (x1 - x0) / n_bins
    out = [f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
           f'aria-label="events per period">', legend]
    for frac in (0, 0.5, 1):
        v = round(peak * frac)
        y = top + plot_h - plot_h * v / peak
        out.append(f'<line x1="{x0}" x2="{x1}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
                   f'<text x="{x0 - 6}" y="{y + 4:.1f}" class="tick" text-anchor="end">{v}</text>')
    label_every = max(1, math.ceil(n_bins / 12))
    for b in range(n_bins):
        d = _add_months(date(lo.year, lo.month, 1), b * step - (lo.month - 1) % step)
        label = str(d.year) if step == 12 else (f"{d.year}-Q{(d.month - 1) // 3 + 1}" if step == 3
                                                  else f"{d.year}-{d.month:02d}")
        if b % label_every == 0:
            out.append(f'<text x="{x0 + bw * (b + 0.5):.1f}" y="{top + plot_h + 16}" class="tick" '
                       f'text-anchor="middle">{label}</text>')
        y = top + plot_h
        if not counts[b]:
            continue
        out.append(f'<a href="#events-{page_of.get(first[b], 1)}"><title>{label}: {sum(counts[b].values())} events'
                   f'</title>')
        for cat in used:
            n = counts[b].get(cat, 0)
            if n:
                h = plot_h * n / peak
                y -= h
                out.append(f'<rect x="{x0 + bw * b + bw * 0.1:.1f}" y="{y:.1f}" width="{max(bw * 0.8, 1):.1f}" '
                           f'height="{h:.1f}" fill="{CATEGORY_COLORS.get(cat, "#999")}"/>')
        out.append("</a>")
    out.append("</svg>")
    return "".join(out)


def svg_bars(rows: list[tuple[str, dict[str, Decimal], str]], width: int = 1000, label_px: int = 230) -> str:
    """Horizontal KRW bars, one per (label, {category: krw}, href), stacked by category, the sum
    written in 억/만 beside each bar."""
    if not rows:
        return ""
    value_px = 170
    x0, x1 = label_px + 10, width - value_px
    peak = max(float(sum(parts.values())) for _, parts, _ in rows) or 1.0
    used = sorted({c for _, parts, _ in rows for c in parts},
                  key=lambda c: _CATEGORY_ORDER.index(c) if c in _CATEGORY_ORDER else 99)
    legend, lh = _legend([(c, CATEGORY_COLORS.get(c, "#999")) for c in used], 10, 8, width - 20)
    top, row_h = 8 + lh + 8, 26
    height = top + row_h * len(rows) + 6
    out = [f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
           f'aria-label="KRW by organisation">', legend]
    for k, (label, parts, href) in enumerate(rows):
        y = top + k * row_h
        cy = y + row_h / 2
        total = sum(parts.values())
        out.append(f'<a href="{_esc(href)}"><title>{_esc(label)}: {_esc(format_krw(total))}</title>'
                   f'<text x="{label_px}" y="{cy + 4:.1f}" text-anchor="end" class="rl">'
                   f'{_esc(_fit(label, label_px - 6, 12))}</text>')
        x = float(x0)
        for cat in used:
            v = parts.get(cat)
            if v:
                w = (x1 - x0) * float(v) / peak
                out.append(f'<rect x="{x:.1f}" y="{cy - 8:.1f}" width="{max(w, 1.5):.1f}" height="16" '
                           f'fill="{CATEGORY_COLORS.get(cat, "#999")}"><title>{_esc(label)} · {_esc(cat)}: '
                           f'{_esc(format_krw(v))}</title></rect>')
                x += w
        out.append(f'<text x="{max(x, x0) + 6:.1f}" y="{cy + 4:.1f}" class="vl">{_esc(format_krw(total))}</text></a>')
    out.append("</svg>")
    return "".join(out)


# ---------------------------------------------------------------------------------------------
# HTML

CSS = """
:root{--fg:#1d232a;--muted:#5d6670;--line:#dde2e8;--bg:#fff;--soft:#f5f7fa;--accent:#2a5db0}
*{box-sizing:border-box}
body{margin:0;color:var(--fg);background:var(--bg);font:15px/1.6 system-ui,-apple-system,"Segoe UI",
"Apple SD Gothic Neo","Malgun Gothic","NanumGothic","Noto Sans CJK KR","Noto Sans KR",sans-serif}
header.top{background:#1f2d3d;color:#fff;padding:10px 24px;display:flex;flex-wrap:wrap;gap:6px 22px;align-items:baseline}
header.top h1{font-size:18px;margin:0 12px 0 0}
header.top a{color:#cfe0ff;text-decoration:none}header.top a:hover{text-decoration:underline}
header.top .meta{color:#aab7c4;font-size:13px;margin-left:auto}
main{max-width:1240px;margin:0 auto;padding:8px 24px 60px}
.view{display:none}
.view:target,.view:has(:target){display:block}
body:not(:has(:target)) #overview{display:block}
@supports not selector(:has(a)){.view{display:block;border-top:3px solid var(--line);margin-top:30px}}
h2{font-size:21px;margin:18px 0 6px}h3{font-size:16px;margin:22px 0 6px}
a{color:var(--accent)}
.cards{display:flex;flex-wrap:wrap;gap:10px;margin:10px 0}
.card{border:1px solid var(--line);border-radius:8px;padding:8px 14px;min-width:120px;background:var(--soft)}
.card b{display:block;font-size:20px}.card span{color:var(--muted);font-size:13px}
.note{color:var(--muted);font-size:13px;margin:4px 0}
.warn{background:#fff4e5;border:1px solid #f0c27a;border-radius:6px;padding:8px 12px;margin:10px 0}
.err{background:#fdecec;border:1px solid #e8a0a0;border-radius:6px;padding:8px 12px;margin:10px 0}
table{border-collapse:collapse;width:100%;margin:6px 0 12px;font-size:14px}
th,td{border-bottom:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
th{background:var(--soft);font-weight:600;position:sticky;top:0}
td.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
td.ev{min-width:360px;font-size:13px;color:#333}
td.nw{white-space:nowrap}td.doc{min-width:150px;max-width:240px;overflow-wrap:anywhere}.nw{white-space:nowrap}td.amt{text-align:right;min-width:90px}
tr:target,tr:has(:target){background:#fff6c9}
.cat{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;color:#fff;white-space:nowrap}
.pager{margin:8px 0;display:flex;flex-wrap:wrap;gap:4px;align-items:center;font-size:14px}
.pager a,.pager b{display:inline-block;min-width:28px;text-align:center;padding:1px 6px;border:1px solid var(--line);border-radius:4px;text-decoration:none}
.pager b{background:var(--accent);color:#fff;border-color:var(--accent)}
.docnav{display:flex;gap:16px;font-size:14px;margin:4px 0}
.doctext{white-space:pre-wrap;word-break:keep-all;overflow-wrap:anywhere;line-height:2.25;font-size:16px;
border:1px solid var(--line);border-radius:8px;padding:12px 16px;background:#fff;max-height:none}
.sent{border-radius:4px;scroll-margin-top:40vh}
.sent:target{background:#fff1a8;box-shadow:0 0 0 3px #f5c400;outline:none}
.sn{font-size:10px;color:#8a96a3;text-decoration:none;vertical-align:super;margin-right:2px;line-height:1}
mark.ent{padding:2px 3px;border-radius:4px;line-height:1.4;white-space:pre}
mark .tag{font-size:10.5px;font-weight:700;margin-left:4px;color:#2c2c2c;white-space:nowrap;letter-spacing:.01em}
.e-DATE{background:#ffd166}.e-ORG{background:#a9cbff}.e-MONEY{background:#8fdca0}.e-QUANTITY{background:#f2b8ee}
.legend{display:flex;gap:8px;flex-wrap:wrap;font-size:13px;margin:6px 0}
.legend mark{padding:0 6px;border-radius:4px}
.sentlist .sent{display:block;padding:6px 10px;border-left:3px solid var(--line);margin:6px 0}
.chip{display:inline-block;border-radius:4px;padding:0 5px;margin:2px 3px 0 0;font-size:13px}
svg.chart{max-width:100%;height:auto;display:block;margin:6px 0 10px;font-family:inherit}
svg .grid{stroke:#e4e8ee;stroke-width:1}svg .band{fill:#f7f9fb}
svg .tick{font-size:11px;fill:#6b7580}svg .rl{font-size:12px;fill:#222}svg .dl{font-size:11px;fill:#444}svg .dl.in{fill:#fff;font-weight:600}
svg .vl{font-size:12px;fill:#222;font-weight:600}svg .lg{font-size:12px;fill:#333}
svg a:hover text{fill:var(--accent)}svg a:hover rect,svg a:hover circle{opacity:.8}
details summary{cursor:pointer;color:var(--accent)}details ul{margin:4px 0 4px 18px;padding:0;font-size:13px}
"""


def _cat(c: str) -> str:
    c = c or "other"
    return f'<span class="cat" style="background:{CATEGORY_COLORS.get(c, "#999")}">{_esc(c)}</span>'


def _pager(prefix: str, current: int, pages: int) -> str:
    if pages <= 1:
        return ""
    links = [f"<b>{p}</b>" if p == current else f'<a href="#{prefix}-{p}">{p}</a>' for p in range(1, pages + 1)]
    return f'<nav class="pager">Pages: {"".join(links)}</nav>'


def _table(head: list[str], rows: list[str], cls: str = "") -> str:
    th = "".join(f"<th>{_esc(h)}</th>" for h in head)
    return f'<table class="{cls}"><thead><tr>{th}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def _amounts_cell(cell: str) -> str:
    return "; ".join(f'<span class="nw">{_esc(format_amount(v, u) if u else v)}</span>' for v, u in split_amounts(cell))


def _date_cell(r: Mapping) -> str:
    if r.get("date_start"):
        return _esc(f"{r['date_start']} – {r.get('date_end') or '…'}")
    return _esc(r.get("date_value") or "")


@dataclass
class _Doc:
    n: int
    row: dict
    marks: list[Mark] = field(default_factory=list)
    events: list[tuple[int, dict]] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"doc-{self.n}"

    def sent_href(self, sid) -> str:
        return f"#doc-{self.n}-s{_int(sid, 0)}"


def _doc_section(d: _Doc, n_docs: int, page: int, text: str | None, why: str | None) -> tuple[str, str | None]:
    """The section of one document, and the reason it is not highlighted (None when it is)."""
    r = d.row
    a = d.anchor
    meta = " · ".join(_esc(x) for x in (
        r.get("path"), r.get("title"), f"published {r.get('published')}" if r.get("published") else "",
        f"{r.get('chars')} characters" if r.get("chars") else "",
        f"{r.get('sentences')} sentences" if r.get("sentences") else "", f"status {r.get('status')}") if x)
    nav = [f'<a href="#docs-{page}">↑ index page {page}</a>']
    if d.n > 1:
        nav.append(f'<a href="#doc-{d.n - 1}">← previous</a>')
    if d.n < n_docs:
        nav.append(f'<a href="#doc-{d.n + 1}">next →</a>')
    parts = [f'<section class="view doc" id="{a}"><div class="docnav">{"".join(nav)}</div>',
             f"<h2>{_esc(r.get('doc_id'))}</h2><p class=\"note\">{meta}</p>"]
    if r.get("status") == "error":
        parts.append(f'<div class="err"><b>This document failed:</b> {_esc(r.get("error"))}</div>')
    evidence = {}
    for _, e in d.events:
        evidence.setdefault(_int(e.get("sentence_id"), 0), e.get("sentence") or "")
    sids = sorted({m.sid for m in d.marks} | set(evidence))
    reason = why
    if reason is None and text is None and sids:
        reason = "the text was not read"
    if reason is None and text is not None:
        chars = _int(r.get("chars"))
        if chars is not None and chars != len(text):
            reason = (f"the text read back has {len(text)} characters, documents.csv says {chars} "
                      f"(the file changed since extraction?)")
        else:
            for m in d.marks:
                if not (0 <= m.start < m.end <= len(text)) or text[m.start:m.end] != m.text:
                    reason = (f"the {m.table} record {m.text!r} is not at characters {m.start}–{m.end} of the text "
                              f"(the file changed since extraction?)")
                    break
    body = ""
    dropped: list[Mark] = []
    if reason is None and text is not None:
        kept, dropped = non_overlapping(d.marks)
        try:
            regions, unplaced = _sentence_regions(text, d.marks, evidence)
        except ValueError as exc:
            reason = f"records are out of order ({exc})"
        else:
            body = f'<div class="doctext" lang="ko">{highlight(text, kept, regions, a)}</div>'
            if unplaced:
                body += _sentence_list(d, unplaced, evidence, "Event sentences not found in the text")
    if reason is not None:
        if sids:
            parts.append(f'<div class="warn"><b>Not highlighted:</b> {_esc(reason)}. '
                         f'The records are listed by sentence instead.</div>')
            body = _sentence_list(d, sids, evidence, "Sentences with records")
        elif r.get("status") != "error":
            parts.append(f'<p class="note">No text shown ({_esc(reason)}); this document has no records.</p>')
    elif text is not None and not sids:
        body = f'<p class="note">No records in this document.</p><div class="doctext" lang="ko">{_esc(text)}</div>'
    if body:
        legend = "".join(f'<mark class="e-{lab}">{lab}</mark>' for lab in LABELS)
        parts.append(f'<h3>Text</h3><div class="legend">{legend}<span class="note">value in the label; '
                     f'hover for details; small numbers are sentence ids</span></div>{body}')
    if dropped:
        parts.append('<p class="note">Overlapping records not highlighted (listed below): '
                     + ", ".join(_esc(f"{m.label} {m.text}") for m in dropped) + "</p>")
    if d.events:
        items = _timeline_items(d, label_with_doc=False)
        if items:
            parts.append("<h3>Timeline</h3>" + svg_timeline(items))
        parts.append("<h3>Events</h3>" + _events_table(d, [e for e in d.events], with_doc=False))
    by_table = defaultdict(list)
    for m in d.marks:
        by_table[m.table].append(m)
    if by_table.get("amounts"):
        rows = []
        for m in sorted(by_table["amounts"], key=lambda m: (m.start, m.row)):
            r = m.rec
            shown = format_amount(r.get("value"), r.get("unit") or "") if r.get("unit") else format_number(r.get("value"))
            rows.append(f'<tr data-rec="amounts:{m.row}"><td><a href="{d.sent_href(m.sid)}">s{m.sid}</a></td>'
                        f'<td>{_esc(m.text)}</td><td>{_esc(r.get("kind"))}</td><td class="num">{_esc(shown)}</td>'
                        f'<td>{_esc(r.get("unit") or "(none)")}</td><td>{_esc(r.get("qualifier"))}</td></tr>')
        parts.append("<h3>Money and quantities</h3>"
                     + _table(["sentence", "text", "kind", "value", "unit", "qualifier"], rows))
    if by_table.get("dates"):
        rows = [f'<tr data-rec="dates:{m.row}"><td><a href="{d.sent_href(m.sid)}">s{m.sid}</a></td>'
                f'<td>{_esc(m.text)}</td><td>{_esc(m.rec.get("value"))}</td><td>{_esc(m.rec.get("mod"))}</td></tr>'
                for m in sorted(by_table["dates"], key=lambda m: (m.start, m.row))]
        parts.append("<h3>Dates</h3>" + _table(["sentence", "text", "value", "mod"], rows))
    if by_table.get("organizations"):
        rows = [f'<tr data-rec="organizations:{m.row}"><td><a href="{d.sent_href(m.sid)}">s{m.sid}</a></td>'
                f'<td>{_esc(m.text)}</td><td>{_esc(m.rec.get("name"))}</td><td>{_esc(m.rec.get("kind"))}</td></tr>'
                for m in sorted(by_table["organizations"], key=lambda m: (m.start, m.row))]
        parts.append("<h3>Organisations</h3>" + _table(["sentence", "text", "name", "kind"], rows))
    parts.append("</section>")
    return "".join(parts), reason


def _sentence_list(d: _Doc, sids: list[int], evidence: Mapping[int, str], heading: str) -> str:
    by_sid = defaultdict(list)
    for m in d.marks:
        by_sid[m.sid].append(m)
    out = [f'<div class="sentlist"><p class="note">{_esc(heading)}:</p>']
    for sid in sids:
        sentence = evidence.get(sid)
        chips = "".join(f'<span class="chip e-{m.label}" title="{_esc(m.tip)}">{_esc(m.text)}{" → " if m.tag else ""}{_esc(m.tag)}</span>'
                        for m in sorted(by_sid.get(sid, []), key=lambda m: m.start))
        text = _esc(sentence) if sentence else '<span class="note">(sentence text not in the CSVs)</span>'
        out.append(f'<div class="sent" id="{d.anchor}-s{sid}"><a class="sn" href="#{d.anchor}-s{sid}">{sid}</a>'
                   f'{text}<br>{chips}</div>')
    out.append("</div>")
    return "".join(out)


def _timeline_items(d: _Doc, label_with_doc: bool) -> list[TimelineItem]:
    items = []
    for _, e in d.events:
        where = event_span(e)
        if where is None:
            continue
        start, end = where
        is_range = bool(e.get("date_start"))
        orgs = (e.get("orgs") or "").replace(";", ", ") or NO_ORG
        label = f"{d.row.get('doc_id')}: {orgs}" if label_with_doc else orgs
        amounts = "; ".join(format_amount(v, u) for v, u in split_amounts(e.get("amounts")))
        tip = (f"{e.get('date_text')} ({_date_cell(e)}) · {e.get('category')} · {orgs}"
               + (f" · {amounts}" if amounts else "") + f"\n{_fit(e.get('sentence') or '', 1600, 12)}")
        date_label = (f"{e.get('date_start')} – {e.get('date_end') or '…'}" if is_range else e.get("date_value") or "")
        single = None if is_range else period(e.get("date_value") or "")
        items.append(TimelineItem(label, start, end if is_range else None, is_range,
                                  e.get("category") or "other", d.sent_href(e.get("sentence_id")), tip,
                                  date_label, single[1] if single else None))
    return items


def _events_table(d: _Doc | None, events: list[tuple[int, dict]], with_doc: bool,
                  docs: Mapping[int, _Doc] | None = None) -> str:
    rows = []
    for i, e in events:
        dd = d if d is not None else docs[i]
        href = dd.sent_href(e.get("sentence_id"))
        doc_cell = f'<td class="doc"><a href="#{dd.anchor}">{_esc(e.get("doc_id"))}</a></td>' if with_doc else ""
        attr = f'data-ev="{i}"' if with_doc else f'data-rec="events:{i}"'
        rows.append(f'<tr {attr}><td><a href="{href}">s{_int(e.get("sentence_id"), 0)}</a></td>{doc_cell}'
                    f'<td>{_esc(e.get("date_text"))}</td><td class="nw">{_date_cell(e)}</td>'
                    f'<td>{_cat(e.get("category"))}</td><td>{_esc((e.get("orgs") or "").replace(";", ", "))}</td>'
                    f'<td class="amt">{_amounts_cell(e.get("amounts"))}</td>'
                    + (f'<td class="ev">{_esc(e.get("sentence"))}</td>' if with_doc else "") + "</tr>")
    head = ["sentence"] + (["document"] if with_doc else []) + ["date", "value", "category", "organisations",
                                                                 "amounts"] + (["evidence"] if with_doc else [])
    return _table(head, rows)


def build_report(tables: Mapping[str, pd.DataFrame], texts: Mapping[str, str],
                 unreadable: Mapping[str, str] | None = None, docs_per_page: int = 50,
                 title: str = "CSR extraction report", events_per_page: int = EVENTS_PER_PAGE) -> str:
    """The report as one HTML string (pure: no file access).

    ``tables``: the five CSVs as DataFrames (:func:`read_tables`); ``texts``: {doc_id: text read
    back}; ``unreadable``: {doc_id: why its text could not be read}."""
    unreadable = dict(unreadable or {})
    docs_per_page = max(1, int(docs_per_page))
    tables = {name: tables.get(name, pd.DataFrame(columns=COLUMNS[name])) for name in TABLE_NAMES}
    docs: list[_Doc] = []
    first_doc: dict[str, _Doc] = {}
    for r in tables["documents"].to_dict("records"):
        r = {k: ("" if v is None else str(v)) for k, v in r.items()}
        d = _Doc(len(docs) + 1, r)
        docs.append(d)
        doc_id = r["doc_id"]
        if doc_id not in first_doc or (first_doc[doc_id].row.get("status") != "ok" and r.get("status") == "ok"):
            first_doc[doc_id] = d

    def doc_for(doc_id: str) -> _Doc:
        if doc_id not in first_doc:  # records of a document documents.csv does not list
            d = _Doc(len(docs) + 1, {"doc_id": doc_id, "path": "", "status": "missing",
                                     "error": "no row in documents.csv"})
            docs.append(d)
            first_doc[doc_id] = d
            unreadable.setdefault(doc_id, "documents.csv has no row for this document")
        return first_doc[doc_id]

    for m in _marks(tables):
        doc_for(m.doc_id).marks.append(m)
    events_all: list[tuple[int, dict]] = []
    event_doc: dict[int, _Doc] = {}
    for i, e in enumerate(tables["events"].to_dict("records")):
        e = {k: ("" if v is None else str(v)) for k, v in e.items()}
        d = doc_for(e["doc_id"])
        d.events.append((i, e))
        events_all.append((i, e))
        event_doc[i] = d
    n_docs = len(docs)
    pages = max(1, math.ceil(n_docs / docs_per_page))

    # document sections
    sections, not_highlighted = [], {}
    for d in docs:
        page = (d.n - 1) // docs_per_page + 1
        doc_id = d.row["doc_id"]
        text = texts.get(doc_id) if d is first_doc.get(doc_id) else None
        why = unreadable.get(doc_id) if d is first_doc.get(doc_id) else None
        if d.row.get("status") == "error":
            text, why = None, None
        sec, reason = _doc_section(d, n_docs, page, text, why)
        sections.append(sec)
        if reason is not None and (d.marks or d.events):
            not_highlighted[d.n] = reason

    # events in date order, paged
    def ev_key(pair):
        where = event_span(pair[1])
        return (0, where[0], pair[0]) if where else (1, date.max, pair[0])

    ordered = sorted(events_all, key=ev_key)
    ev_pages = max(1, math.ceil(len(ordered) / events_per_page))
    page_of_event = {i: k // events_per_page + 1 for k, (i, _) in enumerate(ordered)}
    ev_sections = []
    for p in range(1, ev_pages + 1):
        chunk = ordered[(p - 1) * events_per_page: p * events_per_page]
        ev_sections.append(f'<section class="view" id="events-{p}"><h2>Events in date order</h2>'
                           f'<p class="note">{len(ordered)} events; unresolved dates last. Each row links to its '
                           f'sentence.</p>{_pager("events", p, ev_pages)}'
                           f'{_events_table(None, chunk, with_doc=True, docs=event_doc)}'
                           f'{_pager("events", p, ev_pages)}</section>')

    # index pages
    counts = {t: defaultdict(int) for t in ("dates", "organizations", "amounts")}
    for d in docs:
        for m in d.marks:
            counts[m.table][d.n] += 1
    index_sections = []
    for p in range(1, pages + 1):
        rows = []
        for d in docs[(p - 1) * docs_per_page: p * docs_per_page]:
            r = d.row
            status = r.get("status") or ""
            flag = (f' <span class="note">({_esc("not highlighted")})</span>' if d.n in not_highlighted else "")
            rows.append(f'<tr data-doc="{d.n}"><td class="num">{d.n}</td><td><a href="#{d.anchor}">'
                        f'{_esc(r.get("doc_id"))}</a></td><td>{_esc(r.get("title"))}</td>'
                        f'<td>{_esc(r.get("published"))}</td><td>{_esc(status)}{flag}</td>'
                        f'<td class="num">{len(d.events)}</td><td class="num">{counts["dates"][d.n]}</td>'
                        f'<td class="num">{counts["organizations"][d.n]}</td>'
                        f'<td class="num">{counts["amounts"][d.n]}</td></tr>')
        lo, hi = (p - 1) * docs_per_page + 1, min(p * docs_per_page, n_docs)
        index_sections.append(
            f'<section class="view" id="docs-{p}"><h2>Documents {lo}–{hi} of {n_docs}</h2>'
            f'{_pager("docs", p, pages)}'
            + _table(["#", "document", "title", "published", "status", "events", "dates", "organisations",
                      "amounts"], rows)
            + f'{_pager("docs", p, pages)}</section>')

    # money
    per_sentence, by_category = money_by(tables)
    org_rows, org_bars = [], []
    if len(per_sentence):
        totals: dict[str, Decimal] = defaultdict(Decimal)
        for org, v in zip(per_sentence["org"], per_sentence["krw"]):
            totals[org] += v
        ranked = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))
        for k, (org, total) in enumerate(ranked, start=1):
            sub = per_sentence[per_sentence["org"] == org]
            parts: dict[str, Decimal] = defaultdict(Decimal)
            other: dict[str, Decimal] = defaultdict(Decimal)
            items = []
            for rec in sub.to_dict("records"):
                parts[rec["category"]] += rec["krw"]
                for unit, v in rec["other"]:
                    other[unit] += v
                d = doc_for(rec["doc_id"])
                shared = f" (shared by {rec['n_orgs']} organisations)" if rec["n_orgs"] > 1 else ""
                evidence = (tables["events"].iloc[rec["event_row"]]["sentence"] if rec["event_row"] >= 0
                            else " · ".join(rec["texts"]))
                figure = format_krw(rec["krw"]) if rec["krw"] else ""
                items.append(f'<li><a href="{d.sent_href(rec["sentence_id"])}">{_esc(rec["doc_id"])} '
                             f's{_esc(rec["sentence_id"])}</a> <b>{_esc(figure)}</b> {_cat(rec["category"])}'
                             f'{_esc(shared)} — {_esc(evidence)}</li>')
            other_cell = "; ".join(f"{format_number(v)} {u}" for u, v in other.items())
            org_rows.append(
                f'<tr id="money-{k}"><td>{_esc(org)}</td><td class="num">{_esc(format_krw(total)) if total else ""}'
                f'</td><td>{_esc(other_cell)}</td><td><details><summary>{len(sub)} sentences</summary><ul>'
                f'{"".join(items)}</ul></details></td></tr>')
            if len(org_bars) < TOP_ORGS and total > 0:
                org_bars.append((org, {c: v for c, v in parts.items() if v}, f"#money-{k}"))
    cat_bars = [(c, {c: v}, "#money") for c, v in zip(by_category["category"], by_category["krw"])]
    if org_bars:
        money_charts = (f"<h3>KRW by organisation (top {len(org_bars)})</h3>" + svg_bars(org_bars)
                        + "<h3>KRW by category</h3>" + svg_bars(cat_bars, label_px=140)
                        + '<p class="note">The KRW amounts of each sentence, summed for every organisation of the '
                          'sentence (its event\'s, else the organisations it names), so one sum can count for two '
                          'organisations; category from the sentence\'s event ("no event": a sentence without a '
                          'date). Click a bar for the sentences behind it.</p>')
    else:
        money_charts = '<p class="note">No amounts in KRW.</p>'
    money_section = (f'<section class="view" id="money"><h2>Money by organisation</h2>{money_charts}'
                     + (_table(["organisation", "KRW", "other currencies", "sentences (open for evidence)"], org_rows)
                        if org_rows else "") + "</section>")

    # review
    review = review_rows(tables, {k: v for k, v in unreadable.items()})
    rrows = []
    for rec in review.to_dict("records"):
        d = first_doc.get(str(rec["doc_id"]))
        if rec["table"] == "documents" and rec["row"] >= 0:
            d = docs[rec["row"]]
        href = d.sent_href(rec["sentence_id"]) if (d and rec["sentence_id"] != "") else (f"#{d.anchor}" if d else "#review")
        link_text = f"s{rec['sentence_id']}" if rec["sentence_id"] != "" else "document"
        rrows.append(f'<tr data-review="{_esc(rec["table"])}:{rec["row"]}"><td><a href="{href}">{_esc(link_text)}</a></td>'
                     f'<td>{_esc(rec["issue"])}</td><td>{_esc(rec["doc_id"])}</td><td>{_esc(rec["text"])}</td>'
                     f'<td class="ev">{_esc(rec["detail"])}</td></tr>')
    for n, why in not_highlighted.items():
        d = docs[n - 1]
        if d.row["doc_id"] in unreadable and d is first_doc.get(d.row["doc_id"]):
            continue  # listed above as "text not readable"
        rrows.append(f'<tr data-review="documents:{n - 1}"><td><a href="#{d.anchor}">document</a></td>'
                     f'<td>not highlighted</td><td>{_esc(d.row["doc_id"])}</td><td></td><td class="ev">{_esc(why)}</td></tr>')
    review_section = (
        f'<section class="view" id="review"><h2>Review first</h2><p class="note">Values left unresolved '
        f'(<code>XXXX-03</code>), amounts without a unit, events without an organisation, documents that failed '
        f'and texts that could not be read back.</p>'
        + (_table(["link", "issue", "document", "text", "detail"], rrows) if rrows
           else '<p>Nothing to review.</p>') + "</section>")

    # overview
    n_ok = sum(1 for d in docs if d.row.get("status") == "ok")
    n_err = sum(1 for d in docs if d.row.get("status") == "error")
    cards = [(n_docs, "documents"), (n_ok, "ok"), (n_err, "failed"), (len(events_all), "events"),
             (len(tables["dates"]), "dates"), (len(tables["organizations"]), "organisations"),
             (len(tables["amounts"]), "amounts"), (len(rrows), "to review")]
    cards_html = '<div class="cards">' + "".join(
        f'<div class="card"><b>{n:,}</b><span>{_esc(label)}</span></div>' for n, label in cards) + "</div>"
    items = []
    item_page = {}
    for k, (i, e) in enumerate(ordered):
        d = event_doc[i]
        got = _timeline_items(_Doc(d.n, d.row, events=[(i, e)]), label_with_doc=n_docs > 1)
        if got:
            item_page[len(items)] = page_of_event[i]
            items.extend(got)
    unplaced = len(events_all) - len(items)
    if len(items) <= TIMELINE_MAX_ROWS:
        timeline = svg_timeline(items)
        tl_note = "One row per event: a dot for a date, a bar for a range. Click a row for its sentence."
    else:
        timeline = svg_histogram(items, item_page)
        tl_note = (f"{len(items)} events by start date, stacked by category. Click a bar for the events of that "
                   f"period; each document has its own timeline.")
    if unplaced:
        tl_note += f" {unplaced} events with unresolved dates are not drawn (see Review)."
    overview = (f'<section class="view" id="overview"><h2>Overview</h2>{cards_html}'
                f'<h3>Event timeline</h3><p class="note">{_esc(tl_note)} '
                f'<a href="#events-1">All events in date order</a>.</p>{timeline or "<p>No events.</p>"}'
                f'{money_charts}<p><a href="#money">Money table with the sentences behind each sum</a> · '
                f'<a href="#review">Records to review first</a> · <a href="#docs-1">Documents</a></p></section>')

    nav = ('<a href="#overview">Overview</a><a href="#docs-1">Documents</a><a href="#events-1">Events</a>'
           '<a href="#money">Money</a><a href="#review">Review</a>')
    head_meta = f"{n_docs:,} documents · {len(events_all):,} events"
    return ("<!DOCTYPE html>\n<html lang=\"ko\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{_esc(title)}</title><style>{CSS}</style></head><body>"
            f'<header class="top"><h1>{_esc(title)}</h1>{nav}<span class="meta">{_esc(head_meta)}</span></header>'
            f"<main>{overview}{money_section}{review_section}{''.join(index_sections)}{''.join(ev_sections)}"
            f"{''.join(sections)}</main></body></html>\n")


def write_report(out_dir: Path, html_path: Path | None = None, docs_per_page: int = 50,
                 base_dir: Path | None = None) -> Path:
    """Read the CSVs in ``out_dir``, read the texts back (paths relative to ``base_dir``, the
    current directory by default) and write ``out_dir/report.html`` (or ``html_path``) atomically.
    Returns the path written. Raises FileNotFoundError when ``out_dir`` has no documents.csv."""
    out_dir = Path(out_dir)
    html_path = Path(html_path) if html_path is not None else out_dir / "report.html"
    tables = read_tables(out_dir)
    texts, unreadable = load_texts(tables["documents"], base_dir)
    page = build_report(tables, texts, unreadable, docs_per_page=docs_per_page,
                        title=f"CSR extraction report: {out_dir.resolve().name}")
    html_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=html_path.parent, prefix=f".{html_path.name}.tmp-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(page)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes it private; a report is for sharing
        os.replace(tmp, html_path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return html_path
