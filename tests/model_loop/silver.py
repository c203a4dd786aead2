"""A silver layer for the bundled corpus: the figures rule plus a few actor and place patterns (issue 16's measure)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from annotator.suggest import Pattern, build_matcher, figures_many, suggest_many

ACTORS = [
    "داعش",
    "تنظيم الدولة الإسلامية",
    "الدولة الإسلامية",
    "القيادة المركزية الأميركية",
    "القيادة المركزية الأمريكية",
    "القوات الأميركية",
    "القوات الأمريكية",
    "القوات العراقية",
    "التحالف الدولي",
    "التحالف",
    "الحكومة العراقية",
    "وزارة الدفاع",
    "البنتاغون",
    "السوداني",
    "الحشد الشعبي",
    "قوات سوريا الديمقراطية",
    "الجيش العراقي",
    "الولايات المتحدة",
    "واشنطن",
    "بغداد",
    "إيران",
    "حزب الله",
]
PLACES = [
    "العراق",
    "سوريا",
    "الأنبار",
    "وادي الحزيمي",
    "الفلوجة",
    "الرمادي",
    "الموصل",
    "أربيل",
    "عين الأسد",
    "كردستان",
    "الشرق الأوسط",
    "المنطقة",
    "الكويت",
    "الأردن",
    "دير الزور",
    "الحسكة",
    "نينوى",
    "صلاح الدين",
]


def silver_records(texts: Sequence[tuple[str, str]], annotator: str = "silver") -> list[dict[str, object]]:
    """Our JSONL records: per (id, text), the figures rule's spans plus the patterns' spans that do not overlap them."""
    patterns = [Pattern("actor", name) for name in ACTORS] + [Pattern("place", name) for name in PLACES]
    matcher = build_matcher(patterns, "silver")
    plain = [text for _, text in texts]
    records: list[dict[str, object]] = []
    for (document_id, text), figures, named in zip(texts, figures_many(plain), suggest_many(plain, matcher)):
        taken: list[tuple[int, int]] = []
        spans: list[dict[str, object]] = []
        for found in [*figures, *named]:
            if any(found.start < end and start < found.end for start, end in taken):
                continue
            taken.append((found.start, found.end))
            spans.append({"start": found.start, "end": found.end, "label": found.label})
        spans.sort(key=lambda span: (span["start"], span["end"]))  # type: ignore[arg-type,return-value]
        records.append({"id": document_id, "text": text, "annotator": annotator, "spans": spans})
    return records


def write_silver(texts: Sequence[tuple[str, str]], path: Path, annotator: str = "silver") -> Path:
    """The silver records as a JSONL file `annotator import FILE` reads (each record marks its document done)."""
    lines = [json.dumps(record, ensure_ascii=False) for record in silver_records(texts, annotator)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
