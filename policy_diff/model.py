"""Plain, frozen data passed between the stages: documents in, diffs out.

Source positions (line numbers) are kept for messages and renderers but are
not compared, so two blocks with the same text are equal wherever they stand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Block:
    """One unit of the body that is diffed as a whole: a paragraph, list item, table row..."""

    kind: str
    text: str
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Section:
    """A `##` section (or subsection, named by its heading path); heading "" is the preamble."""

    heading: str
    blocks: tuple[Block, ...]
    level: int = 2
    line: int | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Document:
    """A parsed record or plain document."""

    path: str
    front: dict[str, Any]
    title: str | None
    sections: tuple[Section, ...]
    has_front_matter: bool = False
    title_line: int | None = field(default=None, compare=False)

    @property
    def blocks(self) -> list[Block]:
        return [block for section in self.sections for block in section.blocks]


@dataclass(frozen=True)
class Source:
    """Where a document came from: what the user typed and what it resolved to."""

    ref: str
    path: str
    text: str
    policy: str | None = None
    version: str | None = None


@dataclass(frozen=True)
class ProvisionSpec:
    """One key provision as the policy manifest describes it (record-format §3)."""

    id: str
    label: str
    kind: str = "text"  # text | set | scale
    section: str | None = None
    all: str | None = None
    scale: tuple[str, ...] = ()
    toward_start: str = "up"
    toward_end: str = "down"


@dataclass(frozen=True)
class Manifest:
    """A policy's `policy.yaml`: its title and its key provisions, in order."""

    policy: str
    title: str | None = None
    provisions: tuple[ProvisionSpec, ...] = ()

    def spec(self, provision_id: str) -> ProvisionSpec | None:
        return next((p for p in self.provisions if p.id == provision_id), None)


@dataclass(frozen=True)
class VersionEntry:
    """One record file in a policy folder, with what ordering needs from its front matter."""

    version: str
    path: str
    effective: str = ""
    status: str = ""
    issued_by: str = ""
    supersedes: str | None = None
