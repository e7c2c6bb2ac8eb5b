"""The headless core: loading, segmentation, bidi layout, configuration.

Nothing in this package may import Textual (tests/test_architecture.py enforces it), so the
same code drives the reader pane, `hamish render`, `hamish sentences` and the exporters.
Offsets everywhere are Unicode code points into the loaded, newline-normalised text.
"""
