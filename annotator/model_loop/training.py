"""Train a blank Arabic (`ar`) NER pipeline on a layer's finished documents, on CPU, and score it on dev documents.

spaCy's own training API: `nlp.initialize` then `nlp.update` on `Example`s, in minibatches drawn in
a seeded order, and `Scorer` on the dev documents. The predicted side of each Example is spaCy's own
tokenization of the stored text (what the model sees when it suggests); `Example` aligns it to the
reference Doc's whole-word entities.
"""

from __future__ import annotations

import json
import random
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator import __version__
from annotator.export.writer import staging_folder
from annotator.model_loop.data import split_documents, training_set
from annotator.model_loop.errors import ModelError, import_spacy
from annotator.store import Store

RECORD = "annotator-training.json"
"""The file beside the pipeline that says what it was trained on."""
LANGUAGE = "ar"
BATCH_SIZE = 4
DROPOUT = 0.1


@dataclass
class LabelScore:
    """Precision, recall and F1 of one label on the dev documents."""

    precision: float
    recall: float
    f1: float


@dataclass
class TrainingResult:
    """What `train` did: the documents on each side, the steps, the time, the dev scores."""

    layer: str
    labels: list[str]
    names: list[str]
    train: list[str]
    dev: list[str]
    steps: int
    seconds: float
    beam: int = 1
    scores: dict[str, LabelScore] = field(default_factory=dict)
    overall: LabelScore = field(default_factory=lambda: LabelScore(0.0, 0.0, 0.0))
    output: Path | None = None


def _score(value: Any) -> float:
    """A Scorer figure (None when a label never occurs) as a float."""
    return float(value) if value is not None else 0.0


def evaluate(nlp: Any, references: Sequence[Any]) -> tuple[LabelScore, dict[str, LabelScore]]:
    """Overall and per-label entity precision, recall and F1 of the pipeline on reference Docs (spaCy's Scorer)."""
    from spacy.scorer import Scorer
    from spacy.training import Example

    predicted = list(nlp.pipe([doc.text for doc in references]))
    examples = [Example(doc, reference) for doc, reference in zip(predicted, references)]
    scores = Scorer(nlp).score(examples)
    overall = LabelScore(_score(scores.get("ents_p")), _score(scores.get("ents_r")), _score(scores.get("ents_f")))
    per_type = scores.get("ents_per_type") or {}
    return overall, {
        label: LabelScore(_score(value.get("p")), _score(value.get("r")), _score(value.get("f")))
        for label, value in sorted(per_type.items())
    }


def train(
    store: Store,
    layer: str,
    *,
    dev: float = 0.2,
    seed: int = 0,
    max_steps: int = 200,
    beam: int = 1,
    on_step: Callable[[int], None] | None = None,
) -> tuple[Any, TrainingResult]:
    """Train on the layer's finished documents; returns the pipeline and what was done (not yet saved).

    beam > 1 trains spaCy's `beam_ner` with that beam width: slower to train (about 3× at 8), but each
    predicted entity then has a confidence (`predict` reads it), which `--order uncertain` needs; the
    plain `ner` gives none.
    """
    spacy = import_spacy()
    from spacy.training import Example
    from spacy.util import fix_random_seed, minibatch

    if max_steps < 1:
        raise ModelError(f"--max-steps {max_steps}: give at least 1")
    if beam < 1:
        raise ModelError(f"--beam {beam}: give a beam width of at least 1 (1: the plain greedy ner)")
    fix_random_seed(seed)
    nlp = spacy.blank(LANGUAGE)
    data = training_set(store, layer, nlp.vocab)
    train_ids, dev_ids = split_documents(data.ids, dev, seed)
    by_id = dict(zip(data.ids, data.docs))
    ner = nlp.add_pipe("beam_ner", config={"beam_width": beam}) if beam > 1 else nlp.add_pipe("ner")
    for label in data.labels:
        ner.add_label(label)
    examples = [Example(nlp.make_doc(by_id[d].text), by_id[d]) for d in train_ids]
    optimizer = nlp.initialize(lambda: examples)
    shuffle = random.Random(seed)
    began = time.perf_counter()
    steps = 0
    while steps < max_steps:
        order = examples[:]
        shuffle.shuffle(order)
        for batch in minibatch(order, size=BATCH_SIZE):
            nlp.update(list(batch), sgd=optimizer, drop=DROPOUT, losses={})
            steps += 1
            if on_step is not None:
                on_step(1)
            if steps == max_steps:
                break
    seconds = time.perf_counter() - began
    overall, scores = evaluate(nlp, [by_id[d] for d in dev_ids])
    result = TrainingResult(layer, data.labels, data.names, train_ids, dev_ids, steps, seconds, beam, scores, overall)
    return nlp, result


def record(result: TrainingResult, seed: int, dev: float) -> dict[str, Any]:
    """The JSON written beside the pipeline: the documents and labels it learnt from and its dev scores.

    `names` holds the first word of every training entity as annotated (proclitics outside): pass it to
    `predict(names=...)` so that «وسوريا» is cut to «سوريا» when «سوريا» was annotated.
    """
    spacy = import_spacy()
    return {
        "annotator_version": __version__,
        "spacy_version": spacy.__version__,
        "trained": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "from": result.layer,
        "labels": result.labels,
        "names": result.names,
        "train_documents": result.train,
        "dev_documents": result.dev,
        "dev_fraction": dev,
        "seed": seed,
        "steps": result.steps,
        "beam_width": result.beam,
        "seconds": round(result.seconds, 3),
        "dev_scores": {
            "overall": vars(result.overall),
            **{label: vars(score) for label, score in result.scores.items()},
        },
    }


def save(nlp: Any, result: TrainingResult, output: Path, *, seed: int, dev: float, force: bool) -> Path:
    """Write the pipeline and its RECORD to output, through a temporary folder renamed into place."""
    if output.exists() and (not output.is_dir() or any(output.iterdir())) and not force:
        raise ModelError(f"{output} already exists and is not empty; choose another -o or pass --force")
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = staging_folder(output)  # the user's umask, so the team can load the model
    try:
        nlp.to_disk(staging)
        (staging / RECORD).write_text(
            json.dumps(record(result, seed, dev), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        if output.exists():
            if output.is_dir():
                shutil.rmtree(output)
            else:
                output.unlink()
        staging.rename(output)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    result.output = output
    return output
