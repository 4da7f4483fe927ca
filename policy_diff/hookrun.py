"""What the installed git hooks run on each commit: `pre-commit` and `prepare-commit-msg`.

`policy_diff.hooks` installs the hooks; this module is what they execute.  Hook scripts run
`python -P -m policy_diff.hooks <name>` (scripts already in users' repositories say so), and
that module's `main` imports this one and hands over.  The stages are apart because they run
at different times: the installer once per clone from the CLI, this on every commit, so each
loads only what its own stage needs.

The hooks read what git is committing from the index GIT_INDEX_FILE names (never the working
tree, never .git/index directly), so `git commit -a`, `git commit PATH` and partial staging are
judged on what is really committed.  This module is on the commit path: it imports no CLI
framework, and the diff machinery only when a record changed.
"""

from __future__ import annotations

import re
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from . import history
from .errors import PolicyDiffError, RecordError
from .files import write_file
from .hooks import HOOKS, git_config, store_prefix
from .model import Document, Manifest, Side
from .render.safe import sanitize
from .schema import Problem
from .store import MANIFEST, decode

PUBLISHED = ("in-force", "superseded", "rescinded")
SUMMARY_TITLE = "Policy changes:"
_TRAILER = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]*: \S")


# ------------------------------------------------------------------ staged records


class Staged:
    """What git is committing, read through the index the hook was given (GIT_INDEX_FILE)."""

    def __init__(self, top: Path) -> None:
        self.top = top
        self.prefix = store_prefix(top)
        self._listing: dict[str, set[str]] = {}
        self._manifests: dict[str, Manifest | None] = {}

    def changes(self, statuses: str) -> list[tuple[str, str, str]]:
        """(status, old path, new path) of staged store files, HEAD (or nothing) vs the index."""
        out = history.git("diff", "--cached", "--name-status", "-z", "-M", "--no-relative",
                          f"--diff-filter={statuses}", cwd=self.top)
        fields = out.decode("utf-8", "surrogateescape").split("\x00")
        changes, index = [], 0
        while index < len(fields) and fields[index]:
            status = fields[index][:1]
            step = 3 if status in "RC" else 2
            old, new = fields[index + 1], fields[index + step - 1]
            if self.locate(new):
                changes.append((status, old, new))
            index += step
        return changes

    def locate(self, path: str) -> tuple[str, str] | None:
        """(policy, file name) of a record or manifest directly in a policy folder, else None."""
        head = "" if self.prefix == "." else self.prefix + "/"
        if not path.startswith(head):
            return None
        parts = path[len(head):].split("/")
        if len(parts) != 2 or not (parts[1].endswith(".md") or parts[1] == MANIFEST):
            return None
        return parts[0], parts[1]

    def folder(self, policy: str) -> str:
        return policy if self.prefix == "." else f"{self.prefix}/{policy}"

    def files(self, policy: str) -> set[str]:
        """File names directly in the policy's folder, as the index has them."""
        if policy not in self._listing:
            folder = self.folder(policy)
            out = history.git("ls-files", "-z", "--", f":(literal){folder}", cwd=self.top)
            paths = out.decode("utf-8", "surrogateescape").split("\x00")
            self._listing[policy] = {p[len(folder) + 1:] for p in paths
                                     if p.startswith(folder + "/") and "/" not in p[len(folder) + 1:]}
        return self._listing[policy]

    def versions(self, policy: str) -> set[str]:
        return {name[:-3] for name in self.files(policy) if name.endswith(".md")}

    def manifest(self, policy: str) -> Manifest | None:
        """The staged policy.yaml, else the working tree's; None when absent or unreadable."""
        if policy not in self._manifests:
            self._manifests[policy] = self._load_manifest(policy)
        return self._manifests[policy]

    def _load_manifest(self, policy: str) -> Manifest | None:
        from .store import load_manifest

        path = f"{self.folder(policy)}/{MANIFEST}"
        try:
            if MANIFEST in self.files(policy):
                with materialized(policy, MANIFEST, history.read_at("", path)) as copy:
                    return load_manifest(copy)
            working = self.top / path
            return load_manifest(working) if working.is_file() else None
        except RecordError:
            return None  # reported when the manifest itself is staged; records still get checked

    def document(self, rev: str, path: str) -> Document | None:
        """PATH parsed at REV ("" = the index); None when it is absent there or unreadable."""
        from .parse import parse

        try:
            return parse(decode(history.read_at(rev, path), path), path)
        except PolicyDiffError:
            return None


@contextmanager
def materialized(policy: str, name: str, data: bytes) -> Iterator[Path]:
    """Staged bytes as `<tmp>/<policy>/<name>`, for the checks that read files by path."""
    with tempfile.TemporaryDirectory(prefix="policy-diff-") as tmp:
        path = Path(tmp, policy, name)
        path.parent.mkdir()
        path.write_bytes(data)
        yield path


# ------------------------------------------------------------------ pre-commit


def pre_commit() -> int:
    """Validate every staged record; refuse edits to published ones. Exit 1 on any error."""
    staged = Staged(history.top_level())
    problems: list[Problem] = []
    for _, _, path in staged.changes("ACMR"):
        policy, name = staged.locate(path)  # type: ignore[misc]
        if name == MANIFEST:
            problems += check_staged_manifest(staged, policy, path)
        else:
            problems += check_staged_record(staged, policy, name, path)
    for problem in problems:  # one line each, even for a file name holding a newline
        print(sanitize(str(problem)).replace("\n", "\\n"), file=sys.stderr)
    errors = sum(p.severity == "error" for p in problems)
    if errors:
        print(f"policy-diff: commit refused: {errors} problem(s) in staged records "
              f"(`git commit --no-verify` skips this check)", file=sys.stderr)
    return 1 if errors else 0


def check_staged_manifest(staged: Staged, policy: str, path: str) -> list[Problem]:
    from .frozen import replace

    from .schema import check_manifest

    with materialized(policy, MANIFEST, history.read_at("", path)) as copy:
        return [replace(p, path=path) for p in check_manifest(copy)]


def check_staged_record(staged: Staged, policy: str, name: str, path: str) -> list[Problem]:
    """Record rules on the staged text, `supersedes` against the index, and immutability."""
    from .parse import parse
    from .schema import check_record

    try:
        doc = parse(decode(history.read_at("", path), path), path)
    except RecordError as exc:
        return [Problem(path, exc.line, exc.message)]
    problems = check_record(doc, staged.manifest(policy), policy, name[:-3])
    problems += _check_supersedes(staged, policy, doc) + _check_agreement(staged, policy, doc)
    return problems + _check_published(staged, policy, doc)


def _check_agreement(staged: Staged, policy: str, doc: Document) -> list[Problem]:
    """Warnings (never a refusal) where a provision and its section disagree on what changed
    since the version the record supersedes."""
    from .schema import agreement_warnings

    target = doc.front.get("supersedes")
    if not isinstance(target, str) or target not in staged.versions(policy):
        return []
    before = staged.document("", f"{staged.folder(policy)}/{target}.md")
    return agreement_warnings(before, doc, staged.manifest(policy)) if before else []


def _check_supersedes(staged: Staged, policy: str, doc: Document) -> list[Problem]:
    target = doc.front.get("supersedes")
    if not isinstance(target, str) or not target or target in staged.versions(policy):
        return []
    return [Problem(doc.path, _key_line(doc, "supersedes"),
                    f"supersedes {target!r}, but {staged.folder(policy)}/{target}.md is not "
                    f"in the commit")]


def _check_published(staged: Staged, policy: str, doc: Document) -> list[Problem]:
    """A record HEAD has as published may change its status or metadata, not its substance."""
    old = staged.document("HEAD", doc.path)
    status = old.front.get("status") if old else None
    if old is None or status not in PUBLISHED:
        return []
    changed = []
    if old.front.get("provisions") != doc.front.get("provisions"):
        changed.append("provisions")
    if (old.title, old.sections) != (doc.title, doc.sections):
        changed.append("body")
    if not changed:
        return []
    line = _provision_line(old, doc) if changed[0] == "provisions" else _body_line(old, doc)
    return [Problem(doc.path, line,
                    f"published version (status {status}) is immutable: its "
                    f"{' and '.join(changed)} changed; create a new version instead "
                    f"(policy-diff new {policy} --version NEW_VERSION)")]


def _key_line(doc: Document, key: str) -> int:
    lines = getattr(doc.front, "key_lines", {})
    return lines.get(key, 1)


def _provision_line(old: Document, new: Document) -> int:
    """The line of the first provision of NEW whose value differs from OLD's."""
    before, after = old.front.get("provisions"), new.front.get("provisions")
    lines = getattr(after, "key_lines", {})
    if isinstance(before, dict) and isinstance(after, dict):
        for key, value in after.items():
            if before.get(key) != value and key in lines:
                return lines[key]
    return _key_line(new, "provisions")


def _body_line(old: Document, new: Document) -> int:
    """The first line of NEW that differs from OLD: its title, a heading, or a block."""
    if old.title != new.title and new.title_line:
        return new.title_line
    for before, after in zip(old.sections, new.sections):
        if before != after:
            if before.heading == after.heading:  # the heading stands: point at the block
                changed = [a.line for b, a in zip(before.blocks, after.blocks) if b != a]
                extra = [a.line for a in after.blocks[len(before.blocks):]]
                if (changed or extra) and (changed or extra)[0]:
                    return (changed or extra)[0]
            return after.line or (after.blocks[0].line if after.blocks else 1)
    last = new.sections[-1] if new.sections else None
    return (last.line or 1) if last else (new.title_line or 1)


# ------------------------------------------------------------------ prepare-commit-msg


def prepare_commit_msg(argv: list[str]) -> int:
    """Add a `Policy changes:` block to the message; never fail the commit for it."""
    source = argv[1] if len(argv) > 1 else ""
    if not argv or source in ("merge", "squash"):
        return 0
    try:
        top = history.top_level()
        entries = summary_entries(Staged(top))
        if entries:
            message = Path(argv[0])
            text = message.read_bytes().decode("utf-8", "surrogateescape")
            updated = add_summary(text, entries, _comment_char(top))
            if updated != text:
                write_file(message, updated.encode("utf-8", "surrogateescape"), overwrite=True)
    except PolicyDiffError as exc:
        print(f"policy-diff: warning: no policy summary added: {sanitize(str(exc))}",
              file=sys.stderr)
    return 0


def summary_entries(staged: Staged) -> list[str]:
    """`- POLICY@VERSION: summary` for each staged record with a version to compare against."""
    entries = []
    for status, old_path, path in staged.changes("AMR"):
        policy, name = staged.locate(path)  # type: ignore[misc]
        if name == MANIFEST:
            continue
        entry = _summary_entry(staged, policy, status, old_path, path)
        if entry:
            entries.append(entry)
    return entries


def _summary_entry(staged: Staged, policy: str, status: str, old_path: str,
                   path: str) -> str | None:
    from .compare import compare
    from .render.stats import one_line_summary

    new = staged.document("", path)
    if new is None:
        return None
    if status == "A":
        target = new.front.get("supersedes")
        earlier = f"{staged.folder(policy)}/{target}.md" if isinstance(target, str) else None
        old = staged.document("", earlier) if earlier and target else None
    else:
        old = staged.document("HEAD", old_path)
    if old is None:
        return None
    diff = compare(_side(old, policy), _side(new, policy), staged.manifest(policy))
    if diff.identical and status != "R":
        return None
    what = {"A": f"new version, against {_side(old, policy).version}; ",
            "R": f"renamed from {old_path}; "}.get(status, "")
    return sanitize(f"- {_side(new, policy).ref}: {what}{one_line_summary(diff)}")


def _side(doc: Document, policy: str) -> Side:
    version = doc.front.get("version")
    version = version if isinstance(version, str) else Path(doc.path).stem
    return Side(ref=f"{policy}@{version}", path=doc.path, policy=policy, version=version,
                document=doc)


def add_summary(message: str, entries: list[str], comment: str = "#") -> str:
    """Put the block after the user's text (before trailers) and before git's comments.

    >>> add_summary("Fix scope\\n", ["- p@2: scope broadened"])
    'Fix scope\\n\\nPolicy changes:\\n- p@2: scope broadened\\n'
    """
    lines = message.split("\n")
    scissors = f"{comment} ------------------------ >8 ------------------------"
    cut = lines.index(scissors) if scissors in lines else len(lines)
    if SUMMARY_TITLE in lines[:cut]:
        return message  # already there (an amend, or a message reused with -c/-C)
    end = cut
    while end > 0 and (not lines[end - 1].strip() or lines[end - 1].startswith(comment)):
        end -= 1
    text, tail = lines[:end], lines[end:]
    trailers = _trailer_start(text)
    # With no text yet (the editor is about to open) line 1 stays free for the subject.
    block = ["", SUMMARY_TITLE, *entries] if text[:trailers] else ["", "", SUMMARY_TITLE, *entries]
    block += text[trailers:]  # the trailers keep their blank line and stay last
    if tail and tail[0]:
        block.append("")
    return "\n".join(text[:trailers] + block + tail)


def _trailer_start(text: list[str]) -> int:
    """Where a closing paragraph of `Key: value` trailers (Signed-off-by...) starts, else the end."""
    blanks = [i for i, row in enumerate(text) if not row.strip()]
    if not blanks:
        return len(text)
    paragraph = text[blanks[-1] + 1:]
    return blanks[-1] if paragraph and all(_TRAILER.match(row) for row in paragraph) \
        else len(text)


def _comment_char(top: Path) -> str:
    value = git_config(top, "core.commentChar")
    return value if len(value) == 1 else "#"  # "auto" picks per message: "#" is its first pick


# ------------------------------------------------------------------ entry point


def run_hook(name: str, argv: list[str]) -> int:
    """Run hook NAME with git's arguments; return its exit status."""
    if name == "pre-commit":
        return pre_commit()
    if name == "prepare-commit-msg":
        return prepare_commit_msg(argv)
    print(f"policy-diff: error: unknown hook {name!r} (known: {', '.join(HOOKS)})",
          file=sys.stderr)
    return 2


def main(argv: list[str] | None = None) -> int:
    """Run HOOK [ARGS...]; `python -m policy_diff.hooks`, what the scripts call, lands here."""
    args = sys.argv[1:] if argv is None else argv
    if not args:
        print(f"usage: python -m policy_diff.hooks {{{','.join(HOOKS)}}} [ARGS...]",
              file=sys.stderr)
        return 2
    try:
        return run_hook(args[0], args[1:])
    except PolicyDiffError as exc:
        print(f"policy-diff: error: {sanitize(str(exc))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
