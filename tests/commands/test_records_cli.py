"""`show` and `log` on the bundled corpus, errors, terminal safety, and the module entry point."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from conftest import CORPUS, REPO, record, write
from policy_diff.parse.document import parse
from policy_diff.source.store import Store
from policy_diff.source.manifests import load_manifest

ANSI_SGR = re.compile(r"\x1b\[[0-9;]*m")  # the colour codes rich itself writes


@pytest.fixture
def in_repo(monkeypatch):
    monkeypatch.chdir(REPO)


def corpus_record(version: str):
    return parse((CORPUS / "us-apl" / f"{version}.md").read_text(encoding="utf-8"))


def versions_oldest_first() -> list[str]:
    return [e.version for e in Store(CORPUS).versions("us-apl")]


def flat(text: str) -> str:
    """Output with line wrapping undone, so a long title can be looked for as one string."""
    return " ".join(text.split())


def test_show_a_version_by_prefix(in_repo, run):
    result = run("show", "us-apl@2022", "--no-pager", "--color", "never")
    assert result.code == 0 and result.err == ""
    doc = corpus_record("2022-06-21")
    assert result.out.startswith(doc.title)
    out = flat(result.out)
    assert "Version 2022-06-21" in out and "Status superseded" in out
    assert "Key provisions" in out
    manifest = load_manifest(CORPUS / "us-apl" / "policy.yaml")
    for provision_id in doc.front["provisions"]:
        assert manifest.spec(provision_id).label in out
    for section in doc.sections:
        assert section.heading in out
    assert "Korean Peninsula" in out


def test_show_latest_is_the_newest_version(in_repo, run):
    latest = versions_oldest_first()[-1]
    result = run("show", "us-apl@latest", "--no-pager", "--color", "never")
    assert result.code == 0
    assert f"Version {latest}" in flat(result.out)
    assert result.out.startswith(corpus_record(latest).title)


def test_log_lists_every_version_newest_first(in_repo, run):
    result = run("log", "us-apl", "--no-pager", "--color", "never")
    assert result.code == 0 and result.err == ""
    versions = versions_oldest_first()
    listed = re.findall(r"^(\d{4}-\d{2}-\d{2})  [a-z-]+  ", result.out, re.MULTILINE)
    assert listed == versions[::-1]
    assert "in-force" in result.out and "superseded" in result.out


def test_show_an_unknown_version_is_an_error_naming_the_nearest(in_repo, run):
    result = run("show", "us-apl@1999")
    assert (result.code, result.out) == (2, "")
    assert result.err.startswith("policy-diff: error:")
    assert "1998-05-15" in result.err
    assert len(result.err.strip().splitlines()) == 1


def test_show_an_unknown_policy_is_an_error_naming_the_nearest(in_repo, run):
    result = run("log", "us-alp")
    assert (result.code, result.out) == (2, "")
    assert "us-apl" in result.err


def test_log_of_a_plain_file_is_an_error_not_a_traceback(in_repo, run):
    result = run("log", "README.md")
    assert (result.code, result.out) == (2, "")


# Untrusted record text reaches the terminal inert --------------------------------------------

HOSTILE = {
    "title": "Evil \x1b]0;owned\x07 [bold]title[/bold]",
    "paragraph": ("Click \x1b]8;;https://evil.example\x1b\\here\x1b]8;;\x1b\\ "
                  "then \x1b[2J [red]x[/red]"),
    "provision": "\x1b[5mblink\x1b[0m and \u202eevil",
}


@pytest.fixture
def hostile_record(tmp_path, monkeypatch):
    body = f"# {HOSTILE['title']}\n\n## Scope\n{HOSTILE['paragraph']}\n"
    extra = f'provisions:\n  scope: "{HOSTILE["provision"]}"\n'.replace("\x1b", "\\e")
    path = write(tmp_path / "policies" / "demo" / "v1.md", record(extra=extra, body=body))
    monkeypatch.chdir(tmp_path)
    return path


def test_show_prints_escape_sequences_and_markup_from_a_record_inert(hostile_record, run):
    result = run("show", "demo@v1", "--color", "always", "--no-pager")
    assert result.code == 0
    assert "\x1b[" in result.out, "--color always should style the output"
    visible = ANSI_SGR.sub("", result.out)
    assert "\x1b" not in visible and "\x07" not in visible and "\u202e" not in visible
    assert "\x1b[5m" not in result.out and "\x1b[2J" not in result.out
    assert "[bold]title[/bold]" in visible and "[red]x[/red]" in visible
    assert "\\x1b[2J" in visible and "⟨U+202E⟩" in visible  # shown, not obeyed, not hidden


def test_show_without_colour_writes_no_escape_at_all(hostile_record, run):
    result = run("show", str(hostile_record), "--color", "never", "--no-pager")
    assert result.code == 0
    assert "\x1b" not in result.out and "[bold]title[/bold]" in result.out


def test_show_an_invalid_record_still_shows_it(tmp_path, monkeypatch, run):
    path = write(tmp_path / "bad.md", "---\ntitle: [not, a, string]\nversion: no\n---\nText.\n")
    monkeypatch.chdir(tmp_path)
    result = run("show", str(path), "--color", "never", "--no-pager")
    assert result.code == 0
    assert "not, a, string" in result.out and "Text." in result.out


def test_show_a_record_with_bad_yaml_is_an_error_naming_the_line(tmp_path, monkeypatch, run):
    path = write(tmp_path / "bad.md", "---\npolicy: a\ntitle: a: b\n---\nText.\n")
    monkeypatch.chdir(tmp_path)
    result = run("show", str(path))
    assert (result.code, result.out) == (2, "")
    assert result.err.startswith(f"policy-diff: error: {path.name}:3: invalid YAML")


# The module entry point, for real ------------------------------------------------------------

def test_python_dash_m_runs_the_cli():
    env = {k: v for k, v in os.environ.items() if k not in ("POLICY_DIFF_STORE", "NO_COLOR")}
    env["COLUMNS"] = "100"
    shown = subprocess.run([sys.executable, "-m", "policy_diff", "show", "us-apl@2022",
                            "--no-pager", "--color", "never"],
                           cwd=REPO, env=env, capture_output=True, text=True, timeout=60)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.startswith(corpus_record("2022-06-21").title)
    missing = subprocess.run([sys.executable, "-m", "policy_diff", "show", "us-apl@1999"],
                             cwd=REPO, env=env, capture_output=True, text=True, timeout=60)
    assert (missing.returncode, missing.stdout) == (2, "")
    assert missing.stderr.startswith("policy-diff: error:") and "Traceback" not in missing.stderr
