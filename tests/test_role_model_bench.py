"""benchmarks/role_model.py: the feature extractor reads Kiwi's particle after a name, the decoder keeps at most
one actor, and the scorer learns a role its features tell apart."""

from __future__ import annotations

import pytest

np = pytest.importorskip("numpy")

from benchmarks import role_model as rm  # noqa: E402
from pipeline.spans import doc_text, token_index  # noqa: E402


@pytest.mark.parametrize(
    ("name", "particle"),
    [("다온복지관", "에"), ("한빛재단", "은"), ("새솔협동조합", "과"), ("푸른마을", "로부터")],
)
def test_particle_after_a_name(name, particle):
    text = (
        "한빛재단은 지난 3일 다온복지관에 성금을 기탁했다. "
        "이날 새솔협동조합(이사장 김하나)과 협약도 맺었다. 복지관은 푸른마을로부터 쌀을 받았다."
    )
    doc = rm.analyse(text, "2024-05-06")
    assert doc_text(doc) == text
    assert rm.particle_after(token_index(doc), text, text.index(name) + len(name)) == particle


def test_no_particle_before_a_space():
    text = "한빛재단 임직원 20명은 지난 3일 봉사활동을 했다."
    doc = rm.analyse(text, "2024-05-06")
    assert rm.particle_after(token_index(doc), text, len("한빛재단")) == ""


def test_decoder_keeps_one_actor():
    probs = np.array([[0.6, 0.3, 0.1], [0.7, 0.1, 0.2], [0.55, 0.05, 0.4]])
    roles = rm.decode(probs)
    assert roles == [rm.COUNTERPART, rm.ACTOR, rm.NONE]
    # the rules' actor (first) and the model's, confident enough to override the rules (second): one stays
    combined = rm.combine([rm.ACTOR, rm.NONE, rm.COUNTERPART], probs, threshold=0.65)
    assert combined.count(rm.ACTOR) == 1
    assert combined == [rm.COUNTERPART, rm.ACTOR, rm.COUNTERPART]
    # below the threshold the rules' roles stand
    assert rm.combine([rm.NONE, rm.COUNTERPART, rm.ACTOR], probs, threshold=0.9) == [rm.NONE, rm.COUNTERPART, rm.ACTOR]


def test_scorer_learns_a_separable_role():
    feats = [{"case=topic"}, {"case=locative"}, {"outlet"}] * 20
    labels = [rm.ACTOR, rm.COUNTERPART, rm.NONE] * 20
    model = rm.fit(feats, labels, l2=0.1)
    probs = model.probabilities([{"case=topic"}, {"case=locative"}, {"outlet"}])
    assert probs.argmax(axis=1).tolist() == [rm.ACTOR, rm.COUNTERPART, rm.NONE]
    assert np.allclose(probs.sum(axis=1), 1.0)
