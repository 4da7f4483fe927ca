"""The promises of spec/diff-json.md, checked on a diff's JSON against both documents."""

from __future__ import annotations

from collections import Counter
from typing import Any

from policy_diff.model import Document

SECTION_STATUSES = {"unchanged", "modified", "added", "removed"}
BLOCK_STATUSES = {"unchanged", "modified", "added", "removed", "moved"}
TAGS = {"equal", "replace", "delete", "insert"}


def check_ops(ops: list[list[str]], old: str, new: str) -> None:
    assert all(tag in TAGS for tag, _, _ in ops)
    assert "".join(o for _, o, _ in ops) == old, "ops do not rebuild the old text"
    assert "".join(n for _, _, n in ops) == new, "ops do not rebuild the new text"
    for tag, o, n in ops:
        assert tag != "delete" or n == "", ops
        assert tag != "insert" or o == "", ops


def check_diff(data: dict[str, Any], old: Document, new: Document) -> None:
    """Every rule the JSON output keeps."""
    assert data["format"] == "policy-diff/2"
    sections = data["sections"]
    new_sections = [s for s in sections if s["status"] != "removed"]
    assert [s["new_heading"] for s in new_sections] == [s.heading for s in new.sections]
    old_listed = [s["old_heading"] for s in sections if s["status"] != "added"]
    assert Counter(old_listed) == Counter(s.heading for s in old.sections)
    new_blocks, old_blocks = [], []
    for section in sections:
        assert section["status"] in SECTION_STATUSES
        for block in section["blocks"]:
            assert block["status"] in BLOCK_STATUSES
            if block["status"] != "removed":
                new_blocks.append(block["new"])
            if block["status"] != "added":
                old_blocks.append(block["old"])
            if "ops" in block:
                check_ops(block["ops"], block["old"], block["new"])
            if block["status"] == "moved":
                assert isinstance(block["from_section"], str)
    assert new_blocks == [b.text for b in new.blocks], "new blocks not complete and in order"
    assert Counter(old_blocks) == Counter(b.text for b in old.blocks), "old blocks not complete"
    for provision in data["provisions"]:
        if "ops" in provision:
            check_ops(provision["ops"], provision["old"], provision["new"])
    changed = (data["metadata"] or data["title"] or data["layout_changed"]
               or any(p["change"] != "unchanged" for p in data["provisions"])
               or any(s["status"] != "unchanged" or s["moved"] for s in sections))
    assert data["identical"] == (not changed)
