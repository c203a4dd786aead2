"""`annotator suggest --model`: any spaCy pipeline's entities become suggestions (mapped labels, clitics left
outside, whole words), unmapped labels are skipped and counted, and bad input is one line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from annotator.model import Document
from annotator.store import Store

TEXT = "قال مسؤول في بغداد إن داعش هاجم بالأنبار مواقع للجيش، وإن رويترز نقلت ذلك."


def _stand_in_pipeline(folder: Path) -> Path:
    """A blank Arabic pipeline whose EntityRuler finds PER/ORG/LOC as another team's model would."""
    import spacy

    nlp = spacy.blank("ar")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(
        [
            {"label": "ORG", "pattern": "داعش"},
            {"label": "LOC", "pattern": "بغداد"},
            {"label": "LOC", "pattern": "بالأنبار"},  # the model's entity carries the clitic ب: trimmed outside
            {"label": "MISC", "pattern": "رويترز"},
        ]
    )
    nlp.to_disk(folder)
    return folder


def test_a_foreign_pipeline_suggests_mapped_whole_words(
    tmp_path: Path, run_cli: Callable[..., tuple[int, str, str]]
) -> None:
    db = tmp_path / "m.db"
    with Store(db) as store:
        store.import_batch([Document("d1", "t", TEXT)], [], user="lead")
    model = _stand_in_pipeline(tmp_path / "their-ner")
    code, out, err = run_cli("suggest", "--db", str(db), "--model", str(model), "--label-map", "ORG=actor,LOC=place")
    assert code == 0, err
    assert "from their-ner" in out
    assert "skipped 1 entity labelled MISC" in out
    with Store(db) as store:
        found = [(TEXT[s.start : s.end], s.label, s.source) for s in store.suggestions("d1")]
        assert store.spans("d1", "ali") == [] and store.check() == []
    assert found == [("بغداد", "place", "their-ner"), ("داعش", "actor", "their-ner"), ("الأنبار", "place", "their-ner")]


def test_bad_model_and_bad_label_map_are_one_line(tmp_path: Path, run_cli: Callable[..., tuple[int, str, str]]) -> None:
    db = tmp_path / "m.db"
    with Store(db) as store:
        store.import_batch([Document("d1", "t", TEXT)], [], user="lead")
    code, _, err = run_cli("suggest", "--db", str(db), "--model", str(tmp_path / "nowhere"))
    assert code == 1 and err.count("\n") == 1 and "cannot load it as a spaCy pipeline" in err
    model = _stand_in_pipeline(tmp_path / "their-ner")
    code, _, err = run_cli("suggest", "--db", str(db), "--model", str(model), "--label-map", "ORG=nobody")
    assert code == 1 and err.count("\n") == 1 and "unknown label 'nobody'" in err
    code, _, err = run_cli("suggest", "--db", str(db), "--figures", "--label-map", "ORG=actor")
    assert code == 1 and "--label-map goes with --model" in err
    with Store(db) as store:
        assert store.suggestions("d1") == []
