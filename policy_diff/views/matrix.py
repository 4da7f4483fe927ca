"""Views of a provision matrix (terminal, Markdown, HTML, JSON), each a reader of one Matrix.

Versions run down the page, oldest first, as in `log`: versions grow in number, provisions
do not, and a date never has to wrap.  Short provisions (sets and scales) share one table, so
"how has approval authority moved" is answered on the first screen at any width; each text
provision follows as its own list of versions, cut to one line unless `full`.  Every change
carries a symbol as well as a style, so it shows without colour.
"""

from __future__ import annotations

import html
import json
from typing import Any

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from ..diff.matrix import Cell, Matrix, Row
from ..model import ProvisionChange, ProvisionSpec
from .history import md_escape
from ..diff.words import value_text
from ..text.safe import inert_json, sanitize
from .text.layout import Split

FORMAT = "policy-diff-matrix/2"  # /2: stated / unstated, `last_stated` (record-format §3)
NOT_STATED = "—"
SAME = "="
STYLES = {"▲": "pd.broadened", "▼": "pd.narrowed"}
MEANINGS = {"▲": "broadened", "▼": "narrowed", "»": "", "«": "", "~": "reworded",
            "+": "now stated", "−": "no longer stated", SAME: "same wording as above",
            NOT_STATED: "not stated"}


# What a cell says: a change symbol and a value, shared by every view --------------------------

def cell_mark(spec: ProvisionSpec, cell: Cell) -> str:
    """The change's symbol (▲ ▼ ~ » «), or + / − as the value comes and goes; "" if same."""
    change = cell.change
    if change is None or change.change == "unchanged":
        return ""
    if change.change == "stated":
        since = change.last_stated.change if change.last_stated else None
        return "+" + (_symbol(spec, since) if since and since.change != "unchanged" else "")
    if change.change == "unstated":
        return "−"
    return _symbol(spec, change)


def _symbol(spec: ProvisionSpec, change: ProvisionChange) -> str:
    if change.change in ("broadened", "narrowed"):
        return "▲" if change.change == "broadened" else "▼"
    if spec.kind == "scale" and change.steps:
        return ("»" if change.change == spec.toward_end else "«") * change.steps
    return "~"


def cell_body(spec: ProvisionSpec, cell: Cell, full: bool) -> str:
    """The value in one line; unchanged text as a ditto `=` unless `full`."""
    if cell.value is None:
        return "not stated" if cell.change and cell.change.change == "unstated" else NOT_STATED
    unchanged = cell.change is not None and cell.change.change == "unchanged"
    if unchanged and not full and spec.kind == "text":
        return SAME
    return value_text(cell.value)


def legend(matrix: Matrix, full: bool) -> list[tuple[str, str]]:
    """The symbols the views of this matrix use, each with its meaning, in a fixed order."""
    found: dict[str, dict[str, None]] = {}  # symbol -> its meanings, each once
    for row in matrix.rows:
        meanings = {**MEANINGS, "»": row.spec.toward_end, "«": row.spec.toward_start}
        for cell in row.cells:
            for symbol in [*cell_mark(row.spec, cell), cell_body(row.spec, cell, full)]:
                if symbol in meanings:
                    found.setdefault(symbol, {})[meanings[symbol]] = None
    return [(symbol, "/".join(found[symbol])) for symbol in MEANINGS if symbol in found]


def _split(matrix: Matrix) -> tuple[list[Row], list[Row]]:
    """Short provisions (sets, scales) for the shared table; text provisions for their lists."""
    short = [row for row in matrix.rows if row.spec.kind != "text"]
    return short, [row for row in matrix.rows if row.spec.kind == "text"]


def _heading(matrix: Matrix) -> str:
    first, last = matrix.versions[0].version, matrix.versions[-1].version
    title = f"{matrix.policy}: {matrix.title}" if matrix.title else matrix.policy
    return (f"{title} · {len(matrix.rows)} key provisions in {len(matrix.versions)} versions, "
            f"{first} to {last}")


# Terminal --------------------------------------------------------------------------------------

class Clamp:
    """Text wrapped to its cell and cut after `lines` lines with `…` (None: never cut)."""

    def __init__(self, text: Text, lines: int | None) -> None:
        self.text, self.lines = text, lines

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self.text)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = max(options.max_width, 2)
        lines = self.text.wrap(console, width, overflow="fold")
        if self.lines is None or len(lines) <= self.lines:
            yield from lines
            return
        cut = self.text.wrap(console, width - 1, overflow="fold")[: self.lines]  # room for the `…`
        cut[-1].rstrip()
        cut[-1].append("…", style="pd.dim")
        yield from cut


def matrix_view(matrix: Matrix, full: bool = False, lines: int | None = None) -> RenderableType:
    """The terminal view: one table for short provisions, then one list per text provision,
    every wording wrapped in full (LINES: cut each to that many lines with `…`)."""
    short, texts = _split(matrix)
    parts: list[RenderableType] = [Text(sanitize(_heading(matrix)), style="pd.title")]
    if short:
        parts += [Text(""), _short_table(matrix, short, full)]
    for row in texts:
        parts += [Text(""), Text(sanitize(row.label), style="pd.heading"),
                  _text_list(matrix, row, None if full else lines, full)]
    symbols = legend(matrix, full)
    if symbols:
        parts += [Text(""), Legend(symbols)]
    return Group(*parts)


class Legend:
    """`symbol meaning` entries in lines as wide as the screen, a line breaking only between
    entries (an entry longer than a line wraps on its own)."""

    GAP = "   "

    def __init__(self, symbols: list[tuple[str, str]]) -> None:
        self.entries = []
        for symbol, meaning in symbols:
            entry = Text(style="pd.dim")
            quiet = symbol in (NOT_STATED, SAME)  # no change: drawn as the cells draw it
            entry.append(symbol, style="pd.dim" if quiet else _style(symbol))
            entry.append(" " + sanitize(meaning))
            self.entries.append(entry)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(max((e.cell_len for e in self.entries), default=1), options.max_width)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        line = Text(style="pd.dim")
        for entry in self.entries:
            if line and line.cell_len + len(self.GAP) + entry.cell_len > options.max_width:
                yield line
                line = Text(style="pd.dim")
            if line:
                line.append(self.GAP)
            line.append_text(entry)
        if line:
            yield line


def _short_table(matrix: Matrix, rows: list[Row], full: bool) -> Table:
    table = Table(box=None, padding=(0, 2), pad_edge=False, show_header=True,
                  header_style="pd.label")
    table.add_column("Version", no_wrap=True)
    for row in rows:
        table.add_column(Text(sanitize(row.label)), overflow="fold")
    for index, column in enumerate(matrix.versions):
        table.add_row(Text(sanitize(column.version)),
                      *[Split(_cell_text(row, row.cells[index], full)) for row in rows])
    return table


def _text_list(matrix: Matrix, row: Row, lines: int | None, full: bool) -> Table:
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(no_wrap=True, min_width=1)
    grid.add_column()
    for column, cell in zip(matrix.versions, row.cells):
        mark = cell_mark(row.spec, cell)
        grid.add_row(Text(sanitize(column.version)), Text(mark, style=_style(mark)),
                     Clamp(_body_text(row, cell, full), lines))
    return grid


def _cell_text(row: Row, cell: Cell, full: bool) -> Text:
    mark = cell_mark(row.spec, cell)
    text = Text(f"{mark} " if mark else "", style=_style(mark))
    return text.append_text(_body_text(row, cell, full))


def _body_text(row: Row, cell: Cell, full: bool) -> Text:
    body = cell_body(row.spec, cell, full)
    quiet = cell.value is None and body == NOT_STATED or body == SAME
    return Text(sanitize(body), style="pd.dim" if quiet else "")


def _style(mark: str) -> str:
    return STYLES.get(mark[-1:], "pd.change") if mark else ""


# Markdown --------------------------------------------------------------------------------------

def matrix_markdown(matrix: Matrix, full: bool = False) -> str:
    """GitHub tables in the terminal's layout; record text is escaped, never live Markdown."""
    short, texts = _split(matrix)
    out = [f"### {md_escape(_heading(matrix))}", ""]
    if short:
        out += _md_table(["Version", *[row.label for row in short]],
                         [[column.version, *[_md_cell(row, row.cells[i], full) for row in short]]
                          for i, column in enumerate(matrix.versions)])
    for row in texts:
        out += [f"#### {md_escape(row.label)}", ""]
        out += _md_table(["Version", row.label],
                         [[column.version, _md_cell(row, cell, full)]
                          for column, cell in zip(matrix.versions, row.cells)])
    symbols = legend(matrix, full)
    if symbols:
        out += [" · ".join(f"{md_escape(s)} {md_escape(m)}" for s, m in symbols), ""]
    return "\n".join(out)


def _md_table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(md_escape(h) for h in header) + " |",
             "|" + "---|" * len(header)]
    lines += ["| " + md_escape(row[0]) + " | " + " | ".join(row[1:]) + " |" for row in rows]
    return lines + [""]


def _md_cell(row: Row, cell: Cell, full: bool) -> str:
    mark = cell_mark(row.spec, cell)
    return md_escape(f"{mark} " if mark else "") + md_escape(cell_body(row.spec, cell, full))


# HTML ------------------------------------------------------------------------------------------

# No scripts, fonts or links: the file works offline, and the policy forbids anything else
# should record text ever slip past the escaping.
_HTML_HEAD = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font: 15px/1.45 system-ui, sans-serif; color: #1b1b1b;
       margin: 2em auto; max-width: 72em; padding: 0 1em; }}
table {{ border-collapse: collapse; margin: 0 0 1.5em; }}
th, td {{ border-bottom: 1px solid #ddd; padding: .3em .8em .3em 0;
         text-align: left; vertical-align: top; }}
td.version {{ white-space: nowrap; font-variant-numeric: tabular-nums; }}
.mark {{ font-weight: bold; padding-right: .3em; }}
.broadened .mark, .narrowed .mark {{ color: #9a6700; }}
.changed .mark {{ color: #8a5a00; }}
.quiet {{ color: #777; }}
.legend {{ color: #555; font-size: .9em; }}
td.text {{ white-space: pre-wrap; }}
table.blame {{ width: 100%; table-layout: fixed; }}
table.blame td.version {{ width: 8em; }}
table.blame td.quiet {{ width: 3em; text-align: right; padding-right: 1em; }}
td.text code {{ font-family: ui-monospace, Menlo, Consolas, monospace; font-size: .9em; }}
table.cells {{ border-collapse: collapse; white-space: normal; }}
table.cells td, table.cells th {{ border: 1px solid #ddd; padding: .1em .4em; }}
.url {{ color: #555; overflow-wrap: anywhere; }}
@media print {{ body {{ margin: 0; max-width: none; }} }}
</style>
</head>
<body>
"""


def matrix_html(matrix: Matrix, full: bool = False) -> str:
    """One self-contained page in the terminal's layout; every piece of record text escaped."""
    short, texts = _split(matrix)
    heading = _esc(_heading(matrix))
    out = [_HTML_HEAD.format(title=heading).rstrip("\n"), f"<h1>{heading}</h1>"]
    if short:
        out.append(_html_table(matrix, short, full))
    for row in texts:
        out += [f"<h2>{_esc(row.label)}</h2>", _html_table(matrix, [row], full)]
    symbols = legend(matrix, full)
    if symbols:
        items = " · ".join(f"<b>{_esc(s)}</b> {_esc(m)}" for s, m in symbols)
        out.append(f'<p class="legend">{items}</p>')
    return "\n".join(out + ["</body>", "</html>", ""])


def _html_table(matrix: Matrix, rows: list[Row], full: bool) -> str:
    head = "".join(f"<th>{_esc(h)}</th>" for h in ["Version", *[row.label for row in rows]])
    body = []
    for index, column in enumerate(matrix.versions):
        cells = "".join(_html_cell(row, row.cells[index], full) for row in rows)
        body.append(f'<tr><td class="version">{_esc(column.version)}</td>{cells}</tr>')
    return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n" + "\n".join(body) + \
        "\n</tbody>\n</table>"


def _html_cell(row: Row, cell: Cell, full: bool) -> str:
    mark = cell_mark(row.spec, cell)
    body = cell_body(row.spec, cell, full)
    kind = {"▲": "broadened", "▼": "narrowed"}.get(mark[-1:], "changed") if mark else "same"
    quiet = ' class="quiet"' if body in (SAME, NOT_STATED) else ""
    mark_html = f'<span class="mark">{_esc(mark)}</span>' if mark else ""
    return f'<td class="{kind}">{mark_html}<span{quiet}>{_esc(body)}</span></td>'


def _esc(text: str) -> str:
    return html.escape(sanitize(text), quote=True)


# JSON ------------------------------------------------------------------------------------------

def matrix_json(matrix: Matrix) -> str:
    """Deterministic JSON: every value in full, every change named as `diff` names it."""
    data = {
        "format": FORMAT, "policy": matrix.policy, "title": matrix.title,
        "versions": [{"version": c.version, "effective": c.effective, "status": c.status}
                     for c in matrix.versions],
        "provisions": [{"id": row.id, "label": row.label, "kind": row.spec.kind,
                        "cells": [_json_cell(column.version, cell)
                                  for column, cell in zip(matrix.versions, row.cells)]}
                       for row in matrix.rows],
    }
    return inert_json(json.dumps(data, indent=2, ensure_ascii=False)) + "\n"


def _json_cell(version: str, cell: Cell) -> dict[str, Any]:
    out: dict[str, Any] = {"version": version, "value": cell.value}
    out.update(_json_change(cell.change))
    last = cell.last_stated
    if last is not None:
        out["last_stated"] = {"version": last.version, "value": last.value,
                              **_json_change(last.change)}
    return out


def _json_change(change: ProvisionChange | None) -> dict[str, Any]:
    if change is None:
        return {"change": None}
    out: dict[str, Any] = {"change": change.change}
    if change.kind == "set" and change.change != "unchanged":
        out["added"], out["removed"] = list(change.added), list(change.removed)
    if change.steps is not None:
        out["steps"] = change.steps
    return out
