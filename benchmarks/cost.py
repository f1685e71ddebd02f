"""Where the pipeline's CPU goes, per character: Kiwi's analysis, the tokenizer's own work beyond
it (morphemes → a spaCy Doc), and each component, in CPU microseconds per character of input.

    python benchmarks/cost.py [--min-chars 300000] [--repeat 3] [--profile N]

The text is the one ``benchmarks/throughput.py`` uses (the seed article and every gold fixture,
repeated until it reaches ``--min-chars`` characters), analysed one document at a time in this
process. Kiwi's analysis is made first for every document, so that the tokenizer's figure is its
own work only. CPU time (``time.process_time``) is used, not wall time, so that other work on the
machine changes the figures little, and each stage's figure is its least over ``--repeat`` passes
(what other work adds is never negative); compare figures of one run (the ratios), not across machines.
``--profile N`` also prints cProfile's N most expensive functions (cumulative) over the
components. Nothing is written anywhere.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a file: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.throughput import corpus


def measure(min_chars: int, repeat: int = 1, profile: int = 0) -> tuple[int, dict[str, float]]:
    """Characters analysed and CPU seconds per stage (``kiwi``, ``tokenizer``, each component), the
    least of ``repeat`` passes over the text."""
    from pipeline import kiwi
    from pipeline.nlp import annotate, get_nlp

    nlp = get_nlp()
    annotate("워밍업 2020년 3월 카카오는 5억 원을 기부했다.", "2021-06")  # loads what loads lazily
    texts = corpus(min_chars)
    stages = ["kiwi", "tokenizer", *nlp.pipe_names]
    best = dict.fromkeys(stages, float("inf"))
    profiler = cProfile.Profile() if profile else None
    for _ in range(repeat):
        seconds = dict.fromkeys(stages, 0.0)
        for text in texts:
            t = time.process_time()
            analysis = kiwi.kiwi_sentences(text)
            seconds["kiwi"] += time.process_time() - t
            kiwi._READY[text] = analysis  # the tokenizer takes it instead of analysing again
            t = time.process_time()
            doc = nlp.make_doc(text)
            seconds["tokenizer"] += time.process_time() - t
            doc._.published = "2021-06"
            if profiler:
                profiler.enable()
            for name, proc in nlp.pipeline:
                t = time.process_time()
                doc = proc(doc)
                seconds[name] += time.process_time() - t
            if profiler:
                profiler.disable()
        best = {name: min(best[name], seconds[name]) for name in stages}
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(profile)
    return sum(map(len, texts)), best


def table(chars: int, seconds: dict[str, float]) -> str:
    python = sum(s for name, s in seconds.items() if name != "kiwi")
    rows = [f"{chars:,} characters", "", f"{'stage':<16}{'µs/char':>9}{'share':>8}"]
    for name, s in seconds.items():
        rows.append(f"{name:<16}{s / chars * 1e6:>9.2f}{s / (python + seconds['kiwi']):>8.0%}")
    rows.append(f"{'python (not kiwi)':<16}{python / chars * 1e6:>9.2f}{python / (python + seconds['kiwi']):>8.0%}")
    rows.append(f"{'python ÷ kiwi':<16}{python / seconds['kiwi']:>9.2f}")
    return "\n".join(rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--min-chars", type=int, default=300_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--profile", type=int, default=0, metavar="N")
    args = ap.parse_args()
    chars, seconds = measure(args.min_chars, args.repeat, args.profile)
    print(table(chars, seconds))


if __name__ == "__main__":
    main()
