"""`policy-diff hooks install|uninstall|status`: this repository's git hooks and diff driver."""

from __future__ import annotations

from typing import Annotated

import typer


def install(
    force: Annotated[bool, typer.Option(
        "--force", help="Replace a hook of ours that was edited, keeping it as <hook>.legacy.")]
    = False,
) -> int:
    """Install the pre-commit, prepare-commit-msg, pre-merge-commit and pre-push hooks and the
    `policy` diff driver."""
    # The hooks' module is imported when the command runs: the CLI imports every command to
    # build itself, and the other commands' start-up would pay for it.
    from ..hooks.install import install as install_hooks

    for line in install_hooks(force=force):
        typer.echo(line)
    return 0


def uninstall() -> int:
    """Remove them, putting back any hook that install had kept as .legacy."""
    # As in install().
    from ..hooks.install import uninstall as uninstall_hooks

    for line in uninstall_hooks():
        typer.echo(line)
    return 0


def status() -> int:
    """Show what is installed."""
    # As in install().
    from ..hooks.install import status as hooks_status

    for line in hooks_status():
        typer.echo(line)
    return 0
