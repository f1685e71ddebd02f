"""Every match of a rule over a text, one per start, without trying the rule at every character.

Python's ``re`` skips quickly to where a pattern can start only when the pattern opens with a
literal or a character class; a rule that opens with a look-behind (``(?<![\\d.,])…``) or an
optional group is tried at every position of the text, which made running the date rules one after
the other over each document a large share of the pipeline's time. :func:`matches` works out, from
the parsed pattern, the characters a match can start with, and searches for
``[those characters](?<=(?=RULE).)``: ``re`` skips to those characters and tries the rule there
(a look-ahead inside a one-character look-behind), all in C. The matches are the ones a search loop
finds (``rx.search(text, m.start() + 1)`` after each match): a match at a position does not depend
on where the search began (look-behinds see the text before).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

try:  # Python 3.11+: the regex parser inside the re package (sre_parse, without its deprecation warning)
    from re import _constants as c  # type: ignore[attr-defined]
    from re import _parser  # type: ignore[attr-defined]
except ImportError:  # Python 3.10: the same modules under their old names
    import sre_constants as c
    import sre_parse as _parser

_CATEGORIES = {
    c.CATEGORY_DIGIT: r"\d",
    c.CATEGORY_NOT_DIGIT: r"\D",
    c.CATEGORY_SPACE: r"\s",
    c.CATEGORY_NOT_SPACE: r"\S",
    c.CATEGORY_WORD: r"\w",
    c.CATEGORY_NOT_WORD: r"\W",
}
_REPEATS = {c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", c.MAX_REPEAT)}
_ZERO_WIDTH = {c.ASSERT, c.ASSERT_NOT, c.AT}


class _Unknown(Exception):
    """The pattern has a construct this analysis does not follow: the rule is searched as usual."""


def _first_of_sequence(items) -> tuple[list[str], bool]:
    """The class items a match of ``items`` (parsed, in order) can start with, and whether it can be empty."""
    out: list[str] = []
    for op, av in items:
        first, empty = _first_of_item(op, av)
        out += first
        if not empty:
            return out, False
    return out, True


def _first_of_item(op, av) -> tuple[list[str], bool]:
    if op is c.LITERAL:
        return [f"\\U{av:08x}"], False
    if op is c.IN:
        out = []
        for kind, value in av:
            if kind is c.LITERAL:
                out.append(f"\\U{value:08x}")
            elif kind is c.RANGE:
                out.append(f"\\U{value[0]:08x}-\\U{value[1]:08x}")
            elif kind is c.CATEGORY and value in _CATEGORIES:
                out.append(_CATEGORIES[value])
            else:  # NEGATE, a locale category: not followed
                raise _Unknown
        return out, False
    if op is c.SUBPATTERN:
        _group, add_flags, _del_flags, sub = av
        if add_flags & (re.IGNORECASE | re.LOCALE):
            raise _Unknown
        return _first_of_sequence(sub)
    if op is c.BRANCH:
        out, empty = [], False
        for alternative in av[1]:
            first, alt_empty = _first_of_sequence(alternative)
            out += first
            empty = empty or alt_empty
        return out, empty
    if op in _REPEATS:
        low, _high, sub = av
        first, empty = _first_of_sequence(sub)
        return first, empty or low == 0
    if op in _ZERO_WIDTH:  # a look-around or an anchor consumes nothing: what follows it starts the match
        return [], True
    raise _Unknown  # ANY, NOT_LITERAL, group references, atomic groups …


@lru_cache(maxsize=4096)
def starts(rx: re.Pattern) -> re.Pattern | None:
    """A pattern that matches the first character of every match of ``rx`` (one match per start),
    or None when the first characters cannot be told (a match may be empty, or opens with ``.``, a
    negated class, a back-reference)."""
    if not isinstance(rx.pattern, str) or rx.flags & (re.IGNORECASE | re.LOCALE | re.VERBOSE):
        return None
    try:
        first, empty = _first_of_sequence(_parser.parse(rx.pattern, rx.flags))
        if empty or not first:
            return None
        return re.compile(f"[{''.join(sorted(set(first)))}](?<=(?={rx.pattern}).)", rx.flags)
    except (_Unknown, re.error):
        return None


def matches(rx: re.Pattern, text: str) -> Iterator[re.Match]:
    """The match of ``rx`` at every position of ``text`` where it matches, in order (overlapping
    matches included: one per start), as ``search`` from one past each match's start finds them."""
    start = starts(rx)
    if start is None:
        pos = 0
        while pos <= len(text) and (m := rx.search(text, pos)) is not None:
            yield m
            pos = m.start() + 1
        return
    for s in start.finditer(text):
        m = rx.match(text, s.start())
        if m is not None:  # (always: the look-ahead said so)
            yield m
