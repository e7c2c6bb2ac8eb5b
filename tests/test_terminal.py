"""Which terminals reorder on their own, and the BDSM sequences."""

from tui.core.layout import terminal


def test_detection():
    assert terminal.detect_reordering_terminal({"KONSOLE_VERSION": "230804"}) == "konsole"
    assert terminal.detect_reordering_terminal({"TERM": "xterm-kitty"}) == "kitty"
    assert terminal.detect_reordering_terminal({"TERM": "mlterm"}) == "mlterm"
    assert terminal.detect_reordering_terminal({"TERM_PROGRAM": "Apple_Terminal"}) == "apple-terminal"
    # VTE honours BDSM, so app mode needs no warning there; plain xterm does no bidi.
    assert terminal.detect_reordering_terminal({"VTE_VERSION": "7600", "TERM": "xterm-256color"}) is None
    assert terminal.detect_reordering_terminal({"TERM": "xterm-256color"}) is None


def test_advice_names_the_key_and_the_setting():
    for name in ("konsole", "kitty", "mlterm", "apple-terminal"):
        assert "press b" in terminal.advice_for(name)


def test_bdsm_sequences():
    assert terminal.EXPLICIT_BIDI == "\x1b[8l"
    assert terminal.IMPLICIT_BIDI == "\x1b[8h"
