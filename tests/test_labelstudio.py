"""Correction round trip: predictions → Label Studio tasks → (corrected) export → gold fixtures."""

from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline import extract
from pipeline.fixtures import check, load
from pipeline.labelstudio import task_to_fixture, to_tasks

ROOT = Path(__file__).resolve().parent.parent
TEXT = "카카오는 2020년 3월 사회복지 공동모금회에 약 53.9억 원을 기부했다. oecd 보고서에 소개됐다."


def as_label_studio_export(task: dict, result: list[dict], task_id: int = 7) -> dict:
    """What Label Studio's JSON export holds for a task a researcher has annotated."""
    return {
        "id": task_id,
        "data": task["data"],
        "annotations": [
            {
                "id": 1,
                "completed_by": 1,
                "was_cancelled": True,
                "result": [],
                "created_at": "2026-01-01T00:00:00Z",
                "updated_at": "2026-01-01T00:00:00Z",
            },
            {
                "id": 2,
                "completed_by": 1,
                "was_cancelled": False,
                "result": result,
                "ground_truth": False,
                "created_at": "2026-01-02T09:00:00Z",
                "updated_at": "2026-01-02T09:05:00Z",
                "lead_time": 12.5,
            },
        ],
        "predictions": task["predictions"],
        "meta": {},
        "created_at": "2026-01-01T00:00:00Z",
        "updated_at": "2026-01-02T09:05:00Z",
        "inner_id": 1,
        "total_annotations": 1,
        "cancelled_annotations": 1,
        "total_predictions": 1,
        "project": 3,
        "file_upload": "tasks.json",
    }


def test_export_has_label_studio_prediction_shape():
    (task,) = to_tasks([extract(TEXT, "2021-06", "doc1")])
    assert task["data"]["text"] == TEXT and task["data"]["doc_id"] == "doc1"
    regions = task["predictions"][0]["result"]
    labels = [r for r in regions if r["type"] == "labels"]
    norms = {r["id"]: r for r in regions if r["type"] == "textarea"}
    assert {r["value"]["labels"][0] for r in labels} == {"DATE", "ORG", "MONEY"}
    for r in labels:
        v = r["value"]
        assert TEXT[v["start"] : v["end"]] == v["text"]
        assert r["from_name"] == "label" and r["to_name"] == "text" and r["id"] in norms
    money = next(r for r in labels if r["value"]["labels"] == ["MONEY"])
    assert norms[money["id"]]["value"]["text"] == ["value=5390000000; unit=KRW; qualifier=approx"]


def test_corrections_come_back_as_a_valid_fixture_with_offsets_preserved():
    (task,) = to_tasks([extract(TEXT, "2021-06", "doc1")])
    result = copy.deepcopy(task["predictions"][0]["result"])
    # the researcher fixes a value, deletes a region and adds one
    date_id = next(r["id"] for r in result if r["type"] == "labels" and r["value"]["labels"] == ["DATE"])
    for r in result:
        if r["id"] == date_id and r["type"] == "textarea":
            r["value"]["text"] = ["value=2020-03; mod=START"]
    org_ids = [r["id"] for r in result if r["type"] == "labels" and r["value"]["labels"] == ["ORG"]]
    result = [r for r in result if r["id"] != org_ids[-1]]
    start = TEXT.index("보고서")
    result += [
        {
            "id": "new1",
            "from_name": "label",
            "to_name": "text",
            "type": "labels",
            "origin": "manual",
            "value": {"start": start, "end": start + 3, "text": "보고서", "labels": ["ORG"]},
        },
        {
            "id": "new1",
            "from_name": "norm",
            "to_name": "text",
            "type": "textarea",
            "origin": "manual",
            "value": {"start": start, "end": start + 3, "text": ["name=보고서; kind=other"]},
        },
    ]
    fx = task_to_fixture(as_label_studio_export(task, result))
    assert check(fx, TEXT) == []
    assert fx["id"] == "doc1" and fx["published"] == "2021-06" and fx["text"] == TEXT
    by_text = {s["text"]: s for s in fx["spans"]}
    assert by_text["2020년 3월"]["mod"] == "START"
    assert "oecd" not in by_text and by_text["보고서"]["kind"] == "other"
    assert by_text["53.9억 원"]["value"] == 5390000000 and by_text["53.9억 원"]["qualifier"] == "approx"
    assert [(s["start"], s["end"]) for s in fx["spans"]] == sorted((s["start"], s["end"]) for s in fx["spans"])


def test_cli_round_trip_reproduces_a_fixture(tmp_path):
    """Exporting a gold document and importing it back unchanged gives the same spans."""
    gold = load(ROOT / "tests" / "fixtures" / "a1_hana_winter_donation.json")
    src = tmp_path / "in"
    src.mkdir()
    (src / f"{gold['id']}.txt").write_text(gold["text"], encoding="utf-8")
    (src / f"{gold['id']}.meta.json").write_text(json.dumps({"published": gold["published"]}), encoding="utf-8")
    tasks_file = tmp_path / "tasks.json"
    run = [sys.executable, "-m", "pipeline"]
    out = subprocess.run(
        [*run, "export-annotations", str(src), "--out", str(tasks_file)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "labeling-config.xml").read_text().startswith("<View>")
    tasks = json.loads(tasks_file.read_text(encoding="utf-8"))
    # accept every prediction as the annotation, as a researcher with nothing to fix would
    export = [as_label_studio_export(t, t["predictions"][0]["result"], i) for i, t in enumerate(tasks)]
    export_file = tmp_path / "export.json"
    export_file.write_text(json.dumps(export, ensure_ascii=False), encoding="utf-8")
    gold_dir = tmp_path / "gold"
    out = subprocess.run(
        [*run, "import-annotations", str(export_file), "--gold", str(gold_dir), "--genre", "news_wire"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    fx = load(gold_dir / f"{gold['id']}.json")
    predicted = extract(gold["text"], gold["published"], gold["id"])
    expected = {(r["start"], r["end"]) for r in predicted.dates + predicted.organizations + predicted.amounts}
    assert {(s["start"], s["end"]) for s in fx["spans"]} == expected
    assert fx["genre"] == "news_wire" and check(fx, gold["text"]) == []


# --- Label Studio exports as a real server writes them (issue 12, items 12-16) ------------------------------------
FIXTURES = ROOT / "tests" / "fixtures"


def ls_result(spans: list[dict]) -> list[dict]:
    """An annotation's ``result`` for fixture spans: per span a ``labels`` region and a per-region ``textarea``
    (same region id) holding its values as ``key=value; …``, as the labelling configuration makes the editor write."""
    result = []
    for i, s in enumerate(spans):
        rid = f"Qx{i:08d}"
        where = {"start": s["start"], "end": s["end"]}
        values = "; ".join(
            f"{k}={'' if v is None else v}" for k, v in s.items() if k not in ("label", "text", "skip", "start", "end")
        )
        result.append(
            {
                "value": {**where, "text": s["text"], "labels": [s["label"]]},
                "id": rid,
                "from_name": "label",
                "to_name": "text",
                "type": "labels",
                "origin": "prediction",
            }
        )
        result.append(
            {
                "value": {**where, "text": [values]},
                "id": rid,
                "from_name": "norm",
                "to_name": "text",
                "type": "textarea",
                "origin": "manual",
            }
        )
    return result


def ls_task(fx: dict, task_id: int, annotations: list[dict] | None) -> dict:
    """One task of Label Studio's JSON export (``annotations`` left out when None, as some snapshots do)."""
    from pipeline.fixtures import fixture_text

    task = {
        "id": task_id,
        "data": {"text": fixture_text(fx), "doc_id": fx["id"], "published": fx["published"], "title": ""},
        "drafts": [],
        "predictions": [],
        "meta": {},
        "created_at": "2026-01-01T00:00:00.000000Z",
        "updated_at": "2026-01-02T09:05:00.000000Z",
        "inner_id": task_id,
        "total_annotations": len([a for a in annotations or [] if not a["was_cancelled"]]),
        "cancelled_annotations": len([a for a in annotations or [] if a["was_cancelled"]]),
        "total_predictions": 0,
        "comment_count": 0,
        "unresolved_comment_count": 0,
        "last_comment_updated_at": None,
        "project": 3,
        "updated_by": 1,
        "file_upload": "tasks.json",
        "comment_authors": [],
    }
    if annotations is not None:
        task["annotations"] = annotations
    return task


def ls_annotation(result: list[dict], annotation_id: int = 11, cancelled: bool = False) -> dict:
    return {
        "id": annotation_id,
        "completed_by": 1,
        "result": result,
        "was_cancelled": cancelled,
        "ground_truth": False,
        "created_at": "2026-01-02T09:00:00.000000Z",
        "updated_at": "2026-01-02T09:05:00.000000Z",
        "draft_created_at": None,
        "lead_time": 42.1,
        "prediction": {},
        "result_count": len(result),
        "unique_id": f"u-{annotation_id}",
        "import_id": None,
        "last_action": None,
        "bulk_created": False,
        "task": 1,
        "project": 3,
        "updated_by": 1,
        "parent_prediction": None,
        "parent_annotation": None,
        "last_created_by": None,
    }


def annotated(name: str, task_id: int) -> dict:
    fx = load(FIXTURES / f"{name}.json")
    return ls_task(fx, task_id, [ls_annotation(ls_result(fx["spans"]), 100 + task_id)])


def import_cli(export, gold_dir: Path, capsys, *extra: str) -> tuple[int, str]:
    from pipeline.cli import main

    export_file = gold_dir.parent / "export.json"
    export_file.write_text(json.dumps(export, ensure_ascii=False), encoding="utf-8")
    code = main(["import-annotations", str(export_file), "--gold", str(gold_dir), *extra])
    return code, capsys.readouterr().err


def test_unannotated_tasks_are_skipped_and_counted(tmp_path, capsys):
    """The "all tasks" export, the snapshot API and `label-studio export` include tasks nobody annotated."""
    a2, b1 = (load(FIXTURES / f"{n}.json") for n in ("a2_lottechem_recycling", "b1_hyundai_scholarship"))
    export = [annotated("a1_hana_winter_donation", 1), ls_task(a2, 2, []), ls_task(b1, 3, None)]
    code, err = import_cli(export, tmp_path / "gold", capsys)
    assert code == 0, err
    assert sorted(p.name for p in (tmp_path / "gold").iterdir()) == ["a1_hana_winter_donation.json"]
    assert "2 tasks skipped" in err and "not annotated" in err and "a2_lottechem_recycling" in err


def test_cancelled_task_is_skipped_and_the_rest_imported(tmp_path, capsys):
    a2 = load(FIXTURES / "a2_lottechem_recycling.json")
    cancelled = ls_task(a2, 2, [ls_annotation([], 102, cancelled=True)])
    export = [annotated("a1_hana_winter_donation", 1), cancelled, annotated("a5_cj_summer_meals", 3)]
    code, err = import_cli(export, tmp_path / "gold", capsys)
    assert code == 0, err
    assert sorted(p.name for p in (tmp_path / "gold").iterdir()) == [
        "a1_hana_winter_donation.json",
        "a5_cj_summer_meals.json",
    ]
    assert "1 task skipped" in err and "cancelled" in err and "a2_lottechem_recycling" in err


@pytest.mark.parametrize(
    "spoil,problem",
    [
        (lambda r: r[0]["value"].update(labels=["PERSON"]), "unknown label 'PERSON'"),
        (lambda r: r[1]["value"].update(text=["name=하나금융그룹; kind=firm"]), "kind 'firm'"),
        (
            lambda r: next(x for x in r if x["value"]["text"] == ["value=500000000; unit=KRW; qualifier=approx"])[
                "value"
            ].update(text=["value=약 5억; unit=KRW; qualifier=approx"]),
            "not a number",
        ),
    ],
)
def test_a_bad_task_leaves_every_fixture_as_it_was(tmp_path, capsys, spoil, problem):
    gold = tmp_path / "gold"
    gold.mkdir()
    original = (FIXTURES / "a1_hana_winter_donation.json").read_bytes()
    (gold / "a1_hana_winter_donation.json").write_bytes(original)
    first = annotated("a1_hana_winter_donation", 1)
    first["data"]["title"] = "a corrected title"
    bad = annotated("a1_hana_winter_donation", 2)
    bad["data"]["doc_id"] = "a1_copy"
    spoil(bad["annotations"][0]["result"])
    code, err = import_cli([first, bad], gold, capsys)
    assert code == 1
    assert problem in err and "a1_copy" in err and "nothing written" in err
    assert sorted(p.name for p in gold.iterdir()) == ["a1_hana_winter_donation.json"]
    assert (gold / "a1_hana_winter_donation.json").read_bytes() == original


def test_json_min_export_is_refused_with_a_clear_message(tmp_path, capsys):
    """JSON-MIN (Label Studio's converter): task data, then per control its values; the per-region textarea
    keeps only its text, so which value belongs to which span is lost."""
    task = annotated("a1_hana_winter_donation", 1)
    result = task["annotations"][0]["result"]
    record = {
        **task["data"],
        "id": 1,
        "label": [{k: v for k, v in r["value"].items()} for r in result if r["type"] == "labels"],
        "norm": [r["value"]["text"][0] for r in result if r["type"] == "textarea"],
        "annotator": 1,
        "annotation_id": 101,
        "created_at": "2026-01-02T09:00:00.000000Z",
        "updated_at": "2026-01-02T09:05:00.000000Z",
        "lead_time": 42.1,
    }
    code, err = import_cli([record], tmp_path / "gold", capsys)
    assert code == 2
    (line,) = err.strip().splitlines()
    assert "JSON-MIN" in line and "export the project as JSON" in line
    assert not (tmp_path / "gold").exists() or not any((tmp_path / "gold").iterdir())


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.json")), ids=lambda p: p.stem)
def test_round_trip_of_a_fixture_gives_it_back_byte_for_byte(tmp_path, path):
    """Export a gold document (no title in its sidecar), annotate it exactly as the fixture says, import it
    into a folder holding the fixture: the fixture test passes and the file is unchanged."""
    from pipeline.fixtures import fixture_text, locate
    from pipeline.labelstudio import import_export

    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / path.name).write_bytes(path.read_bytes())
    original = load(path)
    export = tmp_path / "export.json"
    task = ls_task(original, 1, [ls_annotation(ls_result(original["spans"]))])
    export.write_text(json.dumps([task], ensure_ascii=False), encoding="utf-8")
    imported = import_export(export, gold)
    assert imported.written == [gold / path.name] and imported.problems == []
    fx = load(gold / path.name)
    text = fixture_text(fx)
    assert check(fx, text) == []
    relocated = copy.deepcopy(fx)
    assert locate(relocated, text) == [] and relocated == fx
    assert (gold / path.name).read_bytes() == path.read_bytes()


def test_new_fixture_needs_no_locate(tmp_path):
    """A document imported for the first time carries the `skip` keys the fixture test needs."""
    from pipeline.fixtures import locate
    from pipeline.labelstudio import import_export

    original = load(FIXTURES / "kakao_covid19_csr.json")
    export = tmp_path / "export.json"
    task = ls_task(original, 1, [ls_annotation(ls_result(original["spans"]))])
    export.write_text(json.dumps([task]), encoding="utf-8")
    import_export(export, tmp_path / "gold", genre="newsroom")
    fx = load(tmp_path / "gold" / "kakao_covid19_csr.json")
    assert sum("skip" in s for s in fx["spans"]) == 6
    relocated = copy.deepcopy(fx)
    assert check(fx, fx["text"]) == [] and locate(relocated, fx["text"]) == [] and relocated == fx
    assert fx["spans"] == original["spans"] and fx["events"] == [] and fx["title"] == ""


def test_evaluate_outside_the_repository_names_the_gold_option(tmp_path, monkeypatch, capsys):
    from pipeline.cli import main

    monkeypatch.chdir(tmp_path)
    assert main(["evaluate"]) == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert "tests/fixtures" in line and "--gold DIR" in line


def test_labelstudio_guide_shows_only_real_options():
    """docs/labelstudio.md walks through the round trip; every option it shows exists."""
    from pipeline.cli import build_parser

    guide = (ROOT / "docs" / "labelstudio.md").read_text(encoding="utf-8")
    sub = next(a for a in build_parser()._actions if a.dest == "command").choices
    shown = re.findall(r"python -m pipeline (export-annotations|import-annotations|evaluate)([^\n`]*)", guide)
    assert {c for c, _ in shown} >= {"export-annotations", "import-annotations"}
    for command, rest in shown:
        options = {o for a in sub[command]._actions for o in a.option_strings}
        for flag in re.findall(r"(?<!\S)--?[a-z][\w-]*", rest):
            assert flag in options, f"{command} has no option {flag}"


def test_notebook_extra_installs_the_command_the_readme_names():
    tomllib = pytest.importorskip("tomllib")
    extra = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    names = {re.split(r"[<>=!~\[ ;]", r, maxsplit=1)[0].lower() for r in extra["notebook"]}
    provides = {"notebook": "notebook", "lab": "jupyterlab"}  # `jupyter SUB` comes from this package
    for sub in re.findall(r"^jupyter (\w+)", (ROOT / "notebooks" / "README.md").read_text(encoding="utf-8"), re.M):
        assert provides[sub] in names, f"`jupyter {sub}` needs {provides[sub]} in the notebook extra"
