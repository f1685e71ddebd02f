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

import argparse
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

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
        chunk = marked[pos:m.start()]
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


# OG spans that ANNOTATION.md does not count as ORG: generic bodies and countries acting in the
# news (one-syllable country abbreviations of headlines included). Used only for the second,
# "our scope" table; the main table scores against KLUE's labels as they are.
_GENERIC_OG = {"경찰", "검찰", "정부", "법원", "군", "군 당국", "당국", "재판부", "여당", "야당", "북", "남", "한", "미",
               "일", "중", "러", "영", "독", "프", "북한군", "국군"}


def _countries() -> set[str]:
    from pipeline.lexicon import read_table

    out = set()
    for row in read_table("countries.tsv"):
        out.add(row["name"])
        out.update(filter(None, row["aliases"].split("|")))
    return out


_COUNTRIES: set[str] = set()


def map_gold(sent: Sentence, our_scope: bool = False) -> list[tuple[str, int, int]]:
    """KLUE's spans as ours: DT → DATE, OG → ORG, QT with a currency → MONEY, QT ending in a
    counter → QUANTITY; other QT (ages, ordinals, scores) and PS/LC/TI are left out."""
    from pipeline.lexicon import read_table

    if our_scope and not _COUNTRIES:
        _COUNTRIES.update(_countries())
    rows = read_table("currencies.tsv")
    after = tuple(r["surface"].lower() for r in rows if r["position"] == "after")
    before = tuple(r["surface"].lower() for r in rows if r["position"] == "before")
    counters = tuple(r["counter"].lower() for r in read_table("counters.tsv"))
    out = []
    for tag, s, e in sent.spans:
        surface = sent.text[s:e].lower().rstrip()
        if tag == "DT":
            out.append(("DATE", s, e))
        elif tag == "OG":
            if our_scope and (surface in _GENERIC_OG or sent.text[s:e] in _COUNTRIES):
                continue
            out.append(("ORG", s, e))
        elif tag == "QT":
            if surface.endswith(after) or surface.startswith(before) or "원" in surface and re.search(r"\d", surface):
                out.append(("MONEY", s, e))
            elif surface.endswith(counters):
                out.append(("QUANTITY", s, e))
    return out


def prf(pred: list, gold: list, overlap: bool) -> tuple[float, float, float]:
    def hit(a, others):
        return any(o[0] == a[0] and (o[1] < a[2] and a[1] < o[2] if overlap else (o[1], o[2]) == (a[1], a[2]))
                   for o in others)

    tp_p = sum(hit(p, gold) for p in pred)
    tp_g = sum(hit(g, pred) for g in gold)
    p = tp_p / len(pred) if pred else 1.0
    r = tp_g / len(gold) if gold else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score(sentences: list[Sentence], predictor, our_scope: bool = False) -> dict[str, dict]:
    """Per label: gold and predicted counts, exact and overlap P/R/F1 (pooled over sentences)."""
    golds, preds = [], []
    for i, sent in enumerate(sentences):
        golds += [(lab, s, e, i) for lab, s, e in map_gold(sent, our_scope)]
        preds += [(lab, s, e, i) for lab, s, e in predictor(sent.text)]
    out = {}
    for label in ("DATE", "ORG", "MONEY", "QUANTITY"):
        g = [(lab, s + 10**7 * i, e + 10**7 * i) for lab, s, e, i in golds if lab == label]
        p = [(lab, s + 10**7 * i, e + 10**7 * i) for lab, s, e, i in preds if lab == label]
        if not g and not p:
            continue
        out[label] = {"gold": len(g), "pred": len(p), "exact": prf(p, g, False), "overlap": prf(p, g, True)}
    return out


def pipeline_predictor():
    from pipeline.nlp import annotate

    def predict(text: str):
        doc = annotate(text)
        return [(label, s.start_char, s.end_char) for label in ("DATE", "ORG", "MONEY", "QUANTITY")
                for s in doc.spans[label]]

    return predict


def dateparser_predictor():
    from dateparser.search import search_dates

    def predict(text: str):
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
    lines = ["| label | gold | predicted | exact P | exact R | exact F1 | overlap P | overlap R | overlap F1 |",
             "|---|---|---|---|---|---|---|---|---|"]
    for label, r in results.items():
        ep, er, ef = r["exact"]
        op, orr, of = r["overlap"]
        if label == "QUANTITY" and quantity_recall_only:
            lines.append(f"| {label} (recall only) | {r['gold']} | {r['pred']} | | {er:.3f} | | | {orr:.3f} | |")
        else:
            lines.append(f"| {label} | {r['gold']} | {r['pred']} | {ep:.3f} | {er:.3f} | {ef:.3f} | {op:.3f} | {orr:.3f} | {of:.3f} |")
    return lines


def run(path: str | Path, with_dateparser: bool = True) -> tuple[dict, dict | None, str]:
    sentences = load(path)
    t0 = time.perf_counter()
    predict = pipeline_predictor()
    cache: dict[str, list] = {}

    def cached(text: str):
        if text not in cache:
            cache[text] = predict(text)
        return cache[text]

    ours = score(sentences, cached)
    t_ours = time.perf_counter() - t0
    scoped = score(sentences, cached, our_scope=True)["ORG"]
    base = None
    lines = [f"{len(sentences)} sentences of `{Path(path).name}`; pipeline {t_ours:.1f} s.", "",
             "Pipeline:", "", *table(ours), "",
             "ORG again, without the OG spans ANNOTATION.md does not count as organisations (generic "
             f"경찰, 검찰, 정부 …, and countries): {scoped['gold']} gold spans instead of {ours['ORG']['gold']}.", "",
             *table({"ORG (our scope)": scoped})[0:2], *table({"ORG (our scope)": scoped})[2:]]
    if with_dateparser:
        t0 = time.perf_counter()
        base = score(sentences, dateparser_predictor())
        t_base = time.perf_counter() - t0
        base = {"DATE": base.get("DATE", {"gold": 0, "pred": 0, "exact": (0, 0, 0), "overlap": (0, 0, 0)})}
        lines += ["", f"dateparser `search_dates(text, languages=['ko'])` on DT ({t_base:.1f} s):", "",
                  *table(base)]
    return ours, base, "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("path", help="klue-ner-news-dev-a.tsv")
    ap.add_argument("--write", metavar="FILE", help="also write the table into FILE (BENCHMARKS.md)")
    ap.add_argument("--no-dateparser", action="store_true", help="skip the dateparser baseline")
    ap.add_argument("--errors", metavar="LABEL", help="print misses and false hits of LABEL (for development)")
    args = ap.parse_args(argv)
    if not Path(args.path).exists():
        print(f"error: {args.path}: no such file", file=sys.stderr)
        return 2
    if args.errors:
        predict = pipeline_predictor()
        for sent in load(args.path):
            gold = {(s, e) for lab, s, e in map_gold(sent) if lab == args.errors}
            pred = {(s, e) for lab, s, e in predict(sent.text) if lab == args.errors}
            for s, e in sorted(gold - pred):
                print(f"miss\t{sent.text[s:e]}\t{sent.text[max(0, s - 12):e + 12]}")
            for s, e in sorted(pred - gold):
                print(f"false\t{sent.text[s:e]}\t{sent.text[max(0, s - 12):e + 12]}")
        return 0
    _, _, body = run(args.path, not args.no_dateparser)
    print(body)
    if args.write:
        from pipeline.markdown import write_section

        write_section(Path(args.write), "klue", "## KLUE-NER news sentences (outside text)\n\n"
                      "Generated by `python benchmarks/klue_ner.py PATH --write BENCHMARKS.md`.\n\n" + body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
