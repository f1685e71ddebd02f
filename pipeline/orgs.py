"""ORG: named organisations with a canonical ``name`` and a ``kind``.

Three sources, in this order of trust:

1. the gazetteer ``data/organizations.tsv`` (canonical name, kind, aliases), matched
   case-insensitively and ignoring spaces (``사회복지 공동모금회``, ``oecd``), longest match first;
   ``data/non_organizations.tsv`` lists products, services and campaigns that contain a company
   name (``카카오톡``, ``네이버 지도``) and block it. A company name glued to a following noun
   (``카카오맵``, ``카카오t블루``) is part of a product name, not an ORG;
2. acronyms defined in the text: a name followed by a Latin acronym (``국제교통포럼 itf``,
   ``세계보건기구(WHO)``) makes the acronym an alias of that name for the rest of the document;
3. morphology: compounds ending in an organisation suffix (``data/org_suffixes.tsv``: …재단,
   …협회, …센터, …대학교 …) and company forms (``(주)``, ``㈜``, ``주식회사``); a unit after a known
   organisation is one nested span (``서울대학교 행복연구센터``).
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from .lexicon import DATA_DIR, read_table
from .spans import doc_text, set_spans, token_index

# Kiwi tags that end a noun phrase: particles, endings, copula, punctuation.
_TAIL_TAGS = ("J", "E", "VCP", "XSV", "XSA", "SF", "SP", "SS", "SE", "SO", "_SP", "VV", "VA", "MAG")
_NOMINAL_TAGS = ("NNP", "NNG", "NNB", "NR", "SL", "SN", "SH", "XPN", "XSN", "SW", "UNK")
_ACRONYM = re.compile(r"[\s(（\[]*(?P<acr>[A-Za-z][A-Za-z&.\-]{1,11})[)）\]]?")
_COMPANY_PREFIX = re.compile(r"(?:\(주\)|㈜|（주）|주식회사)\s*")
_COMPANY_SUFFIX = re.compile(r"\s*(?:\(주\)|㈜|（주）|주식회사)")


@dataclass
class Org:
    start: int
    end: int
    name: str
    kind: str
    source: str = "gazetteer"


def normalise(s: str) -> str:
    """The matching key of a name: lower-case, no spaces or middle dots."""
    return re.sub(r"[\s·ㆍ]+", "", s).lower()


@lru_cache(maxsize=1)
def gazetteer() -> dict[str, tuple[str, str] | None]:
    """Normalised alias → (canonical name, kind); ``None`` marks a blocked (non-ORG) surface."""
    table: dict[str, tuple[str, str] | None] = {}
    for row in read_table("organizations.tsv"):
        entry = (row["name"], row["kind"])
        for alias in [row["name"], *row["aliases"].split("|")]:
            key = normalise(alias)
            if len(key) >= 2:
                table.setdefault(key, entry)
    for row in read_table("non_organizations.tsv"):
        table[normalise(row["surface"])] = None
    return table


@lru_cache(maxsize=1)
def _trie() -> dict:
    root: dict = {}
    for key, entry in gazetteer().items():
        node = root
        for ch in key:
            node = node.setdefault(ch, {})
        node[""] = (key, entry)
    return root


@lru_cache(maxsize=1)
def _suffixes() -> tuple[dict[str, tuple[str, str, int]], list[int]]:
    """Suffix → (kind, needs_proper, min_len), and the suffix lengths, longest first."""
    table = {r["suffix"]: (r["kind"], r["needs_proper"], int(r["min_len"])) for r in read_table("org_suffixes.tsv")}
    return table, sorted({len(s) for s in table}, reverse=True)


@lru_cache(maxsize=1)
def _contexts() -> list[tuple[set[str], re.Pattern | None, re.Pattern | None]]:
    def rx(p: str) -> re.Pattern | None:
        return None if p == "-" else re.compile(p)

    return [(set(r["kinds"].split(",")), rx(r["before"]), rx(r["after"])) for r in read_table("org_contexts.tsv")]


def _not_org_in_context(text: str, start: int, end: int, kind: str) -> bool:
    """A product used as an instrument, a city as a place, a programme named after a company."""
    before, after = text[max(0, start - 20):start], text[end:end + 40]
    for kinds, rx_before, rx_after in _contexts():
        if "*" not in kinds and kind not in kinds:
            continue
        if (rx_before is None or rx_before.search(before)) and (rx_after is None or rx_after.match(after)):
            return True
    return False


@lru_cache(maxsize=1)
def _generic() -> set[str]:
    lines = (DATA_DIR / "generic_org_words.txt").read_text(encoding="utf-8").splitlines()
    return {normalise(ln) for ln in lines if ln.strip() and not ln.startswith("#")}


@dataclass
class _Word:
    """A space-separated word (eojeol) with its nominal head, particles stripped."""

    start: int
    end: int  # end of the nominal part
    word_end: int
    tokens: list  # (start, end, tag) of the nominal part

    @property
    def has_proper(self) -> bool:
        """A proper noun or Latin inside, or a compound of three or more nouns (농림축산검역본부):
        Kiwi tags many unknown names as common nouns."""
        return any(t[2].startswith(("NNP", "SL", "SN")) for t in self.tokens) or len(self.tokens) >= 3


def _words(doc: Doc) -> list[_Word]:
    index = token_index(doc)
    words: list[_Word] = []
    current: list = []

    def flush():
        if not current:
            return
        toks = list(current)
        while toks and toks[-1][2].split("+")[0].startswith(_TAIL_TAGS):
            toks.pop()
        # leading punctuation (quotes, brackets) is not part of the name
        while toks and toks[0][2].startswith(("SS", "SP", "SF", "SO")):
            toks.pop(0)
        if toks:
            words.append(_Word(toks[0][0], toks[-1][1], current[-1][1], toks))
        current.clear()

    for start, end, tag, space, ws in zip(index.start_list, index.end_list, index.tags, index.is_space,
                                          index.whitespace):
        if space:
            flush()
            continue
        if tag.startswith("SS"):  # brackets and quotes separate names: 재단(HNF)은
            flush()
            continue
        current.append((start, end, tag))
        if ws:
            flush()
    flush()
    return words


class _Index:
    """Original text ↔ normalised text (no spaces or middle dots, lower-case) offsets."""

    def __init__(self, text: str):
        lower = text.lower() if len(text.lower()) == len(text) else text
        self.orig_pos = [m.start() for m in _NAME_CHAR.finditer(text)]
        self.norm_chars = [lower[i] for i in self.orig_pos]

    def norm_of(self, orig: int) -> int:
        return bisect_left(self.orig_pos, orig)


_NAME_CHAR = re.compile(r"[^\s·ㆍ]")


@lru_cache(maxsize=1)
def _particles() -> frozenset[str]:
    lines = (DATA_DIR / "particles.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(ln.strip() for ln in lines if ln.strip() and not ln.startswith("#"))


def _ends_name(text: str, end: int, token_ends: set[int], sorted_ends: list[int]) -> bool:
    """A name may end at a token end, or before a particle or title Kiwi glued to it (녹십자|가,
    하나은행|장)."""
    if end in token_ends:
        return True
    i = bisect_right(sorted_ends, end)
    if i >= len(sorted_ends):
        return False
    rest = text[end:sorted_ends[i]]
    return rest in _particles() or _titles().fullmatch(rest) is not None


def _gazetteer_matches(text: str, token_starts: set[int], token_ends: set[int]) -> list[tuple[int, int, tuple | None]]:
    idx = _Index(text)
    trie = _trie()
    sorted_ends = sorted(token_ends)
    out = []
    k = 0
    n = len(idx.norm_chars)
    while k < n:
        start = idx.orig_pos[k]
        best = None
        if start in token_starts and (start == 0 or not text[start - 1].isalnum() or text[start - 1].isspace()):
            node = trie
            j = k
            while j < n and idx.norm_chars[j] in node:
                node = node[idx.norm_chars[j]]
                j += 1
                if "" in node:
                    end = idx.orig_pos[j - 1] + 1
                    if _ends_name(text, end, token_ends, sorted_ends):
                        best = (start, end, node[""][1])
        if best:
            out.append(best)
            k = idx.norm_of(best[1] - 1) + 1
        else:
            k += 1
    return out


@lru_cache(maxsize=1)
def _titles() -> re.Pattern:
    lines = (DATA_DIR / "org_titles.txt").read_text(encoding="utf-8").splitlines()
    words = sorted((ln.strip() for ln in lines if ln.strip() and not ln.startswith("#")), key=len, reverse=True)
    particles = "|".join(sorted(_particles(), key=len, reverse=True))
    return re.compile(rf"(?:{'|'.join(words)})(?:{particles})?(?![가-힣A-Za-z0-9])")


def _glued_to_noun(text: str, end: int, tag_at: dict[int, str]) -> bool:
    """True when a name is directly followed by more name material (카카오맵, 카카오t블루); a
    glued title (하나은행장) leaves the name an ORG."""
    if end >= len(text) or text[end].isspace() or _titles().match(text, end):
        return False
    tag = tag_at.get(end, "")
    first = tag.split("+")[0]
    return first.startswith(("NNP", "NNG", "SL", "SN", "SH", "VA", "VV", "XR", "UNK")) and not first.startswith("NNB")


def find_orgs(doc: Doc) -> tuple[list[Org], list[tuple[int, int]]]:
    """Organisations, and the product/service names (``카카오톡``) that blocked one."""
    text = doc_text(doc)
    index = token_index(doc)
    token_starts, token_ends, tag_at = index.starts, index.ends, index.tag_at
    found: list[Org] = []
    blocked: list[tuple[int, int]] = []
    suppressed: list[tuple[int, int]] = []
    for start, end, entry in _gazetteer_matches(text, token_starts, token_ends):
        if entry is None:
            blocked.append((start, end))
            continue
        if _glued_to_noun(text, end, tag_at):
            blocked.append((start, end))
            continue
        if _not_org_in_context(text, start, end, entry[1]):
            suppressed.append((start, end))  # the suffix rules must not bring it back (삼성전자 서초사옥)
            continue
        found.append(Org(start, end, entry[0], entry[1]))
    # a company name before a product name is part of it: 현대차 아이오닉 5, 삼성 갤럭시
    product_starts = {s for s, _ in blocked}
    found = [o for o in found if not (text[o.end:o.end + 1] == " " and
                                      len(text[o.end:]) - len(text[o.end:].lstrip()) + o.end in product_starts)]

    found += _national_governments(text, found)
    words = _words(doc)
    found = _suffix_orgs(text, words, found, blocked + suppressed)
    found = _company_forms(text, words, found)
    found = _acronyms(text, found, token_starts, token_ends)
    found.sort(key=lambda o: (o.start, -(o.end - o.start)))
    out: list[Org] = []
    for o in found:
        if out and o.start < out[-1].end:
            continue
        out.append(o)
    return out, blocked


@lru_cache(maxsize=1)
def _government_rx() -> tuple[re.Pattern, dict[str, str]]:
    """``일본 정부``, ``미국 행정부``: a named national government (a bare ``정부`` is generic)."""
    canonical = {}
    for row in read_table("countries.tsv"):
        for alias in [row["name"], *filter(None, row["aliases"].split("|"))]:
            canonical[alias] = row["name"]
    names = "|".join(re.escape(a) for a in sorted(canonical, key=len, reverse=True))
    return re.compile(rf"(?<![가-힣A-Za-z])({names})\s*(정부|행정부)(?=$|[^가-힣]|은|는|이|가|와|과|의|에|도|를|을|로)"), canonical


def _national_governments(text: str, found: list[Org]) -> list[Org]:
    rx, canonical = _government_rx()
    taken = [(o.start, o.end) for o in found]
    out = []
    for m in rx.finditer(text):
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        out.append(Org(m.start(), m.end(), f"{canonical[m.group(1)]} {m.group(2)}", "government", "government"))
    return out


def _suffix_kind(key: str, word: _Word, after_org: bool) -> str | None:
    if key in _generic():
        return None
    table, lengths = _suffixes()
    for n in lengths:  # the longest suffix decides (사회적협동조합 before 협동조합)
        if n > len(key) or key[-n:] not in table:
            continue
        kind, needs, min_len = table[key[-n:]]
        if len(key) == n:
            return kind if needs == "parent" and after_org else None
        if needs == "parent" and not after_org:
            return None
        if needs == "yes" and not (word.has_proper or after_org) or len(key) < min_len:
            return None
        return kind
    return None


def _suffix_orgs(text: str, words: list[_Word], found: list[Org], blocked: list) -> list[Org]:
    by_end = {o.end: o for o in found}
    covered = sorted([(o.start, o.end) for o in found] + blocked)
    covered_starts = [s for s, _ in covered]
    out = list(found)
    for i, w in enumerate(words):
        k = bisect_right(covered_starts, w.start) - 1
        if k >= 0 and any(w.end <= e for _, e in covered[max(0, k - 2):k + 1]):
            continue  # inside a gazetteer match or a product name
        surface = text[w.start:w.end]
        key = normalise(surface)
        prev = words[i - 1] if i else None
        parent = None
        if prev is not None and text[prev.word_end:w.start].isspace():
            # a unit right after an organisation: 서울대학교 행복연구센터, … 건축공학과 친환경건축연구실
            parent = by_end.get(prev.word_end)
        kind = _suffix_kind(key, w, parent is not None)
        if kind is None and w.word_end > w.end:
            # Kiwi may read the end of a name as a particle (건축공학|과): try the whole word
            full = text[w.start:w.word_end]
            kind = _suffix_kind(normalise(full), w, parent is not None)
            if kind is not None:
                w = _Word(w.start, w.word_end, w.word_end, w.tokens)
                surface, key = full, normalise(full)
        if kind is None:
            continue
        if _is_company_venue(key):
            continue  # CJ제일제당센터: a company's building, not an organisation
        start, name = w.start, _canonical_unknown(surface)
        if parent is not None:
            out = [o for o in out if o is not parent]
            start, name = parent.start, f"{parent.name} {name}"
        # drop any gazetteer match inside the new compound (카카오 in 카카오임팩트재단)
        out = [o for o in out if not (start <= o.start and o.end <= w.end)]
        org = Org(start, w.end, name, kind, "suffix")
        out.append(org)
        by_end[w.end] = org
    return out


_VENUE_HEADS = {"센터", "타워", "빌딩", "사옥", "홀", "파크", "스퀘어"}


def _is_company_venue(key: str) -> bool:
    for head in _VENUE_HEADS:
        if key.endswith(head):
            entry = gazetteer().get(key[: -len(head)])
            if entry is not None and entry[1] == "company":
                return True
    return False


def _canonical_unknown(surface: str) -> str:
    """The canonical form of a name no gazetteer lists: no spaces, Latin upper-cased (gc녹십자 → GC녹십자)."""
    return re.sub(r"[A-Za-z]+", lambda m: m.group().upper(), re.sub(r"\s+", "", surface))


_AFFILIATE = re.compile(r"(?:계열사|자회사|손자회사|관계사)\s+$")


def _company(start: int, end: int, name: str, source: str, unknown_name: str | None = None) -> Org:
    """A company-form or affiliate ORG: the gazetteer's entry when it knows the name, else a
    company named ``unknown_name`` (default: the name as written)."""
    known = gazetteer().get(normalise(name))
    if known:
        return Org(start, end, known[0], known[1], source)
    return Org(start, end, unknown_name or name, "company", source)


def _company_forms(text: str, words: list[_Word], found: list[Org]) -> list[Org]:
    out = list(found)
    taken = [(o.start, o.end) for o in found]
    for w in words:
        # an affiliate introduced as one: 계열사 교보dts
        if _AFFILIATE.search(text[max(0, w.start - 8):w.start]) and not any(s < w.end and w.start < e for s, e in taken):
            surface = text[w.start:w.end]
            if len(normalise(surface)) >= 2 and w.has_proper:
                out.append(_company(w.start, w.end, surface, "affiliate", _canonical_unknown(surface)))
    for m in _COMPANY_PREFIX.finditer(text):
        w = next((w for w in words if w.start == m.end() or (w.start <= m.start() < w.end and w.end > m.end())), None)
        if w is None:
            continue
        name_start = max(m.end(), w.start)
        if w.end <= name_start:
            continue
        out = [o for o in out if not (m.start() <= o.start < w.end)]
        out.append(_company(m.start(), w.end, text[name_start:w.end], "company_form"))
    for m in _COMPANY_SUFFIX.finditer(text):
        w = next((w for w in words if w.end == m.start() or w.end == m.end()), None)
        if w is None or w.start >= m.start():
            continue
        name = text[w.start:m.start()].strip()
        if not name:
            continue
        out = [o for o in out if not (w.start <= o.start < m.end())]
        out.append(_company(w.start, m.end(), name, "company_form"))
    return out


def _acronyms(text: str, found: list[Org], token_starts: set[int], token_ends: set[int]) -> list[Org]:
    """``국제교통포럼 itf`` / ``세계보건기구(WHO)``: the acronym becomes an alias in this document."""
    aliases: dict[str, Org] = {}
    out = list(found)
    for o in sorted(found, key=lambda o: o.start):
        m = _ACRONYM.match(text, o.end)
        if not m or m.start("acr") not in token_starts:
            continue
        acr = m.group("acr")
        if m.end("acr") not in token_ends or acr.lower() in ("and", "the", "co", "inc", "ltd"):
            continue
        if acr.lower() in aliases:
            continue
        known = gazetteer().get(normalise(acr))
        if known is not None and known[0] != o.name:
            continue
        aliases[acr.lower()] = o
    if not aliases:
        return out
    taken = [(o.start, o.end) for o in out]
    rx = re.compile(r"(?<![A-Za-z])(" + "|".join(re.escape(a) for a in sorted(aliases, key=len, reverse=True)) + r")(?![A-Za-z])", re.I)
    for m in rx.finditer(text):
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        o = aliases[m.group(1).lower()]
        out.append(Org(m.start(), m.end(), o.name, o.kind, "acronym"))
    return out


@Language.factory("csr_orgs")
class OrgRecognizer:
    """spaCy component: ``doc.spans["ORG"]`` with ``_.name`` and ``_.kind``."""

    def __init__(self, nlp: Language, name: str = "csr_orgs"):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        orgs, products = find_orgs(doc)
        doc = set_spans(doc, "ORG", [(o.start, o.end, {"name": o.name, "kind": o.kind}) for o in orgs])
        # products, services and campaigns that contain a company name: not exported, but the
        # event linker reads them (a sentence about an app feature is a `service` event)
        doc = set_spans(doc, "PRODUCT", [(s, e, {}) for s, e in products])
        return doc
