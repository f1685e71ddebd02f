"""Organisations beyond the list (issue 10): names as of the document's date and their org_id, the
name-history table, the rules that find organisations with the gazetteer switched off, and the
org_id column of organizations.csv. The sentence-level examples are in tests/corpus/org_families.tsv."""

from __future__ import annotations

import re

import pytest

from pipeline import schema
from pipeline.lexicon import read_table
from pipeline.nlp import annotate, build_nlp
from pipeline.orgs import OrgTables, normalise


def orgs(doc):
    return [(s.text, s._.name, s._.org_id, s._.rule) for s in doc.spans["ORG"]]


@pytest.fixture(scope="module")
def no_list():
    return build_nlp({"csr_orgs": {"use_gazetteer": False}})


@pytest.mark.parametrize(
    "published,name",
    [
        (None, "신한라이프"),  # no date: the current name
        ("2018-05-01", "신한생명"),
        ("2021-06-30", "신한생명"),  # the day before the merger
        ("2021-07-01", "신한라이프"),  # the day it took effect
        ("2024", "신한라이프"),
    ],
)
def test_a_former_name_is_kept_before_its_rename(published, name):
    doc = annotate("신한생명은 헌혈 캠페인을 열었다.", published)
    assert [(s._.name, s._.org_id) for s in doc.spans["ORG"]] == [(name, "신한라이프")]


def test_a_chain_of_renames_stops_at_the_name_of_the_day():
    # ING생명 → 오렌지라이프 (2018-09-03) → 신한라이프 (2021-07-01)
    for published, name in (("2017-01-01", "ING생명"), ("2019-01-01", "오렌지라이프"), ("2022-01-01", "신한라이프")):
        doc = annotate("ING생명은 봉사했다.", published)
        assert [(s._.name, s._.org_id) for s in doc.spans["ORG"]] == [(name, "신한라이프")]


def test_a_short_form_of_a_renamed_organisation_takes_the_name_then_in_use():
    doc = annotate("전경련은 백서를 냈다. 한경협은 보고서를 냈다.", "2019-03-01")
    assert [(s.text, s._.name, s._.org_id) for s in doc.spans["ORG"]] == [
        ("전경련", "전국경제인연합회", "한국경제인협회"),
        ("한경협", "전국경제인연합회", "한국경제인협회"),
    ]


def test_an_organisation_never_renamed_is_its_own_id():
    doc = annotate("카카오는 기부했다. 구글코리아와 구글이 참여했다.", "2020-01-01")
    assert [(s._.name, s._.org_id) for s in doc.spans["ORG"]] == [
        ("카카오", "카카오"),
        ("구글코리아", "구글코리아"),
        ("구글", "구글"),
    ]


def test_history_rows_lead_to_listed_organisations():
    t = OrgTables.load()
    names = {entry[0] for entry in t.gazetteer.values() if entry}
    formers = {row["former"] for row in read_table("org_history.tsv")}
    for row in read_table("org_history.tsv"):
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", row["since"]), row
        assert row["current"] in names | formers, f"{row['current']} is no organisation of the gazetteer"
        # the former name resolves (to the organisation it became) when written
        assert t.gazetteer.get(normalise(row["former"])) is not None, f"{row['former']} is no alias"


def test_org_id_is_the_last_column_of_organizations():
    # appended after the columns readers already had; only `page` (issue 14, every span table) follows it
    assert schema.COLUMNS["organizations"][-2:] == ["org_id", schema.PAGE_COLUMN]


def test_open_world_rules_work_without_the_list(no_list):
    text = (
        '무학은 지역 아동들에게 장학금 1억 원을 기부했다. 무학 관계자는 "계속하겠다"고 말했다. '
        "(사)한빛나눔과 해오름요양원도 참여했다. 무학의 기부는 3년째다."
    )
    doc = annotate(text, None, nlp=no_list)
    assert [(s.text, s._.name, s._.kind, s._.rule) for s in doc.spans["ORG"]] == [
        ("무학", "무학", "other", "org.acting"),
        ("무학", "무학", "other", "org.acting"),
        ("(사)한빛나눔", "한빛나눔", "nonprofit", "org.company_form_prefix"),
        ("해오름요양원", "해오름요양원", "nonprofit", "org.suffix"),
        ("무학", "무학", "other", "org.repeated"),
    ]  # found acting once: an ORG all through the document


# The families of org_families.tsv that find organisations by form and role: with the list switched
# off, every row must still give exactly its surfaces (names differ: no list resolves 서울시 to
# 서울특별시). `pending-without-list` rows fail only without the list (strict); `pending` rows fail with
# it (test_corpus holds them strictly) and may or may not without it.
OPEN_FAMILIES = (
    "club",
    "acting",
    "city",
    "government",
    "foundation",
    "list",
    "open_world",
    "institution",
    "head_title",
    "form_mark",
    "via",
    "short_form",
    "company_type",
    "local_office",
    "legal_form",
    "described",
    "person",
    "original_name",
)


def open_world_rows():
    from tests.test_corpus import rows

    for r in rows("org_families.tsv"):
        if r["family"] not in OPEN_FAMILIES:
            continue
        pending = r["status"] in ("pending", "pending-without-list")
        strict = r["status"] == "pending-without-list"
        marks = [pytest.mark.xfail(strict=strict, reason=r["status"])] if pending else []
        yield pytest.param(r["text"], r["published"], r["expected"], marks=marks, id=f"line{r['_line']}:{r['family']}")


@pytest.mark.parametrize("text,published,expected", list(open_world_rows()))
def test_open_world_families_without_the_list(no_list, text, published, expected):
    from benchmarks.breadth import expected_items

    doc = annotate(text, published or None, no_list)
    assert [s.text for s in doc.spans["ORG"]] == [surface for surface, _ in expected_items(expected)]


def test_people_and_places_do_not_act_as_organisations(no_list):
    for text in (
        "김철수는 1억 원을 기부했다.",
        "가수 아이유는 1억 원을 기부했다.",
        "경남 김철수 대표는 성금을 전달했다.",
        "일본은 피해 복구를 지원했다.",
    ):
        assert orgs(annotate(text, None, nlp=no_list)) == [], text


def test_elliptical_coordination_without_the_list_shares_the_last_name(no_list):
    doc = annotate("신한·우리·하나금융그룹이 출연했다.", None, nlp=no_list)
    assert [(s.text, s._.name) for s in doc.spans["ORG"]] == [
        ("신한", "신한금융그룹"),
        ("우리", "우리금융그룹"),
        ("하나금융그룹", "하나금융그룹"),
    ]


def test_outlets_in_bylines_are_companies(no_list):
    doc = annotate("[한빛타임즈 김하나 기자] 장학금 기탁이 이어졌다.\nⓒ 한빛타임즈 무단전재 금지", None, nlp=no_list)
    assert [(s.text, s._.kind, s._.rule) for s in doc.spans["ORG"]] == [
        ("한빛타임즈", "company", "org.byline"),
        ("한빛타임즈", "company", "org.byline"),
    ]


def test_a_branch_named_again_later_belongs_to_its_organisation():
    doc = annotate("대한적십자사 경남지사에 성금을 전달했다. 이어 울산광역지사에도 전달했다.")
    assert [(s.text, s._.name, s._.kind) for s in doc.spans["ORG"]] == [
        ("대한적십자사 경남지사", "대한적십자사 경남지사", "nonprofit"),
        ("울산광역지사", "대한적십자사 울산광역지사", "nonprofit"),
    ]


def test_a_legal_form_keeps_its_bracket_when_kiwi_ends_a_sentence_after_it():
    # a dated list item's date joins the sentence before it, but the "(" of (주) opens the next name
    text = "▲ 2023.3.15 — 새솔복지관과 '함께 배움터' 협약을 맺었다.\n▲ '23.6.1 — (주)다온통신이 태블릿 80대를 기증했다."
    doc = annotate(text)
    assert [(s.text, s._.name) for s in doc.spans["ORG"]] == [
        ("새솔복지관", "새솔복지관"),
        ("(주)다온통신", "다온통신"),
    ]


def test_a_legal_form_kiwi_makes_a_sentence_of_its_own_opens_the_name():
    # after a title line, Kiwi may read "(재)" as a sentence by itself
    text = "[알림] 올해 장학생 선발을 마쳤습니다\n\n(재)다솜장학재단(이사장 이한별)은 장학생 40명을 뽑았습니다."
    doc = annotate(text)
    assert [(s.text, s._.name) for s in doc.spans["ORG"]] == [("(재)다솜장학재단", "다솜장학재단")]


def test_a_short_latin_name_needs_a_context():
    assert orgs(annotate("KB 디지털 금융교육 수강생을 모집한다.")) == []
    doc = annotate("KB는 기부했다. LGU+와 협약했다.")
    assert [s._.name for s in doc.spans["ORG"]] == ["KB금융지주", "LG유플러스"]


def test_an_outlet_any_rule_found_is_marked_as_a_byline():
    """A byline's outlet is ``org.byline`` even when the list or the suffix rule found the name first
    (연합뉴스 is listed, 여성일보 ends in 일보), so events can leave every outlet out."""
    doc = annotate("(서울=연합뉴스) [여성일보/김하나 기자] 한빛복지재단은 장학금을 전달했다. 연합뉴스는 보도했다.")
    assert [(s.text, s._.rule) for s in doc.spans["ORG"]] == [
        ("연합뉴스", "org.byline"),
        ("여성일보", "org.byline"),
        ("한빛복지재단", "org.suffix"),
        ("연합뉴스", "org.gazetteer"),  # named in the text, it is no byline
    ]


LONG_WHITESPACE = """
import sys
from pipeline.nlp import annotate
gap = (" " * 7 + "\\n" + "\\t") * 25_000  # 225,000 whitespace characters
doc = annotate("한빛테크㈜는 2023년 5월 1억 원을 기부했다." + gap + "(주)한빛테크는 쌀을 기부했다.\\n" + gap)
print("|".join(s.text for s in doc.spans["ORG"]))
"""


def test_long_runs_of_whitespace_take_linear_time():
    """Runs of whitespace are read once by the legal-form and byline patterns: 225,000 whitespace
    characters take a few seconds (a pattern that restarts at every character of the run took
    about 5 minutes). Run in a subprocess under a generous bound, so no timing is asserted here."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]  # this tree's pipeline, whatever is installed
    out = subprocess.run(
        [sys.executable, "-c", LONG_WHITESPACE], capture_output=True, text=True, timeout=120, cwd=root, check=True
    )
    assert out.stdout.split() == ["한빛테크㈜|(주)한빛테크"]


def test_a_latin_name_with_a_sign_acts_without_the_list(no_list):
    # Kiwi reads the + of LGU+ as a sign apart (and 는 after it as a verb): still one acting name
    doc = annotate("LGU+는 지난 25일 3억 원을 들여 음성 안내 서비스를 만들었다. C++ 교육도 열었다.", None, nlp=no_list)
    assert [s.text for s in doc.spans["ORG"]] == ["LGU+"]
    # and 가 after the sign, which Kiwi reads as a noun, is still the particle
    doc = annotate("이번 사업은 KTU+가 지역 학교와 함께 추진하는 나눔의 하나다.", None, nlp=no_list)
    assert [s.text for s in doc.spans["ORG"]] == ["KTU+"]
