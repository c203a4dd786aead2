"""Where each paragraph starts on screen when paragraph heights change one at a time (a Fenwick tree).

A document's paragraphs get their exact height (rows) only when first laid out; until then a
height is estimated. Keeping a plain list of prefix sums meant rebuilding it, O(paragraphs), after
every paragraph laid out: 5,000 paragraphs × a page of new ones made PageDown in a 1,000,000-
character article the slowest key. Here an update, a prefix sum and a row lookup are O(log n).
"""

from __future__ import annotations

from collections.abc import Sequence


class RowIndex:
    """Heights of n items with O(log n) update, prefix sum and 'which item holds row y'."""

    __slots__ = ("_n", "_tree", "_heights", "_total", "_top_bit")

    def __init__(self, heights: Sequence[int]) -> None:
        n = len(heights)
        tree = [0] * (n + 1)
        for i, height in enumerate(heights, start=1):
            tree[i] += height
            parent = i + (i & -i)
            if parent <= n:
                tree[parent] += tree[i]
        self._n = n
        self._tree = tree
        self._heights = list(heights)
        self._total = sum(self._heights)
        self._top_bit = 1 << (n.bit_length() - 1) if n else 0

    def __len__(self) -> int:
        return self._n

    @property
    def total(self) -> int:
        """The sum of every height."""
        return self._total

    def height(self, index: int) -> int:
        """The height of item `index`."""
        return self._heights[index]

    def set(self, index: int, height: int) -> None:
        """Change one item's height."""
        delta = height - self._heights[index]
        if not delta:
            return
        self._heights[index] = height
        self._total += delta
        tree, n, i = self._tree, self._n, index + 1
        while i <= n:
            tree[i] += delta
            i += i & -i

    def top(self, index: int) -> int:
        """The sum of the heights before item `index` (where it starts)."""
        tree, i, total = self._tree, index, 0
        while i > 0:
            total += tree[i]
            i -= i & -i
        return total

    def find(self, y: int) -> int:
        """The item holding row y (0 <= y < total): the largest index with top(index) <= y."""
        tree, n, position, remaining = self._tree, self._n, 0, y
        bit = self._top_bit
        while bit:
            step = position + bit
            if step <= n and tree[step] <= remaining:
                position = step
                remaining -= tree[step]
            bit >>= 1
        return position
