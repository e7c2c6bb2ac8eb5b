"""SVG snapshots of real screens (pytest-textual-snapshot). The Arabic screen doubles as the
README screenshot: tests/__snapshots__/ holds the reviewed SVG; `pytest --snapshot-update`
rewrites it after a deliberate change."""

from __future__ import annotations

from conftest import AR_SAMPLE, SAMPLES
from tui.app import HamishApp
from tui.core.text.document import Document


def test_arabic_reader_screen(snap_compare):
    app = HamishApp(Document.open(AR_SAMPLE), bidi="app")
    assert snap_compare(app, terminal_size=(100, 32), press=["j", "j", "j"])


def test_mixed_reader_screen(snap_compare):
    app = HamishApp(Document.open(SAMPLES / "mixed-interview.txt"), bidi="app")
    assert snap_compare(app, terminal_size=(100, 32), press=["j", "j"])
