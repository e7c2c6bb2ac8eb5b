"""The `?` screen: every key in force, read from the live bindings (never a stale list)."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


def _keys(binding: Binding) -> str:
    from textual.keys import format_key

    return ", ".join(format_key(k.strip()) for k in binding.key.split(","))


def bindings_table(groups: list[tuple[str, list[Binding]]]) -> Table:
    table = Table(box=None, show_header=False, padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for title, bindings in groups:
        table.add_row(Text(title, style="underline"), "")
        for binding in bindings:
            table.add_row(Text(_keys(binding)), Text(binding.description or binding.action))
        table.add_row("", "")
    return table


class HelpScreen(ModalScreen[None]):
    """Lists every key binding with what it does. Any of esc, q, ? closes it."""

    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close", id="help.close")]

    def __init__(self, groups: list[tuple[str, list[Binding]]]) -> None:
        super().__init__()
        self._groups = groups

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body"):
            yield Static(Text("Keys", style="bold"), id="help-title")
            yield Static(bindings_table(self._groups), id="help-table")
            yield Static(Text("esc closes this screen"), id="help-footer")

    def action_dismiss(self, result: None = None) -> None:  # type: ignore[override]
        self.dismiss(None)
