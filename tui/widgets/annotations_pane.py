"""The annotations pane (`a`): this document's annotations in order, with counts and a
label filter; Enter jumps to one.

Each entry shows the label markers, the sentence shaped and ordered by the same layout as
the reader (Textual would draw Arabic reversed), a note mark, and "orphaned" for
annotations that could not be re-anchored after the document changed: they are kept and
listed, never dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ..core.store.annotation import Annotation
from ..core.layout.display import fit_line
from ..core.labels import LabelSet



class AnnotationsPane(Vertical, can_focus=False):
    """Side pane listing annotations; label keys filter while it has focus."""

    @dataclass
    class Jump(Message):
        """The user picked an annotation to go to."""

        annotation: Annotation

    def __init__(self, labels: LabelSet, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.labels = labels
        self.bidi = "app"
        self.filter: str | None = None
        self._shown: list[Annotation] = []
        self._all: list[Annotation] = []

    def compose(self) -> ComposeResult:
        yield Static(id="pane-counts")
        yield AnnotationList(self.labels, id="pane-list")

    def show(self, annotations: list[Annotation], bidi: str) -> None:
        """Refill the list (keeps the highlighted entry where it can)."""
        self._all = annotations
        self.bidi = bidi
        self._refill()

    def on_resize(self) -> None:
        if self._all:
            self._refill()

    def set_filter(self, label: str | None) -> None:
        self.filter = None if label == self.filter else label
        self._refill()

    def _refill(self) -> None:
        shown = [a for a in self._all if self.filter is None or self.filter in a.labels]
        self._shown = shown
        counts = {label.name: 0 for label in self.labels}
        orphans = 0
        for annotation in self._all:
            for name in annotation.labels:
                counts[name] = counts.get(name, 0) + 1
            orphans += annotation.orphaned
        parts = [f"{self.labels.marker(n)} {n} {c}" for n, c in counts.items()]
        if orphans:
            parts.append(f"⚠ orphaned {orphans}")
        header = Text("  ·  ".join(parts), no_wrap=True, overflow="ellipsis")
        header.append(f"\nfilter: {self.filter or 'all'} — label keys filter, 0 shows all", style="dim")
        self.query_one("#pane-counts", Static).update(header)
        listing = self.query_one(AnnotationList)
        highlighted = listing.highlighted
        listing.clear_options()
        width = max(10, (listing.scrollable_content_region.width or self.size.width or 40) - 2)
        listing.add_options([Option(self._entry(a, width), id=a.id) for a in shown])
        if shown:
            listing.highlighted = min(highlighted or 0, len(shown) - 1)

    def _entry(self, annotation: Annotation, width: int) -> Text:
        """One line: markers, the sentence cut to fit (logically, then shaped), note mark."""
        markers = "".join(self.labels.marker(n) for n in self.labels.order(annotation.labels)).ljust(3)
        text = Text(no_wrap=True, overflow="crop")
        text.append(markers + " ", style="bold")
        room = width - len(markers) - 1 - (2 if annotation.note else 0)
        if annotation.orphaned:
            text.append("⚠ orphaned ", style="bold red")
            room -= 11
        text.append(fit_line(annotation.exact, room, self.bidi))
        if annotation.note:
            text.append(" ✎", style="bold")
        return text

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        chosen = next((a for a in self._shown if a.id == event.option.id), None)
        if chosen is not None:
            self.post_message(self.Jump(chosen))

    def count(self) -> int:
        return len(self._shown)


class AnnotationList(OptionList):
    """The list itself: Enter jumps (OptionList's own), label keys and 0 filter."""

    def __init__(self, labels: LabelSet, *, id: str | None = None) -> None:
        bindings = [
            Binding(f"{label.key},{i}", f"filter({i - 1})", f"Only {label.name}", show=False, id=f"pane.filter.{label.name}")
            for i, label in enumerate(labels, 1)
        ]
        bindings.append(Binding("0", "filter(-1)", "All labels", show=False, id="pane.filter.all"))
        super().__init__(id=id)
        from textual.binding import BindingsMap

        # Label keys come from the config, so these bindings are made per instance.
        self._bindings = BindingsMap.merge([self._bindings, BindingsMap(bindings)])
        self.labels = labels

    def action_filter(self, index: int) -> None:
        pane = self.parent
        if isinstance(pane, AnnotationsPane):
            if index < 0:
                pane.filter = None
                pane._refill()
            else:
                pane.set_filter(self.labels.labels[index].name)
