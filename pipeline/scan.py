"""Every match of many rules over one text, without trying each rule at every character.

Python's ``re`` skips quickly to where a pattern can start only when the pattern opens with a
literal or a character class; a rule that opens with a look-behind (``(?<![\\d.,])…``) or an
optional group is tried at every position of the text, which made running the date rules one after
the other over each document a large share of the pipeline's time. :class:`Scanner` works out,
from the parsed pattern, the characters a match can start with, finds the positions of those
characters once per text (shared by the rules that start alike), and tries the rule only there.
The matches are the ones a search loop finds (``rx.search(text, m.start() + 1)`` after each match):
a match at a position does not depend on where the search began (look-behinds see the text before).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from re import _constants as c  # type: ignore[attr-defined]  # (sre_constants, without its warning)
from re import _parser  # type: ignore[attr-defined]  # (sre_parse, without its warning)

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


# A possible first character: the class items it is one of, and the one-character look-behinds
# (``(?<![\d.,])``: whether negative, the class) that hold where the match starts.
_Start = tuple[tuple[tuple[bool, str], ...], str]


def _class_items(op, av) -> str | None:
    """A one-character pattern (a literal or a class) as the inside of a character class."""
    if op is c.LITERAL:
        return f"\\U{av:08x}"
    if op is not c.IN:
        return None
    out = []
    for kind, value in av:
        if kind is c.LITERAL:
            out.append(f"\\U{value:08x}")
        elif kind is c.RANGE:
            out.append(f"\\U{value[0]:08x}-\\U{value[1]:08x}")
        elif kind is c.CATEGORY and value in _CATEGORIES:
            out.append(_CATEGORIES[value])
        else:  # NEGATE, a locale category: not followed
            return None
    return "".join(out)


def _first_of_sequence(items, guards: tuple[tuple[bool, str], ...] = ()) -> tuple[list[_Start], bool]:
    """The characters a match of ``items`` (parsed, in order) can start with, and whether it can be empty."""
    out: list[_Start] = []
    for op, av in items:
        if op in (c.ASSERT, c.ASSERT_NOT) and av[0] < 0 and len(av[1].data) == 1:
            behind = _class_items(*av[1].data[0])
            if behind is not None:  # a one-character look-behind: it holds where the match starts
                guards = (*guards, (op is c.ASSERT_NOT, behind))
            continue
        first, empty = _first_of_item(op, av, guards)
        out += first
        if not empty:
            return out, False
    return out, True


def _first_of_item(op, av, guards: tuple[tuple[bool, str], ...]) -> tuple[list[_Start], bool]:
    items = _class_items(op, av)
    if items is not None:
        return [(guards, items)], False
    if op is c.IN:
        raise _Unknown
    if op is c.SUBPATTERN:
        _group, add_flags, _del_flags, sub = av
        if add_flags & (re.IGNORECASE | re.LOCALE):
            raise _Unknown
        return _first_of_sequence(sub, guards)
    if op is c.BRANCH:
        out: list[_Start] = []
        empty = False
        for alternative in av[1]:
            first, alt_empty = _first_of_sequence(alternative, guards)
            out += first
            empty = empty or alt_empty
        return out, empty
    if op in _REPEATS:
        low, _high, sub = av
        first, empty = _first_of_sequence(sub, guards)
        return first, empty or low == 0
    if op in _ZERO_WIDTH:  # other look-arounds and anchors consume nothing: what follows starts the match
        return [], True
    raise _Unknown  # ANY, NOT_LITERAL, group references, atomic groups …


def _render(starts: list[_Start]) -> str:
    """One pattern matching the first character of every possible match (and maybe more): a class
    (which ``re`` skips to quickly), then, for each group of characters with look-behinds, the
    look-behinds checked one character later (``[\\d지](?:(?<=[\\d])(?<![\\d.,].)|(?<=[지]))``)."""
    groups: dict[tuple[tuple[bool, str], ...], list[str]] = {}
    for guards, items in starts:
        groups.setdefault(tuple(sorted(set(guards))), []).append(items)
    every = "[" + "".join(sorted({i for items in groups.values() for i in items})) + "]"
    if all(not guards for guards in groups):
        return every

    def checks(guards: tuple[tuple[bool, str], ...]) -> str:
        return "".join(f"(?<{'!' if negative else '='}[{cls}].)" for negative, cls in guards)

    if len(groups) == 1:
        return every + checks(next(iter(groups)))
    branches = ["(?<=[" + "".join(sorted(set(items))) + "])" + checks(guards) for guards, items in groups.items()]
    return every + "(?:" + "|".join(branches) + ")"


@lru_cache(maxsize=4096)
def start_class(rx: re.Pattern) -> re.Pattern | None:
    """A pattern whose matches start wherever a match of ``rx`` can start (and maybe elsewhere), one
    character long, or None when it cannot be told (a match may be empty, or opens with ``.``, a
    negated class, a back-reference)."""
    if not isinstance(rx.pattern, str) or rx.flags & (re.IGNORECASE | re.LOCALE | re.VERBOSE):
        return None
    try:
        first, empty = _first_of_sequence(_parser.parse(rx.pattern, rx.flags))
    except _Unknown:
        return None
    if empty or not first:
        return None
    return re.compile(_render(first))


class Scanner:
    """The matches of patterns over one ``text``; the start positions of each class are found once."""

    def __init__(self, text: str):
        self.text = text
        self._positions: dict[str, list[int]] = {}

    def positions(self, cls: re.Pattern) -> list[int]:
        found = self._positions.get(cls.pattern)
        if found is None:
            found = self._positions[cls.pattern] = [m.start() for m in cls.finditer(self.text)]
        return found

    def matches(self, rx: re.Pattern) -> Iterator[re.Match]:
        """The match of ``rx`` at every position of the text where it matches, in order (overlapping
        matches included: one per start), as ``search`` from one past each match's start finds them."""
        text = self.text
        cls = start_class(rx)
        if cls is None:
            pos = 0
            while pos <= len(text) and (m := rx.search(text, pos)) is not None:
                yield m
                pos = m.start() + 1
            return
        match = rx.match
        for p in self.positions(cls):
            m = match(text, p)
            if m is not None:
                yield m
