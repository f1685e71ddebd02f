"""ORG: named organisations with a canonical ``name``, a ``kind`` and an ``org_id``.

Sources, in this order of trust:

1. the gazetteer ``data/organizations.tsv`` (canonical name, kind, aliases), matched
   case-insensitively and ignoring spaces (``사회복지 공동모금회``, ``oecd``), longest match first;
   ``data/non_organizations.tsv`` lists products, services and campaigns that contain a company
   name (``카카오톡``, ``네이버 지도``) and block it. A company name glued to a following noun
   (``카카오맵``, ``카카오t블루``) is part of a product name, not an ORG; a listed Latin name of one
   or two letters (``KB``) needs a context (``KB는``, ``SK 임직원``), and so does an alias the list marks
   ``generic``, a word that alone also names a kind of body (``신협``, ``연탄은행``: ``지역 신협 조합원`` is none);
2. morphology: compounds ending in an organisation suffix (``data/org_suffixes.tsv``: …재단,
   …협회, …요양원, …대학교 …) and legal-form marks (``data/company_forms.tsv``: ``(주)``, ``㈜``,
   ``(사)``, ``재단법인`` …); a unit after a known organisation is one nested span
   (``서울대학교 행복연구센터``, ``대한적십자사 경남지사``), and a unit named again later belongs to
   the same organisation; elliptical coordination names each member (``신한·우리·하나금융그룹``);
3. acronyms defined in the text: a name followed by a Latin acronym (``국제교통포럼 itf``,
   ``세계보건기구(WHO)``) makes the acronym an alias of that name for the rest of the document;
4. acting: an unlisted proper noun in an organisation's role (``data/org_roles.tsv``: ``무학은 …
   기부했다``, ``무학 관계자는``), unless ``data/acting_exceptions.tsv`` makes it a person or a
   place; once found, the name is an ORG all through its document;
5. outlets in datelines, bylines and copyright lines (``data/org_bylines.tsv``: ``(서울=뉴스1)``).

Names are then set as of the document's date (``Doc._.published``) from ``data/org_history.tsv``
(a 2018 ``신한생명`` stays 신한생명), and ``org_id`` is the organisation's current name, shared by
all its names. Every ORG carries the name of the rule that found it (``span._.rule``:
``org.gazetteer``, ``org.suffix``, ``org.acting`` …). The tables belong to the ``csr_orgs``
component (:class:`OrgTables`); its config may name another gazetteer file (``gazetteer``) or
switch the list off (``use_gazetteer = false``: only the rules find names).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import accumulate
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from .component import TableComponent, filter_overlaps
from .lexicon import DATA_DIR, read_table
from .settings import SETTINGS
from .spans import LIST_MARKS, TokenIndex, doc_text, set_spans, token_index

# Kiwi tags that end a noun phrase: particles, endings, copula, punctuation.
_TAIL_TAGS = ("J", "E", "VCP", "XSV", "XSA", "SF", "SP", "SS", "SE", "SO", "_SP", "VV", "VA", "MAG")
_ACRONYM = re.compile(r"[\s(（\[]*(?P<acr>[A-Za-z][A-Za-z&.\-]{1,11})(?P<second>\s[A-Za-z]{2,3}(?![A-Za-z]))?[)）\]]?")
_NAME_CHAR = re.compile(r"[^\s·ㆍ]")
# a foreign organisation's own name, the whole bracket after its Korean name: two to six Latin words (with their
# accents), the first capitalised: 헬펜데핸데(Helfende Hände), 노르텍재단(Nordtek Foundation), 한결비나(Hankyul Vina Co., Ltd.)
_OWN_NAME = re.compile(
    r"[(（](?P<acr>[A-Z][A-Za-z\u00C0-\u024F'.,&\-]*(?:\s[A-Za-z\u00C0-\u024F][A-Za-z\u00C0-\u024F'.,&\-]*){1,5})[)）]"
)

FILES = (
    "organizations.tsv",
    "non_organizations.tsv",
    "org_suffixes.tsv",
    "org_contexts.tsv",
    "generic_org_words.tsv",
    "particles.tsv",
    "org_titles.tsv",
    "countries.tsv",
    "org_venues.tsv",
    "company_forms.tsv",
    "affiliate_words.tsv",
    "org_descriptors.tsv",
    "org_non_heads.tsv",
    "acronym_stopwords.tsv",
    "org_history.tsv",
    "org_roles.tsv",
    "acting_exceptions.tsv",
    "org_bylines.tsv",
    "metro_districts.tsv",
    "org_name_tails.tsv",
    "org_closed_words.tsv",
    "org_head_abbreviations.tsv",
)
_SHORT_LATIN = re.compile(r"[A-Za-z]{1,2}")  # KB, SK, LG: an ORG only in a context that makes one
_SIGN_PARTICLES = frozenset("은는이가와과의도을를에")  # one-letter particles Kiwi may read as nouns after a sign
_COORDINATOR = "·ㆍ"  # 신한·우리·하나금융그룹
_SEPARATORS = _COORDINATOR + "=/…"  # signs that end a name inside a word: 사진제공=한빛재단, a headline's 잇따라…수협
_FORM_RULES = ("org.company_form_prefix", "org.company_form_suffix")  # a name marked by its legal form
_PAIR_HYPHEN = re.compile(r"(?<=[가-힣])-(?=[가-힣]{2})")  # 한빛센터-다온병원: two names paired
_REPEATED_RULES = (
    "org.acting",
    "org.described",
    "org.suffix",
    "org.former_name",
)  # a name found so is an ORG all through the document
_ACTING_ONLY = ("role", "acting", "unit")  # org_suffixes.tsv needs_proper values the suffix rule skips
_BRANCH = "-"  # org_suffixes.tsv kind of a unit that takes its organisation's kind (대한적십자사 경남지사)
_LIST_SIGNS = (",", "、")  # between the members of an enumeration (구례군, 지리산사랑나눔회와 함께)
_PAIRING = ("와", "과")  # between two names (교육부와 과학기술정보통신부는)
# a short form defined in brackets after the name: 중소기업진흥공단(이사장 임채운, 이하 중진공)
_SHORT_FORM = re.compile(
    r"\s*[(（](?:[^()（）]{0,40}?[,，]\s*)?이하\s*[:：]?\s*(?P<acr>[가-힣A-Za-z0-9&]{2,12})\s*[)）]"
)
_INSTITUTIONS = ("nonprofit", "public", "academic", "government")  # kinds of heads that name with a word before
_PLACE_NOUNS = ("지역", "일대", "주민", "주민들")  # after a proper noun: the noun names a place (메콩 지역)
_IN_HOUSE = re.compile(r"(?:사내|임직원|직원|교직원)\s*$")  # before a descriptor: the group is a company's own unit
_BRACKETED = re.compile(r"\s*[(（][^()（）]{1,30}[)）]")  # an acronym or head between a name and its role


@dataclass
class Org:
    start: int
    end: int
    name: str
    kind: str
    rule: str = "org.gazetteer"
    org_id: str = ""  # set by find_orgs: the organisation across renames (as_of)


@lru_cache(maxsize=1 << 16)  # the same names again and again, in a document and across them
def normalise(s: str) -> str:
    """The matching key of a name: lower-case, no spaces or middle dots."""
    return _NAME_GAPS.sub("", s).lower()


_NAME_GAPS = re.compile(r"[\s·ㆍ]+")
_NON_SPACE = re.compile(r"\S")


def _next_word(text: str, pos: int) -> int:
    """Where the next word starts at or after ``pos`` (``len(text)`` if none): the offset of
    ``text[pos:].lstrip()`` without copying the rest of the text."""
    m = _NON_SPACE.search(text, pos)
    return m.start() if m else len(text)


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def read_gazetteer(path: Path, non_organizations: Path | None = None) -> dict[str, tuple[str, str] | None]:
    """Normalised alias → (canonical name, kind) from an ``organizations.tsv``; the surfaces of
    ``non_organizations`` map to ``None`` (blocked). An alias of two organisations, or a blocked
    surface that is also an alias, is an error: the table must say which it is."""
    table: dict[str, tuple[str, str] | None] = {}
    for row in read_table(path.name, path.parent):
        entry = (row["name"], row["kind"])
        for alias in [row["name"], *row["aliases"].split("|")]:
            key = normalise(alias)
            if len(key) < 2:
                continue
            if key in table and table[key] != entry:
                raise ValueError(f"{path}: {alias!r} names both {table[key]} and {entry}")
            table[key] = entry
    if non_organizations is not None:
        for row in read_table(non_organizations.name, non_organizations.parent):
            key = normalise(row["surface"])
            if table.get(key) is not None:
                raise ValueError(f"{non_organizations}: {row['surface']!r} is also an alias of {table[key]}")
            table[key] = None
    return table


def _trie(gazetteer: dict[str, tuple[str, str] | None]) -> dict:
    root: dict = {}
    for key, entry in gazetteer.items():
        node = root
        for ch in key:
            node = node.setdefault(ch, {})
        node[""] = (key, entry)
    return root


def _words_of(rows: tuple[dict[str, str], ...], column: str) -> list[str]:
    return [r[column] for r in rows]


def _closed(rows: tuple[dict[str, str], ...], role: str) -> list[str]:
    """The words of ``org_closed_words.tsv`` in one role."""
    return [r["word"] for r in rows if r["role"] == role]


@dataclass(frozen=True)
class OrgTables:
    """The tables of one ``csr_orgs`` component, compiled."""

    gazetteer: dict[str, tuple[str, str] | None]  # normalised alias → (name, kind); None = blocked
    trie: dict
    generic_aliases: frozenset[str]  # organizations.tsv `generic`: aliases that alone also name a kind (신협)
    suffixes: dict[str, tuple[str, str, int]]  # suffix → (kind, needs_proper, min_len)
    apart: dict[str, str]  # suffix → after what it may stand apart (`yes`: a proper name, 정몽구 재단; `any`)
    suffix_lengths: list[int]  # longest first
    contexts: list[tuple[set[str], re.Pattern | None, re.Pattern | None]]
    generic: frozenset[str]
    particles: frozenset[str]  # particles that may follow a name
    kind_determiners: frozenset[str]  # org_closed_words.tsv, by role: 각 지역 인재육성재단
    admin_levels: frozenset[str]  # 읍면동, 시군구: every town or district, no one place
    branch_heads: tuple[str, ...]  # 본부, 지사: the heads of named branches
    temple_orders: frozenset[str]  # 조계종, 사찰: the word before a temple's name
    temple_offices: tuple[str, ...]  # 주지, 신도회: a temple's head or members after its name
    not_temples: tuple[str, ...]  # 봉사, 회사: common nouns in 사 no temple's name ends with
    national_openings: tuple[str, ...]  # 한국, 국민, 대한: how a national body's name opens
    members: re.Pattern  # the members of a group right after its name: '한빛손길' 회원들
    head_abbreviations: dict[str, str]  # a name head's abbreviation → the head written out (신협 → 신용협동조합)
    rx_and: re.Pattern  # a comitative particle of particles.tsv, then a space: 중구청과 옹진군청
    titles: re.Pattern  # a title glued to a name (하나은행장), with its particle
    title_words: tuple[str, ...]  # the titles of org_titles.tsv, longest first
    government: re.Pattern  # 일본 정부, 미국 행정부
    countries: dict[str, str]  # country alias → canonical name
    venues: tuple[str, ...]  # heads that make a company's name a building (…센터, …타워)
    company_prefix: re.Pattern
    company_suffix: re.Pattern
    affiliate: re.Pattern  # 계열사 before an unknown company
    descriptors: re.Pattern  # 제조업체(인) before an unknown name: group `word` is the descriptor
    descriptor_kinds: dict[str, str]  # descriptor → the kind of the name after it
    quoted: re.Pattern  # a descriptor or a written-out form, then a name in quotes: group `word`, group `name`
    non_heads: frozenset[str]  # nouns that end programmes, events, places (한국어교실): no acting name
    acronym_stop: frozenset[str]
    forms: dict[str, str]  # legal-form mark → the kind of an unlisted name it marks
    history: dict[str, tuple[str, str, str]]  # normalised former name → (former, since, successor)
    roles: tuple[tuple[str, bool, re.Pattern], ...]  # (role, needs a proper noun, pattern after an unlisted name)
    surnames: frozenset[str]
    given_ends: frozenset[str]  # last syllables common in given names (박영구): a person despite a suffix
    places: frozenset[str]  # provinces and cities named short (경남): never an acting organisation
    person_titles: re.Pattern  # a title or honorific before or after a person's name
    bylines: tuple[re.Pattern, ...]  # datelines, bylines, credits: group `name` is the outlet
    metro: dict[str, str]  # a special or metropolitan city as written (대구, 대구시, 대구광역시) → its full name
    districts: frozenset[tuple[str, str]]  # (full city name, district) pairs of metro_districts.tsv
    district_cities: dict[str, frozenset[str]]  # a district → every metropolitan city that has one so named
    joined_later: frozenset[str]  # districts that joined their city on a date (군위군): another province's before
    metro_district: re.Pattern  # a city form, then one of the districts: groups `city`, `district`
    name_tails: frozenset[str]  # words apart after a name that belong to it (피스윈즈 재팬)
    missions: re.Pattern  # a foreign country's mission in Korea: 주한 네팔대사관, 주한 튀르키예 대사관
    sources: dict[str, Path]

    @classmethod
    def load(
        cls, data_dir: str | Path | None = None, *, gazetteer: str | None = None, use_gazetteer: bool = True
    ) -> OrgTables:
        """Tables from ``data_dir`` (default ``pipeline/data/``); ``gazetteer`` names another
        organisations file; ``use_gazetteer=False`` lists no organisations at all (products and
        services in ``non_organizations.tsv`` still block)."""
        base = Path(data_dir or DATA_DIR)
        sources = {name: base / name for name in FILES}
        if gazetteer is not None:
            sources["organizations.tsv"] = Path(gazetteer)
        gaz = read_gazetteer(sources["organizations.tsv"], sources["non_organizations.tsv"])
        if not use_gazetteer:
            gaz = {k: v for k, v in gaz.items() if v is None}
        suffixes = {
            normalise(r["suffix"]): (r["kind"], r["needs_proper"], int(r["min_len"]))  # matched as keys are: FC → fc
            for r in read_table("org_suffixes.tsv", base)
        }

        def rx(p: str) -> re.Pattern | None:
            return None if p == "-" else re.compile(p)

        particle_rows = read_table("particles.tsv", base)
        closed = read_table("org_closed_words.tsv", base)
        particles = frozenset(_words_of(particle_rows, "particle"))
        titles = sorted(_words_of(read_table("org_titles.tsv", base), "title"), key=len, reverse=True)
        countries: dict[str, str] = {}
        for row in read_table("countries.tsv", base):
            for alias in [row["name"], *filter(None, row["aliases"].split("|"))]:
                if countries.setdefault(alias, row["name"]) != row["name"]:
                    raise ValueError(f"countries.tsv: {alias!r} names both {countries[alias]} and {row['name']}")
        # a named national government ends before a case particle (일본 정부는, 미국 정부와)
        cases = _alt(r["particle"] for r in particle_rows if "+" not in r["function"])
        form_rows = read_table("company_forms.tsv", base)
        form_kinds = {r["form"]: r["kind"] for r in form_rows}
        forms = _alt(r["form"] for r in form_rows if r["position"] != "after")
        forms_after = _alt(r["form"] for r in form_rows if r["position"] != "before")
        history: dict[str, tuple[str, str, str]] = {}
        for row in read_table("org_history.tsv", base):
            history[normalise(row["former"])] = (row["former"], row["since"], row["current"])
        cues = read_table("acting_exceptions.tsv", base)
        descriptor_kinds = {r["word"]: r["kind"] for r in read_table("org_descriptors.tsv", base)}
        heads = _alt(t for t in titles if len(t) > 1)
        district_rows = read_table("metro_districts.tsv", base)
        metro: dict[str, str] = {}
        for r in district_rows:
            short = re.sub(r"(?:특별시|광역시)$", "", r["city"])
            metro.update({r["city"]: r["city"], f"{short}시": r["city"], short: r["city"]})
        person_titles = _alt(r["word"] for r in cues if r["kind"] == "title")
        return cls(
            gazetteer=gaz,
            trie=_trie(gaz),
            generic_aliases=frozenset(
                normalise(a)
                for r in read_table(sources["organizations.tsv"].name, sources["organizations.tsv"].parent)
                for a in r.get("generic", "").split("|")
                if a
            ),
            suffixes=suffixes,
            apart={
                normalise(r["suffix"]): r["apart"] for r in read_table("org_suffixes.tsv", base) if r["apart"] != "no"
            },
            suffix_lengths=sorted({len(s) for s in suffixes}, reverse=True),
            contexts=[
                (set(r["kinds"].split(",")), rx(r["before"]), rx(r["after"]))
                for r in read_table("org_contexts.tsv", base)
            ],
            generic=frozenset(normalise(w) for w in _words_of(read_table("generic_org_words.tsv", base), "word")),
            particles=particles,
            kind_determiners=frozenset(_closed(closed, "determiner")),
            admin_levels=frozenset(_closed(closed, "admin_level")),
            branch_heads=tuple(_closed(closed, "branch_head")),
            temple_orders=frozenset(_closed(closed, "temple_order")),
            temple_offices=tuple(_closed(closed, "temple_office")),
            not_temples=tuple(_closed(closed, "not_temple")),
            national_openings=tuple(_closed(closed, "national")),
            members=re.compile(rf"\s*(?:{_alt(_closed(closed, 'member'))})(?:들)?(?![가-힣])"),
            head_abbreviations={r["short"]: r["full"] for r in read_table("org_head_abbreviations.tsv", base)},
            rx_and=re.compile(rf"(?:{_alt(r['particle'] for r in particle_rows if r['function'] == 'comitative')})\s+"),
            titles=re.compile(
                rf"(?:{'|'.join(titles)})(?:{'|'.join(sorted(particles, key=len, reverse=True))})?"
                r"(?![가-힣A-Za-z0-9])"
            ),
            government=re.compile(rf"(?<![가-힣A-Za-z])({_alt(countries)})\s*(정부|행정부)(?=$|[^가-힣]|{cases})"),
            title_words=tuple(titles),
            countries=countries,
            venues=tuple(_words_of(read_table("org_venues.tsv", base), "head")),
            company_prefix=re.compile(rf"(?:{forms})\s*"),
            # a form after a name, past spaces; a match starts only where a run of spaces starts, so a
            # long run without a form is read once (linear), not once from each of its characters
            company_suffix=re.compile(rf"(?<!\s)\s*(?:{forms_after})"),
            affiliate=re.compile(rf"(?:{_alt(_words_of(read_table('affiliate_words.tsv', base), 'word'))})\s+$"),
            descriptors=re.compile(rf"(?P<word>{_alt(descriptor_kinds)})(?:인|이자)?\s+$"),
            descriptor_kinds=descriptor_kinds,
            quoted=re.compile(
                rf"(?P<word>{_alt([*descriptor_kinds, *(f for f in form_kinds if f.isalpha())])})(?:인|이자)?\s*"
                r"['‘\"“](?P<name>[가-힣A-Za-z0-9][가-힣A-Za-z0-9&. ]{1,18}[가-힣A-Za-z0-9])['’\"”]"
            ),
            non_heads=frozenset(_words_of(read_table("org_non_heads.tsv", base), "word")),
            acronym_stop=frozenset(w.lower() for w in _words_of(read_table("acronym_stopwords.tsv", base), "word")),
            forms=form_kinds,
            history=history,
            roles=tuple(
                (r["role"], r["proper"] == "yes", re.compile(r["pattern"].replace("{title}", heads)))
                for r in read_table("org_roles.tsv", base)
            ),
            surnames=frozenset(r["word"] for r in cues if r["kind"] == "surname"),
            given_ends=frozenset(r["word"] for r in cues if r["kind"] == "given_end"),
            places=frozenset(r["word"] for r in cues if r["kind"] == "place"),
            person_titles=re.compile(rf"(?:{person_titles})"),
            bylines=tuple(re.compile(r["pattern"]) for r in read_table("org_bylines.tsv", base)),
            metro=metro,
            districts=frozenset((r["city"], r["district"]) for r in district_rows),
            district_cities={
                d: frozenset(r["city"] for r in district_rows if r["district"] == d)
                for d in {r["district"] for r in district_rows}
            },
            joined_later=frozenset(r["district"] for r in district_rows if r["note"].startswith("part of")),
            metro_district=re.compile(
                rf"(?<![가-힣])(?P<city>{_alt(metro)})\s*(?P<district>{_alt({r['district'] for r in district_rows})})청?"
            ),
            name_tails=frozenset(_words_of(read_table("org_name_tails.tsv", base), "word")),
            missions=re.compile(
                rf"(?<![가-힣])(?:{_alt(_closed(closed, 'stationed'))})\s*(?:{_alt(countries)})\s*"
                rf"(?:{_alt(_closed(closed, 'mission'))})"
            ),
            sources=sources,
        )


def _not_org_in_context(t: OrgTables, text: str, start: int, end: int, kind: str) -> bool:
    """A product used as an instrument, a city as a place, a programme named after a company."""
    before = text[max(0, start - SETTINGS.org_context_before) : start]
    after = text[end : end + SETTINGS.org_context_after]
    for kinds, rx_before, rx_after in t.contexts:
        if "*" not in kinds and kind not in kinds:
            continue
        if (rx_before is None or rx_before.search(before)) and (rx_after is None or rx_after.match(after)):
            return True
    return False


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
        return (
            any(t[2].startswith(("NNP", "SL", "SN")) for t in self.tokens)
            or len(self.tokens) >= 3
            or _glued_adnominal(self.tokens)
        )


def _glued_adnominal(tokens: list) -> bool:
    """A verb's or adjective's adnominal glued to the noun after it (세운/VV+ETM 케미칼, 따뜻한/VA+ETM 하루):
    Korean spaces a modifier from its noun, so inside one word of four letters or more it is Kiwi's
    reading of an unknown name, as a glued determiner is (``_glued_determiner``)."""
    if not tokens or not tokens[0][2].startswith(("VV", "VA")):  # 세우/VV ᆫ/ETM, 곱/VA-I 은/ETM, 맑/VA 은/ETM
        return False
    k = 1 if tokens[0][2].endswith("+ETM") else 2 if len(tokens) > 1 and tokens[1][2] == "ETM" else 0
    return (
        0 < k < len(tokens)
        and tokens[k - 1][1] == tokens[k][0]
        and all(tag.startswith("NNG") for _, _, tag in tokens[k:])
        and tokens[-1][1] - tokens[0][0] >= 4
    )


def _words(doc: Doc) -> list[_Word]:
    index = token_index(doc)
    text = doc_text(doc)
    words: list[_Word] = []
    current: list = []

    def flush():
        if not current:
            return
        toks = list(current)
        # a verb made a noun (나눔 = 나누 + ㅁ, 돌봄) ends a name as a noun does: (사)한빛나눔이
        while toks and toks[-1][2].split("+")[0].startswith(_TAIL_TAGS) and not toks[-1][2].endswith("ETN"):
            toks.pop()
        # a subject particle Kiwi reads as a determiner at the end of a name: (주)한빛오토텍이/MM
        if len(toks) > 1 and toks[-1][2] == "MM":
            toks.pop()
        # and a particle it reads as a noun after a sign that closes a Latin name: LGU+/SW 가/NNG
        if len(toks) > 2 and _latin_sign(toks, len(toks) - 2) and text[toks[-1][0] : toks[-1][1]] in _SIGN_PARTICLES:
            toks.pop()
        # leading punctuation (quotes, brackets) and a list item's mark (▲다온터미널㈜) are not part of the name
        while toks and (
            toks[0][2].startswith(("SS", "SP", "SF", "SO")) or set(text[toks[0][0] : toks[0][1]]) <= LIST_MARKS
        ):
            toks.pop(0)
        if toks:
            words.append(_Word(toks[0][0], toks[-1][1], current[-1][1], toks))
        current.clear()

    for start, end, tag, space, ws in zip(
        index.start_list, index.end_list, index.tags, index.is_space, index.whitespace, strict=True
    ):
        if space:
            flush()
            continue
        if tag.startswith("SS") or text[start:end] in _SEPARATORS:
            # brackets and quotes separate names (재단(HNF)은), and so does a middle dot (삼성·LG)
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


def _ends_name(t: OrgTables, text: str, end: int, token_ends: set[int], sorted_ends: list[int]) -> bool:
    """A name may end at a token end, or before a particle or title Kiwi glued to it (녹십자|가,
    하나은행|장), or inside a token before a glued title (수협|회장은, Kiwi's 수협회|장|은)."""
    if end in token_ends or t.titles.match(text, end):
        return True
    i = bisect_right(sorted_ends, end)
    if i >= len(sorted_ends):
        return False
    rest = text[end : sorted_ends[i]]
    return rest in t.particles or t.titles.fullmatch(rest) is not None


def _gazetteer_matches(
    t: OrgTables, text: str, token_starts: set[int], token_ends: set[int]
) -> list[tuple[int, int, tuple | None]]:
    idx = _Index(text)
    trie = t.trie
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
                    if twice := _named_twice(t, text, idx, j, node[""][1], token_ends, sorted_ends):
                        best = (start, twice, node[""][1])
                        break
                    if _ends_name(t, text, end, token_ends, sorted_ends):
                        best = (start, end, node[""][1])
        if best:
            out.append(best)
            k = idx.norm_of(best[1] - 1) + 1
        else:
            k += 1
    return out


def _named_twice(
    t: OrgTables,
    text: str,
    idx: _Index,
    k: int,
    entry: tuple | None,
    token_ends: set[int],
    sorted_ends: list[int],
) -> int | None:
    """Where a second listed name of the same body glued right after the first ends (an acronym before the
    full name: LH한국토지주택공사 is 한국토지주택공사), or None."""
    n = len(idx.norm_chars)
    if entry is None or k >= n or idx.orig_pos[k] != idx.orig_pos[k - 1] + 1:
        return None  # (written apart, the second is the first's gloss: 세계보건기구 WHO)
    node, j, out = t.trie, k, None
    while j < n and idx.norm_chars[j] in node:
        node = node[idx.norm_chars[j]]
        j += 1
        end = idx.orig_pos[j - 1] + 1
        if "" in node and node[""][1] == entry and _ends_name(t, text, end, token_ends, sorted_ends):
            out = end
    return out


def _glued_to_noun(t: OrgTables, text: str, end: int, tag_at: dict[int, str]) -> bool:
    """True when a name is directly followed by more name material (카카오맵, 카카오t블루); a
    glued title (하나은행장) leaves the name an ORG."""
    if end >= len(text) or text[end].isspace() or t.titles.match(text, end) or _particle_follows(t, text, end):
        return False
    tag = tag_at.get(end, "")
    first = tag.split("+")[0]
    return first.startswith(("NNP", "NNG", "SL", "SN", "SH", "VA", "VV", "XR", "UNK")) and not first.startswith("NNB")


def _inside_named_body(t: OrgTables, text: str, words: list[_Word], start: int) -> bool:
    """A listed name opening a word that ends in an organisation's suffix (``하남시푸드뱅크``,
    ``부산광역시사회복지협의회``): part of that body's name, not of a product's."""
    w = next((w for w in words if w.start <= start < w.end), None)
    return w is not None and _suffix_kind(t, normalise(text[w.start : w.end]), w, False) is not None


def _particle_follows(t: OrgTables, text: str, end: int) -> bool:
    """A particle and then no more letters (``LGU+는``, which Kiwi reads as the verb 늘)."""
    return any(text.startswith(p, end) and not text[end + len(p) : end + len(p) + 1].isalnum() for p in t.particles)


def _latin_in_context(t: OrgTables, text: str, end: int, staff: bool = True) -> bool:
    """A short Latin name (``KB``, ``SK``) is an ORG when a particle, a middle dot, a closing bracket
    or one of its staff follows it (``KB는``, ``삼성·LG·SK``, ``SK 임직원``), not before a plain noun
    (``KB 디지털 금융교육``). ``staff=False``: its staff after it do not make it one (a generic alias:
    ``신협 직원들``, the staff of credit unions)."""
    rest = text[end : end + 12]
    if not rest or rest[0] in _COORDINATOR + ")）],.":
        return True
    branch = re.match(r" ([가-힣]+)", text[end : end + 30])  # its named branch after it: KT 강원고객본부(는)
    word = branch.group(1) if branch is not None else ""
    return (
        _particle_follows(t, text, end)
        or (staff and any(role == "staff" and rx.match(rest) for role, _, rx in t.roles))
        or any(_named_branch(t, word[: len(word) - len(p)]) for p in ("", *t.particles) if word.endswith(p))
    )


@dataclass
class Product:
    """A product, service or campaign name that blocked an ORG (``카카오톡``, ``카카오맵``)."""

    start: int
    end: int
    rule: str


def find_orgs(t: OrgTables, doc: Doc) -> tuple[list[Org], list[Product]]:
    """Organisations, and the product/service names (``카카오톡``) that blocked one."""
    text = doc_text(doc)
    index = token_index(doc)
    token_starts, token_ends, tag_at = index.starts, index.ends, index.tag_at
    found: list[Org] = []
    blocked: list[Product] = []
    suppressed: list[tuple[int, int]] = []
    words = _words(doc)
    for start, end, entry in _gazetteer_matches(t, text, token_starts, token_ends):
        if entry is None:
            blocked.append(Product(start, end, "product.non_organization"))
            continue
        if _glued_to_noun(t, text, end, tag_at):
            if not _inside_named_body(t, text, words, start):  # 하남시푸드뱅크: the suffix rule names it
                blocked.append(Product(start, end, "product.glued_to_noun"))
            continue
        if _not_org_in_context(t, text, start, end, entry[1]):
            suppressed.append((start, end))  # the suffix rules must not bring it back (삼성전자 서초사옥)
            continue
        if _SHORT_LATIN.fullmatch(text[start:end]) and not _latin_in_context(t, text, end):
            continue
        found.append(Org(start, end, entry[0], entry[1]))
    # a company name before a product name is part of it: 현대차 아이오닉 5, 삼성 갤럭시
    product_starts = {p.start for p in blocked}
    found = [o for o in found if not (text[o.end : o.end + 1] == " " and _next_word(text, o.end) in product_starts)]

    found = _agencies_of_umbrella(text, found)
    found = _missions(t, text, found)
    found += _national_governments(t, text, found)
    # where Kiwi ends a verb's or adjective's adnominal or reads a determiner (만든|, 각|): a clause or a
    # determiner before a head describes a kind of body, not one named (만든 장학재단, 각 지역 인재육성재단)
    # (not the copula's: 합창단인 치악소리합창단 names what it describes)
    modifier_ends = {
        e
        for k, (b, e, tag) in enumerate(zip(index.start_list, index.end_list, index.tags, strict=True))
        if (tag.endswith("ETM") and not tag.startswith("VCP") and (k == 0 or not index.tags[k - 1].startswith("VCP")))
        or (tag == "MM" and text[b:e] in t.kind_determiners)
    }
    taken = [(p.start, p.end) for p in blocked] + suppressed  # spans no rule may bring back
    found = _suffix_orgs(t, text, words, found, taken, modifier_ends)
    found = _apart_heads(t, text, words, found)
    found = _placed_town_offices(t, text, words, found)
    found = _company_forms(t, text, words, found, index)
    found = _coordinated(t, text, words, found)
    found = _list_class(t, text, found)
    found = _acronyms(t, text, found, token_starts, token_ends)
    before_acting = len(found)
    found = _acting(t, text, index, words, found, taken, modifier_ends)
    if len(found) > before_acting:  # a name found acting defines its short form too: 한국동서발전(이하 동서발전)은
        found = _acronyms(t, text, found, token_starts, token_ends)
    found = _former_names(t, text, words, found)
    found = _repeated(t, text, words, found, taken)
    found = _name_tails(t, text, found)
    found = _heads_named(t, text, found)
    found = _unit_heads(t, text, words, found)
    found = _foreign_agencies(t, text, found)
    found = _country_offices(t, text, words, found)
    found = _branches_after(t, text, words, found)
    found = _glued_branches(t, text, words, found)
    found = _temples(t, text, words, found)
    found = _metro_districts(t, text, index, found)
    found = _city_district_acting(t, text, index, found)
    found = _bylines(t, text, found)
    found = _quoted_titles(t, text, found)
    found = _drop_back_references(t, text, found)
    found = _generic_alone(t, text, index, found)
    found = _tail_references(t, text, found)
    found = _contractions(t, text, found)
    found = [kept for o in found if (kept := _in_one_sentence(t, text, index, o)) is not None]
    found = [o for o in found if not _web_address(text, tag_at, o)]
    # a context that makes any name a place, found by any rule: 한빛공사 다온본부 2층 대강당에서
    found = [o for o in found if o.rule == "org.gazetteer" or not _not_org_in_context(t, text, o.start, o.end, "*")]
    # an amount or a count is no organisation (중소기업 11곳·산단공 경기본부: no elliptical 11곳경기본부)
    amounts = [(s.start_char, s.end_char) for label in ("MONEY", "QUANTITY") for s in doc.spans.get(label, [])]
    found = [o for o in found if not any(s <= o.start and o.end <= e for s, e in amounts)]
    published = getattr(doc._, "published", None)
    return [_as_of(t, o, text, published) for o in filter_overlaps(found)], blocked


# a name glued to a web domain (news1.kr, hanbit.or.kr) or inside an e-mail address or URL Kiwi reads as one
_DOMAIN = re.compile(r"[A-Za-z0-9-]*\.(?:(?:co|or|go|ac|re|ne)\.)?(?:kr|com|net|org|co)(?![A-Za-z0-9])")
_WEB_TAGS = ("W_EMAIL", "W_URL")


def _web_address(text: str, tag_at: dict[int, str], o: Org) -> bool:
    """A part of an e-mail address or a URL (``sjyoon@news1.kr``, ``(news1.kr)``) names no organisation."""
    return tag_at.get(o.start, "") in _WEB_TAGS or bool(_DOMAIN.match(text, o.end))


# the new name of a rename: 국가철도공단으로 이름을 바꾼다, 신한라이프로 사명을 변경한다
_RENAMED_TO = re.compile(
    r"(?:으로|로)\s*(?:이름|사명|명칭|기관명|법인명|간판)(?:을|를)?\s*(?:바꾸|바꾼|바꿨|바꿔|변경|달)"
)


def _as_of(t: OrgTables, o: Org, text: str, published: str | None) -> Org:
    """The name in use at the document's date, and the ``org_id`` shared by all the organisation's
    names: its current name (the end of its chain of renames in ``org_history.tsv``). A former name
    in a document dated before the rename stays (``신한생명`` in 2018), and so does a short form of
    a renamed organisation (``전경련`` in 2019: 전국경제인연합회; ``지경부`` in 2012: 지식경제부, two renames
    back); of two names merged into the current one, the short form takes the one it abbreviates
    (``광해관리공단`` in 2020: 한국광해관리공단, not 한국광물자원공사); the current name written out stays
    itself (``카카오`` in 2012, before 다음카카오 took the name back); without a date the current name. The new
    name a rename announces is that name (``내년부터 국가철도공단으로 이름을 바꾼다`` in 2019). A listed name
    another rule found (``hy(옛 …)``, acting) takes its listed name."""
    history = t.history
    surface = text[o.start : o.end]
    listed = t.gazetteer.get(normalise(surface)) if o.rule != "org.gazetteer" else None
    if listed is not None and o.name == _canonical_unknown(surface):
        o = replace(o, name=listed[0], kind=listed[1])
    parent, _, unit = o.name.rpartition(" ")
    written_parent = surface.rpartition(" ")[0]
    if (
        parent
        and normalise(o.name) not in t.gazetteer
        and (normalise(parent) in history or any(h[2] == parent for h in history.values()))
    ):  # a unit of a renamed organisation takes its parent's name as of the date: 한국감정원 대전충남지사 in 2020,
        # and so does the unit named alone (월악산국립공원사무소 in 2018: 국립공원관리공단's)
        at = _as_of(t, replace(o, end=o.start + len(written_parent), name=parent), text, published)
        return replace(o, name=f"{at.name} {unit}", org_id=o.name)
    current, seen = o.name, set()
    while normalise(current) in history and current not in seen:  # ING생명 → 오렌지라이프 → 신한라이프
        seen.add(current)
        current = history[normalise(current)][2]
    name = current
    day = (published or "")[:10]
    written = normalise(surface)
    if day and written in history:
        name = history[written][0]
        while normalise(name) in history and history[normalise(name)][1] <= day:
            name = history[normalise(name)][2]
    elif day and written != normalise(current) and not _RENAMED_TO.match(text, o.end):
        while True:  # back along the chain to the name in use that day (a unit's parent not written: if one)
            formers = [h[0] for h in history.values() if h[2] == name and day < h[1]]
            if len(formers) > 1:  # two names merged into this one: the one the short form abbreviates
                formers = [f for f in formers if _abbreviates(written, normalise(f))]
            if len(formers) != 1:
                break
            name = formers[0]
    return replace(o, name=name, org_id=current)


def _abbreviates(short: str, full: str) -> bool:
    """``short``'s letters appear in ``full`` in order (중진공 in 중소기업진흥공단, 광해관리공단 in 한국광해관리공단)."""
    rest = iter(full)
    return all(ch in rest for ch in short)


def _coordinated(t: OrgTables, text: str, words: list[_Word], found: list[Org]) -> list[Org]:
    """Elliptical coordination (``신한·우리·하나금융그룹``): each bare name joined by middle dots to an
    organisation's name takes that name's tail (``신한`` → 신한금융그룹); a name that is an
    organisation by itself (``삼성·LG·SK``) stays as it is, unless name + tail is listed
    (``KB·신한·하나금융그룹``: KB금융그룹)."""
    by_start = {o.start: o for o in found}
    out = list(found)
    for i, w in enumerate(words):
        last = by_start.get(w.start)
        if last is None or not i or text[words[i - 1].word_end : w.start] not in _COORDINATOR:
            continue
        members: list[_Word] = []
        j = i - 1
        while (
            j >= 0
            and text[words[j].word_end : words[j + 1].start] in _COORDINATOR
            and words[j].word_end == words[j].end
        ):
            members.insert(0, words[j])
            j -= 1
        surface = text[last.start : last.end]
        for m in members:
            member = text[m.start : m.end]
            own = next((o for o in out if o.start == m.start and o.end == m.end), None)
            name = next(
                (entry for k in range(1, len(surface)) if (entry := t.gazetteer.get(normalise(member + surface[k:])))),
                None,
            )
            before_last = text[members[-1].start : members[-1].end]
            if name is None and own is None and (head_kind := _suffix_kind(t, normalise(member), m, True)):
                name = (_canonical_unknown(member), head_kind)  # a name with its own head: 다온복지관·새솔지역아동센터
            elif name is None and own is None and any(_self_named(t, text[x.start : x.end]) for x in members):
                # a list with a city, county, district or a university named short (진주시·경상국립대·남동발전·
                # 로컬푸드협동조합) lists bodies each named in full, by itself: no head is shared
                kind = "academic" if member.endswith("대") else "government" if _self_named(t, member) else "other"
                if kind != "other" or not re.search(r"[가-힣A-Za-z0-9]\s$", text[max(0, m.start - 2) : m.start]):
                    # a bare member right after another word may be that name's unit: 남동발전 영흥본부·옹진군
                    name = (_canonical_unknown(member), kind)
            elif name is None and own is None and len(surface) > len(before_last) + 1:
                # not listed: the last name's own part is as long as the name before it (우리·하나|금융그룹), but
                # never cuts into its head (해돋이·물빛|지역아동센터)
                head = next(
                    (
                        surface[-n:]
                        for n in t.suffix_lengths
                        if n < len(surface) and normalise(surface[-n:]) in t.suffixes
                    ),
                    "",
                )
                if head and member.endswith(head[-1]):
                    continue  # a member that ends as the head does has a head of its own: 한빛혈액원·한국건설기술연구원
                cut = min(len(before_last), len(surface) - len(head))
                name = (_canonical_unknown(member + surface[cut:]), last.kind)
            if name is None:
                continue
            out = [o for o in out if o is not own]
            out.append(Org(m.start, m.end, name[0], name[1], "org.coordination"))
    return out


def _self_named(t: OrgTables, member: str) -> bool:
    """A member that names a body by itself: a city, county or district (진주시, 영도구), a university
    named short (경상국립대)."""
    key = normalise(member)
    return len(key) >= 3 and key[-1] in "시군구대" and not key.isascii()


# a list of names joined by middle dots, then 등 and the class of its members: KB·신한·하나 등 3대 금융그룹은
_LIST_CLASS = re.compile(
    r"(?<![가-힣A-Za-z0-9])(?P<list>[가-힣A-Za-z0-9]+(?:[·ㆍ][가-힣A-Za-z0-9]+)+)\s*등\s+(?:\d+\s*대\s+)?"
    r"(?P<cls>[가-힣]+?)(?:은|는|이|가|도|의|과|와|에|을|를|에서)?(?=[\s,.]|$)"
)


def _list_class(t: OrgTables, text: str, found: list[Org]) -> list[Org]:
    """A list closed by the class of its members (``KB·신한·하나·우리·NH농협 등 5대 금융그룹``) names each member
    with that class when member + class is listed (KB금융그룹, 신한금융그룹, NH농협금융그룹), at least two of them;
    the class word itself is no organisation."""
    out = list(found)
    for m in _LIST_CLASS.finditer(text):
        cls, base = m.group("cls"), m.start("list")
        members = [(base + p.start(), base + p.end()) for p in re.finditer(r"[^·ㆍ]+", m.group("list"))]
        named = [(s, e, entry) for s, e in members if (entry := t.gazetteer.get(normalise(text[s:e] + cls)))]
        if len(named) < 2:
            continue
        out = [o for o in out if not any(o.start < e and s < o.end for s, e, _ in named)]
        out = [o for o in out if (o.start, o.end) != m.span("cls")]
        out += [Org(s, e, entry[0], entry[1], "org.list_class") for s, e, entry in named]
    return out


def _is_person(t: OrgTables, text: str, start: int, end: int, body: bool = False) -> bool:
    """A name shaped like a person's (김철수), or with a title or honorific beside it (가수 아이유). A
    ``body`` (a word whose suffix names one: 구례군, 조달청) is no person for its shape, unless it ends
    like a given name (박영구)."""
    name = text[start:end]
    if _person_shaped(t, name) and (not body or name[-1] in t.given_ends):
        return True
    before = text[max(0, start - 8) : start].rstrip()
    after = text[end : end + 6].lstrip()
    if re.search(rf"{t.person_titles.pattern}$", before):
        return True
    # a title after a name is the person's, unless the person is named just before or after it
    # (송민호 다온정밀 대표, 다온정밀 대표이사 송민호)
    title = t.person_titles.match(after)
    if not title:
        return False
    person_before = re.search(r"([가-힣]{3})\s+$", text[max(0, start - 5) : start])  # (only when a title follows)
    person_after = _NAME_AFTER_TITLE.match(text, _next_word(text, end) + title.end())  # after the spaces and the title
    named = person_after is not None and _person_shaped(t, person_after.group(1))
    return not ((person_before and _person_shaped(t, person_before.group(1))) or named)


def _person_shaped(t: OrgTables, name: str) -> bool:
    """Three syllables opening with a family name (김철수)."""
    return len(name) == 3 and name[0] in t.surnames and all("가" <= c <= "힣" for c in name)


def _acting_suffix(t: OrgTables, key: str) -> tuple[str, bool, bool]:
    """What the suffix of a word says when the word acts: (its kind or ``""``, whether it stands in for
    a proper noun, whether it is an internal unit). ``여성가족부`` → government, a name however Kiwi tags it;
    ``구례군`` → government if Kiwi reads it as a proper noun; ``사회공헌홍보부`` → a unit, never acting."""
    for n in t.suffix_lengths:  # the longest suffix decides (홍보부 before 부)
        if n >= len(key) or key[-n:] not in t.suffixes:
            continue
        kind, needs, min_len = t.suffixes[key[-n:]]
        if needs == "unit":
            return "", False, True
        if needs == "parent" or len(key) < min_len:
            return "", False, False
        return ("" if kind == _BRANCH else kind), needs not in ("acting", "name"), False
    return "", False, False


def _listed_suffix(t: OrgTables, key: str) -> str:
    """The longest suffix of org_suffixes.tsv that ends ``key`` (a matching key) and is shorter than it, or ``""``."""
    return next((key[-n:] for n in t.suffix_lengths if n < len(key) and key[-n:] in t.suffixes), "")


def _listed_with_peers(t: OrgTables, text: str, words: list[_Word], i: int) -> bool:
    """A body listed with others of its suffix (``은평구, 마포구, 서대문구``): no person however it ends."""
    key = normalise(text[words[i].start : words[i].end])
    suffix = _listed_suffix(t, key)
    if not suffix:
        return False
    for j in (i - 1, i + 1):
        if 0 <= j < len(words):
            a, b = sorted((j, i))
            between = text[words[a].end : words[b].start].strip()
            other = normalise(text[words[j].start : words[j].end])
            if between in _LIST_SIGNS and other.endswith(suffix) and other != suffix:
                return True
    return False


def _nominal(tokens: list) -> bool:
    """Nouns, Latin, numbers, noun suffixes, and verbs made nouns (해맑|음|쉼터: VA + ETN)."""
    for i, (_, _, tag) in enumerate(tokens):
        if tag.startswith(("NN", "SL", "SN", "XSN", "ETN")) or tag.endswith("ETN") or _latin_sign(tokens, i):
            continue
        if tag.startswith(("VA", "VV")) and i + 1 < len(tokens) and tokens[i + 1][2].startswith("ETN"):
            continue
        return False
    return True


def _latin_sign(tokens: list, i: int) -> bool:
    """A sign Kiwi reads apart right after Latin inside a name: the ``+`` of ``LGU+``."""
    return i > 0 and tokens[i][2] == "SW" and tokens[i - 1][2].startswith("SL")


def _list_end(t: OrgTables, text: str, words: list[_Word], i: int) -> int:
    """The index of the last member of the enumeration word ``i`` opens or belongs to (``조달청, 특허청,
    한빛재단 관계자가``: the role after the last member is every member's), ``i`` when it is in none."""
    j = i
    while j + 1 < len(words):
        w = words[j]
        sign = text[w.end : w.word_end].strip()
        nxt = j + 1
        if not sign and w.word_end == w.end and text[words[nxt].start : words[nxt].end] == "및":
            nxt += 1  # 조달청 및 특허청
        elif sign in _PAIRING and not _name_like(t, text, words[nxt]):
            break  # 교육부와 과학기술정보통신부는 …, but not 교육부와 함께
        elif sign not in _LIST_SIGNS + _PAIRING:
            break
        if nxt >= len(words) or (not text[w.word_end : words[nxt].start].isspace() and nxt == j + 1):
            break
        j = nxt
    return j


def _name_like(t: OrgTables, text: str, w: _Word) -> bool:
    """Proper nouns, or a word whose suffix names a body (과학기술정보통신부)."""
    return _acting_suffix(t, normalise(text[w.start : w.end]))[1] or all(
        tag.startswith(("NNP", "SL")) for _, _, tag in w.tokens
    )


def _acting(
    t: OrgTables,
    text: str,
    index: TokenIndex,
    words: list[_Word],
    found: list[Org],
    blocked: list[tuple[int, int]],
    modifier_ends: set[int],
) -> list[Org]:
    """An unlisted proper noun that acts as an organisation (``무학은 … 기부했다``, ``무학 관계자는``,
    ``푸른내일과 협약을 맺었다``, ``굿모닝하우스와 손잡고``): a word of Kiwi proper nouns (or Latin), or a
    word whose suffix stands in for one (``여성가족부``), that ``org_roles.tsv`` finds in an organisation's
    role, right after it, after a bracket (``세계보건기구(WHO)가 주도``) or after the enumeration it
    belongs to (``구례군, 지리산사랑나눔회와 함께``). People, countries and places stay out."""
    taken = sorted([(o.start, o.end) for o in found] + blocked)
    # a word overlaps a taken span when one of the spans that start before its end reaches past
    # its start: bisection over their starts, and the furthest end among the first k of them
    taken_starts = [s for s, _ in taken]
    reach = list(accumulate((e for _, e in taken), max))
    out = list(found)
    people = _people(t, text, words)
    # the roles as one alternation each (one match call instead of one per role; the same answer)
    # for a proper name and for any name; their patterns have no groups of their own to renumber
    grouped = any(rx.groups for _, _, rx in t.roles)
    any_role = {
        proper: re.compile("|".join(f"(?:{rx.pattern})" for _, needs, rx in t.roles if proper or not needs) or "(?!)")
        for proper in (True, False)
    }
    for i, w in enumerate(words):
        k = bisect_left(taken_starts, w.end)
        if (k and reach[k - 1] > w.start) or w.end - w.start < 2:
            continue
        # the role test of the end, with every role, first: most words are in no role at all, and
        # then nothing else about them matters (the tests between only keep words out)
        _, hi = index.sentence_bounds(index.sentence_of(w.start), len(text))
        last = words[_list_end(t, text, words, i)]
        rests = [text[w.end : hi], text[last.end : hi]]
        rests += [r[m.end() :] for r in rests if (m := _BRACKETED.match(r))]
        if not (
            any(rx.match(rest) for rest in rests for _, _, rx in t.roles)
            if grouped
            else any(any_role[True].match(rest) for rest in rests)
        ):
            continue
        surface = text[w.start : w.end]
        key = normalise(surface)
        kind, stands_in, unit = _acting_suffix(t, key)
        if (
            unit
            or not _nominal(w.tokens[1:] if _glued_determiner(w) else w.tokens)
            or surface in t.countries
            or surface in t.places
            or _town_shaped(text, w)
            or key in t.generic
            or key in t.suffixes
            or key in t.acronym_stop
            or (text[w.end : w.end + 1] == "도" and text[w.end - 1 : w.end + 1] in t.non_heads)  # 감축제|도: 제도
            or (not kind and surface in people)
            or (kind == "government" and re.search(r"[a-z]", key) is not None)  # ESG경영처: a department, no ministry
            or _verbal_noun(text, surface)
            or surface in t.name_tails  # 재팬 in 피스윈즈 재팬과: the end of a name, none of its own
            or (i and _described_kind(t, text, words[i - 1], w, modifier_ends))  # 각 지역 인재육성재단에 기탁했다
            or (_is_person(t, text, w.start, w.end, body=bool(kind)) and not _listed_with_peers(t, text, words, i))
        ):
            continue
        kind = kind or "other"
        if _not_org_in_context(t, text, w.start, w.end, _context_kind(kind)):
            continue  # a programme or venue named after it, a city as a place (서울시 성동구와)
        proper = stands_in or _proper_name(t, text, w)
        if (
            any(rx.match(rest) for rest in rests for _, needs_proper, rx in t.roles if proper or not needs_proper)
            if grouped
            else any(any_role[proper].match(rest) for rest in rests)
        ):
            start, name = w.start, _canonical_unknown(surface)
            if i and _unit_suffix(t, key) and _opens_unit(t, text, words[i - 1], w):
                # a branch acts with its organisation before it, named with one space: 굿네이버스 케냐지부는
                start = words[i - 1].start
                name = f"{_canonical_unknown(text[start : words[i - 1].end])} {name}"
            out.append(Org(start, w.end, name, kind, "org.acting"))
    return out


def _verbal_noun(text: str, surface: str) -> bool:
    """A noun the document uses as a verb with 하다 (``전달했다``, ``전달한``): an action, not a name, also where Kiwi
    reads it as one in a headline (``상자 1천 개 전달 임직원 성금``: 전/MM 달)."""
    return (
        re.search(rf"(?<![가-힣A-Za-z0-9]){re.escape(surface)}(?:했|하였|한다|합니다|한\s|하기|해\s)", text) is not None
    )


def _heads_named(t: OrgTables, text: str, found: list[Org]) -> list[Org]:
    """A word found acting right after an organisation's name, one space apart, with one more word and a title
    after it (``한국베링거인겔하임 마르쿠스 헬러 대표는``): the given name of the organisation's head, whose family
    name follows, no organisation of its own; so is a word between an organisation's genitive and a title
    (``사가잉 여성연대의 띤띤아웅 대표는``)."""
    ends = {o.end for o in found}

    def head(o: Org) -> bool:
        if o.rule not in ("org.acting", "org.repeated") or o.kind != "other":
            return False
        if o.start >= 1 and text[o.start - 1] == " " and o.start - 1 in ends:
            return any(role == "owner" and rx.match(text, o.end) for role, _, rx in t.roles)
        # after the organisation's genitive, with the title right after it: 사가잉 여성연대의 띤띤아웅 대표는
        return (
            o.start >= 2
            and text[o.start - 2 : o.start] == "의 "
            and o.start - 2 in ends
            and any(role == "titled" and rx.match(text, o.end) for role, _, rx in t.roles)
        )

    return [o for o in found if not head(o)]


def _opens_unit(t: OrgTables, text: str, prev: _Word, w: _Word) -> bool:
    """``prev`` is a proper name right before a unit (지부, 지사, 사무소) that acts: the unit's organisation."""
    return (
        prev.end == prev.word_end
        and text[prev.end : w.start] == " "
        and all(tag.startswith(("NNP", "SL")) for _, _, tag in prev.tokens)
        and not _is_place(t, text[prev.start : prev.end])
    )


def _town_shaped(text: str, w: _Word) -> bool:
    """A neighbourhood, town or township (가좌동, 송산면, 만촌3동): a place, never an acting organisation;
    its office is one (가좌동 행정복지센터). Kiwi reads it as one proper noun ending in 읍, 면 or 동, or ends
    it with 동, 읍 or 면 as a noun of its own (가좌|동); 새마을운동 ends in the noun 운동."""
    s, e, tag = w.tokens[-1]
    if len(w.tokens) == 1:
        return tag.startswith("NNP") and bool(_TOWN.fullmatch(text[s:e]))
    return text[s:e] in ("동", "읍", "면") and all(t[2].startswith(("NN", "SN")) for t in w.tokens)


# the rest of a title word, then a three-syllable name with at most a particle: 대표이사 김민수는
_NAME_AFTER_TITLE = re.compile(r"[가-힣]*\s+([가-힣]{3})(?=$|[^가-힣]|(?:은|는|이|가|의|와|과)(?![가-힣]))")
_HONORIFIC = re.compile(r"\s*(?:씨|님)(?:은|는|이|가|의|도|와|과|에게|께서)?(?![가-힣])")


def _people(t: OrgTables, text: str, words: list[_Word]) -> set[str]:
    """Names the document calls a person somewhere: after a title or profession (``가수 한별``) or
    before an honorific (``한별 씨``); such a name acts as no organisation anywhere in it."""
    out = set()
    title_before = re.compile(rf"(?:^|[^가-힣])(?:{t.person_titles.pattern})$")  # once, not for every word
    for w in words:
        before = text[max(0, w.start - 8) : w.start].rstrip()
        if title_before.search(before) or _HONORIFIC.match(text, w.word_end):
            out.add(text[w.start : w.end])
    return out


def _glued_determiner(w: _Word) -> bool:
    """A determiner glued to the nouns after it (한/MM 빛마루, 새/MM 솔): Korean spaces a determiner from
    its noun, so inside one word it is Kiwi's reading of an unknown name."""
    return len(w.tokens) >= 2 and w.tokens[0][2].startswith("MM") and w.tokens[0][1] == w.tokens[1][0]


def _proper_name(t: OrgTables, text: str, w: _Word) -> bool:
    """Kiwi's proper nouns (or Latin) all through, or a proper noun that opens a compound of common
    nouns (한빛나눔회, 다온키즈: Kiwi splits unknown names so), unless the proper noun is a place or a
    country (서울시민, 부산지역)."""
    tags = [tag for _, _, tag in w.tokens]
    if all(tag.startswith(("NNP", "SL")) or _latin_sign(w.tokens, i) for i, tag in enumerate(tags)):
        # unless it ends in a noun of three letters or more that names a place or programme (화랑유원지)
        surface = text[w.start : w.end]
        return not any(len(h) >= 3 and len(surface) > len(h) + 1 and surface.endswith(h) for h in t.non_heads)
    if _glued_determiner(w):
        return all(tag.startswith(("NNP", "NNG")) for tag in tags[1:])
    if _glued_adnominal(w.tokens):
        return text[w.tokens[-1][0] : w.tokens[-1][1]] not in t.non_heads
    first = text[w.tokens[0][0] : w.tokens[0][1]]
    last = text[w.tokens[-1][0] : w.tokens[-1][1]]
    return (
        tags[0].startswith("NNP")
        and last not in t.non_heads
        and all(tag.startswith(("NNP", "NNG")) for tag in tags[1:])
        and first not in t.places
        and first not in t.countries
        and not _listed_government(t, normalise(first))
    )


def _repeated(
    t: OrgTables, text: str, words: list[_Word], found: list[Org], blocked: list[tuple[int, int]]
) -> list[Org]:
    """A name found acting once, by its head (``늘봄봉사단``, where Kiwi reads it as one common noun elsewhere), or
    described as an organisation (``봉사단체 늘봄봉사단``), is an organisation
    everywhere in the document (``포스코는 …`` after ``포스코는 … 기부했다``), as an acronym defined once is; so is a name a legal form introduced
    (``두레카페는 …`` after ``사회적협동조합 두레카페``), when it is no place and three letters or more."""
    acting = {text[o.start : o.end]: o for o in found if o.rule in _REPEATED_RULES}
    for marked in found:
        name = marked.name
        if marked.rule in _FORM_RULES and len(name) >= 3 and name not in t.places and name not in t.countries:
            acting.setdefault(name, marked)
    if not acting:
        return found
    taken = [(o.start, o.end) for o in found] + blocked
    out = list(found)
    for w in words:
        o = acting.get(text[w.start : w.end])
        if o is None or any(s < w.end and w.start < e for s, e in taken):
            continue
        if not _not_org_in_context(t, text, w.start, w.end, _context_kind(o.kind)):  # 포스코 청년 AI 아카데미
            out.append(replace(o, start=w.start, end=w.end, rule="org.repeated"))
            taken.append((w.start, w.end))
    # a name Kiwi splits into other words where it recurs (햇살찬누리는: 햇살/NNG 차/VA ᆫ/ETM 누리/VV 는/ETM)
    word_spans = {(w.start, w.end) for w in words}
    names = re.compile("|".join(re.escape(n) for n in sorted(acting, key=len, reverse=True)))
    for m in names.finditer(text):
        start, end = m.span()
        if (start, end) in word_spans or (start and text[start - 1].isalnum()) or not _ends_word(t, text, end):
            continue  # the word loop took it, or it is inside a longer word
        o = acting[m.group()]
        overlaps = any(s < end and start < e for s, e in taken)
        if overlaps or _not_org_in_context(t, text, start, end, _context_kind(o.kind)):
            continue
        out.append(replace(o, start=start, end=end, rule="org.repeated"))
        taken.append((start, end))
    return out


# a former name in brackets right after the current one: hy(옛 한국야쿠르트), 다온뱅크(옛 다온저축은행)
_FORMER = re.compile(r"[(（]\s*옛\s*(?P<name>[^()（）\s](?:[^()（）]{0,28}[^()（）\s])?)\s*[)）]")


def _former_names(t: OrgTables, text: str, words: list[_Word], found: list[Org]) -> list[Org]:
    """A name and its former name in brackets (``솔빛(옛 한솔빛산업)``) name one organisation: when one of
    the two is found, the other is an organisation of its kind, and both take the name before the bracket,
    the one in use at the document's date (a place renamed, ``다온동(옛 새말)``, has neither found; a word
    that is a place, a country or generic stays out)."""
    spans = {(o.start, o.end): o for o in found}
    out = list(found)
    renamed: dict[int, str] = {}  # id of a found former name → the name before its bracket
    for w in words:
        m = _FORMER.match(text, w.word_end)
        if not m or w.word_end != w.end:
            continue  # the bracket glued right after the name: 솔빛(옛 …), not 솔빛은 (옛 …)
        inner_start, inner_end = m.span("name")
        outer, inner = spans.get((w.start, w.end)), spans.get((inner_start, inner_end))
        known = outer or inner
        if outer and inner and inner.rule != "org.gazetteer":
            renamed[id(inner)] = outer.name  # both found: the bracket's name is the one before it
        if known is None or (outer and inner):
            continue
        start, end = (inner_start, inner_end) if inner is None else (w.start, w.end)
        surface = text[start:end]
        key = normalise(surface)
        if surface in t.places or surface in t.countries or key in t.generic or key in t.suffixes:
            continue
        if any(s < end and start < e for s, e in spans):
            continue
        if inner is None:  # the former name takes the name in use
            out.append(Org(start, end, known.name, known.kind, "org.former_name"))
        else:
            name = _canonical_unknown(surface)
            out.append(Org(start, end, name, known.kind, "org.former_name"))
            if inner.rule != "org.gazetteer":  # a listed former name is named as of the date by the history
                renamed[id(inner)] = name
    return [replace(o, name=renamed[id(o)]) if id(o) in renamed else o for o in out]


# a title in single quotes or corner brackets (speech is in double quotes): '2021 다온 나눔 성금', 「다온 희망 캠페인」
_QUOTED_TITLE = re.compile(r"['‘「『](?P<title>[^'‘’「」『』\"“”\n]{3,40})['’」』]")


def _quoted_titles(t: OrgTables, text: str, found: list[Org]) -> list[Org]:
    """A name inside a quoted title of a campaign, fund drive, programme or event (its last noun in
    org_non_heads.tsv: ``'2021 적십자 희망나눔 성금'``, ``「다온재단 나눔 캠페인」``) is part of that title, no ORG;
    a name that is the whole quote stays."""
    out = list(found)
    for m in _QUOTED_TITLE.finditer(text):
        title = m.group("title").rstrip()
        words = title.split()
        if not words or not any(words[-1].endswith(h) for h in t.non_heads):  # '   ': no title
            continue
        start, end = m.start("title"), m.start("title") + len(title)
        out = [o for o in out if not (start <= o.start and o.end <= end and (o.start, o.end) != (start, end))]
    return out


def _drop_back_references(t: OrgTables, text: str, found: list[Org]) -> list[Org]:
    """A bare head word that is also a listed name (``연탄은행``, ``푸드뱅크``) refers back to a longer name of
    another organisation it ends in the same document (``(사)한빛연탄은행 … 연탄은행에 따르면``): a
    back-reference, no ORG of its own. A short form of the longer name itself stays (``사회복지공동모금회 …
    공동모금회``)."""
    keys = [normalise(text[o.start : o.end]) for o in found]
    back = {
        (key, o.name)
        for o, key in zip(found, keys, strict=True)
        if key in t.suffixes
        and any(k != key and k.endswith(key) and other.name != o.name for other, k in zip(found, keys, strict=True))
        # the organisation it names is written out too: 대한적십자사 … 적십자사를 거쳐 일본적십자사에
        and not any(k != key and other.name == o.name for other, k in zip(found, keys, strict=True))
    }
    return [o for o, key in zip(found, keys, strict=True) if (key, o.name) not in back]


_CLOSING_QUOTES = "'’\"”"  # closing a name quoted before its particle: '적십자'에
_KIND_MODIFIERS = ("NNG", "NNP", "MM", "ETM")  # Kiwi's tags of a word that makes the noun after it a kind


def _generic_alone(t: OrgTables, text: str, index: TokenIndex, found: list[Org]) -> list[Org]:
    """A listed alias that alone is also the common noun for a kind of body (``organizations.tsv``'s
    ``generic``: ``신협`` any credit union, ``연탄은행`` any briquette bank, ``적십자`` the Red Cross at large)
    names its organisation only where nothing makes it the kind: not when the document names another body
    ending in it (``새빛신협 … "신협이 해마다``: that body, or its kind), not before a noun or the staff
    (``적십자 특별회비``, ``신협 직원들과``, ``옛 농협 창고``; its named branch stays: ``적십자 경북지사``), not
    after a noun, a determiner or a clause that describes it (``춘천 지역 연탄은행에``, ``4개 시·군 연탄은행에``,
    ``…가 운영하는 연탄은행을``). Listed with others and acting, it stays (``서울시, 연탄은행과 함께``), and so
    does it with its head's title glued (``박민수 수협회장은``)."""
    keys = [normalise(text[o.start : o.end]) for o in found]
    tag_before = dict(zip(index.end_list, index.tags, strict=True))
    out = []
    for o, key in zip(found, keys, strict=True):
        if key in t.generic_aliases and not t.titles.match(text, o.end):  # its head's title: 수협회장
            before = text[: o.start].rstrip()
            gap = text[len(before) : o.start]  # a line break before it: the word before is another line's (a headline)
            tag = tag_before.get(len(before), "").split("+")[-1] if gap and "\n" not in gap else ""
            if (
                any(k != key and k.endswith(key) and other.name != o.name for other, k in zip(found, keys, strict=True))
                or not _latin_in_context(
                    t, text, o.end + (text[o.end : o.end + 1] in tuple(_CLOSING_QUOTES)), staff=False
                )
                or tag.startswith(_KIND_MODIFIERS)
            ):
                continue
        out.append(o)
    return out


def _tail_references(t: OrgTables, text: str, found: list[Org]) -> list[Org]:
    """A name no list holds, found acting or repeated, that is the end of a longer name of the same document
    written as one word (``한국감정원`` … ``감정원이``, ``(사)푸른숨환우회`` … ``환우회는``): the organisation named
    short, a back-reference, no ORG of its own. A short form that leaves out the city or county the name opens
    with (``영천별빛로타리클럽`` … ``별빛로타리클럽``) is one (``_contractions``), and so is a unit named apart after
    its organisation (``서울대학교 행복연구센터`` … ``행복연구센터``), and one without the country it opens with
    (``한국가스공사`` … ``가스공사``, ``한국월드비전`` … ``월드비전``)."""
    surfaces = [text[o.start : o.end] for o in found]
    out = []
    for o, surface in zip(found, surfaces, strict=True):
        if o.rule in ("org.acting", "org.repeated") and len(surface) >= 2:
            key = normalise(surface)
            if any(
                len(longer) > len(surface)
                and longer.endswith(surface)
                and "가" <= longer[-len(surface) - 1] <= "힣"
                and not _shortens(t, key, normalise(longer))
                and longer[: -len(surface)].split(")")[-1].strip() not in t.countries
                for longer in surfaces
            ):
                continue
        out.append(o)
    return out


def _name_tails(t: OrgTables, text: str, found: list[Org]) -> list[Org]:
    """A country in its Korean transliteration, or 인터내셔널, written apart after a name (``org_name_tails.tsv``:
    ``피스윈즈 재팬``, ``한빛 코리아``) is the end of the name: one span, named with the space (the listed name when the
    gazetteer holds the whole). A bare tail word a rule took for a name of its own (``재팬과``) is none."""
    out: list[Org] = []
    tails: list[tuple[int, int]] = []
    for o in sorted(found, key=lambda o: (o.start, -o.end)):
        if text[o.end : o.end + 1] != " " or any(s <= o.start < e for s, e in tails):
            out.append(o)
            continue
        tail = next(
            (x for x in t.name_tails if text.startswith(x, o.end + 1) and _ends_word(t, text, o.end + 1 + len(x))),
            None,
        )
        if tail is None or text[o.start : o.end] in t.countries:
            out.append(o)
            continue
        end = o.end + 1 + len(tail)
        known = t.gazetteer.get(normalise(text[o.start : end]))
        name, kind = known if known else (f"{o.name} {tail}", o.kind)
        out.append(Org(o.start, end, name, kind, "org.name_tail"))
        tails.append((o.start, end))
    return [
        o
        for o in out
        if not any(s <= o.start and o.end <= e and (o.start, o.end) != (s, e) for s, e in tails)
        and not (text[o.start : o.end] in t.name_tails and o.rule != "org.gazetteer")
    ]


def _shortens(t: OrgTables, short: str, full: str) -> bool:
    """``short`` is a short form of ``full`` (both matching keys): ``full`` without the city or county it
    opens with (영천별빛로타리클럽 → 별빛로타리클럽), or its first word and its head with the middle left out
    (신협사회공헌재단 → 신협재단)."""
    if len(full) <= len(short) + 1:
        return False
    if full.endswith(short):
        place = full[: -len(short)]
        return _listed_government(t, place) or _city_named_short(t, place)
    head = next((short[-n:] for n in range(len(short) - 2, 1, -1) if short[-n:] in t.suffixes), None)
    return head is not None and full.endswith(head) and full.startswith(short[: -len(head)])


def _contractions(t: OrgTables, text: str, found: list[Org]) -> list[Org]:
    """A name no list holds that shortens one longer name of the same document (``신협사회공헌재단`` …
    ``신협재단``, ``별빛로타리클럽`` in the headline before ``영천별빛로타리클럽``) is that organisation: it takes its
    name, when the full name came first or the short one is in the headline (a headline abbreviates). A short
    form is also the full name's tail (``창원 LG 세이커스`` … ``세이커스``, ``한국남동발전 영흥발전본부`` …
    ``영흥발전본부``, ``(사)한마음편의점점주협의회`` … ``점주협의회``), or it with a known abbreviation
    (``새빛신협`` for ``새빛신용협동조합``); only when exactly one earlier name of the document fits."""
    keys = [normalise(text[o.start : o.end]) for o in found]
    out = list(found)
    # the first line (to a line break, or two spaces where a scraper joined the lines) is a headline when it has
    # no sentence ending (… 장학금 전달, not … 벼를 벴다.)
    cut = min((i for i in (text.find("\n"), text.find("  ")) if i > 0), default=0)
    titled = cut if not _closes_sentence(text[:cut]) else 0
    titled = _sub_headline(text, titled)
    # in text order, each against the names resolved so far: a headline's unit named by its parent further on
    # (``한빛원자력본부`` … ``한국수력원자력 한빛원자력본부``) lends that name to a short form after it
    for i in sorted(range(len(found)), key=lambda i: found[i].start):
        o, key = found[i], keys[i]
        if key in t.gazetteer or o.kind == "government" or o.rule == "org.acronym":
            continue  # a short form the text defines (이하 한빛본부) keeps its definition
        headline = o.start < titled
        fits = sorted(
            (other.start, other.name, other.kind)
            for other, k in zip(out, keys, strict=True)
            if (headline or other.start < o.start)
            and (_shortens(t, key, k) or _shortens(t, key, normalise(other.name)) or _tail_of(t, key, k, other))
        )
        longer = {name: kind for _, name, kind in reversed(fits)}  # one name, the kind where first written
        if len(longer) == 1:
            name, kind = longer.popitem()
            out[i] = replace(o, name=name, kind=kind)
    return out


def _bylines(t: OrgTables, text: str, found: list[Org]) -> list[Org]:
    """Outlets in datelines, bylines, credits and copyright lines (``(서울=뉴스1)``, ``ⓒ 서울경제``). A
    name another rule found there (a listed 연합뉴스, a 여성일보 ending in 일보) becomes ``org.byline``."""
    taken = [(o.start, o.end) for o in found]
    out = list(found)
    for rx in t.bylines:
        for m in rx.finditer(text):
            start, end = m.span("name")
            same = [i for i, o in enumerate(out) if (o.start, o.end) == (start, end)]
            for i in same:
                out[i] = replace(out[i], rule="org.byline")
            if same or any(s < end and start < e for s, e in taken):
                continue
            known = t.gazetteer.get(normalise(m.group("name")))
            name, kind = known if known else (_canonical_unknown(m.group("name")), "company")
            out.append(Org(start, end, name, kind, "org.byline"))
            taken.append((start, end))
    return out


def _in_one_sentence(t: OrgTables, text: str, index: TokenIndex, o: Org) -> Org | None:
    """A span never crosses a sentence boundary. Kiwi may end a sentence after a company form
    (``기부했다. (주)|한빛테크``, ``전달했습니다 (주)|LG``): a name that does is cut to the sentence
    of its last character, and dropped when only a company form is left there."""
    if index.same_sentence(o.start, o.end):
        return o
    lo, _ = index.sentence_bounds(index.sentence_of(o.end - 1), len(text))
    start = max(lo, o.start)
    while start < o.end and text[start].isspace():
        start += 1
    if start >= o.end or t.company_suffix.fullmatch(text[start : o.end]):
        return None
    return replace(o, start=start)


_UMBRELLA = frozenset({"국제연합"})  # a body named before its agency: 유엔 unicef is 유니세프


def _agencies_of_umbrella(text: str, found: list[Org]) -> list[Org]:
    """``유엔 unicef``, ``UN 유니세프``: one span, the agency's name (docs/annotation.md, ORG › Spans)."""
    found = sorted(found, key=lambda o: o.start)
    out: list[Org] = []
    for o in found:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.name in _UMBRELLA
            and o.kind == "international"
            and text[prev.end : o.start].isspace()
        ):
            out[-1] = replace(o, start=prev.start)
            continue
        out.append(o)
    return out


def _foreign_agencies(t: OrgTables, text: str, found: list[Org]) -> list[Org]:
    """A foreign country's agency no list holds, named after the country (``몽골 국가비상관리청``, ``일본
    방재청``): one span and one name with the country, as ``일본 정부`` is; a Korean agency is named alone."""
    out = []
    for o in found:
        m = _COUNTRY_BEFORE.search(text, max(0, o.start - 12), o.start)
        country = t.countries.get(m.group(1)) if m else None
        if m is not None and country and country != "대한민국" and o.kind == "government" and o.rule == "org.suffix":
            o = replace(o, start=m.start(1), name=f"{m.group(1)} {o.name}")
        out.append(o)
    return out


_COUNTRY_BEFORE = re.compile(r"(?<![가-힣A-Za-z])([가-힣]{2,8}) $")


def _missions(t: OrgTables, text: str, found: list[Org]) -> list[Org]:
    """A country's mission in Korea is one name with ``주한`` however it is spaced (``주한 네팔대사관``, ``주한 튀르키예
    대사관`` → 주한네팔대사관, 주한튀르키예대사관); the spans inside it give way."""
    missions = [
        Org(m.start(), m.end(), _canonical_unknown(m.group()), "government", "org.mission")
        for m in t.missions.finditer(text)
    ]
    return [o for o in found if not any(m.start < o.end and o.start < m.end for m in missions)] + missions


def _national_governments(t: OrgTables, text: str, found: list[Org]) -> list[Org]:
    """``일본 정부``, ``미국 행정부``: a named national government (a bare ``정부`` is generic)."""
    taken = [(o.start, o.end) for o in found]
    out = []
    for m in t.government.finditer(text):
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        out.append(
            Org(m.start(), m.end(), f"{t.countries[m.group(1)]} {m.group(2)}", "government", "org.national_government")
        )
    return out


def _suffix_kind(t: OrgTables, key: str, word: _Word, after_org: bool, generic_ok: bool = False) -> str | None:
    table, lengths = t.suffixes, t.suffix_lengths
    if key in t.generic and not generic_ok and not (after_org and key in table and table[key][1] == "parent"):
        return None  # (a generic unit right after its organisation is that organisation's: 계명대학교 사회봉사단)
    for n in lengths:  # the longest suffix decides (사회적협동조합 before 협동조합)
        if n > len(key) or key[-n:] not in table:
            continue
        kind, needs, min_len = table[key[-n:]]
        if needs in _ACTING_ONLY:
            return None  # only when the word acts (_acting_suffix), or never (an internal unit)
        if len(key) == n:
            return kind if needs == "parent" and after_org and len(key) >= min_len else None
        if needs == "parent" and not after_org:
            return None
        if needs == "name" and not any(tag.startswith(("NNP", "SL")) for _, _, tag in word.tokens):
            return None
        if (needs == "yes" and not (_has_proper(t, key, word) or after_org)) or len(key) < min_len:
            return None
        return kind
    return None


def _named(t: OrgTables, text: str, w: _Word) -> bool:
    """A Kiwi proper noun inside, a Latin word that is no acronym stopword (not ESG, CSR), or an adnominal
    glued inside the word (맑은강지킴이)."""
    return _glued_adnominal(w.tokens) or any(
        tag.startswith("NNP") or (tag.startswith("SL") and text[s:e].lower() not in t.acronym_stop)
        for s, e, tag in w.tokens
    )


def _has_proper(t: OrgTables, key: str, word: _Word) -> bool:
    """A proper noun inside, other than a Latin word that names no organisation (ESG위원회)."""
    latin = re.findall(r"[a-z]+", key)
    if latin and all(w in t.acronym_stop for w in latin) and not any(x[2].startswith("NNP") for x in word.tokens):
        return len(word.tokens) >= 3
    return word.has_proper or _place_opened(t, key)


def _place_opened(t: OrgTables, key: str) -> bool:
    """A compound opening with a listed place or city (안동시자원봉사센터, 포항나눔의집, Kiwi's one common noun): the
    place's own institution, named (as ``전라북도 자원봉사센터`` written apart)."""
    return any(key[:n] in t.places or _listed_government(t, key[:n]) for n in range(2, min(6, len(key) - 3)))


def _suffix_orgs(
    t: OrgTables,
    text: str,
    words: list[_Word],
    found: list[Org],
    blocked: list,
    modifier_ends: set[int],
) -> list[Org]:
    by_end = {o.end: o for o in found}
    units: dict[str, Org] = {}  # unit suffix (지사) → the organisation the last such unit belonged to
    covered = sorted([(o.start, o.end) for o in found] + blocked)
    covered_starts = [s for s, _ in covered]
    out = list(found)
    for i, w in enumerate(words):
        k = bisect_right(covered_starts, w.start) - 1
        if k >= 0 and any(w.end <= e for _, e in covered[max(0, k - 2) : k + 1]):
            continue  # inside a gazetteer match or a product name
        surface = text[w.start : w.end]
        key = normalise(surface)
        if w.tokens[-1][2].startswith("NNP") and w.tokens[-1][1] == w.end and not _suffix_kind(t, key, w, True, True):
            # a particle Kiwi glued inside an unknown proper noun (여성새로일하기센터가/NNP): the name ends before it
            for p in sorted((p for p in t.particles if key.endswith(p) and len(p) < len(key)), key=len, reverse=True):
                if _suffix_kind(t, key[: -len(p)], w, True, True) is not None:
                    w = _Word(w.start, w.end - len(p), w.word_end, w.tokens)
                    surface, key = text[w.start : w.end], key[: -len(p)]
                    break
        prev = words[i - 1] if i else None
        if t.company_prefix.match(text, w.start):  # a legal-form mark opens a name of its own (an address before it)
            prev = None  # 유성구 (사)온누리지역아동센터
        parent = None
        if prev is not None and text[prev.word_end : w.start].isspace():
            # a unit right after an organisation: 서울대학교 행복연구센터, … 건축공학과 친환경건축연구실
            parent = by_end.get(prev.word_end)
        if (
            parent is None
            and prev is not None
            and (_named_branch(t, key) or _glued_title(t, key, lambda k: _named_branch(t, k)))
            and _branch_owner(t, text, prev, w)
        ):
            # a named branch after an unlisted proper noun of one word is that organisation's: 현대상선 부산지사
            parent = Org(prev.start, prev.end, _canonical_unknown(text[prev.start : prev.end]), "other", "org.suffix")
        if (
            prev is not None
            and text[prev.word_end : w.start] == " "
            and (
                title := _glued_title(
                    t,
                    key,
                    lambda k: bool(
                        _regional_unit(t, k) or _unit_suffix(t, k) or (parent is not None and _named_branch(t, k))  # noqa: B023
                    ),
                )
            )
        ):  # a head's title glued to a branch after its organisation: 도로공사 충북본부장은, 한국동서발전 당진발전본부장
            w = _Word(w.start, w.end - len(title), w.end - len(title), w.tokens)
            surface, key = text[w.start : w.end], key[: -len(title)]
        kind = _suffix_kind(t, key, w, parent is not None)
        if kind is None and parent is not None and (_regional_unit(t, key) or _site_branch(t, key, w)):
            kind = parent.kind  # 한국전력공사 울산본부, KT&G 전남본부, 남동발전 영흥본부
        if kind is None and parent is not None and parent.kind == "government":
            # a generic head after a city or province is its institution: 전라북도 자원봉사센터
            kind = _suffix_kind(t, key, w, True, generic_ok=True)
        region = None
        if kind is None and parent is None and prev is not None and _region_before(t, text, prev, w):
            # a generic head after a province or city named short is its own body: 충남 사회복지협의회
            kind = _suffix_kind(t, key, w, True, generic_ok=True)
            region = prev if kind is not None else None
        unit = _unit_suffix(t, key)
        if kind is None and parent is None and unit in units and t.suffixes[unit][0] == _BRANCH:
            # a branch named again later without its organisation: 대한적십자사 경남지사 … 울산광역지사 (not a
            # university's department, bare: 특수교육과 3학년)
            parent = units[unit]
            kind = _suffix_kind(t, key, w, True)
        branch = unit or _regional_unit(t, key)
        if kind is None and parent is None and branch and prev is not None and text[prev.word_end : w.start] == " ":
            # a unit after a back-reference to its organisation: 국민연금공단 … 공단 대전지사는, 공단 강원본부는
            head = normalise(text[prev.start : prev.word_end])
            if head in t.suffixes:
                named = [o for o in out if o.end <= prev.start and o.name.endswith(head)]
                parent = max(named, key=lambda o: o.end, default=None)
                kind = None if parent is None else _suffix_kind(t, key, w, True) if unit else parent.kind
            elif prev.end == prev.word_end and (body := _body_kind(t, head)):
                # a branch after a common word for its organisation names it: 도로공사 충북본부, 건보공단 원주지사;
                # the parent is the listed body that word stands for (한국도로공사 충북본부)
                kind = _suffix_kind(t, key, w, True) if unit else body
                body_name = _national_body(t, head) or _canonical_unknown(text[prev.start : prev.end])
                parent = Org(prev.start, prev.end, body_name, body, "org.suffix")
                parent = parent if kind is not None else None
        if kind is None and w.word_end > w.end:
            # Kiwi may read the end of a name as a particle (건축공학|과): try the whole word
            full = text[w.start : w.word_end]
            kind = _suffix_kind(t, normalise(full), w, parent is not None)
            if kind is not None:
                w = _Word(w.start, w.word_end, w.word_end, w.tokens)
                surface, key = full, normalise(full)
        if kind is None and parent is None and key.endswith(t.title_words):
            # a head's title glued to the name (한빛마포복지관장은): the name is the organisation, unless a listed
            # name comes before a longer title (수협회장: 수협's 회장, not a body 수협회; the gazetteer finds it)
            if any(key.endswith(x) and t.gazetteer.get(key[: -len(x)]) for x in t.title_words):
                continue
            for title in t.title_words:
                if key.endswith(title) and (kind := _suffix_kind(t, key[: -len(title)], w, False)) is not None:
                    end = w.end - len(title)
                    w = _Word(w.start, end, end, w.tokens)
                    surface, key = text[w.start : end], key[: -len(title)]
                    break
        if kind is None or (kind == "academic" and parent is not None and parent.kind == "government"):
            continue  # (a government office's division is internal, no university's department: 다온시교육청 미래교육과)
        if parent is None and region is None and prev is not None and _described_kind(t, text, prev, w, modifier_ends):
            continue  # 기금을 모아 만든 장학재단으로, 각 지역 인재육성재단에: a kind of body, described
        if _is_company_venue(t, key):
            continue  # CJ제일제당센터: a company's building, not an organisation
        # the rows for every kind, and a city's office as a place (부평구청 앞 광장)
        place_ok = parent is None or parent.kind == "government"  # a city's own institution: 서구 노인복지관 세 곳
        if place_ok and _not_org_in_context(t, text, w.start, w.end, kind if kind == "government" else "*"):
            continue  # 한빛문화센터 대강당에서: a building, the place of an event
        start, name, rule = w.start, _canonical_unknown(surface), "org.suffix"
        if region is not None:
            start, name = region.start, _canonical_unknown(text[region.start : w.end])
        if kind == _BRANCH:  # a branch takes its organisation's kind
            kind = parent.kind if parent is not None else "other"
        if parent is not None and parent.end <= w.start and not text[parent.end : w.start].isspace():
            name, rule = f"{parent.name} {name}", "org.suffix_unit_later"
        elif parent is not None:
            if unit:
                units[unit] = parent
            out = [o for o in out if o is not parent]
            start, name, rule = parent.start, f"{parent.name} {name}", "org.suffix_unit"
            if parent.kind == "government" and not unit and _suffix_kind(t, key, w, True, True) is not None:
                # a city's or province's own institution, not a unit of its government: 전라북도 자원봉사센터
                name = _canonical_unknown(text[parent.start : w.end])
        # drop any gazetteer match inside the new compound (카카오 in 카카오임팩트재단)
        out = [o for o in out if not (start <= o.start and o.end <= w.end)]
        org = Org(start, w.end, name, kind, rule)
        out.append(org)
        by_end[w.end] = org
    return out


def _described_kind(t: OrgTables, text: str, prev: _Word, w: _Word, modifier_ends: set[int]) -> bool:
    """A head of common nouns only (Kiwi reads no proper noun or Latin in it) right after an adnominal clause
    or a determiner (``선장들이 기금을 모아 만든 장학재단``, ``주부들이 출자해 만든 소비자생활협동조합``,
    ``각 지역 인재육성재단``): the words describe a kind of body, they name none. A name has a word of its own
    (``1989년 주민들이 세운 새빛신협``, Kiwi's proper noun) or is longer (``지역에 있는 희망나눔재단``)."""
    if any(tag.startswith(("NNP", "SL", "SH")) for _, _, tag in w.tokens) or _glued_adnominal(w.tokens):
        return False
    before = len(text[: w.start].rstrip())
    if before == w.start:
        return False
    if before in modifier_ends:  # 모아 만든 장학재단 (Kiwi's words leave the verb out: test the text)
        # a determiner makes any head a kind (각 복지관); after a clause only a short compound of a common noun and
        # the head is (만든 장학재단), a longer one may be a name Kiwi does not know (지역에 있는 희망나눔재단)
        return text[before - 2 : w.start].strip() in t.kind_determiners or (
            len(w.tokens) <= 2 and len(normalise(text[w.start : w.end])) <= 4
        )
    # a determiner, then one common noun: 각 지역 인재육성재단
    return (
        prev.word_end == prev.end == before
        and all(tag.startswith("NNG") for _, _, tag in prev.tokens)
        and len(text[: prev.start].rstrip()) in modifier_ends
        and text[len(text[: prev.start].rstrip()) - 2 : prev.start].strip() in t.kind_determiners
    )


def _body_kind(t: OrgTables, key: str) -> str:
    """The kind of the body a word ends in however short or generic (도로공사, 건보공단: public), or ``""``."""
    suffix = _listed_suffix(t, key)
    if not suffix:
        return ""
    kind, needs, _ = t.suffixes[suffix]
    return "" if needs in ("unit", "parent") or kind == _BRANCH else kind


def _glued_title(t: OrgTables, key: str, ok: Callable[[str], bool]) -> str:
    """The title of ``org_titles.tsv`` glued to the end of ``key`` (한빛복지관장, 충북본부장) whose rest ``ok``
    accepts as a name, or ``""``: the head's title, not part of the organisation."""
    return next((x for x in t.title_words if key.endswith(x) and len(key) > len(x) and ok(key[: -len(x)])), "")


def _named_branch(t: OrgTables, key: str) -> bool:
    """A branch with a name of at least two syllables before its head (당진발전본부, 부산지사), not the bare head."""
    return any(key.endswith(h) and len(key) >= len(h) + 2 for h in t.branch_heads)


def _site_branch(t: OrgTables, key: str, w: _Word) -> bool:
    """A branch named by its site (영흥본부, 대청댐지사): a proper noun, or one word Kiwi does not split, before
    the head; not a division inside the organisation (사업 본부, 경영본부: org_suffixes.tsv `unit`)."""
    inside = [tok for tok in w.tokens if tok[1] <= w.end]
    suffix = next((key[-n:] for n in t.suffix_lengths if n <= len(key) and key[-n:] in t.suffixes), "")
    internal = suffix and t.suffixes[suffix][1] == "unit"  # 경영본부, 지원본부
    return (
        _named_branch(t, key) and not internal and (any(tok[2].startswith("NNP") for tok in inside) or len(inside) == 1)
    )


def _branch_owner(t: OrgTables, text: str, prev: _Word, w: _Word) -> bool:
    """``prev``, one space before a named branch, is one proper noun of four syllables or more that no list
    makes a place, a country or a person (현대상선 부산지사, 한국동서발전 당진발전본부): the branch's organisation."""
    surface = text[prev.start : prev.end]
    return (
        prev.word_end == prev.end
        and text[prev.end : w.start] == " "
        and len(prev.tokens) == 1
        and prev.tokens[0][2].startswith("NNP")
        and len(surface) >= 4
        and re.fullmatch(r"[가-힣]+", surface) is not None
        and surface[-1] not in "시군구도읍면동리"
        and surface not in t.places
        and surface not in t.countries
        and surface not in t.metro
        and not _is_person(t, text, prev.start, prev.end)
        and normalise(surface) not in t.suffixes
        and not _body_kind(t, normalise(surface))  # 도로공사 충남본부: a common word for a body, named after it
    )


def _region_before(t: OrgTables, text: str, prev: _Word, w: _Word) -> bool:
    """``prev`` is a province, a city or a county (충남, 부산, 익산시), alone and one space before ``w``."""
    surface = text[prev.start : prev.end]
    return (
        surface not in t.admin_levels
        and prev.word_end == prev.end
        and text[prev.end : w.start] == " "
        and surface not in t.countries
        and (surface in t.metro or _is_place(t, surface))
    )


# a region's headquarters of an organisation, however short (울산본부, 충청영업본부)
_REGIONAL_HEADS = ("본부", "영업본부")
_PLACES_RUN = re.compile(r"(?:[가-힣]{2})+")


def _regional_unit(t: OrgTables, key: str) -> bool:
    """A head after one or more short place names (``울산본부``, ``대구경북본부``): a regional unit."""
    for head in _REGIONAL_HEADS:
        region = key[: -len(head)]
        if (
            key.endswith(head)
            and _PLACES_RUN.fullmatch(region)
            and all(region[i : i + 2] in t.places for i in range(0, len(region), 2))
        ):
            return True
    return False


def _apart_heads(t: OrgTables, text: str, words: list[_Word], found: list[Org]) -> list[Org]:
    """A head written apart after a name is one span with it (``현대차 정몽구 재단``, ``새봄 어린이집``
    when Kiwi reads 새봄 as a name, ``한빛건설 나눔 재단``): the suffixes marked ``apart`` in
    org_suffixes.tsv, after one or two words of proper nouns or a found organisation with no particle
    (``yes``), or also after one compound of common nouns (``any``: ``청년나눔 사회적협동조합``), or after a
    town and its city or county (``town``: ``화성시 송산면 행정복지센터``, ``신촌동 주민센터``). A bare
    head after anything else is a back-reference or a generic word (``재단은``, ``지역 어린이집``)."""
    out = list(found)
    for i, w in enumerate(words):
        key = normalise(text[w.start : w.end])
        titled = False
        if key not in t.apart and key not in t.generic and (title := _glued_title(t, key, lambda k: k in t.generic)):
            # a head's title glued to the head (대곡면 새마을부녀회장): the name ends before it
            key, end = key[: -len(title)], w.end - len(title)
            w = _Word(w.start, end, end, w.tokens)
            titled = True
        if key in t.apart:
            apart, kind = t.apart[key], t.suffixes[key][0]
            if apart == "unit":
                continue  # after every organisation is found (_unit_heads)
        elif key in t.generic and (generic_kind := _suffix_kind(t, key, w, True, generic_ok=True)) in _INSTITUTIONS:
            apart, kind = "proper", generic_kind  # a generic head after a proper noun: 한빛 복지재단
        else:
            continue
        if any(o.start <= w.start < o.end for o in out):  # (after the look-ups: most words are no head)
            continue
        first = i
        most = 3 if apart == "town" else 2  # a town after its city and district: 포항시 북구 장량동 행정복지센터
        # a person's name before a head that bears a title (김순자 새마을부녀회장, 김순자 재단 사무국장) is its holder's
        titled = titled or (
            i + 1 < len(words) and bool(t.titles.fullmatch(text[words[i + 1].start : words[i + 1].word_end]))
        )
        while (
            first > 0
            and i - first < most
            and _opens_apart_name(t, text, words, first - 1, out, apart)
            and not (titled and _holder(t, text[words[first - 1].start : words[first - 1].word_end]))
        ):
            first -= 1
        if first == i:
            continue
        start = words[first].start
        if _not_org_in_context(t, text, start, w.end, "*"):
            continue  # a head after a count is generic: 강서구 종합사회복지관 두 곳에
        if (
            key in t.generic
            and all(_place_word(t, text[x.start : x.end]) for x in words[first:i])
            and _USERS_AFTER.match(text, w.end)
        ):
            continue  # a place's institutions of a kind, named by their users: 금천구 지역아동센터 어린이들에게
        surface = text[start : w.end]
        # an administrative chain keeps its spaces (화성시 송산면 행정복지센터), as 대구광역시 수성구 does
        name = " ".join(surface.split()) if apart == "town" else _canonical_unknown(surface)
        out = [o for o in out if not (start <= o.start and o.end <= w.end)]
        out.append(_company(t, start, w.end, surface, "org.apart_head", name, kind))
    return out


def _holder(t: OrgTables, surface: str) -> bool:
    """A person's name, not a town's shaped as one (송천면, 박달동)."""
    return _person_shaped(t, surface) and not _TOWN.fullmatch(surface) and not _place_word(t, surface)


def _placed_town_offices(t: OrgTables, text: str, words: list[_Word], found: list[Org]) -> list[Org]:
    """A town's office written glued to its town (``장량동행정복지센터``) after its city or district, one or two
    words apart, is one span with them that keeps its spaces, as the office written apart is
    (``포항시 북구 장량동행정복지센터``)."""
    out = list(found)
    at = {w.start: i for i, w in enumerate(words)}
    heads = [h for h, apart in t.apart.items() if apart == "town"]
    for o in found:
        key, i = normalise(text[o.start : o.end]), at.get(o.start)
        if i is None or not any(key.endswith(h) and _TOWN.fullmatch(key[: -len(h)]) for h in heads):
            continue
        first = i
        while first > 0 and i - first < 2:
            prev = words[first - 1]
            surface = text[prev.start : prev.end]
            if not (
                prev.word_end == prev.end
                and text[prev.end : words[first].start] == " "
                and _COUNTY.fullmatch(surface)
                and _place_word(t, surface)
            ):
                break
            first -= 1
        if first < i:
            start = words[first].start
            out = [x for x in out if x is not o]
            out.append(Org(start, o.end, " ".join(text[start : o.end].split()), o.kind, "org.apart_head"))
    return out


_TOWN = re.compile(r"[가-힣]+[0-9]*(?:읍|면|동)")  # 송산면, 진영읍, 만촌3동
_COUNTY = re.compile(r"[가-힣]+(?:시|군|구)")  # the city, county or district of a town: 화성시


def _listed_government(t: OrgTables, key: str) -> bool:
    """The gazetteer lists ``key`` (a normalised name) as a government."""
    return (t.gazetteer.get(key) or ("", ""))[1] == "government"


def _city_named_short(t: OrgTables, key: str) -> bool:
    """``key`` and 시 or 군 is a listed government: a city or county named short (성남 for 성남시)."""
    return any(_listed_government(t, key + end) for end in ("시", "군"))


def _place_word(t: OrgTables, surface: str) -> bool:
    """A place, a city, county or district (금천구, however shaped), or a city named short that the list knows
    (성남 for 성남시)."""
    key = normalise(surface)
    return _is_place(t, surface) or _acting_suffix(t, key)[0] == "government" or _city_named_short(t, key)


# the people an institution of a kind serves, right after it: 지역아동센터 어린이들, 경로당 어르신들과
_USERS_AFTER = re.compile(
    r"\s+(?:어린이|아동|아이|학생|청소년|어르신|노인|주민|이용자|이용객)(?:들)?(?:에게|과|와|을|를|이|가|은|는|의|도|\s|$)"
)


def _opens_apart_name(t: OrgTables, text: str, words: list[_Word], j: int, found: list[Org], apart: str) -> bool:
    """Word ``j`` may be part of the name before an apart head: no particle, one space after it, no
    place; proper nouns, a found organisation, a word between a found organisation and the head
    (``한빛건설 나눔 재단``), or for ``any`` heads a compound of common nouns (``청년나눔``)."""
    w = words[j]
    surface = text[w.start : w.end]
    if w.word_end != w.end or text[w.end : words[j + 1].start] != " ":
        return False
    if surface in t.admin_levels:
        return False  # 읍면동 행정복지센터, 시군구 지역사회보장협의체: every town's, no one name
    if apart == "town":  # a community office after its town, and the town after its city or county
        before_head = normalise(text[words[j + 1].start : words[j + 1].end]) in t.apart
        shape = _TOWN if before_head else _COUNTY
        # the town right before the office needs no proper-noun tag when Kiwi splits its 읍, 면 or 동 off (풍/천/면)
        # or it has three letters (송천면; 이동 행정복지센터 is a mobile office)
        split = len(w.tokens) > 1 and text[w.tokens[-1][0] : w.tokens[-1][1]] in ("읍", "면", "동")
        named = (before_head and (split or len(surface) >= 3)) or any(tag.startswith("NNP") for _, _, tag in w.tokens)
        return bool(shape.fullmatch(surface)) and named
    if normalise(surface) in t.descriptor_kinds:
        return False  # the word that says what it is opens no name: 프로축구 광주 FC
    if _is_place(t, surface) or _city_named_short(t, normalise(surface)):  # (not _place_word: 정몽구 재단)
        return apart == "place"  # a club named by its city: 대구 FC; a city named short before a name is where it is
        # (전주 다온시장 상인회 → 다온시장상인회)
    org_at = {(o.start, o.end) for o in found}
    if apart == "proper":  # a generic head: only after proper nouns that name nothing yet (not 재단 상담센터),
        # or after a town however Kiwi splits it (새/MM 솔/NNG 면 주민자치위원회); before a town only its city or
        # county (not a person's name: 김영숙 풍산읍 새마을부녀회장은)
        nxt = text[words[j + 1].start : words[j + 1].end]
        if _TOWN.fullmatch(nxt) and normalise(nxt) not in t.generic and not _COUNTY.fullmatch(surface):
            return False
        return (w.start, w.end) not in org_at and (
            all(tag.startswith(("NNP", "SL")) for _, _, tag in w.tokens)
            or (len(surface) >= 3 and text[w.tokens[-1][0] : w.tokens[-1][1]] in ("읍", "면", "동"))
        )
    if all(tag.startswith(("NNP", "SL")) for _, _, tag in w.tokens):
        return True
    if (w.start, w.end) in org_at:
        return True
    if (
        not _nominal(w.tokens)
        or normalise(surface) in t.generic
        or all(tag.startswith(("NNB", "SN", "NR")) for _, _, tag in w.tokens)  # a date or a count: 31일 상인회
    ):
        return False
    before_org = j > 0 and (words[j - 1].start, words[j - 1].end) in org_at and text[words[j - 1].end : w.start] == " "
    if apart == "unit":  # a body of members after a compound or any longer noun: 청솔시장 상인회
        return before_org or len(w.tokens) >= 2 or len(surface) >= 3
    return before_org or (apart == "any" and len(w.tokens) >= 2)


def _unit_heads(t: OrgTables, text: str, words: list[_Word], found: list[Org]) -> list[Org]:
    """A body of members written apart after a name (``unit`` heads of org_suffixes.tsv: 노동조합, 총동창회,
    상인회) is one span with it: after an organisation found anywhere in the document it is that
    organisation's unit, named with one space (``가람정밀 노동조합``, ``한별고등학교 총동창회``); after one
    or two words that open a name (``청솔시장 상인회``) it is named without spaces (``청솔시장상인회``). Bare,
    it is generic or a back-reference (``노동조합 관계자``, ``총동창회는``)."""
    out = list(found)
    for i, w in enumerate(words):
        key = normalise(text[w.start : w.end])
        if t.apart.get(key) != "unit" or not i:
            continue
        bare = [o for o in out if (o.start, o.end) == (w.start, w.end)]  # the head alone, found acting
        if any(o.start < w.end and w.start < o.end for o in out if o not in bare):
            continue
        out = [o for o in out if o not in bare]
        kind = t.suffixes[key][0]
        owner = next((o for o in out if o.end < w.start and text[o.end : w.start] == " "), None)
        if owner is not None:
            out = [o for o in out if o is not owner]
            out.append(Org(owner.start, w.end, f"{owner.name} {key}", kind, "org.unit_head"))
            continue
        first = i
        while first > 0 and i - first < 2 and _opens_apart_name(t, text, words, first - 1, out, "unit"):
            first -= 1
        if first < i and normalise(surface := text[words[first].start : w.end]) not in t.generic:
            # (a generic name without spaces stays generic: 전통시장 상인회)
            out.append(Org(words[first].start, w.end, _canonical_unknown(surface), kind, "org.unit_head"))
    return out


def _branches_after(t: OrgTables, text: str, words: list[_Word], found: list[Org]) -> list[Org]:
    """A named branch (org_suffixes.tsv kind ``-``: 지회, 분회, 지부, 지사) one space after an organisation that a
    later rule found (a legal-form mark, acting: ``(사)한빛여성기업인협의회 다온지회``) is that organisation's
    branch, one span ``<organisation> <branch>``, as the suffix rule names one after a name it knows."""
    out = list(found)
    for i, w in enumerate(words):
        if not i or w.end - w.start < 3:
            continue
        surface = text[w.start : w.end]
        if _suffix_kind(t, normalise(surface), w, True) != _BRANCH:
            continue
        bare = [o for o in out if (o.start, o.end) == (w.start, w.end)]  # the branch alone, found acting
        if any(o.start < w.end and w.start < o.end for o in out if o not in bare):
            continue
        owner = next((o for o in out if o.end == words[i - 1].end == words[i - 1].word_end), None)
        if owner is None or text[owner.end : w.start] != " ":
            continue
        out = [o for o in out if o is not owner and o not in bare]
        out.append(Org(owner.start, w.end, f"{owner.name} {surface}", owner.kind, "org.suffix_unit_later"))
    return out


def _glued_branches(t: OrgTables, text: str, words: list[_Word], found: list[Org]) -> list[Org]:
    """A listed organisation at the start of a word with its named branch glued on, no space
    (``한국수자원공사제주지사``, ``한국공항공사제주지역본부``): the branch, named as with one space
    (``한국수자원공사 제주지사``); a word some rule already names stays as it is."""
    out = list(found)
    for w in words:
        surface = text[w.start : w.end]
        if len(surface) < 6 or any(o.start < w.end and w.start < o.end for o in out):
            continue
        for n in range(len(surface) - 4, 1, -1):  # the longest listed name first; the branch has 4+ syllables
            entry = t.gazetteer.get(normalise(surface[:n]))
            rest = surface[n:]
            if entry is None or not rest.isalnum() or _suffix_kind(t, normalise(rest), w, True) != _BRANCH:
                continue
            out.append(Org(w.start, w.end, f"{entry[0]} {rest}", entry[1], "org.glued_branch"))
            break
    return out


def _temples(t: OrgTables, text: str, words: list[_Word], found: list[Org]) -> list[Org]:
    """A word of three syllables or more ending in 사 is a temple when its order (or the word 사찰) stands one
    space before it (``태고종 보광사가``, ``사찰 해광사는``) or its head or members one space after it (``연화사
    주지``, ``청련사 신도회``): an ORG of kind other, named without the order."""
    out = list(found)
    for i, w in enumerate(words):
        surface = text[w.start : w.end]
        if (
            len(surface) < 3
            or not surface.endswith("사")
            or not all("가" <= c <= "힣" for c in surface)
            or surface in t.generic
            or any(o.start < w.end and w.start < o.end for o in out)
        ):
            continue
        if surface.endswith(t.not_temples):
            continue  # a compound ending in a common noun in 사 (자원봉사, 건설회사), no temple
        prev = words[i - 1] if i else None
        after = words[i + 1] if i + 1 < len(words) else None
        ordered = (
            prev is not None
            and text[prev.start : prev.word_end] in t.temple_orders
            and text[prev.word_end : w.start] == " "
        )
        headed = (
            after is not None
            and w.word_end == w.end
            and text[w.end : after.start] == " "
            and text[after.start : after.word_end].startswith(t.temple_offices)
        )
        if ordered or headed:
            out.append(Org(w.start, w.end, surface, "other", "org.temple"))
    return out


_COUNTRY_UNITS = ("지부", "사무소", "법인", "지사")  # a unit written apart after a country: 굿네이버스 캄보디아 지부
_SUBSIDIARY_PARTICLES = ("와", "과", "은", "는", "이", "가", "의")  # 한빛전자 베트남과: not 베트남에 (a place)


def _country_offices(t: OrgTables, text: str, words: list[_Word], found: list[Org]) -> list[Org]:
    """A country right after an organisation is its office there, one span with it: before a unit written
    apart (``굿네이버스 캄보디아 지부``), or after a company as the subject or partner of the sentence
    (``현지 법인 한빛전자 베트남과``). A country before a noun or a place particle stays a place
    (``한빛전자 베트남 공장``, ``굿네이버스 베트남에``)."""
    out = list(found)
    at = {w.start: i for i, w in enumerate(words)}
    for o in found:
        i = at.get(o.end + 1)
        if i is None or text[o.end] != " " or o.kind == "government":
            continue
        country = words[i]
        glued = next((u for u in _COUNTRY_UNITS if text.startswith(u, country.end - len(u))), "")
        if glued and text[country.start : country.end - len(glued)] in t.countries:
            # the unit glued to the country: 함께여는지구촌 베트남사무소
            out = [x for x in out if x is not o and not (country.start <= x.start and x.end <= country.end)]
            office = text[country.start : country.end]
            out.append(Org(o.start, country.end, f"{o.name} {office}", o.kind, "org.country_office"))
            continue
        if text[country.start : country.end] not in t.countries:
            continue
        unit = words[i + 1] if i + 1 < len(words) else None
        if (
            country.end == country.word_end
            and unit is not None
            and text[country.end : unit.start] == " "
            and text[unit.start : unit.end] in _COUNTRY_UNITS
        ):
            end = unit.end
        elif o.kind == "company" and text[country.end : country.word_end] in _SUBSIDIARY_PARTICLES:
            end = country.end
        else:
            continue
        out = [x for x in out if x is not o]
        office = " ".join(text[country.start : end].split())
        out.append(Org(o.start, end, f"{o.name} {office}", o.kind, "org.country_office"))
    return out


def _is_place(t: OrgTables, surface: str) -> bool:
    """A country, a province named short (경남) or a city or district (종로구: an address, 서울 종로구 재단),
    not a person (정몽구)."""
    if surface in t.countries or surface in t.places:
        return True
    return _acting_suffix(t, normalise(surface))[0] == "government" and not _is_person(
        t, surface, 0, len(surface), True
    )


def _context_kind(kind: str) -> str:
    """The kind whose org_contexts.tsv rows an unlisted name is checked against: a city's or a company's."""
    return "government" if kind == "government" else "company"


def _unit_suffix(t: OrgTables, key: str) -> str:
    """The suffix of a unit that belongs to an organisation (지사 in 경남지사), or ``""``."""
    suffix = _listed_suffix(t, key)
    return suffix if suffix and t.suffixes[suffix][1] == "parent" else ""


def _is_company_venue(t: OrgTables, key: str) -> bool:
    for head in t.venues:
        if key.endswith(head):
            entry = t.gazetteer.get(key[: -len(head)])
            if entry is not None and entry[1] == "company":
                return True
    return False


def _canonical_unknown(surface: str) -> str:
    """The canonical form of a name no gazetteer lists: no spaces, Latin upper-cased (gc녹십자 → GC녹십자)."""
    return re.sub(r"[A-Za-z]+", lambda m: m.group().upper(), re.sub(r"\s+", "", surface))


def _company(
    t: OrgTables, start: int, end: int, name: str, rule: str, unknown_name: str | None = None, kind: str = "company"
) -> Org:
    """A legal-form or affiliate ORG: the gazetteer's entry when it knows the name, else one of
    ``kind`` named ``unknown_name`` (default: the name as written)."""
    known = t.gazetteer.get(normalise(name))
    if known:
        return Org(start, end, known[0], known[1], rule)
    return Org(start, end, unknown_name or name, kind, rule)


def _quotes_close_name(t: OrgTables, text: str, end: int) -> bool:
    """The closing quote at ``end`` ends a name, not a title before its noun (기업 '자비의 쌀' 나눔): the text
    ends, a comma, full stop or bracket follows, a particle, its staff or its members (모임 '한빛손길' 회원들,
    팬클럽 '별누리' 운영진)."""
    return (
        end == len(text)
        or text[end] in ",.)"
        or _particle_follows(t, text, end)
        or any(role == "staff" and rx.match(text, end) for role, _, rx in t.roles)
        or t.members.match(text, end) is not None
    )


def _quoted_name_shaped(t: OrgTables, text: str, name: str, inner: list[_Word]) -> bool:
    """A quoted ``name`` (its words ``inner``) is shaped like one: one word is a name however Kiwi reads it
    ('솔바람일터', '마실랩'); words apart are all nouns or named (a quoted name may open with an adnominal or hold
    a Latin word: '푸른발걸음', '한내FC'); and it has two words, a named one, or three letters."""
    one_word = " " not in name
    return (
        (bool(inner) or one_word)
        and (one_word or all(_nominal(w.tokens) or _named(t, text, w) for w in inner))
        and (len(inner) > 1 or (bool(inner) and _named(t, text, inner[0])) or len(normalise(name)) >= 3)
    )


def _company_forms(
    t: OrgTables, text: str, words: list[_Word], found: list[Org], index: TokenIndex | None = None
) -> list[Org]:
    out = list(found)
    taken = [(o.start, o.end) for o in found]
    for w in words:
        # an affiliate introduced as one: 계열사 교보dts
        if t.affiliate.search(text[max(0, w.start - SETTINGS.affiliate_before) : w.start]) and not any(
            s < w.end and w.start < e for s, e in taken
        ):
            surface = text[w.start : w.end]
            if len(normalise(surface)) >= 2 and w.has_proper and not w.tokens[0][2].startswith("SN"):  # 계열사 8곳
                out.append(_company(t, w.start, w.end, surface, "org.affiliate", _canonical_unknown(surface)))
                continue
        # a name after a word that describes it: 유통업체 메가마트, 특장차 제조업체인 한빛특장
        described = t.descriptors.search(text[max(0, w.start - SETTINGS.affiliate_before) : w.start])
        clash = [(s, e) for s, e in taken if s < w.end and w.start < e]
        if (
            described
            # (a word found alone gives way to the name it opens: 프로야구 한화 이글스, not 한화)
            and (
                not clash
                or (
                    all(w.start <= s and e <= w.end for s, e in clash)
                    and w.word_end == w.end
                    and _name_runs_on(t, text, words, w.end) > w.end
                    and _NICKNAME.fullmatch(text[w.end + 1 : _name_runs_on(t, text, words, w.end)]) is not None
                )
            )
            and _named(t, text, w)
            # a person named with a title after, not a name described: 이 단체 한수민 사무국장은
            and not (_person_shaped(t, text[w.start : w.end]) and t.person_titles.match(text, _next_word(text, w.end)))
            and not _IN_HOUSE.search(
                text, max(0, w.start - SETTINGS.affiliate_before), w.start - len(described.group())
            )
        ):
            end = w.end
            nxt = next((x for x in words if x.start == w.end + 1), None) if w.word_end == w.end else None
            after = normalise(text[nxt.start : nxt.end]) if nxt is not None and text[w.end] == " " else ""
            if after in _PLACE_NOUNS:
                continue  # a region, not a name: 단체인 메콩 지역 주민들
            if _is_place(t, text[w.start : w.end]):
                # a place opens the name of what is described (프로축구 부산 아이파크), or it is only where it is
                if not after or nxt is None or not _named(t, text, nxt):
                    continue
                end = nxt.end
            elif after and nxt is not None and _body_kind(t, after):
                end = nxt.end  # the name runs to its head: 협력 단체인 메콩 여성연대
            ran = _name_runs_on(t, text, words, end)  # 프로야구 KIA 타이거즈, 프로농구 원주 DB 프로미
            surface = text[w.start : ran]
            # a name of several proper words keeps its spaces (KIA 타이거즈, 피스윈즈 재팬)
            name = " ".join(map(_canonical_unknown, surface.split())) if ran > end else _canonical_unknown(surface)
            kind = t.descriptor_kinds[described.group("word")]
            out = [o for o in out if not (w.start <= o.start and o.end <= ran)]
            out.append(_company(t, w.start, ran, surface, "org.described", name, kind))
    for m in t.quoted.finditer(text):
        # a name in quotes after the word that describes it or its written-out form: 협력단체 '다온 어린이 쉼터'
        start, end = m.span("name")
        inner = [w for w in words if start <= w.start and w.end <= end]
        if (
            # (a span inside the quotes gives way to the whole quoted name: '경화동 산타원정대', not 산타원정대)
            any(s < end and start < e and not (start <= s and e <= end) for s, e in taken)
            or normalise(m.group("name")) in t.generic
            or not _quotes_close_name(t, text, m.end())
            or not _quoted_name_shaped(t, text, m.group("name"), inner)
        ):
            continue
        word = m.group("word")
        if _IN_HOUSE.search(text, max(0, m.start("word") - 8), m.start("word")):
            continue  # a company's own corps is one of its units: 사내 봉사단 '바다지킴이'
        kind = t.descriptor_kinds.get(word) or t.forms[word]
        if word in t.forms:  # the form is no head of the words before it: 옥계면 사회적협동조합 '새벽두레'
            out = [o for o in out if o.end != m.end("word")]
        out = [o for o in out if not (start <= o.start and o.end <= end)]
        out.append(_company(t, start, end, m.group("name"), "org.described", _canonical_unknown(m.group("name")), kind))
        taken.append((start, end))
    for m in t.company_prefix.finditer(text):
        if m.start() and text[m.start() - 1].isalnum():
            continue  # glued after a name: 한결레미콘㈜
        if any(role == "staff" and rx.match(text, m.end()) for role, _, rx in t.roles):
            continue  # staff, no name: 2일 ㈜ 관계자가
        # the word after the mark, or the one holding its end and more (Kiwi reads 사) in (사)한빛 as one sign)
        word = next((w for w in words if w.start == m.end() or w.start < m.end() < w.end), None)
        if word is None:
            continue
        name_start = max(m.end(), word.start)
        if word.end <= name_start or (
            _written_out(m.group())
            and not _names_after_form(word, name_start)
            # one common noun after the form names a body when it acts: 사회복지법인 동일은 … 전달했다
            and not (index is not None and _one_noun(word, name_start) and _acts(t, text, index, word.end))
        ):
            continue
        # a name found already that goes on past the word is the marked name: (재)새솔의료재단 한빛병원
        longer = next((o for o in out if o.start == name_start and o.end > word.end), None)
        out = [o for o in out if not (m.start() <= o.start < word.end)]
        if longer is not None:
            out.append(replace(longer, start=m.start(), rule="org.company_form_prefix"))
            continue
        # a hyphen between two Hangul names pairs two partners, as in a headline (``(사)한빛센터-다온병원, 협약``):
        # the marked name ends before it
        pair = _PAIR_HYPHEN.search(text, name_start, word.end)
        end = pair.start() if pair else word.end
        key = normalise(text[name_start:end])
        # a head's title glued to the marked name: (사)한빛복지관장 is the head of (사)한빛복지관
        marked = word  # the lambda is called at once, on this word
        end -= len(_glued_title(t, key, lambda k: _suffix_kind(t, k, marked, False) is not None))  # noqa: B023
        if _not_org_in_context(t, text, m.start(), end, "*"):
            continue  # its office or hall as the place of an event: (사)한빛나눔회 사무실에서
        out.append(
            _company(
                t,
                m.start(),
                end,
                text[name_start:end],
                "org.company_form_prefix",
                kind=t.forms[m.group().strip()],
            )
        )
    for m in t.company_suffix.finditer(text):
        if m.group()[0].isspace() and _opens_next(t, text, m.end()):
            continue  # apart from the word before, glued to the next: it opens that name (전달 (주)LG)
        word = next((w for w in words if w.end in (m.start(), m.end()) or w.start < m.start() < w.end), None)
        if (
            word is None
            or word.start >= m.start()
            or not any(tag.startswith(("NNG", "NNP", "SL")) for _, _, tag in word.tokens)
        ):
            continue  # no name before it (1일 ㈜ 관계자)
        name = text[word.start : m.start()].strip()
        if not name:
            continue
        out = [o for o in out if not (word.start <= o.start < m.end())]
        out.append(_company(t, word.start, m.end(), name, "org.company_form_suffix", kind=t.forms[m.group().strip()]))
    return out


# a team's nickname after its sponsor: a transliterated plural or Latin (이글스, 타이거즈, FC, DB 프로미 stays out)
_NICKNAME_ENDINGS = ("스", "즈")
_NICKNAME = re.compile(rf"[가-힣]+[{''.join(_NICKNAME_ENDINGS)}]|[A-Za-z]+")


def _name_runs_on(t: OrgTables, text: str, words: list[_Word], end: int, most: int = 2) -> int:
    """Where a described name ends: it runs on over words of Kiwi's proper nouns or Latin written one space
    apart with no particle between (``프로야구 KIA 타이거즈가``, ``프로농구 원주 DB 프로미``: a team's sponsor
    and nickname), at most ``most`` more, never over a person's name or a title (``KIA 타이거즈 김민수 선수``)."""
    for _ in range(most):
        if text[end : end + 1] != " ":
            break
        nxt = next((x for x in words if x.start == end + 1), None)
        if nxt is None or not nxt.tokens:
            break
        surface = text[nxt.start : nxt.end]
        if (
            not all(tag.startswith(("NNP", "SL")) for _, _, tag in nxt.tokens)
            # (a nickname in a transliterated plural is no Korean given name: 한화 이글스, 삼성 라이온즈)
            or (_person_shaped(t, surface) and not surface.endswith(_NICKNAME_ENDINGS))
            or t.person_titles.fullmatch(surface)
            or t.titles.fullmatch(surface)
            or _is_place(t, surface)
            or surface in t.countries
        ):
            break
        end = nxt.end
        if nxt.word_end != nxt.end:
            break  # a particle ends the name: 타이거즈가
    return end


def _written_out(form: str) -> bool:
    """A legal form spelt in words (사회적협동조합, 사단법인), not a bracketed or one-character mark."""
    return form.strip().isalpha()


def _names_after_form(word: _Word, name_start: int) -> bool:
    """The word after a written-out legal form can be a name: not a numeral or determiner (사회적협동조합 다섯
    곳), and not one common noun alone (사회적협동조합 설립, 사단법인 인가); a proper noun, Latin or a
    compound of nouns is (사회적협동조합 한울밥상, 사회적협동조합 두레카페)."""
    tokens = [tok for tok in word.tokens if tok[0] >= name_start]
    if not tokens or tokens[0][2].startswith(("NR", "SN")):
        return False
    if tokens[0][2].startswith("MM"):  # a determiner glued inside a name (한/MM 우리나눔재단) opens it
        return len(tokens) > 1
    return len(tokens) > 1 or tokens[0][2].startswith(("NNP", "SL"))


def _one_noun(word: _Word, name_start: int) -> bool:
    """The word after a written-out form, from ``name_start``, is one common noun of two syllables or more."""
    tokens = [tok for tok in word.tokens if tok[0] >= name_start]
    return len(tokens) == 1 and tokens[0][2] == "NNG" and tokens[0][1] - tokens[0][0] >= 2


def _acts(t: OrgTables, text: str, index: TokenIndex, end: int) -> bool:
    """A name ending at ``end`` is in one of an organisation's roles (org_roles.tsv) in its sentence, past a
    bracket right after it (``대전 서구(구청장 김민수)는 … 전달했다``)."""
    _, hi = index.sentence_bounds(index.sentence_of(end - 1), len(text))
    rest = text[end:hi]
    rests = [rest] + [rest[m.end() :] for m in [_BRACKETED.match(rest)] if m]
    return any(rx.match(rest) for rest in rests for _, _, rx in t.roles)


_BACK_PARTICLES = re.compile(r"(?:은|는|이|가|도)(?![가-힣A-Za-z0-9])")  # 북구는, 남구청은: the topic or subject
# a district's office visited to hand over a gift (울산 남구청을 찾아 성금을 전달했다); not a role of any name, since a
# place is visited so too (홍천을 찾아 김장김치를 전달했다)
_VISITED = re.compile(
    r"(?:을|를)\s*(?:찾아|방문해|방문하여|방문하고)\s+[^.!?\"“”]{0,60}?(?:기부|기탁|전달|후원|출연|기증|전했|건넸)"
)


def _metro_districts(t: OrgTables, text: str, index: TokenIndex, found: list[Org]) -> list[Org]:
    """A district of a special or metropolitan city named with its city (``대구 수성구``, ``울산 동구청``,
    ``광주광역시 북구``) is one ORG ``<city> <district>`` (``대구광역시 수성구``; ``…청`` is its office, the same
    body) when it is found already or acts (org_roles.tsv), not as a place (``광주 북구의 한 경로당``, ``인천
    동구 만석동``). Once named so, the district alone (``수성구``, ``남구청``) is that ORG in the rest of the
    document when it is found already, or is the topic or subject of its sentence (``북구는``). A district found
    alone that only one city has is that city's when the document names the city (``미추홀구`` → 인천광역시
    미추홀구), and a district written apart after a city of its own (``청주시 상당구청``) is ``<city> <district>``."""
    out = _city_and_districts(t, text, index, found)
    named: dict[str, str] = {}
    placed: dict[str, set[str]] = {}  # every city the document names each district with, as a place too
    for m in t.metro_district.finditer(text):
        city, district, start, end = t.metro[m.group("city")], m.group("district"), m.start(), m.end()
        if (city, district) not in t.districts:
            continue
        if end < len(text) and text[end].isalnum() and not _particle_follows(t, text, end):
            continue  # glued to more name: 대구 수성구의사회
        inside = [o for o in out if o.start < end and start < o.end]
        if any(o.start < start or o.end > end for o in inside):
            continue  # part of a longer name
        placed.setdefault(district, set()).add(f"{city} {district}")
        acts = (
            inside
            or _headline_subject(text, start, end)  # 대구 수성구, 설 앞두고 …
            or _BACK_PARTICLES.match(text, end)  # 인천 동구청은 …
            or _acts(t, text, index, end)
            or _VISITED.match(text, end)
            or _listed_with_orgs(text, start, end, out)  # 대전 서구, (사)다온숲과 …
            or _joined_to_office(t, text, end, out)  # 인천 중구청과 옹진군청이 추천했다
        )
        if not acts or _not_org_in_context(t, text, start, end, "government"):
            continue
        name = f"{city} {district}"
        out = [o for o in out if o not in inside] + [Org(start, end, name, "government", "org.metro_district")]
        named.setdefault(district, name)
    # a district the document names with one city only, even as a place (울산 북구 지역 … 북구 관계자), is that
    # city's when another rule finds it acting alone
    sole = {d: next(iter(names)) for d, names in placed.items() if len(names) == 1}
    if not named and not sole:
        return _district_names(t, text, out)
    for m in re.finditer(rf"(?<![가-힣])(?:{_alt({**sole, **named})})청?", text):
        district = m.group().removesuffix("청") if m.group() not in sole and m.group() not in named else m.group()
        inside = [o for o in out if o.start < m.end() and m.start() < o.end]
        same = [o for o in inside if (o.start, o.end) == m.span()]
        if same and same[0].rule != "org.metro_district":
            out = [o for o in out if o is not same[0]] + [
                Org(m.start(), m.end(), named.get(district) or sole[district], "government", same[0].rule)
            ]
        elif (
            district in named
            and not inside
            and (_BACK_PARTICLES.match(text, m.end()) or _acts(t, text, index, m.end()))
        ):
            out.append(Org(m.start(), m.end(), named[district], "government", "org.metro_district"))
    return _district_names(t, text, out)


_LIST_SIGN = re.compile(r"\s*[,·ㆍ]\s*")
# a city and districts after it in a middle-dot list: 대구시·중구·동구는 (the districts share the city)
_CITY_DISTRICTS = re.compile(r"(?<![가-힣])(?P<city>[가-힣]{2,5})(?P<districts>(?:[·ㆍ][가-힣]{1,3}구)+)(?![·ㆍ])")


def _city_and_districts(t: OrgTables, text: str, index: TokenIndex, found: list[Org]) -> list[Org]:
    """A special or metropolitan city followed by its own districts in a middle-dot list that acts
    (``대구시·중구·동구는 … 운영한다``): the city and each district (``대구광역시 중구``) are ORGs."""
    out = list(found)
    for m in _CITY_DISTRICTS.finditer(text):
        city = t.metro.get(m.group("city"))
        if city is None or not (_BACK_PARTICLES.match(text, m.end()) or _acts(t, text, index, m.end())):
            continue
        members = [(m.start("city"), m.end("city"), city)]
        pos = m.start("districts")
        for district in re.split("[·ㆍ]", m.group("districts"))[1:]:
            pos += 1
            if (city, district) not in t.districts:
                break
            members.append((pos, pos + len(district), f"{city} {district}"))
            pos += len(district)
        else:
            for start, end, name in members:
                inside = [o for o in out if o.start < end and start < o.end]
                if all(o.start >= start and o.end <= end for o in inside):
                    out = [o for o in out if o not in inside] + [
                        Org(start, end, name, "government", "org.metro_district")
                    ]
    return out


def _listed_with_orgs(text: str, start: int, end: int, found: list[Org]) -> bool:
    """A member of a list of organisations: a found one right before or after it, past a comma or a middle dot
    (``한빛전력·대전 서구·다온숲``, ``대전 서구, (사)다온숲과 협약``)."""
    after = _LIST_SIGN.match(text, end)
    return any(
        (after is not None and o.start == after.end())
        or (o.end <= start and _LIST_SIGN.fullmatch(text, o.end, start) is not None)
        for o in found
    )


def _headline_subject(text: str, start: int, end: int) -> bool:
    """A name that opens a line and is followed by a comma, on a line that ends in no full stop: the
    subject of a headline (``대구 수성구, 설 앞두고 이웃사랑 꾸러미 전달``)."""
    line_end = text.find("\n", end)
    line = text[end : len(text) if line_end < 0 else line_end].rstrip()
    return (not start or text[start - 1] == "\n") and line.startswith(", ") and not line.endswith(".")


def _ends_word(t: OrgTables, text: str, end: int) -> bool:
    """Nothing but a particle or a title after ``end`` inside the word (``한상협은``, ``한상협 회장``)."""
    nxt = text[end : end + 1]
    return (
        not nxt
        or not ("가" <= nxt <= "힣" or nxt.isalnum())
        or _particle_follows(t, text, end)
        or bool(t.titles.match(text, end))
    )


def _opens_next(t: OrgTables, text: str, end: int) -> bool:
    """A legal-form mark ending at ``end`` is glued to a following name (``1일 ㈜태성케미칼``), not only to
    a particle (``한빛테크 ㈜는``)."""
    nxt = text[end : end + 1]
    return bool(nxt) and (nxt.isalnum() or nxt in "(（") and not _particle_follows(t, text, end)


def _acronyms(t: OrgTables, text: str, found: list[Org], token_starts: set[int], token_ends: set[int]) -> list[Org]:
    """``국제교통포럼 itf`` / ``세계보건기구(WHO)``: the acronym becomes an alias in this document, and so
    does a short form defined in brackets (``한빛상장기업협의회(이하 한상협)``), unless it is a generic
    word or the name's own head standing for it (``(이하 재단)``, ``국토안전관리원(이하 관리원)``: a
    back-reference)."""
    aliases: dict[str, Org] = {}
    out = list(found)
    for o in sorted(found, key=lambda o: o.start):
        short = _SHORT_FORM.match(text, o.end)
        if short:
            acr = short.group("acr")
            key = normalise(acr)
            known = t.gazetteer.get(key)
            back_reference = key in t.generic or key in t.suffixes  # (이하 관리원); not (이하 동서발전)
            if not (back_reference or (known is not None and known[0] != o.name)):
                aliases.setdefault(acr.lower(), o)
            continue
        own = _OWN_NAME.match(text, o.end)  # its own name in its language: 마투아재단(Fundação Matua)
        if own and own.group("acr").split()[0].lower() not in t.acronym_stop:
            aliases.setdefault(own.group("acr").lower(), o)
            continue
        m = _ACRONYM.match(text, o.end)
        if not m or m.start("acr") not in token_starts:
            continue
        acr, end = m.group("acr"), m.end("acr")
        second = m.group("second")
        if second and second.strip().lower() not in t.acronym_stop and m.end("second") in token_ends:
            acr, end = acr + second, m.end("second")  # two words: 유엔환경계획 금융이니셔티브 unep fi
        if end not in token_ends or acr.split()[0].lower() in t.acronym_stop:
            continue
        if acr.lower() in aliases:
            continue
        known = t.gazetteer.get(normalise(acr))
        if known is not None and known[0] != o.name:
            continue
        aliases[acr.lower()] = o
    if not aliases:
        return out
    taken = [(o.start, o.end) for o in out]
    rx = re.compile(
        r"(?<![A-Za-z가-힣])("
        + "|".join(re.escape(a) for a in sorted(aliases, key=len, reverse=True))
        + r")(?![A-Za-z])",
        re.I,
    )
    for m in rx.finditer(text):
        if "가" <= text[m.end() - 1] <= "힣" and not _ends_word(t, text, m.end()):
            continue  # a Korean short form inside a longer word (다온정밀 in 다온정밀공업)
        inside = [
            o
            for o in out
            if m.start() <= o.start
            and o.end <= m.end()
            and (o.end - o.start < m.end() - m.start() or o.rule != "org.gazetteer")  # a form-made name yields
        ]
        shorter = {(i.start, i.end) for i in inside}
        if any(s < m.end() and m.start() < e for s, e in taken if (s, e) not in shorter):
            continue
        out = [o for o in out if o not in inside]  # unep inside unep fi
        o = aliases[m.group(1).lower()]
        out.append(Org(m.start(), m.end(), o.name, o.kind, "org.acronym"))
    return out


@Language.factory("csr_orgs", default_config={"data_dir": None, "gazetteer": None, "use_gazetteer": True})
def make_orgs(
    nlp: Language, name: str, data_dir: str | None, gazetteer: str | None, use_gazetteer: bool
) -> OrgRecognizer:
    """``gazetteer``: an ``organizations.tsv``-shaped file to use instead of the one in
    ``data_dir``; ``use_gazetteer = false``: no list of organisations at all."""
    return OrgRecognizer(nlp, name, data_dir=data_dir, gazetteer=gazetteer, use_gazetteer=use_gazetteer)


class OrgRecognizer(TableComponent[OrgTables]):
    """spaCy component: ``doc.spans["ORG"]`` with ``_.name``, ``_.kind`` and ``_.rule``."""

    tables_type = OrgTables

    def saved_options(self) -> dict:
        return {**self.options, "gazetteer": None}  # to_disk saved it as organizations.tsv

    def __call__(self, doc: Doc) -> Doc:
        orgs, products = find_orgs(self.tables, doc)
        doc = set_spans(
            doc,
            "ORG",
            [(o.start, o.end, {"name": o.name, "kind": o.kind, "rule": o.rule, "org_id": o.org_id}) for o in orgs],
        )
        # products, services and campaigns that contain a company name: not exported, but the
        # event linker reads them (a sentence about an app feature is a `service` event)
        doc = set_spans(doc, "PRODUCT", [(p.start, p.end, {"rule": p.rule}) for p in products])
        return doc


def _tail_of(t: OrgTables, short: str, full: str, other: Org) -> bool:
    """``short`` (a matching key of three letters or more) is the tail of a longer name, as written (``full``)
    or as named (``other``'s name): ``세이커스`` of ``창원 LG 세이커스``, ``점주협의회`` of ``(사)한마음편의점점주협의회``,
    or is so with its head's known abbreviation written out (``우암신협`` of ``우암신용협동조합``). Not when a
    country alone comes before it in a company's name: a national subsidiary is its own organisation
    (``한국다카하시정공`` … ``다카하시정공``, its Japanese head office; but ``한국감정원`` … ``감정원``)."""
    if len(short) < 3:
        return False
    shorts = {short} | {short[: -len(a)] + w for a, w in t.head_abbreviations.items() if short.endswith(a)}
    fulls = {full, normalise(other.name)} - {short}
    return any(
        f.endswith(s) and not (other.kind == "company" and f[: -len(s)] in t.countries) for f in fulls for s in shorts
    )


def _national_body(t: OrgTables, head: str) -> str:
    """The listed organisation a common word for a body stands for before one of its branches: its own listed
    short form (``건보공단`` → 국민건강보험공단), or the one national body of that name (``도로공사`` → 한국도로공사);
    ``""`` when none or several."""
    listed = t.gazetteer.get(head)
    if listed is not None:
        return listed[0]
    names = {e[0] for p in t.national_openings if (e := t.gazetteer.get(p + head)) is not None}
    return names.pop() if len(names) == 1 else ""


# a district written apart after a city that is no metropolitan one: 청주시 상당구청, 수원시 팔달구
_CITY_DISTRICT = re.compile(r"(?P<city>[가-힣]{1,4}시)\s+(?P<district>[가-힣]{1,4}구)청?")


_DISTRICT_APART = re.compile(r" (?P<district>[가-힣]{1,4}구)청?(?=(?:은|는|이|가|도)(?![가-힣A-Za-z0-9]))")


def _city_district_acting(t: OrgTables, text: str, index: TokenIndex, found: list[Org]) -> list[Org]:
    """A listed city that is not metropolitan, then one of its districts written apart as the topic or subject
    (``안양시 만안구는 … 협약을 맺었다``): the district's office acts, one span named ``<city> <district>``
    (the metropolitan cities' are :func:`_metro_districts`'; a district in an address is no subject:
    ``안양시 만안구 안양동에``); a common noun ending in 구 is no district (``수원시 연구는``, Kiwi's NNG)."""
    out = list(found)
    for o in found:
        surface = text[o.start : o.end]
        m = _DISTRICT_APART.match(text, o.end)
        if (
            m is None
            or index.tag_at.get(m.start("district"), "").startswith("NNG")
            or o.kind != "government"
            or o.rule != "org.gazetteer"
            or not surface.endswith("시")
            or surface in t.metro
            or o.name in t.metro.values()
        ):
            continue
        out = [x for x in out if not (o.start <= x.start and x.end <= m.end())]
        out.append(Org(o.start, m.end(), f"{o.name} {m.group('district')}", o.kind, "org.city_district"))
    return out


def _district_names(t: OrgTables, text: str, found: list[Org]) -> list[Org]:
    """A district or county of a metropolitan city found alone, that no other city has (``미추홀구``,
    ``옹진군청``), in a document that names its city anywhere (a dateline's ``[인천=…]``, ``인천광역시약사회``), is
    named ``<city> <district>`` as where the city is written with it (인천광역시 미추홀구); a district written apart
    after a city not metropolitan (``청주시 상당구청``) is that city's, ``청주시 상당구``."""
    out = []
    for o in found:
        district = o.name.removesuffix("청")
        if o.kind == "government":
            m = _CITY_DISTRICT.fullmatch(text, o.start, o.end)
            if (
                len(t.district_cities.get(district, ())) == 1
                and district not in t.joined_later
                and any(form in text for form, city in t.metro.items() if city in t.district_cities[district])
            ):
                o = replace(o, name=f"{next(iter(t.district_cities[district]))} {district}")
            elif m and m.group("city") not in t.metro and o.name == _canonical_unknown(m.group()):
                o = replace(o, name=f"{m.group('city')} {m.group('district')}")
        out.append(o)
    return out


def _joined_to_office(t: OrgTables, text: str, end: int, found: list[Org]) -> bool:
    """A district joined by a comitative particle (``과``/``와``) to a government body found right after it (``인천 중구청과 옹진군청이
    추천했다``): the two offices share the role."""
    m = t.rx_and.match(text, end)
    return m is not None and any(o.start == m.end() and o.kind == "government" for o in found)


def _closes_sentence(line: str) -> bool:
    """A line that ends as a sentence does (``… 벼를 벴다.``), not as a headline (``… 장학금 전달``)."""
    return line.rstrip().endswith((".", "다"))


def _sub_headline(text: str, titled: int) -> int:
    """Where the headline ends, past a sub-headline: one more line right under the headline, then a blank line,
    with no sentence ending (``…어린이날엔 선물 2천 세트\\n과천시·지역아동센터연합회와 3자 협약, …\\n\\n[…]``)."""
    if not titled or text[titled : titled + 1] != "\n" or text[titled + 1 : titled + 2].isspace():
        return titled
    end = text.find("\n\n", titled + 1)
    line = text[titled + 1 : end]
    if end < 0 or "\n" in line or _closes_sentence(line):
        return titled
    return end
