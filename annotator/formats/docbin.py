"""spaCy `.spacy` files (DocBin): `doc.ents` and every `doc.spans` group become spans of one layer.

Our own `-f spacy` export keeps the document's id, title, meta, annotator and status in
`doc.user_data`; a DocBin from elsewhere takes its id from the file name and its annotator from `--as`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from annotator.formats.foreign import Item

USER_KEYS = ("id", "title", "meta", "annotator", "status")
"""What our export keeps in `doc.user_data` (each as ("annotator", key))."""


def user_key(key: str) -> tuple[str, str]:
    """The user_data key of one of our fields (a tuple, so it cannot clash with other tools' string keys)."""
    return ("annotator", key)


def read_docbin(path: str) -> Iterator[Item]:
    """One record per Doc of the file; an error Item when the file cannot be read."""
    try:
        from spacy.tokens import DocBin
        from spacy.vocab import Vocab
    except ImportError:
        yield Item(path, error=f"{path}: reading .spacy files needs spaCy (pip install spacy)")
        return
    try:
        with open(path, "rb") as file:
            data = file.read()
        docs = list(DocBin(store_user_data=True).from_bytes(data).get_docs(Vocab()))
    except OSError as exc:
        yield Item(path, error=f"{path}: cannot read ({exc.strerror or exc})")
        return
    except Exception as exc:  # spaCy raises ValueError, KeyError, msgpack errors... on a bad file
        yield Item(path, error=f"{path}: not a spaCy DocBin ({type(exc).__name__})")
        return
    for n, doc in enumerate(docs, start=1):
        where = f"{path}: doc {n}"
        record: dict[str, Any] = {"text": doc.text}
        user_data: dict[Any, Any] = doc.user_data
        for key in USER_KEYS:
            if user_key(key) in user_data:
                record[key] = user_data[user_key(key)]
        spans = [{"start": e.start_char, "end": e.end_char, "label": e.label_} for e in doc.ents]
        for group in doc.spans.values():
            spans.extend({"start": s.start_char, "end": s.end_char, "label": s.label_} for s in group)
        if spans or "status" in record:
            record["spans"] = spans
        yield Item(where, record)
