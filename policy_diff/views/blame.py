"""Views of `blame` (a gutter naming each block's origin, like `git blame`) and of one
provision's history of wording; terminal and JSON, all record text sanitized."""

from __future__ import annotations

import json
from typing import Any

from rich.cells import cell_len
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from ..diff.blame import BlockOrigin, Origin, ProvisionHistory
from ..diff.words import value_text
from ..text.safe import inert_json, sanitize
from .text.layout import Split

FORMAT = "policy-diff-blame/1"
PROVISION_FORMAT = "policy-diff-provision-history/1"
RESTORED = "↺"


def blame_view(ref: str, origins: list[BlockOrigin]) -> RenderableType:
    """Where the wordings come from, then each section's blocks with their origin in a gutter."""
    used = _distinct(origins)
    parts: list[RenderableType] = [Text(sanitize(_summary(ref, origins)), style="pd.title"),
                                   _origin_table(origins, used)]
    if any(o.restored for o in origins):
        parts.append(Text(f"{RESTORED} under a version: the wording first stood in that "
                          f"version, was dropped later and came back in the {RESTORED} one",
                          style="pd.dim"))
    gutter = max((cell_len(line) for o in origins for line in _gutter(o).split("\n")), default=0)
    digits = len(str(max((o.block.line for o in origins), default=0)))
    for heading, items in _sections(origins):
        parts.append(Text(""))
        if heading:
            parts.append(Text(f"## {sanitize(heading)}", style="pd.heading"))
        parts.append(_blocks(items, gutter, digits))
    return Group(*parts)


def _summary(ref: str, origins: list[BlockOrigin]) -> str:
    """`REF: 21 blocks, first worded in 3 versions`."""
    kinds: dict[str, set[Origin]] = {}
    for item in origins:
        kinds.setdefault(item.origin.kind, set()).add(item.origin)
    words = [f"{len(found)} {kind}{'s' if len(found) != 1 else ''}" if kind != "uncommitted"
             else "uncommitted text" for kind, found in kinds.items()]
    blocks = f"{len(origins)} {'block' if len(origins) == 1 else 'blocks'}"
    return f"{ref}: {blocks}, first worded in {' and '.join(words) or 'nothing'}"


def _distinct(origins: list[BlockOrigin]) -> list[Origin]:
    """Every origin named in the gutter, oldest first (uncommitted text last)."""
    found = {o.origin: None for o in origins} | {o.restored: None for o in origins if o.restored}
    return sorted(found, key=lambda o: (o.date or "9999", o.kind != "version", o.id))


def _origin_table(origins: list[BlockOrigin], used: list[Origin]) -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True, style="pd.status")
    grid.add_column(no_wrap=True, style="pd.dim")
    grid.add_column(no_wrap=True, justify="right")
    grid.add_column(overflow="fold")
    for origin in used:
        count = sum(o.origin == origin for o in origins)
        date = origin.date if origin.date != origin.label else ""  # a version named by its date
        grid.add_row(Text(sanitize(origin.label)), Text(sanitize(date)),
                     f"{count} {'block' if count == 1 else 'blocks'}",
                     Text(sanitize(_describe(origin))))
    return grid


def _describe(origin: Origin) -> str:
    if origin.kind == "commit":
        return f"{origin.author}: {origin.title}"
    return origin.title or "(no title)"


def _sections(origins: list[BlockOrigin]) -> list[tuple[str, list[BlockOrigin]]]:
    runs: list[tuple[str, list[BlockOrigin]]] = []
    for item in origins:
        if not runs or runs[-1][0] != item.section:
            runs.append((item.section, []))
        runs[-1][1].append(item)
    return runs


def _gutter(item: BlockOrigin) -> str:
    label = sanitize(item.origin.label)
    return f"{label}\n{RESTORED} {sanitize(item.restored.label)}" if item.restored else label


def _blocks(items: list[BlockOrigin], gutter: int, digits: int) -> Table:
    """One section's blocks; fixed gutter widths keep every section's text aligned."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, style="pd.status", min_width=gutter)
    grid.add_column(no_wrap=True, justify="right", style="pd.dim", min_width=digits)
    grid.add_column(overflow="fold")
    for item in items:
        grid.add_row(Text(_gutter(item)), str(item.block.line),
                     Split(Text(sanitize(item.block.text))))
    return grid


def blame_html(ref: str, origins: list[BlockOrigin]) -> str:
    """The terminal's view as one self-contained, printable page (the matrix report's look):
    where the wordings come from, then each section's blocks with their origin beside them."""
    # the HTML views (6 ms): only blame --format html
    from .html import block_html
    from .matrix import _HTML_HEAD, _esc

    used = _distinct(origins)
    title = _esc(_summary(ref, origins))
    rows = "".join(
        f'<tr><td class="version">{_esc(o.label)}</td><td>{_esc(_count(origins, o))}</td>'
        f"<td>{_esc(_describe(o))}</td></tr>" for o in used)
    out = [_HTML_HEAD.format(title=title).rstrip("\n"), f"<h1>{title}</h1>",
           f"<table>\n<thead><tr><th>Version</th><th>Blocks</th><th>Title</th></tr></thead>"
           f"\n<tbody>{rows}</tbody>\n</table>"]
    if any(o.restored for o in origins):
        out.append(f'<p class="legend">{RESTORED} under a version: the wording first stood in '
                   f"that version, was dropped later and came back in the {RESTORED} one</p>")
    for heading, items in _sections(origins):
        if heading:
            out.append(f"<h2>{_esc(heading)}</h2>")
        body = "".join(
            f'<tr><td class="version">{_esc(item.origin.label)}'
            + (f"<br>{RESTORED} {_esc(item.restored.label)}" if item.restored else "")
            + f'</td><td class="quiet">{item.block.line}</td>'
            f'<td class="text">{block_html([("", item.block.text)], item.block.kind)}</td></tr>'
            for item in items)
        out.append(f'<table class="blame">\n<tbody>{body}</tbody>\n</table>')
    return "\n".join(out + ["</body>", "</html>", ""])


def _count(origins: list[BlockOrigin], origin: Origin) -> str:
    count = sum(o.origin == origin for o in origins)
    return f"{count} {'block' if count == 1 else 'blocks'}"


def blame_json(ref: str, origins: list[BlockOrigin]) -> str:
    """Deterministic JSON: each block with its origin (and where it was restored, if it was)."""
    data = {"format": FORMAT, "ref": ref, "blocks": [
        {"section": o.section, "line": o.block.line, "kind": o.block.kind, "text": o.block.text,
         "origin": _origin(o.origin), "restored": _origin(o.restored) if o.restored else None}
        for o in origins]}
    return inert_json(json.dumps(data, indent=2, ensure_ascii=False)) + "\n"


def _origin(origin: Origin) -> dict[str, Any]:
    return {"kind": origin.kind, "id": origin.id, "date": origin.date, "title": origin.title,
            "author": origin.author}


def provision_history_view(history: ProvisionHistory) -> RenderableType:
    """Each wording the provision has had, beside the versions that carried it."""
    count = sum(len(w.versions) for w in history.wordings)
    heading = (f"{history.spec.label} ({history.policy}): {len(history.wordings)} "
               f"{'wording' if len(history.wordings) == 1 else 'wordings'} in {count} versions")
    table = Table.grid(padding=(0, 2))
    table.add_column(no_wrap=True, style="pd.status")
    table.add_column(overflow="fold")
    for index, wording in enumerate(history.wordings):
        value = Text("(not stated)", style="pd.dim") if wording.value is None \
            else Split(Text(sanitize(value_text(wording.value))))
        if index:
            table.add_row("", "")  # a blank line tells where one wording's versions end
        table.add_row(Text("\n".join(sanitize(c.version) for c in wording.versions)), value)
    return Group(Text(sanitize(heading), style="pd.title"), Text(""), table)


def provision_history_json(history: ProvisionHistory) -> str:
    data = {"format": PROVISION_FORMAT, "policy": history.policy, "id": history.spec.id,
            "label": history.spec.label, "kind": history.spec.kind,
            "wordings": [{"value": w.value, "versions": [c.version for c in w.versions]}
                         for w in history.wordings]}
    return inert_json(json.dumps(data, indent=2, ensure_ascii=False)) + "\n"
