"""Command line: ``python -m pipeline run [INPUT ...]`` (see ``--help``)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

DESCRIPTION = """\
Extract dated events, organisations, dates and amounts from Korean CSR articles.

Inputs are .txt/.md files (one article each, optional NAME.meta.json sidecar with title,
published as YYYY[-MM[-DD]] and source), .jsonl files (one article a line: id, text,
optional metadata), saved web pages (.html, .htm), PDF reports (.pdf) and spreadsheets of
articles (.csv, .xlsx: one article a row), or folders holding them. Outputs are CSV files
(UTF-8 with BOM, for Excel): documents, dates, organizations, amounts, events, and texts.jsonl
(the text of every document, which the offsets count in). See README.md for every column.
"""


def _progress(quiet: bool):
    """A progress bar on stderr when it is a terminal and not ``--quiet``; given the number of
    documents to come, it shows a percentage and the time left."""
    from .api import _stderr_is_tty

    if quiet or not _stderr_is_tty():
        return None
    from tqdm import tqdm

    def wrap(items, total=None):
        bar = tqdm(items, total=total, unit="doc", file=sys.stderr, leave=False, dynamic_ncols=True)
        yield from bar
        bar.close()

    return wrap


def positive_int(value: str) -> int:
    """argparse type: a whole number of at least 1."""
    try:
        n = int(value)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not {value!r}")
    return n


def program_name() -> str:
    """How the user called us, for usage lines: ``csr-pipeline`` from the console script,
    ``python -m pipeline`` from ``-m`` (whose argv[0] is the path of ``__main__.py``)."""
    name = os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else ""
    return "python -m pipeline" if name in ("", "__main__.py", "-c") else name


COLUMN_OPTIONS = {"text": "--text-column", "id": "--id-column", "date": "--date-column", "title": "--title-column"}


def _columns(args: argparse.Namespace):
    """The spreadsheet column names: the defaults, each replaced by its option when given."""
    import dataclasses

    from .ingest import Columns

    given = {field: (value,) for field in COLUMN_OPTIONS if (value := getattr(args, f"{field}_column", None))}
    return dataclasses.replace(Columns(), **given)


def cmd_run(args: argparse.Namespace) -> int:
    from .engine import DaskMissing, Engine
    from .kiwi import get_kiwi, warm_up_in_background

    if args.scheduler and args.engine != "dask":
        args.parser.error("--scheduler needs --engine dask")
    try:  # --workers sizes the local pool (default 1), or the LocalCluster of --engine dask (default: a core each)
        engine = Engine(args.engine, args.workers or (1 if args.engine == "local" else None), args.scheduler)
    except DaskMissing as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    # the dask engine's client never extracts: Kiwi loads in the workers only
    if args.engine == "local":
        warm_up_in_background()  # Kiwi loads while spaCy is imported and the inputs are read
    else:
        engine.warm_up()  # the workers' pipeline loads while the run gets ready
    from .api import run

    if args.engine == "local" and (args.workers or 1) > 1:
        get_kiwi()  # load once in the parent: forked workers share it instead of loading their own
    from .ingest import InputError

    def on_error(msg: str) -> None:
        print(f"error: {msg}", file=sys.stderr)

    from .export import COLUMNS

    had_outputs = any((Path(args.out) / f"{name}.{args.format}").exists() for name in COLUMNS)
    try:
        summary = run(
            args.inputs,
            args.out,
            args.published,
            on_error=on_error,
            progress=_progress(args.quiet),
            resume=args.resume,
            follow_links=args.follow_links,
            csv_raw=args.csv_raw,
            columns=_columns(args),
            engine=engine,
            output_format=args.format,
        )
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        kept = (
            f"the previous outputs in {args.out} are unchanged"
            if had_outputs
            else f"no outputs were written to {args.out} yet"
        )
        print(f"interrupted: {kept}; run again with --resume to continue", file=sys.stderr)
        return 130
    if not args.quiet:
        print(summary.line(), file=sys.stderr)
    return 1 if summary.failed else 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .evaluate import (
        WITHOUT_GAZETTEER,
        CannotConfigure,
        evaluate,
        format_markdown,
        format_table,
        load_gold,
        write_csv,
    )

    for option, path in (("--gold DIR", args.gold), ("--pred DIR", args.pred)):
        if path is not None and not Path(path).exists():
            print(
                f"error: cannot evaluate: {path} not found (relative to {Path.cwd()}); give the folder with {option}",
                file=sys.stderr,
            )
            return 2
    try:
        report = evaluate(args.gold, args.pred, WITHOUT_GAZETTEER if args.without_gazetteer else None)
    except CannotConfigure:
        print("error: this build cannot switch the gazetteer off", file=sys.stderr)
        return 2
    except (OSError, KeyError, ValueError) as exc:
        print(f"error: cannot evaluate: {exc}", file=sys.stderr)
        return 2
    markdown = format_markdown(report, len(load_gold(args.gold)))
    print(markdown if args.markdown else format_table(report))
    if args.write:
        from .markdown import write_section

        write_section(Path(args.write), args.section, markdown)
        print(f"evaluation table written into {args.write} ({args.section} section)", file=sys.stderr)
    out = Path(args.pred or args.out) / (
        "evaluation-without-gazetteer.csv" if args.without_gazetteer else "evaluation.csv"
    )
    write_csv(report, out)
    print(f"\nwritten to {out}", file=sys.stderr)
    if args.show_errors:
        print("\nlabel\tkind\tdoc_id\tspan\ttext\tvalue\tcontext")
        for line in report.errors:
            print(line)
    if args.fail_under is not None:
        low = [r["label"] for r in report.rows if isinstance(r["exact_f1"], float) and r["exact_f1"] < args.fail_under]
        if low:
            print(f"error: exact-span F1 below {args.fail_under} for {', '.join(low)}", file=sys.stderr)
            return 1
    return 0


def cmd_export_annotations(args: argparse.Namespace) -> int:
    import json
    from pathlib import Path

    from .api import iter_results
    from .ingest import DocumentError, InputError
    from .labelstudio import LABEL_CONFIG, to_tasks

    try:
        items = list(iter_results(args.inputs, args.published))
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for item in items:
        if isinstance(item, DocumentError):
            print(f"error: {item.error}", file=sys.stderr)
    results = [i for i in items if not isinstance(i, DocumentError)]
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_text(json.dumps(to_tasks(results), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    tmp.replace(out)
    config = out.with_name("labeling-config.xml")
    config.write_text(LABEL_CONFIG, encoding="utf-8")
    print(f"{len(results)} tasks written to {out}; labelling configuration: {config}", file=sys.stderr)
    return 1 if len(results) < len(items) else 0


def cmd_import_annotations(args: argparse.Namespace) -> int:
    from .labelstudio import import_export

    try:
        imported = import_export(args.file, args.gold, args.genre)
    except (OSError, ValueError) as exc:
        print(f"error: {args.file}: {exc}", file=sys.stderr)
        return 2
    for problem in imported.problems:
        print(f"error: {problem}", file=sys.stderr)
    for line in imported.lines():
        print(line, file=sys.stderr)
    return 1 if imported.problems else 0


def cmd_report(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .report import report_command

    return report_command(
        Path(args.out), docs_per_page=args.per_page, base_dir=Path(args.texts) if args.texts else None
    )


def cmd_explain(args: argparse.Namespace) -> int:
    from .api import explain
    from .ingest import InputError, read_text_file, validate_published

    try:
        published = validate_published(args.published, "--published")
        text = args.text if args.text is not None else read_text_file(Path(args.file))
    except (InputError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    rows = explain(text, published)
    print("label\tstart\tend\ttext\tvalue\trule")
    for r in rows:
        print(f"{r['label']}\t{r['start']}\t{r['end']}\t{r['text']}\t{r['value']}\t{r['rule'] or ''}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=program_name(), description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    from . import __version__

    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    run = sub.add_parser(
        "run",
        help="extract records from articles into CSV files",
        description="Extract records from articles into CSV files. The exit status is 0 "
        "when every document was read, 1 when some failed (they are listed "
        "in documents.csv with status=error), 2 when nothing could be run.",
    )
    run.add_argument(
        "inputs", nargs="*", default=["raw"], metavar="INPUT", help="files or folders to read (default: raw/)"
    )
    run.add_argument(
        "--out",
        default="extracted",
        metavar="DIR",
        help="folder for the CSV files (default: extracted/); files are replaced atomically",
    )
    run.add_argument(
        "--published",
        metavar="DATE",
        help="document date (YYYY, YYYY-MM or YYYY-MM-DD) for documents whose metadata "
        "has none; relative dates (올해, 지난 19일) resolve against it",
    )
    run.add_argument(
        "-w",
        "--workers",
        type=positive_int,
        default=None,
        metavar="N",
        help="extract in N processes (default 1; with --engine dask: the size of the local "
        "cluster, default one per core); outputs are identical, in input order",
    )
    run.add_argument(
        "--engine",
        choices=("local", "dask"),
        default="local",
        help="local: this machine's processes (default); dask: a Dask cluster, started on this "
        "machine or given by --scheduler (needs pip install -e '.[dask]'; see docs/scale.md)",
    )
    run.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="with --engine dask: the address of a running Dask scheduler (tcp://host:8786) instead of a local cluster",
    )
    run.add_argument(
        "--format",
        choices=("csv", "parquet"),
        default="csv",
        help="csv: the CSV files (default); parquet: one Parquet file per table, typed, for large "
        "corpora (needs pyarrow, in the dask extra)",
    )
    run.add_argument(
        "--resume",
        action="store_true",
        help="continue an interrupted run into the same --out without redoing the documents it "
        "finished; documents edited, added or removed since are handled as in a fresh run",
    )
    run.add_argument(
        "--follow-links",
        action="store_true",
        help="read symbolic links that lead out of an input folder (by default they are errors)",
    )
    run.add_argument(
        "--csv-raw",
        action="store_true",
        help="write text cells as they are; by default a cell starting with = + - @, a tab or a "
        "carriage return gets a leading ' so that Excel does not run it as a formula",
    )
    from .ingest import Columns

    for field, option in COLUMN_OPTIONS.items():
        run.add_argument(
            option,
            metavar="NAME",
            help=f"CSV/XLSX inputs: the column holding the {field} (default: the first of "
            f"{', '.join(getattr(Columns(), field))})",
        )
    run.add_argument("-q", "--quiet", action="store_true", help="no progress bar and no summary line")
    run.set_defaults(func=cmd_run)

    ev = sub.add_parser(
        "evaluate",
        help="score extraction against hand-labelled gold fixtures",
        description="Precision, recall and F1 per label (exact and overlapping spans), value "
        "accuracy over exactly matched spans, and event link scores, against the "
        "gold fixtures (format: tests/fixtures/README.md).",
    )
    ev.add_argument(
        "--gold",
        default="tests/fixtures",
        metavar="DIR",
        help="folder of gold fixtures (default: tests/fixtures, relative to the current folder)",
    )
    ev.add_argument("--pred", metavar="DIR", help="score existing CSV outputs in DIR instead of running the pipeline")
    ev.add_argument(
        "--out",
        default="extracted",
        metavar="DIR",
        help="where evaluation.csv goes when --pred is not given (default: extracted/)",
    )
    ev.add_argument("--show-errors", action="store_true", help="list every missed, spurious and wrong-valued span")
    ev.add_argument("--markdown", action="store_true", help="print the table as Markdown (as README.md shows it)")
    ev.add_argument("--write", metavar="FILE", help="also paste the Markdown table into a section of FILE (README.md)")
    ev.add_argument(
        "--section",
        default="evaluation",
        metavar="NAME",
        help="the section --write replaces, between <!-- NAME:start --> and <!-- NAME:end --> "
        "(default: evaluation; README.md also has development, for --gold tests/fixtures_news, "
        "and held-out, for --gold tests/fixtures_heldout)",
    )
    ev.add_argument(
        "--fail-under", type=float, metavar="F1", help="exit 1 when any label's exact-span F1 is below this value"
    )
    ev.add_argument(
        "--without-gazetteer",
        action="store_true",
        help="run the pipeline with the organisation list switched off, so ORG recall measures "
        "finding organisations by their form alone (not with --pred)",
    )
    ev.set_defaults(func=cmd_evaluate)

    ex = sub.add_parser(
        "export-annotations",
        help="write predictions as Label Studio tasks to correct",
        description="Run the pipeline and write its spans as Label Studio tasks with "
        "pre-annotations (JSON), plus labeling-config.xml beside them. Import the "
        "JSON into a Label Studio project that uses that configuration.",
    )
    ex.add_argument("inputs", nargs="*", default=["raw"], metavar="INPUT", help="files or folders (default: raw/)")
    ex.add_argument(
        "--out",
        default="extracted/labelstudio-tasks.json",
        metavar="FILE",
        help="tasks file (default: extracted/labelstudio-tasks.json)",
    )
    ex.add_argument("--published", metavar="DATE", help="document date where metadata has none")
    ex.set_defaults(func=cmd_export_annotations)

    im = sub.add_parser(
        "import-annotations",
        help="turn a Label Studio JSON export into gold fixtures",
        description="Read Label Studio's JSON export of corrected tasks and write one gold "
        "fixture per annotated task (its latest annotation) into --gold, replacing "
        "the fixture of the same document id (whose events and genre are kept). "
        "Tasks nobody annotated and cancelled (skipped) ones are left out and "
        "counted. Every fixture is checked first: when one has a problem, nothing "
        "is written (exit 1). Only the JSON export is read, not JSON-MIN or CSV. "
        "Step by step: docs/labelstudio.md.",
    )
    im.add_argument("file", metavar="FILE", help="Label Studio JSON export")
    im.add_argument("--gold", default="tests/fixtures", metavar="DIR", help="fixture folder (default: tests/fixtures)")
    im.add_argument("--genre", default="newsroom", help="genre of new documents (default: newsroom)")
    im.set_defaults(func=cmd_import_annotations)

    rp = sub.add_parser(
        "report",
        help="write an offline HTML report to check the records against their text",
        description="Write DIR/report.html: one self-contained file (no network) with each "
        "document's text and records highlighted, the event timeline, money by "
        "organisation and category, and the records to review first. Texts are read "
        "back from the paths in documents.csv (or documents.parquet after --format parquet), "
        "relative to the folder the run was "
        "started in (OUT/run.json), else the current folder or the output folder's "
        "parents. Exit status 1 when some texts were not found (their records are "
        "listed without highlighting), 2 when there is no run or a CSV is damaged.",
    )
    rp.add_argument(
        "--out",
        default="extracted",
        metavar="DIR",
        help="folder holding the CSV or Parquet files of a run (default: extracted/)",
    )
    rp.add_argument(
        "--per-page",
        type=positive_int,
        default=50,
        metavar="N",
        help="documents per page of the document index (default: 50)",
    )
    rp.add_argument("--texts", metavar="DIR", help="read the documents' paths relative to DIR instead")
    rp.set_defaults(func=cmd_report)

    xp = sub.add_parser(
        "explain",
        help="show every span of one text with its value and the rule that found it",
        description="Run the pipeline on one text and print, for every DATE, ORG, MONEY and "
        "QUANTITY span, its offsets, surface, value and the name of the rule that "
        "produced it (tab-separated), to see why a value came out as it did.",
    )
    src = xp.add_mutually_exclusive_group(required=True)
    src.add_argument("file", nargs="?", metavar="FILE", help="a text file (UTF-8, UTF-16 or CP949)")
    src.add_argument("--text", help="the text itself, instead of a file")
    xp.add_argument("--published", metavar="DATE", help="document date (YYYY[-MM[-DD]]) for relative dates")
    xp.set_defaults(func=cmd_explain)
    for command in sub.choices.values():
        command.set_defaults(parser=command)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args, unknown = parser.parse_known_args(argv)
    if unknown:  # reported by the command's own parser, so the usage shown is the command's
        args.parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    return args.func(args)
