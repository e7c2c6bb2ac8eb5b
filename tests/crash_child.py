"""Child process for tests/test_crash.py: toggles labels until it is killed.

    python tests/crash_child.py STORE_DIR DOCUMENT SEED MAX_OPS

Opens the store, prints "READY", then performs up to MAX_OPS label toggles on the
document's lines, chosen by `plan(SEED)`. After each change is durable (put/remove has
returned) it prints "OK <step> <line> <id> <labels>" (labels comma-separated, "-" for none)
and flushes, so every line the parent reads is a promise the store must keep. A toggle that
removes an annotation's last label deletes the annotation.
"""

from __future__ import annotations

import hashlib
import random
import sys
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tui.core.store.annotation import new_annotation, toggle_label  # noqa: E402
from tui.core.store.store import AnnotationStore  # noqa: E402

LABELS = ("claim", "quote", "figure", "ادعاء")


def line_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every non-empty line: the spans being toggled."""
    spans, at = [], 0
    for line in text.split("\n"):
        if line:
            spans.append((at, at + len(line)))
        at += len(line) + 1
    return spans


def plan(seed: int, lines: int) -> Iterator[tuple[int, str]]:
    """The child's operations, (line index, label to toggle), deterministic from the seed."""
    rng = random.Random(seed)
    while True:
        yield rng.randrange(lines), rng.choice(LABELS)


def toggled(labels: tuple[str, ...], label: str) -> tuple[str, ...]:
    return tuple(x for x in labels if x != label) if label in labels else labels + (label,)


def main() -> int:
    store_dir, document_path, seed, max_ops = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    text = document_path.read_text(encoding="utf-8")
    fingerprint = hashlib.sha256(text.encode("utf-8")).hexdigest()
    spans = line_spans(text)
    store = AnnotationStore(store_dir)
    if store.read_only:
        print("READONLY", store.read_only_reason, flush=True)
        return 3
    document = store.open(document_path, fingerprint, text)
    print("READY", flush=True)
    for step, (index, label) in zip(range(max_ops), plan(seed, len(spans))):
        start, end = spans[index]
        current = document.at_span(start, end)
        if current is None:
            annotation = new_annotation(text, fingerprint, document_path, start, end, labels=(label,), annotator="crash")
            document.put(annotation)
            ident, labels = annotation.id, annotation.labels
        else:
            changed = toggle_label(current, label)
            if changed.labels:
                document.put(changed)
            else:
                document.remove(current.id)
            ident, labels = current.id, changed.labels
        sys.stdout.write(f"OK {step} {index} {ident} {','.join(labels) or '-'}\n")
        sys.stdout.flush()
    print("DONE", flush=True)
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
