"""`annotator train` and `predict`: a model trained on a few articles suggests whole words at exact offsets."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import spacy

from annotator.model_loop.predict import predict
from annotator.model_loop.training import RECORD
from annotator.text.graphemes import is_boundary

from .conftest import document

WORD = re.compile(r"[\w\u064B-\u065F\u0640]+")


def words(text: str) -> list[tuple[int, int]]:
    """[start, end) of every word (letters, digits, harakat, tatweel)."""
    return [match.span() for match in WORD.finditer(text)]


def test_a_trained_model_suggests_whole_words_at_exact_offsets(
    make_db: Callable[..., Path], run_cli: Callable[..., tuple[int, str, str]], tmp_path: Path
) -> None:
    db = make_db(6, extra=1)
    out = tmp_path / "model"
    code, stdout, stderr = run_cli(
        "train", "--db", str(db), "--from", "ali", "-o", str(out), "--max-steps", "40", "--seed", "3"
    )
    assert code == 0, stderr
    assert re.search(r"^actor\s+\d\.\d{3}\s+\d\.\d{3}\s+\d\.\d{3}$", stdout, re.M), stdout
    assert re.search(r"^overall\s+", stdout, re.M)
    trained = json.loads((out / RECORD).read_text(encoding="utf-8"))
    assert trained["from"] == "ali" and trained["labels"] == ["actor", "figure", "place"]
    assert sorted(trained["train_documents"] + trained["dev_documents"]) == [f"doc-{k:02d}" for k in range(6)]
    assert trained["dev_documents"] and not set(trained["dev_documents"]) & set(trained["train_documents"])
    assert "الأنبار" in trained["names"]

    text = document(6)[0]  # the untouched article: its places sit behind «ب» and «بـ»
    nlp = spacy.load(out)
    found = predict(nlp, [text], names=trained["names"]).entities[0]
    assert found, "the model suggested nothing"
    starts = {start for start, _ in words(text)}
    ends = {end for _, end in words(text)}
    for entity in found:
        piece = text[entity.start : entity.end]
        assert entity.end in ends, piece  # ends where a word ends
        # starts at a word's start, or after a proclitic ب (bare or with tatweel) at one
        assert entity.start in starts or (
            text[entity.start - 1] in "بـ" and text[entity.start - 2 : entity.start] != "بب"
        ), piece
        assert is_boundary(text, entity.start) and is_boundary(text, entity.end)
        assert not piece.startswith("ب") and entity.label in {"actor", "place"} and entity.score == 1.0
    expected = {(m.start(), m.end()) for m in re.finditer("الأنبار|سوريا|داعش", text)}
    assert expected & {(e.start, e.end) for e in found}, [text[e.start : e.end] for e in found]


def test_a_beam_model_gives_confidences_that_order_documents(
    make_db: Callable[..., Path], run_cli: Callable[..., tuple[int, str, str]], tmp_path: Path
) -> None:
    from annotator.model_loop.predict import least_certain_first, mean_confidence

    out = tmp_path / "beam"
    code, _, stderr = run_cli(
        "train", "--db", str(make_db(5)), "--from", "ali", "-o", str(out), "--max-steps", "12", "--beam", "4"
    )
    assert code == 0, stderr
    assert json.loads((out / RECORD).read_text(encoding="utf-8"))["beam_width"] == 4
    texts = {"known": document(6)[0], "odd": "كتب الكاتب نصاً لا يشبه ما سبق عن الموصل."}
    result = predict(spacy.load(out), list(texts.values()))
    assert result.scored and result.entities[0]
    confidences = [mean_confidence(found) for found in result.entities]
    assert all(0 <= value <= 1 + 1e-6 for value in confidences)
    order = least_certain_first(dict(zip(texts, result.entities)))
    assert order == sorted(texts, key=lambda name: confidences[list(texts).index(name)])


def test_training_needs_two_finished_documents(
    make_db: Callable[..., Path], run_cli: Callable[..., tuple[int, str, str]]
) -> None:
    db = make_db(1, extra=3)
    code, stdout, stderr = run_cli("train", "--db", str(db), "--from", "ali")
    assert code == 1 and stdout == ""
    assert stderr.strip().splitlines() == [
        "annotator: error: training needs at least 2 finished documents of ali, and 1 is marked done: "
        "finish more articles first"
    ]


def test_training_without_spacy_says_how_to_install(
    make_db: Callable[..., Path], run_cli: Callable[..., tuple[int, str, str]], hide_spacy: Callable[[], None]
) -> None:
    db = make_db(3)
    hide_spacy()
    code, stdout, stderr = run_cli("train", "--db", str(db), "--from", "ali")
    assert code == 1 and stdout == ""
    assert stderr.strip().splitlines() == [
        "annotator: error: training and suggesting with a model need spaCy: pip install 'annotator[model]'"
    ]


def test_the_same_seed_trains_the_same_model(make_db: Callable[..., Path]) -> None:
    from annotator.model_loop.training import train
    from annotator.store import Store

    text = document(7)[0]
    runs = []
    with Store(make_db(5)) as store:
        for _ in range(2):
            nlp, result = train(store, "ali", seed=5, max_steps=12)
            runs.append((result.train, result.dev, vars(result.overall), predict(nlp, [text]).entities))
    assert runs[0] == runs[1]


def test_without_spacy_the_other_commands_work(
    make_db: Callable[..., Path], run_cli: Callable[..., tuple[int, str, str]], hide_spacy: Callable[[], None]
) -> None:
    db = make_db(2)
    hide_spacy()
    code, stdout, _ = run_cli("train", "--help")
    assert code == 0 and "pip install 'annotator[model]'" in stdout
    code, stdout, _ = run_cli("docs", "--db", str(db))
    assert code == 0 and "doc-01" in stdout
    code, stdout, _ = run_cli("export", "-f", "jsonl", "--annotator", "ali", "--db", str(db), "-o", "-")
    assert code == 0 and len(stdout.splitlines()) == 2


def test_a_bad_dev_fraction_and_an_unknown_layer_are_one_line_errors(
    make_db: Callable[..., Path], run_cli: Callable[..., tuple[int, str, str]]
) -> None:
    db = make_db(3)
    code, _, stderr = run_cli("train", "--db", str(db), "--from", "ali", "--dev", "1.5")
    assert code == 1 and stderr.strip().splitlines() == [
        "annotator: error: --dev 1.5: give a fraction above 0 and below 1 (e.g. 0.2)"
    ]
    code, _, stderr = run_cli("train", "--db", str(db), "--from", "ali", "--beam", "0")
    assert code == 1 and stderr.strip().splitlines() == [
        "annotator: error: --beam 0: give a beam width of at least 1 (1: the plain greedy ner)"
    ]
    code, _, stderr = run_cli("train", "--db", str(db), "--from", "mona")
    assert code == 1 and stderr.strip().splitlines() == [
        f"annotator: error: no annotator 'mona' in {db} (annotators: ali; or --from gold)"
    ]
    code, _, stderr = run_cli("train", "--db", str(db))
    assert code == 1 and stderr.strip().splitlines() == [
        "annotator: error: training needs at least 2 finished documents of gold, and 0 are adjudicated: "
        "finish more articles first"
    ]


ODD_ARTICLE = "\n".join(
    [
        "كتب الكاتب نصاً لا يشبه ما سبق عن الموصل وعن داعش في المدينة.",
        "وقالت مصادر إن القوات العراقية انسحبت من أطراف سوريا الشمالية.",
        "ولم يعلق التحالف الدولي على ما جرى في العراق.",
    ]
)


def test_beam_confidences_spread_and_put_unseen_articles_first(
    make_db: Callable[..., Path], run_cli: Callable[..., tuple[int, str, str]], tmp_path: Path
) -> None:
    from annotator.model import Document
    from annotator.store import Store
    from annotator.workspace import document_order

    db = make_db(4, extra=2)  # doc-00…03 done by ali, doc-04 and doc-05 untouched
    with Store(db) as store:
        store.import_batch([Document("odd", "odd", ODD_ARTICLE)], [], user="lead")
    out = tmp_path / "beam"
    code, _, stderr = run_cli(
        "train", "--db", str(db), "--from", "ali", "-o", str(out), "--max-steps", "40", "--beam", "4", "--dev", "0.25"
    )
    assert code == 0, stderr
    trained = set(json.loads((out / RECORD).read_text(encoding="utf-8"))["train_documents"])
    code, stdout, stderr = run_cli("suggest", "--db", str(db), "--model", str(out))
    assert code == 0, stderr
    assert "no confidence" not in stdout
    with Store(db) as store:
        ids = [doc.id for doc in store.documents()]
        unseen = [doc_id for doc_id in ids if doc_id not in trained]
        scores = [s.score for doc_id in unseen for s in store.suggestions(doc_id)]
        order = document_order(store, "uncertain")
    values = [score for score in scores if score is not None]
    assert values and len(values) == len(scores) and all(0 <= value <= 1 + 1e-6 for value in values)
    # A beam over a whole article gave nearly every entity 1.0; one beam per line spreads them.
    assert len(set(values)) >= 5 and min(values) < 0.9, sorted(values)
    assert order != ids
    assert order[0] == "odd", order  # written unlike anything the model learnt from
    # every article the model did not learn from comes before every one it did
    assert set(order[: len(unseen)]) == set(unseen), (order, trained)
