"""Correction round trip: predictions → Label Studio tasks → (corrected) export → gold fixtures."""
from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

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
            {"id": 1, "completed_by": 1, "was_cancelled": True, "result": [],
             "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z"},
            {"id": 2, "completed_by": 1, "was_cancelled": False, "result": result, "ground_truth": False,
             "created_at": "2026-01-02T09:00:00Z", "updated_at": "2026-01-02T09:05:00Z", "lead_time": 12.5},
        ],
        "predictions": task["predictions"],
        "meta": {}, "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-02T09:05:00Z",
        "inner_id": 1, "total_annotations": 1, "cancelled_annotations": 1, "total_predictions": 1,
        "project": 3, "file_upload": "tasks.json",
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
        assert TEXT[v["start"]:v["end"]] == v["text"]
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
        {"id": "new1", "from_name": "label", "to_name": "text", "type": "labels", "origin": "manual",
         "value": {"start": start, "end": start + 3, "text": "보고서", "labels": ["ORG"]}},
        {"id": "new1", "from_name": "norm", "to_name": "text", "type": "textarea", "origin": "manual",
         "value": {"start": start, "end": start + 3, "text": ["name=보고서; kind=other"]}},
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
    out = subprocess.run(run + ["export-annotations", str(src), "--out", str(tasks_file)],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "labeling-config.xml").read_text().startswith("<View>")
    tasks = json.loads(tasks_file.read_text(encoding="utf-8"))
    # accept every prediction as the annotation, as a researcher with nothing to fix would
    export = [as_label_studio_export(t, t["predictions"][0]["result"], i) for i, t in enumerate(tasks)]
    export_file = tmp_path / "export.json"
    export_file.write_text(json.dumps(export, ensure_ascii=False), encoding="utf-8")
    gold_dir = tmp_path / "gold"
    out = subprocess.run(run + ["import-annotations", str(export_file), "--gold", str(gold_dir), "--genre", "news_wire"],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    fx = load(gold_dir / f"{gold['id']}.json")
    predicted = extract(gold["text"], gold["published"], gold["id"])
    expected = {(r["start"], r["end"]) for r in predicted.dates + predicted.organizations + predicted.amounts}
    assert {(s["start"], s["end"]) for s in fx["spans"]} == expected
    assert fx["genre"] == "news_wire" and check(fx, gold["text"]) == []
