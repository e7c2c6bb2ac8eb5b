"""Hamish performance benchmark: medians of repeated runs against the product's targets.

    python bench/run.py [--quick] [--write bench/RESULTS.md]

Run it with the project's interpreter (the one Textual and `tui` are installed in). Every
number is a median over RUNS repetitions (5; 3 with --quick), after one warm-up that is not
counted, so disk cache and .pyc compilation do not land in the first sample. The script only
reports: it prints a Markdown table (and with --write saves it with machine information) and
exits 0 whether or not targets are met. Parts whose input lives in ../shared (beside the repo)
are skipped with a message when it is absent, e.g. on a user's clone.

Measurements, and why each is taken the way it is:

1. Launch to first screen, 50 MB file vs a bare Textual app (bench/launch_probe.py). Both run
   as fresh subprocesses, interleaved A, B, A, B, timed by the wall clock from spawning the
   process to its first painted frame with content (the probe stamps it), so interpreter
   start-up, imports, file loading and the first frame all
   count, and drift in machine load hits both sides alike. The ratio is what matters: it
   removes the machine's speed. The probe also reports peak resident memory (VmHWM).
2. Paging frame time at 200x60, in-process with `App.run_test`. For each page the script
   calls `action_page_down()` (which moves `scroll_y` at once), then times `render_line(y)`
   for every row of the pane *before* yielding to Textual, so the strips of the new page are
   built for real; then `pilot.pause()` lets Textual paint. Timing after the pause would only
   measure cache hits: the pause's own repaint already built and cached every strip (the
   "from cache" row shows that cost for comparison).
3. `hamish render` / `hamish sentences` on the seed article: subprocesses; CPU time is the
   child's user+sys from `resource.getrusage(RUSAGE_CHILDREN)` deltas, wall time around it.
4. Core layout throughput: `layout_paragraph` on every non-empty paragraph of the seed
   article at width 80, in-process, after one warm-up pass (the glyph and shaper caches are
   warm in a running app too).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import json
import math
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEED = SHARED / "seed" / "karabakh-article.txt"
MAKE_BIG = SHARED / "corpus" / "make_big.py"
PROBE = REPO / "bench" / "launch_probe.py"
CACHE = Path(tempfile.gettempdir()) / "hamish-bench"
BIG_MB = 50
PAGES = 60
PAGE_SIZE = (200, 60)

# Never touch the user's settings: every app, CLI call and probe below reads this directory.
os.environ["HAMISH_CONFIG_DIR"] = tempfile.mkdtemp(prefix="hamish-bench-cfg-")
sys.path.insert(0, str(REPO))


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def median(xs: list[float]) -> float:
    return statistics.median(xs)


def p95(xs: list[float]) -> float:
    """Nearest-rank 95th percentile."""
    ordered = sorted(xs)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def row(name: str, value: str, target: str = "", met: bool | None = None) -> dict:
    status = "" if met is None else ("yes" if met else "**NO**")
    return {"name": name, "value": value, "target": target or "—", "met": status or "—"}


# -- inputs ------------------------------------------------------------------------------------


def big_file() -> Path | None:
    """The 50 MB real-Arabic file, built once by ../shared/corpus/make_big.py and cached."""
    out = CACHE / f"big{BIG_MB}.txt"
    if out.exists() and out.stat().st_size >= BIG_MB * 1024 * 1024:
        return out
    if not MAKE_BIG.exists():
        return None
    CACHE.mkdir(parents=True, exist_ok=True)
    log(f"building {out} with {MAKE_BIG} ...")
    subprocess.run([sys.executable, str(MAKE_BIG), str(out), "--mb", str(BIG_MB)], check=True, stdout=subprocess.DEVNULL)
    return out


def prefix_file(big: Path, size: int = 1024 * 1024) -> Path:
    """The first `size` bytes of `big`, cut at a newline (so no UTF-8 sequence is split)."""
    out = CACHE / f"prefix-{size}.txt"
    if not out.exists():
        data = big.read_bytes()[:size]
        out.write_bytes(data[: data.rfind(b"\n") + 1])
    return out


def hamish_command() -> list[str]:
    """The installed `hamish` entry point beside this interpreter, else `python -m tui`."""
    script = Path(sys.executable).parent / "hamish"
    return [str(script)] if script.exists() else [sys.executable, "-m", "tui"]


# -- 1. launch ---------------------------------------------------------------------------------


def probe(args: list[str]) -> tuple[float, dict]:
    """(seconds from spawning the probe to its first painted screen, the probe's report).
    Both sides are wall-clock times on this machine, so interpreter start-up, imports, file
    loading and the first frame count; work the app does after its first frame does not."""
    spawned = time.time()
    done = subprocess.run([sys.executable, str(PROBE), *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"probe {args[0]} failed ({done.returncode}): {done.stderr.strip()[-300:]}")
    info = json.loads(done.stdout.strip().splitlines()[-1])
    return info["first_frame_wall"] - spawned, info


def bench_launch(big: Path, runs: int) -> tuple[list[dict], list[str]]:
    probe(["bare"]), probe(["hamish", str(big)])  # warm-up pair
    bare, ham, bare_info, ham_info = [], [], [], []
    for _ in range(runs):
        wall, info = probe(["bare"])
        bare.append(wall), bare_info.append(info)
        wall, info = probe(["hamish", str(big)])
        ham.append(wall), ham_info.append(info)
    ratio = median(ham) / median(bare)
    peak_mb = median([i["vmhwm_kb"] for i in ham_info]) / 1024
    file_mb = big.stat().st_size / 1048576
    rows = [
        row("Launch to first screen: bare Textual app", f"{median(bare):.3f} s"),
        row(f"Launch to first screen: hamish, {file_mb:.0f} MB file", f"{median(ham):.3f} s"),
        row("Launch ratio hamish / bare", f"{ratio:.2f}", "≤ 2.0", ratio <= 2.0),
        row("Peak RSS (VmHWM), hamish 50 MB launch", f"{peak_mb:.0f} MiB"),
        row("Peak RSS / file size", f"{peak_mb / file_mb:.2f}", "≤ 4.0", peak_mb / file_mb <= 4.0),
    ]
    painted = all(i["painted_before_exit"] for i in bare_info + ham_info)
    reader_rows = median([i["rows_at_exit"] for i in ham_info])
    notes = [
        f"Launch: first frame painted before the exit hook in every run: {'yes' if painted else 'NO'} "
        f"(reader rows drawn by then, median: {reader_rows:.0f}).",
        f"Launch, inside the probes (medians, seconds since the probe's first line): bare imports done "
        f"{median([i['imported_s'] for i in bare_info]):.3f} s, exit hook {median([i['exit_s'] for i in bare_info]):.3f} s; "
        f"hamish imports + `Document.open` done {median([i['opened_s'] for i in ham_info]):.3f} s, "
        f"exit hook {median([i['exit_s'] for i in ham_info]):.3f} s.",
    ]
    return rows, notes


# -- 2. paging ---------------------------------------------------------------------------------


def survive_layout_errors(reader, failed: set[int]) -> None:
    """Bench-only guard: a paragraph whose layout raises would crash the app mid-benchmark
    (a bug, reported in the notes). Lay such a paragraph out in terminal mode instead, cache
    it like the reader does, and record it, so the remaining frames can still be timed."""
    from tui.core.layout.layout import LayoutOptions, layout_paragraph

    original = reader.paragraph_lines

    def paragraph_lines(paragraph: int):
        try:
            return original(paragraph)
        except ValueError:
            failed.add(paragraph)
            start, end = reader.doc.paragraph_span(paragraph)
            o = reader.layout_options
            fallback = LayoutOptions(o.width, "terminal", o.direction, o.harakat)
            lines = layout_paragraph(reader.doc.text[start:end], start, fallback)
            reader._layouts[paragraph] = lines
            reader._rows.set_exact(paragraph, len(lines))
            return lines

    reader.paragraph_lines = paragraph_lines


async def page_through(path: Path, failed: set[int]) -> dict:
    from tui.app import HamishApp
    from tui.core.text.document import Document

    app = HamishApp(Document.open(path))
    result = {"cold": [], "warm": [], "action": [], "stuck": 0}
    async with app.run_test(size=PAGE_SIZE) as pilot:
        await pilot.pause()
        reader = app.reader
        survive_layout_errors(reader, failed)
        height = reader.scrollable_content_region.height
        result["progress_at_start"] = reader.index.progress
        for _ in range(PAGES):
            before = reader.scroll_y
            t0 = time.perf_counter()
            reader.action_page_down()
            t1 = time.perf_counter()
            for y in range(height):
                reader.render_line(y)
            t2 = time.perf_counter()
            await pilot.pause()
            t3 = time.perf_counter()
            for y in range(height):
                reader.render_line(y)
            t4 = time.perf_counter()
            result["stuck"] += reader.scroll_y == before
            result["action"].append((t1 - t0) * 1e3)
            result["cold"].append((t2 - t1) * 1e3)
            result["warm"].append((t4 - t3) * 1e3)
        result["height"] = height
        await pilot.press("ctrl+q")
    return result


def bench_paging(files: list[tuple[str, Path]], runs: int) -> tuple[list[dict], list[str]]:
    rows, notes = [], []
    for label, path in files:
        failed: set[int] = set()
        cold, warm, action, stuck, progress = [], [], [], 0, []
        for _ in range(runs):
            r = asyncio.run(page_through(path, failed))
            cold += r["cold"]
            warm += r["warm"]
            action += r["action"]
            stuck += r["stuck"]
            progress.append(r["progress_at_start"])
        med = median(cold)
        rows.append(row(f"Page-down frame build, {label} (median / p95)", f"{med:.1f} / {p95(cold):.1f} ms", "median ≤ 16 ms", med <= 16))
        rows.append(row(f"  page-down handler itself, {label} (median / p95)", f"{median(action):.1f} / {p95(action):.1f} ms"))
        rows.append(row(f"  same frame again from cache, {label} (median)", f"{median(warm):.1f} ms"))
        notes.append(
            f"Paging {label}: {len(cold)} frames of {r['height']} rows from {runs} runs of {PAGES} pages; "
            f"pages that did not move: {stuck}; sentence counting done at the first page: {median(progress):.0%}"
            + (" (the rest ran on the app's worker thread while paging)." if median(progress) < 1 else ".")
        )
        if failed:
            notes.append(
                f"BUG, paging {label}: layout raised ValueError for {len(failed)} paragraph(s) "
                f"(e.g. #{min(failed)}); the real app crashes there. The bench laid them out in terminal mode to go on."
            )
    return rows, notes


# -- 3. CLI ------------------------------------------------------------------------------------


def timed_child(command: list[str]) -> tuple[float, float, int]:
    """(wall s, user+sys CPU s, exit status) of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.returncode


def bench_cli(runs: int) -> tuple[list[dict], list[str]]:
    rows, notes = [], []
    base = hamish_command()
    for sub, extra in (("render", ["--width", "80"]), ("sentences", [])):
        command = [*base, sub, str(SEED), *extra]
        timed_child(command)  # warm-up
        samples = [timed_child(command) for _ in range(runs)]
        wall = median([s[0] for s in samples])
        cpu = median([s[1] for s in samples])
        codes = sorted({s[2] for s in samples})
        ok = wall < 0.5 and cpu < 0.5 and codes == [0]
        value = f"CPU {cpu:.3f} s, wall {wall:.3f} s" + ("" if codes == [0] else f", exit {codes}")
        rows.append(row(f"`hamish {sub}` seed article", value, "< 0.5 s each", ok))
    notes.append(f"CLI run as: `{' '.join(base)}`.")
    return rows, notes


# -- 4. layout ---------------------------------------------------------------------------------


def bench_layout(runs: int) -> tuple[list[dict], list[str]]:
    from tui.core.text.document import Document
    from tui.core.layout.layout import LayoutOptions, layout_paragraph

    doc = Document.open(SEED)
    options = LayoutOptions(width=80)
    paragraphs = [(doc.paragraph_text(i), doc.paragraph_span(i)[0]) for i in range(doc.paragraph_count)]
    paragraphs = [(text, start) for text, start in paragraphs if text.strip()]
    chars = sum(len(text) for text, _ in paragraphs)

    def one_pass() -> float:
        start = time.perf_counter()
        for text, offset in paragraphs:
            layout_paragraph(text, offset, options)
        return time.perf_counter() - start

    one_pass()  # warm-up
    total = median([one_pass() for _ in range(runs)])
    rows = [
        row("Layout, width 80: per paragraph", f"{total / len(paragraphs) * 1e3:.2f} ms"),
        row("Layout, width 80: per 1,000 characters", f"{total / chars * 1e6:.2f} ms"),
    ]
    return rows, [f"Layout: {len(paragraphs)} non-empty paragraphs, {chars:,} characters of the seed article."]


# -- report ------------------------------------------------------------------------------------


def table(rows: list[dict], runs: int) -> str:
    lines = [f"| Measurement (median of {runs} runs) | Result | Target | Met |", "| --- | --- | --- | --- |"]
    lines += [f"| {r['name']} | {r['value']} | {r['target']} | {r['met']} |" for r in rows]
    return "\n".join(lines)


def machine() -> list[str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        from importlib.metadata import version

        textual = version("textual")
    except Exception:  # not installed: the table says so anyway
        textual = "not installed"
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return [
        f"- CPU: {cpu}",
        f"- Cores: {os.cpu_count()} ({usable} usable by this process)",
        f"- Python: {platform.python_version()} ({platform.python_implementation()})",
        f"- Textual: {textual}",
        f"- OS: {platform.platform()}",
        f"- Date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC",
    ]


def run_part(name: str, func, *args) -> tuple[list[dict], list[str]]:
    log(f"running: {name} ...")
    try:
        return func(*args)
    except Exception as exc:  # report and go on: this script never fails the caller
        return [row(name, f"failed: {type(exc).__name__}: {exc}")], []


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 runs instead of 5")
    parser.add_argument("--write", metavar="PATH", help="also save the results, with machine info, as Markdown")
    args = parser.parse_args()
    runs = 3 if args.quick else 5
    try:
        import textual  # noqa: F401
        import tui  # noqa: F401
    except ImportError as exc:
        print(f"Skipped everything: {exc}. Run with the project's Python (e.g. /tmp/venv/bin/python).")
        return 0

    rows: list[dict] = []
    notes: list[str] = []
    big = None
    if SHARED.exists():
        try:
            big = big_file()
        except (OSError, subprocess.CalledProcessError) as exc:
            notes.append(f"Could not build the {BIG_MB} MB file: {exc}")
    else:
        notes.append(f"Skipped every part: {SHARED} is absent (it holds the corpus and the seed article).")

    parts = []
    if big:
        parts.append(("launch", bench_launch, big, runs))
        parts.append(("paging", bench_paging, [("50 MB", big), ("1 MB", prefix_file(big))], runs))
    elif SHARED.exists():
        notes.append(f"Skipped launch and paging: no {BIG_MB} MB file ({MAKE_BIG} missing).")
    if SEED.exists():
        parts.append(("cli", bench_cli, runs))
        parts.append(("layout", bench_layout, runs))
    elif SHARED.exists():
        notes.append(f"Skipped CLI and layout: {SEED} is absent.")
    for name, func, *part_args in parts:
        part_rows, part_notes = run_part(name, func, *part_args)
        rows += part_rows
        notes += part_notes

    report = (table(rows, runs) + "\n\n" if rows else "") + "\n".join(f"- {n}" for n in notes) + "\n"
    print(report)
    if args.write:
        command = "python bench/run.py" + (" --quick" if args.quick else "") + f" --write {args.write}"
        text = (
            "# Hamish benchmark results\n\n"
            f"Generated by `{command}` (see the docstrings of bench/run.py and bench/launch_probe.py "
            "for how each number is taken). Targets are reported, not asserted.\n\n"
            "## Machine\n\n" + "\n".join(machine()) + "\n\n## Results\n\n" + report
        )
        Path(args.write).write_text(text, encoding="utf-8")
        log(f"wrote {args.write}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
