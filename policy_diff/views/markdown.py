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
from typing import Any, Iterable

from ..model import BlockDiff, Op, PolicyDiff, ProvisionChange, Side
from .inline import runs_html, split_lines, styled_runs, table_lines
from .plan import (LAYOUT_NOTE, FieldPlan, Fold, Item, Plan, Row, SectionPlan, cut_text,
                   make_plan)
from ..text.unicode import split_hidden
from ..text.safe import look_alike_note, reveal, sanitize
from ..diff.summary import one_line_summary
from .terminal import GUTTER, summary_line
from ..diff.words import (NOT_STATED, change_word, member_text, provision_note, restated, section_note,
                    value_text)

FOLD_MIN = 2  # a hidden stretch of one block is shown: folding it would save nothing
Segment = tuple[str, str]  # (mark: "" | "del" | "ins" | "cut", raw record text)

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
               side.path if side.path != side.ref else "",
               f"read by {side.converter}" if side.converter else ""]
    return [d for d in details if d]


def list_change(field: FieldPlan) -> list[Segment]:
    """Members gone and come, one a line; a reordering alone says so."""
    came = [("ins", f"+ {member_text(v)}") for v in field.came]
    gone = [("del", f"− {member_text(v)}") for v in field.gone]
    pieces: list[Segment] = []
    for line in came + gone or [("", "(reordered)")]:
        pieces += [("", "\n"), line] if pieces else [line]
    return pieces


def field_segments(field: FieldPlan) -> list[Segment]:
    return list_change(field) if field.ops is None else op_segments(field.ops)


def folded_summary(section: SectionPlan) -> str:
    """The one line of a section folded whole: it has no change to show."""
    state = "editorial changes only" if section.section.status != "unchanged" \
        or section.section.moved else "unchanged"
    return f"{section.heading or '(preamble)'} — {state}, {count(len(section.items), 'block')}"


def section_runs(sections: tuple[SectionPlan, ...]) -> list[SectionPlan | list[SectionPlan]]:
    """Sections to show, and runs of FOLD_MIN or more without changes to fold as one, so a
    statute of a thousand sections is not a thousand folds to scroll past."""
    runs: list[SectionPlan | list[SectionPlan]] = []
    quiet: list[SectionPlan] = []
    for section in (*sections, None):
        if section is not None and not section.changed:
            quiet.append(section)
            continue
        runs += [quiet] if len(quiet) >= FOLD_MIN else quiet
        quiet = []
        if section is not None:
            runs.append(section)
    return runs


def quiet_summary(run: list[SectionPlan]) -> str:
    """The line of a run of folded sections."""
    edited = any(s.section.status != "unchanged" or s.section.moved for s in run)
    what = "sections unchanged or with editorial changes only" if edited else "unchanged sections"
    return f"{len(run)} {what}"


def key_note(section: SectionPlan, labels: dict[str, str]) -> str:
    provision = section.section.provision
    return f"★ key provision: {labels.get(provision, provision)}" if provision else ""


def report_runs(items: tuple[Item, ...]) -> list[Row | Fold]:
    """The plan's items as the reports draw them: a fold of one block is shown instead."""
    out: list[Row | Fold] = []
    for item in items:
        if isinstance(item, Fold) and len(item.blocks) < FOLD_MIN:
            out += [Row(block, False) for block in item.blocks]
        else:
            out.append(item)
    return out


def moved_note(block: BlockDiff) -> str:
    origin = block.from_section or "(preamble)"
    line = f", line {block.old.line}" if block.old else ""
    edited = "" if all(tag == "equal" for tag, _, _ in block.ops) else ", edited"
    return f"moved from ## {origin}{line}{edited}:"


def count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def row_segments(row: Row, side: str | None = None) -> list[Segment]:
    """A block as marked pieces: whole deletions or insertions, its redline, or its context."""
    block = row.block
    if not row.change:
        return [("", block.latest.text)]
    if block.status == "removed":
        return [("del", block.old.text)]  # type: ignore[union-attr]  # a removed block has its old side
    if block.status == "added":
        return [("ins", block.latest.text)]
    return op_segments(row.pieces, side)


def op_segments(ops: Iterable[Op], side: str | None = None) -> list[Segment]:
    """Both sides (deletions then insertions), or one side with only its own changes marked.
    A plan's `cut` is the mark `cut` with `…` as its text; a `marker` is the side's marker."""
    pieces: list[Segment] = []
    for tag, old, new in split_hidden(ops):  # spacing one cannot see is shown as changed
        if tag in ("equal", "marker"):
            pieces.append(("", old if side == "old" else new))
            continue
        if tag == "cut":
            pieces.append(("cut", cut_text(old if side == "old" else new)))
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
    return [_md_line(line) for line in split_lines(segments)]


def _md_line(line: list[Segment]) -> str:
    out = []
    for i, (mark, text) in enumerate(line):
        piece = _line_start(text) if i == 0 else md_text(text)
        if mark == "ins" and i and line[i - 1][0] == "del" and _touch(line[i - 1][1], text):
            out.append(" ")  # `superseded` `in-force`, never one word `supersededin-force`
        out.append(f"<{mark}>{piece}</{mark}>" if mark in ("del", "ins") else piece)
    return "".join(out)


def _touch(before: str, after: str) -> bool:
    return bool(before) and bool(after) and not before[-1].isspace() and not after[0].isspace()


def _line_start(text: str) -> str:
    """Keep indentation visible and stop a line from opening a list or an underline."""
    indent = _INDENT.match(text)
    lead = indent.group() if indent else ""
    rest = md_text(text[len(lead):])
    rest = _LINE_START.sub(lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}", rest, count=1)
    return lead.replace("\t", "    ").replace(" ", "&nbsp;") + rest


def block_lines(segments: Iterable[Segment], kind: str) -> list[str]:
    """A block's marked pieces as Markdown lines with its inline Markdown drawn (emphasis,
    code, links, bullets; views/inline.py), every tag opened and closed on its line; a
    table row as an HTML table on one line after the gutter (inline HTML, so its text is
    escaped as Markdown), which GitHub and GitLab keep."""
    runs = styled_runs(segments, kind)
    if kind == "table_row":
        rows = []
        for header, cells in table_lines(runs):
            tag = "th" if header else "td"
            rows.append("<tr>" + "".join(
                f"<{tag}>{runs_html(cell, md_text, md_text)}</{tag}>"
                for cell in cells) + "</tr>")
        return ["<table>" + "".join(rows) + "</table>"]
    return [runs_html(line, md_text, md_text, first=_line_start) for line in split_lines(runs)]


def md_inline(segments: Iterable[Segment]) -> str:
    """Marked pieces on one Markdown line (a table cell): line breaks as `<br>`."""
    return "<br>".join(md_lines(segments))


# The report ----------------------------------------------------------------------------------

def to_markdown(diff: PolicyDiff, context: int | None = 1, ignore_editorial: bool = False,
                plan: Plan | None = None) -> str:
    """The redline as GitHub/GitLab Markdown; unchanged sections folded in `<details>`."""
    plan = plan or make_plan(diff, context, ignore_editorial)
    parts = [f"# {md_text(report_title(diff))}", _sides(diff)]
    if plan.quiet:
        parts.append(md_text(f"No differences: {diff.old.ref} and {diff.new.ref} are "
                             f"{plan.quiet}."))
        return "\n\n".join(parts) + "\n"
    parts.insert(1, f"<strong>{md_text(one_line_summary(diff))}</strong>")
    parts += _provisions(plan) + _metadata(plan)
    parts += [f"<em>{md_text(LAYOUT_NOTE)}</em>"] if plan.layout else []
    parts.append("## Sections")
    labels = plan.labels
    for run in section_runs(plan.sections):
        if isinstance(run, list):
            inner = [part for section in run for part in _section(section, labels)]
            parts.append(_folded(quiet_summary(run), inner))
        else:
            parts += _section(run, labels)
    parts.append(f"<em>{md_text(summary_line(diff).plain)}</em>")
    return "\n\n".join(parts) + "\n"


def _sides(diff: PolicyDiff) -> str:
    return "\n".join(f"- **{name}:** {md_text(' · '.join([side.ref, *side_details(side)]))}"
                     for name, side in (("Old", diff.old), ("New", diff.new)))


def _provisions(plan: Plan) -> list[str]:
    if not plan.diff.provisions:
        return []
    parts = ["## Key provisions"]
    if plan.provisions:
        rows = [f"| {md_text(p.label)} | {_change_cell(p)} | {_provision_cell(p)}"
                f"{md_text(f' — {section_note(p)}') if section_note(p) else ''} |"
                for p in plan.provisions]
        header = ["| Provision | Change | Before → after |", "|---|---|---|"]
        parts.append("\n".join(header + rows))
    for what, provisions in (("Unchanged", plan.unchanged_provisions),
                             ("Editorial changes only", plan.editorial_provisions)):
        if provisions:
            parts.append(f"{what}: {md_text(', '.join(p.label for p in provisions))}.")
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


def _metadata(plan: Plan) -> list[str]:
    if not plan.metadata:
        return []
    lines = ["| Field | Before → after |", "|---|---|"]
    for field in plan.metadata:
        lines.append(f"| {md_text(field.field)} | {md_inline(field_segments(field))} |")
    return ["## Metadata", "\n".join(lines)]


def _section(section: SectionPlan, labels: dict[str, str]) -> list[str]:
    if not section.changed:
        # An unchanged section's items are all rows (render.plan draws no fold in it).
        return [_folded(folded_summary(section),
                        [_block(r) for r in section.items if isinstance(r, Row)])]
    parts = [_heading(section, labels)]
    for run in report_runs(section.items):
        if isinstance(run, Fold):
            parts.append(_folded(count(len(run.blocks), "unchanged block"),
                                 [_block(Row(b, False)) for b in run.blocks]))
        else:
            parts.append(_block(run))
    return parts


def _heading(section: SectionPlan, labels: dict[str, str]) -> str:
    title = md_text(section.heading or "(preamble)")
    if section.old_heading is not None:
        parent, old, new = section.rename_parts()
        title = f"{md_text(parent)}<del>{md_text(old or '(preamble)')}</del> → " \
            f"{md_text(new or '(preamble)')}"
    status, key = ", ".join(section.notes), key_note(section, labels)
    notes = [f"<em>({md_text(status)})</em>" if status else "", md_text(key)]
    return " ".join(["###", title, *filter(None, notes)])


def _folded(summary: str, blocks: list[str]) -> str:
    """A `<details>` fold; the blank lines let GitHub and GitLab render Markdown inside it."""
    body = "\n\n".join(blocks) or "<em>(no blocks)</em>"
    return f"<details>\n<summary>{html_text(summary)}</summary>\n\n{body}\n\n</details>"


def _block(row: Row) -> str:
    """One block as a paragraph: a code-span gutter (-, +, ~, >, =), then its text, line by line."""
    block = row.block
    kind = block.latest.kind
    lines = block_lines(row_segments(row), kind)
    if row.note:
        lines[0] = f"<em>({md_text(row.note)})</em> {lines[0]}"
    if row.change and block.status == "moved":
        lines.insert(0, f"<em>{md_text(moved_note(block))}</em>")
    if row.change:
        lines[0] = f"`{gutter(row)}` {lines[0]}"
    return "<br>\n".join(lines)


def gutter(row: Row) -> str:
    """The terminal's gutter mark: `=` for an editorial edit, else by status."""
    block = row.block
    if block.status == "modified" and block.change_class == "editorial":
        return "="
    return GUTTER[block.status]
