"""Canonical names as of the document's date (issue 10, item 5), the parts round 7 added: a chain walked
back more than one rename, short forms of two bodies merged into one, a unit named without its renamed
parent, a listed name another rule found, and the shape of org_history.tsv (no cycles, one row per
former name, every chain ending at a listed organisation)."""

from __future__ import annotations

import pytest

from pipeline.lexicon import read_table
from pipeline.nlp import annotate
from pipeline.orgs import OrgTables, _abbreviates, normalise


def names(text, published):
    doc = annotate(text, published)
    return [(s.text, s._.name, s._.org_id) for s in doc.spans["ORG"]]


@pytest.mark.parametrize(
    "published,name",
    [
        ("2012-09-01", "지식경제부"),  # two renames back: 지식경제부 → 산업통상자원부 → 산업통상부
        ("2020-09-01", "산업통상자원부"),
        ("2025-09-30", "산업통상자원부"),  # the day before the reorganisation
        ("2025-10-01", "산업통상부"),  # the day it took effect
        (None, "산업통상부"),  # no date: the current name
    ],
)
def test_a_short_form_walks_back_the_whole_chain(published, name):
    assert names("산업부는 수출 지원 대책을 내놨다.", published) == [("산업부", name, "산업통상부")]


@pytest.mark.parametrize(
    "short,published,name",
    [
        ("광해관리공단", "2020-06-10", "한국광해관리공단"),
        ("광물자원공사", "2020-06-10", "한국광물자원공사"),
        ("광해관리공단", "2021-09-10", "한국광해광업공단"),  # the merger's day
        ("광해광업공단", "2023-01-01", "한국광해광업공단"),
    ],
)
def test_a_short_form_of_a_merged_body_takes_the_name_it_abbreviates(short, published, name):
    assert names(f"{short}은 장학금을 전달했다.", published) == [(short, name, "한국광해광업공단")]


def test_abbreviation_is_letters_in_order():
    assert _abbreviates("중진공", "중소기업진흥공단")
    assert _abbreviates("광해관리공단", "한국광해관리공단")
    assert not _abbreviates("광해관리공단", "한국광물자원공사")
    assert not _abbreviates("공진중", "중소기업진흥공단")  # out of order


def test_a_unit_named_alone_takes_its_renamed_parents_name_of_the_day():
    text = "국립공원관리공단 월악산국립공원사무소는 아동을 초청했다. 월악산국립공원사무소 직원들이 안내했다."
    unit = "국립공원관리공단 월악산국립공원사무소"
    assert [n for _, n, _ in names(text, "2018-05-01")] == [unit, unit]
    assert [n for _, n, _ in names(text, "2019-05-01")] == ["국립공원공단 월악산국립공원사무소"] * 2


def test_a_former_name_in_brackets_is_the_current_organisation():
    got = names("iM뱅크(옛 DGB대구은행)는 쪽방촌에 방한용품을 전달했다.", "2025-01-10")
    assert got == [("iM뱅크", "iM뱅크", "iM뱅크"), ("DGB대구은행", "iM뱅크", "iM뱅크")]


def test_a_listed_name_found_by_another_rule_takes_its_listed_name():
    # hy before a bracket is found acting, not by the list (a two-letter Latin name needs a context)
    got = names("hy(옛 한국야쿠르트)는 지난달 성금을 기탁했다.", "2024-03-01")
    assert got[0] == ("hy", "hy", "hy")


def test_a_national_office_is_its_own_organisation():
    got = names("한국월드비전과 월드비전 본부가 함께 구호에 나섰다.", "2025-04-10")
    assert [(t, n) for t, n, _ in got][:1] == [("한국월드비전", "한국월드비전")]
    assert "월드비전" in [n for _, n, _ in got]


def test_history_has_one_row_per_former_name_and_no_cycle():
    t = OrgTables.load()
    rows = read_table("org_history.tsv")
    formers = [normalise(r["former"]) for r in rows]
    assert len(formers) == len(set(formers)), "a former name with two successors"
    for row in rows:
        assert normalise(row["former"]) != normalise(row["current"]), row
        seen, name = set(), row["former"]
        while normalise(name) in t.history:  # every chain ends, at a listed organisation
            assert name not in seen, f"cycle through {name}"
            seen.add(name)
            name = t.history[normalise(name)][2]
        assert t.gazetteer.get(normalise(name)) is not None, f"{row['former']} ends at {name}, no organisation"


def test_a_chain_goes_forward_in_time():
    t = OrgTables.load()
    for former, since, current in t.history.values():
        nxt = t.history.get(normalise(current))
        if nxt is not None:
            assert nxt[1] > since, f"{former} → {current} ({since}) → {nxt[2]} ({nxt[1]})"


@pytest.mark.parametrize(
    "published,name",
    [
        ("2021-05-03", "게임빌"),  # before the rename of 2021-11-30
        ("2021-11-29", "게임빌"),
        ("2021-11-30", "컴투스홀딩스"),  # the day of the extraordinary shareholders' meeting
        (None, "컴투스홀딩스"),
    ],
)
def test_a_company_renamed_at_a_known_date_keeps_its_old_name_before_it(published, name):
    got = names("게임빌은 어린이날을 맞아 코딩 교구를 기부했다.", published)
    assert got == [("게임빌", name, "컴투스홀딩스")]


@pytest.mark.parametrize(
    "text,expected",
    [
        # round 8: a branch after a common word for its body takes the one national body's name
        ("도로공사 충남본부는 휴게소 판로를 열기로 했다.", [("도로공사 충남본부", "한국도로공사 충남본부")]),
        ("건보공단 원주지사는 성금을 냈다.", [("건보공단 원주지사", "국민건강보험공단 원주지사")]),
        # a short form written after its full name takes it; a known abbreviation of the head counts
        (
            "다솜신용협동조합은 쌀을 기탁했다. 다솜신협은 매년 쌀을 나눴다.",
            [("다솜신용협동조합", "다솜신용협동조합"), ("다솜신협", "다솜신용협동조합")],
        ),
        # a Korean subsidiary's head office keeps its own name
        (
            "한국다온정밀은 성금을 냈다. 일본 본사인 다온정밀도 100만 엔을 보탰다.",
            [("한국다온정밀", "한국다온정밀"), ("다온정밀", "다온정밀")],
        ),
    ],
)
def test_round_8_names_from_the_document(text, expected):
    assert [(surface, name) for surface, name, _ in names(text, "2024-05-01")] == expected
