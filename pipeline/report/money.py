"""Amounts as Korean readers write them (억/만), and money summed by organisation and category.

:func:`money_by`: the MONEY records of ``amounts.csv`` in KRW are summed by sentence (other
currencies are listed beside, never converted). An event's sum is credited by role: as
:data:`GIVEN` to its ``actor`` (the organisation that gives, runs or signs; "(no organisation)"
when a person does) and as :data:`RECEIVED` to each of its ``counterparts``. A sentence without an
event, or an event without roles (an ``events.csv`` written before them), credits the sum as
:data:`NAMED` to each organisation it names (its event's ``orgs``, else its ORG records, else
"(no organisation)"). So
given money is counted once, while received and named totals can overlap, and the page says so.
The category is the event's, or "no event" for a sentence without a date.

A range (``15만~73만 원``, two MONEY records) is credited once, at its upper end, as ``최대 73만 원``
would be (the report credits amounts as written, whatever their qualifier); its evidence shows the
range as written. Two MONEY records of one unit are a range when the document's text joins them
with ``~`` (:data:`RANGE_JOIN`); without the texts, when the first is written without its unit
(``15만``: only a range's first end is).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

import pandas as pd

from .palette import CATEGORY_COLORS, NO_EVENT, NO_ORG

GIVEN, RECEIVED, NAMED = "given", "received", "named"
ROLES = (GIVEN, RECEIVED, NAMED)
"""How a sentence's sum is credited to an organisation: as the event's actor, as one of its
counterparts, or as one of the organisations named in a sentence whose roles are not known."""


RANGE_JOIN = re.compile(r"\s*[~∼〜～]\s*")
"""What stands between the two ends of a range (``15만~73만 원``, ``15만 원 ~ 73만 원``)."""
_UNITLESS = re.compile(r"[\d,.\s]*[만억조천백십]?")  # 15만, 30: a range's first end, the unit left to the second


def to_decimal(value: object) -> Decimal | None:
    try:
        d = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return d if d.is_finite() else None


def format_krw(value: object) -> str:
    """Won the way Korean readers write it: ``5390000000`` → ``53억 9,000만 원``,
    ``500000000`` → ``5억 원``, ``1200000000000`` → ``1조 2,000억 원``, ``12345`` → ``1만 2,345 원``."""
    d = to_decimal(value)
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


def format_krw_short(value: object) -> str:
    """Axis labels: the two largest units only (``53억 9,000만`` → ``53.9억``)."""
    d = to_decimal(value)
    if d is None:
        return str(value)
    n = float(d)
    for size, unit in ((1e12, "조"), (1e8, "억"), (1e4, "만")):
        if abs(n) >= size:
            return f"{n / size:,.1f}".rstrip("0").rstrip(".") + unit
    return f"{n:,.0f}"


def format_number(value: object) -> str:
    d = to_decimal(value)
    if d is None:
        return str(value)
    if d == d.to_integral_value():
        return f"{int(d):,}"
    return f"{d:,}"


def format_amount(value: object, unit: str) -> str:
    """``5390000000 KRW`` → ``53억 9,000만 원``; ``120000 개`` → ``120,000 개``; no unit → the number."""
    if unit == "KRW":
        return format_krw(value)
    return f"{format_number(value)} {unit}".strip()


def split_amounts(cell: object) -> list[tuple[str, str]]:
    """An ``events.csv`` ``amounts`` cell (``5390000000 KRW;100 %``) as (value, unit) pairs."""
    out = []
    for item in str(cell or "").split(";"):
        item = item.strip()
        if item:
            value, _, unit = item.partition(" ")
            out.append((value, unit.strip()))
    return out


def _names(cell: object) -> list[str]:
    """The names of an ``events.csv`` cell (``;``-joined; empty, None or NaN = none)."""
    if cell is None or (isinstance(cell, float) and cell != cell):
        return []
    return [n for n in str(cell).split(";") if n]


def _credits(event: Mapping[str, Any] | None, named: list[str]) -> list[tuple[str, str]]:
    """(organisation, role) pairs a sentence's sum is credited to (see the module's docstring)."""
    if event is None:
        return [(o, NAMED) for o in sorted(named) or [NO_ORG]]
    actor, counterparts = _names(event.get("actor")), _names(event.get("counterparts"))
    if actor or counterparts:
        return [((actor or [NO_ORG])[0], GIVEN), *((c, RECEIVED) for c in counterparts)]
    orgs = _names(event.get("orgs"))  # an events.csv without roles
    return [(o, NAMED) for o in orgs or [NO_ORG]]


def _offset(value: object) -> int | None:
    try:
        return int(str(value))
    except ValueError:
        return None


def _is_range(first: Mapping[str, Any], second: Mapping[str, Any], text: str | None) -> bool:
    """``first`` and ``second`` (MONEY records of one sentence, in text order) are the two ends of
    one range: one unit, and ``~`` between them in ``text`` (without it, ``first`` written without
    its unit)."""
    if str(first.get("unit") or "") != str(second.get("unit") or ""):
        return False
    end, start = _offset(first.get("end")), _offset(second.get("start"))
    if text is not None and end is not None and start is not None and end <= start <= len(text):
        return bool(RANGE_JOIN.fullmatch(text[end:start]))
    return bool(_UNITLESS.fullmatch(str(first.get("text") or "")))


def _ranges_once(records: list[dict], texts: Mapping[str, str] | None) -> list[dict]:
    """The MONEY records with each range's two ends as one record: the upper end's value, the
    range's text (``15만~73만 원``)."""
    out: list[dict] = []
    ordered = sorted(records, key=lambda r: (str(r["doc_id"]), str(r["sentence_id"]), _offset(r.get("start")) or 0))
    for r in ordered:
        prev = out[-1] if out else {}
        same = bool(prev) and (prev["doc_id"], prev["sentence_id"]) == (r["doc_id"], r["sentence_id"])
        if same and not prev.get("_range") and _is_range(prev, r, (texts or {}).get(str(r["doc_id"]))):
            low, high = to_decimal(prev.get("value")), to_decimal(r.get("value"))
            value = max(low, high) if low is not None and high is not None else r.get("value")
            out[-1] = {**r, "value": value, "text": f"{prev.get('text') or ''}~{r.get('text') or ''}", "_range": True}
        else:
            out.append(r)
    return out


def money_by(
    tables: Mapping[str, pd.DataFrame], texts: Mapping[str, str] | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Money by sentence, from ``amounts.csv``: (one row per sentence × credited organisation:
    ``org, role, category, krw, other, doc_id, sentence_id, texts, n_orgs, event_row``; and KRW per
    category). ``texts``: {doc_id: document text}, to find the ranges whose both ends carry their
    unit (``15만 원~73만 원``).

    ``krw`` is the sum of the sentence's KRW amounts, ``other`` the amounts in other currencies as
    (code, value) pairs, ``role`` one of :data:`ROLES` and ``n_orgs`` how many organisations the
    sentence credits in that role; see the module's docstring for organisations and categories."""
    events: dict[tuple[str, str], tuple[int, dict]] = {}
    for i, r in enumerate(tables["events"].to_dict("records")):
        events.setdefault((str(r["doc_id"]), str(r["sentence_id"])), (i, r))
    org_names: dict[tuple[str, str], list[str]] = defaultdict(list)
    for r in tables["organizations"].to_dict("records"):
        key = (str(r["doc_id"]), str(r["sentence_id"]))
        name = r.get("name") or r.get("text") or ""
        if name and name not in org_names[key]:
            org_names[key].append(name)
    money: dict[tuple[str, str], dict[str, Any]] = {}
    for r in _ranges_once([r for r in tables["amounts"].to_dict("records") if r.get("kind") == "MONEY"], texts):
        d = to_decimal(r.get("value"))
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
            category = event.get("category") if event.get("category") in CATEGORY_COLORS else "other"
        else:
            category = NO_EVENT
        credits = _credits(event, org_names.get(key, []))
        for org, role in credits:
            rows.append(
                {
                    "org": org,
                    "role": role,
                    "category": category,
                    "krw": m["krw"],
                    "other": m["other"],
                    "doc_id": key[0],
                    "sentence_id": key[1],
                    "texts": m["texts"],
                    "n_orgs": sum(r == role for _, r in credits),
                    "event_row": event_row,
                }
            )
    cols = ["org", "role", "category", "krw", "other", "doc_id", "sentence_id", "texts", "n_orgs", "event_row"]
    per_sentence = pd.DataFrame(rows, columns=cols)
    first = per_sentence.drop_duplicates(["doc_id", "sentence_id"])
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for c, v in zip(first["category"], first["krw"], strict=True):
        totals[c] += v
    by_category = pd.DataFrame(
        [(c, v) for c, v in sorted(totals.items(), key=lambda kv: -kv[1]) if v > 0], columns=["category", "krw"]
    )
    return per_sentence, by_category
