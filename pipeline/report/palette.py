"""Names and colours the report shows: the one place to change them.

:data:`LABEL_COLORS` is the label registry's view for the report: the highlighted labels in
registration order, each with the colour :mod:`pipeline.schema` gives it (the CSS classes
``e-LABEL``, the legend and the chips are generated from it). It reads the registry on each use,
so a label registered later is shown too.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from .. import schema


class _LabelColours(Mapping[str, str]):
    """``{label: colour}`` of the registered labels, read from :data:`pipeline.schema.LABELS`."""

    def __getitem__(self, label: str) -> str:
        return schema.LABELS[label].colour

    def __iter__(self) -> Iterator[str]:
        return iter(schema.LABELS)

    def __len__(self) -> int:
        return len(schema.LABELS)


LABEL_COLORS: Mapping[str, str] = _LabelColours()
LABELS: Mapping[str, str] = LABEL_COLORS  # iterating gives the label names, in display order
LABEL_TAGS: dict[str, str] = {"QUANTITY": "QTY"}  # the name in a highlight's tag, when shorter than the label

CATEGORY_COLORS: dict[str, str] = {
    "partnership": "#4e79a7",
    "donation": "#e15759",
    "fundraising": "#f28e2b",
    "fee_relief": "#76b7b2",
    "support": "#59a14f",
    "service": "#b07aa1",
    schema.OTHER_CATEGORY: "#9d9d9d",
    "no event": "#cfd4da",
}
NO_EVENT = "no event"  # money in a sentence that is not an event
CATEGORIES: tuple[str, ...] = tuple(c for c in CATEGORY_COLORS if c != NO_EVENT)
UNKNOWN_COLOR = "#999"
NO_ORG = "(no organisation)"

QUALIFIER_SIGNS = {"approx": "≈", "at_least": "≥", "more_than": ">", "at_most": "≤", "less_than": "<"}


def category_color(category: str) -> str:
    return CATEGORY_COLORS.get(category, UNKNOWN_COLOR)


def category_rank(category: str) -> int:
    """Legend and stacking order: the order of :data:`CATEGORY_COLORS`, unknown categories last."""
    order = list(CATEGORY_COLORS)
    return order.index(category) if category in order else len(order)
