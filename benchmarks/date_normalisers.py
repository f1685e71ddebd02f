"""Which normaliser should turn a DATE span into its value? Our rules, dateparser or korean-datetime.

Each is given the gold DATE surface of every example in tests/corpus/dates.tsv and of every gold
fixture, with the document date as its reference, and is scored on the exact value
docs/annotation.md writes (``2020-03``, ``2021-Q1``, ``XXXX-03``, ``P1M``; the mod is not scored, the
others have none). Ours normalises in context (the sentence and document it sits in), as the
pipeline does; the two libraries see the surface alone, which is how they would be used on spans we
found. dateparser's datetime is written at the precision of the expected value, to give it every
benefit.

    pip install -e '.[bench]' && python benchmarks/date_normalisers.py [--write README.md]

``--write README.md`` pastes the table (without the seconds, which vary from run to run) into
README.md; a test fails when that table is stale.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple

if __package__ in (None, ""):  # run as a file: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import Figure, argument_parser, corpus_rows, gold_documents

FIGURE = Figure("date-normalisers", "python benchmarks/date_normalisers.py --write README.md")


class Case(NamedTuple):
    text: str
    published: str | None
    start: int
    end: int
    surface: str
    expected: str


def examples() -> list[Case]:
    """Every gold DATE span: the rows of tests/corpus/dates.tsv, then the fixtures' spans."""
    out = []
    for row in corpus_rows("dates.tsv"):
        pos = 0
        for item in filter(None, (row["expected"] or "").split(" ; ")):
            surface, _, value = item.partition(" => ")
            start = row["text"].find(surface, pos)
            pos = start + 1
            out.append(
                Case(row["text"], row["published"] or None, start, start + len(surface), surface, value.split()[0])
            )
    for doc in gold_documents():
        for s in doc.spans:
            if s.label == "DATE":
                out.append(Case(doc.text, doc.published, s.start, s.end, s.text, s.value[0]))
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


def ours(cases: Sequence[Case]) -> list[str]:
    from pipeline.nlp import annotate

    docs: dict[tuple[str, str | None], dict[tuple[int, int], str]] = {}
    got = []
    for c in cases:
        key = (c.text, c.published)
        if key not in docs:
            doc = annotate(c.text, c.published)
            docs[key] = {(s.start_char, s.end_char): s._.value for s in doc.spans["DATE"]}
        got.append(docs[key].get((c.start, c.end), "?"))
    return got


def with_dateparser(cases: Sequence[Case]) -> list[str]:
    import dateparser

    got = []
    for c in cases:
        settings = {"RELATIVE_BASE": reference(c.published)} if c.published else {}
        d = dateparser.parse(c.surface, languages=["ko"], settings=settings)
        got.append(at_precision(d, c.expected) if d else "?")
    return got


def with_korean_datetime(cases: Sequence[Case]) -> list[str]:
    import korean_datetime

    grain_fmt: dict[str, Callable[[dt.datetime], str]] = {
        "year": lambda d: f"{d.year:04d}",
        "half_year": lambda d: f"{d.year:04d}-H{1 if d.month <= 6 else 2}",
        "quarter": lambda d: f"{d.year:04d}-Q{(d.month - 1) // 3 + 1}",
        "month": lambda d: f"{d.year:04d}-{d.month:02d}",
        "day": lambda d: f"{d.year:04d}-{d.month:02d}-{d.day:02d}",
    }
    got = []
    for c in cases:
        try:
            r = korean_datetime.parse(c.surface, now=reference(c.published))
        except Exception:  # a crash counts as no answer
            r = None
        fmt = grain_fmt.get(getattr(getattr(r, "grain", None), "value", ""))
        got.append(fmt(r.start) if r is not None and fmt and r.start else "?")
    return got


NORMALISERS: tuple[tuple[str, Callable[[Sequence[Case]], list[str]]], ...] = (
    ("our rules (pipeline.dates)", ours),
    ("korean-datetime 1.0", with_korean_datetime),
    ("dateparser 1.x parse()", with_dateparser),
)


class Row(NamedTuple):
    name: str
    accuracy: float
    undated: float
    unresolved: float
    seconds: float

    def cells(self, with_seconds: bool) -> str:
        seconds = f" {self.seconds:.1f} |" if with_seconds else ""
        return f"| {self.name} | {self.accuracy:.3f} | {self.undated:.3f} | {self.unresolved:.3f} |{seconds}"


def measure(cases: Sequence[Case], name: str, normalise: Callable[[Sequence[Case]], list[str]]) -> Row:
    """Value accuracy over all cases, over those in undated text, and over unresolved (X) values."""
    t0 = time.perf_counter()
    got = normalise(cases)
    seconds = time.perf_counter() - t0

    def accuracy(keep: Callable[[Case], bool]) -> float:
        pairs = [(g, c) for g, c in zip(got, cases, strict=True) if keep(c)]
        return sum(g == c.expected for g, c in pairs) / max(1, len(pairs))

    return Row(
        name,
        accuracy(lambda c: True),
        accuracy(lambda c: c.published is None),
        accuracy(lambda c: c.expected.startswith("X") or "XX" in c.expected),
        seconds,
    )


def table(cases: Sequence[Case], rows: Sequence[Row], with_seconds: bool) -> str:
    head = "| normaliser | value accuracy | in undated text | unresolved (X) values |"
    rule = "|---|---|---|---|"
    if with_seconds:
        head, rule = head + " seconds |", rule + "---|"
    return "\n".join(
        [
            f"{len(cases)} gold DATE spans ({sum(c.published is None for c in cases)} in undated text)",
            "",
            head,
            rule,
            *(r.cells(with_seconds) for r in rows),
        ]
    )


def main(argv: list[str] | None = None) -> int:
    args = argument_parser(__doc__, target="README.md").parse_args(argv)
    cases = examples()
    rows = [measure(cases, name, fn) for name, fn in NORMALISERS]
    FIGURE.publish(table(cases, rows, with_seconds=False), args.write, printed=table(cases, rows, with_seconds=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
