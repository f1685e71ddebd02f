"""Korean numerals as numbers: ``53.9억`` → 5390000000, ``1조 2천억`` → 1.2e12, ``세`` → 3.

Pure functions shared by the amount and date extractors. Values are :class:`decimal.Decimal`
so that ``53.9억`` is exact; :func:`format_number` writes them without exponent or separators.
The numerals table (``data/numerals.tsv``) is read once at import: it is normalisation, the same
for every pipeline, not a component's configurable table.
"""

from __future__ import annotations

import re
from contextlib import AbstractContextManager
from decimal import Context, Decimal, InvalidOperation, getcontext, localcontext

from .lexicon import read_table

SCALES = {"thousand": Decimal(10**3), "million": Decimal(10**6), "billion": Decimal(10**9), "trillion": Decimal(10**12)}
_ENGLISH_SCALE = re.compile(r"^(\S+)\s*(thousand|million|billion|trillion)$", re.I)
_ARABIC = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")


def _read_numerals() -> dict[str, dict[str, int]]:
    """``data/numerals.tsv`` as role → surface → value."""
    roles: dict[str, dict[str, int]] = {}
    for row in read_table("numerals.tsv"):
        roles.setdefault(row["role"], {})[row["surface"]] = int(row["value"])
    return roles


NUMERALS = _read_numerals()


def _alt(words) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


_NATIVE_UNITS = [w for w, v in NUMERALS["native"].items() if v < 10]
_NATIVE_PATTERN = rf"(?:(?:{_alt(NUMERALS['native_ten'])})(?:{_alt(_NATIVE_UNITS)})?|{_alt(NUMERALS['native'])})"


def native_numeral_pattern() -> str:
    """A regex for native numerals: units (세), tens (열, 스무) and tens + units (열두, 스물한)."""
    return _NATIVE_PATTERN


def parse_native(word: str) -> int | None:
    """A native numeral word (``세``, ``열두``, ``스물한``) → int, else None."""
    r = NUMERALS
    if word in r["native"]:
        return r["native"][word]
    for ten, tv in r["native_ten"].items():
        if word == ten:
            return tv
        if word.startswith(ten) and word[len(ten) :] in r["native"]:
            unit = r["native"][word[len(ten) :]]
            if unit < 10:
                return tv + unit
    return None


def _exact(text: str) -> AbstractContextManager[Context]:
    """A decimal context wide enough that no sum or product of ``text``'s numerals is rounded:
    ``99999999999999999조`` has 29 digits, more than the default context's 28."""
    ctx = getcontext().copy()
    ctx.prec = max(28, 2 * len(text) + 40)
    return localcontext(ctx)


def parse_number(text: str) -> Decimal | None:
    """Arabic, Sino-Korean or mixed numerals → Decimal; None when it is not a numeral.

    ``3,000만`` → 30000000, ``1억5천만`` → 150000000, ``십오만`` → 150000, ``천`` → 1000,
    ``세`` → 3. Spaces between groups are allowed (``1조 2천억``). The value is exact however long
    the number (``99999999999999999조`` → 99999999999999999000000000000).
    """
    with _exact(text):
        return _parse_number(text)


def _parse_number(text: str) -> Decimal | None:
    m = _ENGLISH_SCALE.match(text.strip())
    if m:
        base = _parse_number(m.group(1))
        return None if base is None else base * SCALES[m.group(2).lower()]
    s = text.replace(" ", "").replace("\u00a0", "")
    if not s:
        return None
    native = parse_native(s)
    if native is not None:
        return Decimal(native)
    r = NUMERALS
    digits, small, big = r["digit"], r["small"], r["big"]
    total = Decimal(0)
    section = Decimal(0)
    num: Decimal | None = None
    i = 0
    seen_unit_or_digit = False
    while i < len(s):
        m = _ARABIC.match(s, i)
        if m:
            if num is not None:
                return None
            try:
                num = Decimal(m.group().replace(",", ""))
            except InvalidOperation:
                return None
            i = m.end()
            seen_unit_or_digit = True
            continue
        ch = s[i]
        if ch in digits:
            if num is not None:
                return None
            num = Decimal(digits[ch])
        elif ch in small:
            section += (num if num is not None else Decimal(1)) * small[ch]
            num = None
        elif ch in big:
            section += num if num is not None else Decimal(0)
            if section == 0:
                section = Decimal(1)
            total += section * big[ch]
            section = Decimal(0)
            num = None
        else:
            return None
        seen_unit_or_digit = True
        i += 1
    if not seen_unit_or_digit:
        return None
    return total + section + (num if num is not None else Decimal(0))


def multiply(a: Decimal, b: Decimal) -> Decimal:
    """``a × b`` without rounding, however many digits (a scale or a currency's worth)."""
    with _exact(f"{a}{b}"):
        return a * b


def add(a: Decimal, b: Decimal) -> Decimal:
    """``a + b`` without rounding (dollars and cents)."""
    with _exact(f"{a}{b}"):
        return a + b


def format_number(value: Decimal | int | float) -> str:
    """A plain decimal string: no exponent, no thousands separators, no trailing zeros."""
    d = Decimal(str(value)) if not isinstance(value, Decimal) else value
    with _exact(format(d, "f")):
        if d == d.to_integral_value():
            return str(d.quantize(Decimal(1)))
        return format(d.normalize(), "f")


# Quoted titles: a number (a year, an amount) inside one belongs to the name (docs/annotation.md)
OPEN_QUOTES = "'\"‘“「『《<"
CLOSE_QUOTES = "'\"’”」』》>"
QUOTES = "".join(dict.fromkeys(OPEN_QUOTES + CLOSE_QUOTES))  # each sign once: ' and " both open and close
_QUOTE_CLOSE = re.compile(rf"[^{CLOSE_QUOTES}\n]*[{CLOSE_QUOTES}]")
_SENTENCE_ENDS = ("다", "요", "죠", "까", "네")
# '23.6.1, '21년: a shortened year; Women's, McDonald's: an apostrophe inside a Latin word; no quote
_YEAR_APOSTROPHE = re.compile(r"['‘’](?=\d{2}(?:\.|년))|(?<=[A-Za-z])['’](?=[A-Za-z])")
# "… 보태 달라"며, "… 열 계획"이라고: speech, whatever its ending
QUOTATIVE_AFTER = re.compile(r"(?:(?:이?라)?[며고]|면서)(?![가-힣])")


def in_quoted_title(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` stands inside a quoted title (``'설맞이 사랑 나눔'``, ``'한 잔에 백 원'
    캠페인``): a quotation open on its line that closes without ending a sentence. Quoted speech
    (``"… 한가위를 보내셨으면 한다"며``, also ``"… 보태 달라"며`` before a quotative particle) is no title."""
    line = _YEAR_APOSTROPHE.sub("", text[text.rfind("\n", 0, start) + 1 : start])
    if sum(line.count(q) for q in QUOTES) % 2 == 0:
        return False
    m = _QUOTE_CLOSE.match(text, end)
    if m is not None and QUOTATIVE_AFTER.match(text, m.end()):
        return False
    return m is None or not m.group()[:-1].rstrip(" .!?…").endswith(_SENTENCE_ENDS)
