"""What the live dashboard shows, read in one go: progress, agreement when it can be measured, open flags."""

from __future__ import annotations

from typing import Any

from annotator.store import Store


def read_dashboard(store: Store) -> dict[str, Any]:
    """The stats dict, and the agreement report when at least two annotators have done documents
    (else None, with the reason). Reads the database: call it from a worker thread."""
    from annotator.lead.data import read_stats

    stats = read_stats(store)
    finished = [name for name, entry in stats["annotators"].items() if entry["documents_done"] > 0]
    agreement: dict[str, Any] | None = None
    why = f"agreement needs two annotators with done articles ({len(finished)} so far)"
    if len(finished) >= 2:
        from annotator.agreement import AgreementError, agreement_report  # numpy: loaded only when needed

        try:
            agreement, why = agreement_report(store), ""
        except AgreementError as exc:
            why = str(exc)
    open_flags: dict[str, int] = {}
    for flag in store.flags(open_only=True):
        open_flags[flag.annotator] = open_flags.get(flag.annotator, 0) + 1
    return {"stats": stats, "agreement": agreement, "agreement_note": why, "open_flags": open_flags}
