"""Hamish (هامش, "margin note"): read Arabic and mixed right-to-left text in a terminal,
and annotate it sentence by sentence.

`tui.core` is the headless core (no Textual import, enforced by a test); everything else in
this package is the thin Textual shell on top of it.
"""

__version__ = "0.1.0"
