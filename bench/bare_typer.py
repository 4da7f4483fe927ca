"""policy-diff's typer app with every command's body doing nothing: the yardstick of start-up.

The same commands with the same options, defaults and help (each command's own signature,
read by typer as policy-diff's are), parsed by the same app; only the work is left out.
`python bench/bare_typer.py diff OLD NEW` costs what policy-diff costs before it reads a
record, and bench/run.py times `policy-diff diff` against it.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path
from typing import Any, Callable

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from policy_diff.cli import app, main  # noqa: E402


def idle(command: Callable[..., int]) -> Callable[..., int]:
    """A command with COMMAND's signature (typer reads it through __wrapped__) that does nothing."""
    @functools.wraps(command)
    def nothing(*args: Any, **kwargs: Any) -> int:
        return 0

    return nothing


for info in [*app.registered_commands,
             *(c for group in app.registered_groups if group.typer_instance
               for c in group.typer_instance.registered_commands)]:
    if info.callback is not None:
        info.callback = idle(info.callback)

if __name__ == "__main__":
    sys.exit(main())
