"""Counts every view shows at the end: sections and blocks by status, words in and out."""

from __future__ import annotations

from typing import Any

from ..model import PolicyDiff
from .textdiff import count_words
from .words import one_line

SECTION_KEYS = ("unchanged", "modified", "added", "removed", "renamed", "moved")
BLOCK_KEYS = ("unchanged", "modified", "added", "removed", "moved")


def diff_stats(diff: PolicyDiff) -> dict[str, Any]:
    sections = dict.fromkeys(SECTION_KEYS, 0)
    blocks = dict.fromkeys(BLOCK_KEYS, 0)
    words = {"inserted": 0, "deleted": 0}
    changes = {"substantive": 0, "editorial": 0}
    for provision in diff.provisions:
        if provision.change_class:
            changes[provision.change_class] += 1
    for section in diff.sections:
        sections[section.status] += 1
        sections["renamed"] += section.renamed
        sections["moved"] += section.moved
        if section.rename_class:
            changes[section.rename_class] += 1
        for block in section.blocks:
            blocks[block.status] += 1
            if block.change_class:
                changes[block.change_class] += 1
            if block.status == "added":
                words["inserted"] += count_words(block.latest.text)
            elif block.status == "removed":
                words["deleted"] += count_words(block.old.text)  # type: ignore[union-attr]  # removed: old is set
            else:
                for tag, old, new in block.ops:
                    if tag != "equal":
                        words["inserted"] += count_words(new)
                        words["deleted"] += count_words(old)
    return {"sections": sections, "blocks": blocks, "words": words, "changes": changes}


def provisions_changed(diff: PolicyDiff) -> int:
    return sum(p.change != "unchanged" for p in diff.provisions)


def plural(count: int, word: str) -> str:
    """`1 section`, `2 sections`."""
    return f"{count} {word}{'' if count == 1 else 's'}"


def section_kinds(diff: PolicyDiff) -> dict[str, int]:
    """How the sections changed: new, deleted, edited (text or heading), moved alone.  Not
    `added`/`removed`: in a summary those are the words of provisions (stated, no longer)."""
    kinds = {"new": 0, "deleted": 0, "edited": 0, "moved": 0}
    for section in diff.sections:
        if section.status in ("added", "removed"):
            kinds["new" if section.status == "added" else "deleted"] += 1
        elif section.status != "unchanged":
            kinds["edited"] += 1
        elif section.moved:
            kinds["moved"] += 1
    return {kind: n for kind, n in kinds.items() if n}


def one_line_summary(diff: PolicyDiff, kinds: bool = True) -> str:
    """E.g. `geographic scope broadened; approval authority delegated 1 step; sections: 1 new,
    2 edited`."""
    parts = status_words(diff) + [one_line(p) for p in diff.provisions if p.change != "unchanged"]
    sections = section_kinds(diff)
    if sections and not kinds:  # a narrow view (log at 80 columns): the count alone
        parts.append(f"{plural(sum(sections.values()), 'section')} changed")
    elif len(sections) == 1:  # `1 new section`, `3 sections edited`
        (kind, count), = sections.items()
        parts.append(f"{count} new section{'' if count == 1 else 's'}" if kind == "new"
                     else f"{plural(count, 'section')} {kind}")
    elif sections:  # `sections: 3 new, 2 deleted, 7 edited`
        parts.append("sections: " + ", ".join(f"{n} {kind}" for kind, n in sections.items()))
    if not parts:
        parts.append("metadata only" if not diff.identical else "no changes")
    return "; ".join(parts)


# What a change of `status` means to a reader of a summary (record-format §1's statuses).
_STATUS_WORDS = {"in-force": "published", "superseded": "superseded", "rescinded": "rescinded",
                 "draft": "back to draft"}


def status_words(diff: PolicyDiff) -> list[str]:
    """`published`, `superseded`, `rescinded`: a change of status of one version, named.
    (Between two versions, the older is superseded and the newer in force as a rule.)"""
    versions = diff.old.version, diff.new.version
    if None not in versions and versions[0] != versions[1]:
        return []
    words = []
    for change in diff.metadata:
        if change.field == "status":
            word = _STATUS_WORDS.get(str(change.new)) if change.new is not None else None
            words.append(word or f"status {change.old} → {change.new}")
    return words
