"""Open one (huge) document in the Hamish app under Textual's Pilot and report, as one JSON
line on stdout, what the size tests of tests/test_hostile_text.py check: the first screen,
where `G`, `g` and `pagedown` leave the cursor, how long each took, and the resident memory
before opening the document and its peak while the document was open.

Run in its own process so that nothing else a test run did counts in its memory. The
baseline is taken after a warm-up run of the app on a small document, so Python, Textual
and Hamish's own start-up are not counted as the document's.

    python tests/data/hostile/size_probe.py FILE
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HAMISH_CONFIG_DIR", tempfile.mkdtemp(prefix="hamish-probe-config-"))
os.environ.setdefault("HAMISH_DATA_DIR", tempfile.mkdtemp(prefix="hamish-probe-data-"))

from tui.app import HamishApp  # noqa: E402
from tui.core.text.document import Document  # noqa: E402
from tui.core.text.sentence_index import SentenceIndex  # noqa: E402

SIZE = (100, 30)


def _status_kib(field: str) -> int | None:
    """A memory figure of this process image from /proc/self/status (Linux), in KiB."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def maxrss_kib() -> int:
    """Peak resident memory of this process image, in KiB.

    `getrusage(RUSAGE_SELF).ru_maxrss` alone is not enough here: on Linux it survives
    fork and exec, so a process started from pytest begins with pytest's own peak (often
    larger than anything the probe does). VmHWM is the peak of this process image only;
    ru_maxrss is the fallback where /proc is not there."""
    peak = _status_kib("VmHWM")
    return peak if peak is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def reset_peak() -> int:
    """Start measuring the peak afresh from now (Linux: clear_refs 5 resets VmHWM); returns
    the baseline to measure growth from."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as clear:
            clear.write("5")
    except OSError:
        return maxrss_kib()
    current = _status_kib("VmRSS")
    return current if current is not None else maxrss_kib()


async def settle(pilot, app: HamishApp) -> None:
    for _ in range(3000):
        if app.session is not None and app.reader.index.total is not None:
            break
        await pilot.pause(0.01)
    await pilot.pause()


def state(app: HamishApp, seconds: float) -> dict:
    reader = app.reader
    width = reader.scrollable_content_region.width
    strips = [reader.render_line(y) for y in range(reader.scrollable_content_region.height)]
    return {
        "seconds": round(seconds, 4),
        "cursor": list(reader.cursor) if reader.cursor else None,
        "scroll_y": int(reader.scroll_y),
        "rows_fit": all(strip.cell_length <= width for strip in strips),
    }


async def drive(path: Path, report: dict | None) -> None:
    started = time.perf_counter()
    doc = Document.open_progressively(path)  # as `hamish FILE` opens it
    app = HamishApp(doc)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        first = time.perf_counter() - started
        rows = [app.reader.render_line(y).text for y in range(app.reader.scrollable_content_region.height)]
        await settle(pilot, app)
        if report is not None:
            report["first_screen_seconds"] = round(first, 4)
            report["settled_seconds"] = round(time.perf_counter() - started, 4)
            report["first_screen_rows"] = sum(1 for row in rows if row.strip())
            report["height"] = app.reader.scrollable_content_region.height
        for key, name in (("G", "after_G"), ("g", "after_g"), ("pagedown", "after_pagedown")):
            t0 = time.perf_counter()
            await pilot.press(key)
            await pilot.pause()
            if report is not None:
                report[name] = state(app, time.perf_counter() - t0)
        if report is not None:
            report["rows"] = app.reader.virtual_size.height


def main() -> None:
    path = Path(sys.argv[1])
    with tempfile.TemporaryDirectory() as tmp:
        small = Path(tmp) / "small.txt"
        small.write_text("قال الوزير إن الكلفة بلغت ٣٫٥ مليار. Then English. " * 50 + "\n", encoding="utf-8")
        asyncio.run(drive(small, None))
    report: dict = {"bytes": path.stat().st_size, "maxrss_before_kib": reset_peak()}
    asyncio.run(drive(path, report))
    report["maxrss_after_kib"] = maxrss_kib()
    report["ru_maxrss_kib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    index = SentenceIndex(Document.open(path))
    report["first_sentence"] = list(index.first()) if index.first() else None
    report["last_sentence"] = list(index.last()) if index.last() else None
    print(json.dumps(report))


if __name__ == "__main__":
    main()
