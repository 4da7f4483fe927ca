"""Hostile input, size and shape: limits refuse, never truncate; pathological documents and
pairs diff correctly in bounded time. bench/hostile.py measures the very large inputs
(50 MB, 10 MB lines, a million blocks) as processes. The classes and what the tool does with
each are tabled in docs/hostile-input.md.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

import pytest

from conftest import write
from hostile import UTF8_RECORD, Run, assert_error, assert_inert_terminal, cli, diff_json


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


def test_a_plain_diff_of_pathological_lines_is_bounded(tmp_path: Path) -> None:
    """The driver's fallback for unreadable records: difflib is cubic on such lines."""
    from policy_diff.gitdriver import PLAIN_DIFF_MAX_LINES, plain_diff

    many = PLAIN_DIFF_MAX_LINES + 1
    old = "".join(f"line {i % 150}\n" for i in range(many)).encode()
    new = "".join(f"line {i % 151}\n" for i in range(many)).encode()
    start = time.monotonic()
    out = plain_diff("p.md", "p.md", old, new, "a", "b")
    assert "too many for a plain diff" in out and time.monotonic() - start < 1
