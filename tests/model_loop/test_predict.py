"""`predict` with stand-in pipelines (no training): label mapping, clitic trimming, clusters, scores, skipped labels."""

from __future__ import annotations

from collections import Counter

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc, SpanGroup
from spacy.training import Example

from annotator.model_loop.errors import ModelError
from annotator.model_loop.predict import (
    Predicted,
    least_certain_first,
    mean_confidence,
    parse_label_map,
    predict,
)
from annotator.text.graphemes import is_boundary

from .conftest import document

TEXT = "قال السوداني إن وفداً وصل بالأنبار والعراق، وزار بغداد ووزارة الدفاع وللفلوجة وبِالأنبارِ وسوريا."


def ruler(patterns: list[tuple[str, str]]) -> Language:
    """A blank `ar` pipeline whose EntityRuler tags each (label, token text) as given."""
    nlp = spacy.blank("ar")
    nlp.add_pipe("entity_ruler").add_patterns(
        [{"label": label, "pattern": [{"TEXT": word}]} for label, word in patterns]
    )
    return nlp


def at(text: str, piece: str, label: str, nth: int = 0) -> Predicted:
    """The expected entity `piece` (its nth occurrence) with score 1.0."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(piece, start + 1)
    return Predicted(start, start + len(piece), label, 1.0)


def test_labels_are_mapped_clitics_trimmed_and_unmapped_labels_counted() -> None:
    nlp = ruler(
        [
            ("PER", "السوداني"),
            ("LOC", "بالأنبار"),
            ("GPE", "والعراق"),
            ("LOC", "بغداد"),
            ("MISC", "ووزارة"),
            ("LOC", "وللفلوجة"),
            ("LOC", "وبِالأنبارِ"),
            ("GPE", "وسوريا"),
            ("MISC", "الدفاع"),
        ]
    )
    result = predict(nlp, [TEXT, "لا شيء هنا"], "PER=actor, LOC=place,GPE=place")
    assert result.entities[0] == [
        at(TEXT, "السوداني", "actor"),
        at(TEXT, "الأنبار", "place"),  # «ب» outside
        at(TEXT, "العراق", "place"),  # «و» outside
        at(TEXT, "بغداد", "place"),  # a name that begins with ب is never cut
        at(TEXT, "للفلوجة", "place"),  # و outside; ل + the article whose alef was swallowed stays
        at(TEXT, "الأنبارِ", "place"),  # «وبِ» outside, the kasra after the last letter inside
        at(TEXT, "وسوريا", "place"),  # no article, no known name: left whole
    ]
    assert result.entities[1] == []
    assert result.skipped == Counter({"MISC": 2})
    assert result.scored is False
    for entity in result.entities[0]:
        assert is_boundary(TEXT, entity.start) and is_boundary(TEXT, entity.end)


def test_punctuation_at_an_edge_stays_outside() -> None:
    # spaCy's Arabic tokenizer keeps a full stop after a haraka in the word: «مسلحاً.» and «والعراقِ.» are tokens
    text = "قتل 15 مسلحاً. وزار والعراقِ. ثم «بغداد» ثم ."
    nlp = ruler([("CARDINAL", "مسلحاً."), ("GPE", "والعراقِ."), ("LOC", "."), ("LOC", "بغداد")])
    nlp.get_pipe("entity_ruler").add_patterns(
        [
            {"label": "CARDINAL", "pattern": [{"TEXT": "15"}, {"TEXT": "مسلحاً."}]},
            {"label": "LOC", "pattern": [{"TEXT": "«"}, {"TEXT": "بغداد"}, {"TEXT": "»"}]},
        ]
    )
    result = predict(nlp, [text], "CARDINAL=figure,GPE=place,LOC=place")
    assert result.entities[0] == [
        at(text, "15 مسلحاً", "figure"),
        at(text, "العراقِ", "place"),
        at(text, "بغداد", "place"),
    ]
    assert result.blank == 1 and not result.skipped


def test_known_names_cut_a_clitic_before_a_name_without_the_article() -> None:
    nlp = ruler([("GPE", "وسوريا"), ("LOC", "بغداد"), ("LOC", "ببغداد")])
    text = "من بغداد ببغداد وسوريا"
    found = predict(nlp, [text], {"GPE": "place", "LOC": "place"}, names=["سوريا", "بغداد"]).entities[0]
    assert found == [at(text, "بغداد", "place"), at(text, "بغداد", "place", nth=1), at(text, "سوريا", "place")]


def test_our_own_labels_pass_without_a_map_and_others_are_skipped() -> None:
    nlp = ruler([("actor", "السوداني"), ("PER", "بغداد")])
    result = predict(nlp, [TEXT])
    assert result.entities == [[at(TEXT, "السوداني", "actor")]]
    assert result.skipped == Counter({"PER": 1})


def test_an_entity_ending_inside_a_cluster_is_widened_to_it() -> None:
    @Language.component("cut_before_the_mark")
    def cut(doc: Doc) -> Doc:
        # a pipeline whose entity stops before the shadda of «عباسّ»: the mark must join the entity
        span = doc.char_span(0, 4, label="PER", alignment_mode="expand")
        assert span is not None
        doc.ents = [span]
        return doc

    nlp = spacy.blank("xx")
    nlp.add_pipe("cut_before_the_mark")
    text = "عباسّ قال"
    assert nlp(text).ents[0].end_char == 5  # spaCy itself keeps the mark with its letter
    result = predict(nlp, [text], "PER=actor")
    assert result.entities == [[Predicted(0, 5, "actor", 1.0)]]


def test_span_group_scores_are_the_confidence_and_order_the_documents() -> None:
    @Language.component("scored_entities")
    def scored(doc: Doc) -> Doc:
        spans = [doc.char_span(m, m + len(w), label="LOC") for w in ("بغداد", "العراق") if (m := doc.text.find(w)) >= 0]
        doc.ents = [s for s in spans if s is not None]
        doc.spans["sc"] = SpanGroup(
            doc,
            name="sc",
            attrs={"scores": [0.25 if s.text == "بغداد" else 0.75 for s in doc.ents]},
            spans=list(doc.ents),
        )
        return doc

    nlp = spacy.blank("ar")
    nlp.add_pipe("scored_entities")
    texts = ["زار العراق", "زار بغداد ثم العراق", "لا شيء"]
    result = predict(nlp, texts, "LOC=place")
    assert result.scored is True
    assert [[e.score for e in found] for found in result.entities] == [[0.75], [0.25, 0.75], []]
    assert [mean_confidence(found) for found in result.entities] == [0.75, 0.5, 0.0]
    assert least_certain_first(dict(zip(["a", "b", "c"], result.entities))) == ["c", "b", "a"]


def test_a_beam_recognizer_gives_each_entity_a_probability() -> None:
    nlp = spacy.blank("ar")
    ner = nlp.add_pipe("beam_ner", config={"beam_width": 4})
    references = []
    for k in range(4):
        text, spans = document(k)
        reference = nlp.make_doc(text)
        reference.ents = [
            s
            for s in (reference.char_span(a, b, label=label, alignment_mode="expand") for a, b, label in spans)
            if s is not None
        ]
        references.append(Example(nlp.make_doc(text), reference))
    for label in ("actor", "place"):
        ner.add_label(label)
    optimizer = nlp.initialize(lambda: references)
    for _ in range(15):
        nlp.update(references, sgd=optimizer)
    result = predict(nlp, [document(6)[0]])
    assert result.scored is True and result.entities[0]
    assert all(0 < entity.score <= 1 + 1e-6 for entity in result.entities[0])


def test_the_label_map_parser() -> None:
    assert parse_label_map("PER=actor,ORG=actor,LOC=place,GPE=place") == {
        "PER": "actor",
        "ORG": "actor",
        "LOC": "place",
        "GPE": "place",
    }
    assert parse_label_map(" PER = actor ,, LOC=place, ") == {"PER": "actor", "LOC": "place"}
    assert parse_label_map("PER=actor,PER=actor") == {"PER": "actor"}
    for spec, message in [
        ("PER", "--label-map: 'PER' is not FROM=TO (e.g. PER=actor,LOC=place)"),
        ("=actor", "--label-map: '=actor' is not FROM=TO (e.g. PER=actor,LOC=place)"),
        ("PER=", "--label-map: 'PER=' is not FROM=TO (e.g. PER=actor,LOC=place)"),
        ("PER=actor,PER=place", "--label-map: 'PER' is mapped twice (actor, place)"),
        ("PER=person", "--label-map: PER=person: unknown label 'person' (labels: actor, figure, place)"),
        (" , ", "--label-map: give at least one FROM=TO pair (e.g. PER=actor,LOC=place)"),
    ]:
        with pytest.raises(ModelError) as raised:
            parse_label_map(spec, ["actor", "figure", "place"])
        assert str(raised.value) == message
    with pytest.raises(ModelError, match="unknown label 'person'"):
        predict(spacy.blank("ar"), ["نص"], "PER=person")
