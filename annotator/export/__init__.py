"""Training-data exports (issue 5): JSONL, CoNLL and Hugging Face, checked before anything is written.

Nothing here imports Textual. The pipeline: `selection.select` chooses documents and layers,
`records.iter_records` streams them, a format (`jsonl`, `conll`, `hf`) renders and checks each
record, and `writer` lands the result atomically (temporary file + rename) or on stdout.
"""

from annotator.export.errors import ExportError
from annotator.export.layout import BOUNDARIES
from annotator.export.run import FORMATS, ExportSummary, make_format, run_export
from annotator.export.schemes import SCHEMES
from annotator.export.selection import Selection, select

__all__ = [
    "BOUNDARIES",
    "FORMATS",
    "SCHEMES",
    "ExportError",
    "ExportSummary",
    "Selection",
    "make_format",
    "run_export",
    "select",
]
