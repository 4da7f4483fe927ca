"""Views of one record (`show`) and of a policy's versions (`log`)."""

from __future__ import annotations

from typing import Any

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from ..model import Document, Manifest, VersionEntry, label_from_id
from ..parse.document import normalize_newlines, split_front_matter
from ..text.safe import sanitize
from .text.layout import Split


def plain(value: Any) -> Text:
    """Untrusted text as an inert rich Text (no markup, no escapes)."""
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    return Text(sanitize("" if value is None else str(value)))


def _styled(value: Any, style: str) -> Text:
    text = plain(value)
    text.stylize(style)
    return text


def show_record(doc: Document, manifest: Manifest | None, body: str | None = None) -> RenderableType:
    """A record laid out for reading: identity, key provisions, the BODY (its Markdown
    source) rendered, then the sources as a numbered list."""
    from .reading import Reading  # rich's Markdown (31 ms): only `show` renders a body

    # plain(), not sanitize(): an invalid record's title may be a list or a mapping.
    title = plain(doc.title or doc.front.get("title") or doc.path)
    title.style = "pd.title"
    parts: list[RenderableType] = [title]
    parts.append(_identity(doc.front))
    provisions = doc.front.get("provisions")
    if isinstance(provisions, dict) and provisions:
        parts += [Text(""), Text("Key provisions", style="pd.heading"),
                  _provision_table(provisions, manifest)]
    if body is None:  # the blocks as parsed, one paragraph each
        body = "\n\n".join(block.text for block in doc.blocks)
    parts += [Text(""), Reading(body)]
    sources = doc.front.get("sources")
    if isinstance(sources, list) and sources:
        parts += [Text(""), Text("Sources", style="pd.heading"), Reading(sources_markdown(sources))]
    return Group(*parts)


def body_of(text: str, path: str) -> str:
    """A record's Markdown after its front matter."""
    lines = normalize_newlines(text).split("\n")
    span = split_front_matter(lines, path, lenient=True)
    return "\n".join(lines[span[1] + 1:] if span else lines)


def _identity(front: dict[str, Any]) -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="pd.label", no_wrap=True)
    grid.add_column(overflow="fold")
    rows = [("Policy", "policy"), ("Version", "version"), ("Status", "status"),
            ("Effective", "effective"), ("Issued by", "issued_by"), ("Supersedes", "supersedes"),
            ("Summary", "summary")]
    for label, key in rows:
        if front.get(key) not in (None, ""):
            grid.add_row(label, Split(plain(front[key])))
    return grid


def _provision_table(provisions: dict[str, Any], manifest: Manifest | None) -> Table:
    table = Table(show_header=True, header_style="pd.label", box=None, padding=(0, 2),
                  expand=False)
    table.add_column("Provision", no_wrap=True)
    table.add_column("Value", overflow="fold")
    order = [p.id for p in manifest.provisions] if manifest else []
    declared = set(order)
    ids = [i for i in order if i in provisions] + [i for i in provisions if i not in declared]
    for provision_id in ids:
        spec = manifest.spec(provision_id) if manifest else None
        table.add_row(plain(spec.label if spec else label_from_id(provision_id)),
                      Split(plain(provisions[provision_id])))
    return table


def sources_markdown(sources: list[Any]) -> str:
    """The sources as a numbered Markdown list: title, publisher and date as written (never
    read as Markdown), the URL on a line of its own, a note after it."""
    from .reading import escape  # rich's Markdown (31 ms): only `show` renders a body

    items = []
    for number, source in enumerate(sources, 1):
        if not isinstance(source, dict):
            items.append(f"{number}. {escape(str(source))}")
            continue
        details = [str(source[k]) for k in ("publisher", "date") if source.get(k)]
        line = escape(str(source.get("title") or "(untitled)"))
        if details:
            line += escape(f" — {', '.join(details)}")
        for extra in (source.get("url"), source.get("note")):
            if extra:
                line += "\\\n   " + (str(extra) if extra is source.get("url")
                                       else escape(str(extra)))
        items.append(f"{number}. {line}")
    return "\n".join(items) + "\n"


def log_table(policy: str, entries: list[VersionEntry], summaries: dict[str, str]) -> Group:
    """The versions of a policy, newest first: a line naming each (version, status, who issued
    it, the effective date only where it is not the version's name), its change from the
    version before indented under it.  Laid out for 80 columns: no narrow column to wrap in."""
    parts: list[RenderableType] = []
    for entry in reversed(entries):
        line = Text(no_wrap=True, overflow="ellipsis")  # `show` has who issued it whole
        line.append_text(_styled(entry.version, "pd.label"))
        status = "unreadable" if entry.unreadable else entry.status or "(no status)"
        line.append_text(_styled(f"  {status}", "pd.error" if entry.unreadable else "pd.status"))
        if entry.effective and entry.effective != entry.version:
            line.append_text(_styled(f"  effective {entry.effective}", "pd.status"))
        if entry.issued_by:
            line.append_text(plain(f"  {entry.issued_by}"))
        parts.append(line)
        summary = summaries.get(entry.version)
        if summary:
            parts.append(Padding(Split(plain(summary)), (0, 0, 0, 2)))
    return Group(*parts)
