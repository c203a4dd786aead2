"""Inter-annotator agreement: span F1, Cohen/Fleiss κ, Krippendorff's α and α_u, disagreement regions.

Nothing here imports Textual; the review screen uses `document_scores` and `disagreements`.
"""

from __future__ import annotations

from annotator.agreement.data import AgreementError
from annotator.agreement.disagreement import Region, disagreements
from annotator.agreement.report import agreement_report, document_scores, reading

__all__ = [
    "AgreementError",
    "Region",
    "agreement_report",
    "disagreements",
    "document_scores",
    "reading",
]
