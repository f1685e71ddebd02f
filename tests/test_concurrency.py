"""Runs that meet: two runs into one output folder, a run killed with its workers, a resume after
the inputs changed, a journal torn by a kill. Real processes where the behaviour is about them."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline import api
from pipeline.export import COLUMNS
from tests.support import stop_after

ROOT = Path(__file__).resolve().parent.parent
TEXTS = [
    "카카오페이는 2020년 3월부터 6월까지 가맹점 수수료 100%를 면제했다.",
    "LG화학은 2023년 5월부터 2년간 10억 원을 지원한다.",
    "카카오는 올해 3월 협약을 맺었다.",
    "포스코는 7일 서울 포스코센터에서 세 곳에 1천만 원씩 전달했다고 밝혔다.",
]


def corpus(src: Path, n: int, repeat: int = 1) -> Path:
    src.mkdir()
    for i in range(n):
        (src / f"d{i:03d}.txt").write_text(" ".join([TEXTS[i % len(TEXTS)]] * repeat), encoding="utf-8")
    return src


def pipeline_cmd(*args) -> list[str]:
    return [sys.executable, "-m", "pipeline", *map(str, args)]


def env() -> dict:
    return {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}


def wait_for(predicate, seconds: float = 120) -> None:
    deadline = time.time() + seconds
    while not predicate():
        if time.time() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.1)


def journal_lines(out: Path) -> int:
    try:
        return (out / ".partial" / "journal").read_text(encoding="utf-8").count("\n")
    except OSError:
        return 0


def doc_ids(out: Path) -> list[str]:
    with (out / "documents.csv").open(encoding="utf-8-sig", newline="") as fh:
        return [row["doc_id"] for row in csv.DictReader(fh)]


def alive(pid: int) -> bool:
    """Running (a zombie waiting for init to reap it has ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            if ppid == pid:
                found.append(int(entry.name))
    return found


def test_a_second_run_into_the_same_folder_refuses_and_the_first_completes(tmp_path):
    src = corpus(tmp_path / "in", 200, repeat=5)
    out = tmp_path / "out"
    first = subprocess.Popen(
        pipeline_cmd("run", src, "--out", out, "--quiet"), cwd=ROOT, env=env(), stderr=subprocess.PIPE, text=True
    )
    try:
        wait_for(lambda: journal_lines(out) > 3)
        first.send_signal(signal.SIGSTOP)  # paused mid-run, so the second surely meets it however slow
        paused_at = journal_lines(out)
        try:
            second = subprocess.run(
                pipeline_cmd("run", src, "--out", out, "--quiet"),
                cwd=ROOT,
                env=env(),
                capture_output=True,
                text=True,
                timeout=300,
            )
        finally:
            first.send_signal(signal.SIGCONT)
        assert second.returncode == 2, second.stderr
        assert second.stderr.count("\n") == 1 and f"another run (pid {first.pid})" in second.stderr
        assert journal_lines(out) >= paused_at  # the first run's files are untouched
        _, err = first.communicate(timeout=300)
    finally:
        if first.poll() is None:
            first.kill()
    assert first.returncode == 0, err
    assert doc_ids(out) == [f"d{i:03d}" for i in range(200)]
    assert not (out / ".partial").exists() and not (out / ".run.pid").exists()


def test_the_lock_of_a_killed_run_is_taken_over(tmp_path):
    src = corpus(tmp_path / "in", 3)
    out = tmp_path / "out"
    out.mkdir()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from pipeline.export import OutputLock; "
            "lock = OutputLock(Path(sys.argv[1])); lock.acquire(); print('locked', flush=True); time.sleep(600)",
            str(out),
        ],
        cwd=ROOT,
        env=env(),
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
        busy = subprocess.run(
            pipeline_cmd("run", src, "--out", out), cwd=ROOT, env=env(), capture_output=True, text=True, timeout=300
        )
        assert busy.returncode == 2 and f"pid {holder.pid}" in busy.stderr
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=30)
    finally:
        if holder.poll() is None:
            holder.kill()
    assert (out / ".run.pid").read_text().strip() == str(holder.pid)  # left behind by the dead holder
    after = subprocess.run(
        pipeline_cmd("run", src, "--out", out), cwd=ROOT, env=env(), capture_output=True, text=True, timeout=300
    )
    assert after.returncode == 0, after.stderr
    assert doc_ids(out) == ["d000", "d001", "d002"]


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_workers_exit_when_the_parent_is_killed(tmp_path):
    src = corpus(tmp_path / "in", 400)
    out = tmp_path / "out"
    parent = subprocess.Popen(
        pipeline_cmd("run", src, "--out", out, "--quiet", "--workers", "2"),
        cwd=ROOT,
        env=env(),
        stderr=subprocess.DEVNULL,
    )
    workers: list[int] = []
    try:
        wait_for(lambda: journal_lines(out) > 3)
        workers = children(parent.pid)
        assert len(workers) >= 2
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=30)
        deadline = time.time() + 10
        while time.time() < deadline and any(alive(w) for w in workers):
            time.sleep(0.1)
        assert not [w for w in workers if alive(w)], "workers outlived their parent"
    finally:
        if parent.poll() is None:
            parent.kill()
        for w in workers:  # only the processes this test started
            if alive(w):
                os.kill(w, signal.SIGKILL)
    # the workers held the lock's descriptor too: with them gone, the folder can be resumed
    resumed = subprocess.run(
        pipeline_cmd("run", src, "--out", out, "--quiet", "--resume"),
        cwd=ROOT,
        env=env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert resumed.returncode == 0, resumed.stderr
    assert len(doc_ids(out)) == 400


def test_resume_after_the_inputs_changed_equals_a_fresh_run(tmp_path):
    src = corpus(tmp_path / "in", 12)
    out = tmp_path / "out"
    with pytest.raises(KeyboardInterrupt):
        api.run(src, out, "2022-01", progress=stop_after(8))
    (src / "d002.txt").unlink()  # removed
    (src / "d005.txt").write_text("삼성전자는 2021년 7월 5억 원을 기부했다.", encoding="utf-8")  # edited
    (src / "d003b.txt").write_text("SK텔레콤은 2019년 1천만 원을 냈다.", encoding="utf-8")  # added
    (src / "d006.meta.json").write_text('{"title": "새 제목"}', encoding="utf-8")  # metadata changed
    seen = []

    def record(items, total):
        for item in items:
            seen.append(item.doc_id)
            yield item

    summary = api.run(src, out, "2022-01", progress=record, resume=True)
    api.run(src, tmp_path / "fresh", "2022-01")
    for name in COLUMNS:
        assert (out / f"{name}.csv").read_bytes() == (tmp_path / "fresh" / f"{name}.csv").read_bytes(), name
    assert summary.resumed_after == 2 and seen[0] == "d003"  # d000 and d001 were not extracted again
    assert summary.ok + summary.failed == 12
    assert "d002" not in doc_ids(out) and "d003b" in doc_ids(out)


def test_a_torn_last_journal_line_keeps_the_complete_ones(tmp_path):
    src = corpus(tmp_path / "in", 10)
    out = tmp_path / "out"
    with pytest.raises(KeyboardInterrupt):
        api.run(src, out, progress=stop_after(6))
    journal = out / ".partial" / "journal"
    lines = journal.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 7  # the header and six documents
    with journal.open("a", encoding="utf-8") as fh:
        fh.write(lines[-1][: len(lines[-1]) // 2])  # a kill in the middle of the seventh line
    seen = []

    def record(items, total):
        for item in items:
            seen.append(item.doc_id)
            yield item

    summary = api.run(src, out, progress=record, resume=True)
    assert summary.resumed_after == 6 and seen == [f"d{i:03d}" for i in range(6, 10)]
    api.run(src, tmp_path / "fresh")
    for name in COLUMNS:
        assert (out / f"{name}.csv").read_bytes() == (tmp_path / "fresh" / f"{name}.csv").read_bytes(), name
