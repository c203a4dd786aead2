"""Disagreements on who said a quote, as review regions beside the span regions (see annotator.adjudication).

A speaker region sits on a quote's exact offsets, its layer is SPEAKER_LAYER, and each finished annotator's
version is the actor they linked to that quote (a list of one span), or nothing when they linked none (or did
not tag that quote). It exists when the versions differ. Taking a version writes it into gold: the quote and
the actor are added to gold where missing, then the link is made (or gold's link removed, for nothing).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from annotator.agreement.disagreement import Region
from annotator.model import SPEAKER, Relation, Span
from annotator.outcome import Outcome, excerpt
from annotator.session import Session
from annotator.session_relations import QUOTE

SPEAKER_LAYER = SPEAKER
"""The layer name of a speaker region (no label's layer is called so)."""

Version = tuple[tuple[int, int, str], ...]


def linked_speakers(
    spans_by_annotator: Mapping[str, Sequence[Span]],
    relations_by_annotator: Mapping[str, Sequence[Relation]],
    names: Sequence[str],
) -> dict[tuple[int, int], dict[str, Span]]:
    """(quote start, quote end) → annotator → the actor they linked to that quote, for the named annotators."""
    found: dict[tuple[int, int], dict[str, Span]] = {}
    for name in names:
        by_id = {span.id: span for span in spans_by_annotator.get(name, [])}
        for relation in relations_by_annotator.get(name, []):
            head, child = by_id.get(relation.head_span_id), by_id.get(relation.child_span_id)
            if relation.label == SPEAKER and head is not None and child is not None:
                found.setdefault((head.start, head.end), {})[name] = child
    return found


def speaker_regions(
    spans_by_annotator: Mapping[str, Sequence[Span]],
    relations_by_annotator: Mapping[str, Sequence[Relation]],
    finished: Sequence[str],
) -> tuple[list[tuple[int, int, Span]], list[Region]]:
    """(quote start, quote end, speaker) every finished annotator linked alike, and the regions where they differ.

    Fewer than two finished annotators leave nothing to compare.
    """
    if len(finished) < 2:
        return [], []
    agreed: list[tuple[int, int, Span]] = []
    regions: list[Region] = []
    for (start, end), linked in sorted(linked_speakers(spans_by_annotator, relations_by_annotator, finished).items()):
        versions = {name: [linked[name]] if name in linked else [] for name in finished}
        if len({_version(spans) for spans in versions.values()}) == 1:
            agreed.append((start, end, linked[finished[0]]))
        else:
            regions.append(Region(start, end, SPEAKER_LAYER, versions))
    return agreed, regions


def _version(spans: Sequence[Span]) -> Version:
    return tuple((span.start, span.end, span.label) for span in spans)


def gold_quote(session: Session, start: int, end: int) -> Span | None:
    """Gold's quote span at exactly these offsets."""
    return next((s for s in session.spans if (s.start, s.end, s.label) == (start, end, QUOTE)), None)


def gold_speaker_in(region: Region, session: Session) -> list[Span]:
    """The speaker gold holds now for the region's quote ([] when none, or gold lacks the quote)."""
    quote = gold_quote(session, region.start, region.end)
    speaker = session.speaker_of(quote) if quote is not None else None
    return [speaker] if speaker is not None else []


def write_speaker(
    session: Session, start: int, end: int, actor: Span | None, origin: str
) -> tuple[Outcome, bool, bool]:
    """Make gold's quote at [start, end) say `actor` (None: no speaker), adding the quote and the actor where
    gold lacks them. Returns the outcome, whether a link changed, and whether spans were added first (their
    own, earlier undo step)."""
    quote = gold_quote(session, start, end)
    current = session.speaker_of(quote) if quote is not None else None
    if actor is None:
        if quote is None or current is None:
            return Outcome("gold already had no speaker for this quote"), False, False
        outcome = session.unlink_speaker(quote)
        return outcome, not outcome.error, False
    if current is not None and (current.start, current.end, current.label) == (actor.start, actor.end, actor.label):
        return Outcome("gold already held this speaker"), False, False
    add = [] if quote is not None else [(start, end, QUOTE)]
    if not any((s.start, s.end, s.label) == (actor.start, actor.end, actor.label) for s in session.spans):
        add.append((actor.start, actor.end, actor.label))
    if add:
        outcome = session.put(add, [], origin=origin)
        if outcome.error:
            return outcome, False, False
    quote = gold_quote(session, start, end)
    speaker = next(
        (s for s in session.spans if (s.start, s.end, s.label) == (actor.start, actor.end, actor.label)), None
    )
    if quote is None or speaker is None:  # put replaced nothing it was asked to add: cannot happen, but say so
        return Outcome.failure("not linked: the quote or its speaker is not in gold"), False, bool(add)
    outcome = session.link_speaker(quote, speaker)
    if outcome.error:
        return outcome, False, bool(add)
    added = f" ({len(add)} span{'s' if len(add) != 1 else ''} added to gold)" if add else ""
    return (
        Outcome(
            f"gold: «{excerpt(session.text[start:end])}» ← «{excerpt(session.text[actor.start : actor.end])}»{added}"
        ),
        True,
        bool(add),
    )
