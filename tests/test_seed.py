"""The seed article's acceptance list (issue: the extraction pipeline, end to end), and the library
API a notebook user calls."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline import extract, extract_folder

ROOT = Path(__file__).resolve().parent.parent
SEED = (ROOT / "raw" / "kakao_covid19_csr.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed():
    return extract(SEED, published="2021-06", doc_id="kakao_covid19_csr")


def test_seed_dates(seed):
    values = {d["value"] for d in seed.dates}
    for v in ("2020-01-08", "2020-03", "2020-07", "2020-09", "2020-06", "2020-09-22", "P1M", "2021-03", "2021-04-01"):
        assert v in values
    assert not [d for d in seed.dates if "코로나" in SEED[d["start"] - 3 : d["end"]]]
    assert {d["text"] for d in seed.dates if d["value"] == "2020-06"} == {"6월"}


def test_seed_amounts(seed):
    got = {(a["kind"], a["value"], a["unit"], a["qualifier"]) for a in seed.amounts}
    assert got == {
        ("MONEY", "5390000000", "KRW", "approx"),
        ("MONEY", "500000000", "KRW", "approx"),
        ("QUANTITY", "120", "개", "approx"),
        ("QUANTITY", "1000000", "명", "at_least"),
        ("QUANTITY", "120000", "개", "exact"),
        ("QUANTITY", "100", "%", "exact"),
        ("QUANTITY", "10", "명", "exact"),
    }


def test_seed_organisations(seed):
    names = {o["name"] for o in seed.organizations}
    assert names == {
        "카카오",
        "보건복지부",
        "카카오모빌리티",
        "경제협력개발기구",
        "국제교통포럼",
        "사회복지공동모금회",
        "전국재해구호협회",
        "서울대학교 행복연구센터",
        "카카오커머스",
        "카카오페이",
        "카카오게임즈",
        "행정안전부",
    }
    by_text = {o["text"]: o["name"] for o in seed.organizations}
    assert by_text["oecd"] == "경제협력개발기구" and by_text["itf"] == "국제교통포럼"
    surfaces = {o["text"].lower() for o in seed.organizations}
    assert not surfaces & {"카카오톡", "카카오맵", "카카오t블루", "카카오같이가치", "기브티콘"}


def test_seed_events(seed):
    ranges = {(e["date_start"], e["date_end"], e["orgs"], e["category"]) for e in seed.events}
    assert ("2020-03", "2020-06", "카카오페이", "fee_relief") in ranges
    assert ("2020-09-22", "2020-10-21", "카카오게임즈", "fee_relief") in ranges
    trailing = [e for e in seed.events if e["date_text"] == "2020.7"]
    assert trailing and "qr체크인 기능을 구현하기도 했습니다" in trailing[0]["sentence"]


def test_every_span_reproduces_its_text(seed):
    for row in seed.dates + seed.organizations + seed.amounts:
        assert SEED[row["start"] : row["end"]] == row["text"]


def test_extract_without_document_date_leaves_relative_dates_unresolved():
    r = extract("카카오는 올해 3월 행정안전부와 업무협약을 맺었다. 2020년 1월 8일 첫 환자가 나왔다.")
    assert [d["value"] for d in r.dates] == ["XXXX-03", "2020-01-08"]


def test_extract_folder_gives_dataframes(tmp_path):
    (tmp_path / "a.txt").write_text("카카오는 2020년 3월 5억 원을 기부했다.", encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"")
    frames = extract_folder(tmp_path)
    assert set(frames) == {"documents", "dates", "organizations", "amounts", "events"}
    assert list(frames["documents"]["status"]) == ["ok", "error"]
    assert frames["amounts"].iloc[0]["value"] == "500000000"
    assert frames["events"].iloc[0]["category"] == "donation"
