"""The `diff.policy.command` entry point: git runs it once per changed record.

git passes 7 arguments (path old-file old-hex old-mode new-file new-hex new-mode),
9 for a rename or copy (plus new-path and a metadata block), or 1 for an
unmerged path.  git 2.39 reports any exit status but 0 as a crash ("external
diff died") and stops, so this always exits 0: a record that cannot be read
gets a one-line note and a plain unified diff instead.  It starts fast: at import
time only the small modules every path uses (errors, file reading, safe text), no CLI
framework; the parser and the diff after the arguments are checked.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from .convert import document_kind
from .errors import PolicyDiffError, RecordError
from .source.files import decode, read_text
from .text.safe import safe_name, sanitize

if TYPE_CHECKING:  # the model loads only where a diff is made (see _side)
    from .model import Manifest, Side

NULL = "/dev/null"


def main(argv: list[str] | None = None) -> int:
    """Print the policy diff of one path as git asks for it; always return 0."""
    args = sys.argv[1:] if argv is None else argv
    try:
        sys.stdout.write(external_diff(args))
        sys.stdout.flush()
    except BrokenPipeError:  # the pager was quit early: not an error, and no traceback
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except KeyboardInterrupt:
        pass
    return 0


def external_diff(args: list[str]) -> str:
    """The whole output for one path."""
    if len(args) == 1:
        return f"* Unmerged path {_safe(args[0])}\n"
    if len(args) not in (7, 9):
        return (f"policy-diff: error: git passed {len(args)} arguments to the diff driver; "
                f"expected 7, 9 or 1\n")
    path, old_file, _, _, new_file, _, _ = args[:7]
    new_path = args[7] if len(args) == 9 else path
    header = f"diff --policy a/{path} b/{new_path}"
    meta = args[8].rstrip("\n").split("\n") if len(args) == 9 else []
    try:
        old, new = _read(old_file), _read(new_file)
    except OSError as exc:
        return f"{_safe(header)}\npolicy-diff: error: cannot read {_safe(str(exc.filename))}: {exc.strerror}\n"
    if old_file == NULL:  # a new version: against the one it supersedes, as its commit summary is
        earlier = _superseded(new_path, new)
        if earlier is not None:
            path, old, old_file = earlier[0], earlier[1], earlier[0]
            meta = [*meta, f"policy-diff: new version, compared with {path}, the version it "
                           f"supersedes (as it is in the working tree)"]
    try:
        return policy_diff_text(header, meta, path, new_path, old, new, old_file, new_file)
    except Exception as exc:  # noqa: BLE001 - any failure here would make git abort the whole diff
        note = f"policy-diff: error: {_safe(str(exc) or type(exc).__name__)}; showing a plain diff"
        return "\n".join([_safe(header), *map(_safe, meta), note, ""]) + \
            plain_diff(path, new_path, old, new, old_file, new_file)


def policy_diff_text(header: str, meta: list[str], path: str, new_path: str, old: bytes,
                     new: bytes, old_file: str, new_file: str) -> str:
    """The terminal view of the record diff, under a `diff --policy` line."""
    # The diff and its view (23 ms) load only here: git also runs this driver for an
    # unmerged path, which prints one line.
    from .diff.compare import compare
    from .views.text.layout import Layout, Styled
    from .views.text.screen import has_colour, make_console, render_text
    from .views.terminal import render_diff

    old_side = _side(path, old, old_file)
    new_side = _side(new_path, new, new_file)
    diff = compare(old_side, new_side, _manifest(new_path))
    console = make_console()  # as git would: a terminal, or git's pager (whose pipe is no tty)
    lines = [Styled(_safe(line), "bold", no_wrap=True) for line in [header, *meta]]
    return render_text(console, Layout([*lines, *render_diff(diff, not has_colour(console))]))


def _side(path: str, data: bytes, file: str) -> Side:
    # the model and the parser (6 ms): an unmerged path needs neither
    from .model import side_of
    from .parse.document import parse

    ref = NULL if file == NULL else path  # the `diff --policy a/... b/...` line shows a/ and b/
    converter = None
    if data and document_kind(path):  # a Word, PDF or web-page policy, read in memory
        # the readers' front (12 ms): only for a Word, PDF or web-page policy
        from .convert.converted import ReadOptions
        from .source.documents import converted_text, page_selection

        text, converter = converted_text(data, path, ReadOptions(
            "accept", *page_selection(Path(path).parent if Path(path).parent.is_dir() else None)))
    else:
        text = decode(data, path)
    document = parse(text, path)
    return side_of(document, ref, path, converter=converter)


def _superseded(new_path: str, data: bytes) -> tuple[str, bytes] | None:
    """(path, bytes) of the version a new record supersedes, when it stands beside it in the
    working tree as a regular file (published versions never change, so that is the copy
    the commit has); None for anything else."""
    from .parse.document import read_front_matter  # 6 ms: see _side

    try:
        target = read_front_matter(decode(data, new_path), new_path).get("supersedes")
        if not isinstance(target, str) or not target or "/" in target or "\n" in target:
            return None
        path = str(Path(new_path).parent / f"{target}.md")
        if path == new_path or not Path(path).is_file():
            return None
        return path, read_text(Path(path), path).encode("utf-8")
    except PolicyDiffError:
        return None


def _manifest(path: str) -> Manifest | None:
    """policy.yaml beside the record in the working tree (git runs us at the top level)."""
    from .source.manifests import manifest_beside  # 4 ms an unmerged path does without

    try:  # a link out of the store, a FIFO: refused as the store commands refuse them
        return manifest_beside(Path(path).parent)
    except RecordError:
        return None  # a broken manifest only costs the provision labels and kinds


# difflib's matcher is cubic on lines that repeat often without being "popular" (a
# record of 40,000 such lines took 97 s): past this many lines a side, no plain diff.
PLAIN_DIFF_MAX_LINES = 10_000


def plain_diff(path: str, new_path: str, old: bytes, new: bytes, old_file: str,
               new_file: str) -> str:
    """A unified diff of the two texts, made safe for the terminal."""
    import difflib  # 1 ms: only for a record that cannot be read as one

    a = old.decode("utf-8", "replace").splitlines(keepends=True)
    b = new.decode("utf-8", "replace").splitlines(keepends=True)
    if max(len(a), len(b)) > PLAIN_DIFF_MAX_LINES:
        return (f"policy-diff: {len(a):,} and {len(b):,} lines are too many for a plain diff "
                f"here (over {PLAIN_DIFF_MAX_LINES:,}); `git diff --no-ext-diff` shows one\n")
    out = []
    for line in difflib.unified_diff(a, b, NULL if old_file == NULL else _safe(f"a/{path}"),
                                     NULL if new_file == NULL else _safe(f"b/{new_path}")):
        body = sanitize(line.rstrip("\n"))
        out.append(body + "\n" if line.endswith("\n") else body + "\n\\ No newline at end of file\n")
    return "".join(out)


def _read(file: str) -> bytes:
    if file == NULL:
        return b""
    with open(file, "rb") as handle:
        return handle.read()


def _safe(text: str) -> str:
    """A path or git's metadata as one line: a file name may hold a newline."""
    return safe_name(text)


if __name__ == "__main__":
    from .process import short_lived_process

    with short_lived_process():
        sys.exit(main())
