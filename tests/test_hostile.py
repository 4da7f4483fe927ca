"""Hostile input: every bad record, name and ref gets a one-line error or a correct diff.

Never a traceback, never a hang, never an escape sequence or a live tag from the input
in the output, never a file written outside the store or over the user's.  The classes
and what the tool does with each are tabled in docs/hostile-input.md; bench/hostile.py
measures the very large inputs (50 MB, 10 MB lines, a million blocks) as processes.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Callable

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import CORPUS, REPO, Result, record, write
from diffcheck import check_diff
from policy_diff.hooks import install as hooks
from policy_diff.diff.compare import compare
from policy_diff.errors import PolicyDiffError
from policy_diff.model import Side
from policy_diff.parse.document import parse
from policy_diff.views.text.layout import render
from policy_diff.views.html import to_html
from policy_diff.views.json import to_json
from policy_diff.views.markdown import to_markdown
from policy_diff.views.terminal import render_diff
from policy_diff.source.files import decode

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
ALL = " ".join(PAYLOADS.values())
FAKE_TABLE = ("| Provision | Change | Before → after |\n|---|---|---|\n"
              "| Geographic scope | **NARROWED** | [x](javascript:alert(1)) ![i](http://e/x.png) |")
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


# ------------------------------------------------------------------ encoding


UTF8_RECORD = "---\npolicy: p\ntitle: T\n---\n# T\n\n## A\nhello world\n"


@pytest.mark.parametrize("name, data, fragments", [
    ("invalid UTF-8", b"---\npolicy: p\n---\n## A\nbad \xff\xfe here\n", [":5:", "not valid UTF-8"]),
    ("UTF-16 with BOM", UTF8_RECORD.encode("utf-16"), [":1:", "UTF-16"]),
    ("UTF-16 without BOM", UTF8_RECORD.encode("utf-16-le"), [":1:", "NUL byte"]),
    ("UTF-32 with BOM", UTF8_RECORD.encode("utf-32"), [":1:", "UTF-32"]),
    ("NUL in the body", b"## A\n\nhel\x00lo\n", [":3:", "NUL byte"]),
    ("NUL in front matter", b"---\npolicy: p\x00\n---\n", [":2:", "NUL byte"]),
    ("a PNG", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8, ["NUL byte"]),
    ("a lone continuation byte", b"## A\n\n\x80\n", [":3:", "0x80"]),
    ("an overlong encoding", b"## A\n\n\xc0\xaf\n", [":3:", "0xc0"]),
    ("an encoded surrogate", b"## A\n\n\xed\xa0\x80\n", [":3:", "0xed"]),
])
def test_a_file_that_is_not_utf8_text_is_one_error_naming_the_line(
        run: Run, tmp_path: Path, name: str, data: bytes, fragments: list[str]) -> None:
    bad = tmp_path / "bad.md"
    bad.write_bytes(data)
    good = write(tmp_path / "good.md", UTF8_RECORD)
    for args in (["diff", str(good), str(bad)], ["show", str(bad)],
                 ["diff", str(bad), str(good), "--format", "html"]):
        assert_error(run(*args), "bad.md", *fragments)
    result = run("validate", str(bad))
    assert result.code == 1 and fragments[-1] in result.out and "Traceback" not in result.err


def test_binary_on_standard_input_is_one_error(run: Run, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    good = write(tmp_path / "good.md", UTF8_RECORD)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"\xff\xfe\x00b\x00")))
    assert_error(run("diff", "-", str(good)), "<stdin>:1:", "UTF-16")


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\n", "mixed"])
def test_any_line_ends_give_the_same_diff_and_line_numbers(run: Run, tmp_path: Path,
                                                           newline: str) -> None:
    lines = ["---", "policy: p", "---", "# T", "", "## A", "one", "two", "", "## B",
             "three little words"]
    if newline == "mixed":
        text = "".join(line + ("\r\n", "\n", "\r")[i % 3] for i, line in enumerate(lines))
    else:
        text = newline.join(lines) + newline
    old = tmp_path / "old.md"
    old.write_bytes(text.encode())
    new = write(tmp_path / "new.md", "\n".join(lines).replace("little", "small") + "\n")
    data = diff_json(run, old, new)
    block = data["sections"][1]["blocks"][0]
    assert (block["old"], block["new"], block["old_line"], block["new_line"]) == \
        ("three little words", "three small words", 11, 11)
    assert data["sections"][0]["blocks"][0]["old"] == "one\ntwo"  # no stray \r in the text


# ------------------------------------------------------------------ size and shape


def test_limits_refuse_with_the_limit_and_the_variable_never_truncate(
        run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    body = "---\npolicy: p\ntitle: a longer title\n---\n## A\n\n" + "".join(
        f"Block {i}.\n\n" for i in range(300))
    big = write(tmp_path / "big.md", body)
    small = write(tmp_path / "small.md", UTF8_RECORD)
    cases = [("POLICY_DIFF_MAX_BYTES", "1000", "more than 1,000 bytes"),
             ("POLICY_DIFF_MAX_LINES", "500", "607 lines"),
             ("POLICY_DIFF_MAX_BLOCKS", "100", "301 blocks and headings"),
             ("POLICY_DIFF_MAX_FRONT_MATTER", "25", "31 characters of YAML")]
    for variable, value, said in cases:
        monkeypatch.setenv(variable, value)
        line = assert_error(run("diff", str(small), str(big)), "big.md", said, variable,
                            f"over the limit of {int(value):,}")
        assert "to raise it" in line
        for command in (["show", str(big)], ["diff", str(big), str(big), "-f", "json"]):
            assert_error(run(*command), variable)
        monkeypatch.setenv(variable, "0")  # 0 turns the limit off
        diff_json(run, small, big)
        monkeypatch.delenv(variable)


@pytest.mark.parametrize("value", ["ten", "-1", "1e6", "1_000", " 12 3 "])
def test_a_limit_that_is_not_a_number_is_a_usage_error(run: Run, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch,
                                                       value: str) -> None:
    small = write(tmp_path / "small.md", UTF8_RECORD)
    monkeypatch.setenv("POLICY_DIFF_MAX_BYTES", value)
    assert_error(run("diff", str(small), str(small)), "$POLICY_DIFF_MAX_BYTES",
                 "whole number")


def test_the_size_limit_applies_to_standard_input_without_reading_it_all(
        run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    class Endless(io.RawIOBase):  # /dev/zero-like, but text: reading it all never ends
        def readable(self) -> bool:
            return True

        def readinto(self, buffer: Any) -> int:
            buffer[:] = b"a" * len(buffer)
            return len(buffer)

    monkeypatch.setenv("POLICY_DIFF_MAX_BYTES", "100000")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(Endless())))
    small = write(tmp_path / "small.md", UTF8_RECORD)
    assert_error(run("diff", "-", str(small)), "<stdin>", "more than 100,000 bytes")


def test_default_limits_refuse_huge_inputs_fast(tmp_path: Path) -> None:
    """The real defaults, as a process: 21 MB, two million lines, 150,000 blocks."""
    small = write(tmp_path / "small.md", UTF8_RECORD)
    inputs = {"bytes": "x" * 21_000_000, "lines": "x\n\n" * 1_000_000,
              "blocks": "## S\n\n" + "x\n\n" * 150_000}
    for name, text in inputs.items():
        path = write(tmp_path / f"{name}.md", text)
        start = time.monotonic()
        result = cli("diff", str(small), str(path), cwd=tmp_path)
        took = time.monotonic() - start
        err = result.stderr.decode()
        assert result.returncode == 2 and result.stdout == b"", err
        assert err.count("\n") == 1 and f"POLICY_DIFF_MAX_{name.upper()}" in err, err
        assert took < 15, f"refusing {name} took {took:.1f} s"


def test_a_one_megabyte_line_diffs_correctly(run: Run, tmp_path: Path) -> None:
    words = " ".join(f"w{i % 997}" + "."[:i % 20 == 19] for i in range(150_000))
    old = write(tmp_path / "old.md", f"## One\n\n{words}\n")
    new = write(tmp_path / "new.md", "## One\n\n" + words.replace(" w5 ", " changed ", 3) + "\n")
    data = diff_json(run, old, new)
    assert data["stats"]["blocks"]["modified"] == 1
    start = time.monotonic()
    result = run("diff", str(old), str(new), "--color", "never")
    assert result.code == 1 and "[-w5-]{+changed+}" in "".join(result.out.split())
    assert time.monotonic() - start < 20  # it was quadratic in rich: minutes for 10 MB


SHAPES = {
    "5,000 sections": lambda: "".join(f"## S{i}\n\nText {i}.\n\n" for i in range(5000)),
    "10,000 levels of list": lambda: "## Deep\n\n" + "- " * 10_000 + "item\n",
    "10,000 levels of quote": lambda: "## Deep\n\n" + ">" * 10_000 + " item\n",
    "500 indented list levels": lambda: "## Deep\n\n" + "".join(
        "  " * i + "- item\n" for i in range(500)),
    "20,000 tiny blocks": lambda: "## Tiny\n\n" + "".join(f"x{i % 7}\n\n" for i in range(20_000)),
    "10,000 identical blocks": lambda: "## Same\n\n" + "Yes.\n\n" * 10_000,
    "one word 200,000 times": lambda: "## Run\n\n" + "the " * 200_000 + "\n",
    "2,000 near-duplicates": lambda: "## Near\n\n" + "".join(
        f"The President shall review clause {i * 7919 % 10007} every year.\n\n"
        for i in range(2000)),
    "2,000 sections of one heading": lambda: "## Same\n\nYes.\n\n" * 2000,
    "nested fences and HTML": lambda: "## F\n\n" + "````\n```\n" * 500 + "<div>\n\n" * 500,
    "a table of 5,000 rows": lambda: "## T\n\n| a | b |\n|---|---|\n" + "".join(
        f"| {i} | x |\n" for i in range(5000)),
}


@pytest.mark.parametrize("shape", SHAPES)
def test_pathological_shapes_give_a_correct_diff(run: Run, tmp_path: Path, shape: str) -> None:
    text = SHAPES[shape]()
    old = write(tmp_path / "old.md", text)
    edited = text.replace("x3\n", "y3\n", 5).replace("Yes.", "No.", 7).replace("the the", "the a", 2)
    edited = edited.replace("item", "changed", 1).replace("S250\n", "Renamed\n").replace("7 |", "8 |")
    new = write(tmp_path / "new.md", edited if edited != text else text + "\nEnd.\n")
    start = time.monotonic()
    data = diff_json(run, old, new)
    assert not data["identical"]
    assert_inert_terminal(run("diff", str(old), str(new), "--color", "always").out)
    assert time.monotonic() - start < 30, shape


def _unrelated_blocks(seed: int, heading: str) -> str:
    import random

    rng = random.Random(seed)
    vocabulary = "shall not use the mines outside Korea President may destroy stocks".split()
    return f"## {heading}\n\n" + "".join(
        " ".join(rng.choice(vocabulary) for _ in range(500)) + f" {i}.\n\n" for i in range(250))


PAIRS = {  # quadratic in compare.py and provisions.py until df30bd5 (docs/hostile-input.md)
    "3,000 renamed sections sharing a block": lambda: (
        "".join(f"## Old {i}\n\nYes.\n\n" for i in range(3000)),
        "".join(f"## New {i}\n\nYes.\n\n" for i in range(3000))),
    "250 unrelated 3 KB blocks, section renamed": lambda: (
        _unrelated_blocks(1, "Old"), _unrelated_blocks(2, "New")),
    "a set provision of 25,000 members": lambda: (
        f"---\nprovisions:\n  s: [{', '.join(f'm{i}' for i in range(25_000))}]\n---\n",
        f"---\nprovisions:\n  s: [{', '.join(f'm{i}' for i in range(1, 25_001))}]\n---\n"),
}


@pytest.mark.parametrize("pair", PAIRS)
def test_pathological_pairs_stay_bounded(run: Run, tmp_path: Path, pair: str) -> None:
    old_text, new_text = PAIRS[pair]()
    old, new = write(tmp_path / "old.md", old_text), write(tmp_path / "new.md", new_text)
    start = time.monotonic()
    assert not diff_json(run, old, new)["identical"]
    assert time.monotonic() - start < 5, pair  # each took 8 s or more: now under a second


# ------------------------------------------------------------------ YAML


@pytest.mark.parametrize("name, yaml_text, fragments", [
    ("syntax error", "policy: [p\n", [":2:", "invalid YAML"]),
    ("tab indentation", "\tpolicy: p\n", [":2:", "invalid YAML"]),
    ("duplicate keys", "policy: a\ntitle: t\npolicy: b\n", [":4:", "duplicate key 'policy'"]),
    ("billion laughs", "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a]\n"
                       "c: [*b, *b, *b, *b, *b, *b]\n", [":3:", "aliases"]),
    ("python object", "x: !!python/object/apply:os.system ['echo pwned']\n",
     [":2:", "python/object/apply"]),
    ("python name", "x: !!python/name:os.system\n", [":2:", "python/name"]),
    ("custom tag", "x: !vault |\n  secret\n", [":2:", "'!vault'"]),
    ("binary", "x: !!binary aGVsbG8=\n", [":2:", "binary"]),
    ("set", "x: !!set {a, b}\n", [":2:", "tag:yaml.org,2002:set"]),
    ("timestamp", "x: !!timestamp 2001-12-14t21:59:43.10-05:00\n", [":2:", "timestamp"]),
    ("float NaN", "x: !!float .nan\n", [":2:", "float"]),
    ("huge int", "x: !!int " + "9" * 5000 + "\n", [":2:", "int"]),
    ("bad int", "x: !!int abc\n", [":2:", "int"]),
    ("bad bool", "x: !!bool maybe\n", [":2:", "!!bool 'maybe'"]),
    ("omap", "x: !!omap [a: 1]\n", [":2:", "omap"]),
    ("map tag on a list", "x: !!map [1]\n", [":2:", "expected a mapping"]),
    ("str tag on a map", "x: !!str {a: 1}\n", [":2:", "invalid YAML"]),
    ("complex key", "? [a, b]\n: c\n", [":2:", "plain scalars"]),
    ("null key", "~: 1\n", [":2:", "plain scalars"]),
    ("lone surrogate", 'x: "\\ud800"\n', [":2:", "surrogate"]),
    ("deep nesting", "x: " + "[" * 2000 + "]" * 2000 + "\n", [":2:", "nested too deeply"]),
    ("deep mapping", "x: " + "{a: " * 3000 + "b" + "}" * 3000 + "\n", [":2:", "nested too deeply"]),
    ("over 1024 characters of key", "k" * 2000 + ": v\n", [":2:", "invalid YAML"]),
])
def test_bad_yaml_is_one_located_error_everywhere(run: Run, tmp_path: Path, name: str,
                                                  yaml_text: str, fragments: list[str]) -> None:
    bad = write(tmp_path / "bad.md", f"---\n{yaml_text}---\n## A\n\ntext\n")
    good = write(tmp_path / "good.md", UTF8_RECORD)
    assert_error(run("show", str(bad)), "bad.md", *fragments)
    # diff takes any document: its front matter is compared as text, with a located warning
    # (record-format §6).
    for args, code in ((["diff", str(good), str(bad)], 1),
                       (["diff", str(bad), str(bad), "-f", "json"], 0)):
        result = run(*args)
        assert result.code == code and "Traceback" not in result.err, result
        warnings = result.err.splitlines()
        assert warnings and all(w.startswith("policy-diff: warning: ") for w in warnings)
        assert all(fragment in warnings[-1] for fragment in ("bad.md", *fragments)), warnings
    result = run("validate", str(bad))
    assert result.code == 1 and fragments[-1] in result.out


def test_yaml_escapes_cannot_smuggle_controls_into_any_view(run: Run, tmp_path: Path) -> None:
    escaped = '"\\e]0;T\\a \\x9b2J \\u202e \\u2028 \\N \\_ \\x85 \\0"'
    old = write(tmp_path / "old.md", "---\npolicy: p\ntitle: t\n---\n## A\n\nx\n")
    new = write(tmp_path / "new.md", f"---\npolicy: p\ntitle: {escaped}\nsummary: {escaped}\n"
                                     f"{escaped}: {escaped}\n---\n## A\n\nx\n")
    for color in ("always", "never"):
        assert_inert_terminal(run("diff", str(old), str(new), "--color", color).out)
        assert_inert_terminal(run("show", str(new), "--color", color).out)
    assert_no_live_html(run("diff", str(old), str(new), "-f", "html").out)
    out = run("diff", str(old), str(new), "-f", "json").out
    assert UNSAFE.search(out) is None and json.loads(out)["metadata"]


@pytest.mark.parametrize("front", ["- a\n- b\n", "just a string\n", "42\n", "true\n", "~\n", "[]\n"])
def test_front_matter_of_another_shape(run: Run, tmp_path: Path, front: str) -> None:
    """A record must hold a mapping (validate, show); a plain document is compared anyway."""
    doc = write(tmp_path / "doc.md", f"---\n{front}---\n## A\n\ntext\n")
    other = write(tmp_path / "other.md", UTF8_RECORD)
    diff_json(run, other, doc)
    if front.strip() not in ("~", ""):
        assert_error(run("show", str(doc)), "doc.md:2:", "front matter must be a mapping")


def test_unterminated_front_matter(run: Run, tmp_path: Path) -> None:
    doc = write(tmp_path / "doc.md", "---\npolicy: p\ntitle: never closed\n\n## A\n\ntext\n")
    other = write(tmp_path / "other.md", UTF8_RECORD)
    diff_json(run, other, doc)  # a plain document: the `---` is a thematic break
    assert_error(run("show", str(doc)), "doc.md:1:", "never closed")
    assert "never closed" in run("validate", str(doc)).out


def test_a_huge_scalar_within_the_limit_diffs_and_over_it_is_refused(
        run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old = write(tmp_path / "old.md", "---\nsummary: " + "word " * 40_000 + "\n---\n## A\n\nx\n")
    new = write(tmp_path / "new.md", "---\nsummary: " + "word " * 39_999 + "end\n---\n## A\n\nx\n")
    assert diff_json(run, old, new)["metadata"][0]["field"] == "summary"
    assert run("diff", str(old), str(new), "--color", "never").code == 1
    monkeypatch.setenv("POLICY_DIFF_MAX_FRONT_MATTER", "100000")
    assert_error(run("diff", str(old), str(new)), "characters of YAML")


def test_a_huge_front_matter_list_is_compared_in_linear_time(run: Run, tmp_path: Path) -> None:
    items = [f"m{i}" for i in range(20_000)]
    old = write(tmp_path / "old.md", f"---\ntags: [{', '.join(items)}]\n---\n")
    new = write(tmp_path / "new.md", f"---\ntags: [{', '.join(items[1:] + ['new'])}]\n---\n")
    start = time.monotonic()
    for fmt in ("term", "markdown"):
        result = run("diff", str(old), str(new), "-f", fmt, "--color", "never")
        assert result.code == 1 and "+ new" in result.out
    assert time.monotonic() - start < 20  # `v not in list` both ways took minutes


# ------------------------------------------------------------------ content that tries to act


def _q(text: str) -> str:
    """YAML double-quoted."""
    return '"' + text.encode("unicode_escape").decode("ascii").replace('"', '\\"') + '"'


def _hostile_record(version: str, scope: str, authority: str, wording: str, extra: str) -> str:
    p = PAYLOADS
    return f"""---
policy: evil
version: '{version}'
title: {_q("Title " + ALL)}
effective: 2020-01-0{version}
status: {"superseded" if version == "1" else "in-force"}
issued_by: {_q(ALL)}
{"supersedes: '1'" if version == "2" else ""}
summary: {_q(ALL)}
tags: [{_q(p["CSI"])}, {_q(p["bidi"])}]
provisions:
  scope: [{_q("A " + p["OSC 8 link"])}, {scope}]
  authority: {authority}
  text: {_q(wording)}
  {_q("extra " + p["OSC title"])}: {_q(ALL)}
sources:
  - title: {_q(ALL)}
    url: {_q("javascript:alert(1) " + p["OSC 8 link"])}
{_q("key " + p["CSI"])}: {_q(ALL)}
---
# Title {p["CSI"]} {p["rich markup"]}

Preamble {ALL}

## Scope {p["bidi"]}

{FAKE_TABLE}

Scope text {version} {ALL}

## Heading {p["OSC title"]} {p["rich markup"]} {p["html"]}

<script>alert("block {version}")</script>

<div onclick="x">{p["html"]}</div>

- item {p["CSI"]} {version}
- item {p["OSC 8 link"]} {p["8-bit C1"]}

> quote {p["invisible"]} {version}

```
code {p["controls"]} {version}
```

| a {p["CSI"]} | b {p["html"]} |
|---|---|
| {p["OSC 8 link"]} {version} | {p["separators"]} |

[ref]: javascript:alert(1) "{p["OSC title"]}"

{extra}
"""


MANIFEST = f"""policy: evil
title: {_q(ALL)}
provisions:
  scope:
    label: {_q("Scope " + ALL)}
    kind: set
    all: Worldwide
    section: {_q("Scope " + PAYLOADS["bidi"])}
  authority:
    label: {_q("Authority " + PAYLOADS["OSC 8 link"])}
    kind: scale
    scale: [{_q("P " + PAYLOADS["CSI"])}, {_q("S " + PAYLOADS["OSC title"])}, "C"]
    toward_start: {_q("central " + PAYLOADS["8-bit C1"])}
    toward_end: {_q("delegated " + PAYLOADS["rich markup"])}
  text:
    label: {_q("Text " + PAYLOADS["html"])}
    kind: text
"""
MOVED = "A paragraph long enough to be recognised when it moves " + PAYLOADS["html"]


@pytest.fixture(scope="module")
def evil_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A git repository whose store, commits and author names carry every payload."""
    top = tmp_path_factory.mktemp("evil")
    folder = top / "policies" / "evil"
    write(folder / "policy.yaml", MANIFEST)
    write(folder / "1.md", _hostile_record("1", _q("B " + PAYLOADS["CSI"]),
                                           _q("P " + PAYLOADS["CSI"]), "old " + ALL, MOVED))
    write(folder / "2.md", _hostile_record("2", _q("Worldwide"), '"C"', "new " + ALL + " amended",
                                           f"## Added {PAYLOADS['OSC 8 link']}\n\n{MOVED} edited"))
    env = {**os.environ, "GIT_AUTHOR_NAME": f"Evil {PAYLOADS['OSC title']} [bold]x[/bold]",
           "GIT_AUTHOR_EMAIL": "e@example.com", "GIT_COMMITTER_NAME": "c",
           "GIT_COMMITTER_EMAIL": "c@example.com", "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_CONFIG_GLOBAL": str(top / "gitconfig"),
           "GIT_AUTHOR_DATE": "2020-01-01T00:00:00Z", "GIT_COMMITTER_DATE": "2020-01-01T00:00:00Z"}
    (top / "gitconfig").write_text("")

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=top, env=env, check=True, capture_output=True)

    git("init", "-q")
    git("add", "policies/evil/1.md", "policies/evil/policy.yaml")
    git("commit", "-q", "-m", f"first {PAYLOADS['OSC title']} {PAYLOADS['bidi']} [red]x[/red] <b>")
    git("add", "-A")
    git("commit", "-q", "-m", f"second {PAYLOADS['CSI']} {PAYLOADS['8-bit C1']}")
    return top


TERMINAL_COMMANDS = [
    ["diff", "evil@1", "evil@2"], ["diff", "evil@1", "evil@2", "--side-by-side"],
    ["diff", "evil@1", "evil@2", "--full"], ["diff", "evil@1", "evil@2", "--full", "-y"],
    ["diff", "evil@2"], ["diff", "evil@1", "evil@2", "--ignore-editorial"],
    ["diff", "HEAD~1:policies/evil/1.md", "policies/evil/2.md"],
    ["show", "evil@1"], ["show", "evil@2"], ["log", "evil"],
    ["matrix", "evil"], ["matrix", "evil", "--full"],
    ["blame", "evil@2"], ["blame", "policies/evil/2.md"], ["blame", "evil", "--provision", "text"],
    ["blame", "evil", "--provision", "scope"],
    ["history", "policies/evil/2.md"], ["history", "evil", "--patch"],
    ["changes", "HEAD~1"],
]


@pytest.mark.parametrize("command", TERMINAL_COMMANDS, ids=" ".join)
def test_record_content_never_acts_on_the_terminal(run: Run, evil_repo: Path, command: list[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(evil_repo)
    pager = ["--no-pager"] if command[0] != "changes" else []
    for color in ("always", "never"):
        result = run(*command, "--color", color, *pager)
        assert result.code in (0, 1), result.err
        assert_inert_terminal(result.out + result.err)
        if color == "never":
            assert "\x1b" not in result.out
    assert "[bold red]RICH[/bold red]" in result.out or command[0] in ("log", "history", "changes")


def test_validate_and_errors_print_record_text_inert(run: Run, evil_repo: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(evil_repo)
    result = run("validate")
    assert result.code == 1 and "\\x1b]0;TITLE\\x07" in result.out
    assert_inert_terminal(result.out + result.err)
    for ref in ("evil@\x1b]0;T\x07", "\x1b[2J\u202e@1", "evil@1\n2"):
        assert_inert_terminal(assert_error(run("diff", ref, "evil@1")))


@pytest.mark.parametrize("command", [
    ["diff", "evil@1", "evil@2", "-f", "html"], ["diff", "evil@1", "evil@2", "-f", "html", "--full"],
    ["matrix", "evil", "-f", "html"], ["matrix", "evil", "-f", "html", "--full"],
], ids=" ".join)
def test_the_html_report_carries_no_live_tag_from_a_record(run: Run, evil_repo: Path,
                                                          command: list[str],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(evil_repo)
    page = run(*command).out
    assert_no_live_html(page)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.mark.parametrize("command", [
    ["diff", "evil@1", "evil@2", "-f", "markdown"], ["diff", "evil@1", "evil@2", "-f", "markdown",
                                                     "--full"],
    ["matrix", "evil", "-f", "markdown"], ["changes", "HEAD~1", "-f", "markdown"],
], ids=" ".join)
def test_the_markdown_report_renders_no_tag_link_or_table_from_a_record(
        run: Run, evil_repo: Path, command: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(evil_repo)
    text = run(*command).out
    page = markdown_as_html(text)
    assert_no_live_html(page)
    assert "<a " not in page and "<img" not in page
    if command[0] == "diff":  # key provisions and metadata are ours; a record's table is
        head = page.split("<h2>Sections</h2>")[0]  # drawn in its section, never up there
        assert head.count("<table>") == 2 and "<td><strong>NARROWED</strong>" not in head


@pytest.mark.parametrize("command", [
    ["diff", "evil@1", "evil@2", "-f", "json"], ["matrix", "evil", "-f", "json"],
    ["blame", "evil@2", "-f", "json"], ["blame", "evil", "--provision", "text", "-f", "json"],
    ["history", "evil", "--patch", "-f", "json"], ["changes", "HEAD~1", "-f", "json"],
], ids=" ".join)
def test_json_keeps_the_data_but_writes_acting_characters_as_escapes(
        run: Run, evil_repo: Path, command: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(evil_repo)
    out = run(*command).out
    assert UNSAFE.search(out) is None
    assert "\\u202e" in out and "\\u001b" in out
    data = json.dumps(json.loads(out), ensure_ascii=False)
    assert "\u202e" in data  # the value itself is kept exactly


def test_the_git_diff_driver_keeps_record_text_inert(evil_repo: Path,
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    from policy_diff import gitdriver

    monkeypatch.chdir(evil_repo)
    old, new = evil_repo / "policies/evil/1.md", evil_repo / "policies/evil/2.md"
    for broken in (False, True):
        if broken:  # a record that cannot be parsed falls back to a plain line diff
            bad = evil_repo / "broken.md"
            bad.write_bytes(b"---\nx: [\n---\n" + new.read_bytes())
            new = bad
        for color in ("1", ""):
            monkeypatch.setenv("FORCE_COLOR", color)
            gitdriver.main(["policies/evil/2.md", str(old), "1" * 40, "100644", str(new),
                            "2" * 40, "100644"])
            assert_inert_terminal(capsys.readouterr().out)


# ------------------------------------------------------------------ names and refs


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the corpus store in a fresh folder, the current folder."""
    import shutil

    shutil.copytree(CORPUS, tmp_path / "policies")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "policies"


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.mark.parametrize("ref", [
    "../../etc/passwd@x", "us-apl@../../etc/passwd", "/etc/passwd@1", "us apl", "ús-apl",
    "us-apl@latest@x", "@", "-- :x", "HEAD:../../etc/passwd", "HEAD:/etc/passwd",
    "HEAD~999:policies/x.md", "x" * 5000, "us-apl@" + "v" * 5000, "us-apl\n@x",
    "us-apl@\x1b]0;t\x07", "../policies/us-apl",
])
def test_refs_that_reach_for_other_files_are_one_error(run: Run, store: Path, ref: str) -> None:
    line = assert_error(run("diff", ref, "us-apl"))
    assert_inert_terminal(line)


@pytest.mark.parametrize("args", [
    ["diff", "-us-apl", "us-apl"], ["diff", "--output=x", "us-apl"],
    ["diff", "--upload-pack=x:y", "us-apl"], ["diff", "us-apl", "--exec=x"],
    ["history", "us-apl", "--since", "--all"], ["changes", "--all"], ["validate", "-x"],
    ["log", "/etc"], ["log", "../us-apl"], ["matrix", ".."], ["matrix", "/etc"],
    ["blame", "us-apl", "--provision", "../x"], ["history", "/etc/passwd"],
    ["show", "us-apl@" + "é" * 300],
], ids=lambda a: " ".join(a)[:40])
def test_names_that_look_like_options_or_paths_are_one_error(run: Run, store: Path,
                                                            args: list[str]) -> None:
    assert_error(run(*args))
    assert not (store.parent / "x").exists()


@pytest.mark.parametrize("policy, version", [
    ("../x", "v1"), ("/tmp", "v1"), ("..", "v1"), (".", "v1"), ("", "v1"), ("us-apl/..", "v1"),
    ("us-apl", "../x"), ("us-apl", "/tmp/x"), ("us-apl", "x/y"), ("us-apl", ".."),
    ("us-apl", "a b"), ("us-apl", "é"), ("us-apl", "v\n"), ("us-apl", "-x"), ("us-apl", "x" * 300),
])
def test_new_never_writes_outside_the_store(run: Run, store: Path, policy: str,
                                           version: str) -> None:
    before = _files(store.parent)
    assert_error(run("new", policy, f"--version={version}", "--effective", "2030-01-01"))
    assert _files(store.parent) == before


def test_new_from_an_unreadable_version_is_one_error(run: Run, store: Path) -> None:
    (store / "us-apl" / "bad.md").write_bytes(b"---\npolicy: us-apl\nversion: bad\n---\n\xff\n")
    assert_error(run("new", "us-apl", "--version", "v9", "--from", "bad"), "bad.md:5:", "UTF-8")
    assert not (store / "us-apl" / "v9.md").exists()


@pytest.mark.parametrize("link", ["record", "manifest", "policy folder"])
def test_store_symlinks_that_lead_outside_are_never_followed(run: Run, store: Path,
                                                            tmp_path: Path, link: str) -> None:
    """A repository can commit a link to ~/.ssh or /proc/self/environ; CI must not print it."""
    secret = write(tmp_path / "outside" / "secret.md", "---\ntitle: SECRET\n---\nSECRET\n")
    (tmp_path / "outside" / "policy.yaml").write_text("policy: ext\ntitle: SECRET\n")
    if link == "record":
        (store / "us-apl" / "2099-01-01.md").symlink_to(secret)
        refs = ["us-apl@2099", "us-apl"]
    elif link == "manifest":
        (store / "us-apl" / "policy.yaml").unlink()
        (store / "us-apl" / "policy.yaml").symlink_to(tmp_path / "outside" / "policy.yaml")
        refs = ["us-apl"]
    else:
        (store / "ext").symlink_to(tmp_path / "outside", target_is_directory=True)
        refs = ["ext@secret", "ext"]
    policy = refs[-1].split("@")[0]
    commands = [["diff", refs[0], "us-apl@first"], ["show", refs[-1]], ["log", policy],
                ["matrix", policy], ["blame", refs[0]]]
    for command in commands:
        result = run(*command, "--no-pager")
        assert "SECRET" not in result.out + result.err
        if link != "manifest" or command[0] in ("show", "matrix"):
            assert_error(result, "symbolic link to outside the store")
    result = run("validate")
    assert result.code == 1 and "symbolic link to outside the store" in result.out
    assert "SECRET" not in result.out + result.err
    before = _files(tmp_path / "outside")
    if link == "policy folder":
        assert_error(run("new", "ext", "--version", "v2"), "symbolic link")
    assert _files(tmp_path / "outside") == before


def test_a_symlink_inside_the_store_is_followed(run: Run, store: Path) -> None:
    (store / "us-apl" / "current.md").symlink_to("2025-12-02.md")
    assert run("diff", "us-apl@2025-12-02", "us-apl@current", "-f", "json").code == 0


def test_a_name_too_long_for_the_file_system_is_one_error(run: Run, store: Path) -> None:
    for args in (["diff", "x" * 5000, "us-apl"], ["show", "y" * 5000], ["validate", "z" * 5000],
                 ["diff", "us-apl@first", "us-apl", "-f", "json", "-o", "o" * 5000]):
        assert_error(run(*args))


# ------------------------------------------------------------------ nothing lost


@pytest.mark.parametrize("target", ["folder", "device", "dangling link", "link to a file",
                                    "file", "missing folder"])
def test_o_writes_only_a_new_file_or_with_force_a_regular_one(run: Run, store: Path,
                                                             tmp_path: Path, target: str) -> None:
    keep = write(tmp_path / "keep.txt", "mine\n")
    paths = {"folder": tmp_path / "dir", "device": Path(os.devnull),
             "dangling link": tmp_path / "dangling", "link to a file": tmp_path / "link",
             "file": keep, "missing folder": tmp_path / "nowhere" / "r.html"}
    (tmp_path / "dir").mkdir()
    (tmp_path / "dangling").symlink_to(tmp_path / "nothing-here")
    (tmp_path / "link").symlink_to(keep)
    path = paths[target]
    command = ["diff", "us-apl@first", "us-apl", "-f", "html", "-o", str(path)]
    assert_error(run(*command))
    assert keep.read_text() == "mine\n" and not (tmp_path / "nothing-here").exists()
    forced = run(*command, "--force")
    if target in ("folder", "device", "missing folder"):
        assert_error(forced)
        assert Path(os.devnull).is_char_device() and (tmp_path / "dir").is_dir()
    else:  # replaces the name, never writes through a link into its target
        assert forced.code == 1 and path.is_file() and not path.is_symlink()
        assert target == "file" or keep.read_text() == "mine\n"
        assert "<!DOCTYPE html>" in path.read_text()
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []


def test_o_gives_a_new_report_the_usual_mode_and_keeps_a_replaced_ones(
        run: Run, store: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    previous = os.umask(0o022)
    try:
        assert run("diff", "us-apl@first", "us-apl", "-f", "html", "-o", str(out)).code == 1
        assert out.stat().st_mode & 0o777 == 0o644  # not mkstemp's 0600
        out.chmod(0o640)
        assert run("diff", "us-apl@first", "us-apl", "-f", "html", "-o", str(out),
                   "--force").code == 1
        assert out.stat().st_mode & 0o777 == 0o640
    finally:
        os.umask(previous)


def test_o_on_a_file_system_without_hard_links_still_never_overwrites(
        run: Run, store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from policy_diff.source import files

    def no_links(source: str, target: Any) -> None:
        raise OSError(1, "Operation not permitted")

    monkeypatch.setattr(files.os, "link", no_links)
    out = tmp_path / "r.json"
    assert run("diff", "us-apl@first", "us-apl", "-f", "json", "-o", str(out)).code == 1
    assert json.loads(out.read_text())["format"] == "policy-diff/2"
    out.write_text("mine")
    assert_error(run("diff", "us-apl@first", "us-apl", "-f", "json", "-o", str(out)))
    assert out.read_text() == "mine"


@pytest.fixture
def git_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    import shutil

    (tmp_path / "gitconfig").write_text("")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        monkeypatch.delenv(name, raising=False)
    top = tmp_path / "repo"
    subprocess.run(["git", "init", "-q", str(top)], check=True)
    shutil.copytree(CORPUS, top / "policies")
    monkeypatch.chdir(top)
    return top


def test_hooks_round_trip_a_foreign_hook_that_is_a_symlink(git_repo: Path) -> None:
    shared = git_repo.parent / "shared-hook"
    shared.write_bytes(b"#!/bin/sh\n# shared \xff\xfe not UTF-8\nexit 0\n")
    shared.chmod(0o755)
    hook = git_repo / ".git/hooks/pre-commit"
    hook.symlink_to(shared)
    hooks.install(git_repo)
    assert shared.read_bytes().startswith(b"#!/bin/sh\n# shared")  # the target untouched
    hooks.uninstall(git_repo)
    assert hook.is_symlink() and os.readlink(hook) == str(shared)
    assert shared.read_bytes() == b"#!/bin/sh\n# shared \xff\xfe not UTF-8\nexit 0\n"


def test_hooks_round_trip_a_gitattributes_with_crlf_and_odd_bytes(git_repo: Path) -> None:
    original = b"*.png binary\r\n# caf\xe9 latin-1\r\n*.md text"
    (git_repo / ".gitattributes").write_bytes(original)
    hooks.install(git_repo)
    assert (git_repo / ".gitattributes").read_bytes().startswith(original + b"\r\n")
    hooks.uninstall(git_repo)
    assert (git_repo / ".gitattributes").read_bytes() == original  # no newline added


def test_hooks_never_write_through_a_gitattributes_link_out_of_the_repo(git_repo: Path) -> None:
    victim = git_repo.parent / "bashrc"
    victim.write_bytes(b"export PATH=~/bin:$PATH\n")
    (git_repo / ".gitattributes").symlink_to(victim)
    with pytest.raises(PolicyDiffError, match="outside the repository"):
        hooks.install(git_repo)
    assert victim.read_bytes() == b"export PATH=~/bin:$PATH\n"
    assert not (git_repo / ".git/hooks/pre-commit").exists()  # refused before anything


def test_a_plain_diff_of_pathological_lines_is_bounded(tmp_path: Path) -> None:
    """The driver's fallback for unreadable records: difflib is cubic on such lines."""
    from policy_diff.gitdriver import PLAIN_DIFF_MAX_LINES, plain_diff

    many = PLAIN_DIFF_MAX_LINES + 1
    old = "".join(f"line {i % 150}\n" for i in range(many)).encode()
    new = "".join(f"line {i % 151}\n" for i in range(many)).encode()
    start = time.monotonic()
    out = plain_diff("p.md", "p.md", old, new, "a", "b")
    assert "too many for a plain diff" in out and time.monotonic() - start < 1


# ------------------------------------------------------------------ properties


HOSTILE_CHARS = "\x1b\x07\x9b\x9d\x00\r\u202e\u2066\u200b\u2028\ufeff\u00ad\U000e0041é中"
MARKDOWN_CHARS = "#>-*+_=`~|[]()!<>:.\\\"' \t\n0123456789"
text_pieces = st.text(alphabet=st.sampled_from(list("abc xyz" + HOSTILE_CHARS + MARKDOWN_CHARS)),
                      max_size=40)
words = st.lists(st.sampled_from(list("abcdefgh ") + ["é", "\x1b[1m", "\u202e", "<b>", "[i]"]),
                 min_size=1, max_size=12).map("".join)


@st.composite
def markdown_fragment(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["heading", "para", "list", "quote", "fence", "table", "html",
                                 "definition", "setext", "indented", "raw"]))
    text = draw(words)
    depth = draw(st.integers(1, 6))
    return {
        "heading": f"{'#' * depth} {text}",
        "para": f"{text}\n{draw(words)}",
        "list": "\n".join(f"{'  ' * i}- {draw(words)}" for i in range(depth)),
        "quote": f"{'>' * depth} {text}",
        "fence": f"```{draw(words)}\n{text}\n## not a heading\n```",
        "table": f"| {text} | b |\n|---|---|\n| {draw(words)} | c |",
        "html": f"<div>\n{text}\n</div>",
        "definition": f"[{text}]: http://example.com/{depth}",
        "setext": f"{text}\n{'=-'[depth % 2] * 3}",
        "indented": f"    {text}",
        "raw": draw(text_pieces),
    }[kind]


yaml_scalars = st.one_of(words, st.booleans(), st.none(), text_pieces)
yaml_values = st.recursive(yaml_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(words, inner, max_size=3)), max_leaves=6)


@st.composite
def front_matter(draw: st.DrawFn) -> str:
    import yaml

    kind = draw(st.sampled_from(["none", "mapping", "broken", "provisions"]))
    if kind == "none":
        return ""
    if kind == "broken":
        return f"---\n{draw(text_pieces)}\n---\n"
    data: dict[str, Any] = draw(st.dictionaries(words, yaml_values, max_size=4))
    if kind == "provisions":
        data["provisions"] = draw(st.dictionaries(
            st.sampled_from(["scope", "authority", "text"]),
            st.one_of(words, st.lists(words, max_size=4)), max_size=3))
    return "---\n" + yaml.safe_dump(data, allow_unicode=True) + "---\n"


@st.composite
def record_pair(draw: st.DrawFn) -> tuple[str, str]:
    """A document and an edited copy: fragments changed, inserted, deleted and moved."""
    fragments = draw(st.lists(markdown_fragment(), max_size=10))
    old = list(fragments)
    new = list(fragments)
    for _ in range(draw(st.integers(0, 5))):
        action = draw(st.sampled_from(["edit", "insert", "delete", "move"]))
        if action == "insert" or not new:
            new.insert(draw(st.integers(0, len(new))), draw(markdown_fragment()))
            continue
        k = draw(st.integers(0, len(new) - 1))
        if action == "edit":
            new[k] = new[k] + draw(words)
        elif action == "delete":
            del new[k]
        else:
            new.insert(draw(st.integers(0, len(new) - 1)), new.pop(k))
    front = draw(front_matter())
    new_front = front if draw(st.booleans()) else draw(front_matter())
    return front + "\n\n".join(old) + "\n", new_front + "\n\n".join(new) + "\n"


def _pipeline(old_bytes: bytes, new_bytes: bytes, color: str, side_by_side: bool) -> None:
    """What the CLI does with two files; only PolicyDiffError may escape."""
    try:
        a = parse(decode(old_bytes, "old.md"), "old.md", lenient=True)
        b = parse(decode(new_bytes, "new.md"), "new.md", lenient=True)
    except PolicyDiffError:
        return
    old, new = Side("old.md", "old.md", None, None, a), Side("new.md", "new.md", None, None, b)
    assert compare(old, old).identical and compare(new, new).identical
    result = compare(old, new)
    text = to_json(result)
    assert text == to_json(compare(old, new)), "the same inputs gave different JSON"
    check_diff(json.loads(text), a, b)
    assert UNSAFE.search(text) is None
    parts = render_diff(result, color == "never", 1, False, side_by_side)
    assert_inert_terminal(render(parts, 80, colour=color == "always"))
    assert_no_live_html(to_html(result))
    assert_no_live_html(markdown_as_html(to_markdown(result)))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(record_pair(), st.sampled_from(["always", "never"]), st.booleans())
def test_any_records_and_edits_keep_every_promise(pair: tuple[str, str], color: str,
                                                  side_by_side: bool) -> None:
    _pipeline(pair[0].encode("utf-8", "surrogatepass"), pair[1].encode("utf-8", "surrogatepass"),
              color, side_by_side)


@settings(max_examples=120, deadline=None)
@given(st.binary(max_size=300), st.binary(max_size=300), st.sampled_from(["always", "never"]))
def test_any_bytes_are_a_diff_or_a_policy_diff_error(old: bytes, new: bytes, color: str) -> None:
    _pipeline(old, new, color, False)


@settings(max_examples=80, deadline=None)
@given(st.text(max_size=200), st.sampled_from(list(PAYLOADS.values())), st.booleans())
def test_any_text_with_a_payload_is_inert_everywhere(text: str, payload: str,
                                                     side_by_side: bool) -> None:
    old = f"## A\n\n{text}\n\nsame\n"
    new = f"## A {payload}\n\n{text} {payload}\n\n{payload}\n\nsame\n"
    _pipeline(old.encode("utf-8", "surrogatepass"), new.encode("utf-8", "surrogatepass"),
              "always", side_by_side)
