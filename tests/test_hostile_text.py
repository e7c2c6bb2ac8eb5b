"""Issue 5 §1: hostile text stays inert, in the reader pane and in `hamish render`.

Every byte of a document, a note, a label name and a file name is treated as hostile:

- terminal escape and control sequences (CSI, OSC 52, OSC 8, BEL, C1, NUL, DEL) are shown as
  visible symbols and never reach the terminal;
- Rich/Textual markup look-alikes are shown literally, run no action, raise no MarkupError;
- bidi controls cannot reorder anything beyond their own paragraph; `v` reveals them and the
  status bar warns when a document has any;
- invisible and odd characters (ZWJ, soft hyphen, BOM mid-text, 50 stacked marks, emoji
  sequences, CJK, tabs) open, and every row fits its width;
- huge inputs (a 20 MB line, a 100,000-character word, 100,000 empty lines) open, keep
  answering keys, and use memory in proportion (marked slow; measured in a subprocess).

"Never reaches the terminal" is checked three ways: the reader's strips (no segment holds a
control character), the whole screen as Textual would write it to the terminal (only
Textual's own SGR and cursor-position sequences may appear), and the bytes `hamish render`
prints.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rich.cells import cell_len

from pilot import ready, status
from conftest import REPO
from tui.app import HamishApp
from tui.core.text.document import Document
from tui.core.text.sentence_index import SentenceIndex
from tui.widgets.annotations_pane import AnnotationList

SIZE = (100, 30)
HOSTILE_DATA = Path(__file__).parent / "data" / "hostile"

#: C0 controls, DEL and C1 controls: none may reach the terminal from a document.
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
#: Bidi formatting characters (explicit embeddings, overrides, isolates, marks).
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
BIDI_NAMES = {
    "\u202a": "LRE", "\u202b": "RLE", "\u202c": "PDF", "\u202d": "LRO", "\u202e": "RLO",
    "\u2066": "LRI", "\u2067": "RLI", "\u2068": "FSI", "\u2069": "PDI",
    "\u200e": "LRM", "\u200f": "RLM", "\u061c": "ALM",
}
#: What Textual itself writes: SGR (colours, bold) and cursor positioning.
TEXTUAL_SEQUENCES = re.compile(r"\x1b\[[0-9;]*[mH]")


# --- helpers ----------------------------------------------------------------------------------


def write_doc(directory: Path, text: str, name: str = "doc.txt") -> Path:
    path = directory / name
    path.write_bytes(text.encode("utf-8"))
    return path


def pane_strips(app: HamishApp) -> list:
    reader = app.reader
    return [reader.render_line(y) for y in range(reader.scrollable_content_region.height)]


def pane_text(app: HamishApp) -> str:
    return "\n".join(strip.text for strip in pane_strips(app))


def assert_strips_inert(strips, where: str = "pane") -> None:
    for y, strip in enumerate(strips):
        for segment in strip:
            assert not CONTROL.search(segment.text), f"{where} row {y}: control character in {segment.text!r}"


def terminal_output(app: HamishApp) -> str:
    """The whole screen exactly as Textual would write it to the terminal (a full repaint)."""
    update = app.screen._compositor.render_update(full=True)
    return update.render_segments(app.console)


def assert_screen_inert(app: HamishApp) -> str:
    """Nothing but Textual's own SGR and cursor-position sequences reaches the terminal.
    Returns the screen's text (sequences removed)."""
    shown = TEXTUAL_SEQUENCES.sub("", terminal_output(app))
    bad = sorted({f"U+{ord(c):04X}" for c in CONTROL.findall(shown) if c != "\n"})
    assert not bad, f"control characters reach the terminal: {bad}"
    return shown


def header_text(app: HamishApp) -> str:
    from textual.widgets._header import HeaderTitle

    return str(app.query_one(HeaderTitle).render())


def toasts(app: HamishApp) -> list[str]:
    from textual.widgets._toast import Toast

    return [str(toast.render()) for toast in app.screen.query(Toast)]


def render_cli(path: Path, *args: str, width: int = 60) -> str:
    """`hamish render FILE --width N`: returns stdout after checking it is inert."""
    result = subprocess.run(
        [sys.executable, "-m", "tui", "render", str(path), "--width", str(width), *args],
        cwd=REPO,
        capture_output=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    data = result.stdout
    bad_bytes = sorted({f"0x{b:02x}" for b in data if (b < 0x20 and b != 0x0A) or b == 0x7F})
    assert not bad_bytes, f"hamish render wrote control bytes {bad_bytes}"
    text = data.decode("utf-8")  # strict: never half a character
    bad = sorted({f"U+{ord(c):04X}" for c in CONTROL.findall(text) if c != "\n"})
    assert not bad, f"hamish render wrote C1 controls {bad}"
    return text


def picture(char: str) -> str:
    """The visible symbol the README promises for a control character."""
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ … ␟
    if code == 0x7F:
        return "\u2421"  # ␡
    return "\ufffd"  # C1


# --- 1. terminal escape and control sequences ---------------------------------------------------

ESCAPES = {
    "csi-clear-screen": "\x1b[2J\x1b[H",
    "osc52-clipboard-write": "\x1b]52;c;SGVsbG8=\x07",
    "osc8-link": "\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\",
    "bel": "\x07\x07",
    "c1-controls": "\x9b31m \x9d0;title\x9c \x85 \x90q\x9c \x80 \x9f",
    "nul": "\x00",
    "del": "\x7f",
    "other-c0": "\x01 \x08 \x0b \x0c \x0e \x1a \x1c \x1f",
}


#: Ordinary prose around the payload, so that the document is a text with a few hostile
#: characters in it (the loader takes a file whose NUL and other control bytes are a tiny
#: share of it for text; a file that is mostly control bytes is binary).
FILLER = "وقال المتحدث باسم الوزارة إن المشروع سينتهي العام المقبل. The project ends next year. " * 12


def escape_document(payload: str) -> str:
    return (
        f"قال الوزير {payload} في المؤتمر الصحفي. Then {payload} in English.\n"
        f"{payload}\n"
        f"Another line with the payload at its end {payload}\n"
        f"{FILLER}\n"
    )


@pytest.mark.parametrize("name", list(ESCAPES))
async def test_escape_sequences_are_shown_not_sent_in_the_pane(tmp_path, name):
    payload = ESCAPES[name]
    path = write_doc(tmp_path, escape_document(payload))
    app = HamishApp(Document.open(path))  # NUL: the loader must accept a text with a few NULs
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot, app)
        await pilot.press("c", "a")  # tag the first sentence; show the annotations pane
        await pilot.pause()
        for mode in ("app", "terminal"):
            strips = pane_strips(app)
            assert_strips_inert(strips, f"{mode} mode")
            shown = "".join(strip.text for strip in strips)
            for char in set(CONTROL.findall(payload)):
                assert picture(char) in shown, f"{mode} mode: U+{ord(char):04X} is not shown as {picture(char)}"
            assert_screen_inert(app)
            # The title is the first line: it is shown with the same symbols.
            assert not CONTROL.search(app.sub_title) and not CONTROL.search(header_text(app))
            # So is the tagged sentence in the annotations pane.
            entries = [str(o.prompt) for o in app.query_one(AnnotationList).options]
            assert len(entries) == 1 and not CONTROL.search(entries[0]), entries
            await pilot.press("b")  # the other bidi mode
            await pilot.pause()
        assert app.is_running and app.return_code is None


@pytest.mark.parametrize("name", list(ESCAPES))
@pytest.mark.parametrize("bidi", ["app", "terminal"])
def test_escape_sequences_are_shown_not_sent_by_render(tmp_path, name, bidi):
    payload = ESCAPES[name]
    path = write_doc(tmp_path, escape_document(payload))
    out = render_cli(path, "--bidi", bidi)
    for char in set(CONTROL.findall(payload)):
        assert picture(char) in out, f"U+{ord(char):04X} is not shown as {picture(char)}"
    assert all(cell_len(line) <= 60 for line in out.splitlines())


async def test_control_characters_in_the_file_name_are_not_sent(tmp_path):
    """The file name is shown in the status bar: an escape sequence in it is data too, and so
    is an RLO that would make "evil\u202etxt.exe" read as "evilexe.txt"."""
    directory = tmp_path / "dir\x1b]0;pwned\x07"
    directory.mkdir()
    path = write_doc(directory, "First sentence here. Second one.\n", name="evil\x1b[2J\x9b\u202etxt.exe")
    app = HamishApp(Document.open(path))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot, app)
        shown = status(app)
        assert not CONTROL.search(shown), f"status bar: {shown!r}"
        assert not any(c in shown for c in BIDI_CONTROLS), f"status bar: {shown!r}"
        assert "evil" in shown
        assert_screen_inert(app)
        # Exporting names the (hostile) path in a notification.
        await pilot.press("c", "e")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert any("written to" in text for text in toasts(app))
        for text in toasts(app):  # title and message, on lines of their own
            assert not CONTROL.search(text.replace("\n", "")), f"notification: {text!r}"
        assert_screen_inert(app)
        assert app.is_running


def test_render_error_does_not_echo_control_characters(tmp_path):
    """`hamish render` names a file it cannot read on stderr (a terminal, usually)."""
    missing = tmp_path / "evil\x1b]0;pwned\x07\x9b.txt"
    binary = tmp_path / "bin\x1b[2J.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    for path in (missing, binary):
        result = subprocess.run(
            [sys.executable, "-m", "tui", "render", str(path)], cwd=REPO, capture_output=True, timeout=60
        )
        assert result.returncode == 2
        err = result.stderr.decode("utf-8")
        assert err.startswith("hamish: ") and err.endswith("\n")
        assert not CONTROL.search(err[:-1]), repr(err)


async def test_orphan_text_in_a_notification_is_not_sent(tmp_path):
    """An orphaned annotation's text (document text) is shown in a notification when it is
    picked in the pane: it must be as inert there as in the reader."""
    path = write_doc(tmp_path, "Keep this sentence. Gone \x1b[2J\x1b]52;c;SGVsbG8=\x07 sentence.\n")
    app = HamishApp(Document.open(path))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, app)
        await pilot.press("j", "c")
        assert app.session.at(app.reader.cursor) is not None
    path.write_text("Keep this sentence. Something else entirely now.\n", encoding="utf-8")
    app = HamishApp(Document.open(path))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot, app)
        assert any(a.orphaned for a in app.session.annotations())
        await pilot.press("a")
        await pilot.pause()
        entries = [str(o.prompt) for o in app.query_one(AnnotationList).options]
        assert entries and not any(CONTROL.search(e) for e in entries), entries
        await pilot.press("enter")
        await pilot.pause(0.2)
        orphan_notes = [n.message for n in app._notifications if "no longer in the document" in n.message]
        assert orphan_notes, [n.message for n in app._notifications]
        for message in orphan_notes:
            assert not CONTROL.search(message), f"notification: {message!r}"
        assert_screen_inert(app)


# --- 2. markup look-alikes --------------------------------------------------------------------

MARKUP = [
    "[b]x[/b]",
    "[@click=app.quit]x[/]",
    "[link=https://x]y[/link]",
    "[/]",
    "[bold red on blue]z",
    "[/b]",
    "[@click=app.bell]bell[/]",
]


def assert_running(app: HamishApp) -> None:
    assert app.is_running and app.return_code is None and not app._exit_renderables


async def test_markup_in_the_document_is_literal(tmp_path):
    text = "\n".join(f"L{i} {m} ok." for i, m in enumerate(MARKUP)) + "\n"
    path = write_doc(tmp_path, text)
    app = HamishApp(Document.open(path))
    async with app.run_test(size=(160, 30), notifications=True) as pilot:
        await ready(pilot, app)
        shown = pane_text(app)
        for markup in MARKUP:
            assert markup in shown, markup
        # The header shows the first line, literally.
        assert MARKUP[0] in app.sub_title and MARKUP[0] in header_text(app)
        # Click on the row holding [@click=app.quit]: nothing runs.
        row = next(y for y, s in enumerate(pane_strips(app)) if "[@click=app.quit]" in s.text)
        column = pane_strips(app)[row].text.index("[@click=app.quit]") + 3
        await pilot.click("#reader", offset=(column, row))
        await pilot.pause()
        assert_running(app)
        await pilot.press("g")
        for _ in MARKUP:
            await pilot.press("c", "j")
        await pilot.press("a")
        await pilot.pause()
        entries = "\n".join(str(o.prompt) for o in app.query_one(AnnotationList).options)
        for markup in MARKUP:
            assert markup in entries, (markup, entries)
        screen = assert_screen_inert(app)
        assert "[@click=app.quit]x[/]" in screen
        assert all(not n.markup for n in app._notifications)
        assert_running(app)
    out = render_cli(path)
    for markup in MARKUP:
        assert markup in out


async def test_markup_in_a_note_is_literal(tmp_path):
    path = write_doc(tmp_path, "First sentence here. Second one.\n")
    note = " ".join(MARKUP)
    app = HamishApp(Document.open(path))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot, app)
        await pilot.press("m")
        await pilot.pause()
        await pilot.press(*note)
        await pilot.press("enter")
        await pilot.pause()
        assert_running(app)
        assert app.session.at(app.reader.cursor).note == note
        line = str(app.query_one("#note-line").render())
        for markup in MARKUP:
            assert markup in line, markup
        await pilot.press("a")
        await pilot.pause()
        assert "✎" in str(app.query_one(AnnotationList).options[0].prompt)
        screen = assert_screen_inert(app)
        assert "[@click=app.quit]x[/]" in screen
        assert all(not n.markup for n in app._notifications)
        assert_running(app)


LABEL_NAMES = ["[b]x[/b]", "[@click=app.quit]q[/]", "[link=https://x]y[/link]", "[/]"]


async def test_markup_in_label_names_is_literal(tmp_path, isolated_config):
    from tui.core.config import load_config

    keys = "zwpr"
    colours = ["#b45309", "#1d4ed8", "#047857", "#7c3aed"]
    toml = "".join(
        f'[[labels]]\nname = "{name}"\nkey = "{key}"\ncolour = "{colour}"\n'
        for name, key, colour in zip(LABEL_NAMES, keys, colours)
    )
    (isolated_config / "config.toml").write_text(toml, encoding="utf-8")
    # The validator allows these names (1–32 characters, no spaces).
    assert [label.name for label in load_config().labels] == LABEL_NAMES

    path = write_doc(tmp_path, "First sentence here. Second one.\n")
    app = HamishApp(Document.open(path))
    async with app.run_test(size=(140, 30), notifications=True) as pilot:
        await ready(pilot, app)
        assert app._config_problem is None
        await pilot.press(*keys)
        await pilot.pause()
        assert_running(app)
        assert set(app.session.at(app.reader.cursor).labels) == set(LABEL_NAMES)
        messages = [n.message for n in app._notifications]
        for name in LABEL_NAMES:
            assert f"{name} added" in messages
        assert all(not n.markup for n in app._notifications)
        await pilot.press("a")
        await pilot.pause()
        counts = str(app.query_one("#pane-counts").render())
        for name in LABEL_NAMES:
            assert name in counts, name
        screen = assert_screen_inert(app)
        assert "[b]x[/b]" in screen  # the footer and the pane show it as written
        await pilot.press("escape", "tab")
        app.reader.focus()
        await pilot.press("question_mark")
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"
        help_screen = assert_screen_inert(app)
        for name in LABEL_NAMES:
            assert name in help_screen, name
        await pilot.press("escape")
        await pilot.pause()
        assert_running(app)


async def test_markup_in_the_file_name_is_literal(tmp_path):
    """A slash cannot be in a file name, so `[b]x[/b]` is spread over a directory and a file:
    the full path holds it (the export notification shows that), the name holds the rest."""
    directory = tmp_path / "[b]x["
    directory.mkdir()
    name = "b][@click=app.quit]y[link=https:x]z[red].txt"
    # 50 blank lines: the title falls back to the file name, so the header shows it too.
    path = write_doc(directory, "\n" * 50 + "The only sentence.\n", name=name)
    app = HamishApp(Document.open(path))
    async with app.run_test(size=(160, 30), notifications=True) as pilot:
        await ready(pilot, app)
        assert name in status(app)
        assert "[@click=app.quit]y" in app.sub_title and "[@click=app.quit]y" in header_text(app)
        await pilot.press("G", "c", "e")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause(0.3)
        written = [n for n in app._notifications if "written to" in n.message]
        assert written and "[b]x[/b][@click=app.quit]y" in written[0].message
        assert all(not n.markup for n in app._notifications)
        assert any("[b]x[/b]" in text for text in toasts(app))
        assert_screen_inert(app)
        assert_running(app)
    out = render_cli(path)
    assert out.strip() == "The only sentence."


# --- 3. bidi controls -------------------------------------------------------------------------

#: Paragraphs after which the probe paragraph must look exactly as it does alone.
OPENERS = [
    ("ltr", "abc def {c}ghi jkl"),
    ("rtl", "قال الوزير {c}كلاما جديدا"),
    ("ltr-end", "abc def ghi{c}"),
    ("rtl-end", "قال الوزير{c}"),
]
PROBE = "Next: abc 123 ((x)) قال الوزير 456 [ok]."
#: The "Trojan Source" example (CVE-2021-42574): an RLO and isolates that would make the
#: line after the comment read differently.
TROJAN = "/*\u202e } \u2066if (isAdmin)\u2069 \u2066 begin admins only */"


def bidi_document(with_controls: bool) -> str:
    paragraphs = []
    for control in BIDI_CONTROLS:
        for _, template in OPENERS:
            paragraphs.append(template.format(c=control if with_controls else ""))
            paragraphs.append(PROBE)
    paragraphs.append(TROJAN if with_controls else TROJAN.translate({ord(c): None for c in BIDI_CONTROLS}))
    paragraphs.append("return; // the line after the comment")
    return "\n".join(paragraphs) + "\n"


def probe_rows(app: HamishApp) -> list[tuple[int, list[tuple[int, str]]]]:
    reader = app.reader
    doc = reader.doc
    return [
        (p, [(line.pad, line.text) for line in reader.paragraph_lines(p)])
        for p in range(1, doc.paragraph_count, 2)
    ]


@pytest.mark.parametrize("size", [SIZE, (30, 40)])
async def test_bidi_controls_cannot_reorder_the_next_paragraph(tmp_path, size):
    results = {}
    for with_controls in (False, True):
        path = write_doc(tmp_path, bidi_document(with_controls), name=f"bidi-{with_controls}.txt")
        app = HamishApp(Document.open(path))
        async with app.run_test(size=size) as pilot:
            await ready(pilot, app)
            rows = probe_rows(app)
            first_screen = [strip.text[app.reader.gutter_cells :] for strip in pane_strips(app)]
            results[with_controls] = rows, first_screen
            assert_strips_inert(pane_strips(app))
    (plain, plain_screen), (hostile, hostile_screen) = results[False], results[True]
    assert hostile == plain
    # On the first screen, the rows of every probe paragraph are the same too.
    probe_screen_rows = {r for r in plain_screen if "Next:" in r or "456" in r}
    assert probe_screen_rows and probe_screen_rows <= set(hostile_screen)


@pytest.mark.parametrize("bidi", ["app", "terminal"])
def test_bidi_controls_cannot_reorder_the_next_paragraph_in_render(tmp_path, bidi):
    outputs = {}
    for with_controls in (False, True):
        path = write_doc(tmp_path, bidi_document(with_controls), name=f"bidi-{with_controls}.txt")
        outputs[with_controls] = render_cli(path, "--bidi", bidi, width=60).splitlines()
    plain, hostile = outputs[False], outputs[True]
    assert len(plain) == len(hostile)
    probe_lines = [i for i, line in enumerate(plain) if "Next:" in line or "return;" in line]
    assert len(probe_lines) >= len(BIDI_CONTROLS) * len(OPENERS)
    for i in probe_lines:
        assert hostile[i] == plain[i], (i, plain[i], hostile[i])


async def test_an_override_in_a_sentence_across_a_line_break_stays_on_its_line(tmp_path):
    """A sentence may run over a single line break (a hard-wrapped sentence). Where it is
    shown on one line (the annotations pane, the note screen), an RLO before the break must
    not reverse the words after it: they are another paragraph of the document."""
    text = "abc def\u202e ghi\njkl mno pqr.\n"
    path = write_doc(tmp_path, text)
    doc = Document.open(path)
    spans = list(SentenceIndex(doc).all_spans())
    assert spans == [(0, len(text) - 1)]  # one sentence over the line break
    app = HamishApp(doc)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, app)
        assert "jkl mno pqr." in pane_text(app)  # the reader: the second line is as written
        await pilot.press("c", "a")
        await pilot.pause()
        entry = str(app.query_one(AnnotationList).options[0].prompt)
        assert "jkl mno pqr." in entry, entry
        await pilot.press("escape")
        app.reader.focus()
        await pilot.press("m")
        await pilot.pause()
        sentence = "\n".join(app.screen.query_one("#note-sentence").rows_text())
        assert "jkl mno pqr." in sentence, sentence
        await pilot.press("escape")


def _control_clusters(app: HamishApp, offset: int) -> list[str]:
    reader = app.reader
    paragraph = reader.doc.paragraph_at(offset)
    return [
        cluster.text
        for line in reader.paragraph_lines(paragraph)
        for cluster in line.clusters
        if offset in cluster.offsets
    ]


async def test_v_reveals_bidi_controls(tmp_path):
    lines = [f"{name}: abc {control}def قال{control} الوزير" for control, name in BIDI_NAMES.items()]
    text = "\n".join(lines) + "\n"
    path = write_doc(tmp_path, text)
    app = HamishApp(Document.open(path))
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(pilot, app)
        offsets = [i for i, c in enumerate(text) if c in BIDI_CONTROLS]
        before = pane_text(app)
        for offset in offsets:  # hidden: they draw nothing
            assert all(not c.strip() for c in _control_clusters(app, offset)), offset
        await pilot.press("v")
        await pilot.pause()
        assert app.reader.options.reveal_controls
        shown = pane_text(app)
        assert shown != before
        assert_strips_inert(pane_strips(app))
        for offset in offsets:
            clusters = _control_clusters(app, offset)
            drawn = "".join(clusters).strip()
            assert drawn, f"U+{ord(text[offset]):04X} at {offset} is not shown"
            assert not any(c in drawn for c in BIDI_CONTROLS)  # a symbol, not the control
            assert drawn in shown
        await pilot.press("v")
        await pilot.pause()
        assert not app.reader.options.reveal_controls
        assert pane_text(app) == before


async def test_status_bar_warns_about_bidi_controls(tmp_path):
    hostile = write_doc(tmp_path, f"{TROJAN}\nreturn;\n", name="trojan.txt")
    plain = write_doc(tmp_path, "قال الوزير إن الكلفة بلغت ٣٫٥ مليار. Plain text.\n", name="plain.txt")
    for path, warned in ((hostile, True), (plain, False)):
        app = HamishApp(Document.open(path))
        async with app.run_test(size=SIZE) as pilot:
            await ready(pilot, app)
            assert ("bidi controls" in status(app)) is warned, status(app)


# --- 4. invisible and odd characters ------------------------------------------------------------

ODD = {
    "zwj-zwnj-zwsp": "می\u200cخواهم ک\u200d a\u200db\u200bc ل\u200dا \u200b\u200b\u200b word\u200cword",
    "soft-hyphen": "super\u00adcali\u00adfragilistic\u00adexpi\u00adali\u00addocious صا\u00adروخ " * 3,
    "bom-mid-text": "abc\ufeffdef قال\ufeffالوزير \ufeff\ufeff end\ufeff",
    "combining-stack": "a" + "\u0301" * 50 + " ب" + "\u064e" * 50 + " z" + "\u0334\u0335\u0336" * 17 + " \u0651" * 50,
    "orphan-marks-at-start": "\u0651" * 50 + "x and then text",
    "emoji-sequences": "👨\u200d👩\u200d👧\u200d👦 🏳️\u200d🌈 🇸🇦🇪🇬🇺🇸 🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f 👍🏽 ❤️ 1️⃣ ☺️ 🧑🏿\u200d🚀" * 3,
    "cjk-beside-arabic": "中文قال中文الوزير日本語 한국어 ｆｕｌｌｗｉｄｔｈ 中" * 3,
    "tabs": "\tقال\tالوزير\t\tabc\tdef\t" * 4,
    "line-separators": "abc\u2028def\u2029ghi قال\u2028الوزير",
    "variation-selectors": "a\ufe0e b\ufe0f ✈\ufe0f ✈\ufe0e 齋\U000e0100",
}


def odd_document(text: str) -> str:
    return f"{text}\n{text}. Sentence two {text} ends here.\n"


@pytest.mark.parametrize("size", [(100, 20), (31, 20), (12, 20)])
@pytest.mark.parametrize("name", list(ODD))
async def test_odd_characters_fit_the_pane(tmp_path, name, size):
    path = write_doc(tmp_path, odd_document(ODD[name]))
    app = HamishApp(Document.open(path))
    async with app.run_test(size=size) as pilot:
        await ready(pilot, app)
        for mode in ("app", "terminal"):
            width = app.reader.scrollable_content_region.width
            for y, strip in enumerate(pane_strips(app)):
                assert strip.cell_length <= width, (mode, y, strip.text)
                # Measured as Textual measures it (rich.cells), segment by segment.
                measured = sum(cell_len(segment.text) for segment in strip)
                assert measured <= width, f"{mode} row {y}: {measured} cells in a {width}-cell pane: {strip.text!r}"
            assert_strips_inert(pane_strips(app), mode)
            await pilot.press("j", "pagedown", "G", "g")
            await pilot.press("b")
            await pilot.pause()
        assert_running(app)


@pytest.mark.parametrize("name", list(ODD))
@pytest.mark.parametrize("width", [60, 5])
def test_odd_characters_fit_render_width(tmp_path, name, width):
    path = write_doc(tmp_path, odd_document(ODD[name]))
    for bidi in ("app", "terminal"):
        out = render_cli(path, "--bidi", bidi, width=width)
        for line in out.splitlines():
            # A single glyph wider than the column (a 2-cell character at width 1) is the
            # only allowed overflow; 5 cells hold any glyph.
            assert cell_len(line) <= width, f"{bidi}: {cell_len(line)} cells at --width {width}: {line!r}"


# --- 5. size (slow; measured in a subprocess) -----------------------------------------------------

PROBE_SCRIPT = HOSTILE_DATA / "size_probe.py"


def _arabic_words(total_bytes: int) -> bytes:
    """Arabic news-like words with spaces and full stops, and no newline."""
    unit = "قال الوزير إن الكلفة بلغت ٣٫٥ مليار دولار في العام الماضي. ".encode("utf-8")
    return (unit * (total_bytes // len(unit) + 1))[:total_bytes].rsplit(b" ", 1)[0]


def _run_probe(path: Path) -> dict:
    result = subprocess.run(
        [sys.executable, str(PROBE_SCRIPT), str(path)],
        cwd=REPO,
        capture_output=True,
        timeout=900,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")[-4000:]
    report = json.loads(result.stdout.decode("utf-8").strip().splitlines()[-1])
    print(f"\n{path.name}: {json.dumps(report)}")  # timings, for the record (pytest -s)
    return report


def _base64_word(total_bytes: int) -> bytes:
    """One 20 MB "word": a pasted data: URI, say (no space, no newline)."""
    import base64
    import random

    raw = random.Random(5).randbytes(total_bytes * 3 // 4)
    return base64.b64encode(raw)[:total_bytes]


SIZE_CASES = {
    "20mb-line": lambda: _arabic_words(20 * 1024 * 1024),
    "20mb-word": lambda: _base64_word(20 * 1024 * 1024),
    "100k-character-word": lambda: ("كلمة" * 25_000).encode("utf-8"),
    "100k-character-latin-word": lambda: b"x" * 100_000,
    "100k-empty-lines": lambda: b"Start.\n" + b"\n" * 100_000 + b"End.\n",
}


@pytest.mark.slow
@pytest.mark.timeout(900)
@pytest.mark.parametrize("name", list(SIZE_CASES))
def test_huge_inputs_open_respond_and_stay_proportional(tmp_path, name):
    data = SIZE_CASES[name]()
    path = tmp_path / f"{name}.txt"
    path.write_bytes(data)
    report = _run_probe(path)
    # The first screen shows text; every key was handled and moved the cursor where it says.
    assert report["first_screen_rows"] > 0
    assert report["after_G"]["cursor"] == report["last_sentence"]
    assert report["after_g"]["cursor"] == report["first_sentence"]
    assert report["after_g"]["scroll_y"] == 0
    assert report["after_pagedown"]["scroll_y"] > 0 or report["rows"] <= report["height"]
    for key in ("after_G", "after_g", "after_pagedown"):
        assert report[key]["rows_fit"], key
    growth = (report["maxrss_after_kib"] - report["maxrss_before_kib"]) * 1024
    assert growth < 6 * len(data) + FIXED_ALLOWANCE, (
        f"memory grew {growth / 2**20:.1f} MiB ({growth / len(data):.1f}× the file of {len(data)} bytes)"
    )


#: Memory a run may add whatever the file's size: a fresh app instance (about 2 MiB for a
#: 30-byte document in the probe) and the layout of the rows on screen and read ahead (about
#: 4 MiB for the segments of a 100,000-character word). Without it the 100 KB cases measure
#: this constant, not proportionality; with it, laying out or indexing a whole 100 KB file
#: per character or per line (tens of MiB) still fails.
FIXED_ALLOWANCE = 8 * 2**20
