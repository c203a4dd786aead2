"""Keep the garbage collector's full passes short while an article is open."""

from __future__ import annotations

import gc


def settle_memory() -> None:
    """Collect once, then freeze what survives (the app, the article, its layout and spans).

    Python's full collections walk every long-lived object, so with a very long article open they
    would pause every so many key presses. Frozen objects are skipped by later collections. The previous article's objects are
    unfrozen first, so they are collected here rather than kept for good. Collection, paused by
    the command line for start-up, runs again from here on.
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()
    gc.enable()
