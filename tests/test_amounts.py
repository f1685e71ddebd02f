"""The amount rules of issue 9 beyond the example tables: what each rule needs (Kiwi's tags for an
open counter), that no number is too long to value, and that a range's first end follows its second."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.amounts import AmountTables, find_amounts
from pipeline.nlp import annotate
from pipeline.numbers import format_number, parse_number


@pytest.fixture(scope="module")
def tables() -> AmountTables:
    return AmountTables.load()


def spans(text: str) -> list[tuple[str, str, str, str]]:
    doc = annotate(text)
    found = sorted([*doc.spans["MONEY"], *doc.spans["QUANTITY"]], key=lambda s: s.start_char)
    return [(s.text, s.label_, format_number(s._.value), s._.unit) for s in found]


def test_an_open_counter_needs_kiwis_tag(tables):
    """Without the tokens (no Kiwi tags) a bound noun nobody listed is no counter; with them it is."""
    text = "부지 300평을 기증했다."
    assert [a.unit for a in find_amounts(tables, text)] == []
    assert spans(text) == [("300평", "QUANTITY", "300", "평")]


def test_an_open_counter_names_its_rule():
    doc = annotate("객실 20실을 갖췄다.")
    assert [s._.rule for s in doc.spans["QUANTITY"]] == ["quantity.open_counter"]


@pytest.mark.parametrize("text", ["2023년 사업", "65세 어르신", "3차 회의", "오후 3시", "1위를 했다", "5개년 계획"])
def test_a_bound_noun_of_time_age_or_order_is_no_counter(text):
    assert spans(text) == []


def test_the_day_before_an_amount_is_no_numeral(tables):
    """``12일 5억 원``: the 일 of the day never joins the number (it used to read 12일 5억 as one)."""
    found = find_amounts(tables, "12일 5억 원")
    assert [(a.start, a.end, a.value) for a in found] == [(4, 8, Decimal(500000000))]


@pytest.mark.parametrize(
    "written,unit",
    [
        ("100㎾", "kW"),
        ("100kw", "kW"),
        ("100KW", "kW"),
        ("2㎿", "MW"),
        ("0.5%p", "%포인트"),
        ("3tCO2-eq", "tCO2eq"),
        ("3톤CO2", "tCO2eq"),
    ],
)
def test_written_forms_of_one_unit_are_one_unit(tables, written, unit):
    assert [a.unit for a in find_amounts(tables, written)] == [unit]


def test_a_range_gives_both_ends_with_the_second_ends_unit(tables):
    found = find_amounts(tables, "15만~73만 원")
    assert [(a.start, a.end, a.kind, a.value, a.unit) for a in found] == [
        (0, 3, "MONEY", Decimal(150000), "KRW"),
        (4, 9, "MONEY", Decimal(730000), "KRW"),
    ]
    assert [a.rule for a in found] == ["amount.range_start", "amount.number_unit"]


def test_a_range_without_a_second_end_gives_nothing(tables):
    assert find_amounts(tables, "4~6학년") == []


def test_dollars_and_cents_are_one_amount(tables):
    found = find_amounts(tables, "2달러 23센트")
    assert [(a.start, a.end, a.value, a.unit) for a in found] == [(0, 8, Decimal("2.23"), "USD")]


def test_numbers_beyond_28_digits_keep_every_digit():
    assert format_number(parse_number("99999999999999999조")) == "99999999999999999" + "0" * 12
    assert format_number(parse_number("1.00000000000000000000000000001억")) == "100000000.000000000000000000001"


def test_a_run_of_digits_longer_than_any_float_is_valued(tables):
    digits = "9" * 400
    (found,) = find_amounts(tables, f"{digits}조 원")
    assert format_number(found.value) == digits + "0" * 12


@settings(max_examples=60, deadline=None)
@given(
    st.integers(min_value=0, max_value=10**60),
    st.sampled_from(["", "만", "억", "조", "억 5천만"]),
    st.sampled_from([" 원", "원", " 명", "개", " 달러"]),
)
def test_no_number_fails_a_document(n, scale, unit):
    """Any integer (up to 60 digits) with any group unit and any counter gives a value, never an error."""
    text = f"회사는 {n:,}{scale}{unit}을 냈다."
    found = find_amounts(AmountTables.load(), text)
    assert len(found) == 1
    expected = parse_number(f"{n}{scale}")
    assert found[0].value == expected
    assert format_number(found[0].value).lstrip("-").replace(".", "").isdigit()


@settings(max_examples=25, deadline=None)
@given(st.text(alphabet="0123456789,.조억만천백십일이삼사오원명개 ~", min_size=1, max_size=80))
def test_any_string_of_numerals_and_counters_is_read_or_skipped(text):
    for a in find_amounts(AmountTables.load(), text):
        assert 0 <= a.start < a.end <= len(text)
        format_number(a.value)


def test_atomic_numeral_group_has_the_python_3_10_form():
    """Python 3.10 (our minimum) has no ``(?>…)``: the helper writes the same group as a captured
    look-ahead matched again, and both forms find the same numerals, also on a long run of digits."""
    import re

    from pipeline import amounts

    body = r"\d+(?:,\d{3})*"
    new, old = re.compile(amounts._atomic(body) + "원"), re.compile("(?=(?P<_atom>" + body + "))(?P=_atom)원")
    for text in ["3,000원", "12원과 5원", "1" * 20000 + "원", "1" * 20000 + "명"]:
        assert [m.span() for m in new.finditer(text)] == [m.span() for m in old.finditer(text)]


def test_no_regex_of_the_package_needs_python_3_11():
    """Atomic groups and possessive quantifiers are Python 3.11+; the package keeps them in amounts._atomic."""
    import inspect
    from pathlib import Path

    from pipeline import amounts

    root = Path(__file__).resolve().parent.parent / "pipeline"
    helper = inspect.getsource(amounts._atomic)
    hits = [
        p.name
        for p in [*root.rglob("*.py"), *(root / "data").glob("*.tsv")]
        if "(?>" in p.read_text(encoding="utf-8").replace(helper, "")
    ]
    assert hits == []
