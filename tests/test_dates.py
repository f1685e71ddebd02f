"""Date rules as values (pipeline/dates.py), the DATE value type (pipeline/timex.py) and the
csr_dates component's own tables.

The corpus rows themselves run in tests/test_corpus.py; here: every rule is exemplified both ways,
names are unique, every span says which rule made it, values round-trip, and a component's tables
belong to it (a second pipeline with other tables lives beside the default one).
"""

from __future__ import annotations

import json
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
import spacy

from pipeline import dates
from pipeline.dates import RULES, DateRecognizer, Rule, explain, find_dates, load_grammar, resolve_dates
from pipeline.lexicon import DATA_DIR
from pipeline.nlp import annotate
from pipeline.timex import Timex, is_value, try_parse
from tests.test_corpus import rows, rule_items

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "raw" / "kakao_covid19_csr.txt"
RULE_NAMES = [r.name for r in RULES]


# ---------------------------------------------------------------------------------------------
# Rules


def test_rule_names_are_unique_and_stable_identifiers():
    assert len(RULE_NAMES) == len(set(RULE_NAMES))
    for name in RULE_NAMES:
        assert re.fullmatch(r"date\.[a-z][a-z_]*", name), name


def test_duplicate_rule_names_are_refused():
    with pytest.raises(ValueError, match="unique"):
        load_grammar(rules=(*RULES, RULES[0]))


def _corpus_rules() -> tuple[dict[str, list[int]], dict[str, list[int]]]:
    positive: dict[str, list[int]] = {}
    negative: dict[str, list[int]] = {}
    for r in rows("dates.tsv"):
        pos, neg = rule_items(r["rule"])
        for name in pos:
            positive.setdefault(name, []).append(r["_line"])
        for name in neg:
            negative.setdefault(name, []).append(r["_line"])
    return positive, negative


def test_corpus_names_only_existing_rules():
    positive, negative = _corpus_rules()
    assert set(positive) | set(negative) <= set(RULE_NAMES)


@pytest.mark.parametrize("name", RULE_NAMES)
def test_every_rule_has_a_positive_and_a_negative_example(name):
    positive, negative = _corpus_rules()
    assert positive.get(name), f"{name}: no row in tests/corpus/dates.tsv where it fires"
    assert negative.get(name), f"{name}: no row in tests/corpus/dates.tsv marked !{name}"


def test_rows_with_spans_name_their_rules():
    """Where the rule column is filled it lists one rule per expected span."""
    for r in rows("dates.tsv"):
        pos, _ = rule_items(r["rule"])
        if r["rule"] and r["expected"]:
            assert len(pos) == len(r["expected"].split(" ; ")), r["_line"]


def test_every_date_span_of_the_seed_carries_its_rule():
    doc = annotate(SEED.read_text(encoding="utf-8"), "2021-06")
    spans = list(doc.spans["DATE"])
    assert len(spans) > 10
    assert all(s._.rule in RULE_NAMES for s in spans)
    assert {"date.ymd", "date.duration"} <= {s._.rule for s in spans}


def test_explain_lists_text_value_mod_and_rule():
    got = explain("카카오는 지난해 말 기부했다고 8일 밝혔다.", "2022-03-09")
    assert got == [
        {"text": "지난해 말", "start": 5, "end": 10, "value": "2021", "mod": "END", "rule": "date.rel_year_part"},
        {"text": "8일", "start": 17, "end": 19, "value": "2022-03-08", "mod": None, "rule": "date.reporting_day"},
    ]


def test_a_new_expression_is_one_rule_value():
    """Adding a date expression = adding a Rule: a toy rule for 빼빼로데이 (no holiday of holidays.tsv),
    resolved in the document's year, works without touching anything else."""

    def pepero_day(p, pub, context):
        return Timex("day", pub.year, 11, 11)

    toy = Rule("date.toy_pepero", r"빼빼로데이", pepero_day)
    grammar = load_grammar(rules=(*RULES, toy))
    found = resolve_dates(find_dates("빼빼로데이를 맞아 2022년 11월 봉사를 했다.", grammar), "2022-11-03")
    assert [(d.rule, d.value.format()) for d in found] == [("date.toy_pepero", "2022-11-11"), ("date.ym", "2022-11")]
    assert not find_dates("빼빼로데이를 맞아", load_grammar())


# ---------------------------------------------------------------------------------------------
# The value type


def _corpus_values() -> set[str]:
    out = set()
    for r in rows("dates.tsv"):
        for item in filter(None, r["expected"].split(" ; ")):
            out.add(item.partition(" => ")[2].split()[0])
    return out


def _fixture_values() -> set[str]:
    out = set()
    for path in sorted((ROOT / "tests" / "fixtures").glob("*.json")):
        fx = json.loads(path.read_text(encoding="utf-8"))
        out |= {s["value"] for s in fx.get("spans", []) if s["label"] == "DATE"}
        for ev in fx.get("events", []):
            out |= {ev[k] for k in ("date_value", "date_start", "date_end") if ev.get(k)}
    return out


def test_timex_round_trips_every_corpus_and_fixture_value():
    values = _corpus_values() | _fixture_values()
    assert len(values) > 100
    assert {"XXXX-03", "XXXX-XX-19", "2020-H1", "2021-Q1", "P1M"} & values
    for v in values:
        assert is_value(v), v
        assert Timex.parse(v).format() == v


@pytest.mark.parametrize(
    "value,timex",
    [
        ("2020-03-08", Timex("day", 2020, 3, 8)),
        ("2020-03", Timex("month", 2020, 3)),
        ("2020", Timex("year", 2020)),
        ("2020-H1", Timex("half", 2020, half=1)),
        ("2021-Q1", Timex("quarter", 2021, quarter=1)),
        ("2021-W05", Timex("week", 2021, week=5)),
        ("XXXX-03", Timex("month", None, 3)),
        ("XXXX-XX-19", Timex("day", None, None, 19)),
        ("XXXX", Timex("year")),
        ("P1M", Timex.duration(1, "M")),
        ("P4D", Timex.duration(4, "D")),
        ("P2W", Timex.duration(2, "W")),
        ("P1.5Y", Timex.duration(1.5, "Y")),
    ],
)
def test_timex_parse_and_format(value, timex):
    assert Timex.parse(value) == timex
    assert timex.format() == str(timex) == value


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "2020-13",
        "2020-3",
        "20-03",
        "2020-02-32",
        "2020-Q5",
        "2020-H3",
        "2020-W54",
        "P01M",
        "P1.50Y",
        "P1H",
        "2020-03-08T10",
        "XXXX-X3",
    ],
)
def test_timex_refuses_malformed_values(bad):
    assert not is_value(bad)
    assert try_parse(bad) is None
    with pytest.raises(ValueError):
        Timex.parse(bad)


@pytest.mark.parametrize(
    "value,period",
    [
        ("2020-03", (date(2020, 3, 1), date(2020, 4, 1))),
        ("2020-12", (date(2020, 12, 1), date(2021, 1, 1))),
        ("2020-03-08", (date(2020, 3, 8), date(2020, 3, 9))),
        ("2020-H2", (date(2020, 7, 1), date(2021, 1, 1))),
        ("2021-Q1", (date(2021, 1, 1), date(2021, 4, 1))),
        ("2021-W05", (date(2021, 2, 1), date(2021, 2, 8))),
        ("2020", (date(2020, 1, 1), date(2021, 1, 1))),
        ("XXXX-03", None),
        ("P1M", None),
    ],
)
def test_timex_period(value, period):
    assert Timex.parse(value).period() == period


# ---------------------------------------------------------------------------------------------
# The component owns its tables


def _pipeline(data_dir: Path | None = None):
    nlp = spacy.blank("xx", config={"nlp": {"tokenizer": {"@tokenizers": "csr.KiwiTokenizer.v1"}}})
    nlp.add_pipe("csr_dates", config={"data_dir": str(data_dir) if data_dir else None})
    nlp.initialize()
    return nlp


def test_to_disk_writes_the_tables_and_from_disk_reads_them(tmp_path):
    comp = DateRecognizer(data_dir=None)
    comp.to_disk(tmp_path / "dates")
    for name in dates.TABLES:
        assert (tmp_path / "dates" / name).read_bytes() == (DATA_DIR / name).read_bytes()
    words = tmp_path / "dates" / "date_words.tsv"
    words.write_text(
        "".join(ln for ln in words.read_text(encoding="utf-8").splitlines(keepends=True) if not ln.startswith("내달")),
        encoding="utf-8",
    )
    loaded = DateRecognizer().from_disk(tmp_path / "dates")
    assert loaded.grammar is not None and "내달" not in loaded.grammar.tables.words
    loaded.to_disk(tmp_path / "again")
    assert (tmp_path / "again" / "date_words.tsv").read_bytes() == words.read_bytes()


def test_two_pipelines_with_different_tables_live_in_one_process(tmp_path):
    shutil.copytree(DATA_DIR, tmp_path / "data")
    words = tmp_path / "data" / "date_words.tsv"
    words.write_text(
        "".join(ln for ln in words.read_text(encoding="utf-8").splitlines(keepends=True) if not ln.startswith("내달")),
        encoding="utf-8",
    )
    text = "내달 2기 봉사단을 모집한다."
    assert [d["value"] for d in explain(text, "2022-03-15", nlp=_pipeline())] == ["2022-04"]
    assert explain(text, "2022-03-15", nlp=_pipeline(tmp_path / "data")) == []
    assert [d["value"] for d in explain(text, "2022-03-15")] == ["2022-04"]  # the default pipeline is untouched


# ---------------------------------------------------------------------------------------------
# Holidays (holidays.tsv: names and where their dates come from, never the dates themselves)


@pytest.mark.parametrize("row", dates.DateTables.read().holidays.values(), ids=lambda r: r["word"])
def test_every_holiday_resolves_in_recent_years(row):
    assert row["source"] in ("holidays", "solar", "lunar", "ephem") and row["lunar"] in ("yes", "no")
    for year in (2015, 2020, 2024, 2025):
        found = dates.holiday_period(row["source"], row["key"], year)
        assert found is not None, (row["word"], year)
        day, first, last = found
        assert day.year == year and first <= day <= last and (last - first).days <= 5


def test_lunar_holidays_move_and_solar_ones_do_not():
    assert dates.holiday_period("holidays", "Korean New Year", 2025)[0] == date(2025, 1, 29)
    assert dates.holiday_period("holidays", "Korean New Year", 2024)[0] == date(2024, 2, 10)
    assert dates.holiday_period("lunar", "01-15", 2024)[0] == date(2024, 2, 24)
    assert dates.holiday_period("solar", "05-08", 2024)[0] == date(2024, 5, 8)


def test_the_winter_solstice_is_its_day_in_korea():
    """동지 is the day of the solstice's moment in Korean time: 21 December in 2016 and 2024, 22
    December in 2023 and 2025 (00:02 in Korea, still the 21st in UTC)."""
    days = {y: dates.holiday_period("ephem", "next_solstice 12", y)[0] for y in (2016, 2023, 2024, 2025)}
    assert days == {
        2016: date(2016, 12, 21),
        2023: date(2023, 12, 22),
        2024: date(2024, 12, 21),
        2025: date(2025, 12, 22),
    }


def test_a_holiday_period_gives_its_last_day_as_end_value():
    """설 연휴: the span's value is the first day of the official period, span._.end_value the last
    (events.py takes them as date_start and date_end)."""
    doc = annotate("설 연휴에도 급식소는 문을 연다.", "2025-01-20")
    (span,) = doc.spans["DATE"]
    assert (span.text, span._.value, span._.end_value) == ("설 연휴", "2025-01-28", "2025-01-30")
    other = annotate("설날 전에 선물을 포장했다.", "2025-01-20")
    (day,) = other.spans["DATE"]
    assert day._.end_value is None


# ---------------------------------------------------------------------------------------------
# Tense: Kiwi's analysis of the predicate closing a date's clause


@pytest.mark.parametrize(
    "sentence,tense",
    [
        ("행사를 열었다.", -1),
        ("접수가 마감됐다.", -1),
        ("행사를 열 예정이다.", 1),
        ("장학생을 선발할 계획이다.", 1),
        ("기금은 전달될 것으로 보인다.", 1),
        ("공모전을 연다.", 1),
        ("신청을 받는다.", 1),
        ("참가자를 모집합니다.", 1),
        ("신청할 수 있다.", 0),
        ("봉사를 하고 있다.", 0),
        ("행사는 3월이다.", 0),
    ],
)
def test_clause_tense(sentence, tense):
    from pipeline.spans import token_index

    doc = annotate(sentence)
    index = token_index(doc)
    ends = dates.clause_tenses(doc, index)
    assert ends and ends[-1][1] == tense


def test_a_quoted_plan_keeps_its_own_tense():
    """…열 계획이라고 밝혔다: the date's clause is the plan, not the past verb of saying."""
    doc = annotate("재단은 3월 장학금을 전달할 계획이라고 밝혔다.", "2024-12-10")
    assert [(s.text, s._.value) for s in doc.spans["DATE"]] == [("3월", "2025-03")]


@pytest.mark.parametrize(
    "count", ["800000일", "1000000주", "99999999999999999999주", "99999년", "99999999999999999999개월"]
)
def test_a_count_past_the_calendar_is_no_date_and_the_document_survives(count):
    """``800000일 전`` reaches back before year 1: no DATE span, no exception, and the document keeps
    its other records (its amount) through the whole pipeline."""
    from pipeline.api import extract

    result = extract(f"행사는 {count} 전 열렸다. 재단은 5억 원을 기부했다.", published="2024-05-16")
    assert [d["text"] for d in result.tables["dates"]] == []
    assert [a["value"] for a in result.tables["amounts"]] == ["500000000"]
