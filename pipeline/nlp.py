"""The spaCy pipeline: Kiwi tokenizer, then the DATE, MONEY/QUANTITY, ORG and EVENT components.

:func:`build_nlp` builds and initializes a fresh pipeline (each component loads its own tables,
so pipelines with different tables live side by side); :func:`get_nlp` keeps the default one per
process. :func:`annotate` runs it on one text with its document date (``published``), which
relative dates resolve against; the Doc comes back with ``doc.spans`` and ``doc._.events``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from . import amounts, dates, events, orgs, tokenizer  # noqa: F401  (registers the factories)

COMPONENTS = ("csr_dates", "csr_amounts", "csr_orgs", "csr_events")


# The longest document the pipeline takes, in characters. spaCy's default (1,000,000) refuses
# long reports; Kiwi is fed in pieces and the extractors are linear, so the real bound is memory:
# about 750 MB of peak RSS at 1M characters and 1.1 GB at 2M (measured with /usr/bin/time -v).
MAX_CHARS = 10_000_000


class DocumentTooLong(ValueError):
    """A text over :data:`MAX_CHARS`: split it into parts (chapters, pages) and give each as a document."""


def build_nlp(config: dict[str, dict] | None = None, data_dir: str | Path | None = None) -> Language:
    """A new, initialized pipeline. ``config`` maps a component name to its config overrides
    (``{"csr_orgs": {"use_gazetteer": False}}``); ``data_dir`` is where every component reads
    its tables (default: the packaged ``pipeline/data/``)."""
    config = config or {}
    unknown = set(config) - set(COMPONENTS)
    if unknown:
        raise ValueError(f"no such component: {', '.join(sorted(unknown))}")
    nlp = spacy.blank("xx", config={"nlp": {"tokenizer": {"@tokenizers": "csr.KiwiTokenizer.v1"}}})
    for name in COMPONENTS:
        overrides = dict(config.get(name, {}))
        if data_dir is not None and "data_dir" in (Language.get_factory_meta(name).default_config or {}):
            overrides.setdefault("data_dir", str(data_dir))
        nlp.add_pipe(name, config=overrides)
    nlp.initialize()
    nlp.max_length = MAX_CHARS
    return nlp


@lru_cache(maxsize=1)
def get_nlp() -> Language:
    """The process's default pipeline (loads Kiwi and the tables once)."""
    return build_nlp()


def annotate(text: str, published: str | None = None, nlp: Language | None = None) -> Doc:
    """A Doc with ``doc.spans`` for DATE, MONEY, QUANTITY and ORG and ``doc._.events``, from
    ``nlp`` (default: :func:`get_nlp`)."""
    nlp = nlp or get_nlp()
    if len(text) > MAX_CHARS:
        raise DocumentTooLong(f"document too long ({len(text):,} characters; the limit is {MAX_CHARS:,}): split it")
    doc = nlp.make_doc(text)
    doc._.published = published
    return nlp(doc)
