"""Scores against the hand-labelled gold fixtures (``tests/fixtures``, format in its README).

Per label: precision, recall and F1 with exact spans and with overlapping spans; value accuracy
over exactly matched spans (DATE value and mod, ORG canonical name, MONEY/QUANTITY value, unit
and qualifier); event links (document, date value, organisation) and (document, date value,
amount) as sets, and the role links (document, date value, actor) and (document, date value,
counterpart) over the gold documents whose events carry roles (no rows when none does). The same
numbers every time: no sampling, no thresholds hidden in code.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import schema
from .export import restore_formula
from .fixtures import fixture_paths, fixture_text, load


@dataclass
class Span:
    doc_id: str
    label: str
    start: int
    end: int
    text: str
    value: tuple  # what value accuracy compares


@dataclass
class GoldDoc:
    doc_id: str
    text: str
    published: str | None
    spans: list[Span]
    events: list[dict]


def load_gold(gold_dir: str | Path) -> list[GoldDoc]:
    docs = []
    for path in fixture_paths(Path(gold_dir)):
        fx = load(path)
        text = fixture_text(fx)
        spans = [
            Span(fx["id"], s["label"], s["start"], s["end"], s["text"], schema.LABELS[s["label"]].key(s))
            for s in fx.get("spans", [])
        ]
        docs.append(GoldDoc(fx["id"], text, fx.get("published"), spans, fx.get("events", [])))
    return docs


def _row_spans(tables: dict[str, list[dict]]) -> list[Span]:
    """Spans from the rows of every label table (``Result`` rows or CSV rows: both carry ``doc_id``)."""
    spans = []
    for table in schema.span_tables():
        for r in tables.get(table, []):
            label = schema.table_label(table, r)
            spans.append(
                Span(r["doc_id"], label, int(r["start"]), int(r["end"]), r["text"], schema.LABELS[label].key(r))
            )
    return spans


def predictions_from_results(results) -> tuple[list[Span], list[dict]]:
    spans, events = [], []
    for r in results:
        spans += _row_spans(r.tables)
        events += r.events
    return spans, events


def predictions_from_csv(pred_dir: str | Path) -> tuple[list[Span], list[dict]]:
    pred_dir = Path(pred_dir)

    def rows(name):
        with (pred_dir / f"{name}.csv").open(encoding="utf-8-sig", newline="") as fh:
            return [{k: restore_formula(v) for k, v in row.items()} for row in csv.DictReader(fh)]

    return _row_spans({table: rows(table) for table in schema.span_tables()}), rows("events")


def _prf(tp_p: int, n_pred: int, tp_g: int, n_gold: int) -> tuple[float, float, float]:
    p = tp_p / n_pred if n_pred else 1.0
    r = tp_g / n_gold if n_gold else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


@dataclass
class Report:
    rows: list[dict] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # (listed, distinct): how many of the gold's distinct organisation names the gazetteer lists (listed_org_names)
    org_names: tuple[int, int] | None = None

    def row(self, label: str) -> dict:
        return next(r for r in self.rows if r["label"] == label)


# Event links: (document, date value, name) for each name an event's key holds. The roles count
# only over gold documents whose events carry them (ROLE_LINKS).
EVENT_LINKS = {"EVENT-ORG": "orgs", "EVENT-AMOUNT": "amounts"}
ROLE_LINKS = {"EVENT-ACTOR": "actor", "EVENT-COUNTERPART": "counterparts"}


def _names(v: str | list[str] | None) -> list[str]:
    """The names of a gold value (a name, a list or null) or of a predicted cell (``;``-joined, empty = none)."""
    if isinstance(v, list):
        return v
    return [n for n in (v or "").split(";") if n]


def _event_links(events: list[dict], doc_ids: set[str], keys: dict[str, str]) -> dict[str, set[tuple]]:
    """For each link label of ``keys``, the (doc, date value, name) links of the events in ``doc_ids``."""
    links: dict[str, set[tuple]] = {label: set() for label in keys}
    for e in events:
        doc_id = e["doc_id"] if "doc_id" in e else e["_doc"]
        if doc_id not in doc_ids:
            continue
        for label, key in keys.items():
            links[label].update((doc_id, e["date_value"], n) for n in _names(e.get(key)))
    return links


def score(gold: list[GoldDoc], pred_spans: list[Span], pred_events: list[dict]) -> Report:
    report = Report()
    doc_ids = {g.doc_id for g in gold}
    pred_spans = [s for s in pred_spans if s.doc_id in doc_ids]
    texts = {g.doc_id: g.text for g in gold}
    for label in schema.LABELS:
        g_spans = [s for g in gold for s in g.spans if s.label == label]
        p_spans = [s for s in pred_spans if s.label == label]
        g_exact = {(s.doc_id, s.start, s.end): s for s in g_spans}
        p_exact = {(s.doc_id, s.start, s.end): s for s in p_spans}
        matched = g_exact.keys() & p_exact.keys()

        def overlaps(a: Span, others: list[Span]) -> bool:
            return any(o.doc_id == a.doc_id and o.start < a.end and a.start < o.end for o in others)

        by_doc_g: dict[str, list[Span]] = {}
        by_doc_p: dict[str, list[Span]] = {}
        for s in g_spans:
            by_doc_g.setdefault(s.doc_id, []).append(s)
        for s in p_spans:
            by_doc_p.setdefault(s.doc_id, []).append(s)
        ov_p = sum(overlaps(s, by_doc_g.get(s.doc_id, [])) for s in p_spans)
        ov_g = sum(overlaps(s, by_doc_p.get(s.doc_id, [])) for s in g_spans)
        ep, er, ef = _prf(len(matched), len(p_spans), len(matched), len(g_spans))
        op, orr, of = _prf(ov_p, len(p_spans), ov_g, len(g_spans))
        right = [k for k in matched if g_exact[k].value == p_exact[k].value]
        acc = len(right) / len(matched) if matched else 1.0
        report.rows.append(
            {
                "label": label,
                "gold": len(g_spans),
                "pred": len(p_spans),
                "exact_p": ep,
                "exact_r": er,
                "exact_f1": ef,
                "overlap_p": op,
                "overlap_r": orr,
                "overlap_f1": of,
                "value_acc": acc,
            }
        )
        for k in sorted(g_exact.keys() - p_exact.keys()):
            s = g_exact[k]
            report.errors.append(
                f"{label}\tmissed\t{s.doc_id}\t{s.start}:{s.end}\t{s.text!r}\t{'/'.join(s.value)}\t{_context(texts[s.doc_id], s)}"
            )
        for k in sorted(p_exact.keys() - g_exact.keys()):
            s = p_exact[k]
            report.errors.append(
                f"{label}\tspurious\t{s.doc_id}\t{s.start}:{s.end}\t{s.text!r}\t{'/'.join(s.value)}\t{_context(texts[s.doc_id], s)}"
            )
        for k in sorted(matched):
            if g_exact[k].value != p_exact[k].value:
                s = g_exact[k]
                report.errors.append(
                    f"{label}\twrong value\t{s.doc_id}\t{s.start}:{s.end}\t{s.text!r}\tgold {'/'.join(s.value)} pred {'/'.join(p_exact[k].value)}\t{_context(texts[s.doc_id], s)}"
                )
    gold_events = [{**e, "_doc": g.doc_id} for g in gold for e in g.events]
    role_docs = {g.doc_id for g in gold if any(k in e for e in g.events for k in ROLE_LINKS.values())}
    g_links = {**_event_links(gold_events, doc_ids, EVENT_LINKS), **_event_links(gold_events, role_docs, ROLE_LINKS)}
    p_links = {**_event_links(pred_events, doc_ids, EVENT_LINKS), **_event_links(pred_events, role_docs, ROLE_LINKS)}
    for label in [*EVENT_LINKS, *(ROLE_LINKS if role_docs else ())]:
        _link_row(report, label, g_links[label], p_links[label])
    return report


def _link_row(report: Report, label: str, g_links: set[tuple], p_links: set[tuple]) -> None:
    """A link label's row (precision, recall, F1 of the link sets) and its errors."""
    tp = len(g_links & p_links)
    p, r, f = _prf(tp, len(p_links), tp, len(g_links))
    report.rows.append(
        {
            "label": label,
            "gold": len(g_links),
            "pred": len(p_links),
            "exact_p": p,
            "exact_r": r,
            "exact_f1": f,
            "overlap_p": "",
            "overlap_r": "",
            "overlap_f1": "",
            "value_acc": "",
        }
    )
    for link in sorted(g_links - p_links):
        report.errors.append(f"{label}\tmissed\t{link[0]}\t\t{link[2]!r}\t{link[1]}\t")
    for link in sorted(p_links - g_links):
        report.errors.append(f"{label}\tspurious\t{link[0]}\t\t{link[2]!r}\t{link[1]}\t")


def _context(text: str, s: Span, width: int = 15) -> str:
    left = text[max(0, s.start - width) : s.start].replace("\n", " ")
    right = text[s.end : s.end + width].replace("\n", " ")
    return f"…{left}[{text[s.start : s.end]}]{right}…"


def format_table(report: Report) -> str:
    w = max([13, *(len(r["label"]) + 1 for r in report.rows)])
    head = f"{'label':<{w}}{'gold':>6}{'pred':>6}{'P':>7}{'R':>7}{'F1':>7}{'ovP':>7}{'ovR':>7}{'ovF1':>7}{'value':>7}"
    lines = [head, "-" * len(head)]
    for r in report.rows:

        def f(x):
            return f"{x:7.3f}" if isinstance(x, float) else f"{'':>7}"

        lines.append(
            f"{r['label']:<{w}}{r['gold']:>6}{r['pred']:>6}{f(r['exact_p'])}{f(r['exact_r'])}{f(r['exact_f1'])}"
            f"{f(r['overlap_p'])}{f(r['overlap_r'])}{f(r['overlap_f1'])}{f(r['value_acc'])}"
        )
    return "\n".join(lines)


def format_markdown(report: Report, n_docs: int) -> str:
    """The report as the Markdown table README.md shows (``evaluate --markdown``)."""

    def f(x):
        return f"{x:.3f}" if isinstance(x, float) else ""

    listed = (
        f"; the gazetteer lists {report.org_names[0]} of their {report.org_names[1]} distinct organisation names"
        if report.org_names
        else ""
    )
    lines = [
        f"{n_docs} gold documents{listed}.",
        "",
        "| label | gold | predicted | P | R | F1 | overlap P | overlap R | overlap F1 | value accuracy |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in report.rows:
        lines.append(
            f"| {r['label']} | {r['gold']} | {r['pred']} | {f(r['exact_p'])} | {f(r['exact_r'])} | "
            f"{f(r['exact_f1'])} | {f(r['overlap_p'])} | {f(r['overlap_r'])} | {f(r['overlap_f1'])} | "
            f"{f(r['value_acc'])} |"
        )
    return "\n".join(lines)


def write_csv(report: Report, path: str | Path) -> None:
    import os

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    cols = [
        "label",
        "gold",
        "pred",
        "exact_p",
        "exact_r",
        "exact_f1",
        "overlap_p",
        "overlap_r",
        "overlap_f1",
        "value_acc",
    ]
    with tmp.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=cols, lineterminator="\r\n")
        w.writeheader()
        for r in report.rows:
            w.writerow({k: (f"{v:.4f}" if isinstance(v, float) else v) for k, v in r.items()})
    os.replace(tmp, path)


WITHOUT_GAZETTEER = {"csr_orgs": {"use_gazetteer": False}}
"""The pipeline configuration of ``evaluate --without-gazetteer``: organisations found by form alone."""


class CannotConfigure(ValueError):
    """This build's pipeline cannot take the configuration asked for."""


def build_pipeline(config: dict[str, dict]) -> Any:
    """A pipeline built by ``pipeline.nlp.build_nlp(config)`` (component config overrides), or
    :class:`CannotConfigure` when this build has no such function or it rejects ``config``."""
    from . import nlp

    build = getattr(nlp, "build_nlp", None)
    if build is None:
        raise CannotConfigure("this build has no pipeline.nlp.build_nlp")
    try:
        return build(config)
    except (ValueError, TypeError) as exc:  # spaCy's ConfigValidationError is a ValueError
        raise CannotConfigure(f"pipeline.nlp.build_nlp rejects {config}: {exc}") from exc


def check_saved_texts(gold: list[GoldDoc], pred_dir: str | Path) -> None:
    """Raise ValueError when the run in ``pred_dir`` saved (``texts.jsonl``) a text for a gold
    document that is not the gold text: its offsets count in another text and cannot be scored."""
    from .texts import read_texts

    saved = read_texts(pred_dir)
    differ = [g.doc_id for g in gold if g.doc_id in saved and saved[g.doc_id] != g.text]
    if differ:
        raise ValueError(
            f"{Path(pred_dir) / 'texts.jsonl'}: the run read another text than the gold fixture for "
            f"{', '.join(differ[:5])}{' …' if len(differ) > 5 else ''}; its offsets cannot be scored"
        )


def evaluate(gold_dir: str | Path, pred_dir: str | Path | None = None, config: dict[str, dict] | None = None) -> Report:
    """Score the pipeline (or the CSVs in ``pred_dir``) against the fixtures in ``gold_dir``.
    ``config`` (component config overrides, e.g. :data:`WITHOUT_GAZETTEER`) runs a pipeline built
    with it instead of the default one; :class:`CannotConfigure` when this build cannot."""
    if pred_dir is not None and config:
        raise ValueError("a pipeline configuration does not apply to existing outputs (--pred)")
    gold = load_gold(gold_dir)
    if pred_dir is not None:
        check_saved_texts(gold, pred_dir)
        spans, events = predictions_from_csv(pred_dir)
    else:
        from .api import extract

        built = build_pipeline(config) if config else None
        results = [extract(g.text, g.published, g.doc_id, nlp=built) for g in gold]
        spans, events = predictions_from_results(results)
    report = score(gold, spans, events)
    report.org_names = listed_org_names(gold)
    return report


def listed_org_names(gold: list[GoldDoc]) -> tuple[int, int]:
    """How many of the gold's distinct organisation names the packaged gazetteer lists (as a name or an
    alias), and how many there are: a set whose organisations the list already holds cannot show that
    finding organisations generalises (``--without-gazetteer`` measures that)."""
    from .orgs import OrgTables, normalise

    names = {s.value[0] for g in gold for s in g.spans if s.label == "ORG"}
    gazetteer = OrgTables.load().gazetteer
    return sum(1 for name in names if gazetteer.get(normalise(name))), len(names)
