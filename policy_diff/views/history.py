"""Views of `history` (commits of a record) and `changes` (records between two revisions).

Both are printed as they are worked out (stream.py): each commit, or each record, is
rendered on its own by `render_group`, and `Frame` says what goes before, between and
after the pieces.  Every piece is laid out as it would be in the whole document: the
history's first two columns are always a commit id and a date of ten characters, the
status column of `changes` is as wide as its widest word.

File names, authors and subjects come from git and may hold any character: they are
printed through `safe_name` (one line each); JSON keeps them exact.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ..frozen import frozen
from .json import as_dict
from .text.layout import Grid, Part, Styled, render
from ..text.safe import inert_json, safe_name, sanitize

if TYPE_CHECKING:
    from ..diff.revisions import Change, View

HISTORY_COLUMNS = ("pd.change", "pd.dim", "")  # commit, date, author and subject
STATUS_WIDTH = len("modified")  # the widest status word, so every row lines up


@frozen
class Frame:
    """What a streamed document prints around its pieces."""

    head: str        # before the first piece
    separator: str   # between two pieces
    tail: str        # after the last piece
    empty: str       # instead of all of it, when there is no piece


def frame(view: View, title: str = "") -> Frame:
    if view.output_format == "json":
        return Frame("[\n", ",\n", "\n]\n", "[]\n")
    if view.output_format == "jsonl":
        return Frame("", "", "", "")
    if view.output_format == "markdown":
        head = f"### {md_escape(title)}\n\n"
        return Frame(head + "| Status | Record | Summary |\n|---|---|---|\n", "", "",
                     head + "No records changed.\n")
    nothing = "No commits changed it." if view.command == "history" else "No records changed."
    return Frame("", "", "", render([Styled(nothing)], view.width, not view.plain))


def render_group(view: View, changes: list[Change]) -> str:
    """One commit's changes (history) or one record's change (changes), as printed."""
    if view.output_format in ("json", "jsonl"):
        rows = [history_row(c, view.patch) if view.command == "history" else changes_row(c)
                for c in changes]
        if view.output_format == "jsonl":
            return "".join(inert_json(json.dumps(row, ensure_ascii=False)) + "\n" for row in rows)
        return ",\n".join(_indented(inert_json(json.dumps(row, indent=2, ensure_ascii=False)))
                          for row in rows)
    if view.output_format == "markdown":
        return "".join(changes_markdown_row(change) for change in changes)
    parts = commit_parts(changes, view.plain, view.patch) if view.command == "history" \
        else [changes_grid(changes)]
    return render(parts, view.width, not view.plain)


def _indented(text: str) -> str:
    """A JSON value as an item of a list that json.dumps(..., indent=2) would print."""
    return "\n".join("  " + line for line in text.split("\n"))


# history ------------------------------------------------------------------------------------

def commit_parts(changes: list[Change], plain: bool, patch: bool) -> list[Part]:
    """The commit's line (id, date, author, subject), then each record's summary (and diff)."""
    commit = changes[0].commit
    grid = Grid(HISTORY_COLUMNS, padding=2)
    if commit is not None:
        line = Styled(safe_name(commit.author), "pd.label")
        grid.add_row(commit.sha[:10], commit.date[:10], line.append(f"  {safe_name(commit.subject)}"))
    parts: list[Part] = []
    for change in changes:
        record = safe_name(change.new_path or change.old_path or "")
        style = "pd.error" if change.unreadable is not None else "pd.dim"
        grid.add_row("", "", Styled(f"{record}: {safe_name(change.summary)}", style))
        if patch and change.diff is not None:
            from .terminal import render_diff

            parts += [grid, *render_diff(change.diff, plain), Styled("")]
            grid = Grid(HISTORY_COLUMNS, padding=2)
    return [*parts, grid]


def history_row(change: Change, patch: bool) -> dict[str, Any]:
    commit = change.commit
    row: dict[str, Any] = {
        "commit": commit.sha if commit else None, "author": commit.author if commit else None,
        "email": commit.email if commit else None, "date": commit.date if commit else None,
        "subject": commit.subject if commit else None, "status": change.status,
        "old_path": change.old_path, "path": change.new_path, "summary": change.summary}
    if change.unreadable is not None:
        row["unreadable"] = change.unreadable
    if patch and change.diff is not None:
        row["diff"] = as_dict(change.diff)
    return row


# changes ------------------------------------------------------------------------------------

def changes_grid(changes: list[Change]) -> Grid:
    grid = Grid(("pd.change", ""), padding=2)
    for change in changes:
        style = "pd.error" if change.unreadable is not None else "pd.dim"
        grid.add_row(change.status.ljust(STATUS_WIDTH),
                     Styled(safe_name(_record(change))).append(f"  {safe_name(change.summary)}",
                                                               style))
    return grid


def changes_row(change: Change) -> dict[str, Any]:
    outline = change.outline
    row: dict[str, Any] = {
        "status": change.status, "old_path": change.old_path, "path": change.new_path,
        "summary": change.summary,
        "provisions": [f"{p.id}: {p.change}" for p in outline.provisions
                       if p.change != "unchanged"] if outline is not None else []}
    if change.unreadable is not None:
        row["unreadable"] = change.unreadable
    return row


def changes_markdown_row(change: Change) -> str:
    """A row of the table for the top of a pull request; record text is never live Markdown."""
    return f"| {change.status} | `{_code(_record(change))}` | {md_escape(change.summary)} |\n"


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
    return safe_name(text).replace("`", "'").replace("|", "\\|")
