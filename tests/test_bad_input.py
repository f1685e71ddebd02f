"""Messy real corpora: every odd input either extracts correctly or fails alone with a one-line
reason, and offsets always point into the text as read."""

from __future__ import annotations

import csv
import io
import itertools
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from pipeline import api, extract
from pipeline.ingest import Document, DocumentError, analysis_text, iter_documents

ROOT = Path(__file__).resolve().parent.parent

TEXT = "카카오는 2020년 3월 보건복지부와 함께 약 53.9억 원을 기부했다."


def rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def check_offsets(result, text):
    for row in result.dates + result.organizations + result.amounts:
        assert text[row["start"] : row["end"]] == row["text"]


def zip_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("a.txt", "hello")
    return buf.getvalue()


@pytest.mark.parametrize(
    "name,data,reason",
    [
        ("report.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "cannot read PDF"),
        ("photo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "unsupported file type '.png'"),
        ("archive.zip", zip_bytes(), "unsupported file type '.zip'"),
        ("renamed-zip.txt", zip_bytes(), "not a text file"),
        ("renamed-pdf.txt", b"%PDF-1.7\n\x00\x01\x02", "not a text file"),
    ],
)
def test_binary_files_in_the_folder(tmp_path, name, data, reason):
    (tmp_path / "good.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / name).write_bytes(data)
    items = list(iter_documents(tmp_path))
    errors = [i for i in items if isinstance(i, DocumentError)]
    assert len(items) == 2 and len(errors) == 1
    assert reason in errors[0].error and name in errors[0].error


@pytest.mark.parametrize(
    "text",
    [
        TEXT.replace(" ", "\r\n", 3),  # Windows line endings
        TEXT.replace(" ", "\r", 3),  # old Mac line endings
        "첫 줄\r\n" + TEXT + "\n마지막 줄\r",  # mixed
        TEXT[:10] + "\x00" + TEXT[10:],  # a NUL byte inside
        TEXT[:5] + "\x07\x1b[0m\u200b" + TEXT[5:],  # bell, an escape sequence, a zero-width space
    ],
    ids=["crlf", "cr", "mixed", "nul", "controls"],
)
def test_line_endings_and_control_characters_keep_offsets(text):
    r = extract(text, "2021-06")
    check_offsets(r, text)
    assert {d["value"] for d in r.dates} == {"2020-03"}
    assert {o["name"] for o in r.organizations} >= {"카카오", "보건복지부"}
    assert [a["value"] for a in r.amounts] == ["5390000000"]


def test_html_left_in_is_ignored_and_offsets_point_into_the_file():
    html = (
        '<div class="article"><p>카카오는 <b>2020년 3월</b> 보건복지부와 함께</p>\n'
        '<script>var x = "2019년 1월 1일 10억 원";</script><!-- 2018년 -->'
        "<p>약 53.9억&nbsp;원을 기부했다 &amp; 알렸다.</p></div>"
    )
    r = extract(html, "2021-06")
    check_offsets(r, html)
    assert [d["value"] for d in r.dates] == ["2020-03"]  # nothing from the script or the comment
    assert [a["value"] for a in r.amounts] == ["5390000000"]
    assert "class" not in analysis_text(html) and len(analysis_text(html)) == len(html)


def test_a_non_korean_article_extracts_little_and_does_not_fail():
    text = "Kakao announced on March 3 that it donated 5 million dollars. The OECD welcomed it."
    r = extract(text, "2021-06")
    check_offsets(r, text)
    assert {o["name"] for o in r.organizations} <= {"경제협력개발기구", "카카오"}


def test_unreadable_file_is_reported(tmp_path, monkeypatch):
    (tmp_path / "good.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "locked.txt").write_text(TEXT, encoding="utf-8")
    real = os.open

    def open_(path, *args, **kw):
        if Path(path).name == "locked.txt":
            raise PermissionError(13, "Permission denied")
        return real(path, *args, **kw)

    monkeypatch.setattr(os, "open", open_)
    summary = api.run(tmp_path, tmp_path / "out")
    docs = {d["doc_id"]: d for d in rows(tmp_path / "out" / "documents.csv")}
    assert summary.failed == 1 and docs["good"]["status"] == "ok"
    assert docs["locked"]["status"] == "error" and "cannot read (Permission denied)" in docs["locked"]["error"]


def test_broken_link_is_reported(tmp_path):
    (tmp_path / "good.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    errors = [i for i in iter_documents(tmp_path) if isinstance(i, DocumentError)]
    assert len(errors) == 1 and "gone.txt: cannot read" in errors[0].error


def test_a_document_that_crashes_the_extractor_costs_only_itself(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "b.txt").write_text("폭탄 " + TEXT, encoding="utf-8")
    real = api.process

    def process(doc):
        if doc.text.startswith("폭탄"):
            raise RuntimeError("boom")
        return real(doc)

    monkeypatch.setattr(api, "process", process)
    summary = api.run(tmp_path, tmp_path / "out")
    docs = {d["doc_id"]: d for d in rows(tmp_path / "out" / "documents.csv")}
    assert summary.ok == 1 and docs["b"]["status"] == "error"
    assert "extraction failed (RuntimeError: boom)" in docs["b"]["error"]


def test_a_long_single_sentence_without_punctuation():
    words = [*TEXT.replace(".", "").split(), "그리고"]
    text = " ".join(words * 1200)  # about 40,000 characters, no sentence end
    r = extract(text, "2021-06")
    check_offsets(r, text)
    assert len(r.amounts) == 1200


def test_a_text_file_with_a_stray_nul_byte_is_read(tmp_path):
    data = TEXT.encode("utf-8")
    (tmp_path / "a.txt").write_bytes(data[:12] + b"\x00" + data[12:])
    (doc,) = list(iter_documents(tmp_path))
    assert "\x00" in doc.text and not isinstance(doc, DocumentError)
    check_offsets(api.process(doc), doc.text)


def test_long_documents_are_analysed_in_pieces_with_offsets_kept():
    from pipeline.kiwi import CHUNK, chunks

    text = ("카카오는 2020년 3월 5억 원을 기부했다. " * 900) + "끝\n" + ("가" * (CHUNK * 2))
    pieces = chunks(text)
    assert pieces[0][0] == 0 and pieces[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in itertools.pairwise(pieces))
    assert all(e - s <= CHUNK for s, e in pieces)
    assert text[pieces[0][1] - 2 : pieces[0][1]] == ". "  # cut after a sentence end
    r = extract(text, "2021-06")
    check_offsets(r, text)
    assert len(r.dates) == 900 and len(r.amounts) == 900


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_in_the_folder_is_an_error_row_and_does_not_block(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "good.txt").write_text(TEXT, encoding="utf-8")
    os.mkfifo(src / "pipe.txt")  # nobody ever writes to it: opening it for reading would wait forever
    os.mkfifo(src / "good.meta.json")
    out = subprocess.run(
        [sys.executable, "-m", "pipeline", "run", str(src), "--out", str(tmp_path / "out")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 1, out.stderr
    docs = {d["doc_id"]: d for d in rows(tmp_path / "out" / "documents.csv")}
    assert docs["pipe"]["status"] == "error" and docs["pipe"]["error"].endswith("pipe.txt: not a regular file")
    assert docs["good"]["status"] == "error" and "good.meta.json: not a regular file" in docs["good"]["error"]


def test_an_unreadable_subfolder_is_an_error_row(tmp_path, monkeypatch):
    (tmp_path / "good.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "hidden.txt").write_text(TEXT, encoding="utf-8")
    real = os.scandir

    def scandir(path="."):
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    items = list(iter_documents(tmp_path))
    assert [i.doc_id for i in items] == ["good", "locked"]
    assert isinstance(items[1], DocumentError)
    assert items[1].error == f"{tmp_path / 'locked'}: cannot read folder (Permission denied)"


def test_a_document_over_a_million_characters_is_processed():
    edge = "카카오는 2020년 3월 5억 원을 기부했다.\n"
    text = edge + "다음 문단이다.\n" * 112_000 + edge  # about 1,008,000 characters
    assert len(text) > 1_000_000
    r = api._safe_process(Document("long", text, published="2021-06"))
    assert not isinstance(r, DocumentError), r.error
    check_offsets(r, text)
    assert [d["start"] for d in r.dates] == [5, len(text) - len(edge) + 5]


def test_a_document_over_the_limit_is_one_clear_error_row(monkeypatch):
    from pipeline import nlp

    monkeypatch.setattr(nlp, "MAX_CHARS", 100)
    r = api._safe_process(Document("huge", "가" * 101, path="huge.txt"))
    assert isinstance(r, DocumentError)
    assert r.error == "huge.txt: document too long (101 characters; the limit is 100): split it"
