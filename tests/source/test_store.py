"""The store and refs (record-format §4, §5): where policies/ is, and what a ref names."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import record, write
from policy_diff.errors import RecordError, RefError, UsageError
from policy_diff.source.store import STORE_ENV, Store, find_store
from policy_diff.source.refs import resolve


def same(a: Path | None, b: Path) -> bool:
    return a is not None and a.resolve() == b.resolve()


def git_init(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q", str(path)], check=True)
    return path


# find_store ---------------------------------------------------------------------------------

@pytest.fixture
def places(tmp_path: Path) -> dict[str, Path]:
    """A git work tree with policies/ at its top and in a subfolder, plus two stores outside."""
    repo = git_init(tmp_path / "repo")
    places = {"top": repo / "policies", "here": repo / "sub" / "policies",
              "option": tmp_path / "option-store", "env": tmp_path / "env-store"}
    for folder in places.values():
        folder.mkdir(parents=True)
    (repo / "sub" / "deeper").mkdir()
    return places


def test_store_option_wins_over_everything(places, monkeypatch):
    monkeypatch.chdir(places["here"].parent)
    monkeypatch.setenv(STORE_ENV, str(places["env"]))
    assert same(find_store(str(places["option"])), places["option"])


def test_environment_wins_over_discovery(places, monkeypatch):
    monkeypatch.chdir(places["here"].parent)
    monkeypatch.setenv(STORE_ENV, str(places["env"]))
    assert same(find_store(None), places["env"])


def test_policies_at_the_git_top_level_wins_over_the_current_folder(places, monkeypatch):
    monkeypatch.chdir(places["here"].parent)
    assert same(find_store(None), places["top"])


def test_policies_at_the_git_top_level_is_found_from_a_subfolder(places, monkeypatch):
    monkeypatch.chdir(places["here"].parent / "deeper")
    assert same(find_store(None), places["top"])


def test_policies_in_the_current_folder_when_the_work_tree_has_none(tmp_path, monkeypatch):
    repo = git_init(tmp_path / "repo")
    here = repo / "sub" / "policies"
    here.mkdir(parents=True)
    monkeypatch.chdir(here.parent)
    assert same(find_store(None), here)


def test_policies_in_the_current_folder_outside_git(tmp_path, monkeypatch):
    (tmp_path / "policies").mkdir()
    monkeypatch.chdir(tmp_path)
    assert same(find_store(None), tmp_path / "policies")


def test_no_store_anywhere_is_none(tmp_path, monkeypatch):
    git_init(tmp_path / "repo")
    monkeypatch.chdir(tmp_path / "repo")
    assert find_store(None) is None


@pytest.mark.parametrize("make", [lambda p: None, lambda p: p.write_text("x")],
                         ids=["missing", "a-file"])
def test_a_store_option_that_is_not_a_folder_is_a_usage_error(tmp_path, make):
    target = tmp_path / "not-a-store"
    make(target)
    with pytest.raises(UsageError, match="--store"):
        find_store(str(target))


def test_an_environment_store_that_is_not_a_folder_names_the_variable(tmp_path, monkeypatch):
    monkeypatch.setenv(STORE_ENV, str(tmp_path / "missing"))
    with pytest.raises(UsageError, match=STORE_ENV):
        find_store(None)


def test_cli_reports_a_bad_store_option_as_an_error(run, tmp_path):
    result = run("show", "demo", "--store", str(tmp_path / "missing"))
    assert result.code == 2 and result.out == ""
    assert result.err.startswith("policy-diff: error:") and "--store" in result.err


# resolve ------------------------------------------------------------------------------------

VERSIONS = {  # version -> effective; file order, effective order and string order all differ
    "1996-05-16": "1996-05-16",
    "1998-05-15": "1998-05-15",
    "2014-06-27": "2014-06-27",
    "2014-09-23": "2014-09-23",
    "2022": "2022-01-01",
    "2022-06-21": "2022-06-21",
    "b-draft": "2020-01-01",
    "a-draft": "2020-01-01",
}


@pytest.fixture
def store(tmp_path, monkeypatch) -> Path:
    root = tmp_path / "policies"
    for version, effective in VERSIONS.items():
        write(root / "us-apl" / f"{version}.md", record("us-apl", version, effective))
    write(root / "us-cluster" / "2008-06-19.md", record("us-cluster", "2008-06-19", "2008-06-19"))
    (root / "empty-policy").mkdir()
    monkeypatch.chdir(tmp_path)
    return root


def test_versions_are_ordered_by_effective_then_version_string(store):
    assert [e.version for e in Store(store).versions("us-apl")] == [
        "1996-05-16", "1998-05-15", "2014-06-27", "2014-09-23", "a-draft", "b-draft",
        "2022", "2022-06-21"]


def test_policies_are_the_store_folders(store):
    assert Store(store).policies == ["empty-policy", "us-apl", "us-cluster"]


@pytest.mark.parametrize("ref, version", [
    ("us-apl@1998-05-15", "1998-05-15"),
    ("us-apl@1998", "1998-05-15"),          # unique prefix
    ("us-apl@2014-09", "2014-09-23"),
    ("us-apl@2022", "2022"),               # exact beats being a prefix of 2022-06-21
    ("us-apl@latest", "2022-06-21"),
    ("us-apl@first", "1996-05-16"),
    ("us-apl", "2022-06-21"),              # bare policy: the latest
    ("us-cluster@latest", "2008-06-19"),
])
def test_resolve_policy_at_version(store, ref, version):
    source = resolve(ref, store)
    assert (source.policy, source.version) == (ref.split("@")[0], version)
    assert f"version: {version}\n" in source.text
    assert Path(source.path).name == f"{version}.md"


def test_an_ambiguous_prefix_lists_the_candidates(store):
    with pytest.raises(RefError, match="ambiguous") as caught:
        resolve("us-apl@2014", store)
    assert "2014-06-27" in str(caught.value) and "2014-09-23" in str(caught.value)
    assert "1998-05-15" not in str(caught.value)


def test_an_unknown_version_suggests_the_nearest(store):
    with pytest.raises(RefError) as caught:
        resolve("us-apl@1999", store)
    message = str(caught.value)
    assert "'us-apl@1999'" in message and "1998-05-15" in message


def test_an_unknown_policy_suggests_the_nearest_policies(store):
    with pytest.raises(RefError) as caught:
        resolve("us-alp@latest", store)
    message = str(caught.value)
    assert "'us-alp'" in message and "us-apl" in message


def test_a_policy_without_versions_is_an_error(store):
    with pytest.raises(RefError, match="no versions"):
        resolve("empty-policy", store)


def test_an_existing_file_wins_over_a_store_ref(store, tmp_path):
    write(tmp_path / "us-apl@latest", "# Not from the store\n")
    source = resolve("us-apl@latest", store)
    assert source.text == "# Not from the store\n"
    assert source.policy is None and source.version is None


def test_a_file_path_resolves_to_its_text(store, tmp_path):
    path = write(tmp_path / "notes" / "memo.md", "Plain memo.\n")
    source = resolve(str(path), None)
    assert source.text == "Plain memo.\n" and Path(source.path).resolve() == path.resolve()


def test_a_folder_is_an_error(store):
    with pytest.raises(RefError, match="folder"):
        resolve(str(store / "us-apl"), store)


def test_dash_reads_standard_input(monkeypatch):
    text = "---\npolicy: x\n---\nFrom stdin \u2713\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode("utf-8"))))
    source = resolve("-", None)
    assert (source.path, source.text) == ("-", text)


def test_invalid_utf8_on_standard_input_names_the_line(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"ok\nbad \xff\n")))
    with pytest.raises(RecordError) as caught:
        resolve("-", None)
    assert caught.value.line == 2


def test_invalid_utf8_in_a_file_names_the_line(tmp_path):
    path = tmp_path / "latin1.md"
    path.write_bytes("# Title\n\nCaf\u00e9\n".encode("latin-1"))
    with pytest.raises(RecordError) as caught:
        resolve(str(path), None)
    assert caught.value.line == 3


def test_a_store_ref_without_a_store_says_how_to_name_one(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(RefError, match="--store"):
        resolve("us-apl@latest", None)


def test_a_broken_record_is_still_listed(store):
    write(store / "us-apl" / "broken.md", "---\npolicy: [unclosed\n---\n")
    assert "broken" in [e.version for e in Store(store).versions("us-apl")]


def test_a_folder_named_like_a_record_is_listed_as_broken_not_a_crash(store):
    (store / "us-apl" / "2030-01-01.md").mkdir()
    assert "2030-01-01" in [e.version for e in Store(store).versions("us-apl")]
    assert resolve("us-apl@latest", store).version == "2022-06-21"
    with pytest.raises(RecordError, match="cannot read"):
        resolve("us-apl@2030", store)
