"""DATE: calendar time as docs/annotation.md writes it (``2020-03``, ``2021-Q1``, ``XXXX-03``, ``P1M``).

A date expression is one :class:`Rule` value in :data:`RULES`: its name, its pattern (a regex
template filled from the word tables), the checks a match must pass, how the match's parts are
read, and how they resolve to a :class:`~pipeline.timex.Timex` against the document date and the
dates before it. Adding an expression means adding one ``Rule`` and its example rows in
``tests/corpus/dates.tsv`` (docs/contributing/date-rule.md).

Finding and resolving are separate pure functions: :func:`find_dates` returns what each surface
says (:class:`DateParts`); :func:`resolve_dates` turns the parts into values in document order
(partial dates inherit missing parts from the nearest preceding date in the sentence, else the
previous sentence, else the document date). Both take a :class:`DateGrammar`, the tables and
compiled rules loaded by :func:`load_grammar`. :class:`DateRecognizer` is the spaCy component
``csr_dates``, which owns its grammar; every DATE span carries ``span._.rule``, and
:func:`explain` lists each date of a text with the rule that produced it.

Word lists live in ``data/date_words.tsv``, ``data/date_parts.tsv``, ``data/durations.tsv`` and
``data/reporting_verbs.tsv``; the widths of text the checks look at are the ``date_*`` fields of
:class:`pipeline.settings.Settings`.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as _dt
import functools
import re
import shutil
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import ensure_path

from .lexicon import DATA_DIR, read_table
from .numbers import (
    CLOSE_QUOTES,
    OPEN_QUOTES,
    QUOTATIVE_AFTER,
    in_quoted_title,
    native_numeral_pattern,
    parse_native,
    parse_number,
)
from .scan import matches
from .settings import SETTINGS, Settings
from .spans import TokenIndex, base_tags, doc_text, set_spans, token_index
from .timex import Timex

# ``span._.end_value``: the last day of a holiday period (설 연휴), no column of its own; events.py
# takes it as the event's date_end.
if not Span.has_extension("end_value"):
    Span.set_extension("end_value", default=None)

#: The tables the component reads (and writes with ``to_disk``).
TABLES = (
    "date_words.tsv",
    "date_parts.tsv",
    "durations.tsv",
    "reporting_verbs.tsv",
    "holidays.tsv",
    "month_names.tsv",
    "qualifiers.tsv",
)


# ---------------------------------------------------------------------------------------------
# Tables and fragments of patterns


@dataclass(frozen=True)
class DateTables:
    """The word tables, keyed by word."""

    words: Mapping[str, Mapping[str, str]]  # date_words.tsv: relative words (올해, 지난달, 지난 …)
    parts: Mapping[str, Mapping[str, str]]  # date_parts.tsv: 초/말/상반기 …
    durations: Mapping[str, Mapping[str, str]]  # durations.tsv: 나흘, 일주일 …
    reporting_verbs: tuple[str, ...]  # reporting_verbs.tsv (every kind)
    holidays: Mapping[str, Mapping[str, str]]  # holidays.tsv: 설날, 추석, 어버이날 … and where their dates come from
    months: Mapping[str, Mapping[str, str]]  # month_names.tsv: 삼월, 유월, 시월 …
    bounds: tuple[str, ...] = ()  # qualifiers.tsv words after an amount (이상, 넘게, 남짓): 1년 이상 is a duration
    bounds_before: tuple[str, ...] = ()  # qualifiers.tsv limits before one (최장, 최대, 최소): 최장 1년 is a duration

    @classmethod
    def read(cls, data_dir: str | Path | None = None) -> DateTables:
        def by_word(name: str) -> dict[str, dict[str, str]]:
            return {r["word"]: r for r in read_table(name, data_dir)}

        qualifiers = read_table("qualifiers.tsv", data_dir)
        return cls(
            words=by_word("date_words.tsv"),
            parts=by_word("date_parts.tsv"),
            durations=by_word("durations.tsv"),
            reporting_verbs=tuple(r["stem"] for r in read_table("reporting_verbs.tsv", data_dir)),
            holidays=by_word("holidays.tsv"),
            months=by_word("month_names.tsv"),
            bounds=tuple(r["word"] for r in qualifiers if r["position"] == "after"),
            bounds_before=tuple(
                r["word"]
                for r in qualifiers
                if r["position"] == "before" and r["qualifier"] in ("at_most", "at_least", "less_than", "more_than")
            ),
        )

    def word(self, surface: str) -> Mapping[str, str]:
        """The date_words row of ``surface`` (spacing as written or closed up)."""
        return _row(self.words, surface)

    def part(self, surface: str) -> Mapping[str, str]:
        """The date_parts row of ``surface``."""
        return _row(self.parts, surface)

    def holiday(self, surface: str) -> Mapping[str, str]:
        return _row(self.holidays, surface)


def _row(table: Mapping[str, Mapping[str, str]], surface: str) -> Mapping[str, str]:
    """The row of ``surface``, spaced as the table writes it, as written, or closed up."""
    word = re.sub(r"\s+", " ", surface)
    if word in table:
        return table[word]
    closed = word.replace(" ", "")
    if closed in table:
        return table[closed]
    return next(row for key, row in table.items() if key.replace(" ", "") == closed)


def _alt(words: Iterable[str]) -> str:
    """Longest first; a space in a word matches any spacing."""
    return "|".join(re.escape(w).replace(r"\ ", r"\s*") for w in sorted(words, key=len, reverse=True))


def fragments(t: DateTables) -> dict[str, str]:
    """The named pieces rule patterns are written with (``{yy}년 {mo}월``)."""
    words = t.words.items()
    parts = t.parts.items()

    def unit(u: str) -> str:
        return _alt(w for w, r in words if r["unit"] == u)

    last_next = _alt(w for w, r in words if r["unit"] == "following" and r["offset"] != "0")
    ago = rf"(?:(?<![가-힣])(?:{last_next})\s+)?"
    yy = r"(?P<y>(?:19|20)\d{2}|\d{2})"
    month_mods = _alt(w for w, r in parts if r["kind"] == "mod" and r["applies_to"] in ("any", "month"))

    def last_day(*applies_to: str) -> str:
        """The last-day words (말일, 마지막 날) that stand where ``applies_to`` says, never before 짜."""
        return rf"(?:{_alt(w for w, r in parts if r['kind'] == 'last_day' and r['applies_to'] in applies_to)})(?!짜)"

    return {
        "nb": r"(?<![\d.,])",  # no digit before
        "na": r"(?![\d])",  # no digit after
        "S": r"\s*",
        "days_counted": r"(?:간|\s+간(?![가-힣])|\s*동안)",  # 8일간, 3일 동안: a count of days, not the 8th
        "takes": TAKES,  # 2~3일이 걸린다: the time something takes
        # between a range's or a list's first day and its second (4월 24~28일, 14, 15일), and the second day
        "day_sep": r"\s*[~∼〜,·]\s*",
        "second_day": r"(?:3[01]|[12]\d|0?[1-9])\s*일",
        "not_unit": r"(?!\s*[억만천조원%％개명톤배])",  # 1.5~2.5배 is no date
        # 지난 2019년, 오는 2027년 3월: inside the span, changes nothing
        "ago": ago,
        "y4": r"(?P<y>(?:19|20)\d{2})",
        "yy": yy,  # 20년 12월: two-digit years fit the document date
        # 2019년 5월 둘째 토요일, 2020년 11월 마지막날: a written year may stand before the month
        "year_of_month": rf"(?:{ago}{yy}\s*년\s*)?",
        "mo": r"(?P<m>1[0-2]|0?[1-9])",
        "dd": r"(?P<d>3[01]|[12]\d|0?[1-9])",
        "rel_year": unit("year"),
        "rel_month": unit("month"),
        "rel_day": unit("day"),
        "last_next": last_next,
        "this_last_next": unit("following"),
        "next_weekday": unit("weekday"),  # 다음 수요일: relative only before a weekday
        "month_mods": month_mods,
        # the last day of a month (10월 말일, 10월 마지막 날, 이달 말일), of a year (올해 마지막 날), or alone (말일)
        "last_day_of_month": last_day("month_word", "any"),
        "last_day_of_year": last_day("any"),
        "last_day_alone": last_day("month_word"),
        # after a month: 말일 (its last day) or a part (3월 말); 말일 first, so that 말 never ends inside it
        "month_tail": rf"(?:\s*(?:(?P<lastday>{last_day('month_word')})|(?P<mod>{month_mods})))",
        # 2월의 마지막 주: a week of a month may follow 의; other parts do not (6월의 신부)
        "of_week": rf"의\s*(?P<mod2>{_alt(w for w, r in parts if r['kind'] == 'mod' and w.endswith('주'))})",
        "year_mods": _alt(w for w, r in parts if r["kind"] == "mod" and r["applies_to"] == "any"),
        "year_words": _alt(w for w, r in parts if r["kind"] == "mod" and r["applies_to"] == "year_word"),
        "month_words": _alt(w for w, r in parts if r["kind"] == "mod" and r["applies_to"] == "month_word"),
        "halves": _alt(w for w, r in parts if r["kind"] == "half"),
        "year_names": _alt(w for w, r in parts if r["kind"] == "year_name"),
        "native_dur": _alt(t.durations),
        "bounds": _alt(t.bounds),
        "bounds_before": _alt(t.bounds_before),
        "native_num": native_numeral_pattern(),
        "rel_week": unit("week"),
        "rel_quarter": unit("quarter"),
        "weekdays": _alt(w for w, r in parts if r["kind"] == "weekday"),
        "nth": _alt(w for w, r in parts if r["kind"] == "nth"),
        "holidays": _alt(t.holidays),
        "hmonth": _alt(t.months),
        # Sino-Korean numerals (이천이십삼, 이십사): read with numbers.parse_number
        "sino": r"[일이삼사오육칠팔구십백천]+",
        "every": unit("every"),
        # a weekday word after a written day is inside its span (19일 화요일; docs/annotation.md)
        "weekday": rf"(?:\s+(?P<wd>{_alt(w for w, r in parts if r['kind'] == 'weekday')}))?",
        # 8일자, 20일쯤, 12월께, 6월경: closes the date, stays outside (Kiwi may join it to 일/월)
        "suffix_day": _alt(w for w, r in parts if r["kind"] == "suffix"),
        "suffix_any": _alt(w for w, r in parts if r["kind"] == "suffix" and r["applies_to"] == "any"),
    }


# ---------------------------------------------------------------------------------------------
# What a surface says, and what it resolves to


@dataclass(frozen=True)
class Ref:
    """The document date (``published``), parts unknown as ``None``."""

    year: int | None = None
    month: int | None = None
    day: int | None = None


def parse_published(published: str | None) -> Ref:
    if not published:
        return Ref()
    bits: list[int | None] = [int(b) for b in str(published).split("-")]
    bits += [None] * (3 - len(bits))
    return Ref(*bits[:3])


@dataclass(frozen=True)
class DateParts:
    """What a DATE surface says, before resolution. ``None`` = not said."""

    start: int
    end: int
    rule: Rule
    year: int | None = None
    month: int | None = None
    day: int | None = None
    two_digit_year: bool = False
    offset: int = 0  # a relative word's offset (올해 0, 지난달 -1, 지난 -1, 오는 1)
    unit: str | None = None  # a relative word's unit (date_words.tsv: year, month, day …)
    reference: str = "document"  # what a relative word counts from: "document" or "context"
    half: int | None = None
    quarter: int | None = None
    mod: str | None = None  # START / MID / END
    duration: Timex | None = None
    range_end: bool = False  # the second part of a range (…부터 31일까지, ~6월)
    weekday: int | None = None  # ISO weekday (1 = Monday) written with the date (19일 화요일, 다음 주 화요일)
    nth: int | None = None  # which weekday of the month (첫째 1, 마지막 -1); 0 = the month's last day
    holiday: tuple[str, str, bool] | None = None  # holidays.tsv: (source, key, lunar) of 설날, 추석 …
    holiday_range: bool = False  # 설 연휴: the official holiday period
    occasion: bool = False  # 어린이날을 앞두고, 설맞이: a holiday named as the occasion, not the day of an act
    ago: Timex | None = None  # 10년 전: the time counted back from the document date
    tense: int = 0  # of the date's clause: 1 plans or announces, -1 past, 0 neither (set by resolve_dates)
    coordinated: bool = False  # 상반기와 하반기, 어린이날과 성탄절: every year unless the clause is past
    as_of: bool = False  # 12월 31일 현재, 11월 말 기준: the date a figure holds at, no action (set by find_dates)
    range_start: bool = False  # 1일부터, 7일~: the first part of a range (set by find_dates)
    until_now: bool = False  # 12월 1일부터 지금까지: a start already past, whatever the clause's tense (find_dates)
    dated_by_next: bool = False  # 설을 앞둔 1월 21일, 크리스마스 이브인 24일: the day after names the occasion's year


@dataclass(frozen=True)
class Date:
    """A resolved DATE span."""

    start: int
    end: int
    rule: str
    value: Timex
    mod: str | None = None
    end_value: Timex | None = None  # the last day of a holiday period (설 연휴)


Resolver = Callable[[DateParts, Ref, "Timex | None"], Timex]


@dataclass(frozen=True)
class Found:
    """A match of a rule's pattern, with the text around it, as the checks and readers see it.
    ``end`` is where the span would end (a range's first part ends before the ``~``)."""

    rule: Rule
    match: re.Match
    text: str
    start: int
    end: int
    grammar: DateGrammar

    def group(self, name: str) -> str | None:
        return self.match.groupdict().get(name)

    def after(self, width: int | None = None) -> str:
        return self.text[self.end : self.end + (width or self.grammar.settings.date_after)]

    def before(self, width: int | None = None) -> str:
        return self.text[max(0, self.start - (width or self.grammar.settings.date_before)) : self.start]


Check = Callable[[Found], bool]


def read_parts(f: Found) -> DateParts | None:
    """The parts a match says, read from its named groups (the same names in every pattern):
    ``y``/``m``/``d``, ``mod``/``mod2``, ``half``, ``q``, and ``ry``/``rm``/``rd``/``dir`` for a
    relative word. ``None`` for an impossible date (2월 30일)."""
    g = {k: v for k, v in f.match.groupdict().items() if v is not None and f.match.end(k) <= f.end}
    t = f.grammar.tables
    year = int(g["y"]) if "y" in g else _sino(g.get("hy"))
    month = int(g["m"]) if "m" in g else (int(t.months[g["hm"]]["month"]) if "hm" in g else None)
    day = int(g["d"]) if "d" in g else _sino(g.get("hd"))
    if (day is not None and not 1 <= day <= 31) or (year is not None and "hy" in g and not 1900 <= year <= 2099):
        return None
    two_digit = "y" in g and len(g["y"]) == 2
    if (
        day is not None
        and month is not None
        and year is not None
        and not two_digit
        and day > calendar.monthrange(year, month)[1]
    ):
        return None
    offset, reference, unit = 0, "document", None
    for key in ("ry", "rm", "rd", "dir", "dir2", "rw", "rq"):
        if key in g:
            row = t.word(g[key])
            offset, reference, unit = int(row["offset"]), row["reference"], row["unit"]
    mod = g.get("mod") or g.get("mod2")
    return DateParts(
        start=f.start,
        end=f.end,
        rule=f.rule,
        year=year,
        month=month,
        day=day,
        two_digit_year=two_digit,
        offset=offset,
        reference=reference,
        unit=unit,
        half=int(t.parts[g["half"]]["value"].lstrip("H")) if "half" in g else None,
        quarter=int(g["q"]) if "q" in g else _sino(g.get("qh")),
        mod=t.part(mod)["value"] if mod else None,
        range_end=_is_range_end(f.text, f.start, f.grammar.settings),
        weekday=int(t.part(g["wd"])["value"]) if "wd" in g else _weekday_mark(f, day),
        nth=0 if "lastday" in g else (int(t.part(g["nth"])["value"]) if "nth" in g else None),
        holiday=_holiday_key(t.holiday(g["hol"])) if "hol" in g else None,
        holiday_range="yeonhyu" in g,
        occasion="hol" in g and bool(_OCCASION_AFTER.match(f.text, f.end)),
        coordinated=("half" in g or "hol" in g) and not {"y", "ry"} & set(g) and is_coordinated(f),
    )


_WEEKDAY_MARK = re.compile(r"\s?\(([월화수목금토일])\)")  # a weekday letter in parentheses after a day
_WEEKDAY_LETTER = {letter: n for n, letter in enumerate("월화수목금토일", 1)}


def _weekday_mark(f: Found, day: int | None) -> int | None:
    """The ISO weekday of a letter in parentheses right after a day (``29일(월)``, ``2024. 5. 9.(목)``)."""
    m = _WEEKDAY_MARK.match(f.text, f.end) if day is not None else None
    return _WEEKDAY_LETTER[m.group(1)] if m else None


# 설을 맞아, 어린이날을 앞두고, 성탄절을 사흘 앞둔 (a count of days between)
_OCCASION_AFTER = re.compile(r"\s*(?:[을를]\s*)?(?:맞아|맞이|앞두고|앞둔|기념)|[을를]\s+\S{1,4}\s+앞(?:두고|둔)")


def _framed_holiday(date: Date, p: DateParts, day: Timex) -> Date:
    """``설을 앞둔 1월 21일(화)`` in a report published a year later: the occasion nearest the day it frames,
    not the one nearest the document date (the day's own year was fixed by its weekday or context)."""
    if not day.is_resolved or day.year is None:
        return date
    value, end_value = _holiday_value(p, Ref(day.year, day.month, day.day))
    return replace(date, value=value, end_value=end_value if date.end_value is not None else None)


def _holiday_key(row: Mapping[str, str]) -> tuple[str, str, bool]:
    return row["source"], row["key"], row["lunar"] == "yes"


def _sino(word: str | None) -> int | None:
    """``이천십오`` → 2015; ``None`` when absent or not a number."""
    if not word:
        return None
    n = parse_number(word)
    return int(n) if n is not None and n == int(n) else None


# ---------------------------------------------------------------------------------------------
# Checks (a match is a date only if every check of its rule passes)

_FIGURATIVE_FOLLOW_OK = re.compile(r"(?:\s+(?![도은는이가을를의과와])|은\s|\s*,|부터|까지|\s*오전|\s*오후|\s*\(|\))")
_DAY_COUNT_AFTER = re.compile(
    r"\s*(?:간|동안|째|만[에인의]|만|이내|가량|정도|여|남짓|씩|분|치|이상|미만|이하|넘|에\s*걸쳐|[이가]\s*(?:지나|남)"
    r"|\d+\s*회|\s*\d+\s*시간)"
)
_DAY_COUNT_BEFORE = re.compile(r"(?:\d\s*박|매월|매달|매주|하루|일주일에|주\s*\d|(?<![가-힣])주|월)\s*$")
_PARTICLE_AFTER_DUR = re.compile(r"\s*동안")
# 10일 뒤, 3주 후에: a count of time after something (docs/annotation.md: a duration, never a day of the month)
_LATER_AFTER = re.compile(r"\s*(?:후|뒤)(?:에는|에|부터|로|엔|인|쯤)?(?![가-힣])")
_SINCE_AFTER = re.compile(r"\s*만(?:[에인의]|이다|$|[\s,.])")  # 20년 만에: time since, no date
# 3일이 걸린다, 5일 넘게 걸렸다, 10일이 소요될: the time something takes is a count, not a day of the month
TAKES = r"(?:[이가]|\s*(?:넘게|이상|가량|정도|쯤|남짓|가까이))?\s*(?:걸(?:리|렸|린|릴|려|립)|소요)"
_AHEAD_AFTER = re.compile(r"\s*앞(?:두|둔)")  # 성탄절을 3일 앞두고: the distance to an occasion, a duration
_TAKES_AFTER = re.compile(TAKES)
_RANGE_BEFORE = re.compile(r"(?:부터\s*|[~∼〜\-–]\s*)$")
_TWO_DIGIT_YEAR_NOT = re.compile(
    r"\s*(?:전|후|뒤|만|째|간|동안|이상|이내|넘|가까이|여|가량|정도|차|치|이\s*지난|이\s*넘|새(?![가-힣])|사이"
    r"|생(?=[\s,.)이은는의을도과와]|$))"  # 30년생 소나무: an age, no year
)
_ORDINAL_AFTER = re.compile(r"\s*(?:째)")
_HALF_FOLLOW_OK = re.compile(r"(?:에|부터|까지|중|내|의|와|과|는|도|를|동안|까지)")
_LISTED_BEFORE = re.compile(r"(?:[일월]|(?<![\d,.])\d{1,2})\s*(?:과|와|및|,|·)\s*$")  # 5일과 7일, 14, 15일
_AS_OF_AFTER = re.compile(r"\s*(?:현재|기준)(?![가-힣])|\s*기준(?:으로|에)")  # 12월 31일 현재, 말 기준으로
# 설을 앞둔 1월 21일, 어린이날을 맞아 5월 2일, 크리스마스 이브인 24일: the day the occasion frames follows
_DAY_AFTER_OCCASION = re.compile(r"(?:\s*[을를]\s*(?:앞둔|앞두고|맞은|맞아|맞이한)|인)\s+(?=\d)")
_UNTIL_NOW_AFTER = re.compile(r"\s*부터\s*(?:지금|현재|오늘)\s*까지")  # 12월 1일부터 지금까지: since a past day
_RANGE_AFTER = re.compile(r"(?:\s*\([^)]{0,4}\))?\s*(?:부터|[~∼〜])")  # 11일(월)부터, 7일~8일: a range's start
# 전날 밤부터, 11일 오후 2시부터: a range's start, a time of day between
_RANGE_AFTER_TIME = re.compile(
    r"(?:\s*\([^)]{0,4}\))?\s*(?:(?:오전|오후|밤|새벽|저녁|아침|낮)\s*)?"
    r"(?:\d{1,2}\s*시(?:\s*(?:\d{1,2}\s*분|반))?\s*)?(?:부터|[~∼〜])"
)
_TOPIC_BEFORE = re.compile(r"[가-힣](?:은|는|이|가)\s+$")  # 포스코는 7일
_LINE_START_BEFORE = re.compile(r"(?:^|[.!?\n]\s*|=\s*|\]\s*)$")  # a sentence, byline or tag ends
_UNIT_CODE = {"년": "Y", "해": "Y", "개월": "M", "달": "M", "주": "W", "주일": "W", "일": "D"}


def _is_range_end(text: str, start: int, settings: Settings) -> bool:
    """``…부터 31일까지``, ``~31일``, ``3일-7일``: the second part of a range."""
    return bool(_RANGE_BEFORE.search(text[max(0, start - settings.date_range_before) : start]))


def not_ordinal(f: Found) -> bool:
    """``2020년째``, ``3월째`` count, they do not date."""
    return not _ORDINAL_AFTER.match(f.after())


def not_year_count(f: Found) -> bool:
    """``10년 전``, ``20년 만에``: spans of years, not the year 2010 (two-digit years only)."""
    y = f.match.group("y")
    return len(y) != 2 or not _TWO_DIGIT_YEAR_NOT.match(f.text, f.match.end("y") + 1)


def is_range_end(f: Found) -> bool:
    """``10.21`` is a date only as a range end after a dotted date."""
    return _is_range_end(f.text, f.start, f.grammar.settings)


def dotted_md_ok(f: Found) -> bool:
    """``10.21`` is a date as a range end after a dotted date, or before a weekday in parentheses
    (``3. 15.(금)``, ``4.20(토)``: a number never takes one)."""
    return bool(_WEEKDAY_MARK.match(f.text, f.end)) or is_range_end(f)


_WEEK_CUE_AFTER = re.compile(r"\s*중(?![가-힣])")
_MONTHLY_BEFORE = re.compile(r"(?:매월|매달)\s*$")


def not_monthly(f: Found) -> bool:
    """``매월 월말``: a part of every month recurs, no date."""
    return not _MONTHLY_BEFORE.search(f.before())


def week_cue_ok(f: Found) -> bool:
    """A week word that is also an ordinary word (date_words.tsv figurative ``cue``: ``금주`` abstinence,
    ``내주다``, ``차주`` a car's owner) is a week only with a part or weekday after it, or ``중``."""
    return (
        f.grammar.tables.word(f.match.group("rw"))["figurative"] != "cue"
        or bool(f.group("wd") or f.group("mod"))
        or bool(_WEEK_CUE_AFTER.match(f.after()))
    )


def not_coming_weekend(f: Found) -> bool:
    """``오는 주말`` is not read (this week's or the next; docs/annotation.md); ``오는 주`` alone is next week."""
    return not (f.match.group("rw").startswith("오는") and f.group("mod"))


_LINE_CLOSES = re.compile(r"[ \t]*[.!]?[ \t]*(?:\n|$)")


def not_figurative(f: Found) -> bool:
    """``오늘도 …``, ``더 나은 내일을``: a figurative word is a date only before a space, 부터/까지,
    오전/오후 or a parenthesis, or as a line of its own (a heading or the whole text: ``오늘.``)."""
    return (
        f.grammar.tables.word(f.match.group("rd"))["figurative"] != "yes"
        or bool(_FIGURATIVE_FOLLOW_OK.match(f.after()))
        or (not f.text[: f.start].rpartition("\n")[2].strip() and bool(_LINE_CLOSES.match(f.text, f.end)))
    )


_WEEKDAY_RECURS_BEFORE = re.compile(
    r"(?:매주|매월|매달|격주|주마다|평일|주말|째\s*주|(?:첫째|둘째|셋째|넷째|다섯째|마지막|첫)\s*"
    r"|(?:요일|[월화수목금토일])\s*(?:부터|[~∼〜\-–·,]|과|와|및|이나|또는))\s*$"
)
_WEEKDAY_RECURS_AFTER = re.compile(r"(?:마다|별|제)|\s*(?:부터|[~∼〜\-–·,]|과|와|및|이나|또는)\s*[가-힣]{1,2}요일")


_WEEK_RANGE_START = r"(?<![가-힣])(?:{rel_week}|{this_last_next})\s*(?:{weekdays})\s*(?:부터|[~∼〜\-–])\s*$"


def after_week_weekday(f: Found) -> bool:
    """A weekday that ends a range whose start names its week (``다음 주 월요일부터 수요일까지``,
    ``오는 월요일~금요일``); a range of bare weekdays (``월요일부터 금요일까지``) is opening hours."""
    start = f.grammar.pattern(_WEEK_RANGE_START).search(f.before(24))
    return start is not None and not _WEEKDAY_RECURS_AFTER.match(f.after())


def one_weekday(f: Found) -> bool:
    """A weekday written alone (``월요일 … 열었다``) is a day; not a recurring or generic one (``매주 수요일``,
    ``격주 토요일``, ``화요일마다``, ``월요일부터 금요일까지``, ``월·수·금요일``, ``둘째 주 목요일``)."""
    return not (_WEEKDAY_RECURS_BEFORE.search(f.before()) or _WEEKDAY_RECURS_AFTER.match(f.after()))


def not_day_count(f: Found) -> bool:
    """A bare day (``5일 발표했다``, ``16일 경찰은``, ``9일(현지시각)``) is a date unless it counts
    days (``3일 동안``, ``2박 3일``, ``1일 1회``, ``20일 정도 걸린다``, ``3일이 걸린다``, ``성탄절을 3일 앞두고``)."""
    after = f.after()
    return not (
        _DAY_COUNT_AFTER.match(after)
        or _LATER_AFTER.match(after)
        or _TAKES_AFTER.match(after)
        or _AHEAD_AFTER.match(after)
        or _DAY_COUNT_BEFORE.search(f.before())
    )


def is_reporting_day(f: Found) -> bool:
    """A bare day that dates the report itself (``…했다고 8일 밝혔다``, ``포스코는 7일 …``, a
    sentence opening ``16일 경찰은 …``): it resolves against the document date, not the dates
    before it. Other bare days (``5일과 7일``, ``…부터 31일까지``) take the month of the context."""
    g, text, start = f.grammar, f.text, f.start
    if _is_range_end(text, start, g.settings) or _LISTED_BEFORE.search(f.before()) or _RANGE_AFTER.match(f.after()):
        return False
    return bool(
        g.report_follow.match(f.after(g.settings.date_report_after))
        or _TOPIC_BEFORE.search(f.before())
        or _LINE_START_BEFORE.search(f.before(g.settings.date_line_start_before))
        or start == 0
    )


def not_reporting_day(f: Found) -> bool:
    return not is_reporting_day(f)


_SLASH_DATE_AROUND = re.compile(r"\s*(?:\(|부터|까지|[~∼〜])")
_HOLIDAY_CUE_AFTER = re.compile(r"\s*(?:을|를|에|의|은|는|이|가|과|와|도|부터|까지|맞이|연휴|명절|전|당일|\s|[,.)]|$)")
_ELIDED_CENTURY = re.compile(r"(?<![\w'’‘])['’‘]\d{2}(?:\.|\s*년)")  # '24년, '21.3.5
_TITLE_CLOSE = re.compile(rf"[^{CLOSE_QUOTES}\n.!?]{{1,40}}?[{CLOSE_QUOTES}]")  # the quote closes in its sentence
_QUOTED_REST = re.compile(rf"[^{CLOSE_QUOTES}\n]{{1,40}}?[{CLOSE_QUOTES}]")


def not_title_year(f: Found) -> bool:
    """A year that opens a quoted title (``'2025년 희망나눔 캠페인'``, ``‘2024년 우수기업’``) is part of
    the name, not a time (docs/annotation.md: years inside a quoted title); a quoted sentence
    (``“2030년까지 … 이루겠다”``, ``"내년에는 … 열 계획"이라고``) keeps its year."""
    if f.before(1) not in tuple(OPEN_QUOTES):
        return True
    m = _QUOTED_REST.match(f.text, f.end)
    return (
        m is None
        or m.group()[:-1].rstrip(" .!?").endswith(("다", "요", "죠", "까"))
        or bool(QUOTATIVE_AFTER.match(f.text, m.end()))
    )


def slash_date_ok(f: Found) -> bool:
    """``3/15`` is a date, not a fraction (``응답자의 1/3이``), only as written in schedules: before a
    weekday in parentheses, 부터/까지 or ``~``, or after ``~``."""
    return bool(_SLASH_DATE_AROUND.match(f.after()) or _RANGE_BEFORE.search(f.before()))


def not_every_year(f: Found) -> bool:
    """A period in a sentence with a frequency word (``매년 상반기에``, ``해마다 추석에는``; date_words.tsv
    unit ``every``) is used for every year: no date. The word must stand in the period's own sentence
    (``해마다 … 해 왔다. 하반기에는 …`` dates the half)."""
    before = f.before(f.grammar.settings.date_before * 4)
    cut = _SENTENCE_END.match(before)
    return not f.grammar.pattern(r"(?:{every})\s").search(before, cut.end() if cut else 0)


def not_recurring(f: Found) -> bool:
    """A month or 연말 right after a frequency word (``매년 5월``, ``해마다 연말``; date_words.tsv unit
    ``every``) or a count of years running (``16년째 연말 김장``) recurs every year: no date."""
    return not f.grammar.pattern(r"(?:{every}|\d+\s*년째)\s*$").search(f.before())


def is_coordinated(f: Found) -> bool:
    """A half or holiday side by side with another of its kind (``상반기와 하반기``, ``상·하반기``,
    ``어린이날과 성탄절``)."""
    g = f.grammar
    return bool(
        g.pattern(r"\s*(?:와|과|및|·|ㆍ|,)\s*(?:{halves}|{holidays})").match(f.after())
        or g.pattern(r"(?<![가-힣])(?:{halves}|{holidays}|상)\s*(?:와|과|및|·|ㆍ|,)\s*$").search(f.before())
    )


_SENTENCE_END = re.compile(r"[\s\S]*(?:(?<!\d)[.!?]\s|\n)")  # up to the last sentence end in a window
_HOLIDAY_CUE = re.compile(
    r"\s*(?:연휴|명절|맞이|선물|당일|(?:[을를]\s*)?(?:맞아|맞이|앞두고|앞둔|보내|쇠)|전(?:까지|에|후)|(?:과|와|및|·|,)\s*\S"
    r"|[을를]\s+\S{1,4}\s+앞(?:두고|둔)"  # 설을 사흘 앞두고
    r"|인\s+(?:오늘|어제|내일|이날|\d{1,2}일))"  # 설 앞두고 (a headline drops the particle), 동지인 오늘
)


def holiday_cue_ok(f: Found) -> bool:
    """A holiday word that is also an ordinary word (holidays.tsv ``needs_cue``: ``설`` a rumour,
    ``구정`` a district's administration) is a holiday only before 연휴, 명절, 맞이, 선물, ``을 맞아``,
    ``을 앞두고``, beside another holiday (``설과 추석``) or after a year (``2022년 설에는``)."""
    row = f.grammar.tables.holiday(f.match.group("hol"))
    written = f.group("y") or f.group("ry") or f.group("rm") or f.group("dir")
    return row["needs_cue"] != "yes" or bool(written) or bool(_HOLIDAY_CUE.match(f.text, f.match.end("hol")))


def not_each_holiday(f: Found) -> bool:
    """A holiday before 마다, alone or with another (``추석마다``, ``설과 추석마다``: every year's), is no
    date, whatever the tense."""
    return not f.grammar.pattern(r"(?:\s*(?:과|와|및|·|ㆍ|,)\s*(?:{holidays}))?\s*마다").match(f.after())


def not_in_title(f: Found) -> bool:
    """A holiday inside a quoted title (``'설맞이 사랑 나눔'``) names the programme, not a day
    (docs/annotation.md: quoted titles are names); a quotation that holds the holiday's name alone
    (``'지구의 날' 맞아``) marks the day, no title."""
    alone = f.start > 0 and f.end < len(f.text) and f.text[f.start - 1] in OPEN_QUOTES and f.text[f.end] in CLOSE_QUOTES
    return alone or not in_quoted_title(f.text, f.start, f.end)


def hangul_month_ok(f: Found) -> bool:
    """``이월``, ``일월`` are also ordinary words (carrying over, sun and moon): a month only with a
    year or day written beside it (month_names.tsv ``needs_more``)."""
    hm = f.group("hm")
    return not hm or f.grammar.tables.months[hm]["needs_more"] != "yes" or bool(f.group("hy") or f.group("hd"))


def half_follow_ok(f: Found) -> bool:
    """A bare ``상반기`` is a date before a particle (에, 부터, 의 …), not inside a longer word."""
    after = f.after()
    return not re.match(r"[가-힣]", after[:1] or " ") or bool(_HALF_FOLLOW_OK.match(after))


def duration_ok(f: Found) -> bool:
    """``1개월``, ``3년간``, ``2주간``, ``한 달간``, ``3일 동안``; not ``세 일``, ``2020년``, ``10년째``."""
    unit, n, after = f.match.group("u"), f.match.group("n"), f.after()
    if not n.isdigit() and unit not in ("달", "개월", "해"):
        return False  # 세 일? never; native numbers only with 달/개월/해 (한 달간, 한 해 동안)
    if unit in ("달", "해") and n.isdigit():
        return False
    if (
        unit in ("년", "주", "주일", "일", "달", "해")
        and not f.match.group(0).endswith("간")
        and not _PARTICLE_AFTER_DUR.match(after)
        and not (unit != "해" and _LATER_AFTER.match(after))
        and not (unit not in ("일", "해") and _bounded(f))
        and not _TAKES_AFTER.match(after)
        and not (unit in ("일", "주", "주일") and _AHEAD_AFTER.match(after))
    ):
        return False
    if unit == "년" and n.isdigit() and len(n) == 4:
        return False
    if _SINCE_AFTER.match(after):
        return False  # 4년 만에, 3개월 만의: the time since something, no date (docs/annotation.md)
    return not (re.match(r"\s*째", after) and unit != "개월")


_PERIOD_STATED = re.compile(r"기간[은는이]\s*$")
_COPULA_AFTER = re.compile(r"\s*(?:이|입니)다")


def _bounded(f: Found) -> bool:
    """A count of years, months or weeks without 간/동안 is a duration when a bound follows it
    (``1년 이상``, ``10년 넘게``, ``두 달 남짓``: qualifiers.tsv), a limit precedes it (``최장 1년``,
    ``최대 2년``) or it states a period's length
    (``협약 기간은 2년이다``). Never days: ``15일쯤`` is a day of the month."""
    if f.grammar.pattern(r"\s*(?:{bounds})(?![가-힣])").match(f.after()):
        return True
    if f.grammar.pattern(r"(?<![가-힣])(?:{bounds_before})\s+$").search(f.before()):
        return True  # 최장 1년 연장, 최대 2년까지: a limit before it
    return bool(_COPULA_AFTER.match(f.after()) and _PERIOD_STATED.search(f.before()))


def duration_word_ok(f: Found) -> bool:
    """``하루``, ``보름``, ``일주일`` are durations only before 간/동안 (하루 평균 is a rate) or as the
    distance to an occasion (``성탄절을 하루 앞두고``); none before 만에 (``이틀 만에``: the time since)."""
    if _SINCE_AFTER.match(f.after()):
        return False
    return f.grammar.tables.durations[f.match.group("nd")]["needs_span"] != "yes" or bool(
        f.group("gan") or _PARTICLE_AFTER_DUR.match(f.after()) or _AHEAD_AFTER.match(f.after())
    )


# ---------------------------------------------------------------------------------------------
# Readers of durations


def read_duration(f: Found) -> DateParts | None:
    """``3년간`` → P3Y, ``한 달`` → P1M."""
    n, unit = f.match.group("n"), f.match.group("u")
    count = int(n) if n.isdigit() else parse_native(n)
    if not count:
        return None
    return DateParts(f.start, f.end, f.rule, duration=Timex.duration(count, _UNIT_CODE[unit]))


def read_year_month_duration(f: Found) -> DateParts:
    """``1년 6개월`` → P18M: a value holds one unit, so years and months count in months."""
    months = 12 * int(f.match.group("n")) + int(f.match.group("n2"))
    return DateParts(f.start, f.end, f.rule, duration=Timex.duration(months, "M"))


def not_since(f: Found) -> bool:
    """``1년 6개월 만에``, ``3년째``: the time since something or an ordinal, no date."""
    return not (_SINCE_AFTER.match(f.after()) or _ORDINAL_AFTER.match(f.after()))


def read_ago(f: Found) -> DateParts | None:
    """``10년 전`` → 10 years back from the document date."""
    parts = read_duration(f)
    return None if parts is None else replace(parts, ago=parts.duration, duration=None)


def read_ago_word(f: Found) -> DateParts:
    """``이틀 전`` → two days back from the document date."""
    parts = read_duration_word(f)
    return replace(parts, ago=parts.duration, duration=None)


def is_point_duration_word(f: Found) -> bool:
    """``이틀 전``, ``사흘 전`` are days; ``하루 전``, ``일주일 전`` (durations.tsv ``needs_span``)
    mostly say "in advance" (``하루 전 예약해야 한다``): no date."""
    return f.grammar.tables.durations[f.match.group("nd")]["needs_span"] != "yes"


def read_duration_word(f: Found) -> DateParts:
    """``나흘`` → P4D (durations.tsv)."""
    value = f.grammar.tables.durations[f.match.group("nd")]["value"]
    return DateParts(f.start, f.end, f.rule, duration=Timex.parse(value))


# ---------------------------------------------------------------------------------------------
# Resolvers: parts + document date + context date → value


def _shift_month(year: int, month: int, offset: int) -> tuple[int, int]:
    idx = year * 12 + (month - 1) + offset
    return idx // 12, idx % 12 + 1


def _closest_century(yy: int, ref_year: int | None) -> int:
    base = ref_year if ref_year is not None else 2000
    return min((1900 + yy, 2000 + yy, 2100 + yy), key=lambda y: abs(y - base))


def _point(p: DateParts, y: int | None, m: int | None, d: int | None, unit: str = "year") -> Timex:
    """The value of ``p`` with year, month, day ``y``/``m``/``d``, written down to the finest part
    the surface says (at least ``unit``, the unit of its relative word), or as a half or quarter."""
    if p.half:
        return Timex("half", y, m, d, half=p.half)
    if p.quarter:
        return Timex("quarter", y, m, d, quarter=p.quarter)
    if p.day is not None or unit == "day":
        return Timex("day", y, m, d)
    if p.month is not None or unit == "month":
        return Timex("month", y, m, d)
    return Timex("year", y, m, d)


def _pub_period(pub: Ref) -> tuple[_dt.date, _dt.date] | None:
    if pub.year is None:
        return None
    if pub.month is None:
        return Timex("year", pub.year).period()
    if pub.day is None:
        return Timex("month", pub.year, pub.month).period()
    return Timex("day", pub.year, pub.month, pub.day).period()


def _by_tense(p: DateParts, pub: Ref, value: Timex, shift: Callable[[Timex, int], Timex]) -> Timex:
    """A date whose year (or month) came from the document date moves one unit (``shift``) when the
    tense of its clause says so: a plan that would fall before the document's month is the next one,
    a past event that would fall after it the previous one (docs/annotation.md, Partial dates)."""
    here = own = value.period()
    doc = _pub_period(Ref(pub.year, pub.month))  # by month: within the document's month it is unclear
    if here is None or own is None or doc is None:
        return value
    if value.grain == "year" and p.mod in _MOD_MONTHS and value.year is not None:  # 연말: December
        first, last = _MOD_MONTHS[p.mod]
        y, m = _shift_month(value.year, last, 1)
        here = (_dt.date(value.year, first, 1), _dt.date(y, m, 1))
    if not p.tense:
        yearless = shift is _shift_year and (value.grain in ("month", "day") or here != own)
        return _nearest_year(value, here[0], doc[0]) if yearless else value
    if p.tense > 0 and here[1] <= doc[0]:
        return shift(value, 1)
    if p.tense < 0 and here[0] >= doc[1]:
        return shift(value, -1)
    return value


_FAR_MONTHS = 10  # a yearless month or day this many months or more from the document's month is across the new year


def _nearest_year(value: Timex, start: _dt.date, doc: _dt.date) -> Timex:
    """A month or day whose clause has no tense, taking its year from the document date: the
    nearer occurrence when the turn of the year lies between and the other is ten months or more
    away (``1월 2일부터 31일까지다`` in a December article is next January; ``12월 31일 기준`` in a
    January one the December just past; ``3월`` in December stays: either may be meant)."""
    months = (start.year - doc.year) * 12 + start.month - doc.month
    if months <= -_FAR_MONTHS:
        return _shift_year(value, 1)
    if months >= _FAR_MONTHS:
        return _shift_year(value, -1)
    return value


def _shift_year(value: Timex, n: int) -> Timex:
    return replace(value, year=None if value.year is None else value.year + n)


def _shift_value_month(value: Timex, n: int) -> Timex:
    if value.year is None or value.month is None:
        return value
    y, m = _shift_month(value.year, value.month, n)
    return replace(value, year=y, month=m)


def resolve_absolute(p: DateParts, pub: Ref, context: Timex | None) -> Timex:
    """Written parts stay; a missing year (and a day's missing month) come from the context date,
    else the document date, moved by the tense of the clause. A range's end before its start's
    month is in the next year (``2020년 11월부터 2월까지``)."""
    y, m, d = p.year, p.month, p.day
    if m is None and d is not None and context is not None and context.month is None:
        context = None  # a bare day after 하반기 or 2024년: its month comes from the document date
    if p.two_digit_year and y is not None:
        y = _closest_century(y, pub.year)
    if y is None:
        src_y, src_m = (context.year, context.month) if context is not None else (pub.year, pub.month)
        y = src_y
        month_from_document = m is None and d is not None and context is None
        if m is None and d is not None:
            m = src_m
        if (
            p.range_end
            and context is not None
            and y is not None
            and m is not None
            and context.month is not None
            and m < context.month
        ):
            y += 1
        if context is None:
            value = _point(p, y, m, d)
            return _by_tense(p, pub, value, _shift_value_month if month_from_document else _shift_year)
        if d is not None and p.tense < 0 and _after_document(y, m, d, pub):
            # 내년 3월부터 … . 협약을 23일 맺었다: a past act is no later than the report; the year or
            # month the context lends would put it after, so the day counts from the document date
            return resolve_absolute(p, pub, None)
    return _point(p, y, m, d)


def _after_document(y: int | None, m: int | None, d: int, pub: Ref) -> bool:
    """Whether day ``d`` of ``y``-``m`` falls after the document date (a valid day of a dated document)."""
    today = _pub_day(pub)
    if today is None or y is None or m is None or d > calendar.monthrange(y, m)[1]:
        return False
    return _dt.date(y, m, d) > today


def resolve_relative_year(p: DateParts, pub: Ref, context: Timex | None) -> Timex:
    """``올해 3월``, ``지난해 말``: the document's year plus the word's offset (``전년``, ``같은 해``:
    the context date's year)."""
    base = pub.year
    if p.reference == "context" and context is not None and context.year is not None:
        base = context.year
    return _point(p, None if base is None else base + p.offset, p.month, p.day)


def resolve_relative_month(p: DateParts, pub: Ref, context: Timex | None) -> Timex:
    """``지난달``, ``다음 달 10일``: the document's month plus the word's offset; ``같은 달`` (counted from
    ``context``) the month of the date before it, else the document's."""
    y: int | None
    m: int | None
    if p.reference == "context" and context is not None and context.year is not None and context.month is not None:
        y, m = _shift_month(context.year, context.month, p.offset)
    elif pub.year is None or pub.month is None:
        y, m = pub.year, None
    else:
        y, m = _shift_month(pub.year, pub.month, p.offset)
    return _point(p, y, m, p.day, "month")


def _context_day(context: Timex | None) -> _dt.date | None:
    """The context date when it is a day the text reported (``지난 6일``), else ``None``."""
    period = context.period() if context is not None and context.grain == "day" else None
    return period[0] if period else None


def resolve_relative_day(p: DateParts, pub: Ref, context: Timex | None) -> Timex:
    """``어제``, ``모레``: the document date plus the word's offset; ``이날``, ``전날``, ``이튿날``: the
    day of the action last reported (the context date, when it is a day) plus the offset, else the
    document date's."""
    base = _context_day(context) if p.reference == "context" else None
    if base is None:
        if pub.year is None or pub.month is None or pub.day is None:
            return _point(p, pub.year, pub.month, None, "day")  # the parts the document date has
        base = _dt.date(pub.year, pub.month, pub.day)
    day = base + _dt.timedelta(days=p.offset)
    return _point(p, day.year, day.month, day.day, "day")


def _pub_day(pub: Ref) -> _dt.date | None:
    return _dt.date(pub.year, pub.month, pub.day) if pub.year and pub.month and pub.day else None


def _day(d: _dt.date) -> Timex:
    return Timex("day", d.year, d.month, d.day)


def resolve_relative_week(p: DateParts, pub: Ref, context: Timex | None) -> Timex:
    """``이번 주`` → the document date's ISO week (``2024-W20``), ``지난주``/``다음 주`` the one
    before/after; with a weekday (``다음 주 화요일``) that day of the week."""
    today = _pub_day(pub)
    if today is None:
        return Timex("day", pub.year, pub.month) if p.weekday else Timex("year", pub.year)
    iso = (today + _dt.timedelta(weeks=p.offset)).isocalendar()
    if p.weekday:
        return _day(_dt.date.fromisocalendar(iso.year, iso.week, p.weekday))
    return Timex("week", iso.year, week=iso.week)


def resolve_last_next_weekday(p: DateParts, pub: Ref, context: Timex | None) -> Timex:
    """``지난 일요일``: the latest Sunday before the document date; ``오는 화요일``: the next one after
    it; ``이번 수요일``: the one in the document date's week."""
    today = _pub_day(pub)
    assert p.weekday is not None
    if today is None:
        return Timex("day", pub.year, pub.month)
    diff = p.weekday - today.isoweekday()
    if p.offset < 0 and diff >= 0:
        diff -= 7
    elif p.offset > 0 and diff <= 0:
        diff += 7
    return _day(today + _dt.timedelta(days=diff))


def resolve_weekday_range_end(p: DateParts, pub: Ref, context: Timex | None) -> Timex:
    """``수요일`` in ``다음 주 월요일부터 수요일까지``: the first such weekday from the range's start (the
    context day) on; without a day to count from, as a weekday written alone."""
    start = _context_day(context)
    if start is None or p.weekday is None:
        return resolve_bare_weekday(p, pub, context)
    return _day(start + _dt.timedelta(days=(p.weekday - start.isoweekday()) % 7))


def resolve_year_last_day(p: DateParts, pub: Ref, context: Timex | None) -> Timex:
    """``올해 마지막 날``, ``2023년 마지막 날``, ``연말 마지막 날``: 31 December of the year named, else
    of the year a partial date takes (the tense rule: ``연말 마지막 날 … 나눴다`` in May is last year's)."""
    if p.unit == "year":
        year = resolve_relative_year(p, pub, context).year
        return Timex("day", year, 12, 31 if year is not None else None)
    return resolve_absolute(replace(p, month=12, day=31, nth=None), pub, context)


def resolve_bare_weekday(p: DateParts, pub: Ref, context: Timex | None) -> Timex:
    """``월요일 … 열었다``: a weekday written alone is the latest such day up to the document date in a
    past clause, the next one from it in a clause that plans, else the one in the document date's week."""
    today = _pub_day(pub)
    assert p.weekday is not None
    if today is None:
        return Timex("day", pub.year, pub.month)
    diff = p.weekday - today.isoweekday()
    if p.tense < 0 and diff > 0:
        diff -= 7
    elif p.tense > 0 and diff < 0:
        diff += 7
    return _day(today + _dt.timedelta(days=diff))


def resolve_month_word(p: DateParts, pub: Ref, context: Timex | None) -> Timex:
    """``월초``, ``월말``: the month of the context's date, else the document's (the mod says which part)."""
    if context is not None and context.month is not None:
        return Timex("month", context.year, context.month)
    return Timex("month", pub.year, pub.month)


def resolve_month_day_of(p: DateParts, pub: Ref, context: Timex | None) -> Timex:
    """``10월 첫째 화요일``, ``3월 마지막 월요일``, ``10월 마지막 날``, ``이달 말일``, ``말일``: a day the
    month defines. A written month resolves as any partial date; ``이달``/``다음 달`` as relative
    months; a bare ``말일`` is the last day of the context's month, else the document's (the month is
    returned: resolve_dates takes a last day's month to its last day, for this rule as for ``3월 말일``)."""
    month_parts = replace(p, day=None, weekday=None, nth=None)
    if p.month is not None:
        base = resolve_absolute(month_parts, pub, context)
    elif p.reference == "document" and p.unit == "month":
        base = resolve_relative_month(month_parts, pub, context)
    else:
        src = context if context is not None and context.month is not None else None
        base = Timex("month", src.year, src.month) if src else Timex("month", pub.year, pub.month)
    if base.year is None or base.month is None:
        return Timex("day", base.year, base.month)
    if p.nth == 0:
        return base
    assert p.weekday is not None and p.nth is not None
    days = [
        d
        for d in range(1, calendar.monthrange(base.year, base.month)[1] + 1)
        if _dt.date(base.year, base.month, d).isoweekday() == p.weekday
    ]
    if p.nth > len(days):
        return Timex("day", base.year, base.month)
    return Timex("day", base.year, base.month, days[p.nth - 1 if p.nth > 0 else -1])


def resolve_day_weekday(p: DateParts, pub: Ref, context: Timex | None) -> Timex:
    """``19일 화요일``: the 19th as any bare day, unless the weekday says another month: then, as the
    tense moves any partial date, in a clause that plans the next month from the document date whose
    19th is a Tuesday, in a past clause the latest one up to it, else the nearest (the earlier first)."""
    plain = resolve_absolute(replace(p, weekday=None), pub, context)
    if plain.year is None or plain.month is None or p.day is None:
        return plain
    today = _pub_day(pub)
    if p.tense:
        steps = [p.tense * n for n in range(0, 30)]  # 30 months: enough for any day and weekday to meet again
    else:
        steps = [0, *(sign * n for n in range(1, 12) for sign in (-1, 1))]
    for k in steps:
        y, m = _shift_month(plain.year, plain.month, k)
        if p.day > calendar.monthrange(y, m)[1]:
            continue
        day = _dt.date(y, m, p.day)
        if day.isoweekday() != p.weekday:
            continue
        if today is None or not p.tense or (day >= today if p.tense > 0 else day <= today):
            return _day(day)
    return plain


def fit_weekday(value: Timex, p: DateParts) -> Timex:
    """A weekday written with a day (``29일(월)``, ``3월 14일(화)``, ``19일 화요일``) fixes the parts the text
    left to the context or the document date: when the day resolved does not fall on it, the nearest
    month (a bare day) or year (a month and day) whose day does, the tense's side first. A written
    year wins (a wrong weekday is a slip)."""
    if p.weekday is None or p.year is not None or value.grain != "day" or not value.is_resolved:
        return value
    assert value.year is not None and value.month is not None and value.day is not None
    fits = value.day <= calendar.monthrange(value.year, value.month)[1]
    if fits and _dt.date(value.year, value.month, value.day).isoweekday() == p.weekday:
        return value
    order = (1, -1) if p.tense > 0 else (-1, 1)
    steps = [sign * n for n in (1, 2) for sign in order] if p.month is None else [12 * sign for sign in order]
    for k in steps:
        y, m = _shift_month(value.year, value.month, k)
        if value.day <= calendar.monthrange(y, m)[1] and _dt.date(y, m, value.day).isoweekday() == p.weekday:
            return Timex("day", y, m, value.day)
    return value


def resolve_weekday_mark(p: DateParts, pub: Ref, context: Timex | None) -> Timex:
    """``28일(월)``, ``2023. 11. 20.(월)``: the weekday letter in parentheses after a day is a second
    span with that day's value (docs/annotation.md, DATE: two spans, one value)."""
    if context is not None and context.grain == "day":
        return context
    return Timex("day")


def resolve_relative_quarter(p: DateParts, pub: Ref, context: Timex | None) -> Timex:
    """``이번 분기``, ``지난 분기``, ``다음 분기``: the document date's quarter plus the offset."""
    if pub.year is None or pub.month is None:
        return Timex("year", pub.year)
    idx = pub.year * 4 + (pub.month - 1) // 3 + p.offset
    return Timex("quarter", idx // 4, quarter=idx % 4 + 1)


def resolve_ago(p: DateParts, pub: Ref, context: Timex | None) -> Timex:
    """``10년 전`` → the document date's year minus 10, at the unit's precision."""
    assert p.ago is not None and p.ago.count is not None
    n, unit = int(p.ago.count), p.ago.unit
    if pub.year is None:
        return Timex("year")
    if unit == "Y":
        return Timex("year", pub.year - n)
    if pub.month is None:
        return Timex("month", None)
    if unit == "M":
        y, m = _shift_month(pub.year, pub.month, -n)
        return Timex("month", y, m)
    today = _pub_day(pub)
    if today is None:
        return Timex("year", pub.year) if unit == "W" else Timex("day", pub.year, pub.month)
    if unit == "W":  # 3주 전: the ISO week, at the unit's precision as 10년 전 is a year
        iso = (today - _dt.timedelta(weeks=n)).isocalendar()
        return Timex("week", iso.year, week=iso.week)
    return _day(today - _dt.timedelta(days=n))


def _day_near_document(p: DateParts, pub: Ref, shift: Callable[[int, int], int]) -> Timex:
    """Day ``p.day`` in the document's month, moved ``shift(day, document day)`` months."""
    n = p.day
    if pub.year is None or pub.month is None:
        return _point(p, pub.year, None, n, "day")
    y, m = pub.year, pub.month
    if pub.day is not None and n is not None:
        y, m = _shift_month(y, m, shift(n, pub.day))
    return _point(p, y, m, n, "day")


def resolve_last_next_day(p: DateParts, pub: Ref, context: Timex | None) -> Timex:
    """``지난 19일``: the latest 19th before the document date; ``오는 19일``: the next one after
    it; ``이번 19일``: the 19th of the document's month."""

    def shift(n: int, today: int) -> int:
        if p.offset < 0 and n >= today:
            return -1
        if p.offset > 0 and n <= today:
            return 1
        return 0

    return _day_near_document(p, pub, shift)


def resolve_reporting_day(p: DateParts, pub: Ref, context: Timex | None) -> Timex:
    """``8일 밝혔다``: the latest 8th not after the document date; in a clause that plans or
    announces (``8일 행사를 연다``, ``28일까지 신청을 받는다``), the next 8th not before it."""
    if p.tense > 0:
        return _day_near_document(p, pub, lambda n, today: 1 if n < today else 0)
    return _day_near_document(p, pub, lambda n, today: -1 if n > today else 0)


def resolve_last_next_month(p: DateParts, pub: Ref, context: Timex | None) -> Timex:
    """``지난 10월``, ``지난 4월 24일``: the latest such month (day) before the document date;
    ``오는 9월``, ``오는 9월 20일``: the next one after. Compared at the precision both have."""
    y = pub.year
    if y is not None and pub.month is not None and p.month is not None:
        both_days = p.day is not None and pub.day is not None
        when = (p.month, p.day) if both_days else (p.month, 0)
        today = (pub.month, pub.day) if both_days else (pub.month, 0)
        if p.offset < 0 and when >= today:
            y -= 1
        elif p.offset > 0 and when <= today:
            y += 1
    return _point(p, y, p.month, p.day)


_MOD_MONTHS = {"START": (1, 1), "MID": (6, 7), "END": (12, 12)}  # the months a year part covers


def resolve_last_next_period(p: DateParts, pub: Ref, context: Timex | None) -> Timex:
    """``지난 1분기``, ``지난 연말``: the latest such part of a year over before the document's month;
    ``오는 하반기``, ``오는 연말``: the next one not begun by then."""
    y = pub.year
    if y is not None and pub.month is not None:
        if p.quarter:
            first, last = 3 * p.quarter - 2, 3 * p.quarter
        elif p.half:
            first, last = 6 * p.half - 5, 6 * p.half
        else:
            first, last = _MOD_MONTHS[p.mod or "END"]
        if p.offset < 0 and last >= pub.month:
            y -= 1
        elif p.offset > 0 and first <= pub.month:
            y += 1
    return _point(p, y, None, None)


_KST = _dt.timedelta(hours=9)  # a solar term's day is the day of its moment in Korea


@functools.lru_cache(maxsize=64)
def _kr_holidays(year: int) -> dict[_dt.date, list[str]]:
    """The public holidays of ``year`` in the ``holidays`` package (KR), names in English."""
    import holidays as _holidays  # late: only documents that name a holiday pay for it

    kr = _holidays.country_holidays("KR", years=year)
    return {d: kr.get_list(d) for d in sorted(kr)}


_Period = tuple[_dt.date, _dt.date, _dt.date]  # a holiday's day, and the first and last day of its period


def holiday_period(source: str, key: str, year: int) -> _Period | None:
    """(the day, the first and the last day of its official period) of a holidays.tsv row in
    ``year``, from the ``holidays`` package (public holidays, with their eve, following day and
    substitute days) or ``korean-lunar-calendar`` (lunar days that are no public holiday); a named
    solar day is its own period. ``None`` when the package has no such day that year."""
    if source == "solar":
        mm, dd = (int(x) for x in key.split("-"))
        day = _dt.date(year, mm, dd)
        return day, day, day
    if source == "ephem":  # a solar term: the solstice or equinox after the 1st of a month, in Korean time
        import ephem  # late: only documents that name a solar term pay for it

        function, month = key.split()
        moment = getattr(ephem, function)(f"{year}/{int(month)}/1").datetime() + _KST
        day = moment.date()
        return day, day, day
    if source == "lunar":
        from korean_lunar_calendar import KoreanLunarCalendar

        mm, dd = (int(x) for x in key.split("-"))
        cal = KoreanLunarCalendar()
        if not cal.setLunarDate(year, mm, dd, False):
            return None
        day = _dt.date.fromisoformat(cal.SolarIsoFormat())
        return day, day, day
    days = _kr_holidays(year)
    main = next((d for d, names in days.items() if key in names), None)
    if main is None:
        return None
    period = [d for d, names in days.items() if abs((d - main).days) <= 4 and any(key in n for n in names)]
    return main, min(period), max(period)


def resolve_holiday(p: DateParts, pub: Ref, context: Timex | None) -> Timex:
    """``설날``, ``추석``, ``어버이날``: the holiday in the written year, else its occurrence nearest the
    document date; ``설 연휴`` the first day of the official period. Undated: a solar day keeps its
    month and day (``XXXX-05-08``), a lunar one is ``XXXX-XX-XX``. A holiday that falls inside the
    month or day written just before it is that one's (``▲ 2021. 9. 추석을 앞두고``, ``2021. 4. 5.
    식목일을 맞아``: the written year, not the one nearest the document date)."""
    if p.year is None and p.unit is None and context is not None and context.grain in ("month", "day"):
        within = context.period()
        if within is not None and context.year is not None:
            value = _holiday_value(replace(p, year=context.year), pub)[0]
            day = value.period()
            if day is not None and within[0] <= day[0] <= within[1]:
                return value
    return _holiday_value(p, pub)[0]


def _holiday_value(p: DateParts, pub: Ref) -> tuple[Timex, Timex | None]:
    assert p.holiday is not None
    source, key, lunar = p.holiday
    year = _closest_century(p.year, pub.year) if p.two_digit_year and p.year is not None else p.year
    if year is None and pub.year is not None and p.unit == "year":  # 지난해 추석, 올해 설
        year = pub.year + p.offset
    if year is None and pub.year is None:
        if lunar:
            return Timex("day"), None
        sample = holiday_period(source, key, 2001)  # any year: a solar day's month and day
        return (Timex("day", None, sample[0].month, sample[0].day), None) if sample else (Timex("day"), None)
    if year is not None:
        found = holiday_period(source, key, year)
    else:
        assert pub.year is not None
        ref = _dt.date(pub.year, pub.month or 7, pub.day or (15 if pub.month else 1))
        if p.unit == "month" and pub.month is not None:  # 다음 달 단오: the one nearest that month
            ref = _dt.date(*_shift_month(pub.year, pub.month, p.offset), 15)
        options = [h for y in (pub.year - 1, pub.year, pub.year + 1) if (h := holiday_period(source, key, y))]
        # 지난 추석, 오는 어린이날: before / after the day (이번 설: the nearest)
        if p.unit == "following" and p.offset and pub.day is not None:
            options = [h for h in options if (h[0] - ref).days * p.offset > 0]
        found = min(options, key=lambda h: abs((h[0] - ref).days)) if options else None
        if found is not None and p.unit is None and p.tense and not p.occasion and pub.month is not None:
            found = _holiday_by_tense(found, options, p.tense, (pub.year, pub.month))
    if found is None:
        return Timex("day", year), None
    day, first, last = found
    if p.holiday_range:
        return _day(first), _day(last)
    return _day(day), None


def _holiday_by_tense(found: _Period, options: list[_Period], tense: int, month: tuple[int, int]) -> _Period:
    """The nearest occurrence of a holiday, moved by the tense as any partial date (docs/annotation.md,
    round 9): in a clause that plans, one in a month before the document's is the next one
    (``크리스마스에 … 나눌 예정이다`` in March → that December); in a past clause, one in a month after it
    the previous one (``어린이날 선물을 전달했다`` in December → that May). Within the document's month
    the nearest stays, as for a partial date, and so does one in the month after it in a past clause:
    what is done for a holiday is done in the weeks before it (``어린이날 선물로 책을 보냈다`` on 20 April,
    ``설을 보내도록 떡을 모았다`` on 30 January: the coming one)."""
    at = (found[0].year, found[0].month)
    if tense > 0 and at < month:
        later = [h for h in options if (h[0].year, h[0].month) >= month]
        return min(later, key=lambda h: h[0]) if later else found
    if tense < 0 and at > _shift_month(*month, 1):
        earlier = [h for h in options if (h[0].year, h[0].month) <= month]
        return max(earlier, key=lambda h: h[0]) if earlier else found
    return found


def resolve_duration(p: DateParts, pub: Ref, context: Timex | None) -> Timex:
    assert p.duration is not None
    return p.duration


# ---------------------------------------------------------------------------------------------
# The rules


@dataclass(frozen=True)
class Rule:
    """One date expression: everything about it in one value.

    ``pattern`` is a regex template whose ``{name}`` fields are :func:`fragments` (write a literal
    brace as ``{{``); ``checks`` must all pass for a match to count; ``read`` gives its parts;
    ``resolve`` its value. ``end_group``: the span ends where that group ends (a range's first
    part, ``3~5월`` → ``3``). ``sets_context``: later partial dates may borrow from this one.
    Where matches overlap the longest wins, then the rule listed first."""

    name: str
    pattern: str
    resolve: Resolver = resolve_absolute
    checks: tuple[Check, ...] = ()
    read: Callable[[Found], DateParts | None] = read_parts
    end_group: str | None = None
    sets_context: bool = True
    doc: str = ""


_BARE_DAY = r"{nb}{dd}{S}일(?!요일|\s*(?:간|동안|째|만에))"  # two rules: a reporting day or not

RULES: tuple[Rule, ...] = (
    # full Korean dates, with 지난/오는 inside (지난 2018년, 오는 2027년 3월)
    Rule(
        "date.ymd",
        r"{nb}{ago}{yy}{S}년{S}{mo}{S}월{S}{dd}{S}일{weekday}",
        checks=(not_ordinal,),
        doc="2020년 1월 8일, 2023년 12월 8일 금요일",
    ),
    Rule(
        "date.ym",
        r"{nb}{ago}{yy}{S}년{S}{mo}{S}월(?:\s*(?P<mod>{month_mods})|{of_week})?",
        checks=(not_ordinal, not_title_year),
        doc="2020년 3월, 2020년 3월 말",
    ),
    Rule(
        "date.year_half",
        r"{nb}{ago}{yy}{S}년{S}(?P<half>{halves})(?:\s*(?P<mod>{year_mods}))?",
        checks=(not_year_count, not_title_year),
        doc="2020년 상반기; not '2024년 상반기 장학증서 수여식' (a title)",
    ),
    Rule(
        "date.year_quarter",
        r"{nb}{ago}{yy}{S}년{S}(?P<q>[1-4])(?:/4)?{S}분기(?:\s*(?P<mod>{year_mods}))?",
        checks=(not_year_count, not_title_year),
        doc="2021년 1분기",
    ),
    Rule(
        "date.year",
        r"{nb}{ago}{yy}{S}년(?:도(?=\s|[,.)]|에|의|부터|까지|$))?(?!(?<!\d{{4}}년){S}(?:간|동안))"
        r"(?:\s*(?P<mod>{year_mods}|{year_words}))?",
        checks=(not_ordinal, not_year_count, not_title_year),
        doc="2020년, 20년, 2023년도, 2020년 말, 2020년 연말, 2023년 동안 (a written year; 20년 동안 is a duration)",
    ),
    Rule(
        "date.named_year",
        r"{nb}{ago}{y4}{S}(?:{year_names})",
        checks=(not_title_year,),
        doc="2023학년도, 2024 회계연도: a school or fiscal year named by its (first) calendar year",
    ),
    Rule(
        "date.range_ym_start",
        r"{nb}{y4}{S}년{S}{mo}{S}[~∼〜]{S}(?=(?:1[0-2]|0?[1-9]){S}월)",
        end_group="m",
        doc="2020년 3~5월 → 2020년 3",
    ),
    # dotted and ISO: 2020.9.22 / 20.9.22 / 2020. 3. 15. / 2020.3 / 2020. 3. / 2023-12-05
    Rule(
        "date.dotted_ymd",
        r"{nb}(?P<y>(?:19|20)?\d{{2}})\.{S}{mo}\.{S}{dd}(?:\.(?=[\s(\[),~∼〜]|$|[가-힣]))?{na}",
        doc="2020.9.22, 20.9.22, '21.3.5 (the apostrophe of a shortened year inside), 2022. 3. 15., 2024. 3. 11.부터",
    ),
    Rule("date.dotted_ym_spaced", r"{nb}{y4}\.\s+{mo}\.(?=\s|$)", doc="2020. 3."),
    Rule(
        "date.dotted_year_month",
        r"{nb}{y4}\.\s*{mo}{S}월{month_tail}?",
        checks=(not_ordinal,),
        doc="2020. 1월, 2018. 6월 말 (official schedules)",
    ),
    Rule("date.dotted_ym", r"{nb}{y4}\.{mo}(?!\d|\.\d|\s*[억만천조원%％개명톤])", doc="2020.3"),
    Rule(
        "date.dotted_md",
        r"{nb}{mo}\.\s?{dd}(?:\.(?=[\s(\[),~∼〜]|$|[가-힣]))?(?![\d.]){not_unit}",
        checks=(dotted_md_ok,),
        doc="2020.10.5~10.21 → 10.21, 5. 8.~5. 19. → 5. 19.",
    ),
    Rule(
        "date.dotted_md_range_start",
        r"{nb}{mo}\.\s?{dd}\.?(?=(?:\s*\([월화수목금토일]\))?\s*(?:[~∼〜]|부터)\s*"
        r"(?:1[0-2]|0?[1-9])\.\s?(?:3[01]|[12]\d|0?[1-9])(?![\d])\.?{not_unit})",
        doc="4.24~5.28 → 4.24, 5. 8.~5. 19. → 5. 8., 12.1.(금) ~ 12.31.(일) → 12.1., 11.20(월)부터 → 11.20",
    ),
    # slashes and unpadded dashes: 2015/3/3, 74/10/31, 2015-3-3, 3/15(금)
    Rule("date.slash_ymd", r"(?<![\d.,/]){yy}/{mo}/{dd}(?![\d/])", doc="2015/3/3, 74/10/31"),
    Rule("date.dash_ymd", r"(?<![\d.,\-]){y4}-{mo}-{dd}(?![\d\-])", doc="2015-3-3"),
    Rule("date.slash_md", r"(?<![\d.,/]){mo}/{dd}(?![\d/])", checks=(slash_date_ok,), doc="3/15(금), 3/15까지"),
    Rule("date.slash_md_day", r"(?<![\d.,/]){mo}/{dd}일(?!요일)", doc="4/24일까지: a fraction never takes 일"),
    Rule(
        "date.iso",
        r"(?<![\d.,\-]){y4}-(?P<m>1[0-2]|0[1-9])(?:-(?P<d>3[01]|[12]\d|0[1-9]))?(?![\d\-])",
        doc="2023-12-05, 2020-03",
    ),
    # relative words and their parts: 올해 3월 / 지난해 말 / 다음 달 10일 / 이달 말 / 올해 상반기
    Rule(
        "date.rel_year_month",
        r"(?P<ry>{rel_year}){S}{mo}{S}월(?:{S}{dd}{S}일(?!{days_counted}){weekday})?{month_tail}?",
        resolve_relative_year,
        doc="올해 3월, 지난해 12월 1일",
    ),
    Rule(
        "date.rel_year_half",
        r"(?P<ry>{rel_year}){S}(?P<half>{halves})(?:\s*(?P<mod>{year_mods}))?",
        resolve_relative_year,
        doc="올해 상반기, 올해 상반기 말",
    ),
    Rule(
        "date.rel_year_quarter",
        r"(?P<ry>{rel_year}){S}(?P<q>[1-4])(?:/4)?{S}분기(?:\s*(?P<mod>{year_mods}))?",
        resolve_relative_year,
        doc="내년 1분기",
    ),
    Rule(
        "date.rel_year_part",
        r"(?P<ry>{rel_year})(?:\s*(?P<mod>{year_words})|\s+(?P<mod2>{year_mods})(?!씀))",
        resolve_relative_year,
        doc="지난해 말, 올해 연말",
    ),
    Rule(
        "date.rel_year",
        r"(?P<ry>{rel_year})(?:(?<!올)|(?=\s+(?:들어|한\s?해)))",
        resolve_relative_year,
        checks=(not_title_year,),
        doc="올해, 지난해, 같은 해; 올 alone only in 올 들어, 올 한 해",
    ),
    Rule("date.rel_month_day", r"(?P<rm>{rel_month}){S}{dd}{S}일{weekday}", resolve_relative_month, doc="다음 달 10일"),
    Rule(
        "date.rel_month_part",
        r"(?P<rm>{rel_month})\s*(?P<mod>{month_mods})(?!씀)",
        resolve_relative_month,
        doc="이달 말, 지난달 중순",
    ),
    Rule("date.rel_month", r"(?P<rm>{rel_month})", resolve_relative_month, doc="이달, 지난달, 다음 달"),
    Rule(
        "date.rel_day",
        r"(?P<rd>{rel_day})",
        resolve_relative_day,
        checks=(not_figurative,),
        doc="어제, 오늘, 모레, 이날, 전날, 이튿날",
    ),
    Rule(
        "date.ago",
        r"{nb}(?!(?:19|20)\d{{2}}{S}년)(?P<n>\d+|{native_num}){S}(?P<u>개월|년|주|일|달)"
        r"(?:\s*전(?=$|[\s,.)]|에|부터|까지|의|쯤|보다|과|와)"
        r"|(?<!일)\s*이전(?=$|[\s,.)]|에|부터|까지|의|보다|과|와)"
        r"|(?<=일)\s*이전(?=$|[,.)]|\s(?!\s*(?:까지|신청|접수|마감))|보다|의))",
        resolve_ago,
        read=read_ago,
        doc="10년 전, 석 달 전, 5년 이전, 6개월이전; 3일 이전 but not 15일 이전까지 (a deadline); not 2010년 전",
    ),
    Rule(
        "date.ago_word",
        r"(?P<nd>{native_dur})\s*전(?=$|[\s,.)]|에|부터|까지|의|쯤)",
        resolve_ago,
        checks=(is_point_duration_word,),
        read=read_ago_word,
        doc="이틀 전, 사흘 전; not 하루 전 (in advance)",
    ),
    # weeks and weekdays
    Rule(
        "date.rel_week",
        r"(?P<rw>{rel_week})(?:\s*(?P<wd>{weekdays})|\s*(?P<mod>{year_mods}))?",
        resolve_relative_week,
        checks=(week_cue_ok, not_coming_weekend),
        doc="이번 주, 지난주, 다음 주 화요일, 지난 주말 (the week's END), 내주 초, 오는 주 금요일; not 오는 주말",
    ),
    Rule(
        "date.last_next_weekday",
        r"(?<![가-힣])(?:(?P<dir>{this_last_next})|(?<!그\s)(?P<dir2>{next_weekday})){S}(?P<wd>{weekdays})",
        resolve_last_next_weekday,
        doc="지난 일요일, 오는 화요일, 저번 목요일, 다음 수요일 (= 오는 수요일)",
    ),
    Rule(
        "date.week_range_weekday_end",
        r"(?<![가-힣])(?P<wd>{weekdays})",
        resolve_weekday_range_end,
        checks=(after_week_weekday,),
        sets_context=False,
        doc="다음 주 월요일부터 수요일까지 → 수요일: the end of a range whose start names its week",
    ),
    Rule(
        "date.bare_weekday",
        r"(?<![가-힣])(?P<wd>{weekdays})",
        resolve_bare_weekday,
        checks=(one_weekday,),
        sets_context=False,
        doc="월요일 … 열었다, 토요일에 … 나른다; not 매주 수요일, 화요일마다",
    ),
    Rule(
        "date.rel_month_last_day",
        r"(?P<rm>{rel_month})\s*(?P<lastday>{last_day_of_month})",
        resolve_month_day_of,
        doc="이달 말일, 이달 마지막 날",
    ),
    Rule(
        "date.year_last_day",
        r"(?:(?P<ry>{rel_year})(?:\s*의)?\s*(?:연말\s*)?|{nb}{yy}{S}년(?:\s*의)?\s*(?:연말\s*)?|연말\s*)"
        r"(?P<lastday>{last_day_of_year})",
        resolve_year_last_day,
        checks=(not_recurring,),
        doc="올해 마지막 날, 지난해 마지막 날, 2023년 마지막 날, 연말 마지막 날: 31 December",
    ),
    Rule(
        "date.rel_month_nth_weekday",
        r"(?P<rm>{rel_month})\s*(?P<nth>{nth})(?:\s*주)?\s*(?P<wd>{weekdays})",
        resolve_month_day_of,
        doc="다음 달 첫째 토요일, 이달 마지막 금요일",
    ),
    Rule("date.last_day", r"(?P<lastday>{last_day_alone})", resolve_month_day_of, checks=(not_day_count,), doc="말일"),
    Rule("date.rel_quarter", r"(?P<rq>{rel_quarter})", resolve_relative_quarter, doc="이번 분기, 지난 분기"),
    Rule(
        "date.last_next_day",
        r"(?P<dir>{this_last_next}){S}{dd}{S}일{weekday}",
        resolve_last_next_day,
        doc="지난 19일, 오는 19일, 이번 19일",
    ),
    Rule(
        "date.last_next_month",
        r"(?P<dir>{last_next}){S}{mo}{S}월(?:{S}{dd}{S}일(?!{days_counted}){weekday}|{month_tail})?",
        resolve_last_next_month,
        checks=(not_ordinal,),
        doc="지난 10월, 오는 9월 말, 지난 4월 24일",
    ),
    Rule(
        "date.last_next_period",
        r"(?<![가-힣])(?P<dir>{last_next}){S}(?:(?P<q>[1-4])(?:/4)?{S}분기|(?P<half>{halves})|(?P<mod>{year_words}))",
        resolve_last_next_period,
        doc="지난 1분기, 오는 하반기, 지난 연말",
    ),
    # month and day without year: 3월 8일 / 3월 (초|말) / 6월 / 3분기 / 상반기 / 연말
    Rule("date.md", r"{nb}{mo}{S}월{S}{dd}{S}일{weekday}", checks=(not_ordinal,), doc="3월 8일, 12월 8일 금요일"),
    Rule(
        "date.month_nth_weekday",
        r"{nb}{year_of_month}{mo}{S}월\s*(?P<nth>{nth})(?:\s*주)?\s*(?P<wd>{weekdays})",
        resolve_month_day_of,
        checks=(not_title_year,),
        doc="10월 첫째 화요일, 3월 마지막 월요일, 2019년 5월 둘째 토요일 (a written year carries through); "
        "10월 둘째 주 토요일: the week's weekday is the month's second one",
    ),
    Rule(
        "date.month_last_day",
        r"{nb}{year_of_month}{mo}{S}월\s*(?P<lastday>{last_day_of_month})",
        resolve_month_day_of,
        checks=(not_title_year,),
        doc="10월 마지막 날, 2020년 11월 마지막날, 3월 말일, 2024년 6월 말일",
    ),
    Rule(
        "date.day_weekday",
        r"{nb}{dd}{S}일\s+(?P<wd>{weekdays})",
        resolve_day_weekday,
        checks=(not_day_count,),
        doc="19일 화요일",
    ),
    Rule(
        "date.weekday_mark",
        r"(?<=[0-9일.]\()(?P<wdm>[월화수목금토일])(?=\))",
        resolve_weekday_mark,
        sets_context=False,
        doc="28일(월), 2023. 11. 20.(월): the weekday letter",
    ),
    # Hangul numerals: 이천십오년 삼월 삼일, 유월, 시월
    Rule(
        "date.hangul",
        r"(?:(?P<hy>{sino}){S}년{S})?(?P<hm>{hmonth})"
        r"(?:{S}(?P<hd>{sino}){S}일)?{month_tail}?",
        checks=(hangul_month_ok,),
        doc="이천십오년 삼월 삼일, 유월, 시월",
    ),
    Rule("date.hangul_year", r"(?P<hy>{sino}){S}년(?!{S}(?:간|동안|전|째))", doc="이천이십삼년"),
    Rule("date.hangul_quarter", r"(?P<qh>[일이삼사])분기", doc="삼분기"),
    Rule("date.quarter_letter", r"{nb}(?P<q>[1-4])Q(?![A-Za-z\d])", doc="4Q"),
    # holidays, resolved from the holidays / korean-lunar-calendar packages (holidays.tsv)
    Rule(
        "date.holiday",
        r"(?:{nb}{yy}{S}년\s*|(?P<ry>{rel_year})\s+|(?P<rm>{rel_month})\s+|(?<![가-힣])(?P<dir>{this_last_next})\s+)?"
        r"(?P<hol>{holidays})(?:(?P<yeonhyu>\s*연휴)|\s*당일(?!치기))?",
        resolve_holiday,
        checks=(not_in_title, not_every_year, not_each_holiday, holiday_cue_ok),
        doc="설날, 추석 연휴, 2022년 설, 어버이날, 지난해 추석, 다음 달 단오, 설 당일, 이번 설",
    ),
    Rule(
        "date.month",
        r"{nb}{mo}{S}월(?!{S}(?:간|동안))(?:\s*(?P<mod>{month_mods})|{of_week})?",
        checks=(not_ordinal, not_recurring),
        doc="6월, 3월 초",
    ),
    Rule("date.quarter", r"{nb}(?P<q>[1-4])(?:/4)?{S}분기(?:\s*(?P<mod>{year_mods}))?", doc="3분기, 3분기 말"),
    Rule(
        "date.half",
        r"(?P<half>{halves})(?:\s*(?P<mod>{year_mods}))?",
        checks=(half_follow_ok, not_every_year, not_in_title),
        doc="상반기에; not inside a quoted title ('상반기 장학증서 수여식')",
    ),
    Rule(
        "date.month_word",
        r"(?<![가-힣])(?P<mod>{month_words})",
        resolve_month_word,
        checks=(not_recurring, not_monthly),
        doc="월초, 월말: the context's or the document's month; not 매월 월말",
    ),
    Rule(
        "date.year_part",
        r"(?P<mod>{year_words})(?!연시)(?!이?면(?![가-힣]))",  # 연말이면 …: whenever the year ends, every year
        checks=(not_recurring,),
        doc="연말, 연초; not 연말연시 (two years' turn), not 해마다 연말, not 연말이면 (every year)",
    ),
    # ranges whose first part borrows the unit of the second: 1~2개월간, 3~5월, 2020~2022년, 7월 1~3일
    Rule(
        "date.duration_range_start",
        r"{nb}(?P<n>\d{{1,3}}){S}[~∼〜\-–]{S}"
        r"(?=\d{{1,3}}{S}(?P<u>개월|년|주|일)(?:\s?간(?![가-힣])|간(?=[의에은는도])|\s*동안"
        # without 간/동안 a range of months is still durations (3~4개월 걸린다), as a bare 4개월 is one
        r"|(?<=개월)(?!\s*(?:전|후|뒤|차|째|만|연속))(?![가-힣])|(?<=개월)(?=[이가을를은는도의]\s)|(?={takes})))",
        resolve_duration,
        end_group="n",
        read=read_duration,
        sets_context=False,
        doc="1~2개월간, 3~4일 동안, 3~4개월 걸린다, 1-2주간, 2~3일이 걸린다 → 1, 3, 3, 1, 2: the first end of a range of durations, in the second's unit",
    ),
    Rule("date.range_month_start", r"{nb}{mo}{S}[~∼〜]{S}(?=(?:1[0-2]|0?[1-9]){S}월)", end_group="m", doc="3~5월 → 3"),
    Rule(
        "date.range_year_start",
        r"(?<![\d.,\-]){y4}{S}[~∼〜\-–]{S}(?=(?:19|20)\d{{2}}{S}년)",
        end_group="y",
        doc="2020~2022년, 2023-2024년 → 2020, 2023",
    ),
    Rule(
        "date.range_md_start",
        r"{nb}{mo}{S}월{S}{dd}{day_sep}(?={second_day})",
        end_group="d",
        doc="4월 24~28일 → 4월 24; a list 6월 14, 15일 → 6월 14",
    ),
    Rule(
        "date.range_rel_month_day_start",
        r"(?P<rm>{rel_month}){S}{dd}{day_sep}(?={second_day})",
        resolve_relative_month,
        end_group="d",
        doc="지난달 27~28일, 지난달 25, 26일 → 지난달 27, 지난달 25",
    ),
    Rule(
        "date.range_rel_year_month_start",
        r"(?P<ry>{rel_year}){S}{mo}{S}[~∼〜]{S}(?=(?:1[0-2]|0?[1-9]){S}월)",
        resolve_relative_year,
        end_group="m",
        doc="올해 1~4월 → 올해 1",
    ),
    Rule(
        "date.range_last_next_day_start",
        r"(?P<dir>{this_last_next}){S}{dd}{day_sep}(?={second_day})",
        resolve_last_next_day,
        end_group="d",
        doc="지난 2~3일, 오는 11·12일 → 지난 2, 오는 11",
    ),
    Rule(
        "date.range_day_start",
        r"{nb}{dd}{day_sep}(?={second_day}(?!{takes}))",
        end_group="d",
        doc="7월 1~3일 → 1; not 2~3일이 걸린다 (durations)",
    ),
    # a bare day: the report's own date (8일 밝혔다) or a day in the context's month (…부터 31일까지)
    Rule(
        "date.reporting_day",
        _BARE_DAY,
        resolve_reporting_day,
        checks=(not_day_count, is_reporting_day),
        sets_context=False,
        doc="…했다고 8일 밝혔다, 포스코는 7일",
    ),
    Rule("date.day", _BARE_DAY, checks=(not_day_count, not_reporting_day), doc="5일과 7일, …부터 31일까지"),
    # durations: 1개월, 3년간, 2주간, 6개월 동안 → 6개월, 나흘, 한 달간
    Rule(
        "date.duration",
        r"(?:(?<![가-힣])지난\s+)?{nb}(?P<n>\d+|{native_num})(?:(?<=\d)여)?{S}(?P<u>개월|년|주일|주|일|달|해)"
        r"(?:여(?:\s?간)?|간(?=[의에은는도])|\s?간(?![가-힣]))?",
        resolve_duration,
        checks=(duration_ok,),
        read=read_duration,
        sets_context=False,
        doc="1개월, 3년간, 1년 간, 한 달간, 2년여 간, 10여 년간, 3년간의, 한 해 동안, 지난 한 달, 1년 이상",
    ),
    Rule(
        "date.duration_year_month",
        r"{nb}(?P<n>\d{{1,2}}){S}년\s*(?P<n2>\d{{1,2}}){S}개월(?:\s?간(?![가-힣]))?",
        resolve_duration,
        checks=(not_since,),
        read=read_year_month_duration,
        sets_context=False,
        doc="1년 6개월간 → P18M: two units, counted in months",
    ),
    Rule(
        "date.duration_word",
        r"(?P<nd>{native_dur})(?P<gan>간)?",
        resolve_duration,
        checks=(duration_word_ok,),
        read=read_duration_word,
        sets_context=False,
        doc="나흘, 열흘간",
    ),
)


# ---------------------------------------------------------------------------------------------
# The grammar: tables + compiled rules, owned by a component


@dataclass(frozen=True)
class DateGrammar:
    """The tables, settings and compiled rules a component works with."""

    tables: DateTables
    rules: tuple[Rule, ...]
    compiled: tuple[re.Pattern, ...]
    report_follow: re.Pattern
    settings: Settings = SETTINGS
    source: Path = DATA_DIR
    fragments: Mapping[str, str] = field(default_factory=dict)
    _patterns: dict[str, re.Pattern] = field(default_factory=dict, compare=False, repr=False)

    def pattern(self, template: str) -> re.Pattern:
        """``template`` with the fragments filled in, as a rule's pattern is (``{bounds}``), compiled
        once per grammar: the checks call it for every candidate."""
        rx = self._patterns.get(template)
        if rx is None:
            rx = self._patterns[template] = re.compile(template.format(**self.fragments))
        return rx


def load_grammar(
    data_dir: str | Path | None = None, settings: Settings = SETTINGS, rules: Sequence[Rule] = RULES
) -> DateGrammar:
    """Read the tables from ``data_dir`` (the packaged ``pipeline/data/`` by default) and compile
    ``rules`` against them."""
    names = [r.name for r in rules]
    if len(set(names)) != len(names):
        raise ValueError(f"rule names must be unique: {sorted(n for n in names if names.count(n) > 1)}")
    tables = DateTables.read(data_dir)
    frags = fragments(tables)
    compiled = tuple(re.compile(r.pattern.format(**frags)) for r in rules)
    verbs = "|".join(re.escape(v) for v in tables.reporting_verbs)
    report_follow = re.compile(rf"\s+(?:[가-힣]+\s+){{0,3}}?(?:{verbs})")
    return DateGrammar(
        tables, tuple(rules), compiled, report_follow, settings, Path(data_dir) if data_dir else DATA_DIR, frags
    )


# ---------------------------------------------------------------------------------------------
# Finding and resolving


def _found(grammar: DateGrammar, rule: Rule, m: re.Match, text: str, bounds: TokenIndex | None) -> Found | None:
    """The match as a span candidate, or ``None`` when it cannot be a date here."""
    start = m.start()
    end = m.end(rule.end_group) if rule.end_group else m.end()
    if start and text[start - 1].isalnum():
        return None  # a date never starts inside a word or number (코로나19, 제2020 …)
    if bounds is not None and end not in bounds.ends and m.groupdict().get("mod") and not rule.end_group:
        # 초/중/말 are a period part only as whole words (Kiwi's tokens): 5월 초록우산 is 5월
        end = len(text[: m.start("mod")].rstrip())
    if end <= start:
        return None  # nothing left: 연말 inside 연말연시 alone
    if bounds is not None and (start not in bounds.starts or not _ends_date(grammar, text, end, bounds)):
        return None  # e.g. 내달리다 is not 내달
    if m.groupdict().get("d") and m.end("d") <= end and grammar.pattern("{days_counted}").match(text, end):
        return None  # 오는 7월 8일간: 8일간 counts days (오는 7월, then a duration)
    if start and _ELIDED_CENTURY.match(text, start - 1) and _TITLE_CLOSE.match(text, end) is None:
        start -= 1  # '24년 3월: the apostrophe of a shortened year is inside (unless it opens a quoted title)
    f = Found(rule, m, text, start, end, grammar)
    return f if all(check(f) for check in rule.checks) else None


def _ends_date(grammar: DateGrammar, text: str, end: int, bounds: TokenIndex) -> bool:
    """A date ends on a token end, or before a suffix that Kiwi joined to its last syllable
    (date_parts.tsv ``suffix``: ``8일자로``, ``20일쯤``; ``자`` only after a day)."""
    if end in bounds.ends:
        return True
    m = grammar.pattern("(?:{suffix_day})" if text[end - 1 : end] == "일" else "(?:{suffix_any})").match(text, end)
    return m is not None and m.end() in bounds.ends


def find_dates(text: str, grammar: DateGrammar, bounds: TokenIndex | None = None) -> list[DateParts]:
    """Every DATE span in ``text``: where candidates overlap the longest match wins, then the rule
    listed first."""
    cands: list[tuple[int, int, int, Found]] = []
    for prio, (rule, rx) in enumerate(zip(grammar.rules, grammar.compiled, strict=True)):
        # every match, one per start: an invalid match must not hide a valid one starting inside
        # it (카카오는 2021년)
        for m in matches(rx, text):
            f = _found(grammar, rule, m, text, bounds)
            if f is not None:
                cands.append((m.start(), -(m.end() - m.start()), prio, f))
    cands.sort(key=lambda c: c[:3])
    taken: list[DateParts] = []
    last_end = -1
    for start, _neg_len, prio, f in cands:
        if start < last_end:
            continue
        parts = grammar.rules[prio].read(f)
        if parts is None:
            continue
        if bounds is not None and not bounds.same_sentence(parts.start, parts.end):
            continue
        if _AS_OF_AFTER.match(text, parts.end):
            parts = replace(parts, as_of=True)
        if _RANGE_AFTER_TIME.match(text, parts.end):
            parts = replace(parts, range_start=True)
        if _UNTIL_NOW_AFTER.match(text, parts.end):
            parts = replace(parts, until_now=True)
        if parts.holiday is not None and _DAY_AFTER_OCCASION.match(text, parts.end):
            parts = replace(parts, dated_by_next=True)
        taken.append(parts)
        last_end = parts.end
    return taken


def _lends_on(p: DateParts) -> bool:
    """Whether a later sentence's partial dates may borrow from this date. Not a deictic day or week
    (``전날``, ``다음 주 화요일``: counted from an act or the document date of their own sentence) nor a
    relative year alone (``지난해 … 30톤이었다. 연말까지 …`` is this year's end): after those, a
    partial date counts from the document date and its tense."""
    if p.rule.resolve in (resolve_relative_day, resolve_relative_week, resolve_last_next_weekday):
        return False
    return not (p.rule.resolve is resolve_relative_year and p.month is None and p.half is None and p.mod is None)


def resolve_dates(
    dates: list[DateParts],
    published: str | None,
    sentence_of: Callable[[int], int] = lambda off: 0,
    tense_at: Callable[[int], int] = lambda off: 0,
    adnominal_at: Callable[[int], int | None] = lambda end: None,
) -> list[Date]:
    """Resolve every date in document order: each rule's resolver gets the document date and the
    context date (the latest date of this sentence, else of the previous one, that sets context);
    ``tense_at(offset)`` is the tense of the clause a date stands in (:func:`clause_tenses`), unless
    an adnominal verb right after the date gives its own (``adnominal_at(end)``, :func:`adnominal_tenses`)."""
    pub = parse_published(published)
    out: list[Date] = []
    last_in_sentence: dict[int, Timex] = {}
    lends_on: dict[int, Timex] = {}  # the latest date of a sentence that a later sentence may borrow from
    last_day: dict[int, Timex] = {}  # the day of the action last reported (a reporting day only when alone)
    past_day: dict[int, Timex] = {}  # the same, among the days not after the document date
    act_day: set[int] = set()  # sentences whose last_day is a single day that is not a reporting day's
    about: dict[int, Timex] = {}  # the latest year-bearing date of a sentence, a relative year alone included
    before_last: dict[int, Timex | None] = {}  # a sentence's context before its latest date set it
    pub_day = _pub_day(pub)
    framing: tuple[int, DateParts] | None = None  # a holiday whose year the day right after it decides
    for p in dates:
        sid = sentence_of(p.start)
        adnominal = adnominal_at(p.end)
        p = replace(p, tense=-1 if p.until_now else tense_at(p.start) if adnominal is None else adnominal)
        ctx = last_in_sentence.get(sid) or lends_on.get(sid - 1)
        if p.rule.resolve is resolve_relative_year and p.reference == "context" and sid not in last_in_sentence:
            ctx = about.get(sid - 1)  # 지난해 … 기부했다. 이는 전년보다 …: the year before the one just named
        if p.rule.resolve is resolve_relative_day and p.reference == "context":
            # 이날, 같은 날, 전날, 다음 날: the day of the action last reported, however many sentences back;
            # in a past clause never a day still to come (다음 달 3일 출연한다. … 같은 날 … 시작했다)
            days = past_day if p.tense < 0 else last_day
            earlier = [s for s in days if s <= sid]
            ctx = days[max(earlier)] if earlier else None
        if p.rule.resolve is resolve_weekday_mark:  # the day whose parenthesis it stands in
            ctx = out[-1].value if out and out[-1].end == p.start - 1 else None
            if ctx is None:
                continue  # no day found before it (3.5(금)?): the letter alone is no date
        if p.coordinated and p.tense >= 0:
            continue  # 장학생은 상반기와 하반기에 선발한다: every year, no date (in the past: that year's)
        try:
            value = fit_weekday(p.rule.resolve(p, pub, ctx), p)
        except (OverflowError, ValueError):
            continue  # 800000일 전: a count that reaches past the calendar's first day is no date
        if p.nth == 0 and value.grain == "month" and value.year is not None and value.month is not None:
            # 지난 3월 말일, 올해 6월 말일, 유월 말일, 이달 말일: the last day of the month resolved
            value = Timex("day", value.year, value.month, calendar.monthrange(value.year, value.month)[1])
        if value.year is not None and not _dt.MINYEAR <= value.year <= _dt.MAXYEAR:
            continue  # 99999년 전: nor a year before year 1 (or after 9999)
        if p.as_of and p.rule.resolve is resolve_absolute and p.month is None and p.year is None:
            # 9일 현재: a figure holds at a day already past, whatever month the context lends
            latest = resolve_reporting_day(replace(p, tense=0), pub, None)
            here, then = value.period(), latest.period()
            if here is not None and then is not None and here[0] > then[0]:
                value = latest
        end_value = _holiday_value(p, pub)[1] if p.holiday_range else None
        if framing is not None and framing[1].end < p.start <= framing[1].end + 12 and value.grain == "day":
            out[framing[0]] = _framed_holiday(out[framing[0]], framing[1], value)
        framing = (len(out), p) if p.dated_by_next and p.year is None and p.unit is None else None
        out.append(Date(p.start, p.end, p.rule.name, value, p.mod, end_value))
        if p.occasion:
            # 오는 5일 어린이날을 앞두고 29일 …: the occasion and the day that names it frame no act
            if len(out) > 1 and sentence_of(out[-2].start) == sid and out[-2].end >= p.start - 1:
                previous = before_last.get(sid)
                if previous is None:
                    last_in_sentence.pop(sid, None)
                else:
                    last_in_sentence[sid] = previous
            continue
        if p.rule.sets_context and value.year is not None and value.grain != "duration":
            about[sid] = value  # (a reporting day says when it was told, not what it is about)
        if p.rule.sets_context and adnominal is None:
            before_last[sid] = last_in_sentence.get(sid)
            # a date in a relative clause dates its noun (2019년 3월 문을 연 복지관에 24일 …): the
            # sentence's later bare days do not take its month
            last_in_sentence[sid] = value
            if _lends_on(p):
                lends_on[sid] = value
            else:
                lends_on.pop(sid, None)
        reported_after_act = p.rule.resolve is resolve_reporting_day and sid in act_day
        if (
            value.grain == "day"
            and value.is_resolved
            and not (p.range_start or p.range_end or p.as_of or p.occasion or reported_after_act)
        ):
            # 이날 never points at an as-of date (12월 31일 현재 …), a holiday named as the occasion
            # (어린이날을 앞두고), nor at the day a sentence reports an act it has already dated (지난 17일 …
            # 전달했다고 20일 밝혔다. 이날 … → the 17th); a range dates no one act (지난 1일부터 …
            # 진행한다고 16일 밝혔다. 이날 … → the 16th; 전날 밤부터 … 만들었다. 이날 → the day before's next)
            last_day[sid] = value
            period = value.period()
            if pub_day is not None and period is not None and period[0] <= pub_day:
                past_day[sid] = value
            act_day.add(sid)
    return out


# ---------------------------------------------------------------------------------------------
# Tense: Kiwi's analysis of the predicate that closes a date's clause

_PREDICATE_TAGS = {"VV", "VA", "VX", "VCP", "VCN", "XSV", "XSA", "EP", "EF", "EC", "ETM", "ETN"}
_PAST = {"었", "았", "였"}
_PROSPECTIVE = {"ᆯ", "을"}  # the adnominal of what is to come: 열 예정, 선발할 계획, 진행할 것
_MODAL_NOUNS = {"수", "줄"}  # …할 수 있다: what can be done, no plan
_PRESENT_ENDINGS = {"ᆫ다", "는다", "ᆸ니다", "습니다"}
_QUOTATIVE = re.compile(r"(?:다|라|자|냐)고$")


def _parts(tag: str, lemma: str) -> list[tuple[str, str]]:
    tags, lemmas = base_tags(tag), lemma.split("+")
    if len(tags) != len(lemmas):
        lemmas = [lemma] * len(tags)
    return list(zip(tags, lemmas, strict=True))


def predicate_tense(tokens: Sequence[tuple[str, str]]) -> int:
    """The tense of a predicate, its tokens' (tag, lemma) in order up to its final or quotative
    ending: -1 past (``열었다``, ``마감됐다``: the past marker ``었``/``았``); 1 a plan or announcement
    (a prospective adnominal before its noun, ``열 예정이다``, ``선발할 계획이다``, ``될 것으로``; the
    future ``겠``; a present-tense verb, ``연다``, ``모집합니다``); 0 otherwise (``하고 있다``, ``3월이다``)."""
    parts = [p for tag, lemma in tokens for p in _parts(tag, lemma)]
    if any(t == "EP" and lem in _PAST for t, lem in parts):
        return -1
    prospective = any(
        t == "ETM" and lem in _PROSPECTIVE and (k + 1 == len(parts) or parts[k + 1][1] not in _MODAL_NOUNS)
        for k, (t, lem) in enumerate(parts)
    )
    if prospective or any(t == "EP" and lem == "겠" for t, lem in parts):
        return 1
    verbs = [lem for t, lem in parts if t in ("VV", "XSV", "VX")]
    ending = parts[-1][1] if parts else ""
    if (
        verbs
        and verbs[-1] != "있"
        and (ending in _PRESENT_ENDINGS or any(ending.endswith(e + "고") for e in _PRESENT_ENDINGS))
    ):
        return 1
    return 0


# linking endings that close a clause of their own when its predicate carries the past marker
# (``9일 기탁했으며 … 배달한다``: the gift is past, the delivery to come)
_LINKING_ENDINGS = frozenset({"며", "으며", "고", "면서", "으면서"})


def clause_tenses(doc: Doc, index: TokenIndex) -> list[tuple[int, int]]:
    """(offset, tense) of every clause end of ``doc``: each final ending (``EF``), each quotative
    ending (``…한다고``, ``…이라고``) and each linking ending after the past marker (``…했으며``), with the tense of the predicate it closes. The predicate runs
    back over verbs, endings and a noun the prospective adnominal governs (``열 예정이다``)."""
    lemmas = index.lemmas
    tags = index.tags
    out = []
    for i, tag in enumerate(tags):
        if "EF" not in tag and "EC" not in tag:
            continue  # (the test below, without splitting every token's tag)
        parts = _parts(tag, lemmas[i])
        linking = bool(parts) and parts[-1][0] == "EC" and parts[-1][1] in _LINKING_ENDINGS
        if not parts or not (
            parts[-1][0] == "EF" or (parts[-1][0] == "EC" and _QUOTATIVE.search(parts[-1][1])) or linking
        ):
            continue
        j = i
        while j > 0:
            prev = _parts(tags[j - 1], lemmas[j - 1])
            if tags[j - 1] == "_SP" or index.is_space[j - 1]:
                j -= 1
                continue
            noun_of_prospective = (
                prev[0][0] in ("NNG", "NNB")
                and j - 2 >= 0
                and any(t == "ETM" for t, _ in _parts(tags[j - 2], lemmas[j - 2]))
            )
            if all(t in _PREDICATE_TAGS for t, _ in prev) or noun_of_prospective:
                j -= 1
                continue
            break
        group = [(tags[k], lemmas[k]) for k in range(j, i + 1) if not index.is_space[k]]
        tense = predicate_tense(group)
        if linking and tense >= 0:
            continue  # 전달하고 … 연다: a linked clause without the past marker takes the sentence's tense
        out.append((index.end_list[i], tense))
    return out


_ATTACHED_OK = ("J", "XSN", "SF", "SP", "SS")  # what may close a date's own word: 부터, 경, a comma


def adnominal_tenses(doc: Doc, index: TokenIndex) -> Callable[[int], int | None]:
    """``date end → tense`` when the word right after the date (past its particles) is a verb in an
    adnominal form: a date just before a relative clause's verb dates that verb (``3월 2일 개막하는
    축제를 홍보했다``: the opening is to come; ``5일 열린 행사에서 … 발표할 예정이다``: it was held).
    ``-는``/``-ㄹ`` plan or go on (1), ``-ㄴ`` after a verb and the past marker are past (-1); ``None``
    otherwise (an adjective ``어려운``, a noun, a word between)."""
    lemmas = index.lemmas
    tags, n = index.tags, index.n_tokens

    def tense_after(end: int) -> int | None:
        k = bisect.bisect_left(index.start_list, end)
        if k == 0:
            return None
        k -= 1  # the date's last token; walk over what is attached to it
        while k < n and not index.whitespace[k]:
            k += 1
            if k < n and not tags[k].startswith(_ATTACHED_OK):
                return None
        k += 1
        if k >= n or index.sentence_of(index.start_list[k]) != index.sentence_of(end - 1):
            return None
        parts: list[tuple[str, str]] = []
        while k < n:
            parts += _parts(tags[k], lemmas[k])
            if index.whitespace[k]:
                break
            k += 1
        if not parts or parts[-1][0] != "ETM" or not any(t in ("VV", "XSV", "VX") for t, _ in parts):
            return None
        if any(t == "EP" and lem in _PAST for t, lem in parts):
            return -1
        if k + 1 < n and lemmas[k + 1] == "지" and tags[k + 1].startswith("NNB"):
            return None  # 9월 말까지 지은 지 20년이 넘은 …: the time since (V-ㄴ 지), no clause of the date
        if parts[-1][1] in _PROSPECTIVE:  # 신청할 수 있다: what can be done, no plan
            return None if k + 1 < n and lemmas[k + 1] in _MODAL_NOUNS else 1
        return 1 if parts[-1][1] == "는" else -1

    return tense_after


def tense_lookup(ends: list[tuple[int, int]], index: TokenIndex) -> Callable[[int], int]:
    """``offset → tense`` of the first clause end after ``offset`` in its sentence (0 if none)."""
    offsets = [o for o, _ in ends]

    def tense_at(offset: int) -> int:
        k = bisect.bisect_right(offsets, offset)
        if k < len(ends) and index.sentence_of(ends[k][0] - 1) == index.sentence_of(offset):
            return ends[k][1]
        return 0

    return tense_at


def explain_doc(doc: Doc) -> list[dict[str, Any]]:
    """Each DATE span of an annotated Doc: its text, offsets, value, mod and the rule that fired."""
    return [
        {"text": s.text, "start": s.start_char, "end": s.end_char, "value": s._.value, "mod": s._.mod, "rule": s._.rule}
        for s in doc.spans.get("DATE", [])
    ]


def explain(text: str, published: str | None = None, nlp: Language | None = None) -> list[dict[str, Any]]:
    """Why each date of ``text`` came out as it did: for every DATE span, as the pipeline finds it
    (``nlp``, by default the process's pipeline), its text, offsets, value, mod and rule."""
    from .nlp import annotate  # late: nlp imports this module

    return explain_doc(annotate(text, published, nlp))


# ---------------------------------------------------------------------------------------------
# The spaCy component


@Language.factory("csr_dates", default_config={"data_dir": None})
def make_dates(nlp: Language, name: str, data_dir: str | None) -> DateRecognizer:
    return DateRecognizer(nlp, name, data_dir=data_dir)


class DateRecognizer:
    """spaCy component: ``doc.spans["DATE"]`` with ``_.value``, ``_.mod`` and ``_.rule``."""

    def __init__(self, nlp: Language | None = None, name: str = "csr_dates", *, data_dir: str | Path | None = None):
        self.name = name
        self.data_dir = data_dir
        self.grammar: DateGrammar | None = None

    def initialize(self, get_examples=None, *, nlp=None, data_dir: str | None = None) -> None:
        """Load the tables (from ``data_dir``, else the component's, else the packaged ones).
        (Arguments spaCy validates carry no annotations it could not resolve.)"""
        if data_dir is not None:
            self.data_dir = data_dir
        self.grammar = load_grammar(self.data_dir)

    def __call__(self, doc: Doc) -> Doc:
        if self.grammar is None:
            self.initialize()
        assert self.grammar is not None
        bounds = token_index(doc)
        found = find_dates(doc_text(doc), self.grammar, bounds)
        tense_at = tense_lookup(clause_tenses(doc, bounds), bounds) if found else (lambda off: 0)
        adnominal_at = adnominal_tenses(doc, bounds) if found else (lambda end: None)
        dates = resolve_dates(found, doc._.published, bounds.sentence_of, tense_at, adnominal_at)
        return set_spans(
            doc,
            "DATE",
            [
                (
                    d.start,
                    d.end,
                    {
                        "value": d.value.format(),
                        "mod": d.mod,
                        "rule": d.rule,
                        "end_value": d.end_value.format() if d.end_value else None,
                    },
                )
                for d in dates
            ],
        )

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """Copies of the tables this component reads."""
        out = ensure_path(path)
        out.mkdir(parents=True, exist_ok=True)
        source = self.grammar.source if self.grammar else Path(self.data_dir or DATA_DIR)
        for name in TABLES:
            shutil.copyfile(source / name, out / name)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> DateRecognizer:
        self.initialize(data_dir=str(path))
        return self
