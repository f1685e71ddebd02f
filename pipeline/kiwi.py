"""The process's one Kiwi (kiwipiepy) instance, and its analysis as plain tuples.

Kiwi's model ships in the ``kiwipiepy-model`` package: nothing is fetched at run time. Loading
takes about 3.5 s (1.3 s to construct, 2.2 s more on the first analysis, which loads the language
model lazily), so :func:`warm_up_in_background` lets the command line start it while it imports
spaCy and reads the inputs. This module does not import spaCy.

:func:`kiwi_sentences` analyses one text in the calling thread (which holds the GIL);
:func:`analyse_ahead` analyses a stream of texts through Kiwi's batch API (``tokenize(iterable)``),
on Kiwi's own threads, which release the GIL: Kiwi works on the next documents while Python
extracts from the current one. Both give the same analysis.
"""

from __future__ import annotations

import os
import re
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

_LOCK = threading.Lock()
_KIWI = None
_MATCH = None
_OWNER = 0  # the pid of the process that loaded Kiwi: the only one whose thread pool has threads
THREADS = 2  # Kiwi's threads for the batch API: one analyses ahead while Python extracts, one spare

Morpheme = tuple[int, int, str, str]  # (start, end, form, tag), offsets into the analysed text
Sentences = list[list[Morpheme]]
T = TypeVar("T")


def get_kiwi():
    """The process's Kiwi, loaded and warmed up once (thread-safe)."""
    global _KIWI, _MATCH, _OWNER
    if _KIWI is None:
        with _LOCK:
            if _KIWI is None:
                from kiwipiepy import Kiwi, Match

                # Kiwi's SERIAL pattern swallows "2020. 3. 15. 20.9.22" and phone numbers whole,
                # across spaces; dates and amounts are found by our own rules, so it stays off.
                _MATCH = Match.URL | Match.EMAIL | Match.HASHTAG | Match.MENTION | Match.EMOJI | Match.NORMALIZING_CODA
                # A thread pool serves the batch API only (one text is analysed in the calling
                # thread). A process forked from this one (--workers) inherits the pool without its
                # threads: there :func:`analyse_ahead` analyses text by text (see :func:`_batch_ok`).
                kiwi = Kiwi(num_workers=min(THREADS, os.cpu_count() or 1), load_multi_dict=False)
                kiwi.tokenize("카카오는 2020년 3월 기부했다.", match_options=_MATCH)  # loads the model
                _OWNER = os.getpid()
                _KIWI = kiwi
    return _KIWI


def warm_up_in_background() -> threading.Thread:
    """Start loading Kiwi in a daemon thread (its C++ loading runs beside Python imports)."""
    thread = threading.Thread(target=get_kiwi, name="kiwi-warm-up", daemon=True)
    thread.start()
    return thread


CHUNK = 8_000
_SENTENCE_END = re.compile(r"[.!?。]\s")


def chunks(text: str, size: int = CHUNK) -> list[tuple[int, int]]:
    """``(start, end)`` pieces of at most ``size`` characters, cut at a line break, else after a
    sentence end, else at a space. Kiwi's time per character grows with the length of what it is
    given (400,000 characters at once ran at half the speed of 25,000), so long documents go to it
    piece by piece and the pipeline stays linear."""
    out, pos, n = [], 0, len(text)
    while pos < n:
        end = pos + size
        if end >= n:
            out.append((pos, n))
            break
        window = text[pos + size // 2 : end]
        cut = window.rfind("\n")
        if cut < 0:
            ends = list(_SENTENCE_END.finditer(window))
            cut = ends[-1].start() + 1 if ends else window.rfind(" ")
        end = pos + size // 2 + cut + 1 if cut >= 0 else end
        out.append((pos, end))
        pos = end
    return out


def _add_sentences(out: Sentences, start: int, sents) -> None:
    """Kiwi's sentences of a piece that starts at ``start``, appended to ``out`` as morpheme tuples."""
    for sent in sents:
        morphs = [(start + t.start, start + t.start + t.len, t.form, t.tag) for t in sent]
        if morphs:
            out.append(morphs)


def kiwi_sentences(text: str) -> Sentences:
    """Kiwi's analysis as sentences of ``(start, end, form, tag)`` morphemes (offsets into ``text``):
    the one :func:`analyse_ahead` made for the text it is handing out, else Kiwi's, now."""
    ready = _READY.pop(text, None)
    if ready is not None:
        return ready
    kiwi = get_kiwi()
    out: Sentences = []
    for start, end in chunks(text):
        _add_sentences(out, start, kiwi.tokenize(text[start:end], split_sents=True, match_options=_MATCH))
    return out


# text → its analysis, made ahead, for the item analyse_ahead is handing out (taken once)
_READY: dict[str, Sentences] = {}

# Kiwi's batch API reads text as UTF-8 and lets a lone surrogate through, where one text raises
# (UnicodeDecodeError): such a text goes the one-text way, so it fails as it always has.
_SURROGATE = re.compile("[\ud800-\udfff]")


def _batch_ok() -> bool:
    return get_kiwi().num_workers > 1 and os.getpid() == _OWNER


def analyse_ahead(items: Iterable[T], text_of: Callable[[T], str | None]) -> Iterator[T]:
    """The items, in order, each handed out once Kiwi has analysed ``text_of(item)``: until the
    caller asks for the next item, :func:`kiwi_sentences` of that text returns the analysis made
    ahead instead of making it. Kiwi analyses the texts through its batch API
    (``Kiwi.tokenize(iterable)``, reading a few dozen pieces ahead) on its own threads, which do
    not hold the GIL: it works on the next documents while the caller extracts from this one.
    Nothing is made ahead for an item whose ``text_of`` is None, in a process without Kiwi's
    threads (a forked worker, one core), nor from the first text Kiwi's batch fails on (the
    caller's own call then raises for it). An error of ``items`` itself is raised in its turn."""
    source = iter(items)
    if not _batch_ok():
        yield from source
        return
    plans: deque[tuple[T, str | None, list[tuple[int, int]]]] = deque()
    failed: list[Exception] = []

    def pieces() -> Iterator[str]:
        while True:
            try:
                item = next(source)
                text = text_of(item)
            except StopIteration:
                return
            except Exception as exc:  # raised when the items read before it are handed out
                failed.append(exc)
                return
            if text is not None and _SURROGATE.search(text):
                text = None
            bounds = chunks(text) if text is not None else []
            plans.append((item, text, bounds))
            for a, b in bounds:
                yield text[a:b]  # type: ignore[index]  # bounds is empty when text is None

    def hand_out(item: T, text: str | None, sentences: Sentences) -> Iterator[T]:
        if text is None:
            yield item
            return
        _READY[text] = sentences
        try:
            yield item
        finally:
            _READY.pop(text, None)  # not taken: the document failed before its tokenizer ran

    out: Sentences = []
    done = 0  # pieces of plans[0] analysed
    try:
        for sents in get_kiwi().tokenize(pieces(), split_sents=True, match_options=_MATCH):
            while not plans[0][2]:  # items read before this piece's that have no piece
                item, text, _ = plans.popleft()
                yield from hand_out(item, text, [])
            item, text, bounds = plans[0]
            _add_sentences(out, bounds[done][0], sents)
            done += 1
            if done == len(bounds):
                plans.popleft()
                yield from hand_out(item, text, out)
                out, done = [], 0
    except Exception:  # Kiwi failed on a piece: that document and the rest, one by one
        yield from (plan[0] for plan in plans)
        plans.clear()
        if not failed:
            yield from source
    while plans:
        item, text, _ = plans.popleft()
        yield from hand_out(item, text, [])
    if failed:
        raise failed[0]
