"""DATE: calendar time as ANNOTATION.md writes it (``2020-03``, ``2021-Q1``, ``XXXX-03``, ``P1M``).

Finding and normalising are separate. :func:`find_dates` returns raw matches with their parts
(year, month, day, relative offsets, period parts); :func:`resolve_dates` turns the parts into
values against the document date and the dates before them (partial dates inherit missing parts
from the nearest preceding date in the sentence, else the previous sentence, else the document
date). Both are pure functions; :class:`DateRecognizer` is the spaCy component around them.
Word lists live in ``data/date_words.tsv``, ``data/date_parts.tsv`` and ``data/durations.tsv``.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from .lexicon import read_table
from .numbers import native_numeral_pattern, parse_native
from .spans import TokenIndex, doc_text, set_spans, token_index


@dataclass
class DateParts:
    """What a DATE surface says, before resolution. ``None`` = not said."""

    start: int
    end: int
    year: int | None = None
    month: int | None = None
    day: int | None = None
    two_digit_year: bool = False
    rel_unit: str | None = None  # year / month / day: a relative word sets this unit
    rel_offset: int = 0
    rel_reference: str = "document"  # or "context"
    last_day: int | None = None  # 지난 19일
    next_day: int | None = None  # 오는 19일
    report_day: int | None = None  # …했다고 8일 밝혔다
    half: str | None = None
    quarter: int | None = None
    mod: str | None = None
    duration: str | None = None
    value: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def is_duration(self) -> bool:
        return self.duration is not None

    @property
    def precision(self) -> str:
        if self.day is not None or self.last_day or self.next_day or self.report_day or self.rel_unit == "day":
            return "day"
        if self.month is not None or self.rel_unit == "month":
            return "month"
        return "year"


# ---------------------------------------------------------------------------------------------
# Lexicon


@lru_cache(maxsize=1)
def _lexicon() -> dict:
    words = {r["word"]: r for r in read_table("date_words.tsv")}
    parts = {r["word"]: r for r in read_table("date_parts.tsv")}
    durations = {r["word"]: r for r in read_table("durations.tsv")}
    return {"words": words, "parts": parts, "durations": durations}


def _alt(words) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s*") for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[str, re.Pattern]]:
    lex = _lexicon()
    by_unit = {u: [w for w, r in lex["words"].items() if r["unit"] == u] for u in ("year", "month", "day")}
    rel_year, rel_month, rel_day = (_alt(by_unit[u]) for u in ("year", "month", "day"))
    month_mods = _alt([w for w, r in lex["parts"].items() if r["kind"] == "mod" and r["applies_to"] in ("any", "month")])
    year_mods = _alt([w for w, r in lex["parts"].items() if r["kind"] == "mod" and r["applies_to"] == "any"])
    year_words = _alt([w for w, r in lex["parts"].items() if r["applies_to"] == "year_word"])
    halves = _alt([w for w, r in lex["parts"].items() if r["kind"] == "half"])
    native_dur = _alt(lex["durations"])
    native_num = native_numeral_pattern()
    nb = r"(?<![\d.,])"  # no digit before
    ago = r"(?:(?<![가-힣])(?:지난|오는)\s+)?"  # 지난 2019년: inside the span, changes nothing
    na = r"(?![\d])"
    y4 = r"(?P<y>(?:19|20)\d{2})"
    yy = r"(?P<y>(?:19|20)\d{2}|\d{2})"  # 20년 12월: two-digit years fit the document date
    mo = r"(?P<m>1[0-2]|0?[1-9])"
    dd = r"(?P<d>3[01]|[12]\d|0?[1-9])"
    S = r"\s*"
    P = [
        # 2020년 1월 8일 / 2020년 3월 (초|중순|말) / 2020년 상반기 / 2021년 1분기 / 2020년 (초|말)
        ("ymd", rf"{nb}{ago}{yy}{S}년{S}{mo}{S}월{S}{dd}{S}일"),
        ("ym", rf"{nb}{ago}{yy}{S}년{S}{mo}{S}월(?:\s*(?P<mod>{month_mods}))?"),
        ("yh", rf"{nb}{ago}{yy}{S}년{S}(?P<half>{halves})"),
        ("yq", rf"{nb}{ago}{yy}{S}년{S}(?P<q>[1-4])(?:/4)?{S}분기"),
        ("y", rf"{nb}{ago}{yy}{S}년(?!{S}(?:간|동안))(?:\s*(?P<mod>{year_mods}|{year_words}))?"),
        ("range_ym", rf"{nb}{y4}{S}년{S}(?P<m1>1[0-2]|0?[1-9]){S}[~∼〜]{S}(?=(?:1[0-2]|0?[1-9]){S}월)"),
        # dotted and ISO: 2020.9.22 / 20.9.22 / 2020. 3. 15. / 2020.3 / 2020. 3. / 2023-12-05
        ("dot_ymd", rf"{nb}(?P<y>(?:19|20)?\d{{2}})\.{S}{mo}\.{S}{dd}(?:\.(?=[\s(\[),]|$))?{na}"),
        ("dot_ym_sp", rf"{nb}{y4}\.\s+{mo}\.(?=\s|$)"),
        ("dot_ym", rf"{nb}{y4}\.{mo}(?!\d|\.\d|\s*[억만천조원%％개명톤])"),
        ("dot_md", rf"{nb}{mo}\.{dd}(?![\d.])"),
        ("iso", rf"(?<![\d.,\-]){y4}-(?P<m>1[0-2]|0[1-9])(?:-(?P<d>3[01]|[12]\d|0[1-9]))?(?![\d\-])"),
        # relative words and their parts: 올해 3월 / 지난해 말 / 다음 달 10일 / 이달 말 / 올해 상반기
        ("rel_y_m", rf"(?P<ry>{rel_year}){S}{mo}{S}월(?:{S}{dd}{S}일)?(?:\s*(?P<mod>{month_mods}))?"),
        ("rel_y_h", rf"(?P<ry>{rel_year}){S}(?P<half>{halves})"),
        ("rel_y_q", rf"(?P<ry>{rel_year}){S}(?P<q>[1-4])(?:/4)?{S}분기"),
        ("rel_y_mod", rf"(?P<ry>{rel_year})(?:\s*(?P<mod>{year_words})|\s+(?P<mod2>{year_mods})(?!씀))"),
        ("rel_y", rf"(?P<ry>{rel_year})(?<!올)"),
        ("rel_m_d", rf"(?P<rm>{rel_month}){S}{dd}{S}일"),
        ("rel_m_mod", rf"(?P<rm>{rel_month})\s*(?P<mod>{month_mods})(?!씀)"),
        ("rel_m", rf"(?P<rm>{rel_month})"),
        ("rel_d", rf"(?P<rd>{rel_day})"),
        ("last_d", rf"(?P<dir>지난|오는|이번){S}{dd}{S}일"),
        ("last_m", rf"(?P<dir>지난|오는){S}{mo}{S}월(?:\s*(?P<mod>{month_mods}))?"),
        # month and day without year: 3월 8일 / 3월 (초|말) / 6월 / 3분기 / 상반기 / 연말
        ("md", rf"{nb}{mo}{S}월{S}{dd}{S}일"),
        ("m", rf"{nb}{mo}{S}월(?!{S}(?:간|동안))(?:\s*(?P<mod>{month_mods}))?"),
        ("q", rf"{nb}(?P<q>[1-4])(?:/4)?{S}분기"),
        ("h", rf"(?P<half>{halves})"),
        ("yw", rf"(?P<mod>{year_words})"),
        # ranges whose first part borrows the unit of the second: 3~5월, 2020~2022년, 7월 1~3일
        ("range_m", rf"{nb}(?P<m1>1[0-2]|0?[1-9]){S}[~∼〜]{S}(?=(?:1[0-2]|0?[1-9]){S}월)"),
        ("range_y", rf"{nb}(?P<y1>(?:19|20)\d{{2}}){S}[~∼〜]{S}(?=(?:19|20)\d{{2}}{S}년)"),
        ("range_d", rf"{nb}(?P<d1>3[01]|[12]\d|0?[1-9]){S}[~∼〜]{S}(?=(?:3[01]|[12]\d|0?[1-9]){S}일)"),
        # day alone: range ends (…부터 31일까지, ~31일) and reporting dates (8일 밝혔다)
        ("d", rf"{nb}{dd}{S}일(?!요일|\s*(?:간|동안|째|만에))"),
        # durations: 1개월, 3년간, 2주간, 6개월 동안 → 6개월, 나흘, 한 달간
        ("dur", rf"{nb}(?P<n>\d+|{native_num}){S}(?P<u>개월|년|주|일|달)(?P<gan>간)?"),
        ("dur_native", rf"(?P<nd>{native_dur})(?P<gan>간)?"),
    ]
    return [(name, re.compile(rx)) for name, rx in P]


_UNIT_CODE = {"년": "Y", "개월": "M", "달": "M", "주": "W", "일": "D"}
_FIGURATIVE_FOLLOW_OK = re.compile(r"(?:\s+(?![도은는이가을를의과와])|부터|까지|\s*오전|\s*오후|\s*\()")
_DAY_COUNT_AFTER = re.compile(
    r"\s*(?:간|동안|째|만[에인의]|만|이내|가량|정도|여|남짓|씩|분|치|이상|미만|이하|넘|에\s*걸쳐|[이가]\s*(?:지나|걸리|걸렸|남)"
    r"|\d+\s*회|\s*\d+\s*시간)")
_DAY_COUNT_BEFORE = re.compile(r"(?:\d\s*박|매월|매달|매주|하루|일주일에|주\s*\d|월)\s*$")
_REPORT_FOLLOW = re.compile(r"\s+(?:[가-힣]+\s+){0,3}?(?:밝혔|발표했|전했|말했|알렸|개최했|열었|진행했|공개했|체결했|출범했|선포했|시작했|개최한|열린|진행된)")
_PARTICLE_AFTER_DUR = re.compile(r"\s*(?:동안|만[에인의])")


_RANGE_BEFORE = re.compile(r"(?:부터\s*|[~∼〜\-–]\s*)$")
_TWO_DIGIT_YEAR_NOT = re.compile(r"\s*(?:전|후|뒤|만|째|간|동안|이상|이내|넘|가까이|여|가량|정도|차|치|이\s*지난|이\s*넘)")


def _is_reporting_day(text: str, start: int, end: int) -> bool:
    """A bare day that dates the report itself (``…했다고 8일 밝혔다``, ``포스코는 7일 …``, a
    sentence opening ``16일 경찰은 …``): it resolves against the document date, not the dates
    before it. Other bare days (``5일과 7일``, ``…부터 31일까지``) take the month of the context."""
    before = text[max(0, start - 8):start]
    if _is_range_end(text, start) or re.search(r"[일월]\s*(?:과|와|및|,)\s*$", before):
        return False
    return bool(_REPORT_FOLLOW.match(text[end:end + 24]) or re.search(r"[가-힣](?:은|는|이|가)\s+$", before)
                or re.search(r"(?:^|[.!?\n]\s*|=\s*|\]\s*)$", text[max(0, start - 4):start]) or start == 0)


def _is_range_end(text: str, start: int) -> bool:
    """``…부터 31일까지``, ``~31일``, ``3일-7일``: the second part of a range."""
    return bool(_RANGE_BEFORE.search(text[max(0, start - 4):start]))


def _match_is_valid(name: str, m: re.Match, text: str, bounds: TokenIndex | None) -> bool:
    start, end = m.span()
    if name.startswith("range"):
        end = m.end("m1") if "m1" in m.re.groupindex else m.end(1)
    if end <= start:
        return False
    before = text[start - 1] if start else " "
    if before.isalnum():
        return False  # a date never starts inside a word or number (코로나19, 제2020 …)
    if bounds is not None and (start not in bounds.starts or end not in bounds.ends):
        return False  # e.g. 내달리다 is not 내달
    after = text[end:end + 12]
    gd = m.groupdict()
    if name == "rel_d":
        word = re.sub(r"\s+", " ", m.group("rd"))
        if _lexicon()["words"].get(word, {}).get("figurative") == "yes" and not _FIGURATIVE_FOLLOW_OK.match(after):
            return False
    if name == "d":
        # a bare day (news: "5일 발표했다", "16일 경찰은", "9일(현지시각)") is a date unless it
        # counts days (3일 동안, 2박 3일, 1일 1회, 20일 정도 걸린다)
        if _DAY_COUNT_AFTER.match(after) or _DAY_COUNT_BEFORE.search(text[max(0, start - 8):start]):
            return False
    if name == "dur":
        unit = gd["u"]
        n = gd["n"]
        if not n.isdigit() and unit not in ("달", "개월"):
            return False  # 세 일? never; native numbers only with 달/개월 (한 달간)
        if unit == "달" and n.isdigit():
            return False
        if unit in ("년", "주", "일", "달") and not gd.get("gan") and not _PARTICLE_AFTER_DUR.match(after):
            return False
        if unit == "년" and n.isdigit() and len(n) == 4:
            return False
        if re.match(r"\s*째", after) and unit != "개월":
            return False
    if name in ("y", "ym", "m", "md", "ymd") and re.match(r"\s*(?:째)", after):
        return False
    y = gd.get("y")
    if y is not None and len(y) == 2 and name in ("y", "yh", "yq") and _TWO_DIGIT_YEAR_NOT.match(text[m.end("y") + 1:]):
        return False  # 10년 전, 20년 만에: spans of years, not the year 2010
    if name == "dot_md" and not _is_range_end(text, start):
        return False  # 10.21 is a date only as a range end after a dotted date
    if name == "dur_native" and _lexicon()["durations"][m.group("nd")]["needs_span"] == "yes" \
            and not (gd.get("gan") or _PARTICLE_AFTER_DUR.match(after)):
        return False
    if name in ("h",) and re.match(r"[가-힣]", after[:1] or " ") and not re.match(r"(?:에|부터|까지|중|내|의|와|과|는|도|를|동안|까지)", after):
        return False
    return True


def find_dates(text: str, bounds: TokenIndex | None = None) -> list[DateParts]:
    """Every DATE span in ``text`` (longest match wins where candidates overlap)."""
    cands: list[tuple[int, int, int, str, re.Match]] = []
    for prio, (name, rx) in enumerate(_patterns()):
        pos = 0
        while (m := rx.search(text, pos)) is not None:
            # an invalid match must not hide a valid one starting inside it (카카오는 2021년)
            if _match_is_valid(name, m, text, bounds):
                cands.append((m.start(), -(m.end() - m.start()), prio, name, m))
            pos = m.start() + 1
    cands.sort()
    taken: list[DateParts] = []
    last_end = -1
    for start, _neg_len, _prio, name, m in cands:
        if start < last_end:
            continue
        parts = _parts(name, m, text)
        if parts is None:
            continue
        if bounds is not None and not bounds.same_sentence(parts.start, parts.end):
            continue
        taken.append(parts)
        last_end = parts.end
    return taken


def _parts(name: str, m: re.Match, text: str) -> DateParts | None:
    g = {k: v for k, v in m.groupdict().items() if v is not None}
    lex = _lexicon()
    p = DateParts(start=m.start(), end=m.end())
    p.extra["range_end"] = _is_range_end(text, m.start())
    if "y" in g:
        y = int(g["y"])
        if len(g["y"]) == 2:
            p.two_digit_year = True
        p.year = y
    for key, attr in (("m", "month"), ("d", "day")):
        if key in g:
            setattr(p, attr, int(g[key]))
    if name == "range_m":
        p.month = int(g["m1"])
        p.end = m.start() + len(g["m1"])
    elif name == "range_y":
        p.year = int(g["y1"])
        p.end = m.start() + len(g["y1"])
    elif name == "range_ym":
        p.year, p.month = int(g["y"]), int(g["m1"])
        p.end = m.start("m1") + len(g["m1"])
    elif name == "range_d":
        p.day = int(g["d1"])
        p.end = m.start() + len(g["d1"])
    if p.day is not None and p.month is not None and p.year is not None and not p.two_digit_year:
        if p.day > calendar.monthrange(p.year, p.month)[1]:
            return None
    mod = g.get("mod") or g.get("mod2")
    if mod:
        part = lex["parts"][mod]
        p.mod = part["value"]
    if "half" in g:
        p.half = lex["parts"][g["half"]]["value"]
    if "q" in g:
        p.quarter = int(g["q"])
    for key, unit in (("ry", "year"), ("rm", "month"), ("rd", "day")):
        if key in g:
            word = re.sub(r"\s+", " ", g[key])
            row = lex["words"].get(word) or lex["words"].get(word.replace(" ", ""))
            p.rel_unit = unit
            p.rel_offset = int(row["offset"])
            p.rel_reference = row["reference"]
    if name == "last_m":
        p.extra["month_dir"] = g["dir"]
    if name == "last_d":
        if g["dir"] == "지난":
            p.last_day, p.day = p.day, None
        elif g["dir"] == "오는":
            p.next_day, p.day = p.day, None
        else:
            p.rel_unit, p.rel_offset = "month", 0
    if name == "d" and _is_reporting_day(text, m.start(), m.end()):
        p.report_day, p.day = p.day, None
    if name == "dur":
        n = g["n"]
        num = int(n) if n.isdigit() else parse_native(n)
        if not num:
            return None
        p.duration = f"P{num}{_UNIT_CODE[g['u']]}"
    if name == "dur_native":
        p.duration = lex["durations"][g["nd"]]["value"]
    return p


# ---------------------------------------------------------------------------------------------
# Resolution


@dataclass
class _Ref:
    year: int | None
    month: int | None
    day: int | None


def parse_published(published: str | None) -> _Ref:
    if not published:
        return _Ref(None, None, None)
    bits = [int(b) for b in str(published).split("-")]
    bits += [None] * (3 - len(bits))
    return _Ref(*bits[:3])


def _shift_month(year: int, month: int, offset: int) -> tuple[int, int]:
    idx = year * 12 + (month - 1) + offset
    return idx // 12, idx % 12 + 1


def _fmt(y, m=None, d=None, half=None, quarter=None, precision: str = "year") -> str:
    """``2020-03-08``; unknown parts as ``X`` down to ``precision`` (year, month or day)."""
    ys = "XXXX" if y is None else f"{y:04d}"
    if half:
        return f"{ys}-{half}"
    if quarter:
        return f"{ys}-Q{quarter}"
    if precision == "year":
        return ys
    ms = "XX" if m is None else f"{m:02d}"
    if precision == "month":
        return f"{ys}-{ms}"
    ds = "XX" if d is None else f"{d:02d}"
    return f"{ys}-{ms}-{ds}"


def _closest_century(yy: int, ref_year: int | None) -> int:
    base = ref_year if ref_year is not None else 2000
    options = [1900 + yy, 2000 + yy, 2100 + yy]
    return min(options, key=lambda y: abs(y - base))


def resolve(p: DateParts, pub: _Ref, context: DateParts | None) -> DateParts:
    """Fill ``p.value`` (and normalised year/month/day) from the document date and context."""
    if p.duration:
        p.value = p.duration
        return p
    y, m, d = p.year, p.month, p.day
    if p.two_digit_year and y is not None:
        y = _closest_century(y, pub.year)
    if p.rel_unit == "year":
        base = pub.year
        if p.rel_reference == "context" and context is not None and context.year is not None:
            base = context.year
        y = None if base is None else base + p.rel_offset
    elif p.rel_unit == "month":
        if pub.year is None or pub.month is None:
            y, m = pub.year, None
        else:
            y, m = _shift_month(pub.year, pub.month, p.rel_offset)
    elif p.rel_unit == "day":
        if pub.year is None:
            y = m = d = None
        elif pub.month is None:
            y, m, d = pub.year, None, None
        elif pub.day is None:
            y, m, d = pub.year, pub.month, None
        else:
            import datetime as _dt

            day = _dt.date(pub.year, pub.month, pub.day) + _dt.timedelta(days=p.rel_offset)
            y, m, d = day.year, day.month, day.day
    elif p.last_day or p.next_day or p.report_day:
        n = p.last_day or p.next_day or p.report_day
        d = n
        if pub.year is None or pub.month is None:
            y, m = pub.year, None
        else:
            y, m = pub.year, pub.month
            if pub.day is not None:
                if p.last_day and n >= pub.day or p.report_day and n > pub.day:
                    y, m = _shift_month(y, m, -1)
                elif p.next_day and n <= pub.day:
                    y, m = _shift_month(y, m, 1)
    elif p.extra.get("month_dir"):
        # 지난 10월: the latest October before the document date; 오는 9월: the next one after
        if pub.year is None:
            y = None
        else:
            y = pub.year
            if pub.month is not None:
                if p.extra["month_dir"] == "지난" and m >= pub.month:
                    y -= 1
                elif p.extra["month_dir"] == "오는" and m <= pub.month:
                    y += 1
    elif y is None:
        # a partial date: take missing parts from the context date, else the document date
        src_y, src_m = (context.year, context.month) if context is not None else (pub.year, pub.month)
        if context is not None and context.year is None and context.month is None:
            src_y, src_m = None, None
        y = src_y
        if m is None and d is not None:
            m = src_m
        if p.extra.get("range_end") and context is not None and y is not None and m is not None \
                and context.month is not None and m < context.month:
            y += 1  # 2020년 11월부터 2월까지: the range ends in the next year
    precision = p.precision
    p.year, p.month, p.day = y, m, d
    p.value = _fmt(y, m, d, p.half, p.quarter, precision)
    return p


def resolve_dates(
    dates: list[DateParts], published: str | None, sentence_of=lambda off: 0
) -> list[DateParts]:
    """Resolve every date in document order (see the module docstring for the rules)."""
    pub = parse_published(published)
    out: list[DateParts] = []
    last_in_sentence: dict[int, DateParts] = {}
    for p in dates:
        sid = sentence_of(p.start)
        ctx = last_in_sentence.get(sid) or last_in_sentence.get(sid - 1)
        if p.report_day:
            ctx = None
        r = resolve(replace(p), pub, ctx)
        out.append(r)
        if not r.is_duration and not r.report_day:
            last_in_sentence[sid] = r
    return out


@Language.factory("csr_dates")
class DateRecognizer:
    """spaCy component: ``doc.spans["DATE"]`` with ``_.value`` and ``_.mod``."""

    def __init__(self, nlp: Language, name: str = "csr_dates"):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        bounds = token_index(doc)
        dates = resolve_dates(find_dates(doc_text(doc), bounds), doc._.published, bounds.sentence_of)
        doc = set_spans(doc, "DATE", [(p.start, p.end, {"value": p.value, "mod": p.mod}) for p in dates])
        return doc
