"""The process's one Kiwi (kiwipiepy) instance, and its analysis as plain tuples.

Kiwi's model ships in the ``kiwipiepy-model`` package: nothing is fetched at run time. Loading
takes about 3.5 s (1.3 s to construct, 2.2 s more on the first analysis, which loads the language
model lazily), so :func:`warm_up_in_background` lets the command line start it while it imports
spaCy and reads the inputs. This module does not import spaCy.
"""

from __future__ import annotations

import re
import threading

_LOCK = threading.Lock()
_KIWI = None
_MATCH = None


def get_kiwi():
    """The process's Kiwi, loaded and warmed up once (thread-safe)."""
    global _KIWI, _MATCH
    if _KIWI is None:
        with _LOCK:
            if _KIWI is None:
                from kiwipiepy import Kiwi, Match

                # Kiwi's SERIAL pattern swallows "2020. 3. 15. 20.9.22" and phone numbers whole,
                # across spaces; dates and amounts are found by our own rules, so it stays off.
                _MATCH = Match.URL | Match.EMAIL | Match.HASHTAG | Match.MENTION | Match.EMOJI | Match.NORMALIZING_CODA
                # one thread: we parallelise across processes (--workers), and a process forked
                # from one whose Kiwi runs a thread pool would inherit a pool with no threads
                kiwi = Kiwi(num_workers=1, load_multi_dict=False)
                kiwi.tokenize("카카오는 2020년 3월 기부했다.", match_options=_MATCH)  # loads the model
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


def kiwi_sentences(text: str) -> list[list[tuple[int, int, str, str]]]:
    """Kiwi's analysis as sentences of ``(start, end, form, tag)`` morphemes (offsets into ``text``)."""
    kiwi = get_kiwi()
    out = []
    for start, end in chunks(text):
        for sent in kiwi.tokenize(text[start:end], split_sents=True, match_options=_MATCH):
            morphs = [(start + t.start, start + t.start + t.len, t.form, t.tag) for t in sent]
            if morphs:
                out.append(morphs)
    return out
