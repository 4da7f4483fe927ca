"""history and changes on real repositories: REV:PATH, deleted and unreadable versions, names
and authors that try to forge lines or fields, streaming, and the same output on any -j."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, record


def git(repo: Path, *args: str, env: dict[str, str] | None = None) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}).stdout


def commit(repo: Path, files: dict[str, str | bytes | None], message: str, day: int = 1,
           author: str = "Ann Author") -> None:
    """Write (or, for None, remove) FILES and commit them all."""
    for name, content in files.items():
        path = repo / name
        if content is None:
            path.unlink()
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content if isinstance(content, bytes) else content.encode())
    when = f"2024-01-{day:02d}T12:00:00+00:00"
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", message, env={
        "GIT_AUTHOR_NAME": author, "GIT_AUTHOR_EMAIL": "ann@example.org",
        "GIT_COMMITTER_NAME": "C", "GIT_COMMITTER_EMAIL": "c@example.org",
        "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when})


def body(*paragraphs: str) -> str:
    return "# Demo\n\n## Scope\n" + "\n\n".join(paragraphs) + "\n\n## Duties\nReport.\n"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    monkeypatch.chdir(root)
    return root


RECORD = "policies/demo/v1.md"


def history(run, *args: str):  # type: ignore[no-untyped-def]
    return run("history", *args, "--no-pager", "--color", "never")


# ---------------------------------------------------------------- issue 11 item 6

def test_history_of_rev_path_is_the_history_as_of_rev(run, repo: Path) -> None:  # type: ignore[no-untyped-def]
    for day, words in enumerate(("All staff.", "All staff and visitors.", "Everyone."), 1):
        commit(repo, {RECORD: record(body=body(words))}, f"edit {day}", day)
    rows = json.loads(run("history", f"HEAD~1:{RECORD}", "-f", "json").out)
    assert [r["subject"] for r in rows] == ["edit 2", "edit 1"]
    head = json.loads(run("history", f"HEAD:{RECORD}", "-f", "json").out)
    assert [r["subject"] for r in head] == ["edit 3", "edit 2", "edit 1"]
    assert history(run, f"HEAD:{RECORD}").out == history(run, RECORD).out
    assert run("history", f"nosuchrev:{RECORD}").code == 2
    before = run("history", "HEAD~1:policies/demo/later.md")
    assert before.code == 2 and "no commit up to 'HEAD~1' changed" in before.err


def test_history_of_a_record_deleted_from_the_work_tree(run, repo: Path) -> None:  # type: ignore[no-untyped-def]
    commit(repo, {RECORD: record(body=body("All staff."))}, "add", 1)
    commit(repo, {RECORD: record(body=body("Everyone."))}, "widen", 2)
    commit(repo, {RECORD: None}, "drop it", 3)
    rows = json.loads(run("history", RECORD, "-f", "json").out)
    assert [(r["subject"], r["status"]) for r in rows] == [
        ("drop it", "removed"), ("widen", "modified"), ("add", "added")]
    logged = git(repo, "log", "--follow", "--format=%s", "--", RECORD).splitlines()
    assert len(rows) == len(logged)


def test_what_history_cannot_name_is_a_located_error_not_a_traceback(run, repo: Path) -> None:  # type: ignore[no-untyped-def]
    commit(repo, {RECORD: record()}, "add", 1)
    for target, words in ((f":{RECORD}", "names the index"),
                          ("policies/demo/never.md", "no commit changed it")):
        result = run("history", target)
        assert (result.code, result.out) == (2, "")
        assert result.err.startswith("policy-diff: error: ") and words in result.err
        assert result.err.count("\n") == 1


def test_a_revision_that_cannot_be_read_is_listed_and_marked(run, repo: Path) -> None:  # type: ignore[no-untyped-def]
    commit(repo, {RECORD: record(body=body("All staff."))}, "good", 1)
    commit(repo, {RECORD: record(body=body("All \xff staff.")).encode("latin-1")}, "bad bytes", 2)
    commit(repo, {RECORD: record(body=body("Everyone."))}, "good again", 3)
    result = run("history", RECORD, "-f", "json")
    rows = json.loads(result.out)
    assert [r["subject"] for r in rows] == ["good again", "bad bytes", "good"]
    assert result.code == 1
    assert "not valid UTF-8" in rows[1]["unreadable"] and rows[1]["summary"].startswith("cannot read")
    assert "not valid UTF-8" in rows[0]["unreadable"]  # its old side is the broken version
    assert "unreadable" not in rows[2]
    text = history(run, RECORD, "--patch").out
    assert "good again" in text and "cannot read" in text and "Traceback" not in text


def test_front_matter_that_is_not_strict_yaml_never_stops_a_history(run, repo: Path) -> None:  # type: ignore[no-untyped-def]
    commit(repo, {RECORD: record()}, "good", 1)
    commit(repo, {RECORD: record(extra="status: draft\n")}, "duplicate key", 2)
    commit(repo, {RECORD: record(extra="owner: !!python/unicode 'x'\n")}, "python tag", 3)
    result = run("history", RECORD, "-f", "json")
    assert result.code in (0, 1) and "Traceback" not in result.err
    assert [r["subject"] for r in json.loads(result.out)] == ["python tag", "duplicate key", "good"]


# ---------------------------------------------------------------- issue 13 item 5

def test_an_author_holding_a_field_separator_forges_nothing(run, repo: Path) -> None:  # type: ignore[no-untyped-def]
    forged = "Mallory\x1fceo@example.org\x1f1999-01-01T00:00:00+00:00\x1fforged"
    commit(repo, {RECORD: record()}, "real subject", 1, author=forged)
    row = json.loads(run("history", RECORD, "-f", "json").out)[0]
    assert (row["author"], row["email"], row["subject"]) == (forged, "ann@example.org",
                                                             "real subject")
    assert row["date"].startswith("2024-01-01")
    text = history(run, RECORD).out
    assert "Mallory\\x1fceo@example.org" in text and "1999" not in text.split("\\x1f")[0]
    assert text.splitlines()[0].startswith(row["commit"][:10] + "  2024-01-01  Mallory")


NEWLINE = "policies/demo/evil\nname.md"


def test_a_file_name_with_a_newline_prints_as_one_line_everywhere(run, repo: Path) -> None:  # type: ignore[no-untyped-def]
    commit(repo, {"policies/demo/ok.md": record()}, "first", 1)
    commit(repo, {NEWLINE: record(version="v2")}, "add a strange name", 2)
    shown = "policies/demo/evil\\x0aname.md"
    lines = history(run, "policies/demo").out.splitlines()
    assert any(line.strip() == f"{shown}: new record" for line in lines)
    assert not any(line.strip().startswith("name.md") for line in lines)
    changed = run("changes", "HEAD~1", "HEAD", "--color", "never")
    assert changed.code == 1
    assert changed.out.splitlines() == [f"added     {shown}  new record"]
    markdown = run("changes", "HEAD~1", "HEAD", "-f", "markdown").out
    assert f"`{shown}`" in markdown.replace("\\\\", "\\")
    rows = json.loads(run("changes", "HEAD~1", "HEAD", "-f", "json").out)
    assert rows[0]["path"] == NEWLINE  # JSON keeps the name exact
    (repo / NEWLINE).write_text("---\npolicy: [\n---\n", encoding="utf-8")
    problems = run("validate", NEWLINE).out.splitlines()
    assert problems and all(line.startswith(shown) for line in problems)


def test_the_git_driver_header_keeps_a_strange_name_on_one_line(repo: Path) -> None:
    from policy_diff.gitdriver import external_diff

    (repo / "old.md").write_text(record(), encoding="utf-8")
    (repo / "new.md").write_text(record(body=body("Everyone.")), encoding="utf-8")
    out = external_diff([NEWLINE, "old.md", "0" * 40, "100644", "new.md", "1" * 40, "100644"])
    first = out.splitlines()[0]
    assert first == "diff --policy a/policies/demo/evil\\x0aname.md b/policies/demo/evil\\x0aname.md"
    assert not any(line.startswith("name.md") for line in out.splitlines())


def test_one_reader_of_git_raw_output_serves_log_and_diff() -> None:
    from policy_diff.source.git import GitError, raw_entries

    stream = iter(["", "a" * 40, "A\x1fB", "e@x", "2024-01-01T00:00:00+00:00", "subject", "",
                   "\n:100644 100644 " + "1" * 40 + " " + "2" * 40 + " R090", "old\nname.md",
                   "commit " + "3" * 40, ""])
    [(header, entry)] = list(raw_entries(stream, header_size=5))
    assert header[1:3] == ("A\x1fB", "e@x")
    assert (entry.status, entry.old_path, entry.path) == ("R", "old\nname.md", "commit " + "3" * 40)
    with pytest.raises(GitError):
        list(raw_entries(iter([":100644 100644 " + "1" * 40 + " " + "2" * 40 + " M"])))


# ---------------------------------------------------------------- issue 17

@pytest.fixture
def busy(repo: Path) -> Path:
    """Three records over six commits: edits, a new version, a rename, a removal."""
    (repo / "policies" / "demo").mkdir(parents=True)
    (repo / "policies" / "demo" / "policy.yaml").write_text(
        (REPO / "policies" / "us-apl" / "policy.yaml").read_text())
    commit(repo, {"policies/demo/v1.md": record(body=body("All staff.")),
                  "policies/demo/v2.md": record(version="v2", body=body("All staff."))}, "two", 1)
    for day in range(2, 6):
        commit(repo, {f"policies/demo/v{1 + day % 2}.md":
                      record(version=f"v{1 + day % 2}", body=body(f"Staff of unit {day}.",
                                                                   "Visitors too." * day))},
               f"edit {day}", day)
    commit(repo, {"policies/demo/v3.md": record(version="v3", extra="supersedes: v2\n",
                                                body=body("Everyone."))}, "v3", 6)
    git(repo, "mv", "policies/demo/v1.md", "policies/demo/v1-old.md")
    commit(repo, {"policies/demo/v2.md": None}, "rename v1, drop v2", 7)
    return repo


COMMANDS = [["history", "demo", "--no-pager", "--color", "never"],
            ["history", "demo", "--no-pager", "--color", "always", "--patch", "--width", "70"],
            ["history", "policies/demo/v1-old.md", "-f", "json", "--patch"],
            ["history", "demo", "-f", "jsonl"],
            ["changes", "HEAD~6", "HEAD", "--color", "never"],
            ["changes", "HEAD~6", "HEAD", "-f", "json"],
            ["changes", "HEAD~6", "-f", "jsonl"],
            ["changes", "HEAD~6", "HEAD", "-f", "markdown"]]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c[:4]))
def test_one_process_and_two_print_the_same_bytes(run, busy: Path, command: list[str],  # type: ignore[no-untyped-def]
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from policy_diff.commands import stream

    monkeypatch.setattr(stream, "SMALL_JOB", 0)  # a pool from the second task, small as it is
    one, two = run(*command, "-j", "1"), run(*command, "-j", "2")
    assert one.out and (one.code, one.out, one.err) == (two.code, two.out, two.err)


def test_a_small_job_runs_without_a_pool_and_a_big_one_starts_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from policy_diff.commands import stream

    monkeypatch.setattr(stream, "SMALL_JOB", 3000)
    monkeypatch.setattr(stream, "BIG_TASK", 2000)
    for size, pooled in ((100, [False] * 8), (1000, [False] * 3 + [True] * 5),
                         (2000, [False] + [True] * 7)):
        seen = []
        with stream.Workers(_slow_square, 2, size=lambda n: size) as workers:  # noqa: B023
            for result in workers.map(range(8)):
                seen.append((result, workers.pool is not None))
        assert seen == list(zip([n * n for n in range(8)], pooled))


def test_streamed_json_lines_are_the_whole_document_items(run, busy: Path) -> None:  # type: ignore[no-untyped-def]
    for command in (["history", "demo"], ["history", "policies/demo/v1-old.md", "--patch"],
                    ["changes", "HEAD~6", "HEAD"]):
        whole = run(*command, "-f", "json").out
        lines = run(*command, "-f", "jsonl").out
        assert json.loads(whole) == [json.loads(line) for line in lines.splitlines()]
        assert len(json.loads(whole)) > 1


def test_streamed_terminal_view_is_the_whole_document_view(busy: Path) -> None:
    """Each commit laid out alone, as streaming prints it, equals the list laid out at once."""
    from policy_diff.views.history import commit_parts
    from policy_diff.views.text.layout import render
    from policy_diff.diff.revisions import record_history

    changes = record_history("policies/demo", follow=False)
    groups: list[list] = []  # type: ignore[type-arg]
    for change in changes:
        if groups and groups[-1][0].commit.sha == change.commit.sha:
            groups[-1].append(change)
        else:
            groups.append([change])
    assert len(groups) == 7 and any(len(group) > 1 for group in groups)
    for patch in (False, True):
        whole = render([part for group in groups for part in commit_parts(group, True, patch)],
                       72, False)
        streamed = "".join(render(commit_parts(group, True, patch), 72, False) for group in groups)
        assert streamed == whole


def test_each_piece_is_printed_before_the_next_is_worked_on() -> None:
    from policy_diff.commands.stream import Output, Progress, Workers, stream_pieces
    from policy_diff.diff.revisions import Piece

    printed: list[str] = []

    class Capture(Output):
        def write(self, text: str) -> None:
            printed.append(text)

    def tasks():  # type: ignore[no-untyped-def]
        for n in range(3):
            assert len(printed) == n  # everything before this task is already out
            yield n

    workers = Workers(lambda n: [Piece(f"piece {n}\n", 0)], 1)
    pieces = (piece for result in workers.map(tasks()) for piece in result)
    assert stream_pieces(pieces, Capture(), "", "", Progress("x", 3, False)) == (3, 0)
    assert printed == ["piece 0\n", "piece 1\n", "piece 2\n"]


def _slow_square(n: int) -> int:
    import time

    time.sleep(0.05 * (n % 3))
    return n * n


def test_a_pool_returns_results_in_task_order_with_bounded_tasks_in_flight() -> None:
    from policy_diff.commands.stream import Workers

    asked: list[int] = []

    def tasks():  # type: ignore[no-untyped-def]
        for n in range(20):
            asked.append(n)
            yield n

    with Workers(_slow_square, 2) as workers:
        results = []
        for result in workers.map(tasks()):
            results.append(result)
            assert len(asked) - len(results) <= 2 * 2 + 2  # the window, never the whole span
    assert results == [n * n for n in range(20)]


def test_changes_exit_codes_follow_diff(run, busy: Path) -> None:  # type: ignore[no-untyped-def]
    assert run("changes", "HEAD~6", "HEAD", "-q").code == 1
    same = run("changes", "HEAD", "HEAD", "--color", "never")
    assert (same.code, same.out) == (0, "No records changed.\n")
    assert run("changes", "HEAD", "HEAD", "-f", "json").out == "[]\n"


def test_no_progress_bar_when_stderr_is_not_a_terminal(run, busy: Path) -> None:  # type: ignore[no-untyped-def]
    result = run("changes", "HEAD~6", "HEAD")
    assert result.err == ""


def test_the_progress_bar_draws_on_a_terminal_and_clears_before_output(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from policy_diff.commands import stream

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    err, out = Terminal(), Terminal()
    monkeypatch.setattr(sys, "stderr", err)
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.setattr(stream.Progress, "DELAY", 0.0)
    progress = stream.Progress("records", 10, True)
    progress.advance(3)
    assert "records" in err.getvalue() and "3/10" in err.getvalue()
    progress.clear()
    assert err.getvalue().endswith("\r\x1b[2K")
    progress.close()
    quiet = stream.Progress("records", 10, False)
    quiet.advance(3)
    assert quiet.bar is None


def test_help_of_changes_names_its_options() -> None:
    helped = subprocess.run([sys.executable, "-m", "policy_diff", "changes", "--help"],
                            capture_output=True, text=True)
    assert helped.returncode == 0 and "--jobs" in helped.stdout and "jsonl" in helped.stdout


def test_no_progress_bar_when_the_output_goes_into_a_pipe(monkeypatch: pytest.MonkeyPatch) -> None:
    """`changes ... | less`: the reader draws on the terminal; a bar would break its screen."""
    import io

    from policy_diff.commands import stream

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    read, write = os.pipe()
    try:
        with os.fdopen(write, "w") as piped:
            monkeypatch.setattr(sys, "stderr", Terminal())
            monkeypatch.setattr(sys, "stdout", piped)
            monkeypatch.setenv("TERM", "xterm")
            assert not stream.Progress("records", 10, True).enabled
            monkeypatch.setattr(sys, "stdout", Terminal())
            assert stream.Progress("records", 10, True).enabled
    finally:
        os.close(read)


def test_a_long_job_forgets_parsed_pieces_now_and_then(run, busy: Path,  # type: ignore[no-untyped-def]
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The parser's caches count pieces, not bytes: a long history must not keep them all."""
    import importlib

    from policy_diff.diff import revisions

    parse = importlib.import_module("policy_diff.parse.document")
    parse.clear_caches()
    monkeypatch.setattr(revisions, "PARSED_BYTES", 10**9)
    run("history", "demo", "-j", "1", "-f", "jsonl")
    assert parse._piece_events.cache_info().currsize > 0
    monkeypatch.setattr(revisions, "PARSED_BYTES", 1)
    run("history", "demo", "-j", "1", "-f", "jsonl")
    assert parse._piece_events.cache_info().currsize == 0


def _readers_seen(_: int) -> int:
    from policy_diff.diff import revisions

    return len(revisions._READERS)


def test_workers_never_share_the_main_process_git_reader(busy: Path) -> None:
    """The pool forks after the first task, which may have started a `git cat-file` of its
    own: a worker that wrote to it too would mix two conversations on one pipe."""
    from policy_diff.diff import revisions
    from policy_diff.commands.stream import Workers

    revisions._reader(busy)
    try:
        with Workers(_readers_seen, 2, revisions.forget_readers) as workers:
            assert list(workers.map(range(6))) == [1, 0, 0, 0, 0, 0]
    finally:
        revisions.close_readers()
