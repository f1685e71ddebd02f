"""The DATE value format of docs/annotation.md, as one small type.

A value is a calendar point at some grain, with unknown parts written ``X`` (never guessed), or a
duration::

    2020-03-08  2020-03  2020  2020-H1  2021-Q1  2021-W05  XXXX-03  XXXX-XX-19  P1M  P4D  P3Y  P2W

:meth:`Timex.parse` and :meth:`Timex.format` are pure and inverse: ``Timex.parse(s).format() == s``
for every ``s`` that :data:`VALUE` matches. ISO weeks (``2021-W05``) are parsed and written; no
rule produces them yet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

Grain = Literal["year", "half", "quarter", "month", "week", "day", "duration"]

#: Every well-formed value (point or duration), anchored. Durations are written canonically: no
#: leading zeros, no trailing zeros after a decimal point (``P1M``, ``P1.5Y``).
VALUE = re.compile(
    r"^(?:(?P<year>\d{4}|XXXX)"
    r"(?:-(?:H(?P<half>[12])|Q(?P<quarter>[1-4])|W(?P<week>0[1-9]|[1-4]\d|5[0-3])"
    r"|(?P<month>0[1-9]|1[0-2]|XX)(?:-(?P<day>0[1-9]|[12]\d|3[01]|XX))?))?"
    r"|P(?P<count>(?:0|[1-9]\d*)(?:\.\d*[1-9])?)(?P<unit>[YMWD]))$"
)

#: Duration unit letters, by the calendar unit they count.
DURATION_UNITS = ("Y", "M", "W", "D")


@dataclass(frozen=True)
class Timex:
    """One DATE value. ``None`` in ``year``/``month``/``day`` is a part the text leaves unknown
    (written ``X``); ``grain`` says down to which part the value is written."""

    grain: Grain
    year: int | None = None
    month: int | None = None
    day: int | None = None
    half: int | None = None  # 1 or 2
    quarter: int | None = None  # 1 to 4
    week: int | None = None  # ISO week, 1 to 53
    count: int | float | None = None  # durations: P<count><unit>
    unit: str | None = None  # Y, M, W or D

    @classmethod
    def parse(cls, value: str) -> Timex:
        """``"2020-03"`` → ``Timex(grain="month", year=2020, month=3)``; ValueError if malformed."""
        m = VALUE.match(value or "")
        if not m:
            raise ValueError(f"not a DATE value: {value!r}")
        g = m.groupdict()
        if g["count"] is not None:
            count: int | float = float(g["count"]) if "." in g["count"] else int(g["count"])
            return cls("duration", count=count, unit=g["unit"])

        def num(key: str) -> int | None:
            v = g[key]
            return None if v is None or v.startswith("X") else int(v)

        year = num("year")
        if g["half"]:
            return cls("half", year, half=int(g["half"]))
        if g["quarter"]:
            return cls("quarter", year, quarter=int(g["quarter"]))
        if g["week"]:
            return cls("week", year, week=int(g["week"]))
        if g["day"] is not None:
            return cls("day", year, num("month"), num("day"))
        if g["month"] is not None:
            return cls("month", year, num("month"))
        return cls("year", year)

    @classmethod
    def duration(cls, count: int | float, unit: str) -> Timex:
        if unit not in DURATION_UNITS:
            raise ValueError(f"not a duration unit: {unit!r}")
        return cls("duration", count=count, unit=unit)

    @property
    def is_duration(self) -> bool:
        return self.grain == "duration"

    @property
    def is_resolved(self) -> bool:
        """A point whose written parts are all known (no ``X``); durations count as resolved."""
        return "X" not in self.format()

    def format(self) -> str:
        """The value as docs/annotation.md writes it."""
        if self.grain == "duration":
            count = self.count
            if isinstance(count, float) and count.is_integer():
                count = int(count)
            return f"P{count}{self.unit}"
        ys = "XXXX" if self.year is None else f"{self.year:04d}"
        if self.grain == "year":
            return ys
        if self.grain == "half":
            return f"{ys}-H{self.half}"
        if self.grain == "quarter":
            return f"{ys}-Q{self.quarter}"
        if self.grain == "week":
            return f"{ys}-W{self.week:02d}"
        ms = "XX" if self.month is None else f"{self.month:02d}"
        if self.grain == "month":
            return f"{ys}-{ms}"
        ds = "XX" if self.day is None else f"{self.day:02d}"
        return f"{ys}-{ms}-{ds}"

    __str__ = format

    def period(self) -> tuple[date, date] | None:
        """The calendar period a resolved point covers, as [start, end): ``2020-03`` →
        (2020-03-01, 2020-04-01); ``None`` for durations, unresolved values and impossible dates."""
        if self.is_duration or not self.is_resolved or self.year is None:
            return None
        y = self.year
        try:
            if self.grain == "day":
                d = date(y, self.month or 1, self.day or 1)
                return d, d + timedelta(days=1)
            if self.grain == "month":
                return _months(y, (self.month or 1) - 1, 1)
            if self.grain == "half":
                return _months(y, 6 * ((self.half or 1) - 1), 6)
            if self.grain == "quarter":
                return _months(y, 3 * ((self.quarter or 1) - 1), 3)
            if self.grain == "week":
                d = date.fromisocalendar(y, self.week or 1, 1)
                return d, d + timedelta(days=7)
            return date(y, 1, 1), date(y + 1, 1, 1)
        except ValueError:
            return None


def _months(year: int, first: int, n: int) -> tuple[date, date]:
    """[first month, first month + n) of ``year``; ``first`` counts from 0."""
    end = first + n
    return date(year, first + 1, 1), date(year + end // 12, end % 12 + 1, 1)


def is_value(value: str) -> bool:
    """``value`` is a well-formed DATE value."""
    return bool(VALUE.match(value or ""))


def try_parse(value: str | None) -> Timex | None:
    """:meth:`Timex.parse`, or ``None`` for a malformed or empty value (a CSV cell, a fixture field)."""
    try:
        return Timex.parse((value or "").strip())
    except ValueError:
        return None
