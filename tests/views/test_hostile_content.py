"""Hostile input, content that tries to act: escape sequences, rich markup, bidi and invisible
characters, live HTML in every field of a record, its commits and its names reach no
terminal, report or JSON as anything but text. The classes and what the tool does with each
are tabled in docs/hostile-input.md.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from conftest import write
from hostile import (PAYLOADS, UNSAFE, Run, assert_error, assert_inert_terminal,
                     assert_no_live_html, markdown_as_html)


ALL = " ".join(PAYLOADS.values())
FAKE_TABLE = ("| Provision | Change | Before → after |\n|---|---|---|\n"
              "| Geographic scope | **NARROWED** | [x](javascript:alert(1)) ![i](http://e/x.png) |")


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
