"""The label registry (pipeline/schema.py): a label registered from outside flows to the CSV
tables, to evaluation, to Label Studio and to the report; the vocabularies come from the data tables."""

from __future__ import annotations

import csv
import json
import shutil

import pytest

from pipeline import api, schema
from pipeline.evaluate import evaluate, load_gold, predictions_from_results, score
from pipeline.export import COLUMNS, CsvSet, span_rows
from pipeline.fixtures import check
from pipeline.labelstudio import label_config, task_to_fixture, to_tasks
from pipeline.lexicon import DATA_DIR
from pipeline.nlp import annotate
from pipeline.report import build_report, read_tables

TEXT = "김철수 대표는 2020년 3월 카카오에 10억 원을 기부했다. 이영희 이사도 참석했다."
PERSON = schema.Label("PERSON", "people", (schema.text("name"),), colour="#c0ffee")


@pytest.fixture
def person():
    with schema.registered(PERSON) as label:
        yield label
    assert "PERSON" not in schema.LABELS


def person_doc(*surfaces: str):
    """The pipeline's Doc with PERSON spans set by hand (no extractor), each named by its first word."""
    doc = annotate(TEXT, "2021-06")
    spans = []
    for surface in surfaces:
        start = TEXT.index(surface)
        span = doc.char_span(start, start + len(surface), label="PERSON")
        span._.name = surface.split()[0]
        spans.append(span)
    doc.spans["PERSON"] = spans
    return doc


def result_of(doc) -> api.Result:
    return api.Result("d1", TEXT, "2021-06", **span_rows(doc, "d1"), events=[])


def gold_dir(tmp_path):
    """One gold document whose PERSON spans are 김철수 and 이영희 (and its DATE)."""
    spans = [
        {"label": "PERSON", "text": "김철수", "name": "김철수"},
        {"label": "DATE", "text": "2020년 3월", "value": "2020-03", "mod": None},
        {"label": "PERSON", "text": "이영희", "name": "이영희"},
    ]
    for s in spans:
        s["start"] = TEXT.index(s["text"])
        s["end"] = s["start"] + len(s["text"])
    fx = {"id": "d1", "genre": "newsroom", "published": "2021-06", "text": TEXT, "spans": spans, "events": []}
    assert check(fx, TEXT) == []
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "d1.json").write_text(json.dumps(fx, ensure_ascii=False), encoding="utf-8")
    return gold


def test_builtin_tables_keep_their_columns():
    assert COLUMNS == {
        "documents": ["doc_id", "path", "title", "published", "chars", "sentences", "status", "error", "pages"],
        "dates": ["doc_id", "sentence_id", "start", "end", "text", "value", "mod", "page"],
        "organizations": ["doc_id", "sentence_id", "start", "end", "text", "name", "kind", "org_id", "page"],
        "amounts": ["doc_id", "sentence_id", "start", "end", "text", "kind", "value", "unit", "qualifier", "page"],
        "events": [
            "doc_id",
            "event_id",
            "sentence_id",
            "date_text",
            "date_value",
            "date_start",
            "date_end",
            "orgs",
            "amounts",
            "category",
            "sentence",
            "actor",
            "counterparts",
        ],
    }
    assert list(schema.LABELS) == ["DATE", "ORG", "MONEY", "QUANTITY"]
    assert api.TABLES == ["dates", "organizations", "amounts", "events"]


def test_a_registered_label_gets_a_table_rows_and_a_csv(person, tmp_path):
    assert COLUMNS["people"] == ["doc_id", "sentence_id", "start", "end", "text", "name", "page"]
    assert list(COLUMNS)[-1] == "events" and "people" in api.TABLES
    rows = span_rows(person_doc("김철수", "이영희"), "d1")
    assert set(rows) == {"dates", "organizations", "amounts", "people"}
    assert rows["people"] == [
        {"doc_id": "d1", "sentence_id": 1, "start": 0, "end": 3, "text": "김철수", "name": "김철수", "page": ""},
        {"doc_id": "d1", "sentence_id": 2, "start": 35, "end": 38, "text": "이영희", "name": "이영희", "page": ""},
    ]
    assert [r["value"] for r in rows["dates"]] == ["2020-03"]  # the built-in labels are untouched
    r = api.Result("d1", TEXT, **rows)
    assert r.people == rows["people"] and r.tables["events"] == []

    csvs = CsvSet(tmp_path / "out")
    csvs.start()
    csvs.write_document({"documents": [r.document_row()], **r.tables}, {})
    csvs.commit()
    with (tmp_path / "out" / "people.csv").open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == COLUMNS["people"]
        assert [row["name"] for row in reader] == ["김철수", "이영희"]


def test_a_registered_label_is_scored(person, tmp_path):
    gold = gold_dir(tmp_path)
    assert {s.label for s in load_gold(gold)[0].spans} == {"PERSON", "DATE"}
    # predicted: 김철수 (exact, right name) and 이영희 이사 (overlapping only)
    result = result_of(person_doc("김철수", "이영희 이사"))
    report = score(load_gold(gold), *predictions_from_results([result]))
    row = report.row("PERSON")
    assert (row["gold"], row["pred"]) == (2, 2)
    assert (row["exact_p"], row["exact_r"]) == (0.5, 0.5)
    assert (row["overlap_p"], row["overlap_r"], row["value_acc"]) == (1.0, 1.0, 1.0)
    assert [r["label"] for r in report.rows][:5] == ["DATE", "ORG", "MONEY", "QUANTITY", "PERSON"]
    assert any(e.startswith("PERSON\tmissed\td1\t35:38") for e in report.errors)

    # the same through the CSV files, with a wrong name: value accuracy drops
    doc = person_doc("김철수", "이영희")
    doc.spans["PERSON"][1]._.name = "이영이"
    out = tmp_path / "pred"
    csvs = CsvSet(out)
    csvs.start()
    csvs.write_document({"documents": [], **result_of(doc).tables}, {})
    csvs.commit()
    row = evaluate(gold, out).row("PERSON")
    assert (row["exact_p"], row["exact_r"], row["value_acc"]) == (1.0, 1.0, 0.5)


def test_a_registered_label_is_highlighted_in_the_report(person, tmp_path):
    r = result_of(person_doc("김철수", "이영희"))
    csvs = CsvSet(tmp_path / "out")
    csvs.start()
    csvs.write_document({"documents": [r.document_row()], **r.tables}, {})
    csvs.commit()
    tables = read_tables(tmp_path / "out")
    assert list(tables["people"]["name"]) == ["김철수", "이영희"]
    html = build_report(tables, {"d1": TEXT})
    assert ".e-PERSON{background:#c0ffee}" in html  # its colour, from the registry
    assert '<mark class="e-PERSON">PERSON</mark>' in html  # in the legend
    for row, name in enumerate(["김철수", "이영희"]):  # each span highlighted, its name in the tag
        assert (
            f'<mark class="ent e-PERSON" data-rec="people:{row}" title="PERSON name={name}">{name}'
            f'<span class="tag">PERSON name={name}</span></mark>'
        ) in html
    assert '<mark class="ent e-DATE"' in html  # the built-in labels as before


def test_a_registered_label_goes_to_label_studio_and_back(person):
    config = label_config()
    assert '<Label value="PERSON" background="#c0ffee"/>' in config and '| name=…"' in config
    (task,) = to_tasks([result_of(person_doc("이영희"))])
    regions = task["predictions"][0]["result"]
    person_region = next(r for r in regions if r["type"] == "labels" and r["value"]["labels"] == ["PERSON"])
    norm = next(r for r in regions if r["type"] == "textarea" and r["id"] == person_region["id"])
    assert norm["value"]["text"] == ["name=이영희"]
    norm["value"]["text"] = ["name=이영희 이사"]  # a researcher corrects the name
    fx = task_to_fixture({**task, "annotations": [{"id": 1, "result": regions}]})
    (span,) = [s for s in fx["spans"] if s["label"] == "PERSON"]
    assert span == {"label": "PERSON", "text": "이영희", "name": "이영희 이사", "start": 35, "end": 38}
    assert check(fx, TEXT) == []


def test_unregistered_labels_are_gone_everywhere(person):
    schema.unregister("PERSON")
    try:
        assert "people" not in COLUMNS and "people" not in api.TABLES
        assert "PERSON" not in label_config()
        fx = {
            "id": "d1",
            "genre": "newsroom",
            "text": TEXT,
            "events": [],
            "spans": [{"label": "PERSON", "text": "김철수", "name": "김철수", "start": 0, "end": 3}],
        }
        assert any("unknown label 'PERSON'" in p for p in check(fx, TEXT))
    finally:
        schema.register(PERSON)  # the fixture unregisters it again


def test_registration_is_checked():
    with pytest.raises(ValueError, match="already registered"):
        schema.register(schema.Label("DATE", "dates2", (schema.text("value"),), colour="#000"))
    with pytest.raises(ValueError, match="shares table"):
        schema.register(schema.Label("PERCENT", "amounts", (schema.number("value"),), colour="#000"))
    with pytest.raises(ValueError, match="columns already"):
        schema.register(schema.Label("PERSON", "people", (schema.text("text"),), colour="#000"))
    assert "PERCENT" not in schema.LABELS and "PERSON" not in schema.LABELS


def test_vocabularies_are_read_from_the_data_tables(tmp_path):
    vocab = schema.vocabularies()
    assert set(vocab["org_kinds"]) == {
        "company",
        "government",
        "public",
        "nonprofit",
        "academic",
        "international",
        "other",
    }
    assert vocab["date_mods"] == ("START", "MID", "END")
    assert "exact" in vocab["qualifiers"] and "approx" in vocab["qualifiers"]
    assert vocab["categories"][-1] == "other" and "donation" in vocab["categories"]
    # a kind added to organizations.tsv is a valid ORG kind, without touching the code
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    with (data / "organizations.tsv").open("a", encoding="utf-8") as fh:
        fh.write("한국교회봉사단\treligious\t\t\n")
    assert "religious" in schema.vocabularies(data)["org_kinds"]
    org = {"label": "ORG", "text": "x", "name": "한국교회봉사단", "kind": "religious"}
    assert schema.LABELS["ORG"].problems(org, vocab) == [
        "kind 'religious' not one of company government public nonprofit academic international other"
    ]
    assert schema.LABELS["ORG"].problems(org, schema.vocabularies(data)) == []
