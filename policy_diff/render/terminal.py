"""The terminal view of a PolicyDiff: header, key provisions, metadata, changed sections, summary.

It only reads the diff.  Without colour (piped, NO_COLOR, --color never) every
change stays visible through gutters (`-`, `+`, `~`, `>`) and `[-old-]{+new+}`
markers, so the output is plain, greppable text.
"""

from __future__ import annotations

from typing import Iterable

from ..frozen import frozen
from ..model import BlockDiff, PolicyDiff, ProvisionChange, SectionDiff, Side
from .layout import Grid, Part, SideBySide, Styled
from .redline import inline, one_side, safe
from .safe import reveal, sanitize
from .stats import diff_stats, provisions_changed
from .words import (NOT_STATED, change_word, list_delta, listed, provision_note, restated,
                    section_note, value_text)

GUTTER = {"unchanged": " ", "removed": "-", "added": "+", "modified": "~", "moved": ">"}
BLOCK_STYLE = {"removed": "pd.deleted", "added": "pd.inserted"}
CHANGE_STYLE = {"broadened": "pd.broadened", "narrowed": "pd.narrowed"}


@frozen
class View:
    """How to draw: markers or styles, how much context, one column or two, what to hide."""

    plain: bool
    context: int | None = 1  # None: every block
    side_by_side: bool = False
    ignore_editorial: bool = False

    def shows_change(self, block: BlockDiff) -> bool:
        if block.status == "unchanged":
            return False
        return not (self.ignore_editorial and block.change_class == "editorial")

    def shows_section(self, section: SectionDiff) -> bool:
        if self.context is None:
            return True
        if section.status == "unchanged" and not section.moved:
            return False
        if not self.ignore_editorial or section.moved or section.status != "modified":
            return True
        blocks_changed = [b for b in section.blocks if b.status != "unchanged"]
        return (section.rename_class == "substantive" or not blocks_changed  # blocks moved out
                or any(self.shows_change(b) for b in blocks_changed))


def render_diff(diff: PolicyDiff, plain: bool, context: int = 1, full: bool = False,
                side_by_side: bool = False, ignore_editorial: bool = False) -> list[Part]:
    view = View(plain, None if full else context, side_by_side, ignore_editorial)
    parts: list[Part] = [header(diff)]
    if diff.identical or (ignore_editorial and not diff.substantive):
        what = "identical" if diff.identical else "the same but for editorial changes"
        parts.append(Styled(f"No differences: {sanitize(diff.old.ref)} and "
                          f"{sanitize(diff.new.ref)} are {what}."))
        return parts
    parts += provisions_view(diff, view)
    parts += metadata_view(diff, plain)
    labels = {p.id: p.label for p in diff.provisions}
    for section in diff.sections:
        if view.shows_section(section):
            parts += [Styled(""), section_heading(section, labels)]
            draw = side_by_side_blocks if side_by_side else inline_blocks
            parts.append(draw(section, view))
    parts += [Styled(""), summary_line(diff)]
    return parts


def header(diff: PolicyDiff) -> Grid:
    grid = Grid(["", ""], padding=1)
    for mark, side in (("---", diff.old), ("+++", diff.new)):
        grid.add_row(Styled(mark, "pd.title"), _side_text(side))
    return grid


def _side_text(side: Side) -> Styled:
    front = side.document.front
    text = Styled(sanitize(side.ref), style="pd.title")
    details = [f"version {side.version}" if side.version and side.version not in side.ref else "",
               str(front.get("status") or ""),
               f"effective {front['effective']}" if front.get("effective") else ""]
    details = [sanitize(d) for d in details if d]
    if details:
        text.append("  " + " · ".join(details), style="pd.status")
    if side.path != side.ref:
        text.append(f"  {sanitize(side.path)}", style="pd.dim")
    return text


def provisions_view(diff: PolicyDiff, view: View) -> list[Part]:
    hidden = "editorial" if view.ignore_editorial else None
    changed = [p for p in diff.provisions if listed(p) and (p.change_class != hidden
                                                            or p.section_check)]
    shown = {id(p) for p in changed}
    same = [p for p in diff.provisions if id(p) not in shown]
    plain = view.plain
    if not diff.provisions:
        return []
    grid = Grid(["pd.label", "", ""], padding=2)
    for provision in changed:
        grid.add_row(safe(provision.label), _change_word(provision), provision_detail(provision, plain))
        if section_note(provision):
            grid.add_row("", "", Styled(section_note(provision), "pd.warning"))
    parts: list[Part] = [Styled(""), Styled("Key provisions", "pd.heading"), grid]
    if same:
        names = ", ".join(sanitize(p.label) for p in same)
        parts.append(Styled(f"Unchanged: {names}", "pd.dim"))
    return parts


def _change_word(provision: ProvisionChange) -> Styled:
    return Styled(sanitize(change_word(provision)),
                style=CHANGE_STYLE.get(provision.change, "pd.change"))


def provision_detail(provision: ProvisionChange, plain: bool) -> Styled:
    """Before → after; set members with + and −; scale steps; text as a redline."""
    if provision.kind == "text" and provision.change == "reworded":
        return inline(provision.ops, plain)
    if provision.last_stated is not None:  # lead with the change since it was last stated
        lead, since, silent = restated(provision)
        text = Styled(f"{sanitize(lead)}: ").extend(provision_detail(since, plain))
        return text.append(sanitize(silent), style="pd.dim")
    if provision.change == "unchanged":
        return safe(value_text(provision.new))
    if provision.change in ("stated", "unstated"):  # never "(not stated) → ...": silence
        text = Styled("was: " if provision.change == "unstated" else "")
        text.extend(safe(value_text(provision.old if provision.new is None else provision.new)))
        note = provision_note(provision)
        return text.append(f"  {sanitize(note)}" if note else "", style="pd.dim")
    text = Styled()  # both values revealed: a change can hide in a character one cannot see
    text.append(reveal(value_text(provision.old)) if provision.old is not None else NOT_STATED)
    text.append(" → ")
    text.append(reveal(value_text(provision.new)) if provision.new is not None else NOT_STATED)
    note = provision_note(provision)
    if note:
        text.append(f"  {sanitize(note)}", style="pd.dim")
    return text


def metadata_view(diff: PolicyDiff, plain: bool) -> list[Part]:
    if not diff.metadata and diff.title is None:
        return []
    grid = Grid(["pd.label", ""], padding=2)
    if diff.title is not None and not _same_as_front_title(diff):
        grid.add_row(Styled("# title"), _value_change(diff.title.old, diff.title.new, plain))
    for change in diff.metadata:
        grid.add_row(safe(change.field), _value_change(change.old, change.new, plain))
    return [Styled(""), Styled("Metadata", "pd.heading"), grid]


def _same_as_front_title(diff: PolicyDiff) -> bool:
    """The `# Title` line usually repeats the front matter title: say it once."""
    front = next((m for m in diff.metadata if m.field == "title"), None)
    return front is not None and diff.title is not None \
        and (front.old, front.new) == (diff.title.old, diff.title.new)


def _value_change(old: object, new: object, plain: bool) -> Styled:
    from ..textdiff import word_ops

    if isinstance(old, str) and isinstance(new, str):
        return inline(word_ops(old, new), plain)
    if isinstance(old, list) and isinstance(new, list):
        gone, came = (list(map(value_text, side)) for side in list_delta(old, new))
        lines = [f"+ {v}" for v in came] + [f"- {v}" for v in gone]
        return Styled(sanitize("\n".join(lines) or "(reordered)"))
    return inline([("replace", value_text(old), value_text(new))], plain)


def section_heading(section: SectionDiff, labels: dict[str, str]) -> Styled:
    text = Styled()
    if section.renamed:
        text.append(_heading(section.old_heading), style="pd.deleted")
        text.append(" → ")
    heading = section.new_heading if section.new is not None else section.old_heading
    text.append(_heading(heading), style="pd.heading")
    notes = {"added": "new section", "removed": "section removed"}.get(section.status)
    notes = [n for n in (notes, "renamed" if section.renamed else None,
                         "moved" if section.moved else None) if n]
    if notes:
        text.append(f"  ({', '.join(notes)})", style="pd.change")
    if section.provision:
        label = labels.get(section.provision, section.provision)
        text.append(f"  ★ key provision: {sanitize(label)}", style="pd.key-heading")
    return text


def _heading(heading: str | None) -> str:
    return f"## {sanitize(heading)}" if heading else "(preamble)"


def _visible(blocks: tuple[BlockDiff, ...], view: View) -> list[bool]:
    """Which blocks to print: every change, and `context` unchanged blocks around each."""
    if view.context is None:
        return [True] * len(blocks)
    changed = [i for i, b in enumerate(blocks) if view.shows_change(b)]
    show = [False] * len(blocks)
    for i in changed:
        for k in range(max(0, i - view.context), min(len(blocks), i + view.context + 1)):
            show[k] = True
    return show


def _runs(blocks: tuple[BlockDiff, ...], view: View) -> Iterable[BlockDiff | int]:
    """Blocks to show, with the count of each hidden stretch in between."""
    hidden = 0
    for block, shown in zip(blocks, _visible(blocks, view)):
        if shown:
            if hidden:
                yield hidden
                hidden = 0
            yield block
        else:
            hidden += 1
    if hidden:
        yield hidden


def _elision(count: int) -> Styled:
    return Styled(f"⋯ {count} unchanged block{'s' if count != 1 else ''}", "pd.dim")


def inline_blocks(section: SectionDiff, view: View) -> Grid:
    grid = Grid(["", ""], padding=1)
    for item in _runs(section.blocks, view):
        if isinstance(item, int):
            grid.add_row(Styled(" "), _elision(item))
            continue
        if item.status == "moved":
            grid.add_row(Styled(" "), _moved_note(item))
        grid.add_row(_gutter(item, view), _block_text(item, view))
    return grid


def _gutter(block: BlockDiff, view: View) -> Styled:
    """`-` `+` `~` `>`; `=` for a change of spacing, punctuation, case or numbering only."""
    if not view.shows_change(block):
        return Styled(" ")
    mark = "=" if block.status == "modified" and block.change_class == "editorial" \
        else GUTTER[block.status]
    return Styled(mark, BLOCK_STYLE.get(block.status, "pd.change"))


def _moved_note(block: BlockDiff) -> Styled:
    origin = sanitize(block.from_section or "(preamble)")
    line = f", line {block.old.line}" if block.old else ""
    edited = "" if all(tag == "equal" for tag, _, _ in block.ops) else ", edited"
    return Styled(f"moved from ## {origin}{line}{edited}:", "pd.moved")


def _block_text(block: BlockDiff, view: View) -> Styled:
    plain = view.plain
    if block.status == "modified" and not view.shows_change(block):
        return Styled(sanitize(block.new.text), style="pd.dim")  # type: ignore[union-attr]
    if block.status in ("modified", "moved"):
        return inline(block.ops, plain)
    if block.status == "removed":
        return Styled(sanitize(block.old.text), style="" if plain else "red")  # type: ignore[union-attr]
    if block.status == "added":
        return Styled(sanitize(block.new.text), style="" if plain else "green")  # type: ignore[union-attr]
    return Styled(sanitize(block.new.text), style="pd.dim")  # type: ignore[union-attr]


def side_by_side_blocks(section: SectionDiff, view: View) -> SideBySide:
    table = SideBySide()  # gutter, old, gutter, new: wrapped lines keep their indent
    for item in _runs(section.blocks, view):
        if isinstance(item, int):
            table.add_row(Styled(" "), _elision(item), Styled(" "), _elision(item))
            continue
        table.add_row(*_cells(item, view))
    return table


def _cells(block: BlockDiff, view: View) -> tuple[Styled, Styled, Styled, Styled]:
    plain = view.plain
    mark = _gutter(block, view)
    blank = Styled(" ")
    if block.status == "removed":
        return mark, _block_text(block, view), blank, Styled("")
    if block.status == "added":
        return blank, Styled(""), mark, _block_text(block, view)
    if not view.shows_change(block):
        old_text = Styled(sanitize(block.old.text), style="pd.dim")  # type: ignore[union-attr]
        return blank, old_text, blank, _block_text(block, view)
    new = one_side(block.ops, "new", plain)
    if block.status == "moved":
        return blank, _moved_note(block), mark, new
    return mark, one_side(block.ops, "old", plain), mark, new


def summary_line(diff: PolicyDiff) -> Styled:
    stats = diff_stats(diff)
    parts = [f"{provisions_changed(diff)} key provision(s) changed"] if diff.provisions else []
    if diff.metadata:
        parts.append(f"{len(diff.metadata)} metadata field(s)")
    for name in ("sections", "blocks"):
        counts = [f"{n} {status}" for status, n in stats[name].items()
                  if n and status != "unchanged"]
        if counts:
            parts.append(f"{name}: {', '.join(counts)}")
    words = stats["words"]
    if words["inserted"] or words["deleted"]:
        parts.append(f"words: +{words['inserted']} -{words['deleted']}")
    classes = stats["changes"]
    if classes["editorial"]:
        parts.append(f"changes: {classes['substantive']} substantive, "
                     f"{classes['editorial']} editorial")
    return Styled("; ".join(parts), style="pd.dim")
