"""What the installed git hooks run: `pre-commit` and `pre-merge-commit` (the rules, below),
`prepare-commit-msg` (a summary) and `pre-push` (`policy-diff check` of what the remote lacks).

The rules apply to a Snapshot, what one commit or the index holds beside its parent; `check.py`
applies the same rules to every commit of a range.

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
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from ..source import git
from ..errors import PolicyDiffError, RecordError
from ..source.files import decode, write_file
from ..frozen import frozen, replace
from ..source.git import BlobReader, blob_reader
from .install import checked_mark, git_config, store_prefix
from ..model import Document, Manifest, Side, side_of
from ..text.safe import sanitize
from ..parse.document import parse
from ..rules.schema import (Problem, agreement_warnings, check_manifest, check_record,
                            conflict_markers)
from ..source.manifests import MANIFEST, load_manifest, manifest_beside

PUBLISHED = ("in-force", "superseded", "rescinded")
SUMMARY_TITLE = "Policy changes:"
_TRAILER = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]*: \S")


# ------------------------------------------------------------------ snapshots


@frozen
class Change:
    """One file's change in `git diff --raw`: status, paths and blob ids (None: absent)."""

    status: str
    old_path: str | None
    new_path: str | None
    old_blob: str | None
    new_blob: str | None


def raw_changes(out: bytes) -> list[Change]:
    """`git diff --raw -z --no-abbrev` (or diff-tree) as Changes, read by git's one reader."""
    changes = []
    for _, entry in git.raw_output(out):
        copy = entry.status in "AC"  # a copy is a new file: its source stays as it was
        changes.append(Change(entry.status, None if copy else entry.old_path,
                              None if entry.status == "D" else entry.path,
                              None if copy else entry.old_blob,
                              None if entry.status == "D" else entry.new_blob))
    return changes


class Snapshot:
    """What one commit (or the index) holds in the store, beside its parent, read through one
    `git cat-file --batch` however many records there are (a process per record took 40 s
    for 3,000)."""

    def __init__(self, top: Path, reader: BlobReader, rev: str, parent: str | None) -> None:
        self.top = top
        self.reader = reader
        self.rev = rev  # a commit id, or "" for the index
        self.parent = parent  # None: nothing before it (a root commit, an unborn branch)
        self.prefix = store_prefix(top)
        self._manifests: dict[str, Manifest | None] = {}
        self.statuses: dict[str, str | None] = {}  # blob id -> status (share it across commits)
        self.loaded: dict[tuple[str, str], Manifest] = {}  # (policy, blob id) -> its manifest
        self.references: dict[tuple[str, str], tuple[Document, str] | None] = {}
        # (path, blob) -> the last published state once a commit left the record as that blob:
        # `check` carries it from commit to commit instead of walking the history each time.
        self.carried: dict[tuple[str, str], tuple[Document, str] | None] = {}

    def status_of(self, blob: str) -> str | None:
        """The front matter's status of a blob, each blob read once."""
        if blob not in self.statuses:
            self.statuses[blob] = front_status(self.reader.blob(blob))
        return self.statuses[blob]

    def locate(self, path: str | None) -> tuple[str, str] | None:
        """(policy, file name) of a record or manifest directly in a policy folder, else None."""
        head = "" if self.prefix == "." else self.prefix + "/"
        if path is None or not path.startswith(head):
            return None
        parts = path[len(head):].split("/")
        if len(parts) != 2 or not (parts[1].endswith(".md") or parts[1] == MANIFEST):
            return None
        return parts[0], parts[1]

    def folder(self, policy: str) -> str:
        return policy if self.prefix == "." else f"{self.prefix}/{policy}"

    def read(self, rev: str | None, path: str) -> bytes | None:
        """PATH's bytes at REV ("" = the index, None = nothing there), None when absent."""
        if rev is None:
            return None
        found = self.reader.read(rev, path)
        return found[1] if found else None

    def exists(self, path: str) -> bool:
        return self.read(self.rev, path) is not None

    def document(self, rev: str | None, path: str) -> Document | None:
        """PATH parsed at REV ("" = the index); None when it is absent there or unreadable."""
        return self.parse(self.read(rev, path), f"{rev}:{path}" if rev else path)

    def parse(self, data: bytes | None, label: str) -> Document | None:
        if data is None:
            return None
        try:
            return parse(decode(data, label), label)
        except PolicyDiffError:
            return None

    def manifest(self, policy: str) -> Manifest | None:
        """The policy.yaml of this snapshot; None when absent or unreadable."""
        if policy not in self._manifests:
            self._manifests[policy] = self._load_manifest(policy)
        return self._manifests[policy]

    def _load_manifest(self, policy: str) -> Manifest | None:
        found = self.reader.read(self.rev, f"{self.folder(policy)}/{MANIFEST}")
        try:
            if found is None:
                return self._fallback_manifest(policy)
            key = (policy, found[0])  # the same manifest in many commits is loaded once
            if key not in self.loaded:
                with materialized(policy, MANIFEST, found[1]) as copy:
                    self.loaded[key] = load_manifest(copy)
            return self.loaded[key]
        except RecordError:
            return None  # reported when the manifest itself is staged; records still get checked

    def _fallback_manifest(self, policy: str) -> Manifest | None:
        return None


class Staged(Snapshot):
    """What git is committing, read through the index the hook was given (GIT_INDEX_FILE).

    It is compared with BASE: HEAD by default.  The pre-commit hook passes the last commit
    it checked instead, so what came in meanwhile without the hook (a cherry-pick, a rebase,
    a `--no-verify` commit) is judged too, on its net effect.
    """

    def __init__(self, top: Path, reader: BlobReader, base: str = "HEAD") -> None:
        found = git.git("rev-parse", "--verify", "--quiet", "--end-of-options",
                            f"{base}^{{commit}}", cwd=top, check=False).decode().strip()
        super().__init__(top, reader, "", found or None)
        self._changes: list[Change] | None = None

    def raw(self) -> list[Change]:
        """Staged changes of store files, BASE (or nothing) against the index."""
        if self._changes is None:
            out = git.git("diff", "--cached", "--raw", "-z", "-M", "--no-abbrev",
                              "--no-relative", "--no-ext-diff", *([self.parent] if self.parent
                                                                  else []), cwd=self.top)
            self._changes = [c for c in raw_changes(out)
                             if self.locate(c.new_path) or self.locate(c.old_path)]
        return self._changes

    def changes(self, statuses: str) -> list[tuple[str, str, str]]:
        """(status, old path, new path) of staged store files with one of STATUSES."""
        # locate() finds only a path that is there: new_path is set.
        return [(c.status, c.old_path or c.new_path, c.new_path) for c in self.raw()  # type: ignore[misc]
                if c.status in statuses and self.locate(c.new_path)]

    def _fallback_manifest(self, policy: str) -> Manifest | None:
        return manifest_beside(self.top / self.folder(policy))  # not staged: the work tree's


@contextmanager
def materialized(policy: str, name: str, data: bytes) -> Iterator[Path]:
    """Staged bytes as `<tmp>/<policy>/<name>`, for the checks that read files by path."""
    with tempfile.TemporaryDirectory(prefix="policy-diff-") as tmp:
        path = Path(tmp, policy, name)
        path.parent.mkdir()
        path.write_bytes(data)
        yield path


# ------------------------------------------------------------------ the rules


def check_snapshot(snapshot: Snapshot, changes: list[Change]) -> list[Problem]:
    """Every rule for the store files CHANGES touch: record format, supersedes, and the guard."""
    problems: list[Problem] = []
    for change in changes:
        new = snapshot.locate(change.new_path)
        old = snapshot.locate(change.old_path)
        if old and old[1] != MANIFEST and change.status in "DR":
            problems += check_removed(snapshot, change, old[0])
        if new is None or change.new_path is None:
            continue
        policy, name = new
        data = snapshot.read(snapshot.rev, change.new_path) if change.new_blob is None \
            else snapshot.reader.blob(change.new_blob)
        if data is None:
            continue  # a submodule or a link: not a record git can give the bytes of
        if name == MANIFEST:
            problems += check_staged_manifest(policy, change.new_path, data)
        else:
            problems += check_staged_record(snapshot, change, policy, data)
    return problems


def check_staged_manifest(policy: str, path: str, data: bytes) -> list[Problem]:
    with materialized(policy, MANIFEST, data) as copy:
        return [replace(p, path=path) for p in check_manifest(copy)]


def check_staged_record(snapshot: Snapshot, change: Change, policy: str,
                        data: bytes) -> list[Problem]:
    """Record rules on the committed text, `supersedes` against the same tree, and the guard."""
    path = change.new_path or ""
    name = path.rsplit("/", 1)[-1]
    try:
        text = decode(data, path)
    except RecordError as exc:
        return [Problem(path, exc.line, exc.message)]
    problems = conflict_markers(text, path)  # first: they often break the YAML too
    try:
        doc = parse(text, path)
    except RecordError as exc:
        return problems + [Problem(path, exc.line, exc.message)]
    problems += check_record(doc, snapshot.manifest(policy), policy, name[:-3])
    problems += _check_supersedes(snapshot, policy, doc) + _check_agreement(snapshot, policy, doc)
    if change.old_path is not None:
        problems += _check_published(snapshot, change, policy, doc)
    carry(snapshot, change, doc)
    return problems


def check_removed(snapshot: Snapshot, change: Change, policy: str) -> list[Problem]:
    """A published version keeps its file: never removed, never renamed."""
    reference = published_reference(snapshot, change)
    if reference is None:
        return []
    status = reference[0].front.get("status")
    if change.status == "D":
        advice = "; set its status to superseded or rescinded instead" \
            if status == "in-force" else ""
        return [Problem(change.old_path or "", None,
                        f"published version (status {status}) cannot be removed: published "
                        f"versions stay in the store{advice}")]
    return [Problem(change.new_path or "", None,
                    f"published version (status {status}) cannot be renamed (from "
                    f"{change.old_path}): its file name is its version; copy it with "
                    f"policy-diff new {policy} --version NEW_VERSION instead")]


def published_reference(snapshot: Snapshot, change: Change) -> tuple[Document, str] | None:
    """The last published state of the changed record before this change, and where it is.

    Its parent's version when that is published; else the newest published one in the
    record's history, so a status set back to draft in one commit (with --no-verify) does
    not free the next commit to edit the text.  The history's versions are judged by the
    status line of their front matter, each blob once (`check` walks many commits).
    """
    path = change.old_path
    if path is None or snapshot.parent is None:
        return None
    key = (snapshot.parent, path)
    if key not in snapshot.references:
        carried = (path, change.old_blob or "")
        if carried in snapshot.carried and snapshot.status_of(carried[1]) not in PUBLISHED:
            snapshot.references[key] = snapshot.carried[carried]
        else:
            snapshot.references[key] = _last_published(snapshot, change, path, snapshot.parent)
    return snapshot.references[key]


def carry(snapshot: Snapshot, change: Change, doc: Document) -> None:
    """Note the last published state this commit leaves the record in, for the next commit."""
    if change.new_path is None or change.new_blob is None or not snapshot.rev:
        return
    if doc.front.get("status") in PUBLISHED:
        state: tuple[Document, str] | None = (doc, snapshot.rev[:12])
    else:
        state = published_reference(snapshot, change) if change.old_path else None
    snapshot.carried[(change.new_path, change.new_blob)] = state


def _last_published(snapshot: Snapshot, change: Change, path: str,
                    parent: str) -> tuple[Document, str] | None:
    if change.old_blob and snapshot.status_of(change.old_blob) in PUBLISHED:
        old = snapshot.parse(snapshot.reader.blob(change.old_blob), f"{parent[:12]}:{path}")
        return (old, parent[:12]) if old is not None else None
    out = git.git("log", "--format=%x00%H%x00", "--raw", "-z", "--no-abbrev", "--no-renames",
                      "--end-of-options", parent, "--", f":(literal){path}", cwd=snapshot.top)
    for (commit,), entry in git.raw_output(out, header_size=1):
        blob = entry.new_blob
        if blob and snapshot.status_of(blob) in PUBLISHED:
            doc = snapshot.parse(snapshot.reader.blob(blob), f"{commit[:12]}:{path}")
            return (doc, commit[:12]) if doc is not None else None
    return None


_STATUS = re.compile(rb"^status:[ \t]*[\"']?([A-Za-z-]+)", re.MULTILINE)


def front_status(data: bytes | None) -> str | None:
    """The status a record's front matter states, read from its line (no YAML parse)."""
    if not data or not data.startswith(b"---"):
        return None
    end = data.find(b"\n---", 3)
    found = _STATUS.search(data, 0, end if end != -1 else len(data))
    return found.group(1).decode() if found else None


def _check_agreement(snapshot: Snapshot, policy: str, doc: Document) -> list[Problem]:
    """Warnings (never a refusal) where a provision and its section disagree on what changed
    since the version the record supersedes."""
    target = doc.front.get("supersedes")
    if not isinstance(target, str) or not target or "\n" in target:
        return []
    before = snapshot.document(snapshot.rev, f"{snapshot.folder(policy)}/{target}.md")
    return agreement_warnings(before, doc, snapshot.manifest(policy)) if before else []


def _check_supersedes(snapshot: Snapshot, policy: str, doc: Document) -> list[Problem]:
    target = doc.front.get("supersedes")
    if not isinstance(target, str) or not target:
        return []
    wanted = f"{snapshot.folder(policy)}/{target}.md"
    if "\n" not in target and snapshot.exists(wanted):
        return []
    return [Problem(doc.path, _key_line(doc, "supersedes"),
                    f"supersedes {target!r}, but {wanted} is not in the commit")]


# Where each status may be later (draft -> in-force -> superseded or rescinded, in-force ->
# rescinded): a published version only moves forward, and a check over several commits
# at once may see two steps as one.
FORWARD = {"draft": ("draft", "in-force", "superseded", "rescinded"),
           "in-force": ("in-force", "superseded", "rescinded"),
           "superseded": ("superseded",), "rescinded": ("rescinded",)}


def _check_published(snapshot: Snapshot, change: Change, policy: str,
                     doc: Document) -> list[Problem]:
    """A published record may change its status forward and its metadata, not its substance."""
    reference = published_reference(snapshot, change)
    old_doc = snapshot.parse(snapshot.reader.blob(change.old_blob) if change.old_blob else None,
                             change.old_path or "")
    problems = _check_status(old_doc, reference, doc)
    if reference is None:
        return problems
    old, where = reference
    status = old.front.get("status")
    changed = []
    if old.front.get("provisions") != doc.front.get("provisions"):
        changed.append("provisions")
    if (old.title, old.sections) != (doc.title, doc.sections):
        changed.append("body")
    if not changed:
        return problems
    line = _provision_line(old, doc) if changed[0] == "provisions" else _body_line(old, doc)
    since = "" if old_doc is not None and old_doc.front.get("status") in PUBLISHED \
        else f" since it was published (at {where})"
    return problems + [Problem(doc.path, line,
                               f"published version (status {status}) is immutable: its "
                               f"{' and '.join(changed)} changed{since}; create a new version "
                               f"instead (policy-diff new {policy} --version NEW_VERSION)")]


def _check_status(old: Document | None, reference: tuple[Document, str] | None,
                  doc: Document) -> list[Problem]:
    """Status moves only forward: from the parent's, and from the last published one."""
    new = doc.front.get("status")
    earlier = [(old, "before")] + ([(reference[0], f"at {reference[1]}")] if reference else [])
    for before, where in earlier:
        status = before.front.get("status") if before is not None else None
        if isinstance(status, str) and status in FORWARD and isinstance(new, str) \
                and new in FORWARD and new not in FORWARD[status]:
            allowed = " or ".join(s for s in FORWARD[status] if s != status) or "nothing else"
            return [Problem(doc.path, _key_line(doc, "status"),
                            f"status moved back from {status} ({where}) to {new}: a status "
                            f"only moves forward ({status} may become {allowed})")]
    return []


# ------------------------------------------------------------------ pre-commit


def pre_commit() -> int:
    """Validate every staged record; refuse edits to published ones. Exit 1 on any error.

    The index is compared with the last commit this hook found good when HEAD descends from
    it (else with HEAD): commits made meanwhile without the hook are held to the rules too.
    """
    top = git.top_level()
    mark = checked_mark(top)
    head = git.git("rev-parse", "--verify", "--quiet", "HEAD^{commit}", cwd=top,
                       check=False).decode().strip()
    base = _checked_base(top, mark, head)
    with blob_reader(top=top) as reader:
        staged = Staged(top, reader, base)
        problems = check_snapshot(staged, staged.raw())
    if problems and base != "HEAD":
        print(f"policy-diff: the commit is compared with {base[:12]}, the last one this hook "
              f"checked: the commits since were made without it (a cherry-pick, a rebase, "
              f"--no-verify); undo what they changed in published records, then commit",
              file=sys.stderr)
    code = report(problems, "commit refused", "`git commit --no-verify` skips this check")
    if code == 0 and head:  # the commit about to be made: HEAD as its parent, the index's tree
        tree = git.git("write-tree", cwd=top).decode().strip()
        write_file(mark, f"{head} {tree}\n", overwrite=True)
    return code


def _checked_base(top: Path, mark: Path, head: str) -> str:
    """The commit the hook last found good, if HEAD descends from it; else HEAD.

    The note holds that commit's parent and tree (the hook runs before the commit exists);
    it is looked for among the last commits of HEAD.  An amended, abandoned or unrelated
    commit is not found, and HEAD is the base, as without the note.
    """
    try:
        fields = mark.read_text(encoding="ascii").split()
    except (OSError, UnicodeDecodeError):
        return "HEAD"
    if len(fields) == 1 and _is_id(fields[0]):  # install names a commit that exists
        return fields[0] if fields[0] != head and _descends(top, fields[0]) else "HEAD"
    if len(fields) != 2 or fields[0] == head or not all(map(_is_id, fields)):
        return "HEAD"
    parent, tree = fields
    out = git.git("log", "--max-count=1000", "--format=%H %T %P", "HEAD", f"^{parent}",
                      cwd=top, check=False).decode()
    for row in out.splitlines():
        commit, commit_tree, *parents = row.split()
        if commit_tree == tree and parent in parents:
            return commit if commit != head else "HEAD"
    return "HEAD"


def _descends(top: Path, commit: str) -> bool:
    """HEAD is COMMIT or comes after it."""
    return subprocess.run(["git", "merge-base", "--is-ancestor", commit, "HEAD"], cwd=top,
                          capture_output=True, check=False).returncode == 0


def _is_id(text: str) -> bool:
    return len(text) >= 40 and all(c in "0123456789abcdef" for c in text)


def report(problems: list[Problem], refused: str, hint: str) -> int:
    """Print the problems, one line each; exit 1 when any is an error."""
    for problem in problems:  # one line each, even for a file name holding a newline
        print(sanitize(str(problem)).replace("\n", "\\n"), file=sys.stderr)
    errors = sum(p.severity == "error" for p in problems)
    if errors:
        print(f"policy-diff: {refused}: {errors} problem(s) in policy records ({hint})",
              file=sys.stderr)
    return 1 if errors else 0


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
        top = git.top_level()
        with blob_reader(top=top) as reader:
            entries = summary_entries(Staged(top, reader))
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


SUMMARY_LIMIT = 50  # entries in a message; an import of 3,000 records is not 3,000 lines


def summary_entries(staged: Staged) -> list[str]:
    """`- POLICY@VERSION: summary` for each staged record with a version to compare against."""
    entries: list[str] = []
    records = [change for change in staged.changes("AMR")
               if (staged.locate(change[2]) or ("", MANIFEST))[1] != MANIFEST]
    for done, (status, old_path, path) in enumerate(records):
        if len(entries) == SUMMARY_LIMIT:
            entries.append(f"- and {len(records) - done:,} more staged record(s), not "
                           f"summarised here")
            break
        policy, _ = staged.locate(path)  # type: ignore[misc]  # records holds located paths only
        entry = _summary_entry(staged, policy, status, old_path, path)
        if entry:
            entries.append(entry)
    return entries


def _summary_entry(staged: Staged, policy: str, status: str, old_path: str,
                   path: str) -> str | None:
    # the diff (8 ms): only a staged record's summary needs it; pre-commit does not
    from ..diff.compare import compare
    from ..diff.summary import one_line_summary

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
    return side_of(doc, f"{policy}@{version}", doc.path, policy, version)


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
