"""The status bar: which file, which sentence of how many, and the bidi mode."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class StatusBar(Static):
    """One line at the bottom of the reader. Shows plain text only: a file name or title is
    data, never markup (Rich `Text`, not a markup string)."""

    def show(
        self,
        *,
        file: str,
        number: int | None,
        total: int | None,
        progress: float,
        bidi: str,
        direction: str,
    ) -> None:
        if total is not None:
            where = f"sentence {number or 0} of {total}" if total else "no sentences"
        elif number is not None:
            where = f"sentence {number} (counting… {progress:.0%})"
        else:
            where = f"counting sentences… {progress:.0%}"
        parts = [file, where, f"bidi: {bidi}", f"direction: {direction}", "? keys"]
        self.update(Text("  │  ".join(parts), no_wrap=True, overflow="ellipsis"))
