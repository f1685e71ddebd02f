"""Which normaliser should turn a DATE span into its value? Our rules, dateparser or korean-datetime.

Each is given the gold DATE surface of every example in tests/corpus/dates.tsv and of every gold
fixture, with the document date as its reference, and is scored on the exact value ANNOTATION.md
writes (``2020-03``, ``2021-Q1``, ``XXXX-03``, ``P1M``; the mod is not scored, the others have none).
Ours normalises in context (the sentence and document it sits in), as the pipeline does; the two
libraries see the surface alone, which is how they would be used on spans we found. dateparser's
datetime is written at the precision of the expected value, to give it every benefit.

    pip install -e '.[bench]' && python benchmarks/date_normalisers.py
"""
from __future__ import annotations

import csv
import datetime as dt
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.fixtures import fixture_paths, fixture_text, load  # noqa: E402
from pipeline.nlp import annotate  # noqa: E402


def examples():
    """(text, published, start, end, surface, expected value)."""
    out = []
    with (ROOT / "tests/corpus/dates.tsv").open(encoding="utf-8") as fh:
        lines = [ln for ln in fh if ln.strip() and not ln.startswith("#")]
    for row in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE):
        pos = 0
        for item in filter(None, (row["expected"] or "").split(" ; ")):
            surface, _, value = item.partition(" => ")
            start = row["text"].find(surface, pos)
            pos = start + 1
            out.append((row["text"], row["published"] or None, start, start + len(surface), surface, value.split()[0]))
    for path in fixture_paths(ROOT / "tests/fixtures"):
        fx = load(path)
        text = fixture_text(fx)
        for s in fx["spans"]:
            if s["label"] == "DATE":
                out.append((text, fx.get("published"), s["start"], s["end"], s["text"], s["value"]))
    return out


def reference(published: str | None) -> dt.datetime | None:
    if not published:
        return None
    bits = [int(b) for b in published.split("-")] + [1, 1]
    return dt.datetime(bits[0], bits[1], bits[2])


def at_precision(d: dt.datetime, expected: str) -> str:
    if expected.startswith("P"):
        return "?"
    if "-Q" in expected:
        return f"{d.year:04d}-Q{(d.month - 1) // 3 + 1}"
    if "-H" in expected:
        return f"{d.year:04d}-H{1 if d.month <= 6 else 2}"
    n = expected.count("-")
    return [f"{d.year:04d}", f"{d.year:04d}-{d.month:02d}", f"{d.year:04d}-{d.month:02d}-{d.day:02d}"][n]


def ours(cases):
    docs = {}
    got = []
    for text, pub, start, end, surface, _ in cases:
        key = (text, pub)
        if key not in docs:
            doc = annotate(text, pub)
            docs[key] = {(s.start_char, s.end_char): s._.value for s in doc.spans["DATE"]}
        got.append(docs[key].get((start, end), "?"))
    return got


def with_dateparser(cases):
    import dateparser

    got = []
    for _, pub, _, _, surface, expected in cases:
        settings = {"RELATIVE_BASE": reference(pub)} if pub else {}
        d = dateparser.parse(surface, languages=["ko"], settings=settings)
        got.append(at_precision(d, expected) if d else "?")
    return got


def with_korean_datetime(cases):
    import korean_datetime

    grain_fmt = {
        "year": lambda d: f"{d.year:04d}",
        "half_year": lambda d: f"{d.year:04d}-H{1 if d.month <= 6 else 2}",
        "quarter": lambda d: f"{d.year:04d}-Q{(d.month - 1) // 3 + 1}",
        "month": lambda d: f"{d.year:04d}-{d.month:02d}",
        "day": lambda d: f"{d.year:04d}-{d.month:02d}-{d.day:02d}",
    }
    got = []
    for _, pub, _, _, surface, _ in cases:
        try:
            r = korean_datetime.parse(surface, now=reference(pub))
        except Exception:  # noqa: BLE001 - a crash counts as no answer
            r = None
        fmt = grain_fmt.get(getattr(getattr(r, "grain", None), "value", ""), None)
        got.append(fmt(r.start) if r is not None and fmt and r.start else "?")
    return got


def main() -> None:
    cases = examples()
    rows = []
    for name, fn in (("our rules (pipeline.dates)", ours), ("korean-datetime 1.0", with_korean_datetime),
                     ("dateparser 1.x parse()", with_dateparser)):
        t0 = time.perf_counter()
        got = fn(cases)
        secs = time.perf_counter() - t0
        right = sum(g == c[5] for g, c in zip(got, cases))
        undated = [(g, c) for g, c in zip(got, cases) if c[1] is None]
        relative = [(g, c) for g, c in zip(got, cases) if c[5].startswith("X") or "XX" in c[5]]
        rows.append((name, right / len(cases), sum(g == c[5] for g, c in undated) / max(1, len(undated)),
                     sum(g == c[5] for g, c in relative) / max(1, len(relative)), secs))
    print(f"{len(cases)} gold DATE spans ({sum(c[1] is None for c in cases)} in undated text)\n")
    print("| normaliser | value accuracy | in undated text | unresolved (X) values | seconds |")
    print("|---|---|---|---|---|")
    for name, acc, und, rel, secs in rows:
        print(f"| {name} | {acc:.3f} | {und:.3f} | {rel:.3f} | {secs:.1f} |")


if __name__ == "__main__":
    main()
