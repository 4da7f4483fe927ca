"""`policy-diff check`: every commit of a range held to the rules the hooks keep."""

from __future__ import annotations

from typing import Annotated, Optional

import typer


def check(
    revisions: Annotated[Optional[str], typer.Argument(
        metavar="BASE..HEAD", help="The commits to check (HEAD alone: all its history; default: "
                                   "$PRE_COMMIT_FROM_REF..$PRE_COMMIT_TO_REF).")] = None,
) -> int:
    """Hold every commit of a range to the rules the hooks keep; exit 1 on a violation.

    Each commit's records and manifests must be valid, and a published version is never
    edited, removed or renamed, and its status only moves forward. For CI, a pre-push hook
    and a server's pre-receive hook, where `git commit --no-verify` cannot skip it.
    """
    # The rules are imported when the command runs: the CLI imports every command to build
    # itself, and the other commands' start-up would pay for them.
    from ..hooks.check import run_check

    return run_check(revisions)
