"""Shared fixtures: every test gets its own config and data (annotation store) directories,
so no test reads or writes the developer's real settings or annotations, and tests cannot
leak state into each other."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"
AR_SAMPLE = SAMPLES / "ar-news-desalination.txt"


@pytest.fixture(autouse=True)
def isolated_config(tmp_path_factory, monkeypatch) -> Path:
    directory = tmp_path_factory.mktemp("config")
    monkeypatch.setenv("HAMISH_CONFIG_DIR", str(directory))
    monkeypatch.setenv("HAMISH_DATA_DIR", str(tmp_path_factory.mktemp("data")))
    for name in ("KONSOLE_VERSION", "KONSOLE_DBUS_SESSION", "KITTY_WINDOW_ID", "MLTERM", "TERM_PROGRAM"):
        monkeypatch.delenv(name, raising=False)
    return directory
