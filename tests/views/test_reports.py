"""Shareable redlines: the Markdown and HTML reports, their goldens, their escaping, a real browser.

Refresh the goldens with `python -m pytest tests/views/test_reports.py --update-goldens`, then read
the changed files in `git diff` before committing them.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Callable

import pytest
from markdown_it import MarkdownIt

import browser
from conftest import REPO, write
from policy_diff.diff.compare import compare
from policy_diff.model import Block, BlockDiff, PolicyDiff
from policy_diff.views.html import CSP, STYLE, to_html
from policy_diff.views.markdown import report_runs, to_markdown
from policy_diff.views.plan import Fold, block_items
from policy_diff.text.safe import sanitize
from policy_diff.source.manifests import manifest_for
from policy_diff.source.refs import load_side

ROOT = REPO
GOLDENS = ROOT / "tests" / "goldens"
ARTIFACTS = ROOT / "tests" / "artifacts"
SCENARIOS = sorted(p.name for p in GOLDENS.iterdir() if (p / "refs").is_file())
REPORTS: dict[str, Callable[[PolicyDiff], str]] = {"report.md": to_markdown, "report.html": to_html}

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    "[x](javascript:alert(3))",
    "| fake | table |",
    "\x1b]0;pwned\x07\x1b[31mred",
    "\u202eevil",
    '" onmouseover="alert(4)',
    "![pixel](http://evil.example/t.png)",
    "</details></summary><!-- x -->",
    "$x^2$ <https://evil.example>",
]
MD_TAGS = {"h1", "h2", "h3", "p", "ul", "li", "strong", "em", "code", "del", "ins", "br",
           "table", "thead", "tbody", "tr", "th", "td", "details", "summary"}
HTML_TAGS = {"html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "h3", "p",
             "dl", "dt", "dd", "span", "strong", "em", "section", "table", "colgroup", "col",
             "thead", "tbody", "tr", "th", "td", "del", "ins", "input", "div", "label", "main",
             "details", "summary"}


@pytest.fixture
def at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("POLICY_DIFF_STORE", raising=False)
    monkeypatch.chdir(ROOT)


def scenario_diff(scenario: str) -> PolicyDiff:
    """The scenario's two refs (files under tests/goldens/ or store refs), compared."""
    refs = (GOLDENS / scenario / "refs").read_text(encoding="utf-8").split()
    refs = [f"tests/goldens/{r}" if (GOLDENS / r).is_file() else r for r in refs]
    return diff_of(*refs)


def diff_of(old: str, new: str) -> PolicyDiff:
    sides = [load_side(ref, ROOT / "policies") for ref in (old, new)]
    return compare(*sides, manifest_for(*sides))


# The 2022 -> 2025 reports' digest, computed from scratch in another process.
HASH_SCRIPT = """
import hashlib
from pathlib import Path
from policy_diff.diff.compare import compare
from policy_diff.views.html import to_html
from policy_diff.views.markdown import to_markdown
from policy_diff.source.manifests import manifest_for
from policy_diff.source.refs import load_side
sides = [load_side(ref, Path("policies")) for ref in ("us-apl@2022-06-21", "us-apl@2025-12-02")]
diff = compare(*sides, manifest_for(*sides))
print(hashlib.sha256((to_markdown(diff) + to_html(diff)).encode()).hexdigest())
"""


# Goldens -------------------------------------------------------------------------------------

@pytest.mark.parametrize("report", REPORTS)
@pytest.mark.parametrize("scenario", SCENARIOS)
def test_report_matches_golden(scenario: str, report: str, at_root: None,
                               golden: Callable[[str, Path], None]) -> None:
    golden(REPORTS[report](scenario_diff(scenario)), GOLDENS / scenario / report)


def test_reports_are_deterministic_across_processes(at_root: None) -> None:
    """Same diff, same bytes: in this process and in fresh ones with other hash seeds."""
    diff = diff_of("us-apl@2022-06-21", "us-apl@2025-12-02")
    here = hashlib.sha256((to_markdown(diff) + to_html(diff)).encode()).hexdigest()
    for seed in ("1", "2"):
        done = subprocess.run([sys.executable, "-c", HASH_SCRIPT], capture_output=True, text=True,
                              check=True, cwd=ROOT, env={"PYTHONHASHSEED": seed, "PATH": ""})
        assert done.stdout.strip() == here


# Structure -----------------------------------------------------------------------------------

def _blocks(statuses: str) -> tuple[BlockDiff, ...]:
    names = {"u": "unchanged", "m": "modified"}
    return tuple(BlockDiff(names[s], Block("paragraph", str(i)), Block("paragraph", str(i)))
                 for i, s in enumerate(statuses))


@pytest.mark.parametrize("statuses, context, shape", [
    ("uuumuuuu", 1, [2, "u", "m", "u", 3]),   # long unchanged stretches fold
    ("umuu", 0, ["u", "m", 2]),               # a stretch of one is shown, not folded
    ("uuumuuuu", None, list("uuumuuuu")),     # no context limit: everything, nothing folded
    ("uuu", 1, [3]),
])
def test_block_runs_fold_unchanged_stretches(statuses: str, context: int | None,
                                             shape: list[object]) -> None:
    runs = report_runs(block_items(_blocks(statuses), context))
    assert [len(r.blocks) if isinstance(r, Fold) else r.block.status[0] for r in runs] == shape


def test_markdown_keeps_multi_line_blocks_readable(tmp_path: Path) -> None:
    code = "```\n- not a list\n1. not a list\n# not a heading\n    indented\n```"
    old = write(tmp_path / "old.md", "# T\n\n## Part\nIntro.\n\n- item\n  second line\n")
    new = write(tmp_path / "new.md", f"# T\n\n## Part\nIntro.\n\n- item\n  second line, edited\n\n"
                                     f"| a | b |\n|---|---|\n| 1 | 2 |\n\n{code}\n")
    html = _render_md(to_markdown(diff_of(str(old), str(new))))
    sections = html.split("<h2>Sections</h2>")[1]
    assert "<ul>" not in sections and "<ol>" not in sections and "<h1>" not in sections
    assert "<th><ins>a</ins></th><th><ins>b</ins></th>" in sections  # a table is a table
    assert "<td><ins>1</ins></td><td><ins>2</ins></td>" in sections
    item = "<code>~</code> • item<br>\n\xa0\xa0second line<ins>, edited</ins>"
    assert item in unescape(sections)
    assert "<ins>- not a list</ins><br>\n<ins>1. not a list</ins>" in sections
    assert "<ins>\xa0\xa0\xa0\xa0indented</ins>" in unescape(sections)


@pytest.mark.parametrize("render", [to_markdown, to_html])
def test_identical_versions_say_so(render: Callable[[PolicyDiff], str], at_root: None) -> None:
    out = render(diff_of("us-apl@2025-12-02", "policies/us-apl/2025-12-02.md"))
    assert "No differences: us-apl@2025-12-02 and policies/us-apl/2025-12-02.md are identical." \
        in unescape(out).replace("\\", "")
    assert "Key provisions" not in out and "Sections" not in out


def test_html_has_both_views_and_the_provisions_first(at_root: None) -> None:
    out = to_html(scenario_diff("apl-2022-2025"))
    assert out.index('class="provisions"') < out.index('class="metadata"') \
        < out.index('<main class="changes">')
    changed = out.count('<section class="section ')
    assert changed == out.count('<div class="inline-view">') \
        == out.count('<table class="split-view">') == 12
    assert '<html lang="en">' in out and '<meta charset="utf-8">' in out
    assert f'<meta http-equiv="Content-Security-Policy" content="{CSP}">' in out
    assert "@media print" in out and "::details-content" in out


def test_html_references_nothing_outside_itself(at_root: None, tmp_path: Path) -> None:
    for diff in (scenario_diff("apl-2022-2025"), _hostile_diff(tmp_path)):
        out = to_html(diff)
        page = _parse_html(out)
        assert not [a for a in page.attrs if a[0] in ("src", "href", "srcset", "action", "poster")]
        assert page.styles == [STYLE]  # the one inline style sheet, nothing from the records
        assert not re.search(r"@import|url\(|<script|<link|<iframe|<object|<embed", out, re.I)


# Escaping ------------------------------------------------------------------------------------

def _hostile_diff(tmp_path: Path) -> PolicyDiff:
    """Two records and a manifest with a hostile string in every place record text can reach."""
    quoted = [json.dumps(p) for p in HOSTILE]
    write(tmp_path / "policy.yaml",
          "policy: evil\nprovisions:\n  reach:\n    label: " + quoted[1] + "\n    kind: scale\n"
          f"    scale: [{quoted[0]}, {quoted[2]}, {quoted[3]}]\n    toward_end: {quoted[6]}\n"
          "  words:\n    label: " + quoted[7] + "\n    kind: text\n")

    def record(version: str, reach: int, lines: list[str]) -> Path:
        body = "\n\n".join(lines)
        return write(tmp_path / f"{version}.md", (
            f"---\npolicy: evil\nversion: {version}\ntitle: {quoted[reach]}\nstatus: draft\n"
            f"provisions:\n  reach: {json.dumps(HOSTILE[reach])}\n  words: {quoted[reach + 4]}\n"
            f"summary: {quoted[9 - reach]}\nnotes: [{', '.join(quoted if reach == 0 else [])}]\n"
            f"---\n# {HOSTILE[reach]}\n\n{body}\n"))

    same = ["## Keep\nsame", "## Keep 2\nsame"]
    old = record("v1", 0, [f"## {p}\n{p} old" for p in HOSTILE] + same)
    new = record("v2", 2, [f"## {p}\n{p} new\n\n- {p}\n\n| {p} |\n|---|\n\n```\n{p}\n```"
                           for p in HOSTILE] + same)
    return diff_of(str(old), str(new))


def _render_md(text: str) -> str:
    """Render as CommonMark with GFM tables and strikethrough, raw HTML allowed, as GitHub would."""
    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]).render(text)


class _Page(HTMLParser):
    """Every tag, attribute, text and style sheet of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.text: list[str] = []
        self.styles: list[str] = []
        self.in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += attrs
        self.in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self.in_style = False

    def handle_data(self, data: str) -> None:
        (self.styles if self.in_style else self.text).append(data)


def _parse_html(text: str) -> _Page:
    page = _Page()
    page.feed(text)
    page.close()
    return page


def _assert_inert(page: _Page, allowed: set[str], raw: str, raw_html: str) -> None:
    """Only the renderer's own tags and no event handlers; every payload shown as text."""
    assert set(page.tags) <= allowed, set(page.tags) - allowed
    assert not [name for name, _ in page.attrs if name.startswith("on") or name in ("src", "href")]
    assert "\x1b" not in raw and "\u202e" not in raw and "\x07" not in raw
    notes = re.search(r"<td[^>]*>notes</td>\s*<td[^>]*>(.*?)</td>", raw_html, re.S)
    assert notes, "no metadata row for the hostile list"
    shown = unescape(re.sub(r"<[^>]+>", "", notes[1]))
    for payload in HOSTILE:  # each one whole, in its own table cell, and visible
        assert sanitize(payload) in shown, payload


def test_markdown_keeps_hostile_text_inert(tmp_path: Path) -> None:
    out = to_markdown(_hostile_diff(tmp_path))
    html = _render_md(out)
    page = _parse_html(html)
    _assert_inert(page, MD_TAGS, out, html)
    headings = re.findall(r"<(h[12])>(.*?)</h[12]>", html)
    # the title, then key provisions, metadata and sections: no heading from a record
    assert [tag for tag, _ in headings] == ["h1", "h2", "h2", "h2"]
    # key provisions and metadata; a record's table rows are tables in their sections
    assert html.split("<h2>Sections</h2>")[0].count("<table>") == 2
    assert html.count("<details>") == 3  # Keep, Keep 2, both
    assert html.count("<h3>") == len(HOSTILE)
    assert "$" not in out  # GitHub would start math; shown through an entity instead


def test_html_keeps_hostile_text_inert(tmp_path: Path) -> None:
    out = to_html(_hostile_diff(tmp_path))
    page = _parse_html(out)
    _assert_inert(page, HTML_TAGS, out, out)
    assert page.tags.count("details") == 3 and page.tags.count("style") == 1  # Keep, Keep 2, both
    assert "<title>Redline: " in out and "&lt;script&gt;" in out


# A real browser ------------------------------------------------------------------------------

needs_chromium = pytest.mark.skipif(not browser.CHROMIUM.exists(),
                                    reason=f"no {browser.CHROMIUM} (apt-get install chromium)")


@needs_chromium
def test_console_problem_detection_catches_errors(tmp_path: Path) -> None:
    """The browser checks below can fail: a page with a blocked script and an error is caught."""
    page = write(tmp_path / "bad.html", '<!DOCTYPE html><meta http-equiv="Content-Security-Policy" '
                 f'content="{CSP}"><title>t</title><p>x<script>1</script>')
    assert browser.load(page, tmp_path / "profile").problems


@needs_chromium
def test_html_report_loads_cleanly_in_chromium(at_root: None, tmp_path: Path) -> None:
    report = write(tmp_path / "report-2022-2025.html",
                   to_html(diff_of("us-apl@2022-06-21", "us-apl@2025-12-02")))
    loaded = browser.load(report, tmp_path / "profile")
    assert loaded.problems == []
    assert re.search(r'<table class="provisions">.*Geographic scope.*BROADENED', loaded.dom, re.S)
    assert loaded.dom.count('<table class="split-view">') == 12
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "report-2022-2025.png"
    shot.unlink(missing_ok=True)
    browser.screenshot(report, shot, tmp_path / "profile")
    print(f"screenshot: {shot}")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 50_000  # a blank white page is under 10 kB


@needs_chromium
@pytest.mark.skipif(shutil.which("pdftotext") is None,
                    reason="pdftotext is missing (apt-get install poppler-utils)")
def test_printed_html_report_expands_folds(at_root: None, tmp_path: Path) -> None:
    report = write(tmp_path / "report.html", to_html(scenario_diff("renamed-moved")))
    pdf = tmp_path / "report.pdf"
    browser.print_to_pdf(report, pdf, tmp_path / "profile")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "This policy applies to every office." in text  # inside a closed <details>
    assert "Questions go to the records officer." in text
    assert "Side by side" not in text  # the screen-only view switch


def _visible_text(dom: str) -> str:
    """What a reader sees of a page: its body's text, without style sheets or tags."""
    body = re.sub(r"<style.*?</style>", "", dom, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", "", body))


@needs_chromium
@pytest.mark.parametrize("report", ["html", "markdown"])
def test_reports_render_the_records_markdown_in_a_browser(at_root: None, tmp_path: Path,
                                                          report: str) -> None:
    """No literal `**` or backtick of a record reaches the reader; tables are tables; every
    deletion and insertion is still marked."""
    diff = diff_of("us-apl@2022-06-21", "us-apl@2025-12-02")
    page = to_html(diff) if report == "html" else (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>md</title></head><body>'
        + _render_md(to_markdown(diff)) + "</body></html>")
    loaded = browser.load(write(tmp_path / "report.html", page), tmp_path / "profile")
    assert loaded.problems == []
    text = _visible_text(loaded.dom)
    gutters = re.sub(r"(?m)^[~+=>-] ", "", text)  # the Markdown report's gutters are code spans
    assert "**" not in text and "`" not in gutters.replace("`~`", "")
    assert re.search(r"<strong>interim</strong>", loaded.dom)
    assert re.search(r"<th>(<ins>)?Objective(</ins>)?</th>", loaded.dom)
    assert re.search(r"<code>Worldwide</code>", loaded.dom)
    assert loaded.dom.count("<del>") >= 20 and loaded.dom.count("<ins>") >= 20
