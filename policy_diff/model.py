"""Plain, frozen data passed between the stages: documents in, diffs out.

Source positions (line numbers) are kept for messages and renderers but are
not compared, so two blocks with the same text are equal wherever they stand.
"""

from __future__ import annotations

import re
from typing import Any

from .frozen import frozen, uncompared

# The names a record gives itself and its provisions (record-format §1, §3).
SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")
VERSION = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
PROVISION_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")


@frozen
class Block:
    """One unit of the body that is diffed as a whole: a paragraph, list item, table row..."""

    kind: str
    text: str
    line: int = uncompared(default=0)


@frozen
class Section:
    """A `##` section (or subsection, named by its heading path); heading "" is the preamble."""

    heading: str
    blocks: tuple[Block, ...]
    level: int = 2
    line: int | None = uncompared(default=None)
    source: str = ""  # the heading line(s) as written: a change of spacing is a change


@frozen
class Document:
    """A parsed record or plain document."""

    path: str
    front: dict[str, Any]
    title: str | None
    sections: tuple[Section, ...]
    has_front_matter: bool = False
    title_line: int | None = uncompared(default=None)
    source_digest: int = uncompared(default=0)  # hash of the text as read: any byte difference shows

    @property
    def blocks(self) -> list[Block]:
        return [block for section in self.sections for block in section.blocks]


@frozen
class Source:
    """Where a document came from: what the user typed and what it resolved to."""

    ref: str
    path: str
    text: str
    policy: str | None = None
    version: str | None = None
    home: str | None = None  # the working-tree folder the record belongs to (for its manifest)
    converter: str | None = None  # the reader of a Word, PDF or web-page document


def label_from_id(provision_id: str) -> str:
    """`approval_authority` -> `Approval authority`."""
    words = provision_id.replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:]


@frozen
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


@frozen
class Manifest:
    """A policy's `policy.yaml`: its title and its key provisions, in order."""

    policy: str
    title: str | None = None
    provisions: tuple[ProvisionSpec, ...] = ()

    def spec(self, provision_id: str) -> ProvisionSpec | None:
        return next((p for p in self.provisions if p.id == provision_id), None)


@frozen
class VersionEntry:
    """One record file in a policy folder, with what ordering needs from its front matter."""

    version: str
    path: str
    effective: str = ""
    status: str = ""
    issued_by: str = ""
    supersedes: str | None = None
    unreadable: str | None = None  # `path:line: message` of a record that cannot be read


Op = tuple[str, str, str]  # (tag, old text, new text), difflib-style tag


@frozen
class Side:
    """One side of a comparison: what was asked for and what it is."""

    ref: str
    path: str
    policy: str | None
    version: str | None
    document: Document = uncompared()
    home: str | None = None  # where to look for the policy manifest
    converter: str | None = None  # the reader of a Word, PDF or web-page document


def side_of(document: Document, ref: str, path: str | None = None, policy: str | None = None,
            version: str | None = None, home: str | None = None,
            converter: str | None = None) -> Side:
    """The one way to make a Side: what the caller knows, else what the record's front
    matter says (a `policy` or `version` that is not a string says nothing).

    >>> doc = Document("a.md", {"policy": "us-apl", "version": 7}, None, ())
    >>> side_of(doc, "a.md").policy, side_of(doc, "a.md").version
    ('us-apl', None)
    """
    front = document.front
    stated_policy, stated_version = front.get("policy"), front.get("version")
    return Side(ref=ref, path=ref if path is None else path,
                policy=policy or (stated_policy if isinstance(stated_policy, str) else None),
                version=version or (stated_version if isinstance(stated_version, str) else None),
                document=document, home=home, converter=converter)


@frozen
class BlockDiff:
    """A block's fate: unchanged, modified, added, removed or moved (then `from_section`)."""

    status: str
    old: Block | None
    new: Block | None
    ops: tuple[Op, ...] = ()
    from_section: str | None = None
    change_class: str | None = None  # editorial | substantive; None when unchanged
    op_classes: tuple[str | None, ...] = ()  # one per op, None for `equal`

    @property
    def latest(self) -> Block:
        """The new block, or the old one of a removed block (every BlockDiff has one)."""
        block = self.new or self.old
        if block is None:
            raise ValueError("a block diff without a block")
        return block


@frozen
class SectionDiff:
    """A section on either side, with its blocks' fates in new-document order."""

    status: str  # unchanged | modified | added | removed
    old: Section | None
    new: Section | None
    blocks: tuple[BlockDiff, ...]
    renamed: bool = False
    moved: bool = False
    provision: str | None = None
    rename_class: str | None = None  # editorial (renumbered, recased) | substantive
    # How this section's own heading line changed (text, level or spacing): None when it
    # is byte for byte the same; a parent's rename is the parent's.
    heading_class: str | None = None

    @property
    def old_heading(self) -> str | None:
        return self.old.heading if self.old else None

    @property
    def new_heading(self) -> str | None:
        return self.new.heading if self.new else None


@frozen
class ProvisionChange:
    """One key provision across the two versions (record-format §3).

    A version that leaves a provision out is silent on it, which is not a repeal: a change
    from silence is `stated`, to silence `unstated`, never added or removed.
    """

    id: str
    label: str
    kind: str
    old: Any
    new: Any
    change: str  # unchanged | stated | unstated | reworded | broadened | narrowed | changed | <scale word>
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    steps: int | None = None
    ops: tuple[Op, ...] = ()
    section: str | None = None
    scale_position: tuple[int, int, str] | None = None  # (1-based step, scale size, end word)
    change_class: str | None = None  # editorial | substantive; None when unchanged
    # For a provision stated again after versions that left it unstated (lineage.py):
    last_stated: "LastStated | None" = None
    # Its value and the body section that spells it out disagree (provisions.SECTION_CHECKS):
    # `section_changed` (value unchanged) or `value_changed` (section unchanged); else None.
    section_check: str | None = None


@frozen
class LastStated:
    """Where a provision stated again after silence was last stated, and what changed since."""

    version: str  # the last earlier version that stated it
    change: ProvisionChange  # from the value stated there (its `old`) to the new value
    unstated_in: tuple[str, ...] = ()  # the versions since, up to the old side, that are silent

    @property
    def value(self) -> Any:
        return self.change.old


@frozen
class MetadataChange:
    field: str
    old: Any
    new: Any


@frozen
class TitleChange:
    """The `# Title` line, which is neither front matter nor a section."""

    old: str | None
    new: str | None
    old_line: int | None = None
    new_line: int | None = None
    change_class: str | None = None


@frozen
class PolicyDiff:
    """Everything that differs between two documents, computed once, read by every view."""

    old: Side
    new: Side
    provisions: tuple[ProvisionChange, ...]
    metadata: tuple[MetadataChange, ...]
    sections: tuple[SectionDiff, ...]
    title: TitleChange | None = None
    # The texts differ only where no block, heading or field is: blank lines, line ends,
    # a byte-order mark.  Editorial, but a difference (any byte difference is one).
    layout_changed: bool = False

    @property
    def identical(self) -> bool:
        return (not self.metadata and self.title is None and not self.layout_changed
                and all(p.change == "unchanged" for p in self.provisions)
                and all(s.status == "unchanged" and not s.moved for s in self.sections))

    @property
    def substantive(self) -> bool:
        """Whether anything changed beyond spacing, punctuation, case and numbering."""
        return bool(
            self.metadata or (self.title is not None and self.title.change_class != "editorial")
            or any(p.change_class == "substantive" for p in self.provisions)
            or any(s.moved or s.heading_class == "substantive"
                   or (s.status in ("added", "removed") and not s.blocks)
                   or any(b.change_class == "substantive" for b in s.blocks)
                   for s in self.sections))
