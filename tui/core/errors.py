"""Errors the user may see. Each carries a message fit to print as it is: no traceback
ever reaches a user, so everything expected is raised as a `HamishError`."""


class HamishError(Exception):
    """An error with a message meant for the user."""


class LoadError(HamishError):
    """A document could not be opened or decoded; the message names the file and the reason."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")
