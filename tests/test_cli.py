"""`python -m pipeline run`: outputs, exit codes, error rows, atomic writes, and the committed
`extracted/` kept in step with the code."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline import api
from pipeline.export import COLUMNS
from tests.support import stop_after

ROOT = Path(__file__).resolve().parent.parent
TEXT = "카카오페이는 2020년 3월부터 6월까지 가맹점 수수료 100%를 면제했다."


def run_cli(*args, cwd=ROOT):
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=300
    )


def read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_help_explains_the_command():
    out = run_cli("run", "--help")
    assert out.returncode == 0
    for word in ("--out", "--published", "--quiet", "raw/"):
        assert word in out.stdout


def test_run_writes_five_csvs_with_bom_and_headers(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(TEXT, encoding="utf-8")
    out = run_cli("run", src, "--out", tmp_path / "out", "--published", "2021-06")
    assert out.returncode == 0, out.stderr
    assert "1 documents: 1 ok, 0 failed" in out.stderr
    for name, cols in COLUMNS.items():
        raw = (tmp_path / "out" / f"{name}.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")
        assert raw[3:].decode("utf-8").splitlines()[0] == ",".join(cols)
    (event,) = read(tmp_path / "out" / "events.csv")
    assert (event["date_start"], event["date_end"], event["orgs"], event["amounts"], event["category"]) == (
        "2020-03",
        "2020-06",
        "카카오페이",
        "100 %",
        "fee_relief",
    )
    doc = read(tmp_path / "out" / "documents.csv")[0]
    assert doc["status"] == "ok" and doc["published"] == "2021-06" and int(doc["chars"]) == len(TEXT)


def test_a_bad_document_is_recorded_and_the_others_still_come_out(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "good.txt").write_text(TEXT, encoding="utf-8")
    (src / "empty.txt").write_bytes(b"")
    (src / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    out = run_cli("run", src, "--out", tmp_path / "out")
    assert out.returncode == 1
    errors = [ln for ln in out.stderr.splitlines() if ln.startswith("error:")]
    assert len(errors) == 2 and any("empty.txt: empty file" in e for e in errors)
    docs = {d["doc_id"]: d for d in read(tmp_path / "out" / "documents.csv")}
    assert docs["good"]["status"] == "ok"
    assert docs["empty"]["status"] == "error" and "empty file" in docs["empty"]["error"]
    assert docs["photo"]["status"] == "error" and "unsupported file type" in docs["photo"]["error"]
    assert len(read(tmp_path / "out" / "events.csv")) == 1


@pytest.mark.parametrize(
    "setup,message",
    [
        (lambda p: p / "missing", "no such file or folder"),
        (lambda p: p, "no .txt, .md, .jsonl, .jsonl.gz, .html, .htm, .pdf, .csv or .xlsx files"),
    ],
)
def test_nothing_to_run_exits_2_with_one_line(tmp_path, setup, message):
    out = run_cli("run", setup(tmp_path), "--out", tmp_path / "out")
    assert out.returncode == 2
    assert out.stderr.strip().count("\n") == 0 and message in out.stderr


def test_unwritable_output_folder(tmp_path):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    blocker = tmp_path / "file"
    blocker.write_text("x")
    out = run_cli("run", tmp_path / "a.txt", "--out", blocker / "out")
    assert out.returncode == 2 and "cannot write output folder" in out.stderr


def test_quiet_prints_nothing_on_success(tmp_path):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    out = run_cli("run", tmp_path / "a.txt", "--out", tmp_path / "out", "--quiet")
    assert out.returncode == 0 and out.stderr == ""


def test_interrupted_run_leaves_previous_outputs(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for i in range(3):
        (src / f"d{i}.txt").write_text(TEXT, encoding="utf-8")
    out = tmp_path / "out"
    api.run(src, out)
    before = {p.name: p.read_bytes() for p in out.glob("*.csv")}

    def interrupt_after_first(items, total):
        for n, item in enumerate(items):
            if n == 1:
                raise KeyboardInterrupt
            yield item

    (src / "d9.txt").write_text("새 문서 2022년 5월.", encoding="utf-8")
    with pytest.raises(KeyboardInterrupt):
        api.run(src, out, progress=interrupt_after_first)
    after = {p.name: p.read_bytes() for p in out.glob("*.csv")}
    assert after == before  # the previous complete outputs, byte for byte
    assert not list(out.glob(".*.tmp*"))  # nothing half-written beside them


def test_committed_extracted_matches_a_fresh_run(tmp_path):
    """`extracted/` is the pipeline's output on `raw/`; regenerate it when the code changes:
    python -m pipeline run"""
    out = run_cli("run", "raw", "--out", tmp_path, "--quiet")
    assert out.returncode == 0, out.stderr
    for name in COLUMNS:
        assert (tmp_path / f"{name}.csv").read_bytes() == (ROOT / "extracted" / f"{name}.csv").read_bytes(), (
            f"extracted/{name}.csv is stale: run `python -m pipeline run` and commit the result"
        )


def test_evaluate_scores_existing_outputs_and_fails_under_a_threshold(tmp_path):
    """--pred scores CSVs on disk; the seed's committed outputs against its gold fixture."""
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "seed.json").write_bytes((ROOT / "tests" / "fixtures" / "kakao_covid19_csr.json").read_bytes())
    pred = tmp_path / "pred"
    pred.mkdir()
    for name in COLUMNS:
        (pred / f"{name}.csv").write_bytes((ROOT / "extracted" / f"{name}.csv").read_bytes())
    out = run_cli("evaluate", "--gold", gold, "--pred", pred, "--show-errors")
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[0].split()[:3] == ["label", "gold", "pred"]
    assert "DATE" in out.stdout and "EVENT-ORG" in out.stdout
    assert (pred / "evaluation.csv").exists()
    strict = run_cli("evaluate", "--gold", gold, "--pred", pred, "--fail-under", "1.01")
    assert strict.returncode == 1 and "below 1.01" in strict.stderr


def test_evaluate_writes_evaluation_csv(tmp_path):
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "a1.json").write_bytes((ROOT / "tests" / "fixtures" / "a1_hana_winter_donation.json").read_bytes())
    out = run_cli("evaluate", "--gold", gold, "--out", tmp_path / "out")
    assert out.returncode == 0, out.stderr
    rows = {r["label"]: r for r in read(tmp_path / "out" / "evaluation.csv")}
    assert set(rows) == {
        "DATE",
        "ORG",
        "MONEY",
        "QUANTITY",
        "EVENT-ORG",
        "EVENT-AMOUNT",
        "EVENT-ACTOR",
        "EVENT-COUNTERPART",
    }
    assert 0.0 <= float(rows["DATE"]["exact_f1"]) <= 1.0


def test_workers_give_identical_outputs(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for i, text in enumerate(
        [TEXT, "LG화학은 2023년 5월부터 2년간 10억 원을 지원한다.", "", "카카오는 올해 3월 협약을 맺었다."] * 3
    ):
        (src / f"d{i:02d}.txt").write_text(text, encoding="utf-8")
    one = run_cli("run", src, "--out", tmp_path / "one", "--quiet", "--published", "2022-01")
    two = run_cli("run", src, "--out", tmp_path / "two", "--quiet", "--published", "2022-01", "--workers", "2")
    assert one.returncode == two.returncode == 1  # the empty files fail in both
    for name in COLUMNS:
        assert (tmp_path / "one" / f"{name}.csv").read_bytes() == (tmp_path / "two" / f"{name}.csv").read_bytes()


def _corpus(src: Path, n: int) -> None:
    src.mkdir()
    texts = [
        TEXT,
        "LG화학은 2023년 5월부터 2년간 10억 원을 지원한다.",
        "",
        "카카오는 올해 3월 협약을 맺었다.",
        "포스코는 7일 서울 포스코센터에서 세 곳에 1천만 원씩 전달했다고 밝혔다.",
    ]
    for i in range(n):
        (src / f"d{i:03d}.txt").write_text(texts[i % len(texts)], encoding="utf-8")


def test_resume_after_an_interruption_gives_the_uninterrupted_bytes(tmp_path):
    src = tmp_path / "in"
    _corpus(src, 12)
    api.run(src, tmp_path / "clean", "2022-01")

    out = tmp_path / "out"
    with pytest.raises(KeyboardInterrupt):
        api.run(src, out, "2022-01", progress=stop_after(5))
    seen = []

    def count(items, total):
        assert total == 7
        for item in items:
            seen.append(item.doc_id)
            yield item

    summary = api.run(src, out, "2022-01", progress=count, resume=True)
    assert seen == [f"d{i:03d}" for i in range(5, 12)]  # finished documents are not redone
    assert summary.resumed_after == 5 and summary.ok + summary.failed == 12
    for name in COLUMNS:
        assert (out / f"{name}.csv").read_bytes() == (tmp_path / "clean" / f"{name}.csv").read_bytes()
    assert not (out / ".partial").exists()


@pytest.mark.parametrize("sig", ["SIGKILL", "SIGINT"])
def test_killed_run_keeps_old_outputs_and_resumes(tmp_path, sig):
    import signal
    import time

    src = tmp_path / "in"
    _corpus(src, 1000)  # long enough that the run is still going when the first lines are journalled
    out = tmp_path / "out"
    out.mkdir()
    (out / "events.csv").write_text("old complete output\n", encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "run", str(src), "--out", str(out), "--quiet"],
        cwd=ROOT,
        stderr=subprocess.PIPE,
        text=True,
        # the run takes Ctrl-C as a user's shell gives it, also when the tests themselves were started in the
        # background by a non-interactive shell, which ignores SIGINT for its children (Python then never raises
        # KeyboardInterrupt, and the run goes on to the end)
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    journal = out / ".partial" / "journal"
    deadline = time.time() + 120
    while (
        time.time() < deadline and proc.poll() is None and (not journal.exists() or journal.read_text().count("\n") < 4)
    ):
        time.sleep(0.02)
    assert proc.poll() is None, "the run ended before it could be interrupted"
    proc.send_signal(getattr(signal, sig))
    _, err = proc.communicate(timeout=120)
    assert proc.returncode != 0
    if sig == "SIGINT":
        assert "--resume" in err
    assert (out / "events.csv").read_text(encoding="utf-8") == "old complete output\n"
    resumed = run_cli("run", src, "--out", out, "--resume")
    assert resumed.returncode == 1, resumed.stderr  # the empty files fail, as in any run
    assert "resumed after" in resumed.stderr
    assert run_cli("run", src, "--out", tmp_path / "clean", "--quiet").returncode == 1
    for name in COLUMNS:
        assert (out / f"{name}.csv").read_bytes() == (tmp_path / "clean" / f"{name}.csv").read_bytes()


def test_same_input_same_bytes_whatever_the_order_files_were_written(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    _corpus(a, 10)
    b.mkdir()
    for p in sorted(a.iterdir(), reverse=True):  # written in the other order
        (b / p.name).write_bytes(p.read_bytes())
    api.run(a, tmp_path / "out_a", "2022-01")
    api.run(b, tmp_path / "out_b", "2022-01", workers=2)
    for name in COLUMNS:
        data_a = (tmp_path / "out_a" / f"{name}.csv").read_bytes()
        data_b = (tmp_path / "out_b" / f"{name}.csv").read_bytes().replace(str(b).encode(), str(a).encode())
        assert data_a == data_b


def test_progress_bar_only_on_a_terminal_and_not_when_quiet(monkeypatch, capsys):
    from pipeline import cli

    monkeypatch.setattr(api, "_stderr_is_tty", lambda: True)
    wrap = cli._progress(quiet=False)
    assert wrap is not None and list(wrap(iter(range(3)))) == [0, 1, 2]
    assert cli._progress(quiet=True) is None
    monkeypatch.setattr(api, "_stderr_is_tty", lambda: False)
    assert cli._progress(quiet=False) is None


def test_usage_names_the_program_as_it_was_called(monkeypatch, capsys):
    from pipeline import cli

    assert "usage: python -m pipeline" in run_cli("--help").stdout
    monkeypatch.setattr(sys, "argv", ["/usr/local/bin/csr-pipeline", "--help"])
    with pytest.raises(SystemExit):
        cli.main()
    assert capsys.readouterr().out.startswith("usage: csr-pipeline ")
    script = shutil.which("csr-pipeline")
    if script:  # the installed console script, when there is one
        out = subprocess.run([script, "--help"], capture_output=True, text=True, timeout=120)
        assert out.stdout.startswith("usage: csr-pipeline ")


def test_an_unknown_option_shows_the_commands_usage():
    out = run_cli("run", "raw", "--no-such-option")
    assert out.returncode == 2
    assert out.stderr.startswith("usage: python -m pipeline run ")
    assert "unrecognized arguments: --no-such-option" in out.stderr


@pytest.mark.parametrize(
    "args", [("run", "--workers", "0"), ("run", "-w", "-1"), ("run", "--workers", "two"), ("report", "--per-page", "0")]
)
def test_counts_below_one_are_refused(args):
    out = run_cli(*args)
    assert out.returncode == 2 and "must be a whole number of at least 1" in out.stderr
    assert out.stderr.startswith(f"usage: python -m pipeline {args[0]} ")


@pytest.mark.parametrize(
    "make_args",
    [
        lambda p: [p / "missing"],
        lambda p: [p / "empty"],
        lambda p: [p / "in", "--published", "yesterday"],
    ],
)
def test_a_run_that_exits_2_leaves_no_partial_folder(tmp_path, make_args):
    (tmp_path / "empty").mkdir()
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(TEXT, encoding="utf-8")
    out = run_cli("run", *make_args(tmp_path), "--out", tmp_path / "out")
    assert out.returncode == 2 and out.stderr.count("\n") == 1
    assert not (tmp_path / "out" / ".partial").exists()


@pytest.mark.parametrize("had_outputs", [True, False])
def test_ctrl_c_says_what_became_of_the_outputs(tmp_path, monkeypatch, capsys, had_outputs):
    from pipeline import cli

    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    if had_outputs:
        (tmp_path / "out").mkdir()
        (tmp_path / "out" / "documents.csv").write_text("old\n", encoding="utf-8")

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(api, "run", interrupted)
    assert cli.main(["run", str(tmp_path / "a.txt"), "--out", str(tmp_path / "out")]) == 130
    err = capsys.readouterr().err
    assert ("previous outputs" in err and "unchanged" in err) == had_outputs
    assert ("no outputs were written" in err) == (not had_outputs)


def test_the_progress_bar_knows_how_many_documents_come(tmp_path, monkeypatch, capsys):
    import json

    from pipeline import cli

    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "b.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    lines = [json.dumps({"id": f"n{i}", "text": TEXT}) for i in range(3)]
    (tmp_path / "n.jsonl").write_text("\n".join(lines[:2]) + "\n\n" + lines[2] + "\n", encoding="utf-8")
    totals = []

    def progress(items, total):
        totals.append(total)
        return items

    summary = api.run(tmp_path, tmp_path / "out", progress=progress)
    assert totals == [summary.ok + summary.failed] == [5]
    monkeypatch.setattr(api, "_stderr_is_tty", lambda: True)
    wrap = cli._progress(quiet=False)
    assert list(wrap(iter(range(4)), total=4)) == [0, 1, 2, 3]
    assert "0%|" in (err := capsys.readouterr().err) and "0/4" in err  # a percentage of a known total
