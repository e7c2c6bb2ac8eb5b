"""The export picker (`e`): choose a format; the file is written next to the document."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

#: (format, what it is for), in the order shown.
CHOICES = (
    ("jsonl", "Hamish JSON lines: every field, lossless (code points)"),
    ("w3c", "W3C Web Annotation JSON-LD (code points)"),
    ("brat", "brat standoff: DOC.txt + DOC.ann + annotation.conf (code points)"),
    ("doccano", "doccano JSONL (UTF-16 code units)"),
    ("label-studio", "Label Studio tasks + labeling config (UTF-16 code units)"),
    ("csv", "CSV for spreadsheets, UTF-8 with BOM (code points)"),
    ("markdown", "Markdown report grouped by label, with notes"),
)


class ExportScreen(ModalScreen[str | None]):
    """Dismisses with the chosen format, or None."""

    DEFAULT_CSS = """
    ExportScreen { align: center middle; }
    #export-body { width: 80%; max-width: 90; height: auto; border: round $primary;
                   background: $surface; padding: 0 1; }
    #export-list { height: auto; max-height: 12; }
    """

    BINDINGS = [Binding("escape", "cancel", "Back", id="export.cancel")]

    def compose(self) -> ComposeResult:
        with Vertical(id="export-body"):
            yield Static(Text("Export this document's annotations — Enter writes next to it", style="bold"))
            yield OptionList(
                *(Option(Text(f"{name:<13} {about}", no_wrap=True, overflow="ellipsis"), id=name) for name, about in CHOICES),
                id="export-list",
            )

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
