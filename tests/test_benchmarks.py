"""The benchmark scripts run, the outside benchmark does not slide, and README's date-normaliser table
is the one its script writes.

The KLUE-NER file lives in ../shared (never copied here): the test takes its path from
$KLUE_NER_TSV, else ../shared/data/klue-ner-news-dev-a.tsv beside the repository, and skips
when it is absent. Speed is measured, never asserted: the throughput test checks only that the
script runs and that one and two workers give identical outputs.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

from benchmarks import date_normalisers, klue_ner, scale, throughput
from pipeline.markdown import read_section

ROOT = Path(__file__).resolve().parent.parent
KLUE = Path(os.environ.get("KLUE_NER_TSV", ROOT.parent / "shared" / "data" / "klue-ner-news-dev-a.tsv"))


def test_klue_line_parser_keeps_offsets():
    sent = klue_ner.parse_line("x-1\t<카카오:OG>는 <2020년 3월:DT> <5억 원:QT>을 기부했다.")
    assert sent is not None
    assert sent.text == "카카오는 2020년 3월 5억 원을 기부했다."
    assert [(t, sent.text[s:e]) for t, s, e in sent.spans] == [("OG", "카카오"), ("DT", "2020년 3월"), ("QT", "5억 원")]
    assert [lab for lab, _, _ in klue_ner.map_gold(sent)] == ["ORG", "DATE", "MONEY"]


def test_klue_scoring_is_evaluate_scoring():
    """Exact and overlapping matches pooled over sentences, as ``pipeline.evaluate`` counts them."""
    sentences = [
        klue_ner.parse_line("a\t<카카오:OG>는 <2020년 3월:DT>에 기부했다."),
        klue_ner.parse_line("b\t<지난 3일:DT> <포스코:OG>가 밝혔다."),
    ]
    # Sentence a: both found exactly. Sentence b: DATE found without 지난 (overlap only), ORG missed,
    # and one spurious ORG.
    predicted = {
        sentences[0].text: [("ORG", 0, 3), ("DATE", 5, 13)],
        sentences[1].text: [("DATE", 3, 5), ("ORG", 9, 11)],
    }
    rows = klue_ner.score(sentences, lambda text: predicted[text])
    assert set(rows) == {"DATE", "ORG"}  # no MONEY or QUANTITY on either side
    assert (rows["DATE"]["gold"], rows["DATE"]["pred"]) == (2, 2)
    assert rows["DATE"]["exact_p"] == rows["DATE"]["exact_r"] == 0.5
    assert rows["DATE"]["overlap_f1"] == 1.0
    assert rows["ORG"]["exact_p"] == rows["ORG"]["exact_r"] == 0.5
    assert rows["ORG"]["overlap_r"] == 0.5


@pytest.mark.skipif(not KLUE.exists(), reason=f"KLUE-NER file not found at {KLUE}")
def test_klue_benchmark_does_not_slide():
    ours, _, table = klue_ner.run(KLUE, with_dateparser=False)
    print(table)
    assert ours["DATE"]["overlap_f1"] >= 0.85
    assert ours["MONEY"]["overlap_f1"] >= 0.90
    assert ours["QUANTITY"]["overlap_r"] >= 0.85  # recall only
    assert ours["ORG"]["overlap_f1"] >= 0.63  # target 0.65: see BENCHMARKS.md for the distance


def test_readme_date_normaliser_table_is_current():
    """Our rules' row always; the libraries' rows when the ``bench`` extra is installed."""
    written = read_section(ROOT / "README.md", date_normalisers.FIGURE.name)
    assert written is not None, "README.md has no date-normalisers section"
    cases = date_normalisers.examples()
    libraries = all(importlib.util.find_spec(m) for m in ("dateparser", "korean_datetime"))
    normalisers = date_normalisers.NORMALISERS if libraries else date_normalisers.NORMALISERS[:1]
    rows = [date_normalisers.measure(cases, name, fn) for name, fn in normalisers]
    body = date_normalisers.table(cases, rows, with_seconds=False)
    stale = "README.md is stale: python benchmarks/date_normalisers.py --write README.md"
    if libraries:
        assert date_normalisers.FIGURE.is_current(ROOT / "README.md", body), stale
    else:
        assert all(line in written.splitlines() for line in body.splitlines()), stale


def test_throughput_script_runs_and_workers_agree():
    figures = throughput.measure(min_chars=15_000)
    print(throughput.table(figures))
    assert figures["workers_identical"]
    assert figures["kiwi_cps"] > 0 and figures["pipeline_cps"] > 0 and figures["cold_start_s"] > 0


def test_corpus_scale_run_small_version():
    """The 10,000-document run, in small: every document accounted for in the summary line."""
    report = scale.corpus(60, workers=2)
    print(report)
    assert "60 documents: 60 ok, 0 failed" in report
    assert "| 100% |" in report


def test_benchmarks_breadth_table_shows_the_current_code():
    """BENCHMARKS.md's breadth table (written with --before, so each cell is `before → after`) has
    the current code's figures in its "after" column: python benchmarks/breadth.py --before DIR --write BENCHMARKS.md"""
    import re

    from benchmarks.breadth import score_rows, table
    from pipeline.markdown import read_section

    section = read_section(ROOT / "BENCHMARKS.md", "breadth")
    shown = re.sub(r"[0-9.–]+ → ", "", section.split("\n\n", 2)[2]).split("\n\nfound =")[0]
    assert shown == table(score_rows(), None).split("\n\nfound =")[0], (
        "BENCHMARKS.md is stale: python benchmarks/breadth.py --before DIR --write BENCHMARKS.md"
    )


def test_benchmarks_heldout_expressions_table_shows_the_current_code():
    """BENCHMARKS.md's held-out expression table (issue 9's targets on rows no rule writer reads) has
    the current code's figures: python benchmarks/breadth.py --rows tests/fixtures_heldout/expressions
    --before DIR --write BENCHMARKS.md. Only the figures are compared, never a row."""
    import re

    from benchmarks.breadth import HELDOUT_TABLES, score_rows, table
    from pipeline.markdown import read_section

    rows = ROOT / "tests" / "fixtures_heldout" / "expressions"
    if not rows.is_dir():
        pytest.skip("no held-out expression rows in this checkout")
    section = read_section(ROOT / "BENCHMARKS.md", "heldout-expressions")
    shown = re.sub(r"[0-9.–]+ → ", "", section.split("\n\n", 2)[2]).split("\n\nfound =")[0]
    assert shown == table(score_rows(str(rows)), None, HELDOUT_TABLES).split("\n\nfound =")[0], (
        "BENCHMARKS.md is stale: python benchmarks/breadth.py --rows tests/fixtures_heldout/expressions"
        " --before DIR --write BENCHMARKS.md"
    )
