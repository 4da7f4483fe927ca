"""What a reader makes of a document, and the options it reads with."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Converted:
    """A document read into Markdown, with what it says about itself."""

    body: str  # Markdown, headings at the document's levels, `# Title` first when it has one
    title: str | None
    converter: str  # which reader read it, as the diff header names it
    dates: dict[str, str] = field(default_factory=dict)  # created / modified: YYYY-MM-DD
    notes: list[str] = field(default_factory=list)  # what the user must know (best effort, ...)


@dataclass(frozen=True)
class ReadOptions:
    changes: str = "accept"  # Word tracked changes: accept | reject
    keep: tuple[str, ...] = ()  # web pages: CSS selectors of the content (policy.yaml)
    remove: tuple[str, ...] = ()
