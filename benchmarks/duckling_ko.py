"""Dates and amounts on text nobody here wrote: Duckling's own Korean example suites (issue 9).

    python benchmarks/duckling_ko.py PATH [--write BENCHMARKS.md]

PATH is a checkout of Duckling (https://github.com/facebook/duckling, BSD licence) or a folder
holding its ``Duckling/<Dimension>/KO/Corpus.hs`` files; they are read where they are and never
copied into this repository (neither are their strings, nor lists of our misses). Only the totals
and the shares by grain and by value constructor are printed.

Each corpus is a Haskell list of ``examples (VALUE) ["string", …]``; a small parser
(:func:`parse_corpus`) reads them. Every example string is run through the pipeline as a
one-sentence document published on Duckling's reference day (``testContext`` in
``Duckling/Testing/Types.hs``: 2013-02-12 04:30, a Tuesday), with one pipeline built once, and
scored as below (:data:`RULE`). Duckling's values are mapped to our value format
(docs/annotation.md, :mod:`pipeline.timex`): grain Day → ``YYYY-MM-DD``, Week → the ISO week of
its first day (``YYYY-Www``), Month → ``YYYY-MM``, Quarter → ``YYYY-Qn``, Year → ``YYYY``; an
interval ``[a, b)`` → our range form, first and last unit (``a`` and ``b`` minus one unit of the
grain); an open interval → its point. Money: ``Dollar`` → USD, ``Cent`` → USD × 0.01, ``Pound`` →
GBP, a three-letter code → itself; ``above`` → qualifier ``at_least`` or ``more_than``, ``under``
→ ``at_most`` or ``less_than`` (Duckling does not tell them apart), ``between`` → our range form.

The date figures count calendar expressions only (grains Day, Week, Month, Quarter, Year and
intervals of them); expressions at Hour, Minute or Second grain are times of day, which our
guide leaves out, and are only counted. Corpora with no label of ours (Numeral, Ordinal,
Duration, …) are counted, not scored.
"""

from __future__ import annotations

import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import cast

if __package__ in (None, ""):  # run as a file: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import Figure, argument_parser

FIGURE = Figure(
    "duckling",
    "python benchmarks/duckling_ko.py PATH --write BENCHMARKS.md",
    "## Duckling's Korean examples (outside text)",
)

#: Duckling's "now" for its tests (Duckling/Testing/Types.hs, testContext): the document date.
REFERENCE = datetime(2013, 2, 12, 4, 30)
PUBLISHED = REFERENCE.date().isoformat()

#: The scored dimensions: Duckling's corpus folder → our label.
LABELS = {"Time": "DATE", "AmountOfMoney": "MONEY", "Quantity": "QUANTITY"}
CALENDAR_GRAINS = ("Day", "Week", "Month", "Quarter", "Year")
CLOCK_GRAINS = ("Hour", "Minute", "Second", "NoGrain")

RULE = (
    "found = the one-sentence document made of the example has a span of the label (DATE, MONEY, "
    "QUANTITY), or for an interval two of them (our range form), such that every other non-blank "
    "character of the example belongs to a token Kiwi tags as a particle (J…) or a punctuation "
    "mark or symbol (SF SP SS SE SO SW), or, for MONEY with an `above`/`under` value, forms a "
    "qualifier word of pipeline/data/qualifiers.tsv, or, for QUANTITY, is the product Duckling's value "
    "names (a word before the amount); valued exactly = found, and the span's value "
    "(the two values of a range; a one-span interval by its `end_value`) equals Duckling's value "
    "mapped to our format (DATE: the value string, `mod` not compared; MONEY: amount, currency "
    "and, for `above`/`under`, the qualifier; QUANTITY: the amount)."
)

_PUNCT_TAGS = {"SF", "SP", "SS", "SE", "SO", "SW"}
_MONEY_UNITS = {"Dollar": ("USD", Decimal(1)), "Cent": ("USD", Decimal("0.01")), "Pound": ("GBP", Decimal(1))}
_QUALIFIERS = {"above": {"at_least", "more_than"}, "under": {"at_most", "less_than"}}


# ---------------------------------------------------------------------------------------------
# Reading Duckling's Haskell corpora


@dataclass(frozen=True)
class Call:
    """A Haskell application ``head arg …`` (a tuple is ``Call("", items)``)."""

    head: str
    args: tuple


@dataclass(frozen=True)
class Example:
    dimension: str  # Duckling's folder: Time, AmountOfMoney, …
    value: Call  # the expression given to ``examples``
    text: str


_TOKEN = re.compile(
    r'\s+|"(?P<str>(?:[^"\\]|\\.)*)"|(?P<num>-?\d+(?:\.\d+)?)|(?P<name>[A-Za-z_][\w\']*)|(?P<sym>[()\[\],])',
    re.S,
)


def _strip_comments(source: str) -> str:
    """Haskell source without ``{- … -}`` and ``-- …`` comments (strings kept as they are)."""
    out, i, n = [], 0, len(source)
    while i < n:
        c = source[i]
        if c == '"':
            j = i + 1
            while j < n and source[j] != '"':
                j += 2 if source[j] == "\\" else 1
            out.append(source[i : j + 1])
            i = j + 1
        elif source.startswith("{-", i):
            j = source.find("-}", i + 2)
            i = n if j < 0 else j + 2
        elif source.startswith("--", i):
            j = source.find("\n", i)
            i = n if j < 0 else j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def _unescape(s: str) -> str:
    """A Haskell string literal's body: ``\\"``, ``\\\\``, ``\\n``, ``\\t``, ``\\&`` and decimal ``\\1234``."""
    simple = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "'": "'", "&": ""}

    def one(m: re.Match) -> str:
        body = m.group(1)
        return chr(int(body)) if body.isdigit() else simple.get(body, body)

    return re.sub(r"\\(\d+|.)", one, s)


def _tokens(source: str) -> list[tuple[str, object]]:
    toks: list[tuple[str, object]] = []
    pos = 0
    while pos < len(source):
        m = _TOKEN.match(source, pos)
        if not m:  # an operator or anything else the corpora's value expressions do not use
            toks.append(("other", source[pos]))
            pos += 1
            continue
        pos = m.end()
        if m.group("str") is not None:
            toks.append(("str", _unescape(m.group("str"))))
        elif m.group("num") is not None:
            toks.append(("num", Decimal(m.group("num"))))
        elif m.group("name") is not None:
            toks.append(("name", m.group("name")))
        elif m.group("sym") is not None:
            toks.append(("sym", m.group("sym")))
    return toks


class _Reader:
    def __init__(self, toks: list[tuple[str, object]]):
        self.toks, self.i = toks, 0

    def peek(self) -> tuple[str, object]:
        return self.toks[self.i] if self.i < len(self.toks) else ("end", None)

    def take(self, kind: str, value: object = None) -> object:
        k, v = self.peek()
        if k != kind or (value is not None and v != value):
            raise ValueError(f"expected {value or kind}, got {v!r}")
        self.i += 1
        return v

    def atom(self) -> object:
        k, v = self.peek()
        if k in ("str", "num"):
            self.i += 1
            return v
        if k == "name":
            self.i += 1
            return Call(str(v), ())
        if (k, v) == ("sym", "("):
            self.i += 1
            items = [self.expr()]
            while self.peek() == ("sym", ","):
                self.i += 1
                items.append(self.expr())
            self.take("sym", ")")
            return items[0] if len(items) == 1 else Call("", tuple(items))
        raise ValueError(f"unexpected {v!r}")

    def expr(self) -> object:
        first = self.atom()
        args = []
        while self.peek()[0] in ("str", "num", "name") or self.peek() == ("sym", "("):
            args.append(self.atom())
        if not args:
            return first
        if not isinstance(first, Call) or first.args:
            raise ValueError("application of a non-name")
        return Call(first.head, tuple(args))

    def strings(self) -> list[str]:
        self.take("sym", "[")
        out: list[str] = []
        while self.peek() != ("sym", "]"):
            out.append(str(self.take("str")))
            if self.peek() == ("sym", ","):
                self.i += 1
        self.take("sym", "]")
        return out


def parse_corpus(source: str, dimension: str) -> list[Example]:
    """Every ``examples VALUE ["…", …]`` of a Duckling corpus file, one :class:`Example` per string."""
    r = _Reader(_tokens(_strip_comments(source)))
    out: list[Example] = []
    while r.i < len(r.toks):
        if r.peek() != ("name", "examples") or r.toks[r.i + 1 : r.i + 2] != [("sym", "(")]:
            r.i += 1
            continue
        r.i += 1
        value = r.atom()
        if not isinstance(value, Call):
            raise ValueError(f"{dimension}: an example value that is no constructor: {value!r}")
        out += [Example(dimension, value, s) for s in r.strings()]
    return out


def corpus_files(path: str | Path) -> dict[str, Path]:
    """``{dimension: file}`` for the Korean corpora under ``path`` (a checkout or a folder of them)."""
    root = Path(path)
    files = sorted(root.glob("**/KO/Corpus.hs"))
    return {f.parent.parent.name: f for f in files}


def load(path: str | Path) -> list[Example]:
    out: list[Example] = []
    for dimension, file in corpus_files(path).items():
        out += parse_corpus(file.read_text(encoding="utf-8"), dimension)
    return out


# ---------------------------------------------------------------------------------------------
# Duckling's values in our format


@dataclass(frozen=True)
class Expected:
    """What one example should give: ``values`` (one, or two for a range) as our spans write them,
    the scope (``calendar``, ``clock``, ``money``, ``quantity``, ``unscored``) and the row names it
    is tallied under (``group``: a grain or a currency; ``kind``: the value constructor)."""

    scope: str
    group: str
    kind: str
    values: tuple = ()
    qualifiers: frozenset[str] = frozenset()
    product: str = ""  # a quantity's product (Duckling's ``Just "…"``), a word our span leaves outside


def _moment(t: Call) -> datetime:
    y, mo, d, h, mi, s = (int(x) for x in t.args)
    return datetime(y, mo, d, h, mi, s)


def timex_value(moment: datetime, grain: str) -> str:
    """A Duckling time at a calendar grain in our format (``2013-02-11`` at Week → ``2013-W07``)."""
    d = moment.date()
    if grain == "Day":
        return d.isoformat()
    if grain == "Week":
        iso = d.isocalendar()
        return f"{iso[0]:04d}-W{iso[1]:02d}"
    if grain == "Month":
        return f"{d.year:04d}-{d.month:02d}"
    if grain == "Quarter":
        return f"{d.year:04d}-Q{(d.month - 1) // 3 + 1}"
    if grain == "Year":
        return f"{d.year:04d}"
    raise ValueError(f"not a calendar grain: {grain}")


def _last_unit(end: datetime, grain: str) -> datetime:
    """The last unit of ``grain`` inside ``[…, end)``."""
    if grain == "Day":
        return end - timedelta(days=1)
    if grain == "Week":
        return end - timedelta(days=7)
    months = {"Month": 1, "Quarter": 3, "Year": 12}[grain]
    k = end.year * 12 + end.month - 1 - months
    return datetime(k // 12, k % 12 + 1, 1)


def expected(ex: Example) -> Expected:
    v = ex.value
    if ex.dimension == "Time":
        grain = next((a.head for a in v.args if isinstance(a, Call) and a.head in CALENDAR_GRAINS + CLOCK_GRAINS), "")
        interval = v.head in ("datetimeInterval", "datetimeIntervalHoliday")
        group = f"{grain} interval" if interval else grain
        if grain not in CALENDAR_GRAINS:
            return Expected("clock", group, v.head)
        if interval:
            a, b = (_moment(t) for t in v.args[0].args)
            return Expected(
                "calendar", group, v.head, (timex_value(a, grain), timex_value(_last_unit(b, grain), grain))
            )
        point = next(a for a in v.args if isinstance(a, Call) and a.head == "")
        return Expected("calendar", group, v.head, (timex_value(_moment(point), grain),))
    if ex.dimension == "AmountOfMoney" and v.head in ("simple", "between", "above", "under"):
        currency = v.args[0].head if isinstance(v.args[0], Call) else ""
        unit, factor = _MONEY_UNITS.get(currency, (currency, Decimal(1)))
        if not re.fullmatch(r"[A-Z]{3}", unit):
            return Expected("money", currency, v.head)  # a currency we do not write (Dinar, Rial …)
        nums = v.args[1].args if isinstance(v.args[1], Call) else (v.args[1],)
        values = tuple((n * factor, unit) for n in nums)
        return Expected("money", currency, v.head, values, frozenset(_QUALIFIERS.get(v.head, ())))
    if ex.dimension == "Quantity" and v.head == "simple":
        unit = v.args[0]
        name = (unit.args[0] if unit.args else unit.head) if isinstance(unit, Call) else str(unit)
        product = v.args[2].args[0] if len(v.args) > 2 and isinstance(v.args[2], Call) and v.args[2].args else ""
        return Expected("quantity", str(name), v.head, ((v.args[1], None),), product=str(product))
    return Expected("unscored", ex.dimension, v.head)


# ---------------------------------------------------------------------------------------------
# Scoring


@dataclass(frozen=True)
class Found:
    """Our reading of one example string: the spans of the scored label, and the Kiwi tokens."""

    spans: tuple  # (start, end, values, qualifier): values as :class:`Expected` writes them
    tokens: tuple  # (start, end, tag)


def _allowed(text: str, covered: list[tuple[int, int]], tokens: tuple, qualifier_words: frozenset[str]) -> bool:
    """Every non-blank character of ``text`` outside ``covered`` is in a particle or punctuation
    token lying wholly outside, or in a word of ``qualifier_words``."""
    inside = [False] * len(text)
    for s, e in covered:
        for i in range(s, e):
            inside[i] = True
    for m in re.finditer(r"\S+", text):
        pieces = [
            (i, j)
            for i, j in _runs([not inside[k] for k in range(m.start(), m.end())], m.start())
            if text[i:j] not in qualifier_words
        ]
        for i, j in pieces:
            for k in range(i, j):
                tok = next((t for t in tokens if t[0] <= k < t[1]), None)
                if tok is None or any(inside[x] for x in range(tok[0], tok[1])):
                    return False
                if not (tok[2].startswith("J") or tok[2] in _PUNCT_TAGS):
                    return False
    return True


def _runs(flags: list[bool], offset: int) -> Iterable[tuple[int, int]]:
    start = None
    for k, f in enumerate([*flags, False]):
        if f and start is None:
            start = k
        elif not f and start is not None:
            yield offset + start, offset + k
            start = None


def judge(text: str, exp: Expected, found: Found, qualifier_words: frozenset[str]) -> tuple[bool, bool]:
    """(found, valued exactly) for one example, by :data:`RULE`."""
    words = (qualifier_words if exp.qualifiers else frozenset()) | ({exp.product} if exp.product else set())
    spans = found.spans
    candidates = [(s,) for s in spans] + [
        (a, b) for i, a in enumerate(spans) for b in spans[i + 1 :] if len(exp.values) == 2
    ]
    hit = valued = False
    for cand in candidates:
        if not _allowed(text, [(s[0], s[1]) for s in cand], found.tokens, words):
            continue
        hit = True
        if len(cand) == 2:
            got = (cand[0][2][0], cand[1][2][0])
        elif len(exp.values) == 2:
            got = cand[0][2] if len(cand[0][2]) == 2 else (cand[0][2][0], cand[0][2][0])
        else:
            got = cand[0][2][:1]
        quals_ok = all((q in exp.qualifiers) if exp.qualifiers else q in ("exact", None) for *_, q in cand)
        if exp.values and tuple(got) == exp.values and quals_ok:
            valued = True
    return hit, valued


def _span_values(span, label: str) -> tuple:
    if label == "DATE":
        end = span._.end_value
        return (str(span._.value),) if end is None else (str(span._.value), str(end))
    unit = span._.unit if label == "MONEY" else None
    return ((Decimal(str(span._.value)), unit),)


def pipeline_reader() -> Callable[[list[tuple[str, str]]], list[Found]]:
    """Reads (text, label) pairs with one pipeline built once, each text as a one-sentence document
    published on the reference day (:func:`pipeline.api.extract`)."""
    from spacy.tokens import Doc

    from pipeline.api import extract
    from pipeline.nlp import build_nlp

    nlp = build_nlp()

    def read(items: list[tuple[str, str]]) -> list[Found]:
        texts = dict.fromkeys(t for t, _ in items)  # each distinct string once
        docs = {text: cast(Doc, extract(text, PUBLISHED, nlp=nlp).doc) for text in texts}
        out = []
        for text, label in items:
            doc = docs[text]
            spans = sorted(
                (
                    s.start_char,
                    s.end_char,
                    _span_values(s, label),
                    getattr(s._, "qualifier", None) if label != "DATE" else None,
                )
                for s in doc.spans.get(label, [])
            )
            tokens = tuple((t.idx, t.idx + len(t.text), t.tag_) for t in doc)
            out.append(Found(tuple(spans), tokens))
        return out

    return read


def qualifier_words() -> frozenset[str]:
    from pipeline.lexicon import read_table

    return frozenset(r["word"] for r in read_table("qualifiers.tsv") if r["position"] in ("before", "after"))


@dataclass
class Tally:
    n: int = 0
    found: int = 0
    valued: int = 0

    def add(self, hit: bool, valued: bool) -> None:
        self.n += 1
        self.found += hit
        self.valued += valued


def score(
    examples: list[Example], read: Callable[[list[tuple[str, str]]], list[Found]], words: frozenset[str]
) -> dict[str, dict[str, Counter | dict[str, Tally]]]:
    """Per scope (``calendar``, ``money``, ``quantity``): tallies by group and by kind, plus the
    counts of the examples left out (``clock``, ``unscored``) by group."""
    exps = [expected(ex) for ex in examples]
    scored = [(ex, e) for ex, e in zip(examples, exps, strict=True) if e.scope in ("calendar", "money", "quantity")]
    label = {"calendar": "DATE", "money": "MONEY", "quantity": "QUANTITY"}
    found = read([(ex.text, label[e.scope]) for ex, e in scored])
    out: dict[str, dict] = {}
    for (ex, e), f in zip(scored, found, strict=True):
        hit, valued = judge(ex.text, e, f, words)
        scope = out.setdefault(e.scope, {"group": {}, "kind": {}, "all": {}})
        for key, name in (("group", e.group), ("kind", e.kind), ("all", "all")):
            scope[key].setdefault(name, Tally()).add(hit, valued)
    for e in exps:
        if e.scope in ("clock", "unscored"):
            out.setdefault(e.scope, {"count": Counter()})["count"][e.group] += 1
    return out


# ---------------------------------------------------------------------------------------------
# Tables


def _share(n: int, d: int) -> str:
    return f"{n / d:.2f}" if d else "–"


def _table(title: str, tallies: dict[str, Tally]) -> list[str]:
    lines = [f"| {title} | examples | found | valued exactly |", "|---|---|---|---|"]
    for name, t in tallies.items():
        lines.append(f"| {name} | {t.n} | {_share(t.found, t.n)} | {_share(t.valued, t.n)} |")
    return lines


#: The totals' rows: scope → (name, the target issue 9 sets on an outside suite).
TOTALS = {
    "calendar": ("Calendar expressions (DATE)", "found ≥ 0.90, valued ≥ 0.85"),
    "money": ("Money (MONEY)", "valued ≥ 0.95"),
    "quantity": ("Quantity (QUANTITY)", ""),
}
_GRAIN_ORDER = {g: i for i, g in enumerate(CALENDAR_GRAINS)}


def report(scores: dict, n_examples: int, files: dict[str, Path], commit: str, seconds: float) -> str:
    def ordered(tallies: dict[str, Tally]) -> dict[str, Tally]:
        key = lambda k: (_GRAIN_ORDER.get(k.split()[0], 9), k)  # noqa: E731
        return {k: tallies[k] for k in sorted(tallies, key=key)}

    lines = [
        f"{n_examples} example strings in Duckling's Korean corpora ({', '.join(files)}"
        f"{'; commit ' + commit if commit else ''}); each run as a one-sentence document published "
        f"{PUBLISHED} (Duckling's reference time, 2013-02-12 04:30, a Tuesday); pipeline {seconds:.1f} s.",
        "",
    ]
    lines += ["| set | examples | found | valued exactly | issue 9 target |", "|---|---|---|---|---|"]
    for scope, (name, target) in TOTALS.items():
        if scope in scores:
            t = scores[scope]["all"]["all"]
            lines.append(
                f"| **{name}** | {t.n} | **{_share(t.found, t.n)}** | **{_share(t.valued, t.n)}** | {target} |"
            )
    if "calendar" in scores:
        lines += ["", "Calendar expressions by grain:", "", *_table("grain", ordered(scores["calendar"]["group"]))]
        lines += ["", "By Duckling's value constructor:", "", *_table("constructor", scores["calendar"]["kind"])]
    if "money" in scores:
        lines += ["", "Money by currency:", "", *_table("currency", scores["money"]["group"])]
        lines += ["", "By value constructor:", "", *_table("constructor", scores["money"]["kind"])]
    if "quantity" in scores:
        lines += ["", "Quantity by unit:", "", *_table("unit", scores["quantity"]["group"])]
    left = []
    if "clock" in scores:
        c = scores["clock"]["count"]
        detail = ", ".join(f"{g} {n}" for g, n in sorted(c.items()))
        left.append(f"{sum(c.values())} times of day (out of scope: {detail})")
    if "unscored" in scores:
        c = scores["unscored"]["count"]
        detail = ", ".join(f"{g} {n}" for g, n in sorted(c.items()))
        left.append(f"{sum(c.values())} examples of dimensions with no label of ours ({detail})")
    if left:
        lines += ["", "Not scored: " + "; ".join(left) + "."]
    lines += ["", RULE]
    return "\n".join(lines)


def duckling_commit(path: str | Path) -> str:
    import subprocess

    if not (Path(path) / ".git").exists():  # a folder of extracted files: its commit is given by --commit
        return ""
    out = subprocess.run(["git", "-C", str(path), "log", "-1", "--format=%h"], capture_output=True, text=True)
    return out.stdout.strip() if out.returncode == 0 else ""


def run(path: str | Path, commit: str = "") -> tuple[dict, str]:
    files = corpus_files(path)
    examples = load(path)
    t0 = time.perf_counter()
    scores = score(examples, pipeline_reader(), qualifier_words())
    body = report(scores, len(examples), files, commit or duckling_commit(path), time.perf_counter() - t0)
    return scores, body


def main(argv: list[str] | None = None) -> int:
    ap = argument_parser(__doc__)
    ap.add_argument("path", help="a Duckling checkout, or a folder holding its Duckling/<Dimension>/KO/Corpus.hs")
    ap.add_argument("--commit", default="", help="the Duckling commit the files come from (when PATH is no checkout)")
    args = ap.parse_args(argv)
    if not corpus_files(args.path):
        print(f"error: {args.path}: no Duckling KO/Corpus.hs files under it", file=sys.stderr)
        return 2
    _, body = run(args.path, args.commit)
    FIGURE.publish(body, args.write)
    return 0


if __name__ == "__main__":
    sys.exit(main())
