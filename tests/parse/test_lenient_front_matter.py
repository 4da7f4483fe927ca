"""Front matter that is not strict YAML (record-format §6): a plain document's is compared as
text with one located warning; a store record's stays an error.

The three shapes are those of real histories: a duplicate key (GitHub's site-policy, CC0), a
`!!python/unicode` tag (one file in eight of a statute book's first import), a syntax error.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from diffcheck import check_diff
from policy_diff.parse.document import parse

from conftest import CORPUS, record, write

BODY = "\n# Gesetz\n\nText {}.\n"
CASES = {
    "duplicate key": ("---\ntitle: A\nx: 1\ntitle: A\n---\n", 4, "duplicate key 'title'"),
    "python tag": ("---\ntitle: !!python/unicode 'Gesetz'\n---\n", 2, "python/unicode"),
    "syntax error": ("---\ntitle: A\nlist: [a, b\n---\n", 3, "invalid YAML"),
}
STRICT = "---\ntitle: A\n---\n"


def pair(tmp_path: Path, old_front: str, new_front: str = STRICT) -> tuple[Path, Path]:
    return (write(tmp_path / "old.md", old_front + BODY.format("eins")),
            write(tmp_path / "new.md", new_front + BODY.format("zwei")))


@pytest.mark.parametrize("name", CASES)
def test_a_path_with_front_matter_that_is_not_strict_yaml_diffs_as_text(
        run, tmp_path: Path, name: str) -> None:  # type: ignore[no-untyped-def]
    front, line, reason = CASES[name]
    old, new = pair(tmp_path, front)
    result = run("diff", str(old), str(new), "--format", "json")
    assert result.code == 1
    warnings = result.err.splitlines()
    assert len(warnings) == 1 and warnings[0].startswith(f"policy-diff: warning: {old}:{line}: ")
    assert reason in warnings[0] and "compared as text" in warnings[0]
    data = json.loads(result.out)
    # Both sides as text, so the diff says what changed in the text, not every key (none).
    assert data["metadata"] == [{"field": "front matter", "old": front[4:-5],
                                 "new": STRICT[4:-5]}]
    check_diff(data, parse(old.read_text(), str(old), lenient=True),
               parse(new.read_text(), str(new), lenient=True))


def test_the_same_broken_front_matter_on_both_sides_is_no_difference(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    front = CASES["duplicate key"][0]
    old, new = pair(tmp_path, front, front)
    result = run("diff", str(old), str(new), "--color", "never")
    assert result.code == 1 and "front matter" not in result.out  # the body differs, not it
    assert result.err.count("warning") == 2  # one per file


def test_rev_path_with_a_python_tag_diffs(run, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    subprocess.run(["git", "init", "-q"], check=True)
    doc = write(tmp_path / "law.md", CASES["python tag"][0] + BODY.format("eins"))
    subprocess.run(["git", "add", "law.md"], check=True)
    subprocess.run(["git", "-c", "user.name=a", "-c", "user.email=a@b", "commit", "-qm", "x"],
                   check=True)
    doc.write_text(STRICT + BODY.format("zwei"))
    result = run("diff", "HEAD:law.md", "law.md", "--color", "never")
    assert result.code == 1 and "Text [-eins-]{+zwei+}" in result.out
    assert result.err.startswith("policy-diff: warning: HEAD:law.md:2: ")


def test_a_store_record_stays_strict(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    store = tmp_path / "policies"
    write(store / "demo" / "v1.md", record())
    write(store / "demo" / "v2.md", record(version="v2", extra="title: Again\n"))
    result = run("diff", "demo@v1", "demo@v2", "--store", str(store))
    assert result.code == 2 and result.out == ""
    assert result.err.startswith("policy-diff: error: ") and "v2.md:7:" in result.err
    assert "duplicate key 'title'" in result.err
    checked = run("validate", str(store / "demo" / "v2.md"))
    assert checked.code != 0 and "v2.md:7:" in checked.out + checked.err


def test_the_corpus_is_unaffected(run) -> None:  # type: ignore[no-untyped-def]
    result = run("diff", str(CORPUS / "us-apl" / "2022-06-21.md"),
                 str(CORPUS / "us-apl" / "2025-12-02.md"), "--format", "json")
    assert result.code == 1 and result.err == ""
