"""Views of one record (`show`) and of a policy's versions (`log`)."""

from __future__ import annotations

from typing import Any, Iterable

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from ..model import Document, Manifest, VersionEntry
from ..store import label_from_id
from .safe import sanitize


def plain(value: Any) -> Text:
    """Untrusted text as an inert rich Text (no markup, no escapes)."""
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    return Text(sanitize("" if value is None else str(value)))


def show_record(doc: Document, manifest: Manifest | None) -> RenderableType:
    """A record laid out for reading: identity, key provisions, sources, then the body."""
    # plain(), not sanitize(): an invalid record's title may be a list or a mapping.
    title = plain(doc.title or doc.front.get("title") or doc.path)
    title.style = "pd.title"
    parts: list[RenderableType] = [title]
    parts.append(_identity(doc.front))
    provisions = doc.front.get("provisions")
    if isinstance(provisions, dict) and provisions:
        parts += [Text(""), Text("Key provisions", style="pd.heading"),
                  _provision_table(provisions, manifest)]
    sources = doc.front.get("sources")
    if isinstance(sources, list) and sources:
        parts += [Text(""), Text("Sources", style="pd.heading"), *_sources(sources)]
    for section in doc.sections:
        parts.append(Text(""))
        if section.heading:
            parts.append(Text(sanitize(section.heading), style="pd.heading"))
        for block in section.blocks:
            parts.append(plain(block.text))
    return Group(*parts)


def _identity(front: dict[str, Any]) -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="pd.label", no_wrap=True)
    grid.add_column(overflow="fold")
    rows = [("Policy", "policy"), ("Version", "version"), ("Status", "status"),
            ("Effective", "effective"), ("Issued by", "issued_by"), ("Supersedes", "supersedes"),
            ("Summary", "summary")]
    for label, key in rows:
        if front.get(key) not in (None, ""):
            grid.add_row(label, plain(front[key]))
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
                      plain(provisions[provision_id]))
    return table


def _sources(sources: list[Any]) -> Iterable[Text]:
    for number, source in enumerate(sources, 1):
        if not isinstance(source, dict):
            continue
        details = [str(source[k]) for k in ("publisher", "date") if source.get(k)]
        line = f"{number}. {source.get('title', '')}"
        if details:
            line += f" ({', '.join(details)})"
        if source.get("url"):
            line += f" {source['url']}"
        yield plain(line)


def log_table(policy: str, entries: list[VersionEntry], summaries: dict[str, str]) -> Table:
    """The versions of a policy, newest first."""
    table = Table(title=None, box=None, padding=(0, 2), show_header=True,
                  header_style="pd.label")
    for name in ("Version", "Effective", "Status", "Issued by"):
        table.add_column(name, no_wrap=name != "Issued by", overflow="fold")
    if summaries:
        table.add_column("Change from previous", overflow="fold")
    for entry in reversed(entries):
        row = [plain(entry.version), plain(entry.effective),
               plain("unreadable" if entry.unreadable else entry.status),
               plain(entry.issued_by)]
        if summaries:
            row.append(plain(summaries.get(entry.version, "")))
        table.add_row(*row)
    return table
