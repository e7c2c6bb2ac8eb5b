"""Annotation store benchmark: label toggles and document opens on a store of realistic size.

    python bench/store_bench.py

Builds a temporary store of 20,000 annotations over 200 documents (one document with 2,000,
the other 18,000 spread over 199), then measures:

1. Toggle: `DocumentStore.put` of an annotation whose label set changed, durable (temp file,
   fsync, rename, directory fsync) before it returns. 200 toggles, one in each document, all
   documents open in one AnnotationStore as they would be after browsing. Median and p95.
   Also 50 toggles inside the 2,000-annotation document, for comparison.
2. Open: a fresh AnnotationStore (lock included) plus `open` of the 2,000-annotation
   document, parse and validation of every record included; median of 7 after a warm-up.
3. Re-anchor: the same open after a line was inserted at the top of that document, so every
   one of its 2,000 annotations moves (and the result is written). Median of 7.

It only reports: targets are printed beside the numbers, never asserted. Standard library
plus the package; the store lives in a temporary directory on the same disk as $TMPDIR,
so the fsync cost is that disk's.
"""

from __future__ import annotations

import hashlib
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tui.core.store.annotation import new_annotation, toggle_label  # noqa: E402
from tui.core.store.store import AnnotationStore, write_durably  # noqa: E402

DOCUMENTS = 200
TOTAL = 20_000
BIG = 2_000
LABELS = ("claim", "quote", "figure")


def sentence(doc: int, i: int) -> str:
    return f"قال المتحدث باسم الوزارة في البيان رقم {i} من الملف {doc} إن الكلفة بلغت {i * 37 % 1000} مليون دولار."


def make_text(doc: int, sentences: int) -> str:
    return "\n".join(sentence(doc, i) for i in range(sentences)) + "\n"


def fingerprint(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def spans(text: str) -> list[tuple[int, int]]:
    result, at = [], 0
    for line in text.split("\n"):
        if line:
            result.append((at, at + len(line)))
        at += len(line) + 1
    return result


def build(root: Path) -> tuple[Path, list[tuple[Path, str]]]:
    """Write the documents and the store; returns the store dir and (path, text) per document."""
    store_dir = root / "store"
    per_doc = [BIG] + [0] * (DOCUMENTS - 1)
    rest = TOTAL - BIG
    for i in range(1, DOCUMENTS):
        per_doc[i] = rest // (DOCUMENTS - 1) + (1 if i <= rest % (DOCUMENTS - 1) else 0)
    docs = []
    rng = random.Random(1)
    with AnnotationStore(store_dir) as store:
        for d, count in enumerate(per_doc):
            text = make_text(d, count)
            path = root / f"doc{d:03}.txt"
            path.write_text(text, encoding="utf-8")
            fp = fingerprint(text)
            document = store.open(path, fp, text)
            document.put_many(
                [
                    new_annotation(text, fp, path, s, e, labels=tuple(rng.sample(LABELS, rng.randint(1, 3))), annotator="bench")
                    for s, e in spans(text)
                ]
            )
            document.close()
            docs.append((path, text))
    return store_dir, docs


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]


def measure_toggles(store_dir: Path, docs: list[tuple[Path, str]], which: list[int]) -> list[float]:
    rng = random.Random(2)
    samples = []
    with AnnotationStore(store_dir) as store:
        opened = {d: store.open(docs[d][0], fingerprint(docs[d][1]), docs[d][1]) for d in set(which)}
        for d in which:
            document = opened[d]
            annotation = rng.choice(document.annotations())
            changed = toggle_label(annotation, rng.choice(LABELS))
            if not changed.labels:
                changed = toggle_label(changed, "claim")
            start = time.perf_counter()
            document.put(changed)
            samples.append(time.perf_counter() - start)
    return samples


def measure_floor(directory: Path) -> list[float]:
    """The disk's own cost for the write protocol (temp, fsync, rename, dir fsync), 1 KB."""
    samples = []
    target = directory / "floor.bin"
    for _ in range(50):
        start = time.perf_counter()
        write_durably(target, b"x" * 1024)
        samples.append(time.perf_counter() - start)
    target.unlink()
    return samples


def without_fsync(measure, *args):
    """Run a measurement with os.fsync stubbed out: what the store costs beyond the disk."""
    real = os.fsync
    os.fsync = lambda fd: None
    try:
        return measure(*args)
    finally:
        os.fsync = real


def measure_open(store_dir: Path, path: Path, text: str) -> list[float]:
    samples = []
    for run in range(8):  # the first is a warm-up
        start = time.perf_counter()
        store = AnnotationStore(store_dir)
        document = store.open(path, fingerprint(text), text)
        elapsed = time.perf_counter() - start
        assert len(document.annotations()) == BIG
        store.close()
        if run:
            samples.append(elapsed)
    return samples


def measure_reanchor(store_dir: Path, path: Path, text: str) -> list[float]:
    samples = []
    texts = [text, "سطر جديد في أعلى الملف.\n" + text]
    for run in range(7):
        current = texts[(run + 1) % 2]  # alternate, so every open re-anchors all 2,000
        start = time.perf_counter()
        with AnnotationStore(store_dir) as store:
            document = store.open(path, fingerprint(current), current)
            elapsed = time.perf_counter() - start
            assert document.reanchor is not None and document.reanchor.orphaned == 0
        samples.append(elapsed)
    # leave the store as built
    with AnnotationStore(store_dir) as store:
        store.open(path, fingerprint(text), text)
    return samples


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="hamish-store-bench-") as tmp:
        root = Path(tmp)
        began = time.perf_counter()
        store_dir, docs = build(root)
        build_time = time.perf_counter() - began
        files = list(store_dir.glob("*.json"))
        size = sum(f.stat().st_size for f in files)
        big_path, big_text = docs[0]

        open_samples = measure_open(store_dir, big_path, big_text)
        toggles = measure_toggles(store_dir, docs, list(range(DOCUMENTS)))
        big_toggles = measure_toggles(store_dir, docs, [0] * 50)
        floor = measure_floor(root)
        toggles_cpu = without_fsync(measure_toggles, store_dir, docs, list(range(DOCUMENTS)))
        big_toggles_cpu = without_fsync(measure_toggles, store_dir, docs, [0] * 50)
        reanchor_samples = measure_reanchor(store_dir, big_path, big_text)

    ms = 1000
    print("# Annotation store benchmark\n")
    print(f"- Python {platform.python_version()} on {platform.platform()}")
    print(
        f"- Store: {TOTAL:,} annotations over {DOCUMENTS} documents, {len(files)} files, {size / 1e6:.1f} MB "
        f"(built in {build_time:.1f} s); largest document {BIG:,} annotations"
    )
    print(f"- Temp dir: {Path(tempfile.gettempdir()).resolve()}\n")
    print("| Measurement | Median | p95 | Target | Met |")
    print("| --- | --- | --- | --- | --- |")
    rows = [
        ("Toggle (durable put), 200 documents × 1", toggles, 10, "≤ 10 ms"),
        ("  same, os.fsync stubbed out (store's own cost)", toggles_cpu, None, "—"),
        ("  disk floor: the write protocol alone on 1 KB, × 50", floor, None, "—"),
        ("Toggle (durable put), 2,000-annotation document × 50", big_toggles, None, "—"),
        ("  same, os.fsync stubbed out", big_toggles_cpu, None, "—"),
        ("Open 2,000-annotation document (fresh store), × 7", open_samples, 300, "≤ 0.3 s"),
        ("Open + re-anchor all 2,000 after an edit at the top, × 7", reanchor_samples, None, "—"),
    ]
    for name, samples, target, shown in rows:
        median = statistics.median(samples) * ms
        p95 = percentile(samples, 0.95) * ms
        met = "—" if target is None else ("yes" if median <= target else "**NO**")
        print(f"| {name} | {median:.2f} ms | {p95:.2f} ms | {shown} | {met} |")


if __name__ == "__main__":
    main()
