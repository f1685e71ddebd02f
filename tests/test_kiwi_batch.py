"""Kiwi's batch API (`pipeline.kiwi.analyse_ahead`) gives the analysis one text at a time gives,
and `api.process_all` the results `_safe_process` gives document by document."""

from __future__ import annotations

import os

import pytest

from pipeline import api, kiwi
from pipeline.ingest import Document, DocumentError

SENTENCES = [
    "카카오는 2020년 3월 사회공헌 활동으로 1억 원을 기부했다.",
    "(주)한빛정밀은 지난 9일 도마큰별종합사회복지관에 2천만 원 상당의 명절 선물세트를 기탁했다고 10일 밝혔다.",
    "LG유플러스 임직원 50명은 연탄 3000장을 나눴습니다",
    "2022. 10. 통신업계의 나눔이 이어지고 있다!",
]


def texts() -> list[str | None]:
    long = " ".join(SENTENCES * 120)  # past kiwi.CHUNK: analysed in several pieces
    assert len(kiwi.chunks(long)) > 2
    return [SENTENCES[0], "", None, long, "   \n", "\n".join(SENTENCES), None, SENTENCES[1] + "\ud800", SENTENCES[2]]


def test_analyse_ahead_hands_out_each_texts_own_analysis():
    items = list(enumerate(texts()))
    ahead = []
    for item in kiwi.analyse_ahead(items, lambda it: it[1]):
        ahead.append((item, kiwi._READY.get(item[1])))  # what kiwi_sentences would take now
    assert kiwi._READY == {}  # nothing left behind
    assert [item for item, _ in ahead] == items  # every item, in order
    assert kiwi._batch_ok()  # this process loaded Kiwi with its threads: the batch API was used
    for (_, text), made in ahead:
        if text is None or "\ud800" in text:
            assert made is None  # the caller's own call analyses it (a lone surrogate fails there)
        else:
            assert made == kiwi.kiwi_sentences(text)  # Kiwi's analysis of that text alone
    assert ahead[3][1] is not None and len(ahead[3][1]) > 100  # the long text's pieces came back joined


def test_kiwi_sentences_takes_the_analysis_made_ahead_once():
    text = SENTENCES[0]
    handing = kiwi.analyse_ahead([text, SENTENCES[1]], lambda t: t)
    assert next(handing) == text
    made = kiwi._READY[text]
    assert kiwi.kiwi_sentences(text) is made  # taken, not made again
    assert kiwi.kiwi_sentences(text) is not made and kiwi.kiwi_sentences(text) == made
    assert next(handing) == SENTENCES[1] and SENTENCES[1] in kiwi._READY
    handing.close()  # the caller stopped: nothing is left behind
    assert kiwi._READY == {}


def test_a_failing_source_raises_after_the_items_before_it():
    def items():
        yield SENTENCES[0]
        yield SENTENCES[1]
        raise OSError("disk gone")

    seen = []
    with pytest.raises(OSError, match="disk gone"):
        for text in kiwi.analyse_ahead(items(), lambda t: t):
            seen.append((text, kiwi._READY.get(text)))
    assert seen == [(t, kiwi.kiwi_sentences(t)) for t in SENTENCES[:2]]


def test_a_forked_process_analyses_text_by_text():
    """A forked worker inherits Kiwi's thread pool without its threads: the batch API would wait
    forever there, so nothing is made ahead and the one-text call, which works, analyses."""
    kiwi.get_kiwi()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 1
        try:
            ahead = [kiwi._READY.get(t) for t in kiwi.analyse_ahead(SENTENCES, lambda t: t)]
            ok = not kiwi._batch_ok() and ahead == [None] * len(SENTENCES)
            code = 0 if ok and kiwi.kiwi_sentences(SENTENCES[0]) else 1
        finally:
            os.write(write, bytes([code]))
            os._exit(code)
    os.close(write)
    assert os.read(read, 1) == b"\x00"
    os.waitpid(pid, 0)


def test_process_all_equals_document_by_document(monkeypatch):
    from pipeline import nlp

    nlp.get_nlp()  # built with the real limit, which it keeps (other tests share it)
    for module in (api, nlp):  # "long" is too long: an error row, and never given to Kiwi
        monkeypatch.setattr(module, "MAX_CHARS", 20_000)
    docs: list[Document | DocumentError] = [
        Document("d0", SENTENCES[0], published="2021-06"),
        DocumentError("bad", "bad.txt", "bad.txt: empty file"),
        Document("d1", "<p>" + SENTENCES[1] + " &amp; 끝</p>", published="2024-09"),
        Document("long", "가" * 20_001),
        Document("d2", " ".join(SENTENCES * 60), published="2022-11"),
        Document("broken", SENTENCES[2] + "\ud800"),
    ]
    one_by_one = [api._safe_process(d, keep_doc=False) for d in docs]
    together = list(api.process_all(docs, keep_doc=False))
    assert [type(r) for r in together] == [type(r) for r in one_by_one]
    for a, b in zip(together, one_by_one, strict=True):
        if isinstance(a, DocumentError):
            assert isinstance(b, DocumentError) and a.error == b.error
        else:
            assert isinstance(b, api.Result)
            assert a.tables == b.tables and a.sentences == b.sentences
    assert isinstance(together[-1], DocumentError) and "UnicodeDecodeError" in together[-1].error
    assert sum(len(r.dates) for r in together if isinstance(r, api.Result)) > 3
