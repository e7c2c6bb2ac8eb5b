"""Shared helpers for driving the app with Textual's Pilot."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from tui.app import HamishApp
from tui.widgets.status import StatusBar


async def wait_until(pilot, condition, seconds: float = 20.0) -> None:
    """Let the app run until `condition()` holds (workers and the annotations start after
    the first frame)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while not condition():
        assert loop.time() < deadline, "condition never held"
        await pilot.pause(0.02)


async def ready(pilot, app: HamishApp) -> None:
    """Wait until the document's annotations are open, and the screen has caught up."""
    await wait_until(pilot, lambda: app.session is not None)
    await pilot.pause()


def status(app: HamishApp) -> str:
    """The status bar's text."""
    return str(app.query_one(StatusBar).render())


def store_dir() -> Path:
    """The annotation store the test's app uses (conftest.py isolates it per test)."""
    return Path(os.environ["HAMISH_DATA_DIR"])
