"""Articles as researchers have them: saved web pages, PDF reports and spreadsheets give the same
records as the same article given as ``.txt``, with offsets into the text saved beside them.

Every input is generated here: an HTML page with navigation, footer, comments, a related-article
list and a ``<time>`` date; a two-page Korean PDF (fpdf2, with a Nanum font from the
koreanize-matplotlib package or the OS's fonts-nanum; skipped without one) with a running header
and page numbers; a CSV and an XLSX with Korean column names.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from pathlib import Path

import pytest

from benchmarks.pdf_readers import korean_font, make_pdf
from pipeline import schema
from pipeline.api import run
from pipeline.ingest import Columns, Document, DocumentError, iter_documents
from pipeline.readers.pdf import drop_running_lines, join_pages, wrap_separator
from pipeline.texts import TEXTS_FILE, read_texts

PARAGRAPHS = [
    "카카오는 2020년 3월 보건복지부와 협약을 맺고 코로나19 대응 기금 10억 원을 기부했다. "
    "이어 카카오 임직원은 2020년 4월 대구 지역 의료진에게 도시락 1천 개를 전달했다.",
    "삼성전자는 2021년 5월 사회복지공동모금회에 성금 30억 원을 전달했으며, "
    "같은 해 12월에는 연말 이웃돕기 성금 500억 원을 기탁했다.",
    "네이버는 2019년 11월 한국장학재단과 함께 대학생 100명에게 장학금 2억 원을 지원했다.",
]
TEXT = "\n".join(PARAGRAPHS)
TITLE = "카카오, 코로나19 기금 기부"
PUBLISHED = "2021-06-15"
HEADER = "2021 카카오 지속가능경영보고서"

# noise that must not reach the records: each holds a date, an organisation or an amount
NAV = '<nav><ul><li><a href="/">홈</a></li><li><a href="/esg">ESG</a></li><li><a href="/kb">KB국민은행 소식</a></li></ul></nav>'
RELATED = (
    '<section class="related"><h3>관련기사</h3><ul>'
    '<li><a href="/a/1">LG전자, 2018년 7월 5억 원 기부</a></li>'
    '<li><a href="/a/2">현대자동차, 2017년 12월 장학금 3억 원 전달</a></li></ul></section>'
)
FOOTER = "<footer><p>Copyright 2021 Kakao Corp. 문의: 2022년 1월 1일부터 SK텔레콤 고객센터</p></footer>"
COMMENTS = '<div class="comments"><h3>댓글</h3><p>포스코도 2016년 8월에 10억 원을 냈는데요</p></div>'


def html_page(paragraphs: list[str] = PARAGRAPHS) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        '<!doctype html><html lang="ko"><head><meta charset="utf-8">'
        f"<title>{TITLE} | 뉴스룸</title>"
        '<link rel="canonical" href="https://news.example.com/article/123">'
        f'<meta property="og:title" content="{TITLE}"></head><body>{NAV}'
        f'<header><div class="logo">뉴스룸</div></header><article><h1>{TITLE}</h1>'
        f'<time datetime="{PUBLISHED}">2021.06.15</time>{body}{RELATED}</article>{COMMENTS}{FOOTER}</body></html>'
    )


def pdf_bytes(pages: list[list[str]], width: float = 0, header: str = HEADER, wrap: str = "WORD") -> bytes:
    """A PDF with one page per item of ``pages`` (its paragraphs), ``header`` on top of every page
    and its number at the bottom (:func:`benchmarks.pdf_readers.make_pdf`); skips without fpdf2 or
    a Korean font."""
    pytest.importorskip("fpdf")
    if korean_font() is None:
        pytest.skip("no Korean font (koreanize-matplotlib or fonts-nanum)")
    return make_pdf(pages, width=width, wrap=wrap, header=header)


def write_sheets(folder: Path) -> None:
    """The article as a row of a CSV and of an XLSX (no id column; an Excel date), Korean headers."""
    with (folder / "기사.csv").open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "제목", "날짜", "본문"])
        w.writerow(["csv-1", TITLE, "2021.6.15", TEXT])
    pd = pytest.importorskip("pandas")
    pytest.importorskip("openpyxl")
    import datetime as dt

    frame = pd.DataFrame({"제목": [TITLE], "날짜": [dt.datetime(2021, 6, 15)], "본문": [TEXT]})
    frame.to_excel(folder / "기사목록.xlsx", index=False)


def records(out: Path, doc_id: str) -> Counter:
    """A document's records without what depends on where its text sits (offsets, sentence ids, page)."""
    found: Counter = Counter()
    placement = {"doc_id", "sentence_id", "start", "end", schema.PAGE_COLUMN}
    for table in schema.span_tables():
        for row in read_csv(out / f"{table}.csv"):
            if row["doc_id"] == doc_id:
                found[(table, *((k, v) for k, v in row.items() if k not in placement))] += 1
    for row in read_csv(out / "events.csv"):
        if row["doc_id"] == doc_id:
            found[("events", row["date_value"], row["orgs"], row["amounts"], row["category"], row["actor"])] += 1
    return found


def read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def every_form(tmp_path_factory):
    pytest.importorskip("trafilatura")
    folder = tmp_path_factory.mktemp("forms")
    src = folder / "in"
    src.mkdir()
    (src / "article.txt").write_text(TEXT, encoding="utf-8")
    (src / "page.html").write_text(html_page(), encoding="utf-8")
    if korean_font() is not None:  # without one only the PDF's tests skip
        (src / "report.pdf").write_bytes(pdf_bytes([PARAGRAPHS[:2], PARAGRAPHS[2:]]))
    write_sheets(src)
    out = folder / "out"
    summary = run([src], out, published="2020")
    assert summary.failed == 0, summary.errors
    return out


FORMS = ["page", "report", "csv-1", "기사목록:2"]


def needs_pdf(out: Path) -> None:
    if not (out.parent / "in" / "report.pdf").exists():
        pytest.skip("no Korean font (koreanize-matplotlib or fonts-nanum) to make the PDF with")


@pytest.mark.parametrize("doc_id", FORMS)
def test_every_form_gives_the_records_of_the_txt(every_form, doc_id):
    if doc_id == "report":
        needs_pdf(every_form)
    expected = records(every_form, "article")
    assert sum(expected.values()) > 15 and any(k[0] == "events" for k in expected)
    assert records(every_form, doc_id) == expected


def test_offsets_count_in_the_saved_texts(every_form):
    texts = read_texts(every_form)
    documents = {r["doc_id"]: r for r in read_csv(every_form / "documents.csv")}
    assert set(texts) == {"article", *FORMS} - ({"report"} if korean_font() is None else set()) == set(documents)
    for doc_id, text in texts.items():
        assert int(documents[doc_id]["chars"]) == len(text)
        for table in schema.span_tables():
            for row in read_csv(every_form / f"{table}.csv"):
                if row["doc_id"] == doc_id:
                    assert text[int(row["start"]) : int(row["end"])] == row["text"]
    assert texts["article"] == TEXT
    assert texts["csv-1"] == TEXT and texts["기사목록:2"] == TEXT  # a cell is taken as it is


def test_html_keeps_paragraphs_and_takes_metadata_from_the_page(every_form):
    text = read_texts(every_form)["page"]
    assert text == TEXT  # navigation, title line, date line, related articles, comments, footer gone
    doc = {r["doc_id"]: r for r in read_csv(every_form / "documents.csv")}["page"]
    assert (doc["title"], doc["published"]) == (TITLE, PUBLISHED)  # from the page, over --published
    (page,) = (d for d in iter_documents(every_form.parent / "in" / "page.html") if isinstance(d, Document))
    assert page.source == "https://news.example.com/article/123"


def test_a_sidecar_wins_over_the_page_metadata(tmp_path):
    pytest.importorskip("trafilatura")
    (tmp_path / "p.html").write_text(html_page(), encoding="utf-8")
    (tmp_path / "p.meta.json").write_text('{"published": "2021-07", "source": "newsroom"}', encoding="utf-8")
    (doc,) = iter_documents(tmp_path)
    assert isinstance(doc, Document)
    assert (doc.title, doc.published, doc.source) == (TITLE, "2021-07", "newsroom")


def test_pdf_drops_running_lines_and_gives_pages(every_form):
    needs_pdf(every_form)
    text = read_texts(every_form)["report"]
    assert HEADER not in text and "- 1 -" not in text and "- 2 -" not in text
    assert text.replace("\n", " ") == TEXT.replace("\n", " ")  # sentence ends keep their line break
    assert {r["doc_id"]: r for r in read_csv(every_form / "documents.csv")}["report"]["pages"] == "2"
    pages = {row["text"]: row["page"] for row in read_csv(every_form / "dates.csv") if row["doc_id"] == "report"}
    assert pages["2020년 3월"] == "1" and pages["2019년 11월"] == "2"
    assert all(row["page"] == "" for row in read_csv(every_form / "dates.csv") if row["doc_id"] != "report")


def test_a_line_break_inside_a_korean_word_is_no_space(tmp_path):
    # a narrow column wrapped at any character breaks words (보건복지부|와); each join is undone
    narrow = pdf_bytes([[PARAGRAPHS[0]]], width=52, header="", wrap="CHAR")
    (tmp_path / "narrow.pdf").write_bytes(narrow)
    (doc,) = iter_documents(tmp_path)
    assert isinstance(doc, Document)
    assert doc.text.replace("\n", " ") == PARAGRAPHS[0]


@pytest.mark.parametrize(
    "before,after,sep",
    [
        ("협약을 맺고 코로나19 대응 기금 10억 원을 기부했다.", "이어 카카오", "\n"),
        ("카카오는 2020년 3월 보건복지부", "와 협약을 맺고", ""),
        ("대구 지역 의료진에", "게 도시락", ""),
        ("대구 지역", "의료진에게 도시락", " "),
        ("기금 10억", "원을 기부했다", " "),
        ("지난 2020", "년 3월", ""),
        ("기부했", "다. 이어", ""),
        ("기부했다", ". 이어", ""),
        ("the sustain-", "ability report", "\x00"),
        ("ESG", "보고서", " "),
    ],
)
def test_wrap_separator(before, after, sep):
    assert wrap_separator(before, after) == sep


def test_running_lines_are_found_by_repetition_digits_ignored():
    pages = [["보고서 2021", "본문 하나", "3"], ["보고서 2021", "본문 둘", "4"], ["보고서 2021", "본문 셋", "5"]]
    assert drop_running_lines(pages) == [["본문 하나"], ["본문 둘"], ["본문 셋"]]
    text, starts = join_pages(drop_running_lines(pages))
    assert text == "본문 하나 본문 둘 본문 셋"
    assert [text[s:].split(" 본문")[0] for s in starts] == ["본문 하나", "본문 둘", "본문 셋"]


def errors_of(folder: Path, **kw) -> dict[str, str]:
    return {d.doc_id: d.error for d in iter_documents(folder, **kw) if isinstance(d, DocumentError)}


def test_scanned_and_encrypted_pdfs_are_error_rows(tmp_path):
    pypdf = pytest.importorskip("pypdf")
    fpdf = pytest.importorskip("fpdf")
    scan = fpdf.FPDF()
    scan.add_page()
    scan.rect(20, 20, 100, 150, style="F")  # a page of ink and no text, as a scan is
    (tmp_path / "scan.pdf").write_bytes(bytes(scan.output()))

    def encrypted(user_password: str) -> bytes:
        writer = pypdf.PdfWriter(clone_from=io.BytesIO(pdf_bytes([PARAGRAPHS[:1]], header="")))
        writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
        buf = io.BytesIO()
        writer.write(buf)
        return buf.getvalue()

    (tmp_path / "locked.pdf").write_bytes(encrypted("secret"))
    (tmp_path / "protected.pdf").write_bytes(encrypted(""))  # no-editing protection only: readable
    errors = errors_of(tmp_path)
    assert errors.keys() == {"scan", "locked"}
    assert "no text layer" in errors["scan"] and "encrypted PDF" in errors["locked"]
    (doc,) = (d for d in iter_documents(tmp_path / "protected.pdf") if isinstance(d, Document))
    assert doc.text.replace("\n", " ") == PARAGRAPHS[0]


def test_html_without_main_text_is_an_error_row(tmp_path):
    pytest.importorskip("trafilatura")
    (tmp_path / "menu.html").write_text(f"<html><body>{NAV}{FOOTER}</body></html>", encoding="utf-8")
    (tmp_path / "broken.html").write_text("<html><body><div><p", encoding="utf-8")
    (tmp_path / "good.html").write_text(html_page(), encoding="utf-8")
    errors = errors_of(tmp_path)
    assert errors.keys() == {"menu", "broken"}
    assert all("no main text found" in e for e in errors.values())


def test_sheets_without_text_column_empty_sheets_and_bad_rows_are_error_rows(tmp_path):
    pd = pytest.importorskip("pandas")
    pytest.importorskip("openpyxl")
    (tmp_path / "제목만.csv").write_text("제목,날짜\n기사,2021-06-15\n", encoding="utf-8")
    (tmp_path / "rows.csv").write_text(
        f'id,본문,날짜\na,"{PARAGRAPHS[2]}",2021-06\nb,,2021-06\nc,"{PARAGRAPHS[2]}",지난주\n', encoding="utf-8"
    )
    with pd.ExcelWriter(tmp_path / "book.xlsx") as xw:
        pd.DataFrame({"본문": [PARAGRAPHS[2]]}).to_excel(xw, sheet_name="기사", index=False)
        pd.DataFrame().to_excel(xw, sheet_name="빈시트", index=False)
    items = list(iter_documents(tmp_path))
    ok = {d.doc_id: d for d in items if isinstance(d, Document)}
    errors = {d.doc_id: d.error for d in items if isinstance(d, DocumentError)}
    assert set(ok) == {"a", "book:기사:2"} and ok["a"].published == "2021-06"
    assert ok["book:기사:2"].path.endswith("book.xlsx:기사:2")
    assert "no text column" in errors["제목만"] and "--text-column" in errors["제목만"]
    assert "empty text" in errors["b"] and "rows.csv:3" in errors["b"]
    assert "published date" in errors["c"]
    assert "empty sheet" in errors["book:빈시트"]


def test_column_options_name_the_columns(tmp_path):
    (tmp_path / "a.csv").write_text(f'기사번호,기사 본문,등록일\nx1,"{PARAGRAPHS[2]}",2021-06-15\n', encoding="utf-8")
    assert "no text column" in errors_of(tmp_path)["a"]
    columns = Columns(text=("기사 본문",), id=("기사번호",), date=("등록일",))
    (doc,) = iter_documents(tmp_path, columns=columns)
    assert isinstance(doc, Document)
    assert (doc.doc_id, doc.text, doc.published) == ("x1", PARAGRAPHS[2], "2021-06-15")


def test_cli_column_options(tmp_path, monkeypatch):
    from pipeline.cli import main

    (tmp_path / "a.csv").write_text(f'기사번호,기사 본문\nx1,"{PARAGRAPHS[2]}"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["run", "a.csv", "--out", "out", "-q", "--text-column", "기사 본문", "--id-column", "기사번호"]) == 0
    assert read_texts(tmp_path / "out") == {"x1": PARAGRAPHS[2]}


def test_a_document_id_never_writes_outside_the_output_folder(tmp_path):
    ids = ["../../x", "/etc/y", "../texts", "a/../../b"]
    src = tmp_path / "deep" / "in"
    src.mkdir(parents=True)
    (src / "ids.jsonl").write_text(
        "\n".join(json.dumps({"id": i, "text": PARAGRAPHS[2]}, ensure_ascii=False) for i in ids) + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "deep" / "out"
    before = {p for p in tmp_path.rglob("*")}
    assert run([src], out).failed == 0
    written = {p for p in tmp_path.rglob("*")} - before
    assert all(p == out or out in p.parents for p in written), written
    assert not Path("/etc/y").exists()
    assert read_texts(out) == dict.fromkeys(ids, PARAGRAPHS[2])
    assert (out / TEXTS_FILE).exists()


def test_evaluate_refuses_predictions_made_on_another_text(tmp_path):
    from pipeline.evaluate import evaluate, load_gold

    gold_dir = Path(__file__).parent / "fixtures"
    first = load_gold(gold_dir)[0]
    pred = tmp_path / "pred"
    pred.mkdir()
    for name, cols in schema.COLUMNS.items():
        (pred / f"{name}.csv").write_text(",".join(cols) + "\n", encoding="utf-8-sig")
    line = {"doc_id": first.doc_id, "text": first.text}
    (pred / TEXTS_FILE).write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    assert evaluate(gold_dir, pred).row("DATE")["pred"] == 0  # the same text: scored
    line["text"] = "<p>" + first.text
    (pred / TEXTS_FILE).write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=f"another text than the gold fixture for {first.doc_id}"):
        evaluate(gold_dir, pred)
