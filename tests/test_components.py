"""The extractors as spaCy components: configured per pipeline, tables loaded per component,
saved and loaded with the pipeline, and every span naming the rule that found it."""

from __future__ import annotations

import re
import shutil

import pytest
import spacy

from pipeline.events import EventTables, link_events
from pipeline.lexicon import DATA_DIR
from pipeline.nlp import COMPONENTS, annotate, build_nlp, get_nlp
from pipeline.spans import token_index

TEXT = (
    "카카오와 네이버는 2020년 3월 사회복지공동모금회에 53.9억 원을 기부했다. 한빛미래재단(HMF)은 "
    "세 곳의 복지관에 노트북 120여 대를 전달했다. (주)한빛테크 임직원 30명은 봉사활동을 했다. "
    "HMF는 2021년 5월에도 기부했다."
)
RULE = re.compile(r"^(?:date|org|money|quantity|amount|product)\.[a-z_]+$")


def orgs(doc):
    return [(s.text, s._.name, s._.kind, s._.rule) for s in doc.spans["ORG"]]


def spans(doc):
    return {
        label: [
            (s.start_char, s.end_char, s._.value, s._.unit, s._.qualifier, s._.name, s._.kind, s._.rule)
            for s in doc.spans[label]
        ]
        for label in ("DATE", "MONEY", "QUANTITY", "ORG", "PRODUCT")
    }


@pytest.fixture(scope="module")
def tiny_gazetteer(tmp_path_factory):
    path = tmp_path_factory.mktemp("gaz") / "tiny.tsv"
    path.write_text("name\tkind\taliases\n카카오\tcompany\tKakao\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def tiny(tiny_gazetteer):
    return build_nlp({"csr_orgs": {"gazetteer": str(tiny_gazetteer)}})


def test_pipeline_components_in_order():
    assert tuple(get_nlp().pipe_names) == COMPONENTS
    assert COMPONENTS[-1] == "csr_events"


def test_a_tiny_gazetteer_finds_only_its_names(tiny):
    default = orgs(annotate(TEXT))
    small = orgs(annotate(TEXT, nlp=tiny))
    assert ("네이버", "네이버", "company", "org.gazetteer") in default
    assert ("사회복지공동모금회", "사회복지공동모금회", "nonprofit", "org.gazetteer") in default
    assert [o for o in small if o[3] == "org.gazetteer"] == [("카카오", "카카오", "company", "org.gazetteer")]
    # the rules that need no list still work
    assert ("한빛미래재단", "한빛미래재단", "nonprofit", "org.suffix") in small


def test_two_pipelines_with_different_tables_in_one_process(tiny):
    before = spans(annotate(TEXT))
    small = spans(annotate(TEXT, nlp=tiny))
    after = spans(annotate(TEXT))
    assert small["ORG"] != before["ORG"]
    assert after == before  # the tiny pipeline left the default one untouched
    assert small["MONEY"] == before["MONEY"]  # and the other components' tables are the same


def test_a_data_dir_changes_the_tables(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    counters = (data / "counters.tsv").read_text(encoding="utf-8")
    (data / "counters.tsv").write_text(re.sub(r"(?m)^곳\t.*\n", "", counters), encoding="utf-8")
    durations = (data / "durations.tsv").read_text(encoding="utf-8")
    (data / "durations.tsv").write_text(re.sub(r"(?m)^나흘\t.*\n", "", durations), encoding="utf-8")
    text = "세 곳의 복지관과 복지관 다섯 곳에 노트북 120여 대를 나흘간 전달했다."
    doc = annotate(text)
    assert [s.text for s in doc.spans["QUANTITY"]] == ["세 곳", "다섯 곳", "120여 대"]
    assert [(s.text, s._.value) for s in doc.spans["DATE"]] == [("나흘간", "P4D")]
    nlp = build_nlp(data_dir=data)
    assert nlp.get_pipe("csr_dates").data_dir == str(data)  # build_nlp passes data_dir to csr_dates too
    doc = annotate(text, nlp=nlp)
    assert [s.text for s in doc.spans["QUANTITY"]] == ["120여 대"]
    assert [s.text for s in doc.spans["DATE"]] == []


def test_reporting_verbs_of_events_are_the_say_rows_of_the_table(tmp_path):
    assert EventTables.load().report_after.match(" 기자들에게 밝혔다")
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    verbs = (data / "reporting_verbs.tsv").read_text(encoding="utf-8")
    (data / "reporting_verbs.tsv").write_text(verbs.replace("밝혔\tsay", "밝혔\tact"), encoding="utf-8")
    tables = EventTables.load(data)
    assert not tables.report_after.match(" 기자들에게 밝혔다") and tables.report_after.match(" 전했다")
    assert not tables.report_after.match(" 개최했다")  # an `act` verb dates the act, not the report


def test_gazetteer_switched_off():
    nlp = build_nlp({"csr_orgs": {"use_gazetteer": False}})
    found = orgs(annotate(TEXT, nlp=nlp))
    assert found, "the suffix and company-form rules still find names"
    assert all(o[3] != "org.gazetteer" for o in found)
    assert ("한빛미래재단", "한빛미래재단", "nonprofit", "org.suffix") in found
    # products still block: 카카오톡 is no ORG with or without the list
    doc = annotate("카카오톡으로 2020년 3월 선물했다.", nlp=nlp)
    assert [s.text for s in doc.spans["PRODUCT"]] == ["카카오톡"] and not doc.spans["ORG"]


def test_unknown_component_config_is_refused():
    with pytest.raises(ValueError, match="no such component"):
        build_nlp({"csr_org": {"use_gazetteer": False}})


@pytest.mark.parametrize("which", ["default", "tiny"])
def test_to_disk_from_disk_round_trip(tmp_path, tiny, which):
    nlp = get_nlp() if which == "default" else tiny
    nlp.to_disk(tmp_path / "model")
    assert (tmp_path / "model" / "csr_orgs" / "organizations.tsv").exists()
    assert (tmp_path / "model" / "csr_amounts" / "counters.tsv").exists()
    loaded = spacy.load(tmp_path / "model")
    assert loaded.pipe_names == nlp.pipe_names
    original = annotate(TEXT, "2021-06-15", nlp=nlp)
    again = annotate(TEXT, "2021-06-15", nlp=loaded)
    assert spans(again) == spans(original)
    assert again._.events == original._.events


def test_loaded_pipeline_reads_the_saved_tables_not_the_packaged_ones(tmp_path, tiny):
    tiny.to_disk(tmp_path / "model")
    loaded = spacy.load(tmp_path / "model")
    doc = annotate("네이버와 카카오가 기부했다.", nlp=loaded)
    # the saved gazetteer lists only 카카오 (네이버 is found by its role, a partner that acts: no list)
    assert [s.text for s in doc.spans["ORG"] if s._.rule == "org.gazetteer"] == ["카카오"]


def test_every_span_names_its_rule():
    seed = (DATA_DIR.parent.parent / "raw" / "kakao_covid19_csr.txt").read_text(encoding="utf-8")
    seen = set()
    for text in (
        TEXT,
        seed,
        "카카오톡 선물하기로 1억 달러와 $5 million, 세 곳을 알렸다.",
        "사용자는 카카오바이크를 탔다.",
    ):
        doc = annotate(text, "2021-06-15")
        for label in ("DATE", "MONEY", "QUANTITY", "ORG", "PRODUCT"):
            for span in doc.spans[label]:
                assert span._.rule and RULE.match(span._.rule), (label, span.text, span._.rule)
                seen.add(span._.rule)
    assert {
        "org.gazetteer",
        "org.suffix",
        "org.company_form_prefix",
        "org.acronym",
        "amount.number_unit",
        "money.currency_number",
        "quantity.native_counter",
        "product.non_organization",
        "product.glued_to_noun",
        "date.ymd",
        "date.ym",
        "date.duration",
    } <= seen


def test_an_org_stays_in_its_sentence():
    """Kiwi ends the sentence after `(주)` in `…했다. (주)한빛테크`; the tokenizer moves the break
    before the mark, so the ORG is whole (mark and name) and in one sentence."""
    doc = annotate(TEXT)
    index = token_index(doc)
    for span in doc.spans["ORG"]:
        assert index.same_sentence(span.start_char, span.end_char), span.text
    assert ("(주)한빛테크", "한빛테크", "company", "org.company_form_prefix") in orgs(doc)
    lg = annotate("전달했습니다 (주)LG")
    assert [(s.text, s._.name) for s in lg.spans["ORG"]] == [("(주)LG", "LG")]


def test_a_mark_in_no_sentence_is_left_where_it_is():
    """A legal-form mark before a sentence's first name that no morpheme of the sentence before holds
    (Kiwi left it out) moves nowhere, and the sentences come back unchanged."""
    from pipeline.tokenizer import _keep_forms_with_names

    text = "기부했다 (주)한빛테크는"
    cur = [(0, 2, "기부", "NNG"), (2, 4, "했다", "XSV+EF")]
    nxt = [(8, 12, "한빛테크", "NNP"), (12, 13, "는", "JX")]
    assert _keep_forms_with_names(text, [cur, nxt]) == [cur, nxt]
    # the mark as whole morphemes at the end of the sentence before does move to its name
    cur2 = [*cur, (5, 8, "(주)", "SW")]
    assert _keep_forms_with_names(text, [cur2, nxt]) == [cur, [*cur2[2:], *nxt]]


def test_events_component_writes_doc_events():
    doc = annotate(TEXT, "2021-06-15")
    assert doc._.events and doc._.events[0].date_value == "2020-03"
    assert doc._.events == link_events(doc, EventTables.load())


def test_a_component_initializes_itself_on_first_use():
    nlp = spacy.blank("xx", config={"nlp": {"tokenizer": {"@tokenizers": "csr.KiwiTokenizer.v1"}}})
    for name in COMPONENTS:
        nlp.add_pipe(name)
    # no nlp.initialize(): each component loads its tables when first called
    assert spans(annotate(TEXT, nlp=nlp)) == spans(annotate(TEXT))
