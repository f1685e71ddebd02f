"""Evaluation of event roles (actor and counterpart links), the checker's rules for gold roles, ISO
week values, and ``evaluate --without-gazetteer`` (pipeline/evaluate.py, pipeline/fixtures.py)."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path

import pytest

from pipeline import nlp, schema
from pipeline.cli import main
from pipeline.evaluate import (
    EVENT_LINKS,
    ROLE_LINKS,
    WITHOUT_GAZETTEER,
    CannotConfigure,
    GoldDoc,
    build_pipeline,
    evaluate,
    format_table,
    score,
)
from pipeline.fixtures import check, fixture_paths, fixture_text, load, role_problems

FIXTURES = Path(__file__).parent / "fixtures"
NEWS = Path(__file__).parent / "fixtures_news"
HELDOUT = Path(__file__).parent / "fixtures_heldout"
DAY = "2024-01-10"


def gold_doc(doc_id: str, *events: dict) -> GoldDoc:
    return GoldDoc(doc_id, "", DAY, [], list(events))


def gold_event(orgs: list[str], **roles) -> dict:
    return {"date_value": DAY, "orgs": orgs, "amounts": [], **roles}


def pred_event(doc_id: str, orgs: str, **roles: str) -> dict:
    """A predicted event as a CSV row holds it: names ``;``-joined, empty = none."""
    return {"doc_id": doc_id, "date_value": DAY, "orgs": orgs, "amounts": "", **roles}


def rows(gold: list[GoldDoc], pred: list[dict]) -> dict[str, dict]:
    return {r["label"]: r for r in score(gold, [], pred).rows}


SAMSUNG_GIVES = gold_doc(
    "d", gold_event(["사회복지공동모금회", "삼성"], actor="삼성", counterparts=["사회복지공동모금회"])
)


# ---------------------------------------------------------------------------------------------
# Role links


def test_right_actor_and_counterpart_score_one():
    r = rows(
        [SAMSUNG_GIVES], [pred_event("d", "삼성;사회복지공동모금회", actor="삼성", counterparts="사회복지공동모금회")]
    )
    for label in ROLE_LINKS:
        assert (r[label]["gold"], r[label]["pred"], r[label]["exact_f1"]) == (1, 1, 1.0)


def test_swapped_roles_score_zero_though_the_orgs_are_right():
    report = score(
        [SAMSUNG_GIVES],
        [],
        [pred_event("d", "삼성;사회복지공동모금회", actor="사회복지공동모금회", counterparts="삼성")],
    )
    r = {row["label"]: row for row in report.rows}
    assert r["EVENT-ORG"]["exact_f1"] == 1.0
    assert (r["EVENT-ACTOR"]["exact_p"], r["EVENT-ACTOR"]["exact_r"]) == (0.0, 0.0)
    assert (r["EVENT-COUNTERPART"]["exact_p"], r["EVENT-COUNTERPART"]["exact_r"]) == (0.0, 0.0)
    assert f"EVENT-ACTOR\tmissed\td\t\t'삼성'\t{DAY}\t" in report.errors
    assert f"EVENT-ACTOR\tspurious\td\t\t'사회복지공동모금회'\t{DAY}\t" in report.errors


def test_missing_counterpart_costs_counterpart_recall_only():
    r = rows([SAMSUNG_GIVES], [pred_event("d", "삼성", actor="삼성", counterparts="")])
    assert r["EVENT-ACTOR"]["exact_f1"] == 1.0
    assert (r["EVENT-COUNTERPART"]["gold"], r["EVENT-COUNTERPART"]["pred"]) == (1, 0)
    assert r["EVENT-COUNTERPART"]["exact_r"] == 0.0


def test_predictions_without_role_keys_have_role_recall_zero():
    r = rows([SAMSUNG_GIVES], [pred_event("d", "삼성;사회복지공동모금회")])
    assert r["EVENT-ORG"]["exact_f1"] == 1.0
    for label in ROLE_LINKS:
        assert (r[label]["pred"], r[label]["exact_r"], r[label]["exact_f1"]) == (0, 0.0, 0.0)


def test_gold_lists_and_a_null_actor():
    """Gold values are lists and null (JSON); a predicted list is read like a gold one."""
    couple = gold_doc("d", gold_event(["사랑의열매"], actor=None, counterparts=["사랑의열매"]))
    r = rows([couple], [{**pred_event("d", "사랑의열매", actor=""), "counterparts": ["사랑의열매"]}])
    assert (r["EVENT-ACTOR"]["gold"], r["EVENT-ACTOR"]["pred"]) == (0, 0)
    assert r["EVENT-COUNTERPART"]["exact_f1"] == 1.0


def test_roles_count_only_in_documents_whose_gold_carries_them():
    old = gold_doc("old", gold_event(["카카오"]))
    pred = [pred_event("d", "삼성", actor="삼성"), pred_event("old", "카카오", actor="카카오")]
    r = rows([SAMSUNG_GIVES, old], pred)
    assert (r["EVENT-ACTOR"]["gold"], r["EVENT-ACTOR"]["pred"], r["EVENT-ACTOR"]["exact_p"]) == (1, 1, 1.0)
    assert r["EVENT-ORG"]["pred"] == 2


def test_no_role_rows_when_no_gold_document_carries_roles():
    """The old fixture set has no roles: its table (README's) keeps exactly its rows."""
    report = score([gold_doc("old", gold_event(["카카오"]))], [], [pred_event("old", "카카오", actor="카카오")])
    assert [r["label"] for r in report.rows] == [*schema.LABELS, *EVENT_LINKS]


def test_table_widens_for_the_longest_label():
    lines = format_table(score([SAMSUNG_GIVES], [], [])).splitlines()
    assert lines[-1].startswith("EVENT-COUNTERPART ")
    assert len({len(line) for line in lines}) == 1


# ---------------------------------------------------------------------------------------------
# The checker's role rules


@pytest.mark.parametrize(
    "event",
    [
        gold_event(["삼성", "사회복지공동모금회"], actor="삼성", counterparts=["사회복지공동모금회"]),
        gold_event(["삼성"], actor="삼성", counterparts=[]),
        gold_event(["사랑의열매"], actor=None, counterparts=["사랑의열매"]),
        gold_event(["삼성", "사회복지공동모금회"], actor="삼성"),  # counterparts not given: orgs may hold more
        gold_event(["삼성", "사회복지공동모금회"], counterparts=["사회복지공동모금회"]),
        gold_event(["삼성"]),  # old fixtures: no roles
    ],
)
def test_well_formed_roles(event):
    assert role_problems(event) == []


@pytest.mark.parametrize(
    "event,problem",
    [
        (gold_event(["삼성"], actor="LG"), "actor 'LG' is not among orgs"),
        (gold_event(["삼성"], actor="삼성", counterparts=["LG"]), "counterpart 'LG' is not among orgs"),
        (gold_event(["삼성", "LG"], actor="삼성", counterparts=[]), "are not actor + counterparts"),
        (gold_event(["삼성", "LG"], actor=None, counterparts=["LG"]), "are not actor + counterparts"),
        (gold_event(["삼성", "LG"], actor="삼성", counterparts=["삼성", "LG"]), "also a counterpart"),
        (gold_event(["삼성"], actor="", counterparts=[]), "not a name or null"),
        (gold_event(["삼성"], actor=["삼성"]), "not a name or null"),
        (gold_event(["삼성", "LG"], actor="삼성", counterparts="LG"), "not a list of names"),
    ],
)
def test_broken_roles(event, problem):
    assert any(problem in p for p in role_problems(event)), role_problems(event)


def test_check_reports_role_problems_with_the_event():
    fx = load(FIXTURES / "kakao_covid19_csr.json")
    assert check(fx, fixture_text(fx)) == []
    fx["events"][0]["actor"] = "없는회사"
    assert any(p.startswith("event 0: actor '없는회사' is not among orgs") for p in check(fx, fixture_text(fx)))


@pytest.mark.parametrize(
    "path", [*fixture_paths(NEWS), *fixture_paths(HELDOUT)], ids=lambda p: f"{p.parent.name}/{p.stem}"
)
def test_news_fixture_is_valid(path):
    """The development and held-out news sets carry roles and week values; the checker accepts
    every document."""
    fx = load(path)
    assert check(fx, fixture_text(fx)) == []


# ---------------------------------------------------------------------------------------------
# ISO week values


@pytest.mark.parametrize("value", ["2024-W01", "2024-W02", "2024-W27", "2024-W53", "XXXX-W10", "2020-W40"])
def test_week_values_are_date_values(value):
    assert schema.DATE_VALUE.match(value)


@pytest.mark.parametrize(
    "value", ["2024-W00", "2024-W54", "2024-W60", "2024-W1", "2024-W027", "2024-W27-2", "2024W27", "XX-W10"]
)
def test_malformed_week_values(value):
    assert not schema.DATE_VALUE.match(value)


def test_checker_rejects_week_zero_in_a_span_and_an_event():
    fx = load(FIXTURES / "kakao_covid19_csr.json")
    broken = copy.deepcopy(fx)
    next(s for s in broken["spans"] if s["label"] == "DATE")["value"] = "2024-W00"
    broken["events"][0]["date_value"] = "2024-W54"
    problems = check(broken, fixture_text(fx))
    assert any("malformed DATE value '2024-W00'" in p for p in problems)
    assert "event 0: malformed date_value '2024-W54'" in problems


# ---------------------------------------------------------------------------------------------
# --without-gazetteer


def test_without_gazetteer_needs_build_nlp(monkeypatch, tmp_path, capsys):
    monkeypatch.delattr(nlp, "build_nlp", raising=False)
    with pytest.raises(CannotConfigure):
        build_pipeline(WITHOUT_GAZETTEER)
    assert main(["evaluate", "--gold", str(FIXTURES), "--out", str(tmp_path), "--without-gazetteer"]) == 2
    assert capsys.readouterr().err.strip() == "error: this build cannot switch the gazetteer off"


def test_a_build_nlp_that_rejects_the_option_cannot_configure(monkeypatch):
    def strict(config):
        raise ValueError("csr_orgs has no option use_gazetteer")

    monkeypatch.setattr(nlp, "build_nlp", strict, raising=False)
    with pytest.raises(CannotConfigure, match="use_gazetteer"):
        build_pipeline(WITHOUT_GAZETTEER)


def test_without_gazetteer_is_refused_with_pred(tmp_path, capsys):
    assert main(["evaluate", "--gold", str(FIXTURES), "--pred", str(tmp_path), "--without-gazetteer"]) == 2
    assert "does not apply to existing outputs" in capsys.readouterr().err


@pytest.fixture
def three_fixtures(tmp_path):
    for name in ("a1_hana_winter_donation", "b1_hyundai_scholarship", "c1_samsung_dreamclass_mou"):
        shutil.copy(FIXTURES / f"{name}.json", tmp_path)
    return tmp_path


def test_evaluate_runs_the_pipeline_build_nlp_builds(monkeypatch, three_fixtures):
    """The configured pipeline is the one that annotates, and only while evaluate runs."""
    default, pipeline = nlp.get_nlp, nlp.get_nlp()
    built = []

    def build(config=None):
        built.append(config)
        return pipeline

    monkeypatch.setattr(nlp, "build_nlp", build, raising=False)
    report = evaluate(three_fixtures, config=WITHOUT_GAZETTEER)
    assert built == [WITHOUT_GAZETTEER]
    assert nlp.get_nlp is default
    assert report.rows == evaluate(three_fixtures).rows


def test_without_gazetteer_finds_fewer_organisations(three_fixtures):
    """Runs once pipeline.nlp.build_nlp can switch the list off; these fixtures name listed companies."""
    try:
        build_pipeline(WITHOUT_GAZETTEER)
    except CannotConfigure as exc:
        pytest.skip(str(exc))
    without = evaluate(three_fixtures, config=WITHOUT_GAZETTEER).row("ORG")
    default = evaluate(three_fixtures).row("ORG")
    assert without["gold"] == default["gold"]
    assert without["exact_r"] < default["exact_r"]


def test_the_table_says_how_many_organisation_names_the_gazetteer_lists():
    """README's tables state how much of a set's ORG figure the list alone can explain: the distinct
    gold names (canonical) that the gazetteer holds as a name or an alias."""
    from pipeline.evaluate import GoldDoc, Report, Span, format_markdown, listed_org_names

    def org(name: str) -> Span:
        return Span("d", "ORG", 0, 1, name, (name,))

    gold = [GoldDoc("d", "x", None, [org("사회복지공동모금회"), org("한빛새솔나눔회"), org("사회복지공동모금회")], [])]
    assert listed_org_names(gold) == (1, 2)
    assert format_markdown(Report(org_names=(1, 2)), 1).startswith(
        "1 gold documents; the gazetteer lists 1 of their 2 distinct organisation names."
    )
    assert format_markdown(Report(), 1).startswith("1 gold documents.\n")
