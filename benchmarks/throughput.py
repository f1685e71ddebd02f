"""Speed, in one run on the same text: bare Kiwi (one thread, and batched on N threads), the
pipeline in one process, `run --workers N` and `run --engine dask`.

    python benchmarks/throughput.py [--min-chars 1000000] [--write BENCHMARKS.md]

The text is the seed article plus every gold fixture document, repeated until it reaches
``--min-chars`` characters. Figures: characters per second of bare Kiwi tokenisation
(``Kiwi.tokenize`` with sentence splitting, as the pipeline calls it), of Kiwi's batch API on N
threads (``Kiwi(num_workers=N).tokenize(iterable)``, the same pieces; the GIL is released), of the
full pipeline in one process (tokenise, extract, link events) one document after the other and
with Kiwi analysing the next documents on its own threads meanwhile (``kiwi.analyse_ahead``, the
way ``run`` and ``extract_folder`` call it in one process), of ``python -m pipeline run
--workers N`` for N = 1, 2 and of ``run --engine dask --workers 2`` (a Dask LocalCluster of two
worker processes, started by the run; skipped when dask is not installed) on the same text written
as files (so reading and writing CSVs count too); the cold-start time of ``python -m pipeline run``
on the seed alone; peak memory (max RSS) per process; and the ratios the targets are stated in.
"""

from __future__ import annotations

import importlib.util
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a file: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import ROOT, Figure, argument_parser, article_texts

FIGURE = Figure("throughput", "python benchmarks/throughput.py --write BENCHMARKS.md", "## Throughput")


def corpus(min_chars: int) -> list[str]:
    """The seed and fixture articles, repeated until they reach ``min_chars`` characters."""
    texts = article_texts()
    out, n = [], 0
    while n < min_chars:
        for t in texts:
            out.append(t)
            n += len(t)
    return out


def timed_run(args: list[str]) -> tuple[float, int]:
    """Wall seconds and peak RSS (MiB) of the largest process of a `python -m pipeline` command: its
    own, its reaped children's, and every descendant's seen by polling ``/proc`` twice a second (dask's
    workers are children of a forkserver, not of the command)."""
    code = (
        "import os, resource, runpy, sys, json, threading, time\n"
        "sys.argv = ['pipeline'] + json.loads(sys.argv[1])\n"
        "seen = [0]\n"
        "def watch():  # grandchildren (workers forked from dask's forkserver) are no children of ours: poll them\n"
        "    while True:\n"
        "        kids, tree = {}, {os.getpid()}\n"
        "        for d in os.listdir('/proc'):\n"
        "            try:\n"
        "                kids[int(d)] = int(open(f'/proc/{d}/stat').read().rsplit(')', 1)[1].split()[1])\n"
        "            except (ValueError, OSError, IndexError):\n"
        "                pass\n"
        "        while True:\n"
        "            more = {pid for pid, ppid in kids.items() if ppid in tree} - tree\n"
        "            if not more:\n"
        "                break\n"
        "            tree |= more\n"
        "        for pid in tree - {os.getpid()}:\n"
        "            try:\n"
        "                hwm = next(l for l in open(f'/proc/{pid}/status') if l.startswith('VmHWM'))\n"
        "                seen[0] = max(seen[0], int(hwm.split()[1]))\n"
        "            except (OSError, StopIteration):\n"
        "                pass\n"
        "        time.sleep(0.5)\n"
        "if os.path.isdir('/proc'):\n"
        "    threading.Thread(target=watch, daemon=True).start()\n"
        "t = time.perf_counter()\n"
        "try:\n"
        "    runpy.run_module('pipeline', run_name='__main__')\n"
        "except SystemExit:\n"
        "    pass\n"
        "own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "try:  # ru_maxrss survives exec (it would be this benchmark's own peak): the kernel's high-water mark\n"
        "    own = int(next(l for l in open('/proc/self/status') if l.startswith('VmHWM')).split()[1])\n"
        "except (OSError, StopIteration):\n"
        "    pass\n"
        "kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "print(json.dumps([time.perf_counter() - t, max(own, kids, seen[0])]), file=sys.stderr)\n"
    )
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code, json.dumps(args)], cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    _, rss_kib = json.loads(out.stderr.strip().splitlines()[-1])
    return wall, rss_kib // 1024


def measure(min_chars: int) -> dict:
    from pipeline.kiwi import analyse_ahead, get_kiwi, kiwi_sentences
    from pipeline.nlp import annotate

    load_before = os.getloadavg()[0]
    texts = corpus(min_chars)
    chars = sum(map(len, texts))
    get_kiwi()
    annotate("워밍업 2020년 3월 카카오")
    t, cpu = time.perf_counter(), time.process_time()
    for x in texts:
        kiwi_sentences(x)
    kiwi_s, kiwi_cpu = time.perf_counter() - t, time.process_time() - cpu
    threads = max(2, os.cpu_count() or 1)
    kiwi_batched_s = kiwi_batched(texts, threads)
    t, cpu = time.perf_counter(), time.process_time()
    for x in texts:
        annotate(x, "2021-06")  # the pipeline's last component links the events
    pipe_s, pipe_cpu = time.perf_counter() - t, time.process_time() - cpu
    t = time.perf_counter()
    for x in analyse_ahead(texts, str):  # as `run` and `extract_folder` do in one process
        annotate(x, "2021-06")
    ahead_s = time.perf_counter() - t
    in_process_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    figures = {
        "chars": chars,
        "documents": len(texts),
        "kiwi_cps": chars / kiwi_s,
        "kiwi_threads": threads,
        "kiwi_batched_cps": chars / kiwi_batched_s,
        "pipeline_cps": chars / pipe_s,
        "pipeline_ahead_cps": chars / ahead_s,
        "pipeline_over_kiwi_cpu": kiwi_cpu / pipe_cpu,
        "in_process_rss_mib": in_process_rss,
    }
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in"
        src.mkdir()
        for i, x in enumerate(texts):
            (src / f"d{i:05d}.txt").write_text(x, encoding="utf-8")
        for n in (1, 2):
            wall, rss = timed_run(
                [
                    "run",
                    str(src),
                    "--out",
                    str(Path(tmp) / f"out{n}"),
                    "--quiet",
                    "--published",
                    "2021-06",
                    "--workers",
                    str(n),
                ]
            )
            figures[f"workers{n}_cps"] = chars / wall
            figures[f"workers{n}_s"] = wall
            figures[f"workers{n}_rss_mib"] = rss
        same = all(
            (Path(tmp) / "out1" / f).read_bytes() == (Path(tmp) / "out2" / f).read_bytes()
            for f in os.listdir(Path(tmp) / "out1")
        )
        figures["workers_identical"] = same
        if importlib.util.find_spec("distributed") is not None:
            out = Path(tmp) / "dask"
            dask = ["--engine", "dask", "--workers", "2"]
            wall, rss = timed_run(["run", str(src), "--out", str(out), "--quiet", "--published", "2021-06", *dask])
            figures["dask_cps"], figures["dask_s"], figures["dask_rss_mib"] = chars / wall, wall, rss
            figures["dask_identical"] = all(
                (out / f).read_bytes() == (Path(tmp) / "out1" / f).read_bytes() for f in os.listdir(Path(tmp) / "out1")
            )
        cold, cold_rss = timed_run(["run", "raw", "--out", str(Path(tmp) / "seed"), "--quiet"])
        figures["cold_start_s"], figures["cold_start_rss_mib"] = cold, cold_rss
    figures["load_before"], figures["load_after"] = load_before, os.getloadavg()[0]
    figures["pipeline_over_kiwi"] = figures["pipeline_cps"] / figures["kiwi_cps"]
    figures["pipeline_ahead_over_kiwi"] = figures["pipeline_ahead_cps"] / figures["kiwi_cps"]
    figures["workers2_over_workers1"] = figures["workers2_cps"] / figures["workers1_cps"]
    figures["workers2_over_kiwi_batched"] = figures["workers2_cps"] / figures["kiwi_batched_cps"]
    if "dask_cps" in figures:
        figures["dask_over_workers2"] = figures["dask_cps"] / figures["workers2_cps"]
    return figures


def kiwi_batched(texts: list[str], threads: int) -> float:
    """Seconds for Kiwi's batch API on ``threads`` threads over the pieces the pipeline gives Kiwi."""
    from kiwipiepy import Kiwi

    from pipeline.kiwi import _MATCH, chunks

    kiwi = Kiwi(num_workers=threads, load_multi_dict=False)
    kiwi.tokenize("카카오는 2020년 3월 기부했다.", match_options=_MATCH)  # loads the model
    pieces = [x[a:b] for x in texts for a, b in chunks(x)]
    t = time.perf_counter()
    for _ in kiwi.tokenize(pieces, split_sents=True, match_options=_MATCH):
        pass
    return time.perf_counter() - t


def table(f: dict) -> str:
    return "\n".join(
        [
            f"{f['chars']:,} characters in {f['documents']:,} documents; {os.cpu_count()} cores; load average "
            f"(1 min) {f['load_before']:.1f} before and {f['load_after']:.1f} after the measurements"
            + (
                " (above the number of cores: other work shared them, and the figures are lower and noisier)."
                if max(f["load_before"], f["load_after"]) > (os.cpu_count() or 1)
                else "."
            ),
            "",
            "| measure | figure | target |",
            "|---|---|---|",
            f"| bare Kiwi tokenisation, one thread | {f['kiwi_cps']:,.0f} chars/s | |",
            f"| Kiwi batched on {f['kiwi_threads']} threads (`Kiwi(num_workers={f['kiwi_threads']})`, "
            f"`tokenize(iterable)`) | {f['kiwi_batched_cps']:,.0f} chars/s | |",
            f"| full pipeline, one process, one document after the other (Kiwi in the same thread) "
            f"| {f['pipeline_cps']:,.0f} chars/s | |",
            f"| pipeline ÷ Kiwi, one document after the other | {f['pipeline_over_kiwi']:.2f} | |",
            f"| the same in CPU time (Kiwi's share of the pipeline's CPU; what load on the machine leaves "
            f"alone) | {f['pipeline_over_kiwi_cpu']:.2f} | |",
            f"| full pipeline, one process, Kiwi analysing ahead on its threads (`kiwi.analyse_ahead`, "
            f"as `run --workers 1` does) | {f['pipeline_ahead_cps']:,.0f} chars/s | |",
            f"| **pipeline ÷ Kiwi (one process ÷ one thread)** | **{f['pipeline_ahead_over_kiwi']:.2f}** | ≥ 0.75 |",
            f"| `run --workers 1` (files in, CSVs out) | {f['workers1_cps']:,.0f} chars/s ({f['workers1_s']:.1f} s) | |",
            f"| `run --workers 2` | {f['workers2_cps']:,.0f} chars/s ({f['workers2_s']:.1f} s) | |",
            f"| **workers 2 ÷ workers 1** | **{f['workers2_over_workers1']:.2f}** | ≥ 1.7 |",
            f"| **workers 2 ÷ Kiwi batched on {f['kiwi_threads']} threads** | "
            f"**{f['workers2_over_kiwi_batched']:.2f}** | ≥ 0.9 |",
            f"| outputs of 1 and 2 workers identical | {'yes' if f['workers_identical'] else 'NO'} | yes |",
            *dask_rows(f),
            f"| cold start, `python -m pipeline run` on the seed | {f['cold_start_s']:.2f} s | ≤ 4 s |",
            f"| peak memory: benchmark process (pipeline in process) | {f['in_process_rss_mib']} MiB | |",
            f"| peak memory: `run --workers 1` | {f['workers1_rss_mib']} MiB | |",
            f"| peak memory: largest process of `run --workers 2` | {f['workers2_rss_mib']} MiB | |",
            f"| peak memory: cold start on the seed | {f['cold_start_rss_mib']} MiB | |",
        ]
    )


def dask_rows(f: dict) -> list[str]:
    if "dask_cps" not in f:
        return ["| `run --engine dask --workers 2` | not measured (dask not installed) | |"]
    return [
        f"| `run --engine dask --workers 2` (LocalCluster started by the run) | "
        f"{f['dask_cps']:,.0f} chars/s ({f['dask_s']:.1f} s) | |",
        f"| **dask ÷ workers 2** | **{f['dask_over_workers2']:.2f}** | ≥ 0.85 |",
        f"| outputs of dask and 1 worker identical | {'yes' if f['dask_identical'] else 'NO'} | yes |",
        f"| peak memory: largest process of `run --engine dask --workers 2` | {f['dask_rss_mib']} MiB | |",
    ]


def main(argv: list[str] | None = None) -> int:
    ap = argument_parser(__doc__)
    ap.add_argument("--min-chars", type=int, default=1_000_000, help="size of the text (default 1,000,000)")
    args = ap.parse_args(argv)
    FIGURE.publish(table(measure(args.min_chars)), args.write)
    return 0


if __name__ == "__main__":
    sys.exit(main())
