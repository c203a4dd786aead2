"""The label schema: each label's layer, key, colour and guideline, read once from the store and asked everywhere.

A `LabelSchema` is the one place the code turns a label's name into its layer (which spans may overlap),
its key on the editing screens (1–9, in the schema's order), its colour and its one-line guideline.
The four labels of `model.DEFAULT_LABELS` are the default; `annotator labels --set FILE.toml` replaces them.

The TOML form (`parse_toml`, `to_toml`) has one table per label, in the order of the keys 1–9:

    [label.actor]
    layer = "entity"
    key = 1
    colour = "#1f6feb"
    description = "A person, group, force, state or institution that acts or speaks."
"""

from __future__ import annotations

import json
import sys
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from annotator.errors import BadInput
from annotator.model import DEFAULT_LABELS, ENTITY_LAYER, QUOTE_LAYER, RELATION_TYPES, Label

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10: the same parser, under its package name
    import tomli as tomllib

LAYERS: tuple[str, ...] = (ENTITY_LAYER, QUOTE_LAYER)
"""The layers a label may belong to; spans of one layer of one annotator never overlap."""
KEYS: tuple[str, ...] = tuple(str(n) for n in range(1, 10))
FIELDS: tuple[str, ...] = ("layer", "key", "colour", "description")
MAX_NAME = 32


class LabelSchemaError(BadInput):
    """A label schema that cannot be used: one line naming the TOML key at fault."""


def _name_problem(name: str) -> str | None:
    """Why a label name cannot be used (it becomes a CoNLL/HF tag `B-name` and a key-bar entry), or None."""
    if not name:
        return "the name is empty"
    if len(name) > MAX_NAME:
        return f"the name is longer than {MAX_NAME} characters"
    if not (name[0].isalpha() and all(ch.isalnum() or ch == "_" for ch in name)):
        return "a name is letters, digits and _ and starts with a letter (it becomes the tag B-<name> in exports)"
    if unicodedata.normalize("NFC", name) != name:
        return "the name is not in Unicode NFC form"
    return None


def _colour_problem(colour: str) -> str | None:
    """Why a colour cannot be drawn, or None; the names and forms Rich reads (#rrggbb, rgb(r,g,b), red, color(5))."""
    from rich.color import Color, ColorParseError  # Rich only: the core never imports Textual

    try:
        parsed = Color.parse(colour)
    except ColorParseError:
        return f"{colour!r} is not a colour (use #rrggbb, rgb(r,g,b) or a colour name such as dark_orange)"
    if parsed.is_default:
        return "'default' has no colour of its own to tell labels apart"
    return None


def label_problems(labels: Iterable[Label]) -> list[str]:
    """Every reason these labels are not a usable schema, each naming its TOML key (`label.NAME.FIELD`)."""
    problems: list[str] = []
    keys: dict[str, str] = {}
    names: set[str] = set()
    count = 0
    for label in labels:
        count += 1
        where = f"label.{label.name}"
        problem = _name_problem(label.name)
        if problem:
            problems.append(f"{where}: {problem}")
        if label.name in names:
            problems.append(f"{where}: the name is used twice")
        names.add(label.name)
        if label.layer not in LAYERS:
            problems.append(f"{where}.layer: {label.layer!r} is not a layer (layers: {', '.join(LAYERS)})")
        if label.key not in KEYS:
            problems.append(f"{where}.key: {label.key!r} is not a key 1 to 9")
        elif label.key in keys:
            problems.append(f"{where}.key: {label.key} is already the key of {keys[label.key]!r}")
        else:
            keys[label.key] = label.name
        problem = _colour_problem(label.colour)
        if problem:
            problems.append(f"{where}.colour: {problem}")
        if "\n" in label.description or "\r" in label.description:
            problems.append(f"{where}.description: the guideline is one line")
    if count == 0:
        problems.append("label: the schema has no label")
    return problems


@dataclass(frozen=True)
class LabelSchema:
    """The project's labels in order, with the maps every part of the app asks: name → layer, key, colour."""

    labels: tuple[Label, ...]
    layer_of: dict[str, str] = field(init=False, repr=False, compare=False)
    """label name → layer name (shared: read it, never change it)"""
    _by_name: Mapping[str, Label] = field(init=False, repr=False, compare=False)
    _by_key: Mapping[str, Label] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "labels", tuple(self.labels))
        object.__setattr__(self, "layer_of", {label.name: label.layer for label in self.labels})
        object.__setattr__(self, "_by_name", {label.name: label for label in self.labels})
        object.__setattr__(self, "_by_key", {label.key: label for label in self.labels})

    @classmethod
    def default(cls) -> LabelSchema:
        """The four labels a new database starts with: actor, figure, place (entity) and quote (quote)."""
        return cls(DEFAULT_LABELS)

    @classmethod
    def of(cls, labels: LabelSchema | Iterable[Label]) -> LabelSchema:
        """A schema from a schema or a list of labels."""
        return labels if isinstance(labels, LabelSchema) else cls(tuple(labels))

    def __iter__(self) -> Iterator[Label]:
        return iter(self.labels)

    def __len__(self) -> int:
        return len(self.labels)

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    @property
    def names(self) -> list[str]:
        """Every label name in schema order."""
        return [label.name for label in self.labels]

    @property
    def layers(self) -> list[str]:
        """The layers the schema uses: entity first (exports put it in the first tag column), then the others."""
        order = list(dict.fromkeys(label.layer for label in self.labels))
        if ENTITY_LAYER in order:
            order.remove(ENTITY_LAYER)
            order.insert(0, ENTITY_LAYER)
        return order

    def label(self, name: str) -> Label | None:
        """The label of that name, or None."""
        return self._by_name.get(name)

    def layer(self, name: str) -> str | None:
        """The layer of a label, or None for a name the schema does not have."""
        return self.layer_of.get(name)

    def in_layer(self, layer: str) -> list[str]:
        """The names of the labels of one layer, in schema order."""
        return [label.name for label in self.labels if label.layer == layer]

    def by_key(self, key: str) -> Label | None:
        """The label a key 1–9 tags with, or None."""
        return self._by_key.get(key)

    def colours(self) -> dict[str, str]:
        """label name → its colour as written in the schema (screens adjust it for contrast)."""
        return {label.name: label.colour for label in self.labels}

    def problems(self) -> list[str]:
        """Every reason this schema is unusable (empty when fine)."""
        return label_problems(self.labels)

    def relation_problems(self) -> list[str]:
        """The relation types' ends this schema lacks (the speaker link needs `quote` and `actor`)."""
        needed = dict.fromkeys(name for kind in RELATION_TYPES for name in (kind.head_label, kind.child_label))
        return [
            f"label.{name}: the {', '.join(k.name for k in RELATION_TYPES if name in (k.head_label, k.child_label))} "
            f"relation links {name} spans"
            for name in needed
            if name not in self
        ]

    def to_toml(self) -> str:
        """The schema as the TOML `annotator labels --set` reads."""
        lines = ["# The label schema: one table per label, in order; `annotator labels --set FILE` reads it.", ""]
        for label in self.labels:
            name = label.name if label.name.isascii() else json.dumps(label.name, ensure_ascii=False)
            lines += [
                f"[label.{name}]",
                f"layer = {json.dumps(label.layer)}",
                f"key = {label.key}",
                f"colour = {json.dumps(label.colour)}",
                f"description = {json.dumps(label.description, ensure_ascii=False)}",
                "",
            ]
        return "\n".join(lines)


def parse_toml(text: str, source: str = "labels") -> LabelSchema:
    """The schema a TOML text gives; LabelSchemaError naming the file and TOML key at the first problem."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise LabelSchemaError(f"{source}: not valid TOML: {exc}") from None
    unknown = [key for key in data if key != "label"]
    if unknown:
        raise LabelSchemaError(f"{source}: {unknown[0]}: unknown table (the schema is [label.NAME] tables)")
    tables = data.get("label")
    if not isinstance(tables, dict) or not tables:
        raise LabelSchemaError(f"{source}: label: no [label.NAME] table (the schema needs at least one label)")
    labels: list[Label] = []
    for name, entry in tables.items():
        where = f"{source}: label.{name}"
        if not isinstance(entry, dict):
            raise LabelSchemaError(f"{where}: must be a table with {', '.join(FIELDS)}")
        extra = [key for key in entry if key not in FIELDS]
        if extra:
            raise LabelSchemaError(f"{where}.{extra[0]}: unknown field (fields: {', '.join(FIELDS)})")
        missing = [key for key in FIELDS[:3] if key not in entry]
        if missing:
            raise LabelSchemaError(f"{where}.{missing[0]}: missing")
        key = entry["key"]
        if isinstance(key, bool) or not isinstance(key, (int, str)):
            raise LabelSchemaError(f"{where}.key: {key!r} is not a key 1 to 9")
        for text_field in ("layer", "colour", "description"):
            if text_field in entry and not isinstance(entry[text_field], str):
                raise LabelSchemaError(f"{where}.{text_field}: must be a string")
        labels.append(Label(name, entry["layer"], str(key), entry["colour"], entry.get("description", "")))
    problems = label_problems(labels)
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise LabelSchemaError(f"{source}: {problems[0]}{more}")
    return LabelSchema(tuple(labels))
