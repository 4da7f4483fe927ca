"""The diff as JSON (docs/diff-json.md, format policy-diff/2): a reader of PolicyDiff.

Extensions to the spec, all additive: sections carry `old_line` / `new_line`
(their heading lines); a top-level `title` tells a change of the `# Title` line,
which is neither front matter nor a section (null when unchanged).  Editorial
versus substantive: top-level `substantive`; `change_class` on blocks and
provisions (`editorial`, `substantive`, or null when unchanged); `op_classes`
beside each block's `ops`, one entry per op (null for `equal`); sections'
`rename_class`, and `heading_class` (null when the heading line is byte-identical, else
`editorial` or `substantive`).  Sections carry `old_level` / `new_level` (null for a missing
side).  `--ignore-editorial` does not change the JSON: it stays the whole diff, and what the
other views show under that option is every change whose `change_class` (or a section's
`rename_class` / `heading_class`) is not `editorial` (views/plan.py decides the same).
A provision stated again after versions that left it unstated
carries `last_stated` (the version, its value, and the change since: `change`,
`steps`; and `unstated_in`, the silent versions between).
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring  # the C function the encoder uses
from typing import Any, Iterator

from ..model import BlockDiff, PolicyDiff, ProvisionChange, SectionDiff, Side
from ..text.safe import inert_json
from ..diff.summary import diff_stats

FORMAT = "policy-diff/2"


_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": "))


def to_json(diff: PolicyDiff) -> str:
    """Deterministic JSON text: the same inputs give byte-identical output.

    One line per top-level field, per section and per block: readable, and each
    line goes through the C encoder (`indent=` would force the pure-Python one,
    the slowest part of a large diff).  Characters a terminal could act on are
    written as `\\u` escapes (text.safe.inert_json): the same data, inert.
    """
    return "".join(json_chunks(diff))


def json_chunks(diff: PolicyDiff) -> Iterator[str]:
    """to_json's text in pieces, a section at a time: a large diff is written as it is
    encoded, never held whole (a 10 MB pair's JSON is 25 MB)."""
    data = as_dict(diff, with_sections=False)
    fields = [f"  {_COMPACT.encode(key)}: {_COMPACT.encode(value)}" for key, value in data.items()]
    at = list(data).index("stats")
    yield inert_json("{\n" + "".join(field + ",\n" for field in fields[:at]) + '  "sections": ')
    yield from _sections(diff.sections)
    yield inert_json("".join(",\n" + field for field in fields[at:]) + "\n}\n")


_SECTIONS_PER_CHUNK = 64
_BLOCKS_OPEN, _BLOCK_SEPARATOR, _BLOCKS_CLOSE = ', "blocks": [\n      ', ",\n      ", "\n    ]}"


def _sections(sections: tuple[SectionDiff, ...]) -> Iterator[str]:
    """The `sections` list, a few sections at a time (one line per section and per block)."""
    if not sections:
        yield "[]"
        return
    parts: list[str] = []
    for number, section in enumerate(sections):
        parts.append(",\n    " if number else "[\n    ")
        parts.append(_COMPACT.encode(_section(section, with_blocks=False))[:-1])
        if section.blocks:
            blocks = _BLOCK_SEPARATOR.join(map(_block_text, section.blocks))
            parts += (_BLOCKS_OPEN, blocks, _BLOCKS_CLOSE)
        else:
            parts.append(', "blocks": []}')
        if len(parts) >= 5 * _SECTIONS_PER_CHUNK:
            yield inert_json("".join(parts))
            parts = []
    parts.append("\n  ]")
    yield inert_json("".join(parts))


def _block_text(block: BlockDiff) -> str:
    """One block as JSON; unchanged blocks (most of a large diff) skip the dict and encode once."""
    if block.status != "unchanged":
        return _COMPACT.encode(_block(block))
    assert block.old is not None and block.new is not None
    new = encode_basestring(block.new.text)
    old = new if block.old.text == block.new.text else encode_basestring(block.old.text)
    return (f'{{"status": "unchanged", "old": {old}, "new": {new}, "old_line": '
            f'{block.old.line}, "new_line": {block.new.line}, "change_class": null}}')


def as_dict(diff: PolicyDiff, with_sections: bool = True) -> dict[str, Any]:
    data = {
        "format": FORMAT,
        "old": _side(diff.old),
        "new": _side(diff.new),
        "identical": diff.identical,
        "substantive": diff.substantive,
        "layout_changed": diff.layout_changed,
        "title": None if diff.title is None else {
            "old": diff.title.old, "new": diff.title.new,
            "old_line": diff.title.old_line, "new_line": diff.title.new_line,
            "change_class": diff.title.change_class},
        "metadata": [{"field": m.field, "old": _data(m.old), "new": _data(m.new)}
                     for m in diff.metadata],
        "provisions": [_provision(p) for p in diff.provisions],
        "sections": [_section(s) for s in diff.sections] if with_sections else None,
        "stats": diff_stats(diff),
    }
    if not with_sections:
        del data["sections"]
    return data


def _side(side: Side) -> dict[str, Any]:
    found = {"ref": side.ref, "path": side.path, "policy": side.policy, "version": side.version}
    return found | ({"converter": side.converter} if side.converter else {})


def _data(value: Any) -> Any:
    """YAML values as plain JSON data (our str subclasses and dict subclasses included)."""
    if isinstance(value, dict):
        return {str(k): _data(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_data(v) for v in value]
    if isinstance(value, str):
        return str(value)
    return value


def _provision(p: ProvisionChange) -> dict[str, Any]:
    out: dict[str, Any] = {"id": p.id, "label": p.label, "kind": p.kind,
                           "old": _data(p.old), "new": _data(p.new), "change": p.change}
    if p.kind == "set":
        out["added"], out["removed"] = list(p.added), list(p.removed)
    if p.steps is not None:
        out["steps"] = p.steps
    if p.kind == "text" and p.change == "reworded":
        out["ops"] = [list(op) for op in p.ops]
    out["change_class"] = p.change_class
    out["section_check"] = p.section_check
    last = p.last_stated
    if last is not None:
        out["last_stated"] = {"version": last.version, "value": _data(last.value),
                              "change": last.change.change, "steps": last.change.steps,
                              "unstated_in": list(last.unstated_in)}
    return out


def _section(s: SectionDiff, with_blocks: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {
        "status": s.status, "old_heading": s.old_heading, "new_heading": s.new_heading,
        "renamed": s.renamed, "moved": s.moved, "provision": s.provision,
        "rename_class": s.rename_class, "heading_class": s.heading_class,
        "old_level": s.old.level if s.old else None, "new_level": s.new.level if s.new else None,
        "old_line": s.old.line if s.old else None, "new_line": s.new.line if s.new else None,
    }
    if with_blocks:
        out["blocks"] = [_block(b) for b in s.blocks]
    return out


def _block(b: BlockDiff) -> dict[str, Any]:
    out: dict[str, Any] = {
        "status": b.status,
        "old": b.old.text if b.old else None, "new": b.new.text if b.new else None,
        "old_line": b.old.line if b.old else None, "new_line": b.new.line if b.new else None,
    }
    if b.status == "moved":
        out["from_section"] = b.from_section
    if b.status in ("modified", "moved"):
        out["ops"] = [list(op) for op in b.ops]
        out["op_classes"] = list(b.op_classes)
    out["change_class"] = b.change_class
    return out
