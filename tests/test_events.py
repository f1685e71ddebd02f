"""Events: who acts and who the counterparts are, and which date anchors (tests/corpus/event_roles.tsv),
and the pieces of :mod:`pipeline.events` those rest on."""

from __future__ import annotations

import pytest

from pipeline.events import EventTables, categorize
from pipeline.nlp import annotate
from tests.test_corpus import rows


def role_params():
    for r in rows("event_roles.tsv"):
        marks = [pytest.mark.xfail(strict=True, reason="pending")] if r["status"] == "pending" else []
        yield pytest.param(
            r["text"].replace("\\n", "\n"),
            r["date"],
            r["actor"],
            r["counterparts"],
            r["published"] or None,
            marks=marks,
            id=f"event_roles:{r['_line']}",
        )


def last_event(text: str, published: str | None = None) -> tuple[str, str, str] | None:
    """(date_value, actor, counterparts) of the event of the text's last sentence, or None."""
    doc = annotate(text, published)
    last = max((e.sentence_id for e in doc._.events), default=0)
    n_sents = sum(1 for _ in doc.sents)
    # the event of the last statement (a list item cuts a sentence: ▲ 2023.6.1 — …)
    event = next((e for e in doc._.events if e.sentence_id == n_sents and text.rstrip().endswith(e.sentence)), None)
    assert last <= n_sents
    if event is None:
        return None
    return event.date_value, event.actor or "", " ; ".join(event.counterparts)


@pytest.mark.parametrize("text,date,actor,counterparts,published", list(role_params()))
def test_event_roles(text, date, actor, counterparts, published):
    got = last_event(text, published)
    assert got == ((date, actor, counterparts) if date else None)


@pytest.mark.parametrize(
    "text,start,end",
    [
        ("CJ제일제당은 2025년 설 연휴 기간 푸드뱅크에 즉석밥 1만 개를 보낸다.", "2025-01-28", "2025-01-30"),
        ("한빛복지재단은 2024년 추석 연휴 동안 무료 급식소를 운영했다.", "2024-09-16", "2024-09-18"),
        # a holiday period opening a range: the range's end ends the event
        ("한빛복지재단은 2024년 추석 연휴부터 10월 31일까지 급식소를 운영했다.", "2024-09-16", "2024-10-31"),
        # ... or closing it: the period's last day
        ("한빛복지재단은 2025년 1월 20일부터 2025년 설 연휴까지 급식소를 운영한다.", "2025-01-20", "2025-01-30"),
        # the holiday itself is one day, no period
        ("한빛복지재단은 2024년 추석에 송편을 나눴다.", None, None),
    ],
)
def test_a_holiday_period_is_the_events_range(text, start, end):
    """``설 연휴``/``추석 연휴``: date_value is the first day of the official period, date_start and
    date_end its first and last days (docs/annotation.md, DATE › holidays)."""
    (event,) = annotate(text)._.events
    assert (event.date_start, event.date_end) == (start, end)
    assert event.date_value == (start or event.date_value)


def test_roles_partition_orgs():
    """``orgs`` is the actor plus the counterparts, the actor never among the counterparts."""
    text = (
        "삼성전자와 LG전자는 2022년 11월 한국전자정보통신산업진흥회와 함께 자원순환 협약을 체결했다. "
        "2023년 1월에는 사회복지공동모금회에 성금 10억 원을 기탁했다."
    )
    events = annotate(text)._.events
    assert len(events) == 2
    for e in events:
        assert e.actor == "삼성전자"
        assert e.actor not in e.counterparts
        assert sorted([e.actor, *e.counterparts]) == e.orgs
    assert events[1].counterparts == ["사회복지공동모금회"]


def test_category_cues_match_at_morpheme_starts():
    """``하반기부터`` holds the characters of ``기부`` but not the morpheme: no donation."""
    tables = EventTables.load()
    text = "봉사활동은 하반기부터 한다"
    assert categorize(tables, text) == "donation"  # as a substring the cue matches (the last cue)
    assert categorize(tables, text, starts={0, 2, 4, 6, 9, 12}) == "support"  # 봉사|활동|은|하반기|부터|한다
    doc = annotate("신한금융그룹은 하반기부터 결식아동 봉사활동을 벌인다.")
    assert [e.category for e in doc._.events] == ["support"]


def test_quotation_and_classifying_dates_do_not_anchor():
    assert annotate('농협은행 관계자는 "2023년 상반기까지 일자리 1천 개를 만들겠다"고 말했다.')._.events == []
    events = annotate("한국가스공사는 2023년도 신입사원을 대상으로 2023년 3월 교육을 진행했다.")._.events
    assert [e.date_value for e in events] == ["2023-03"]


def test_money_credits_actor_and_counterparts():
    """Money by organisation: an event's sum is given by its actor and received by its counterparts
    (not one sum for every organisation); a sentence without an event credits the organisations named."""
    import pandas as pd

    from pipeline.report import money_by
    from pipeline.report.money import GIVEN, NAMED, RECEIVED

    def frame(rows, columns):
        return pd.DataFrame(rows, columns=columns)

    amounts = frame(
        [
            ["d", "1", "MONEY", "50000000000", "KRW", "500억 원"],
            ["d", "2", "MONEY", "100000000", "KRW", "1억 원"],
            ["d", "3", "MONEY", "200000000", "KRW", "2억 원"],
        ],
        ["doc_id", "sentence_id", "kind", "value", "unit", "text"],
    )
    events = frame(
        [
            ["d", "1", "사회복지공동모금회;삼성", "삼성", "사회복지공동모금회", "donation", "s1"],
            ["d", "2", "사회복지공동모금회", "", "사회복지공동모금회", "donation", "s2"],
        ],
        ["doc_id", "sentence_id", "orgs", "actor", "counterparts", "category", "sentence"],
    )
    orgs = frame([["d", "3", "카카오"], ["d", "3", "네이버"]], ["doc_id", "sentence_id", "name"])
    per_sentence, by_category = money_by({"events": events, "organizations": orgs, "amounts": amounts})
    credited = {(r.org, r.role, r.sentence_id): int(r.krw) for r in per_sentence.itertuples()}
    assert credited == {
        ("삼성", GIVEN, "1"): 50000000000,
        ("사회복지공동모금회", RECEIVED, "1"): 50000000000,
        ("(no organisation)", GIVEN, "2"): 100000000,
        ("사회복지공동모금회", RECEIVED, "2"): 100000000,
        ("네이버", NAMED, "3"): 200000000,
        ("카카오", NAMED, "3"): 200000000,
    }
    assert dict(zip(by_category.category, by_category.krw, strict=True)) == {
        "donation": 50100000000,
        "no event": 200000000,
    }
    # an events.csv written before the roles credits every organisation of the event, as before
    old = events.drop(columns=["actor", "counterparts"])
    per_sentence, _ = money_by({"events": old, "organizations": orgs, "amounts": amounts})
    assert set(per_sentence[per_sentence.sentence_id == "1"].org) == {"삼성", "사회복지공동모금회"}
    assert set(per_sentence.role) == {NAMED}


@pytest.mark.parametrize(
    "text,dates",
    [
        # a stated fact (a copula after a noun that is no plan) is no event wherever it stands in a paragraph
        (
            "(주)한결중공업은 지난 3일 성금 1억 원을 기탁했다. 첫해인 올해 지원 대상은 홀몸 어르신 150가구다. "
            "회사는 오는 10일 쌀 100포를 전달한다.",
            ["2025-03-03", "2025-03-10"],
        ),
        # ... but an act before the copula, or an organisation marked as a subject, makes it the act's event
        (
            "(주)한결중공업은 지난해에도 쌀 300포를 보냈으며, 이번이 두 번째 지원이다. 회사는 오는 10일 쌀 100포를 전달한다.",
            ["2024", "2025-03-10"],
        ),
        (
            "이번 숲은 (주)한결중공업이 지난해 10월 화성시와 맺은 협약의 첫 결실이다. 회사는 오는 10일 나무 100그루를 심는다.",
            ["2024-10", "2025-03-10"],
        ),
    ],
)
def test_a_stated_fact_is_no_event_anywhere(text, dates):
    """A copula stating a fact is no event, in the middle of a paragraph as at its end (a sentence followed by a
    space was read from the next sentence's first token)."""
    assert [e.date_value for e in annotate(text, "2025-03-05")._.events] == dates


def test_a_count_and_a_noun_name_a_group():
    """``두 은행은``: as many organisations as counted, all named with the noun when any is (round 5)."""
    from pipeline.events import _counted, _default_tables, _fits

    t = _default_tables()
    assert _counted(t, "두 은행") == (2, "은행")
    assert _counted(t, "양사") == (2, "사")
    assert _counted(t, "3개 기관") == (3, "기관")
    assert _fits(["신한은행", "우리은행"], 2, "은행")
    assert not _fits(["KEB하나은행", "늘품지역아동센터"], 2, "은행")  # a bank and the centre it visited
    assert not _fits(["신한은행", "우리은행", "KB국민은행"], 2, "은행")  # not as many as counted
    assert _fits(["국가철도공단 충청본부", "한국감정원 대전충남지사"], 2, "기관")  # 기관: any two
    assert not _fits(["신한은행"], None, "은행")  # a plural needs two or more


def test_a_headline_kiwi_cuts_is_one_statement():
    """Kiwi ends a sentence at ``맞아`` in a headline; the line is one statement, so its amount belongs to its event."""
    text = "[보도자료] (주)한결식품, 어버이날 맞아 경로당 50곳에 떡 500상자 전달\n\n(주)한결식품은 3일 떡을 보냈다고 밝혔다."
    doc = annotate(text, "2024-05-03")
    first = doc._.events[0]
    assert first.date_value == "2024-05-08" and first.actor == "한결식품"
    assert "50 곳" in first.amounts and "500 상자" in first.amounts


def test_a_broadcast_cue_opens_a_statement():
    """``◀INT▶`` opening a line (a broadcast script's cue) starts a statement of its own, as a list mark does: the
    interview after it adds no amount to the event before it (docs/annotation.md, EVENT › Statements; round 6)."""
    text = (
        "(사)가람연탄나눔은 다음 달 말까지 연탄 2만 장을 더 모아 120가구에 나눌 계획입니다.\n"
        "◀INT▶ 김가람 / 가람연탄나눔 사무국장\n"
        '"한 장에 850원 하던 연탄값이 올라서 후원이 더 절실합니다."'
    )
    (event,) = annotate(text, "2021-12-23")._.events
    assert event.amounts == ["20000 장", "120 가구"]


def test_a_quotation_of_several_sentences_dates_none_of_them():
    """A broadcast interview's quotation of two sentences on one line: the first (opening the quotation,
    with a date of its own) is quoted as the last is; the act before the interview stays an event."""
    text = (
        "(사)솔내봉사회 회원 20명은 오늘(3일) 경로당을 찾아 떡국을 대접했습니다.\n\n"
        '[인터뷰] 김영자 / 솔내봉사회장\n"올해는 스무 명이 모였어요. 어르신들이 좋아하셔서 기쁩니다."'
    )
    events = annotate(text, "2025-01-03")._.events
    assert [e.date_value for e in events] == ["2025-01-03"]


def test_a_headline_holds_none_of_its_subtitles_names():
    """A headline and its subtitle (short lines closing on no final sign, in the text's first block) are statements
    of their own: the headline's event names only the headline's organisations."""
    doc = annotate(
        "(주)가람해운, 설 앞두고 선원 가족 200가구에 명절 꾸러미\n(사)솔내나눔회와 자녀 학습비 협약도\n\n본문.",
        "2024-02-01",
    )
    assert [(e.sentence, e.orgs) for e in doc._.events] == [
        ("(주)가람해운, 설 앞두고 선원 가족 200가구에 명절 꾸러미", ["가람해운"])
    ]


@pytest.mark.parametrize(
    "span,dates",
    [
        ("2023년 5월 31일까지 800000일 동안", ("2023-05-31", "", "")),
        ("2023년 5월 31일까지 739000일 동안", ("2023-05-31", "", "")),
        ("2023년 5월 1일부터 2919000일 동안", ("2023-05-01", "2023-05-01", "")),
        ("2023년 5월 1일부터 99999999999999999999년간", ("2023-05-01", "2023-05-01", "")),
        ("2023년 5월 1일부터 9999999개월 동안", ("2023-05-01", "2023-05-01", "")),
        ("2023년 5월 1일부터 3년간", ("2023-05-01", "2023-05-01", "2026-04-30")),
    ],
)
def test_a_duration_past_the_calendar_gives_no_range_and_the_document_survives(span, dates):
    """A start or end with a duration that leaves the calendar (years 1-9999) gives the event no range
    end or start, never an exception: the document keeps its event and its amount (a duration within
    the calendar still fills the range)."""
    from pipeline.api import extract

    result = extract(f"한빛재단은 {span} 5억 원을 기부했다.", published="2023-06-01")
    [event] = result.tables["events"]
    assert event["amounts"] == "500000000 KRW"
    assert (event["date_value"], event["date_start"], event["date_end"]) == dates
