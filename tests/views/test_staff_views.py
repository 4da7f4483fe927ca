"""The views as policy staff read them: the first screen of a diff, separated word marks.

Rendered as a terminal shows them (colour codes stripped), at the sizes staff use.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Callable

import pytest

from conftest import REPO, Result, write
from policy_diff.views.text.layout import render
from policy_diff.views.redline import inline
from policy_diff.views.terminal import render_diff

ROOT = REPO
SGR = re.compile(r"\x1b\[[0-9;]*m")


def _sample_diff():  # type: ignore[no-untyped-def]
    from policy_diff.diff.compare import compare
    from policy_diff.diff.lineage import with_last_stated
    from policy_diff.source.store import find_store
    from policy_diff.source.manifests import manifest_for
    from policy_diff.source.refs import load_side

    root = find_store(str(ROOT / "policies"))
    old, new = (load_side(ref, root) for ref in ("us-apl@2022-06-21", "us-apl@2025-12-02"))
    manifest = manifest_for(old, new)
    return with_last_stated(compare(old, new, manifest), root, manifest)


def screen(full: bool = False, width: int = 100) -> list[str]:
    """The sample diff as a colour terminal shows it, codes stripped."""
    return SGR.sub("", render(render_diff(_sample_diff(), False, full=full), width, True)) \
        .split("\n")


def test_the_first_screen_shows_provisions_metadata_and_the_first_prose_change() -> None:
    lines = screen()
    page = lines[:49]  # a 50-row terminal, the pager's prompt on the last row
    assert page[3] == "Key provisions" and "Metadata" in page
    start = page.index("(preamble)")  # the first changed section
    block = lines[start + 1:]
    end = next(i for i, line in enumerate(block) if not line.startswith("  ")
               and i > 0)  # the first block's lines: its gutter, then its indented wrap
    assert block[0].startswith("- President Joe Biden") and start + 1 + end <= 49


def test_metadata_is_compact_and_whole_with_full() -> None:
    lines = screen()
    assert "version     2022-06-21 → 2025-12-02" in lines
    assert "status      superseded → in-force" in lines
    sources = next(line for line in lines if line.startswith("sources "))
    assert sources == ("sources     6 added, 9 removed (9 → 6 entries); "
                       "the first 2 of each, --full lists all")
    text = "\n".join(lines)
    assert "+ Hegseth reverses land mine policy to allow use of controversial weapon — Daily " \
        "Herald" in text  # a source is named by title and publisher
    assert text.count("+ Hegseth") == 1 and "aerocloud.top" not in text
    full = "\n".join(screen(full=True))
    assert full.count("+ Hegseth") == 2 and "— aerocloud.top" in full
    assert "the first 2 of each" not in full


@pytest.mark.parametrize("ops, shown", [
    ([("replace", "superseded", "in-force")], "superseded in-force"),
    ([("equal", "of ", "of "), ("delete", "Korea", ""), ("insert", "", "landmines")],
     "of Korea landmines"),
    ([("replace", "a ", "b")], "a b"),  # a space is there already
])
def test_deleted_and_inserted_words_never_touch(ops, shown) -> None:  # type: ignore[no-untyped-def]
    coloured = inline(ops, plain=False)
    assert coloured.plain == shown
    plain = inline(ops, plain=True).plain
    assert "-]{+" in plain.replace(" ", "") or "-] {+" in plain


def test_nothing_touches_in_the_sample_diff_in_colour() -> None:
    text = "\n".join(screen(width=140))
    for touching in ("supersededin-force", "2022-06-212025-12-02", "Korealandmines"):
        assert touching not in text


# log, show ------------------------------------------------------------------------------------

STORE = str(ROOT / "policies")


def test_log_takes_at_most_four_lines_a_version_at_80_columns(run: Callable[..., Result]) -> None:
    out = run("log", "us-apl", "--store", STORE, "--width", "80", "--color", "never").out
    starts = [i for i, line in enumerate(out.splitlines()) if re.match(r"\d{4}-\d\d-\d\d  ", line)]
    assert len(starts) == 8
    lengths = [b - a for a, b in zip(starts, starts[1:] + [len(out.splitlines())])]
    assert max(lengths) <= 4, lengths
    assert "2025-12-02  in-force  Secretary of Defense" in out
    assert "effective" not in out  # every effective date is its version's name here


def test_show_keeps_urls_whole_and_lists_sources_after_the_body(
        run: Callable[..., Result]) -> None:
    from policy_diff.parse.document import parse

    record = ROOT / "policies/us-apl/2025-12-02.md"
    urls = [s["url"] for s in parse(record.read_text(encoding="utf-8"), "r").front["sources"]
            if "url" in s]
    for width in ("80", "100", "140"):
        out = run("show", "us-apl@2025-12-02", "--store", STORE, "--width", width,
                  "--color", "never", "--no-pager").out
        lines = out.splitlines()
        for url in urls:
            assert any(line.strip() == url for line in lines), url  # whole, on its own line
        assert out.index("Notes on Sources") < out.index("\nSources\n")  # after the body
        assert " 1 Hegseth reverses land mine policy" in out
        assert "**" not in out and "`" not in out  # emphasis and code rendered, not shown
        assert "sets an interim policy" in " ".join(out.split())


def test_show_renders_lists_tables_and_keeps_raw_html_visible(
        tmp_path: Path, run: Callable[..., Result]) -> None:
    body = ("# T\n\nSome *emphasis* and `code` at https://example.org/" + "a" * 120 + "\n\n"
            "- one\n  - nested\n\n| A | B |\n|---|---|\n| x | y |\n\n<b>bold?</b>\n")
    path = write(tmp_path / "r.md", "---\ntitle: T\n---\n" + body)
    out = run("show", str(path), "--width", "60", "--color", "never", "--no-pager").out
    assert "https://example.org/" + "a" * 120 in out.splitlines()[-9] or \
        any(line.endswith("a" * 120) for line in out.splitlines())
    assert "• one" in out and "• nested" in out and "*" not in out.replace("*emphasis*", "")
    assert re.search(r"A\s+B", out) and "|" not in out
    assert "<b>bold?</b>" in out  # raw HTML is shown as text, never dropped


# -o FILE ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("command", [
    ["diff", "us-apl@2022-06-21", "us-apl@2025-12-02"], ["matrix", "us-apl"],
    ["blame", "us-apl@2025-12-02"], ["log", "us-apl"]])
@pytest.mark.parametrize("extension", ["json", "md", "html", "txt", "docx"])
def test_output_format_follows_the_extension(tmp_path: Path, run: Callable[..., Result],
                                             command: list[str], extension: str) -> None:
    formats = {"diff": "json md html txt docx", "matrix": "json md html txt",
               "blame": "json html txt", "log": "txt"}[command[0]].split()
    target = tmp_path / f"out.{extension}"
    result = run(*command, "--store", STORE, "-o", str(target))
    if extension not in formats:
        assert result.code == 2 and not target.exists()
        assert result.err.startswith(f"policy-diff: error: {command[0]} -o: cannot tell")
        return
    assert result.code in (0, 1) and result.out == "", result.err
    data = target.read_bytes()
    head = {"json": b"{", "html": b"<!DOCTYPE html>", "docx": b"PK"}.get(extension)
    if head:
        assert data.startswith(head)
    if extension == "txt":
        assert b"\x1b[" not in data and len(data.splitlines()) > 5
    if extension == "md":
        assert data.startswith(b"#")


def test_format_wins_over_the_extension_and_nothing_is_overwritten(
        tmp_path: Path, run: Callable[..., Result]) -> None:
    target = tmp_path / "report.txt"
    args = ["diff", "us-apl@2022-06-21", "us-apl@2025-12-02", "--store", STORE, "-o", str(target)]
    assert run(*args, "--format", "json").code == 1
    assert target.read_text(encoding="utf-8").startswith("{")
    again = run(*args)
    assert again.code == 2 and "already exists" in again.err
    assert target.read_text(encoding="utf-8").startswith("{")  # untouched
    assert run(*args, "--force").code == 1
    assert target.read_text(encoding="utf-8").startswith("--- us-apl@2022-06-21")


def test_the_blame_report_is_one_page_with_the_records_markdown(
        tmp_path: Path, run: Callable[..., Result]) -> None:
    out = run("blame", "us-apl@2025-12-02", "--store", STORE, "-f", "html").out
    assert out.startswith("<!DOCTYPE html>") and "<script" not in out and "http" not in \
        out.split("<body>")[0].replace('http-equiv', '')
    assert "<strong>interim</strong>" in out and "**" not in out
    assert "Interim DoD Landmine Policy (December 2025)" in out


@pytest.mark.parametrize("ref, first", [("us-apl@2099-01-01", "2025-12-02, 2022-06-21"),
                                        ("us-apl@1999", "1998-05-15, 1996-05-16"),
                                        ("us-apl@2014-07-01", "2014-06-27, 2014-09-23")])
def test_the_nearest_versions_are_the_closest_dates(run: Callable[..., Result], ref: str,
                                                    first: str) -> None:
    result = run("show", ref, "--store", STORE)
    assert result.code == 2 and f"nearest: {first}" in result.err


def test_summaries_say_what_kind_of_change_with_plurals_right() -> None:
    from policy_diff.diff.summary import one_line_summary

    diff = _sample_diff()
    assert one_line_summary(diff).endswith("sections: 3 new, 2 deleted, 7 edited")
    last = screen(width=200)[-2]
    assert last.startswith("5 key provisions changed; 8 metadata fields changed;")
    assert "(s)" not in last


def test_the_reports_keep_deleted_and_inserted_words_apart() -> None:
    from policy_diff.views.html import to_html
    from policy_diff.views.markdown import to_markdown

    diff = _sample_diff()
    for report in (to_markdown(diff), to_html(diff)):
        assert "<del>superseded</del> <ins>in-force</ins>" in report
        assert "Republic of Korea</del> <ins>landmines" in report
        assert "weapon — Daily Herald" in report  # a source by its publisher too


def test_history_and_changes_write_the_format_their_extension_names(
        tmp_path: Path, run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil
    import subprocess

    from conftest import record

    repo = tmp_path / "repo"
    (repo / "policies/demo").mkdir(parents=True)
    (tmp_path / "gitconfig").write_text("")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "gitconfig"))
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_NAME", "Staff")
        monkeypatch.setenv(f"GIT_{role}_EMAIL", "staff@example.org")
    git = lambda *args: subprocess.run(["git", *args], cwd=repo, check=True,  # noqa: E731
                                       capture_output=True)
    git("init", "-q", "-b", "main")
    path = repo / "policies/demo/v1.md"
    write(path, record())
    git("add", "-A")
    git("commit", "-qm", "one")
    write(path, record(body="# Demo\n\n## Scope\nAll staff and visitors.\n"))
    git("commit", "-qam", "two")
    monkeypatch.chdir(repo)
    assert shutil.which("git")
    for name, head in (("h.json", "["), ("h.txt", "")):
        result = run("history", "policies/demo/v1.md", "-o", str(tmp_path / name))
        assert result.code == 0 and result.out == "", result.err
        text = (tmp_path / name).read_text(encoding="utf-8")
        assert text.startswith(head) and "\x1b[" not in text and "two" in text
    result = run("changes", "HEAD~1", "HEAD", "-o", str(tmp_path / "c.md"))
    assert result.out == "" and (tmp_path / "c.md").read_text("utf-8").startswith("#")
    assert run("changes", "HEAD~1", "HEAD", "-o", str(tmp_path / "c.md")).code == 2  # kept
