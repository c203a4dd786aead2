"""Records of other tools turned into our record shape: Prodigy and doccano lines, Label Studio tasks.

Every function returns Items: a record of our shape to validate, a record skipped on purpose (counted
and reported: a Prodigy `reject`, a cancelled Label Studio annotation), or an error naming where.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from annotator.formats.relations import doccano_links, labelstudio_links, prodigy_links

PRODIGY_KEYS = ("answer", "_input_hash", "_task_hash")
PRODIGY_META = ("_input_hash", "_task_hash")
"""Prodigy's hashes, kept in the document's meta so a re-export can give them back."""

LS_ANNOTATOR_STATUS = "annotator_status"
"""Key of a Label Studio task's `meta` where our export keeps each layer's status."""
LS_ANNOTATORS = "annotators"
"""Key of a Label Studio task's `meta` where our export keeps the layer name of each annotation, in order."""


@dataclass
class Item:
    """One record read from a file, where it was, and what became of it."""

    where: str
    record: dict[str, Any] | None = None
    error: str | None = None
    skipped: str | None = None
    """Why the record is deliberately not imported (counted in the summary), e.g. `Prodigy answer reject`."""
    links: list[tuple[int, int, str]] = field(default_factory=list)
    """The record's relations: (head, child, label), head and child positions in its `spans`."""


def _failed(where: str, message: str) -> Item:
    return Item(where, error=f"{where}: {message}")


def _has(record: dict[str, Any], key: str) -> bool:
    """The key holds something (not missing, null or empty)."""
    return record.get(key) not in (None, [], {}, "")


def from_record(record: dict[str, Any], where: str) -> Item:
    """A JSON object of ours, Prodigy's or doccano's → a record of our shape (or an error / a skip)."""
    foreign = [key for key in ("label", "labels", "entities") if key in record]
    if any(key in record for key in PRODIGY_KEYS):
        item = _from_prodigy(record, where)
    elif foreign:
        if "spans" in record or len(foreign) > 1:
            keys = ", ".join(f'"{key}"' for key in (["spans"] if "spans" in record else []) + foreign)
            return _failed(where, f"holds annotations twice ({keys}); keep one")
        return _from_doccano(record, foreign[0], where)
    else:
        item = Item(where, record)
    if item.record is not None and _has(item.record, "relations"):  # ours and Prodigy's: Prodigy's form
        out, links, problem = prodigy_links(item.record)
        if problem:
            return _failed(where, problem)
        item.record, item.links = out, links
    return item


def _from_prodigy(record: dict[str, Any], where: str) -> Item:
    """Prodigy: only `accept` is imported; `reject` and `ignore` are skipped and counted."""
    answer = record.get("answer", "accept")
    if answer in ("reject", "ignore"):
        return Item(where, skipped=f"Prodigy answer {answer}")
    if answer != "accept":
        return _failed(where, f"unknown Prodigy answer {answer!r} (accept, reject or ignore)")
    if _has(record, "accept") or isinstance(record.get("label"), str):
        return _failed(where, "holds a Prodigy choice or document label, which the annotator does not store")
    out = dict(record)
    meta = record.get("meta") or {}
    if not isinstance(meta, dict):
        return _failed(where, '"meta" must be an object')
    out["meta"] = {**meta, **{key: record[key] for key in PRODIGY_META if key in record}}
    if not isinstance(out.get("annotator"), str) and isinstance(record.get("_annotator_id"), str):
        out["annotator"] = record["_annotator_id"]
    return Item(where, out)


def _from_doccano(record: dict[str, Any], key: str, where: str) -> Item:
    """doccano: `label`/`labels` as [[start, end, label]], or `entities` as span objects."""
    raw = record[key]
    out = {k: v for k, v in record.items() if k not in (key, "relations", "Comments", "comments")}  # relations: links
    comments = record.get("Comments") or record.get("comments")
    if comments:
        meta = out.get("meta") or {}
        if not isinstance(meta, dict):
            return _failed(where, '"meta" must be an object')
        out["meta"] = {**meta, "comments": comments}
    if not isinstance(raw, list):
        return _failed(where, f'"{key}" must be a list')
    spans: list[Any] = []
    for i, item in enumerate(raw):
        if key == "entities":
            if not isinstance(item, dict):
                return _failed(where, f"entity {i} is not an object")
            spans.append({"start": item.get("start_offset"), "end": item.get("end_offset"), "label": item.get("label")})
        elif isinstance(item, list) and len(item) == 3:
            spans.append({"start": item[0], "end": item[1], "label": item[2]})
        elif isinstance(item, str):
            return _failed(
                where,
                f'"{key}" holds the document label {item!r} (text classification), which the annotator does not store',
            )
        else:
            return _failed(where, f'"{key}" item {i} is not [start, end, "label"]')
    out["spans"] = spans
    links: list[tuple[int, int, str]] = []
    if _has(record, "relations"):
        if key != "entities":
            return _failed(where, f'has "relations" beside "{key}"; doccano\'s relation form names spans in "entities"')
        ids: dict[Any, int] = {}
        for n, item in enumerate(raw):
            entity_id = item.get("id")
            if entity_id is not None and not isinstance(entity_id, (dict, list)):
                if entity_id in ids:
                    return _failed(where, f"entity id {entity_id!r} is given twice")
                ids[entity_id] = n
        links, problem = doccano_links(record["relations"], ids)
        if problem:
            return _failed(where, problem)
    return Item(where, out, links=links)


def is_labelstudio(data: Any) -> bool:
    """A Label Studio JSON export: a list of tasks, each with a `data` object."""
    return (
        isinstance(data, list)
        and bool(data)
        and all(isinstance(task, dict) and isinstance(task.get("data"), dict) for task in data)
    )


def _who(annotation: dict[str, Any]) -> str | None:
    """The layer name of a Label Studio annotation: its annotator's email, else `labelstudio-<id>`."""
    by = annotation.get("completed_by")
    if isinstance(by, dict):
        email = by.get("email")
        if isinstance(email, str) and email.strip():
            return email.strip()
        by = by.get("id")
    if isinstance(by, int) and not isinstance(by, bool):
        return f"labelstudio-{by}"
    if isinstance(by, str) and by.strip():
        return by.strip()
    return None


def _names(task: dict[str, Any]) -> list[str | None]:
    """The layer name of each annotation of a task: `completed_by`, else the name our export kept in `meta`."""
    annotations = task.get("annotations") if isinstance(task.get("annotations"), list) else []
    meta = task.get("meta")
    kept = meta.get(LS_ANNOTATORS) if isinstance(meta, dict) else None
    names: list[str | None] = []
    for a, annotation in enumerate(annotations or []):
        name = _who(annotation) if isinstance(annotation, dict) else None
        if name is None and isinstance(kept, list) and a < len(kept) and isinstance(kept[a], str) and kept[a].strip():
            name = kept[a]
        names.append(name)
    return names


def _task_text(task: dict[str, Any]) -> tuple[str | None, str | None]:
    """(text, problem): `data.text`, else the only string value of `data`."""
    data = task["data"]
    if isinstance(data.get("text"), str):
        return data["text"], None
    strings = [value for value in data.values() if isinstance(value, str)]
    if len(strings) == 1:
        return strings[0], None
    return None, 'no "text" in "data" (and not exactly one string to take instead)'


def from_labelstudio(tasks: Sequence[dict[str, Any]], path: str, as_name: str | None) -> tuple[list[Item], list[str]]:
    """Label Studio tasks → one record per (task, annotation) plus one per task without annotations; notes."""
    items: list[Item] = []
    notes: list[str] = []
    people = {name for task in tasks for name in _names(task) if name is not None}
    if as_name is not None and len(people) > 1:
        names = ", ".join(sorted(repr(p) for p in people))
        return [Item(path, error=f"{path}: --as names one annotator, but the file holds {len(people)} ({names})")], []
    predictions = 0
    cancelled = 0
    for n, task in enumerate(tasks, start=1):
        task_id = task.get("id")
        where = f"{path}: task {n}" + (
            f" (id {task_id})"
            if isinstance(task_id, int) and not isinstance(task_id, bool)
            else f" (id {task_id!r})"
            if isinstance(task_id, str)
            else ""
        )
        text, problem = _task_text(task)
        if problem:
            items.append(_failed(where, problem))
            continue
        data = task["data"]
        doc_id = data.get("id") if isinstance(data.get("id"), str) else task.get("id")
        base: dict[str, Any] = {"text": text}
        if doc_id is not None:
            base["id"] = doc_id
        if isinstance(data.get("title"), str):
            base["title"] = data["title"]
        if isinstance(data.get("meta"), dict):
            base["meta"] = data["meta"]
        task_meta = task.get("meta")
        saved = task_meta.get(LS_ANNOTATOR_STATUS) if isinstance(task_meta, dict) else None
        statuses: dict[str, Any] = saved if isinstance(saved, dict) else {}
        found = task.get("predictions")
        predictions += len(found) if isinstance(found, list) else int(bool(found))
        annotations = task.get("annotations") or []
        if not isinstance(annotations, list):
            items.append(_failed(where, '"annotations" must be a list'))
            continue
        kept = 0
        for a, annotation in enumerate(annotations):
            spot = f"{where}, annotation {a + 1}"
            if not isinstance(annotation, dict):
                items.append(_failed(spot, "is not an object"))
                continue
            if annotation.get("was_cancelled"):
                cancelled += 1
                continue
            who = _names(task)[a]
            name = as_name or who
            if name is None:
                items.append(_failed(spot, 'has no "completed_by" (give --as NAME)'))
                continue
            spans, links, problem = _ls_spans(annotation.get("result") or [], text or "")
            if problem:
                items.append(_failed(spot, problem))
                continue
            record = {**base, "annotator": name, "spans": spans}
            if who in statuses:
                record["status"] = statuses[who]
            items.append(Item(spot, record, links=links))
            kept += 1
        if not kept:
            items.append(Item(where, dict(base)))
    if predictions:
        notes.append(
            f"{path}: {predictions} Label Studio prediction{'s' if predictions != 1 else ''} "
            "not imported (predictions are not annotations)"
        )
    if cancelled:
        notes.append(
            f"{path}: {cancelled} cancelled (skipped) Label Studio annotation{'s' if cancelled != 1 else ''} "
            "not imported"
        )
    return items, notes


def _ls_spans(result: Any, text: str) -> tuple[list[dict[str, Any]], list[tuple[int, int, str]], str | None]:
    """Spans and links of one annotation's `result`; a region of another type, or with several labels, is a problem."""
    if not isinstance(result, list):
        return [], [], '"result" must be a list'
    spans: list[dict[str, Any]] = []
    region_ids: dict[Any, int] = {}
    relations: list[tuple[int, dict[str, Any]]] = []
    for r, region in enumerate(result):
        if not isinstance(region, dict):
            return [], [], f"result {r} is not an object"
        kind = region.get("type")
        if kind == "relation":
            relations.append((r, region))
            continue
        if kind != "labels":
            return (
                [],
                [],
                f'result {r} is of type {kind!r}, which the annotator does not store (only "labels" and "relation")',
            )
        value = region.get("value")
        if not isinstance(value, dict):
            return [], [], f'result {r} has no "value" object'
        labels = value.get("labels")
        if not isinstance(labels, list) or len(labels) != 1:
            return [], [], f"result {r} must carry exactly one label (has {labels!r})"
        start, end = value.get("start"), value.get("end")
        quoted = value.get("text")
        if (
            isinstance(start, int)
            and isinstance(end, int)
            and isinstance(quoted, str)
            and 0 <= start < end <= len(text)
        ):
            if text[start:end] != quoted:
                return (
                    [],
                    [],
                    (
                        f"result {r}: the text at {start}-{end} is {text[start:end][:30]!r}, "
                        f"not {quoted[:30]!r} as the region says"
                    ),
                )
        region_id = region.get("id")
        if region_id is not None and not isinstance(region_id, (dict, list)):
            region_ids.setdefault(region_id, len(spans))
        spans.append({"start": start, "end": end, "label": labels[0]})
    links, problem = labelstudio_links(relations, region_ids)
    if problem:
        return [], [], problem
    return spans, links, None
