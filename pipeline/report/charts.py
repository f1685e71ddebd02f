"""Charts as inline SVG: the event timeline, events per period and KRW bars.

The functions here do the geometry only: each returns a :class:`Shape` tree (an ``<svg>`` with
its rectangles, texts and links) that the template ``charts.html.j2`` writes out, escaping every
attribute and text. No script, no font, no URL: the charts are part of the one offline file.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from .money import format_amount, format_krw, split_amounts
from .palette import NO_ORG, category_color, category_rank
from .timeline import add_months, date_label, event_span, period


@dataclass
class Shape:
    """One SVG element: ``tag``, attributes in order, text and children."""

    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    text: str = ""
    children: list[Shape] = field(default_factory=list)

    def flat(self) -> list[tuple[str, str, dict[str, str], str]]:
        """The tree in document order as (kind, tag, attributes, text); kind is ``open`` (an
        element with text or children, closed by a later ``close``) or ``empty``."""
        if not self.text and not self.children:
            return [("empty", self.tag, self.attrs, "")]
        out = [("open", self.tag, self.attrs, self.text)]
        for c in self.children:
            out.extend(c.flat())
        out.append(("close", self.tag, {}, ""))
        return out


def _link(href: str, title: str, *children: Shape) -> Shape:
    return Shape("a", {"href": href}, children=[Shape("title", text=title), *children])


def _svg(width: int, height: float, label: str, children: list[Shape]) -> Shape:
    return Shape(
        "svg",
        {
            "class": "chart",
            "viewBox": f"0 0 {width} {height:g}",
            "width": str(width),
            "height": f"{height:g}",
            "role": "img",
            "aria-label": label,
        },
        children=children,
    )


def _text(x: float, y: float, cls: str, text: str, anchor: str | None = None) -> Shape:
    attrs = {"x": f"{x:.1f}", "y": f"{y:.1f}", "class": cls}
    if anchor:
        attrs["text-anchor"] = anchor
    return Shape("text", attrs, text)


def text_px(s: str, size: float) -> float:
    """About how wide ``s`` is at ``size`` px: Hangul and CJK a full em, the rest 0.6 em."""
    return sum(size * (1.0 if ord(ch) >= 0x1100 else 0.6) for ch in s)


def fit(s: str, px: float, size: float) -> str:
    """``s`` cut to about ``px`` pixels of text at ``size`` px, with … when cut."""
    if text_px(s, size) <= px:
        return s
    out = ""
    for ch in s:
        if text_px(out + ch + "…", size) > px:
            break
        out += ch
    return out + "…"


def _legend(categories: Iterable[str], x: float, y: float, width: float) -> tuple[list[Shape], float]:
    """Colour swatches with category names, wrapping; returns (shapes, height used)."""
    out, cx, cy = [], x, y
    for name in sorted(set(categories), key=lambda c: (category_rank(c), c)):
        w = 18 + text_px(name, 12) + 16
        if cx + w > x + width and cx > x:
            cx, cy = x, cy + 18
        out.append(
            Shape(
                "rect",
                {
                    "x": f"{cx:.0f}",
                    "y": f"{cy:.0f}",
                    "width": "12",
                    "height": "12",
                    "rx": "2",
                    "fill": category_color(name),
                },
            )
        )
        out.append(Shape("text", {"x": f"{cx + 17:.0f}", "y": f"{cy + 10:.0f}", "class": "lg"}, name))
        cx += w
    return out, cy - y + 18


def _ticks(lo: date, hi: date) -> list[tuple[date, str]]:
    days = (hi - lo).days
    if days <= 62:
        step = 7 if days > 21 else 1
        ticks, d = [], lo
        while d <= hi:
            ticks.append((d, d.isoformat()))
            d += timedelta(days=step)
        return ticks
    months = days / 30.44
    step = next((s for s in (1, 2, 3, 6, 12, 24, 60, 120, 240) if months / s <= 9), 600)
    d = date(lo.year, lo.month, 1)
    if step >= 12:
        d = date(lo.year - lo.year % (step // 12), 1, 1)
    else:
        d = date(d.year, ((d.month - 1) // step) * step + 1, 1)
    ticks = []
    while d <= hi:
        if d >= lo:
            ticks.append((d, str(d.year) if step >= 12 else f"{d.year}-{d.month:02d}"))
        d = add_months(d, step)
    return ticks


@dataclass
class TimelineItem:
    label: str
    start: date
    end: date | None  # exclusive; None: open-ended range
    is_range: bool
    category: str
    href: str
    tip: str
    date_label: str
    period_end: date | None = None  # a single date's period end (2020-03 → 2020-04-01)


def timeline_items(events: Iterable[Mapping], href: Callable[[object], str], prefix: str = "") -> list[TimelineItem]:
    """Timeline rows of the events with a resolved date: ``href(sentence_id)`` is where a row
    links to, ``prefix`` goes before the organisations in its label (a document id)."""
    items = []
    for e in events:
        where = event_span(e)
        if where is None:
            continue
        start, end = where
        is_range = bool(e.get("date_start"))
        orgs = (e.get("orgs") or "").replace(";", ", ") or NO_ORG
        amounts = "; ".join(format_amount(v, u) for v, u in split_amounts(e.get("amounts")))
        tip = (
            f"{e.get('date_text')} ({date_label(e)}) · {e.get('category')} · {orgs}"
            + (f" · {amounts}" if amounts else "")
            + f"\n{fit(e.get('sentence') or '', 1600, 12)}"
        )
        single = None if is_range else period(e.get("date_value") or "")
        items.append(
            TimelineItem(
                f"{prefix}{orgs}",
                start,
                end if is_range else None,
                is_range,
                e.get("category") or "other",
                href(e.get("sentence_id")),
                tip,
                date_label(e),
                single[1] if single else None,
            )
        )
    return items


def timeline(items: list[TimelineItem], width: int = 1000, label_px: int = 300) -> Shape | None:
    """One row per event in date order: a bar for a range, a dot for a single date."""
    if not items:
        return None
    items = sorted(items, key=lambda it: (it.start, it.end or it.start))
    lo = min(it.start for it in items)
    hi = max((it.end or it.start + timedelta(days=30)) if it.is_range else (it.period_end or it.start) for it in items)
    if (hi - lo).days < 120:  # a few days: widen to four months so the ticks read as months
        pad = timedelta(days=(120 - (hi - lo).days) / 2)
        lo, hi = lo - pad, hi + pad
    span = (hi - lo).days
    lo, hi = lo - timedelta(days=span * 0.02 + 1), hi + timedelta(days=span * 0.02 + 1)
    x0, x1 = label_px + 10, width - 20
    legend, lh = _legend((it.category for it in items), 10, 8, width - 20)
    top = 8 + lh + 26
    row_h = 24
    height = top + row_h * len(items) + 12

    def x(d: date) -> float:
        return x0 + (x1 - x0) * (d - lo).days / max((hi - lo).days, 1)

    out = list(legend)
    for d, label in _ticks(lo, hi):
        anchor = "start" if x(d) < x0 + 30 else "end" if x(d) > x1 - 30 else "middle"
        out.append(
            Shape(
                "line",
                {
                    "x1": f"{x(d):.1f}",
                    "x2": f"{x(d):.1f}",
                    "y1": f"{top - 6:g}",
                    "y2": f"{height - 8:g}",
                    "class": "grid",
                },
            )
        )
        out.append(_text(x(d), top - 10, "tick", label, anchor))
    for k, it in enumerate(items):
        y = top + k * row_h
        cy = y + row_h / 2
        color = category_color(it.category)
        if k % 2:
            out.append(
                Shape("rect", {"x": "0", "y": f"{y:g}", "width": str(width), "height": str(row_h), "class": "band"})
            )
        marks = [_text(label_px, cy + 4, "rl", fit(it.label, label_px - 10, 12), "end")]
        xs = x(it.start)
        if it.is_range:
            xe = x(it.end) if it.end else x1
            marks.append(
                Shape(
                    "rect",
                    {
                        "x": f"{xs:.1f}",
                        "y": f"{cy - 6:.1f}",
                        "width": f"{max(xe - xs, 3):.1f}",
                        "height": "12",
                        "rx": "3",
                        "fill": color,
                    },
                )
            )
            if not it.end:
                marks.append(Shape("path", {"d": f"M{x1 - 1:.1f},{cy - 8:.1f} l7,8 l-7,8 z", "fill": color}))
            xr = max(xe, xs + 3)
        else:
            marks.append(
                Shape(
                    "circle",
                    {
                        "cx": f"{xs:.1f}",
                        "cy": f"{cy:.1f}",
                        "r": "6",
                        "fill": color,
                        "stroke": "#fff",
                        "stroke-width": "1.5",
                    },
                )
            )
            xr = xs + 7
        w = text_px(it.date_label, 11)
        if xr + 8 + w < width:  # right of the mark
            marks.append(_text(xr + 6, cy + 4, "dl", it.date_label))
        elif xs - 9 - w > x0:  # left of it
            marks.append(_text(xs - 9, cy + 4, "dl", it.date_label, "end"))
        else:  # a bar across the chart: inside it
            marks.append(_text(xs + 6, cy + 4, "dl in", it.date_label))
        out.append(_link(it.href, it.tip, *marks))
    return _svg(width, height, "event timeline", out)


def histogram(items: list[TimelineItem], page_of: Mapping[int, int], width: int = 1000) -> Shape | None:
    """Events per month (quarter, year for long spans) by start date, stacked by category; a bar
    links to the events page that lists its first event (``page_of``: item index → page)."""
    if not items:
        return None
    lo = min(it.start for it in items)
    hi = max(it.start for it in items)
    months = (hi.year - lo.year) * 12 + hi.month - lo.month + 1
    step = 1 if months <= 72 else 3 if months <= 216 else 12

    def bin_of(d: date) -> int:
        return ((d.year - lo.year) * 12 + d.month - lo.month + (lo.month - 1) % step) // step

    n_bins = bin_of(hi) + 1
    counts: list[dict[str, int]] = [defaultdict(int) for _ in range(n_bins)]
    first: dict[int, int] = {}
    for k, it in enumerate(items):
        b = bin_of(it.start)
        counts[b][it.category] += 1
        first.setdefault(b, k)
    peak = max(sum(c.values()) for c in counts) or 1
    legend, lh = _legend((it.category for it in items), 10, 8, width - 20)
    used = sorted({it.category for it in items}, key=lambda c: (category_rank(c), c))
    top, plot_h, x0, x1 = 8 + lh + 14, 220, 50, width - 10
    height = top + plot_h + 40
    bw = (x1 - x0) / n_bins
    out = list(legend)
    for frac in (0, 0.5, 1):
        v = round(peak * frac)
        y = top + plot_h - plot_h * v / peak
        out.append(Shape("line", {"x1": str(x0), "x2": str(x1), "y1": f"{y:.1f}", "y2": f"{y:.1f}", "class": "grid"}))
        out.append(_text(x0 - 6, y + 4, "tick", str(v), "end"))
    label_every = max(1, math.ceil(n_bins / 12))
    for b in range(n_bins):
        d = add_months(date(lo.year, lo.month, 1), b * step - (lo.month - 1) % step)
        label = (
            str(d.year)
            if step == 12
            else f"{d.year}-Q{(d.month - 1) // 3 + 1}"
            if step == 3
            else f"{d.year}-{d.month:02d}"
        )
        if b % label_every == 0:
            out.append(_text(x0 + bw * (b + 0.5), top + plot_h + 16, "tick", label, "middle"))
        if not counts[b]:
            continue
        y = float(top + plot_h)
        bars = []
        for cat in used:
            n = counts[b].get(cat, 0)
            if n:
                h = plot_h * n / peak
                y -= h
                bars.append(
                    Shape(
                        "rect",
                        {
                            "x": f"{x0 + bw * b + bw * 0.1:.1f}",
                            "y": f"{y:.1f}",
                            "width": f"{max(bw * 0.8, 1):.1f}",
                            "height": f"{h:.1f}",
                            "fill": category_color(cat),
                        },
                    )
                )
        out.append(_link(f"#events-{page_of.get(first[b], 1)}", f"{label}: {sum(counts[b].values())} events", *bars))
    return _svg(width, height, "events per period", out)


def bars(rows: list[tuple[str, dict[str, Decimal], str]], width: int = 1000, label_px: int = 230) -> Shape | None:
    """Horizontal KRW bars, one per (label, {category: krw}, href), stacked by category, the sum
    written in 억/만 beside each bar."""
    if not rows:
        return None
    value_px = 170
    x0, x1 = label_px + 10, width - value_px
    peak = max(float(sum(parts.values())) for _, parts, _ in rows) or 1.0
    categories = {c for _, parts, _ in rows for c in parts}
    used = sorted(categories, key=lambda c: (category_rank(c), c))
    legend, lh = _legend(categories, 10, 8, width - 20)
    top, row_h = 8 + lh + 8, 26
    height = top + row_h * len(rows) + 6
    out = list(legend)
    for k, (label, parts, href) in enumerate(rows):
        cy = top + k * row_h + row_h / 2
        total = sum(parts.values())
        shapes = [_text(label_px, cy + 4, "rl", fit(label, label_px - 6, 12), "end")]
        x = float(x0)
        for cat in used:
            v = parts.get(cat)
            if v:
                w = (x1 - x0) * float(v) / peak
                shapes.append(
                    Shape(
                        "rect",
                        {
                            "x": f"{x:.1f}",
                            "y": f"{cy - 8:.1f}",
                            "width": f"{max(w, 1.5):.1f}",
                            "height": "16",
                            "fill": category_color(cat),
                        },
                        children=[Shape("title", text=f"{label} · {cat}: {format_krw(v)}")],
                    )
                )
                x += w
        shapes.append(_text(max(x, x0) + 6, cy + 4, "vl", format_krw(total)))
        out.append(_link(href, f"{label}: {format_krw(total)}", *shapes))
    return _svg(width, height, "KRW by organisation", out)
