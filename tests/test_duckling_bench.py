"""benchmarks/duckling_ko.py: its reader of Duckling's Haskell corpora, the mapping of Duckling's
values to ours, the found/valued rule, and a run on a tiny corpus this test writes in Duckling's
syntax with examples of our own (never Duckling's strings).

The run on Duckling's real corpora needs a Duckling checkout (or a folder with its
``Duckling/<Dimension>/KO/Corpus.hs`` files) at $DUCKLING_PATH, and skips without one; it also
checks that BENCHMARKS.md's section shows the current code's figures.
"""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import pytest

from benchmarks import duckling_ko as dk
from pipeline.markdown import read_section

ROOT = Path(__file__).resolve().parent.parent
DUCKLING = Path(os.environ.get("DUCKLING_PATH", "/nonexistent-duckling"))

TIME = r"""-- A corpus in Duckling's syntax, written for this test.
{-# LANGUAGE OverloadedStrings #-}
module Duckling.Time.KO.Corpus ( corpus ) where
import Duckling.Testing.Types hiding (examples)

corpus :: Corpus
corpus = (testContext {locale = makeLocale KO Nothing}, testOptions, allExamples)

allExamples :: [Example]
allExamples = concat
  [ examples (datetime (2021, 5, 7, 0, 0, 0) Day)
             [ "2021년 5월 7일에"
             , "2021.5.7."
             -- , "2021년 오월 칠일" t000 (commented out, as Duckling does)
             ]
  , examples (datetime (2013, 2, 18, 0, 0, 0) Week)
             [ "다음 주"
             ]
  , examples (datetimeInterval ((2019, 3, 1, 0, 0, 0), (2019, 5, 1, 0, 0, 0)) Month)
             [ "2019년 3월부터 4월까지"
             ]
  , examples (datetimeInterval ((2020, 3, 20, 0, 0, 0), (2020, 6, 21, 0, 0, 0)) Day)
             [ "2020년 봄"
             ]
  , examples (datetimeHoliday (2020, 10, 9, 0, 0, 0) Day "Hangul Day")
             [ "2020년 한글날"
             ]
  , examples (datetime (2013, 2, 12, 9, 15, 0) Minute)
             [ "아침 9시 15분"
             ]
  {- a block comment with an example in it: examples (datetime (2000, 1, 1, 0, 0, 0) Year) ["2000년"] -}
  ]
"""

MONEY = r"""module Duckling.AmountOfMoney.KO.Corpus ( corpus ) where
allExamples = concat
  [ examples (simple KRW 500000)
             [ "오십만원"
             ]
  , examples (above KRW 30000000)
             [ "3천만 원 이상"
             ]
  , examples (between Dollar (3, 5))
             [ "3달러~5달러"
             ]
  ]
"""

QUANTITY = r"""module Duckling.Quantity.KO.Corpus ( corpus ) where
allExamples = concat
  [ examples (simple (Custom "개") 5 (Just "사과"))
             [ "사과 다섯 개"
             ]
  ]
"""

NUMERAL = r"""module Duckling.Numeral.KO.Corpus ( corpus ) where
allExamples = concat
  [ examples (NumeralValue 12)
             [ "열둘", "\"12\"\&" ]
  ]
"""


def write_corpus(root: Path) -> Path:
    for dimension, source in (("Time", TIME), ("AmountOfMoney", MONEY), ("Quantity", QUANTITY), ("Numeral", NUMERAL)):
        path = root / "Duckling" / dimension / "KO" / "Corpus.hs"
        path.parent.mkdir(parents=True)
        path.write_text(source, encoding="utf-8")
    return root


def test_parser_reads_values_and_strings_and_skips_comments():
    examples = dk.parse_corpus(TIME, "Time")
    assert [e.text for e in examples] == [
        "2021년 5월 7일에",
        "2021.5.7.",
        "다음 주",
        "2019년 3월부터 4월까지",
        "2020년 봄",
        "2020년 한글날",
        "아침 9시 15분",
    ]
    first = examples[0].value
    assert first == dk.Call(
        "datetime", (dk.Call("", tuple(Decimal(n) for n in (2021, 5, 7, 0, 0, 0))), dk.Call("Day", ()))
    )
    interval = examples[3].value
    assert interval.head == "datetimeInterval" and len(interval.args[0].args) == 2
    assert examples[5].value.args[-1] == "Hangul Day"
    money = dk.parse_corpus(MONEY, "AmountOfMoney")
    assert money[2].value == dk.Call("between", (dk.Call("Dollar", ()), dk.Call("", (Decimal(3), Decimal(5)))))
    quantity = dk.parse_corpus(QUANTITY, "Quantity")[0].value
    assert quantity.args[0] == dk.Call("Custom", ("개",)) and quantity.args[2] == dk.Call("Just", ("사과",))
    assert [e.text for e in dk.parse_corpus(NUMERAL, "Numeral")] == ["열둘", '"12"']  # Haskell escapes


def test_corpus_files_are_found_in_a_checkout_layout(tmp_path):
    write_corpus(tmp_path)
    assert set(dk.corpus_files(tmp_path)) == {"Time", "AmountOfMoney", "Quantity", "Numeral"}
    assert len(dk.load(tmp_path)) == 7 + 3 + 1 + 2


def _expected(source: str, dimension: str) -> list[dk.Expected]:
    return [dk.expected(e) for e in dk.parse_corpus(source, dimension)]


def test_duckling_values_in_our_format():
    days, _, week, months, spring, holiday, clock = _expected(TIME, "Time")
    assert days.values == ("2021-05-07",) and days.scope == "calendar" and days.group == "Day"
    assert week.values == ("2013-W08",)  # the ISO week of 2013-02-18, a Monday
    assert months.values == ("2019-03", "2019-04") and months.group == "Month interval"  # [a, b): b's unit is out
    assert spring.values == ("2020-03-20", "2020-06-20")
    assert holiday.values == ("2020-10-09",) and holiday.kind == "datetimeHoliday"
    assert clock.scope == "clock" and clock.values == ()
    assert dk.timex_value(dk.datetime(2021, 1, 1), "Week") == "2020-W53"  # ISO weeks, not calendar ones
    assert dk.timex_value(dk.datetime(2013, 8, 1), "Quarter") == "2013-Q3"
    krw, above, between = _expected(MONEY, "AmountOfMoney")
    assert krw.values == ((Decimal(500000), "KRW"),) and not krw.qualifiers
    assert above.qualifiers == {"at_least", "more_than"}
    assert between.values == ((3, "USD"), (5, "USD"))
    cents = dk.expected(dk.Example("AmountOfMoney", dk.Call("simple", (dk.Call("Cent", ()), Decimal(25))), "x"))
    assert cents.values == ((Decimal("0.25"), "USD"),)
    (apples,) = _expected(QUANTITY, "Quantity")
    assert apples.values == ((5, None),) and apples.product == "사과"
    assert {e.scope for e in _expected(NUMERAL, "Numeral")} == {"unscored"}


DAY = dk.Expected("calendar", "Day", "datetime", ("2021-05-07",))


def test_found_allows_only_particles_and_punctuation_around_the_span():
    tokens = ((0, 1, "SN"), (1, 2, "NNB"), (2, 3, "JKB"), (3, 4, "SF"))
    span = (0, 2, ("2021-05-07",), None)
    assert dk.judge("7일에.", DAY, dk.Found((span,), tokens), frozenset()) == (True, True)
    wrong_value = (0, 2, ("2021-06-07",), None)
    assert dk.judge("7일에.", DAY, dk.Found((wrong_value,), tokens), frozenset()) == (True, False)
    noun = ((0, 1, "SN"), (1, 2, "NNB"), (2, 3, "NNG"), (3, 4, "SF"))  # 에 read as a noun: not a particle
    assert dk.judge("7일에.", DAY, dk.Found((span,), noun), frozenset()) == (False, False)
    short = (0, 1, ("2021-05-07",), None)  # the span leaves part of a token out
    assert dk.judge("7일에.", DAY, dk.Found((short,), tokens), frozenset()) == (False, False)
    assert dk.judge("7일에.", DAY, dk.Found((), tokens), frozenset()) == (False, False)


def test_qualifier_words_count_only_for_a_qualified_value():
    text = "5만 원 이하"
    tokens = ((0, 1, "SN"), (1, 2, "NR"), (3, 4, "NNB"), (5, 7, "NNG"))
    span = (0, 4, ((Decimal(50000), "KRW"),), "at_most")
    under = dk.Expected("money", "KRW", "under", ((Decimal(50000), "KRW"),), frozenset({"at_most", "less_than"}))
    words = frozenset({"이하", "이상"})
    assert dk.judge(text, under, dk.Found((span,), tokens), words) == (True, True)
    above = dk.Expected("money", "KRW", "above", under.values, frozenset({"at_least", "more_than"}))
    assert dk.judge(text, above, dk.Found((span,), tokens), words) == (True, False)  # wrong direction
    simple = dk.Expected("money", "KRW", "simple", under.values)
    assert dk.judge(text, simple, dk.Found((span,), tokens), words) == (False, False)


def test_an_interval_is_our_range_form():
    text = "3월~4월"
    tokens = ((0, 1, "SN"), (1, 2, "NNB"), (2, 3, "SO"), (3, 4, "SN"), (4, 5, "NNB"))
    months = dk.Expected("calendar", "Month interval", "datetimeInterval", ("2019-03", "2019-04"))
    two = ((0, 2, ("2019-03",), None), (3, 5, ("2019-04",), None))
    assert dk.judge(text, months, dk.Found(two, tokens), frozenset()) == (True, True)
    assert dk.judge(text, months, dk.Found(two[:1], tokens), frozenset()) == (False, False)  # half a range
    one = ((0, 5, ("2019-03", "2019-04"), None),)  # one span carrying its end (``end_value``)
    assert dk.judge(text, months, dk.Found(one, tokens), frozenset()) == (True, True)
    point = ((0, 5, ("2019-03",), None),)
    assert dk.judge(text, months, dk.Found(point, tokens), frozenset()) == (True, False)


def test_scores_a_tiny_corpus_with_the_pipeline(tmp_path):
    root = write_corpus(tmp_path / "duckling")
    out = tmp_path / "BENCHMARKS.md"
    out.write_text("# Benchmarks\n", encoding="utf-8")
    assert dk.main([str(root), "--commit", "abc1234", "--write", str(out)]) == 0
    scores, body = dk.run(root, "abc1234")
    calendar = scores["calendar"]["all"]["all"]
    # everything but 2020년 봄 (our DATE span 2020년 leaves the noun 봄 outside: not found)
    assert (calendar.n, calendar.found, calendar.valued) == (6, 5, 5)
    assert scores["calendar"]["group"]["Day interval"].found == 0
    money = scores["money"]["all"]["all"]
    assert (money.n, money.found, money.valued) == (3, 3, 3)
    quantity = scores["quantity"]["all"]["all"]
    assert (quantity.n, quantity.found, quantity.valued) == (1, 1, 1)
    assert scores["clock"]["count"] == {"Minute": 1}
    assert scores["unscored"]["count"] == {"Numeral": 2}
    assert "1 times of day (out of scope: Minute 1)" in body
    section = read_section(out, "duckling")
    assert section is not None and "Generated by `python benchmarks/duckling_ko.py PATH" in section
    assert "| **Calendar expressions (DATE)** | 6 | **0.83** | **0.83** |" in section


@pytest.mark.skipif(not DUCKLING.exists(), reason="no Duckling checkout at $DUCKLING_PATH")
def test_duckling_korean_corpora():
    examples = dk.load(DUCKLING)
    time_examples = [dk.expected(e) for e in examples if e.dimension == "Time"]
    assert time_examples, "no Duckling/Time/KO/Corpus.hs under $DUCKLING_PATH"
    assert {e.scope for e in time_examples} <= {"calendar", "clock"}  # every time value is read
    scores, body = dk.run(DUCKLING)
    print(body)
    calendar, money = scores["calendar"]["all"]["all"], scores["money"]["all"]["all"]
    assert calendar.n + sum(scores["clock"]["count"].values()) == len(time_examples)
    assert money.n == sum(e.dimension == "AmountOfMoney" for e in examples)
    assert 0 <= calendar.valued <= calendar.found <= calendar.n
    assert 0 <= money.valued <= money.found <= money.n
    # BENCHMARKS.md shows the current code's figures (everything after the first line, which holds the time)
    section = read_section(ROOT / "BENCHMARKS.md", "duckling") or ""
    assert section.split("| set |", 1)[-1] == body.split("| set |", 1)[-1], (
        "BENCHMARKS.md is stale: python benchmarks/duckling_ko.py PATH --write BENCHMARKS.md"
    )
