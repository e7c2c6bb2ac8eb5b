"""Make docs/screenshot.svg from the reviewed snapshot of the Arabic reader screen.

Textual's SVG export writes each run of cells as a <text> element. Our Arabic is already in
visual order, but an SVG renderer (a browser, librsvg) runs the bidi algorithm again on
each element and reverses it a second time, just like a terminal that does its own bidi.
`unicode-bidi: bidi-override; direction: ltr` tells it to draw the characters as given.

Run after `pytest tests/test_snapshots.py --snapshot-update`:
    python docs/make_screenshot.py
"""

from pathlib import Path

HERE = Path(__file__).resolve().parent
SNAPSHOT = HERE.parent / "tests" / "__snapshots__" / "test_snapshots" / "test_arabic_reader_screen.svg"
OUT = HERE / "screenshot.svg"
RULE = "text, tspan { unicode-bidi: bidi-override; direction: ltr; }"


def main() -> None:
    svg = SNAPSHOT.read_text(encoding="utf-8")
    if RULE not in svg:
        svg = svg.replace("<style>", "<style>\n" + RULE, 1)
    OUT.write_text(svg, encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
