"""One cold launch, timed from outside by bench/run.py.

    python bench/launch_probe.py bare
    python bench/launch_probe.py hamish FILE

Both modes run a Textual app headless at 100x30 and make it exit as soon as its first
screen has been composed and painted, so the parent's wall clock around `subprocess.run`
covers interpreter start-up, imports, (for `hamish`) reading and indexing the file, the
first frame and shut-down -- what a user waits for, minus the terminal itself.

`bare` is the yardstick: a minimal App showing one Static("hello"). `hamish` imports `tui`,
opens the document with `Document.open_progressively` (as `hamish FILE` does) and runs `HamishApp`; the exit hook lives in a
subclass here, so the app's own code is untouched.

Exit timing: `call_after_refresh(self.exit)` from `on_mount`. To check that this really fires
after the first frame, the probe wraps `App._display` (which the screen calls with each
compositor update, also when headless -- headless only skips the write to the terminal) and
counts the reader's `render_line` calls. It prints one JSON line on stdout: whether a frame
was painted before `exit` ran, how many rows the reader drew by then, and VmHWM (peak
resident memory, kB) read from /proc/self/status at the very end.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time

T0 = time.perf_counter()
os.environ.setdefault("HAMISH_CONFIG_DIR", tempfile.mkdtemp(prefix="hamish-probe-cfg-"))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # the repo, for `tui`

from textual.app import App, ComposeResult  # noqa: E402
from textual.widgets import Static  # noqa: E402

SIZE = (100, 30)
state = {"frames": 0, "frames_at_exit": None, "rows_at_exit": None, "reader_rows": 0, "mode": None}

_display = App._display


def _counting_display(self, screen, renderable):
    result = _display(self, screen, renderable)
    if renderable is not None:
        state["frames"] += 1
        # The first screen: the first frame painted with the app's content (for hamish, with
        # reader rows drawn). Wall-clock time, so the parent can subtract its spawn time.
        if "first_frame_wall" not in state and (state["mode"] == "bare" or state["reader_rows"]):
            state["first_frame_wall"] = time.time()
    return result


App._display = _counting_display


class ExitAfterFirstFrame:
    """Mixin: leave as soon as the first screen has been refreshed."""

    def on_mount(self) -> None:  # Textual also runs the base class's on_mount
        self.call_after_refresh(self._probe_exit)

    def _probe_exit(self) -> None:
        state["frames_at_exit"] = state["frames"]
        state["rows_at_exit"] = state["reader_rows"]
        state["exit_s"] = time.perf_counter() - T0
        self.exit()


class Bare(ExitAfterFirstFrame, App):
    def compose(self) -> ComposeResult:
        yield Static("hello")


def vmhwm_kb() -> int | None:
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def main(argv: list[str]) -> int:
    state["mode"] = argv[0] if argv else None
    if argv[:1] == ["bare"]:
        app = Bare()
    elif len(argv) == 2 and argv[0] == "hamish":
        from tui.app import HamishApp
        from tui.core.text.document import Document

        doc = Document.open_progressively(argv[1])
        state["opened_s"] = time.perf_counter() - T0

        class Probe(ExitAfterFirstFrame, HamishApp):
            pass

        app = Probe(doc)
        render_line = app.reader.render_line

        def counting_render_line(y):
            state["reader_rows"] += 1
            return render_line(y)

        app.reader.render_line = counting_render_line
    else:
        print(__doc__, file=sys.stderr)
        return 2
    state["imported_s"] = time.perf_counter() - T0
    app.run(headless=True, size=SIZE)
    state["total_s"] = time.perf_counter() - T0
    state["vmhwm_kb"] = vmhwm_kb()
    state["painted_before_exit"] = bool(state["frames_at_exit"])
    print(json.dumps(state))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
