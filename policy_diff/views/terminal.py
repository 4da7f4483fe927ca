"""The terminal view of a PolicyDiff: header, key provisions, metadata, changed sections, summary.

It only reads the diff.  Without colour (piped, NO_COLOR, --color never) every
change stays visible through gutters (`-`, `+`, `~`, `>`) and `[-old-]{+new+}`
markers, so the output is plain, greppable text.
"""

from __future__ import annotations

from rich.console import Console

from ..frozen import frozen
from ..model import BlockDiff, Op, PolicyDiff, ProvisionChange, Side
from ..diff.textdiff import count_words
from .text.layout import Grid, Layout, Part, SideBySide, Styled
from .plan import LAYOUT_NOTE, FieldPlan, Fold, Item, Plan, Row, SectionPlan, make_plan
from .redline import inline, one_side, safe
from .text.screen import has_colour
from ..text.safe import look_alike_note, reveal, safe_name, sanitize
from ..diff.summary import diff_stats, plural, provisions_changed
from ..diff.words import (NOT_STATED, change_word, member_text, provision_note, restated, section_note,
                    value_text)

GUTTER = {"unchanged": " ", "removed": "-", "added": "+", "modified": "~", "moved": ">"}
BLOCK_STYLE = {"removed": "pd.deleted", "added": "pd.inserted"}
CHANGE_STYLE = {"broadened": "pd.broadened", "narrowed": "pd.narrowed"}


@frozen
class View:
    """How to draw the plan: markers or styles, one column or two."""

    plain: bool
    side_by_side: bool = False


class DiffView(Layout):
    """The terminal view of DIFF as a rich renderable: marked in text where the console that
    prints it has no colour (views/text/screen.py decides)."""

    def __init__(self, diff: PolicyDiff, context: int = 1, full: bool = False,
                 side_by_side: bool = False, ignore_editorial: bool = False) -> None:
        super().__init__()
        self.diff = diff
        self.options = (context, full, side_by_side, ignore_editorial)

    def parts(self, console: Console) -> list[Part]:
        return render_diff(self.diff, not has_colour(console), *self.options)


def render_diff(diff: PolicyDiff, plain: bool, context: int = 1, full: bool = False,
                side_by_side: bool = False, ignore_editorial: bool = False) -> list[Part]:
    return render_plan(make_plan(diff, None if full else context, ignore_editorial),
                       plain, side_by_side)


def render_plan(plan: Plan, plain: bool, side_by_side: bool = False) -> list[Part]:
    diff = plan.diff
    view = View(plain, side_by_side)
    parts: list[Part] = [header(diff)]
    if plan.quiet:
        parts.append(Styled(f"No differences: {safe_name(diff.old.ref)} and "
                            f"{safe_name(diff.new.ref)} are {plan.quiet}."))
        return parts
    parts += provisions_view(plan, view)
    parts += metadata_view(plan, plain)
    if plan.layout:
        parts += [Styled(""), Styled(LAYOUT_NOTE, "pd.dim")]
    labels = plan.labels
    draw = side_by_side_blocks if side_by_side else inline_blocks
    for section in plan.sections:
        if section.changed or plan.full:
            parts += [Styled(""), section_heading(section, labels)]
            if section.items:
                parts.append(draw(section.items, view))
    summary = summary_line(diff)
    return parts + [Styled(""), summary] if summary.plain else parts


def header(diff: PolicyDiff) -> Grid:
    grid = Grid(["", ""], padding=1)
    for mark, side in (("---", diff.old), ("+++", diff.new)):
        grid.add_row(Styled(mark, "pd.title"), _side_text(side))
    return grid


def _side_text(side: Side) -> Styled:
    front = side.document.front
    text = Styled(safe_name(side.ref), style="pd.title")
    details = [f"version {side.version}" if side.version and side.version not in side.ref else "",
               str(front.get("status") or ""),
               f"effective {front['effective']}" if front.get("effective") else ""]
    details = [sanitize(d) for d in details if d]
    if details:
        text.append("  " + " · ".join(details), style="pd.status")
    if side.path != side.ref:
        text.append(f"  {safe_name(side.path)}", style="pd.dim")
    if side.converter:
        text.append(f"  read by {sanitize(side.converter)}", style="pd.dim")
    return text


def provisions_view(plan: Plan, view: View) -> list[Part]:
    if not plan.diff.provisions:
        return []
    grid = Grid(["pd.label", "", ""], padding=2)
    for provision in plan.provisions:
        grid.add_row(safe(provision.label), _change_word(provision),
                     provision_detail(provision, view.plain))
        if section_note(provision):
            grid.add_row("", "", Styled(section_note(provision), "pd.warning"))
    parts: list[Part] = [Styled(""), Styled("Key provisions", "pd.heading"), grid]
    for what, provisions in (("Unchanged", plan.unchanged_provisions),
                             ("Editorial changes only", plan.editorial_provisions)):
        if provisions:
            names = ", ".join(sanitize(p.label) for p in provisions)
            parts.append(Styled(f"{what}: {names}", "pd.dim"))
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


SHORT_VALUE = 80  # changed values this long or shorter show whole, as `old → new`
ONE_LINE = 50  # and on one line when both together are this long or shorter
NAMED = 2  # list members named of those added, and of those removed, unless --full


def metadata_view(plan: Plan, plain: bool) -> list[Part]:
    """Compact, so the prose still reaches the first screen: short values as `old → new`,
    long lists as counts naming the first few members added and removed (all with --full)."""
    if not plan.metadata:
        return []
    grid = Grid(["pd.label", ""], padding=2)
    for field in plan.metadata:
        grid.add_row(safe(field.field), _value_change(field, plain, plan.full))
    return [Styled(""), Styled("Metadata", "pd.heading"), grid]


def _value_change(field: FieldPlan, plain: bool, full: bool) -> Styled:
    if field.ops is None:
        return _members(field, full)
    old = "".join(op[1] for op in field.ops) or "(empty)"
    new = "".join(op[2] for op in field.ops) or "(empty)"
    if max(len(old), len(new)) > SHORT_VALUE or "\n" in old + new:
        if not full and _rewritten(field.ops):  # a redline of all words says little, at length
            return Styled(f"rewritten: {plural(count_words(old), 'word')} → "
                          f"{plural(count_words(new), 'word')}; --full shows both", "pd.change")
        return inline(field.ops, plain)
    arrow = " → " if len(old) + len(new) <= ONE_LINE else "\n→ "
    text = Styled().append(reveal(old), "" if plain else "pd.deleted").append(arrow) \
        .append(reveal(new), "" if plain else "pd.inserted")  # an invisible edit shows
    return text.append(look_alike_note(old, new), "pd.dim")


def _rewritten(ops: tuple[Op, ...]) -> bool:
    """Fewer than half the old words kept: a new text rather than an edited one."""
    kept = sum(count_words(old) for tag, old, _ in ops if tag == "equal")
    return kept * 2 < count_words("".join(op[1] for op in ops))


def _members(field: FieldPlan, full: bool) -> Styled:
    """`6 added, 9 removed (9 → 6 entries)`, then `+ title — publisher` and `- …` lines:
    the first NAMED of each unless FULL."""
    if not field.came and not field.gone:
        return Styled("(reordered)")
    text = Styled(f"{count(len(field.came), 'added')}, {count(len(field.gone), 'removed')} "
                  f"({len(field.old)} → {count(len(field.new), 'entry', 'entries')})")
    cut = not full and max(len(field.came), len(field.gone)) > NAMED
    if cut:
        text.append(f"; the first {NAMED} of each, --full lists all", "pd.dim")
    for mark, members, style in (("+", field.came, "green"), ("-", field.gone, "red")):
        for member in members[:NAMED] if cut else members:
            text.append("\n").append(f"{mark} {reveal(member_text(member))}", style)
    return text


def count(number: int, word: str, plural: str | None = None) -> str:
    """`1 entry`, `2 entries`; a word that does not change (`added`) stays as it is."""
    return f"{number} {word if number == 1 or plural is None and word.endswith('ed') else plural or word + 's'}"


def section_heading(section: SectionPlan, labels: dict[str, str]) -> Styled:
    text = Styled()
    parent, old, new = section.rename_parts() if section.old_heading is not None \
        else ("", None, section.heading)
    if parent:  # `## A › B › ` once, then the own heading's change
        text.append(_heading(parent), style="pd.heading")
        text.append(sanitize(old), style="pd.deleted")  # type: ignore[arg-type]
        text.append(" → ")
        text.append(sanitize(new), style="pd.heading")
    else:
        if old is not None:
            text.append(_heading(old), style="pd.deleted")
            text.append(" → ")
        text.append(_heading(new), style="pd.heading")
    if section.notes:
        text.append(f"  ({sanitize(', '.join(section.notes))})", style="pd.change")
    provision = section.section.provision
    if provision:
        label = labels.get(provision, provision)
        text.append(f"  ★ key provision: {sanitize(label)}", style="pd.key-heading")
    return text


def _heading(heading: str | None) -> str:
    return f"## {sanitize(heading)}" if heading else "(preamble)"


def _elision(count: int) -> Styled:
    return Styled(f"⋯ {count} unchanged block{'s' if count != 1 else ''}", "pd.dim")


def inline_blocks(items: tuple[Item, ...], view: View) -> Grid:
    grid = Grid(["", ""], padding=1)
    for item in items:
        if isinstance(item, Fold):
            grid.add_row(Styled(" "), _elision(len(item.blocks)))
            continue
        if item.change and item.block.status == "moved":
            grid.add_row(Styled(" "), _moved_note(item.block))
        grid.add_row(_gutter(item), _block_text(item, view))
    return grid


def _gutter(row: Row) -> Styled:
    """`-` `+` `~` `>`; `=` for a change of spacing, punctuation, case or numbering only."""
    block = row.block
    if not row.change:
        return Styled(" ")
    mark = "=" if block.status == "modified" and block.change_class == "editorial" \
        else GUTTER[block.status]
    return Styled(mark, BLOCK_STYLE.get(block.status, "pd.change"))


def _moved_note(block: BlockDiff) -> Styled:
    origin = sanitize(block.from_section or "(preamble)")
    line = f", line {block.old.line}" if block.old else ""
    edited = "" if all(tag == "equal" for tag, _, _ in block.ops) else ", edited"
    return Styled(f"moved from ## {origin}{line}{edited}:", "pd.moved")


def _context(text: str) -> Styled:
    return Styled(sanitize(text), style="pd.dim")


def _block_text(row: Row, view: View) -> Styled:
    block = row.block
    if not row.change:
        return _context((block.new or block.old).text)  # type: ignore[union-attr]
    if block.status == "removed":
        return Styled(sanitize(block.old.text), style="" if view.plain else "red")  # type: ignore[union-attr]
    if block.status == "added":
        return Styled(sanitize(block.new.text), style="" if view.plain else "green")  # type: ignore[union-attr]
    return _noted(inline(row.pieces, view.plain), row)


def _noted(text: Styled, row: Row) -> Styled:
    """The row's note before its text: `(list marker - → *) * item`."""
    if not row.note:
        return text
    return Styled().append(f"({sanitize(row.note)}) ", style="pd.change").extend(text)


def side_by_side_blocks(items: tuple[Item, ...], view: View) -> SideBySide:
    table = SideBySide()  # gutter, old, gutter, new: wrapped lines keep their indent
    for item in items:
        if isinstance(item, Fold):
            elision = _elision(len(item.blocks))
            table.add_row(Styled(" "), elision, Styled(" "), elision)
            continue
        table.add_row(*_cells(item, view))
    return table


def _cells(row: Row, view: View) -> tuple[Styled, Styled, Styled, Styled]:
    block = row.block
    mark = _gutter(row)
    blank = Styled(" ")
    if block.status == "removed":
        return mark, _block_text(row, view), blank, Styled("")
    if block.status == "added":
        return blank, Styled(""), mark, _block_text(row, view)
    if not row.change:
        return blank, _context(block.old.text), blank, _block_text(row, view)  # type: ignore[union-attr]
    old = one_side(row.pieces, "old", view.plain)
    new = _noted(one_side(row.pieces, "new", view.plain), row)
    if block.status == "moved":  # where it came from, then the old text with its deletions
        return blank, Styled().extend(_moved_note(block)).append("\n").extend(old), mark, new
    return mark, old, mark, new


def summary_line(diff: PolicyDiff) -> Styled:
    stats = diff_stats(diff)
    parts = [f"{plural(provisions_changed(diff), 'key provision')} changed"] \
        if diff.provisions else []
    if diff.metadata:
        parts.append(f"{plural(len(diff.metadata), 'metadata field')} changed")
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
