"""The gold fixtures are valid, and accuracy on them never slides below the committed baseline.

Raising a figure in tests/baseline.json is a deliberate, reviewed change: run
`python -m pipeline evaluate` and copy the new figures (rounded down) into it.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from pipeline.evaluate import evaluate
from pipeline.fixtures import check, fixture_paths, fixture_text, load, locate

FIXTURES = Path(__file__).parent / "fixtures"
BASELINE = json.loads((Path(__file__).parent / "baseline.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", fixture_paths(FIXTURES), ids=lambda p: p.stem)
def test_fixture_is_valid(path):
    fx = load(path)
    text = fixture_text(fx)
    assert check(fx, text) == []
    relocated = copy.deepcopy(fx)
    assert locate(relocated, text) == [] and relocated == fx, "offsets drifted: run python -m pipeline.fixtures locate"


def test_fixture_set_covers_what_the_issue_asks():
    fxs = [load(p) for p in fixture_paths(FIXTURES)]
    assert len(fxs) >= 16
    assert sum(fx.get("published") is None for fx in fxs) >= 3
    assert {fx["genre"] for fx in fxs} == {"news_wire", "press_release", "newsroom", "sustainability_report"}


@pytest.mark.parametrize(
    "broken,problem",
    [
        (lambda fx: fx["spans"][0].update(start=fx["spans"][0]["start"] + 1), "text["),
        (lambda fx: fx["spans"][0].update(label="PERSON"), "unknown label"),
        (
            lambda fx: [s.update(value="2020-13") for s in fx["spans"] if s["label"] == "DATE"][:1],
            "malformed DATE value",
        ),
        (lambda fx: [s.update(kind="firm") for s in fx["spans"] if s["label"] == "ORG"][:1], "kind 'firm'"),
        (
            lambda fx: [s.update(value=-1) for s in fx["spans"] if s["label"] == "MONEY"][:1],
            "not a non-negative number",
        ),
        (lambda fx: fx["events"][0].update(category="charity"), "category 'charity'"),
        (lambda fx: fx["events"][0].update(amounts=["8개 동"]), "is not 'VALUE UNIT'"),
        (lambda fx: fx["events"][0].update(amounts=["8 개 동 "]), "is not 'VALUE UNIT'"),
        (
            lambda fx: fx["spans"][1].update(
                start=fx["spans"][0]["start"], end=fx["spans"][0]["end"], text=fx["spans"][0]["text"]
            ),
            "overlaps the span before it",
        ),
    ],
)
def test_validator_catches_broken_fixtures(broken, problem):
    fx = load(FIXTURES / "kakao_covid19_csr.json")
    broken(fx)
    assert any(problem in p for p in check(fx, fixture_text(fx)))


@pytest.fixture(scope="module")
def report():
    return evaluate(FIXTURES)


@pytest.mark.parametrize("label", sorted(BASELINE))
def test_accuracy_does_not_slide_below_baseline(report, label):
    row = report.row(label)
    for metric, floor in BASELINE[label].items():
        assert row[metric] >= floor, f"{label} {metric} fell to {row[metric]:.3f} (baseline {floor})"


def test_readme_shows_the_current_evaluation(report):
    """README.md's table is the command's output, never typed: regenerate it with
    python -m pipeline evaluate --markdown"""
    from pipeline.evaluate import format_markdown, load_gold
    from pipeline.markdown import read_section

    block = read_section(Path(__file__).parent.parent / "README.md", "evaluation")
    assert block == format_markdown(report, len(load_gold(FIXTURES))), (
        "README.md is stale: python -m pipeline evaluate --write README.md"
    )


NEWS_SECTIONS = {"development": "fixtures_news", "held-out": "fixtures_heldout"}


@pytest.mark.parametrize("section", NEWS_SECTIONS)
def test_readme_shows_the_current_news_evaluation(section):
    """README.md's development table (tests/fixtures_news, n01-n260) and held-out table
    (tests/fixtures_heldout, n261-n300, read by no rule writer) are the command's output:
    python -m pipeline evaluate --gold tests/FOLDER --write README.md --section SECTION"""
    from pipeline.evaluate import evaluate, format_markdown, load_gold
    from pipeline.markdown import read_section

    news = Path(__file__).parent / NEWS_SECTIONS[section]
    block = read_section(Path(__file__).parent.parent / "README.md", section)
    assert block == format_markdown(evaluate(news), len(load_gold(news))), (
        f"README.md is stale: python -m pipeline evaluate --gold tests/{NEWS_SECTIONS[section]} --write README.md "
        f"--section {section}"
    )


def test_an_event_amount_may_have_a_unit_with_a_space():
    """A unit with a space (``개 동``, docs/annotation.md) is an event amount like any other."""
    fx = load(FIXTURES / "kakao_covid19_csr.json")
    fx["events"][0]["amounts"] = ["8 개 동", "3 tCO2eq"]
    assert not [p for p in check(fx, fixture_text(fx)) if "VALUE UNIT" in p]
