"""`python -P -m policy_diff.hooks HOOK [ARGS...]`: what the installed hook scripts run.

The scripts already in users' repositories call this name, so it stays the hooks' entry.
"""

from __future__ import annotations

import sys

from ..errors import PolicyDiffError
from ..process import short_lived_process
from ..text.safe import sanitize
from .check import pre_push
from .install import HOOKS
from .run import pre_commit, prepare_commit_msg


def run_hook(name: str, argv: list[str]) -> int:
    """Run hook NAME with git's arguments; return its exit status."""
    if name in ("pre-commit", "pre-merge-commit"):  # a merge git commits itself: same checks
        return pre_commit()
    if name == "prepare-commit-msg":
        return prepare_commit_msg(argv)
    if name == "pre-push":  # git gives the remote's name, then the refs on standard input
        return pre_push(sys.stdin.read(), argv[0] if argv else "")
    print(f"policy-diff: error: unknown hook {name!r} (known: {', '.join(HOOKS)})",
          file=sys.stderr)
    return 2


def main(argv: list[str] | None = None) -> int:
    """Run HOOK [ARGS...]; `python -m policy_diff.hooks`, what the scripts call, lands here."""
    args = sys.argv[1:] if argv is None else argv
    if not args:
        print(f"usage: python -m policy_diff.hooks {{{','.join(HOOKS)}}} [ARGS...]",
              file=sys.stderr)
        return 2
    try:
        return run_hook(args[0], args[1:])
    except PolicyDiffError as exc:
        print(f"policy-diff: error: {sanitize(str(exc))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    with short_lived_process():
        sys.exit(main())
