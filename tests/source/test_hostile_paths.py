"""Hostile input, names, refs and written files: nothing outside the store is read or written,
nothing of the user's is overwritten (`-o`). The classes and what the tool does with each
are tabled in docs/hostile-input.md.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from conftest import CORPUS, write
from hostile import Run, assert_error, assert_inert_terminal


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the corpus store in a fresh folder, the current folder."""
    import shutil

    shutil.copytree(CORPUS, tmp_path / "policies")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "policies"


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.mark.parametrize("ref", [
    "../../etc/passwd@x", "us-apl@../../etc/passwd", "/etc/passwd@1", "us apl", "ús-apl",
    "us-apl@latest@x", "@", "-- :x", "HEAD:../../etc/passwd", "HEAD:/etc/passwd",
    "HEAD~999:policies/x.md", "x" * 5000, "us-apl@" + "v" * 5000, "us-apl\n@x",
    "us-apl@\x1b]0;t\x07", "../policies/us-apl",
])
def test_refs_that_reach_for_other_files_are_one_error(run: Run, store: Path, ref: str) -> None:
    line = assert_error(run("diff", ref, "us-apl"))
    assert_inert_terminal(line)


@pytest.mark.parametrize("args", [
    ["diff", "-us-apl", "us-apl"], ["diff", "--output=x", "us-apl"],
    ["diff", "--upload-pack=x:y", "us-apl"], ["diff", "us-apl", "--exec=x"],
    ["history", "us-apl", "--since", "--all"], ["changes", "--all"], ["validate", "-x"],
    ["log", "/etc"], ["log", "../us-apl"], ["matrix", ".."], ["matrix", "/etc"],
    ["blame", "us-apl", "--provision", "../x"], ["history", "/etc/passwd"],
    ["show", "us-apl@" + "é" * 300],
], ids=lambda a: " ".join(a)[:40])
def test_names_that_look_like_options_or_paths_are_one_error(run: Run, store: Path,
                                                            args: list[str]) -> None:
    assert_error(run(*args))
    assert not (store.parent / "x").exists()


@pytest.mark.parametrize("policy, version", [
    ("../x", "v1"), ("/tmp", "v1"), ("..", "v1"), (".", "v1"), ("", "v1"), ("us-apl/..", "v1"),
    ("us-apl", "../x"), ("us-apl", "/tmp/x"), ("us-apl", "x/y"), ("us-apl", ".."),
    ("us-apl", "a b"), ("us-apl", "é"), ("us-apl", "v\n"), ("us-apl", "-x"), ("us-apl", "x" * 300),
])
def test_new_never_writes_outside_the_store(run: Run, store: Path, policy: str,
                                           version: str) -> None:
    before = _files(store.parent)
    assert_error(run("new", policy, f"--version={version}", "--effective", "2030-01-01"))
    assert _files(store.parent) == before


def test_new_from_an_unreadable_version_is_one_error(run: Run, store: Path) -> None:
    (store / "us-apl" / "bad.md").write_bytes(b"---\npolicy: us-apl\nversion: bad\n---\n\xff\n")
    assert_error(run("new", "us-apl", "--version", "v9", "--from", "bad"), "bad.md:5:", "UTF-8")
    assert not (store / "us-apl" / "v9.md").exists()


@pytest.mark.parametrize("link", ["record", "manifest", "policy folder"])
def test_store_symlinks_that_lead_outside_are_never_followed(run: Run, store: Path,
                                                            tmp_path: Path, link: str) -> None:
    """A repository can commit a link to ~/.ssh or /proc/self/environ; CI must not print it."""
    secret = write(tmp_path / "outside" / "secret.md", "---\ntitle: SECRET\n---\nSECRET\n")
    (tmp_path / "outside" / "policy.yaml").write_text("policy: ext\ntitle: SECRET\n")
    if link == "record":
        (store / "us-apl" / "2099-01-01.md").symlink_to(secret)
        refs = ["us-apl@2099", "us-apl"]
    elif link == "manifest":
        (store / "us-apl" / "policy.yaml").unlink()
        (store / "us-apl" / "policy.yaml").symlink_to(tmp_path / "outside" / "policy.yaml")
        refs = ["us-apl"]
    else:
        (store / "ext").symlink_to(tmp_path / "outside", target_is_directory=True)
        refs = ["ext@secret", "ext"]
    policy = refs[-1].split("@")[0]
    commands = [["diff", refs[0], "us-apl@first"], ["show", refs[-1]], ["log", policy],
                ["matrix", policy], ["blame", refs[0]]]
    for command in commands:
        result = run(*command, "--no-pager")
        assert "SECRET" not in result.out + result.err
        if link != "manifest" or command[0] in ("show", "matrix"):
            assert_error(result, "symbolic link to outside the store")
    result = run("validate")
    assert result.code == 1 and "symbolic link to outside the store" in result.out
    assert "SECRET" not in result.out + result.err
    before = _files(tmp_path / "outside")
    if link == "policy folder":
        assert_error(run("new", "ext", "--version", "v2"), "symbolic link")
    assert _files(tmp_path / "outside") == before


def test_a_symlink_inside_the_store_is_followed(run: Run, store: Path) -> None:
    (store / "us-apl" / "current.md").symlink_to("2025-12-02.md")
    assert run("diff", "us-apl@2025-12-02", "us-apl@current", "-f", "json").code == 0


def test_a_name_too_long_for_the_file_system_is_one_error(run: Run, store: Path) -> None:
    for args in (["diff", "x" * 5000, "us-apl"], ["show", "y" * 5000], ["validate", "z" * 5000],
                 ["diff", "us-apl@first", "us-apl", "-f", "json", "-o", "o" * 5000]):
        assert_error(run(*args))


# ------------------------------------------------------------------ nothing lost


@pytest.mark.parametrize("target", ["folder", "device", "dangling link", "link to a file",
                                    "file", "missing folder"])
def test_o_writes_only_a_new_file_or_with_force_a_regular_one(run: Run, store: Path,
                                                             tmp_path: Path, target: str) -> None:
    keep = write(tmp_path / "keep.txt", "mine\n")
    paths = {"folder": tmp_path / "dir", "device": Path(os.devnull),
             "dangling link": tmp_path / "dangling", "link to a file": tmp_path / "link",
             "file": keep, "missing folder": tmp_path / "nowhere" / "r.html"}
    (tmp_path / "dir").mkdir()
    (tmp_path / "dangling").symlink_to(tmp_path / "nothing-here")
    (tmp_path / "link").symlink_to(keep)
    path = paths[target]
    command = ["diff", "us-apl@first", "us-apl", "-f", "html", "-o", str(path)]
    assert_error(run(*command))
    assert keep.read_text() == "mine\n" and not (tmp_path / "nothing-here").exists()
    forced = run(*command, "--force")
    if target in ("folder", "device", "missing folder"):
        assert_error(forced)
        assert Path(os.devnull).is_char_device() and (tmp_path / "dir").is_dir()
    else:  # replaces the name, never writes through a link into its target
        assert forced.code == 1 and path.is_file() and not path.is_symlink()
        assert target == "file" or keep.read_text() == "mine\n"
        assert "<!DOCTYPE html>" in path.read_text()
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []


def test_o_gives_a_new_report_the_usual_mode_and_keeps_a_replaced_ones(
        run: Run, store: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    previous = os.umask(0o022)
    try:
        assert run("diff", "us-apl@first", "us-apl", "-f", "html", "-o", str(out)).code == 1
        assert out.stat().st_mode & 0o777 == 0o644  # not mkstemp's 0600
        out.chmod(0o640)
        assert run("diff", "us-apl@first", "us-apl", "-f", "html", "-o", str(out),
                   "--force").code == 1
        assert out.stat().st_mode & 0o777 == 0o640
    finally:
        os.umask(previous)


def test_o_on_a_file_system_without_hard_links_still_never_overwrites(
        run: Run, store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from policy_diff.source import files

    def no_links(source: str, target: Any) -> None:
        raise OSError(1, "Operation not permitted")

    monkeypatch.setattr(files.os, "link", no_links)
    out = tmp_path / "r.json"
    assert run("diff", "us-apl@first", "us-apl", "-f", "json", "-o", str(out)).code == 1
    assert json.loads(out.read_text())["format"] == "policy-diff/2"
    out.write_text("mine")
    assert_error(run("diff", "us-apl@first", "us-apl", "-f", "json", "-o", str(out)))
    assert out.read_text() == "mine"
