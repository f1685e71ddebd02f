"""Scale: time grows linearly with input size, and memory stays flat over a large corpus.

    python benchmarks/scale.py curve [--max-chars 400000] [--write BENCHMARKS.md]
    python benchmarks/scale.py corpus [--documents 10000] [--workers 2] [--write BENCHMARKS.md]
    python benchmarks/scale.py dask [--documents 100000] [--workers 2] [--write BENCHMARKS.md]

``curve`` times the pipeline on one article (the seed, repeated) and on one sentence with no
punctuation at all, each at doubling sizes, and prints characters per second per size and the
time ratio of each doubling (2.0 is linear; a quadratic step would show as 4.0).

``corpus`` writes N generated documents (sentences of the gold fixtures, shuffled into new
articles, with metadata sidecars on some), runs ``python -m pipeline run --workers W`` on them and
samples the resident memory of every process of the run twice a second; it prints the summary
line of the run and memory at each tenth of the run: flat memory means those figures stay level.

``dask`` writes N short generated documents (one to three fixture sentences each) as gzip-compressed
JSONL shards of 10,000 lines, runs ``python -m pipeline run --engine dask --workers W --format
parquet`` on them (a Dask ``LocalCluster`` of W workers on this machine) and reports the memory of
the client (the process that reads the shards and writes the Parquet files) and of all processes at
each tenth of the run, the wall time and characters per second, and checks that ``documents.parquet``
has a row for every document.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a file: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import ROOT, SEED, Figure, argument_parser, article_texts

FIGURES = {
    "curve": Figure(
        "scale-curve", "python benchmarks/scale.py curve --write BENCHMARKS.md", "## Time against input size"
    ),
    "corpus": Figure(
        "scale-corpus", "python benchmarks/scale.py corpus --write BENCHMARKS.md", "## Memory over a corpus"
    ),
    "dask": Figure(
        "scale-dask",
        "python benchmarks/scale.py dask --documents 100000 --write BENCHMARKS.md",
        "## 100,000 documents on Dask, Parquet out",
    ),
}


def _sentences() -> list[str]:
    out = []
    for t in article_texts():
        out += [s.strip() + "." for s in re.split(r"(?<=[.다])\s+", t) if len(s.strip()) > 20]
    return out


def curve(max_chars: int) -> str:
    from pipeline import extract

    seed = SEED.read_text(encoding="utf-8")
    words = re.sub(r"[.!?]", " ", seed).split()
    extract("워밍업 2020년 3월")
    lines = ["| input | characters | seconds | chars/s | time ÷ time at half the size |", "|---|---|---|---|---|"]
    for kind in ("article", "one sentence, no punctuation"):
        size, previous = 25_000, None
        while size <= max_chars:
            if kind == "article":
                text = (seed * (size // len(seed) + 1))[:size]
            else:
                text = " ".join(words * (size // len(seed) + 2))[:size]
            t0 = time.perf_counter()
            extract(text, "2021-06")
            secs = time.perf_counter() - t0
            ratio = f"{secs / previous:.2f}" if previous else ""
            lines.append(f"| {kind} | {size:,} | {secs:.2f} | {size / secs:,.0f} | {ratio} |")
            previous, size = secs, size * 2
    return "\n".join(lines)


def make_corpus(folder: Path, n: int, seed: int = 7) -> int:
    rng = random.Random(seed)
    sentences = _sentences()
    chars = 0
    for i in range(n):
        sub = folder / f"{i // 1000:02d}"
        sub.mkdir(exist_ok=True)
        text = " ".join(rng.sample(sentences, rng.randint(4, 12)))
        (sub / f"a{i:05d}.txt").write_text(text, encoding="utf-8")
        if i % 3 == 0:
            (sub / f"a{i:05d}.meta.json").write_text(
                json.dumps({"published": f"202{i % 5}-0{1 + i % 9}"}), encoding="utf-8"
            )
        chars += len(text)
    return chars


def _tree_rss_kib(pid: int) -> tuple[int, int]:
    """Total and largest resident memory (KiB) of ``pid`` and its children."""
    pids, todo = [], [pid]
    while todo:
        p = todo.pop()
        pids.append(p)
        kids = []
        for task in Path(f"/proc/{p}/task").glob("*"):  # every thread's children (Dask starts workers from one)
            with contextlib.suppress(OSError):
                kids += task.joinpath("children").read_text().split()
        todo += [int(k) for k in kids]
    sizes = []
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    sizes.append(int(line.split()[1]))
        except OSError:
            pass
    return sum(sizes), max(sizes, default=0)


def corpus(n: int, workers: int) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp) / "in", Path(tmp) / "out"
        src.mkdir()
        chars = make_corpus(src, n)
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "pipeline", "run", str(src), "--out", str(out), "--workers", str(workers)],
            cwd=ROOT,
            stderr=subprocess.PIPE,
            text=True,
        )
        samples = []
        while proc.poll() is None:
            samples.append((time.perf_counter() - t0, *_tree_rss_kib(proc.pid)))
            time.sleep(0.5)
        err = proc.stderr.read() if proc.stderr else ""
        secs = time.perf_counter() - t0
    summary = [ln for ln in err.splitlines() if " documents" in ln]
    lines = [
        f"{n:,} generated documents ({chars:,} characters), `run --workers {workers}`: {secs:.1f} s, "
        f"exit status {proc.returncode}.",
        "",
        f"Summary line: `{summary[-1] if summary else err.strip()[-200:]}`",
        "",
        "| share of the run | all processes (MiB) | largest process (MiB) |",
        "|---|---|---|",
    ]
    if samples:
        for tenth in range(1, 11):
            at = secs * tenth / 10
            s = min(samples, key=lambda x: abs(x[0] - at))
            lines.append(f"| {tenth * 10}% | {s[1] / 1024:.0f} | {s[2] / 1024:.0f} |")
    return "\n".join(lines)


def make_shards(folder: Path, n: int, per_shard: int = 10_000, seed: int = 7) -> int:
    """``n`` short documents (one to three sentences) as ``shard-NNN.jsonl.gz``; their characters."""
    import gzip

    rng = random.Random(seed)
    sentences = _sentences()
    chars = 0
    for first in range(0, n, per_shard):
        with gzip.open(folder / f"shard-{first // per_shard:03d}.jsonl.gz", "wt", encoding="utf-8") as fh:
            for i in range(first, min(n, first + per_shard)):
                text = " ".join(rng.sample(sentences, rng.randint(1, 3)))
                line = {"id": f"d{i:06d}", "text": text, "published": f"202{i % 5}-0{1 + i % 9}"}
                fh.write(json.dumps(line, ensure_ascii=False) + "\n")
                chars += len(text)
    return chars


def _rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def dask_corpus(n: int, workers: int) -> str:
    import pyarrow.parquet as pq

    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp) / "in", Path(tmp) / "out"
        src.mkdir()
        chars = make_shards(src, n)
        command = ["run", str(src), "--out", str(out), "--engine", "dask", "--workers", str(workers)]
        command += ["--format", "parquet", "--quiet"]
        load_before = os.getloadavg()[0]
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "pipeline", *command], cwd=ROOT, stderr=subprocess.PIPE, text=True
        )
        samples = []
        while proc.poll() is None:
            samples.append((time.perf_counter() - t0, _rss_kib(proc.pid), _tree_rss_kib(proc.pid)[0]))
            time.sleep(0.5)
        err = proc.stderr.read() if proc.stderr else ""
        secs = time.perf_counter() - t0
        rows = pq.read_metadata(out / "documents.parquet").num_rows if (out / "documents.parquet").exists() else 0
    lines = [
        f"{n:,} generated documents ({chars:,} characters, 1 to 3 sentences each) in {-(-n // 10_000)} "
        f"`.jsonl.gz` shards; `run --engine dask --workers {workers} --format parquet` (a LocalCluster of "
        f"{workers} workers on {os.cpu_count()} cores): {secs:.0f} s, {chars / secs:,.0f} chars/s, "
        f"{n / secs:.0f} documents/s, exit status {proc.returncode}; documents.parquet has {rows:,} rows. "
        f"Load average (1 min) {load_before:.1f} before the run and {os.getloadavg()[0]:.1f} after it: "
        "other work shared the cores when it is above the number of workers.",
        "",
        "| share of the run | client (MiB) | all processes (MiB) |",
        "|---|---|---|",
    ]
    if err.strip():
        lines[1:1] = ["", f"stderr: `{err.strip()[-300:]}`"]
    for tenth in range(1, 11):
        at = secs * tenth / 10
        s = min(samples, key=lambda x: abs(x[0] - at)) if samples else (0, 0, 0)
        lines.append(f"| {tenth * 10}% | {s[1] / 1024:.0f} | {s[2] / 1024:.0f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argument_parser(__doc__)
    sub = ap.add_subparsers(dest="mode", required=True)
    c = sub.add_parser("curve")
    c.add_argument("--max-chars", type=int, default=400_000)
    c.add_argument("--write", metavar="FILE", help="also write the table into FILE (BENCHMARKS.md)")
    k = sub.add_parser("corpus")
    k.add_argument("--documents", type=int, default=10_000)
    k.add_argument("--workers", type=int, default=2)
    k.add_argument("--write", metavar="FILE", help="also write the table into FILE (BENCHMARKS.md)")
    d = sub.add_parser("dask")
    d.add_argument("--documents", type=int, default=100_000)
    d.add_argument("--workers", type=int, default=2)
    d.add_argument("--write", metavar="FILE", help="also write the table into FILE (BENCHMARKS.md)")
    args = ap.parse_args(argv)
    if args.mode == "curve":
        body = curve(args.max_chars)
    elif args.mode == "corpus":
        body = corpus(args.documents, args.workers)
    else:
        body = dask_corpus(args.documents, args.workers)
    FIGURES[args.mode].publish(body, args.write)
    return 0


if __name__ == "__main__":
    sys.exit(main())
