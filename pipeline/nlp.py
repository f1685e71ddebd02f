"""The spaCy pipeline: Kiwi tokenizer, then the DATE, MONEY/QUANTITY and ORG components.

:func:`get_nlp` builds it once per process. :func:`annotate` runs it on one text with its
document date (``published``), which relative dates resolve against.
"""
from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from . import amounts, dates, orgs, tokenizer  # noqa: F401  (registers the factories)

COMPONENTS = ("csr_dates", "csr_amounts", "csr_orgs")


@lru_cache(maxsize=1)
def get_nlp() -> Language:
    """The process's pipeline (loads Kiwi once)."""
    nlp = spacy.blank("xx", config={"nlp": {"tokenizer": {"@tokenizers": "csr.KiwiTokenizer.v1"}}})
    for name in COMPONENTS:
        nlp.add_pipe(name)
    return nlp


def annotate(text: str, published: str | None = None) -> Doc:
    """A Doc with ``doc.spans`` for DATE, MONEY, QUANTITY and ORG."""
    nlp = get_nlp()
    doc = nlp.make_doc(text)
    doc._.published = published
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return doc
