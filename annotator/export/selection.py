"""Which documents and layers an export holds: done (or adjudicated) ones by default, in corpus order."""

from __future__ import annotations

from dataclasses import dataclass

from annotator.export.errors import ExportError
from annotator.model import GOLD
from annotator.store import Store

ALL = "all"


@dataclass(frozen=True)
class Selection:
    """The chosen layers and, in corpus order, each document with the layers it is exported for."""

    name: str
    annotators: tuple[str, ...]
    plan: list[tuple[str, tuple[str, ...]]]

    @property
    def records(self) -> int:
        """How many (document, layer) records the plan holds."""
        return sum(len(annotators) for _, annotators in self.plan)


def _choices(known: list[str]) -> str:
    """The annotators a user can name."""
    return f"annotators: {', '.join(known)}" if known else "no annotators yet"


def select(
    store: Store,
    *,
    annotator: str | None,
    gold: bool,
    include_unfinished: bool,
    one_layer: bool,
    format_name: str,
) -> Selection:
    """Resolve --annotator/--gold/--include-unfinished into a plan; ExportError with the choices when it cannot."""
    if annotator == GOLD:
        annotator, gold = None, True
    if gold and annotator is not None:
        raise ExportError("give either --annotator NAME or --gold, not both")
    documents = store.document_list()
    if not documents:
        raise ExportError("no documents to export: the database holds none (see `annotator import`)")
    known = store.annotators()
    if gold:
        chosen: tuple[str, ...] = (GOLD,)
        name = GOLD
    elif annotator is not None:
        if annotator not in known:
            raise ExportError(f"no annotator {annotator!r} in the database ({_choices(known)}; or --gold)")
        chosen, name = (annotator,), annotator
    elif one_layer:
        raise ExportError(f"{format_name} exports one layer: give --annotator NAME or --gold ({_choices(known)})")
    elif not known:
        raise ExportError("no documents to export: nobody has annotated anything yet (no annotators)")
    else:
        chosen, name = tuple(known), ALL
    done = {layer: set(store.done_documents(layer)) for layer in chosen}
    plan: list[tuple[str, tuple[str, ...]]] = []
    for document_id, _, _ in documents:
        layers = tuple(layer for layer in chosen if include_unfinished or document_id in done[layer])
        if layers:
            plan.append((document_id, layers))
    if not plan:
        if gold:
            who = "gold has no adjudicated documents (adjudicate in `annotator review`)"
        elif len(chosen) == 1:
            who = f"{chosen[0]} has marked none done"
        else:
            who = f"no annotator has marked any document done ({', '.join(chosen)})"
        raise ExportError(f"no documents to export: {who}; use --include-unfinished")
    return Selection(name, chosen, plan)
