"""The label keys of an editing screen, re-bound to the database's label schema when the screen opens.

A screen's BINDINGS are built once at import with the default schema (actor, figure, place, quote); the
database may have another (`annotator labels --set`). `follow_schema` replaces the screen's label bindings,
for this screen only, by the schema's: in its binding map (what a key press runs) and in an instance
`BINDINGS` list, the one the key bar, help and command palette read, in the same place of the list.
"""

from __future__ import annotations

from textual.binding import Binding, BindingsMap, BindingType
from textual.screen import Screen

from annotator.labels import LabelSchema
from annotator.tui.arabic_keys import with_arabic_layout
from annotator.tui.keys import label_keys

TAG_ACTION = "tag("


def is_label_binding(binding: BindingType) -> bool:
    """Whether a binding tags with a label."""
    return isinstance(binding, Binding) and binding.action.startswith(TAG_ACTION)


def follow_schema(screen: Screen, schema: LabelSchema) -> None:
    """Bind the screen's label keys to the schema's labels (digits too where the screen's own label keys have them)."""
    declared = list(type(screen).BINDINGS)
    labelled = [b for b in declared if isinstance(b, Binding) and is_label_binding(b)]
    if not labelled:
        return
    digits = any(key.strip().isdigit() for b in labelled for key in b.key.split(","))
    others = [b for b in declared if not is_label_binding(b)]
    taken = {key.strip() for b in others if isinstance(b, Binding) for key in b.key.split(",")}
    fresh = with_arabic_layout(label_keys(digits, schema, taken))
    first = declared.index(labelled[0])
    bindings = [*others[:first], *fresh, *others[first:]]
    # An instance attribute over the class's: the key bar, help and palette read `screen.BINDINGS`.
    vars(screen)["BINDINGS"] = bindings
    kept = BindingsMap.from_keys(
        {
            key: [b for b in found if not is_label_binding(b)]
            for key, found in (type(screen)._merged_bindings or BindingsMap()).key_to_bindings.items()
        }
    )
    screen._bindings = BindingsMap.merge([kept, BindingsMap(fresh)])
