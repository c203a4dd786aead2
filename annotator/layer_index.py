"""The spans of one layer sorted by start, indexed for lookups by offset."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from annotator.model import Span


@dataclass
class LayerIndex:
    """Spans of one layer sorted by start, with an index for lookups by offset."""

    spans: list[Span] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)

    def at(self, offset: int) -> Span | None:
        """The span covering an offset (spans of one layer never overlap)."""
        i = bisect.bisect_right(self.starts, offset) - 1
        if i >= 0 and self.spans[i].start <= offset < self.spans[i].end:
            return self.spans[i]
        return None

    def insert(self, span: Span) -> None:
        """Add a span in start order."""
        i = bisect.bisect_right(self.starts, span.start)
        self.spans.insert(i, span)
        self.starts.insert(i, span.start)

    def remove(self, span: Span) -> None:
        """Drop the span with this id, if present."""
        i = bisect.bisect_left(self.starts, span.start)
        while i < len(self.spans) and self.starts[i] == span.start:
            if self.spans[i].id == span.id:
                del self.spans[i], self.starts[i]
                return
            i += 1

    def overlapping(self, start: int, end: int) -> list[Span]:
        """Spans sharing at least one character with [start, end), in text order."""
        i = max(0, bisect.bisect_right(self.starts, start) - 1)
        j = bisect.bisect_left(self.starts, end, lo=i)
        return [span for span in self.spans[i:j] if span.end > start]
