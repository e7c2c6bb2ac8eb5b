"""The reader pane through Textual's Pilot: keys, clicks, resize, modes, screens."""

from __future__ import annotations

from pilot import status as status_text, wait_until
from conftest import AR_SAMPLE, SAMPLES
from tui.app import HamishApp
from tui.core.config import load_config
from tui.core.text.document import Document
from tui.core.text.sentence_index import SentenceIndex

SIZE = (100, 30)


def make_app(path=AR_SAMPLE, **kwargs) -> HamishApp:
    return HamishApp(Document.open(path), **kwargs)


def spans(path=AR_SAMPLE):
    return list(SentenceIndex(Document.open(path)).all_spans())


async def test_keys_move_the_sentence_cursor():
    all_spans = spans()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        reader = app.reader
        assert reader.cursor == all_spans[0]
        await pilot.press("j", "down", "j")
        assert reader.cursor == all_spans[3]
        await pilot.press("k", "up")
        assert reader.cursor == all_spans[1]
        await pilot.press("G")
        assert reader.cursor == all_spans[-1]
        await pilot.pause()
        assert f"sentence {len(all_spans)} of {len(all_spans)}" in status_text(app)
        await pilot.press("g")
        assert reader.cursor == all_spans[0]
        await pilot.press("end")
        assert reader.cursor == all_spans[-1]
        await pilot.press("home")
        assert reader.cursor == all_spans[0] and reader.scroll_y == 0


async def test_cursor_is_kept_in_view_and_highlighted():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        reader = app.reader
        for _ in range(15):
            await pilot.press("j")
        await pilot.pause()
        top, bottom = reader._rows_of(reader.cursor)
        assert reader.scroll_y <= top and bottom < reader.scroll_y + reader.scrollable_content_region.height
        # Every row of the sentence carries the gutter marker.
        marked = [
            y for y in range(reader.scrollable_content_region.height)
            if reader.render_line(y).text.startswith("▌")
        ]
        assert [reader.scroll_y + y for y in marked] == list(range(top, bottom + 1))


async def test_page_down_and_up_move_by_a_screen():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        reader = app.reader
        await pilot.press("pagedown")
        assert reader.scroll_y > 0
        first_page_cursor = reader.cursor
        assert first_page_cursor != spans()[0]
        await pilot.press("space")
        assert reader.cursor[0] > first_page_cursor[0]
        await pilot.press("pageup", "pageup")
        assert reader.cursor[0] < first_page_cursor[0]


async def test_click_selects_the_sentence_under_the_mouse():
    all_spans = spans()
    target = all_spans[5]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        reader = app.reader
        top, _ = reader._rows_of(target)
        paragraph = reader.doc.paragraph_at(target[0])
        first_row = reader._rows.first_row(paragraph)
        line = reader.paragraph_lines(paragraph)[top - first_row]
        cells = line.cell_offsets()
        x = next(i for i, o in enumerate(cells) if target[0] <= o < target[1]) + line.pad + reader.gutter_cells
        y = top - int(reader.scroll_y)
        await pilot.click("#reader", offset=(x, y))
        assert reader.cursor == target


async def test_resize_rewraps():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        reader = app.reader
        wide = reader.virtual_size.height
        width_before = reader.layout_options.width
        await pilot.resize_terminal(50, 30)
        await pilot.pause()
        assert reader.layout_options.width < width_before
        for y in range(20):
            reader.render_line(y)
        await pilot.pause()
        assert reader.virtual_size.height > wide
        assert all(reader.render_line(y).cell_length <= 50 for y in range(25))
        lines = reader.paragraph_lines(2)
        assert all(line.width <= reader.layout_options.width for line in lines)


async def test_bidi_mode_toggles_and_is_remembered():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("b")
        assert app.reader.options.bidi == "terminal"
        assert "bidi: terminal" in status_text(app)
        doc = app.reader.doc
        first = app.reader.render_line(0).text[app.reader.gutter_cells :]
        assert first.rstrip() == doc.paragraph_text(0)  # logical and unshaped
    assert load_config().bidi == "terminal"
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        assert app.reader.options.bidi == "terminal"
        await pilot.press("b")
    assert load_config().bidi == "app"


async def test_command_line_overrides_config():
    app = make_app(bidi="terminal", direction="ltr", harakat=False)
    async with app.run_test(size=SIZE):
        options = app.reader.options
        assert (options.bidi, options.direction, options.harakat) == ("terminal", "ltr", False)
    assert load_config().bidi == "app"  # an override is not saved


async def test_question_mark_opens_and_escape_closes_the_keys_screen():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ != "HelpScreen"


async def test_help_table_content():
    from tui.screens.help import bindings_table
    from rich.console import Console

    app = make_app()
    async with app.run_test(size=SIZE):
        groups = app.key_groups()
    console = Console(width=100, record=True)
    console.print(bindings_table(groups))
    out = console.export_text()
    for key, what in [
        ("j", "Next"), ("k", "Previous"), ("space", "Page down"), ("G", "Last"), ("ctrl+q", "Quit"),
        ("b", "Bidi mode"), ("c", "Claim"), ("q", "Quote"), ("f", "Figure"), ("m", "Note"), ("u", "Undo"),
        ("a", "Annotations"), ("/", "Find"), ("]", "Next tagged"), ("}", "Next untagged"),
    ]:
        assert key in out and what in out


async def test_library_opens_another_sample():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("l")
        await pilot.pause()
        assert type(app.screen).__name__ == "LibraryScreen"
        names = sorted(p.name for p in SAMPLES.glob("*.md")) + sorted(p.name for p in SAMPLES.glob("*.txt"))
        assert len(names) >= 3
        target = sorted(p for p in SAMPLES.iterdir() if p.suffix in (".md", ".txt"))
        index = [p.name for p in target].index("en-news-harbour.md")
        for _ in range(index):
            await pilot.press("down")
        await pilot.press("enter")
        await pilot.pause()
        assert app.reader.doc.path.name == "en-news-harbour.md"
        assert "en-news-harbour.md" in status_text(app)


async def test_ctrl_q_quits_and_q_does_not():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("q")
        assert app.is_running
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert not app.is_running


async def test_reordering_terminal_warning_is_said_once():
    app = make_app(environ={"KONSOLE_VERSION": "230804"})
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert any("Konsole" in n.message for n in app._notifications)
    assert "konsole" in load_config().warned_terminals
    app = make_app(environ={"KONSOLE_VERSION": "230804"})
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert not any("Konsole" in n.message for n in app._notifications)


async def test_large_document_counts_in_the_background(tmp_path):
    path = tmp_path / "big.txt"
    paragraph = "قال المسؤول إن المشروع سيكتمل العام المقبل. وأضاف أن الكلفة 3.5 مليون دولار.\n\n"
    path.write_text(paragraph * 30_000, encoding="utf-8")  # ~2.4 M characters: not counted eagerly
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        assert app.reader.index.total is None or app.reader.index.total == 60_000
        await wait_until(pilot, lambda: app.reader.index.total is not None)
        await pilot.pause()
        assert app.reader.index.total == 60_000
        assert "sentence 1 of 60000" in status_text(app)


async def test_large_file_finishes_loading_after_the_first_frame(tmp_path, monkeypatch):
    from tui.core.text import loading

    monkeypatch.setattr(loading, "PROGRESSIVE_BYTES", 4096)
    monkeypatch.setattr(loading, "HEAD_BYTES", 1000)
    path = tmp_path / "big.txt"
    path.write_text("جملة أولى هنا. وجملة ثانية.\n\n" * 500, encoding="utf-8")
    doc = Document.open_progressively(path)
    assert not doc.complete
    app = HamishApp(doc)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.reader.index.total is not None)
        assert doc.complete and app.reader.index.total == 1000
        await pilot.press("G")
        assert app.reader.cursor[1] == len(doc.text.rstrip("\n"))


async def test_bad_byte_after_the_first_frame_ends_the_app_with_the_reason(tmp_path, monkeypatch):
    from tui.core.text import loading

    monkeypatch.setattr(loading, "PROGRESSIVE_BYTES", 4096)
    monkeypatch.setattr(loading, "HEAD_BYTES", 1000)
    path = tmp_path / "big.txt"
    path.write_bytes(("جملة أولى هنا.\n" * 500).encode() + b"\xff")
    app = HamishApp(Document.open_progressively(path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
    assert app.return_code == 2
    assert "not valid UTF-8" in app.fatal_error and str(path) in app.fatal_error
