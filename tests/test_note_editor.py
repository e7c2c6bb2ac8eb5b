"""The note editor and the note screen through Textual's Pilot: Arabic is shaped and ordered
while it is typed, the cursor moves the way the text reads, and the screen returns the note.

`Pilot.press` sends a key's character only when Textual can rebuild it from the key's name,
which fails for harakat and for "/" (the key is "arabic_fatha", the character None). A real
terminal sends the character with the key, so `type_chars` posts Key events the way
Textual's input parser does: a key name and the character.
"""

from __future__ import annotations

import unicodedata

import pytest
from rich.cells import cell_len
from textual import events
from textual.app import App, ComposeResult

from conftest import AR_SAMPLE
from tui.core.layout.display import display_line
from tui.screens.note import HINT, NoteScreen
from tui.widgets.note_editor import NoteEditor, ParagraphView, clean_text

SIZE = (60, 20)
FATHA, KASRA, SUKUN = "\u064e", "\u0650", "\u0652"


@pytest.fixture(autouse=True)
def config_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("HAMISH_CONFIG_DIR", str(tmp_path / "config"))


class NoteApp(App[None]):
    """Pushes a NoteScreen and records what it was dismissed with."""

    def __init__(self, sentence: str = "هذه جملة عن تحلية المياه.", note: str = "", bidi: str = "app") -> None:
        super().__init__()
        self._args = (sentence, note, bidi)
        self.results: list[str | None] = []

    def on_mount(self) -> None:
        sentence, note, bidi = self._args
        self.push_screen(NoteScreen(sentence, note, bidi=bidi), self.results.append)

    @property
    def editor(self) -> NoteEditor:
        return self.screen.query_one(NoteEditor)


class EditorApp(App[None]):
    """A bare NoteEditor, to look at its rows and cursor closely."""

    CSS = "NoteEditor { width: 30; }"

    def __init__(self, text: str = "", **kwargs) -> None:
        super().__init__()
        self.editor = NoteEditor(text, id="ed", **kwargs)
        self.changes: list[str] = []

    def compose(self) -> ComposeResult:
        yield self.editor

    def on_mount(self) -> None:
        self.editor.focus()

    def on_note_editor_changed(self, message: NoteEditor.Changed) -> None:
        self.changes.append(message.text)


def key_name(char: str) -> str:
    if char.isalnum():
        return char
    return unicodedata.name(char, "unknown").lower().replace(" ", "_").replace("-", "_")


async def type_chars(pilot, text: str) -> None:
    for char in text:
        pilot.app.post_message(events.Key(key_name(char), char))
        await pilot.pause()


def row(editor: ParagraphView, index: int = 0) -> str:
    return editor.render_row(index).text


def reversed_cells(editor: NoteEditor) -> list[tuple[int, str]]:
    """(row, text) of every segment drawn in reverse video."""
    out = []
    for index in range(len(editor.lines())):
        for segment in editor.render_row(index):
            if segment.style and segment.style.reverse:
                out.append((index, segment.text))
    return out


def reversed_columns(editor: NoteEditor, index: int = 0) -> list[int]:
    """Columns of the reverse-video cells of a row."""
    out, x = [], 0
    for segment in editor.render_row(index):
        if segment.style and segment.style.reverse:
            out.extend(range(x, x + segment.cell_length))
        x += segment.cell_length
    return out


# -- typing and drawing -----------------------------------------------------------------------


async def test_typing_arabic_shows_shaped_visual_text():
    app = NoteApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"ملاحظة")
        editor = app.editor
        assert editor.text == "ملاحظة"
        assert editor.cursor == 6
        visual = display_line("ملاحظة")
        assert visual != "ملاحظة" and "ﻼ" in visual  # shaped, with the lam-alef ligature
        assert visual in row(editor)
        assert "ملاحظة" not in row(editor)
        # Right-aligned; the end-of-text cursor is the cell just left of the text.
        assert row(editor).rstrip() == row(editor)
        strip = editor.render_row(0)
        segments = [s for s in strip if s.text]
        cursor_index = next(i for i, s in enumerate(segments) if s.style.reverse)
        assert segments[cursor_index].text == " "
        assert "".join(s.text for s in segments[cursor_index + 1 :]) == visual
        assert strip.cell_length == editor.size.width


async def test_typing_harakat_and_backspace_removes_one_code_point():
    app = NoteApp()
    async with app.run_test(size=SIZE) as pilot:
        word = f"ك{FATHA}ت{FATHA}ب{FATHA}"
        await type_chars(pilot, word)
        editor = app.editor
        assert editor.text == word
        assert display_line(word) in row(editor)
        await pilot.press("backspace")
        assert editor.text == word[:-1]  # only the last fatha went
        assert editor.cursor == 5
        await type_chars(pilot, KASRA)
        assert editor.text == f"ك{FATHA}ت{FATHA}ب{KASRA}"
        await pilot.press("backspace", "backspace")
        assert editor.text == f"ك{FATHA}ت{FATHA}"


async def test_arabic_digits_and_punctuation_are_typed():
    app = NoteApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"عام")
        await type_chars(pilot, " ٢٠٢٥، لماذا؟")
        assert app.editor.text == "عام ٢٠٢٥، لماذا؟"
        assert display_line(app.editor.text) in row(app.editor)


async def test_terminal_mode_draws_logical_text():
    app = NoteApp(bidi="terminal")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"ملاحظة")
        editor = app.editor
        assert row(editor).startswith("ملاحظة")  # logical, unshaped, left to the terminal
        sentence = app.screen.query_one("#note-sentence", ParagraphView)
        assert row(sentence).startswith("هذه جملة")


async def test_sentence_is_shown_shaped_and_dimmed():
    app = NoteApp(sentence="هذه جملة عن تحلية المياه.")
    async with app.run_test(size=SIZE):
        sentence = app.screen.query_one("#note-sentence", ParagraphView)
        assert display_line("هذه جملة عن تحلية المياه.") in row(sentence)
        assert sentence.styles.text_style.dim
        assert not sentence.focusable
        assert app.focused is app.editor
        texts = [str(s.render()) for s in app.screen.query("Static")]
        assert "Note" in texts and HINT in texts


# -- cursor -----------------------------------------------------------------------------------


async def test_left_and_right_move_visually_in_rtl():
    app = NoteApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"ملاحظة")
        editor = app.editor
        assert editor.cursor == 6
        await pilot.press("left")  # already at the reading end (the left edge of the text)
        assert editor.cursor == 6
        await pilot.press("right")
        assert editor.cursor == 5
        await pilot.press("right", "right")
        assert editor.cursor == 3
        await pilot.press("left")
        assert editor.cursor == 4
        await pilot.press("home")
        assert editor.cursor == 0
        await pilot.press("right")
        assert editor.cursor == 0
        await pilot.press("left")
        assert editor.cursor == 1
        await pilot.press("end")
        assert editor.cursor == 6


async def test_cursor_skips_harakat():
    app = NoteApp()
    async with app.run_test(size=SIZE) as pilot:
        await type_chars(pilot, f"ك{FATHA}ت{FATHA}ب{SUKUN}")
        editor = app.editor
        seen = [editor.cursor]
        for _ in range(4):
            await pilot.press("right")
            seen.append(editor.cursor)
        assert seen == [6, 4, 2, 0, 0]
        for _ in range(4):
            await pilot.press("left")
            seen.append(editor.cursor)
        assert seen[5:] == [2, 4, 6, 6]


async def test_left_and_right_in_ltr():
    app = EditorApp(rtl_hint=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"hello")
        editor = app.editor
        await pilot.press("left", "left")
        assert editor.cursor == 3
        await pilot.press("right")
        assert editor.cursor == 4
        # The cursor is the reversed cell of the character at the cursor: "o".
        assert reversed_cells(editor) == [(0, "o")]
        assert row(editor).startswith("hello")


async def test_cursor_is_drawn_on_the_character_at_the_cursor():
    app = EditorApp("سلام")
    async with app.run_test(size=SIZE) as pilot:
        editor = app.editor
        await pilot.press("home")
        # س is drawn at the right end of the shaped word, in reverse video.
        assert reversed_cells(editor) == [(0, display_line("سلام")[-1])]
        await pilot.press("end")
        assert reversed_cells(editor) == [(0, " ")]


async def test_empty_editor_cursor_sits_on_the_start_side():
    app = EditorApp(rtl_hint=True)
    async with app.run_test(size=SIZE):
        assert reversed_columns(app.editor) == [app.editor.size.width - 1]  # the right edge
    app = EditorApp(rtl_hint=False)
    async with app.run_test(size=SIZE):
        assert reversed_columns(app.editor) == [0]  # the left edge


async def test_no_cursor_without_focus():
    class TwoEditors(App[None]):
        def compose(self) -> ComposeResult:
            yield NoteEditor("أ", id="a")
            yield NoteEditor("ب", id="b")

    app = TwoEditors()
    async with app.run_test(size=SIZE) as pilot:
        app.query_one("#b", NoteEditor).focus()
        await pilot.pause()
        assert not reversed_cells(app.query_one("#a", NoteEditor))
        assert reversed_cells(app.query_one("#b", NoteEditor)) == [(0, " ")]


async def test_invisible_characters_pass_the_cursor_on():
    app = EditorApp("كتب\u200cها")  # ZWNJ takes no cell
    async with app.run_test(size=SIZE) as pilot:
        editor = app.editor
        await pilot.press("home", "left", "left", "left")
        assert editor.cursor == 3  # on the ZWNJ
        assert reversed_cells(editor) == [(0, display_line("كتب\u200cها")[1])]  # shown on ه


async def test_cursor_on_a_space_hanging_at_a_wrap_is_drawn_at_the_row_end():
    app = EditorApp("كلمة " * 8)  # wraps at 29 cells (the editor is 30 wide)
    async with app.run_test(size=SIZE) as pilot:
        editor = app.editor
        lines = editor.lines()
        assert len(lines) == 2
        hanging = lines[0].end - 1
        assert editor.text[hanging] == " "
        await pilot.press("home", *["left"] * hanging)
        assert editor.cursor == hanging
        assert reversed_cells(editor) == [(0, " ")]
        assert reversed_columns(editor) == [editor.size.width - lines[0].width - 1]


async def test_mixed_text_edited_in_the_middle():
    app = NoteApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"مرحبا")
        await type_chars(pilot, " ٢٥")
        editor = app.editor
        assert editor.text == "مرحبا ٢٥"
        await pilot.press("home", *["left"] * 6)  # right to left: "left" goes on in the text
        assert editor.cursor == 6
        await type_chars(pilot, "NATO ")
        assert editor.text == "مرحبا NATO ٢٥"
        assert editor.cursor == 11
        assert display_line("مرحبا NATO ٢٥") in row(editor)
        assert reversed_cells(editor) == [(0, "٢")]
        # "right" steps back in logical order (also inside the Latin run): onto "O", then
        # backspace drops the "T" before it.
        await pilot.press("right", "right")
        assert editor.cursor == 9
        assert reversed_cells(editor) == [(0, "O")]
        await pilot.press("backspace")
        assert editor.cursor == 8
        assert editor.text == "مرحبا NAO ٢٥"


async def test_delete_takes_the_letter_with_its_harakat():
    app = EditorApp(f"ك{FATHA}ت{FATHA}ب")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("home", "left")
        assert app.editor.cursor == 2
        await pilot.press("delete")
        assert app.editor.text == f"ك{FATHA}ب"
        assert app.editor.cursor == 2
        await pilot.press("end", "delete")
        assert app.editor.text == f"ك{FATHA}ب"


async def test_ctrl_u_clears_and_changes_are_posted():
    app = EditorApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"سلام")
        await pilot.press("backspace", "ctrl+u")
        await pilot.pause()
        assert app.editor.text == "" and app.editor.cursor == 0
        assert app.changes == ["س", "سل", "سلا", "سلام", "سلا", ""]


async def test_click_puts_the_cursor_on_a_character():
    app = EditorApp("سلام")
    async with app.run_test(size=SIZE) as pilot:
        editor = app.editor
        line = editor.lines()[0]
        x = editor.size.width - 1  # the rightmost cell: the first letter of an RTL word
        await pilot.click("#ed", offset=(x, 0))
        assert editor.cursor == 0
        assert line.clusters[-1].first == 0
        await pilot.click("#ed", offset=(0, 0))  # past the reading end
        assert editor.cursor == 4


# -- paste and control characters ---------------------------------------------------------------


async def test_paste_turns_newlines_into_spaces():
    app = NoteApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"أول")
        app.post_message(events.Paste("سطر\nثان\r\nثالث"))
        await pilot.pause()
        assert app.editor.text == "أولسطر ثان ثالث"
        assert app.editor.cursor == len(app.editor.text)


async def test_control_characters_are_never_inserted():
    app = EditorApp()
    async with app.run_test(size=SIZE) as pilot:
        app.post_message(events.Key("ctrl+a", "\x01"))
        app.post_message(events.Paste("a\tb\x07c\x1b[31m"))
        await pilot.pause()
        assert app.editor.text == "a bc[31m"
    assert clean_text("x\u2028y\x00z") == "x yz"
    assert clean_text("\u200c") == "\u200c"  # ZWNJ is text, not a control


async def test_markup_like_text_stays_literal():
    app = NoteApp()
    async with app.run_test(size=SIZE) as pilot:
        await type_chars(pilot, "[b]x[/b] [red]")
        editor = app.editor
        assert editor.text == "[b]x[/b] [red]"
        assert "[b]x[/b] [red]" in row(editor)
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == ["[b]x[/b] [red]"]


async def test_typed_letters_do_not_reach_the_app_bindings():
    from tui.app import HamishApp
    from tui.core.text.document import Document

    app = HamishApp(Document.open(AR_SAMPLE))
    async with app.run_test(size=(100, 30)) as pilot:
        results: list[str | None] = []
        app.push_screen(NoteScreen("جملة", ""), results.append)
        await pilot.pause()
        await pilot.press(*"bljk", "question_mark", "space", "G")
        await pilot.pause()
        assert isinstance(app.screen, NoteScreen)
        assert app.reader.options.bidi == "app"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert results == ["bljk? G"]


# -- wrapping ---------------------------------------------------------------------------------


async def test_long_note_wraps_within_the_width():
    app = NoteApp()
    note = "هذه ملاحظة طويلة جدا عن الجملة وعن تحلية مياه البحر في المنطقة كلها"
    async with app.run_test(size=SIZE) as pilot:
        app.post_message(events.Paste(note))
        await pilot.pause()
        editor = app.editor
        width = editor.size.width
        lines = editor.lines()
        assert len(lines) >= 2
        assert editor.size.height == len(lines)  # the editor grows with its rows
        for index, line in enumerate(lines):
            strip = editor.render_row(index)
            assert strip.cell_length <= width
            assert line.width < width  # one cell stays free for the end-of-text cursor
            words = note[line.start : line.end].split()
            for word in words:
                assert display_line(word) in strip.text
        assert reversed_cells(editor) == [(len(lines) - 1, " ")]


async def test_very_long_note_scrolls_to_the_cursor():
    app = NoteApp()
    async with app.run_test(size=(60, 30)) as pilot:
        app.post_message(events.Paste("كلمة " * 120 + "نهاية"))
        await pilot.pause()
        editor = app.editor
        assert len(editor.lines()) > editor.size.height == 8  # max-height in the screen's CSS
        shown = [editor.render_line(y) for y in range(editor.size.height)]
        assert any(s.style and s.style.reverse for strip in shown for s in strip)
        assert display_line("نهاية") in shown[-1].text
        await pilot.press("home")
        await pilot.pause()
        assert display_line("كلمة") in editor.render_line(0).text
        assert any(s.style and s.style.reverse for s in editor.render_line(0))


async def test_typed_trailing_space_is_shown():
    app = EditorApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"سلام", "space")
        editor = app.editor
        assert editor.text == "سلام "
        text = row(editor)
        # Reading end first: cursor cell, the space just typed, then the word.
        assert text.endswith("  " + display_line("سلام"))
        assert reversed_cells(editor) == [(0, " ")]
        visual = display_line("سلام")  # three cells: lam-alef is one
        assert reversed_columns(editor) == [editor.size.width - cell_len(visual) - 2]


# -- the screen's result -----------------------------------------------------------------------


async def test_enter_saves_the_note_stripped():
    app = NoteApp(note="قديمة")
    async with app.run_test(size=SIZE) as pilot:
        assert app.editor.text == "قديمة" and app.editor.cursor == 5
        await pilot.press("space", *"جدا", "space")
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == ["قديمة جدا"]
        assert not isinstance(app.screen, NoteScreen)


async def test_ctrl_s_saves_and_empty_means_remove():
    app = NoteApp(note="قديمة")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+u", "space")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.results == [""]


async def test_escape_cancels():
    app = NoteApp(note="قديمة")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"جديد")
        await pilot.press("escape")
        await pilot.pause()
        assert app.results == [None]


def test_every_binding_has_an_id():
    for cls in (NoteScreen, NoteEditor):
        assert all(binding.id for binding in cls.BINDINGS)
    assert {b.id for b in NoteScreen.BINDINGS} == {"note.save", "note.cancel"}
