"""The display plan and the views that draw it: every view shows the same changes.

Diffs of the structure rules of format policy-diff/2 (headings added over unchanged text,
removed headings without blocks, re-levelled headings, renamed parents) are built by hand
here, so the views are held to them whatever the engine produces today.
"""

from __future__ import annotations

import gzip
from html import unescape
import json
import re
import time
from collections import Counter
from pathlib import Path
from typing import Callable

import pytest
from hypothesis import given, settings, strategies as st

from conftest import CORPUS, REPO, Result, TESTS, write
from strategies import documents_of, render as markdown_text, sentences
from policy_diff.diff.compare import compare
from policy_diff.model import (Block, BlockDiff, Document, PolicyDiff, Section, SectionDiff,
                               Side)
from policy_diff.parse.document import parse
from policy_diff.views.html import to_html
from policy_diff.views.json import to_json
from policy_diff.views.text.layout import render
from policy_diff.views.markdown import to_markdown
from policy_diff.views.plan import CONTEXT_WORDS, Row, cut_pieces, last_word_starts, make_plan
from policy_diff.views.text.screen import MAX_WIDTH
from policy_diff.views.terminal import render_diff
from policy_diff.diff.textdiff import word_ops

PAIRS = TESTS / "data" / "real-pairs"
WORD = re.compile(r"\w+")


# Hand-built diffs ------------------------------------------------------------------------------

def _side(name: str) -> Side:
    return Side(name, name, None, None, Document(name, {}, None, ()))


def _diff(*sections: SectionDiff) -> PolicyDiff:
    return PolicyDiff(_side("old.md"), _side("new.md"), (), (), sections)


def _same(text: str, line: int = 5) -> BlockDiff:
    return BlockDiff("unchanged", Block("paragraph", text, line), Block("paragraph", text, line))


def _edit(old: str, new: str) -> BlockDiff:
    from policy_diff.diff.editorial import classify, classify_ops

    ops = tuple(word_ops(old, new))
    return BlockDiff("modified", Block("paragraph", old, 3), Block("paragraph", new, 3), ops,
                     change_class=classify(old, new), op_classes=classify_ops(ops))


def _with_heading_class(section: SectionDiff, heading_class: str | None) -> SectionDiff:
    """The engine's new field, set whether or not this model declares it yet."""
    object.__setattr__(section, "heading_class", heading_class)
    return section


def views(diff: PolicyDiff, ignore_editorial: bool = False) -> dict[str, str]:
    """Every view's text: terminal inline and side by side (plain, 120 columns), reports."""
    def term(side_by_side: bool) -> str:
        parts = render_diff(diff, True, side_by_side=side_by_side,
                            ignore_editorial=ignore_editorial)
        return render(parts, 120, False)
    return {"term": term(False), "side": term(True),
            "markdown": to_markdown(diff, ignore_editorial=ignore_editorial),
            "html": to_html(diff, ignore_editorial=ignore_editorial)}


def test_an_inserted_heading_shows_as_added_and_its_blocks_by_their_own_status() -> None:
    blocks = (_same("First paragraph stood here before."), _same("Second one too."),
              _same("Third one as well."), _edit("It said red.", "It says blue."))
    added = SectionDiff("added", None, Section("Details", tuple(b.new for b in blocks), 3, 7),
                        blocks)
    out = views(_diff(added))
    term = out["term"].splitlines()
    at = term.index("## Details  (heading added)")
    assert term[at + 1] == "  First paragraph stood here before."  # context after the heading
    assert not [line for line in term if line.startswith("+ ")]  # no block called added
    assert "~ It [-said red-]{+says blue+}." in term
    assert "  ⋯ 1 unchanged block" in term  # context elided as usual
    assert "`+`" not in out["markdown"] and "`~` It <del>said red</del>" in out["markdown"]
    assert 'class="block block-added' not in out["html"]
    assert "(heading added)" in out["html"]


def test_a_removed_heading_without_blocks_is_one_removed_heading_line() -> None:
    gone = SectionDiff("removed", Section("Old heading", (), 2, 9), None, ())
    kept = SectionDiff("unchanged", Section("Kept", (), 2, 1), Section("Kept", (), 2, 1),
                       (_same("Kept text."),))
    out = views(_diff(kept, gone))
    for name in ("term", "side"):
        lines = out[name].splitlines()
        at = lines.index("## Old heading  (section removed)")
        assert lines[at + 1] == "" and lines[at + 2].startswith("sections:")
    assert "### Old heading <em>(section removed)</em>\n\n<em>" in out["markdown"]
    section = out["html"].split('<h3 id="s2">')[1].split("</section>")[0]
    assert "(section removed)" in section and "split-view" not in section


@pytest.mark.parametrize("heading_class", ["editorial", "substantive"])
def test_a_level_change_is_said_once_on_its_heading_and_is_no_rename(heading_class: str) -> None:
    blocks = (_same("Scope text."),)
    section = _with_heading_class(SectionDiff(
        "modified", Section("Scope", (blocks[0].old,), 3, 5),
        Section("Scope", (blocks[0].new,), 2, 5), blocks), heading_class)
    for name, text in views(_diff(section)).items():
        assert text.replace("\\", "").count("level ### → ##") == 1, name
        assert "renamed" not in text, name
    data = json.loads(to_json(_diff(section)))["sections"][0]
    assert (data["old_level"], data["new_level"], data["heading_class"]) == (3, 2, heading_class)
    hidden = views(_diff(section), ignore_editorial=True)
    assert ("level ### → ##" in hidden["term"]) == (heading_class == "substantive")


def test_a_renamed_parent_is_no_rename_of_its_child() -> None:
    child = (_same("Child text."),)
    parent = SectionDiff("modified", Section("Part A", (), 2, 1), Section("Part One", (), 2, 1),
                         (), renamed=True, rename_class="substantive")
    moved_path = SectionDiff("unchanged", Section("Part A › Terms", (child[0].old,), 3, 3),
                             Section("Part One › Terms", (child[0].new,), 3, 3), child)
    out = views(_diff(parent, moved_path))
    for name, text in out.items():
        assert text.count("(renamed)") == 1, name  # the parent, once
    assert "Part One › Terms" not in out["term"] + out["side"]
    data = json.loads(to_json(_diff(parent, moved_path)))["sections"]
    assert [s["renamed"] for s in data] == [True, False]


def test_a_heading_line_edited_in_its_bytes_only_says_so() -> None:
    block = _same("Text.")
    section = _with_heading_class(SectionDiff(
        "modified", Section("X", (block.old,), 3, 1, " ### X"),
        Section("X", (block.new,), 3, 1, "### X"), (block,)), "editorial")
    assert '## X  (heading line " ### X" → "### X")' in views(_diff(section))["term"]
    assert "heading line" not in views(_diff(section), ignore_editorial=True)["term"]
    setext = _with_heading_class(SectionDiff(
        "modified", Section("X", (block.old,), 2, 1, "X\n---"),
        Section("X", (block.new,), 2, 1, "X\n------"), (block,)), "editorial")
    assert "## X  (heading line edited)" in views(_diff(setext))["term"]


# Long blocks and list markers ------------------------------------------------------------------

LONG = " ".join(f"word{i}" for i in range(200))


def _file_pair(tmp_path: Path, old_body: str, new_body: str) -> tuple[str, str]:
    old = write(tmp_path / "old.md", f"# T\n\n## Part\n\n{old_body}\n")
    new = write(tmp_path / "new.md", f"# T\n\n## Part\n\n{new_body}\n")
    return str(old), str(new)


def test_a_long_modified_block_shows_bounded_context_around_each_change(
        tmp_path: Path, run: Callable[..., Result]) -> None:
    old, new = _file_pair(tmp_path, LONG, LONG.replace("word100", "changed").replace(
        "word150", "again"))
    out = run("diff", old, new, "--color", "never", "--width", "1000").out
    line = next(line for line in out.splitlines() if line.startswith("~ "))
    assert line.count("…") == 3  # before, between and after the two changes
    assert "[-word100-]{+changed+}" in line and "[-word150-]{+again+}" in line
    assert len(WORD.findall(line)) <= 2 + 4 * CONTEXT_WORDS + 4
    full = run("diff", old, new, "--color", "never", "--width", "1000", "--full").out
    assert "…" not in full and "word0 word1" in full and "word199" in full
    assert run("diff", old, new, "--format", "markdown").out.count("…") == 3
    assert run("diff", old, new, "--format", "html").out.count("…") == 9  # inline, both columns


def test_a_short_stretch_is_never_cut(tmp_path: Path, run: Callable[..., Result]) -> None:
    text = "One two three four five six seven eight nine ten."
    old, new = _file_pair(tmp_path, text, text.replace("five", "5"))
    assert "…" not in run("diff", old, new, "--color", "never").out


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab \n.", max_size=80), st.text(alphabet="ab \n.", max_size=80),
       st.integers(0, 4))
def test_cut_pieces_keep_both_texts_and_every_change(old: str, new: str, keep: int) -> None:
    ops = word_ops(old, new)
    pieces = cut_pieces(ops, keep)
    assert "".join(p[1] for p in pieces) == old and "".join(p[2] for p in pieces) == new
    assert [p for p in pieces if p[0] not in ("equal", "cut")] == \
        [op for op in ops if op[0] != "equal"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(list("ab é_1 \n.-") + ["中文", "x" * 40, " " * 30]),
                max_size=200).map("".join), st.integers(1, 12))
def test_the_last_words_read_from_the_end_are_those_of_a_whole_scan(text: str, count: int) -> None:
    from collections import deque

    whole = list(deque((m.start() for m in re.finditer(r"\w+", text)), maxlen=count))
    assert last_word_starts(text, count) == whole


@pytest.mark.parametrize("old_marker, new_marker", [("-", "*"), ("1.", "1)"), ("*", "+")])
def test_a_list_marker_change_reads_as_one(tmp_path: Path, run: Callable[..., Result],
                                           old_marker: str, new_marker: str) -> None:
    item = "Users keep control of their accounts."
    old, new = _file_pair(tmp_path, f"{old_marker} {item}", f"{new_marker} {item}")
    note = f"list marker {old_marker} → {new_marker}"
    for args in ([], ["-y"]):
        out = run("diff", old, new, "--color", "never", "--width", "120", *args).out
        assert f"({note}) {new_marker} {item}" in " ".join(out.split())
        assert "[-" not in out and "{+" not in out
    assert f"<em>({note})</em>" in run("diff", old, new, "--format", "markdown").out.replace(
        "\\", "")


# Side by side shows every word ----------------------------------------------------------------

def changed_words(diff: PolicyDiff) -> tuple[Counter[str], Counter[str]]:
    """Words deleted and inserted in every block of DIFF."""
    gone: Counter[str] = Counter()
    came: Counter[str] = Counter()
    for section in diff.sections:
        for block in section.blocks:
            if block.status == "removed":
                gone.update(WORD.findall(block.old.text))  # type: ignore[union-attr]
            elif block.status == "added":
                came.update(WORD.findall(block.new.text))  # type: ignore[union-attr]
            for tag, old, new in block.ops:
                if tag != "equal":
                    gone.update(WORD.findall(old))
                    came.update(WORD.findall(new))
    return gone, came


def columns(text: str, width: int) -> tuple[Counter[str], Counter[str]]:
    """The words of the old and the new column of a side-by-side view at WIDTH."""
    old_width = -(-(width - 6) // 2) - 2
    split = old_width + 4  # " " gutter "  " old-column "  " | gutter "  " new-column
    old: Counter[str] = Counter()
    new: Counter[str] = Counter()
    for line in text.splitlines():
        old.update(WORD.findall(line[:split]))
        new.update(WORD.findall(line[split:]))
    return old, new


def assert_side_by_side_complete(diff: PolicyDiff, width: int = 200) -> None:
    gone, came = changed_words(diff)
    sections = render(render_diff(diff, True, side_by_side=True), width, False)
    body = sections.split("\n", 2)[-1]  # past the two header lines
    old, new = columns(body, width)
    assert not gone - old, f"deleted words missing from the old column: {gone - old}"
    assert not came - new, f"inserted words missing from the new column: {came - new}"


def test_side_by_side_shows_every_word_of_the_sample_corpus(monkeypatch) -> None:
    from policy_diff.source.manifests import manifest_for
    from policy_diff.source.refs import load_side

    root = CORPUS
    monkeypatch.chdir(root.parent)
    sides = [load_side(ref, root) for ref in ("us-apl@2022-06-21", "us-apl@2025-12-02")]
    diff = compare(*sides, manifest_for(*sides))
    assert_side_by_side_complete(_without_front(diff))


def _without_front(diff: PolicyDiff) -> PolicyDiff:
    """The body's sections only: provisions and metadata are drawn before them."""
    return PolicyDiff(diff.old, diff.new, (), (), diff.sections)


PARAGRAPHS = sentences(["alpha beta", "gamma delta epsilon", "zeta", "eta theta",
                        "The approval provision is left out of this record",
                        "iota kappa lambda mu nu xi omicron pi rho sigma tau"], max_words=4)
DOCS = documents_of(PARAGRAPHS, ["Scope", "Authority", "Transfer", "Notes"], max_sections=4,
                    max_blocks=4)


@settings(max_examples=120, deadline=None)
@given(DOCS, DOCS, st.sampled_from([60, 100, 200]))
def test_side_by_side_shows_every_deleted_and_inserted_word(old, new, width) -> None:  # type: ignore[no-untyped-def]
    sides = [Side(n, n, None, None, parse(markdown_text(d), n))
             for n, d in (("old.md", old), ("new.md", new))]
    assert_side_by_side_complete(_without_front(compare(*sides)), width)


# Widths ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("how", ["option", "environment"])
def test_a_huge_width_is_clamped(how: str, run: Callable[..., Result],
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    args = ["diff", "us-apl@2022-06-21", "us-apl@2025-12-02", "-y", "--color", "never"]
    if how == "option":
        args += ["--width", "1000000000"]
    else:
        monkeypatch.setenv("COLUMNS", "1000000000")
    start = time.perf_counter()
    result = run(*args)
    assert time.perf_counter() - start < 10
    assert result.code == 1 and result.err == ""
    widest = max(len(line) for line in result.out.splitlines())
    assert 500 < widest <= MAX_WIDTH


# --ignore-editorial: the same changes in every view, on real pairs -----------------------------

GUTTERS = "-+~>="


def _heading_line(lines: list[str], index: int) -> bool:
    """A section's heading: it follows a blank line (a wrapped heading's next line does not)."""
    line = lines[index]
    return index > 0 and lines[index - 1] == "" and line.startswith(("## ", "(preamble)"))


SGR = re.compile(r"\x1b\[[0-9;]*m")
GUTTER_CELL = re.compile(r"\x1b\[[0-9;]*m([-+~>=])\x1b\[0m ")  # a styled one-character cell


def shown_in_term(text: str) -> list[str]:
    """From the coloured inline view: a heading's wrapped lines may start like a gutter does,
    but only a gutter is a styled cell of one character."""
    out = []
    coloured = text.splitlines()
    lines = [SGR.sub("", line) for line in coloured]
    for index, line in enumerate(coloured):
        if _heading_line(lines, index):
            out.append("S")
        elif GUTTER_CELL.match(line):
            out.append(GUTTER_CELL.match(line).group(1))  # type: ignore[union-attr]
    return out


def shown_in_side_by_side(text: str, width: int) -> list[str]:
    new_gutter = -(-(width - 6) // 2) - 2 + 6
    out = []
    lines = text.splitlines()
    for index, line in enumerate(lines):
        if _heading_line(lines, index):
            out.append("S")
        elif line[:1] == " " and len(line) > 1:
            mark = line[1] if line[1] != " " else line[new_gutter:new_gutter + 1]
            if mark and mark in GUTTERS and line[2:4].strip() == "":
                out.append(mark)
    return out


def shown_in_markdown(text: str) -> list[str]:
    out = []
    for line in text.splitlines():
        if line.startswith("### "):
            out.append("S")
        elif re.match(r"^`[-+~>=]` ", line):
            out.append(line[1])
    return out


def shown_in_html(text: str) -> list[str]:
    out = []
    for match in re.finditer(r'<h3 id="s\d+">|<div class="block block-\w+ [^"]*">'
                             r'<span class="gutter" aria-hidden="true">([^<]*)</span>', text):
        if match.group(0).startswith("<h3"):
            out.append("S")
        elif match.group(1):
            out.append(unescape(match.group(1)))
    split = re.findall(r'<tr class="row-\w+ [^"]*"><td class="gutter" aria-hidden="true">'
                       r'([^<]*)</td><td class="text">.*?<td class="gutter" aria-hidden="true">'
                       r"([^<]*)</td>", text, re.S)
    assert [unescape(a or b) for a, b in split if a or b] == [m for m in out if m != "S"]
    return out


def shown_in_json(data: dict, ignore_editorial: bool) -> list[str]:
    """What the other views must show, derived from the JSON alone (views/json.py's rule)."""
    def hidden(kind: str | None) -> bool:
        return ignore_editorial and kind == "editorial"

    if data["identical"] or (ignore_editorial and not data["substantive"]):
        return []
    out = []
    for section in data["sections"]:
        marks = []
        for block in section["blocks"]:
            if block["status"] != "unchanged" and not hidden(block["change_class"]):
                editorial = block["status"] == "modified" and block["change_class"] == "editorial"
                marks.append("=" if editorial else
                             {"removed": "-", "added": "+", "modified": "~", "moved": ">"}
                             [block["status"]])
        levels = section["old_level"] is not None and section["new_level"] is not None \
            and section["old_level"] != section["new_level"]
        heading = (section["renamed"] and not hidden(section["rename_class"])) or \
            (not section["renamed"] and section["heading_class"] is not None
             and not hidden(section["heading_class"]))
        left = section["status"] == "modified" and not section["blocks"] == [] and all(
            b["status"] == "unchanged" for b in section["blocks"]) and not section["renamed"] \
            and section["heading_class"] is None and not levels
        if marks or heading or left or section["moved"] or \
                section["status"] in ("added", "removed") or (levels and not hidden(
                    section["heading_class"])):
            out += ["S", *marks]
    return out


def shown_in_docx(path: Path) -> Counter[str]:
    """The blocks the Word redline marks: `+` inserted whole, `-` deleted whole, `~` marked
    in part or restyled (a table row is one block; headings, the title and the first table
    left out).
    Counted, not listed: a moved block is deleted at its old place, inserted at its new."""
    import zipfile

    from lxml import etree
    from policy_diff.views.docx import SUMMARY, W

    with zipfile.ZipFile(path) as archive:
        body = etree.fromstring(archive.read("word/document.xml")).find(f"{W}body")
    units = []
    for element in body:
        if element.tag == f"{W}p":
            style = element.find(f"{W}pPr/{W}pStyle").get(f"{W}val")
            if not style.startswith(("Heading", "Title")):
                units.append(element)
        elif element.find(f"{W}tblPr/{W}tblCaption[@{W}val='{SUMMARY}']") is None:
            units += element.iter(f"{W}tr")
    shown: Counter[str] = Counter()
    for unit in units:
        row = {c.tag for c in unit.iterfind(f"{W}trPr/*")}
        texts = {next((a.tag for a in node.iterancestors(f"{W}ins", f"{W}del")), "plain")
                 for node in unit.iter(f"{W}t", f"{W}delText") if node.text}
        if f"{W}ins" in row or texts == {f"{W}ins"}:
            shown["+"] += 1
        elif f"{W}del" in row or texts == {f"{W}del"}:
            shown["-"] += 1
        elif texts - {"plain"} or unit.find(f"{W}pPr/{W}pPrChange") is not None:
            shown["~"] += 1  # marked in part, or its style changed (a list became text)
    return shown


def shown_in_json_as_docx(data: dict, ignore_editorial: bool) -> Counter[str]:
    """What the Word redline must mark, from the JSON: every block the other views show,
    a move as a deletion and an insertion, as is every block of a moved section."""
    shown: Counter[str] = Counter()
    for section in data["sections"]:
        for block in section["blocks"]:
            moved = block["status"] == "moved" or (section["moved"] and block["old"] is not None
                                                   and block["new"] is not None)
            if moved:
                shown.update("-+")
            elif block["status"] != "unchanged" and not (
                    ignore_editorial and block["change_class"] == "editorial"):
                shown[{"removed": "-", "added": "+", "modified": "~"}[block["status"]]] += 1
    return shown


def _pair(name: str, tmp_path: Path) -> tuple[str, str]:
    paths = []
    for side in ("old", "new"):
        text = gzip.decompress((PAIRS / name / f"{side}.md.gz").read_bytes())
        path = tmp_path / name / f"{side}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text)
        paths.append(str(path))
    return paths[0], paths[1]


# Every pair of tests/data/real-pairs passes (about 50 s); these cover what the views must agree on: editorial edits
# mixed with substantive ones, list markers, renames, re-levelled and inserted headings,
# statute headings that wrap over several lines, and a record that cannot be read.
VIEW_PAIRS = ["ge14_mosel_2012", "mini_d", "mini_ins", "mini_lvl", "mini_ren", "sp01_billing",
              "sp02_capital", "sp04_trailsp", "sp05_bullets", "sp06_rename", "sp12_trade",
              "sp16_username"]


@pytest.mark.parametrize("ignore", [False, True])
@pytest.mark.parametrize("name", VIEW_PAIRS)
def test_every_view_shows_the_same_changes(name: str, ignore: bool, tmp_path: Path,
                                           run: Callable[..., Result]) -> None:
    old, new = _pair(name, tmp_path)
    flag = ["--ignore-editorial"] if ignore else []
    width = 160
    outputs = {fmt: run("diff", old, new, "--format", fmt, *flag)
               for fmt in ("json", "markdown", "html")}
    outputs["term"] = run("diff", old, new, "--color", "always", "--width", str(width), *flag)
    outputs["side"] = run("diff", old, new, "--color", "never", "--width", str(width), "-y",
                          *flag)
    assert len({r.code for r in outputs.values()}) == 1, {k: r.code for k, r in outputs.items()}
    if outputs["json"].code == 2:  # not readable: every format says so alike
        return
    expected = shown_in_json(json.loads(outputs["json"].out), ignore)
    assert shown_in_term(outputs["term"].out) == expected
    assert shown_in_side_by_side(outputs["side"].out, width) == expected
    assert shown_in_markdown(outputs["markdown"].out) == expected
    assert shown_in_html(outputs["html"].out) == expected
    if ignore:
        assert "=" not in expected
    redline = tmp_path / "redline.docx"
    assert run("diff", old, new, "--format", "docx", "-o", str(redline), *flag).code == \
        outputs["json"].code
    assert shown_in_docx(redline) == shown_in_json_as_docx(json.loads(outputs["json"].out), ignore)
    assert_redline_rebuilds(redline, old, new, ignore)


def assert_redline_rebuilds(redline: Path, old: str, new: str, ignore: bool) -> None:
    """Accepting every change gives the new version; rejecting every one the old version,
    unless editorial edits were left unmarked."""
    import zipfile

    from lxml import etree
    from policy_diff.views.docx import apply_all, paragraphs
    from policy_diff.source.refs import load_side

    with zipfile.ZipFile(redline) as archive:
        xml = etree.fromstring(archive.read("word/document.xml"))
    texts = {path: [t for _, t in paragraphs(load_side(path, None).document)]
             for path in (old, new)}
    assert apply_all(xml, accept=True) == texts[new]
    if not ignore:
        assert apply_all(xml, accept=False) == texts[old]


def test_the_plan_hides_editorial_rows_once_for_every_view() -> None:
    edit = _edit("The  Secretary may use mines.", "The Secretary may use mines.")
    section = SectionDiff("modified", Section("S", (edit.old,), 2, 1),
                          Section("S", (edit.new,), 2, 1), (edit,))
    plan = make_plan(_diff(section), ignore_editorial=True)
    assert plan.quiet == "the same but for editorial changes"
    assert plan.sections[0].items == (Row(edit, False),)
    assert not plan.sections[0].changed


def test_a_change_of_layout_alone_is_said_in_every_view(tmp_path: Path,
                                                        run: Callable[..., Result]) -> None:
    from policy_diff.views.plan import LAYOUT_NOTE

    old = write(tmp_path / "old.md", "# T\n\n## A\n\nText.\n")
    new = write(tmp_path / "new.md", "# T\n\n\n## A\n\nText.\r\n")
    for fmt in ("term", "markdown", "html"):
        result = run("diff", str(old), str(new), "--format", fmt, "--color", "never")
        assert result.code == 1
        assert LAYOUT_NOTE in result.out.replace("\\", ""), fmt
        quiet = run("diff", str(old), str(new), "--format", fmt, "--ignore-editorial")
        assert quiet.code == 0 and LAYOUT_NOTE not in quiet.out.replace("\\", "")
        assert "the same but for editorial changes" in " ".join(quiet.out.split())


def test_a_renamed_child_says_its_parent_path_once() -> None:
    block = _same("Text.")
    section = SectionDiff("modified", Section("Part A › Old name", (block.old,), 3, 1),
                          Section("Part A › New name", (block.new,), 3, 1), (block,),
                          renamed=True, rename_class="substantive", heading_class="substantive")
    out = views(_diff(section))
    assert "## Part A › Old name → New name  (renamed)" in out["term"]
    assert "### Part A › <del>Old name</del> → New name <em>(renamed)</em>" in out["markdown"]
    assert "Part A › <del>Old name</del> → New name" in out["html"]


def test_a_number_that_starts_a_line_of_prose_is_no_list_marker(
        tmp_path: Path, run: Callable[..., Result]) -> None:
    old, new = _file_pair(tmp_path, "The fee rose in\n2. quarter of the year.",
                          "The fee rose in\n2) quarter of the year.")
    out = run("diff", old, new, "--color", "never", "--width", "120").out
    assert "list marker" not in out and "2[-.-]{+)+}" in out


def test_a_cut_in_a_nested_list_falls_at_line_breaks(tmp_path: Path,
                                                      run: Callable[..., Result]) -> None:
    lines = [f"  - Sub-item {i}: the provider keeps records for {i} years" for i in range(12)]
    old_item = "- Records\n" + "\n".join(lines)
    new_item = old_item.replace("for 6 years", "for 9 years")
    old, new = _file_pair(tmp_path, old_item, new_item)
    out = run("diff", old, new, "--color", "never", "--width", "120").out.splitlines()
    at = out.index("~ …")
    end = out.index("  …", at)
    kept = out[at + 1:end]
    assert "    - Sub-item 6: the provider keeps records for [-6-]{+9+} years" in kept
    assert all(line.startswith("    - Sub-item ") and line.endswith(" years") for line in kept)
    assert 3 <= len(kept) <= 5  # whole lines around the change, no more


def test_the_reports_fold_a_run_of_unchanged_sections_as_one() -> None:
    def quiet(name: str) -> SectionDiff:
        block = _same(f"{name} text.")
        return SectionDiff("unchanged", Section(name, (block.old,), 2, 1),
                           Section(name, (block.new,), 2, 1), (block,))

    edit = _edit("It said red.", "It says blue.")
    changed = SectionDiff("modified", Section("Edited", (edit.old,), 2, 1),
                          Section("Edited", (edit.new,), 2, 1), (edit,))
    out = views(_diff(quiet("A"), quiet("B"), quiet("C"), changed, quiet("D")))
    markdown = out["markdown"]
    assert markdown.count("<summary>3 unchanged sections</summary>") == 1
    assert markdown.index("<summary>A — unchanged, 1 block</summary>") > \
        markdown.index("3 unchanged sections")  # each still folded inside, text and all
    assert "<summary>D — unchanged, 1 block</summary>" in markdown  # one alone: no group
    assert "C text." in markdown
    html = out["html"]
    assert html.count('<details class="sections-fold"><summary>3 unchanged sections') == 1
    assert 'id="s3"' in html and "C text." in html
