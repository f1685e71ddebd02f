"""Where events sit in time: date values as periods, events as points or ranges."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from ..timex import try_parse


def add_months(d: date, months: int) -> date:
    """The first day of the month ``months`` after ``d``'s month."""
    y, m = divmod(d.month - 1 + months, 12)
    return date(d.year + y, m + 1, 1)


def period(value: str) -> tuple[date, date] | None:
    """A date value as [start, end) (:meth:`pipeline.timex.Timex.period`): ``2020-03`` →
    (2020-03-01, 2020-04-01); ``2021-Q1``, ``2020-H2``, ``2020``, ``2020-03-08`` likewise;
    unresolved (``XXXX-03``), durations and malformed values → None."""
    t = try_parse(str(value or ""))
    return t.period() if t is not None else None


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


def date_label(e: Mapping) -> str:
    """An event's date as the tables show it: ``2020-03 – 2020-06``, ``2024-Q1 – …``, ``2023-12-20``."""
    if e.get("date_start"):
        return f"{e['date_start']} – {e.get('date_end') or '…'}"
    return str(e.get("date_value") or "")
