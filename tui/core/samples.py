"""The sample documents shipped with Hamish (the `samples/` folder, installed as
`tui.samples`), so that `hamish` with no argument shows something worth reading."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

#: What `hamish` opens with no argument: the Arabic news sample.
DEFAULT_SAMPLE = "ar-news-desalination.txt"
_SUFFIXES = (".txt", ".md")


def samples_dir() -> Path:
    return Path(str(resources.files("tui.samples")))


def list_samples() -> list[Path]:
    """Every bundled sample, sorted by name."""
    return sorted(p for p in samples_dir().iterdir() if p.suffix in _SUFFIXES)


def default_sample() -> Path:
    return samples_dir() / DEFAULT_SAMPLE
