"""The status bar: which file, where in it, how much is tagged, the bidi mode, and any
state the user must know about (read-only, unsaved changes)."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.widgets import Static


@dataclass
class Status:
    file: str
    number: int | None = None
    total: int | None = None
    progress: float = 0.0
    tagged: int | None = None
    bidi: str = "app"
    direction: str = "auto"
    flag: str | None = None  # e.g. "READ-ONLY", "UNSAVED — retrying"
    controls: int = 0  # how many bidi control characters the document contains


class StatusBar(Static):
    """One line at the bottom. Plain text only: a file name is data, never markup."""

    def show(self, status: Status) -> None:
        if status.total is not None:
            where = f"sentence {status.number or 0} of {status.total}" if status.total else "no sentences"
        elif status.number is not None:
            where = f"sentence {status.number} (counting… {status.progress:.0%})"
        else:
            where = f"counting sentences… {status.progress:.0%}"
        parts = [status.file, where]
        if status.tagged is not None:
            if status.total:
                parts.append(f"tagged {status.tagged}/{status.total} ({100 * status.tagged / status.total:.0f}%)")
            else:
                parts.append(f"tagged {status.tagged}")
        parts.append(f"bidi: {status.bidi}")
        warning = None
        if status.controls:
            warning = f"⚠ {status.controls} bidi controls (v shows them)"
        if status.direction != "auto":
            parts.append(f"direction: {status.direction}")
        parts.append("? keys")
        text = Text(no_wrap=True, overflow="ellipsis")
        if status.flag:
            text.append(f" {status.flag} ", style="bold reverse")
            text.append("  ")
        if warning:
            text.append(warning, style="bold yellow")
            text.append(" │ ")
        text.append(" │ ".join(parts))
        self.update(text)
