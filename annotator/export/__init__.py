"""Training-data exports: JSONL, CoNLL and Hugging Face, checked before anything is written.

Nothing here imports Textual. The pipeline: `selection.select` chooses documents and layers,
`records.iter_records` streams them, a format (`jsonl`, `conll`, `hf`) renders and checks each
record, and `writer` lands the result atomically (temporary file + rename) or on stdout.
The names below load lazily, so `import annotator.export.names` at CLI start-up stays cheap.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_WHERE = {
    "BOUNDARIES": "annotator.export.names",
    "FORMATS": "annotator.export.names",
    "SCHEMES": "annotator.export.names",
    "ExportError": "annotator.export.errors",
    "ExportSummary": "annotator.export.run",
    "make_format": "annotator.export.run",
    "run_export": "annotator.export.run",
    "Selection": "annotator.export.selection",
    "select": "annotator.export.selection",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    """Load a public name from its module on first use."""
    if name not in _WHERE:
        raise AttributeError(f"module 'annotator.export' has no attribute {name!r}")
    return getattr(import_module(_WHERE[name]), name)
