"""The label registry: every entity label the pipeline writes, defined once.

A :class:`Label` says everything the rest of the pipeline needs to know about one span label:

- its span attributes (``span._.value`` …), each an :class:`Attr` that knows how it becomes a CSV
  cell (:mod:`pipeline.export`), what :mod:`pipeline.evaluate` compares, how it is read back from
  Label Studio (:mod:`pipeline.labelstudio`) and what a well-formed gold value is
  (:mod:`pipeline.fixtures`);
- the output table its rows go to. A table's columns are :data:`SPAN_COLUMNS`, then
  :data:`LABEL_COLUMN` when the table holds several labels (``amounts``: MONEY and QUANTITY), then
  the attributes, then :data:`PAGE_COLUMN`;
- its colour in the review report and in the Label Studio configuration.

Every span also carries the attributes in :data:`COMMON_ATTRS` (``rule``: the rule that produced
it), which are no columns. :func:`register` adds a label (the built-in DATE, ORG, MONEY and
QUANTITY are registered below); it registers the ``Span`` extensions, and keeps :data:`LABELS`,
:data:`COLUMNS` and :data:`RECORD_TABLES` up to date in place, so modules that imported them see
the new label. The vocabularies the values are checked against (organisation kinds, qualifiers,
date mods, event categories, genres) are read from the data tables that define them
(:data:`VOCABULARIES`). The recipe for a new label is ``docs/contributing/entity-type.md``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from spacy.tokens import Span

from .lexicon import read_table
from .numbers import format_number
from .timex import VALUE

# ---------------------------------------------------------------------------------------------
# Vocabularies


@dataclass(frozen=True)
class Vocabulary:
    """A closed set of values: the distinct ``column`` values of a data table (rows where
    ``where`` = (column, value) holds), in table order, then ``extra`` (values the code writes
    without a table row, such as a default)."""

    table: str | None = None
    column: str = ""
    where: tuple[str, str] | None = None
    extra: tuple[str, ...] = ()

    def values(self, data_dir: str | Path | None = None) -> tuple[str, ...]:
        rows = read_table(self.table, data_dir) if self.table else ()
        found = [r[self.column] for r in rows if self.where is None or r[self.where[0]] == self.where[1]]
        return tuple(dict.fromkeys([*found, *self.extra]))


EXACT = "exact"  # the qualifier of an amount with no qualifier word
OTHER_CATEGORY = "other"  # the category of an event no cue matches

VOCABULARIES: dict[str, Vocabulary] = {
    "org_kinds": Vocabulary("organizations.tsv", "kind"),
    "qualifiers": Vocabulary("qualifiers.tsv", "qualifier", extra=(EXACT,)),
    "date_mods": Vocabulary("date_parts.tsv", "value", where=("kind", "mod")),
    "categories": Vocabulary("event_categories.tsv", "category", extra=("service", OTHER_CATEGORY)),
    "genres": Vocabulary(extra=("news_wire", "press_release", "newsroom", "sustainability_report")),
}


def vocabularies(data_dir: str | Path | None = None) -> dict[str, tuple[str, ...]]:
    """Every vocabulary's values, read from the tables in ``data_dir`` (default: the packaged ones)."""
    return {name: v.values(data_dir) for name, v in VOCABULARIES.items()}


# A normalised date value (docs/annotation.md, DATE): one pattern, the date-value type's.
DATE_VALUE = VALUE

# ---------------------------------------------------------------------------------------------
# Attributes

Vocab = Mapping[str, tuple[str, ...]]
Check = Callable[[str, str, Any, Vocab], "str | None"]


def _cell(v: Any) -> Any:
    return "" if v is None else v


def _key(v: Any) -> str:
    return v or ""


def _parse(text: str) -> Any:
    return text or None


def _number_key(v: Any) -> str:
    return format_number(Decimal(str(v)))


def _parse_number(text: str) -> int | float | None:
    if not text:
        return None
    d = Decimal(text)
    return int(d) if d == d.to_integral_value() else float(d)


def _required(label: str, name: str, v: Any, vocab: Vocab) -> str | None:
    return None if v else f"{label} without {name}"


def _date_value(label: str, name: str, v: Any, vocab: Vocab) -> str | None:
    return None if isinstance(v, str) and DATE_VALUE.match(v) else f"malformed {label} {name} {v!r}"


def _non_negative(label: str, name: str, v: Any, vocab: Vocab) -> str | None:
    ok = not isinstance(v, bool) and isinstance(v, (int, float)) and v >= 0
    return None if ok else f"{name} {v!r} is not a non-negative number"


def not_one_of(name: str, v: Any, values: tuple[str, ...], optional: bool = False) -> str:
    return f"{name} {v!r} not one of {' '.join(values)}" + (" null" if optional else "")


@dataclass(frozen=True)
class Attr:
    """One span attribute (``span._.NAME``) and the column of the same name.

    ``cell`` turns the span's value into the CSV cell; ``key`` turns a gold or predicted value
    (JSON from a fixture, or a cell) into what evaluation compares; ``parse`` reads the text a
    researcher typed in Label Studio; ``check`` says what is wrong with a gold value (or None).
    ``scored``: part of the value evaluation compares. ``example``: shown in Label Studio."""

    name: str
    cell: Callable[[Any], Any] = _cell
    key: Callable[[Any], str] = _key
    parse: Callable[[str], Any] = _parse
    check: Check = _required
    scored: bool = True
    example: str = "…"


def text(name: str, *, scored: bool = True, example: str = "…") -> Attr:
    """A required string (a canonical name, a unit)."""
    return Attr(name, scored=scored, example=example)


def number(name: str, *, example: str = "…") -> Attr:
    """A non-negative number, written as a plain decimal (:func:`~pipeline.numbers.format_number`)."""
    return Attr(name, cell=format_number, key=_number_key, parse=_parse_number, check=_non_negative, example=example)


def date_value(name: str, *, example: str = "2020-03") -> Attr:
    """A normalised date value (:data:`DATE_VALUE`)."""
    return Attr(name, check=_date_value, example=example)


def choice(name: str, vocabulary: str, *, optional: bool = False, scored: bool = True, example: str = "…") -> Attr:
    """One value of the vocabulary named ``vocabulary`` (a key of :data:`VOCABULARIES`); ``optional``
    allows null (an empty cell)."""

    def check(label: str, attr: str, v: Any, vocab: Vocab) -> str | None:
        values = vocab[vocabulary]
        return None if v in values or (optional and v is None) else not_one_of(attr, v, values, optional)

    return Attr(name, check=check, scored=scored, example=example)


# ---------------------------------------------------------------------------------------------
# Labels and tables


@dataclass(frozen=True)
class Label:
    """A span label: ``doc.spans[name]``, whose spans become rows of ``table``."""

    name: str
    table: str
    attrs: tuple[Attr, ...]
    colour: str

    def key(self, d: Mapping[str, Any]) -> tuple:
        """What evaluation compares for a gold span or a predicted row (today's value accuracy)."""
        return tuple(a.key(d.get(a.name)) for a in self.attrs if a.scored)

    def problems(self, d: Mapping[str, Any], vocab: Vocab) -> list[str]:
        """What is wrong with the values of a gold span."""
        found = (a.check(self.name, a.name, d.get(a.name), vocab) for a in self.attrs)
        return [p for p in found if p]

    def cells(self, span: Span) -> dict[str, Any]:
        """The attribute cells of a span's row."""
        return {a.name: a.cell(getattr(span._, a.name)) for a in self.attrs}

    @property
    def keys(self) -> tuple[str, ...]:
        """The attribute names (also the Label Studio ``key=value`` keys)."""
        return tuple(a.name for a in self.attrs)


COMMON_ATTRS = ("rule",)  # on every span, no column
SPAN_COLUMNS = ("doc_id", "sentence_id", "start", "end", "text")
LABEL_COLUMN = "kind"  # the label, in a table that holds several
DOCUMENT_COLUMNS = ("doc_id", "path", "title", "published", "chars", "sentences", "status", "error", "pages")
PAGE_COLUMN = "page"  # last column of every label table: the page of a paged input (PDF), else empty
EVENT_COLUMNS = (
    "doc_id",
    "event_id",
    "sentence_id",
    "date_text",
    "date_value",
    "date_start",
    "date_end",
    "orgs",
    "amounts",
    "category",
    "sentence",
    "actor",
    "counterparts",
)

LABELS: dict[str, Label] = {}
"""The registered labels, in registration order (the order of evaluation rows)."""
COLUMNS: dict[str, list[str]] = {}
"""Every output table's columns: ``documents``, one table per label table, ``events`` last."""
RECORD_TABLES: list[str] = []
"""The tables a document's records go to (all but ``documents``): what ``api.Result`` holds."""


def span_tables() -> dict[str, tuple[Label, ...]]:
    """Each label table and the labels whose spans go to it, in registration order."""
    tables: dict[str, list[Label]] = {}
    for label in LABELS.values():
        tables.setdefault(label.table, []).append(label)
    return {name: tuple(labels) for name, labels in tables.items()}


def table_label(table: str, row: Mapping[str, Any]) -> str:
    """The label of a row of a label table."""
    labels = span_tables()[table]
    return row[LABEL_COLUMN] if len(labels) > 1 else labels[0].name


def span_attributes() -> tuple[str, ...]:
    """Every ``Span._`` attribute name a registered label uses, the common ones first."""
    names = [*COMMON_ATTRS, *(a.name for label in LABELS.values() for a in label.attrs)]
    return tuple(dict.fromkeys(names))


def _rebuild() -> None:
    columns: dict[str, list[str]] = {"documents": list(DOCUMENT_COLUMNS)}
    for table, labels in span_tables().items():
        shared = [LABEL_COLUMN] if len(labels) > 1 else []
        columns[table] = [*SPAN_COLUMNS, *shared, *labels[0].keys, PAGE_COLUMN]
    columns["events"] = list(EVENT_COLUMNS)
    COLUMNS.clear()
    COLUMNS.update(columns)
    RECORD_TABLES[:] = [name for name in columns if name != "documents"]


def _validate(label: Label) -> None:
    if label.name in LABELS:
        raise ValueError(f"label {label.name} is already registered")
    if label.table in ("documents", "events"):
        raise ValueError(f"label {label.name}: table {label.table!r} is not a label table")
    reserved = {*SPAN_COLUMNS, *COMMON_ATTRS, PAGE_COLUMN, LABEL_COLUMN if label.table in span_tables() else ""}
    clash = reserved & set(label.keys)
    if clash:
        raise ValueError(f"label {label.name}: attribute names {sorted(clash)} are columns already")
    for other in span_tables().get(label.table, ()):
        if other.keys != label.keys:
            raise ValueError(
                f"label {label.name} shares table {label.table!r} with {other.name} "
                f"but has attributes {label.keys}, not {other.keys}"
            )


def register(label: Label) -> Label:
    """Add ``label`` to the registry and its attributes to ``Span``; returns it."""
    _validate(label)
    for name in (*COMMON_ATTRS, *label.keys):
        if not Span.has_extension(name):
            Span.set_extension(name, default=None)
    LABELS[label.name] = label
    _rebuild()
    return label


def unregister(name: str) -> None:
    """Remove the label ``name`` (its ``Span`` extensions stay: other labels may share them)."""
    del LABELS[name]
    _rebuild()


@contextmanager
def registered(label: Label) -> Iterator[Label]:
    """``label`` registered for the duration of a ``with`` block (a test's toy label)."""
    register(label)
    try:
        yield label
    finally:
        unregister(label.name)


_AMOUNT = (number("value"), text("unit", example="KRW"), choice("qualifier", "qualifiers", example=EXACT))

register(
    Label(
        "DATE",
        "dates",
        (date_value("value"), choice("mod", "date_mods", optional=True, example="END")),
        colour="#ffd166",
    )
)
# org_id: the organisation across renames (orgs.py; gold may leave it out, evaluation does not score it)
register(
    Label(
        "ORG",
        "organizations",
        (
            text("name"),
            choice("kind", "org_kinds", scored=False, example="company"),
            Attr("org_id", check=lambda *_: None, scored=False, example="신한라이프"),
        ),
        colour="#a9cbff",
    )
)
register(Label("MONEY", "amounts", _AMOUNT, colour="#8fdca0"))
register(Label("QUANTITY", "amounts", _AMOUNT, colour="#f2b8ee"))
