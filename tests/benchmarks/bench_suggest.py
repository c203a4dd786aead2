"""Benchmark: `suggest` with 5,000 patterns over 10,000 articles, beside spaCy's PhraseMatcher.

Run from the repository root: ``python tests/benchmarks/bench_suggest.py [ARTICLES [PATTERNS]] [--dense]``.
Both sides get the same articles (about 5,000 characters of corpus Arabic each, as bench_import
writes them) and the same patterns (corpus words, drawn with a fixed seed: see `patterns`). Ours builds
its matcher and returns the suggestions of every article (Aho–Corasick over the normalised text,
whole words, clitics, longest match). The reference is spaCy's PhraseMatcher on a blank Arabic
pipeline with attr="NORM", the token norms set to the same folding, that tokenizes every article,
matches and keeps the longest non-overlapping matches (spacy.util.filter_spans), with char offsets.
Prints a table; exits 1 when ours is not at least 2× faster or takes 10 s or more, in CPU time (the
cores are shared: wall time moves with the other processes' load; both are printed).
"""

from __future__ import annotations

import gc
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from annotator.suggest import Pattern, build_matcher, suggest_many  # noqa: E402
from annotator.suggest.normal import fold_word  # noqa: E402
from annotator.text.tokenizer import tokenize  # noqa: E402

TARGET_RATIO = 2.0
TARGET_SECONDS = 10.0
LABELS = ("actor", "place", "figure")


def corpus_lines() -> list[str]:
    """The non-empty lines of the bundled corpus."""
    return [
        line
        for path in sorted((ROOT / "corpus").glob("*.txt"))
        for line in path.read_text(encoding="utf-8").split("\n")
        if line.strip()
    ]


def articles(count: int) -> list[str]:
    """`count` articles of about 5,000 characters of corpus lines each (bench_import's recipe)."""
    lines = corpus_lines()
    rng = random.Random(7)
    texts: list[str] = []
    for i in range(count):
        body: list[str] = []
        size = 0
        while size < 5000:
            line = rng.choice(lines)
            body.append(line)
            size += len(line) + 1
        texts.append(f"article {i}\n" + "\n".join(body))
    return texts


def patterns(count: int, dense: bool = False) -> list[Pattern]:
    """`count` distinct phrases of corpus words with labels drawn at random, like a gazetteer.

    A fifth are word n-grams (one to three words) that occur in the corpus; the rest are two or three
    corpus words in an order the corpus never has, as most entries of a real gazetteer never occur in a
    given article. `dense`: all are corpus n-grams, so that nearly every word of an article is matched.
    """
    grams: set[str] = set()
    vocabulary: set[str] = set()
    for line in corpus_lines():
        words = [token.text for token in tokenize(line)]
        vocabulary.update(word for word in words if word[0].isalnum())
        for n in (1, 2, 3):
            for i in range(len(words) - n + 1):
                gram = words[i : i + n]
                if all(word[0].isalnum() for word in gram) and sum(map(len, gram)) >= 3:
                    grams.add(" ".join(gram))
    rng = random.Random(15)
    real = rng.sample(sorted(grams), min(count if dense else count // 5, len(grams)))
    words = sorted(vocabulary)
    chosen = set(real)
    while len(chosen) < count:
        phrase = " ".join(rng.choice(words) for _ in range(rng.choice((2, 3))))
        if phrase not in grams:
            chosen.add(phrase)
    ordered = real + sorted(chosen - set(real))
    return [Pattern(rng.choice(LABELS), text) for text in ordered]


def ours(texts: list[str], phrases: list[Pattern]) -> tuple[float, float, int]:
    """Wall and CPU seconds to build the matcher and suggest into every article, and the number of suggestions."""
    began, cpu = time.perf_counter(), time.process_time()
    matcher = build_matcher(phrases, "bench")
    found = suggest_many(texts, matcher)
    return time.perf_counter() - began, time.process_time() - cpu, sum(map(len, found))


def reference(texts: list[str], phrases: list[Pattern]) -> tuple[float, float, int]:
    """Wall and CPU seconds for spaCy's PhraseMatcher (NORM, same folding) to do the same, and its match count."""
    import spacy
    from spacy.attrs import NORM
    from spacy.matcher import PhraseMatcher
    from spacy.util import filter_spans

    began, cpu = time.perf_counter(), time.process_time()
    nlp = spacy.blank("ar")
    nlp.vocab.lex_attr_getters[NORM] = fold_word
    for lexeme in nlp.vocab:
        lexeme.norm_ = fold_word(lexeme.orth_)
    matcher = PhraseMatcher(nlp.vocab, attr="NORM")
    by_label: dict[str, list[str]] = {}
    for phrase in phrases:
        by_label.setdefault(phrase.label, []).append(phrase.text)
    for label, texts_of_label in by_label.items():
        matcher.add(label, list(nlp.tokenizer.pipe(texts_of_label)))
    total = 0
    for doc in nlp.tokenizer.pipe(texts, batch_size=256):
        spans = filter_spans(matcher(doc, as_spans=True))
        total += len([(span.start_char, span.end_char, span.label_) for span in spans])
    return time.perf_counter() - began, time.process_time() - cpu, total


def main() -> int:
    """Run both sides on the same input; print the table; 1 when a target is missed."""
    arguments = [argument for argument in sys.argv[1:] if argument != "--dense"]
    count = int(arguments[0]) if arguments else 10_000
    pattern_count = int(arguments[1]) if len(arguments) > 1 else 5_000
    texts = articles(count)
    phrases = patterns(pattern_count, dense="--dense" in sys.argv)
    characters = sum(map(len, texts))
    print(f"{len(texts):,} articles, {characters:,} characters; {len(phrases):,} patterns", flush=True)
    gc.collect()
    ours_wall, ours_cpu, ours_found = ours(texts, phrases)
    gc.collect()
    ref_wall, ref_cpu, ref_found = reference(texts, phrases)
    print(f"{'':36} {'wall s':>8} {'CPU s':>8} {'found':>10}")
    print(f"{'ours: build_matcher + suggest_many':36} {ours_wall:8.2f} {ours_cpu:8.2f} {ours_found:10,}")
    print(f"{'spaCy PhraseMatcher (NORM)':36} {ref_wall:8.2f} {ref_cpu:8.2f} {ref_found:10,}")
    # CPU time: the machine's cores are shared, and wall time moves with everyone else's load.
    ratio = ref_cpu / ours_cpu
    print(
        f"ours is {ratio:.1f}× faster in CPU time (target ≥ {TARGET_RATIO:.0f}×, wall {ref_wall / ours_wall:.1f}×), "
        f"{ours_cpu:.2f} CPU s (target < {TARGET_SECONDS:.0f} s)"
    )
    met = ratio >= TARGET_RATIO and ours_cpu < TARGET_SECONDS
    print("targets met" if met else "TARGET MISSED")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
