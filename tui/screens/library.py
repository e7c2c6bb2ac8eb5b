"""The library screen: pick one of the bundled samples to read."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ..core.layout.display import fit_line


class LibraryScreen(ModalScreen[Path | None]):
    """A list of documents; Enter opens one, Esc goes back."""

    BINDINGS = [Binding("escape", "cancel", "Back", id="library.cancel")]

    def __init__(self, entries: list[tuple[Path, str]], bidi: str) -> None:
        super().__init__()
        self._entries = entries
        self._bidi = bidi

    def compose(self) -> ComposeResult:
        with Vertical(id="library-body"):
            yield Static(Text("Samples — Enter opens, Esc goes back", style="bold"))
            options = [
                Option(Text(f"{fit_line(path.name, 30, self._bidi)}  —  {fit_line(title, 60, self._bidi)}", no_wrap=True), id=str(i))
                for i, (path, title) in enumerate(self._entries)
            ]
            yield OptionList(*options, id="library-list")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self._entries[int(event.option.id or 0)][0])

    def action_cancel(self) -> None:
        self.dismiss(None)
