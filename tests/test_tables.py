"""The data tables themselves: every table parses with its header, no key is listed twice, no
alias names two organisations, and the closed vocabularies hold only their values."""

from __future__ import annotations

from collections import Counter

import pytest

from pipeline.lexicon import DATA_DIR, read_table
from pipeline.orgs import OrgTables, normalise, read_gazetteer

# table → (header, the columns that identify a row). A new table gets a line here.
TABLES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "acronym_stopwords.tsv": (("word",), ("word",)),
    "acting_exceptions.tsv": (("kind", "word"), ("kind", "word")),
    "actor_words.tsv": (("word", "role", "kind"), ("word", "role")),
    "affiliate_words.tsv": (("word",), ("word",)),
    "org_descriptors.tsv": (("word", "kind", "note"), ("word",)),
    "org_non_heads.tsv": (("word", "note"), ("word",)),
    "metro_districts.tsv": (("city", "district", "note"), ("city", "district")),
    "anchor_words.tsv": (("word", "role"), ("word",)),
    "company_forms.tsv": (("form", "kind", "position", "note"), ("form",)),
    "counter_exceptions.tsv": (("unit", "next_word", "note"), ("unit", "next_word")),
    "counters.tsv": (("counter", "unit", "native_ok", "bound_only", "orgs"), ("counter",)),
    "countries.tsv": (("name", "aliases"), ("name",)),
    "currencies.tsv": (("surface", "unit", "position", "scale", "sino_digit"), ("surface", "position")),
    "date_parts.tsv": (("word", "kind", "value", "applies_to"), ("word",)),
    "date_words.tsv": (("word", "unit", "offset", "reference", "figurative"), ("word",)),
    "durations.tsv": (("word", "value", "needs_span"), ("word",)),
    "event_categories.tsv": (("category", "cue", "light"), ("cue",)),
    "generic_org_words.tsv": (("word",), ("word",)),
    "non_counters.tsv": (("word", "reason"), ("word",)),
    "holidays.tsv": (("word", "source", "key", "lunar", "needs_cue"), ("word",)),
    "html_boilerplate.tsv": (("heading",), ("heading",)),
    "non_organizations.tsv": (("surface", "note"), ("surface",)),
    "month_names.tsv": (("word", "month", "needs_more"), ("word",)),
    "money_words.tsv": (("word", "position", "unit"), ("word", "position")),
    "amount_lists.tsv": (("word", "role"), ("word",)),
    "numerals.tsv": (("surface", "value", "role"), ("surface", "role")),
    "org_bylines.tsv": (("pattern", "note"), ("pattern",)),
    "org_contexts.tsv": (("kinds", "before", "after", "note"), ("kinds", "before", "after")),
    "org_history.tsv": (("former", "current", "since", "note"), ("former",)),
    "org_roles.tsv": (("role", "proper", "pattern", "note"), ("pattern",)),
    "org_suffixes.tsv": (("suffix", "kind", "needs_proper", "min_len", "apart"), ("suffix",)),
    "org_titles.tsv": (("title",), ("title",)),
    "org_venues.tsv": (("head",), ("head",)),
    "org_name_tails.tsv": (("word",), ("word",)),
    "org_closed_words.tsv": (("word", "role"), ("word", "role")),
    "org_head_abbreviations.tsv": (("short", "full"), ("short",)),
    "organizations.tsv": (("name", "kind", "aliases", "generic"), ("name",)),
    "particles.tsv": (("particle", "function", "actor"), ("particle",)),
    "qualifiers.tsv": (("word", "qualifier", "position", "particle"), ("word", "position")),
    "reporting_verbs.tsv": (("stem", "kind"), ("stem",)),
}
# keys compared as the code compares them
FOLD = {
    "counters.tsv": str.lower,
    "currencies.tsv": str.lower,
    "generic_org_words.tsv": normalise,
    "non_organizations.tsv": normalise,
    "organizations.tsv": normalise,
    "acronym_stopwords.tsv": str.lower,
}


def test_every_table_is_listed():
    present = {p.name for p in DATA_DIR.iterdir() if p.is_file()}
    assert present == set(TABLES), "a table without an entry in TABLES (or an entry without a table)"


@pytest.mark.parametrize("name", sorted(TABLES))
def test_table_parses_with_its_header(name):
    header, _ = TABLES[name]
    rows = read_table(name)
    assert rows, f"{name} has no rows"
    assert tuple(rows[0]) == header
    for row in rows:
        for column in header:
            if column not in ("note", "aliases", "generic"):
                assert row[column], f"{name}: empty {column} in {row}"


@pytest.mark.parametrize("name", sorted(TABLES))
def test_no_key_twice(name):
    _, key = TABLES[name]
    fold = FOLD.get(name, lambda s: s)
    counts = Counter(tuple(fold(row[c]) for c in key) for row in read_table(name))
    assert [k for k, n in counts.items() if n > 1] == []


def test_generic_aliases_are_aliases_of_their_row():
    """organizations.tsv's `generic`: the names of its row that alone also name a kind of body (신협)."""
    for row in read_table("organizations.tsv"):
        names = {normalise(a) for a in [row["name"], *row["aliases"].split("|")] if a}
        assert {normalise(g) for g in row["generic"].split("|") if g} <= names, row


def test_read_table_refuses_a_row_with_missing_fields(tmp_path):
    (tmp_path / "t.tsv").write_text("a\tb\nx\n", encoding="utf-8")
    with pytest.raises(ValueError, match="wrong number of fields"):
        read_table("t.tsv", tmp_path)


def test_no_alias_names_two_organisations():
    """The loader refuses a clash, so loading the packaged gazetteer is the check."""
    gazetteer = read_gazetteer(DATA_DIR / "organizations.tsv", DATA_DIR / "non_organizations.tsv")
    assert gazetteer[normalise("Samsung Electronics")] == ("삼성전자", "company")
    assert gazetteer[normalise("카카오톡")] is None


def test_gazetteer_loader_refuses_an_alias_clash(tmp_path):
    (tmp_path / "organizations.tsv").write_text(
        "name\tkind\taliases\n한국전력공사\tpublic\t한전\n한국전자\tcompany\t한 전\n", encoding="utf-8"
    )
    with pytest.raises(ValueError, match="names both"):
        read_gazetteer(tmp_path / "organizations.tsv")


def test_gazetteer_loader_refuses_a_blocked_alias(tmp_path):
    (tmp_path / "organizations.tsv").write_text("name\tkind\taliases\n카카오\tcompany\t카카오톡\n", encoding="utf-8")
    (tmp_path / "non_organizations.tsv").write_text("surface\tnote\n카카오톡\tmessenger\n", encoding="utf-8")
    with pytest.raises(ValueError, match="also an alias"):
        read_gazetteer(tmp_path / "organizations.tsv", tmp_path / "non_organizations.tsv")


def test_same_alias_twice_for_one_organisation_is_fine(tmp_path):
    (tmp_path / "organizations.tsv").write_text(
        "name\tkind\taliases\nOECD\tinternational\toecd|O E C D\n", encoding="utf-8"
    )
    assert read_gazetteer(tmp_path / "organizations.tsv") == {"oecd": ("OECD", "international")}


def test_no_country_alias_names_two_countries():
    seen: dict[str, str] = {}
    for row in read_table("countries.tsv"):
        for alias in [row["name"], *filter(None, row["aliases"].split("|"))]:
            assert seen.setdefault(alias, row["name"]) == row["name"], alias


def test_packaged_org_tables_load():
    t = OrgTables.load()
    assert t.gazetteer and t.suffixes and t.venues and t.acronym_stop


ORG_KINDS = {r["kind"] for r in read_table("organizations.tsv")}


@pytest.mark.parametrize(
    "name,column,allowed",
    [
        ("counters.tsv", "native_ok", {"yes", "no"}),
        ("counters.tsv", "bound_only", {"yes", "no"}),
        ("counters.tsv", "orgs", {"yes", "no"}),
        ("currencies.tsv", "position", {"before", "after"}),
        ("currencies.tsv", "sino_digit", {"yes", "no"}),
        ("money_words.tsv", "position", {"before", "after"}),
        ("amount_lists.tsv", "role", {"separator", "total"}),
        ("qualifiers.tsv", "position", {"before", "after", "infix", "between", "attached"}),
        ("qualifiers.tsv", "particle", {"yes", "no"}),
        ("org_suffixes.tsv", "needs_proper", {"yes", "name", "no", "parent", "role", "acting", "unit"}),
        ("org_suffixes.tsv", "kind", ORG_KINDS | {"-"}),
        ("org_suffixes.tsv", "apart", {"yes", "any", "town", "unit", "place", "no"}),
        ("company_forms.tsv", "kind", ORG_KINDS),
        ("org_descriptors.tsv", "kind", ORG_KINDS),
        (
            "org_roles.tsv",
            "role",
            {
                "staff",
                "actor",
                "partner",
                "owner",
                "head",
                "with",
                "recipient",
                "source",
                "listed",
                "parent",
                "titled",
                "via",
                "listed_actor",
                "sponsor",
                "giver",
                "subject",
                "funder",
                "funds",
                "department",
            },
        ),
        ("acting_exceptions.tsv", "kind", {"surname", "title", "place", "given_end"}),
        ("org_roles.tsv", "proper", {"yes", "no"}),
        (
            "actor_words.tsv",
            "role",
            {
                "staff",
                "anaphor",
                "person",
                "group",
                "pair",
                "sponsor",
                "any",
                "plural",
                "activity",
                "unit",
                "both",
                "visit",
                "also",
                "opening",
                "clause",
                "ending",
                "member",
                "joins",
                "takes_part",
                "pseudonym",
            },
        ),
        (
            "anchor_words.tsv",
            "role",
            {
                "comparison",
                "classifies",
                "clause_end",
                "term",
                "plan",
                "goal",
                "goal_set",
                "copula",
                "occasion",
                "ahead",
                "measure",
                "source",
                "finding",
                "stamp",
                "stamp_field",
                "contact",
                "roundup",
                "future",
                "said",
                "speech",
                "founded",
                "background",
                "as_of",
                "handed",
                "made",
                "body",
                "started",
                "undone",
                "crowd_act",
                "changed",
                "continued",
                "every",
                "ahead_by",
                "ongoing",
                "disaster",
                "happening",
                "happening_after",
                "purpose",
            },
        ),
        # an `ending` row's kind is the back-reference it lets stand for a name (FC → 구단)
        (
            "actor_words.tsv",
            "kind",
            ORG_KINDS | {"-"} | {r["word"] for r in read_table("actor_words.tsv") if r["role"] == "anaphor"},
        ),
        ("particles.tsv", "actor", {"yes", "no"}),
        (
            "org_closed_words.tsv",
            "role",
            {
                "determiner",
                "admin_level",
                "branch_head",
                "national",
                "member",
                "mission",
                "stationed",
                "temple_order",
                "temple_office",
                "not_temple",
            },
        ),
        ("numerals.tsv", "role", {"digit", "small", "big", "native", "native_ten", "zero"}),
    ],
)
def test_closed_vocabularies(name, column, allowed):
    values = {row[column] for row in read_table(name)}
    assert values <= allowed, values - allowed


def test_org_context_kinds_are_org_kinds():
    for row in read_table("org_contexts.tsv"):
        assert set(row["kinds"].split(",")) <= ORG_KINDS | {"*"}, row


def test_no_counter_is_also_a_currency():
    counters = {r["counter"].lower() for r in read_table("counters.tsv")}
    currencies = {r["surface"].lower() for r in read_table("currencies.tsv")}
    assert counters & currencies == set()


def test_no_counter_is_also_a_non_counter():
    counters = {r["counter"].lower() for r in read_table("counters.tsv")}
    assert counters & {r["word"].lower() for r in read_table("non_counters.tsv")} == set()


def test_currency_scales_are_positive_numbers():
    from decimal import Decimal

    assert all(Decimal(r["scale"]) > 0 for r in read_table("currencies.tsv"))
