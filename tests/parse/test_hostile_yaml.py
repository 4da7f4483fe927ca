"""Hostile input, YAML front matter: bad or dangerous YAML is one located error, its escapes
smuggle nothing into a view. The classes and what the tool does with each are tabled in
docs/hostile-input.md.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from conftest import write
from hostile import (UNSAFE, UTF8_RECORD, Run, assert_error, assert_inert_terminal,
                     assert_no_live_html, diff_json)


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
