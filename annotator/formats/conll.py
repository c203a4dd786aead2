"""CoNLL / IOB files (ANERcorp, CoNLL-2003, our own export): a token a line, tags in the last column.

A CoNLL file holds no text, only tokens: the text is rebuilt with one space between the tokens of a
sentence and a line break between sentences (the summary says so). `-DOCSTART-` lines split documents.
The last column holds the tags (IOB1, IOB2 or BIOES, read leniently); our own multi-layer export,
recognised by its break line `-DOCSTART- O O`, has one tag column per layer and all are read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from annotator.formats.foreign import Item

TAG = re.compile(r"O|[BIES]-\S+")
DOCSTART = "-DOCSTART-"
CONLL_SUFFIXES = (".conll", ".iob", ".bio", ".conll03", ".conllu")
SNIFF_LINES = 200


def _head_lines(text: str) -> Iterator[str]:
    """The lines of text one by one, without splitting the whole text (an article is read only up to its first line)."""
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        if end < 0:
            end = len(text)
        yield text[start:end]
        start = end + 1


def looks_like_conll(text: str) -> bool:
    """Every one of the first non-blank lines is `token ... tag` (or a -DOCSTART- line), and there are several."""
    seen = 0
    for line in _head_lines(text):
        fields = line.split()
        if not fields:
            continue
        if fields[0] != DOCSTART and (len(fields) < 2 or not TAG.fullmatch(fields[-1])):
            return False
        seen += 1
        if seen >= SNIFF_LINES:
            break
    return seen >= 2


def _tag_columns(text: str) -> int:
    """How many trailing columns hold tags: one, or one per layer in our multi-layer shape."""
    for line in _head_lines(text):
        fields = line.split()
        if fields and fields[0] == DOCSTART:
            rest = fields[1:]
            return len(rest) if rest and all(f == "O" for f in rest) else 1
        if fields:
            return 1
    return 1


def _decode(tags: list[tuple[int, str]], starts: list[int], ends: list[int]) -> tuple[list[dict[str, Any]], str | None]:
    """Spans of one column: (line number, tag) per token, leniently (IOB1, IOB2, BIOES); the problem if any."""
    spans: list[dict[str, Any]] = []
    open_start = -1
    open_label = ""

    def close(last: int) -> None:
        nonlocal open_start
        if open_start >= 0:
            spans.append({"start": starts[open_start], "end": ends[last], "label": open_label})
            open_start = -1

    for i, (number, tag) in enumerate(tags):
        if tag in ("O", "_", "-X-"):
            close(i - 1)
            continue
        if not TAG.fullmatch(tag):
            return [], f"line {number}: {tag!r} is not a tag (O, B-, I-, E- or S- and a label)"
        prefix, label = tag[0], tag[2:]
        continues = open_start >= 0 and open_label == label
        if prefix in ("I", "E") and continues:
            if prefix == "E":
                close(i)
            continue
        close(i - 1)
        open_start, open_label = i, label
        if prefix in ("S", "E"):
            close(i)
    close(len(tags) - 1)
    return spans, None


def read_conll(path: str, text: str) -> Iterator[Item]:
    """One record per document of the file (split at -DOCSTART- lines)."""
    columns = _tag_columns(text)
    documents: list[tuple[int, list[tuple[int, list[str]]]]] = []
    current: list[tuple[int, list[str]]] = []
    first_line = 1
    for number, line in enumerate(text.split("\n"), start=1):
        fields = line.split()
        if fields and fields[0] == DOCSTART:
            if any(row for _, row in current):
                documents.append((first_line, current))
            current, first_line = [], number
            continue
        current.append((number, fields))
    if any(row for _, row in current):
        documents.append((first_line, current))
    for first, rows in documents:
        where = f"{path}:{first}"
        sentences: list[list[tuple[int, list[str]]]] = [[]]
        for number, fields in rows:
            if fields:
                sentences[-1].append((number, fields))
            elif sentences[-1]:
                sentences.append([])
        sentences = [s for s in sentences if s]
        pieces: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        columns_of: list[list[tuple[int, str]]] = [[] for _ in range(columns)]
        position = 0
        problem = None
        for s, sentence in enumerate(sentences):
            for t, (number, fields) in enumerate(sentence):
                if len(fields) < 1 + columns:
                    problem = f"{path}:{number}: expected a token and {columns} tag column{'s' if columns > 1 else ''}"
                    break
                if t:
                    pieces.append(" ")
                    position += 1
                elif s:
                    pieces.append("\n")
                    position += 1
                token = fields[0]
                starts.append(position)
                pieces.append(token)
                position += len(token)
                ends.append(position)
                for c in range(columns):
                    columns_of[c].append((number, fields[len(fields) - columns + c]))
            if problem:
                break
        if problem:
            yield Item(where, error=problem)
            continue
        spans: list[dict[str, Any]] = []
        for column in columns_of:
            # a sentence end closes every chunk: decode each sentence on its own
            index = 0
            for sentence in sentences:
                part = column[index : index + len(sentence)]
                found, bad = _decode(part, starts[index : index + len(sentence)], ends[index : index + len(sentence)])
                if bad:
                    problem = f"{path}: {bad}"
                    break
                spans.extend(found)
                index += len(sentence)
            if problem:
                break
        if problem:
            yield Item(where, error=problem)
            continue
        record: dict[str, Any] = {"text": "".join(pieces)}
        if spans:
            record["spans"] = spans
        yield Item(where, record)
