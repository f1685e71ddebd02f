"""pipeline.scan finds the matches a search loop finds, trying each rule only where it can start."""

from __future__ import annotations

import re

import pytest

from pipeline.dates import load_grammar
from pipeline.scan import matches, starts

TEXTS = [
    "카카오는 2020년 3월 15일 5억 원을 기부했다. 지난 2일에는 2021.3.4 행사가 열렸고, 오는 7월 8일간 …",
    "코로나19 2020/3/15 1,2020년 이번 달 지난해 12월 말 오는 3분기 20일쯤 2Q 25 일",
    "",
    "1 2 3",
]


def search_loop(rx: re.Pattern, text: str) -> list[tuple]:
    out, pos = [], 0
    while pos <= len(text) and (m := rx.search(text, pos)) is not None:
        out.append((m.span(), m.regs, m.groupdict()))
        pos = m.start() + 1
    return out


@pytest.mark.parametrize(
    "pattern",
    [
        r"(?<![\d.,])(?P<d>3[01]|[12]\d|0?[1-9])\s*일",
        r"(?:(?<![가-힣])지난\s+)?(?<![\d.,])\d+\s*(?:일|년)",
        r"(?<=[가-힣])\d",
        r"(?:지난|오는|이번)\s*달",
        r"\d*년",  # may start with 년: its class says so
        r"(?i:q)\d",  # not followed: searched as usual
        r".일",
        r"(?=\d)\d{4}",
        r"x?",
    ],
)
def test_matches_are_the_search_loops(pattern: str):
    rx = re.compile(pattern)
    for text in [*TEXTS, "Q1 q2 x 9일 년"]:
        assert [(m.span(), m.regs, m.groupdict()) for m in matches(rx, text)] == search_loop(rx, text)


def test_starts():
    assert starts(re.compile(r".일")) is None
    assert starts(re.compile(r"x?")) is None
    assert starts(re.compile(r"(?i)abc")) is None
    found = starts(re.compile(r"(?<![\d.,])\d+일"))
    assert found is not None
    # not 1 (a digit before), 4 and 10 (no 일 after the digits), 6 (a dot before)
    assert [m.start() for m in found.finditer("12일 3.4일 a5 6일")] == [0, 12]


def test_every_date_rule():
    grammar = load_grammar()
    for text in TEXTS:
        for rx in grammar.compiled:
            found = [(m.span(), m.regs, m.groupdict()) for m in matches(rx, text)]
            assert found == search_loop(rx, text), rx.pattern
    assert sum(starts(rx) is not None for rx in grammar.compiled) > len(grammar.compiled) // 2
