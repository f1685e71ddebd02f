"""The correction round trip with Label Studio.

``export-annotations`` writes the pipeline's predictions as Label Studio tasks (the documented
"Basic Label Studio JSON format": ``data`` plus ``predictions``), one task per document, for
researchers to correct with the labelling configuration in :data:`LABEL_CONFIG`.
``import-annotations`` reads Label Studio's JSON export of the corrected tasks (``annotations``)
back into gold fixtures (``tests/fixtures/README.md``), so that corrections become regression tests.

Each span is a ``labels`` region (``value.start``/``end``/``text``/``labels``) and its normalised
value a per-region ``textarea`` with the same region ``id``, written ``key=value`` pairs joined by
``; `` (``value=2020-03; mod=END``, ``name=경제협력개발기구; kind=international``,
``value=5390000000; unit=KRW; qualifier=approx``), which a researcher can edit in place.
Events are not edited in Label Studio: an imported document keeps the events of the fixture it
replaces (none for a new document; add them in the JSON).
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from . import schema
from .fixtures import check


def label_config() -> str:
    """The Label Studio labelling configuration for the registered labels (:data:`LABEL_CONFIG`)."""
    labels = "".join(f'    <Label value="{lab.name}" background="{lab.colour}"/>\n' for lab in schema.LABELS.values())
    examples = dict.fromkeys("; ".join(f"{a.name}={a.example}" for a in lab.attrs) for lab in schema.LABELS.values())
    return f"""<View>
  <Labels name="label" toName="text">
{labels}  </Labels>
  <Text name="text" value="$text"/>
  <TextArea name="norm" toName="text" perRegion="true" editable="true" maxSubmissions="1"
            placeholder="{' | '.join(examples)}"/>
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
    return {a.name: a.parse(attrs.get(a.name) or "") for a in schema.LABELS[label].attrs}


def _regions(spans: list[dict]) -> list[dict]:
    result = []
    for i, s in enumerate(spans):
        rid = f"r{i}"
        result.append({"id": rid, "from_name": "label", "to_name": "text", "type": "labels",
                       "value": {"start": s["start"], "end": s["end"], "text": s["text"], "labels": [s["label"]]}})
        result.append({"id": rid, "from_name": "norm", "to_name": "text", "type": "textarea",
                       "value": {"start": s["start"], "end": s["end"], "text": [_norm_text(s["label"], s)]}})
    return result


def result_spans(result) -> list[dict]:
    """Span dicts (fixture format) from the rows of a pipeline :class:`~pipeline.api.Result`."""
    spans = []
    for table in schema.span_tables():
        for row in result.tables.get(table, []):
            label = schema.table_label(table, row)
            spans.append({"label": label, **{k: row[k] for k in ("start", "end", "text")},
                          **{k: row[k] or None for k in schema.LABELS[label].keys}})
    return sorted(spans, key=lambda s: (s["start"], s["end"]))


def to_tasks(results, model_version: str = "csr-pipeline") -> list[dict]:
    """Label Studio tasks with pre-annotations, one per document result."""
    tasks = []
    for r in results:
        data = {"text": r.text, "doc_id": r.doc_id, "published": r.published, "title": r.title}
        tasks.append({"data": data, "predictions": [{"model_version": model_version, "result": _regions(result_spans(r))}]})
    return tasks


def _latest_annotation(task: dict) -> list[dict] | None:
    annotations = [a for a in task.get("annotations", []) if not a.get("was_cancelled")]
    if not annotations:
        return None
    annotations.sort(key=lambda a: (a.get("updated_at") or a.get("created_at") or "", str(a.get("id", ""))))
    return annotations[-1].get("result", [])


def task_to_fixture(task: dict, existing: dict | None = None, genre: str = "newsroom") -> dict:
    """One exported task (with its latest annotation) as a gold fixture."""
    data = task["data"]
    text = data["text"]
    result = _latest_annotation(task)
    if result is None:
        raise ValueError(f"task {data.get('doc_id') or task.get('id')}: no annotation to import")
    norms = {r["id"]: (r["value"].get("text") or [""])[0] for r in result if r.get("type") == "textarea"}
    spans = []
    for r in result:
        if r.get("type") != "labels":
            continue
        v = r["value"]
        label = v["labels"][0]
        if label not in schema.LABELS:
            raise ValueError(f"task {data.get('doc_id')}: unknown label {label!r}")
        span = {"label": label, "text": text[v["start"]:v["end"]], **_parse_norm(label, norms.get(r["id"], ""))}
        span["start"], span["end"] = v["start"], v["end"]
        spans.append(span)
    spans.sort(key=lambda s: (s["start"], s["end"]))
    doc_id = str(data.get("doc_id") or f"task{task.get('id')}")
    fx = {
        "id": doc_id,
        "genre": (existing or {}).get("genre", genre),
        "published": data.get("published"),
        "title": data.get("title") or "",
    }
    if existing and "path" in existing:
        fx["path"] = existing["path"]
    else:
        fx["text"] = text
    fx["spans"] = spans
    fx["events"] = (existing or {}).get("events", [])
    return fx


def fixture_name(doc_id: str) -> str:
    return re.sub(r"[^\w.-]+", "_", doc_id) + ".json"


def import_export(export_path: str | Path, gold_dir: str | Path, genre: str = "newsroom") -> list[tuple[Path, list[str]]]:
    """Write one fixture per exported task into ``gold_dir``; returns (path, problems) per task."""
    tasks = json.loads(Path(export_path).read_text(encoding="utf-8"))
    if isinstance(tasks, dict):
        tasks = [tasks]
    gold_dir = Path(gold_dir)
    gold_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for task in tasks:
        doc_id = str(task.get("data", {}).get("doc_id") or f"task{task.get('id')}")
        path = gold_dir / fixture_name(doc_id)
        existing = json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
        fx = task_to_fixture(task, existing, genre)
        problems = check(fx, task["data"]["text"])
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_text(json.dumps(fx, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        tmp.replace(path)
        written.append((path, problems))
    return written
