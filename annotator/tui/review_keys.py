"""The review screen's keys: digits take annotators' versions, M the majorities, Tab walks disagreements, s / S
link speakers by hand; then the editing keys of the annotation screen. Every binding has an id a keymap can name."""

from __future__ import annotations

from textual.binding import Binding, BindingType

from annotator.tui.arabic_keys import with_arabic_layout
from annotator.tui.keys import (
    document_keys,
    edit_keys,
    find_keys,
    label_keys,
    motion_keys,
    reopen_key,
    speaker_keys,
)
from annotator.tui.review_flags import flag_keys

ARABIC_DIGITS = {chr(0x0661 + n): n + 1 for n in range(9)}  # ١..٩ take like 1..9


def review_bindings() -> list[BindingType]:
    """The review keys first (the key bar shows them first), then the editing keys; letters tag, digits take."""
    return with_arabic_layout(
        [
            # Shown once in the key bar as "1-9": in review the digits choose annotators (numbered in the header), not labels.
            *(
                Binding(
                    str(n),
                    f"take({n})",
                    "Annotator N" if n == 1 else f"Take annotator {n}'s version of this disagreement into gold",
                    show=n == 1,
                    key_display="1-9" if n == 1 else None,
                    id=f"take.{n}",
                )
                for n in range(1, 10)
            ),
            Binding("M", "majority", "Majority ⅔", id="majority"),
            Binding("tab", "next_disagreement", "Next disagreement", priority=True, id="next_disagreement"),
            Binding(
                "shift+tab",
                "previous_disagreement",
                "Previous disagreement",
                show=False,
                priority=True,
                id="previous_disagreement",
            ),
            # Enter links the speaker offered while `s` chooses one (elsewhere in review it does nothing).
            Binding(
                "enter",
                "link_offered",
                "While choosing a speaker: link the actor offered",
                show=False,
                id="link_offered",
            ),
            Binding("ctrl+d", "done", "Adjudicated", id="done"),
            *flag_keys(),  # F, R: the article's open flags (review_flags.py)
            *speaker_keys(),  # s, S: link a gold quote to its speaker by hand (speaker_linking.py)
            *motion_keys(),
            *label_keys(digits=False),
            *edit_keys(),
            *find_keys(),
            *reopen_key(),
            *document_keys(),
        ]
    )


HELP_NOTES = [
    ("1..9", "In review digits mean ANNOTATORS (numbered in the header), not labels: take that annotator's version"),
    ("١..٩", "Arabic-Indic digits: the same as 1..9"),
    (
        "M",
        "Majority: in every open disagreement, take the version at least two thirds of the annotators who did "
        "the article share, speakers too; one step (u undoes all of it); the others stay open",
    ),
    (
        "speaker",
        "A disagreement on a quote's speaker: each version is the actor that annotator linked; a digit puts "
        "that link into gold, adding the quote and the actor where gold lacks them (one u takes it all back); "
        "x: no speaker; s / S below link or unlink gold's speaker by hand",
    ),
]


def review_help(rows: list[tuple[str, str]], annotators: list[str]) -> list[tuple[str, str]]:
    """Help's rows for review: what digits mean first, then a take row per annotator of this review, by name
    (the keys as the keymap left them), then the other keys; no row for a digit that takes nobody."""
    takes, rest = rows[:9], rows[9:]  # review_bindings starts with the nine take bindings
    named = [
        (keys, f"Take {name}'s version of this disagreement into gold (annotator {n} in the header)")
        for n, ((keys, _), name) in enumerate(zip(takes, annotators), start=1)
    ]
    return HELP_NOTES + named + [row for row in rest if not row[0].startswith("١")]
