"""The user's settings, in a TOML file in the user's config directory.

`$HAMISH_CONFIG_DIR` overrides the directory (tests use it to stay isolated). A config file
that does not parse is reported and left alone, never overwritten: the app falls back to
defaults for that session. Writes go to a temporary file that replaces the old one, so a
crash never leaves half a config.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

import tomlkit
from platformdirs import user_config_dir

from .store.durable import write_durably
from .errors import HamishError
from .labels import DEFAULT_LABELS, LabelError, LabelSet, parse_labels
from .layout.layout import BIDI_MODES, DIRECTIONS, BidiMode, Direction

CONFIG_NAME = "config.toml"


class ConfigError(HamishError):
    """The config file exists but cannot be used."""


@dataclass(frozen=True)
class Config:
    """Settings that outlive a session; command-line options override them."""

    bidi: BidiMode = "app"
    direction: Direction = "auto"
    harakat: bool = True
    #: Terminals we already warned about (they reorder Arabic themselves), so we say it once.
    warned_terminals: tuple[str, ...] = field(default=())
    #: What sentences can be tagged as (names, keys, colours).
    labels: LabelSet = field(default_factory=lambda: LabelSet(DEFAULT_LABELS))
    #: Key rebindings: binding id -> comma-separated keys (see `?` in the app for the ids).
    keys: tuple[tuple[str, str], ...] = field(default=())
    #: Who is annotating; else the login name.
    annotator: str | None = None


def config_dir() -> Path:
    override = os.environ.get("HAMISH_CONFIG_DIR")
    return Path(override) if override else Path(user_config_dir("hamish", appauthor=False))


def config_path() -> Path:
    return config_dir() / CONFIG_NAME


def load_config(path: Path | None = None) -> Config:
    """Read the config; a missing file gives the defaults, a bad one raises ConfigError."""
    path = path or config_path()
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Config()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the config ({exc})") from None
    try:
        data = tomlkit.parse(raw).unwrap()
    except Exception as exc:  # tomlkit raises several unrelated types
        raise ConfigError(f"{path}: not valid TOML ({exc})") from None
    return _from_mapping(data, path)


def _from_mapping(data: dict, path: Path) -> Config:
    config = Config()
    bidi = data.get("bidi", config.bidi)
    if bidi not in BIDI_MODES:
        raise ConfigError(f"{path}: bidi must be one of {', '.join(BIDI_MODES)}, not {bidi!r}")
    direction = data.get("direction", config.direction)
    if direction not in DIRECTIONS:
        raise ConfigError(f"{path}: direction must be one of {', '.join(DIRECTIONS)}, not {direction!r}")
    harakat = data.get("harakat", config.harakat)
    if not isinstance(harakat, bool):
        raise ConfigError(f"{path}: harakat must be true or false, not {harakat!r}")
    warned = data.get("warned_terminals", [])
    if not isinstance(warned, list) or not all(isinstance(w, str) for w in warned):
        raise ConfigError(f"{path}: warned_terminals must be a list of names")
    labels = config.labels
    if "labels" in data:
        try:
            labels = parse_labels(data["labels"], str(path))
        except LabelError as exc:
            raise ConfigError(str(exc)) from None
    keys = data.get("keys", {})
    if not isinstance(keys, dict) or not all(isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in keys.items()):
        raise ConfigError(f'{path}: [keys] must map binding ids to keys, e.g. "reader.next_sentence" = "down,j"')
    annotator = data.get("annotator")
    if annotator is not None and (not isinstance(annotator, str) or not annotator.strip()):
        raise ConfigError(f"{path}: annotator must be a non-empty string")
    return Config(
        bidi=bidi,
        direction=direction,
        harakat=harakat,
        warned_terminals=tuple(warned),
        labels=labels,
        keys=tuple(sorted(keys.items())),
        annotator=annotator,
    )


def save_setting(key: str, value: object, path: Path | None = None) -> None:
    """Set one key in the config file, keeping the user's comments and other keys."""
    path = path or config_path()
    try:
        document = tomlkit.parse(path.read_text(encoding="utf-8")) if path.exists() else tomlkit.document()
    except Exception as exc:
        raise ConfigError(f"{path}: not saved, the existing file does not parse ({exc})") from None
    document[key] = list(value) if isinstance(value, tuple) else value
    _from_mapping(document.unwrap(), path)  # never write a config we could not read back
    write_atomically(path, tomlkit.dumps(document))


def write_atomically(path: Path, content: str) -> None:
    """Write a text file durably (see durable.py): a crash never leaves half a config."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_durably(path, content.encode("utf-8"))


def with_overrides(config: Config, **overrides: object) -> Config:
    """The config with command-line values (those not None) on top."""
    return replace(config, **{k: v for k, v in overrides.items() if v is not None})
