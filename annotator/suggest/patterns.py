"""Where patterns come from: a JSONL file in spaCy's EntityRuler phrase form, or a layer's own spans."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

from annotator.errors import BadInput
from annotator.model import DEFAULT_LABELS, Label

from .matcher import Pattern
from .normal import plain

_FIELDS = frozenset({"label", "pattern", "id"})


class PatternsError(BadInput, ValueError):
    """A patterns file that cannot be used; the message is one line naming the file (and line)."""


class _LineError(Exception):
    """What is wrong with one line of a patterns file."""


def _pattern(record: object, labels: Sequence[Label]) -> Pattern:
    """One line's pattern, or a _LineError saying what is wrong with it."""
    if not isinstance(record, dict):
        raise _LineError('expected an object such as {"label": "place", "pattern": "الأنبار"}')
    unknown = sorted(set(record) - _FIELDS)
    if unknown:
        raise _LineError(f"unknown field {unknown[0]!r} (a line holds label, pattern and optionally id)")
    if "label" not in record or "pattern" not in record:
        raise _LineError(f"missing {'label' if 'label' not in record else 'pattern'}")
    label, text, ident = record["label"], record["pattern"], record.get("id")
    names = [known.name for known in labels]
    if not isinstance(label, str) or label not in names:
        raise _LineError(f"unknown label {label!r} (labels: {', '.join(names)})")
    if isinstance(text, list):
        raise _LineError("a token pattern (a list) is not supported: write the phrase as a string")
    if not isinstance(text, str):
        raise _LineError(f"pattern must be a string, not {type(text).__name__}")
    if not plain(text):
        raise _LineError("blank pattern")
    if ident is not None and (isinstance(ident, bool) or not isinstance(ident, (str, int))):
        raise _LineError(f"id must be a string, not {type(ident).__name__}")
    return Pattern(label, text, None if ident is None else str(ident))


def read_patterns(path: str | Path, labels: Sequence[Label] = DEFAULT_LABELS) -> list[Pattern]:
    """Every pattern of a JSONL patterns file, or PatternsError at the first line that is not one."""
    name = str(path)
    try:
        content = Path(path).read_bytes().decode("utf-8-sig")
    except OSError as error:
        raise PatternsError(f"{name}: cannot read it: {error.strerror or error}") from None
    except UnicodeDecodeError as error:
        raise PatternsError(f"{name}: not UTF-8 (byte {error.start})") from None
    patterns: list[Pattern] = []
    for number, line in enumerate(content.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise PatternsError(f"{name}:{number}: not JSON: {error.msg} (column {error.colno})") from None
        try:
            patterns.append(_pattern(record, labels))
        except _LineError as error:
            raise PatternsError(f"{name}:{number}: {error}") from None
    if not patterns:
        raise PatternsError(f"{name}: no patterns")
    return patterns


def patterns_from_spans(spans: Iterable[tuple[str, str]], labels: Sequence[Label] = DEFAULT_LABELS) -> list[Pattern]:
    """Patterns from a layer's (span text, label) pairs: each normalised text once, with its most frequent label.

    A tie goes to the label that comes first in `labels`; the pattern is written as the text's most
    frequent spelling. Patterns come in the order their texts first appear. A text with nothing to
    compare (only tatweel or marks) makes no pattern.
    """
    order = {label.name: i for i, label in enumerate(labels)}
    label_counts: dict[str, Counter[str]] = {}
    spellings: dict[str, Counter[str]] = {}
    for text, label in spans:
        key = plain(text)
        if not key:
            continue
        label_counts.setdefault(key, Counter())[label] += 1
        spellings.setdefault(key, Counter())[text.strip()] += 1
    patterns: list[Pattern] = []
    for key, counts in label_counts.items():
        label = min(counts, key=lambda name: (-counts[name], order.get(name, len(order)), name))
        patterns.append(Pattern(label, spellings[key].most_common(1)[0][0]))
    return patterns
