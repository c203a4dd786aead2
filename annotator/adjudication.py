"""Adjudication: the review of one document into the gold layer, as rules the review screen only calls.

Vocabulary: `annotator` is whose layer (a person's, or GOLD); `user` is who acted (the lead reviewing).
A *region* is one disagreement of one layer (see agreement.disagreement). A region is *open* until a
decision about it is in the gold layer's event log: a version taken (origin = the annotator whose
version it is), "nothing" left there, or a gold span edited by hand inside it. Undoing the edit that
carried a decision opens the region again. Every decision is a `decide` event whose payload names the
region, so the log says which disagreement was decided how, by whom and when.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from annotator.agreement.disagreement import Region
from annotator.decision_log import (
    AGREED_ORIGIN,
    BY_HAND,
    NOTHING,
    STEPS,
    Decision,
    RegionKey,
    carrier,
    decisions,
    last_step,
    majority_steps,
    redo_steps,
    redo_target,
    region_key,
)
from annotator.model import GOLD
from annotator.outcome import Outcome
from annotator.region_rules import (
    compute_regions,
    gold_in,
    majority,
    majority_write,
    next_unadjudicated,
    region_json,
    seed_spans,
    take_write,
)
from annotator.session import Session
from annotator.session_relations import links_gone
from annotator.speaker_regions import SPEAKER_LAYER, gold_quote, speaker_regions, write_speaker
from annotator.store import ADJUDICATED, Store, StoreError
from annotator.workspace import FINISHED

__all__ = [
    "AGREED_ORIGIN",
    "BY_HAND",
    "NOTHING",
    "Adjudication",
    "Decision",
    "RegionKey",
    "compute_regions",
    "decisions",
    "gold_in",
    "last_step",
    "majority",
    "majority_write",
    "next_unadjudicated",
    "region_key",
    "seed_spans",
    "take_write",
]

REOPEN_ORIGIN = "reopen"
"""Origin of the event that withdraws a decision which changed no span (undo of such a decision)."""
MAJORITY_ORIGIN = "majority"
"""Origin of the one edit (and the one decision event) of `M`: every region where two thirds agree."""


class Adjudication:
    """One document under review: its regions, which are decided, and the gold writes that decide them.

    Methods that write are meant for a worker thread; each returns an Outcome for the status line and
    leaves `decided` up to date, so the screen repaints from memory.
    """

    def __init__(self, store: Store, user: str, document_id: str, annotators: Sequence[str]) -> None:
        """Read the annotators' layers and statuses and the gold log of the document."""
        self.store = store
        self.user = user
        self.document_id = document_id
        self.annotators = list(annotators)
        self.layer_of = store.label_schema().layer_of
        statuses = {name: store.status(document_id, name) for name in self.annotators}
        self.finished = [name for name in self.annotators if statuses.get(name) in FINISHED]
        spans = store.all_spans(document_id)
        self.agreed, regions = compute_regions(spans, statuses, self.annotators, self.layer_of)
        # A quote's speaker is a disagreement like a span's: its regions sit beside the span regions.
        self.agreed_speakers, speakers = speaker_regions(spans, store.all_relations(document_id), self.finished)
        self.regions = sorted(regions + speakers, key=lambda r: (r.start, -r.end))
        self.decided: dict[RegionKey, Decision] = {}
        self.refresh()

    # -- reading -------------------------------------------------------------------------

    def _gold_events(self) -> list[dict[str, Any]]:
        return [e for e in self.store.events(self.document_id) if e["annotator"] == GOLD]

    def refresh(self) -> None:
        """Re-read the gold log into `decided` (after an undo, a redo or a hand edit)."""
        self.decided = decisions(self.regions, self._gold_events(), self.layer_of)

    def decision(self, region: Region) -> Decision | None:
        """The live decision of a region, or None while it is open."""
        return self.decided.get(region_key(region))

    def open_regions(self) -> list[Region]:
        """The regions not decided yet, in text order."""
        return [region for region in self.regions if region_key(region) not in self.decided]

    def innermost_at(self, offset: int) -> int | None:
        """Index of the smallest region covering offset (an entity inside a quote before the quote)."""
        best: int | None = None
        best_key: tuple[int, bool] | None = None
        for index, region in enumerate(self.regions):
            # On a quote whose spans and speaker are both disputed, its spans come first (a speaker needs them).
            key = (region.end - region.start, region.layer == SPEAKER_LAYER)
            if region.start <= offset < region.end and (best_key is None or key <= best_key):
                best, best_key = index, key
        return best

    # -- writing -------------------------------------------------------------------------

    def seed(self, session: Session) -> Outcome | None:
        """On the first opening of the document in review, put the agreed spans and speakers into gold."""
        first = self.store.last_event_id(self.document_id, GOLD) == 0
        fresh = seed_spans(self.agreed, session.spans, not first, self.layer_of)
        if fresh:
            outcome = session.put(fresh, [], origin=AGREED_ORIGIN)
            if outcome.error:
                return outcome
        links = 0
        for start, end, actor in self.agreed_speakers if first else []:
            quote = gold_quote(session, start, end)
            speaker = next(
                (s for s in session.spans if (s.start, s.end, s.label) == (actor.start, actor.end, actor.label)), None
            )
            if quote is not None and speaker is not None and session.speaker_of(quote) is None:
                outcome = session.link_speaker(quote, speaker, origin=AGREED_ORIGIN)  # no hand decision
                if outcome.error:
                    return outcome
                links += 1
        if not fresh and not links:
            return None
        said = f"{len(fresh)} agreed span{'s' if len(fresh) != 1 else ''}"
        return Outcome(
            said + (f" and {links} speaker link{'s' if links != 1 else ''}" if links else "") + " put into gold"
        )

    def _decide(
        self,
        session: Session,
        region: Region,
        choice: str,
        add: list[tuple[int, int, str]],
        remove: list[int],
        said: str,
    ) -> Outcome:
        """Write the spans (if any change) and the decision naming the region, then update `decided`."""
        return self._write_decision(
            session, choice, {"region": region_json(region), "choice": choice}, add, remove, said
        )

    def _write_decision(
        self,
        session: Session,
        origin: str,
        detail: dict[str, Any],
        add: list[tuple[int, int, str]],
        remove: list[int],
        said: str,
    ) -> Outcome:
        """Write the spans (if any change) with this origin, then one decision event holding `detail`."""
        if add or remove:
            links = len(session.relations)
            outcome = session.put(add, remove, origin=origin)
            if outcome.error:
                return outcome
            said += links_gone(links - len(session.relations))  # a quote or actor removed takes its link
        return self._record(origin, detail, bool(add or remove), said)

    def _record(
        self, origin: str, detail: dict[str, Any], changed: bool, said: str, spans_first: bool = False
    ) -> Outcome:
        """Record the decision `detail`; when `changed`, it rides on the gold step just written (and, with
        `spans_first`, on the span edit written just before that link, which is then no hand edit)."""
        events = self._gold_events()
        if changed:
            # The claim on the gold layer makes this process its only writer: the newest step is this one
            # (a status event may follow it: the first edit marks the document in progress).
            detail["edit"] = max(e["id"] for e in events if e["action"] in STEPS)
            if spans_first:
                detail["also"] = [max(e["id"] for e in events if e["action"] == "edit")]
        try:
            event_id = self.store.record_decision(self.document_id, GOLD, user=self.user, origin=origin, detail=detail)
        except StoreError as exc:
            self.decided = decisions(self.regions, events, self.layer_of)
            return Outcome.failure(f"not recorded as decided: {exc}")
        events.append(
            {
                "id": event_id,
                "action": "decide",
                "user": self.user,
                "origin": origin,
                "ref": None,
                "annotator": GOLD,
                "payload": {"add": [], "remove": [], **detail},
            }
        )
        self.decided = decisions(self.regions, events, self.layer_of)
        return Outcome(said)

    def take(self, session: Session, region: Region, name: str) -> Outcome:
        """Put annotator `name`'s version of the region into gold, replacing gold's spans there."""
        if name not in region.versions:
            return Outcome(f"{name} did not finish this document", error=True)
        if region.layer == SPEAKER_LAYER:
            version = region.versions[name]
            outcome, changed, spans_first = write_speaker(
                session, region.start, region.end, version[0] if version else None, name
            )
            if outcome.error:
                return outcome
            return self._record(
                name,
                {"region": region_json(region), "choice": name},
                changed,
                f"took {name}'s speaker: {outcome.message}",
                spans_first,
            )
        add, remove = take_write(region, name, session.spans, self.layer_of)
        what = f"{len(region.versions[name])} span{'s' if len(region.versions[name]) != 1 else ''}"
        said = (
            f"took {name}'s version ({what}): {len(add)} added, {len(remove)} removed"
            if add or remove
            else f"took {name}'s version: gold already held it"
        )
        return self._decide(session, region, name, add, remove, said)

    def take_majority(self, session: Session) -> Outcome:
        """M: in every open region, put the version at least two thirds of the finished annotators share into
        gold, as one edit and one decision event (so one `u` takes it all back); says what it took and left."""
        still_open = self.open_regions()
        if not still_open:
            return Outcome("no open disagreement: nothing to take", error=True)
        speakers = [region for region in still_open if region.layer == SPEAKER_LAYER]
        still_open = [region for region in still_open if region.layer != SPEAKER_LAYER]
        add, remove, taken, left = majority_write(still_open, self.finished, session.spans, self.layer_of)
        chosen: list[tuple[Region, str]] = []
        for region in speakers:
            names = majority(region, self.finished)
            if names is None:
                left.append(region)
            else:
                chosen.append((region, names[0]))
        if not taken and not chosen:
            return Outcome(f"M took 0, left {len(left)} open (none has ⅔)", error=True)
        before = max((e["id"] for e in self._gold_events()), default=0)
        if add or remove:
            outcome = session.put(add, remove, origin=MAJORITY_ORIGIN)
            if outcome.error:
                return outcome
        for region, name in chosen:
            # After the span edit: a majority speaker may need a quote or actor that edit just wrote.
            version = region.versions[name]
            outcome, _, _ = write_speaker(
                session, region.start, region.end, version[0] if version else None, MAJORITY_ORIGIN
            )
            if outcome.error:  # what is written stays, undoable by hand; say which disagreement stopped M
                self.refresh()
                return Outcome.failure(f"M stopped at the speaker of {region.start}-{region.end}: {outcome.message}")
            taken.append((region, name if version else NOTHING))
        detail: dict[str, Any] = {"regions": [{**region_json(region), "choice": choice} for region, choice in taken]}
        steps = [e["id"] for e in self._gold_events() if e["action"] in STEPS and e["id"] > before]
        if steps:
            # Every gold change of M rides on one decision: `u` takes them all back (see undo).
            detail["edit"], detail["also"] = steps[-1], steps[:-1]
        count = f"{len(taken)}" + (f" ({len(chosen)} speaker{'s' if len(chosen) != 1 else ''})" if chosen else "")
        # Short enough for the status line at 80 columns.
        said = f"M took {count}, left {len(left)} open (under ⅔)" if left else f"M took {count}, none left open"
        return self._record(MAJORITY_ORIGIN, detail, False, said)

    def leave_nothing(self, session: Session, region: Region) -> Outcome:
        """Leave nothing of the region's layer there in gold (a speaker region: no speaker), and record that decision."""
        if region.layer == SPEAKER_LAYER:
            outcome, changed, _ = write_speaker(session, region.start, region.end, None, NOTHING)
            if outcome.error:
                return outcome
            return self._record(
                NOTHING,
                {"region": region_json(region), "choice": NOTHING},
                changed,
                f"decided: no speaker ({outcome.message})",
            )
        remove = [s.id for s in gold_in(region, session.spans, self.layer_of) if s.id is not None]
        said = (
            f"decided: nothing there ({len(remove)} removed)" if remove else "decided: nothing there (gold had nothing)"
        )
        return self._decide(session, region, NOTHING, [], remove, said)

    def undo(self, session: Session, redo: bool = False) -> tuple[Outcome, Region | None]:
        """Undo the last gold change; a decision that changed no span is withdrawn instead (its region reopens).

        Returns the outcome and the region reopened, if that is what happened.
        """
        if not redo:
            events = self._gold_events()
            last = last_step(events)
            steps = majority_steps(events, last)
            if steps > 1:
                decision = carrier(events, last) if last is not None else None
                what = "M" if decision is not None and "regions" in decision["payload"] else "the take"
                for _ in range(steps):
                    outcome = session.undo()
                    if outcome.error:
                        break
                self.refresh()
                return (outcome if outcome.error else Outcome(f"undone: {what} ({steps} gold changes)")), None
            if last is not None and last["action"] == "decide" and "regions" in last["payload"]:
                # M that changed no span: withdraw all its decisions at once.
                try:
                    self.store.record_decision(
                        self.document_id, GOLD, user=self.user, origin=REOPEN_ORIGIN, detail={"undoes": last["id"]}
                    )
                except StoreError as exc:
                    return Outcome.failure(f"not undone: {exc}"), None
                self.refresh()
                count = len(last["payload"]["regions"])
                return Outcome(
                    f"undone: the majority decisions on {count} disagreement{'s' if count != 1 else ''}"
                ), None
            if last is not None and last["action"] == "decide":
                where = last["payload"]["region"]
                region = self._region_named(where)
                try:
                    self.store.record_decision(
                        self.document_id,
                        GOLD,
                        user=self.user,
                        origin=REOPEN_ORIGIN,
                        detail={"region": where, "undoes": last["id"]},
                    )
                except StoreError as exc:
                    return Outcome.failure(f"not undone: {exc}"), None
                self.refresh()
                if region is None:
                    return Outcome("undone: a decision on a disagreement that is no longer there"), None
                still = self.decision(region)
                after = f"decided: {still.choice}" if still else "it is open again"
                return Outcome(f"undone: the decision on {region.layer} {region.start}-{region.end}; {after}"), region
        steps = 1
        if redo:
            events = self._gold_events()
            target = redo_target(events)
            if target is not None and target["action"] == "decide":
                return self._redecide(target)
            steps = redo_steps(events)
        outcome = session.undo(redo=redo)
        for _ in range(steps - 1):
            if outcome.error:
                break
            outcome = session.undo(redo=True)
        self.refresh()
        if steps > 1 and not outcome.error:
            outcome = Outcome(f"redone: {steps} gold changes of one decision")
        return outcome, None

    def _redecide(self, withdrawn: Mapping[str, Any]) -> tuple[Outcome, Region | None]:
        """U after `u` withdrew a decision that changed no span: record that decision again."""
        detail = {key: value for key, value in withdrawn["payload"].items() if key in ("region", "regions", "choice")}
        try:
            self.store.record_decision(
                self.document_id,
                GOLD,
                user=self.user,
                origin=withdrawn["origin"],
                detail={**detail, "redoes": withdrawn["id"]},
            )
        except StoreError as exc:
            return Outcome.failure(f"not redone: {exc}"), None
        self.refresh()
        if "regions" in detail:
            count = len(detail["regions"])
            return Outcome(f"redone: the majority decisions on {count} disagreement{'s' if count != 1 else ''}"), None
        where = detail["region"]
        region = self._region_named(where)
        choice = detail.get("choice", NOTHING)
        return Outcome(f"redone: the decision on {where['layer']} {where['start']}-{where['end']} ({choice})"), region

    def _region_named(self, where: Mapping[str, Any]) -> Region | None:
        """The region a decision's payload names (layer, start, end), None when it is no longer one."""
        key = (where["layer"], where["start"], where["end"])
        return next((r for r in self.regions if region_key(r) == key), None)

    def gold_statuses(self) -> dict[str, str]:
        """document id → the gold layer's status, for the review's progress."""
        return self.store.statuses(GOLD)

    def mark_adjudicated(self, session: Session) -> Outcome:
        """Mark the document adjudicated in gold."""
        return session.mark_done(ADJUDICATED)
