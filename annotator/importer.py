"""Read files into documents and spans, validating everything first.

Formats are told apart by content (annotator.importer.detect), the readers of other tools' records
live in annotator.formats, finding and reading the files in annotator.import_files; every record,
whatever its format, passes the same checks.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from annotator.formats.hf import hf_tokens_error, is_hf_tokens
from annotator.import_files import SPACY_SUFFIX, file_stem, read_text
from annotator.import_files import expand_paths as expand_paths  # callers import it with parse_files
from annotator.model import (
    GOLD,
    Document,
    Label,
    Relation,
    Span,
    normalise_newlines,
    span_problems,
    title_of,
)
from annotator.status import ADJUDICATED, DONE, STATUSES
from annotator.text.bidi import DIRECTIONS


@dataclass
class ParsedImport:
    """Documents and spans read from files, and every problem found."""

    documents: list[Document] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)
    done: dict[tuple[str, str], str | None] = field(default_factory=dict)
    """(document, annotator) → the status that layer gets: the record's `status` (None: left unset),
    else done (gold: adjudicated) for a record that holds the layer."""
    errors: list[str] = field(default_factory=list)
    skipped: dict[str, list[str]] = field(default_factory=dict)
    """Why records were deliberately not imported (e.g. `Prodigy answer reject`) → where they were."""
    notes: list[str] = field(default_factory=list)
    """Other things the summary must say (predictions not imported, ...)."""
    relations: list[Relation] = field(default_factory=list)
    """Relations read, validated; head and child are positions in `spans`."""

    def report(self) -> list[str]:
        """Lines for the summary: every record or annotation read but not imported, and why."""
        lines = list(self.notes)
        for reason, places in sorted(self.skipped.items()):
            shown = ", ".join(places[:3]) + (f" and {len(places) - 3} more" if len(places) > 3 else "")
            lines.append(f"{len(places)} record{'s' if len(places) != 1 else ''} not imported ({reason}): {shown}")
        return lines


def _parse_txt(source: str, text: str, digest: str = "", utf8: bytes | None = None) -> Document:
    """One .txt file is one document: id = stem, title = first line."""
    stem = file_stem(source)
    return Document(id=stem, title=title_of(text, stem), text=text, source=source, _hash=digest, utf8=utf8)


def _int(value: Any) -> int | None:
    """An integer offset, refusing booleans and floats."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


_NO_STATUS = object()
"""A record without a `status` field (a record with `"status": null` says: never opened)."""


def _layer_status(record: dict[str, Any], annotator: str, where: str) -> tuple[str | None, str | None]:
    """(status the layer gets, error): the record's `status` when it has one, else done (gold: adjudicated)."""
    status = record.get("status", _NO_STATUS)
    if status is _NO_STATUS:
        return (ADJUDICATED if annotator == GOLD else DONE), None
    if status is None:
        return None, None
    if not isinstance(status, str) or status not in STATUSES:
        return None, f"{where}: unknown status {status!r} (known: {', '.join(STATUSES)}, or null)"
    return status, None


def _decode(where: str, line: str) -> tuple[Any, str | None]:
    """One JSON value, or the error naming where."""
    try:
        return json.loads(line), None
    except json.JSONDecodeError as exc:
        return None, f"{where}: not valid JSON ({exc.msg})"
    except RecursionError:
        return None, f"{where}: not valid JSON (nested too deeply)"


def _validate(
    where: str,
    record: Any,
    default_id: str,
    as_name: str | None,
    labels: Sequence[Label],
    label_map: Mapping[str, str],
) -> tuple[Document | None, list[Span], list[str], str | None, str | None]:
    """One record of our shape → a document, its spans, the problems found, the layer's annotator and status."""
    if not isinstance(record, dict):
        return None, [], [f"{where}: not a JSON object"], None, None
    text = record.get("text")
    if not isinstance(text, str):
        return None, [], [f'{where}: no "text" string'], None, None
    text = normalise_newlines(text)
    if not text.strip():
        return None, [], [f'{where}: "text" is empty'], None, None
    doc_id = record.get("id", default_id)
    if isinstance(doc_id, int) and not isinstance(doc_id, bool):
        doc_id = str(doc_id)
    if not isinstance(doc_id, str) or not doc_id.strip():
        return None, [], [f'{where}: "id" must be a non-empty string'], None, None
    title = record.get("title")
    if title is not None and not isinstance(title, str):
        return None, [], [f'{where}: "title" must be a string'], None, None
    meta = record.get("meta") or {}
    if not isinstance(meta, dict):
        return None, [], [f'{where}: "meta" must be an object'], None, None
    direction = meta.get("direction", "auto")
    if not (isinstance(direction, str) and direction.strip().lower() in DIRECTIONS):  # read by text.document
        return (
            None,
            [],
            [f'{where}: "meta.direction" is {json.dumps(direction, ensure_ascii=False)}; use "rtl", "ltr" or "auto"'],
            None,
            None,
        )
    document = Document(id=doc_id, title=title or title_of(text, doc_id), text=text, source=where, meta=meta)
    raw_spans = record.get("spans")
    has_status = record.get("status") is not None
    if raw_spans is None and not has_status:
        return document, [], [], None, None
    if raw_spans is not None and not isinstance(raw_spans, list):
        return None, [], [f'{where}: "spans" must be a list'], None, None
    raw_spans = raw_spans or []
    annotator = as_name or record.get("annotator")
    if not raw_spans and not has_status and not (isinstance(annotator, str) and annotator.strip()):
        return document, [], [], None, None
    if not isinstance(annotator, str) or not annotator.strip():
        what = "spans" if raw_spans else "a status"
        return None, [], [f'{where}: {what} without an annotator (give --as NAME or an "annotator" field)'], None, None
    status, problem = _layer_status(record, annotator, where)
    if problem:
        return None, [], [problem], None, None
    spans: list[Span] = []
    errors: list[str] = []
    known = {label.name for label in labels}
    for i, raw in enumerate(raw_spans):
        if not isinstance(raw, dict):
            errors.append(f"{where}: span {i} is not an object")
            continue
        start, end, label = _int(raw.get("start")), _int(raw.get("end")), raw.get("label")
        if start is None or end is None or not isinstance(label, str):
            errors.append(f'{where}: span {i} needs integer "start", "end" and a "label" string')
            continue
        label = label_map.get(label, label)
        if label not in known:
            mapped = " (and no --label-map maps it)" if label_map else " (map it with --label-map FROM=TO)"
            errors.append(
                f"{where}: span {start}-{end}: unknown label {label!r}{mapped}; known: {', '.join(sorted(known))}"
            )
            continue
        spans.append(Span(doc_id, annotator, start, end, label))
    if not errors:
        errors.extend(f"{where}: {problem}" for problem in span_problems(text, spans, labels))
    return document, spans, errors, annotator, status


def _iter_lines(text: str) -> Iterator[tuple[int, str]]:
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            yield number, line


JSONL, JSON, TEXT, CONLL, HF_TOKENS = "jsonl", "json", "text", "conll", "hf-tokens"
_LEADING_SPACE = re.compile(r"\s*")


def _first_visible(text: str) -> int:
    """The offset of the first non-whitespace character (len(text) when none)."""
    match = _LEADING_SPACE.match(text)
    return match.end() if match else 0


_ARRAY_OF_OBJECTS = re.compile(r"\s*\[\s*\{")


def _opens_array_of_objects(text: str) -> bool:
    """The text starts like a JSON array of objects (`[ {`)."""
    return _ARRAY_OF_OBJECTS.match(text) is not None


def _first_line_record(text: str, start: int) -> Any:
    """The first line (from start) parsed as JSON, None when it is not JSON."""
    end = text.find("\n", start)
    try:
        return json.loads(text[start : end if end >= 0 else len(text)])
    except (json.JSONDecodeError, RecursionError):
        return None


def detect(source: str, text: str) -> tuple[str, Any]:
    """The file's format from its content, and the JSON value when the whole file was parsed as one.

    A .jsonl file is JSON lines (a JSON array in it is read whole); a .json file is one JSON value,
    else JSON lines; any other file is JSON lines when its first line is a JSON object, one JSON value
    when it holds an array of objects, and plain text otherwise. JSON lines whose first record is a
    Hugging Face token record are HF_TOKENS (told in one line instead of an error per record).
    """
    name = source.lower()
    start = _first_visible(text)
    head = text[start : start + 1]  # the first visible character, without copying the text
    if name.endswith(".json") or (head == "[" and (name.endswith(".jsonl") or _opens_array_of_objects(text))):
        try:
            value = json.loads(text)
        except (json.JSONDecodeError, RecursionError):
            value = None
        else:
            if name.endswith((".json", ".jsonl")) or (
                isinstance(value, list) and all(isinstance(v, dict) for v in value)
            ):
                return JSON, value
    first = _first_line_record(text, start) if head == "{" else None
    if name.endswith((".jsonl", ".json")):
        return (HF_TOKENS if is_hf_tokens(first) else JSONL), None
    if head == "{":
        if first is None:
            return TEXT, None
        if isinstance(first, dict):
            return (HF_TOKENS if is_hf_tokens(first) else JSONL), None
    from annotator.formats.conll import CONLL_SUFFIXES, looks_like_conll

    if name.endswith(CONLL_SUFFIXES) or looks_like_conll(text):
        return CONLL, None
    return TEXT, None


def parse_label_map(spec: str | None) -> tuple[dict[str, str], str | None]:
    """`FROM=TO,FROM=TO` → a mapping, or the problem with the spec."""
    mapping: dict[str, str] = {}
    if not spec:
        return mapping, None
    for part in spec.split(","):
        source, equals, target = part.partition("=")
        source, target = source.strip(), target.strip()
        if not equals or not source or not target:
            return {}, f"--label-map: {part.strip()!r} is not FROM=TO"
        if source in mapping and mapping[source] != target:
            return {}, f"--label-map: {source!r} is mapped twice"
        mapping[source] = target
    return mapping, None


def parse_files(
    files: Sequence[str | os.PathLike[str]],
    labels: Sequence[Label],
    as_name: str | None = None,
    on_file: Callable[[int], None] | None = None,
    *,
    label_map: Mapping[str, str] | None = None,
    stored: Mapping[str, str] | None = None,
) -> ParsedImport:
    """Parse every file; problems are collected, never raised; on_file(1) after each file (a progress bar).

    `label_map` renames foreign labels before they are checked; `stored` (id → text hash of the
    documents already in the database) turns a changed text into an error naming file and line.
    """
    from annotator.formats.foreign import Item, from_labelstudio, from_record, is_labelstudio
    from annotator.formats.relations import check_links

    parsed = ParsedImport()
    seen: dict[str, tuple[str, str]] = {}
    mapping = dict(label_map or {})
    known = dict(stored or {})

    def take(item: Item, default_id: str) -> None:
        if item.error:
            parsed.errors.append(item.error)
            return
        if item.skipped:
            parsed.skipped.setdefault(item.skipped, []).append(item.where)
            return
        document, spans, errors, annotator, status = _validate(
            item.where, item.record, default_id, as_name, labels, mapping
        )
        relations: list[Relation] = []
        if item.links and document is not None and not errors:
            relations, errors = check_links(item.where, spans, item.links, mapping)
        parsed.errors.extend(errors)
        if document is None or errors:
            return
        offset = len(parsed.spans)
        if _add(parsed, seen, document, spans, item.where, known) and annotator is not None:
            parsed.done[(document.id, annotator)] = status
            parsed.relations.extend(
                r._replace(head_span_id=r.head_span_id + offset, child_span_id=r.child_span_id + offset)
                for r in relations
            )

    for path in files:
        if on_file is not None:
            on_file(1)
        source = os.fspath(path)
        if source.lower().endswith(SPACY_SUFFIX):
            from annotator.formats.docbin import read_docbin

            for n, item in enumerate(read_docbin(source), start=1):
                take(item, f"{file_stem(source)}-{n}")
            continue
        text, error, digest, utf8 = read_text(source)
        if error:
            parsed.errors.append(error)
            continue
        assert text is not None
        kind, value = detect(source, text)
        if kind == HF_TOKENS:
            parsed.errors.append(hf_tokens_error(source))
        elif kind == JSONL:
            for number, line in _iter_lines(text):
                where = f"{source}:{number}"
                record, problem = _decode(where, line)
                if problem:
                    parsed.errors.append(problem)
                    continue
                take(
                    from_record(record, where) if isinstance(record, dict) else Item(where, record),
                    f"{file_stem(source)}-{number}",
                )
        elif kind == JSON:
            if is_labelstudio(value):
                items, notes = from_labelstudio(value, source, as_name)
                parsed.notes.extend(notes)
                for n, item in enumerate(items, start=1):
                    take(item, f"{file_stem(source)}-{n}")
            elif isinstance(value, list) and value and is_hf_tokens(value[0]):
                parsed.errors.append(hf_tokens_error(source))
            elif isinstance(value, list) and value:
                for n, record in enumerate(value, start=1):
                    where = f"{source}: record {n}"
                    take(
                        from_record(record, where) if isinstance(record, dict) else Item(where, record),
                        f"{file_stem(source)}-{n}",
                    )
            elif isinstance(value, dict):
                take(from_record(value, source), file_stem(source))
            else:
                parsed.errors.append(f"{source}: JSON that holds no records (a list of objects or one object)")
        elif kind == CONLL:
            from annotator.formats.conll import read_conll

            count = 0
            for n, item in enumerate(read_conll(source, text), start=1):
                take(item, f"{file_stem(source)}-{n}")
                count += 1
            if count == 0:
                parsed.errors.append(f"{source}: a CoNLL file without any token")
            else:
                parsed.notes.append(
                    f"{source}: CoNLL holds tokens, not text: the text of its {count} "
                    f"document{'s' if count != 1 else ''} is the tokens joined by single spaces, "
                    "a line per sentence"
                )
        else:
            document = _parse_txt(source, text, digest, utf8)
            _add(parsed, seen, document, [], source, known)
    return parsed


def _add(
    parsed: ParsedImport,
    seen: dict[str, tuple[str, str]],
    document: Document,
    spans: list[Span],
    where: str,
    stored: Mapping[str, str],
) -> bool:
    """Add a document unless its id came with another text (in this import or the database); False when refused."""
    if document.id in stored and stored[document.id] != document.text_hash:
        parsed.errors.append(f"{where}: document {document.id!r} is already stored with a different text")
        return False
    earlier = seen.get(document.id)
    if earlier is not None:
        if earlier[0] != document.text_hash:
            parsed.errors.append(f"{where}: id {document.id!r} also at {earlier[1]} with a different text")
            return False
        if spans and any(s.document_id == document.id and s.annotator == spans[0].annotator for s in parsed.spans):
            parsed.errors.append(f"{where}: spans of {spans[0].annotator!r} for {document.id!r} also at {earlier[1]}")
            return False
    else:
        seen[document.id] = (document.text_hash, where)
        parsed.documents.append(document)
    parsed.spans.extend(spans)
    return True
