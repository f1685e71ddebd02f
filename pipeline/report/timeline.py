"""Where events sit in time: date values as periods, events as points or ranges."""
from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, timedelta

_PERIOD = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?|-H([12])|-Q([1-4]))?")


def add_months(d: date, months: int) -> date:
    """The first day of the month ``months`` after ``d``'s month."""
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
            return d, add_months(d, 1)
        if half:
            d = date(int(year), 1 + 6 * (int(half) - 1), 1)
            return d, add_months(d, 6)
        if quarter:
            d = date(int(year), 1 + 3 * (int(quarter) - 1), 1)
            return d, add_months(d, 3)
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


def date_label(e: Mapping) -> str:
    """An event's date as the tables show it: ``2020-03 – 2020-06``, ``2024-Q1 – …``, ``2023-12-20``."""
    if e.get("date_start"):
        return f"{e['date_start']} – {e.get('date_end') or '…'}"
    return str(e.get("date_value") or "")
