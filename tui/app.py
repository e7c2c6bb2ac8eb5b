"""The Hamish Textual app: a thin shell over `tui.core`.

It composes the header (document title), the reader pane, the annotations pane, the find
bar, the note line, the status bar and the footer; turns key presses into core calls (the
annotating logic lives in core/session.py); counts sentences of large documents on a worker
thread; and looks after the terminal's own bidi (BDSM) and the user's remembered settings.

Every key binding has an id, so `[keys]` in the config file can rebind it (App.set_keymap).
"""

from __future__ import annotations

import os
import re
from dataclasses import replace
from functools import lru_cache
from importlib import resources
from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingsMap
from textual.containers import Horizontal
from textual.widgets import Footer, Header, Static
from textual.worker import get_current_worker

from .core.layout import terminal
from .core.store.annotation import StoreFormatError, StoreTooNewError, StoreWriteError, default_annotator
from .core.config import Config, ConfigError, load_config, save_setting, with_overrides
from .core.layout.display import display_block, display_line, fit_line, strip_explicit_controls
from .core.text.document import Document
from .core.errors import HamishError
from .core.samples import list_samples
from .core.text.search import find_all, find_next
from .core.text.sentence_index import SentenceIndex
from .core.session import Session
from .core.store.store import AnnotationStore, DocumentStore
from .widgets.annotations_pane import AnnotationsPane
from .widgets.find_bar import FindBar
from .widgets.reader import ReaderView, ViewOptions
from .widgets.status import Status, StatusBar


def stylesheet() -> str:
    """Path of the app's TCSS, shipped in the package (`styles/` in the repository)."""
    return str(resources.files("tui.styles").joinpath("hamish.tcss"))


_BIDI_CONTROL = re.compile("[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")

#: Paragraph lines the background counter handles before it lets the UI thread in.
_COUNT_SLICE = 400
#: Seconds between attempts to save changes a failed write kept in memory.
RETRY_SECONDS = 3.0
#: Seconds between checks that the document's file is still what was loaded.
WATCH_SECONDS = 2.0


class HamishApp(App[int]):
    """Read a document with correctly shaped and ordered Arabic, and annotate it."""

    CSS_PATH = stylesheet()
    TITLE = "Hamish"
    ENABLE_COMMAND_PALETTE = False

    BINDINGS = [
        Binding("x", "clear_labels", "Clear", id="annotate.clear"),
        Binding("m", "note", "Note", id="annotate.note"),
        Binding("u,ctrl+z", "undo", "Undo", id="annotate.undo"),
        Binding("ctrl+r,ctrl+y", "redo", "Redo", show=False, id="annotate.redo"),
        Binding("a", "toggle_pane", "Annotations", id="app.toggle_pane"),
        Binding("e", "export", "Export", id="app.export"),
        Binding("right_square_bracket", "next_annotated", "Next tagged", show=False, id="nav.next_annotated"),
        Binding("left_square_bracket", "previous_annotated", "Previous tagged", show=False, id="nav.previous_annotated"),
        Binding("right_curly_bracket", "next_untagged", "Next untagged", show=False, id="nav.next_untagged"),
        Binding("left_curly_bracket", "previous_untagged", "Previous untagged", show=False, id="nav.previous_untagged"),
        Binding("slash", "find", "Find", id="find.open"),
        Binding("n", "find_next", "Next match", show=False, id="find.next"),
        Binding("N", "find_previous", "Previous match", show=False, id="find.previous"),
        Binding("question_mark", "help", "Keys", id="app.help"),
        Binding("b", "toggle_bidi", "Bidi mode", show=False, id="app.toggle_bidi"),
        Binding("v", "toggle_reveal", "Show invisibles", show=False, id="app.reveal_controls"),
        Binding("R", "reload", "Reload file", show=False, id="app.reload"),
        Binding("l", "library", "Samples", show=False, id="app.library"),
        Binding("ctrl+q", "quit", "Quit", priority=True, id="app.quit"),
    ]

    #: Set when the document turned out to be unreadable after the first screen.
    fatal_error: str | None = None

    def __init__(
        self,
        doc: Document,
        *,
        bidi: str | None = None,
        direction: str | None = None,
        harakat: bool | None = None,
        annotator: str | None = None,
        store: AnnotationStore | None = None,
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
        self.config = config
        self.labels = config.labels
        self.annotator = annotator or config.annotator or default_annotator()
        self._environ = dict(os.environ if environ is None else environ)
        self._owns_store = store is None
        self._store_arg = store
        self.store: AnnotationStore | None = None
        self.session: Session | None = None
        self._annotations_problem: str | None = None
        self.controls = 0  # bidi control characters in the document (counted once it is loaded)
        self._retry_timer = None
        self.query_text = ""
        self._match: tuple[int, int] | None = None
        self.doc = doc
        self.reader = ReaderView(
            doc, ViewOptions(config.bidi, config.direction, config.harakat), labels=self.labels, id="reader"
        )
        # Label keys come from the config: one binding per label (its key and its digit).
        label_bindings = [
            Binding(f"{label.key},{i}", f"toggle_label({i - 1})", label.name.capitalize(), id=f"label.{label.name}")
            for i, label in enumerate(self.labels, 1)
        ]
        self._label_bindings = label_bindings
        self._bindings = BindingsMap.merge([BindingsMap(label_bindings), self._bindings])

    def notify(self, message: str, *, title: str = "", severity="information", timeout=None, markup: bool = False) -> None:
        """Notifications carry document text, queries and file names: never markup, never a
        control character, and Arabic in them is shaped and ordered like the text."""
        bidi = self.reader.options.bidi if hasattr(self, "reader") else "app"

        def shown(text: str) -> str:
            return "\n".join(display_line(line, bidi) if line else "" for line in text.split("\n"))

        super().notify(shown(message), title=shown(title), severity=severity, timeout=timeout, markup=markup)

    # -- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="هـ")
        with Horizontal(id="main"):
            yield self.reader
            pane = AnnotationsPane(self.labels, id="pane")
            pane.display = False
            yield pane
        find = FindBar(bidi=self.reader.options.bidi, id="find")
        find.display = False
        yield find
        note_line = Static(id="note-line")
        note_line.display = False
        yield note_line
        yield StatusBar(id="status")
        yield Footer()

    def on_resize(self) -> None:
        self._show_title()
        self._show_note()

    def on_mount(self) -> None:
        if self._stored.keys:
            self.set_keymap(dict(self._stored.keys))
        self._show_title()
        self.reader.focus()
        self._set_terminal_bidi(self.reader.options.bidi == "app")
        if self._config_problem:
            self.notify(self._config_problem, title="Config not read", severity="warning", timeout=10)
        self._warn_about_terminal()
        # The rest of a large file, the annotations and the count, once the first frame is
        # on screen.
        self.call_after_refresh(self._finish_loading)
        self._file_state = self._stat()
        self.set_interval(WATCH_SECONDS, self._watch_file)

    def on_unmount(self) -> None:
        self._close_session()
        if self.store is not None and self._owns_store:
            self.store.close()
        self._set_terminal_bidi(False)

    def _show_title(self) -> None:
        # Textual's header keeps ~18 cells for its icon and right side, and shows "Hamish — ".
        room = max(20, self.size.width - 30)
        self.sub_title = fit_line(self.doc.title, room, self.reader.options.bidi)

    def _finish_loading(self) -> None:
        if not self.doc.complete:
            try:
                self.doc.finish_loading()
            except HamishError as exc:
                self.fatal_error = str(exc)
                self.exit(return_code=2)
                return
            self.reader.document_grew()
        self._count_controls()
        self._open_session()
        self._start_counting()

    def _count_controls(self) -> None:
        """Bidi controls can make text read differently from what it says ("Trojan
        Source"): count them once, and warn in the status bar if there are any."""
        self.controls = len(_BIDI_CONTROL.findall(self.doc.text))
        if self.controls:
            self.notify(
                f"This document contains {self.controls} invisible bidi control character(s); "
                "they cannot reorder text beyond their own paragraph here. Press v to show them.",
                title="Bidi controls",
                severity="warning",
                timeout=10,
            )
        self._update_status()

    # -- annotations: opening and closing --------------------------------------------------------

    def _open_session(self) -> None:
        """Open this document's annotations; a bad or too-new file is never written to."""
        try:
            if self.store is None:
                self.store = self._store_arg or AnnotationStore()
            doc_store = self.store.open(self.doc.path, self.doc.fingerprint, self.doc.text)
        except StoreFormatError as exc:
            error = exc  # `exc` is cleared when the except block ends; the callback runs later
            self.push_screen(_corrupt_screen(str(exc)), lambda choice: self._corrupt_choice(choice, error))
            return
        except (StoreTooNewError, HamishError, OSError) as exc:
            self._annotations_problem = f"annotations unavailable: {exc}"
            self.notify(str(exc), title="Annotations not opened", severity="error", timeout=15)
            self._update_status()
            return
        self._start_session(doc_store)

    def _corrupt_choice(self, choice: str | None, error: StoreFormatError) -> None:
        if choice == "move-aside" and self.store is not None and error.path is not None:
            try:
                moved = self.store.move_aside(error.path)
            except (HamishError, OSError) as exc:
                self.notify(f"Could not move it: {exc}", severity="error", timeout=15)
            else:
                self.notify(f"The bad file is kept as {moved.name}; starting fresh.", timeout=10)
                self._open_session()
                return
        if choice == "quit":
            self.exit(return_code=0)
            return
        self._annotations_problem = "annotations unavailable: the annotation file does not parse (read-only)"
        self._update_status()

    def _start_session(self, doc_store: DocumentStore) -> None:
        self.session = Session(self.doc, doc_store, self.labels, self.annotator)
        self.reader.session = self.session
        if doc_store.read_only:
            self.notify(doc_store.read_only_reason or "read-only", title="Read-only", severity="warning", timeout=15)
        report = doc_store.reanchor
        if report is not None and (report.moved or report.orphaned):
            self.notify(
                f"The document changed since it was annotated: {report.moved} annotation(s) moved "
                f"to their text, {report.orphaned} could not be placed and are kept as orphaned "
                "(see the annotations pane, a).",
                title="Annotations re-anchored",
                timeout=15,
            )
        position = doc_store.reading_position
        if position is not None and 0 <= position <= len(self.doc.text):
            self.reader.move_cursor(self.reader.index.at(position))
        self.reader.refresh()
        self._refresh_pane()
        self._update_status()

    def _close_session(self) -> None:
        if self.session is None:
            return
        store = self.session.store
        try:
            if self.reader.cursor is not None and not store.read_only:
                store.set_reading_position(self.reader.cursor[0])
            store.close()
        except (HamishError, OSError):
            pass  # pending changes were already reported; nothing more can be done here
        self.session = None
        self.reader.session = None

    # -- status ---------------------------------------------------------------------------

    def on_reader_view_cursor_moved(self, message: ReaderView.CursorMoved) -> None:
        self._update_status(message.number, message.total)
        self._show_note()
        if self.session is not None and message.span is not None and not self.session.read_only:
            self.session.store.set_reading_position(message.span[0])

    def _update_status(self, number: int | None = None, total: int | None = None) -> None:
        reader = self.reader
        if number is None and reader.cursor is not None:
            number = reader.index.number(reader.cursor)
        total = total if total is not None else reader.index.total
        options = reader.options
        flag = None
        tagged = None
        if self.session is not None:
            tagged = self.session.tagged_count()
            if self.session.store.pending:
                flag = "UNSAVED — retrying"
            elif self.session.read_only:
                flag = "READ-ONLY"
        elif self._annotations_problem:
            flag = "NO ANNOTATIONS"
        self.query_one(StatusBar).show(
            Status(
                file=display_line(self.doc.path.name, options.bidi),
                number=number,
                total=total,
                progress=reader.index.progress,
                tagged=tagged,
                bidi=options.bidi,
                direction=options.direction,
                flag=flag,
                controls=self.controls,
            )
        )

    def _show_note(self) -> None:
        """The current sentence's note, shaped like the text, above the status bar."""
        line = self.query_one("#note-line", Static)
        annotation = self.session.at(self.reader.cursor) if self.session and self.reader.cursor else None
        if annotation is None or not annotation.note:
            line.display = False
            return
        line.display = True
        width = max(10, self.size.width - 4)
        rows = display_block(annotation.note, width, self.reader.options.bidi, max_rows=3)
        text = Text(no_wrap=True)
        for i, row in enumerate(rows):
            text.append("✎ " if i == 0 else "  ", style="bold")
            text.append(row + ("\n" if i < len(rows) - 1 else ""))
        line.update(text)

    # -- counting sentences of large documents -------------------------------------------------

    def _start_counting(self) -> None:
        if self.reader.index.total is None:
            self._count_sentences(self.reader.index)

    @work(thread=True, exclusive=True, group="count")
    def _count_sentences(self, index: SentenceIndex) -> None:
        worker = get_current_worker()
        if not index.doc.complete:
            return  # counting starts again once the document has finished loading
        while not worker.is_cancelled:
            done = index.count_step(_COUNT_SLICE)
            if index is not self.reader.index:
                return
            self.call_from_thread(self.reader.announce)
            if done:
                return

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

    # -- annotating ------------------------------------------------------------------------------

    def _can_annotate(self) -> bool:
        if self.reader.cursor is None:
            self.notify("No sentence here to annotate.", severity="warning")
            return False
        if self.session is None:
            reason = self._annotations_problem or "the document is still loading"
            self.notify(f"Not annotating: {reason}.", severity="warning")
            return False
        if self.session.read_only:
            self.notify(self.session.store.read_only_reason or "Read-only.", severity="warning")
            return False
        return True

    def _changed(self, what: str | None = None) -> None:
        """After any change: redraw, refresh the pane and status, and say if it is unsaved."""
        self.reader.refresh()
        self._refresh_pane()
        self._update_status()
        self._show_note()
        if what:
            self.notify(what, timeout=2)

    def _run(self, change) -> bool:
        """Run a session change; a failed write is reported, kept and retried."""
        try:
            change()
        except StoreWriteError as exc:
            self._changed()
            self.notify(f"{exc}", title="Not saved", severity="error", timeout=10)
            self._schedule_retry()
            return False
        return True

    def _schedule_retry(self) -> None:
        if self._retry_timer is None:
            self._retry_timer = self.set_interval(RETRY_SECONDS, self._retry_save)

    def _retry_save(self) -> None:
        session = self.session
        if session is None or not session.store.pending:
            self._stop_retry()
            return
        try:
            session.store.flush()
        except (StoreWriteError, OSError):
            return
        self._stop_retry()
        self.notify("All changes are saved now.", title="Saved", timeout=5)
        self._update_status()

    def _stop_retry(self) -> None:
        if self._retry_timer is not None:
            self._retry_timer.stop()
            self._retry_timer = None

    def action_toggle_label(self, index: int) -> None:
        if not self._can_annotate() or not 0 <= index < len(self.labels):
            return
        label = self.labels.labels[index].name
        span = self.reader.cursor
        if self._run(lambda: self.session.toggle(span, label)):
            annotation = self.session.at(span)
            on = annotation is not None and label in annotation.labels
            self._changed(f"{label} {'added' if on else 'removed'}")

    def action_clear_labels(self) -> None:
        if not self._can_annotate():
            return
        span = self.reader.cursor
        if self.session.at(span) is None or not self.session.at(span).labels:
            self.notify("This sentence has no labels.", timeout=2)
            return
        if self._run(lambda: self.session.clear(span)):
            self._changed("labels cleared")

    def action_note(self) -> None:
        if not self._can_annotate():
            return
        from .screens.note import NoteScreen

        span = self.reader.cursor
        current = self.session.at(span)
        # Shown on one paragraph: explicit bidi controls would leak across its line breaks.
        sentence = strip_explicit_controls(self.doc.text[span[0] : span[1]])
        screen = NoteScreen(sentence, current.note if current else "", bidi=self.reader.options.bidi)
        self.push_screen(screen, lambda note: self._note_done(span, note))

    def _note_done(self, span: tuple[int, int], note: str | None) -> None:
        if note is None or self.session is None:
            return
        if self._run(lambda: self.session.set_note(span, note)):
            self._changed("note saved" if note else "note removed")

    def action_undo(self) -> None:
        self._history_step(undo=True)

    def action_redo(self) -> None:
        self._history_step(undo=False)

    def _history_step(self, undo: bool) -> None:
        if self.session is None or self.session.read_only:
            self._can_annotate()
            return
        result: list = []
        if not self._run(lambda: result.append(self.session.undo() if undo else self.session.redo())):
            return
        change = result[0] if result else None
        if change is None:
            self.notify("Nothing to undo." if undo else "Nothing to redo.", timeout=2)
            return
        touched = change.after or change.before
        self.reader.move_cursor((touched.start, touched.end))
        self._changed("undone" if undo else "redone")

    # -- the annotations pane --------------------------------------------------------------------

    def action_toggle_pane(self) -> None:
        pane = self.query_one(AnnotationsPane)
        pane.display = not pane.display
        if pane.display:
            self._refresh_pane()
            pane.query_one("#pane-list").focus()
        else:
            self.reader.focus()

    def _refresh_pane(self) -> None:
        pane = self.query_one(AnnotationsPane)
        if pane.display:
            annotations = self.session.annotations() if self.session else []
            pane.show(annotations, self.reader.options.bidi)

    def on_annotations_pane_jump(self, message: AnnotationsPane.Jump) -> None:
        annotation = message.annotation
        if annotation.orphaned:
            self.notify(
                "This annotation's text is no longer in the document; it is kept, unplaced. "
                f"Its text: {annotation.exact[:120]}",
                title="Orphaned",
                timeout=10,
            )
            return
        self.reader.move_cursor((annotation.start, annotation.end))
        self.reader.focus()

    # -- moving through the work -------------------------------------------------------------------

    def action_next_annotated(self) -> None:
        self._jump_annotated(forward=True)

    def action_previous_annotated(self) -> None:
        self._jump_annotated(forward=False)

    def _jump_annotated(self, forward: bool) -> None:
        cursor = self.reader.cursor
        if self.session is None or cursor is None:
            return
        found = self.session.next_annotated(cursor[0]) if forward else self.session.previous_annotated(cursor[0])
        if found is None:
            self.notify("No more annotated sentences this way.", timeout=2)
            return
        self.reader.move_cursor((found.start, found.end))

    def action_next_untagged(self) -> None:
        self._jump_untagged(forward=True)

    def action_previous_untagged(self) -> None:
        self._jump_untagged(forward=False)

    def _jump_untagged(self, forward: bool) -> None:
        cursor = self.reader.cursor
        if cursor is None:
            return
        step = self.reader.index.next if forward else self.reader.index.previous
        span = step(cursor)
        while span is not None and self.session is not None and self.session.is_tagged(span):
            span = step(span)
        if span is None:
            self.notify("No more untagged sentences this way.", timeout=2)
            return
        self.reader.move_cursor(span)

    # -- find ---------------------------------------------------------------------------------------

    def action_find(self) -> None:
        bar = self.query_one(FindBar)
        bar.bidi = self.reader.options.bidi
        bar.open(self.query_text)

    def on_find_bar_submitted(self, message: FindBar.Submitted) -> None:
        self.query_text = message.query
        bar = self.query_one(FindBar)
        bar.display = False
        self.reader.focus()
        if not self.query_text.strip():
            self.reader.matches = None
            self.reader.refresh()
            return
        text = self.doc.text
        query = self.query_text
        # Rows are drawn again on every frame: fold each row once per query, not per frame.
        self.reader.matches = lru_cache(maxsize=4096)(lambda start, end: tuple(find_all(text, query, start, end)))
        self.reader.refresh()
        start = self.reader.cursor[0] - 1 if self.reader.cursor else -1
        self._go_to_match(find_next(text, query, start))

    def on_find_bar_closed(self, message: FindBar.Closed) -> None:
        self.reader.focus()

    def action_find_next(self) -> None:
        self._step_match(backward=False)

    def action_find_previous(self) -> None:
        self._step_match(backward=True)

    def _step_match(self, backward: bool) -> None:
        if not self.query_text.strip():
            self.notify("Nothing to find yet: press / first.", timeout=2)
            return
        if self._match is not None:
            origin = self._match[0]
        elif self.reader.cursor is not None:
            origin = self.reader.cursor[0]
        else:
            origin = -1
        self._go_to_match(find_next(self.doc.text, self.query_text, origin, backward=backward))

    def _go_to_match(self, match: tuple[int, int] | None) -> None:
        if match is None:
            self._match = None
            self.notify(f"Not found: {self.query_text}", severity="warning", timeout=3)
            return
        self._match = match
        span = self.reader.index.at(match[0])
        if span is not None:
            self.reader.move_cursor(span)

    # -- the file on disk ----------------------------------------------------------------------------

    def _stat(self) -> tuple[int, int] | None:
        try:
            info = os.stat(self.doc.path)
        except OSError:
            return None
        return info.st_mtime_ns, info.st_size

    def _watch_file(self) -> None:
        """Say once when the file changes or disappears under us. What is on screen stays as
        it was loaded, and the annotations refer to that text, so nothing is lost either way."""
        state = self._stat()
        if state == self._file_state:
            return
        self._file_state = state
        name = self.doc.path.name
        if state is None:
            self.notify(
                f"{name} was moved or deleted. What you see stays open and your annotations are safe.",
                title="File gone",
                severity="warning",
                timeout=15,
            )
        else:
            self.notify(
                f"{name} changed on disk. Press R to reload it; annotations are re-anchored to the new text.",
                title="File changed",
                severity="warning",
                timeout=15,
            )

    def action_reload(self) -> None:
        self.open_document(self.doc.path)

    # -- export -------------------------------------------------------------------------------------

    def action_export(self) -> None:
        if self.session is None:
            reason = self._annotations_problem or "the document is still loading"
            self.notify(f"Nothing to export: {reason}.", severity="warning")
            return
        from .screens.export import ExportScreen

        self.push_screen(ExportScreen(), self._export_to)

    def _export_to(self, fmt: str | None) -> None:
        if fmt is None or self.session is None:
            return
        from .core.formats import ExportDocument
        from .core.transfer import default_output, run_export

        doc = self.doc
        target = default_output(doc.path, fmt)
        document = ExportDocument(doc.path, doc.text, doc.fingerprint, self.session.annotations())
        try:
            report = run_export(fmt, iter([document]), target, self.labels)
        except (HamishError, OSError) as exc:
            self.notify(f"Export failed: {exc}", title="Not exported", severity="error", timeout=10)
            return
        orphans = f"; {report.skipped_orphans} orphaned left out" if report.skipped_orphans else ""
        self.notify(
            f"{report.annotations} annotation(s) written to {target} (offsets in {report.offset_unit}{orphans})",
            title=f"Exported as {fmt}",
            timeout=10,
        )

    # -- other actions -------------------------------------------------------------------------------

    def action_toggle_reveal(self) -> None:
        options = self.reader.options
        reveal = not options.reveal_controls
        self.reader.set_options(replace(options, reveal_controls=reveal))
        self.notify("Invisible characters are shown by name." if reveal else "Invisible characters hidden.", timeout=3)

    def action_toggle_bidi(self) -> None:
        options = self.reader.options
        bidi = "terminal" if options.bidi == "app" else "app"
        self.reader.set_options(replace(options, bidi=bidi))
        self._set_terminal_bidi(bidi == "app")
        self._show_title()
        self._save("bidi", bidi)
        self.reader.announce()
        self._refresh_pane()
        self._show_note()
        explain = (
            "Hamish shapes and orders Arabic itself."
            if bidi == "app"
            else "Logical text is sent; your terminal must do bidi (Konsole, VTE, mlterm)."
        )
        self.notify(f"Bidi mode: {bidi}. {explain}", timeout=4)

    def key_groups(self) -> list[tuple[str, list[Binding]]]:
        """Every binding, grouped, with the keys in force (the config may rebind them)."""
        keymap = dict(self._stored.keys)

        def live(bindings: list[Binding]) -> list[Binding]:
            out = []
            for binding in bindings:
                if binding.id and binding.id in keymap:
                    binding = Binding(keymap[binding.id], binding.action, binding.description, id=binding.id)
                out.append(binding)
            return out

        declared = [b for b in self.BINDINGS if isinstance(b, Binding)]
        annotating = [b for b in declared if (b.id or "").startswith(("annotate.", "app.toggle_pane"))]
        moving = [b for b in declared if (b.id or "").startswith(("nav.", "find."))]
        other = [b for b in declared if b not in annotating and b not in moving]
        return [
            ("Reading", live(self.reader._bindings_list())),
            ("Tagging", live(self._label_bindings)),
            ("Annotating", live(annotating)),
            ("Moving and finding", live(moving)),
            ("App", live(other)),
        ]

    def action_help(self) -> None:
        from .screens.help import HelpScreen

        self.push_screen(HelpScreen(self.key_groups()))

    def action_library(self) -> None:
        from .screens.library import LibraryScreen

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
        self._close_session()
        self._stop_retry()
        self.doc = doc
        self._file_state = self._stat()
        self.query_text = ""
        self._match = None
        self.reader.matches = None
        self.reader.set_document(doc)
        self._show_title()
        self._count_controls()
        self._open_session()
        self._start_counting()


def _corrupt_screen(message: str):
    from .screens.corrupt import CorruptStoreScreen

    return CorruptStoreScreen(message)
