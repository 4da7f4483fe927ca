"""Hostile input: every bad record, name and ref gets a one-line error or a correct diff.

Never a traceback, never a hang, never an escape sequence or a live tag from the input
in the output, never a file written outside the store or over the user's.  The tests are
split by class of input (test_hostile_*.py in the folder of the part they exercise); this
module holds what they share: the payloads and the checks of a refusal and of inert output.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Callable

from policy_diff.parse.document import parse

from conftest import Result
from diffcheck import check_diff

Run = Callable[..., Result]

SGR = re.compile(r"\x1b\[[0-9;]*m")  # the colour codes rich itself writes
# Nothing of these may reach a terminal from a record: C0/C1 controls (tab and newline
# aside), bidi controls, invisible format characters, line/paragraph separators, surrogates.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u061c\u200b\u200e\u200f\u2028-\u202e"
                    "\u2060-\u206f\ufeff\ud800-\udfff\U000e0000-\U000e007f]")
OUR_TAGS = frozenset("html head meta title style body header h1 h2 h3 h4 p dl dt dd span "
                     "section table colgroup col thead tbody tr th td input div label main "
                     "details summary del ins em strong s br b ul ol li code".split())

# Content that tries to act, one payload per trick.
PAYLOADS = {
    "rich markup": "[bold red]RICH[/bold red] [link=https://evil.example]LINK[/link]",
    "CSI": "\x1b[31mCSI\x1b[0m \x1b[2J\x1b[H",
    "OSC title": "\x1b]0;TITLE\x07",
    "OSC 8 link": "\x1b]8;;https://evil.example\x1b\\OSC8\x1b]8;;\x1b\\",
    "unterminated OSC": "\x1b]2;never ended",
    "8-bit C1": "\x9b31mC1 \x9d0;t\x9c",
    "bidi": "abc\u202eRLO\u202c \u2066LRI\u2069",
    "invisible": "zero\u200bwidth\u2060join\ufeffbom\u00adshy\U000e0041tag",
    "separators": "line\u2028sep\u2029para",
    "controls": "bell\x07bs\x08cr\rvt\x0bff\x0cdel\x7f",
    "html": "<script>alert(1)</script><img src=x onerror=alert(2)><a href='javascript:x'>a</a>",
}
RAW_ACTS = ["\x1b[31mCSI", "\x1b[2J", "\x1b]0;TITLE", "\x1b]8;;", "\x9b31m", "\u202e", "\x07"]


def assert_error(result: Result, *fragments: str) -> str:
    """Exit 2, nothing on stdout, one `policy-diff: error:` line naming the fragments."""
    assert result.code == 2, result
    assert result.out == ""
    lines = result.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("policy-diff: error: "), result.err
    assert "Traceback" not in result.err
    for fragment in fragments:
        assert fragment in result.err, (fragment, result.err)
    return lines[0]


def assert_inert_terminal(text: str) -> None:
    """No control, bidi or invisible character and no escape sequence but our own colours."""
    visible = SGR.sub("", text)
    found = UNSAFE.search(visible)
    assert found is None, f"{found.group()!r} reached the terminal"  # type: ignore[union-attr]
    for raw in RAW_ACTS:
        assert raw not in text


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += attrs


def assert_no_live_html(page: str) -> None:
    """Only the report's own tags; no event handler, no javascript: URL, no raw control."""
    parser = _Tags()
    parser.feed(page)
    assert set(parser.tags) <= OUR_TAGS, set(parser.tags) - OUR_TAGS
    for name, value in parser.attrs:
        assert not name.startswith("on"), name
        assert not (value or "").strip().lower().startswith("javascript:"), value
    assert UNSAFE.search(page) is None


def markdown_as_html(text: str) -> str:
    """The Markdown report as GitHub would render it (raw HTML allowed, tables on)."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table").render(text)


def diff_json(run: Run, old: Path, new: Path, *extra: str) -> dict[str, Any]:
    """`diff --format json`, checked against every rule of spec/diff-json.md."""
    result = run("diff", str(old), str(new), "--format", "json", *extra)
    assert result.code in (0, 1) and result.err == "", result.err
    data = json.loads(result.out)
    check_diff(data, parse(old.read_text(encoding="utf-8"), lenient=True),
               parse(new.read_text(encoding="utf-8"), lenient=True))
    return data


def cli(*args: str, cwd: Path, timeout: float = 60,
        env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    """The CLI as a separate process, for inputs too big to hold twice in the test run."""
    return subprocess.run([sys.executable, "-m", "policy_diff", *args], cwd=cwd,
                          capture_output=True, timeout=timeout,
                          env={**os.environ, "COLUMNS": "100", **(env or {})})


# A small valid record, the other side of a diff with a bad one.
UTF8_RECORD = "---\npolicy: p\ntitle: T\n---\n# T\n\n## A\nhello world\n"
