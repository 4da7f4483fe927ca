"""Views of `history` (commits of a record) and `changes` (records between two revisions)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ..revisions import Change
from .json import as_dict
from .layout import Grid, Part, Styled
from .safe import inert_json, sanitize
from .terminal import render_diff

if TYPE_CHECKING:
    from rich.console import RenderableType

HISTORY_COLUMNS = ("pd.change", "pd.dim", "")  # commit, date, author and subject


def history_view(changes: list[Change], plain: bool, patch: bool) -> list[Part]:
    if not changes:
        return [Styled("No commits changed it.")]
    parts: list[Part] = []
    grid = Grid(HISTORY_COLUMNS, padding=2)
    shown = None
    for change in changes:
        commit = change.commit
        assert commit is not None
        if commit.sha != shown:  # a commit that touched several records is named once
            line = Styled(sanitize(commit.author), "pd.label")
            grid.add_row(commit.sha[:10], commit.date[:10],
                         line.append(f"  {sanitize(commit.subject)}"))
            shown = commit.sha
        record = sanitize(change.new_path or change.old_path or "")
        grid.add_row("", "", Styled(f"{record}: {sanitize(change.summary)}", "pd.dim"))
        if patch and change.diff is not None:
            parts += [grid, *render_diff(change.diff, plain), Styled("")]
            grid = Grid(HISTORY_COLUMNS, padding=2)
    return [*parts, grid]


def history_json(changes: list[Change], patch: bool) -> str:
    rows = []
    for change in changes:
        commit = change.commit
        assert commit is not None
        row: dict[str, Any] = {
            "commit": commit.sha, "author": commit.author, "email": commit.email,
            "date": commit.date, "subject": commit.subject, "status": change.status,
            "old_path": change.old_path, "path": change.new_path, "summary": change.summary}
        if patch and change.diff is not None:
            row["diff"] = as_dict(change.diff)
        rows.append(row)
    return inert_json(json.dumps(rows, indent=2, ensure_ascii=False)) + "\n"


def changes_view(changes: list[Change]) -> RenderableType:
    from rich.table import Table
    from rich.text import Text

    if not changes:
        return Text("No records changed.")
    table = Table(box=None, padding=(0, 2), show_header=True, header_style="pd.label")
    table.add_column("Status", no_wrap=True)
    table.add_column("Record", overflow="fold")
    table.add_column("Summary", overflow="fold")
    for change in changes:
        table.add_row(Text(change.status, style="pd.change"), Text(sanitize(_record(change))),
                      Text(sanitize(change.summary)))
    return table


def changes_json(changes: list[Change]) -> str:
    rows = [{"status": c.status, "old_path": c.old_path, "path": c.new_path,
             "summary": c.summary,
             "provisions": [p["id"] + ": " + p["change"] for p in as_dict(c.diff)["provisions"]
                            if p["change"] != "unchanged"] if c.diff else []}
            for c in changes]
    return inert_json(json.dumps(rows, indent=2, ensure_ascii=False)) + "\n"


def changes_markdown(changes: list[Change], title: str) -> str:
    """A table for the top of a pull request; record text is escaped, never live Markdown."""
    lines = [f"### {md_escape(title)}", ""]
    if not changes:
        return "\n".join(lines + ["No records changed.", ""])
    lines += ["| Status | Record | Summary |", "|---|---|---|"]
    for change in changes:
        lines.append(f"| {change.status} | `{_code(_record(change))}` | "
                     f"{md_escape(change.summary)} |")
    return "\n".join(lines) + "\n"


def _record(change: Change) -> str:
    if change.status == "renamed":
        return f"{change.old_path} → {change.new_path}"
    return change.new_path or change.old_path or ""


def md_escape(text: str) -> str:
    """Make record text inert in Markdown (tables, emphasis, links, HTML)."""
    text = sanitize(text).replace("\n", " ")
    for char in "\\`*_{}[]()#+!|<>~":
        text = text.replace(char, "\\" + char)
    return text


def _code(text: str) -> str:
    return sanitize(text).replace("`", "'").replace("|", "\\|").replace("\n", " ")
