"""Reading inputs: formats, encodings, metadata, document ids and every error path."""

from __future__ import annotations

import json

import pytest

from pipeline.ingest import Document, DocumentError, InputError, decode_bytes, iter_documents

TEXT = "카카오는 2020년 3월 보건복지부와 협약을 맺었다."


def docs(path, **kw):
    return list(iter_documents(path, **kw))


@pytest.mark.parametrize(
    "data",
    [
        TEXT.encode("utf-8"),
        b"\xef\xbb\xbf" + TEXT.encode("utf-8"),
        TEXT.encode("cp949"),
        TEXT.encode("euc-kr"),
        TEXT.encode("utf-16"),  # with BOM
        TEXT.encode("utf-32"),  # with BOM (little-endian: its BOM begins with UTF-16-LE's)
        b"\x00\x00\xfe\xff" + TEXT.encode("utf-32-be"),
    ],
    ids=["utf8", "utf8-bom", "cp949", "euc-kr", "utf16-bom", "utf32-bom", "utf32-be-bom"],
)
def test_decodes_without_being_told(data):
    assert decode_bytes(data, "x.txt") == TEXT


def test_binary_and_undecodable_bytes_are_errors():
    with pytest.raises(InputError, match=r"x.txt: not a text file"):
        decode_bytes(b"%PDF-1.4\x00\x00\x01binary", "x.txt")
    with pytest.raises(InputError, match=r"x.txt: undecodable bytes at offset"):
        decode_bytes(b"\xff\xfe\xfd"[1:] + b"\x80\x80\x80 abc \xff", "x.txt")


def test_folder_ids_are_relative_paths_and_sidecars_give_metadata(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "sub" / "b.md").write_text(TEXT, encoding="utf-8")
    (tmp_path / "sub" / "b.meta.json").write_text(
        json.dumps({"title": "제목", "published": "2021-06", "source": "newsroom"}), encoding="utf-8"
    )
    got = docs(tmp_path)
    assert [d.doc_id for d in got] == ["a", "sub/b"]
    assert got[1].title == "제목" and got[1].published == "2021-06" and got[1].source == "newsroom"
    assert got[0].published is None


def test_published_option_fills_only_missing_dates(tmp_path):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "b.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "b.meta.json").write_text('{"published": "2020"}', encoding="utf-8")
    got = docs(tmp_path, default_published="2022-03-15")
    assert [d.published for d in got] == ["2022-03-15", "2020"]


def test_jsonl_one_article_a_line(tmp_path):
    lines = [
        {"id": "n1", "text": TEXT, "published": "2021-06-01", "title": "t"},
        {"id": "n2", "text": TEXT},
        {"id": "n3"},
        "not json",
    ]
    (tmp_path / "news.jsonl").write_text(
        "\n".join(json.dumps(x, ensure_ascii=False) if isinstance(x, dict) else x for x in lines), encoding="utf-8"
    )
    got = docs(tmp_path)
    assert [type(d).__name__ for d in got] == ["Document", "Document", "DocumentError", "DocumentError"]
    assert got[0].doc_id == "n1" and got[0].published == "2021-06-01"
    assert "news.jsonl:3" in got[2].error and "needs 'id' and a string 'text'" in got[2].error
    assert "news.jsonl:4" in got[3].error and "malformed JSON" in got[3].error


@pytest.mark.parametrize(
    "name,content,reason",
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b" \n\t\n", "empty file"),
        ("truncated.pdf", b"%PDF-1.4\n", "cannot read PDF"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a text file"),
        ("latin.txt", b"caf\xe9 \xff\xfe\xfa", "undecodable bytes"),
    ],
)
def test_bad_files_become_one_line_errors_and_others_survive(tmp_path, name, content, reason):
    (tmp_path / "good.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / name).write_bytes(content)
    got = docs(tmp_path)
    errors = [d for d in got if isinstance(d, DocumentError)]
    assert [d.doc_id for d in got if isinstance(d, Document)] == ["good"]
    assert len(errors) == 1 and str(tmp_path / name) in errors[0].error and reason in errors[0].error
    assert "\n" not in errors[0].error


@pytest.mark.parametrize(
    "meta,reason",
    [
        ("{not json", "malformed JSON"),
        ('{"published": "2021-13-45"}', "not a real date"),
        ('{"published": "June 2021"}', "is not YYYY, YYYY-MM or YYYY-MM-DD"),
        ('["a"]', "must be a JSON object"),
    ],
)
def test_bad_metadata_is_an_error_naming_the_sidecar(tmp_path, meta, reason):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "a.meta.json").write_text(meta, encoding="utf-8")
    (err,) = docs(tmp_path)
    assert isinstance(err, DocumentError)
    assert "a.meta.json" in err.error and reason in err.error


def test_jsonl_lone_surrogate_is_an_error_row_and_the_run_goes_on(tmp_path):
    """JSON may escape half a UTF-16 pair (``\\ud800``); no UTF-8 output can hold it, so that line is
    an error row naming the key and the character, and the lines around it are read."""
    from pipeline import api

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "news.jsonl").write_text(
        json.dumps({"id": "a", "text": TEXT}, ensure_ascii=False)
        + '\n{"id": "b", "text": "bad \\ud800 text"}\n{"id": "c\\udc00", "text": "x"}\n'
        + json.dumps({"id": "d", "text": TEXT}, ensure_ascii=False)
        + "\n",
        encoding="utf-8",
    )
    got = docs(tmp_path / "in")
    assert [type(d).__name__ for d in got] == ["Document", "DocumentError", "DocumentError", "Document"]
    assert "news.jsonl:2" in got[1].error and "'text' has a lone surrogate \\ud800 at character 4" in got[1].error
    assert "'id' has a lone surrogate \\udc00" in got[2].error
    summary = api.run(tmp_path / "in", tmp_path / "out")
    assert (summary.ok, summary.failed) == (2, 2)
    assert (tmp_path / "out" / "texts.jsonl").read_text(encoding="utf-8").count("\n") == 2


def test_duplicate_ids_across_txt_and_jsonl(tmp_path):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(json.dumps({"id": "a", "text": TEXT}), encoding="utf-8")
    got = docs(tmp_path)
    assert isinstance(got[0], Document)
    assert isinstance(got[1], DocumentError) and "duplicate document id 'a'" in got[1].error


def test_missing_path_and_empty_folder_raise(tmp_path):
    with pytest.raises(InputError, match="no such file or folder"):
        docs(tmp_path / "nope")
    with pytest.raises(
        InputError, match=r"no \.txt, \.md, \.jsonl, \.jsonl\.gz, \.html, \.htm, \.pdf, \.csv or \.xlsx files"
    ):
        docs(tmp_path)


def test_bad_published_option_raises():
    with pytest.raises(InputError, match="--published"):
        docs(".", default_published="yesterday")


def test_jsonl_ids_are_strings_or_whole_numbers_and_never_collide_silently(tmp_path):
    ids = [12345, "12345", True, ["a"], 1.5, None, {"a": 1}, "ok"]
    (tmp_path / "n.jsonl").write_text("\n".join(json.dumps({"id": i, "text": TEXT}) for i in ids), encoding="utf-8")
    got = docs(tmp_path)
    assert isinstance(got[0], Document) and got[0].doc_id == "12345"
    assert isinstance(got[1], DocumentError) and "duplicate document id '12345'" in got[1].error
    for item, bad in zip(got[2:7], ["true", '["a"]', "1.5", None, '{"a": 1}'], strict=True):
        assert isinstance(item, DocumentError) and item.doc_id.startswith("n:")
        if bad is None:
            assert "needs 'id'" in item.error
        else:
            assert f"'id' must be a string or a whole number, not {bad}" in item.error
    assert isinstance(got[7], Document) and got[7].doc_id == "ok"


def test_readers_are_one_table_by_suffix(tmp_path):
    from pipeline.readers import READERS

    assert list(READERS) == [".txt", ".md", ".jsonl", ".jsonl.gz", ".html", ".htm", ".pdf", ".csv", ".xlsx"]
    (tmp_path / "a.docx").write_bytes(b"PK\x03\x04")
    (tmp_path / "b.TXT").write_text(TEXT, encoding="utf-8")  # suffixes are matched without case
    got = docs(tmp_path)
    assert isinstance(
        got[0], DocumentError
    ) and "expected .txt, .md, .jsonl, .jsonl.gz, .html, .htm, .pdf, .csv or .xlsx" in (got[0].error)
    assert isinstance(got[1], Document) and got[1].text == TEXT and got[1].page_starts == ()


def test_a_missing_optional_library_is_an_error_row_naming_the_extra(tmp_path, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_trafilatura(name, *args, **kwargs):
        if name == "trafilatura":
            raise ImportError("No module named 'trafilatura'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_trafilatura)
    (tmp_path / "page.html").write_text("<html><body><p>" + TEXT + "</p></body></html>", encoding="utf-8")
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    got = docs(tmp_path)
    assert [type(d) for d in got] == [Document, DocumentError]
    assert "pip install 'csr-pipeline[html]'" in got[1].error
