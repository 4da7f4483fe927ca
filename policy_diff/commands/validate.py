"""`policy-diff validate`: records and manifests held to the record format."""

from __future__ import annotations

import json
from enum import Enum
from typing import Annotated, Optional

import typer

from .options import StoreOption


class ProblemFormat(str, Enum):
    text = "text"
    json = "json"


def validate(
    paths: Annotated[Optional[list[str]], typer.Argument(
        metavar="PATH...", help="Records, policy folders or stores (default: the whole store).")] = None,
    fmt: Annotated[ProblemFormat, typer.Option("--format", "-f")] = ProblemFormat.text,
    store: StoreOption = None,
) -> int:
    """Check records and manifests against the record format; exit 1 if any is invalid."""
    # The rules are imported when the command runs: the CLI imports every command to build
    # itself, and the other commands' start-up would pay for them.
    from ..rules.schema import validate_paths
    from ..source.store import find_store
    from ..text.safe import inert_json, safe_name

    problems = validate_paths(list(paths or []), find_store(store))
    errors = [p for p in problems if p.severity == "error"]
    if fmt is ProblemFormat.json:
        typer.echo(inert_json(json.dumps([p.as_json() for p in problems], indent=2,
                                         ensure_ascii=False)))
    else:
        for problem in problems:  # one line each, whatever the file's name holds
            typer.echo(safe_name(str(problem)))
        warnings = len(problems) - len(errors)
        typer.echo(f"{len(errors)} error(s), {warnings} warning(s)" if problems
                   else "all records valid", err=bool(problems))
    return 1 if errors else 0
