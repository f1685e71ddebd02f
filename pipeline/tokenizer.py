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
import re

import spacy
from spacy.tokens import Doc
from spacy.vocab import Vocab

from .kiwi import kiwi_sentences
from .lexicon import read_table
from .spans import TEXT_KEY, build_doc

# text no morpheme covers: a run of whitespace (group 1), or of anything else
_GAP = re.compile(r"(\s+)|\S+")

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
        while 0 < lead < len(sent) and sent[lead - 1][3] == "SSO":
            lead -= 1  # an opening bracket opens what follows it (— (주)한빛통신이), never ends a fragment
        has_number = any(m[3] == "SN" for m in sent[:lead])
        # a fragment ends where a word does: `2020` glued to `년` opens a date of its own sentence
        # (a heading with no final punctuation above `2020년 배출량은 …`), and stays there
        whole = lead == len(sent) or sent[lead][0] > sent[lead - 1][1]
        if merged and has_number and whole and merged[-1][-1][3] != "SF":
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
    forms = _opening_forms()
    for cur, nxt in itertools.pairwise(out):
        if not cur or not nxt:
            continue
        head = nxt[0][0]
        if not text.endswith(forms, 0, head):  # (one test for all the marks: most sentences have none)
            continue
        form = next(f for f in forms if text.endswith(f, 0, head))
        k = len(cur)
        while k > 0 and cur[k - 1][0] >= head - len(form):
            k -= 1
        if k == len(cur) or cur[k][0] != head - len(form) or cur[-1][1] > head:
            continue  # the mark is not whole morphemes at the sentence's end (or in no sentence at all)
        nxt[:0] = cur[k:]  # a mark Kiwi made a sentence of its own joins its name too (제목\n\n(재)|한빛재단은)
        del cur[k:]
    return [s for s in out if s]


class KiwiTokenizer:
    """Callable ``text → Doc`` for ``nlp.tokenizer``."""

    def __init__(self, vocab: Vocab):
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        words: list[str] = []
        spaces: list[bool] = []
        tags: list[str] = []
        lemmas: list[str] = []
        starts: list[int] = []  # indices of the tokens that open a sentence
        pos = 0

        def gap(upto: int) -> None:
            """Tokens for text no morpheme covers: whitespace (a single space after a token is its
            ``whitespace_``) and anything else as ``UNK``, split at whitespace."""
            for m in _GAP.finditer(text, pos, upto):
                a, b = m.span()
                if m.group(1) is None:
                    words.append(m.group())
                    spaces.append(False)
                    tags.append("UNK")
                    lemmas.append(m.group())
                    continue
                if text[a] == " " and words and not spaces[-1] and not words[-1].isspace():
                    spaces[-1] = True
                    a += 1
                if a < b:
                    words.append(text[a:b])
                    spaces.append(False)
                    tags.append("_SP")
                    lemmas.append(text[a:b])

        for sent in _keep_forms_with_names(text, _merge_fragments(kiwi_sentences(text))):
            first = True
            n, k = len(sent), 0
            while k < n:
                # a morpheme sharing characters with the one before (했 = 하 + 었) or of zero
                # width joins its token
                start, end, form, tag = sent[k]
                last, j = end, k + 1
                while j < n and (sent[j][0] < last or sent[j][1] <= sent[j][0]):
                    last = sent[j][1]
                    end = max(end, last)
                    j += 1
                if start < pos:
                    start = pos
                if end > start:
                    if start != pos:
                        if start == pos + 1 and text[pos] == " " and words and not spaces[-1]:
                            spaces[-1] = True  # the common case: one space between tokens
                        else:
                            gap(start)
                    if first:
                        starts.append(len(words))
                        first = False
                    words.append(text[start:end])
                    spaces.append(False)
                    if j == k + 1:
                        tags.append(tag)
                        lemmas.append(form)
                    else:
                        tags.append("+".join(m[3] for m in sent[k:j]))
                        lemmas.append("+".join(m[2] for m in sent[k:j]))
                    pos = end
                k = j
        gap(len(text))
        if not words:
            return Doc(self.vocab, words=[], spaces=[])
        add = self.vocab.strings.add
        if sum(map(len, words)) + sum(spaces) != len(text):  # pragma: no cover - never expected
            raise AssertionError("tokenizer changed the text")
        starts[:0] = [0]  # the first token opens a sentence, whatever precedes Kiwi's first
        doc = build_doc(self.vocab, words, spaces, [add(t) for t in tags], [add(lem) for lem in lemmas], starts)
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
