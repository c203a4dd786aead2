"""Start the annotation app: pick the document, set up the terminal, run, restore."""

from __future__ import annotations

import sys

from annotator.store import Store
from annotator.text.layout import Mode, terminal_epilogue, terminal_prologue
from annotator.tui.annotate_screen import AnnotateScreen
from annotator.tui.app import SHUTDOWN_GRACE_S, AnnotatorApp
from annotator.workspace import CORPUS_ORDER, choose_document, open_article


def build_app(
    store: Store,
    *,
    user: str,
    bidi: str = "app",
    doc_id: str | None = None,
    notice: str | None = None,
    order: str = CORPUS_ORDER,
) -> AnnotatorApp:
    """The app on the chosen document (used by the CLI and by tests)."""
    target, cursor = choose_document(store, user, doc_id, order)
    document, cursor = open_article(store, target, user, cursor)
    assert document is not None
    screen = AnnotateScreen(store, user, document, mode=bidi, cursor=cursor, order=order)
    return AnnotatorApp(store, screen, notice=notice)


def run_app(app: AnnotatorApp, bidi: str) -> None:
    """Run an app with the terminal's bidi mode set for it and restored after (the app handles SIGHUP/SIGTERM).

    On the way out the store is closed: the claim on the layer released, the WAL checkpointed into
    the `.db` file and removed.
    """
    mode: Mode = "terminal" if bidi == "terminal" else "app"
    out = sys.__stdout__
    tty = out is not None and out.isatty()
    try:
        if tty and out is not None:
            out.write(terminal_prologue(mode))
            out.flush()
        app.run()
    finally:
        app.store.close(wait=SHUTDOWN_GRACE_S)
        if tty and out is not None:
            try:
                out.write(terminal_epilogue(mode))
                out.flush()
            except OSError:
                pass  # the terminal is gone (SSH dropped)


def run_annotate(
    store: Store,
    *,
    user: str,
    bidi: str = "app",
    doc_id: str | None = None,
    notice: str | None = None,
    order: str = CORPUS_ORDER,
) -> None:
    """`annotator annotate`: open the annotation screen."""
    run_app(build_app(store, user=user, bidi=bidi, doc_id=doc_id, notice=notice, order=order), bidi)


def build_review_app(
    store: Store,
    *,
    user: str,
    annotators: list[str],
    order: list[str],
    start: str,
    bidi: str = "app",
    notice: str | None = None,
) -> AnnotatorApp:
    """The app on the review screen (used by the CLI and by tests)."""
    from annotator.tui.review_screen import ReviewScreen

    document, _ = open_article(store, start, user, 0)
    assert document is not None
    return AnnotatorApp(store, ReviewScreen(store, user, document, annotators, order, mode=bidi), notice=notice)


def run_review(
    store: Store,
    *,
    user: str,
    annotators: list[str],
    order: list[str],
    start: str,
    bidi: str = "app",
    notice: str | None = None,
) -> None:
    """`annotator review`: adjudicate into gold."""
    run_app(
        build_review_app(store, user=user, annotators=annotators, order=order, start=start, bidi=bidi, notice=notice),
        bidi,
    )


def build_dashboard_app(store: Store, *, bidi: str = "app", refresh: float | None = None) -> AnnotatorApp:
    """The app on the dashboard screen (used by `annotator dashboard` and by tests)."""
    from annotator.tui.dashboard_screen import REFRESH_S, DashboardScreen

    return AnnotatorApp(store, DashboardScreen(store, mode=bidi, refresh=REFRESH_S if refresh is None else refresh))


def run_dashboard(store: Store, *, bidi: str = "app", refresh: float | None = None) -> None:
    """`annotator dashboard`: the lead's figures as terminal bars, refreshed while annotators work."""
    run_app(build_dashboard_app(store, bidi=bidi, refresh=refresh), bidi)
