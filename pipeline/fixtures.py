"""Gold fixtures: hand-labelled documents (format in tests/fixtures/README.md).

``python -m pipeline.fixtures locate FILE...`` computes span offsets (never typed by hand);
``python -m pipeline.fixtures check DIR`` validates every fixture and exits non-zero on a problem.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Mapping
from pathlib import Path

from . import schema
from .schema import DATE_VALUE

_PUBLISHED = re.compile(r"^\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?$")
_AMOUNT_ITEM = re.compile(r"^\d+(?:\.\d+)? \S+(?: \S+)*$")  # a unit may hold a space: 8 개 동

ROOT = Path(__file__).resolve().parent.parent


def fixture_text(fx: dict, root: Path = ROOT) -> str:
    """The document text of a fixture: inline ``text`` or the file named by ``path``."""
    if "text" in fx:
        return fx["text"]
    from .ingest import decode_bytes

    return decode_bytes((root / fx["path"]).read_bytes(), fx["path"])


def load(path: Path) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def locate(fx: dict, text: str) -> list[str]:
    """Fill ``start``/``end`` of every span by searching in document order. Returns problems."""
    problems = []
    pos = 0
    for i, span in enumerate(fx.get("spans", [])):
        surface = span.get("text", "")
        at = pos
        found = -1
        for _ in range(int(span.get("skip", 0)) + 1):
            found = text.find(surface, at)
            if found < 0:
                break
            at = found + 1
        if not surface or found < 0:
            problems.append(f"span {i} {surface!r}: not found after offset {pos}")
            continue
        span["start"], span["end"] = found, found + len(surface)
        pos = found
    return problems


def skip_for(text: str, surface: str, after: int, start: int) -> int:
    """The ``skip`` that makes :func:`locate`, searching from ``after``, find ``surface`` at ``start``."""
    skip, at = 0, text.find(surface, after)
    while 0 <= at < start:
        skip, at = skip + 1, text.find(surface, at + 1)
    return skip


def check(fx: dict, text: str, vocab: Mapping[str, tuple[str, ...]] | None = None) -> list[str]:
    """Every problem with one fixture: offsets, labels, values, events. Values are checked against
    ``vocab`` (:func:`pipeline.schema.vocabularies`, read from the data tables when not given)."""
    vocab = schema.vocabularies() if vocab is None else vocab
    problems = []
    if ("text" in fx) == ("path" in fx):
        problems.append("exactly one of 'text' or 'path' is required")
    if not fx.get("id"):
        problems.append("missing 'id'")
    if fx.get("genre") not in vocab["genres"]:
        problems.append(schema.not_one_of("genre", fx.get("genre"), vocab["genres"]))
    pub = fx.get("published")
    if pub is not None and not _PUBLISHED.match(str(pub)):
        problems.append(f"published {pub!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    last = -1
    last_end = -1
    for i, s in enumerate(fx.get("spans", [])):
        where = f"span {i} {s.get('text')!r}"
        if s.get("label") not in schema.LABELS:
            problems.append(f"{where}: unknown label {s.get('label')!r}")
            continue
        start, end = s.get("start"), s.get("end")
        if not isinstance(start, int) or not isinstance(end, int):
            problems.append(f"{where}: no offsets (run locate)")
        elif text[start:end] != s.get("text"):
            problems.append(f"{where}: text[{start}:{end}] is {text[start:end]!r}")
        elif start < last:
            problems.append(f"{where}: not in document order")
        elif start < last_end:
            problems.append(f'{where}: overlaps the span before it (add "skip" and run locate)')
        else:
            last, last_end = start, end
        problems += [f"{where}: {p}" for p in schema.LABELS[s["label"]].problems(s, vocab)]
    for i, e in enumerate(fx.get("events", [])):
        where = f"event {i}"
        sent = e.get("sentence")
        if not sent or text.count(sent) != 1:
            problems.append(f"{where}: sentence {sent!r} must occur exactly once in the text")
        for key in ("date_value", "date_start", "date_end"):
            v = e.get(key)
            if v is not None and not DATE_VALUE.match(str(v)):
                problems.append(f"{where}: malformed {key} {v!r}")
        if not e.get("date_value"):
            problems.append(f"{where}: no date_value")
        if e.get("category") not in vocab["categories"]:
            problems.append(f"{where}: {schema.not_one_of('category', e.get('category'), vocab['categories'])}")
        if not isinstance(e.get("orgs"), list) or not isinstance(e.get("amounts"), list):
            problems.append(f"{where}: orgs and amounts must be lists")
        else:
            for a in e["amounts"]:
                if not _AMOUNT_ITEM.match(str(a)):
                    problems.append(f"{where}: amount {a!r} is not 'VALUE UNIT'")
            problems += [f"{where}: {p}" for p in role_problems(e)]
    return problems


def role_problems(event: Mapping) -> list[str]:
    """What is wrong with an event's optional roles (docs/annotation.md, EVENT): ``actor`` a canonical name or
    null and ``counterparts`` a list of the other names, each among ``orgs``; with both given,
    ``orgs`` is actor + counterparts. An event without the keys has no problem."""
    orgs, actor = set(event["orgs"]), event.get("actor")
    counterparts = event.get("counterparts", [])
    if actor is not None and not (isinstance(actor, str) and actor):
        return [f"actor {actor!r} is not a name or null"]
    if not isinstance(counterparts, list) or not all(isinstance(c, str) and c for c in counterparts):
        return [f"counterparts {counterparts!r} is not a list of names"]
    problems = [f"actor {actor!r} is not among orgs"] if actor is not None and actor not in orgs else []
    problems += [f"counterpart {c!r} is not among orgs" for c in counterparts if c not in orgs]
    if actor is not None and actor in counterparts:
        problems.append(f"actor {actor!r} is also a counterpart")
    roles = {*counterparts, *([actor] if actor else [])}
    if "actor" in event and "counterparts" in event and roles != orgs:
        problems.append(f"orgs {sorted(orgs)} are not actor + counterparts {sorted(roles)}")
    return problems


def fixture_paths(target: Path) -> list[Path]:
    target = Path(target)
    return sorted(target.glob("*.json")) if target.is_dir() else [target]


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in ("locate", "check"):
        print("usage: python -m pipeline.fixtures {locate FILE...|check DIR|FILE...}", file=sys.stderr)
        return 2
    cmd, targets = argv[0], [p for t in argv[1:] for p in fixture_paths(Path(t))]
    bad = 0
    vocab = schema.vocabularies()
    for path in targets:
        fx = load(path)
        text = fixture_text(fx)
        problems = locate(fx, text) if cmd == "locate" else []
        if cmd == "locate" and not problems:
            path.write_text(json.dumps(fx, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        problems += check(fx, text, vocab)
        for p in problems:
            print(f"{path}: {p}", file=sys.stderr)
        bad += bool(problems)
    print(f"{len(targets) - bad} ok, {bad} with problems", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
