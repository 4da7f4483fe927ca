"""The diff as one self-contained HTML page: a redline to mail, archive or print.

Nothing is fetched: the style is inline and a Content-Security-Policy forbids
everything else, scripts included.  The inline and side-by-side views are both in
the page; two radio buttons and `:checked` choose which one shows, so no script is
needed.  Every piece of record text goes through `h` (sanitize, then html.escape).
The output is deterministic: no dates, counters or random ids that change per run.
"""

from __future__ import annotations

import html
from typing import Any

from ..model import BlockDiff, PolicyDiff, ProvisionChange, Side
from .markdown import (Segment, count, field_segments, folded_summary, gutter, key_note,
                       moved_note, op_segments, quiet_summary, report_runs, report_title,
                       row_segments, section_runs, side_details)
from .inline import runs_html, styled_runs, table_lines
from .plan import LAYOUT_NOTE, Fold, Plan, Row, SectionPlan, make_plan
from ..diff.words import change_word, provision_note, restated, section_note, value_text
from ..text.safe import sanitize
from ..diff.summary import one_line_summary
from .terminal import NOT_STATED, summary_line

CSP = "default-src 'none'; style-src 'unsafe-inline'"
CHANGE_CLASSES = frozenset({"broadened", "narrowed", "stated", "unstated", "reworded"})

STYLE = """
:root {
  color-scheme: light dark;
  --fg: #1f2328; --bg: #ffffff; --muted: #59636e; --line: #d1d9e0; --panel: #f6f8fa;
  --del-fg: #82071e; --del-bg: #ffebe9; --ins-fg: #116329; --ins-bg: #dafbe1;
  --moved: #6639ba; --key: #0550ae; --wide: #9a6700; --narrow: #9a6700;
}
@media (prefers-color-scheme: dark) {
  :root {
    --fg: #e6edf3; --bg: #0d1117; --muted: #9198a1; --line: #3d444d; --panel: #151b23;
    --del-fg: #ffdcd7; --del-bg: #67060c; --ins-fg: #aff5b4; --ins-bg: #033a16;
    --moved: #d2a8ff; --key: #79c0ff; --wide: #d29922; --narrow: #d29922;
  }
}
* { box-sizing: border-box; }
body {
  margin: 0 auto; max-width: 75rem; padding: 1.5rem;
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--fg); background: var(--bg);
}
h1 { font-size: 1.6rem; margin: 0 0 .25rem; overflow-wrap: anywhere; }
h2 { font-size: 1.25rem; margin: 2rem 0 .5rem; border-bottom: 1px solid var(--line); }
h3 { font-size: 1.05rem; margin: 1.75rem 0 .5rem; overflow-wrap: anywhere; }
del { text-decoration: line-through; color: var(--del-fg); background: var(--del-bg); }
ins { text-decoration: underline; color: var(--ins-fg); background: var(--ins-bg); }
del + ins { margin-left: .2em; } /* "2022-06-21 2025-12-02", not one run of digits */
.glance { font-weight: 600; margin: .25rem 0 1rem; }
.sides { display: grid; grid-template-columns: max-content 1fr; gap: .15rem .75rem; margin: 0; }
.sides dt { font-weight: 600; }
.sides dd { margin: 0; overflow-wrap: anywhere; }
.side-detail, .muted, .note { color: var(--muted); }
.ref { font-weight: 600; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; }
th, td { text-align: left; vertical-align: top; padding: .3rem .5rem; overflow-wrap: anywhere; }
th { border-bottom: 2px solid var(--line); }
td { border-bottom: 1px solid var(--line); }
.provisions .col-label { width: 22%; }
.provisions .col-change { width: 8.5rem; }
.metadata .col-label { width: 22%; }
.provision-label, .field { font-weight: 600; }
.change { font-weight: 600; }
.change-broadened { color: var(--wide); }
.change-narrowed { color: var(--narrow); }
.cell-lines { white-space: pre-wrap; }
.view-toggle { position: absolute; opacity: 0; width: 1px; height: 1px; }
.view-switch {
  position: sticky; top: 0; z-index: 1; display: flex; gap: .5rem; align-items: center;
  margin: 2rem 0 0; padding: .5rem 0; background: var(--bg); border-bottom: 1px solid var(--line);
}
.view-switch h2 { margin: 0 .5rem 0 0; border: 0; }
.switch { display: flex; gap: .5rem; }
.view-switch label {
  cursor: pointer; padding: .15rem .75rem; border: 1px solid var(--line); border-radius: 999px;
}
#view-inline:checked ~ .view-switch .for-inline,
#view-split:checked ~ .view-switch .for-split { background: var(--fg); color: var(--bg); }
#view-inline:focus-visible ~ .view-switch .for-inline,
#view-split:focus-visible ~ .view-switch .for-split { outline: 2px solid var(--key); }
#view-inline:checked ~ .changes .split-view,
#view-split:checked ~ .changes .inline-view { display: none; }
.key-mark { color: var(--key); font-size: .9rem; font-weight: 600; }
.note { font-size: .9rem; font-weight: normal; font-style: italic; }
.block { display: grid; grid-template-columns: 1.5rem 1fr; padding: .2rem 0; }
.gutter {
  font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; color: var(--muted);
}
.text { white-space: pre-wrap; overflow-wrap: anywhere; }
.block-removed .gutter, .row-removed .gutter { color: var(--del-fg); }
.block-added .gutter, .row-added .gutter { color: var(--ins-fg); }
.block-unchanged .text, .row-unchanged .text { color: var(--muted); }
table.cells { border-collapse: collapse; width: 100%; table-layout: fixed; white-space: normal; }
table.cells td, table.cells th { border: 1px solid var(--line); padding: .15rem .4rem;
  text-align: left; vertical-align: top; }
.text code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace;
  font-size: .9em; background: rgba(127, 127, 127, .12); padding: 0 .2em; border-radius: 3px; }
.url { color: var(--muted); overflow-wrap: anywhere; }
.kind-code .text {
  font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: .9em;
}
.moved-note { display: block; color: var(--moved); font-style: italic; }
.row-note { color: var(--moved); font-style: italic; }
.cut { color: var(--muted); }
.split-view col.gutter-col { width: 1.5rem; }
.split-view thead th { font-size: .85rem; color: var(--muted); overflow-wrap: anywhere; }
.split-view td { border-bottom: 1px solid var(--line); }
.split-view td.gutter { padding-left: 0; padding-right: 0; text-align: center; }
details { margin: .5rem 0; }
summary { cursor: pointer; color: var(--muted); }
details.section-fold > summary { font-weight: 600; }
.fold-body { border-left: 3px solid var(--line); padding-left: .75rem; }
.summary-line {
  margin-top: 2rem; padding-top: .5rem; border-top: 1px solid var(--line); color: var(--muted);
}
/* Screen readers do not announce <del>/<ins>: say where each starts and ends, unseen. */
del::before, del::after, ins::before, ins::after {
  position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%);
  white-space: nowrap;
}
del::before { content: " [deletion start] "; }
del::after { content: " [deletion end] "; }
ins::before { content: " [insertion start] "; }
ins::after { content: " [insertion end] "; }
@media print {
  :root {
    color-scheme: light;
    --fg: #000000; --bg: #ffffff; --muted: #444c56; --line: #8c959f; --panel: #ffffff;
    --del-fg: #82071e; --del-bg: #ffebe9; --ins-fg: #116329; --ins-bg: #dafbe1;
    --moved: #6639ba; --key: #0550ae; --wide: #9a6700; --narrow: #9a6700;
  }
  @page { margin: 14mm 12mm; }
  body { max-width: none; padding: 0; font-size: 10pt; }
  .view-switch { position: static; border: 0; }
  .switch { display: none; }
  del, ins { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  details::details-content { content-visibility: visible; display: block; }
  summary { list-style: none; color: var(--fg); }
  summary::-webkit-details-marker { display: none; }
  h1, h2, h3, summary { break-after: avoid; }
  .block, tr, .moved-note { break-inside: avoid; }
  thead { display: table-header-group; }
}
"""


def h(text: Any) -> str:
    """Record text as inert HTML, in text or in a quoted attribute."""
    return html.escape(sanitize(text if isinstance(text, str) else value_text(text)), quote=True)


def segments_html(segments: list[Segment]) -> str:
    """Marked pieces as `<del>`/`<ins>`; line breaks kept (the style is pre-wrap); a space
    between a deletion and an insertion that would touch (`superseded` `in-force`)."""
    out = []
    segments = [(mark, text) for mark, text in segments if text]
    for index, (mark, text) in enumerate(segments):
        before = segments[index - 1] if index else ("", "")
        if mark == "ins" and before[0] == "del" and before[1][-1:].strip() and text[:1].strip():
            out.append(" ")
        out.append(_segment(mark, text))
    return "".join(out)


def block_html(segments: list[Segment], kind: str) -> str:
    """A block's marked pieces with its inline Markdown drawn (emphasis, code, links, list
    bullets), a table row as cells; every deletion and insertion kept (views/inline.py)."""
    runs = styled_runs(segments, kind)
    if kind != "table_row":
        return runs_html(runs, h, _cut, _url)
    rows = []
    for header, cells in table_lines(runs):
        tag = "th" if header else "td"
        inner = "".join(f"<{tag}>{runs_html(cell, h, _cut, _url)}</{tag}>"
                        for cell in cells)
        rows.append(f"<tr>{inner}</tr>")
    return f'<table class="cells">{"".join(rows)}</table>'


def _url(inner: str) -> str:
    return f'<span class="url">{inner}</span>'


def _cut(text: str) -> str:
    return _segment("cut", text)


def _segment(mark: str, text: str) -> str:
    if mark == "cut":
        return f'<span class="cut" title="unchanged words left out">{h(text)}</span>'
    return f"<{mark}>{h(text)}</{mark}>" if mark else h(text)


def to_html(diff: PolicyDiff, context: int | None = 1, ignore_editorial: bool = False,
            plan: Plan | None = None) -> str:
    """The redline as one self-contained, script-free HTML page."""
    plan = plan or make_plan(diff, context, ignore_editorial)
    body = [_header(diff)]
    if plan.quiet:
        body.append(f'<p class="identical">No differences: {h(diff.old.ref)} and '
                    f"{h(diff.new.ref)} are {h(plan.quiet)}.</p>")
    else:
        layout = f'<p class="muted">{h(LAYOUT_NOTE)}</p>' if plan.layout else ""
        body += [_provisions(plan), _metadata(plan), layout, _changes(plan),
                 f'<p class="summary-line">{h(summary_line(diff).plain)}</p>']
    return "\n".join([
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="policy-diff">',
        f"<title>{h(report_title(diff))}</title>", f"<style>{STYLE}</style>", "</head>",
        "<body>", *filter(None, body), "</body>", "</html>", ""])


def _header(diff: PolicyDiff) -> str:
    glance = "" if diff.identical else f'<p class="glance">{h(one_line_summary(diff))}</p>'
    sides = "".join(_side(name, side) for name, side in (("Old", diff.old), ("New", diff.new)))
    return (f'<header>\n<h1>{h(report_title(diff))}</h1>\n{glance}\n'
            f'<dl class="sides">{sides}</dl>\n</header>')


def _side(name: str, side: Side) -> str:
    details = " · ".join(side_details(side))
    detail = f' <span class="side-detail">{h(details)}</span>' if details else ""
    return f'<dt>{name}</dt><dd><span class="ref">{h(side.ref)}</span>{detail}</dd>'


def _provisions(plan: Plan) -> str:
    if not plan.diff.provisions:
        return ""
    parts = ['<section class="provisions-summary" aria-labelledby="key-provisions">',
             '<h2 id="key-provisions">Key provisions</h2>']
    if plan.provisions:
        parts += ['<table class="provisions">',
                  '<colgroup><col class="col-label"><col class="col-change"><col></colgroup>',
                  "<thead><tr><th>Provision</th><th>Change</th>"
                  "<th>Before → after</th></tr></thead>",
                  "<tbody>", *(_provision_row(p) for p in plan.provisions), "</tbody>",
                  "</table>"]
    for what, provisions in (("Unchanged", plan.unchanged_provisions),
                             ("Editorial changes only", plan.editorial_provisions)):
        if provisions:
            names = ", ".join(p.label for p in provisions)
            parts.append(f'<p class="muted">{what}: {h(names)}.</p>')
    return "\n".join(parts + ["</section>"])


def _provision_row(provision: ProvisionChange) -> str:
    kind = provision.change if provision.change in CHANGE_CLASSES else "other"
    word = f'<span class="change change-{kind}">{h(change_word(provision))}</span>'
    note = section_note(provision)
    check = f'<br><strong class="check">{h(note)}</strong>' if note else ""
    return (f'<tr><td class="provision-label">{h(provision.label)}</td><td>{word}</td>'
            f'<td class="text">{_provision_detail(provision)}{check}</td></tr>')


def _provision_detail(provision: ProvisionChange) -> str:
    """Before → after; text provisions as a redline, or the one side they have."""
    if provision.kind == "text" and provision.change == "reworded":
        return segments_html(op_segments(provision.ops))
    if provision.last_stated is not None:  # lead with the change since it was last stated
        lead, since, silent = restated(provision)
        tail = f'<span class="muted">{h(silent)}</span>' if silent else ""
        return f"{h(lead)}: {_provision_detail(since)}{tail}"
    if provision.change == "unchanged":
        return h(value_text(provision.new))
    if provision.change in ("stated", "unstated"):  # never "(not stated) → ...": silence
        was = "was: " if provision.change == "unstated" else ""
        value = provision.new if provision.change == "stated" else provision.old
        note = provision_note(provision)
        note_html = f' <span class="muted">{h(note)}</span>' if note else ""
        return was + segments_html([("ins" if provision.change == "stated" else "del",
                                     value_text(value))]) + note_html
    note = provision_note(provision)
    note_html = f' <span class="muted">{h(note)}</span>' if note else ""
    return f"{_value(provision.old, 'del')} → {_value(provision.new, 'ins')}{note_html}"


def _value(value: Any, mark: str) -> str:
    if value is None:
        return f'<em class="muted">{NOT_STATED}</em>'
    return f"<{mark}>{h(value_text(value))}</{mark}>"


def _metadata(plan: Plan) -> str:
    if not plan.metadata:
        return ""
    cells = [f'<tr><td class="field">{h(field.field)}</td>'
             f'<td class="text">{segments_html(field_segments(field))}</td></tr>'
             for field in plan.metadata]
    return "\n".join(['<section class="metadata-summary" aria-labelledby="metadata">',
                      '<h2 id="metadata">Metadata</h2>', '<table class="metadata">',
                      '<colgroup><col class="col-label"><col></colgroup>',
                      "<thead><tr><th>Field</th><th>Before → after</th></tr></thead>",
                      "<tbody>", *cells, "</tbody>", "</table>", "</section>"])


def _changes(plan: Plan) -> str:
    """The view switch (radio buttons first: `~` only reaches later siblings), then sections."""
    labels = plan.labels
    index = {id(s): i for i, s in enumerate(plan.sections, 1)}
    sections = []
    for run in section_runs(plan.sections):
        if isinstance(run, list):
            inner = "\n".join(_section(s, index[id(s)], labels, plan.diff) for s in run)
            sections.append(f'<details class="sections-fold"><summary>{h(quiet_summary(run))}'
                            f'</summary><div class="fold-body">\n{inner}\n</div></details>')
        else:
            sections.append(_section(run, index[id(run)], labels, plan.diff))
    return "\n".join([
        '<input type="radio" name="view" id="view-inline" class="view-toggle" checked '
        'aria-label="Inline view">',
        '<input type="radio" name="view" id="view-split" class="view-toggle" '
        'aria-label="Side-by-side view">',
        '<div class="view-switch"><h2 id="sections">Sections</h2>'
        '<span class="switch" aria-hidden="true">'
        '<label for="view-inline" class="for-inline">Inline</label>'
        '<label for="view-split" class="for-split">Side by side</label></span></div>',
        '<main class="changes">', *sections, "</main>"])


def _section(section: SectionPlan, index: int, labels: dict[str, str], diff: PolicyDiff) -> str:
    runs = report_runs(section.items)
    if not section.changed:
        # An unchanged section's items are all rows (render.plan draws no fold in it).
        rows = "".join(_inline_block(r) for r in runs if isinstance(r, Row))
        return (f'<details class="section-fold" id="s{index}"><summary>'
                f'{h(folded_summary(section))}</summary>'
                f'<div class="fold-body">{rows}'
                "</div></details>")
    status = section.section.status
    split = _split_table(runs, diff) if runs else ""
    return "\n".join(filter(None, [
        f'<section class="section section-{status}" aria-labelledby="s{index}">',
        _heading(section, index, labels),
        f'<div class="inline-view">{"".join(_inline_run(run) for run in runs)}</div>',
        split, "</section>"]))


def _heading(section: SectionPlan, index: int, labels: dict[str, str]) -> str:
    title = h(section.heading or "(preamble)")
    if section.old_heading is not None:
        parent, old, new = section.rename_parts()
        title = f"{h(parent)}<del>{h(old or '(preamble)')}</del> → {h(new or '(preamble)')}"
    status, key = ", ".join(section.notes), key_note(section, labels)
    notes = (f' <span class="note">({h(status)})</span>' if status else "") \
        + (f' <span class="key-mark">{h(key)}</span>' if key else "")
    return f'<h3 id="s{index}">{title}{notes}</h3>'


def _fold(blocks: tuple[BlockDiff, ...]) -> str:
    inner = "".join(_inline_block(Row(b, False)) for b in blocks)
    return (f'<details class="block-fold"><summary>{count(len(blocks), "unchanged block")}'
            f'</summary><div class="fold-body">{inner}</div></details>')


def _inline_run(run: Row | Fold) -> str:
    return _fold(run.blocks) if isinstance(run, Fold) else _inline_block(run)


def _status(row: Row) -> str:
    """The class a row is drawn with: its block's status, `unchanged` when shown as context."""
    return row.block.status if row.change else "unchanged"


def _note(row: Row) -> str:
    return f'<span class="row-note">({h(row.note)})</span> ' if row.note else ""


def _inline_block(row: Row) -> str:
    block = row.block
    note = f'<span class="moved-note">{h(moved_note(block))}</span>' \
        if row.change and block.status == "moved" else ""
    mark = gutter(row) if row.change else ""
    return (f'<div class="block block-{_status(row)} {_kind(block)}">'
            f'<span class="gutter" aria-hidden="true">{h(mark)}</span>'
            f'<div class="text">{note}{_note(row)}{block_html(row_segments(row), _kind_of(block))}'
            '</div></div>')


def _kind_of(block: BlockDiff) -> str:
    return block.latest.kind


def _kind(block: BlockDiff) -> str:
    """A class for the block's kind (code and tables read better in a fixed-width font)."""
    kind = block.latest.kind
    return f"kind-{h(kind)}"


def _split_table(runs: list[Row | Fold], diff: PolicyDiff) -> str:
    rows = [f'<tr class="row-fold"><td colspan="4">{_fold(run.blocks)}</td></tr>'
            if isinstance(run, Fold) else _split_row(run) for run in runs]
    return "\n".join([
        '<table class="split-view">',
        '<colgroup><col class="gutter-col"><col><col class="gutter-col"><col></colgroup>',
        f'<thead><tr><th colspan="2">{h(diff.old.ref)}</th>'
        f'<th colspan="2">{h(diff.new.ref)}</th></tr></thead>',
        "<tbody>", *rows, "</tbody>", "</table>"])


def _split_row(row: Row) -> str:
    """Old on the left, new on the right; a moved block says where it came from on the left."""
    status = _status(row)
    mark = h(gutter(row)) if row.change else ""
    old, new = _split_cells(row)
    old_mark = mark if status not in ("added", "moved") else ""
    new_mark = mark if status != "removed" else ""
    cells = "".join(f'<td class="gutter" aria-hidden="true">{gutter_mark}</td>'
                    f'<td class="text">{text}</td>'
                    for gutter_mark, text in ((old_mark, old), (new_mark, new)))
    return f'<tr class="row-{status} {_kind(row.block)}">{cells}</tr>'


def _split_cells(row: Row) -> tuple[str, str]:
    block = row.block
    if not row.change and block.status != "unchanged":  # an editorial edit shown as context
        # An edit has both sides (render.plan shows only those as context).
        return (block_html([("", block.old.text)], block.old.kind),  # type: ignore[union-attr]
                block_html([("", block.new.text)], block.new.kind))  # type: ignore[union-attr]
    kind = _kind_of(block)
    if block.status in ("removed", "added", "unchanged"):
        text = block_html(row_segments(row), kind)
        return (text if block.status != "added" else "", text if block.status != "removed" else "")
    old = block_html(op_segments(row.pieces, "old"), kind)
    new = _note(row) + block_html(op_segments(row.pieces, "new"), kind)
    if block.status == "moved":
        old = f'<span class="moved-note">{h(moved_note(block))}</span>{old}'
    return old, new
