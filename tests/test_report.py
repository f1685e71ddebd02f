"""`python -m pipeline report` (pipeline/report.py): one self-contained HTML file in which every
record is present, every link leads somewhere, nothing is fetched from the network, and 1,000
documents are split into pages and per-document sections."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
from html import escape as html_escape
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar

import pandas as pd
import pytest

from pipeline import schema
from pipeline.export import COLUMNS
from pipeline.ingest import InputError
from pipeline.report import (
    LABEL_COLORS,
    RUN_INFO,
    ReportError,
    build_report,
    event_span,
    format_krw,
    load_texts,
    make_report,
    money_by,
    period,
    read_tables,
    report_command,
    review_rows,
    write_report,
)
from pipeline.texts import TEXTS_FILE
from scripts.report_screenshot import chromium_command

ROOT = Path(__file__).resolve().parent.parent
SPAN_TABLES = ("dates", "organizations", "amounts")

ARTICLES = {
    "hana.txt": "하나금융그룹은 2023년 12월 20일 사회복지공동모금회에 이웃돕기 성금 53.9억 원을 전달했다.\n"
    "이 성금은 2024년 1월부터 3월까지 저소득 가구 1,200가구의 난방비로 쓰인다.\n"
    "하나금융그룹은 지난해에도 5억 원을 기부했다.",
    "posco.md": "# 포스코 봉사\n\n포스코는 2022년 임직원 1만 2천여 명이 봉사활동에 참여했다고 밝혔다. "
    "포스코1%나눈재단은 올해 3월 전국 환경단체 20곳에 모두 12억 원을 기부한다.",
    "markup.txt": "<p>카카오는 2020년 3월부터 6월까지 <b>가맹점</b> 수수료 100%를 면제했다.</p>\n"
    "<p>카카오페이는 &quot;상생&quot; 캠페인으로 3,000만 원을 모았다.</p>",
}
JSONL = [
    {"id": "lg", "text": "LG유플러스는 올해 3월 연탄 1만 6천 장을 전달했다. 서울시와 함께 2023년 10월 협약을 맺었다."},
    "{not json",
    {"id": "cj", "text": "CJ제일제당은 2021년 여름방학 기간에 도시락 30만 개를 지원했다.", "published": "2021-09"},
]


# ---------------------------------------------------------------------------------------------
# Reading the HTML back


class Page(HTMLParser):
    """Ids, links, record rows and highlighted records of a report, with each element's ancestors."""

    VOID: ClassVar[set[str]] = {
        "meta",
        "br",
        "hr",
        "img",
        "input",
        "link",
        "area",
        "base",
        "col",
        "embed",
        "source",
        "wbr",
        "rect",
        "circle",
        "line",
        "path",
    }

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.hrefs: list[str] = []
        self.attr_urls: list[str] = []
        self.tags: set[str] = set()
        self.stack: list[tuple[str, dict]] = []
        self.rows: dict[str, dict] = {}  # data-rec → {"hrefs": [...], "text": ...}
        self.marks: dict[str, dict] = {}  # data-rec → {"sent": id of the enclosing .sent, "text": ...}
        self.views: dict[str, list] = {}  # view id → [data-doc row numbers]
        self._capture: list[tuple[str, dict, list]] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.add(tag)
        if "id" in a:
            self.ids.append(a["id"])
        for key in ("href", "src", "xlink:href", "action", "data", "poster"):
            if key in a:
                self.attr_urls.append(a[key])
        if tag == "a" and "href" in a:
            self.hrefs.append(a["href"])
            for _, _, bucket in self._capture:
                bucket.append(("href", a["href"]))
        if tag == "section" and "view" in a.get("class", ""):
            self.views[a["id"]] = []
        if tag == "tr" and "data-doc" in a:
            view = next(attrs_["id"] for t, attrs_ in reversed(self.stack) if t == "section")
            self.views[view].append(int(a["data-doc"]))
        if tag == "tr" and "data-rec" in a:
            self._capture.append(("tr", a, []))
        if tag == "mark" and "data-rec" in a:
            sent = next(
                (attrs_.get("id") for t, attrs_ in reversed(self.stack) if "sent" in attrs_.get("class", "").split()),
                None,
            )
            self._capture.append(("mark", {**a, "sent": sent}, []))
        if tag not in self.VOID:
            self.stack.append((tag, a))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        assert self.stack and self.stack[-1][0] == tag, f"</{tag}> closes <{self.stack[-1][0] if self.stack else None}>"
        self.stack.pop()
        if self._capture and self._capture[-1][0] == tag:
            kind, a, bucket = self._capture.pop()
            text = "".join(x for k, x in bucket if k == "text")
            hrefs = [x for k, x in bucket if k == "href"]
            target = self.rows if kind == "tr" else self.marks
            assert a["data-rec"] not in target, f"{kind} {a['data-rec']} appears twice"
            target[a["data-rec"]] = {"text": text, "hrefs": hrefs, "sent": a.get("sent")}
            for _, _, outer in self._capture:
                outer.extend(bucket)

    def handle_data(self, data):
        for _, _, bucket in self._capture:
            bucket.append(("text", data))


def doc_numbers(docs: pd.DataFrame) -> dict[str, int]:
    """doc_id → the number of the section holding its records: its first row, or its first ok row."""
    anchor, status = {}, {}
    for n, r in enumerate(docs.to_dict("records"), start=1):
        if r["doc_id"] not in anchor or (status[r["doc_id"]] != "ok" and r["status"] == "ok"):
            anchor[r["doc_id"]], status[r["doc_id"]] = n, r["status"]
    return anchor


def check_report(html: str, tables: dict[str, pd.DataFrame], highlighted: set[str] | None = None) -> Page:
    """Every record present with a link to its sentence, every link target present, no URL.
    ``highlighted``: the doc_ids whose records must also be highlighted in their text."""
    page = Page(html)
    assert not page.stack, f"unclosed elements: {[t for t, _ in page.stack]}"
    ids = set(page.ids)
    assert len(ids) == len(page.ids), "duplicate ids"
    # every link target exists; no link or source leaves the file
    for href in page.hrefs:
        assert href.startswith("#"), f"link out of the file: {href}"
        assert href[1:] in ids, f"link to a missing anchor: {href}"
    for url in page.attr_urls:
        assert not re.match(r"(?i)\s*(https?:|//|ftp:|file:|data:)", url), url
    assert not page.tags & {"script", "link", "img", "iframe", "object", "embed", "video", "audio", "base"}
    style = "".join(re.findall(r"<style>(.*?)</style>", html, re.S))
    assert "url(" not in style and "@import" not in style
    assert not re.search(r"""(?i)(src|href)\s*=\s*["']?\s*https?://""", html)

    docs = tables["documents"]
    anchor = doc_numbers(docs)
    for n in range(1, len(docs) + 1):
        assert f"doc-{n}" in ids
    # every record: a row linking to its sentence, and (when highlighted) a mark inside that sentence
    for name in (*SPAN_TABLES, "events"):
        for i, r in enumerate(tables[name].to_dict("records")):
            key = f"{name}:{i}"
            assert key in page.rows, f"{key} missing from the report"
            target = f"#doc-{anchor[r['doc_id']]}-s{r['sentence_id']}"
            assert target in page.rows[key]["hrefs"], (key, page.rows[key]["hrefs"], target)
            if name == "events":
                assert r["date_text"] in page.rows[key]["text"]
                continue
            assert r["text"] in page.rows[key]["text"]
            if highlighted is not None and r["doc_id"] in highlighted:
                assert key in page.marks, f"{key} ({r['text']}) not highlighted"
                assert page.marks[key]["text"].startswith(r["text"]), (key, page.marks[key]["text"])
                assert page.marks[key]["sent"] == target[1:], (key, page.marks[key]["sent"], target)
    n_rows = sum(len(tables[n]) for n in (*SPAN_TABLES, "events"))
    assert len(page.rows) == n_rows
    return page


# ---------------------------------------------------------------------------------------------
# Values


def test_krw_in_eok_and_man():
    assert format_krw(5390000000) == "53억 9,000만 원"
    assert format_krw("500000000") == "5억 원"
    assert format_krw(1200000000000) == "1조 2,000억 원"
    assert format_krw(12345) == "1만 2,345 원"
    assert format_krw(30000000) == "3,000만 원"
    assert format_krw(900) == "900 원"
    assert format_krw(0) == "0 원"
    assert format_krw("5390000000.4") == "53억 9,000만 원"


def _amount_rows(rows):
    return pd.DataFrame(rows, columns=["doc_id", "sentence_id", "start", "end", "text", "kind", "value", "unit"])


def _money_tables(amounts):
    events = pd.DataFrame(
        [["d", "1", "한빛재단", "한빛재단", "", "support", "s1"]],
        columns=["doc_id", "sentence_id", "orgs", "actor", "counterparts", "category", "sentence"],
    )
    orgs = pd.DataFrame([], columns=["doc_id", "sentence_id", "name"])
    return {"events": events, "organizations": orgs, "amounts": _amount_rows(amounts)}


# 한빛재단은 2023년 5월 가구당 15만~73만 원을 지원했고 별도로 1억 원을 기탁했다.
RANGE_TEXT = "한빛재단은 2023년 5월 가구당 15만~73만 원을 지원했고 별도로 1억 원을 기탁했다."
RANGE_ROWS = [
    ["d", "1", 19, 22, "15만", "MONEY", "150000", "KRW"],
    ["d", "1", 23, 28, "73만 원", "MONEY", "730000", "KRW"],
    ["d", "1", 39, 43, "1억 원", "MONEY", "100000000", "KRW"],
]


@pytest.mark.parametrize("texts", [None, {"d": RANGE_TEXT}], ids=["without-texts", "with-texts"])
def test_money_credits_a_range_once_at_its_upper_end(texts):
    """``15만~73만 원`` is two MONEY spans; the sentence is credited its upper end once (as ``최대
    73만 원`` would be), not 88만 원, and the evidence shows the range as written."""
    assert RANGE_TEXT[19:22] == "15만" and RANGE_TEXT[23:28] == "73만 원" and RANGE_TEXT[39:43] == "1억 원"
    per_sentence, by_category = money_by(_money_tables(RANGE_ROWS), texts)
    (row,) = per_sentence.itertuples()
    assert int(row.krw) == 100730000
    assert row.texts == ["15만~73만 원", "1억 원"]
    assert int(by_category.krw.sum()) == 100730000


def test_money_range_with_a_unit_on_both_ends_needs_the_text():
    """``15만 원~73만 원``: both ends carry the unit; the join is read from the document's text."""
    text = "한빛재단은 2023년 5월 가구당 15만 원~73만 원을 지원했다."
    rows = [
        ["d", "1", 19, 24, "15만 원", "MONEY", "150000", "KRW"],
        ["d", "1", 25, 30, "73만 원", "MONEY", "730000", "KRW"],
    ]
    assert text[19:24] == "15만 원" and text[25:30] == "73만 원"
    (row,) = money_by(_money_tables(rows), {"d": text})[0].itertuples()
    assert int(row.krw) == 730000
    # two amounts listed with a comma are two sums
    listed = text.replace("~", ",")
    (row,) = money_by(_money_tables(rows), {"d": listed})[0].itertuples()
    assert int(row.krw) == 880000


def test_money_ends_of_different_currencies_are_no_range():
    rows = [
        ["d", "1", 19, 22, "15만", "MONEY", "150000", "KRW"],
        ["d", "1", 23, 29, "73만 달러", "MONEY", "730000", "USD"],
    ]
    (row,) = money_by(_money_tables(rows))[0].itertuples()
    assert int(row.krw) == 150000 and row.other == [("USD", 730000)]


def test_periods_and_event_spans():
    assert period("2020-03") == (pd.Timestamp("2020-03-01").date(), pd.Timestamp("2020-04-01").date())
    assert period("2021-Q1")[1] == pd.Timestamp("2021-04-01").date()
    assert period("2020-H2")[0] == pd.Timestamp("2020-07-01").date()
    assert period("2020-12-31")[1] == pd.Timestamp("2021-01-01").date()
    assert period("XXXX-03") is None and period("P1M") is None and period("2021-02-30") is None
    assert period("2021-W05") == (pd.Timestamp("2021-02-01").date(), pd.Timestamp("2021-02-08").date())  # timex
    assert period("not a date") is None and period("") is None
    start, end = event_span({"date_value": "2020-03", "date_start": "2020-03", "date_end": "2020-06"})
    assert (start.isoformat(), end.isoformat()) == ("2020-03-01", "2020-07-01")
    assert event_span({"date_value": "2024-Q1", "date_start": "2024-Q1", "date_end": ""})[1] is None
    assert event_span({"date_value": "XXXX-03", "date_start": "", "date_end": ""}) is None


# ---------------------------------------------------------------------------------------------
# The committed extracted/


@pytest.fixture(scope="module")
def committed(tmp_path_factory):
    out = tmp_path_factory.mktemp("committed") / "report.html"
    path = write_report(ROOT / "extracted", html_path=out, base_dir=ROOT)
    return path, read_tables(ROOT / "extracted")


def test_committed_report_has_every_record_highlighted_and_linked(committed):
    path, tables = committed
    html = path.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in html
    ok = set(tables["documents"].loc[tables["documents"]["status"] == "ok", "doc_id"])
    page = check_report(html, tables, highlighted=ok)
    assert "Not highlighted" not in html
    assert {"overview", "money", "review", "docs-1", "events-1"} <= set(page.views)
    assert "53억 9,000만 원" in html  # the seed's 53.9억 원, in 억/만
    # the timeline: a bar for the 2020-03…2020-06 range, a dot per single date
    assert html.count('<svg class="chart"') >= 3
    assert "2020-03 – 2020-06" in html


def test_committed_report_is_self_contained(committed):
    path, _ = committed
    html = path.read_text(encoding="utf-8")
    assert not re.search(r"""(?i)\b(src|href)\s*=\s*["']?\s*(https?:)?//""", html)
    assert "<script" not in html and "<link" not in html and "@font-face" not in html
    assert html.count("<style>") == 1


# ---------------------------------------------------------------------------------------------
# A run of the command line on a folder of Korean articles


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("corpus")
    src = root / "in"
    src.mkdir()
    for name, text in ARTICLES.items():
        (src / name).write_text(text, encoding="utf-8")
    (src / "hana.meta.json").write_text(
        json.dumps({"title": "하나금융 성금", "published": "2023-12-21"}, ensure_ascii=False), encoding="utf-8"
    )
    (src / "news.jsonl").write_text(
        "\n".join(x if isinstance(x, str) else json.dumps(x, ensure_ascii=False) for x in JSONL) + "\n",
        encoding="utf-8",
    )
    (src / "empty.txt").write_text("   \n", encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "pipeline", "run", "in", "--out", "out", "--published", "2024-05", "--quiet"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 1, run.stderr  # the empty file and the bad JSONL line fail, the rest is written
    return root


def test_corpus_report_has_every_record_and_link(corpus):
    path = write_report(corpus / "out", base_dir=corpus)
    assert path == corpus / "out" / "report.html"
    assert not [p for p in (corpus / "out").iterdir() if ".tmp" in p.name]
    tables = read_tables(corpus / "out")
    docs = tables["documents"]
    assert len(docs) >= 6 and (docs["status"] == "error").sum() == 2
    ok = set(docs.loc[docs["status"] == "ok", "doc_id"])
    assert {"hana", "posco", "markup", "lg", "cj"} <= ok
    assert len(tables["events"]) >= 4
    html = path.read_text(encoding="utf-8")
    check_report(html, tables, highlighted=ok)  # .txt, .md, markup and JSONL texts all read back
    assert "Not highlighted" not in html
    # failed documents are shown with their reason, and listed for review
    for err in docs.loc[docs["status"] == "error", "error"]:
        assert html_escape(err) in html
    assert html.count("document failed") >= 2
    # HTML in the source text is shown as text, never as markup
    assert "&lt;b&gt;" in html and "<b>가맹점" not in html
    # money by organisation, in 억/만
    per_sentence, _ = money_by(tables)
    assert "하나금융그룹" in set(per_sentence["org"])
    assert "53억 9,000만 원" in html


def test_cli_report_via_subprocess_when_wired(corpus):
    """`python -m pipeline report --out DIR` once cli.py has the subcommand (skipped before)."""
    help_ = subprocess.run([sys.executable, "-m", "pipeline", "--help"], cwd=corpus, capture_output=True, text=True)
    if "report" not in help_.stdout:
        pytest.skip("the report subcommand is not wired into pipeline/cli.py yet")
    (corpus / "out" / "report.html").unlink(missing_ok=True)
    run = subprocess.run(
        [sys.executable, "-m", "pipeline", "report", "--out", "out"],
        cwd=corpus,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr
    check_report((corpus / "out" / "report.html").read_text(encoding="utf-8"), read_tables(corpus / "out"))


def test_report_of_a_parquet_run_has_the_same_records_as_of_the_csv_run(corpus, tmp_path):
    """`run --format parquet` then `report`: the report reads the Parquet tables (pipeline.export.table_path)
    and shows the same records and links as the report of the CSV run of the same inputs."""
    pytest.importorskip("pyarrow")
    root = tmp_path / "copy"
    shutil.copytree(corpus / "in", root / "in")
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pipeline",
            "run",
            "in",
            "--out",
            "pq",
            "--published",
            "2024-05",
            "--quiet",
            "--format",
            "parquet",
        ],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 1, run.stderr
    assert (root / "pq" / "documents.parquet").exists() and not (root / "pq" / "documents.csv").exists()
    from_parquet, from_csv = read_tables(root / "pq"), read_tables(corpus / "out")
    for name, frame in from_csv.items():
        assert from_parquet[name].to_dict("records") == frame.to_dict("records"), name
    html = write_report(root / "pq", base_dir=root).read_text(encoding="utf-8")
    ok = set(from_parquet["documents"].loc[from_parquet["documents"]["status"] == "ok", "doc_id"])
    check_report(html, from_parquet, highlighted=ok)
    assert "53억 9,000만 원" in html


def test_damaged_parquet_table_is_one_line_error(corpus, tmp_path):
    pytest.importorskip("pyarrow")
    root = tmp_path / "copy"
    shutil.copytree(corpus / "out", root)
    for name in ("documents", "dates", "organizations", "amounts", "events"):
        (root / f"{name}.csv").unlink(missing_ok=True)
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"doc_id": ["a"]}), root / "documents.parquet")
    with pytest.raises(ReportError) as err:
        read_tables(root)
    assert "documents.parquet" in str(err.value) and "'path'" in str(err.value) and "\n" not in str(err.value)
    (root / "documents.parquet").write_bytes(b"PAR1 cut short")
    with pytest.raises(ReportError, match="not a readable Parquet file"):
        read_tables(root)


def test_changed_or_missing_text_lists_records_without_highlighting(corpus, tmp_path):
    root = tmp_path / "copy"
    shutil.copytree(corpus, root)
    (root / "in" / "hana.txt").write_text(ARTICLES["hana.txt"] + "\n추가된 문장.", encoding="utf-8")
    (root / "in" / "posco.md").unlink()
    (root / "in" / "news.jsonl").write_text("", encoding="utf-8")
    (root / "out" / TEXTS_FILE).unlink()  # a run from before texts were saved: read back from the inputs
    path = write_report(root / "out", base_dir=root)
    html = path.read_text(encoding="utf-8")
    tables = read_tables(root / "out")
    page = check_report(html, tables, highlighted={"markup"})  # every record and link still there
    n = doc_numbers(tables["documents"])
    for doc_id in ("hana", "posco", "lg", "cj"):
        assert not [k for k, m in page.marks.items() if (m["sent"] or "").startswith(f"doc-{n[doc_id]}-")]
        section = html.split(f'id="doc-{n[doc_id]}"', 1)[1].split("</section>", 1)[0]
        assert "Not highlighted:" in section and "Sentences with records" in section
    assert "documents.csv says" in html  # hana: changed since the run
    unreadable = load_texts(tables["documents"], root)[1]
    assert set(unreadable) == {"posco", "lg", "cj"}  # gone, and a JSONL file emptied
    assert "posco.md" in unreadable["posco"] and "cannot read" in unreadable["posco"]
    review = review_rows(tables, unreadable)
    assert set(review.loc[review["issue"] == "text not readable", "doc_id"]) == {"posco", "lg", "cj"}
    assert ">not highlighted<" in html  # hana, in the report's review list


def test_write_report_replaces_atomically(corpus, tmp_path):
    target = tmp_path / "sub" / "r.html"
    target.parent.mkdir()
    target.write_text("old", encoding="utf-8")
    path = write_report(corpus / "out", html_path=target, docs_per_page=2, base_dir=corpus)
    assert path == target and target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in target.parent.iterdir()] == ["r.html"]
    with pytest.raises(FileNotFoundError):
        write_report(tmp_path / "nothing-here", base_dir=corpus)


# ---------------------------------------------------------------------------------------------
# Damaged tables: one line naming the file, never a traceback (issue 12, item 9)


def _cut(fraction):
    return lambda data: data[: int(len(data) * fraction)]


def _reencode_cp949(data: bytes) -> bytes:
    return data.decode("utf-8-sig").encode("cp949")


def _drop_column(column):
    def drop(data: bytes) -> bytes:
        df = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str, keep_default_na=False)
        return df.drop(columns=[column]).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")

    return drop


DAMAGES = {
    "events cut at 60%": ("events", _cut(0.6), "cut short"),
    "events cut at 95%": ("events", _cut(0.95), "cut short"),
    "organizations cut at 50%": ("organizations", _cut(0.5), "cut short"),
    "amounts cut inside its header": ("amounts", _cut(0.05), ""),
    "empty documents": ("documents", _cut(0), "empty file"),
    "documents re-saved as CP949": ("documents", _reencode_cp949, "not UTF-8"),
    "organizations re-saved as CP949": ("organizations", _reencode_cp949, "not UTF-8"),
    "dates without start": ("dates", _drop_column("start"), "'start'"),
    "documents without doc_id": ("documents", _drop_column("doc_id"), "'doc_id'"),
    "events without sentence_id": ("events", _drop_column("sentence_id"), "'sentence_id'"),
}


def _damaged_copy(corpus: Path, tmp_path: Path, name: str, damage) -> tuple[Path, Path]:
    out = tmp_path / "out"
    shutil.copytree(corpus / "out", out, ignore=shutil.ignore_patterns("*.html"))
    path = out / f"{name}.csv"
    path.write_bytes(damage(path.read_bytes()))
    return out, path


@pytest.mark.parametrize("case", DAMAGES)
def test_damaged_table_is_one_line_error(corpus, tmp_path, capsys, case):
    name, damage, reason = DAMAGES[case]
    out, path = _damaged_copy(corpus, tmp_path, name, damage)
    with pytest.raises(ReportError) as err:
        read_tables(out)
    message = str(err.value)
    assert isinstance(err.value, InputError) and err.value.path == str(path)
    assert message.startswith(f"{path}: ") and "\n" not in message and reason in message
    # the command: exit 2, one line on stderr, no report written
    assert report_command(out, base_dir=corpus) == 2
    stderr = capsys.readouterr().err
    assert stderr == f"error: {message}\n"
    assert not (out / "report.html").exists()


def test_optional_column_missing_is_read_as_empty(corpus, tmp_path):
    out, _ = _damaged_copy(corpus, tmp_path, "dates", _drop_column("mod"))
    tables = read_tables(out)
    assert set(tables["dates"]["mod"]) == {""}
    check_report(write_report(out, base_dir=corpus).read_text(encoding="utf-8"), tables)


def test_cli_damaged_table_exits_2_without_traceback(corpus, tmp_path):
    out, path = _damaged_copy(corpus, tmp_path, "documents", _reencode_cp949)
    run = subprocess.run(
        [sys.executable, "-m", "pipeline", "report", "--out", str(out)],
        cwd=corpus,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert run.stderr.startswith(f"error: {path}: not UTF-8") and run.stderr.count("\n") == 1


# ---------------------------------------------------------------------------------------------
# Finding the texts from another folder (issue 12, item 10)


def test_report_from_another_folder_finds_the_texts(corpus, tmp_path, monkeypatch):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # paths in documents.csv are relative to corpus/, the run's folder
    html_path = tmp_path / "r.html"
    written = make_report(corpus / "out", html_path=html_path)
    assert written.unreadable == {} and written.warning() is None
    tables = read_tables(corpus / "out")
    ok = set(tables["documents"].loc[tables["documents"]["status"] == "ok", "doc_id"])
    html = html_path.read_text(encoding="utf-8")
    check_report(html, tables, highlighted=ok)
    assert "Not highlighted" not in html and "cannot read" not in html


def test_report_uses_the_recorded_run_folder(corpus, tmp_path, monkeypatch, capsys):
    out = tmp_path / "results" / "2024" / "out"  # the outputs moved away from the inputs
    shutil.copytree(corpus / "out", out)
    assert json.loads((out / RUN_INFO).read_text(encoding="utf-8")) == {"cwd": str(corpus)}  # run wrote it
    (out / RUN_INFO).unlink()
    monkeypatch.chdir(tmp_path)
    # the run's saved texts: every text found without the inputs
    assert report_command(out) == 0
    assert "warning" not in capsys.readouterr().err
    (out / TEXTS_FILE).unlink()  # a run from before texts were saved: read back from the inputs
    # no record of where the run was: every text missing, a warning and exit status 1
    assert report_command(out) == 1
    err = capsys.readouterr().err
    assert "report written to" in err and err.count("\n") == 2
    assert "warning: 5 of 5 documents' texts could not be read" in err and "in/" in err
    html = (out / "report.html").read_text(encoding="utf-8")
    assert html.count(">text not readable<") == 5
    # the run's folder recorded in OUT/run.json: every text found
    (out / RUN_INFO).write_text(json.dumps({"cwd": str(corpus)}), encoding="utf-8")
    assert report_command(out) == 0
    assert "warning" not in capsys.readouterr().err
    tables = read_tables(out)
    ok = set(tables["documents"].loc[tables["documents"]["status"] == "ok", "doc_id"])
    check_report((out / "report.html").read_text(encoding="utf-8"), tables, highlighted=ok)


def test_cli_report_from_another_folder(corpus, tmp_path):
    run = subprocess.run(
        [sys.executable, "-m", "pipeline", "report", "--out", str(corpus / "out")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr
    assert "warning" not in run.stderr
    html = (corpus / "out" / "report.html").read_text(encoding="utf-8")
    assert "Not highlighted" not in html and ">text not readable<" not in html


def test_cli_report_warns_and_exits_1_when_texts_are_missing(corpus, tmp_path):
    out = tmp_path / "moved" / "out"
    shutil.copytree(corpus / "out", out)
    report = [sys.executable, "-m", "pipeline", "report", "--out", str(out)]
    run = subprocess.run(report, cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr  # the folder the run was started in is recorded in run.json
    (out / RUN_INFO).unlink()
    (out / TEXTS_FILE).unlink()  # a run from before texts were saved
    run = subprocess.run(report, cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert run.returncode == 1 and "warning: 5 of 5 documents' texts could not be read" in run.stderr


def test_label_colours_are_defined_once_and_used(committed):
    path, _ = committed
    html = path.read_text(encoding="utf-8")
    assert dict(LABEL_COLORS) == {name: label.colour for name, label in schema.LABELS.items()}
    assert list(LABEL_COLORS) == ["DATE", "ORG", "MONEY", "QUANTITY"]
    for label, color in LABEL_COLORS.items():
        assert f".e-{label}{{background:{color}}}" in html
        assert f'<mark class="e-{label}">{label}</mark>' in html


# ---------------------------------------------------------------------------------------------
# Many documents: paging


def synthetic(n_docs: int) -> tuple[dict[str, pd.DataFrame], dict[str, str]]:
    """``n_docs`` documents of two sentences with a date, an organisation and an amount each;
    every tenth document failed, every seventh has an unresolved date."""
    rows = {name: [] for name in COLUMNS}
    texts = {}
    for k in range(n_docs):
        doc_id = f"doc{k:04d}"
        if k % 10 == 9:
            rows["documents"].append(
                {
                    "doc_id": doc_id,
                    "path": f"in/{doc_id}.txt",
                    "title": "",
                    "published": "",
                    "chars": "",
                    "sentences": "",
                    "status": "error",
                    "error": f"in/{doc_id}.txt: empty file",
                }
            )
            continue
        year = 2015 + k % 10
        date_text, value = ("3월", "XXXX-03") if k % 7 == 3 else (f"{year}년 3월", f"{year}-03")
        s1 = f"재단{k}은 {date_text} 성금 {k + 1}억 원을 <기부>했다."
        s2 = f"재단{k}은 {year}년 5월부터 7월까지 봉사했다."
        text = s1 + " " + s2
        texts[doc_id] = text
        rows["documents"].append(
            {
                "doc_id": doc_id,
                "path": f"in/{doc_id}.txt",
                "title": f"제목 {k} & <b>",
                "published": "",
                "chars": str(len(text)),
                "sentences": "2",
                "status": "ok",
                "error": "",
            }
        )

        def span(sub, sid, base=0, text=text, doc_id=doc_id):
            start = text.index(sub, base)
            return {
                "doc_id": doc_id,
                "sentence_id": str(sid),
                "start": str(start),
                "end": str(start + len(sub)),
                "text": sub,
            }

        rows["dates"].append({**span(date_text, 1), "value": value, "mod": ""})
        rows["dates"].append({**span(f"{year}년 5월", 2, len(s1)), "value": f"{year}-05", "mod": ""})
        rows["dates"].append({**span("7월", 2, len(s1)), "value": f"{year}-07", "mod": ""})
        rows["organizations"].append({**span(f"재단{k}", 1), "name": f"재단{k}", "kind": "nonprofit"})
        rows["organizations"].append({**span(f"재단{k}", 2, len(s1)), "name": f"재단{k}", "kind": "nonprofit"})
        rows["amounts"].append(
            {
                **span(f"{k + 1}억 원", 1),
                "kind": "MONEY",
                "value": str((k + 1) * 10**8),
                "unit": "KRW",
                "qualifier": "exact",
            }
        )
        rows["events"].append(
            {
                "doc_id": doc_id,
                "event_id": "1",
                "sentence_id": "1",
                "date_text": date_text,
                "date_value": value,
                "date_start": "",
                "date_end": "",
                "orgs": f"재단{k}",
                "amounts": f"{(k + 1) * 10**8} KRW",
                "category": "donation",
                "sentence": s1,
            }
        )
        rows["events"].append(
            {
                "doc_id": doc_id,
                "event_id": "2",
                "sentence_id": "2",
                "date_text": f"{year}년 5월부터 7월",
                "date_value": f"{year}-05",
                "date_start": f"{year}-05",
                "date_end": f"{year}-07",
                "orgs": f"재단{k}",
                "amounts": "",
                "category": "support",
                "sentence": s2,
            }
        )
    return {name: pd.DataFrame(r, columns=COLUMNS[name]) for name, r in rows.items()}, texts


def test_many_documents_are_paged_and_all_present():
    tables, texts = synthetic(120)
    html = build_report(tables, texts, docs_per_page=25)
    ok = set(tables["documents"].loc[tables["documents"]["status"] == "ok", "doc_id"])
    page = check_report(html, tables, highlighted=ok)
    index_pages = sorted((v for v in page.views if v.startswith("docs-")), key=lambda v: int(v.split("-")[1]))
    assert index_pages == [f"docs-{p}" for p in range(1, 6)]
    listed = [n for v in index_pages for n in page.views[v]]
    assert sorted(listed) == list(range(1, 121))  # every document on exactly one index page
    assert [len(page.views[v]) for v in index_pages] == [25, 25, 25, 25, 20]
    assert sum(1 for v in page.views if re.fullmatch(r"doc-\d+", v)) == 120  # one section per document
    # a document section links back to its own index page; the pager reaches every page
    assert re.search(r'id="doc-60".*?href="#docs-3"', html, re.S)
    for p in range(1, 6):
        assert f'href="#docs-{p}"' in html
    # events in date order, paged (216 events, 100 a page); > 60 events: the overview shows counts
    assert {"events-1", "events-2", "events-3"} <= set(page.views)
    assert 'aria-label="events per period"' in html
    # CSS paging: only the targeted view (or the overview) is displayed
    assert ".view{display:none}" in html and ".view:target,.view:has(:target){display:block}" in html
    # escaping: markup in titles and texts stays text
    assert "제목 1 &amp; &lt;b&gt;" in html and "&lt;기부&gt;" in html and "<기부>" not in html
    # the review list: failed documents and unresolved dates
    assert html.count(">document failed<") == 12
    assert html.count(">unresolved date<") == len(tables["dates"][tables["dates"]["value"].str.contains("X")])


def test_thousand_documents_stay_paged():
    tables, texts = synthetic(1000)
    html = build_report(tables, texts)  # 50 documents a page
    page = Page(html)
    assert sum(1 for v in page.views if v.startswith("docs-")) == 20
    assert sum(1 for v in page.views if re.fullmatch(r"doc-\d+", v)) == 1000
    assert len(html.encode("utf-8")) < 30_000_000


# ---------------------------------------------------------------------------------------------
# Rendering in a browser


@pytest.mark.skipif(not shutil.which("chromium"), reason="chromium is not installed")
def test_report_renders_in_headless_chromium(committed, tmp_path):
    path, _ = committed
    shots = {}
    for name, fragment in (("overview", ""), ("document", "#doc-1")):
        png = tmp_path / f"{name}.png"
        subprocess.run(
            chromium_command("chromium", path.as_uri() + fragment, png, 1600, tmp_path / f"profile-{name}"),
            capture_output=True,
            timeout=180,
        )
        assert png.exists() and png.stat().st_size > 10_000, f"{name}: no screenshot"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        shots[name] = png
    try:
        from PIL import Image
    except ImportError:
        return
    for name, png in shots.items():
        img = Image.open(png).convert("L")
        dark = sum(img.histogram()[:128])
        assert dark > 2_000, f"{name}: the page rendered (almost) blank"
