"""Accuracy on text nobody here wrote: the KLUE-NER news sentences.

    python benchmarks/klue_ner.py ../shared/data/klue-ner-news-dev-a.tsv [--write BENCHMARKS.md]

The file (not in this repository; never copy its sentences here) holds one sentence per line:
an id, a tab, then the sentence with KLUE's inline marks ``<surface:TAG>``. KLUE's labels are
mapped to ours before scoring: DT → DATE, OG → ORG, QT whose surface holds a currency → MONEY,
QT whose surface ends in one of our counters → QUANTITY (scored by recall only: KLUE's QT also
marks ages, ordinals and scores, which our QUANTITY leaves out on purpose). Scores per label with
exact and with overlapping spans. In the same run dateparser's ``search_dates(text,
languages=['ko'])`` is scored on DT, as the baseline a newcomer would try first.

KLUE's conventions are not ours (its DT also marks durations and vague periods like 최근; its OG
marks sports teams and countries as actors): read the numbers with that in mind.
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

if __package__ in (None, ""):  # run as a file: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import Figure, argument_parser
from pipeline import evaluate
from pipeline.lexicon import read_table

FIGURE = Figure(
    "klue", "python benchmarks/klue_ner.py PATH --write BENCHMARKS.md", "## KLUE-NER news sentences (outside text)"
)
LABELS = ("DATE", "ORG", "MONEY", "QUANTITY")  # ours that KLUE's tags map to
Predictor = Callable[[str], list[tuple[str, int, int]]]

_MARK = re.compile(r"<([^<>:]+(?::[^<>:]+)*?):(PS|LC|OG|DT|TI|QT)>")


@dataclass
class Sentence:
    sid: str
    text: str
    spans: list[tuple[str, int, int]]  # (KLUE tag, start, end)


def parse_line(line: str) -> Sentence | None:
    if "\t" not in line:
        return None
    sid, marked = line.rstrip("\n").split("\t", 1)
    text, spans, pos = [], [], 0
    out_len = 0
    for m in _MARK.finditer(marked):
        chunk = marked[pos : m.start()]
        text.append(chunk)
        out_len += len(chunk)
        surface, tag = m.group(1), m.group(2)
        spans.append((tag, out_len, out_len + len(surface)))
        text.append(surface)
        out_len += len(surface)
        pos = m.end()
    text.append(marked[pos:])
    return Sentence(sid, "".join(text), spans)


def load(path: str | Path) -> list[Sentence]:
    with open(path, encoding="utf-8") as fh:
        return [s for s in (parse_line(ln) for ln in fh) if s is not None]


# OG spans that docs/annotation.md does not count as ORG: generic bodies and countries acting in
# the news (one-syllable country abbreviations of headlines included). Used only for the second,
# "our scope" table; the main table scores against KLUE's labels as they are.
_GENERIC_OG = {
    "경찰",
    "검찰",
    "정부",
    "법원",
    "군",
    "군 당국",
    "당국",
    "재판부",
    "여당",
    "야당",
    "북",
    "남",
    "한",
    "미",
    "일",
    "중",
    "러",
    "영",
    "독",
    "프",
    "북한군",
    "국군",
}


@lru_cache(maxsize=1)
def _vocabulary() -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], frozenset[str]]:
    """Currency words after and before a number, counters, and country names (pipeline/data)."""
    rows = read_table("currencies.tsv")
    after = tuple(r["surface"].lower() for r in rows if r["position"] == "after")
    before = tuple(r["surface"].lower() for r in rows if r["position"] == "before")
    counters = tuple(r["counter"].lower() for r in read_table("counters.tsv"))
    countries: set[str] = set()
    for row in read_table("countries.tsv"):
        countries.add(row["name"])
        countries.update(filter(None, row["aliases"].split("|")))
    return after, before, counters, frozenset(countries)


def map_gold(sent: Sentence, our_scope: bool = False) -> list[tuple[str, int, int]]:
    """KLUE's spans as ours: DT → DATE, OG → ORG, QT with a currency → MONEY, QT ending in a
    counter → QUANTITY; other QT (ages, ordinals, scores) and PS/LC/TI are left out."""
    after, before, counters, countries = _vocabulary()
    out = []
    for tag, s, e in sent.spans:
        surface = sent.text[s:e].lower().rstrip()
        if tag == "DT":
            out.append(("DATE", s, e))
        elif tag == "OG":
            if our_scope and (surface in _GENERIC_OG or sent.text[s:e] in countries):
                continue
            out.append(("ORG", s, e))
        elif tag == "QT":
            if surface.endswith(after) or surface.startswith(before) or ("원" in surface and re.search(r"\d", surface)):
                out.append(("MONEY", s, e))
            elif surface.endswith(counters):
                out.append(("QUANTITY", s, e))
    return out


def score(sentences: list[Sentence], predictor: Predictor, our_scope: bool = False) -> dict[str, dict]:
    """Per label, :func:`pipeline.evaluate.score`'s row (gold and predicted counts, exact and overlap
    P/R/F1, pooled over sentences); labels with neither gold nor predicted spans are left out."""
    gold, pred = [], []
    for i, sent in enumerate(sentences):
        doc_id = str(i)

        def span(label: str, s: int, e: int, doc_id: str = doc_id, text: str = sent.text) -> evaluate.Span:
            return evaluate.Span(doc_id=doc_id, label=label, start=s, end=e, text=text[s:e], value=())

        spans = [span(*g) for g in map_gold(sent, our_scope)]
        gold.append(evaluate.GoldDoc(doc_id=doc_id, text=sent.text, published=None, spans=spans, events=[]))
        pred += [span(*p) for p in predictor(sent.text)]
    rows = evaluate.score(gold, pred, []).rows
    return {r["label"]: r for r in rows if r["label"] in LABELS and (r["gold"] or r["pred"])}


def pipeline_predictor() -> Predictor:
    from pipeline.nlp import annotate

    def predict(text: str) -> list[tuple[str, int, int]]:
        doc = annotate(text)
        return [(label, s.start_char, s.end_char) for label in LABELS for s in doc.spans[label]]

    return predict


def dateparser_predictor() -> Predictor:
    from dateparser.search import search_dates

    def predict(text: str) -> list[tuple[str, int, int]]:
        found = search_dates(text, languages=["ko"]) or []
        out, pos = [], 0
        for surface, _ in found:
            start = text.find(surface, pos)
            if start >= 0:
                out.append(("DATE", start, start + len(surface)))
                pos = start + len(surface)
        return out

    return predict


def table(results: dict[str, dict], quantity_recall_only: bool = True) -> list[str]:
    lines = [
        "| label | gold | predicted | exact P | exact R | exact F1 | overlap P | overlap R | overlap F1 |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for label, r in results.items():
        if label == "QUANTITY" and quantity_recall_only:
            lines.append(
                f"| {label} (recall only) | {r['gold']} | {r['pred']} | | {r['exact_r']:.3f} | | "
                f"| {r['overlap_r']:.3f} | |"
            )
        else:
            lines.append(
                f"| {label} | {r['gold']} | {r['pred']} | {r['exact_p']:.3f} | {r['exact_r']:.3f} | "
                f"{r['exact_f1']:.3f} | {r['overlap_p']:.3f} | {r['overlap_r']:.3f} | {r['overlap_f1']:.3f} |"
            )
    return lines


def run(path: str | Path, with_dateparser: bool = True) -> tuple[dict, dict | None, str]:
    sentences = load(path)
    t0 = time.perf_counter()
    predict = pipeline_predictor()
    cache: dict[str, list] = {}

    def cached(text: str) -> list[tuple[str, int, int]]:
        if text not in cache:
            cache[text] = predict(text)
        return cache[text]

    ours = score(sentences, cached)
    t_ours = time.perf_counter() - t0
    scoped = score(sentences, cached, our_scope=True)["ORG"]
    base = None
    lines = [
        f"{len(sentences)} sentences of `{Path(path).name}`; pipeline {t_ours:.1f} s.",
        "",
        "Pipeline:",
        "",
        *table(ours),
        "",
        "ORG again, without the OG spans docs/annotation.md does not count as organisations (generic "
        f"경찰, 검찰, 정부 …, and countries): {scoped['gold']} gold spans instead of {ours['ORG']['gold']}.",
        "",
        *table({"ORG (our scope)": scoped}),
    ]
    if with_dateparser:
        t0 = time.perf_counter()
        base = {"DATE": score(sentences, dateparser_predictor())["DATE"]}
        t_base = time.perf_counter() - t0
        lines += ["", f"dateparser `search_dates(text, languages=['ko'])` on DT ({t_base:.1f} s):", "", *table(base)]
    return ours, base, "\n".join(lines)


def print_errors(path: str | Path, label: str) -> None:
    """Misses and false hits of one label, for development (not a table)."""
    predict = pipeline_predictor()
    for sent in load(path):
        gold = {(s, e) for lab, s, e in map_gold(sent) if lab == label}
        pred = {(s, e) for lab, s, e in predict(sent.text) if lab == label}
        for s, e in sorted(gold - pred):
            print(f"miss\t{sent.text[s:e]}\t{sent.text[max(0, s - 12) : e + 12]}")
        for s, e in sorted(pred - gold):
            print(f"false\t{sent.text[s:e]}\t{sent.text[max(0, s - 12) : e + 12]}")


def main(argv: list[str] | None = None) -> int:
    ap = argument_parser(__doc__)
    ap.add_argument("path", help="klue-ner-news-dev-a.tsv")
    ap.add_argument("--no-dateparser", action="store_true", help="skip the dateparser baseline")
    ap.add_argument("--errors", metavar="LABEL", help="print misses and false hits of LABEL (for development)")
    args = ap.parse_args(argv)
    if not Path(args.path).exists():
        print(f"error: {args.path}: no such file", file=sys.stderr)
        return 2
    if args.errors:
        print_errors(args.path, args.errors)
        return 0
    _, _, body = run(args.path, not args.no_dateparser)
    FIGURE.publish(body, args.write)
    return 0


if __name__ == "__main__":
    sys.exit(main())
