"""How often is an event's category right? ``python -m pipeline evaluate`` does not score categories, so this does.

The pipeline runs over each gold folder as ``python -m pipeline evaluate`` runs it, and its events are aligned
with the gold events the way :func:`pipeline.evaluate.score` matches them: by (document, date value). Within a
key, equal categories pair first; what is left pairs in order (a key with two gold events and one predicted
pairs once). Prints, per folder, the accuracy over the aligned pairs and a confusion table (rows gold, columns
predicted); ``--errors`` also lists each wrong pair with its sentence.

    PYTHONPATH=$PWD python benchmarks/categories.py [--gold tests/fixtures_news tests/fixtures] [--errors]

Writes nothing. About 2 minutes for the 260 development documents and the regression set on one core.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from pathlib import Path

if __package__ in (None, ""):  # run as a file: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline import schema
from pipeline.api import extract
from pipeline.evaluate import load_gold

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = (ROOT / "tests" / "fixtures_news", ROOT / "tests" / "fixtures")
CATEGORIES = schema.VOCABULARIES["categories"].values()


def pairs(gold_dir: Path) -> list[tuple[str, str, str, str, str]]:
    """(document, date value, gold category, predicted category, predicted sentence) for every aligned pair."""
    out = []
    for g in load_gold(gold_dir):
        gold: dict[str, list[str]] = defaultdict(list)
        for e in g.events:
            gold[e["date_value"]].append(e.get("category") or schema.OTHER_CATEGORY)
        predicted: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for e in extract(g.text, g.published, g.doc_id).events:
            predicted[e["date_value"]].append((e["category"], e["sentence"]))
        for key in sorted(gold.keys() & predicted.keys()):
            gs, ps = list(gold[key]), list(predicted[key])
            for c in list(gs):  # equal categories first
                hit = next((p for p in ps if p[0] == c), None)
                if hit is not None:
                    gs.remove(c)
                    ps.remove(hit)
                    out.append((g.doc_id, key, c, c, hit[1]))
            out += [(g.doc_id, key, c, p, s) for c, (p, s) in zip(gs, ps, strict=False)]
    return out


def table(rows: list[tuple[str, str, str, str, str]]) -> str:
    """The confusion table (rows gold, columns predicted) as Markdown."""
    counts = Counter((g, p) for _, _, g, p, _ in rows)
    names = [c for c in CATEGORIES if any(c in k for k in counts)]
    lines = ["| gold \\ predicted | " + " | ".join(names) + " | n |", "|---" * (len(names) + 2) + "|"]
    for g in names:
        n = sum(counts[g, p] for p in names)
        lines.append(f"| {g} | " + " | ".join(str(counts[g, p] or "") for p in names) + f" | {n} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", nargs="+", type=Path, default=list(FOLDERS))
    ap.add_argument("--errors", action="store_true", help="list each wrong pair with its sentence")
    args = ap.parse_args(argv)
    for folder in args.gold:
        rows = pairs(folder)
        right = sum(g == p for _, _, g, p, _ in rows)
        print(f"## {folder.name}: category accuracy {right / len(rows) if rows else 1:.3f} ({right}/{len(rows)})\n")
        print(table(rows) + "\n")
        if args.errors:
            for doc, key, g, p, s in rows:
                if g != p:
                    print(f"{doc}\t{key}\tgold {g}\tpred {p}\t{' '.join(s.split())}")
            print()


if __name__ == "__main__":
    main()
