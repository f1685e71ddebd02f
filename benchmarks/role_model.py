"""Would a small learned scorer decide event roles better than the rules on a writer it has not seen?

For every development document (``--gold``, the development set n01–n260 by default) the pipeline runs
as ``python -m pipeline evaluate`` runs it, and its events are aligned with the gold events the way
:func:`pipeline.evaluate.score` matches them: by (document, date value). For each predicted event
whose key the gold also has, every organisation of its statement (each ORG mention, outlets and cited
sources included) and every organisation the rules linked to it without a mention (a carried-over
actor, a back-reference) is a candidate, labelled ``actor``, ``counterpart`` or ``none`` by the gold
events of that key. Its features come from Kiwi's analysis and the rules' tables: the particle after
the mention (``particles.tsv``) or after its staff words, the contexts of ``org_roles.tsv`` that follow
it, the main predicate's class (``event_categories.tsv``, ``reporting_verbs.tsv``, Kiwi's lemma 받 for
receiving), whether the mention precedes the predicate and the anchoring date and how far, its position,
whether it is an outlet or a cited source, carried over, and the rules' own decision.

A multinomial logistic regression (numpy, L2) scores each candidate; an event keeps at most one actor
(the highest score). It is evaluated by leave-one-batch-out cross-validation over the writers' batches
(``batch_of``), each written by another writer: ``rules`` (the pipeline's roles), ``model`` (the scorer's roles),
``model without rule features`` (Kiwi and the tables alone), ``rules+model`` (the scorer overrides the
rules where its probability reaches a threshold chosen by an inner leave-one-batch-out over the training
batches alone) and ``oracle`` (the gold roles of the candidates: the ceiling of any role model given these
events and candidates). Actor, counterpart and EVENT-ORG F1 are :func:`pipeline.evaluate.score`'s, over
the aligned events only; events the pipeline missed or invented, and organisations it did not find or
link, are outside any role model's reach, and the last table counts the rules' errors by those causes.

    PYTHONPATH=$PWD python benchmarks/role_model.py [--gold tests/fixtures_news]

Prints Markdown tables; writes nothing. About 4 minutes on one free core for the 220 development documents
(the pipeline over them, then one outer fit per batch and, inside each, one per remaining batch).

The rules of the current tree have studied every development document, so their figures are in-sample,
while the model's are out-of-sample. To compare with rules that had not seen a batch, run this same file
against the commit at which the batch was held out (it uses no pipeline function newer than that)::

    mkdir /tmp/old && git archive 53d717c | tar -x -C /tmp/old && cp benchmarks/role_model.py /tmp/old/benchmarks/
    cd /tmp/old && PYTHONPATH=$PWD python benchmarks/role_model.py   # n101–n140 were held out at 53d717c
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import numpy as np
from spacy.tokens import Doc

if __package__ in (None, ""):  # run as a file: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline import events as ev
from pipeline.api import extract
from pipeline.evaluate import GoldDoc, load_gold, score
from pipeline.lexicon import read_table
from pipeline.orgs import OrgTables
from pipeline.spans import TokenIndex, doc_text, token_index

GOLD = Path(__file__).resolve().parent.parent / "tests" / "fixtures_news"
# one writer each: twenties first, then tens (tests/fixtures_news/README.md)
TWENTIES = 5  # n01–n100 were written in twenties, every later batch in tens (tests/fixtures_news/README.md)
ROLES = ("actor", "counterpart", "none")
ACTOR, COUNTERPART, NONE = range(3)
LINKS = ("EVENT-ACTOR", "EVENT-COUNTERPART", "EVENT-ORG")
THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.01)  # 1.01: the model never overrides
_PAREN = re.compile(r"\)|\s*\([^()]{0,30}\)")  # 재단(이사장 김OO)은: a bracket between a name and its particle
_TAG_CASE = {"JKS": "subject", "JKO": "object", "JKG": "genitive", "JKB": "adverbial", "JC": "comitative"}


@dataclass(frozen=True)
class Vocabulary:
    """What the features read from ``pipeline/data``: particles and their cases, predicate classes, roles."""

    cases: dict[str, str]  # particle → its case (particles.tsv)
    classes: tuple[tuple[str, re.Pattern], ...]  # (predicate class, cue), first match wins
    staff: frozenset[str]  # words for an organisation's staff (actor_words.tsv)
    contexts: tuple[tuple[str, re.Pattern], ...]  # (role, pattern after a name) of org_roles.tsv

    @classmethod
    def load(cls) -> Vocabulary:
        verbs = read_table("reporting_verbs.tsv")
        classes = [
            (kind, re.compile("|".join(re.escape(r["stem"]) for r in verbs if r["kind"] == kind)))
            for kind in ("say", "act")
        ]
        handed = "|".join(re.escape(r["word"]) for r in read_table("anchor_words.tsv") if r["role"] == "handed")
        classes.append(("handed", re.compile(handed)))
        classes += [(category, cue) for category, cue, _ in ev._default_tables().categories]
        return cls(
            cases={r["particle"]: r["function"] for r in read_table("particles.tsv")},
            classes=tuple(classes),
            staff=frozenset(r["word"] for r in read_table("actor_words.tsv") if r["role"] == "staff"),
            contexts=tuple((role, rx) for role, _, rx in OrgTables.load().roles),
        )


# ---------------------------------------------------------------------------------------------
# Features


def base_tags(tag: str) -> list[str]:
    """A token's Kiwi tags (``XSV+EP`` → XSV, EP; ``VV-R`` → VV); :func:`pipeline.spans.base_tags`, kept here so the
    script also runs against older checkouts of the pipeline."""
    return [t.split("-")[0] for t in tag.split("+")]


def _token_starting(index: TokenIndex, pos: int) -> int | None:
    i = index.token_at(pos)
    return i if i is not None and index.start_list[i] == pos else None


def particle_after(index: TokenIndex, text: str, end: int) -> str:
    """The particle Kiwi reads right after a name ending at ``end`` (``다온복지관에`` → ``에``, ``재단(이사장
    김OO)은`` → ``은``, ``A와의`` → ``와의``), ``""`` when none is glued to it."""
    m = _PAREN.match(text, end)
    i = _token_starting(index, m.end() if m else end)
    out = ""
    while i is not None and i < index.n_tokens and all(t.startswith("J") for t in base_tags(index.tags[i])):
        out += text[index.start_list[i] : index.end_list[i]]
        if index.whitespace[i]:
            break
        i += 1
    return out


def _case(v: Vocabulary, index: TokenIndex, particle: str, i: int | None) -> str:
    if particle in v.cases:
        return v.cases[particle]
    if i is not None:
        tag = base_tags(index.tags[i])[0]
        return "topic" if particle.endswith(("은", "는")) else _TAG_CASE.get(tag, tag)
    return "none"


def _word_of(index: TokenIndex, text: str, i: int) -> tuple[int, str]:
    """The start of the word (eojeol) holding token ``i``, and the word up to the token's end."""
    k = i
    while (
        k > 0
        and not index.whitespace[k - 1]
        and not index.is_space[k - 1]
        and index.end_list[k - 1] == index.start_list[k]
    ):
        k -= 1
    return index.start_list[k], text[index.start_list[k] : index.end_list[i]]


def main_predicate(v: Vocabulary, index: TokenIndex, text: str, lo: int, hi: int) -> tuple[int, str]:
    """The statement's main predicate: its offset and class. The last verb that does not report (``…기탁했다고
    밝혔다`` → 기탁했), else the last verb, else (a headline, ``성금 3억 원 기탁``) the last common noun."""
    first = index.token_at(lo)
    i0 = first if first is not None else 0
    verbs, nouns = [], []
    i = i0
    while i < index.n_tokens and index.start_list[i] < hi:
        tags = base_tags(index.tags[i])
        if {"VV", "XSV"} & set(tags):
            verbs.append(i)
        elif tags[0] == "NNG":
            nouns.append(i)
        i += 1
    classed = []
    for k in verbs or nouns[-1:]:
        start, word = _word_of(index, text, k)
        lemma = index.lemmas[k].split("+")[0]
        cls = "receive" if lemma == "받" else next((c for c, rx in v.classes if rx.search(word)), "other")
        classed.append((start, cls))
    if not classed:
        return hi, "none"
    acts = [c for c in classed if c[1] != "say"]
    return (acts or classed)[-1]


def _bin(n: int, edges: Sequence[int]) -> str:
    return str(next((e for e in edges if n <= e), f">{edges[-1]}"))


def mention_features(
    v: Vocabulary, index: TokenIndex, text: str, m: ev.Mention, lo: int, hi: int, predicate: int, anchor: int
) -> set[str]:
    """The features of one ORG mention in the statement ``[lo, hi)``."""
    f = set()
    particle = particle_after(index, text, m.end)
    pm = _PAREN.match(text, m.end)
    i = _token_starting(index, pm.end() if pm else m.end)
    case = _case(v, index, particle, i) if particle else "none"
    f |= {f"particle={particle or '-'}", f"case={case}"}
    if not particle:  # its staff or a count between (X 임직원 30명은): the first particle of the next words
        j, words = index.token_at(m.end), 0
        while j is not None and j < index.n_tokens and index.start_list[j] < hi and words < 4:
            tags = base_tags(index.tags[j])
            if {"VV", "XSV", "VA", "ETM"} & set(tags):
                break
            if tags[0].startswith("J"):
                surface = text[index.start_list[j] : index.end_list[j]]
                f.add(f"phrase_case={_case(v, index, surface, j)}")
                break
            words += index.whitespace[j]
            j += 1
        following = text[m.end : m.end + 8].split()
        if following and any(following[0].startswith(s) for s in v.staff):
            f.add("staff_next")
    rest = text[m.end : hi]
    f |= {f"context={role}" for role, rx in v.contexts if rx.match(rest)}
    before = m.end <= predicate
    words_between = len(text[m.end : predicate].split()) if before else -len(text[predicate : m.start].split())
    f |= {
        f"before_predicate={before}",
        f"words_to_predicate={_bin(words_between, (-1, 0, 1, 3, 7))}",
        f"before_anchor={m.end <= anchor}",
        f"position={min(2, 3 * (m.start - lo) // max(1, hi - lo))}",
    }
    if ev._is_byline(text, m):
        f.add("outlet")
    f.add(f"kind={m.kind}")
    return f


@dataclass
class Instance:
    """A predicted event of an aligned key: its candidates, their features and roles."""

    doc_id: str
    batch: int
    date_value: str
    names: list[str]
    features: list[set[str]]
    rules: list[int]  # the rules' role of each candidate
    gold: list[int]  # the gold role of each candidate (by the gold events of the key)


def _statement(index: TokenIndex, text: str, e: ev.Event, dates: list[ev.Mention]) -> tuple[int, int]:
    for lo, hi, i in ev._statements(index, text, dates):
        if i == e.sentence_id - 1 and text[lo:hi].strip() == e.sentence:
            return lo, hi
    raise LookupError(f"no statement for event {e.event_id}: {e.sentence[:30]}")


def candidates(v: Vocabulary, doc: Doc, e: ev.Event) -> tuple[list[str], list[set[str]], list[int]]:
    """The candidates of one predicted event: names, features and the rules' roles."""
    text, index = doc_text(doc), token_index(doc)
    found = ev.mentions(doc)
    lo, hi = _statement(index, text, e, [m for m in found if m.label == "DATE"])
    orgs = [m for m in found if m.label == "ORG" and lo <= m.start < hi]
    predicate, pred_class = main_predicate(v, index, text, lo, hi)
    at = text.find(e.date_text, lo, hi)
    anchor = at if at >= 0 else lo
    cited = ev._default_tables().cited.search(text, lo, hi)
    anaphor = ev._default_tables().anaphor.match(text[lo:hi].strip()) is not None
    by_name: dict[str, set[str]] = {}
    order: list[str] = []
    for k, m in enumerate(orgs):
        f = mention_features(v, index, text, m, lo, hi, predicate, anchor)
        if cited and m.start < cited.end():
            f.add("cited_source")
        if k == 0:
            f.add("first_org")
        if k == len(orgs) - 1:
            f.add("last_org")
        if m.name not in by_name:
            order.append(m.name)
            by_name[m.name] = f
        else:
            by_name[m.name] |= f | {"repeated"}
    for name in e.orgs:  # linked with no mention: carried over, a back-reference
        if name not in by_name:
            order.append(name)
            by_name[name] = {"carried", f"topic_anaphor={anaphor}"}
    names, feats, rules = [], [], []
    for name in order:
        rule = ACTOR if name == e.actor else COUNTERPART if name in e.counterparts else NONE
        f = by_name[name] | {f"predicate={pred_class}", f"orgs={_bin(len(order), (1, 2, 3))}", f"rule={ROLES[rule]}"}
        f |= {f"rule={ROLES[rule]}&{x}" for x in list(f) if x.startswith(("case=", "phrase_case="))}
        f |= {f"predicate={pred_class}&{x}" for x in list(f) if x.startswith("case=")}
        names.append(name)
        feats.append(f)
        rules.append(rule)
    return names, feats, rules


# ---------------------------------------------------------------------------------------------
# Running the pipeline and aligning


def batch_of(doc_id: str) -> int:
    n = int(re.match(r"n(\d+)", doc_id)[1])  # type: ignore[index]
    return (n - 1) // 20 if n <= 20 * TWENTIES else TWENTIES + (n - 20 * TWENTIES - 1) // 10


def batch_range(b: int) -> tuple[int, int]:
    """The first and last document number of batch ``b`` (``batch_of``'s inverse)."""
    first = 20 * b + 1 if b < TWENTIES else 20 * TWENTIES + 10 * (b - TWENTIES) + 1
    return first, first + (19 if b < TWENTIES else 9)


@dataclass
class Run:
    gold: list[GoldDoc]
    predicted: list[dict]  # every predicted event, as evaluate reads them (doc_id, date_value, orgs, actor, …)
    instances: list[Instance]  # the predicted events of aligned keys
    candidate_names: dict[tuple[str, str], set[str]]  # (doc, date value) → every candidate of its predicted events
    found_orgs: dict[str, set[str]]  # doc → the names of every ORG the pipeline found in it


def analyse(text: str, published: str | None, doc_id: str = "text") -> Doc:
    """The annotated Doc of :func:`pipeline.api.extract`, as ``python -m pipeline evaluate`` runs a gold document."""
    return cast(Doc, extract(text, published, doc_id).doc)


def run(gold_dir: Path) -> Run:
    v = Vocabulary.load()
    gold = load_gold(gold_dir)
    predicted, instances = [], []
    names_of: dict[tuple[str, str], set[str]] = defaultdict(set)
    found: dict[str, set[str]] = {}
    for g in gold:
        doc = analyse(g.text, g.published, g.doc_id)
        found[g.doc_id] = {m.name for m in ev.mentions(doc) if m.label == "ORG"}
        gold_keys: dict[str, tuple[set[str], set[str]]] = {}
        for e in g.events:
            actors, counterparts = gold_keys.setdefault(e["date_value"], (set(), set()))
            actors.update([e["actor"]] if e.get("actor") else [])
            counterparts.update(e.get("counterparts") or [])
        for e in doc._.events:
            predicted.append(_row(g.doc_id, e.date_value, e.actor, e.counterparts))
            if e.date_value not in gold_keys:
                continue
            names, feats, rules = candidates(v, doc, e)
            names_of[g.doc_id, e.date_value].update(names)
            actors, counterparts = gold_keys[e.date_value]
            labels = [ACTOR if n in actors else COUNTERPART if n in counterparts else NONE for n in names]
            instances.append(Instance(g.doc_id, batch_of(g.doc_id), e.date_value, names, feats, rules, labels))
    return Run(gold, predicted, instances, names_of, found)


def _row(doc_id: str, date_value: str, actor: str | None, counterparts: Iterable[str]) -> dict:
    cps = sorted(set(counterparts) - {actor})
    return {
        "doc_id": doc_id,
        "date_value": date_value,
        "actor": actor,
        "counterparts": cps,
        "orgs": sorted(set(cps) | ({actor} if actor else set())),
    }


def events_with(instances: Sequence[Instance], roles: Sequence[Sequence[int]]) -> list[dict]:
    """Evaluate's event rows for ``instances`` with the candidates' ``roles``."""
    out = []
    for inst, rs in zip(instances, roles, strict=True):
        actor = next((n for n, r in zip(inst.names, rs, strict=True) if r == ACTOR), None)
        cps = [n for n, r in zip(inst.names, rs, strict=True) if r == COUNTERPART]
        out.append(_row(inst.doc_id, inst.date_value, actor, cps))
    return out


def aligned_gold(run: Run, doc_ids: set[str]) -> list[GoldDoc]:
    """The gold documents of ``doc_ids`` with only the events of keys a predicted event shares, and no spans."""
    keys = {(i.doc_id, i.date_value) for i in run.instances}
    return [
        GoldDoc(g.doc_id, g.text, g.published, [], [e for e in g.events if (g.doc_id, e["date_value"]) in keys])
        for g in run.gold
        if g.doc_id in doc_ids
    ]


def f1s(gold: list[GoldDoc], events: list[dict]) -> dict[str, float]:
    report = score(gold, [], events)
    return {label: report.row(label)["exact_f1"] for label in LINKS}


# ---------------------------------------------------------------------------------------------
# The model


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


@dataclass
class Model:
    features: list[str]
    weights: np.ndarray  # (features + 1 bias) × 3

    def probabilities(self, feats: Sequence[set[str]]) -> np.ndarray:
        return softmax(design(feats, self.features) @ self.weights)


def design(feats: Sequence[set[str]], features: list[str]) -> np.ndarray:
    col = {f: k for k, f in enumerate(features)}
    x = np.zeros((len(feats), len(features) + 1))
    x[:, -1] = 1.0
    for r, fs in enumerate(feats):
        for f in fs:
            if f in col:
                x[r, col[f]] = 1.0
    return x


def fit(feats: Sequence[set[str]], labels: Sequence[int], l2: float = 1.0, steps: int = 400) -> Model:
    """Multinomial logistic regression, L2 on every weight but the bias (``l2`` / number of rows), by Nesterov's
    accelerated gradient on the mean cross-entropy. Features seen fewer than twice are left out."""
    counts = Counter(f for fs in feats for f in fs)
    features = sorted(f for f, c in counts.items() if c >= 2)
    x = design(feats, features)
    y = np.eye(3)[np.asarray(labels)]
    n = len(x)
    reg = np.full((x.shape[1], 1), l2 / n)
    reg[-1] = 0.0
    # the gradient's Lipschitz constant: at most half the largest eigenvalue of XᵀX/n, plus the penalty
    u = np.ones(x.shape[1])
    for _ in range(30):
        u = x.T @ (x @ u) / n
        u /= np.linalg.norm(u)
    step = 1.0 / (0.5 * float(u @ (x.T @ (x @ u)) / n) + l2 / n)
    w = np.zeros((x.shape[1], 3))
    prev = w
    for k in range(steps):
        look = w + (k / (k + 3)) * (w - prev)
        grad = x.T @ (softmax(x @ look) - y) / n + reg * look
        prev, w = w, look - step * grad
    return Model(features, w)


def decode(probs: np.ndarray) -> list[int]:
    """Each candidate's most probable role, with at most one actor per event: of several, the one with the
    highest actor probability keeps it, the others take the more probable of their two other roles."""
    roles = [int(r) for r in probs.argmax(axis=1)]
    return _one_actor(roles, probs)


def _one_actor(roles: list[int], probs: np.ndarray) -> list[int]:
    actors = [k for k, r in enumerate(roles) if r == ACTOR]
    if len(actors) > 1:
        keep = max(actors, key=lambda k: probs[k, ACTOR])
        for k in actors:
            if k != keep:
                roles[k] = COUNTERPART if probs[k, COUNTERPART] >= probs[k, NONE] else NONE
    return roles


def combine(rules: Sequence[int], probs: np.ndarray, threshold: float) -> list[int]:
    """The rules' roles, each replaced by the model's where its probability reaches ``threshold``; then one actor."""
    roles = [int(p.argmax()) if p.max() >= threshold else r for r, p in zip(rules, probs, strict=True)]
    return _one_actor(roles, probs)


def without_rules(features: set[str]) -> set[str]:
    """The features but the rules' decision and its conjunctions: what Kiwi and the tables alone tell."""
    return {f for f in features if "rule=" not in f}


def cross_validate(
    instances: Sequence[Instance], folds: Sequence[int], l2: float, rules: bool = True
) -> list[np.ndarray]:
    """Leave-one-batch-out: each instance's probabilities from a model trained on the other batches of ``folds``
    (``rules=False``: without the rules' decision among the features)."""
    keep = (lambda f: f) if rules else without_rules
    probs: list[np.ndarray] = [np.empty((0, 3))] * len(instances)
    for b in folds:
        train = [i for i in instances if i.batch != b]
        model = fit([keep(f) for i in train for f in i.features], [g for i in train for g in i.gold], l2)
        for k, inst in enumerate(instances):
            if inst.batch == b:
                probs[k] = model.probabilities([keep(f) for f in inst.features])
    return probs


def choose_threshold(run: Run, train_batches: Sequence[int], l2: float) -> float:
    """The threshold that maximises the sum of the three F1 of ``rules+model`` in a leave-one-batch-out over
    ``train_batches`` alone (the held-out batch plays no part)."""
    inner = [i for i in run.instances if i.batch in train_batches]
    probs = cross_validate(inner, train_batches, l2)
    gold = aligned_gold(run, {g.doc_id for g in run.gold if batch_of(g.doc_id) in train_batches})

    def total(t: float) -> float:
        roles = [combine(i.rules, p, t) for i, p in zip(inner, probs, strict=True)]
        return sum(f1s(gold, events_with(inner, roles)).values())

    return max(THRESHOLDS, key=lambda t: (total(t), t))


# ---------------------------------------------------------------------------------------------
# Reports


CAUSES = (
    "missed: no event",
    "missed: org not found",
    "missed: not linked",
    "missed: role",
    "spurious: no event",
    "spurious: not a gold org",
    "spurious: role",
)


def decomposition(run: Run, doc_ids: set[str]) -> dict[str, Counter]:
    """Where the rules' link errors over whole documents come from, per link label. A missed link: its key has no
    predicted event (``no event``: the event or its date was missed), its organisation is no ORG the pipeline found
    in the document (``org not found``), or is but is no candidate of the key's predicted events (``not linked``:
    carry-over and back-references), else a candidate given the wrong role (``role``). A spurious link: its key has
    no gold event (``no event``), its organisation is no gold ORG of the document (``not a gold org``), else ``role``
    (a gold organisation linked or cast wrongly)."""
    gold = [g for g in run.gold if g.doc_id in doc_ids]
    gold_orgs = {g.doc_id: {s.value[0] for s in g.spans if s.label == "ORG"} for g in gold}
    report = score(gold, [], [e for e in run.predicted if e["doc_id"] in doc_ids])
    pred_keys = {(e["doc_id"], e["date_value"]) for e in run.predicted}
    gold_keys = {(g.doc_id, e["date_value"]) for g in gold for e in g.events}
    out: dict[str, Counter] = {label: Counter() for label in LINKS}
    for line in report.errors:
        label, kind, doc_id, _, quoted, date_value, _ = line.split("\t")
        if label not in out:
            continue
        key, name = (doc_id, date_value), ast.literal_eval(quoted)
        if kind == "missed":
            cause = (
                "no event"
                if key not in pred_keys
                else "org not found"
                if name not in run.found_orgs[doc_id]
                else "role"
                if name in run.candidate_names[key]
                else "not linked"
            )
        else:
            cause = (
                "no event" if key not in gold_keys else "not a gold org" if name not in gold_orgs[doc_id] else "role"
            )
        out[label][f"{kind}: {cause}"] += 1
    return out


VARIANTS = ("rules", "model", "model without rule features", "rules+model", "oracle")


def role_table(run: Run, l2: float) -> tuple[str, str]:
    """Leave-one-batch-out F1 of each variant on the aligned events, per held-out batch and over all."""
    folds = sorted({i.batch for i in run.instances})  # the batches this gold folder holds
    probs = cross_validate(run.instances, folds, l2)
    bare = cross_validate(run.instances, folds, l2, rules=False)
    thresholds = {b: choose_threshold(run, [c for c in folds if c != b], l2) for b in folds}
    roles = {
        "rules": [i.rules for i in run.instances],
        "model": [decode(p) for p in probs],
        "model without rule features": [decode(p) for p in bare],
        "rules+model": [combine(i.rules, p, thresholds[i.batch]) for i, p in zip(run.instances, probs, strict=True)],
        "oracle": [decode(np.eye(3)[i.gold]) for i in run.instances],  # the gold roles: what no role model can pass
    }
    lines = [
        f"| held-out batch | events | {' | '.join(f'{lab} F1' for lab in LINKS)} | threshold |",
        "|---|---|---|---|---|---|",
    ]
    for b in [*folds, None]:
        pick = [k for k, i in enumerate(run.instances) if b is None or i.batch == b]
        inst = [run.instances[k] for k in pick]
        gold = aligned_gold(run, {g.doc_id for g in run.gold if b is None or batch_of(g.doc_id) == b})
        scores = {v: f1s(gold, events_with(inst, [roles[v][k] for k in pick])) for v in VARIANTS}
        name = "all" if b is None else "n{:02d}–n{}".format(*batch_range(b))
        cells = " | ".join(" / ".join(f"{scores[v][lab]:.3f}" for v in VARIANTS) for lab in LINKS)
        lines.append(f"| {name} | {len(inst)} | {cells} | {'' if b is None else f'{thresholds[b]:.2f}'} |")
    changes = [
        "| variant | candidates changed | of them right, rules wrong | rules right, now wrong |",
        "|---|---|---|---|",
    ]
    for v in VARIANTS[1:]:  # the oracle's changes: the candidates the rules get wrong
        pairs = [
            (r, m, g)
            for i, ms in zip(run.instances, roles[v], strict=True)
            for r, m, g in zip(i.rules, ms, i.gold, strict=True)
            if r != m
        ]
        fixed = sum(m == g for _, m, g in pairs)
        broken = sum(r == g for r, _, g in pairs)
        changes.append(f"| {v} | {len(pairs)} | {fixed} | {broken} |")
    return "\n".join(lines), "\n".join(changes)


def error_table(run: Run) -> str:
    """The rules' link F1 over whole documents and their errors by cause (:func:`decomposition`)."""
    full = score(run.gold, [], run.predicted)
    causes = decomposition(run, {g.doc_id for g in run.gold})
    lines = [
        f"| link | gold | predicted | F1 | {' | '.join(CAUSES)} |",
        "|---" * (4 + len(CAUSES)) + "|",
    ]
    for lab in LINKS:
        r = full.row(lab)
        counts = " | ".join(str(causes[lab][c]) for c in CAUSES)
        lines.append(f"| {lab} | {r['gold']} | {r['pred']} | {r['exact_f1']:.3f} | {counts} |")
    return "\n".join(lines)


def weights_table(run: Run, l2: float, top: int = 12) -> str:
    model = fit([f for i in run.instances for f in i.features], [g for i in run.instances for g in i.gold], l2)
    lines = ["| role | largest positive weights |", "|---|---|"]
    for r, role in enumerate(ROLES):
        w = model.weights[:-1, r] - model.weights[:-1].mean(axis=1)  # against the mean of the three roles
        best = np.argsort(-w)[:top]
        lines.append(f"| {role} | " + ", ".join(f"`{model.features[k]}` {w[k]:+.2f}" for k in best) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", type=Path, default=GOLD, help=f"the gold documents (default {GOLD})")
    ap.add_argument("--l2", type=float, default=1.0, help="L2 penalty (default 1.0)")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    r = run(args.gold)
    t1 = time.perf_counter()
    roles, changes = role_table(r, args.l2)
    t2 = time.perf_counter()
    labels = Counter(g for i in r.instances for g in i.gold)
    print(
        f"{len(r.gold)} documents, {len(r.predicted)} predicted events, {len(r.instances)} of them on aligned "
        f"(document, date) keys; {sum(labels.values())} candidates ("
        + ", ".join(f"{labels[k]} {ROLES[k]}" for k in range(3))
        + ").\n"
    )
    print("Roles on the aligned events, leave-one-batch-out (each batch by another writer):\n")
    print("Each cell: " + " / ".join(VARIANTS) + " (the gold roles of the candidates: the ceiling).\n")
    print(roles)
    print("\nCandidates whose role differs from the rules' (held-out predictions, all batches):\n")
    print(changes)
    print("\nThe rules' links over whole documents, and their errors by cause:\n")
    print(error_table(r))
    print("\nFeatures, model trained on all batches (weight minus the mean of the three roles):\n")
    print(weights_table(r, args.l2))
    print(f"\npipeline and features {t1 - t0:.1f} s, cross-validation {t2 - t1:.1f} s")


if __name__ == "__main__":
    main()
