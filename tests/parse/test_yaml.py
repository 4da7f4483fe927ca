"""The strict front-matter loader (record-format §1): text stays as written, surprises are errors."""

from __future__ import annotations


import pytest

from policy_diff.errors import PolicyDiffError, RecordError
from policy_diff.parse.document import parse, read_front_matter
from policy_diff.parse.yaml_load import load_mapping
from policy_diff.parse.yaml_types import LocatedDict, Yaml11Bool

from conftest import CORPUS


def front(yaml_text: str) -> dict:
    return parse(f"---\n{yaml_text}---\nBody.\n", "r.md").front


def record_error(text: str) -> RecordError:
    with pytest.raises(RecordError) as caught:
        parse(text, "r.md")
    assert caught.value.path == "r.md"
    return caught.value


@pytest.mark.parametrize("raw", ["2022-06-21", "2022-06-21T10:00:00", "1998-05"])
def test_unquoted_dates_stay_the_strings_they_spell(raw):
    data = front(f"effective: {raw}\nversion: {raw}\n")
    assert data["effective"] == raw and type(data["effective"]) is str
    assert data["version"] == raw


@pytest.mark.parametrize("raw", ["1.10", "010", "1e3", "0x1F", "3", ".inf", "1_000"])
def test_numbers_stay_strings_as_written(raw):
    assert front(f"version: {raw}\n")["version"] == raw


@pytest.mark.parametrize("raw", ["no", "No", "NO", "off", "OFF", "yes", "Yes", "on", "y", "n"])
def test_yaml11_booleans_are_strings_marked_as_such(raw):
    value = front(f"approved: {raw}\n")["approved"]
    assert value == raw
    assert isinstance(value, Yaml11Bool)


@pytest.mark.parametrize("raw", ["'no'", '"off"'])
def test_quoted_yaml11_words_are_ordinary_strings(raw):
    value = front(f"approved: {raw}\n")["approved"]
    assert value == raw[1:-1]
    assert not isinstance(value, Yaml11Bool)


def test_only_true_false_and_null_are_resolved():
    data = front("a: true\nb: False\nc: null\nd: ~\ne:\n")
    assert data == {"a": True, "b": False, "c": None, "d": None, "e": None}


def test_nested_values_are_strings_too():
    data = front("provisions:\n  scope: [2022-06-21, 1.10]\n  flag: off\n")
    assert data["provisions"]["scope"] == ["2022-06-21", "1.10"]
    assert isinstance(data["provisions"]["flag"], Yaml11Bool)


def test_duplicate_key_is_an_error_at_the_line_of_the_duplicate():
    error = record_error("---\npolicy: a\ntitle: x\npolicy: b\n---\n")
    assert error.line == 4
    assert "duplicate key 'policy'" in error.message


def test_duplicate_key_in_a_nested_mapping_names_its_line():
    text = "---\npolicy: a\nsources:\n  - title: x\n    url: u\n    title: y\n---\n"
    assert record_error(text).line == 6


@pytest.mark.parametrize("yaml_text, kind", [
    ("- a\n- b\n", "a list"),
    ("just words\n", "a string"),
    ("true\n", "a boolean"),
])
def test_front_matter_that_is_not_a_mapping_is_an_error(yaml_text, kind):
    error = record_error(f"---\n{yaml_text}---\n")
    assert error.line == 2
    assert kind in error.message


@pytest.mark.parametrize("yaml_text, line", [
    ("policy: a\ntitle: a: b\n", 3),          # a second `:` on the title line
    ("policy: a\n\nitems: [1, 2\nnext: x\n", 4),  # unclosed flow sequence: where it opened
    ("policy: a\n  bad indent: x\n", 3),
])
def test_yaml_syntax_error_names_its_line_in_the_file(yaml_text, line):
    error = record_error(f"---\n{yaml_text}---\n")
    assert error.message.startswith("invalid YAML")
    assert error.line == line


def test_aliases_are_refused():
    error = record_error("---\nbase: &b x\ncopy: *b\n---\n")
    assert "aliases" in error.message
    assert error.line == 3


def test_a_billion_laughs_is_refused_not_expanded():
    lines = ["a: &a [x, x]"] + [f"{c}: &{c} [*{p}, *{p}]" for p, c in zip("abcdefgh", "bcdefghi")]
    with pytest.raises(RecordError):
        load_mapping("\n".join(lines), "bomb.yaml")


def test_python_tags_are_refused():
    error = record_error("---\nx: !!python/object/apply:os.system ['true']\n---\n")
    assert error.line == 2


def test_deeply_nested_yaml_is_an_error_not_a_crash():
    error = record_error("---\na: " + "[" * 5000 + "\n---\n")
    assert error.message.startswith("invalid YAML")


def test_a_control_character_in_yaml_names_its_line():
    error = record_error("---\npolicy: a\ntitle: bad\x00byte\n---\n")
    assert error.line == 3
    assert "\x00" not in str(error)


def test_unclosed_front_matter_is_an_error_at_line_1():
    error = record_error("---\npolicy: a\ntitle: never closed\n\n# Body\n")
    assert error.line == 1
    assert "never closed" in error.message


def test_key_lines_count_from_the_top_of_the_file():
    data = read_front_matter("---\npolicy: a\n\nprovisions:\n  scope: x\n---\n", "r.md")
    assert isinstance(data, LocatedDict)
    assert data.key_lines == {"policy": 2, "provisions": 4}
    assert data["provisions"].key_lines == {"scope": 5}


def test_empty_front_matter_is_an_empty_mapping():
    assert parse("---\n---\nText\n").front == {}


def test_load_mapping_errors_are_policy_diff_errors():
    with pytest.raises(PolicyDiffError):
        load_mapping("[unclosed", "m.yaml")


# Errors at the line to fix, in plain words (the corpus's 2022 record, broken as people do) ----

CORPUS_RECORD = CORPUS / "us-apl/2022-06-21.md"


def broken(line: int, old: str, new: str) -> str:
    lines = CORPUS_RECORD.read_text(encoding="utf-8").split("\n")
    assert old in lines[line - 1], (line, lines[line - 1])
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    return "\n".join(lines)


@pytest.mark.parametrize("line, old, new, message", [
    (6, "status: superseded", "status superseded", "a key needs ':' after it ('status superseded')"),
    (15, "  transfer_export", "   transfer_export", "indentation does not fit the lines above it"),
    (7, "issued_by", "  issued_by", "a ':' followed by a space cannot stand here"),
    (9, 'Convention."', "Convention.", "a quoted value opened on this line runs on to line 13"),
    (13, ': "Destroy', ": [Destroy", "the '[' opened on this line is never closed"),
    (7, "issued_by", "\tissued_by", "a tab: YAML indents with spaces only"),
])
def test_yaml_errors_point_at_the_line_to_fix_in_plain_words(line, old, new, message):
    error = record_error(broken(line, old, new))
    assert (error.line, error.message) == (line, f"invalid YAML: {message}") or \
        (error.line == line and message in error.message), (error.line, error.message)


def test_a_mistyped_closing_fence_is_named_at_its_line():
    text = CORPUS_RECORD.read_text(encoding="utf-8")
    lines = text.split("\n")
    closing = lines.index("---", 1)
    lines[closing] = "--"
    error = record_error("\n".join(lines))
    assert error.line == closing + 1 and "'--' here looks like its closing `---`" in error.message
