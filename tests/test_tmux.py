"""End to end in a real terminal: run `hamish` inside tmux, type keys, read the screen.

This is how a person meets the app, so it checks what Pilot cannot: the console script,
start-up on the bundled sample with no argument, drawing through a real terminal, and a
clean exit on ctrl+q.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import unicodedata
import uuid
from pathlib import Path

import pytest

from corpus import IN_CI
from tui.core.layout.display import display_line
from tui.core.text.document import Document
from tui.core.samples import default_sample

pytestmark = pytest.mark.slow


@pytest.fixture
def tmux(isolated_config):
    if shutil.which("tmux") is None:
        if IN_CI:
            pytest.fail("tmux is required in CI")
        pytest.skip("tmux not installed")
    session = f"hamish-{uuid.uuid4().hex[:8]}"
    socket = f"hamish-test-{session}"

    def run(*args: str) -> str:
        return subprocess.run(["tmux", "-L", socket, *args], capture_output=True, text=True, check=True).stdout

    yield session, run
    subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True)


def wait_for(run, session: str, predicate, timeout: float = 20.0) -> str:
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = run("capture-pane", "-p", "-t", session)
        if predicate(screen):
            return screen
        time.sleep(0.2)
    raise AssertionError(f"screen never matched; last screen:\n{screen}")


def fold(text: str) -> str:
    """Compare screens by letters: presentation forms back to their base letters."""
    return unicodedata.normalize("NFKC", text)


def test_hamish_with_no_argument_opens_the_sample_and_quits(tmux, isolated_config):
    session, run = tmux
    hamish = str(Path(sys.executable).with_name("hamish"))
    command = f"HAMISH_CONFIG_DIR={isolated_config} TERM=xterm-256color {hamish}; echo EXIT=$?; sleep 30"
    run("new-session", "-d", "-s", session, "-x", "100", "-y", "30", command)
    doc = Document.open(default_sample())
    title_visual = display_line(doc.title)
    screen = wait_for(run, session, lambda s: "sentence 1 of" in s)
    # The title is drawn in visual order (shaped, right to left), as the core lays it out.
    assert fold(title_visual) in fold(screen)
    assert "bidi: app" in screen
    run("send-keys", "-t", session, "j", "j")
    wait_for(run, session, lambda s: "sentence 3 of" in s)
    run("send-keys", "-t", session, "C-q")
    screen = wait_for(run, session, lambda s: "EXIT=" in s)
    assert "EXIT=0" in screen
    assert "Traceback" not in screen


def test_bad_file_prints_one_line_in_a_terminal(tmux, isolated_config):
    session, run = tmux
    hamish = str(Path(sys.executable).with_name("hamish"))
    run("new-session", "-d", "-s", session, "-x", "100", "-y", "10", f"{hamish} /no/such.txt; echo EXIT=$?; sleep 30")
    screen = wait_for(run, session, lambda s: "EXIT=" in s)
    assert "hamish: /no/such.txt: no such file" in screen and "EXIT=2" in screen
