"""Tuning numbers of the extractors, in one place.

Most rules look a fixed number of characters to the left or right of what they matched (the
qualifier word after an amount, the verb after a reporting date …). Those widths are tuning
choices, not linguistic facts, so they live here with a note on what they must cover rather than
as numbers written into slices. The word lists the rules look for are in ``data/``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    """Look-around widths in characters (a window is ``text[end:end + width]`` or
    ``text[start - width:start]``)."""

    # dates: after a match, for what a rule's checks test by default (`3일 동안`, `10년 전`, `째`,
    # the follower of a bare `상반기`)
    date_after: int = 12
    # dates: before a match, for what a rule's checks test by default (`2박 3일`, `매주 3일`, `5일과 7일`)
    date_before: int = 8
    # dates: after a bare day, up to three words and a reporting verb (`8일 … 밝혔다`)
    date_report_after: int = 24
    # dates: before a bare day, a sentence or line start (`16일 경찰은`)
    date_line_start_before: int = 4
    # dates: before a date, a range opener (`부터`, `~`, `-`)
    date_range_before: int = 4
    # amounts: a qualifier after an amount, with a particle and spaces (`을 넘어섰다`, ` 이상`)
    amount_qualifier_after: int = 12
    # amounts: a qualifier word before an amount (`약 `, `최대 `)
    amount_qualifier_before: int = 6
    # orgs: the text before a gazetteer name that `org_contexts.tsv` may test
    org_context_before: int = 20
    # orgs: the text after a gazetteer name that `org_contexts.tsv` may test (`로 결제하면`)
    org_context_after: int = 40
    # orgs: an affiliate word before an unknown company (`계열사 `)
    affiliate_before: int = 8
    # events: a byline's `=` right before an organisation (`서울=연합뉴스`)
    byline_before: int = 3
    # events: a reporter's name and title after an organisation (` 김민수 기자`)
    byline_after: int = 12
    # events: a particle or a staff word with a head count after an organisation
    # (`임직원 300여 명은`)
    subject_after: int = 30
    # events: a comparison word after a date (`보다`, `에 비해`)
    comparison_after: int = 8
    # events: up to three words and a `say` verb of reporting_verbs.tsv after a date (`8일 밝혔다`)
    reporting_verb_after: int = 20
    # events: `까지` right after the second date of a range
    range_end_after: int = 3


SETTINGS = Settings()
