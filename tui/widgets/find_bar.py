"""The find bar (`/`): a one-line query editor that shows Arabic shaped and ordered.

Typing uses the same NoteEditor as notes, so the query reads correctly while it is typed.
Enter searches (Arabic-aware, see core/search.py), Esc closes.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Static

from .note_editor import NoteEditor


class FindBar(Horizontal):
    """Docked at the bottom while searching."""

    BINDINGS = [
        Binding("enter", "submit", "Find", id="find.submit"),
        Binding("escape", "close", "Close", id="find.close"),
    ]

    @dataclass
    class Submitted(Message):
        query: str

    @dataclass
    class Closed(Message):
        pass

    def __init__(self, *, bidi: str = "app", id: str | None = None) -> None:
        super().__init__(id=id)
        self.bidi = bidi

    def compose(self) -> ComposeResult:
        yield Static("Find: ", id="find-label")
        yield NoteEditor("", bidi=self.bidi, id="find-editor")

    @property
    def editor(self) -> NoteEditor:
        return self.query_one(NoteEditor)

    def open(self, query: str = "") -> None:
        self.display = True
        self.editor.bidi = self.bidi
        self.editor.text = query
        self.editor.focus()

    def action_submit(self) -> None:
        self.post_message(self.Submitted(self.editor.text))

    def action_close(self) -> None:
        self.display = False
        self.post_message(self.Closed())
