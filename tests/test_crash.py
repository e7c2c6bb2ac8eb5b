"""Kill -9 in the middle of label toggling loses nothing that was confirmed.

A child process (tests/crash_child.py) toggles labels on the lines of a document as fast as
it can, printing one line after each change has been written. The parent kills it with
SIGKILL at a random moment, then opens the store afresh: it must open without error, and
every line's labels must be exactly what the child last confirmed, except that the one
operation the child may have finished without confirming (its next planned one, which the
parent can compute from the seed) may also have landed. Twenty runs, each continuing from
the store the previous one left.
"""

from __future__ import annotations

import hashlib
import importlib.util
import random
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tui.core.store.store import AnnotationStore

HERE = Path(__file__).resolve().parent
CHILD = HERE / "crash_child.py"
RUNS = 20
MAX_OPS = 1000


def load_child():
    spec = importlib.util.spec_from_file_location("crash_child", CHILD)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


child = load_child()


def read_lines(stream, into: list[str], ready: threading.Event) -> None:
    for line in stream:
        into.append(line)
        if line.startswith(("READY", "READONLY")):
            ready.set()
    ready.set()


def stored_state(store_dir: Path, doc: Path, text: str, spans) -> dict[int, tuple[tuple[str, ...], str | None]]:
    """Line index -> (labels, id) as a fresh store sees it; checks nothing else is stored."""
    fingerprint = hashlib.sha256(text.encode("utf-8")).hexdigest()
    with AnnotationStore(store_dir) as store:
        assert not store.read_only, store.read_only_reason
        document = store.open(doc, fingerprint, text)
        assert document.reanchor is None
        state = {}
        for index, (start, end) in enumerate(spans):
            annotation = document.at_span(start, end)
            state[index] = (annotation.labels, annotation.id) if annotation else ((), None)
        assert len(document.annotations()) == sum(1 for labels, _ in state.values() if labels)
        assert all(a.labels for a in document.annotations())
    assert not [p.name for p in store_dir.iterdir() if p.name.endswith(".tmp")]  # crash leftovers cleaned
    return state


@pytest.mark.slow
def test_sigkill_during_label_toggles_loses_nothing_confirmed(tmp_path: Path):
    text = "".join(f"السطر {i}: قال المتحدث إن الرقم {i * 17} صحيح تماماً.\n" for i in range(50))
    doc = tmp_path / "article.txt"
    doc.write_text(text, encoding="utf-8")
    spans = child.line_spans(text)
    assert len(spans) == 50
    store_dir = tmp_path / "store"
    rng = random.Random(20261124)
    state = {index: ((), None) for index in range(len(spans))}
    confirmed_total = unconfirmed_landed = 0

    for run in range(RUNS):
        seed = 5000 + run
        process = subprocess.Popen(
            [sys.executable, str(CHILD), str(store_dir), str(doc), str(seed), str(MAX_OPS)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        lines: list[str] = []
        ready = threading.Event()
        reader = threading.Thread(target=read_lines, args=(process.stdout, lines, ready), daemon=True)
        reader.start()
        assert ready.wait(60), "child never became ready"
        assert lines and lines[0].startswith("READY"), "".join(lines) + process.stderr.read()
        threading.Event().wait(rng.uniform(0.05, 0.6))
        process.send_signal(signal.SIGKILL)
        process.wait(30)
        reader.join(30)
        stderr = process.stderr.read()
        process.stderr.close()
        finished = any(line.startswith("DONE") for line in lines)
        assert finished or process.returncode == -signal.SIGKILL, stderr

        # Replay the plan against what the child confirmed (complete lines only).
        expected = dict(state)
        steps = child.plan(seed, len(spans))
        confirmed = [line.split() for line in lines if line.startswith("OK ") and line.endswith("\n")]
        for step, (index, label) in zip(range(len(confirmed)), steps):
            _, got_step, got_index, got_id, got_labels = confirmed[step]
            assert (int(got_step), int(got_index)) == (step, index)
            labels = () if got_labels == "-" else tuple(got_labels.split(","))
            assert set(labels) == set(child.toggled(expected[index][0], label)), (run, step)
            previous_id = expected[index][1]
            if previous_id is not None:
                assert got_id == previous_id
            expected[index] = (labels, got_id if labels else None)
        next_op = None if finished else next(steps)
        confirmed_total += len(confirmed)

        actual = stored_state(store_dir, doc, text, spans)
        for index in range(len(spans)):
            labels, ident = actual[index]
            want_labels, want_id = expected[index]
            if (set(labels), ident) == (set(want_labels), want_id):
                continue
            # Only the unconfirmed next operation may have landed, and only on its own line.
            assert next_op is not None and next_op[0] == index, (run, index, actual[index], expected[index])
            assert set(labels) == set(child.toggled(want_labels, next_op[1])), (run, index)
            if want_id is not None and labels:
                assert ident == want_id
            unconfirmed_landed += 1
        state = actual

    assert confirmed_total > 0  # the kills did land in the middle of real work
    print(f"{RUNS} kills, {confirmed_total} confirmed toggles, {unconfirmed_landed} unconfirmed ones landed")
