"""Annotating through the app, as an annotator would: Pilot tests of tagging, notes, undo,
the annotations pane, navigation, find, persistence, read-only and corrupt stores,
re-anchoring and keymaps."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from pilot import ready, status, store_dir
from conftest import AR_SAMPLE
from tui.app import HamishApp
from tui.core.text.document import Document
from tui.core.text.sentence_index import SentenceIndex
from tui.core.store.store import AnnotationStore
from tui.widgets.annotations_pane import AnnotationsPane

SIZE = (110, 32)


@pytest.fixture
def article(tmp_path) -> Path:
    """A private copy of the Arabic sample, so tests may edit it."""
    path = tmp_path / "article.txt"
    path.write_text(AR_SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    return path


def spans(path: Path) -> list[tuple[int, int]]:
    return list(SentenceIndex(Document.open(path)).all_spans())


def labels_at(app: HamishApp, span) -> tuple[str, ...]:
    annotation = app.session.at(span)
    return annotation.labels if annotation else ()


def on_disk(store_dir: Path) -> list[dict]:
    """Every annotation record in the store directory, read straight from the JSON files."""
    records = []
    for file in store_dir.glob("*.json"):
        data = json.loads(file.read_text(encoding="utf-8"))
        records.extend(data.get("annotations", {}).values())
    return records


# -- tagging -----------------------------------------------------------------------------------


async def test_tag_untag_and_several_labels(article):
    all_spans = spans(article)
    app = HamishApp(Document.open(article))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, app)
        await pilot.press("j")
        second = all_spans[1]
        await pilot.press("c")
        assert labels_at(app, second) == ("claim",)
        await pilot.press("f", "q")
        assert set(labels_at(app, second)) == {"claim", "figure", "quote"}
        await pilot.press("c")
        assert set(labels_at(app, second)) == {"figure", "quote"}
        await pilot.press("1", "2")  # digits select labels by position
        assert set(labels_at(app, second)) == {"figure", "claim"}
        await pilot.press("x")
        assert app.session.at(second) is None
        await pilot.press("3")
        assert labels_at(app, second) == ("figure",)
        # The gutter shows the marker letter, the status the tagged count.
        rows = [app.reader.render_line(y).text for y in range(10)]
        assert any(row[1:4].strip() == "F" for row in rows)
        assert "tagged 1/" in status(app)
    records = on_disk(store_dir())
    assert len(records) == 1 and records[0]["labels"] == ["figure"]
    assert records[0]["exact"] == Document.open(article).text[second[0] : second[1]]


async def test_every_change_is_on_disk_before_the_next_key(article):
    app = HamishApp(Document.open(article))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, app)
        await pilot.press("c")
        assert [r["labels"] for r in on_disk(store_dir())] == [["claim"]]
        await pilot.press("q")
        assert [sorted(r["labels"]) for r in on_disk(store_dir())] == [["claim", "quote"]]


async def test_arabic_note_is_saved_and_shown_shaped(article):
    from tui.core.layout.display import display_line

    app = HamishApp(Document.open(article))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, app)
        await pilot.press("m")
        await pilot.pause()
        assert type(app.screen).__name__ == "NoteScreen"
        await pilot.press(*"تحقق من المصدر")
        await pilot.press("enter")
        await pilot.pause()
        note = app.session.at(app.reader.cursor).note
        assert note == "تحقق من المصدر"
        line = str(app.query_one("#note-line").render())
        assert display_line(note) in line  # visual order, presentation forms
        await pilot.press("m", "escape")  # Esc cancels: nothing changes
        assert app.session.at(app.reader.cursor).note == note
    assert [r["note"] for r in on_disk(store_dir())] == ["تحقق من المصدر"]


async def test_undo_and_redo_are_persisted(article):
    all_spans = spans(article)
    app = HamishApp(Document.open(article))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, app)
        await pilot.press("c", "q")
        await pilot.press("u")
        assert labels_at(app, all_spans[0]) == ("claim",)
        assert [r["labels"] for r in on_disk(store_dir())] == [["claim"]]
        await pilot.press("ctrl+z")
        assert app.session.at(all_spans[0]) is None
        assert on_disk(store_dir()) == []
        await pilot.press("ctrl+r")
        assert labels_at(app, all_spans[0]) == ("claim",)
        await pilot.press("ctrl+y")
        assert set(labels_at(app, all_spans[0])) == {"claim", "quote"}
        # Undo moves the cursor to what it changed.
        await pilot.press("G", "u")
        assert app.reader.cursor == all_spans[0]


# -- the pane and moving through the work -------------------------------------------------------------


async def test_pane_lists_counts_filters_and_jumps(article):
    all_spans = spans(article)
    app = HamishApp(Document.open(article))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, app)
        await pilot.press("j", "c", "j", "j", "j", "q", "f")
        await pilot.press("a")
        await pilot.pause()
        pane = app.query_one(AnnotationsPane)
        assert pane.display and pane.count() == 2
        counts = str(app.query_one("#pane-counts").render())
        assert "claim 1" in counts and "quote 1" in counts and "figure 1" in counts
        await pilot.press("q")  # inside the pane a label key filters
        assert pane.count() == 1
        await pilot.press("0")
        assert pane.count() == 2
        await pilot.press("home", "enter")
        assert app.reader.cursor == all_spans[1]
        await pilot.press("a")
        assert not pane.display


async def test_next_and_previous_tagged_and_untagged(article):
    all_spans = spans(article)
    app = HamishApp(Document.open(article))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, app)
        await pilot.press("c", "j", "c", "j", "j", "j", "c")  # sentences 0, 1, 4 tagged
        await pilot.press("g")
        await pilot.press("right_curly_bracket")
        assert app.reader.cursor == all_spans[2]
        await pilot.press("right_curly_bracket", "right_curly_bracket")
        assert app.reader.cursor == all_spans[5]
        await pilot.press("left_square_bracket")
        assert app.reader.cursor == all_spans[4]
        await pilot.press("left_square_bracket", "left_square_bracket")
        assert app.reader.cursor == all_spans[0]
        await pilot.press("right_square_bracket")
        assert app.reader.cursor == all_spans[1]
        await pilot.press("left_curly_bracket")  # no untagged sentence before: stays
        assert app.reader.cursor == all_spans[1]
        assert "tagged 3/" in status(app) and "%" in status(app)


async def test_find_is_arabic_aware_and_highlights(article):
    text = Document.open(article).text
    app = HamishApp(Document.open(article))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, app)
        await pilot.press("slash")
        await pilot.pause()
        # "اليونيسيف" is not in the text, but "UNICEF" is; search for an Arabic word written
        # without harakat and with a plain alef: "الاسبوع" matches "الأسبوع".
        await pilot.press(*"الاسبوع")
        await pilot.press("enter")
        await pilot.pause()
        cursor = app.reader.cursor
        assert "الأسبوع" in text[cursor[0] : cursor[1]]
        found = app._match
        paragraph = app.reader.doc.paragraph_at(found[0])
        lines = app.reader.paragraph_lines(paragraph)
        line = next(line for line in lines if line.start <= found[0] < line.end)
        assert (found[0], found[1], "reader--match") in app.reader.row_marks(line)
        assert text[found[0] : found[1]] == "الأسبوع"
        # A word that occurs several times: n and N walk its matches.
        await pilot.press("slash", "ctrl+u", *"المياه", "enter")
        await pilot.pause()
        first = app._match
        await pilot.press("n")
        second = app._match
        assert second[0] > first[0] and text[second[0] : second[1]] == "المياه"
        await pilot.press("N")
        assert app._match == first


# -- persistence ------------------------------------------------------------------------------------------


async def test_annotations_and_position_survive_a_new_instance(article):
    all_spans = spans(article)
    app = HamishApp(Document.open(article))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, app)
        await pilot.press("j", "q")
        for _ in range(6):
            await pilot.press("j")
    again = HamishApp(Document.open(article))
    async with again.run_test(size=SIZE) as pilot:
        await ready(pilot, again)
        await pilot.pause()
        assert again.session.at(all_spans[1]).labels == ("quote",)
        assert again.reader.cursor == all_spans[7]


async def test_second_instance_is_read_only_and_says_so(article):
    holder = AnnotationStore(store_dir())  # another Hamish holds the store
    try:
        app = HamishApp(Document.open(article))
        async with app.run_test(size=SIZE) as pilot:
            await ready(pilot, app)
            await pilot.pause()
            assert app.session.read_only
            assert "READ-ONLY" in status(app)
            await pilot.press("c")
            assert app.session.at(app.reader.cursor) is None
            assert any("read-only" in n.message.lower() for n in app._notifications)
    finally:
        holder.close()


async def test_corrupt_store_is_left_untouched_then_moved_aside(article):
    store = AnnotationStore(store_dir())
    bad = store.file_for(article)
    store.close()
    bad.parent.mkdir(parents=True, exist_ok=True)
    bad.write_bytes(b'{"_meta": {"1": {"schema": 1, "path": "x"')  # truncated
    before = bad.read_bytes()
    app = HamishApp(Document.open(article))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.2)
        assert type(app.screen).__name__ == "CorruptStoreScreen"
        await pilot.press("r")
        await pilot.pause()
        assert app.session is None and "NO ANNOTATIONS" in status(app)
        await pilot.press("c")  # refused, with a message
    assert bad.read_bytes() == before
    app = HamishApp(Document.open(article))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.2)
        await pilot.press("m")
        await ready(pilot, app)
        await pilot.press("c")
    aside = list(bad.parent.glob(bad.name + ".corrupt-*"))
    assert len(aside) == 1 and aside[0].read_bytes() == before
    assert [r["labels"] for r in on_disk(store_dir())] == [["claim"]]


async def test_reanchoring_after_the_file_was_edited_keeps_orphans(article):
    text = article.read_text(encoding="utf-8")
    all_spans = spans(article)
    kept, doomed = all_spans[3], all_spans[5]
    kept_text, doomed_text = text[kept[0] : kept[1]], text[doomed[0] : doomed[1]]
    app = HamishApp(Document.open(article))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, app)
        app.reader.move_cursor(kept)
        await pilot.press("c")
        app.reader.move_cursor(doomed)
        await pilot.press("q")
    # The newsroom edits the file: a new first paragraph, and one sentence deleted.
    article.write_text("سطر جديد في أول المقال.\n\n" + text.replace(doomed_text, ""), encoding="utf-8")
    edited = Document.open(article)
    app = HamishApp(edited)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, app)
        annotations = app.session.annotations()
        assert len(annotations) == 2
        moved = next(a for a in annotations if a.labels == ("claim",))
        assert edited.text[moved.start : moved.end] == kept_text and not moved.orphaned
        orphan = next(a for a in annotations if a.labels == ("quote",))
        assert orphan.orphaned and orphan.exact == doomed_text
        await pilot.press("a")
        await pilot.pause()
        assert app.query_one(AnnotationsPane).count() == 2
        assert "orphaned 1" in str(app.query_one("#pane-counts").render())
        assert any("re-anchored" in (n.title or "").lower() for n in app._notifications)


# -- faults ---------------------------------------------------------------------------------------------


async def test_a_failed_write_is_reported_kept_and_retried(article, monkeypatch):
    import tui.core.store.store as store_module

    real = store_module.write_durably
    failing = {"on": True}

    def flaky(path, data):
        if failing["on"]:
            raise OSError(28, "No space left on device")
        return real(path, data)

    monkeypatch.setattr(store_module, "write_durably", flaky)
    monkeypatch.setattr("tui.app.RETRY_SECONDS", 0.05)
    app = HamishApp(Document.open(article))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, app)
        failing["on"] = True
        await pilot.press("c")
        await pilot.pause()
        assert labels_at(app, app.reader.cursor) == ("claim",)  # kept in memory
        assert "UNSAVED" in status(app)
        assert any("not saved" in n.message.lower() or "No space" in n.message for n in app._notifications)
        assert on_disk(store_dir()) == []
        failing["on"] = False
        for _ in range(50):
            await pilot.pause(0.05)
            if on_disk(store_dir()):
                break
        assert [r["labels"] for r in on_disk(store_dir())] == [["claim"]]
        await pilot.pause(0.1)
        assert "UNSAVED" not in status(app)


# -- configuration ----------------------------------------------------------------------------------------


async def test_keys_can_be_rebound_and_help_shows_them(article, isolated_config):
    (isolated_config / "config.toml").write_text('[keys]\n"app.toggle_pane" = "A"\n', encoding="utf-8")
    app = HamishApp(Document.open(article))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, app)
        pane = app.query_one(AnnotationsPane)
        await pilot.press("a")
        assert not pane.display
        await pilot.press("A")
        assert pane.display
        groups = dict(app.key_groups())
        assert any(b.key == "A" and b.id == "app.toggle_pane" for b in groups["Annotating"])


async def test_custom_labels_and_a_removed_label_keeps_its_annotations(article, isolated_config):
    config = isolated_config / "config.toml"
    config.write_text(
        '[[labels]]\nname = "claim"\nkey = "c"\ncolour = "#aa5500"\n'
        '[[labels]]\nname = "opinion"\nkey = "o"\ncolour = "#5500aa"\n',
        encoding="utf-8",
    )
    app = HamishApp(Document.open(article))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, app)
        await pilot.press("o")
        assert labels_at(app, app.reader.cursor) == ("opinion",)
        assert any(row.text[1:4].strip() == "O" for row in [app.reader.render_line(y) for y in range(4)])
    config.write_text(
        '[[labels]]\nname = "claim"\nkey = "c"\ncolour = "#aa5500"\n', encoding="utf-8"
    )
    app = HamishApp(Document.open(article))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, app)
        assert labels_at(app, app.reader.cursor) == ("opinion",)  # still there
        assert any(row.text[1:4].strip() == "·" for row in [app.reader.render_line(y) for y in range(4)])
        await pilot.press("o")  # no longer a label key: nothing happens
        assert labels_at(app, app.reader.cursor) == ("opinion",)


async def test_a_store_from_a_newer_hamish_is_refused_and_left_alone(article):
    store = AnnotationStore(store_dir())
    file = store.file_for(article)
    store.close()
    file.write_text(json.dumps({"_meta": {"1": {"schema": 99, "path": str(article)}}, "annotations": {}}), encoding="utf-8")
    before = file.read_bytes()
    app = HamishApp(Document.open(article))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.2)
        assert app.session is None
        assert any("newer" in n.message for n in app._notifications)
        await pilot.press("c")
    assert file.read_bytes() == before


async def test_labels_show_in_terminal_bidi_mode_too(article):
    app = HamishApp(Document.open(article), bidi="terminal")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, app)
        await pilot.press("q", "j")  # tag the first sentence, then leave it
        await pilot.pause()
        row = app.reader.render_line(0)
        assert row.text[1:4].strip() == "Q"
        base = app.reader.rich_style.bgcolor
        text_segments = [seg for seg in row if seg.text.strip() and seg.text not in row.text[:6]]
        assert text_segments and all(seg.style.bgcolor not in (None, base) for seg in text_segments)


async def test_markup_in_a_query_is_shown_literally_and_runs_nothing(article):
    app = HamishApp(Document.open(article))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, app)
        await pilot.press("slash", *"[@click=app.quit]x[/]", "enter")
        await pilot.pause()
        assert app.is_running
        shown = [n for n in app._notifications if "[@click=app.quit]x[/]" in n.message]
        assert shown and not any(n.markup for n in app._notifications)


async def test_a_file_that_changes_or_disappears_is_reported_and_reload_reanchors(article, monkeypatch):
    monkeypatch.setattr("tui.app.WATCH_SECONDS", 0.05)
    text = article.read_text(encoding="utf-8")
    app = HamishApp(Document.open(article))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, app)
        await pilot.press("j", "c")
        tagged = app.doc.text[app.reader.cursor[0] : app.reader.cursor[1]]
        article.write_text("سطر أضيف في الأعلى.\n\n" + text, encoding="utf-8")
        os.utime(article, ns=(1, 1))  # a different mtime even on coarse clocks
        await pilot.pause(0.3)
        assert any("changed on disk" in n.message for n in app._notifications)
        await pilot.press("R")
        await ready(pilot, app)
        await pilot.pause()
        annotation = app.session.annotations()[0]
        assert app.doc.text[annotation.start : annotation.end] == tagged and not annotation.orphaned
        article.unlink()
        await pilot.pause(0.3)
        assert any("moved or deleted" in n.message for n in app._notifications)
        assert app.is_running and app.session.at((annotation.start, annotation.end)) is not None


async def test_bidi_controls_are_counted_and_revealed(tmp_path):
    path = tmp_path / "trojan.txt"
    path.write_text("فقرة عادية.\n\nabc \u202eتجربة\u202c def.\n", encoding="utf-8")
    app = HamishApp(Document.open(path))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, app)
        assert "2 bidi controls" in status(app)
        rows = "".join(app.reader.render_line(y).text for y in range(4))
        assert "‹RLO›" not in rows
        await pilot.press("v")
        await pilot.pause()
        rows = "".join(app.reader.render_line(y).text for y in range(4))
        assert "‹RLO›" in rows and "‹PDF›" in rows
