"""What to do when a document's annotation file does not parse.

The file is never overwritten. The user chooses: read the document without annotations
(nothing is written), move the bad file aside (NAME.corrupt-TIMESTAMP) and start fresh, or
quit and look at it first.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static


class CorruptStoreScreen(ModalScreen[str]):
    """Dismisses with "read-only", "move-aside" or "quit"."""

    DEFAULT_CSS = """
    CorruptStoreScreen { align: center middle; }
    #corrupt-body { width: 80%; max-width: 100; height: auto; border: round $error;
                    background: $surface; padding: 1 2; }
    """

    BINDINGS = [
        Binding("r", "choose('read-only')", "Read only", id="corrupt.read_only"),
        Binding("m", "choose('move-aside')", "Move aside", id="corrupt.move_aside"),
        Binding("q,escape", "choose('quit')", "Quit", id="corrupt.quit"),
    ]

    def __init__(self, message: str) -> None:
        super().__init__()
        self._message = message

    def compose(self) -> ComposeResult:
        with Vertical(id="corrupt-body"):
            yield Static(Text("The annotation file cannot be read", style="bold"))
            yield Static(Text(self._message))
            yield Static(
                Text(
                    "\nIt has not been changed. Press\n"
                    "  r  to read this document without annotations (nothing is written),\n"
                    "  m  to move the bad file aside (kept as NAME.corrupt-TIMESTAMP) and start fresh,\n"
                    "  q  to quit and look at it first."
                )
            )

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)
