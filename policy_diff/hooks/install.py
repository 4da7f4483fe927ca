"""Installs the git hooks guarding policy records, and the `policy` diff driver, as pre-commit does.

`install` writes small sh scripts into the repository's hooks folder.  Each one
carries MARKER, first runs the foreign hook it replaced (kept as `<name>.legacy`),
then `python -P -m policy_diff.hooks <name>`.  That command stays the hooks' entry
point because scripts already installed in users' repositories run it: `main` is
kept here and hands over to `policy_diff.hooks.run`, which holds what the hooks do.
Being on the commit path as that entry point, this module stays light: it imports
no CLI framework, and the runtime only when a hook runs.
"""

from __future__ import annotations

import os
import re
import shlex
import sys
from pathlib import Path

from ..source import git
from ..errors import PolicyDiffError
from ..source.files import deferred_signals, guard_target, probe_writable, write_file
from ..source.store import find_store

HOOKS = ("pre-commit", "prepare-commit-msg", "pre-merge-commit", "pre-push")
STDIN_HOOKS = ("pre-push",)
MARKER = "# policy-diff-hook: managed by policy-diff"
DRIVER_KEY = "diff.policy.command"
DRIVER_MODULE = "policy_diff.gitdriver"
ATTRIBUTE = "diff=policy"
CHECKED = "policy-diff-checked"  # in the git folder: the last commit pre-commit found good
_UNSAFE_PATTERN = re.compile(r'[*?\[\\"\x00-\x1f\x7f]')


# ------------------------------------------------------------------ install


def install(top: Path | None = None, force: bool = False) -> list[str]:
    """Install the hooks and the diff driver; return one line per thing done.

    Everything that can fail is checked first; then the writes run with SIGINT, SIGTERM and
    SIGHUP held, so an interruption leaves the old state or the new one, never half.
    """
    top = top or git.top_level()
    hooks_path = git_config(top, "core.hooksPath")
    if hooks_path:
        raise PolicyDiffError(
            f"core.hooksPath is set to {hooks_path!r}, so git ignores the repository's own hooks "
            f"folder; refusing to install. hint: `git config --unset-all core.hooksPath`, or "
            f"call `python -m policy_diff.hooks pre-commit` from a hook in {hooks_path}")
    folder = hooks_dir(top)
    with deferred_signals():
        states = _preflight(top, folder, force)
        lines = [_install_script(folder, name, top, states[name], force) for name in HOOKS]
        _start_checked(top)
        return lines + [_install_driver(top), _add_attribute(top)]


def uninstall(top: Path | None = None) -> list[str]:
    """Remove what install added, putting back any hook it had moved aside.

    A hook edited since it was installed is left alone (it holds the user's lines), and so
    is a .gitattributes that is not a regular file (nothing is written through a link).
    """
    top = top or git.top_level()
    folder = hooks_dir(top)
    with deferred_signals():  # what could fail is tried first, as in install
        if any(hook_state(folder / name, name) in ("ours", "stale") for name in HOOKS):
            probe_writable(folder, _shown(folder, top))
        if DRIVER_MODULE in git_config(top, DRIVER_KEY, "--local"):
            _probe_config(top)
        lines = [_uninstall_script(folder, name, top) for name in HOOKS]
        mark = checked_mark(top)
        if mark.is_file() and not mark.is_symlink():
            mark.unlink()
        return lines + [_uninstall_driver(top), _remove_attribute(top)]


def status(top: Path | None = None) -> list[str]:
    """Describe what is installed, one line per hook, driver and attribute."""
    top = top or git.top_level()
    folder = hooks_dir(top)
    lines = [_script_status(folder, name, top) for name in HOOKS]
    command = git_config(top, DRIVER_KEY)
    lines.append(f"diff driver: {DRIVER_KEY} = {command}" if command
                 else "diff driver: not configured")
    line = attribute_line(top)
    present = line in _read_lines(top / ".gitattributes")
    lines.append(f".gitattributes: {'has' if present else 'lacks'} `{line}`")
    hooks_path = git_config(top, "core.hooksPath")
    if hooks_path:
        lines.append(f"warning: core.hooksPath is set to {hooks_path!r}: git does not run the "
                     f"hooks in {_shown(folder, top)}")
    return lines


def checked_mark(top: Path) -> Path:
    """The file noting the last commit pre-commit found good: later commits made without the
    hook (cherry-picks, rebases, --no-verify) are judged from there."""
    return top / os.fsdecode(git.git("rev-parse", "--git-path", CHECKED,
                                         cwd=top)).rstrip("\n")


def _start_checked(top: Path) -> None:
    """What is committed when the hooks arrive is where checking starts."""
    mark = checked_mark(top)
    head = git.git("rev-parse", "--verify", "--quiet", "HEAD^{commit}", cwd=top,
                       check=False).decode().strip()
    if head and not os.path.lexists(mark):
        write_file(mark, head + "\n")


def hooks_dir(top: Path) -> Path:
    """The folder git runs hooks from (core.hooksPath aside: install refuses it)."""
    if git_config(top, "core.hooksPath"):  # then --git-path answers core.hooksPath itself
        common = os.fsdecode(git.git("rev-parse", "--git-common-dir", cwd=top)).rstrip("\n")
        return top / common / "hooks"
    out = os.fsdecode(git.git("rev-parse", "--git-path", "hooks", cwd=top)).rstrip("\n")
    return top / out


def hook_state(path: Path, name: str) -> str:
    """absent, ours, stale (ours, for another Python), edited (our marker, other lines) or foreign.

    A hook is ours only when the whole file is what install writes: a user's added lines, or
    another tool's hook that merely mentions the marker, are never overwritten or deleted.
    """
    if not os.path.lexists(path):
        return "absent"
    if path.is_symlink() or not path.is_file():
        return "foreign"
    text = path.read_bytes().decode("utf-8", "surrogateescape")
    if MARKER not in text:
        return "foreign"
    if text == hook_script(name):
        return "ours"
    python = _script_python(text)
    return "stale" if python and text == hook_script(name, python) else "edited"


def is_ours(path: Path) -> bool:
    """The whole file is a hook script install writes (a symlink is never ours)."""
    return hook_state(path, path.name) in ("ours", "stale")


def hook_script(name: str, python: str | None = None) -> str:
    """The sh script for hook NAME, bound to PYTHON (default: the Python running now)."""
    quoted = shlex.quote(python or sys.executable)
    # pre-push reads the refs being pushed on standard input: both hooks must see them.
    keep = 'REFS=$(cat; echo .); REFS=${REFS%.}\n' if name in STDIN_HOOKS else ""
    feed = 'printf %s "$REFS" | ' if name in STDIN_HOOKS else ""
    run = (f'printf %s "$REFS" | "$PYTHON" -P -m policy_diff.hooks {name} "$@"'
           if name in STDIN_HOOKS else f'exec "$PYTHON" -P -m policy_diff.hooks {name} "$@"')
    return f"""#!/bin/sh
{MARKER}
# Written by `policy-diff hooks install`; `policy-diff hooks uninstall` removes it and puts
# back the hook it replaced ({name}.legacy), which runs first meanwhile.
{keep}if [ -x "$0.legacy" ]; then
    {feed}"$0.legacy" "$@" || exit $?
fi
PYTHON={quoted}
if [ ! -x "$PYTHON" ]; then
    echo "policy-diff: $PYTHON is gone; run \\`policy-diff hooks install\\` again" >&2
    exit 1
fi
# -P: a policy_diff/ folder in the repository being committed must not be imported.
{run}
"""


def _script_python(text: str) -> str | None:
    found = re.search(r"^PYTHON=(.*)$", text, re.MULTILINE)
    try:
        words = shlex.split(found.group(1)) if found else []
    except ValueError:
        return None
    return words[0] if len(words) == 1 else None


def driver_command() -> str:
    """The `diff.policy.command` value (git runs it through the shell, args appended)."""
    return f"{shlex.quote(sys.executable)} -P -m {DRIVER_MODULE}"


def attribute_line(top: Path) -> str:
    """`<store>/**/*.md diff=policy`, the store taken relative to the top level."""
    prefix = store_prefix(top)
    if _UNSAFE_PATTERN.search(prefix):
        raise PolicyDiffError(f"the store path {prefix!r} holds characters a .gitattributes "
                              f"pattern cannot spell safely; rename it")
    pattern = "**/*.md" if prefix == "." else f"{prefix}/**/*.md"
    if any(c in pattern for c in " \t"):
        pattern = f'"{pattern}"'  # git reads C-style quoted patterns; whitespace ends a bare one
    return f"{pattern} {ATTRIBUTE}"


def store_prefix(top: Path) -> str:
    """The store folder as a path inside the repository (POSIX), `policies` by default."""
    store = find_store(cwd=top) or top / "policies"
    try:
        return Path(store).resolve().relative_to(top.resolve()).as_posix()
    except ValueError:
        raise PolicyDiffError(f"the store {store} is outside the repository at {top}") from None


def _preflight(top: Path, folder: Path, force: bool) -> dict[str, str]:
    """Refuse before writing anything, so a refusal never leaves half an install."""
    states = {name: hook_state(folder / name, name) for name in HOOKS}
    for name, state in states.items():
        path, legacy = _hook_files(folder, name)
        moves = state == "foreign" or (state == "edited" and force)
        if moves and os.path.lexists(legacy) and not _same_file(path, legacy):
            raise PolicyDiffError(f"{_shown(path, top)} is not ours and {legacy.name} already "
                                  f"exists; refusing to overwrite either. hint: merge them by "
                                  f"hand, then run install again")
    if any(state != "ours" for state in states.values()):
        folder.mkdir(parents=True, exist_ok=True)
        probe_writable(folder, _shown(folder, top))
    command = git_config(top, DRIVER_KEY, "--local")
    if command and DRIVER_MODULE not in command:
        raise PolicyDiffError(f"{DRIVER_KEY} is already set to {command!r}; refusing to "
                              f"replace it. hint: `git config --unset {DRIVER_KEY}`")
    if command != driver_command():
        _probe_config(top)
    line = attribute_line(top)  # an unusable store path is refused here, not after the hooks
    path = _attributes_file(top)  # and so is a .gitattributes that is a link or a folder
    if line not in _read_lines(path):
        probe_writable(top, "the work tree")
    return states


def _hook_files(folder: Path, name: str) -> tuple[Path, Path]:
    """Hook NAME's file in FOLDER, and the name a hook that was there before ours keeps."""
    return folder / name, folder / f"{name}.legacy"


def _hook(folder: Path, name: str) -> tuple[Path, Path, str]:
    """Hook NAME's two files (see _hook_files) and its state (see hook_state)."""
    path, legacy = _hook_files(folder, name)
    return path, legacy, hook_state(path, name)


def _probe_config(top: Path) -> None:
    """git config writes through `<config>.lock`: make sure it can, before anything is written."""
    config = top / os.fsdecode(git.git("rev-parse", "--git-path", "config",
                                           cwd=top)).rstrip("\n")
    lock = Path(f"{config}.lock")
    try:
        os.close(os.open(lock, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        os.unlink(lock)
    except FileExistsError:
        raise PolicyDiffError(f"{_shown(lock, top)} exists: another git process is changing "
                              f"the configuration; nothing was changed, try again") from None
    except OSError as exc:
        raise PolicyDiffError(f"cannot write {_shown(config, top)}: {exc.strerror or exc}; "
                              f"nothing was changed") from None
    if config.exists() and not os.access(config, os.W_OK):
        raise PolicyDiffError(f"{_shown(config, top)} is read-only; nothing was changed")


def _same_file(one: Path, other: Path) -> bool:
    """Both names are the same file: a move aside interrupted after its first step."""
    try:
        first, second = os.lstat(one), os.lstat(other)
    except OSError:
        return False
    return (first.st_dev, first.st_ino) == (second.st_dev, second.st_ino)


def _install_script(folder: Path, name: str, top: Path, state: str, force: bool) -> str:
    path, legacy = _hook_files(folder, name)
    if state == "ours":
        return f"{name}: already installed at {_shown(path, top)}"
    if state == "edited" and not force:
        return (f"{name}: left alone: {_shown(path, top)} has our marker but other lines (edited "
                f"since install?); `hooks install --force` replaces it, keeping it as "
                f"{legacy.name}")
    note = ""
    if state in ("foreign", "edited"):
        _keep_aside(path, legacy)
        note = f" (the previous hook is kept as {legacy.name} and still runs first)"
    write_file(path, hook_script(name).encode(), overwrite=True, new_mode=0o777)
    return f"{name}: installed at {_shown(path, top)}{note}"


def _keep_aside(path: Path, legacy: Path) -> None:
    """Give the hook a second name, .legacy, keeping bytes, mode and link; the first name stays
    until ours replaces it, so git runs one hook or the other at every moment."""
    if _same_file(path, legacy):
        return
    try:
        os.link(path, legacy, follow_symlinks=False)
    except FileExistsError:
        raise
    except OSError:  # no hard links here: a rename keeps the bytes and the mode too
        os.replace(path, legacy)


def _uninstall_script(folder: Path, name: str, top: Path) -> str:
    path, legacy, state = _hook(folder, name)
    if state == "foreign":
        return f"{name}: not ours, left alone"
    if state == "edited":
        return (f"{name}: left alone: it has our marker but other lines (edited since "
                f"install?); remove it by hand")
    if state in ("ours", "stale"):
        path.unlink()
    if os.path.lexists(legacy):
        os.replace(legacy, path)
        return f"{name}: removed; restored the previous hook from {legacy.name}"
    return f"{name}: removed" if state != "absent" else f"{name}: not installed"


def _script_status(folder: Path, name: str, top: Path) -> str:
    path, legacy, state = _hook(folder, name)
    if state == "foreign":
        return f"{name}: not installed (another hook is there; install keeps it as .legacy)"
    if state == "absent":
        return f"{name}: not installed"
    if state == "edited":
        return (f"{name}: edited since install (kept as it is; `hooks install --force` "
                f"replaces it, keeping it as {legacy.name})")
    runs = _script_python(path.read_bytes().decode("utf-8", "surrogateescape")) or "?"
    installed = "installed" if os.access(runs, os.X_OK) else f"broken ({runs} is gone; reinstall)"
    extra = f"; runs {legacy.name} first" if os.path.lexists(legacy) else ""
    return f"{name}: {installed} at {_shown(path, top)}{extra}"


def _install_driver(top: Path) -> str:
    command = driver_command()
    if git_config(top, DRIVER_KEY, "--local") == command:
        return f"diff driver: {DRIVER_KEY} already set"
    git.git("config", "--local", "--", DRIVER_KEY, command, cwd=top)
    return f"diff driver: set {DRIVER_KEY} = {command}"


def _uninstall_driver(top: Path) -> str:
    command = git_config(top, DRIVER_KEY, "--local")
    if not command or DRIVER_MODULE not in command:
        return "diff driver: not ours or not set, left alone"
    git.git("config", "--local", "--unset", DRIVER_KEY, cwd=top)
    rest = git.git("config", "--local", "--get-regexp", r"^diff\.policy\.", cwd=top,
                       check=False)
    if not rest.strip():  # --unset leaves an empty [diff "policy"] header behind
        git.git("config", "--local", "--remove-section", "diff.policy", cwd=top, check=False)
    return f"diff driver: removed {DRIVER_KEY}"


def _add_attribute(top: Path) -> str:
    """Add our one line; every other byte stays (a file without a final newline keeps none)."""
    path = _attributes_file(top)
    line = attribute_line(top)
    text = path.read_bytes().decode("utf-8", "surrogateescape") if path.exists() else ""
    if line in text.splitlines():
        return f".gitattributes: already has `{line}`"
    newline = "\r\n" if "\r\n" in text else "\n"
    added = line + newline if not text or text.endswith("\n") else newline + line
    write_file(path, (text + added).encode("utf-8", "surrogateescape"), overwrite=True)
    if _tracked(top):
        return f".gitattributes: added `{line}` (the file is tracked: commit this change)"
    return (f".gitattributes: added `{line}` (the file is not tracked: commit it, or git "
            f"diff shows plain diffs in other clones)")


def _remove_attribute(top: Path) -> str:
    """Remove our line and nothing else: what install added comes out byte for byte."""
    try:
        path = _attributes_file(top)
    except PolicyDiffError as exc:
        return f".gitattributes: left alone: {exc}"
    line = attribute_line(top)
    if not path.exists():
        return ".gitattributes: none"
    text = path.read_bytes().decode("utf-8", "surrogateescape")
    rows = text.splitlines(keepends=True)
    kept = [row for row in rows if row.rstrip("\r\n") != line]
    if len(kept) == len(rows):
        return f".gitattributes: no `{line}`, left alone"
    rest = "".join(kept)
    if rows[-1] == line and len(rows) > 1:  # added without a final newline: take ours back
        rest = rest[:-2] if rest.endswith("\r\n") else rest[:-1]
    tracked = _tracked(top)
    if rest or tracked:  # a tracked file stays, even empty: deleting it would be a change too
        write_file(path, rest.encode("utf-8", "surrogateescape"), overwrite=True)
    else:
        path.unlink()  # untracked and nothing but our line: install created it
    note = " (the file is tracked: commit this change)" if tracked else ""
    return f".gitattributes: removed `{line}`{note}"


def _tracked(top: Path) -> bool:
    return bool(git.git("ls-files", "-z", "--", ":(literal).gitattributes", cwd=top).strip())


def _attributes_file(top: Path) -> Path:
    """The top-level .gitattributes, refused unless it is a regular file (or absent).

    It comes with the repository: committed as a link to `.git/hooks/post-checkout`, our
    appended line would run as a command; to `~/.bashrc`, land in the user's shell.
    """
    path = top / ".gitattributes"
    guard_target(path, top)
    return path


def git_config(top: Path, key: str, *scope: str) -> str:
    """A git config value, "" when unset (the hook runtime reads core.commentChar with it)."""
    out = git.git("config", *scope, "--get", key, cwd=top, check=False)
    return os.fsdecode(out).rstrip("\n")


def _read_lines(path: Path) -> list[str]:
    return path.read_bytes().decode("utf-8", "surrogateescape").splitlines() \
        if path.is_file() else []


def _shown(path: Path, top: Path) -> str:
    try:
        return path.relative_to(top).as_posix()
    except ValueError:
        return str(path)
