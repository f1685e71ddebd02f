"""The correction round trip with Label Studio.

``export-annotations`` writes the pipeline's predictions as Label Studio tasks (the documented
"Basic Label Studio JSON format": ``data`` plus ``predictions``), one task per document, for
researchers to correct with the labelling configuration in :data:`LABEL_CONFIG`.
``import-annotations`` reads Label Studio's JSON export of the corrected tasks (``annotations``)
back into gold fixtures (``tests/fixtures/README.md``), so that corrections become regression tests:
tasks nobody annotated and cancelled ones are skipped and counted, every fixture is validated before
any is written, and JSON-MIN is refused (it drops what pairs a span with its values).
The whole round trip, step by step: ``docs/labelstudio.md``.

Each span is a ``labels`` region (``value.start``/``end``/``text``/``labels``) and its normalised
value a per-region ``textarea`` with the same region ``id``, written ``key=value`` pairs joined by
``; `` (``value=2020-03; mod=END``, ``name=경제협력개발기구; kind=international``,
``value=5390000000; unit=KRW; qualifier=approx``), which a researcher can edit in place.
Events are not edited in Label Studio: an imported document keeps the events of the fixture it
replaces (none for a new document; add them in the JSON).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import schema
from .fixtures import check, fixture_text, load, skip_for


def label_config() -> str:
    """The Label Studio labelling configuration for the registered labels (:data:`LABEL_CONFIG`)."""
    labels = "".join(f'    <Label value="{lab.name}" background="{lab.colour}"/>\n' for lab in schema.LABELS.values())
    examples = dict.fromkeys("; ".join(f"{a.name}={a.example}" for a in lab.attrs) for lab in schema.LABELS.values())
    return f"""<View>
  <Labels name="label" toName="text">
{labels}  </Labels>
  <Text name="text" value="$text"/>
  <TextArea name="norm" toName="text" perRegion="true" editable="true" maxSubmissions="1"
            placeholder="{" | ".join(examples)}"/>
</View>
"""


def __getattr__(name: str) -> str:
    if name == "LABEL_CONFIG":  # built when asked for, so that it has every registered label
        return label_config()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _norm_text(label: str, attrs: dict) -> str:
    return "; ".join(f"{k}={'' if attrs.get(k) is None else attrs.get(k)}" for k in schema.LABELS[label].keys)


def _parse_norm(label: str, text: str) -> dict:
    attrs: dict = {}
    for part in text.split(";"):
        if "=" in part:
            k, _, v = part.partition("=")
            attrs[k.strip()] = v.strip()
    # an unscored attribute left empty (ORG's derived org_id) is not written into the gold
    return {
        a.name: a.parse(attrs.get(a.name) or "") for a in schema.LABELS[label].attrs if a.scored or attrs.get(a.name)
    }


def _regions(spans: list[dict]) -> list[dict]:
    result = []
    for i, s in enumerate(spans):
        rid = f"r{i}"
        result.append(
            {
                "id": rid,
                "from_name": "label",
                "to_name": "text",
                "type": "labels",
                "value": {"start": s["start"], "end": s["end"], "text": s["text"], "labels": [s["label"]]},
            }
        )
        result.append(
            {
                "id": rid,
                "from_name": "norm",
                "to_name": "text",
                "type": "textarea",
                "value": {"start": s["start"], "end": s["end"], "text": [_norm_text(s["label"], s)]},
            }
        )
    return result


def result_spans(result) -> list[dict]:
    """Span dicts (fixture format) from the rows of a pipeline :class:`~pipeline.api.Result`."""
    spans = []
    for table in schema.span_tables():
        for row in result.tables.get(table, []):
            label = schema.table_label(table, row)
            spans.append(
                {
                    "label": label,
                    **{k: row[k] for k in ("start", "end", "text")},
                    **{k: row[k] or None for k in schema.LABELS[label].keys},
                }
            )
    return sorted(spans, key=lambda s: (s["start"], s["end"]))


def to_tasks(results, model_version: str = "csr-pipeline") -> list[dict]:
    """Label Studio tasks with pre-annotations, one per document result."""
    tasks = []
    for r in results:
        data = {"text": r.text, "doc_id": r.doc_id, "published": r.published, "title": r.title}
        tasks.append(
            {"data": data, "predictions": [{"model_version": model_version, "result": _regions(result_spans(r))}]}
        )
    return tasks


NOT_ANNOTATED = "not annotated"
CANCELLED = "cancelled in Label Studio"
JSON_MIN = (
    "a JSON-MIN export, which keeps each span's values apart from the span, without the region id or "
    "offsets that pair them: export the project as JSON instead"
)


class ExportError(ValueError):
    """The file is not a Label Studio JSON export of tasks."""


def _annotations(task: dict) -> list[dict]:
    return task.get("annotations", task.get("completions")) or []  # "completions": Label Studio before 1.0


def _submitted(task: dict) -> list[dict]:
    return [a for a in _annotations(task) if not (a.get("was_cancelled") or a.get("skipped"))]


def skip_reason(task: dict) -> str | None:
    """Why a task gives no fixture (:data:`NOT_ANNOTATED`, :data:`CANCELLED`), or None when it gives one."""
    if _submitted(task):
        return None
    return CANCELLED if _annotations(task) else NOT_ANNOTATED


def _latest_annotation(task: dict) -> list[dict] | None:
    annotations = _submitted(task)
    if not annotations:
        return None
    annotations.sort(key=lambda a: (a.get("updated_at") or a.get("created_at") or "", str(a.get("id", ""))))
    return annotations[-1].get("result", [])


def _task_name(task: dict) -> str:
    return str(task["data"].get("doc_id") or f"task{task.get('id')}")


def _values(label: str, norm: str) -> dict:
    try:
        attrs = _parse_norm(label, norm)
        if isinstance(attrs.get("value"), float) and not math.isfinite(attrs["value"]):
            raise ArithmeticError
    except ArithmeticError:
        raise ValueError(f"value in {norm!r} is not a number") from None
    return attrs


def _same_text(fx: dict, text: str) -> bool:
    try:
        return fixture_text(fx) == text
    except OSError:
        return False


def task_to_fixture(task: dict, existing: dict | None = None, genre: str = "newsroom") -> dict:
    """One exported task (with its latest annotation) as a gold fixture that passes the fixture test as written.

    Spans carry the ``skip`` that :func:`~pipeline.fixtures.locate` needs to find them again. ``genre`` and events
    come from ``existing`` (the fixture this one replaces), so does ``title``/``published`` when the task has none,
    and so does ``path`` when that file still holds the annotated text.
    """
    data = task["data"]
    text = data["text"]
    name = _task_name(task)
    result = _latest_annotation(task)
    if result is None:
        raise ValueError(f"task {name}: no annotation to import")
    norms = {r.get("id"): (r["value"].get("text") or [""])[0] for r in result if r.get("type") == "textarea"}
    regions = []
    for r in result:
        if r.get("type") != "labels":
            continue
        v = r["value"]
        start, end, label = v.get("start"), v.get("end"), (v.get("labels") or [None])[0]
        if label not in schema.LABELS:
            raise ValueError(f"task {name}: unknown label {label!r}")
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
            raise ValueError(f"task {name}: {label} region {start}-{end} is not inside the text")
        try:
            regions.append((start, end, label, _values(label, norms.get(r.get("id"), ""))))
        except ValueError as exc:
            raise ValueError(f"task {name}: {label} {text[start:end]!r}: {exc}") from None
    spans = []
    after = 0
    for start, end, label, attrs in sorted(regions, key=lambda region: region[:2]):
        span = {"label": label, "text": text[start:end], **attrs}
        skip = skip_for(text, span["text"], after, start)
        if skip:
            span["skip"] = skip
        span["start"], span["end"] = start, end
        spans.append(span)
        after = start
    old = existing or {}
    fx = {
        "id": name,
        "genre": old.get("genre", genre),
        "published": data.get("published") or old.get("published"),
        "title": data.get("title") or old.get("title") or "",
    }
    if "path" in old and _same_text(old, text):
        fx["path"] = old["path"]
    else:
        fx["text"] = text
    fx["spans"] = spans
    fx["events"] = old.get("events", [])
    return fx


def fixture_name(doc_id: str) -> str:
    return re.sub(r"[^\w.-]+", "_", doc_id) + ".json"


def read_export(export_path: str | Path) -> list[dict]:
    """The tasks of a Label Studio JSON export (a list of tasks, or one task); :class:`ExportError` otherwise."""
    try:
        tasks = json.loads(Path(export_path).read_text(encoding="utf-8-sig"))
    except json.JSONDecodeError as exc:
        raise ExportError(f"not JSON ({exc}): export the project as JSON") from None
    if isinstance(tasks, dict):
        tasks = [tasks]
    if not isinstance(tasks, list) or not all(isinstance(t, dict) for t in tasks):
        raise ExportError("not a list of Label Studio tasks: export the project as JSON")
    for i, task in enumerate(tasks):
        if not isinstance(task.get("data"), dict) or not isinstance(task["data"].get("text"), str):
            if "annotation_id" in task or "text" in task:  # JSON-MIN puts the task data at the top level
                raise ExportError(JSON_MIN)
            raise ExportError(f"task {i + 1} has no data.text: export the project as JSON")
    return tasks


@dataclass
class Imported:
    """What :func:`import_export` did. When there are ``problems``, nothing was written."""

    gold_dir: Path
    written: list[Path] = field(default_factory=list)
    skipped: dict[str, list[str]] = field(default_factory=dict)  # reason -> task names
    problems: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The skipped tasks by reason, then a summary line."""
        out = [
            f"{_count(len(names), 'task')} {reason}, skipped: {', '.join(names[:5])}{', …' * (len(names) > 5)}"
            for reason, names in self.skipped.items()
        ]
        n = sum(len(names) for names in self.skipped.values())
        skipped = f"; {_count(n, 'task')} skipped ({', '.join(f'{len(v)} {k}' for k, v in self.skipped.items())})"
        if self.problems:
            out.append(
                f"nothing written to {self.gold_dir}: {_count(len(self.problems), 'problem')} to correct in "
                f"Label Studio before exporting again{skipped * bool(n)}"
            )
        else:
            out.append(f"{_count(len(self.written), 'fixture')} written to {self.gold_dir}{skipped * bool(n)}")
        return out


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' * (n != 1)}"


def _write_all(files: dict[Path, str]) -> None:
    """Write every file or none: all go to temporary files first, then each is renamed into place."""
    done: list[tuple[Path, Path]] = []
    try:
        for path, content in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.tmp")
            done.append((tmp, path))
            tmp.write_text(content, encoding="utf-8")
    except OSError:
        for tmp, _ in done:
            tmp.unlink(missing_ok=True)
        raise
    for tmp, path in done:
        tmp.replace(path)


def import_export(export_path: str | Path, gold_dir: str | Path, genre: str = "newsroom") -> Imported:
    """One fixture per annotated task of a Label Studio JSON export, written into ``gold_dir`` only when every one
    is valid. Tasks nobody annotated and tasks whose annotations were all cancelled are skipped and reported."""
    gold_dir = Path(gold_dir)
    imported = Imported(gold_dir)
    files: dict[Path, str] = {}
    for task in read_export(export_path):
        name = _task_name(task)
        reason = skip_reason(task)
        if reason is not None:
            imported.skipped.setdefault(reason, []).append(name)
            continue
        path = gold_dir / fixture_name(name)
        if path in files:
            imported.problems.append(f"{path}: a second task for document {name}")
            continue
        try:
            fx = task_to_fixture(task, load(path) if path.exists() else None, genre)
        except (ValueError, KeyError, TypeError, IndexError) as exc:
            imported.problems.append(f"{path}: {exc if isinstance(exc, ValueError) else repr(exc)}")
            continue
        imported.problems += [f"{path}: {p}" for p in check(fx, task["data"]["text"])]
        files[path] = json.dumps(fx, ensure_ascii=False, indent=2) + "\n"
    if not imported.problems:
        _write_all(files)
        imported.written = list(files)
    return imported
