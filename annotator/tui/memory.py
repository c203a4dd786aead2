"""Keep the garbage collector's full passes short while an article is open."""

from __future__ import annotations

import gc


def settle_memory() -> None:
    """Collect once, then freeze what survives (the app, the article, its layout and spans).

    Python's full collections walk every long-lived object. With a 1,000,000-character article
    open that was a 35–55 ms pause every twenty-odd key presses, the slowest key presses there
    were. Frozen objects are skipped by later collections. The previous article's objects are
    unfrozen first, so they are collected here rather than kept for good. Collection, paused by
    the command line for start-up, runs again from here on.
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()
    gc.enable()
