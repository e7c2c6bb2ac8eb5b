"""Knowledge about terminals and bidi, kept out of the shell so it can be tested alone.

Terminals that run the bidi algorithm themselves reverse Arabic a second time if the app
has already reordered it. VTE (GNOME Terminal and friends) honours the freedesktop BiDi
recommendation's BDSM switch: `CSI 8 l` asks for explicit mode (the application does
bidi) and `CSI 8 h` restores implicit mode, so there app mode just works. Others have no
switch the app can flip; for those we tell the user once what to do.
"""

from __future__ import annotations

from collections.abc import Mapping

#: Ask the terminal not to reorder (the application does bidi): BDSM reset.
EXPLICIT_BIDI = "\x1b[8l"
#: Give the terminal its own bidi back (implicit mode): BDSM set.
IMPLICIT_BIDI = "\x1b[8h"

_ADVICE = {
    "konsole": "Konsole reorders Arabic itself: press b for terminal bidi mode, or turn off "
    "\"Bi-Directional text rendering\" in the Konsole profile (Appearance ▸ Complex Text Layout).",
    "kitty": "kitty may reverse right-to-left words itself: if Arabic reads backwards, press b "
    "for terminal bidi mode, or set force_ltr yes in kitty.conf.",
    "mlterm": "mlterm reorders Arabic itself: press b for terminal bidi mode, or start mlterm "
    "with bidi turned off (-bidi=false).",
    "apple-terminal": "Apple Terminal reorders Arabic itself: press b for terminal bidi mode.",
}


def detect_reordering_terminal(env: Mapping[str, str]) -> str | None:
    """Name of a terminal known to reorder RTL text on its own that ignores BDSM, if the
    environment reveals one; None for the rest (including VTE, which honours BDSM)."""
    if env.get("KONSOLE_VERSION") or env.get("KONSOLE_DBUS_SESSION"):
        return "konsole"
    if env.get("KITTY_WINDOW_ID") or env.get("TERM") == "xterm-kitty":
        return "kitty"
    if env.get("MLTERM") or env.get("TERM", "").startswith("mlterm"):
        return "mlterm"
    if env.get("TERM_PROGRAM") == "Apple_Terminal":
        return "apple-terminal"
    return None


def advice_for(terminal: str) -> str:
    """One sentence on how to avoid double reversal in that terminal."""
    return _ADVICE[terminal]
