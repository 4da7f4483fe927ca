"""Size limits: a hostile or mistaken input is refused before it costs minutes and gigabytes.

Each limit is an environment variable holding a whole number; 0 turns it off.  An
input over a limit is an error that names the limit and the variable, never a
silent truncation.  docs/hostile-input.md gives the measurements behind the defaults.
"""

from __future__ import annotations

import os
import re

from .errors import RecordError, UsageError

Limit = tuple[str, int]  # (environment variable, default)

MAX_BYTES: Limit = ("POLICY_DIFF_MAX_BYTES", 20_000_000)         # one record or manifest
MAX_LINES: Limit = ("POLICY_DIFF_MAX_LINES", 1_000_000)          # parsing costs per line
MAX_BLOCKS: Limit = ("POLICY_DIFF_MAX_BLOCKS", 100_000)          # blocks and headings
MAX_FRONT_MATTER: Limit = ("POLICY_DIFF_MAX_FRONT_MATTER", 250_000)  # characters of YAML

_WHOLE_NUMBER = re.compile(r"[0-9]{1,18}")


def limit(setting: Limit) -> int | None:
    """The limit in force: the environment variable's value, else the default; None if off.

    >>> limit(("POLICY_DIFF_NO_SUCH_LIMIT", 7))
    7
    """
    name, default = setting
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not _WHOLE_NUMBER.fullmatch(raw):
        raise UsageError(f"${name} must be a whole number (0 turns the limit off), not {raw!r}")
    return int(raw) or None


def check_limit(setting: Limit, count: int, noun: str, path: str | None,
                exact: bool = True) -> None:
    """Refuse an input over a limit, naming the limit and how to raise it; never truncate.

    `exact` is False when `count` may be short of the truth (a stream read only so far).
    """
    allowed = limit(setting)
    if allowed is not None and count > allowed:
        has = f"{count:,}" if exact else f"more than {allowed:,}"
        raise RecordError(f"too large: {has} {noun}, over the limit of {allowed:,}; set "
                          f"{setting[0]} to raise it (0 for no limit)", path)
