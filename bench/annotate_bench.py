"""Annotating in the running app, against issue 3's targets.

    python bench/annotate_bench.py [--quick]

Builds the same store as bench/store_bench.py (20,000 annotations over 200 documents, one of
them with 2,000), then drives the real app with Textual's Pilot:

1. **Key press to durable on disk**: from sending the key `c` to the moment the store's
   durable write (temp file, fsync, rename, directory fsync) returns — Textual's key
   dispatch, our handler, the session and the write. The store's `write_durably` is wrapped
   to stamp that moment. Redrawing the screen comes after and is reported separately (the
   whole `pilot.press`, which waits until the app is idle again). After each press the script
   checks the file on disk holds the change. Measured on a document with 100 annotations
   and on the one with 2,000.
2. **What 2,000 annotations add to opening a document**: time from starting the app to the
   moment its annotations are open (they open after the first frame), on the 2,000-annotation
   document, minus the same for a document of the same size with none. Medians of several
   runs; the script reports, it does not assert.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from store_bench import build, make_text  # noqa: E402  (the same store as the store bench)

from tui.app import HamishApp  # noqa: E402
from tui.core.text.document import Document  # noqa: E402
from tui.core.store.store import AnnotationStore  # noqa: E402


def labels_on_disk(file: Path, start: int) -> list[str] | None:
    data = json.loads(file.read_text(encoding="utf-8"))
    for record in data["annotations"].values():
        if record["start"] == start:
            return record["labels"]
    return None


async def key_to_disk(store_dir: Path, path: Path, presses: int) -> tuple[list[float], list[float]]:
    """Seconds per label toggle: (key sent -> durable write done, key sent -> app idle)."""
    import tui.core.store.store as store_module

    real = store_module.write_durably
    done: list[float] = []

    def stamped(target, data):
        real(target, data)
        done.append(time.perf_counter())

    store_module.write_durably = stamped
    with AnnotationStore(store_dir) as store:
        file = store.file_for(path)
        app = HamishApp(Document.open(path), store=store)
        times, idle, baseline = [], [], []
        async with app.run_test(size=(120, 40)) as pilot:
            while app.session is None:
                await pilot.pause(0.01)
            for _ in range(10):  # a key bound to nothing: what Pilot's own waiting costs
                started = time.perf_counter()
                await pilot.press("z")
                baseline.append(time.perf_counter() - started)
            for i in range(presses):
                if i % 2 == 0:  # alternate sentences, two toggles each (on, then off again)
                    await pilot.press("j")
                    await pilot.pause()
                cursor = app.reader.cursor
                before = labels_on_disk(file, cursor[0])
                done.clear()
                started = time.perf_counter()
                await pilot.press("c")
                idle.append(time.perf_counter() - started)
                if not done:
                    raise SystemExit(f"press {i}: nothing was written")
                times.append(done[0] - started)
                after = labels_on_disk(file, cursor[0])
                if after == before:
                    raise SystemExit(f"press {i}: the file did not change ({before} -> {after})")
    store_module.write_durably = real
    return times, idle, baseline


async def time_to_annotations(store_dir: Path, path: Path) -> float:
    with AnnotationStore(store_dir) as store:
        started = time.perf_counter()
        app = HamishApp(Document.open(path), store=store)
        async with app.run_test(size=(120, 40)) as pilot:
            while app.session is None:
                await pilot.pause(0.001)
            return time.perf_counter() - started


def main(argv: list[str]) -> int:
    runs = 3 if "--quick" in argv else 7
    presses = 20 if "--quick" in argv else 60
    with tempfile.TemporaryDirectory() as root:
        os.environ["HAMISH_CONFIG_DIR"] = str(Path(root) / "config")
        store_dir, docs = build(Path(root))
        big_path, big_text = docs[0]
        small_path = docs[1][0]
        plain = Path(root) / "plain.txt"  # same size as the big document, no annotations
        plain.write_text(make_text(999, big_text.count("\n")), encoding="utf-8")

        small, small_idle, noop = asyncio.run(key_to_disk(store_dir, small_path, presses))
        big, big_idle, _ = asyncio.run(key_to_disk(store_dir, big_path, presses))
        with_annotations = [asyncio.run(time_to_annotations(store_dir, big_path)) for _ in range(runs)]
        without = [asyncio.run(time_to_annotations(store_dir, plain)) for _ in range(runs)]

    def ms(values: list[float]) -> str:
        ordered = sorted(values)
        return f"{1000 * statistics.median(ordered):.1f} ms (p95 {1000 * ordered[int(0.95 * (len(ordered) - 1))]:.1f} ms)"

    added = statistics.median(with_annotations) - statistics.median(without)
    print("| measurement (in the app, 20,000 annotations over 200 documents in the store) | median | target |")
    print("| --- | --- | --- |")
    print(f"| key press to durable on disk, document with 100 annotations | {ms(small)} | ≤ 10 ms |")
    print(f"| key press to durable on disk, document with 2,000 annotations | {ms(big)} | — |")
    print(f"| key press to the app idle again (screen redrawn), 100 annotations | {ms(small_idle)} | — |")
    print(f"| key press to the app idle again (screen redrawn), 2,000 annotations | {ms(big_idle)} | — |")
    print(f"| the same for a key bound to nothing (Pilot's own waiting) | {ms(noop)} | — |")
    print(
        f"| opening a document with 2,000 annotations, added time | {1000 * added:.0f} ms "
        f"({1000 * statistics.median(with_annotations):.0f} vs {1000 * statistics.median(without):.0f} ms) | ≤ 300 ms |"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
