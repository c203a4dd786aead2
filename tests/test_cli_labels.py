"""`annotator labels`: showing the schema, replacing it, and every refusal (nothing written when refused)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from annotator.labels import LabelSchema
from annotator.model import DEFAULT_LABELS, Document, Label
from annotator.store import Store

TEXT = "قال السوداني إن داعش في الأنبار خسر 15 عنصراً"
EVENT_TOML = (
    '\n[label.event]\nlayer = "entity"\nkey = 5\ncolour = "dark_orange"\ndescription = "A raid, a strike (غارة)."\n'
)
Run = Callable[..., tuple[int, str, str]]


def at(word: str) -> tuple[int, int]:
    start = TEXT.index(word)
    return start, start + len(word)


@pytest.fixture
def project(db_path: Path) -> Path:
    """One article; alice tagged an actor, a place and a figure, bob an actor."""
    with Store(db_path) as store:
        store.import_batch([Document("d1", "d1", TEXT)], [], user="lead")
        store.add_span("d1", "alice", *at("داعش"), "actor", user="alice")
        store.add_span("d1", "alice", *at("الأنبار"), "place", user="alice")
        store.add_span("d1", "alice", *at("15 عنصراً"), "figure", user="alice")
        store.add_span("d1", "bob", *at("داعش"), "actor", user="bob")
    return db_path


def write(tmp_path: Path, text: str, name: str = "labels.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def without(name: str) -> str:
    """The default schema as TOML without one label."""
    return LabelSchema(tuple(label for label in DEFAULT_LABELS if label.name != name)).to_toml()


def relayered(name: str, layer: str) -> str:
    return LabelSchema(
        tuple(label._replace(layer=layer) if label.name == name else label for label in DEFAULT_LABELS)
    ).to_toml()


def state(db: Path) -> tuple[list[tuple], list[tuple], int]:
    """The labels table, the spans and the number of events: what a refused command must leave as it was."""
    with sqlite3.connect(db) as conn:
        labels = conn.execute("SELECT * FROM labels ORDER BY position").fetchall()
        spans = conn.execute('SELECT id, annotator, start, "end", label FROM spans ORDER BY id').fetchall()
        events = conn.execute("SELECT count(*) FROM events").fetchone()[0]
    return labels, spans, events


def refused(run_cli: Run, project: Path, *args: str, words: tuple[str, ...]) -> str:
    """Run a command that must fail with one line holding every word and leave the database as it was."""
    before = state(project)
    code, out, err = run_cli("labels", "--db", str(project), *args)
    assert code == 1 and "Traceback" not in err, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("annotator: error: "), err
    for word in words:
        assert word in lines[0], lines[0]
    assert state(project) == before
    return lines[0]


def test_show_lists_every_label_with_its_key_layer_colour_guideline_and_spans(run_cli: Run, project: Path) -> None:
    code, out, err = run_cli("labels", "--db", str(project), "--bidi", "terminal")
    assert code == 0, err
    rows = {line.split()[1]: line.split() for line in out.splitlines()[2:] if line[:1].isdigit()}
    assert rows["actor"] == ["1", "actor", "entity", "#1f6feb", "2"]
    assert (
        rows["figure"][-1] == "1"
        and rows["place"][-1] == "1"
        and rows["quote"] == ["4", "quote", "quote", "#8a3ea8", "0"]
    )
    assert "Reported speech, direct or indirect" in out and "(داعش، " in out  # logical order into a pipe
    code, out, _ = run_cli("labels", "--db", str(project), "--json")
    assert json.loads(out)[0] == {**DEFAULT_LABELS[0]._asdict(), "spans": 2}


def test_toml_output_sets_back_to_the_same_schema(run_cli: Run, project: Path, tmp_path: Path) -> None:
    code, out, _ = run_cli("labels", "--db", str(project), "--toml")
    assert code == 0
    before = state(project)
    code, out, err = run_cli("labels", "--db", str(project), "--set", str(write(tmp_path, out)))
    assert code == 0, err
    assert "the schema is unchanged" in out and state(project) == before


def test_set_adds_a_fifth_label_that_spans_can_use(run_cli: Run, project: Path, tmp_path: Path) -> None:
    code, out, err = run_cli(
        "labels", "--db", str(project), "--set", str(write(tmp_path, LabelSchema.default().to_toml() + EVENT_TOML))
    )
    assert code == 0, err
    assert "(5 labels)" in out and "added: event" in out
    with Store(project) as store:
        assert store.label_schema().by_key("5") == Label(
            "event", "entity", "5", "dark_orange", "A raid, a strike (غارة)."
        )
        store.add_span("d1", "alice", *at("خسر"), "event", user="alice")
        assert store.check() == []
    code, out, _ = run_cli("labels", "--db", str(project))
    assert [line.split()[:5] for line in out.splitlines() if line.startswith("5    ")] == [
        ["5", "event", "entity", "dark_orange", "1"]
    ]


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        ('[label.event]\nlayer = "entity"\nkey = 1\ncolour = "red"', ("label.event.key", "already the key of 'actor'")),
        ('[label.event]\nlayer = "event"\nkey = 5\ncolour = "red"', ("label.event.layer", "entity, quote")),
        ('[label.event]\nlayer = "entity"\nkey = 5\ncolour = "nocolour"', ("label.event.colour",)),
        ('[label."a b"]\nlayer = "entity"\nkey = 5\ncolour = "red"', ("label.a b",)),
        ("[label.event", ("not valid TOML",)),
    ],
)
def test_a_bad_file_is_one_line_naming_the_toml_key_and_writes_nothing(
    run_cli: Run, project: Path, tmp_path: Path, extra: str, words: tuple[str, ...]
) -> None:
    path = write(tmp_path, LabelSchema.default().to_toml() + extra + "\n")
    refused(run_cli, project, "--set", str(path), words=(str(path), *words))


def test_a_missing_file_and_force_without_set_are_refused(run_cli: Run, project: Path, tmp_path: Path) -> None:
    refused(run_cli, project, "--set", str(tmp_path / "nope.toml"), words=("nope.toml", "no such file"))
    refused(run_cli, project, "--force", words=("--force goes with --set",))


def test_dropping_a_label_in_use_needs_force(run_cli: Run, project: Path, tmp_path: Path) -> None:
    path = write(tmp_path, without("place"))
    refused(run_cli, project, "--set", str(path), words=("place (1 span) would be dropped", "--force"))


def test_moving_a_label_in_use_to_another_layer_needs_force(run_cli: Run, project: Path, tmp_path: Path) -> None:
    path = write(tmp_path, relayered("figure", "quote"))
    refused(
        run_cli, project, "--set", str(path), words=("figure (1 span) would move from the entity to the quote layer",)
    )


def test_dropping_a_label_no_span_uses_needs_no_force(run_cli: Run, project: Path, tmp_path: Path) -> None:
    code, out, err = run_cli("labels", "--db", str(project), "--set", str(write(tmp_path, without("quote"))))
    assert code == 0, err
    assert "dropped: quote (no span used it)" in out


def test_force_drops_the_spans_says_how_many_and_check_stays_true(run_cli: Run, project: Path, tmp_path: Path) -> None:
    text = LabelSchema(tuple(label for label in DEFAULT_LABELS if label.name != "actor")).to_toml()
    code, out, err = run_cli("labels", "--db", str(project), "--set", str(write(tmp_path, text)), "--force")
    assert code == 0, err
    assert "dropped: actor — 2 spans removed" in out and "2 spans affected" in out
    with Store(project) as store:
        assert sorted(s.label for s in store.spans("d1", "alice")) == ["figure", "place"]
        assert store.spans("d1", "bob") == []
        assert store.check() == []
        logged = [e for e in store.events() if e["action"] == "labels"]
        assert sorted(e["annotator"] for e in logged) == ["alice", "bob"]
        assert all(e["payload"]["remove"][0]["label"] == "actor" for e in logged)
        # the removal is no step of the annotator's undo: undo takes back alice's own last edit
        assert store.undo("d1", "alice", user="alice") is not None
        assert store.check() == []


def test_force_moves_a_label_with_its_spans(run_cli: Run, project: Path, tmp_path: Path) -> None:
    code, out, err = run_cli(
        "labels", "--db", str(project), "--set", str(write(tmp_path, relayered("figure", "quote"))), "--force"
    )
    assert code == 0, err
    assert "moved: figure from the entity to the quote layer (1 span moved with it)" in out
    with Store(project) as store:
        assert store.layer("figure") == "quote" and store.check() == []


def test_a_move_that_would_overlap_is_refused_even_forced(run_cli: Run, project: Path, tmp_path: Path) -> None:
    with Store(project) as store:
        store.add_span("d1", "alice", at("إن")[0], at("الأنبار")[1], "quote", user="alice")  # holds داعش and الأنبار
    path = write(tmp_path, relayered("place", "quote"))
    refused(
        run_cli,
        project,
        "--set",
        str(path),
        "--force",
        words=("label.place.layer", "would overlap", "not even --force"),
    )


def test_quote_and_actor_stay_while_relations_exist(run_cli: Run, project: Path, tmp_path: Path) -> None:
    with Store(project) as store:
        quote = store.add_span("d1", "bob", at("إن")[0], at("الأنبار")[1], "quote", user="bob").added[0]
        actor = store.add_span("d1", "bob", *at("السوداني"), "actor", user="bob").added[0]
        assert quote.id is not None and actor.id is not None
        store.link("d1", "bob", quote.id, actor.id, user="bob")
    for name in ("quote", "actor"):
        path = write(tmp_path, without(name), f"no-{name}.toml")
        refused(
            run_cli, project, "--set", str(path), "--force", words=(f"label.{name}", "speaker relation", "1 relation")
        )


def test_refused_while_an_editor_holds_a_layer(run_cli: Run, project: Path, tmp_path: Path) -> None:
    path = write(tmp_path, LabelSchema.default().to_toml() + EVENT_TOML)
    editor = Store(project)
    try:
        editor.claim("alice")
        # the claim is this process's, as an editor's of another terminal would be its own
        editor._claims.clear()
        refused(run_cli, project, "--set", str(path), words=("alice", "open in an editor", "close it"))
    finally:
        editor.close()


def test_the_issue_form_labels_set_file_replaces_and_needs_force_alike(
    run_cli: Run, project: Path, tmp_path: Path
) -> None:
    path = write(tmp_path, LabelSchema.default().to_toml() + EVENT_TOML)
    code, out, err = run_cli("labels", "set", str(path), "--db", str(project))
    assert code == 0, err
    assert "(5 labels)" in out and "added: event" in out
    refused(run_cli, project, "set", str(write(tmp_path, without("place"), "less.toml")), words=("--force",))
    code, out, err = run_cli("labels", "set", str(tmp_path / "less.toml"), "--force", "--db", str(project))
    assert code == 0, err
    assert "dropped: place — 1 span removed" in out


def test_labels_set_without_a_file_or_with_an_unknown_action_is_one_line(run_cli: Run, project: Path) -> None:
    refused(run_cli, project, "set", words=("labels set FILE.toml",))
    refused(run_cli, project, "drop", "x.toml", words=("unknown action 'drop'",))
