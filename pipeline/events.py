"""EVENT: a dated statement of what an organisation did, does or plans (docs/annotation.md, EVENT).

For each sentence with a DATE other than a bare duration: the anchor date (a range ``A부터 B까지``
/ ``A~B`` gives ``date_start``/``date_end``; a start plus a duration ends one unit of the start's
precision before start + duration), the organisations (with the dropped-subject carry-over)
split into the ``actor`` and its ``counterparts``, the amounts, a category from
``data/event_categories.tsv`` (cues matched at morpheme starts) and the evidence sentence.
A sentence gives at most one event, anchored by its first date that is neither a bare duration,
a comparison baseline (``지난해보다``, ``2019년 대비``), a date that classifies a noun
(``2023년도 신입사원``) nor a date inside a direct quotation (``data/anchor_words.tsv``); a
reporting date (``…했다고 8일 밝혔다``, a ``say`` verb of ``data/reporting_verbs.tsv``) anchors only
a sentence with no other date. A sentence citing a source (``X에 따르면``) is an event only when an
organisation acts in it; the source, and any date or amount of its own, stay out; so is a finding or a
state reached (``…개사에 이른다``). A sentence that only reports words (``김 이사장은 이날 "…"고 말했다``) is no
event. An organisation's founding date (``1948년에 설립된 재단``) never anchors, another happening's
(``지난달 발생한 지진``) only when nothing else dates the sentence. The actor is read from Kiwi's particles
(``data/particles.tsv``) and the words of ``data/actor_words.tsv`` (staff, back-references, the pair of an
agreement, groups, sponsors, persons). Date values are read and computed with :mod:`pipeline.timex`.

:func:`link_events` is a pure function of an annotated Doc and an :class:`EventTables`; the
``csr_events`` component (last in the pipeline) runs it and writes ``doc._.events``.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace
from itertools import pairwise
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from . import schema
from .component import TableComponent
from .lexicon import DATA_DIR, read_table
from .numbers import format_number
from .settings import SETTINGS
from .spans import LIST_MARKS, TokenIndex, base_tags, doc_text, token_index
from .timex import Timex, try_parse

if not Doc.has_extension("events"):
    Doc.set_extension("events", default=None)

FILES = (
    "event_categories.tsv",
    "actor_words.tsv",
    "affiliate_words.tsv",
    "particles.tsv",
    "reporting_verbs.tsv",
    "anchor_words.tsv",
    "numerals.tsv",
    "counters.tsv",
)
_RANGE_JOIN = re.compile(r"^\s*(?:부터|에서|이래|[~∼〜\-–])\s*$")
_FROM_THEN_DURATION = re.compile(r"^\s*부터\s*$")
_UNTIL_THEN_DURATION = re.compile(r"^\s*까지\s*$")
_TOPIC = re.compile(r"\s*(?:[가-힣]+\s+)?[가-힣]+(?:은|는)\s")  # 이들은, 참가 학생들은, 이번 캠페인은
_CONTENT = re.compile(r"[가-힣A-Za-z]")  # a sentence of dates, outlets, digits and signs is no event
_BYLINE_BEFORE = re.compile(
    r"(?:[가-힣]=|[ⓒ©]\s*|\(c\)\s*)$"
)  # 서울=연합뉴스, ⓒ 서울경제 (not 기자 = 하나금융그룹은, 메가경제= 현대건설은)
_BYLINE_AFTER = re.compile(r"^(?:\s*[가-힣]{2,4}\s*(?:기자|특파원)|=)")  # 투데이에너지 윤철순 기자, 메가경제=
_LINE_BEFORE = re.compile(r"(?:^|[.!?]\s|\n)\s*$")
_LINE_AFTER = re.compile(r"[^\S\n]*(?:\n|$)")  # matched at the name's end
# a headline's subject: a name opening a line, then a comma, on a line with no final ending (한빛건설, 성금 3억 원 기탁)
# what may open a headline's line before its subject: a bracketed tag and names joined by · ([보도자료] A·B은행, …)
_HEADLINE_LEAD = re.compile(
    r"[^\S\n]*(?:[\[【<][^\]】>\n]{1,12}[\]】>][^\S\n]*)?(?:[^\s,·ㆍ](?:[^\n,·ㆍ]{0,10}[^\s,·ㆍ])?[·ㆍ][^\S\n]*)*"
    r"(?:[가-힣]{2,4}[^\S\n]+)?"
)  # an item may hold a space (대전 대덕구·); one word may go before the name (대전 한밭신협, 벌크선사 팬오션,)
_HEADLINE_SUBJECT = re.compile(r",(?![^\n]*다[.!][^\S\n]*(?:\n|$))")
_HEADLINE_ITEM = r"[·ㆍ][^\S\n]*[^\s,·ㆍ][^\n,·ㆍ…]{0,11}"  # a further item of a list joined by · (·자원봉사센터)
# what may stand between a name and its particle: a parenthesis (중소기업사랑나눔재단(이사장 김정호)은), or its
# closing bracket when the name is itself in brackets (정보통신산업진흥원(NIPA)과)
_PAREN = r"(?:\)|\s*\([^()]{0,30}\))?"
# 300여 명, 1만 2천여 명, 12개; each repeat opens with a unit, so a long run of digits cannot backtrack exponentially
_COUNT = r"\s*[\d,.]+(?:\s*[만천백]\s*[\d,.]+)*\s*[만천백]?\s*여?\s*"
# a word between an organisation and its staff: a unit, a head's name, a title joined by 와/과, 등 (농협은행 IT본부
# 김영수 본부장과 신규직원 등 임직원봉사단 80명이); not a word closed by another case particle
_BETWEEN = r"(?:(?![^\s]*(?:을|를|에|에서|의|로|은|는|이|가|도)\s)[^\s()]+\s+){0,5}?"
UNKNOWN_KIND = "other"  # an organisation kind that names no kind (organizations.tsv; a name with no telling suffix)
# the cases of a particle after a name that is not the subject (에, 에게, 와, 의, 을, 에서, …; particles.tsv)
# a line opening with a list mark (▲, ■, ※, or a dash and a space): a list item, a statement of its own
# ◀INT▶: a broadcast script's cue; 가. 나. 1. 2): a notice's enumerated items
_MARK = re.compile(rf"[{''.join(sorted(LIST_MARKS))}]|[-–—*][^\S\n]|(?:[가-하]|\d{{1,2}})[.)][^\S\n]")
_ITEM = re.compile(rf"\n[^\S\n]*(?={_MARK.pattern})")  # the start of a line that opens with one
# a donor list's item: a name (a word or two describing it before) opening a line, then a colon (○ X교회: 1. 27. 백미 …)
_ITEM_NAME_BEFORE = re.compile(rf"(?:^|\n)[^\S\n]*(?:(?:{_MARK.pattern})[^\S\n]*)?(?:[가-힣]+[^\S\n]+){{0,2}}$")
_ITEM_NAME_AFTER = re.compile(r"[^\S\n]*[:：]")
# a dated list item's lead before the name heading it (▲ 12월 12일 X노동조합, 조합원 모금액 …; ▲ 2025. 3. 4.(화) 인천 X,);
# each run of digits and marks is taken whole (the lookahead), so a failed match cannot retry every split of it
_ITEM_DATE_LEAD = re.compile(
    rf"[^\S\n]*(?:{_MARK.pattern})[^\S\n]*(?:[\d'’.~\-–]+(?![\d'’.~\-–])[^\S\n]*(?:[년월일](?![가-힣])[^\S\n]*)?"
    r"|\([월화수목금토일]\)[^\S\n]*)+"
    r"(?:[가-힣]{2,4}[^\S\n]+)?"
)
_FINAL = re.compile(r"[.!?。][\"”'’)\]]*\s*$")  # a line closing on a final sign
_PARAGRAPH = re.compile(r"\n[^\S\n]*\n")  # a blank line: a new paragraph (or a heading's line)
_SCHEDULED = re.compile(r"[^\S\n]*(?:[^\n:：]{1,30}[:：][^\S\n]*)(?=\d)")  # 신청 기간: 2024. 5. 13.
_WEEKDAY = re.compile(r"\(\s*[월화수목금토일]\s*\)")  # 23.10.28(토): a date's weekday
_HEADLINE_OCCASION = re.compile(r"[^\S\n]+(?:맞아|앞두고|앞둔)(?![가-힣])")  # a headline drops the particle: 설 앞두고
_FIELD_BEFORE = re.compile(r"\|[^\S\n]*$")  # a field separator right before a date (푸른재단 | 2025.04.03)
_LINE_CLOSE = re.compile(r"[^\S\n]*(?:\(\s*[월화수목금토일]\s*\))?[^\S\n]*(?:\n|\||$)")  # … closing its line or field
_OBLIQUE = frozenset({"dative", "locative", "comitative", "genitive", "object", "ablative", "instrumental"})
_LINKING_VERB = re.compile(r"(?:통|위|대|관|향|비)하?(?:여|해)|따라")  # 통해, 위해, 대해, 따라: a noun's link, no act
_CLAUSE_END = re.compile(r"(?:며|고|,)\s")  # a clause closed before what follows (…을 모았으며, …)
_SUBJECT_MARK = re.compile(r"\s*[이가](?![가-힣])")  # a subject particle after a name (다온물류가)
_DETERMINER = re.compile(r"(?:같은|해당)\s")  # the same, that: no relative clause
_CLAUSE_AFTER = 24  # characters after a date its clause's verb may be found in (지난 7월 집중호우로 피해를 입은)
_AGREEMENT = "partnership"  # the category an agreement's cue gives wherever it stands in the clause
_GOAL_AFTER = 40  # characters after a date a target noun and its particle may close in (… 달성을 목표로 )
_TITLE_LINE = 80  # characters a headline's or subtitle's line holds at most
_DESCRIBED_AFTER = 64  # characters after a date a founding described with its founders may close in
_STAFF_AFTER = 60  # characters after a name its staff subject may reach (a unit, a head and a group between)
# a direct quotation: the quoted words and the ending that reports them ("…하겠다"고 말했다)
_QUOTE = re.compile(
    r"[“\"][^”\"]*[”\"]\s*(?:이?라?고|이?라며|며|하며)(?![가-힣])"
    r"|[“\"][^”\"\n]*[”\"](?=[^\S\n]*(?:\n|$))"  # or closing its line with no verb (◀INT▶ 김 회장 "…")
)
# a sentence opening with the day's occasion as an adverbial topic (이날 행사에는, 같은 날 전달식에는, □ 이날 봉사에선)
# the day's occasion opening a sentence (이날 행사에는, 같은 날 전달식에선), or a ceremony alone (협약식에는, 전달식에는)
_OCCASION_FRAME = re.compile(
    r"[^\w\n]*(?:(?:이날|같은 날|당일)\s+(?:[가-힣·]+\s+){0,2}?[가-힣·]+|[가-힣]+식)에(?:는|선)\s"
)
_LIST_BEFORE = re.compile(r"[과와]\s|,")  # an item of a list of participants before the first organisation
_COUNTED = re.compile(r"(\d+|[가-힣]+?)\s*(?:개\s*)?([가-힣]+)$")  # 두 은행, 양사, 3개 기관: the count and the noun
# the quotation marks a name may stand in ('초록바퀴회'는, “하늘길봉사회”가): opening mark → closing marks
_NAME_QUOTES = {"'": "'’", "‘": "’'", '"': '"”', "“": '”"', "「": "」", "『": "』", "《": "》"}


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
    actor: str | None = None  # the organisation that acts; None when no organisation does
    counterparts: list[str] = field(default_factory=list)  # orgs but the actor, sorted


def _alt(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@dataclass(frozen=True)
class EventTables:
    """The tables of one ``csr_events`` component, compiled."""

    categories: list[tuple[str, re.Pattern, bool]]  # (category, cue, light): an agreement's, else nearest the verb
    clause_ends: frozenset[str]  # endings closing a coordinated clause (고, 며, 면서): the dated clause ends there
    subject: re.Pattern  # an acting organisation's particle (카카오는, 단체에서는, 재단(이사장 …)은)
    staff: re.Pattern  # its staff acting for it (롯데케미칼 임직원 300여 명은; 임직원 40명과 B 학생 20명이)
    joined_back: re.Pattern  # joined to a back-reference as one subject (에어부산과 공사는): the first named acts
    group: re.Pattern  # the last of a list of organisations acting as a group (A, B 등 12개 기업이, 5대 금융그룹은)
    joint: re.Pattern  # what joins two organisations of one subject (A와 B는, A·B는, A 이사장과 (이름) B 회장이)
    titled_with: re.Pattern  # a person's bare title joined to the next name (김영호 대표와 [이수진] X재단 이사장이)
    described_joint: re.Pattern  # A와, then words describing B (A와 지역 식품업체 B가): joint when they are nouns
    anaphor: re.Pattern  # a sentence opening with a back-reference as its subject (회사는, 이 회사 직원들은)
    anaphors: dict[str, str]  # back-reference → the kind of organisation it refers to
    endings: dict[str, tuple[str, ...]]  # back-reference → the name endings it stands for (구단 → FC, 시티즌, …, 구단)
    same: re.Pattern  # a back-reference to one named before, not the subject (같은 복지관에, 해당 기관과)
    # a bare head noun standing for an organisation named before, a counterpart: with an oblique particle (재단에), joined
    # to the actor (X와 협회는; two joined, 병원과 모금회, 재단은), its staff (센터 직원들과), a unit of it as the place (재단
    # 본점에서), or a one-syllable back-reference (구에, 군과); groups 1–8, one word each
    head: re.Pattern
    any_before: re.Pattern  # a word making the head after it any of its kind (지역 복지관에, 관내 경로당에)
    any_after: re.Pattern  # another noun and a count after the head (아동센터와 학교 210곳에): any of its kind
    plural: re.Pattern  # a plural head and an oblique particle (후원 기관들과): the organisations named before
    joined_anaphor: re.Pattern  # a back-reference joined to the acting ORG (공단과 대구시의사회가): it acts
    pair: re.Pattern  # the organisations of the last agreement as the subject (양 기관은, 두 기관은, 양사는)
    counted_oblique: re.Pattern  # a count and a noun, not the subject (두 단체에, 세 기관과): the partners named before
    said: re.Pattern  # what closes a quotation (…”고 말했다, …”며 강조했다): the sentence only reports words
    person: re.Pattern  # a person as the subject: no organisation acts (한 부부는, 익명의 기부자가)
    person_named: re.Pattern  # a person's name after the word presenting them (가수 한별의): group 1 (a proper noun)
    person_again: (
        re.Pattern
    )  # a sentence opening with a name as its subject (한편 한별은): group 1, a person once presented
    sponsor: re.Pattern  # after an ORG, its support making a happening (X의 후원으로, X 주최로): it acts when none does
    owner: re.Pattern  # an organisation owning the subject (한국구세군의 모금 활동은, CJ대한통운의 김장 행사는)
    activities: re.Pattern  # a report's owner (X의 올해 활동을 돌아봅니다, X의 활동입니다): the passage's actor
    plans: frozenset[str]  # nouns a final copula makes a plan, target or ongoing act (지원할 예정이다, 운영 중이다)
    futures: frozenset[str]  # nouns that do so only after a future adnominal (지원할 것이다, not 늘어난 것이다)
    cited: re.Pattern  # a source the sentence cites (X에 따르면, X가 조사한 결과)
    planned: re.Pattern  # a sentence closing on a plan or a target (… 줄이는 것이 목표다, 지원할 계획이다)
    measure: re.Pattern  # a measure as the subject (배출량은, 매출이): the sentence states a figure
    owned_measure: re.Pattern  # after an ORG, a measure it owns as the subject (X의 온실가스 배출량은): X does not act
    finding: re.Pattern  # the ending of a finding (…한 것으로 나타났다): an event only when an organisation acts
    undone: re.Pattern  # the ending of an act that did not happen (열리지 못했다): no event
    crowd: re.Pattern  # a sentence opening with a count of people as its subject (주민 7명은, 3분의 1가량은)
    crowd_staff: re.Pattern  # a staff word in that subject: the staff act for their organisation
    changed: re.Pattern  # a reported change of a figure closing the sentence (… 줄었다고 밝혔다): a statistic
    crowd_act: re.Pattern  # a verb of taking part in or receiving an organisation's act (참여했다, 받았다, 전달했다)
    occasion_after: re.Pattern  # an occasion word after a date (연말을 맞아, 설을 앞두고): not the act's date
    ahead_after: re.Pattern  # a noun the act comes before, after a date (설 명절을 앞둔, 오는 5일 어린이날을 앞두고)
    stamp_before: re.Pattern  # a page's time-stamp word opening the date's line (입력 2019.02.28 15:26): no act
    contact: re.Pattern  # a contact line (문의: X 사무국 02-000-0000): its dates and the notice's date after it
    roundup: re.Pattern  # a verb of succession (잇따라 나섰다, 나눔이 이어지고 있다): acts reported in general
    report_after: re.Pattern  # a few words and a verb of saying after a date (8일 밝혔다)
    reports: re.Pattern  # a sentence closing by reporting a clause (…기탁했다고 3일 밝혔다)
    comparison_after: re.Pattern  # a comparison word right after a date (지난해 대비)
    classifies_after: re.Pattern  # a noun after a date that the date only classifies (2023년도 신입사원)
    founds: re.Pattern  # a subject particle and a founding (한빛테크가 세운 재단이다): a description, no act
    founded_after: re.Pattern  # a founding after a date (1948년에 설립된 재단; group 1: 설립된 이후, since it)
    founded_as: re.Pattern  # founders, a founding and an organisation noun (2019년 시민들이 출자해 만든 협동조합으로)
    continued: re.Pattern  # the close of an earlier act, between two dates (…을 보낸 데 이어, 오는 3월에는 …)
    background_after: re.Pattern  # another happening after a date (지난달 발생한 지진, 집중호우로 피해를 입은)
    numbers: dict[str, int]  # a count before a back-reference (두, 세, 양 in 두 은행은, 양사는)
    as_of: re.Pattern  # a word after a date making it the date a total stands at (3월 말 기준, 14일 현재)
    every: re.Pattern  # a word right after a date making it recur (연말마다): no act's date
    purpose: (
        re.Pattern
    )  # a date as the object of a purpose clause (크리스마스를 보낼 수 있도록): another time's, no act's
    goal: re.Pattern  # a date's object and a target noun (2050년 탄소중립 달성을 목표로): when a goal is due, no act's
    goal_set: frozenset[str]  # verbs after it making the target the act (목표로 합니다, 목표로 삼았다)
    foundings: frozenset[str]  # the nouns of the founding verbs (설립, 창단 of 설립된, 창단한): founding, no act
    own_members: re.Pattern  # a list of participants opening with staff no name owns (봉사단원 30여 명과 …)
    head_staff: re.Pattern  # a head noun's staff as a subject (상담소 직원들이): the organisation named before acts
    handed: re.Pattern  # a sentence closing on a verb of handing over (…에 전달했다): a measure subject is the gift
    visit: re.Pattern  # a verb of visiting right after X도 (X도 찾아가): X is a place, not a subject
    headline: re.Pattern  # after a name opening a headline, its staff and a count, then a comma (X 임직원 200명, …)
    members: re.Pattern  # after an ORG, its members counted as the subject (X 소속 28개 신협은, X 소속 어민 40여 명이)
    joins: re.Pattern  # a verb of taking part (참석해, 함께했다): a list of participants of the day's occasion
    takes_part: re.Pattern  # 참여: so, for a list naming two organisations or more
    staff_with: re.Pattern  # after an ORG, its staff joined by 와/과 to more participants (X 임직원 40명과 …)
    sources: dict[str, Path]

    @classmethod
    def load(cls, data_dir: str | Path | None = None) -> EventTables:
        rows = read_table("actor_words.tsv", data_dir)
        anchors = read_table("anchor_words.tsv", data_dir)

        def actor(*roles: str) -> str:  # the words of actor_words.tsv with one of these roles, as alternatives
            return _alt(r["word"] for r in rows if r["role"] in roles)

        def anchor(*roles: str) -> str:  # the same for anchor_words.tsv
            return _alt(r["word"] for r in anchors if r["role"] in roles)

        staff = actor("staff")
        # counters of organisations (A 등 4곳은, 12개 기업이), longest first
        org_counts = _alt(r["counter"] for r in read_table("counters.tsv", data_dir) if r["orgs"] == "yes")
        copula = anchor("copula")  # a copula's endings (이다, 입니다, 다 after a vowel)
        group = actor("group")
        affiliates = _alt(r["word"] for r in read_table("affiliate_words.tsv", data_dir))
        particles = read_table("particles.tsv", data_dir)
        acting = _alt(r["particle"] for r in particles if r["actor"] == "yes")
        subject = _alt(r["particle"] for r in particles if r["function"] in ("subject", "topic"))
        comitative = _alt(r["particle"] for r in particles if r["function"] == "comitative")
        oblique = _alt(r["particle"] for r in particles if r["function"] in _OBLIQUE)
        say = _alt(r["stem"] for r in read_table("reporting_verbs.tsv", data_dir) if r["kind"] == "say")
        # nouns naming an organisation (회사, 단체, 협동조합, 기업, 모임; not 시, 구, 도: 만든 도로)
        bodies = _alt(
            [r["word"] for r in rows if r["role"] in ("anaphor", "group") and len(r["word"]) > 1]
            + [r["word"] for r in anchors if r["role"] == "body"]
        )
        # 두, 세, 네 … before a back-reference: the organisations of the last joint act (세 금융그룹은)
        counts = _alt(
            r["surface"] for r in read_table("numerals.tsv", data_dir) if r["role"] == "native" and r["value"] != "1"
        )
        comparison = anchor("comparison").replace(r"\ ", r"\s*")
        classified = anchor("classifies")
        term = anchor("term")
        measure = anchor("measure")
        # 을 앞두고 → 을 (하루|사흘|3일 …)? 앞두고: how long ahead may stand between
        ahead_by = rf"(?:(?:{anchor('ahead_by')}|\d+\s*일)\s+)?"
        ahead = "|".join(
            re.escape(w).replace(r"\ ", rf"\s*{ahead_by}", 1)
            for w in sorted((r["word"] for r in anchors if r["role"] == "ahead"), key=len, reverse=True)
        )
        anaphor_list = [r["word"] for r in rows if r["role"] == "anaphor"]
        anaphor_words = _alt(anaphor_list)
        # 양사, 두 은행, 세 기관: a count of organisations named before (group 1)
        counted_ref = (
            rf"(?<![가-힣])((?:{actor('pair')}"
            # a word before the noun (세 금융그룹), not before a one-syllable one (두 가구: households, no 구)
            rf"|(?:{counts})\s+(?:[가-힣]*?(?:{_alt(w for w in anaphor_list if len(w) > 1)})|(?:{anaphor_words}))"
            rf"|(?<![\d,.])[2-9]\s*개\s*(?:{anaphor_words})))"  # 4개 기관, 3개 단체: the count written in digits
        )
        person_words = actor("person")
        units = actor("unit")
        also = actor("also")  # X 역시: X도
        opening = actor("opening")  # a connective opening a sentence before its subject (한편, 또한)
        said_close = (
            rf"(?:{anchor('said')})(?:다|습니다)[^가-힣]*$"  # a sentence closing on a verb of saying (…고 밝혔다.)
        )
        numbers = {r["surface"]: int(r["value"]) for r in read_table("numerals.tsv", data_dir) if r["role"] == "native"}
        numbers.update({r["word"]: 2 for r in rows if r["role"] == "both"})
        return cls(
            categories=[
                (r["category"], re.compile(r["cue"]), r["light"] == "yes")
                for r in read_table("event_categories.tsv", data_dir)
            ],
            clause_ends=frozenset(r["word"] for r in anchors if r["role"] == "clause_end"),
            subject=re.compile(
                rf"^{_PAREN}(?:(?:\s+[가-힣]{{0,8}}?(?:{units}))?(?:{acting})|\s+(?:{also}))(?![가-힣])"
            ),
            staff=re.compile(
                # not past an apposition naming another body (X 계열사인 Y 임직원도: Y's staff)
                rf"^{_PAREN}\s*(?:등\s+)?(?:(?:{affiliates})\s+)?"
                + _BETWEEN.replace(r"[^\s()]+\s+", rf"(?!(?:{affiliates})인\s)[^\s()]+\s+", 1)
                + rf"(?:(?:{staff})+(?:\s+(?:{staff}))?|['‘][^'’\n]{{1,12}}['’](?={_COUNT}명))"  # or a title: '프레시 매니저' 40명
                # counted as people, or as bodies (X 회원사 9곳도: its member companies act for it)
                rf"(?:\s*등)?(?:{_COUNT}(?:명|{org_counts}))?(?:(?:{comitative})\s+{_BETWEEN}[^\s()]*?명)?(?:들)?"
                rf"(?:{acting})(?![가-힣])"
            ),
            group=re.compile(
                rf"^{_PAREN}\s*등\s+(?:{_COUNT}(?:{org_counts})\s*)?(?:[가-힣]{{2,4}}\s+)?[가-힣]{{0,4}}?(?:{group})(?:들)?"
                rf"(?:{_COUNT}(?:{org_counts}))?(?:{acting})(?![가-힣])"  # or counted after it: A 등 관내 식품업체 4곳은
            ),
            joint=re.compile(
                rf"^(?:{_PAREN}\s*(?:(?:{comitative})\s*|[,·ㆍ]\s*|및\s+|\(\s*|[·ㆍ][^\n,·ㆍ]{{1,12}}[·ㆍ]\s*)"
                rf"|\s+(?:{staff})(?:{_COUNT}명)?{_PAREN}(?:{comitative})\s+(?:[가-힣]{{2,4}}\s+)?"
                # a list of participants, each counted (A 임직원과 가족 60여 명, B 활동가 10명, C 직원들이)
                rf"|\s+[가-힣]{{1,5}}(?:(?:{comitative})\s+[가-힣]{{1,4}})?{_COUNT}명\s*,\s*"
                rf"|\s+(?:{staff})(?:{_COUNT}명)?\s*,\s*)$"  # or its staff uncounted (B 관계자, C 봉사자 40명이)
            ),
            titled_with=re.compile(
                rf"(?<![가-힣])[가-힣]{{2,4}}\s+(?:{staff})\s*(?:{comitative})\s+(?:[가-힣]{{2,4}}\s+)?$"
            ),
            # A와 (or A,) then nouns describing B: 전북은행과 프로축구 B, 주민 봉사단체 C가
            described_joint=re.compile(rf"^{_PAREN}\s*(?:{comitative}|,)\s+((?:[가-힣]+\s+){{1,3}})$"),
            anaphor=re.compile(
                rf"^\s*(?:(?:{_MARK.pattern})\s*)?(?:[가-힣]+에\s+(?:따라|앞서|이어)\s+)?"
                rf"(?:[^,\n]{{1,60}}?(?:{actor('clause')}),\s+)?"  # a subordinate clause (속도가 느린 만큼, 모금회는)
                rf"(?:(?:이|해당|동|이번에|{opening})\s+)?"
                rf"([가-힣]+?)"
                rf"(?:\s+(?:{staff})){{0,2}}(?:{_COUNT}명)?(들)?(?:{acting})\s"  # group 2: a plural (회사들은: the group named last)
            ),
            anaphors={r["word"]: r["kind"] for r in rows if r["role"] == "anaphor"},
            endings={
                a["word"]: (a["word"], *(r["word"] for r in rows if r["role"] == "ending" and r["kind"] == a["word"]))
                for a in rows
                if a["role"] == "anaphor"
            },
            same=re.compile(
                rf"(?<![가-힣])(?:같은|해당)\s+({anaphor_words})"
                rf"(?:{oblique})"
                rf"(?![가-힣])"  # or 이 X and its staff (이 대학 학생 20명을)
                rf"|(?<![가-힣])이\s+({anaphor_words})\s+(?:{staff})(?:{_COUNT}명)?(?:들)?"
                rf"(?:{oblique})"
                rf"(?![가-힣])"
            ),
            head=re.compile(
                # the topic of a later clause (협약에 따라 회사는 …을 맡고, 센터는 …: the 센터 named before), after a verb's
                # connective ending and a comma
                rf"(?<=[가-힣][고며],\s)([가-힣]+?)(?:은|는)(?![가-힣])"
                # a head with an oblique particle (재단에, 모금회를 통해)
                rf"|(?<![가-힣])([가-힣]{{2,}}?)"
                rf"(?:{oblique})(?![가-힣])"
                rf"|(?<=(?:{comitative})\s)([가-힣]{{2,}}?)(?:{acting})(?![가-힣])"
                rf"|(?<![가-힣])([가-힣]{{2,}}?)\s+(?:{staff})(?:들)?"
                rf"(?:{_alt(r['particle'] for r in particles if '+' not in r['function'])})?(?![가-힣])"
                # joined after the acting organisation, then a comma (병원과 모금회, 재단은: both named before)
                rf"|(?<=(?:{comitative})\s)([가-힣]{{2,}}?),\s*([가-힣]{{2,}}?)(?:{acting})(?![가-힣])"
                # its unit as the place (재단 본점에서)
                rf"|(?<![가-힣])([가-힣]{{2,}}?)\s+(?:{actor('unit')})(?:{oblique})(?![가-힣])"
                # a one-syllable back-reference (구에, 군과: the district or county named before); not after a
                # number (10도에, 2 시에)
                rf"|(?<![가-힣\d])(?<!\d\s)({_alt(r['word'] for r in rows if r['role'] == 'anaphor' and len(r['word']) == 1)})"
                rf"(?:{oblique})(?![가-힣])"
            ),
            plural=re.compile(
                rf"(?<![가-힣])(?:{actor('plural')})"
                rf"(?:{oblique})(?![가-힣])"
            ),
            # or a count of them, maybe with a one-syllable noun it counts (42개 학교에서, 21개 동 행정복지센터에서)
            any_before=re.compile(rf"(?<![가-힣])(?:{actor('any')})\s+$|(?<![\d,.])\d+\s*개\s+(?:[가-힣]\s+)?$"),
            # joined to another noun before a count of organisations (아동센터와 학교 210곳에): any of both kinds
            any_after=re.compile(rf"\s*(?:{comitative}|,)\s*[가-힣]+\s+[\d,]*\d\s*(?:{org_counts})"),
            joined_back=re.compile(rf"^{_PAREN}\s*(?:{comitative})\s+(?:{anaphor_words})(?:{acting})(?![가-힣])"),
            joined_anaphor=re.compile(rf"(?<![가-힣])([가-힣]+?)(?:\s*(?:{comitative})|\s*[,·ㆍ])\s*$"),
            pair=re.compile(  # with its staff: 두 회사 임직원 300여 명은
                (counted_ref + rf"(?:\s+(?:{staff})){{0,2}}(?:{_COUNT}명)?(?:들)?(?:{acting})\s").replace(r"\ ", r"\s*")
            ),
            counted_oblique=re.compile((counted_ref + rf"(?:{oblique})(?![가-힣])").replace(r"\ ", r"\s*")),
            said=re.compile(
                rf"\s*(?:(?:{anchor('speech')})(?:을|를|의)?\s+"
                rf"|(?![^\s]*(?:을|를)\s)\S+\s+){{0,3}}?"
                rf"{said_close}".replace(r"\ ", r"\s*")
            ),
            sponsor=re.compile(rf"{_PAREN}(?:의)?\s*(?:{actor('sponsor')})(?![가-힣])".replace(r"\ ", r"\s*")),
            person=re.compile(
                rf"(?:(?:^|\s)(?:{person_words})(?:들)?(?:\s+[가-힣]{{1,4}})?"
                # or a name marked as a pseudonym or with an age (하린(가명)이는, 김모(45)씨가)
                rf"|(?<![가-힣])[가-힣]{{1,4}}\s*\((?:{actor('pseudonym')}|\d{{1,3}})\)\s*(?:이|양|군|씨)?)"
                rf"(?:{subject}|{_alt(r['particle'] for r in particles if r['function'] == 'additive')})\s"
            ),
            person_named=re.compile(rf"(?<![가-힣])(?:{person_words})\s+([가-힣]{{2,4}})"),
            person_again=re.compile(rf"\W*(?:(?:{opening})\s+)?([가-힣]{{2,4}}?)(?:은|는|이|가|도)\s"),
            owner=re.compile(rf"^{_PAREN}의\s+(?:[가-힣]+\s+)?[가-힣]+?(?:{subject})(?![가-힣])"),
            activities=re.compile(
                rf"^{_PAREN}의\s+(?:\S+\s+){{0,2}}(?:{actor('activity')})"
                rf"(?:을|를|{copula})(?![가-힣])"
            ),
            plans=frozenset(r["word"] for r in anchors if r["role"] == "plan"),
            futures=frozenset(r["word"] for r in anchors if r["role"] == "future"),
            cited=re.compile(anchor("source").replace(r"\ ", r"\s*")),
            planned=re.compile(rf"(?:{anchor('plan')})(?:{copula})[^가-힣]*$"),
            measure=re.compile(rf"(?<![가-힣])(?:{measure})(?:{subject})\s"),
            owned_measure=re.compile(rf"{_PAREN}의\s+(?:[가-힣]+\s+)?(?:{measure})(?:{subject})\s"),
            undone=re.compile(rf"(?:{anchor('undone')})[^가-힣]*$".replace(r"\ ", r"\s*")),
            crowd=re.compile(
                # a few words (no topic among them), then the subject: a count of people or households, a share, or
                # a thing of people (주민들의 겨울나기는); staff, whose acts are their organisation's, are no crowd
                rf"^(?:(?![^\s(,]*[^에\s][은는]\s)[^\s(,]+\s+){{0,8}}?(?:[가-힣]*\s*{_COUNT}(?:명|가구|세대)(?:가량|쯤|정도)?"
                rf"|[가-힣]*\d+\s*분의\s*\d+(?:가량|쯤|정도)?|[가-힣]+들의\s+[가-힣]+)(?:은|는|이|가)\s"
            ),
            changed=re.compile(
                rf"(?:{anchor('changed')})고\s+(?:[가-힣]+\s+)?"
                rf"{said_close}".replace(r"\ ", r"\s*")
            ),
            crowd_staff=re.compile(rf"(?<![가-힣])(?:{staff})"),
            crowd_act=re.compile(anchor("crowd_act", "handed").replace(r"\ ", r"\s*")),
            finding=re.compile(rf"(?:{anchor('finding')})[^가-힣]*$".replace(r"\ ", r"\s*")),
            stamp_before=re.compile(
                rf"(?:(?:^|\n|\d[^\S\n]+|[|/])[^\S\n]*(?:\[[^\]\n]{{1,12}}\][^\S\n]*)?[\[(]?"  # [보도자료] 배포일시:
                rf"(?:{anchor('stamp')})"
                rf"|(?:{anchor('stamp_field')}))[^\S\n]*[:：]?[^\S\n]*$"
            ),
            contact=re.compile(rf"(?<![^\n])[^\S\n]*(?:{anchor('contact')})[^\S\n]*[:：]".replace(r"\ ", r"\s*")),
            roundup=re.compile(anchor("roundup").replace(r"\ ", r"\s*")),
            occasion_after=re.compile(rf"^\s*(?:{anchor('occasion')}|{ahead})(?![가-힣])".replace(r"\ ", r"\s*")),
            ahead_after=re.compile(rf"\s+[가-힣]+?(?:{ahead})(?![가-힣])".replace(r"\ ", r"\s*")),
            report_after=re.compile(rf"^\s+(?:[가-힣]+\s+){{0,3}}?(?:{say})"),
            reports=re.compile(rf"다고\s+(?:\S+\s+){{0,2}}?(?:{say})[가-힣]*[^가-힣]*$"),
            comparison_after=re.compile(rf"^\s*(?:{comparison})"),
            classifies_after=re.compile(rf"^\s+(?:\d+(?:{term})\s+)?(?:{classified})"),
            founds=re.compile(rf"\s*[이가]\s+(?:{anchor('founded')})(?![가-힣])".replace(r"\ ", r"\s*")),
            founded_after=re.compile(
                # a place may stand between (1998년 진주에서 설립돼)
                rf"(?:에|에는)?\s+(?:(?:[^\s,.]+\s+){{0,2}}?[^\s,.]+에서\s+)?(?:{anchor('founded')})(?![가-힣])"
                rf"(\s*(?:뒤|후|이후|이래)(?![가-힣]))?".replace(r"\ ", r"\s*")
            ),
            founded_as=re.compile(
                rf"(?:에|에는)?\s+(?:[^\s,.]+\s+){{0,10}}?"
                rf"(?:{anchor('founded', 'made')})\s+(?:[가-힣]*[^\s,.을를]\s+)?"
                rf"[가-힣]*(?:{bodies})(?:으로|로|{copula})(?![가-힣])"
                # or how the body began (2009년 선원 아내들의 모임으로 출발해)
                rf"|(?:에|에는)?\s+(?:[^\s,.]+\s+){{0,5}}?[가-힣]*(?:{bodies})(?:으로|로)\s*"
                rf"(?:{anchor('started')})".replace(r"\ ", r"\s*")
            ),
            continued=re.compile(rf"(?<![가-힣])(?:{anchor('continued')})(?![가-힣])".replace(r"\ ", r"\s*")),
            background_after=re.compile(
                rf"(?:에|에는)?\s+(?:[^\s,.]+\s+){{0,3}}?"
                rf"(?:{anchor('background')})(?![가-힣])".replace(r"\ ", r"\s*")
                # or a disaster running since the date (지난해 9월부터 이어진 호주 남동부 대형 산불로)
                + rf"|부터\s+(?:{anchor('ongoing')})\s+(?:[^\s,.]+\s+){{0,3}}?"
                rf"[가-힣]*(?:{anchor('disaster')})"
                # or a happening named by a noun, past words that are no object or verb of an act (2018년 9월 술라웨시섬
                # 강진 이후, 2019년 4월 산불로; not 2023년 5월 성금을 모아 산불로 …)
                + (
                    rf"|(?:에|에는)?\s+(?:[^\s,.]*[^\s,.을를고며서해여]\s+){{0,3}}?[가-힣]*"
                    rf"(?:{anchor('disaster', 'happening')})\s*"
                    rf"(?:{anchor('happening_after')})(?![가-힣])"
                )
            ),
            numbers=numbers,
            as_of=re.compile(rf"\s*(?:{anchor('as_of')})(?:{copula}|으로)?(?![가-힣])"),
            every=re.compile(rf"(?:{anchor('every')})(?![가-힣])"),
            purpose=re.compile(
                rf"(?:을|를|에)\s+(?:[^\s,.]+\s+){{0,3}}?[가-힣]*?(?:{anchor('purpose')})(?![가-힣])".replace(
                    r"\ ", r"\s*"
                )
            ),
            goal=re.compile(rf"(?:까지)?\s+(?:[^\s,.]+\s+){{0,4}}?[^\s,.]*?(?:을|를)\s*(?:{anchor('goal')})\s+"),
            goal_set=frozenset(r["word"] for r in anchors if r["role"] == "goal_set"),
            foundings=frozenset(
                r["word"][:-1]
                for r in anchors
                if r["role"] == "founded" and re.fullmatch(r"[가-힣]{2}[한된돼]", r["word"])
            ),
            own_members=re.compile(rf"(?:^|\s)(?:{staff})(?:{_COUNT}명)?\s*(?:{comitative})\s"),
            head_staff=re.compile(
                rf"(?<![가-힣])([가-힣]{{2,}}?)\s+(?:{staff})(?:들)?(?:{_COUNT}명)?(?:{acting})(?![가-힣])"
            ),
            handed=re.compile(rf"(?<![가-힣])(?:{anchor('handed')})[가-힣]*[^가-힣]*$"),
            visit=re.compile(rf"\s+(?:{actor('visit')})"),
            headline=re.compile(
                # the list may go on with items that are no organisation (군위군·자원봉사센터·대학, …), a word may
                # stand before the staff (X 전북 임직원, …); or a list of two or more with no comma heads a nominal
                # headline (A·B·C 4자 협약…, A·B·C 기부 행렬)
                rf"(?:(?:{_HEADLINE_ITEM})*(?:(?:\s+[가-힣]{{1,4}})?\s+(?:{staff})+(?:{_COUNT}명)?)?{_HEADLINE_SUBJECT.pattern}"
                rf"|(?:[·ㆍ][^\s,·ㆍ…]{{1,12}}(?<![와과의에을를은는이가]))+[^\S\n](?![^\n]*다[.!][^\S\n]*(?:\n|$)))"
            ),
            members=re.compile(
                rf"^{_PAREN}\s+(?:{actor('member')})\s+(?:[가-힣]+\s+){{0,2}}?"
                rf"(?:{_COUNT}(?:명|개|곳)\s*)?[가-힣]{{0,4}}?(?:들)?(?:{acting})(?![가-힣])"
            ),
            joins=re.compile(rf"(?<![가-힣])(?:{actor('joins')})"),
            staff_with=re.compile(rf"\s*(?:{staff})(?:\s*등)?(?:{_COUNT}명)?(?:{comitative})\s"),
            takes_part=re.compile(rf"(?<![가-힣])(?:{actor('takes_part')})"),
            sources={name: Path(data_dir or DATA_DIR) / name for name in FILES},
        )


def categorize(
    tables: EventTables,
    text: str,
    mentions_product: bool = False,
    starts: Collection[int] | None = None,
    clause: tuple[int, int] | None = None,
) -> str:
    """The category of an event sentence from the cues of ``event_categories.tsv`` that match at the start
    of a morpheme (``starts``: the offsets in ``text`` where a morpheme begins; None: anywhere), so that
    ``하반기부터`` (하반기 + 부터) holds no ``기부``, and start inside ``clause`` (the dated clause's offsets in
    ``text``; None: all of it). An agreement's cue (``partnership``) decides wherever it stands; else the
    main verb does: the cue ending last, nearest the clause's verb (``기부 플랫폼을 통해 교육사업을 편다`` →
    ``support``; ties: the table's order), a light verb's (``지원``, ``제공``: the column ``light``) only when
    no other cue stands in the clause (``교육을 제공한다`` → ``support``); no cue → ``service`` when it is about
    a product or app (``카카오톡은 …``), else :data:`~pipeline.schema.OTHER_CATEGORY`.
    Organisation names should be masked out first (사회복지공동모금회 is no fundraising cue)."""
    text = text.lower()
    lo, hi = clause or (0, len(text))
    best: tuple[bool, int, int] | None = None  # (not light, end, -rank) of the cue nearest the verb
    for rank, (category, rx, light) in enumerate(tables.categories):
        for m in rx.finditer(text):
            if lo <= m.start() < hi and (starts is None or m.start() in starts):
                if category == _AGREEMENT:
                    return category
                key = (not light, m.end(), -rank)
                best = key if best is None else max(best, key)
    if best is not None:
        return tables.categories[-best[2]][0]
    return "service" if mentions_product else schema.OTHER_CATEGORY


# ---------------------------------------------------------------------------------------------
# Date arithmetic on normalised values


def _is_duration(value: str) -> bool:
    t = try_parse(value)
    return t is not None and t.is_duration


def _joint_end(t: EventTables, text: str, orgs: list[Mention], i: int, step: int, index: TokenIndex) -> int:
    """The index of the first (``step`` -1) or the last (``step`` 1) name of the joint subject that holds
    ``orgs[i]``: names joined by ``와``/``과``, ``·`` or a comma (``A와 B, C가``)."""
    while 0 <= i + step < len(orgs):
        first, second = (orgs[i + step], orgs[i]) if step < 0 else (orgs[i], orgs[i + step])
        if not _joined(t, text, first, second, index):
            break
        i += step
    return i


def end_after_duration(start: str, duration: str) -> str | None:
    """``2020-09-22`` + ``P1M`` → ``2020-10-21``; ``2023-05`` + ``P2Y`` → ``2025-04``; None if unknown
    (a start that is not a known year, month or day, a duration that is not a whole number of units, an end
    past the calendar's last year: ``…부터 800000일 동안``)."""
    s, dur = try_parse(start), try_parse(duration)
    if (
        s is None
        or s.grain not in ("year", "month", "day")
        or not s.is_resolved
        or s.year is None
        or dur is None
        or not dur.is_duration
        or not isinstance(dur.count, int)
    ):
        return None
    try:
        return _counted_forward(s.year, s.month, s.day, dur.count, dur.unit)
    except (OverflowError, ValueError):  # past year 9999 (the date arithmetic's own limits)
        return None


def _counted_forward(y: int, mo: int | None, d: int | None, n: int, unit: str | None) -> str:
    """The last day, month or year of ``n`` units from a start of that grain (``end_after_duration``)."""
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
    idx = y * 12 + (mo or 1) - 1 + months - 1
    last_year = y + n - 1 if unit == "Y" and mo is None else idx // 12
    if last_year > _dt.MAXYEAR:
        raise OverflowError(f"year {last_year} is past the calendar")
    if mo is None and unit == "Y":
        return Timex("year", last_year).format()
    return Timex("month", idx // 12, idx % 12 + 1).format()


def start_before_duration(end: str, duration: str) -> str | None:
    """``2024-05-15`` closing ``P3D`` → ``2024-05-13`` (수요일까지 사흘간: the three days ending on it), ``2025-12-31``
    closing ``P1M`` → ``2025-12-01`` (지난달 31일까지 한 달 동안); None unless the end is a known day and the duration a
    whole number of units (``2026년까지 3년간`` names a target year, not a span counted back) that starts within the
    calendar (``…까지 99999999년간``: none)."""
    e, dur = try_parse(end), try_parse(duration)
    if (
        e is None
        or e.grain != "day"
        or not e.is_resolved
        or e.year is None
        or e.month is None
        or e.day is None
        or dur is None
        or not dur.is_duration
        or not isinstance(dur.count, int)
        or dur.unit not in ("D", "W", "M", "Y")
    ):
        return None
    try:
        if dur.unit in ("M", "Y"):  # the day after the same day so many months before
            idx = e.year * 12 + e.month - 1 - dur.count * (12 if dur.unit == "Y" else 1)
            y, m = idx // 12, idx % 12 + 1
            return (_dt.date(y, m, min(e.day, calendar.monthrange(y, m)[1])) + _dt.timedelta(days=1)).isoformat()
        days = dur.count * 7 if dur.unit == "W" else dur.count
        return (_dt.date(e.year, e.month, e.day) - _dt.timedelta(days=days - 1)).isoformat()
    except (OverflowError, ValueError):  # before year 1 (the date arithmetic's own limits)
        return None


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
    rule: str = ""  # the rule that found it (``org.byline``: an outlet, never a participant)
    end_value: str | None = None  # DATE: the last day of a holiday period (설 연휴)


def mentions(doc: Doc) -> list[Mention]:
    out = []
    for label in (*schema.LABELS, "PRODUCT"):
        for sp in doc.spans.get(label, []):
            ext = sp._
            end_value = ext.end_value if label == "DATE" else None
            out.append(
                Mention(
                    label,
                    sp.start_char,
                    sp.end_char,
                    ext.value,
                    ext.name or "",
                    ext.kind or "",
                    ext.unit or "",
                    ext.rule or "",
                    end_value,
                )
            )
    return out


def _quoted_whole(text: str, m: Mention) -> Mention:
    """An ORG standing alone in quotation marks (모임인 '초록바퀴회'는) as the quoted word, marks included: its particle
    follows the closing mark, and the roles read the particle right after the name."""
    closing = _NAME_QUOTES.get(text[m.start - 1]) if m.label == "ORG" and m.start > 0 else None
    if closing and text[m.end : m.end + 1] in tuple(closing):
        return replace(m, start=m.start - 1, end=m.end + 1)
    return m


def _heads_item(text: str, org: Mention) -> bool:
    """The ORG heads a dated list item: a list mark and a date open its line before it (▲ 12월 12일 X노동조합, 조합원
    모금액 1천500만 원; ▲ 2025. 3. 4.(화) 인천 X,)."""
    return bool(_ITEM_DATE_LEAD.fullmatch(text, text.rfind("\n", 0, org.start) + 1, org.start))


def _is_byline(text: str, org: Mention) -> bool:
    """An outlet or byline, never a participant: one the ORG rules found as such (``org.byline``:
    ``(서울=연합뉴스)``, ``[여성일보/김하나 기자]``, ``새한신문 / 2021.12.06``), one before ``=`` or after
    ``ⓒ`` (``메가경제=``, ``ⓒ 서울경제``), or an organisation alone on the last line (a trailing ``파이낸셜뉴스``)."""
    if org.rule == "org.byline":
        return True
    before = text[max(0, org.start - SETTINGS.byline_before) : org.start]
    after = text[org.end : org.end + SETTINGS.byline_after]
    if _BYLINE_BEFORE.search(before) or _BYLINE_AFTER.match(after):
        return True
    return bool(_LINE_AFTER.match(text, org.end) and _LINE_BEFORE.search(text[max(0, org.start - 3) : org.start]))


def _subject_strength(
    t: EventTables, text: str, org: Mention, index: TokenIndex | None = None, dates: Collection[int] = ()
) -> int:
    """How the ORG is marked as the acting one: 2 with a topic particle (카카오는, 임직원들은, 재단에서는),
    1 with a subject or additive one (카카오가, 카카오도), 0 when it does not act in the sentence: no
    such particle, or a subject particle whose next word is adnominal (보건복지부가 주최한 시상식: the
    subject of a relative clause; read from Kiwi's ``ETM`` tag when the Doc's ``index`` is given). A
    headline's subject (a name opening a line with no final ending, then a comma: ``한빛건설, 성금 기탁``) is 1."""
    after = text[org.end : org.end + SETTINGS.subject_after]
    m = (
        t.subject.match(after)
        or t.staff.match(text[org.end : org.end + _STAFF_AFTER])
        or t.joined_back.match(after)
        or t.group.match(after)
        or t.members.match(text[org.end : org.end + _STAFF_AFTER])
    )
    if (
        not m
        and _ITEM_NAME_AFTER.match(text, org.end)
        and _ITEM_NAME_BEFORE.search(text, max(0, org.start - 30), org.start)
    ):
        return 1  # ○ 장량푸른교회: 1. 27.(화) 백미 100포: the item's name gives
    if (
        not m
        and t.headline.match(text, org.end)
        and (
            _LINE_BEFORE.search(text[max(0, org.start - 3) : org.start])
            # a headline's part after … opens like a line (… 소아암 병동…원주 DB 프로미, 성탄절 선물 전달)
            or _HEADLINE_LEAD.fullmatch(
                text, max(text.rfind("\n", 0, org.start), text.rfind("…", 0, org.start)) + 1, org.start
            )
            or _heads_item(text, org)
        )
    ):
        return 1
    if not m:
        owner = t.owner.match(after)
        if t.activities.match(after):
            return 1
        return 1 if owner and index is not None and _particle_at(index, org.end + owner.end() - 1) else 0
    if m.group(0).endswith(("은", "는")):
        return 2
    if m.group(0).endswith("도") and t.visit.match(text, org.end + m.end()):
        return 0  # 이날 X도 찾아가: the place also visited
    return 0 if index is not None and _adnominal_next(index, text, org.end + m.end(), dates) else 1


def _particle_at(index: TokenIndex, pos: int) -> bool:
    """The character at ``pos`` ends a subject or topic particle (활동은: JX; not 받은: ETM)."""
    i = index.token_at(pos)
    return i is not None and index.tags[i].split("+")[-1] in ("JX", "JKS")


def _states_fact(t: EventTables, index: TokenIndex, lo: int, hi: int, text: str) -> bool:
    """The sentence's last predicate is a copula after a word that is no plan (``협약 기간은 12월
    말까지다``, ``장학생은 300명이다``, ``직접 담근 김치다``, ``늘어난 것이다``; not ``지원할 예정이다``,
    ``운영 중이다``, ``지원할 것이다``): it states a fact."""
    while hi > lo and text[hi - 1].isspace():  # the sentence's last token, not the next one's
        hi -= 1
    i = index.token_at(max(lo, hi - 1))
    first = index.token_at(lo)
    while i is not None and first is not None and i >= first:  # past the ending, signs and a line break
        tags = index.tags[i].split("+")
        if not (index.is_space[i] or set(tags) <= {"EF", "EP", "SF", "SE", "SS", "SO", "SW", "SP", "SSC", "SSO", ""}):
            break
        i -= 1
    if i is None or first is None or i < first or "VCP" not in index.tags[i].split("+"):
        return False
    if index.tags[i].split("+")[0] == "VCP":  # 예정 + 이다, 예정 + 입니다 (VCP+EF): the noun is the token before
        i -= 1
    word = text[index.start_list[i] : index.end_list[i]]
    if word in t.futures and i > 0:  # 할 것이다 plans; 늘어난 것이다 restates
        before = text[index.start_list[i - 1] : index.end_list[i - 1]]
        return not (before and "ETM" in index.tags[i - 1] and _final_consonant(before[-1]) == "ㄹ")
    return word not in t.plans


def _copula_fact(t: EventTables, index: TokenIndex, text: str, lo: int, hi: int, orgs: list[Mention]) -> bool:
    """The sentence only states a fact (:func:`_states_fact`): no act comes before its copula, neither a verb
    joined by a connective ending (``3억 원을 보냈으며, 이번이 두 번째 지원이다``) nor an organisation marked as a
    subject (``다온물류가 지난해 10월 맺은 협약의 첫 결실입니다``) unless what it did is a founding."""
    if not _states_fact(t, index, lo, hi, text) or _acts_before(index, text, lo, hi, t.foundings):
        return False
    subjects = [  # 다온물류가 … 맺은 협약의 결실이다, X 직원들이 지난해 한 봉사활동은 …이었다: it acted
        o
        for o in orgs
        if _SUBJECT_MARK.match(text, o.end)
        or ((m := t.staff.match(text[o.end : o.end + _STAFF_AFTER])) and m.group(0).endswith(("이", "가")))
    ]
    return all(t.founds.match(text, o.end) for o in subjects)  # 한빛테크가 세운 재단이다: a description


def _states_figure(t: EventTables, text: str, lo: int, hi: int) -> bool:
    """A measure is the subject of the first clause (``온실가스 배출량은 1만 톤으로 8% 줄었다``; not ``8억 원을
    모았으며, 모금액은 …``: an act comes first), and the sentence closes on no plan or target (``배출량은 2030년까지
    25% 줄이는 것이 목표다`` plans) nor on a verb of handing over (``모금액은 … 전달했다``: the gift)."""
    m = t.measure.search(text, lo, hi)
    return (
        m is not None
        and not _CLAUSE_END.search(text, lo, m.start())
        and not t.planned.search(text, lo, hi)
        and not t.handed.search(text, lo, hi)
    )


def _final_consonant(syllable: str) -> str:
    """The final consonant (받침) of a Hangul syllable as a compatibility jamo, or ``""``."""
    code = ord(syllable) - 0xAC00
    if not 0 <= code < 11172 or code % 28 == 0:
        return ""
    return "ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"[code % 28 - 1]


def _adnominal_next(index: TokenIndex, text: str, pos: int, dates: Collection[int] = ()) -> bool:
    """The word starting after ``pos`` (past spaces) ends in an adnominal ending (주관하는, 펴낸), and opens
    no date (``dates``: the DATE spans' starts; ``지난 8일``, ``같은 날`` are dates, not relative clauses) and is no
    determiner (``같은 센터를``: the same one)."""
    while pos < len(text) and text[pos] == " ":
        pos += 1
    if pos in dates or _DETERMINER.match(text, pos):
        return False
    i = index.token_at(pos)
    while i is not None and i < index.n_tokens and not index.is_space[i]:
        if "ETM" in index.tags[i]:
            return True
        if index.whitespace[i]:
            break
        i += 1
    return False


def _modifies_subject(index: TokenIndex, text: str, pos: int, words: int = 6) -> bool:
    """The relative clause whose subject ends at ``pos`` (``한빛건설이 후원한``) modifies the sentence's
    subject: the first particle of the words after its adnominal verb marks a subject or a topic
    (``어르신 잔치가``), not an adverbial (``캠페인에도``)."""
    i = index.token_at(pos)
    seen_verb = False
    while i is not None and i < index.n_tokens and words > 0:
        if index.is_space[i]:
            i += 1
            continue
        tags = index.tags[i].split("+")
        if not seen_verb:
            seen_verb = "ETM" in tags
        else:
            particles = [tg for tg in tags if tg.startswith("J")]
            if particles:
                surface = text[index.start_list[i] : index.end_list[i]]
                return particles[0] == "JKS" or (particles[0] == "JX" and surface.endswith(("은", "는")))
        if index.whitespace[i]:
            words -= 1
        i += 1
    return False


def _auxiliary_adnominal(index: TokenIndex, i: int) -> bool:
    """Token ``i`` is an auxiliary ending on an adnominal ending (``온``, ``있는``, ``왔던``)."""
    if i >= index.n_tokens or base_tags(index.tags[i])[0] != "VX":
        return False
    if base_tags(index.tags[i])[-1] == "ETM":
        return True
    return i + 1 < index.n_tokens and base_tags(index.tags[i + 1])[-1] == "ETM"


def _acts_before(index: TokenIndex, text: str, lo: int, hi: int, foundings: Collection[str] = ()) -> bool:
    """A verb joined by a connective ending (``전달하며``, ``찾아``, ``참석해``; not one that only links a
    noun, ``인사말을 통해``, ``아이들을 위해``) stands in ``[lo, hi)``: the sentence reports an act before what it quotes.
    Not a verb joined to an auxiliary that modifies a noun (``성금을 내 온 단체다``, ``봉사를 하고 있는 모임이다``: one
    adnominal predicate), nor, with ``foundings``, a founding (``2019년 창단해 …``: how the organisation began)."""
    i = index.token_at(lo)
    while i is not None and i < index.n_tokens and index.start_list[i] < hi:
        tags = base_tags(index.tags[i])  # VV-I, VV-R: an irregular verb (이어, 도와)
        verb = {"VV", "XSV"} & set(tags) or (i > 0 and {"VV", "XSV"} & set(base_tags(index.tags[i - 1])))
        stem = i - (0 if len(tags) > 1 else 1)
        if (
            verb
            and tags[-1] == "EC"
            and not _LINKING_VERB.match(text, index.start_list[stem])
            and not _auxiliary_adnominal(index, i + 1)
            and not (tags[0] == "XSV" and i > 0 and text[index.start_list[i - 1] : index.end_list[i - 1]] in foundings)
        ):
            return True
        i += 1
    return False


_PREDICATE = frozenset({"VV", "VA", "VX", "VCP", "VCN", "XSV", "XSA", "EF", "EC", "EP", "ETM", "ETN"})


def _headings(index: TokenIndex, text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """The lines of ``text[lo:hi]`` that are headings: a line holding no verb, adjective, copula nor ending (Kiwi's
    tags; ``2021년 주요 계획``, ``■ 2021년 지역사회 공헌 활동``), as (start, end) character ranges. A notice's schedule
    item (``가. 서류 심사: 4. 8.(월)``, ``□ 신청 기간: 2024. 5. 13.``: an act, a colon, its date) is no heading."""
    out = []
    start = lo
    while start < hi:
        eol = text.find("\n", start, hi)
        end = hi if eol < 0 else eol
        if text[start:end].strip():
            i = bisect_left(index.start_list, start)
            tags: set[str] = set()
            while i < index.n_tokens and index.start_list[i] < end:
                tags.update(base_tags(index.tags[i]))
                i += 1
            if tags and not tags & _PREDICATE and not _SCHEDULED.match(text, start, end):
                out.append((start, end))
        start = end + 1
    return out


def _reported_subject(
    t: EventTables,
    text: str,
    acting: Mention,
    orgs: list[Mention],
    index: TokenIndex,
    lo: int,
    hi: int,
    dates: Collection[int] = (),
) -> Mention | None:
    """In a sentence reporting a clause (``…했다고 밝혔다``) whose topic is ``acting`` (``부안군은``), the
    subject of the reported clause after it (``계화농협이 … 기탁했다고``; not a relative clause's), else None."""
    if not t.reports.search(text, lo, hi) or _subject_strength(t, text, acting, index, dates) != 2:
        return None
    inner = [o for o in orgs if o.start > acting.end]
    if not any(_subject_strength(t, text, o, index, dates) == 1 for o in inner):
        return None
    return _actor(t, text, inner, index, dates=dates)


def _relative_subject(t: EventTables, text: str, orgs: list[Mention], index: TokenIndex) -> Mention | None:
    """The first ORG that is the subject of a relative clause (``넥슨재단이 마련한 교육과정``,
    ``질병관리청이 주관하는 사업``): the organisation that prepared, hosts or runs what it names."""
    for o in orgs:
        m = t.subject.match(text[o.end : o.end + SETTINGS.subject_after])
        if m and not m.group(0).endswith(("은", "는")) and _adnominal_next(index, text, o.end + m.end()):
            return o
    return None


def _names_no_org(text: str, lo: int, hi: int, ms: list[Mention], index: TokenIndex | None = None) -> bool:
    """The sentence opens with a topic that is no organisation, date or amount (``이들은``, ``참가
    학생들은``, ``이번 캠페인은``): its subject is written, not dropped. With the Doc's ``index``, its ending must be
    a particle (not ``남은 연탄 1만 장은``: an adnominal ending opens the sentence)."""
    m = _TOPIC.match(text, lo, hi)
    if m is not None and index is not None and not _particle_at(index, len(text[: m.end()].rstrip()) - 1):
        return False
    return m is not None and not any(x.start < m.end() and m.start() < x.end for x in ms)


def _anaphor(t: EventTables, sentence: str, named: Sequence[Mention] = ()) -> tuple[str, str] | None:
    """``회사는 …``, ``이 회사 직원들은 …``, ``장학회는 …`` (after 푸른솔장학회): the back-reference and the kind of
    organisation it names (:data:`UNKNOWN_KIND` for a head of a name, :func:`_head_of`)."""
    m = t.anaphor.match(sentence)
    if not m:
        return None
    if m.group(1) in t.anaphors:
        return m.group(1), t.anaphors[m.group(1)]
    return (m.group(1), UNKNOWN_KIND) if _head_of(t, m.group(1), named, subject=True) else None


def _head_of(t: EventTables, word: str, named: Sequence[Mention], subject: bool = False) -> str | None:
    """The latest organisation named before that ``word`` stands for as the head noun of its name: a
    back-reference word (``재단``, ``본부``), or any noun of three syllables or more ending the name
    (``장학회`` → 푸른솔장학회, ``연탄은행``, ``모금회``; not ``자사`` in 대한적십자사). As the ``subject`` opening a
    sentence, a noun of two syllables ending a name of five or more written closed up does too (``꿈터는`` →
    서귀포청소년꿈터); not as an object (``나눔을``, ``사랑을``: common words)."""
    short = word not in t.anaphors and len(word) < 3
    if short and (len(word) < 2 or not subject):
        return None
    tails = (word, *t.endings.get(word, ()))  # 노조 → …노동조합
    return next(
        (
            o.name
            for o in reversed(named)
            if o.name.endswith(tails) and o.name != word and not (short and (len(o.name) < 5 or " " in o.name))
        ),
        None,
    )


def _persons_named(t: EventTables, index: TokenIndex, text: str, lo: int, hi: int) -> set[str]:
    """The names of persons ``text[lo:hi]`` presents: a proper noun (Kiwi's ``NNP``, a whole token) after a word
    presenting a person (``가수 한별의``, ``선수``, ``기부자``)."""
    out = set()
    for p in t.person_named.finditer(text, lo, hi):
        j = index.token_at(p.start(1))
        if j is not None and index.tags[j] == "NNP" and index.start_list[j] == p.start(1):
            out.add(text[index.start_list[j] : index.end_list[j]])
    return out


def _person_subject(t: EventTables, sentence: str, people: Collection[str]) -> bool:
    """A person is the subject of ``sentence``: a person word (``한 부부는``, ``익명의 기부자가``), or the name alone
    of one presented before (``people``: 가수 한별의 … 한편 한별은 …). No organisation acts then."""
    again = t.person_again.match(sentence)
    return bool(t.person.search(sentence) or (again and again[1] in people))


def _heads(
    t: EventTables, text: str, lo: int, hi: int, ms: Sequence[Mention], named: Sequence[Mention], ends: Collection[str]
) -> set[str]:
    """The organisations named before that a bare head noun stands for (``t.head``): with an oblique particle
    (``재단에``, ``모금회를 통해``, ``본부의 후원을 받아``), joined to the acting organisation (``X와 협회는``, two at once:
    ``X와 병원과 모금회, 재단은``), with its staff (``센터 직원들과``), as the place of its unit (``재단 본점에서``), a
    one-syllable back-reference (``구에``: the district named before), or the topic of a later clause (``…을 맡고,
    센터는``); not inside a span, nor after a word making it
    any of its kind (``지역 복지관에``), nor a thing made (:func:`_made_any`). ``ends``: the endings of the names named
    before (a quick filter)."""
    out = set()
    here = [x for x in ms if x.label == "ORG"]
    for m in t.head.finditer(text, lo, hi):
        for g in range(1, (m.lastindex or 0) + 1):  # 병원과 모금회, 재단은: two heads in one match
            word, at = m.group(g), m.start(g)
            if not word or any(x.start < at + len(word) and at < x.end for x in ms):
                continue
            # the latest named, this statement's names before it included (X센터에 … 기증하고, … 센터를 찾아: X센터)
            before = [*named, *(x for x in here if x.end <= at)]
            tails = (word, *t.endings.get(word, ()))
            if not any(e in ends for e in tails) and not any(x.name.endswith(tails) for x in before[len(named) :]):
                continue
            name = _head_of(t, word, before)
            if name and not _made_any(t, text, lo, at) and not t.any_after.match(text, m.end(g)):
                out.add(name)
    return out


def _made_any(t: EventTables, text: str, lo: int, pos: int) -> bool:
    """A word before ``pos`` makes the head there any of its kind (``지역 복지관에``, ``관내 기업들과``, ``참여 대사관``),
    or a count does (``42개 학교에서``)."""
    return bool(t.any_before.search(text, max(lo, pos - 8), pos))


def _referent(
    word: str,
    kind: str,
    named: list[Mention],
    acted: dict[str, str],
    carried: str | None = None,
    heads: Collection[str] = (),
    endings: tuple[str, ...] = (),
    recent: str | None = None,
) -> str | None:
    """What a back-reference stands for: the organisation acting so far (``carried``) when one of its
    name's words ends with it (a topic continued: ``A재단은 … B재단과 협약을 했다. 재단은 …`` → A재단;
    ``한국에너지공단 경남지역본부는 … 공단은 …`` → the regional unit, even after a headline naming 에너지공단),
    else the latest organisation named before whose name ends with it (공사는 → 한국수자원공사, 대학은 → the
    대학교 just named as a partner), else the one acting so far when its kind is unknown (``대선주조는 …
    회사는`` → 대선주조, not an earlier (주) company), else the latest acting organisation of its kind, else
    the latest one of its kind named. ``heads``: the back-reference words; a name ending with another (``…협동조합``)
    tells what it is, so ``회사는`` does not stand for it. ``endings``: the name endings ``word`` stands for
    besides itself (``구단`` → 대구 FC). ``recent``: the organisation acting so far when it acted in this paragraph: of
    the back-reference's kind, it stands for it (``현대오일뱅크는 … 채워 줬다. 회사는 …``); else ``acted``: kind →
    the organisation of it the passage is about (after a heading or a paragraph break, ``회사는`` in a report is its
    company again, not the affiliate a paragraph before was about)."""
    ends = endings or (word,)
    if carried is not None and any(_holds(carried, e) for e in ends):
        return carried
    for o in reversed(named):
        if o.name.endswith(ends):
            return o.name
    if (
        carried is not None
        and next((o.kind for o in reversed(named) if o.name == carried), None) == UNKNOWN_KIND
        and not any(carried.endswith(h) for h in heads if h != word)
    ):
        return carried
    if recent is not None and next((o.kind for o in reversed(named) if o.name == recent), None) == kind:
        return recent
    if kind in acted:
        return acted[kind]
    return next((o.name for o in reversed(named) if o.kind == kind), None)


def _count_act(acts: Counter[str], acted: dict[str, str], name: str, kind: str) -> None:
    """``name`` (of ``kind``) acted once more: it becomes what ``acted`` holds for its kind (the organisation of the
    kind the passage is about) when it has now acted more often than the one held, or none is held."""
    acts[name] += 1
    if kind not in acted or acts[name] > acts[acted[kind]]:
        acted[kind] = name


def _holds(name: str, word: str) -> bool:
    """One of the name's words ends with ``word``: ``한국에너지공단 경남지역본부`` holds 공단 and 본부."""
    return any(part.endswith(word) for part in name.split())


def _counted(t: EventTables, ref: str) -> tuple[int | None, str]:
    """The count and the noun of a back-reference to several (``두 은행`` → 2, 은행; ``양사`` → 2, 사; ``3개 기관``)."""
    m = _COUNTED.match(ref)
    if m is None:
        return None, ref
    n = int(m[1]) if m[1].isdigit() else t.numbers.get(m[1])
    return (n, m[2]) if n is not None else (None, ref)


def _fits(group: Sequence[str], n: int | None, noun: str) -> bool:
    """``group`` is what ``n`` organisations called ``noun`` stand for: two or more, as many as counted, and all named
    with the noun when any is (``두 은행``: not a bank and the centre it visited; ``두 기관``: any two)."""
    named = [_holds(g, noun) for g in group]
    return len(group) >= 2 and (n is None or len(group) == n) and (all(named) or not any(named))


def _chains(t: EventTables, text: str, orgs: Sequence[Mention], index: TokenIndex | None) -> list[list[str]]:
    """The joint subjects of a statement (``A와 B는``, ``신한·우리은행이``) as lists of names, in text order."""
    out: list[list[str]] = []
    chain: list[str] = []
    for a, b in pairwise(orgs):
        if _joined(t, text, a, b, index):
            chain = chain or [a.name]
            if b.name not in chain:
                chain.append(b.name)
        else:
            if len(chain) > 1:
                out.append(chain)
            chain = []
    if len(chain) > 1:
        out.append(chain)
    return out


def _named_since(named: Sequence[Mention], named_at: Sequence[int], actor: str | None) -> set[str]:
    """The organisations named in the statements after the last one naming ``actor`` (all when it was never
    named), but the actor: what a plural head (``후원 기관들과``, ``선정 단체들에``) stands for."""
    since = max((k for o, k in zip(named, named_at, strict=True) if o.name == actor), default=-1)
    return {o.name for o, k in zip(named, named_at, strict=True) if k > since and o.name != actor}


def _named_before(
    word: str, named: list[Mention], kinds: dict[str, str] | None = None, actor: str | None = None
) -> str | None:
    """The latest organisation named before whose name ends with ``word`` (같은 복지관 → X종합사회복지관), else the latest
    one but ``actor`` of the word's kind (``kinds``: back-reference → kind; 같은 단체에 → the (사)빛고을나눔 named before)."""
    found = next((o.name for o in reversed(named) if o.name.endswith(word)), None)
    kind = (kinds or {}).get(word, "-")
    if found is None and kind != "-":
        found = next((o.name for o in reversed(named) if o.kind == kind and o.name != actor), None)
    return found


def _actor(
    t: EventTables,
    text: str,
    orgs: list[Mention],
    index: TokenIndex | None = None,
    anchor: int | None = None,
    dates: Collection[int] = (),
) -> Mention | None:
    """The sentence's acting ORG: the subject of the clause the anchoring date is in, i.e. of the
    acting ORGs before the date (``anchor``: its offset) the last topic-marked one, else the last
    subject-marked one (``A는 …하고, B는 2024년 …`` → B); with none before the date, the first
    topic-marked ORG, else the first subject-marked one. Of a joint subject (``A와 B는``, ``A·B는``,
    ``A, B 등 12개 기업이``) the first named."""
    marked = [(s, o) for o in orgs if (s := _subject_strength(t, text, o, index, dates))]
    if not marked:
        return None
    before = [(s, o) for s, o in marked if anchor is not None and o.start < anchor]
    pool = before or marked
    best = max(s for s, _ in pool)
    chosen = [o for s, o in pool if s == best]
    actor = chosen[-1] if before else chosen[0]
    k = orgs.index(actor)
    while k > 0 and _joined(t, text, orgs[k - 1], orgs[k], index):
        k -= 1
    return orgs[k]


def _joined(t: EventTables, text: str, a: Mention, b: Mention, index: TokenIndex | None) -> bool:
    """``a`` and ``b`` are one subject: ``A와 B는``, ``A·B는``, or ``A와`` then nouns describing B (``A와 지역
    식품업체 B가``; not ``A와 함께 B가``, an adverb: A only works with B)."""
    between = text[a.end : b.start]
    if t.joint.match(between):
        return True
    m = t.described_joint.match(between)
    if not m or index is None:
        return False
    i = index.token_at(a.end + m.start(1))
    while i is not None and i < index.n_tokens and index.start_list[i] < b.start:
        if not index.is_space[i] and not all(tag.startswith("NN") for tag in index.tags[i].split("+")):
            return False
        i += 1
    return True


def _amount_item(m: Mention) -> str:
    return f"{format_number(m.value)} {m.unit}"


# after a year, a bound before or after it on an adnominal verb (1995년 이전에 지은 주택, 2000년 이후 태어난 아동): the
# year classifies the noun
_BOUND_ADNOMINAL = re.compile(r"\s*(?:이전|이후)에?\s+[가-힣]*(?:은|된|진|난|한)\s+[가-힣]")


def _classifies(t: EventTables, text: str, d: Mention) -> bool:
    """The date, a year, only classifies the noun after it: ``2023년도 신입사원``, ``2023년 2학기 장학생``, ``1995년 이전에
    지은 주택``."""
    after = text[d.end : d.end + SETTINGS.comparison_after + 4]
    value = try_parse(d.value)
    if value is None or value.grain != "year":  # 2023년 3월 신입사원 200명을 뽑았다: the act's month
        return False
    return bool(
        t.classifies_after.match(after)
        or (text[d.start : d.end].endswith("년도") and re.match(r"\s+[가-힣]", after))
        or _BOUND_ADNOMINAL.match(text, d.end)
    )


def _founding(t: EventTables, text: str, d: Mention, totals: Sequence[int]) -> bool:
    """The date dates a founding (``1948년에 설립된 재단``); one followed by 이후/뒤 (``2011년 문을 연 뒤 해마다 …
    해 왔다``) dates the act done since, unless an amount after it makes a standing total (``1976년 설립된 이후
    6500명을 지원해 오고 있다``; ``totals``: the amounts' offsets)."""
    m = t.founded_after.match(text, d.end, d.end + _CLAUSE_AFTER)
    if m is None:  # 2019년 시민 300여 명이 출자해 만든 협동조합으로: its founders between, a description
        return t.founded_as.match(text, d.end, d.end + _DESCRIBED_AFTER) is not None
    return m.group(1) is None or any(a > d.end for a in totals)


def _headline_stamp(text: str, d: Mention) -> bool:
    """A date alone on its line (with signs and a weekday) under a headline or its subtitle, a line closing on no
    final sign or ending (``… 긴급 구호\n회원사 … 힘 보태\n\n2020.08.19``): the page's stamp, not the headline's
    date; a date under a sentence (``…제공했습니다\n2020.3``) still dates it."""
    start = text.rfind("\n", 0, d.start) + 1
    stop = text.find("\n", d.end)
    stop = len(text) if stop < 0 else stop
    if _CONTENT.search(_WEEKDAY.sub("", text[start : d.start] + text[d.end : stop])):
        return False
    before = text[:start].rstrip()
    if not before:
        return False
    line = before[before.rfind("\n") + 1 :].strip()
    return bool(_CONTENT.search(line)) and _open_line(line)


def _occasion(t: EventTables, text: str, d: Mention) -> bool:
    """An occasion the act is done for or before (``연말을 맞아``, ``설을 앞두고``), not the act's own date."""
    return bool(
        t.occasion_after.match(text[d.end : d.end + SETTINGS.comparison_after])
        or t.ahead_after.match(text, d.end, d.end + _CLAUSE_AFTER)
    )


def _line(text: str, lo: int, hi: int, pos: int, end: int | None = None) -> tuple[int, int]:
    """The line of ``text[lo:hi]`` holding ``pos`` (to ``end``): its start and its end."""
    start = text.rfind("\n", lo, pos) + 1 or lo
    stop = text.find("\n", pos if end is None else end, hi)
    return start, hi if stop < 0 else stop


def _anchor(
    t: EventTables,
    text: str,
    dates: list[Mention],
    quoted: Sequence[tuple[int, int]] = (),
    index: TokenIndex | None = None,
    totals: Sequence[int] = (),
) -> tuple[Mention, Mention | None, str | None, str | None] | None:
    """The sentence's anchor: (first date, last span of its range or duration, date_start, date_end);
    a holiday period (``설 연휴``, ``_.end_value``) is a range of its own, and ends a range it closes.
    Not a bare duration, a comparison baseline, a date that classifies a noun, a page's time stamp
    (``입력 2019.02.28 15:26``), a date inside a direct quotation (``quoted``: its character ranges) or
    an organisation's founding date (``1948년에 설립된 재단``). Of the rest the first date of the act anchors; a
    date in a relative clause (``지난해 진행한 크라우드펀딩``: an adnominal verb follows it, read from the
    Doc's ``index``) only when no such date does, then a reporting date, then the date of another happening
    (``지난달 발생한 지진``, ``지난 7월 집중호우로 피해를 입은``), then an occasion (``연말을 맞아``)."""
    points = [
        d
        for d in dates
        if not _is_duration(d.value)
        and not t.comparison_after.match(text[d.end : d.end + SETTINGS.comparison_after])
        and not _classifies(t, text, d)
        and not _founding(t, text, d, totals)
        and not t.every.match(text, d.end)
        and not _target(t, text, d, index)
        and not any(qs <= d.start < qe for qs, qe in quoted)
        and not t.stamp_before.search(text, max(0, d.start - SETTINGS.subject_after), d.start)
        and not (_FIELD_BEFORE.search(text, max(0, d.start - 3), d.start) and _LINE_CLOSE.match(text, d.end))
        and not _headline_stamp(text, d)
    ]
    for a, d in pairwise(dates):  # 배포일시: 2024. 5. 10.(금): the weekday of a date that does not anchor does not
        if d in points and a not in points and _WEEKDAY.fullmatch(text, a.end, d.end + 1):
            points.remove(d)
    non_report = [d for d in points if not t.report_after.match(text[d.end : d.end + SETTINGS.reporting_verb_after])]
    if quoted and not non_report:
        return None  # a quotation reported on a day is no event
    occasions = [d for d in non_report if _occasion(t, text, d)]
    background = [  # … or the time a purpose clause aims at (따뜻한 크리스마스를 보낼 수 있도록)
        d
        for d in non_report
        if t.background_after.match(text, d.end, d.end + _CLAUSE_AFTER)
        or t.purpose.match(text, d.end, d.end + _CLAUSE_AFTER)
    ]
    continued = [d for d, e in pairwise(non_report) if t.continued.search(text, d.end, e.start)]  # …한 데 이어, 3월에는
    relative = [
        d
        for d in non_report
        if d not in occasions + background
        and (d in continued or (index is not None and _adnominal_next(index, text, d.end)))
    ]
    acts = [d for d in non_report if d not in occasions + background + relative]
    points = acts or relative or [d for d in points if d not in non_report] or background or occasions
    if not points:
        return None
    a = points[0]
    if len(points) > 1:
        b = points[1]
        between = text[a.end : b.start]
        after_b = text[b.end : b.end + SETTINGS.range_end_after]
        if (
            _RANGE_JOIN.match(between)
            and ("부터" not in between or after_b.startswith("까지"))
            and ("에서" not in between or after_b.startswith("까지"))
        ):
            return a, b, a.value, b.end_value or b.value
    for d in dates:  # a start plus a duration: 2020년 9월 22일부터 1개월 동안
        if d.start > a.end and _is_duration(d.value) and _FROM_THEN_DURATION.match(text[a.end : d.start]):
            return a, d, a.value, end_after_duration(a.value, d.value)
        # an end plus a duration of days: 수요일까지 사흘간 (the act starts on the first of them)
        if (
            d.start > a.end
            and _is_duration(d.value)
            and _UNTIL_THEN_DURATION.match(text[a.end : d.start])
            and (first := start_before_duration(a.value, d.value)) is not None
        ):
            return a, d, first, a.value
    if a.end_value:  # 설 연휴: the official holiday period
        return a, None, a.value, a.end_value
    return a, None, None, None


def _target(t: EventTables, text: str, d: Mention, index: TokenIndex | None) -> bool:
    """``d`` is the date a goal is due by, its object and a target noun after it (``2050년 탄소중립 달성을 목표로 …
    운영하고 있습니다``): not when anything was done, so it anchors nothing. Not when the target is itself the act,
    a verb of ``goal_set`` right after it (``…을 목표로 합니다``, ``목표로 삼았다``; Kiwi's lemma, without the Doc's
    ``index`` the start of the next word)."""
    m = t.goal.match(text, d.end, d.end + _GOAL_AFTER)
    if not m:
        return False
    if index is None:
        return not any(text.startswith(w, m.end()) for w in t.goal_set)
    i = index.token_at(m.end())
    return i is None or not (index.tags[i].startswith("VV") and index.lemmas[i].split("+")[0] in t.goal_set)


def _category(
    t: EventTables,
    text: str,
    start: int,
    end: int,
    orgs: list[Mention],
    products: list[Mention],
    index: TokenIndex | None = None,
    date: Mention | None = None,
) -> str:
    """:func:`categorize` for ``text[start:end]`` with the sentence's ORG names masked, its cues
    matched at morpheme starts when the Doc's ``index`` is given. With ``date`` too, the clause holding it
    decides (:func:`_clause_ends`), and when it holds no cue, it with the clauses after it, one by one, and
    at last the whole sentence (``설을 앞두고 쌀을 전달했다``; ``5일 송편을 빚고, 쌀을 전달했다``)."""
    masked = _without(text, start, end, orgs, " ")
    starts = None
    clauses: list[tuple[int, int] | None] = [None]
    if index is not None:
        lo, hi = bisect_left(index.start_list, start), bisect_left(index.start_list, end)
        starts = {s - start for s in index.start_list[lo:hi]}
        if date is not None:
            ends = _clause_ends(t, index, lo, hi)
            begin = max((e for e in ends if e <= date.start), default=start) - start
            clauses = [*((begin, e - start) for e in ends if e >= date.end), None]
    for clause in clauses:
        category = categorize(t, masked, bool(products), starts, clause)
        if clause is None or category not in ("service", schema.OTHER_CATEGORY):
            return category
    return schema.OTHER_CATEGORY  # not reached: the last clause is the whole sentence


def _clause_ends(t: EventTables, index: TokenIndex, lo: int, hi: int) -> list[int]:
    """The character offsets where the coordinated clauses of tokens ``lo``–``hi`` end: after an ending of
    ``clause_end`` (anchor_words.tsv: ``모금을 벌이고, 모인 돈을 기탁한다``), not before an auxiliary verb
    (``모으고 있다``)."""
    return [
        index.end_list[i]
        for i in range(lo, hi)
        if index.tags[i].endswith("EC")
        and index.lemmas[i].split("+")[-1] in t.clause_ends
        and not (i + 1 < hi and index.tags[i + 1].startswith("VX"))
    ]


def _without(text: str, start: int, end: int, spans: list[Mention], fill: str) -> str:
    """``text[start:end]`` with the characters of ``spans`` replaced by ``fill`` (linear time)."""
    parts, pos = [], start
    for m in sorted(spans, key=lambda m: m.start):
        if m.start >= pos:
            parts.append(text[pos : m.start])
            parts.append(fill * (m.end - m.start) if fill else "")
            pos = m.end
    parts.append(text[pos:end])
    return "".join(parts)


def sentence_category(doc: Doc, start: int, end: int, tables: EventTables | None = None) -> str:
    """The category of ``doc.text[start:end]`` as an event would get it (with the default
    pipeline's tables unless ``tables`` is given), dated by its first DATE."""
    ms = [m for m in mentions(doc) if start <= m.start < end]
    return _category(
        tables or _default_tables(),
        doc_text(doc),
        start,
        end,
        [m for m in ms if m.label == "ORG"],
        [m for m in ms if m.label == "PRODUCT"],
        token_index(doc),
        next((m for m in ms if m.label == "DATE"), None),
    )


def _default_tables() -> EventTables:
    from .nlp import get_nlp

    component = get_nlp().get_pipe("csr_events")
    assert isinstance(component, EventLinker)
    return component.tables


def _statements(index: TokenIndex, text: str, dates: Sequence[Mention] = ()) -> list[tuple[int, int, int]]:
    """The statements events are read from, as (start, end, 0-based sentence index): Kiwi's sentences, each
    cut where a line opens with a list mark (``▲ 2023.5.3 — …``, ``- 2. 5.(월)~2. 8.(목) 배부 -``): a list item or a
    headline's subtitle is a statement of its own, whatever line ends before or after it. A list item that holds only its
    date (``▲ 2023.5.3 —``, a sentence of its own for Kiwi) is one statement with the sentence after it."""
    cuts = []
    for m in _ITEM.finditer(text):  # an item, and the line after it: one line is one item
        cuts.append(m.end())
        if (eol := text.find("\n", m.end())) > 0:
            cuts.append(eol + 1)
    cuts += _title_lines(text)
    cuts = sorted(set(cuts))
    if not cuts:
        return _sentences(index, text)
    out: list[tuple[int, int, int]] = []
    for lo, hi, i in _sentences(index, text):
        if out and out[-1][1] == lo and _date_item(text, *out[-1][:2], dates):
            lo = out.pop()[0]
        for c in cuts[bisect_right(cuts, lo) : bisect_left(cuts, hi)]:
            if text[lo:c].strip():
                out.append((lo, c, i))
                lo = c
        out.append((lo, hi, i))
    return out


def _open_line(line: str) -> bool:
    """A stripped line closing on no final sign or ending, as a headline or a subtitle does (``… 장학금 전달``)."""
    return not _FINAL.search(line) and not line.endswith(("다", "요"))


def _title_lines(text: str) -> list[int]:
    """Where the lines after a headline start, in the text's first block (before its first blank line): a headline
    and its subtitle, short lines closing on no final sign or ending, are statements of their own (``X, 설 앞두고 …
    꾸러미`` and ``Y와 자녀 학습비 협약도``), whatever Kiwi's sentences."""
    block = _PARAGRAPH.search(text)
    head = text[: block.start() if block else len(text)]
    out, pos = [], 0
    for line in head.split("\n")[:-1]:
        pos += len(line) + 1
        body = line.strip()
        if body and len(body) <= _TITLE_LINE and _open_line(body):
            out.append(pos)
    return out


def _sentences(index: TokenIndex, text: str) -> list[tuple[int, int, int]]:
    """Kiwi's sentences as (start, end, 0-based index of the last), one that stops mid-line on no final ending or sign
    joined to the next (a headline Kiwi cuts after a connective: ``X, 어린이날 맞아 | 간식 600개 전달``)."""
    out: list[tuple[int, int, int]] = []
    for i in range(len(index.sent_starts)):
        lo, hi = index.sentence_bounds(i, len(text))
        if out and out[-1][1] == lo and _runs_on(index, text, *out[-1][:2]):
            lo = out.pop()[0]
        out.append((lo, hi, i))
    return out


def _runs_on(index: TokenIndex, text: str, lo: int, hi: int) -> bool:
    """``text[lo:hi]`` stops on its line (no line break after it) on a word that ends no sentence: not a sign (``SF``,
    ``SS``, …), and not a final ending (``EF``: 했다) unless the line closes on no final sign (a headline: Kiwi reads
    ``추석 맞아`` as an ending)."""
    body = text[lo:hi].rstrip()
    if not body or "\n" in text[lo + len(body) : hi]:
        return False
    i = index.token_at(lo + len(body) - 1)
    if i is None:
        return False
    tags = index.tags[i].split("+")
    eol = text.find("\n", hi)
    return not tags[-1].startswith("S") and (
        "EF" not in tags or not _FINAL.search(text, hi, len(text) if eol < 0 else eol)
    )


def _date_item(text: str, lo: int, hi: int, dates: Sequence[Mention]) -> bool:
    """``text[lo:hi]`` is a list item holding nothing but a date and signs (``▲ 23.10.28(토) —``), maybe after the
    blank line before it (a heading's line, a blank line, then the item)."""
    if not _MARK.match(text, hi - len(text[lo:hi].lstrip())):
        return False
    inside = [d for d in dates if lo <= d.start < hi]
    return bool(inside) and not _CONTENT.search(_WEEKDAY.sub("", _without(text, lo, hi, inside, "")))


def link_events(doc: Doc, tables: EventTables | None = None) -> list[Event]:
    """Events of one annotated Doc, in text order (with the default pipeline's tables unless
    ``tables`` is given). The actor of a sentence is its acting ORG (:func:`_actor`), else what a
    back-reference stands for (:func:`_referent`), else none when a person is the subject, else
    the last organisation that acted (carried over); the counterparts are the other organisations."""
    t = tables or _default_tables()
    amount_labels = {name for name, label in schema.LABELS.items() if label.table == "amounts"}
    text = doc_text(doc)
    index = token_index(doc)
    found = [_quoted_whole(text, m) for m in mentions(doc)]
    statements = _statements(index, text, [m for m in found if m.label == "DATE"])
    # a quotation of several sentences on one line ([인터뷰] … "…하십니다. …했으면 합니다."): each is quoted
    spanning = [q.span() for q in _QUOTE.finditer(text) if "\n" not in q.group(0)]
    starts_at = [lo for lo, _, _ in statements]
    by_sent: list[list[Mention]] = [[] for _ in statements]
    for m in found:
        by_sent[bisect_right(starts_at, m.start) - 1].append(m)
    events: list[Event] = []
    carried: str | None = None  # the last organisation that acted
    carried_at = 0  # where the statement it last acted in ends
    acted: dict[str, str] = {}  # kind → the organisation of that kind the passage is about: the one acting most
    acts: Counter[str] = Counter()  # how often each organisation acted so far (first acted first on a tie)
    named: list[Mention] = []  # the organisations of the sentences before
    named_at: list[int] = []  # the statement each of ``named`` is in
    cited_only: set[str] = set()  # the organisations of ``named`` only ever cited as a source (X에 따르면)
    all_cited: set[str] = set()  # every organisation cited as a source so far
    took_part: set[str] = set()  # every organisation that stood in a statement other than as its source
    ends: set[str] = set()  # the endings of their names (재단, 장학회): what a bare head noun may stand for
    people: set[str] = set()  # the names of persons presented so far (가수 한별의 → 한별)
    groups: list[list[str]] = []  # organisations named together (an event naming several, a joint subject), actor first
    undated: list[list[str]] = []  # organisations an undated statement names with its acting one (A가 B, C와 손잡고 …)
    for k, (lo, hi, i) in enumerate(statements):
        sentence = text[lo:hi].strip()
        ms = sorted(by_sent[k], key=lambda m: m.start)
        outlets = [m for m in ms if m.label == "ORG" and _is_byline(text, m)]
        cited = t.cited.search(text, lo, hi)  # X에 따르면: X, and a date of X's own, are the source
        told = cited.end() if cited else lo
        sources = [m for m in ms if m.label == "ORG" and m.start < told and m not in outlets]
        source_names = {m.name for m in sources}  # X에 따르면: the cited sources, who do not act
        orgs = [m for m in ms if m.label == "ORG" and m.start >= told and m not in outlets]
        dates = [m for m in ms if m.label == "DATE" and m.start >= told]
        contact = t.contact.search(text, lo, hi)  # 문의: X 사무국 02-000-0000, and the notice's date after it
        after = _line(text, lo, hi, contact.end())[1] if contact else hi
        if contact and not _CONTENT.search(_WEEKDAY.sub("", _without(text, after, hi, dates, ""))):
            dates = [d for d in dates if d.start < contact.start()]
        quoted = sorted(
            [q.span() for q in _QUOTE.finditer(text, lo, hi)]
            + [(max(qs, lo), min(qe, hi)) for qs, qe in spanning if qs < hi and qe > lo and (qs < lo or qe > hi)]
        )
        totals = [m.start for m in ms if m.label in amount_labels]
        headings = [  # a line of a date and nouns, no amount (▲ 2021년 5월 장학금 1억 원 전달 is an act)
            (a, b) for a, b in (_headings(index, text, lo, hi) if dates else []) if not any(a <= x < b for x in totals)
        ]
        if headings and len(headings) < len(text[lo:hi].strip().split("\n")):  # 2021년 주요 계획\n2021년 4월에는 …
            dates = [d for d in dates if not any(a <= d.start < b for a, b in headings)] or dates
        anchor = _anchor(t, text, dates, quoted, index, totals) if dates else None
        starts = {d.start for d in dates}
        acting = _actor(t, text, orgs, index, anchor[0].start if anchor else None, starts)
        if (
            acting is not None
            and (own := t.own_members.search(text, lo, acting.start))
            and not any(o.start < own.start() for o in orgs)
        ):
            acting = None  # 봉사단원 30여 명과 X 주민 10명이: the passage's organisation with its own members
        reported = t.person.search(text, acting.end, hi) if acting else None
        if reported and acting and not text[acting.end : reported.start()].strip(" )"):
            reported = None  # 한화 이글스 선수들이: the organisation's own players act for it
        if reported and not t.reports.search(text, lo, hi):
            reported = None  # X는 선수들이 홈런을 칠 때마다 적립하는 기금을 모아 왔다: a person inside X's act
        if reported and reported.group(0).rstrip()[-1] in "이가":  # X는 한 기부자가 기탁했다고 밝혔다: the person gives
            acting = None
        elif acting is not None:  # 부안군은 계화농협이 기탁했다고 밝혔다: the reported clause's subject gives
            acting = _reported_subject(t, text, acting, orgs, index, lo, hi, starts) or acting
        if acting is not None and t.titled_with.search(text, max(lo, acting.start - _STAFF_AFTER), acting.start):
            acting = None  # 김영호 대표와 이수진 X재단 이사장 등이: the organisation acting so far and X
        if acting is not None and acting.name in source_names:
            acting = None  # X에 따르면 … 지역 신협 조합원은 …: the source's own figure, not its act
        if acting is not None and t.owned_measure.match(text, acting.end):
            acting = None  # X의 온실가스 배출량은 … 줄었다: X's figure, not X's act
        if (
            acting is not None
            and anchor is not None
            and acting.start > anchor[0].end
            and _subject_strength(t, text, acting, index, starts) == 1
            and _acts_before(index, text, anchor[0].end, acting.start)
        ):
            acting = None  # 다음 달 16일에는 …을 전달하고, B 학생 20명이 …: the date's clause drops its subject
        topic = t.anaphor.match(sentence)
        lead = len(text[lo:hi]) - len(text[lo:hi].lstrip())  # where ``sentence`` starts after ``lo``
        if (
            acting is not None
            and topic is not None
            and topic.group(0).rstrip().endswith(("은", "는"))
            and acting.start >= lo + lead + topic.start(1)  # not an organisation acting in a clause before it
            and (
                _subject_strength(t, text, acting, index, starts) < 2
                # 협약에 따라 회사는 2023년까지 …하고, 서구는 …: the date's clause is the back-reference's
                or (anchor is not None and lo + lead + topic.end() <= anchor[0].start < acting.start)
            )
            and not t.reports.search(text, lo, hi)
            and _anaphor(t, sentence, named) is not None
        ):
            acting = None  # 회사는 … A가 여는 행사에 후원한다: the back-reference's topic, not a clause's subject
        back = _anaphor(t, sentence, named) if acting is None else None
        if acting is None and back is None:  # 상담소 직원들이: the organisation named before whose head it is
            hs = t.head_staff.search(text, lo, hi)
            if hs and not any(x.start < hs.end() and hs.start() < x.end for x in ms) and _head_of(t, hs[1], named):
                back = hs[1], t.anaphors.get(hs[1], UNKNOWN_KIND)
        joined = t.joined_anaphor.search(text, lo, acting.start) if acting else None
        if joined and joined.group(1) in t.anaphors:  # 공단과 대구시의사회가 공동 주관했다: the 공단 named before acts
            back = joined.group(1), t.anaphors[joined.group(1)]
            acting = None
        actor = (
            acting.name
            if acting
            else _referent(
                *back,
                named,
                acted,
                carried,
                t.anaphors,
                t.endings.get(back[0], ()),
                None if _PARAGRAPH.search(text, carried_at, lo) else carried,
            )
            if back
            else None
        )
        frame = _OCCASION_FRAME.match(text, lo + lead, hi)
        if frame and (
            t.joins.search(text, lo, hi)
            or (t.takes_part.search(text, lo, hi) and len({o.name for o in orgs} | ({actor} if actor else set())) > 1)
        ):
            opener = next((o for o in orgs if o.start >= frame.end()), None)
            leads = opener is not None and not _LIST_BEFORE.search(text, frame.end(), opener.start)
            if leads and opener is not None and t.staff_with.match(text, opener.end):
                if actor != opener.name:
                    # 이날 행사에는 A 임직원과 B 회원 30명이 참여했다: the list's first organisation leads it
                    acting, back, actor = opener, None, opener.name
            elif (
                carried is not None
                and actor != carried
                and not t.person.search(sentence)
                and (not leads or len({o.name for o in orgs if o.start >= frame.end()}) > 1)
            ):
                # 이날 행사에는 회사 임직원과 A 관계자, B 회원들이 참석했다: the list opens with participants no name owns,
                # or with guests of several organisations named by name and title (이날 협약식에는 A 김민수 참사관과 B
                # 부시장 등 20여 명이 참석했다); they join the occasion the organisation acting so far holds, so it acts
                acting, back, actor = None, None, carried
        partners: list[str] = []
        counted = t.pair.search(text, lo, hi) if actor is None else None  # 양 기관은, 두 은행은: the first acting
        # a counted topic opening the sentence (세 기관은 … 협약을 맺었으며, A가 …하고 B는 …) is its subject, before the
        # subjects of its later clauses and before a bare noun read as a back-reference (두 회사는)
        opening = t.pair.match(text, lo + lead, hi)
        if opening is not None and opening.group(0).rstrip().endswith(("은", "는")):
            counted = opening
        plural = back is not None and topic is not None and topic[2] is not None  # 은행들은
        if counted or plural:
            count, noun = _counted(t, counted[1]) if counted else (None, back[0] if back else "")
            group = next((g for g in reversed(groups) if _fits(g, count, noun)), None)
            larger = next((g for g in reversed(groups) if count and len(g) > count), None)
            if group is None and count and larger is not None:
                # the last joint act naming more (a venue, a parent before its affiliate; past a smaller one, a venue
                # its host named): the actor and the partners named last, next to the act (X는 Y구청에서 A, B와
                # 협약을 맺었다. 세 기관은 …)
                group = [larger[0], *larger[len(larger) - count + 1 :]]
            if group is None and count:
                # none named together in an event: the undated lead that named as many (A가 B, C와 손잡고 … 나선다.
                # 세 기관은 21일 …)
                group = next((g for g in reversed(undated) if _fits(g, count, noun)), None)
            if group is not None:
                actor, partners = group[0], group[1:]
                if counted is opening:
                    acting, back = None, None
        # a person as the subject, also by the name alone once presented (가수 한별의 … 한편 한별은 …): no organisation acts
        person = _person_subject(t, sentence, people)
        if actor is None and not person:
            # a subject that names no organisation (이들은 넥슨재단이 마련한 교육과정에 따라 배운다): the
            # organisation that prepared or runs what it speaks of acts, else the one carried over
            # (X의 후원으로 잔치가 열렸다: the sponsor; X가 후원한 잔치가 열렸다: the relative clause opening it)
            sponsor = next((o for o in orgs if t.sponsor.match(text, o.end, o.end + SETTINGS.subject_after)), None)
            related = _relative_subject(t, text, orgs, index)
            opens = (
                related is not None
                and not _CONTENT.search(
                    _without(text, lo, related.start, [d for d in dates if d.end <= related.start], "")
                )
                and _modifies_subject(index, text, related.end)
            )
            related = sponsor or (related if opens or _names_no_org(text, lo, hi, ms, index) else None)
            if related is not None and related is not sponsor:
                # of a joint subject (A와 B, C가 맺은 협약): the first named
                related = orgs[_joint_end(t, text, orgs, orgs.index(related), -1, index)]
            if (
                related is None
                and carried is not None
                and acts
                and _PARAGRAPH.search(text, len(text[:carried_at].rstrip()), lo + lead)
            ):
                # past a paragraph break the dropped subject is the organisation the text is about (the one that
                # acted most so far), not the last one acting in another paragraph
                carried = acts.most_common(1)[0][0]
            actor = related.name if related else carried
        # 같은 복지관에: the organisation of that kind named before (a counterpart)
        same = {
            n
            for m in t.same.finditer(text, lo, hi)
            if (n := _named_before(m.group(1) or m.group(2), named, t.anaphors, actor))
        }
        # 두 단체에: the partners of the last event naming several
        counts = list(t.counted_oblique.finditer(text, lo, hi))
        if counted is None and actor is not None:  # 동구는 두 기관이 배달한 연탄을 …: a clause's subject, not the actor
            counts += [c for c in t.pair.finditer(text, lo, hi) if c.start() > lo + lead]
        for c in counts:
            count, noun = _counted(t, c[1])
            partners_of = ([x for x in g if x != actor] for g in reversed(groups))
            same.update(next((p for p in partners_of if _fits(p, count, noun)), []))
        same |= _heads(t, text, lo, hi, ms, named, ends)  # 재단에, 모금회를 통해: the organisation named before
        if any(not _made_any(t, text, lo, m.start()) for m in t.plural.finditer(text, lo, hi)):
            # 후원 기관들과: those named since the actor was (not a source only cited: X에 따르면)
            same |= _named_since(named, named_at, actor) - cited_only
        names = sorted({o.name for o in orgs} | ({actor} if actor else set()) | set(partners) | same)
        # a quotation reported on a day (김 이사장은 이날 "…"고 말했다) only reports words
        # (not …”라며 성금 1억 원을 전했다: an amount after the quotation is given; not 성금을 전달하며 “…”: an act before it)
        said = bool(
            quoted
            and t.said.match(text, quoted[-1][1], hi)
            and not any(m.label in amount_labels and m.start >= quoted[-1][1] for m in ms)
            and not _acts_before(index, text, lo, quoted[0][0])
        )
        has_content = bool(_CONTENT.search(_without(text, lo, hi, dates + outlets, "")))
        # a roundup lead (공공기관들이 연말을 맞아 … 잇따라 나섰다, 추석 앞두고 … 온정 줄이어): an occasion dates many
        # organisations' acts reported in general on a line naming none, so none acts in it
        a_lo, a_hi = _line(text, lo, hi, anchor[0].start, anchor[0].end) if anchor else (lo, lo)
        roundup = bool(
            anchor
            and (_occasion(t, text, anchor[0]) or _HEADLINE_OCCASION.match(text, anchor[0].end))
            and t.roundup.search(text, a_lo, a_hi)
            and not any(a_lo <= o.start < a_hi for o in orgs + sources)
            and _anaphor(t, text[a_lo:a_hi].strip(), named) is None
        )
        standing = any(t.as_of.match(text, d.end, d.end + SETTINGS.comparison_after) for d in dates)  # 3월 말 기준
        # through a source or as a finding (…한 것으로 나타났다), an organisation's dated act is an event; a figure
        # alone is not
        if (
            anchor
            and has_content
            # before any organisation is named, nothing carries over: a headline or lead naming none is no event
            # (식목일인 5일 시민 250여 명이 모여 나무를 심었다); nor does it to a person's (김모 씨 가구는 지난 15일 …)
            and (names or (named and not person))
            # another happening's date in a sentence naming no organisation (지난 6일 일어난 지진으로 …): background
            and (orgs or not t.background_after.match(text, anchor[0].end, anchor[0].end + _CLAUSE_AFTER))
            and (orgs or not headings or len(headings) < len(sentence.split("\n")))  # a heading: 2021년 주요 계획
            and (
                (
                    cited is None
                    and not t.finding.search(text, lo, hi)
                    and not _states_figure(t, text, lo, hi)
                    and not standing
                )
                or acting is not None
                # 회사는 …: the organisation it stands for acts (not the source cited: X에 따르면 … 신협 조합원은 …)
                or (back is not None and actor is not None and actor not in source_names)
            )
            and not _copula_fact(t, index, text, lo, hi, orgs)
            and not t.undone.search(text, lo, hi)  # 행사는 한동안 열리지 못했다: nothing was done
            and not t.changed.search(text, lo, hi)  # 기부 물품이 40% 줄었다고 밝혔다: a figure, no act
            # people or a count as the subject, no organisation named, no act of taking part or receiving
            # (수료생 가운데 7명은 올해 입학한다, 주민들의 겨울나기는 힘겹다): what befalls people, no organisation's act
            and not (
                not orgs
                and not sources
                and back is None
                and acting is None
                and not any(m.label == "MONEY" for m in ms)
                and (crowd := t.crowd.match(sentence)) is not None
                and not t.crowd_staff.search(crowd.group(0))
                and not t.crowd_act.search(sentence)
            )
            and not said
            and not roundup
        ):
            a, g, start, end = anchor
            events.append(
                Event(
                    event_id=len(events) + 1,
                    sentence_id=i + 1,
                    date_text=text[a.start : (g or a).end],
                    date_value=start or a.value,  # a range counted back from its end starts before the date
                    date_start=start,
                    date_end=end,
                    orgs=names,
                    amounts=[_amount_item(m) for m in ms if m.label in amount_labels and m.start >= told],
                    category=_category(
                        t, text, lo, hi, sources + orgs, [m for m in ms if m.label == "PRODUCT"], index, a
                    ),
                    sentence=sentence,
                    actor=actor,
                    counterparts=[n for n in names if n != actor],
                )
            )
        if acting is not None:
            # a subject marked 이/가 acts in its sentence; the topic (은/는) carried so far stays the passage's
            # of a joint subject (A·B가), the last named carries its particle
            last = orgs[_joint_end(t, text, orgs, orgs.index(acting), 1, index)] if acting in orgs else acting
            # (also past its staff: X 직원들이)
            staffed = t.staff.match(text[last.end : last.end + _STAFF_AFTER])
            marked = staffed.group(0).endswith(("이", "가")) if staffed else None
            # a dated list item's donor (▲ 12월 12일 X노동조합, …) is the item's alone: the passage's carries on
            if carried is None or not (
                marked
                if marked is not None
                else _heads_item(text, acting) or re.match(r"\s*[이가](?![가-힣])", text[last.end : last.end + 2])
            ):
                carried = acting.name
            if carried == acting.name:
                carried_at = hi
            _count_act(acts, acted, acting.name, acting.kind)
        elif (back is not None or partners) and actor is not None:
            carried, carried_at = actor, hi
            if back is not None:  # 당사는, 회사는: the organisation it stands for acted
                _count_act(acts, acted, actor, next((o.kind for o in named if o.name == actor), back[1]))
        # the participants of the last event naming several, or of a joint subject (a headline's A·B·C가)
        joint = acting is not None and any(
            _joined(t, text, a, b, index) and acting in (a, b) for a, b in pairwise(orgs)
        )
        here = bool(events) and events[-1].sentence_id == i + 1 and events[-1].sentence == sentence
        dated = (joint or here) and actor is not None
        if (
            len(names) > 1
            and actor is not None
            and (dated or (not here and acting is not None and actor == acting.name))
        ):
            first = {o.name: o.start for o in reversed(orgs)}  # the participants in text order, actor first
            ordered = [actor, *sorted((n for n in names if n != actor), key=lambda n: first.get(n, hi))]
            (groups if dated else undated).append(ordered)
        # parallel clauses, each with its own topic (A는 …이고, B는 …다): a later 두 회사는 counts them
        topics = list(dict.fromkeys(o.name for o in orgs if _subject_strength(t, text, o, index, starts) == 2))
        if len(topics) > 1 and topics not in groups[-1:]:
            groups.append(topics)
        for chain in _chains(t, text, orgs, index):  # a joint subject (A와 B는, 신한·우리은행이): its organisations
            if acting is not None and chain[0] == acting.name and chain not in groups[-1:]:
                groups.append(chain)
        # a cited source (X에 따르면) is named too: a later 도는 stands for 경남도
        named += sorted(sources + orgs, key=lambda o: o.start)
        named_at += [k] * (len(sources) + len(orgs))
        all_cited |= source_names
        took_part |= {o.name for o in orgs}
        cited_only = all_cited - took_part
        people |= _persons_named(t, index, text, lo, hi)
        ends.update(o.name[-n:] for o in sources + orgs for n in range(1, len(o.name)))
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
