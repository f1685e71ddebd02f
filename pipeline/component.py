"""What the table-driven spaCy components share: tables loaded in ``initialize``, saved with
``to_disk`` as copies of the TSV files they were read from, and read back by ``from_disk``.

A component class sets ``tables_type``: a class whose ``load(data_dir, **options)`` reads the
tables (through :func:`pipeline.lexicon.read_table`) into an immutable object with a ``sources``
mapping (file name → path read). ``options`` are the component's config values that change what
is loaded (``csr_orgs``'s ``use_gazetteer``). The ``span._.rule`` a component writes on every span
is registered with the other span attributes by :mod:`pipeline.schema` (through :mod:`pipeline.spans`,
which every component imports). See docs/contributing/component.md.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any, ClassVar, Generic, Protocol, TypeVar, cast

from spacy.language import Language
from spacy.util import filter_spans


class Tables(Protocol):
    @property
    def sources(self) -> dict[str, Path]: ...  # file name → the path it was read from


class Offsets(Protocol):
    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


T = TypeVar("T", bound=Tables)
C = TypeVar("C", bound=Offsets)


def filter_overlaps(found: Iterable[C]) -> list[C]:
    """spaCy's :func:`~spacy.util.filter_spans` on candidates given as character offsets (they are
    not Spans yet: making Spans would split tokens at candidates that lose): the longest wins, then
    the first; the survivors in text order."""
    return cast("list[C]", filter_spans(found))  # type: ignore[arg-type]


class TableComponent(Generic[T]):
    """Base of ``csr_amounts``, ``csr_orgs`` and ``csr_events``."""

    tables_type: ClassVar[Any]

    def __init__(self, nlp: Language, name: str, *, data_dir: str | None = None, **options: Any):
        self.name = name
        self.data_dir = data_dir
        self.options = options
        self._tables: T | None = None  # loaded by initialize(), from_disk() or the first call

    @property
    def tables(self) -> T:
        if self._tables is None:
            self.initialize()
        assert self._tables is not None
        return self._tables

    def initialize(self, get_examples=None, *, nlp: Language | None = None, data_dir: str | None = None) -> None:
        """Load the tables from ``data_dir`` (default: the config's, else ``pipeline/data/``)."""
        self._tables = self.tables_type.load(data_dir or self.data_dir, **self.options)

    def to_disk(self, path: str | Path, *, exclude=()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        for name, source in self.tables.sources.items():
            shutil.copyfile(source, path / name)

    def from_disk(self, path: str | Path, *, exclude=()) -> TableComponent[T]:
        """Read the tables :meth:`to_disk` wrote (options that name other files are ignored)."""
        self._tables = self.tables_type.load(Path(path), **self.saved_options())
        return self

    def saved_options(self) -> dict[str, Any]:
        return self.options
