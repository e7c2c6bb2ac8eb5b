"""The label set: what a sentence can be tagged as, with its key and colour.

Claim, quote and figure are the defaults; the config file may define others
(`[[labels]]` tables with `name`, `key`, `colour`). Annotations store label *names*, so
renaming or removing a label in the config never deletes anything: a stored label that the
set no longer knows is still shown (with a neutral marker) and still exported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import HamishError

_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_NAME = re.compile(r"^[^\s\x00-\x1f\x7f]{1,32}$")
#: Keys the reader already uses for something else.
RESERVED_KEYS = frozenset("jkgGbl?xmuaen/[]{}NvRe") | {"space", "up", "down", "pageup", "pagedown", "home", "end", "enter", "tab"}
#: Marker for a stored label that the current label set does not define.
UNKNOWN_MARKER = "·"
UNKNOWN_COLOUR = "#808080"


class LabelError(HamishError):
    """The label set in the config is unusable."""


@dataclass(frozen=True)
class Label:
    name: str
    key: str
    colour: str

    @property
    def marker(self) -> str:
        """The one-letter gutter marker: the label's first letter, upper-cased."""
        return self.name[0].upper()


DEFAULT_LABELS: tuple[Label, ...] = (
    Label("claim", "c", "#b45309"),
    Label("quote", "q", "#1d4ed8"),
    Label("figure", "f", "#047857"),
)


class LabelSet:
    """An ordered label set; position i also answers to the digit key i+1."""

    def __init__(self, labels: tuple[Label, ...] = DEFAULT_LABELS) -> None:
        self.labels = labels
        self._by_name = {label.name: label for label in labels}

    def __iter__(self):
        return iter(self.labels)

    def __len__(self) -> int:
        return len(self.labels)

    def get(self, name: str) -> Label | None:
        return self._by_name.get(name)

    def marker(self, name: str) -> str:
        label = self.get(name)
        return label.marker if label else UNKNOWN_MARKER

    def colour(self, name: str) -> str:
        label = self.get(name)
        return label.colour if label else UNKNOWN_COLOUR

    def order(self, names: tuple[str, ...] | list[str]) -> list[str]:
        """Names in label-set order, unknown ones after, alphabetically."""
        known = [label.name for label in self.labels if label.name in names]
        return known + sorted(n for n in names if n not in self._by_name)


def parse_labels(raw: object, where: str) -> LabelSet:
    """Build a label set from the config's `labels` array (a list of tables)."""
    if not isinstance(raw, list) or not raw:
        raise LabelError(f"{where}: labels must be a non-empty list of tables")
    if len(raw) > 9:
        raise LabelError(f"{where}: at most 9 labels (digit keys 1–9 select them)")
    labels: list[Label] = []
    for i, item in enumerate(raw, 1):
        if not isinstance(item, dict):
            raise LabelError(f"{where}: labels[{i}] must be a table with name, key, colour")
        name, key, colour = item.get("name"), item.get("key"), item.get("colour", item.get("color"))
        if not isinstance(name, str) or not _NAME.match(name):
            raise LabelError(f"{where}: labels[{i}].name must be 1–32 characters without spaces")
        if not isinstance(key, str) or len(key) != 1 or key in RESERVED_KEYS or key.isdigit():
            raise LabelError(f"{where}: labels[{i}].key must be one character not used by another command")
        if not isinstance(colour, str) or not _COLOUR.match(colour):
            raise LabelError(f"{where}: labels[{i}].colour must look like #1d4ed8")
        labels.append(Label(name, key, colour))
    for attribute in ("name", "key"):
        values = [getattr(label, attribute) for label in labels]
        if len(set(values)) != len(values):
            raise LabelError(f"{where}: two labels share a {attribute}")
    return LabelSet(tuple(labels))
