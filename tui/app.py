"""The Hamish Textual app: a thin shell over `tui.core`.

It composes the header (document title), the reader pane, the status bar and the footer;
turns key presses into core calls; counts sentences of large documents on a worker thread;
and looks after the terminal's own bidi (BDSM) and the user's remembered settings.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.worker import get_current_worker
from textual.widgets import Footer, Header

from .core import terminal
from .core.config import Config, ConfigError, load_config, save_setting, with_overrides
from .core.display import display_line
from .core.document import Document
from .core.errors import HamishError
from .core.samples import list_samples
from .core.sentence_index import SentenceIndex
from .screens.help import HelpScreen
from .screens.library import LibraryScreen
from .widgets.reader import ReaderView, ViewOptions
from .widgets.status import StatusBar


def stylesheet() -> str:
    """Path of the app's TCSS, shipped in the package (`styles/` in the repository)."""
    return str(resources.files("tui.styles").joinpath("hamish.tcss"))


#: Paragraph lines the background counter handles before it lets the UI thread in.
_COUNT_SLICE = 400


class HamishApp(App[int]):
    """Read a document with correctly shaped and ordered Arabic, sentence by sentence."""

    CSS_PATH = stylesheet()
    TITLE = "Hamish"
    ENABLE_COMMAND_PALETTE = False

    BINDINGS = [
        Binding("question_mark", "help", "Keys", id="app.help"),
        Binding("b", "toggle_bidi", "Bidi mode", id="app.toggle_bidi"),
        Binding("l", "library", "Samples", id="app.library"),
        Binding("ctrl+q", "quit", "Quit", priority=True, id="app.quit"),
    ]

    def __init__(
        self,
        doc: Document,
        *,
        bidi: str | None = None,
        direction: str | None = None,
        harakat: bool | None = None,
        environ: dict[str, str] | None = None,
    ) -> None:
        super().__init__()
        self._config_problem: str | None = None
        try:
            stored = load_config()
        except ConfigError as exc:
            stored = Config()
            self._config_problem = f"{exc}. Using defaults; the file was left as it is."
        self._stored = stored
        config = with_overrides(stored, bidi=bidi, direction=direction, harakat=harakat)
        self._environ = dict(os.environ if environ is None else environ)
        self.doc = doc
        self.reader = ReaderView(
            doc, ViewOptions(config.bidi, config.direction, config.harakat), id="reader"
        )

    # -- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="هـ")
        yield self.reader
        yield StatusBar(id="status")
        yield Footer()

    def on_mount(self) -> None:
        self._show_title()
        self.reader.focus()
        self._set_terminal_bidi(self.reader.options.bidi == "app")
        if self._config_problem:
            self.notify(self._config_problem, title="Config not read", severity="warning", timeout=10)
        self._warn_about_terminal()
        # The rest of a large file, then counting, once the first frame is on screen.
        self.call_after_refresh(self._finish_loading)

    #: Set when the document turned out to be unreadable after the first screen.
    fatal_error: str | None = None

    def _finish_loading(self) -> None:
        if not self.doc.complete:
            try:
                self.doc.finish_loading()
            except HamishError as exc:
                self.fatal_error = str(exc)
                self.exit(return_code=2)
                return
            self.reader.document_grew()
        self._start_counting()

    def on_unmount(self) -> None:
        self._set_terminal_bidi(False)

    def _show_title(self) -> None:
        self.sub_title = display_line(self.doc.title, self.reader.options.bidi)

    # -- status ---------------------------------------------------------------------------

    def on_reader_view_cursor_moved(self, message: ReaderView.CursorMoved) -> None:
        self._update_status(message.number, message.total)

    def _update_status(self, number: int | None, total: int | None) -> None:
        options = self.reader.options
        self.query_one(StatusBar).show(
            file=self.doc.path.name,
            number=number,
            total=total,
            progress=self.reader.index.progress,
            bidi=options.bidi,
            direction=options.direction,
        )

    # -- counting sentences of large documents -------------------------------------------------

    def _start_counting(self) -> None:
        if self.reader.index.total is None:
            self._count_sentences(self.reader.index)

    @work(thread=True, exclusive=True, group="count")
    def _count_sentences(self, index: SentenceIndex) -> None:
        worker = get_current_worker()
        while not worker.is_cancelled:
            done = index.count_step(_COUNT_SLICE)
            if index is not self.reader.index:
                return
            if done:
                self.call_from_thread(self.reader.announce)
                return
            self.call_from_thread(self.reader.announce)

    # -- terminal bidi ----------------------------------------------------------------------

    def _set_terminal_bidi(self, explicit: bool) -> None:
        """Send BDSM: explicit mode while we reorder, implicit mode otherwise and on exit.
        Textual has no public way to write raw bytes, so this goes through its driver."""
        driver = getattr(self, "_driver", None)
        if driver is None or self.is_headless:
            return
        driver.write(terminal.EXPLICIT_BIDI if explicit else terminal.IMPLICIT_BIDI)
        driver.flush()

    def _warn_about_terminal(self) -> None:
        name = terminal.detect_reordering_terminal(self._environ)
        if name is None or self.reader.options.bidi != "app" or name in self._stored.warned_terminals:
            return
        self.notify(terminal.advice_for(name), title="This terminal does its own bidi", timeout=15)
        warned = self._stored.warned_terminals + (name,)
        self._stored = with_overrides(self._stored, warned_terminals=warned)
        self._save("warned_terminals", warned)

    def _save(self, key: str, value: object) -> None:
        try:
            save_setting(key, value)
        except (HamishError, OSError) as exc:
            self.notify(f"Setting not saved: {exc}", severity="warning", timeout=8)

    # -- actions -------------------------------------------------------------------------------

    def action_toggle_bidi(self) -> None:
        options = self.reader.options
        bidi = "terminal" if options.bidi == "app" else "app"
        self.reader.set_options(ViewOptions(bidi, options.direction, options.harakat))
        self._set_terminal_bidi(bidi == "app")
        self._show_title()
        self._save("bidi", bidi)
        self.reader.announce()
        explain = (
            "Hamish shapes and orders Arabic itself."
            if bidi == "app"
            else "Logical text is sent; your terminal must do bidi (Konsole, VTE, mlterm)."
        )
        self.notify(f"Bidi mode: {bidi}. {explain}", timeout=4)

    def _bindings_list(self) -> list[Binding]:
        return [b for b in self.BINDINGS if isinstance(b, Binding)]

    def action_help(self) -> None:
        groups = [
            ("Reading", self.reader._bindings_list()),
            ("App", self._bindings_list()),
        ]
        self.push_screen(HelpScreen(groups))

    def action_library(self) -> None:
        entries = []
        for path in list_samples():
            try:
                entries.append((path, Document.open(path).title))
            except HamishError:
                continue
        self.push_screen(LibraryScreen(entries, self.reader.options.bidi), self._open_from_library)

    def _open_from_library(self, path: Path | None) -> None:
        if path is None:
            return
        self.open_document(path)

    def open_document(self, path: str | Path) -> None:
        """Replace the document in the reader; a bad file is reported, the current one stays."""
        try:
            doc = Document.open(path)
        except HamishError as exc:
            self.notify(str(exc), title="Cannot open", severity="error", timeout=10)
            return
        self.doc = doc
        self.reader.set_document(doc)
        self._show_title()
        self._start_counting()
