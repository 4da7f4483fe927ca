"""The one error root: every problem a user can cause is a PolicyDiffError.

The CLI turns it into `policy-diff: error: path:line: message` and exit code 2;
anything else escaping is a bug in policy-diff, not in the user's input.
"""

from __future__ import annotations


class PolicyDiffError(Exception):
    """A problem with the user's input or request, located where possible."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def __reduce__(self) -> tuple[type[PolicyDiffError], tuple[str, str | None, int | None]]:
        # Raised in a worker process, it reaches the main one with its location.
        return (type(self), (self.message, self.path, self.line))

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = f"{self.path}:{self.line}: " if self.line is not None else f"{self.path}: "
        return where + self.message


class RecordError(PolicyDiffError):
    """A record or manifest that cannot be read: bad YAML, unclosed front matter, bad encoding."""


class RefError(PolicyDiffError):
    """A ref that names nothing, or more than one thing."""


class UsageError(PolicyDiffError):
    """Options or arguments that do not fit together."""
