"""Suggestions: spans proposed by patterns, by a layer's own spans or by the figures rule.

Pure functions over texts; the table that stores suggestions and the keys that accept them live elsewhere.
"""

from __future__ import annotations

from .figures import FIGURE, figures, figures_many
from .matcher import CLITICS, Matcher, Pattern, build_matcher, suggest, suggest_many
from .patterns import PatternsError, patterns_from_spans, read_patterns
from .records import Suggestion, Summary, summarise, summary_lines

__all__ = [
    "CLITICS",
    "FIGURE",
    "Matcher",
    "Pattern",
    "PatternsError",
    "Suggestion",
    "Summary",
    "build_matcher",
    "figures",
    "figures_many",
    "patterns_from_spans",
    "read_patterns",
    "suggest",
    "suggest_many",
    "summarise",
    "summary_lines",
]
