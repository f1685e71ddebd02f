"""The process's one Kiwi (kiwipiepy) instance, and its analysis as plain tuples.

Kiwi's model ships in the ``kiwipiepy-model`` package: nothing is fetched at run time. Loading
takes about 3.5 s (1.3 s to construct, 2.2 s more on the first analysis, which loads the language
model lazily), so :func:`warm_up_in_background` lets the command line start it while it imports
spaCy and reads the inputs. This module does not import spaCy.
"""
from __future__ import annotations

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


def kiwi_sentences(text: str) -> list[list[tuple[int, int, str, str]]]:
    """Kiwi's analysis as sentences of ``(start, end, form, tag)`` morphemes."""
    kiwi = get_kiwi()
    out = []
    for sent in kiwi.tokenize(text, split_sents=True, match_options=_MATCH):
        morphs = [(t.start, t.start + t.len, t.form, t.tag) for t in sent]
        if morphs:
            out.append(morphs)
    return out
