"""Corpora: the Dask engine (same bytes as the local one, a killed worker costs no document,
resume), Parquet outputs (typed columns through pandas, resume) and gzip-compressed JSONL shards.

The Dask tests share one ``LocalCluster`` of two worker processes and skip when dask is not
installed (``pip install -e '.[dask]'``); the Parquet ones skip without pyarrow."""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline import api
from pipeline.engine import Engine, process_batch
from pipeline.export import COLUMNS, INTEGER_COLUMNS, ParquetSet, read_table
from pipeline.ingest import Document, iter_documents
from tests.support import stop_after

ROOT = Path(__file__).resolve().parent.parent
TEXTS = [
    "카카오페이는 2020년 3월부터 6월까지 가맹점 수수료 100%를 면제했다.",
    "LG화학은 2023년 5월부터 2년간 10억 원을 지원한다.",
    "카카오는 올해 3월 협약을 맺었다. =SUM(A1) 같은 글도 있다.",
    "포스코는 7일 서울 포스코센터에서 세 곳에 1천만 원씩 전달했다고 밝혔다.",
]

needs_dask = pytest.mark.skipif(
    not all(__import__("importlib").util.find_spec(m) for m in ("dask", "distributed")),
    reason="dask is an optional extra: pip install -e '.[dask]'",
)
needs_pyarrow = pytest.mark.skipif(
    __import__("importlib").util.find_spec("pyarrow") is None, reason="pyarrow: pip install -e '.[dask]'"
)


def corpus(src: Path, n: int) -> Path:
    """``n`` documents: text files, one JSONL shard and one gzip-compressed shard, with an empty
    file (an error row) and a malformed line among them."""
    src.mkdir()
    seed = (ROOT / "raw" / "kakao_covid19_csr.txt").read_text(encoding="utf-8")
    (src / "a000.txt").write_text(seed, encoding="utf-8")
    (src / "a001.txt").write_text("", encoding="utf-8")  # empty: an error row
    for i in range(2, n // 2):
        (src / f"a{i:03d}.txt").write_text(TEXTS[i % len(TEXTS)] * (1 + i % 3), encoding="utf-8")
    lines = [
        json.dumps({"id": f"j{i}", "text": TEXTS[i % 4], "published": "2021-06"}, ensure_ascii=False)
        for i in range(n // 4)
    ]
    (src / "b.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with gzip.open(src / "c.jsonl.gz", "wt", encoding="utf-8") as fh:
        for i in range(n - n // 2 - n // 4 - 1):
            fh.write(json.dumps({"id": f"g{i}", "text": TEXTS[(i + 1) % 4]}, ensure_ascii=False) + "\n")
        fh.write("{not json\n")
    return src


def same_csvs(a: Path, b: Path) -> None:
    for name in COLUMNS:
        assert (a / f"{name}.csv").read_bytes() == (b / f"{name}.csv").read_bytes(), name


@pytest.fixture(scope="module")
def local_run(tmp_path_factory):
    """The corpus and the outputs of the local engine on it (one process)."""
    tmp = tmp_path_factory.mktemp("local")
    src = corpus(tmp / "in", 40)
    summary = api.run(src, tmp / "out", "2022-01")
    assert summary.ok + summary.failed == 40 and summary.failed == 2
    return src, tmp / "out"


@pytest.fixture(scope="module")
def cluster():
    """A LocalCluster of two single-threaded worker processes, and its workers' pids."""
    from distributed import Client, LocalCluster

    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as c,
        Client(c) as client,
    ):
        yield c, client


def worker_pids(client) -> list[int]:
    return sorted(client.run(os.getpid).values())


@needs_dask
def test_dask_engine_writes_the_bytes_of_the_local_engine(local_run, cluster, tmp_path):
    src, expected = local_run
    c, client = cluster
    summary = api.run(src, tmp_path / "dask", "2022-01", engine=Engine("dask", scheduler=c.scheduler_address))
    assert summary.ok + summary.failed == 40
    same_csvs(tmp_path / "dask", expected)
    assert len(worker_pids(client)) == 2
    # each worker built its pipeline once (the plugin at start-up), whatever the number of batches
    assert list(client.run(_pipelines_built).values()) == [1, 1]


def _pipelines_built() -> int:
    from pipeline.nlp import get_nlp

    return get_nlp.cache_info().misses


@needs_dask
def test_a_killed_worker_costs_no_document(local_run, cluster, tmp_path):
    src, expected = local_run
    c, client = cluster
    client.wait_for_workers(2, timeout=120)
    victim = worker_pids(client)[0]
    killed = []

    def kill_after_the_first(items, total):
        for item in items:
            if not killed:  # the other batches are in flight on both workers now
                os.kill(victim, signal.SIGKILL)
                killed.append(victim)
            yield item

    summary = api.run(
        src,
        tmp_path / "dask",
        "2022-01",
        progress=kill_after_the_first,
        engine=Engine("dask", scheduler=c.scheduler_address),
    )
    assert killed and summary.ok + summary.failed == 40
    same_csvs(tmp_path / "dask", expected)
    client.wait_for_workers(2, timeout=120)  # the nanny restarted it
    assert victim not in worker_pids(client)


def _pipeline_loaded_before_fork() -> bool:
    from pipeline import kiwi
    from pipeline.nlp import get_nlp

    return kiwi._KIWI is not None and os.getpid() != kiwi._OWNER and get_nlp.cache_info().currsize == 1


@needs_dask
def test_a_local_clusters_workers_are_forked_with_the_pipeline_loaded():
    """The LocalCluster of ``--engine dask`` forks its workers, restarted ones included, from a
    forkserver that loaded Kiwi and the tables: no worker loads them itself."""
    from pipeline.engine import dask_client

    with dask_client(2) as client:
        assert list(client.run(_pipeline_loaded_before_fork).values()) == [True, True]
        address, victim = next(iter(client.run(os.getpid).items()))
        os.kill(victim, signal.SIGKILL)
        for _ in range(600):  # until the scheduler has dropped it and the nanny has started another
            workers = client.scheduler_info(n_workers=-1)["workers"]
            if len(workers) == 2 and address not in workers:
                break
            time.sleep(0.2)
        assert victim not in worker_pids(client)
        assert list(client.run(_pipeline_loaded_before_fork).values()) == [True, True]
        assert (
            client.submit(process_batch, [Document(doc_id="d", text=TEXTS[1], published="2021-06")])
            .result()[0]
            .tables["amounts"]
        )


@needs_dask
def test_constructing_an_engine_starts_nothing_warm_up_starts_the_forkserver(monkeypatch):
    """An Engine is a value (validated, compared, passed around); only ``warm_up`` (which the
    command line calls) and the run itself start the local cluster's forkserver."""
    from pipeline import engine as engine_module

    started = []
    monkeypatch.setattr(engine_module, "start_worker_forkserver", lambda: started.append(1) or True)
    local_dask = Engine("dask")
    assert started == []
    Engine("dask", scheduler="tcp://127.0.0.1:8786").warm_up()  # a remote cluster forks nothing here
    Engine("local", 2).warm_up()
    assert started == []
    local_dask.warm_up()
    assert started == [1]


@needs_dask
def test_resume_with_the_dask_engine(local_run, cluster, tmp_path):
    src, expected = local_run
    c, _ = cluster
    out = tmp_path / "dask"
    engine = Engine("dask", scheduler=c.scheduler_address)

    with pytest.raises(KeyboardInterrupt):
        api.run(src, out, "2022-01", progress=stop_after(25), engine=engine)
    assert not (out / "documents.csv").exists()
    summary = api.run(src, out, "2022-01", resume=True, engine=engine)
    assert summary.resumed_after == 25 and summary.ok + summary.failed == 40
    same_csvs(out, expected)


@needs_dask
@needs_pyarrow
def test_the_command_line_starts_a_local_cluster_and_writes_parquet(local_run, tmp_path):
    src, _ = local_run
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    command = [sys.executable, "-m", "pipeline", "run", str(src), "--out", str(out), "--published", "2022-01"]
    done = subprocess.run(
        [*command, "--engine", "dask", "--workers", "2", "--format", "parquet", "--quiet"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 1, done.stderr  # two documents failed, as with the local engine
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [f"{n}.parquet" for n in COLUMNS] + ["run.json", ".run.lock", "texts.jsonl"]
    )
    raw = tmp_path / "raw_csv"
    api.run(src, raw, "2022-01", csv_raw=True)
    for name in COLUMNS:
        assert read_table(out, name).equals(read_table(raw, name)), name


# ---------------------------------------------------------------------------------------------
# Parquet


@needs_pyarrow
def test_parquet_round_trips_through_pandas_with_the_documented_dtypes(local_run, tmp_path):
    import pandas as pd

    src, _ = local_run
    api.run(src, tmp_path / "pq", "2022-01", output_format="parquet")
    api.run(src, tmp_path / "csv", "2022-01", csv_raw=True)
    for name, columns in COLUMNS.items():
        frame = pd.read_parquet(tmp_path / "pq" / f"{name}.parquet", dtype_backend="numpy_nullable")
        text = pd.read_csv(tmp_path / "csv" / f"{name}.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
        assert list(frame.columns) == columns and len(frame) == len(text) > 0, name
        for column in columns:
            kind = str(frame[column].dtype)
            assert kind == ("Int64" if column in INTEGER_COLUMNS else "string"), (name, column, kind)
            as_text = frame[column].astype("string").fillna("").tolist()
            assert as_text == text[column].tolist(), (name, column)
    documents = pd.read_parquet(tmp_path / "pq" / "documents.parquet", dtype_backend="numpy_nullable")
    failed = documents[documents.status == "error"]
    assert len(failed) == 2 and failed.chars.isna().all()  # no length for an unreadable document
    assert documents[documents.status == "ok"].chars.min() > 0
    # formulas are not escaped in Parquet: the text is as extracted
    events = pd.read_parquet(tmp_path / "pq" / "events.parquet")
    assert events.sentence.str.contains("=SUM", regex=False).any()


@needs_pyarrow
def test_parquet_resume_equals_a_fresh_run(local_run, tmp_path, monkeypatch):
    import pyarrow.parquet as pq

    src, _ = local_run
    monkeypatch.setattr(ParquetSet, "PART_DOCUMENTS", 6)  # several parts, and a resume inside one
    out = tmp_path / "out"

    with pytest.raises(KeyboardInterrupt):
        api.run(src, out, "2022-01", progress=stop_after(21), output_format="parquet")
    (src / "a009.txt").write_text(
        "삼성전자는 2021년 7월 5억 원을 기부했다.", encoding="utf-8"
    )  # edited: resume from it
    try:
        summary = api.run(src, out, "2022-01", resume=True, output_format="parquet")
        api.run(src, tmp_path / "fresh", "2022-01", output_format="parquet")
    finally:
        (src / "a009.txt").write_text(TEXTS[9 % len(TEXTS)] * (1 + 9 % 3), encoding="utf-8")
    assert summary.resumed_after == 9 and summary.ok + summary.failed == 40
    for name in COLUMNS:
        assert pq.read_table(out / f"{name}.parquet").equals(pq.read_table(tmp_path / "fresh" / f"{name}.parquet"))


@needs_pyarrow
def test_a_csv_journal_is_not_resumed_as_parquet(local_run, tmp_path):
    src, _ = local_run

    with pytest.raises(KeyboardInterrupt):
        api.run(src, tmp_path / "out", "2022-01", progress=stop_after(5))
    summary = api.run(src, tmp_path / "out", "2022-01", resume=True, output_format="parquet")
    assert summary.resumed_after == 0 and (tmp_path / "out" / "events.parquet").exists()


# ---------------------------------------------------------------------------------------------
# gzip-compressed JSONL shards


def test_gzip_shards_are_read_like_jsonl(tmp_path):
    lines = [json.dumps({"id": f"x{i}", "text": TEXTS[i % 4], "title": "t"}, ensure_ascii=False) for i in range(5)]
    (tmp_path / "plain").mkdir()
    (tmp_path / "gz").mkdir()
    (tmp_path / "plain" / "s.jsonl").write_text("\n".join(lines) + "\n\n", encoding="utf-8")
    with gzip.open(tmp_path / "gz" / "s.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n\n")
    plain = list(iter_documents(tmp_path / "plain"))
    packed = list(iter_documents(tmp_path / "gz"))
    assert [d.doc_id for d in packed] == [f"x{i}" for i in range(5)]
    assert [(d.text, d.title) for d in packed] == [(d.text, d.title) for d in plain]
    assert packed[2].path == f"{tmp_path / 'gz' / 's.jsonl.gz'}:3"


def test_a_broken_shard_is_an_error_row(tmp_path):
    data = gzip.compress(("\n".join(json.dumps({"id": f"x{i}", "text": "가나다"}) for i in range(3)) + "\n").encode())
    (tmp_path / "cut.jsonl.gz").write_bytes(data[: len(data) // 2])
    (tmp_path / "latin.jsonl.gz").write_bytes(gzip.compress('{"id": "l", "text": "caf\xe9"}\n'.encode("latin-1")))
    (tmp_path / "ok.txt").write_text("카카오는 2020년 3월 기부했다.", encoding="utf-8")
    items = list(iter_documents(tmp_path))
    errors = {i.doc_id: i.error for i in items if not hasattr(i, "text")}
    assert "cannot read gzip file" in errors["cut"]
    assert "must be UTF-8" in errors["latin"]
    assert [i.doc_id for i in items if hasattr(i, "text")][-1] == "ok"


# ---------------------------------------------------------------------------------------------
# The command line's checks, before anything is written


def test_scheduler_needs_the_dask_engine(tmp_path, capsys):
    from pipeline import cli

    with pytest.raises(SystemExit) as exit_:
        cli.main(["run", "raw", "--out", str(tmp_path / "out"), "--scheduler", "tcp://127.0.0.1:8786"])
    assert exit_.value.code == 2 and "--scheduler needs --engine dask" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_without_dask_the_dask_engine_is_a_clear_error(tmp_path, capsys, monkeypatch):
    from pipeline import cli, engine

    real = engine.importlib.util.find_spec
    monkeypatch.setattr(engine.importlib.util, "find_spec", lambda n, *a: None if n == "distributed" else real(n, *a))
    code = cli.main(["run", str(ROOT / "raw"), "--out", str(tmp_path / "out"), "--engine", "dask", "--quiet"])
    assert code == 2 and "pip install -e '.[dask]'" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


@needs_dask
@needs_pyarrow
def test_the_100000_document_benchmark_in_small():
    from benchmarks import scale

    report = scale.dask_corpus(30, workers=2)
    print(report)
    assert "exit status 0; documents.parquet has 30 rows" in report and "| 100% |" in report
