"""The `hamish` command as a user runs it: subprocesses, exit codes, stdout, stderr."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from rich.cells import cell_len

from conftest import AR_SAMPLE, SAMPLES
from corpus import SEED
from tui.core.text.document import Document
from tui.core.layout.layout import LayoutOptions
from tui.core.layout.render_text import render_lines


def hamish(*args: str, **kwargs) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": "100"}
    return subprocess.run(
        [sys.executable, "-m", "tui", *args], capture_output=True, text=True, encoding="utf-8", env=env, **kwargs
    )


def test_render_prints_the_pane_layout_without_escapes():
    result = hamish("render", str(AR_SAMPLE), "--width", "50")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.split("\n")[:-1]
    doc = Document.open(AR_SAMPLE)
    assert lines == list(render_lines(doc, LayoutOptions(width=50)))
    assert "\x1b" not in result.stdout
    assert all(cell_len(line) <= 50 for line in lines)
    # Right-to-left rows are right-aligned: most full rows end at column 50.
    assert sum(1 for line in lines if cell_len(line) == 50) > len(lines) // 3


def test_render_terminal_mode_is_logical():
    result = hamish("render", str(AR_SAMPLE), "--width", "1000", "--bidi", "terminal")
    assert result.stdout.split("\n")[0] == Document.open(AR_SAMPLE).paragraph_text(0)


def test_render_no_harakat():
    with_marks = hamish("render", str(AR_SAMPLE), "--width", "60").stdout
    without = hamish("render", str(AR_SAMPLE), "--width", "60", "--no-harakat").stdout
    assert "\u064b" in with_marks and "\u064b" not in without


def test_render_default_width_in_a_pipe_is_80():
    result = hamish("render", str(SAMPLES / "en-news-harbour.md"))
    assert max(cell_len(line) for line in result.stdout.split("\n")) <= 80


def test_sentences_jsonl_offsets_are_exact():
    result = hamish("sentences", str(AR_SAMPLE), "--format", "jsonl")
    assert result.returncode == 0, result.stderr
    text = Document.open(AR_SAMPLE).text
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) > 20
    for number, record in enumerate(records, 1):
        assert set(record) == {"index", "start", "end", "text"}
        assert record["index"] == number
        assert text[record["start"] : record["end"]] == record["text"]


@pytest.mark.skipif(not SEED.exists(), reason="needs ../shared/seed")
def test_seed_has_21_sentences():
    result = hamish("sentences", str(SEED))
    assert len(result.stdout.splitlines()) == 21


@pytest.mark.parametrize(
    "args, message",
    [
        (["render", "missing.txt"], "missing.txt: no such file"),
        (["sentences", "/"], "/: is a directory"),
        (["missing.txt"], "missing.txt: no such file"),
        (["render", str(AR_SAMPLE), "--width", "0"], "--width must be at least 1"),
    ],
)
def test_errors_are_one_line_and_exit_2(args, message):
    result = hamish(*args)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_binary_file_is_refused(tmp_path):
    path = tmp_path / "image.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    result = hamish("sentences", str(path))
    assert result.returncode == 2 and "binary file (a PNG image)" in result.stderr


def test_bad_config_warns_and_uses_defaults(isolated_config):
    (isolated_config / "config.toml").write_text("bidi = 'sideways'\n", encoding="utf-8")
    result = hamish("render", str(AR_SAMPLE), "--width", "40")
    assert result.returncode == 0
    assert "bidi must be one of app, terminal" in result.stderr
    assert (isolated_config / "config.toml").read_text(encoding="utf-8") == "bidi = 'sideways'\n"


def test_help_lists_subcommands_and_modes():
    out = hamish("--help").stdout
    for word in ("render", "sentences", "--bidi", "--direction", "--no-harakat"):
        assert word in out
    assert "--width" in hamish("render", "--help").stdout
    assert "jsonl" in hamish("sentences", "--help").stdout


def test_broken_pipe_is_quiet():
    proc = subprocess.Popen(
        [sys.executable, "-m", "tui", "render", str(AR_SAMPLE), "--width", "20"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    proc.stdout.readline()
    proc.stdout.close()
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0
    assert b"Traceback" not in err
