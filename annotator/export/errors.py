"""The one error type of the exports."""

from __future__ import annotations

from annotator.errors import AnnotatorError


class ExportError(AnnotatorError):
    """An export that cannot be written, worded as one line for the user."""


def where(document_id: str, annotator: str) -> str:
    """How error messages name a document's layer."""
    return f"document {document_id!r} ({annotator})"


def describe_span(text: str, start: int, end: int, label: str) -> str:
    """How error messages name a span: offsets, label and its text (shortened)."""
    piece = text[start:end] if 0 <= start < end <= len(text) else ""
    if len(piece) > 40:
        piece = piece[:18] + "…" + piece[-18:]
    piece = piece.replace("\n", "⏎")
    return f"span {start}-{end} {label!r} «{piece}»"
