"""Seeded synthetic annotations for the agreement tests and benchmark: several annotators, missing
documents, boundary and label disagreements, clitics cut off inside words."""

from __future__ import annotations

import random
from dataclasses import dataclass

from annotator.model import DEFAULT_LABELS, Document, Span

WORDS = (
    "قال السوداني إن داعش في الأنبار وادي الحزيمي سوريا القيادة المركزية الأميركية 15 عنصراً "
    "2500 جندي 80 ألف باوند بالأنبار للفلوجة والجيش العراقي بغداد التحالف الدولي غارات جوية "
    "مقاتلين قتل أكثر من المتحدث باسم وزارة الدفاع أعلن"
).split()
PUNCT = ("،", ".", "«", "»", ":", "؟", "(", ")")
ENTITY = ("actor", "figure", "place")


@dataclass
class Synthetic:
    """Documents, every annotator's spans and the documents each marked done."""

    documents: list[Document]
    spans: list[Span]
    done: dict[str, set[str]]
    annotators: list[str]


def make_text(rng: random.Random, n_words: int) -> str:
    """Arabic-looking text of n_words words with punctuation, digits and the odd line break."""
    parts: list[str] = []
    for _ in range(n_words):
        word = rng.choice(WORDS)
        roll = rng.random()
        if roll < 0.06:
            word = word + rng.choice(PUNCT)
        elif roll < 0.09:
            word = rng.choice(PUNCT) + " " + word
        elif roll < 0.1:
            word = word + "\n"
        parts.append(word)
    return " ".join(parts)


def _word_bounds(text: str) -> list[tuple[int, int]]:
    bounds, i = [], 0
    for piece in text.split(" "):
        if piece.strip():
            bounds.append((i, i + len(piece.rstrip("\n"))))
        i += len(piece) + 1
    return bounds


def _non_overlapping(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    kept: list[tuple[int, int, str]] = []
    for span in sorted(spans):
        if span[0] < span[1] and (not kept or span[0] >= kept[-1][1]):
            kept.append(span)
    return kept


def _perturb(
    rng: random.Random,
    spans: list[tuple[int, int, str]],
    labels: tuple[str, ...],
    words: list[tuple[int, int]],
    noise: float,
) -> list[tuple[int, int, str]]:
    out = []
    for start, end, label in spans:
        if rng.random() < noise * 0.5:
            continue
        if rng.random() < noise * 0.5:
            label = rng.choice(labels)
        roll = rng.random()
        if roll < noise * 0.5 and end - start > 2:
            start += rng.choice((1, 2))  # a clitic left outside
        elif roll < noise:
            end = max(start + 1, end + rng.choice((-3, -1, 1, 4)))
        out.append((start, end, label))
    for _ in range(int(len(spans) * noise * 0.5) + (rng.random() < noise)):
        w = rng.randrange(len(words))
        out.append((words[w][0], words[min(w + rng.randrange(2), len(words) - 1)][1], rng.choice(labels)))
    return out


def generate(
    seed: int,
    n_docs: int = 6,
    words_per_doc: tuple[int, int] = (20, 60),
    annotators: tuple[str, ...] = ("amal", "badr", "dina"),
    noise: float = 0.3,
    done_rate: float = 0.8,
    density: float = 0.15,
) -> Synthetic:
    """A seeded corpus with disagreeing annotators (and some documents some of them did not do)."""
    rng = random.Random(seed)
    documents, spans = [], []
    done: dict[str, set[str]] = {name: set() for name in annotators}
    for d in range(n_docs):
        text = make_text(rng, rng.randint(*words_per_doc))
        doc_id = f"doc-{d:03d}"
        documents.append(Document(doc_id, f"عنوان {d}", text))
        words = _word_bounds(text)
        truth_entities, truth_quotes = [], []
        w = 0
        while w < len(words):
            if rng.random() < density:
                last = min(w + rng.randrange(3), len(words) - 1)
                truth_entities.append((words[w][0], words[last][1], rng.choice(ENTITY)))
                w = last + 1
            w += 1
        w = rng.randrange(max(len(words), 1))
        while w < len(words):
            last = min(w + rng.randint(3, 12), len(words) - 1)
            truth_quotes.append((words[w][0], words[last][1], "quote"))
            w = last + rng.randint(5, 40)
        for name in annotators:
            if rng.random() < done_rate:
                done[name].add(doc_id)
            elif rng.random() < 0.5:
                continue  # never opened: no spans at all
            mine = _non_overlapping(_perturb(rng, truth_entities, ENTITY, words, noise))
            mine += _non_overlapping(_perturb(rng, truth_quotes, ("quote",), words, noise))
            spans += [Span(doc_id, name, s, min(e, len(text)), label) for s, e, label in mine if s < min(e, len(text))]
    return Synthetic(documents, spans, done, list(annotators))


LABELS = DEFAULT_LABELS
