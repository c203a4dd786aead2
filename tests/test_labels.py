"""LabelSchema: the one reader of the label schema, its checks and its TOML form."""

from __future__ import annotations

import pytest

from annotator.labels import LabelSchema, LabelSchemaError, label_problems, parse_toml
from annotator.model import DEFAULT_LABELS, Label
from annotator.store import Store

EVENT = Label("event", "entity", "5", "dark_orange", "An event: a raid, a strike, a meeting.")


def schema_text(*extra: str) -> str:
    """The default schema as TOML with extra lines appended."""
    return LabelSchema.default().to_toml() + "\n".join(extra) + "\n"


def test_default_schema_maps_names_to_layers_keys_and_colours() -> None:
    schema = LabelSchema.default()
    assert schema.names == ["actor", "figure", "place", "quote"]
    assert schema.layer_of == {"actor": "entity", "figure": "entity", "place": "entity", "quote": "quote"}
    assert schema.layers == ["entity", "quote"]
    assert schema.in_layer("entity") == ["actor", "figure", "place"]
    assert [schema.by_key(k) for k in "1234"] == list(DEFAULT_LABELS)
    assert schema.by_key("5") is None and schema.layer("event") is None and "event" not in schema
    assert schema.colours()["actor"] == DEFAULT_LABELS[0].colour
    assert schema.problems() == [] and schema.relation_problems() == []


def test_layers_put_entity_first_whatever_the_order() -> None:
    schema = LabelSchema((Label("quote", "quote", "1", "red"), Label("actor", "entity", "2", "blue")))
    assert schema.layers == ["entity", "quote"]


def test_toml_round_trip_keeps_order_and_guidelines() -> None:
    five = LabelSchema((*DEFAULT_LABELS, EVENT))
    assert parse_toml(five.to_toml()) == five
    arabic = LabelSchema((Label("حدث", "entity", "1", "#aa0000", "واقعة"),))
    assert parse_toml(arabic.to_toml()) == arabic


def test_key_may_be_an_integer_or_a_string() -> None:
    text = (
        '[label.a]\nlayer = "entity"\nkey = "3"\ncolour = "red"\n[label.b]\nlayer = "quote"\nkey = 1\ncolour = "blue"\n'
    )
    assert [(label.name, label.key, label.description) for label in parse_toml(text)] == [
        ("a", "3", ""),
        ("b", "1", ""),
    ]


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        ('[label.event]\nlayer = "entity"\nkey = 4\ncolour = "red"', ["label.event.key", "already the key of 'quote'"]),
        ('[label.event]\nlayer = "entity"\nkey = 10\ncolour = "red"', ["label.event.key", "1 to 9"]),
        ('[label.event]\nlayer = "entity"\nkey = 0\ncolour = "red"', ["label.event.key", "1 to 9"]),
        ('[label.event]\nlayer = "entity"\nkey = true\ncolour = "red"', ["label.event.key"]),
        ('[label.event]\nlayer = "time"\nkey = 5\ncolour = "red"', ["label.event.layer", "'time'", "entity, quote"]),
        ('[label.event]\nlayer = "entity"\nkey = 5\ncolour = "reddish"', ["label.event.colour", "'reddish'"]),
        ('[label.event]\nlayer = "entity"\nkey = 5\ncolour = "default"', ["label.event.colour", "default"]),
        ('[label.event]\nlayer = "entity"\nkey = 5\ncolor = "red"', ["label.event.color", "unknown field"]),
        ('[label.event]\nlayer = "entity"\nkey = 5', ["label.event.colour", "missing"]),
        ('[label.event]\nlayer = "entity"\nkey = 5\ncolour = 5', ["label.event.colour", "string"]),
        ('[label."B-x"]\nlayer = "entity"\nkey = 5\ncolour = "red"', ["label.B-x", "letters, digits and _"]),
        ('[label."1x"]\nlayer = "entity"\nkey = 5\ncolour = "red"', ["label.1x", "starts with a letter"]),
        (
            '[label.event]\nlayer = "entity"\nkey = 5\ncolour = "red"\ndescription = "a\\nb"',
            ["label.event.description", "one line"],
        ),
        ("[labels.event]", ["labels", "unknown table"]),
        ("[label.event", ["not valid TOML"]),
    ],
)
def test_each_bad_schema_is_one_line_naming_the_toml_key(extra: str, words: list[str]) -> None:
    with pytest.raises(LabelSchemaError) as raised:
        parse_toml(schema_text(extra), "my.toml")
    message = str(raised.value)
    assert "\n" not in message and message.startswith("my.toml: ")
    for word in words:
        assert word in message, message


def test_an_empty_schema_is_refused() -> None:
    with pytest.raises(LabelSchemaError, match="label: no"):
        parse_toml("", "empty.toml")
    assert label_problems([]) == ["label: the schema has no label"]


def test_duplicate_names_are_refused_outside_toml() -> None:
    problems = label_problems([Label("a", "entity", "1", "red"), Label("a", "quote", "2", "blue")])
    assert problems == ["label.a: the name is used twice"]


def test_relation_ends_are_named_when_missing() -> None:
    schema = LabelSchema((Label("place", "entity", "1", "green"),))
    problems = schema.relation_problems()
    assert len(problems) == 2 and problems[0].startswith("label.quote: the speaker relation")


def test_the_store_reads_the_schema_once_and_after_a_change_reads_the_new_one(store: Store) -> None:
    first = store.label_schema()
    assert first == LabelSchema.default() and store.label_schema() is first
    store.set_label_schema(LabelSchema((*DEFAULT_LABELS, EVENT)), user="lead")
    assert store.label_schema().names[-1] == "event" and store.layer("event") == "entity"
    with Store(store.path) as other:
        assert other.label_schema().label("event") == EVENT


def test_the_readme_example_is_a_valid_schema_with_event_on_key_5() -> None:
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    blocks = [part.split("```", 1)[0] for part in readme.split("```toml\n")[1:]]
    block = next(block for block in blocks if "[label." in block)  # the keymap's example is TOML too
    schema = parse_toml(block, "README.md")
    assert schema.names == ["actor", "figure", "place", "quote", "event"]
    assert schema.by_key("5") == Label(
        "event", "entity", "5", "dark_orange", "An event: a raid, a strike, a meeting (غارة، اجتماع)."
    )
