"""A spaCy pipeline's entities as suggestions: offsets into the stored text, labels mapped, clitics outside.

Pure functions over texts, for `annotator suggest --model` to call: `predict` runs any spaCy pipeline
(ours from `annotator train`, or a team's own Arabic NER model) over the texts and returns, per text,
(start, end, label, score) in stored-text character offsets.

- **Labels**: the model's label is mapped with the label map (`PER=actor,ORG=actor,LOC=place,GPE=place`);
  a label the map does not name is kept when it is one of the target labels, else skipped and counted.
- **Clitics**: spaCy keeps proclitics in the word («بالأنبار» is one token), and our own model learns
  whole words (`expand`), so a predicted entity may start with a proclitic the guidelines leave outside.
  It is trimmed when the word reads as a proclitic (one of `annotator.suggest`'s CLITICS) followed by
  the article ال and at least two more letters: «بالأنبار» → «الأنبار», «والعراق» → «العراق»,
  «وبالفلوجة» → «الفلوجة»; a conjunction before «لل» goes too («وللفلوجة» → «للفلوجة», ل + the article
  whose alef was swallowed, kept whole as the pattern suggestions do). Without the article a model's
  entity cannot be told from a name that begins with one of those letters («بغداد»، «وزارة»), so it is
  left whole: «لداعش» stays «لداعش» — unless `names` (e.g. the `names` of annotator-training.json, the
  first words of the training entities) holds «داعش» and not «لداعش»: then the clitic is cut as the
  pattern suggestions cut it.
- **Edges** fall on grapheme-cluster boundaries (`annotator.text.graphemes`): harakat after the last
  letter belong to the entity. Punctuation and whitespace at either edge are left outside: spaCy's
  Arabic tokenizer does not split a full stop after a haraka («مسلحاً.» is one token), so a model's
  entity can end with one. An entity of nothing else is dropped and counted (`Prediction.blank`).
- **Scores**: spaCy's plain `ner` component (a greedy transition parser, what `annotator train` builds)
  gives no per-entity confidence: its entities score 1.0 and `Prediction.scored` is False. A pipeline
  whose entity recognizer parses with a beam (`beam_ner`, or `ner` with beam_width > 1) gives each
  entity the probability mass of the beam's parses that hold it, one beam per line of the text (see
  `_beamed`: a beam over a whole article scores nearly every entity 1.0); a span group whose `attrs["scores"]`
  holds a score for the entity's exact span and label (e.g. a `spancat` component) gives that score.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from annotator.labels import LabelSchema
from annotator.model import ENTITY_LAYER
from annotator.model_loop.errors import ModelError
from annotator.suggest.matcher import ARTICLE, CLITICS
from annotator.suggest.normal import fold_word
from annotator.text.graphemes import cluster_end, cluster_start, is_boundary

DEFAULT_TARGETS: tuple[str, ...] = tuple(LabelSchema.default().in_layer(ENTITY_LAYER))
_LONGEST_FIRST = sorted(CLITICS, key=len, reverse=True)
_CONJUNCTIONS = ("و", "ف")
_SWALLOWED = "لل"  # ل + the article, its alef gone
_MIN_AFTER_ARTICLE = 2  # letters a name needs after ال: «والي» (governor) is not و + «الي»


class Predicted(NamedTuple):
    """One predicted entity: [start, end) in the stored text, the target label and the model's confidence."""

    start: int
    end: int
    label: str
    score: float


@dataclass
class Prediction:
    """Per text, its predicted entities in text order; the model labels skipped (no mapping) with counts."""

    entities: list[list[Predicted]]
    skipped: Counter[str] = field(default_factory=Counter)
    blank: int = 0
    """Entities of punctuation or whitespace only: nothing left to suggest."""
    scored: bool = False
    """Whether the scores are the model's confidence (beam or span-group scores); False: every score is 1.0."""


def parse_label_map(spec: str, targets: Collection[str] | None = None) -> dict[str, str]:
    """`PER=actor,ORG=actor,LOC=place` → {model label: our label}; ModelError names a bad piece."""
    mapping: dict[str, str] = {}
    for piece in spec.split(","):
        if not piece.strip():
            continue
        source, equals, target = piece.partition("=")
        source, target = source.strip(), target.strip()
        if not equals or not source or not target:
            raise ModelError(f"--label-map: {piece.strip()!r} is not FROM=TO (e.g. PER=actor,LOC=place)")
        if source in mapping and mapping[source] != target:
            raise ModelError(f"--label-map: {source!r} is mapped twice ({mapping[source]}, {target})")
        if targets is not None and target not in targets:
            raise ModelError(
                f"--label-map: {source}={target}: unknown label {target!r} (labels: {', '.join(sorted(targets))})"
            )
        mapping[source] = target
    if not mapping:
        raise ModelError("--label-map: give at least one FROM=TO pair (e.g. PER=actor,LOC=place)")
    return mapping


def _letter_end(text: str, start: int, letters: int) -> int:
    """The offset after `letters` letters from start (harakat and tatweel skipped), on a cluster boundary."""
    position, counted = start, 0
    while position < len(text) and counted < letters:
        if fold_word(text[position]):
            counted += 1
        position += 1
    while position < len(text) and not fold_word(text[position]) and not text[position].isspace():
        position += 1
    return position if is_boundary(text, position) else cluster_end(text, position)


def fold_names(names: Iterable[str]) -> frozenset[str]:
    """Known first words in the folded form `trim_clitic` compares."""
    return frozenset(fold_word(name) for name in names)


def trim_clitic(text: str, start: int, end: int, names: Collection[str] = frozenset()) -> int:
    """The start of the entity [start, end) without a leading proclitic the guidelines leave outside.

    `names` are folded first words (`fold_names`) known to follow a proclitic: «وسوريا» loses its و
    when «سوريا» is one of them and «وسوريا» is not.
    """
    word_end = start
    while word_end < end and not text[word_end].isspace():
        word_end += 1
    folded = fold_word(text[start:word_end])
    for clitic in _LONGEST_FIRST:
        rest = folded[len(clitic) :]
        if not folded.startswith(clitic):
            continue
        if rest and rest in names and folded not in names:
            return _letter_end(text, start, len(clitic))
        article = rest.startswith(ARTICLE) and len(rest) >= len(ARTICLE) + _MIN_AFTER_ARTICLE
        if article and not clitic.endswith("ل"):  # «لال» is never written: ل + ال is «لل»
            return _letter_end(text, start, len(clitic))
        if (
            clitic in _CONJUNCTIONS
            and rest.startswith(_SWALLOWED)
            and len(rest) >= len(_SWALLOWED) + _MIN_AFTER_ARTICLE
        ):
            return _letter_end(text, start, len(clitic))
    return start


def on_clusters(text: str, start: int, end: int) -> tuple[int, int]:
    """[start, end) moved out to grapheme-cluster boundaries."""
    start = cluster_start(text, start)
    if not is_boundary(text, end):
        end = cluster_end(text, end)
    return start, end


def _outside(char: str) -> bool:
    """Punctuation or whitespace: never at the edge of a suggestion."""
    return char.isspace() or unicodedata.category(char).startswith("P")


def strip_outside(text: str, start: int, end: int) -> tuple[int, int]:
    """[start, end) (on cluster boundaries) without the punctuation and whitespace clusters at its edges."""
    while start < end and _outside(text[start]):
        start = cluster_end(text, start)
    while end > start:
        first = cluster_start(text, end - 1)
        if not _outside(text[first]):
            break
        end = first
    return start, end


def _beam_recognizer(nlp: Any) -> str | None:
    """The name of the pipeline's entity recognizer that parses with a beam, if any."""
    from spacy.pipeline import EntityRecognizer

    for name, component in nlp.pipeline:
        if isinstance(component, EntityRecognizer) and int(component.cfg.get("beam_width", 1)) > 1:
            return name
    return None


Found = tuple[int, int, str, "float | None"]
"""(start char, end char, model label, score or None) of one entity the pipeline found in a text."""


def paragraphs(text: str) -> list[tuple[int, str]]:
    """(offset, line) of the text's non-blank lines: the units a beam scores."""
    found: list[tuple[int, str]] = []
    offset = 0
    for line in text.split("\n"):
        if line.strip():
            found.append((offset, line))
        offset += len(line) + 1
    return found


def _plain(nlp: Any, texts: Sequence[str], batch_size: int) -> Iterator[list[Found]]:
    """Each text's entities from one `nlp.pipe` pass; scored only by a span group's scores (e.g. spancat's)."""
    for doc in nlp.pipe(texts, batch_size=batch_size):
        groups = _group_scores(doc) if doc.spans else {}
        yield [
            (ent.start_char, ent.end_char, ent.label_, groups.get((ent.start_char, ent.end_char, ent.label_)))
            for ent in doc.ents
        ]


def _beamed(nlp: Any, beam: str, texts: Sequence[str], batch_size: int) -> Iterator[list[Found]]:
    """Each text's entities, scored by the beam, one beam per line (paragraph).

    The beam's scores are not kept on the Doc, so the components run one by one and the recognizer's
    beams are read on the way. A beam over a whole article says nothing about most of its entities:
    by its last token the beam's parses differ only in the last few decisions, every earlier
    alternative long pruned, so an early entity is in every parse and scores 1.0. One beam per line
    (news paragraphs; no entity crosses a line) lets each entity's alternatives compete, and a density
    of 0 keeps every parse of the beam's width in the sum instead of pruning those under 1% of the best.
    """
    component = nlp.get_pipe(beam)
    width = int(component.cfg.get("beam_width", 1))
    units = [(index, offset, line) for index, text in enumerate(texts) for offset, line in paragraphs(text)]
    per_text: list[list[Found]] = [[] for _ in texts]
    for begin in range(0, len(units), batch_size):
        batch = units[begin : begin + batch_size]
        docs = [nlp.make_doc(line) for _, _, line in batch]
        scores: list[dict[tuple[int, int, str], float]] = [{} for _ in docs]
        for name, step in nlp.pipeline:
            if name == beam:
                beams = step.beam_parse(docs, beam_width=width, beam_density=0.0)
                step.set_annotations(docs, beams)
                for i, found in enumerate(step.scored_ents(beams)):
                    for (first, last, label), score in found.items():
                        label_name = label if isinstance(label, str) else nlp.vocab.strings[label]
                        scores[i][(int(first), int(last), label_name)] = float(score)
            elif hasattr(step, "pipe"):
                docs = list(step.pipe(docs, batch_size=batch_size))
            else:
                docs = [step(doc) for doc in docs]
        for (index, offset, _), doc, beam_scores in zip(batch, docs, scores):
            groups = _group_scores(doc) if doc.spans else {}
            for ent in doc.ents:
                score = beam_scores.get((ent.start, ent.end, ent.label_))
                if score is None:
                    score = groups.get((ent.start_char, ent.end_char, ent.label_))
                per_text[index].append((offset + ent.start_char, offset + ent.end_char, ent.label_, score))
    yield from per_text


def _group_scores(doc: Any) -> dict[tuple[int, int, str], float]:
    """{(start char, end char, label): score} of the Doc's span groups that carry scores (e.g. spancat's)."""
    found: dict[tuple[int, int, str], float] = {}
    for group in doc.spans.values():
        scores = group.attrs.get("scores") if hasattr(group, "attrs") else None
        if scores is None:
            continue
        for span, score in zip(group, scores):
            found[(span.start_char, span.end_char, span.label_)] = float(score)
    return found


def predict(
    nlp: Any,
    texts: Sequence[str],
    label_map: Mapping[str, str] | str | None = None,
    *,
    targets: Collection[str] = DEFAULT_TARGETS,
    names: Iterable[str] = (),
    batch_size: int = 64,
) -> Prediction:
    """Run the pipeline over the texts; per text, its entities mapped, trimmed of a clitic, on clusters."""
    known = fold_names(names)
    mapping = parse_label_map(label_map, targets) if isinstance(label_map, str) else dict(label_map or {})
    result = Prediction([])
    beam = _beam_recognizer(nlp)
    entities_of = _plain(nlp, texts, batch_size) if beam is None else _beamed(nlp, beam, texts, batch_size)
    for found, text in zip(entities_of, texts):
        entities: list[Predicted] = []
        for first, last, model_label, score in found:
            label = mapping.get(model_label, model_label if model_label in targets else None)
            if label is None:
                result.skipped[model_label] += 1
                continue
            if score is not None:
                result.scored = True
            start, end = strip_outside(text, *on_clusters(text, first, last))
            if start >= end:
                result.blank += 1
                continue
            start = trim_clitic(text, start, end, known)
            entities.append(Predicted(start, end, label, 1.0 if score is None else score))
        result.entities.append(entities)
    return result


def mean_confidence(entities: Iterable[Predicted]) -> float:
    """A document's certainty: the mean score of its predicted entities (0.0 when the model proposes none)."""
    scores = [entity.score for entity in entities]
    return sum(scores) / len(scores) if scores else 0.0


def least_certain_first(per_document: Mapping[str, Sequence[Predicted]]) -> list[str]:
    """Document ids by ascending mean confidence (`--order uncertain`); ties keep the given order."""
    return sorted(per_document, key=lambda document: mean_confidence(per_document[document]))
