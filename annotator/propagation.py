"""`*`: a span's other occurrences, tagged in its article and suggested in the articles not done yet."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from annotator.outcome import Outcome, excerpt
from annotator.store import StoreError, propagation_source

if TYPE_CHECKING:
    from annotator.session import Session


@dataclass
class Propagation:
    """What `*` found for a span: its other occurrences in the article, and per other article those to suggest."""

    shown: str
    """The span's label and text, for messages."""
    here: list[tuple[int, int, str]]
    elsewhere: dict[str, list[tuple[int, int, str, float | None]]]


def find_propagation(session: Session) -> Propagation | Outcome:
    """What `*` would do for the span under the cursor (reads only): its other occurrences here, found as
    suggestions are (same normalisation, whole words, clitics outside) and not overlapping a span of its
    layer already (itself, or a longer name), and its occurrences in the articles this annotator has not
    marked done. An Outcome when there is nothing to propagate."""
    spans = session.spans_at(session.cursor)
    if not spans:
        return Outcome("put the cursor on a span to propagate it", error=True)
    span = min(spans, key=lambda s: s.end - s.start)
    from annotator.suggest import Pattern, build_matcher, suggest, suggest_many

    text, store = session.text, session.store
    shown = f"{span.label} «{excerpt(text[span.start : span.end])}»"
    try:
        matcher = build_matcher(
            [Pattern(span.label, text[span.start : span.end])], propagation_source(session.annotator), session.labels
        )
    except ValueError as exc:
        return Outcome(f"cannot propagate {shown}: {exc}", error=True)
    layer = session.layers[session.layer_of[span.label]]
    here = [
        (item.start, item.end, item.label)
        for item in suggest(text, matcher)
        if not layer.overlapping(item.start, item.end)
    ]
    try:
        done = set(store.done_documents(session.annotator))
        others = [doc for doc in store.documents() if doc.id != session.document.id and doc.id not in done]
    except StoreError as exc:
        return Outcome.failure(f"not propagated: {exc}")
    found = suggest_many([doc.text for doc in others], matcher)
    elsewhere = {
        doc.id: [(item.start, item.end, item.label, item.score) for item in items]
        for doc, items in zip(others, found)
        if items
    }
    return Propagation(shown, here, elsewhere)


def propagate(session: Session, found: Propagation | None = None) -> Outcome:
    """*: tag every other occurrence of the span under the cursor in this article (one undoable step),
    and suggest it in the articles this annotator has not marked done (source `propagate:<annotator>`)."""
    if found is None:
        looked = find_propagation(session)
        if isinstance(looked, Outcome):
            return looked
        found = looked
    store, annotator = session.store, session.annotator
    tagged = 0
    if found.here:
        try:
            edit = store.apply(session.document.id, annotator, add=found.here, user=session.user, origin="propagate")
        except StoreError as exc:
            return Outcome.failure(f"not saved: {exc}")
        session.apply_edit(edit)
        tagged = len(edit.added)
    try:
        suggested = (
            store.add_suggestions(annotator, propagation_source(annotator), found.elsewhere) if found.elsewhere else 0
        )
    except StoreError as exc:
        return Outcome(f"{tagged} tagged here; suggestions elsewhere not saved: {exc}", error=True)
    return Outcome(
        f"propagated {found.shown}: {tagged} tagged here (one undo step), "
        f"{suggested} new suggestions in {len(found.elsewhere)} other articles"
    )
