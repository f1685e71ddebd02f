"""An offline HTML report of a run's records: ``python -m pipeline report [--out DIR]``.

:func:`write_report` reads the five CSVs in ``DIR`` (``documents``, ``dates``, ``organizations``,
``amounts``, ``events``), reads every document's text back from its ``path`` and writes
``DIR/report.html``; :func:`build_report` is the pure function that turns tables and texts into
the HTML string. The file is self-contained: styles inline, charts as inline SVG drawn here, no
script, no font, no image and no URL, so it opens in any browser offline.

The package, stage by stage:

- :mod:`.tables`: the CSVs read back and checked (a damaged one raises :class:`ReportError`);
- :mod:`.texts`: each document's text found again (:func:`text_roots`, :func:`load_texts`);
- :mod:`.records`: records as marks in the text, sentence regions, the review list;
- :mod:`.money`: 억/만 formatting and money by organisation and category (:func:`money_by`);
- :mod:`.timeline`: date values as periods, events as points or ranges;
- :mod:`.charts`: the SVG charts' geometry;
- :mod:`.html` and ``templates/``: the views assembled and rendered with Jinja2 (autoescaped);
- :mod:`.palette`: label and category names and colours, defined once;
- :mod:`.writer`: :func:`make_report`/:func:`write_report`, the file written atomically.

Views. The page holds several views, each a ``<section class="view">`` with its own id, and CSS
alone (no JavaScript) shows one at a time: a view is displayed when it is the target of the
address (``:target``) or holds the target (``:has(:target)``); with no fragment the overview shows.

- ``#overview``: counts, the event timeline (one row per event, ranges drawn as bars, coloured by
  category; events per month/quarter/year, stacked by category, when there are more than
  :data:`TIMELINE_MAX_ROWS` events), money by organisation and by category (KRW in 억/만).
- ``#events-P``: every event in date order, :data:`EVENTS_PER_PAGE` a page.
- ``#money``: money by organisation and by category; each organisation opens to the sentences
  that make its sum, each linked to its place in its document.
- ``#review``: the records to review first: unresolved values (``XXXX-03``), amounts without a
  unit, events without an organisation, failed documents, texts that could not be read back.
- ``#docs-P``: the document index, ``docs_per_page`` documents a page.
- ``#doc-N`` (N = the document's row in ``documents.csv``, from 1): its text with every DATE, ORG,
  MONEY and QUANTITY highlighted (a colour per label, the value in the label, details on hover),
  its timeline and its records. Each sentence holding a record is an element ``#doc-N-sK``
  (K = ``sentence_id``), highlighted when targeted; every record row links to it, so following a
  link opens the document at the sentence.

Hidden views are not laid out, so the page stays quick with 1,000 documents (each is its own
section; the index and the event list are paged). A browser without ``:has()`` (older than 2023)
shows every view one after another: a long page, but every link still works.

When a text cannot be read, its length differs from ``chars`` or a record's text is not at its
offsets, the document's records are listed sentence by sentence without highlighting, and the
page says why.

Size: 1,000 documents of about 800 characters and 45 records each make a file of about 28 MB
that Chromium opens in a few seconds; each view lays out only its own part.
"""

from __future__ import annotations

from .charts import TimelineItem, fit, text_px
from .html import EVENTS_PER_PAGE, TIMELINE_MAX_ROWS, TOP_ORGS, build_report
from .money import format_amount, format_krw, format_krw_short, format_number, money_by, split_amounts
from .palette import CATEGORIES, CATEGORY_COLORS, LABEL_COLORS, LABELS, NO_EVENT, NO_ORG, QUALIFIER_SIGNS
from .records import Mark, non_overlapping, review_rows
from .tables import TABLE_NAMES, ReportError, read_tables
from .texts import RUN_INFO, TextUnavailable, load_texts, read_document_text, text_roots
from .timeline import event_span, period
from .writer import Written, make_report, report_command, write_report

__all__ = [
    "CATEGORIES",
    "CATEGORY_COLORS",
    "EVENTS_PER_PAGE",
    "LABELS",
    "LABEL_COLORS",
    "NO_EVENT",
    "NO_ORG",
    "QUALIFIER_SIGNS",
    "RUN_INFO",
    "TABLE_NAMES",
    "TIMELINE_MAX_ROWS",
    "TOP_ORGS",
    "Mark",
    "ReportError",
    "TextUnavailable",
    "TimelineItem",
    "Written",
    "build_report",
    "event_span",
    "fit",
    "format_amount",
    "format_krw",
    "format_krw_short",
    "format_number",
    "load_texts",
    "make_report",
    "money_by",
    "non_overlapping",
    "period",
    "read_document_text",
    "read_tables",
    "report_command",
    "review_rows",
    "split_amounts",
    "text_px",
    "text_roots",
    "write_report",
]
