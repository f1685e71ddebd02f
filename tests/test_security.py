"""Inputs written by someone else: cells a spreadsheet would run as formulas, and symbolic links
that reach out of the input folder."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from pipeline import api, extract
from pipeline.export import COLUMNS, CsvSet, neutralise_formula
from pipeline.ingest import DocumentError, iter_documents

TEXT = "카카오는 2020년 3월 보건복지부와 함께 약 53.9억 원을 기부했다."
PAYLOADS = [
    "=1+1",
    '=HYPERLINK("http://evil","click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1,2)",
    "\t=1+1",
    "\r=1+1",
    "=cmd|'/c calc'!A1",
]


def read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def write_rows(out: Path, rows: dict[str, list[dict]], escape: bool = True) -> None:
    csvs = CsvSet(out, escape=escape)
    csvs.start()
    csvs.write_document(rows, {}, "key")
    csvs.commit()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_every_text_column_of_every_table_is_neutralised(tmp_path, payload):
    rows = {table: [dict.fromkeys(cols, payload)] for table, cols in COLUMNS.items()}
    write_rows(tmp_path / "out", rows)
    for table, cols in COLUMNS.items():
        (row,) = read(tmp_path / "out" / f"{table}.csv")
        for col in cols:
            assert row[col] == "'" + payload, (table, col)
    write_rows(tmp_path / "raw", rows, escape=False)
    for table, cols in COLUMNS.items():
        (row,) = read(tmp_path / "raw" / f"{table}.csv")
        assert all(row[col] == payload for col in cols), table


@pytest.mark.parametrize("value", [-5, "-5", "-1.5", "+3", "-2e3", 0, 12.5, "2020-03", "카카오", "", "a=b"])
def test_numbers_and_harmless_text_are_written_as_they_are(tmp_path, value):
    assert neutralise_formula(value) == value
    rows = {table: [dict.fromkeys(cols, value)] for table, cols in COLUMNS.items()}
    write_rows(tmp_path / "out", rows)
    for table, cols in COLUMNS.items():
        (row,) = read(tmp_path / "out" / f"{table}.csv")
        assert all(row[col] == str(value) for col in cols), table


def test_a_run_neutralises_ids_titles_and_sentences_but_the_api_keeps_them(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    doc_id, title = "=cmd|'/c calc'!A1", '=HYPERLINK("http://evil", "click")'
    line = {"id": doc_id, "title": title, "text": "=1+1 " + TEXT}
    (src / "news.jsonl").write_text(json.dumps(line, ensure_ascii=False), encoding="utf-8")
    api.run(src, tmp_path / "out", "2021-06")
    (doc,) = read(tmp_path / "out" / "documents.csv")
    assert (doc["doc_id"], doc["title"]) == ("'" + doc_id, "'" + title)
    events = read(tmp_path / "out" / "events.csv")
    assert events and all(e["doc_id"] == "'" + doc_id and e["sentence"].startswith("'=1+1") for e in events)
    assert all(int(e["sentence_id"]) >= 1 for e in events)  # numbers stay numbers
    api.run(src, tmp_path / "raw", "2021-06", csv_raw=True)
    (doc,) = read(tmp_path / "raw" / "documents.csv")
    assert (doc["doc_id"], doc["title"]) == (doc_id, title)
    r = extract(line["text"], "2021-06", doc_id=doc_id)  # the Python API keeps the raw text
    assert r.doc_id == doc_id and r.events[0]["sentence"].startswith("=1+1")
    # the project's own readers undo the escaping: the report and evaluate --pred see the text as extracted
    from pipeline.evaluate import predictions_from_csv
    from pipeline.report.tables import read_tables

    tables = read_tables(tmp_path / "out")
    assert list(tables["documents"]["title"]) == [title] and set(tables["events"]["doc_id"]) == {doc_id}
    _, pred_events = predictions_from_csv(tmp_path / "out")
    assert pred_events and all(e["doc_id"] == doc_id for e in pred_events)


@pytest.mark.parametrize("payload", [*PAYLOADS, "-5", "1.5", "plain", "'quoted"])
def test_restore_formula_undoes_neutralise_formula(payload):
    from pipeline.export import restore_formula

    assert restore_formula(neutralise_formula(payload)) == payload


def links(tmp_path: Path) -> Path:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("비밀 문서: 삼성전자는 2019년 7월 9억 원을 냈다.", encoding="utf-8")
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    (src / "good.txt").write_text(TEXT, encoding="utf-8")
    (src / "sub" / "inner.txt").write_text(TEXT, encoding="utf-8")
    (src / "passwd.txt").symlink_to(outside / "secret.txt")
    (src / "elsewhere").symlink_to(outside, target_is_directory=True)
    (src / "alias.txt").symlink_to(src / "sub" / "inner.txt")  # inside the tree: read
    (src / "subdir-alias").symlink_to(src / "sub", target_is_directory=True)  # inside: not read twice
    return src


def test_links_out_of_the_input_folder_are_errors_and_not_read(tmp_path):
    src = links(tmp_path)
    items = {i.doc_id: i for i in iter_documents(src)}
    assert set(items) == {"alias", "elsewhere", "good", "passwd", "sub/inner"}
    for name in ("passwd", "elsewhere"):
        assert isinstance(items[name], DocumentError)
        assert "outside the input folder" in items[name].error and "--follow-links" in items[name].error
    assert items["alias"].text == TEXT
    summary = api.run(src, tmp_path / "out")
    assert summary.failed == 2
    for name in COLUMNS:
        assert "비밀" not in (tmp_path / "out" / f"{name}.csv").read_text(encoding="utf-8-sig")


def test_follow_links_reads_them(tmp_path):
    src = links(tmp_path)
    items = {i.doc_id: i for i in iter_documents(src, follow_links=True)}
    assert not [i for i in items.values() if isinstance(i, DocumentError)]
    assert items["passwd"].text.startswith("비밀") and items["elsewhere/secret"].text.startswith("비밀")
