"""The `hamish` command: open the reader, or run a subcommand.

    hamish [FILE]                      open FILE (or a bundled sample) in the reader
    hamish render FILE [--width N]     print the document as the reader lays it out
    hamish sentences FILE [--format]   print its sentences with their offsets

Subcommands never import Textual, so they start fast and work in pipes. Every expected
failure is one line on stderr and exit status 2; no traceback reaches the user (set
HAMISH_DEBUG=1 to see one for an unexpected error).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .core.config import ConfigError, load_config, with_overrides
from .core.text.document import Document
from .core.errors import HamishError
from .core.layout.glyphs import escape_controls
from .core.layout.layout import BIDI_MODES, DIRECTIONS, LayoutOptions
from .core.layout.render_text import reader_chrome, render_lines
from .core.text.sentence_index import SentenceIndex

EXPORT_FORMATS = ("jsonl", "w3c", "brat", "doccano", "label-studio", "csv", "markdown")
IMPORT_FORMATS = ("jsonl", "w3c", "brat", "doccano", "label-studio")

EPILOG = """\
subcommands:
  hamish render FILE      print FILE as the reader lays it out (see: hamish render -h)
  hamish sentences FILE   print FILE's sentences (see: hamish sentences -h)
  hamish export FILE...   export annotations: jsonl w3c brat doccano label-studio csv markdown
  hamish import FILE      merge annotations from jsonl w3c brat doccano label-studio

in the reader: j/k move by sentence; c q f (or 1 2 3) tag claim/quote/figure;
m writes a note; u undoes; a lists annotations; / finds; ? shows every key.
Annotations are saved as you go, in the store (--db) — one JSON file per document.
The bidi mode, direction and harakat choice are remembered in the config file
(HAMISH_CONFIG_DIR overrides its directory). Exit status 2 means bad input.
"""


def _display_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--bidi",
        choices=BIDI_MODES,
        help="app: Hamish shapes and reorders Arabic (default; for most terminals). "
        "terminal: send logical text, for terminals that do bidi themselves "
        "(Konsole, GNOME Terminal/VTE, mlterm)",
    )
    parser.add_argument(
        "--direction",
        choices=DIRECTIONS,
        help="paragraph base direction: auto (from the first strong letter, default), rtl or ltr",
    )
    parser.add_argument(
        "--no-harakat",
        dest="harakat",
        action="store_const",
        const=False,
        default=None,
        help="hide Arabic vowel marks (harakat); they are kept by default",
    )


def _store_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="DIR",
        type=Path,
        help="the annotation store: a directory with one JSON (TinyDB) file per document "
        "(default: your data directory, e.g. ~/.local/share/hamish/store; $HAMISH_DATA_DIR overrides)",
    )


def build_app_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hamish",
        description="Read Arabic and mixed right-to-left text in the terminal and annotate it "
        "sentence by sentence. With no FILE, opens a bundled sample.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("file", nargs="?", metavar="FILE", help="a .txt or .md file (UTF-8, UTF-16 or Windows-1256)")
    _display_options(parser)
    _store_options(parser)
    parser.add_argument(
        "--annotator",
        help="name recorded in each annotation (default: `annotator` in the config, else your login name)",
    )
    parser.add_argument("--version", action="version", version=f"hamish {__version__}")
    return parser


def build_render_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hamish render",
        description="Print FILE exactly as the reader pane lays it out: one screen row per line, "
        "right-to-left paragraphs right-aligned, no colour and no escape sequences.",
    )
    parser.add_argument("file", metavar="FILE")
    parser.add_argument(
        "--width",
        type=int,
        help="width of the text column in cells (default: the terminal's width minus the "
        "reader's gutter and scroll bar, or 80 when not a terminal)",
    )
    _display_options(parser)
    return parser


def build_sentences_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hamish sentences",
        description="Print the sentences of FILE in logical order. Offsets are Unicode code points "
        "into the text after newline normalisation (\\r\\n and \\r become \\n).",
    )
    parser.add_argument("file", metavar="FILE")
    parser.add_argument(
        "--format",
        choices=("text", "jsonl"),
        default="text",
        help='text: "INDEX<TAB>SENTENCE" per line (newlines inside shown as spaces); '
        'jsonl: {"index", "start", "end", "text"} per line',
    )
    return parser


def build_export_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hamish export",
        description="Export the annotations of FILE(s), or of every document in the store (--all). "
        "Every export states its offset unit: Unicode code points (jsonl, w3c, brat, csv), "
        "UTF-16 code units (doccano, label-studio, as their browsers count).",
    )
    parser.add_argument("files", nargs="*", metavar="FILE", help="annotated documents")
    parser.add_argument("--all", action="store_true", help="every document in the store")
    parser.add_argument("--format", required=True, choices=EXPORT_FORMATS)
    parser.add_argument(
        "-o",
        "--output",
        metavar="PATH",
        help="file to write, '-' for standard output, a directory for brat (default: next to "
        "the document for one FILE, standard output otherwise)",
    )
    _store_options(parser)
    return parser


def build_import_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hamish import",
        description="Merge annotations from FILE into the store. Duplicates (same document, span "
        "and label) are not doubled; a malformed file is rejected whole, naming the line and field; "
        "offsets that do not match the document's text are reported, never shifted.",
    )
    parser.add_argument("file", metavar="FILE", help="the file to import (for brat: the .ann file)")
    parser.add_argument("--format", required=True, choices=IMPORT_FORMATS)
    parser.add_argument(
        "--doc",
        metavar="TEXTFILE",
        type=Path,
        help="the document the annotations belong to (needed for doccano and label-studio; "
        "optional where the file names its document)",
    )
    _store_options(parser)
    parser.add_argument("--annotator", help="name for imported annotations that carry none")
    return parser


def run_export(argv: Sequence[str]) -> int:
    from .core.store.store import AnnotationStore
    from .core.transfer import Skipped, all_documents, default_output, documents_for, run_export as export

    args = build_export_parser().parse_args(argv)
    if bool(args.files) == bool(args.all):
        raise HamishError("name the documents to export, or give --all (not both)")
    config = _config(args)
    files = [Path(f) for f in args.files]
    output = args.output
    if output is None:
        output = str(default_output(files[0], args.format)) if len(files) == 1 else "-"
    if args.format == "brat" and output == "-":
        raise HamishError("brat writes several files: give a directory with -o DIR")
    skipped: list[Skipped] = []
    with AnnotationStore(args.db) as store:
        # Named documents are loaded before any output is opened: a bad file then leaves no
        # half-written export behind (or on standard output).
        documents = all_documents(store, skipped) if args.all else iter(list(documents_for(files, store)))
        target = sys.stdout if output == "-" else Path(output)
        report = export(args.format, documents, target, config.labels)
    for item in skipped:
        print(escape_controls(f"hamish: skipped {item.path}: {item.reason}"), file=sys.stderr)
    where = "standard output" if output == "-" else output
    orphans = f", {report.skipped_orphans} orphaned left out" if report.skipped_orphans else ""
    print(
        escape_controls(
            f"hamish: exported {report.annotations} annotation(s) from {report.documents} document(s) "
            f"to {where} ({args.format}, offsets in {report.offset_unit}{orphans})"
        ),
        file=sys.stderr,
    )
    return 0


def run_import(argv: Sequence[str]) -> int:
    from .core.store.annotation import default_annotator
    from .core.store.store import AnnotationStore
    from .core.transfer import run_import as merge_file

    args = build_import_parser().parse_args(argv)
    config = _config(args)
    annotator = args.annotator or config.annotator or default_annotator()
    from .core.store.annotation import StoreWriteError

    try:
        with AnnotationStore(args.db) as store:
            report = merge_file(args.format, Path(args.file), store, annotator, config.labels, args.doc)
    except StoreWriteError as exc:
        # The store's own message promises a retry, which a command that ends cannot keep.
        reason = str(exc).split("; kept in memory")[0]
        raise HamishError(f"{reason}; the import was not saved and the store on disk is unchanged") from None
    print(f"hamish: {report.summary()}", file=sys.stderr)
    for problem in report.mismatches:
        print(escape_controls(f"hamish: not imported: {problem}"), file=sys.stderr)
    return 0


def _config(args: argparse.Namespace):
    """The config file's settings (defaults, with a warning, if it is unusable) under the
    command line's."""
    try:
        config = load_config()
    except ConfigError as exc:
        print(f"hamish: warning: {exc}; using defaults", file=sys.stderr)
        from .core.config import Config

        config = Config()
    return with_overrides(
        config,
        bidi=getattr(args, "bidi", None),
        direction=getattr(args, "direction", None),
        harakat=getattr(args, "harakat", None),
    )


def run_render(argv: Sequence[str]) -> int:
    args = build_render_parser().parse_args(argv)
    if args.width is not None and args.width < 1:
        raise HamishError(f"--width must be at least 1, not {args.width}")
    config = _config(args)
    width = args.width
    if width is None:
        chrome = reader_chrome(len(config.labels))
        width = shutil.get_terminal_size((80 + chrome, 24)).columns - chrome if sys.stdout.isatty() else 80
    doc = Document.open(args.file)
    out = sys.stdout
    options = LayoutOptions(width=max(1, width), bidi=config.bidi, direction=config.direction, harakat=config.harakat)
    for line in render_lines(doc, options):
        out.write(line)
        out.write("\n")
    return 0


def run_sentences(argv: Sequence[str]) -> int:
    args = build_sentences_parser().parse_args(argv)
    doc = Document.open(args.file)
    index = SentenceIndex(doc, eager_chars=0)
    out = sys.stdout
    for number, (start, end) in enumerate(index.all_spans(), 1):
        text = doc.text[start:end]
        if args.format == "jsonl":
            record = {"index": number, "start": start, "end": end, "text": text}
            out.write(_inert_json(json.dumps(record, ensure_ascii=False)))
        else:
            out.write(f"{number}\t{escape_controls(' '.join(text.splitlines()))}")
        out.write("\n")
    return 0


#: Characters JSON may carry raw but a terminal would act on: DEL, C1 controls, bidi controls.
_UNSAFE_IN_JSON = re.compile("[\x7f-\x9f\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")


def _inert_json(line: str) -> str:
    """A JSON line with those characters as \\u escapes (still the same JSON value)."""
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", line)


def run_app(argv: Sequence[str]) -> int:
    args = build_app_parser().parse_args(argv)
    from .core.samples import default_sample

    path = args.file or str(default_sample())
    # Fail here, before the terminal is taken over. A large file is opened with only its
    # head decoded; the app decodes the rest after its first frame.
    doc = Document.open_progressively(path)
    from .app import HamishApp
    from .core.store.store import AnnotationStore

    with AnnotationStore(args.db) as store:
        app = HamishApp(
            doc, bidi=args.bidi, direction=args.direction, harakat=args.harakat, annotator=args.annotator, store=store
        )
        app.run()
    if app.fatal_error:
        raise HamishError(app.fatal_error)
    return app.return_code or 0


#: `hamish NAME ...`; anything else is a file for the reader (write ./render for a file
#: literally called "render").
SUBCOMMANDS = {"render": run_render, "sentences": run_sentences, "export": run_export, "import": run_import}


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")
    try:
        subcommand = SUBCOMMANDS.get(argv[0]) if argv else None
        if subcommand is not None:
            return subcommand(argv[1:])
        return run_app(argv)
    except HamishError as exc:
        print(f"hamish: {escape_controls(str(exc))}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader of a pipe went away (`hamish render x | head`): not an error.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # the last line of defence: never a traceback
        if os.environ.get("HAMISH_DEBUG"):
            raise
        detail = escape_controls(f"{type(exc).__name__}: {exc}")
        print(f"hamish: internal error: {detail} (set HAMISH_DEBUG=1 for details)", file=sys.stderr)
        return 70


if __name__ == "__main__":
    sys.exit(main())
