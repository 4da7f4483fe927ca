"""`policy-diff check BASE..HEAD`: every commit of a range held to the rules the hooks keep.

Local hooks can be skipped (`git commit --no-verify`) or never installed; this check runs
where they cannot be: in CI, in a `pre-push` hook, in a server's `pre-receive` hook (a bare
repository is fine: nothing is read from a working tree).  Each commit is compared with its
first parent, so a merge is judged on what it brings in, and every commit of a merged
branch on its own.  All blobs of the range are read through one `git cat-file --batch`.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from ..source import git
from ..source.git import blob_reader
from ..errors import UsageError
from ..frozen import replace
from .install import store_prefix
from .run import Snapshot, check_snapshot, raw_changes, report
from ..rules.schema import Problem
from ..text.safe import sanitize

ZERO = "0" * 40
RANGE_ENV = ("PRE_COMMIT_FROM_REF", "PRE_COMMIT_TO_REF")  # the pre-commit framework's pre-push


def repository() -> Path:
    """Where git commands run: the work tree's top, or a bare repository's own folder."""
    bare = git.git("rev-parse", "--is-bare-repository", check=False).decode().strip()
    if bare == "true":
        return Path(os.fsdecode(git.git("rev-parse", "--absolute-git-dir")).rstrip("\n"))
    return git.top_level()


def parse_range(spec: str | None) -> list[str]:
    """The rev-list arguments of `BASE..HEAD`, or of `HEAD` (all its history), as commit ids.

    Without SPEC, the pre-commit framework's PRE_COMMIT_FROM_REF and PRE_COMMIT_TO_REF.  A
    BASE of zeros (git's "no commit", as hooks get it for a new branch) means no base.
    """
    if spec is None:
        base, head = (os.environ.get(name, "") for name in RANGE_ENV)
        if not head:
            raise UsageError("check needs a range: BASE..HEAD (or HEAD for all its history)")
        spec = f"{base}..{head}" if base else head
    base, dots, head = spec.partition("..")
    if not dots:
        base, head = "", spec
    if head.startswith("."):
        raise UsageError(f"check takes BASE..HEAD, not {spec!r} (a symmetric ... range is not "
                         f"a history to check)")
    include = [git.check_revision(head or "HEAD")]
    exclude = [f"^{git.check_revision(base)}"] if base and base.strip("0") else []
    return include + exclude


def commits(top: Path, revs: list[str]) -> list[tuple[str, str | None]]:
    """(commit, first parent or None) for each commit of `git rev-list REVS`, parents first.

    REVS are commit ids git gave (check_revision's answers, a hook's input) and options
    built here: nothing a user typed reaches git as an option.
    """
    rows = git.git("rev-list", "--reverse", "--topo-order", "--parents", *revs,
                       cwd=top).decode().split("\n")
    return [(ids[0], ids[1] if len(ids) > 1 else None) for ids in map(str.split, rows) if ids]


def check_commits(top: Path, found: list[tuple[str, str | None]]) -> tuple[list[Problem], int]:
    """The problems of each commit's store changes, each located `COMMIT:PATH:LINE`."""
    problems: list[Problem] = []
    statuses: dict[str, str | None] = {}  # each blob's status read once for the whole range
    carried: dict[tuple[str, str], Any] = {}  # and the last published states carried along
    loaded: dict[tuple[str, str], Any] = {}  # and each manifest version loaded once
    changed = store_changes(top, found)
    with blob_reader(top=top) as reader:
        for commit, parent in found:
            if commit not in changed:
                continue
            snapshot = Snapshot(top, reader, commit, parent)
            snapshot.statuses, snapshot.carried, snapshot.loaded = statuses, carried, loaded
            problems += [replace(p, path=f"{commit[:12]}:{p.path}")
                         for p in check_snapshot(snapshot, raw_changes(changed[commit]))]
    return problems, len(changed)


def store_changes(top: Path, found: list[tuple[str, str | None]]) -> dict[str, bytes]:
    """Each commit's raw changes in the store against its first parent (commits that change
    nothing there are left out), from one `git diff-tree --stdin` for the whole range."""
    prefix = store_prefix(top)
    lines = "".join(f"{commit} {parent}\n" if parent else f"{commit}\n"
                    for commit, parent in found)
    out = git.git("diff-tree", "--stdin", "--root", "-r", "-z", "-M", "--raw",
                      "--no-abbrev", "--no-ext-diff", "--",
                      f":(literal){prefix}" if prefix != "." else ".", cwd=top,
                      input=lines.encode())
    fields = out.split(b"\x00")
    changed: dict[str, list[bytes]] = {}
    commit, index = "", 0
    while index < len(fields):  # COMMIT, then `:raw line` + one or two paths per change
        field = fields[index]
        if field.startswith(b":"):
            step = 3 if field.split()[4][:1] in (b"R", b"C") else 2
            changed[commit] += fields[index:index + step]
            index += step
            continue
        if field:
            commit = field.decode().strip()
            changed[commit] = []
        index += 1
    return {commit: b"\x00".join(parts) + b"\x00" for commit, parts in changed.items() if parts}


def run_check(spec: str | None) -> int:
    """The `check` command: problems on stdout, a count on stderr; exit 1 on any error."""
    top = repository()
    found = commits(top, parse_range(spec))
    problems, touched = check_commits(top, found)
    for problem in problems:
        print(sanitize(str(problem)).replace("\n", "\\n"))
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    found_text = ", ".join(f"{n} {word}" for n, word in ((errors, "error(s)"), (warnings, "warning(s)"))
                           if n) or "no problems"
    print(f"checked {len(found)} commit(s), {touched} of them changing policy records: "
          f"{found_text}", file=sys.stderr)
    return 1 if errors else 0


def pre_push(stdin: str, remote: str) -> int:
    """The pre-push hook: each pushed ref's new commits (those the remote lacks) checked."""
    top = git.top_level()
    problems: list[Problem] = []
    for row in stdin.splitlines():
        fields = row.split()
        if len(fields) != 4 or not fields[1].strip("0"):
            continue  # a deleted ref: nothing to check
        local, remote_sha = fields[1], fields[3]
        if remote_sha.strip("0") and _is_commit(top, remote_sha):
            found = commits(top, [local, f"^{remote_sha}"])
        else:  # a new branch, or a remote commit not fetched: what no remote-tracking ref has
            found = commits(top, [local, "--not", f"--remotes={remote}"])
        problems += check_commits(top, found)[0]
    return report(problems, "push refused", "`git push --no-verify` skips this check; CI "
                                            "running `policy-diff check` does not")


def _is_commit(top: Path, rev: str) -> bool:
    return not git.git("cat-file", "-t", rev, cwd=top, check=False).strip() != b"commit"
