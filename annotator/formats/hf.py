"""Hugging Face token files (our `-f hf` export): recognised so import can say in one line why it cannot read them."""

from __future__ import annotations

from typing import Any


def is_hf_tokens(record: Any) -> bool:
    """A Hugging Face token-classification record (our `-f hf` export): `tokens` and tag columns, no `text`."""
    return (
        isinstance(record, dict)
        and "text" not in record
        and isinstance(record.get("tokens"), list)
        and any(key in record for key in ("ner_tags", "quote_tags"))
    )


def hf_tokens_error(source: str) -> str:
    """The one line for a Hugging Face token file: what it is and what to import instead."""
    return (
        f"{source}: a Hugging Face token file (sentences of `tokens` and `ner_tags`, no `text`) cannot be "
        "imported: its tokens do not give the article's text back; import the JSONL export instead "
        "(annotator export -f jsonl)"
    )
