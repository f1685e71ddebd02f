"""Breadth of the date, amount and organisation rules, family by family (issues 9 and 10).

Reads the family tables in ``tests/corpus/`` (``date_families.tsv``, ``amount_families.tsv``,
``org_families.tsv``: one sentence a row, its family, and every span it must give, in the format
of ``dates.tsv``/``amounts.tsv``/``orgs.tsv``) and reports for each family the share of expected
spans found (same surface) and found with exactly the expected value, and the share of negative
rows (nothing expected) that give nothing.

``--rows DIR`` scores another folder's tables instead: the held-out expressions
(``tests/fixtures_heldout/expressions/``: ``date_expressions.tsv`` and ``amount_expressions.tsv``, the
same format, written by a helper who writes no rules and read by no rule writer), for issue 9's
targets on text the team has not seen; their table goes to its own section (``heldout-expressions``)
and adds a row per kind of span (calendar dates apart from durations, MONEY apart from QUANTITY).

``--before DIR`` also scores the same rows with the pipeline checked out in DIR (an older commit,
e.g. ``git worktree add /tmp/before COMMIT``), in a subprocess, so the table shows each family
before and after a change. The examples are ours, written for these families: the figures say how
much of each family the rules cover, not how they do on text nobody here wrote.

    python benchmarks/breadth.py --before /tmp/before --write BENCHMARKS.md
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"  # the rows are always this tree's, also when scoring an older checkout
if __package__ in (None, ""):
    sys.path.insert(0, str(ROOT))

TABLES = {  # table → (labels scored, how a span's value is written in the table)
    "date_families.tsv": ("DATE",),
    "amount_families.tsv": ("MONEY", "QUANTITY"),
    "org_families.tsv": ("ORG",),
}
HELDOUT_TABLES = {"date_expressions.tsv": ("DATE",), "amount_expressions.tsv": ("MONEY", "QUANTITY")}


def family_rows(name: str, corpus: Path = CORPUS) -> list[dict[str, str]]:
    """Rows of a family table (header ``family status text published expected``); empty when absent."""
    path = corpus / name
    if not path.exists():
        return []
    lines = [ln.rstrip("\n") for ln in path.open(encoding="utf-8") if ln.strip() and not ln.startswith("#")]
    header = lines[0].split("\t")
    rows = [dict(zip(header, ln.split("\t"), strict=True)) for ln in lines[1:]]
    for row in rows:
        row["text"] = row_text(row["text"])
    return rows


def row_text(text: str) -> str:
    """A family row's text as a document: ``\\n`` in the table is a line break (a heading above a
    paragraph, a dateline), as in ``event_roles.tsv``."""
    return text.replace("\\n", "\n")


def expected_items(field: str) -> list[tuple[str, str]]:
    """``a => x ; b => y`` → [(a, x), (b, y)] (the corpus tables' format)."""
    out = []
    for item in (field or "").split(" ; "):
        if item.strip():
            surface, _, value = item.partition(" => ")
            out.append((surface.strip(), value.strip()))
    return out


def predicted_items(doc, labels: tuple[str, ...]) -> list[tuple[str, str]]:
    """The Doc's spans of ``labels`` written as the corpus tables write them."""
    from pipeline.numbers import format_number

    spans = sorted((s for lab in labels for s in doc.spans.get(lab, [])), key=lambda s: s.start_char)
    out = []
    for s in spans:
        if s.label_ == "DATE":
            value = f"{s._.value} {s._.mod}" if s._.mod else s._.value
        elif s.label_ == "ORG":
            value = f"{s._.name} {s._.kind}"
        else:
            value = f"{s.label_} {format_number(s._.value)} {s._.unit} {s._.qualifier}"
        out.append((s.text, value))
    return out


def score_rows(rows: str | None = None) -> dict[str, dict[str, list[int]]]:
    """{table: {family: [rows, spans, found, valued, negatives, clean]}} with the importable pipeline:
    the family tables of ``tests/corpus/``, or with ``rows`` (a folder) its held-out expression tables,
    with a ``(LABEL)`` entry per label of the expected spans as well."""
    from pipeline.nlp import annotate

    corpus, tables = (Path(rows), HELDOUT_TABLES) if rows else (CORPUS, TABLES)
    scores: dict[str, dict[str, list[int]]] = {}
    for name, labels in tables.items():
        for row in family_rows(name, corpus):
            fam = scores.setdefault(name, {}).setdefault(row["family"], [0, 0, 0, 0, 0, 0])
            expected = expected_items(row["expected"])
            try:
                got = predicted_items(annotate(row["text"], row.get("published") or None), labels)
            except Exception:  # an older pipeline may fail on a row (e.g. a number too large): nothing found
                got = []
            fam[0] += 1
            if not expected:
                fam[4] += 1
                fam[5] += not got
                continue
            fam[1] += len(expected)
            fam[2] += sum((Counter(s for s, _ in expected) & Counter(s for s, _ in got)).values())
            fam[3] += sum((Counter(expected) & Counter(got)).values())
            if rows:
                for label in ("calendar DATE", "duration DATE") if labels == ("DATE",) else labels:
                    want = [e for e in expected if _kind(e[1]) == label]
                    if want:
                        per = scores[name].setdefault(f"({label})", [0, 0, 0, 0, 0, 0])
                        per[0] += 1
                        per[1] += len(want)
                        per[2] += sum((Counter(s for s, _ in want) & Counter(s for s, _ in got)).values())
                        per[3] += sum((Counter(want) & Counter(got)).values())
    return scores


def _kind(value: str) -> str:
    """The label of an expected item's value: ``MONEY``/``QUANTITY`` by its first word; a DATE value
    is a ``duration DATE`` (``P3D``) or a ``calendar DATE`` (a point or period of the calendar)."""
    first = value.split(" ", 1)[0]
    if first in ("MONEY", "QUANTITY"):
        return first
    return "duration DATE" if first.startswith("P") else "calendar DATE"


def score_before(checkout: Path, rows: str | None = None) -> dict[str, dict[str, list[int]]]:
    """The same rows scored by the pipeline in ``checkout``, in a subprocess."""
    code = (
        "import importlib.util, json, sys; sys.path.insert(0, sys.argv[1]); import pipeline; "
        "assert pipeline.__file__.startswith(sys.argv[1]), pipeline.__file__; "
        "spec = importlib.util.spec_from_file_location('breadth', sys.argv[2]); "
        "m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m); "
        "print(json.dumps(m.score_rows(sys.argv[3] or None)))"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    out = subprocess.run(
        [sys.executable, "-c", code, str(checkout.resolve()), __file__, str(Path(rows).resolve()) if rows else ""],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        cwd=checkout,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _share(n: int, d: int) -> str:
    return f"{n / d:.2f}" if d else "–"


def _totals(scores: dict) -> dict[str, list[int]]:
    return {
        name: [sum(col) for col in zip(*(v for k, v in fams.items() if not k.startswith("(")), strict=False)]
        for name, fams in scores.items()
        if fams
    }


def table(after: dict, before: dict | None, tables: dict = TABLES) -> str:
    cols = ["table", "family", "rows", "spans", "found", "valued exactly", "negatives clean"]
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]

    def row(name: str, family: str, a: list[int], b: list[int] | None) -> str:
        def cell(i: int, d: int) -> str:
            now = _share(a[i], a[d])
            return f"{_share(b[i], b[d])} → {now}" if b is not None else now

        return f"| {name.split('_')[0]} | {family} | {a[0]} | {a[1]} | {cell(2, 1)} | {cell(3, 1)} | {cell(5, 4)} |"

    for name in tables:
        for family, a in sorted(after.get(name, {}).items()):
            if not family.startswith("("):
                lines.append(row(name, family, a, (before or {}).get(name, {}).get(family)))
    before_totals = _totals(before or {})
    for name, t in _totals(after).items():
        lines.append(row(name, "**all**", t, before_totals.get(name) if before else None))
    for name in tables:  # held-out rows: each label's expected spans apart
        for family, a in sorted(after.get(name, {}).items()):
            if family.startswith("("):
                lines.append(row(name, f"**{family[1:-1]} spans**", a, (before or {}).get(name, {}).get(family)))
    note = (
        "found = share of expected spans found with the same surface; valued exactly = found with exactly "
        "the expected value; negatives clean = share of rows expecting nothing that give nothing. "
        "`before → after` when the table was made with `--before`."
    )
    return "\n".join(lines) + "\n\n" + note


def main(argv: list[str] | None = None) -> int:
    from benchmarks.common import Figure, argument_parser

    ap = argument_parser(__doc__)
    ap.add_argument("--before", metavar="DIR", type=Path, help="a checkout of the code to compare with")
    ap.add_argument("--rows", metavar="DIR", help="score the held-out expression tables in DIR instead")
    args = ap.parse_args(argv)
    if args.rows:
        figure = Figure(
            "heldout-expressions",
            "python benchmarks/breadth.py --rows tests/fixtures_heldout/expressions --before DIR --write BENCHMARKS.md",
            "## Held-out date and amount expressions (issue 9), by family",
        )
    else:
        figure = Figure(
            "breadth",
            "python benchmarks/breadth.py --before DIR --write BENCHMARKS.md",
            "## Breadth of the date, amount and organisation rules, by family",
        )
    after = score_rows(args.rows)
    before = score_before(args.before, args.rows) if args.before else None
    body = table(after, before, HELDOUT_TABLES if args.rows else TABLES)
    if args.before:
        commit = subprocess.run(
            ["git", "-C", str(args.before), "log", "-1", "--format=%h %s"], capture_output=True, text=True
        ).stdout.strip()
        body += f" Before: commit {commit or args.before}."
    figure.publish(body, args.write)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
