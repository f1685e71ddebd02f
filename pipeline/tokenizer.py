"""Kiwi as a spaCy tokenizer: morphemes → tokens, Kiwi's sentences → ``Token.is_sent_start``.

spaCy's own Korean language class needs mecab; we use Kiwi (kiwipiepy, whose model ships in
the ``kiwipiepy-model`` package, so nothing is fetched at run time). Kiwi loads once per process
(:func:`pipeline.kiwi.get_kiwi`). Morphemes that share characters (``했`` → ``하/XSV`` + ``었/EP``) become one
token whose ``tag_`` and ``lemma_`` join the parts with ``+`` (as spaCy's MeCab wrapper does), so
``doc.text`` is always the input text, character for character.
"""

from __future__ import annotations

import functools
import itertools

import spacy
from spacy.tokens import Doc
from spacy.vocab import Vocab

from .kiwi import kiwi_sentences
from .lexicon import read_table
from .spans import TEXT_KEY

# Tags of tokens that may make up a scraped date fragment trailing its sentence ("… 2020.3 .").
_FRAGMENT_TAGS = {"SN", "SF", "SP", "SO", "SW", "SSO", "SSC"}


def _merge_fragments(sents: list[list[tuple]]) -> list[list[tuple]]:
    """Join a numbers-only fragment (``2020.3 .``) to the sentence before it when that sentence
    has no final punctuation: scraped text writes the date after the sentence it belongs to."""
    merged: list[list[tuple]] = []
    for sent in sents:
        lead = 0
        while lead < len(sent) and sent[lead][3] in _FRAGMENT_TAGS:
            lead += 1
        has_number = any(m[3] == "SN" for m in sent[:lead])
        if merged and has_number and merged[-1][-1][3] != "SF":
            # the whole sentence is the fragment, or Kiwi put the fragment at the start of the next
            # sentence ("… 했습니다 2022. 10. 통신업계의 …")
            merged[-1] = merged[-1] + sent[:lead]
            sent = sent[lead:]
        if sent:
            merged.append(sent)
    return merged


@functools.cache
def _opening_forms() -> tuple[str, ...]:
    """Legal-form marks that may open a name (``data/company_forms.tsv``: ``(주)``, ``㈜``, ``(사)``,
    ``(재)``, ``주식회사`` …), longest first."""
    return tuple(sorted((r["form"] for r in read_table("company_forms.tsv")), key=len, reverse=True))


def _keep_forms_with_names(text: str, sents: list[list[tuple]]) -> list[list[tuple]]:
    """Kiwi may end a sentence right after a legal-form mark that opens the next one's first name
    (``전달했습니다 (주)|LG는``, ``기부했다. ㈜|한빛테크는``): the mark, glued to that name, moves to
    the next sentence, so the sentence ends before it. A mark followed by a space or a line break
    closes the name before it (``한빛테크 ㈜``) and stays."""
    out = [list(s) for s in sents]
    for cur, nxt in itertools.pairwise(out):
        if not cur or not nxt:
            continue
        head = nxt[0][0]
        form = next((f for f in _opening_forms() if text.endswith(f, 0, head)), None)
        if form is None:
            continue
        k = len(cur)
        while k > 0 and cur[k - 1][0] >= head - len(form):
            k -= 1
        if k == 0 or cur[k][0] != head - len(form) or cur[-1][1] > head:
            continue  # the mark is not whole morphemes at the sentence's end, or is all of it
        nxt[:0] = cur[k:]
        del cur[k:]
    return out


class KiwiTokenizer:
    """Callable ``text → Doc`` for ``nlp.tokenizer``."""

    def __init__(self, vocab: Vocab):
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        words: list[str] = []
        spaces: list[bool] = []
        tags: list[str] = []
        lemmas: list[str] = []
        sent_starts: list[bool | int | None] = []  # spaCy's Doc() takes this type
        pos = 0

        def add(start: int, end: int, tag: str, lemma: str, sent_start: bool) -> None:
            words.append(text[start:end])
            spaces.append(False)
            tags.append(tag)
            lemmas.append(lemma)
            sent_starts.append(sent_start)

        def gap(upto: int) -> None:
            nonlocal pos
            chunk = text[pos:upto]
            i = 0
            while i < len(chunk):
                if chunk[i].isspace():
                    j = i
                    while j < len(chunk) and chunk[j].isspace():
                        j += 1
                    ws = chunk[i:j]
                    if ws.startswith(" ") and words and not spaces[-1] and not words[-1].isspace():
                        spaces[-1] = True
                        ws = ws[1:]
                    if ws:
                        add(pos + j - len(ws), pos + j, "_SP", ws, False)
                    i = j
                else:
                    j = i
                    while j < len(chunk) and not chunk[j].isspace():
                        j += 1
                    add(pos + i, pos + j, "UNK", chunk[i:j], False)
                    i = j
            pos = upto

        for sent in _keep_forms_with_names(text, _merge_fragments(kiwi_sentences(text))):
            first = True
            # morphemes sharing characters (했 = 하 + 었) or of zero width merge into one token
            groups: list[list[tuple]] = []
            for m in sent:
                if groups and (m[0] < groups[-1][-1][1] or m[1] <= m[0]):
                    groups[-1].append(m)
                else:
                    groups.append([m])
            for g in groups:
                start = g[0][0] if g[0][0] > pos else pos
                end = max(x[1] for x in g) if len(g) > 1 else g[0][1]
                if end <= start:
                    continue
                if start != pos:
                    if start == pos + 1 and text[pos] == " " and words and not spaces[-1]:
                        spaces[-1] = True  # the common case: one space between tokens
                        pos = start
                    else:
                        gap(start)
                words.append(text[start:end])
                spaces.append(False)
                if len(g) == 1:
                    tags.append(g[0][3])
                    lemmas.append(g[0][2])
                else:
                    tags.append("+".join(x[3] for x in g))
                    lemmas.append("+".join(x[2] for x in g))
                sent_starts.append(first)
                first = False
                pos = end
        gap(len(text))
        if sent_starts:
            sent_starts[0] = True
        if not words:
            return Doc(self.vocab, words=[], spaces=[])
        doc = Doc(self.vocab, words=words, spaces=spaces, tags=tags, lemmas=lemmas, sent_starts=sent_starts)
        if sum(len(w) for w in words) + sum(spaces) != len(text):  # pragma: no cover - never expected
            raise AssertionError("tokenizer changed the text")
        doc.user_data[TEXT_KEY] = text  # spaCy allows tuple keys (its own use them)
        return doc

    # spaCy serialises the tokenizer with the pipeline; Kiwi itself needs no state.
    def to_bytes(self, **kwargs) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs) -> KiwiTokenizer:
        return self

    def to_disk(self, path, **kwargs) -> None:
        pass

    def from_disk(self, path, **kwargs) -> KiwiTokenizer:
        return self


@spacy.registry.tokenizers("csr.KiwiTokenizer.v1")
def create_kiwi_tokenizer():
    def make(nlp):
        return KiwiTokenizer(nlp.vocab)

    return make
