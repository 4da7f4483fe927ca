"""The diff as Markdown for GitHub and GitLab: a redline to paste into an issue, a review or a wiki.

Record text is untrusted.  `sanitize` first makes control, escape and bidi characters
visible; then `md_text` turns every character that could open HTML or Markdown structure
into an entity or a backslash escape, and `md_lines` keeps each line of a block from
starting a list, heading or quote.  Only this module writes tags: `<del>`, `<ins>`, `<em>`,
`<strong>`, `<br>`, `<details>` and `<summary>`, all of which GitHub and GitLab keep.

GitHub still turns a bare `https://` URL, `@name` or `#123` in the text into a link after
rendering; those are safe schemes and mentions, not structure, and are left as written.

The format-neutral pieces (which blocks to show, the notes beside a heading) live here
too and are shared with the HTML view, so both reports say the same things.
"""

from __future__ import annotations

import html
import re
from typing import Any, Iterable, Iterator, Union

from ..model import BlockDiff, Op, PolicyDiff, ProvisionChange, SectionDiff, Side
from ..textdiff import word_ops
from ..unicode import split_hidden
from .safe import look_alike_note, reveal, sanitize
from .stats import one_line_summary
from .terminal import GUTTER, summary_line
from .words import (NOT_STATED, change_word, list_delta, listed, provision_note, restated,
                    section_note, value_text)

FOLD_MIN = 2  # a hidden stretch of one block is shown: folding it would save nothing
Segment = tuple[str, str]  # (mark: "" | "del" | "ins", raw record text)
Run = Union[BlockDiff, tuple[BlockDiff, ...]]  # a block to show, or unchanged blocks to fold

# Entities for what HTML (and GFM tables and math) would act on, backslashes for the rest.
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "|": "&#124;", "$": "&#36;"}
_BACKSLASHED = frozenset("\\`*_[]()#~")
_LINE_START = re.compile(r"^([-+=])|^(\d{1,9})([.)])")  # list items, setext underlines
_INDENT = re.compile(r"^[ \t]+")


# Format-neutral pieces, shared with html.py --------------------------------------------------

def report_title(diff: PolicyDiff) -> str:
    return f"Redline: {diff.old.ref} → {diff.new.ref}"


def side_details(side: Side) -> list[str]:
    """What the terminal header says about a side, as raw strings: status, effective, path."""
    front = side.document.front
    details = [f"version {side.version}" if side.version and side.version not in side.ref else "",
               value_text(front["status"]) if front.get("status") else "",
               f"effective {value_text(front['effective'])}" if front.get("effective") else "",
               side.path if side.path != side.ref else ""]
    return [d for d in details if d]


def metadata_rows(diff: PolicyDiff) -> list[tuple[str, Any, Any]]:
    """(field, old, new) for the title line and each changed front matter field."""
    rows = [(m.field, m.old, m.new) for m in diff.metadata]
    title = diff.title
    if title is not None and (title.old, title.new) not in [(o, n) for f, o, n in rows
                                                            if f == "title"]:
        rows.insert(0, ("# title", title.old, title.new))  # said once when it repeats the front
    return rows


def value_ops(old: Any, new: Any) -> list[Op] | None:
    """A word redline for two strings, one replacement for scalars; None for two lists."""
    if isinstance(old, list) and isinstance(new, list):
        return None
    if isinstance(old, str) and isinstance(new, str):
        return word_ops(old, new)
    return [("replace", value_text(old), value_text(new))]


def list_change(old: list[Any], new: list[Any]) -> list[Segment]:
    """Members gone and come, one a line; a reordering alone says so."""
    gone_values, came_values = list_delta(old, new)
    came = [("ins", f"+ {value_text(v)}") for v in came_values]
    gone = [("del", f"− {value_text(v)}") for v in gone_values]
    pieces: list[Segment] = []
    for line in came + gone or [("", "(reordered)")]:
        pieces += [("", "\n"), line] if pieces else [line]
    return pieces


def section_heading(section: SectionDiff) -> str:
    heading = section.new_heading if section.new is not None else section.old_heading
    return heading or "(preamble)"


def section_notes(section: SectionDiff, labels: dict[str, str]) -> tuple[str, str]:
    """The status note ("new section, moved") and the key provision mark, either may be ""."""
    status = {"added": "new section", "removed": "section removed"}.get(section.status)
    notes = [n for n in (status, "renamed" if section.renamed else None,
                         "moved" if section.moved else None) if n]
    key = f"★ key provision: {labels.get(section.provision, section.provision)}" \
        if section.provision else ""
    return ", ".join(notes), key


def shows_changes(section: SectionDiff) -> bool:
    return section.status != "unchanged" or section.moved


def block_runs(blocks: tuple[BlockDiff, ...], context: int | None) -> Iterator[Run]:
    """Every change and `context` unchanged blocks around it; longer unchanged stretches folded."""
    if context is None:
        yield from blocks
        return
    changed = [i for i, b in enumerate(blocks) if b.status != "unchanged"]
    shown = {k for i in changed for k in range(i - context, i + context + 1)}
    hidden: list[BlockDiff] = []
    for index, block in enumerate(blocks):
        if index in shown:
            yield from _flush(hidden)
            yield block
        else:
            hidden.append(block)
    yield from _flush(hidden)


def _flush(hidden: list[BlockDiff]) -> Iterator[Run]:
    if len(hidden) >= FOLD_MIN:
        yield tuple(hidden)
    else:
        yield from hidden
    hidden.clear()


def moved_note(block: BlockDiff) -> str:
    origin = block.from_section or "(preamble)"
    line = f", line {block.old.line}" if block.old else ""
    edited = "" if all(tag == "equal" for tag, _, _ in block.ops) else ", edited"
    return f"moved from ## {origin}{line}{edited}:"


def count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def block_segments(block: BlockDiff, side: str | None = None) -> list[Segment]:
    """A block as marked pieces: whole deletions or insertions, or its redline."""
    if block.status == "removed":
        return [("del", block.old.text)]  # type: ignore[union-attr]
    if block.status == "added":
        return [("ins", block.new.text)]  # type: ignore[union-attr]
    if block.status == "unchanged":
        return [("", block.new.text)]  # type: ignore[union-attr]
    return op_segments(block.ops, side)


def op_segments(ops: Iterable[Op], side: str | None = None) -> list[Segment]:
    """Both sides (deletions then insertions), or one side with only its own changes marked."""
    pieces: list[Segment] = []
    for tag, old, new in split_hidden(ops):  # spacing one cannot see is shown as changed
        if tag == "equal":
            pieces.append(("", old if side == "old" else new))
            continue
        if old and side != "new":
            pieces.append(("del", reveal(old)))
        if new and side != "old":
            pieces.append(("ins", reveal(new)))
        if side is None and look_alike_note(old, new):
            pieces.append(("", look_alike_note(old, new)))
    return pieces


# Escaping ------------------------------------------------------------------------------------

def md_text(text: str) -> str:
    r"""Record text as inert inline Markdown.

    >>> md_text('<b>[x](javascript:y) | *z*')
    '&lt;b&gt;\\[x\\]\\(javascript:y\\) &#124; \\*z\\*'
    """
    return neutralise("".join(_ENTITIES.get(c) or ("\\" + c if c in _BACKSLASHED else c)
                              for c in sanitize(text)))


# GitHub and GitLab turn `@name` into a notification and bare addresses (https://…, www.…,
# name@host) into links.  An empty HTML comment, which renders as nothing, breaks each up.
# A mention is `@name` after a non-word character; an address `name@host.tld`.
_LIVE = re.compile(r"(?:(?<!\w)@|(?<=\w)@(?=[\w-]+\.\w))(?=\w)|(?<=\w)(?=://)|(?<=\bwww)(?=\.)",
                   re.IGNORECASE)


def neutralise(text: str) -> str:
    """Escaped text with mentions and bare links made inert, reading the same.

    >>> neutralise("ask @legal at https://x.org or www.x.org, not us-apl@2022")
    'ask @<!-- -->legal at https<!-- -->://x.org or www<!-- -->.x.org, not us-apl@2022'
    """
    if "@" not in text and "://" not in text and "www" not in text.lower():
        return text
    return _LIVE.sub(lambda m: m.group() + "<!-- -->", text)


def html_text(text: str) -> str:
    """Record text for a raw HTML block (a `<summary>`), where Markdown escapes would show."""
    return neutralise(html.escape(sanitize(text), quote=True))


def md_lines(segments: Iterable[Segment]) -> list[str]:
    """Marked pieces as Markdown lines; tags never span a line, so no line can break another."""
    lines: list[list[Segment]] = [[]]
    for mark, text in segments:
        for i, part in enumerate(text.split("\n")):
            if i:
                lines.append([])
            if part:
                lines[-1].append((mark, part))
    return [_md_line(line) for line in lines]


def _md_line(line: list[Segment]) -> str:
    out = []
    for i, (mark, text) in enumerate(line):
        piece = _line_start(text) if i == 0 else md_text(text)
        out.append(f"<{mark}>{piece}</{mark}>" if mark else piece)
    return "".join(out)


def _line_start(text: str) -> str:
    """Keep indentation visible and stop a line from opening a list or an underline."""
    indent = _INDENT.match(text)
    lead = indent.group() if indent else ""
    rest = md_text(text[len(lead):])
    rest = _LINE_START.sub(lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}", rest, count=1)
    return lead.replace("\t", "    ").replace(" ", "&nbsp;") + rest


def md_inline(segments: Iterable[Segment]) -> str:
    """Marked pieces on one Markdown line (a table cell): line breaks as `<br>`."""
    return "<br>".join(md_lines(segments))


# The report ----------------------------------------------------------------------------------

def to_markdown(diff: PolicyDiff, context: int | None = 1) -> str:
    """The redline as GitHub/GitLab Markdown; unchanged sections folded in `<details>`."""
    parts = [f"# {md_text(report_title(diff))}", _sides(diff)]
    if diff.identical:
        parts.append(md_text(f"No differences: {diff.old.ref} and {diff.new.ref} are identical."))
        return "\n\n".join(parts) + "\n"
    parts.insert(1, f"<strong>{md_text(one_line_summary(diff))}</strong>")
    parts += _provisions(diff) + _metadata(diff) + ["## Sections"]
    labels = {p.id: p.label for p in diff.provisions}
    for section in diff.sections:
        parts += _section(section, labels, context)
    parts.append(f"<em>{md_text(summary_line(diff).plain)}</em>")
    return "\n\n".join(parts) + "\n"


def _sides(diff: PolicyDiff) -> str:
    return "\n".join(f"- **{name}:** {md_text(' · '.join([side.ref, *side_details(side)]))}"
                     for name, side in (("Old", diff.old), ("New", diff.new)))


def _provisions(diff: PolicyDiff) -> list[str]:
    changed = [p for p in diff.provisions if listed(p)]
    same = [p.label for p in diff.provisions if not listed(p)]
    if not diff.provisions:
        return []
    parts = ["## Key provisions"]
    if changed:
        rows = [f"| {md_text(p.label)} | {_change_cell(p)} | {_provision_cell(p)}"
                f"{md_text(f' — {section_note(p)}') if section_note(p) else ''} |" for p in changed]
        header = ["| Provision | Change | Before → after |", "|---|---|---|"]
        parts.append("\n".join(header + rows))
    if same:
        parts.append(f"Unchanged: {md_text(', '.join(same))}.")
    return parts


def _change_cell(provision: ProvisionChange) -> str:
    word = md_text(change_word(provision))
    return f"**{word}**" if provision.change in ("broadened", "narrowed") else word


def _provision_cell(provision: ProvisionChange) -> str:
    """Before → after; text provisions as a redline, or the one side they have."""
    if provision.kind == "text" and provision.change == "reworded":
        return md_inline(op_segments(provision.ops))
    if provision.last_stated is not None:  # lead with the change since it was last stated
        lead, since, silent = restated(provision)
        return f"{md_text(lead)}: {_provision_cell(since)}{md_text(silent)}"
    if provision.change == "unchanged":
        return md_inline([("", value_text(provision.new))])
    if provision.change in ("stated", "unstated"):  # never "(not stated) → ...": silence
        was = "was: " if provision.change == "unstated" else ""
        value = provision.new if provision.change == "stated" else provision.old
        note = provision_note(provision)
        return md_text(was) + md_inline([("ins" if provision.change == "stated" else "del",
                                           value_text(value))]) + md_text(f" {note}" if note else "")
    note = provision_note(provision)
    return " ".join(filter(None, [_value_cell(provision.old, "del"), "→",
                                  _value_cell(provision.new, "ins"), md_text(note)]))


def _value_cell(value: Any, mark: str) -> str:
    if value is None:
        return f"<em>{NOT_STATED}</em>"
    return md_inline([(mark, value_text(value))])


def _metadata(diff: PolicyDiff) -> list[str]:
    rows = metadata_rows(diff)
    if not rows:
        return []
    lines = ["| Field | Before → after |", "|---|---|"]
    for name, old, new in rows:
        ops = value_ops(old, new)
        cell = md_inline(list_change(old, new) if ops is None else op_segments(ops))
        lines.append(f"| {md_text(name)} | {cell} |")
    return ["## Metadata", "\n".join(lines)]


def _section(section: SectionDiff, labels: dict[str, str], context: int | None) -> list[str]:
    if not shows_changes(section):
        summary = f"{section_heading(section)} — unchanged, {count(len(section.blocks), 'block')}"
        return [_folded(summary, [_block(b) for b in section.blocks])]
    parts = [_heading(section, labels)]
    for run in block_runs(section.blocks, context):
        if isinstance(run, tuple):
            parts.append(_folded(count(len(run), "unchanged block"), [_block(b) for b in run]))
        else:
            parts.append(_block(run))
    return parts


def _heading(section: SectionDiff, labels: dict[str, str]) -> str:
    title = md_text(section_heading(section))
    if section.renamed:
        title = f"<del>{md_text(section.old_heading or '(preamble)')}</del> → {title}"
    status, key = section_notes(section, labels)
    notes = [f"<em>({md_text(status)})</em>" if status else "", md_text(key)]
    return " ".join(["###", title, *filter(None, notes)])


def _folded(summary: str, blocks: list[str]) -> str:
    """A `<details>` fold; the blank lines let GitHub and GitLab render Markdown inside it."""
    body = "\n\n".join(blocks) or "<em>(no blocks)</em>"
    return f"<details>\n<summary>{html_text(summary)}</summary>\n\n{body}\n\n</details>"


def _block(block: BlockDiff) -> str:
    """One block as a paragraph: a code-span gutter (-, +, ~, >), then its text, line by line."""
    lines = md_lines(block_segments(block))
    if block.status == "moved":
        lines.insert(0, f"<em>{md_text(moved_note(block))}</em>")
    if block.status != "unchanged":
        lines[0] = f"`{GUTTER[block.status]}` {lines[0]}"
    return "<br>\n".join(lines)
