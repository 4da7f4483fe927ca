"""The README's claims hold: its example commands run as it says, its example record is the
record it names, its quoted output is what the tool prints, and the pages it links exist."""

from __future__ import annotations

import re
import shlex
import tomllib

import pytest

from conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def code_blocks(language: str, after: str = "") -> list[str]:
    text = README[README.index(after):] if after else README
    return re.findall(rf"```{language}\n(.*?)```", text, re.S)


EXAMPLES = [line for line in code_blocks("sh", "## Examples")[0].splitlines()
            if line.startswith("policy-diff ")]


@pytest.mark.parametrize("line", EXAMPLES)
def test_each_example_command_runs_as_the_readme_says(run, monkeypatch, line: str) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(REPO)
    command, _, comment = line.partition("#")
    result = run(*shlex.split(command)[1:])  # not a terminal: no colour, no pager
    expected = re.search(r"exit (\d)", comment)
    assert result.code == (int(expected.group(1)) if expected else result.code)
    assert result.code in (0, 1) and "policy-diff: error" not in result.err, result.err
    if "one warning" in comment:
        assert result.err == "0 error(s), 1 warning(s)\n"


def test_the_quoted_key_provisions_are_what_the_first_command_prints(run, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(REPO)
    out = " ".join(run("diff", "us-apl@latest", "--color", "never").out.split())
    for quoted in re.findall(r'"([^"]+)"', README[README.index("For the sample's"):
                                                  README.index("## A record")]):
        assert quoted in out, quoted
    assert "approval authority delegated two steps" not in README


def test_the_example_record_is_the_start_of_the_record_it_names() -> None:
    example = code_blocks("markdown", "## A record")[0].splitlines()
    record = (REPO / "policies/us-apl/2022-06-21.md").read_text(encoding="utf-8").splitlines()
    at = 0
    for line in example:
        if line.strip() == "# …":
            continue
        at = record.index(line, at) + 1  # every shown line, in the record's order


def test_linked_pages_exist_and_the_python_version_is_the_packages() -> None:
    for link in re.findall(r"\]\(([^)#]+)\)", README):
        assert (REPO / link).is_file(), link
    required = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["requires-python"]
    assert required == ">=3.11" and "Python 3.11 or later" in README


def test_the_json_page_documents_every_field_the_output_carries(run, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import json

    monkeypatch.chdir(REPO)
    documented = set(re.findall(r"`([a-z_]+)`", (REPO / "docs/diff-json.md").read_text()))
    found: set[str] = set()

    def walk(value):  # type: ignore[no-untyped-def]
        if isinstance(value, dict):
            found.update(value)
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for pair in (("us-apl@2022", "us-apl@2025"), ("us-apl@2014-06", "us-apl@2014-09"),
                 ("us-apl@1996", "us-apl@2025")):
        data = json.loads(run("diff", *pair, "--format", "json").out)
        data.pop("metadata")  # front matter values: the record's own keys, not the format's
        for provision in data["provisions"]:
            provision.pop("old"), provision.pop("new")
            provision.get("last_stated", {}).pop("value", None)
        walk(data)
    assert found - documented == set()
