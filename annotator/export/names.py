"""The names of formats, tagging schemes and token-boundary modes (no imports: the CLI loads this at start-up)."""

from __future__ import annotations

JSONL = "jsonl"
CONLL = "conll"
HF = "hf"
PRODIGY = "prodigy"
DOCCANO = "doccano"
LABELSTUDIO = "labelstudio"
SPACY = "spacy"
FORMATS = (JSONL, CONLL, HF, PRODIGY, DOCCANO, LABELSTUDIO, SPACY)

IOB2 = "iob2"
IOB1 = "iob1"
BIOES = "bioes"
SCHEMES = (IOB2, IOB1, BIOES)

SPLIT = "split"
EXPAND = "expand"
STRICT = "strict"
BOUNDARIES = (SPLIT, EXPAND, STRICT)
