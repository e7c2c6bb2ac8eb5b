"""The note screen: write or change the note on one sentence.

Shows the sentence being annotated (dimmed, shaped and ordered like the reader shows it),
a `NoteEditor` holding the note, and how to leave. Dismisses with the note, stripped of
surrounding whitespace ("" means: remove the note), or None when cancelled.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ..core.layout import bidi_engine
from ..widgets.note_editor import NoteEditor, ParagraphView

HINT = "Enter or ctrl+s saves · Esc cancels"


class NoteScreen(ModalScreen[str | None]):
    """Edit the note on `sentence`. Enter or ctrl+s saves, Esc cancels."""

    DEFAULT_CSS = """
    NoteScreen {
        align: center middle;
    }
    NoteScreen > #note-box {
        width: 80%;
        max-width: 100;
        height: auto;
        max-height: 90%;
        border: round $accent;
        background: $surface;
        padding: 0 1;
    }
    NoteScreen #note-title {
        text-style: bold;
        height: 1;
    }
    NoteScreen #note-sentence-box {
        height: auto;
        max-height: 6;
        margin-top: 1;
    }
    NoteScreen #note-sentence {
        color: $text-muted;
        text-style: dim;
    }
    NoteScreen #note-editor {
        margin: 1 0;
        max-height: 8;
        background: $boost;
    }
    NoteScreen #note-hint {
        color: $text-muted;
        height: 1;
    }
    """

    AUTO_FOCUS = "#note-editor"

    BINDINGS = [
        Binding("enter,ctrl+s", "save", "Save", id="note.save"),
        Binding("escape", "cancel", "Cancel", id="note.cancel"),
    ]

    def __init__(self, sentence: str, note: str, *, bidi: str = "app") -> None:
        super().__init__()
        self._sentence = " ".join(sentence.split("\n")).strip()
        self._note = note
        self._bidi = bidi
        # An empty note starts on the sentence's side: right for Arabic (or no letters).
        self._rtl_hint = bidi_engine.first_strong_direction(self._sentence) is not False

    def compose(self) -> ComposeResult:
        with Vertical(id="note-box"):
            yield Static(Text("Note"), id="note-title")
            with VerticalScroll(id="note-sentence-box", can_focus=False):
                yield ParagraphView(self._sentence, bidi=self._bidi, rtl_hint=self._rtl_hint, id="note-sentence")
            yield NoteEditor(self._note, bidi=self._bidi, rtl_hint=self._rtl_hint, id="note-editor")
            yield Static(Text(HINT), id="note-hint")

    @property
    def editor(self) -> NoteEditor:
        return self.query_one("#note-editor", NoteEditor)

    def action_save(self) -> None:
        self.dismiss(self.editor.text.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)
