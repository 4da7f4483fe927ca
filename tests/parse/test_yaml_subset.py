"""The YAML fast path (yaml_subset) builds exactly what the strict PyYAML loader builds, or nothing."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest
from hypothesis import event, given, settings, strategies as st

from policy_diff.errors import RecordError
from policy_diff.parse.document import split_front_matter
from policy_diff.parse.yaml_load import _load_full
from policy_diff.parse.yaml_types import LocatedDict
from policy_diff.parse.yaml_subset import parse_subset

from conftest import CORPUS, REPO


def assert_same(fast: Any, full: Any, where: str = "top") -> None:
    """Equal values of the very same types, and the same lines for every mapping and key."""
    assert type(fast) is type(full), where
    if isinstance(full, LocatedDict):
        assert (fast.line, fast.key_lines) == (full.line, full.key_lines), where
        assert list(fast) == list(full), where
        for key in full:
            assert_same(fast[key], full[key], f"{where}.{key}")
    elif isinstance(full, list):
        assert len(fast) == len(full), where
        for index, (a, b) in enumerate(zip(fast, full)):
            assert_same(a, b, f"{where}[{index}]")
    else:
        assert fast == full, where


def full_or_error(text: str) -> Any:
    try:
        return _load_full(text)
    except RecordError as error:
        return error


def check(text: str) -> None:
    """The property: the fast path declines, or agrees with the full loader exactly."""
    full, fast = full_or_error(text), parse_subset(text)
    event("fast path" if fast is not None else "full loader")
    if isinstance(full, RecordError):
        assert fast is None, f"the full loader refuses it: {full}"
    elif fast is not None:
        assert_same(fast, full)


def corpus_yaml() -> list[tuple[str, str]]:
    found = []
    for path in sorted(CORPUS.glob("*/*")):
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".md":
            lines = text.split("\n")
            span = split_front_matter(lines, str(path))
            assert span is not None
            text = "\n".join(lines[span[0]:span[1]])
        found.append((path.name, text))
    return found


@pytest.mark.parametrize("name, text", corpus_yaml())
def test_every_corpus_front_matter_and_manifest_takes_the_fast_path(name: str, text: str) -> None:
    fast = parse_subset(text)
    assert fast is not None
    assert_same(fast, _load_full(text))


@pytest.mark.parametrize("text", [
    "", "\n\n", "a: 1\nb:\n", "a:\n- x\n- 'y'\nb: \"z\"\n", "s:\n  - k: v\n    l: [p, q r]\n",
    "a: true\nb: NULL\nc: ~\nd: off\ne: [yes, false, null]\nf: []\n",
    "url: http://x/y?z=1#frag\nq: it's \"fine\"\nb: a\\b, [c] {d}\n", "a: \u00e9 \xa0x\xa0\n",
    "m:\n\n   deep: 1\n   list:\n   - a\nz: 2   \n", "a: ...\nb: [ c ,  d ]\nc: ' x '\nd: <<\n",
    "a:\n  - b: 1\n    c:\n    - x\n  - y\n", "a:  \n  \n  b: 1\n",
])
def test_simple_yaml_takes_the_fast_path(text: str) -> None:
    fast = parse_subset(text)
    assert fast is not None
    assert_same(fast, _load_full(text))


@pytest.mark.parametrize("text", [
    "a: 1 # note\n", "# c\na: 1\n", "a:\tb\n", "a: b\r\n", "\ufeffa: b\n", "a: b\u2028c\n",
    "a: b\x85\n", "true: 1\n", "yes: 1\n", "a: 1\na: 2\n", "a: &x 1\n", "a: *x\n", "a: !!str 1\n",
    "a: |\n  x\n", "a: >\n  x\n", "a: b\n  c\n", "? a\n: b\n", "a: b: c\n", "a: b:\n",
    "a: \"x\\ty\"\n", "a: 'it''s'\n", "a: {b: c}\n", "a: [b, [c]]\n", "a: [b, ]\n", "---\na: 1\n",
    "%YAML 1.1\n---\na: 1\n", "a: -1\n", "- a\n", "just words\n", " a: 1\n", "a:\n  - x\n   y: 1\n",
    "a: \"unclosed\n", "a: 'x' y\n", "\"a\": 1\n",
])
def test_anything_else_is_left_to_the_full_loader(text: str) -> None:
    assert parse_subset(text) is None


# A grammar for the subset, then edits that push documents over its edges.
KEY_WORDS = ["true", "True", "FALSE", "null", "Null", "~", "yes", "No", "on", "OFF", "y", "n",
             "", "a b", "1", "-a", "'q'", '"q"', "a:", "k#", "&a", "*a", "!t", "?", "é", "k\u2028"]
INDICATORS = [": ", ":", " #", "#", "'", '"', "\\", "[", "]", "{", "}", ",", "-", "- ", "?", "&",
              "*", "!", "|", ">", "%", "@", "`", "~", "---", "..."]
CHARACTERS = ["\t", "\x85", "\u2028", "\u2029", "\ufeff", "\xa0", "\u200b", "\x7f", "\x00", "é",
              "\U0001f600", " ", "  ", "\r", "\n", "\n  "]
ODD = INDICATORS + CHARACTERS
WORDS = ["x", "Korea", "Secretary of Defense", "2022-06-21", "1.10", "http://a/b?c#d", "true",
         "off", "null", "~", "yes", "N", "a,b", "[x]", "it's", "a#b", "100%", "é ü", "a\\b", "x  y",
         " padded ", "", "...", "<<", "x\xa0", "a: b", "x:"]
keys = st.from_regex(r"[A-Za-z_][A-Za-z0-9_-]{1,6}", fullmatch=True)  # KEY_WORDS add `y`, `n`
words = st.sampled_from(WORDS)
scalars = st.one_of(
    words,
    words.map(lambda s: f'"{s}"'),
    words.map(lambda s: f"'{s}'"),
    st.lists(words, max_size=4).map(lambda items: "[" + ", ".join(items) + "]"),
)


@st.composite
def mapping_lines(draw: st.DrawFn, indent: int, depth: int) -> list[str]:
    """Lines of a block mapping at `indent`; values are scalars, empty, or nested blocks."""
    lines = []
    for key in draw(st.lists(keys, min_size=1, max_size=4)):
        lines.extend(draw(entry_lines(" " * indent + key + ":", indent, depth)))
    return lines


@st.composite
def entry_lines(draw: st.DrawFn, head: str, indent: int, depth: int) -> list[str]:
    kinds = ["scalar", "empty"] + (["mapping", "sequence"] if depth < 3 else [])
    kind = draw(st.sampled_from(kinds))
    if kind == "scalar":
        return [head + draw(st.sampled_from([" ", "  "])) + draw(scalars)]
    if kind == "empty":
        return [head]
    step = draw(st.integers(min_value=0 if kind == "sequence" else 1, max_value=3))
    nested = mapping_lines if kind == "mapping" else sequence_lines
    return [head] + draw(nested(indent + step, depth + 1))


@st.composite
def sequence_lines(draw: st.DrawFn, indent: int, depth: int) -> list[str]:
    """Items `- scalar`, or `- key: value` with the item's further keys two columns in."""
    lines = []
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        if draw(st.booleans()):
            lines.append(" " * indent + "- " + draw(scalars))
            continue
        item = draw(mapping_lines(indent + 2, depth + 1))
        item[0] = " " * indent + "- " + item[0][indent + 2:]
        lines.extend(item)
    return lines


EDITS = ["odd", "key", "blank", "spaces", "comment", "shift", "trail", "dedent"]


@st.composite
def documents(draw: st.DrawFn) -> str:
    lines = draw(mapping_lines(0, 0))
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        edit_line(draw, lines, draw(st.sampled_from(EDITS)))
    return "\n".join(lines) + draw(st.sampled_from(["\n", "", "\n\n"]))


def edit_line(draw: st.DrawFn, lines: list[str], edit: str) -> None:
    """One edge: an odd piece of text, a key that is not simple, or a blank, stray or shifted line."""
    at = draw(st.integers(min_value=0, max_value=len(lines) - 1))
    line = lines[at]
    if edit == "odd":
        cut = draw(st.integers(min_value=0, max_value=len(line)))
        lines[at] = line[:cut] + draw(st.sampled_from(ODD)) + line[cut:]
    elif edit == "key" and ":" in line:
        start = len(line) - len(line.lstrip(" -"))
        lines[at] = line[:start] + draw(st.sampled_from(KEY_WORDS)) + line[line.index(":"):]
    elif edit in ("blank", "spaces", "comment"):
        lines.insert(at, {"blank": "", "spaces": "   ", "comment": "# c"}[edit])
    elif edit == "shift":
        lines[at] = " " + line
    elif edit == "trail":
        lines[at] = line + "  "
    elif edit == "dedent" and line.startswith(" "):
        lines[at] = line[1:]


@settings(max_examples=500, deadline=None)
@given(documents())
def test_fast_path_agrees_with_the_full_loader(text: str) -> None:
    check(text)


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(WORDS) | st.sampled_from(INDICATORS) | st.sampled_from(CHARACTERS),
                min_size=1, max_size=4).map("".join),
       st.sampled_from(["k: {}\n", "k: '{}'\n", 'k: "{}"\n', "k:\n- {}\n", "k: [{}, x]\n",
                        "k:\n  - a: {}\n    b: x\n"]))
def test_fast_path_agrees_on_odd_values(value: str, shape: str) -> None:
    check(shape.format(value))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(WORDS + ODD + KEY_WORDS + ["\n- ", "\n  - "]), max_size=12)
       .map("".join))
def test_fast_path_agrees_on_loose_text(text: str) -> None:
    check(text)


def test_reading_a_record_for_diff_does_not_import_yaml() -> None:
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from policy_diff.parse.document import parse\n"
        "from policy_diff.source.store import load_manifest\n"
        "doc = parse(Path('policies/us-apl/2022-06-21.md').read_text(), 'r.md', lenient=True)\n"
        "manifest = load_manifest(Path('policies/us-apl/policy.yaml'))\n"
        "assert doc.front['policy'] == 'us-apl' and manifest is not None\n"
        "assert 'yaml' not in sys.modules, 'PyYAML was imported'\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0, result.stderr
