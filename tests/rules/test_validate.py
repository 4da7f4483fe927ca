"""`policy-diff validate` (record-format §1, §3, §4): every broken rule reported once, located."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Callable, NamedTuple

import pytest

from conftest import CORPUS, REPO, line_of, write

MANIFEST = """\
policy: demo
title: Demo policy
provisions:
  scope:
    kind: set
    all: Everywhere
    section: Scope
  authority:
    kind: scale
    scale: [Chief, Deputy, Clerk]
    section: Authority
  wording:
    kind: text
    section: Wording
"""

BODY = "# Demo policy\n\n## Scope\nEveryone.\n\n## Authority\nThe chief.\n\n## Wording\nWords.\n"


def demo(version: str, policy: str = "demo") -> str:
    """A record that breaks no rule of the demo manifest."""
    return f"""\
---
policy: {policy}
version: {version}
title: Demo policy
effective: 2020-01-01
status: in-force
issued_by: The Board
provisions:
  scope: [Everywhere]
  authority: Chief
  wording: Some words.
sources:
  - title: Board minutes
    publisher: The Board
    date: 2020-01-01
---
{BODY}"""


def edit(old: str, new: str) -> Callable[[str], str]:
    def apply(text: str) -> str:
        assert text.count(old) == 1, old
        return text.replace(old, new)
    return apply


def add(line: str) -> Callable[[str], str]:
    return edit("issued_by: The Board\n", f"issued_by: The Board\n{line}\n")


def keep(text: str) -> str:
    return text


class Case(NamedTuple):
    stem: str
    change: Callable[[str], str]
    expected: list[tuple[str | int, str]]  # (line: the start of the line, or its number; message)
    folder: str = "demo"
    severity: str = "error"


CASES = [
    Case("good", keep, []),
    Case("missing-key", edit("title: Demo policy\n", ""), [(2, "missing required key 'title'")]),
    Case("wrong-type", edit("title: Demo policy", "title: [Demo, policy]"),
         [("title:", "title must be a string, not a list")]),
    Case("Bad_Slug", keep, [("policy:", "policy 'Bad_Slug' must be a slug")], folder="Bad_Slug"),
    Case("v 1", keep, [("version:", "version 'v 1' must be letters, digits")]),
    Case("impossible-date", edit("effective: 2020-01-01", "effective: 2023-02-30"),
         [("effective:", "effective '2023-02-30' is not a real calendar date")]),
    Case("date-form", edit("effective: 2020-01-01", "effective: 03/02/2023"),
         [("effective:", "is not a date in the form YYYY-MM-DD")]),
    Case("bad-status", edit("status: in-force", "status: active"),
         [("status:", "status 'active' is not one of")]),
    Case("other-folder", edit("policy: demo", "policy: other"),
         [("policy:", "policy 'other' does not match its folder 'demo'")]),
    Case("stem", edit("version: stem", "version: not-stem"),
         [("version:", "version 'not-stem' does not match the file name 'stem'")]),
    Case("dup-a", keep, []),
    # In a store a version equals its file stem, so a duplicate also breaks that rule.
    Case("dup-b", edit("version: dup-b", "version: dup-a"),
         [("version:", "does not match the file name 'dup-b'"),
          ("version:", "version 'dup-a' is also used by policies/demo/dup-a.md")]),
    Case("dangling", add("supersedes: nowhere"),
         [("supersedes:", "supersedes 'nowhere', which is not a version of this policy")]),
    Case("loop-a", add("supersedes: loop-b"), [("supersedes:", "loops back on itself")]),
    Case("loop-b", add("supersedes: loop-a"), []),       # one loop, one report
    # Leads into the loop, is not in it (no second loop report); but loop-b comes after it in
    # the store's order (same date, then by version), so it does not supersede an earlier one.
    Case("into-loop", add("supersedes: loop-b"),
         [("supersedes:", "supersedes 'loop-b', which is not an earlier version")]),
    Case("self", add("supersedes: self"), [("supersedes:", "supersedes itself ('self')")]),
    Case("later", add("supersedes: wrong-type"),
         [("supersedes:", "supersedes 'wrong-type', which is not an earlier version")]),
    Case("set-kind", edit("scope: [Everywhere]", "scope: Everywhere"),
         [("  scope:", "provision 'scope': a set provision takes a list of strings")]),
    Case("off-scale", edit("authority: Chief", "authority: Boss"),
         [("  authority:", "provision 'authority': 'Boss' is not on the scale")]),
    Case("unknown-provision", edit("  wording: Some words.\n", "  wording: W.\n  extra: x\n"),
         [("  extra:", "provision 'extra' is not in the manifest")]),
    Case("unquoted-no", edit("issued_by: The Board", "issued_by: no"),
         [("issued_by:", "issued_by: unquoted 'no' is a boolean in YAML 1.1")]),
    Case("provision-off", edit("wording: Some words.", "wording: off"),
         [("  wording:", "provision 'wording': unquoted 'off' is a boolean in YAML 1.1")]),
    Case("yaml-syntax", edit("title: Demo policy", "title: Demo: policy"),
         [("title:", "invalid YAML")]),
    Case("after-broken", add("supersedes: yaml-syntax"), []),  # its target is reported already
    Case("untitled-source", edit("  - title: Board minutes\n    publisher", "  - publisher"),
         [("  - publisher:", "source without a title")]),
    Case("no-section", edit("## Wording\nWords.\n", ""),
         [("# Demo policy", "section 'Wording' (provision wording) is missing from the body")],
         severity="warning"),
]


def case_text(case: Case) -> str:
    return case.change(demo(case.stem, policy=case.folder))


def case_path(case: Case) -> str:
    return f"policies/{case.folder}/{case.stem}.md"


@pytest.fixture
def broken_store(tmp_path, monkeypatch) -> Path:
    root = tmp_path / "policies"
    write(root / "demo" / "policy.yaml", MANIFEST)
    for case in CASES:
        write(root / case.folder / f"{case.stem}.md", case_text(case))
    monkeypatch.chdir(tmp_path)
    return root


@pytest.fixture
def problems(broken_store, run) -> list[dict]:
    result = run("validate", "--format", "json")
    assert result.code == 1
    return json.loads(result.out)


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_each_broken_rule_is_reported_once_at_its_line(problems, case):
    text = case_text(case)
    found = [p for p in problems if p["path"] == case_path(case)]
    assert len(found) == len(case.expected), found
    for where, message in case.expected:
        line = where if isinstance(where, int) else line_of(text, where)
        hits = [p for p in found if message in p["message"]]
        assert len(hits) == 1, (message, found)
        assert hits[0]["line"] == line
        assert hits[0]["severity"] == case.severity


def test_json_problems_have_exactly_the_documented_fields(problems):
    assert problems and all(set(p) == {"path", "line", "severity", "message"} for p in problems)
    assert {p["severity"] for p in problems} == {"error", "warning"}


def test_no_problem_is_reported_twice(problems):
    keys = [(p["path"], p["line"], p["message"]) for p in problems]
    assert len(keys) == len(set(keys))


def test_text_output_is_one_path_line_message_per_problem(broken_store, problems, run):
    result = run("validate")
    assert result.code == 1
    lines = result.out.splitlines()
    assert len(lines) == len(problems)
    for problem in problems:
        prefix = "warning: " if problem["severity"] == "warning" else ""
        expected = f"{problem['path']}:{problem['line']}: {prefix}{problem['message']}"
        assert lines.count(expected) == 1
    errors = sum(p["severity"] == "error" for p in problems)
    assert f"{errors} error(s), 1 warning(s)" in result.err


def test_validating_one_file_reports_only_that_file(broken_store, run):
    result = run("validate", "--format", "json", "policies/demo/bad-status.md")
    assert result.code == 1
    assert {p["path"] for p in json.loads(result.out)} == {"policies/demo/bad-status.md"}


def test_validating_a_clean_file_in_the_store_passes(broken_store, run):
    result = run("validate", "policies/demo/good.md")
    assert (result.code, result.out.strip()) == (0, "all records valid")


def test_warnings_alone_exit_0(tmp_path, monkeypatch, run):
    case = next(c for c in CASES if c.severity == "warning")
    write(tmp_path / "policies" / "demo" / "policy.yaml", MANIFEST)
    write(tmp_path / "policies" / "demo" / f"{case.stem}.md", case_text(case))
    monkeypatch.chdir(tmp_path)
    result = run("validate")
    assert result.code == 0
    assert "warning: section 'Wording'" in result.out


def test_a_markdown_file_without_front_matter_is_not_a_record(tmp_path, run):
    path = write(tmp_path / "memo.md", "# Memo\n\nText.\n")
    result = run("validate", "--format", "json", str(path))
    assert result.code == 1
    (problem,) = json.loads(result.out)
    assert problem["line"] == 1 and "no front matter" in problem["message"]


# Manifests ----------------------------------------------------------------------------------

BAD_MANIFEST = """\
policy: demo
provisions:
  bad_kind:
    kind: list
  no_scale:
    label: Authority
    kind: scale
  flat_scale:
    kind: scale
    scale: Chief
  label_list:
    label: [a, b]
"""


@pytest.mark.parametrize("start, message", [
    ("    kind: list", "provision 'bad_kind': kind 'list' is not one of text, set, scale"),
    ("    kind: scale", "provision 'no_scale': a scale needs `scale:` as a list of strings"),
    ("    scale: Chief", "provision 'flat_scale': a scale needs `scale:` as a list of strings"),
    ("    label: [a, b]", "provision 'label_list': label must be a string"),
])
def test_manifest_problems_are_located(tmp_path, monkeypatch, run, start, message):
    write(tmp_path / "policies" / "demo" / "policy.yaml", BAD_MANIFEST)
    monkeypatch.chdir(tmp_path)
    result = run("validate", "--format", "json")
    assert result.code == 1
    found = json.loads(result.out)
    assert len(found) == 4
    (hit,) = [p for p in found if p["message"] == message]
    assert hit["path"] == "policies/demo/policy.yaml"
    assert hit["line"] == line_of(BAD_MANIFEST, start)


def test_a_manifest_for_another_folder_is_an_error(tmp_path, monkeypatch, run):
    write(tmp_path / "policies" / "elsewhere" / "policy.yaml", MANIFEST)
    monkeypatch.chdir(tmp_path)
    result = run("validate", "--format", "json")
    (problem,) = json.loads(result.out)
    assert problem["line"] == 1 and "does not match its folder 'elsewhere'" in problem["message"]


def test_a_manifest_yaml_error_is_located(tmp_path, monkeypatch, run):
    write(tmp_path / "policies" / "demo" / "policy.yaml", MANIFEST + "policy: again\n")
    monkeypatch.chdir(tmp_path)
    (problem,) = json.loads(run("validate", "--format", "json").out)
    assert problem["line"] == MANIFEST.count("\n") + 1
    assert "duplicate key 'policy'" in problem["message"]


# The bundled corpus and errors --------------------------------------------------------------

def test_the_bundled_policies_are_valid(monkeypatch, run):
    monkeypatch.chdir(REPO)
    result = run("validate")
    # One warning to check by eye: the June 2014 record rewrites its Geographic Scope section
    # (to say that the announcement left the scope as it was) under the same value.
    assert (result.code, result.err) == (0, "0 error(s), 1 warning(s)\n")
    assert result.out.splitlines() == [
        "policies/us-apl/2014-06-27.md:11: warning: provision 'geographic_scope', since "
        "2004-02-27: section reworded; recorded value unchanged — check"]


def test_the_bundled_policies_are_valid_through_the_store_option(tmp_path, monkeypatch, run):
    monkeypatch.chdir(tmp_path)
    result = run("validate", "--format", "json", "--store", str(CORPUS))
    assert result.code == 0
    assert [p["severity"] for p in json.loads(result.out)] == ["warning"]


def test_a_nonexistent_path_is_an_error_with_nothing_on_stdout(tmp_path, monkeypatch, run):
    monkeypatch.chdir(tmp_path)
    result = run("validate", "no-such-record.md")
    assert (result.code, result.out) == (2, "")
    assert result.err.startswith("policy-diff: error:") and "no-such-record.md" in result.err
    assert len(result.err.strip().splitlines()) == 1


def test_no_store_to_validate_is_an_error(tmp_path, monkeypatch, run):
    monkeypatch.chdir(tmp_path)
    result = run("validate")
    assert (result.code, result.out) == (2, "")
    assert result.err.startswith("policy-diff: error:")


def test_an_unreadable_record_is_one_problem_not_a_crash(tmp_path, monkeypatch, run):
    write(tmp_path / "policies" / "demo" / "policy.yaml", MANIFEST)
    write(tmp_path / "policies" / "demo" / "good.md", demo("good"))
    (tmp_path / "policies" / "demo" / "folder.md").mkdir()
    monkeypatch.chdir(tmp_path)
    result = run("validate", "--format", "json")
    assert result.code == 1
    (problem,) = json.loads(result.out)
    assert problem["path"] == "policies/demo/folder.md" and "cannot read" in problem["message"]
