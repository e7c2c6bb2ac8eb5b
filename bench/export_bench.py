"""Export benchmark: 100,000 annotations through every export format.

    python bench/export_bench.py [--annotations N] [--runs R]

Builds 100 documents of Arabic news-like text (with an emoji and an astral character on
every line, so the UTF-16 conversion of doccano and Label Studio has work to do) and 1,000
annotations on each, one per sentence, some with two labels and a note. Then it exports the
lot to a file in a temporary directory (brat: a directory) in each format, R times (5 by
default), and prints the median and the fastest run, with annotations per second.

Only building the export is timed: the annotations are made once, before. It reports and
never asserts; the target (jsonl: 100,000 annotations in at most 3 s) is printed beside it.
Standard library plus the package.
"""

from __future__ import annotations

import argparse
import hashlib
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tui.core.store.annotation import new_annotation  # noqa: E402
from tui.core.formats import EXPORTERS, ExportDocument, export  # noqa: E402
from tui.core.labels import LabelSet  # noqa: E402

DOCUMENTS = 100
TARGET_SECONDS = {"jsonl": 3.0}


def sentence(doc: int, i: int) -> str:
    return (
        f"قالَ المتحدث باسم الوزارة في البيان رقم {i} من الملف {doc} إنّ الكلفة بلغت "
        f"{i * 37 % 1000} مليون دولار 😀 وفق الجدول 𝐀."
    )


def build(total: int) -> list[ExportDocument]:
    per_doc = max(1, total // DOCUMENTS)
    documents = []
    made = 0
    stamp = "2026-11-24T08:30:00.000000+00:00"
    for d in range(DOCUMENTS):
        count = min(per_doc, total - made)
        if count <= 0:
            break
        lines = [sentence(d, i) for i in range(count)]
        text = "\n".join(lines) + "\n"
        fingerprint = hashlib.sha256(text.encode("utf-8")).hexdigest()
        path = Path(f"/news/bench-{d:03d}.txt")
        annotations = []
        at = 0
        for i, line in enumerate(lines):
            labels = ("claim", "figure") if i % 3 == 0 else ("quote",)
            note = "رقم يحتاج إلى تحقق" if i % 5 == 0 else ""
            annotations.append(
                new_annotation(text, fingerprint, path, at, at + len(line), labels=labels, note=note, annotator="bench", now=stamp)
            )
            at += len(line) + 1
        documents.append(ExportDocument(path, text, fingerprint, annotations))
        made += count
    return documents


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--annotations", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    documents = build(args.annotations)
    total = sum(len(d.annotations) for d in documents)
    labels = LabelSet()
    print(f"Python {platform.python_version()} on {platform.machine()}, {platform.system()}")
    print(f"{total:,} annotations in {len(documents)} documents; median and best of {args.runs} runs\n")
    print(f"{'format':<13} {'median s':>9} {'best s':>8} {'annotations/s':>14} {'output':>10}  target")
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in EXPORTERS:
            times = []
            size = 0
            for run in range(args.runs):
                out = Path(tmp) / f"{fmt}-{run}"
                began = time.perf_counter()
                report = export(fmt, documents, out, labels=labels)
                times.append(time.perf_counter() - began)
                size = sum(f.stat().st_size for f in report.files)
                shutil.rmtree(out) if out.is_dir() else out.unlink()
                for extra in report.files:
                    if extra.exists():
                        extra.unlink()
            median = statistics.median(times)
            target = TARGET_SECONDS.get(fmt)
            verdict = f"≤ {target:g} s: {'met' if median <= target else 'MISSED'}" if target else ""
            print(
                f"{fmt:<13} {median:>9.3f} {min(times):>8.3f} {total / median:>14,.0f} "
                f"{size / 1e6:>8.1f}MB  {verdict}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
