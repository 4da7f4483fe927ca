"""Installs the git hooks guarding policy records, and the `policy` diff driver, as pre-commit does.

`install` writes small sh scripts into the repository's hooks folder.  Each one
carries MARKER, first runs the foreign hook it replaced (kept as `<name>.legacy`),
then `python -P -m policy_diff.hooks <name>`.  That command stays the hooks' entry
point because scripts already installed in users' repositories run it: `main` is
kept here and hands over to `policy_diff.hookrun`, which holds what the hooks do.
Being on the commit path as that entry point, this module stays light: it imports
no CLI framework, and the runtime only when a hook runs.
"""

from __future__ import annotations

import os
import re
import shlex
import sys
from pathlib import Path

from . import history
from .errors import PolicyDiffError
from .files import write_file

HOOKS = ("pre-commit", "prepare-commit-msg")
MARKER = "# policy-diff-hook: managed by policy-diff"
DRIVER_KEY = "diff.policy.command"
DRIVER_MODULE = "policy_diff.gitdriver"
ATTRIBUTE = "diff=policy"
_UNSAFE_PATTERN = re.compile(r'[*?\[\\"\x00-\x1f\x7f]')


# ------------------------------------------------------------------ install


def install(top: Path | None = None) -> list[str]:
    """Install the hooks and the diff driver; return one line per thing done."""
    top = top or history.top_level()
    hooks_path = git_config(top, "core.hooksPath")
    if hooks_path:
        raise PolicyDiffError(
            f"core.hooksPath is set to {hooks_path!r}, so git ignores the repository's own hooks "
            f"folder; refusing to install. hint: `git config --unset-all core.hooksPath`, or "
            f"call `python -m policy_diff.hooks pre-commit` from a hook in {hooks_path}")
    folder = hooks_dir(top)
    _preflight(top, folder)
    lines = [_install_script(folder, name, top) for name in HOOKS]
    return lines + [_install_driver(top), _add_attribute(top)]


def uninstall(top: Path | None = None) -> list[str]:
    """Remove what install added, putting back any hook it had moved aside."""
    top = top or history.top_level()
    folder = hooks_dir(top)
    _attributes_file(top)  # refuse before removing anything
    lines = [_uninstall_script(folder, name, top) for name in HOOKS]
    return lines + [_uninstall_driver(top), _remove_attribute(top)]


def status(top: Path | None = None) -> list[str]:
    """Describe what is installed, one line per hook, driver and attribute."""
    top = top or history.top_level()
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


def hooks_dir(top: Path) -> Path:
    """The folder git runs hooks from (core.hooksPath aside: install refuses it)."""
    if git_config(top, "core.hooksPath"):  # then --git-path answers core.hooksPath itself
        common = os.fsdecode(history.git("rev-parse", "--git-common-dir", cwd=top)).rstrip("\n")
        return top / common / "hooks"
    out = os.fsdecode(history.git("rev-parse", "--git-path", "hooks", cwd=top)).rstrip("\n")
    return top / out


def is_ours(path: Path) -> bool:
    """A regular file that carries our marker (a symlink is never ours)."""
    if path.is_symlink() or not path.is_file():
        return False
    return MARKER.encode() in path.read_bytes()


def hook_script(name: str) -> str:
    """The sh script for hook NAME, bound to the Python running now."""
    python = shlex.quote(sys.executable)
    return f"""#!/bin/sh
{MARKER}
# Written by `policy-diff hooks install`; `policy-diff hooks uninstall` removes it and puts
# back the hook it replaced ({name}.legacy), which runs first meanwhile.
if [ -x "$0.legacy" ]; then
    "$0.legacy" "$@" || exit $?
fi
PYTHON={python}
if [ ! -x "$PYTHON" ]; then
    echo "policy-diff: $PYTHON is gone; run \\`policy-diff hooks install\\` again" >&2
    exit 1
fi
# -P: a policy_diff/ folder in the repository being committed must not be imported.
exec "$PYTHON" -P -m policy_diff.hooks {name} "$@"
"""


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
    from .store import find_store

    store = find_store(cwd=top) or top / "policies"
    try:
        return Path(store).resolve().relative_to(top.resolve()).as_posix()
    except ValueError:
        raise PolicyDiffError(f"the store {store} is outside the repository at {top}") from None


def _preflight(top: Path, folder: Path) -> None:
    """Refuse before writing anything, so a refusal never leaves half an install."""
    for name in HOOKS:
        path, legacy = folder / name, folder / f"{name}.legacy"
        if os.path.lexists(path) and not is_ours(path) and os.path.lexists(legacy):
            raise PolicyDiffError(f"{_shown(path, top)} is not ours and {legacy.name} already "
                                  f"exists; refusing to overwrite either. hint: merge them by "
                                  f"hand, then run install again")
    command = git_config(top, DRIVER_KEY, "--local")
    if command and DRIVER_MODULE not in command:
        raise PolicyDiffError(f"{DRIVER_KEY} is already set to {command!r}; refusing to "
                              f"replace it. hint: `git config --unset {DRIVER_KEY}`")
    attribute_line(top)  # an unusable store path is refused here, not after the hooks
    _attributes_file(top)  # and so is a .gitattributes that leads out of the work tree


def _install_script(folder: Path, name: str, top: Path) -> str:
    path, legacy = folder / name, folder / f"{name}.legacy"
    folder.mkdir(parents=True, exist_ok=True)
    content = hook_script(name)
    if is_ours(path) and path.read_text(encoding="utf-8") == content:
        return f"{name}: already installed at {_shown(path, top)}"
    note = ""
    if os.path.lexists(path) and not is_ours(path):
        os.replace(path, legacy)  # a rename keeps the bytes and the mode
        note = f" (the previous hook is kept as {legacy.name} and still runs first)"
    write_file(path, content.encode(), overwrite=True, new_mode=0o777)
    return f"{name}: installed at {_shown(path, top)}{note}"


def _uninstall_script(folder: Path, name: str, top: Path) -> str:
    path, legacy = folder / name, folder / f"{name}.legacy"
    if os.path.lexists(path) and not is_ours(path):
        return f"{name}: not ours, left alone"
    removed = is_ours(path)
    if removed:
        path.unlink()
    if os.path.lexists(legacy):
        os.replace(legacy, path)
        return f"{name}: removed; restored the previous hook from {legacy.name}"
    return f"{name}: removed" if removed else f"{name}: not installed"


def _script_status(folder: Path, name: str, top: Path) -> str:
    path, legacy = folder / name, folder / f"{name}.legacy"
    if not is_ours(path):
        foreign = " (another hook is there; install keeps it as .legacy)" \
            if os.path.lexists(path) else ""
        return f"{name}: not installed{foreign}"
    python = re.search(r"^PYTHON=(.*)$", path.read_text(encoding="utf-8"), re.MULTILINE)
    runs = shlex.split(python.group(1))[0] if python else "?"
    state = "installed" if os.access(runs, os.X_OK) else f"broken ({runs} is gone; reinstall)"
    extra = f"; runs {legacy.name} first" if os.path.lexists(legacy) else ""
    return f"{name}: {state} at {_shown(path, top)}{extra}"


def _install_driver(top: Path) -> str:
    command = driver_command()
    if git_config(top, DRIVER_KEY, "--local") == command:
        return f"diff driver: {DRIVER_KEY} already set"
    history.git("config", "--local", "--", DRIVER_KEY, command, cwd=top)
    return f"diff driver: set {DRIVER_KEY} = {command}"


def _uninstall_driver(top: Path) -> str:
    command = git_config(top, DRIVER_KEY, "--local")
    if not command or DRIVER_MODULE not in command:
        return "diff driver: not ours or not set, left alone"
    history.git("config", "--local", "--unset", DRIVER_KEY, cwd=top)
    rest = history.git("config", "--local", "--get-regexp", r"^diff\.policy\.", cwd=top,
                       check=False)
    if not rest.strip():  # --unset leaves an empty [diff "policy"] header behind
        history.git("config", "--local", "--remove-section", "diff.policy", cwd=top, check=False)
    return f"diff driver: removed {DRIVER_KEY}"


def _add_attribute(top: Path) -> str:
    path = _attributes_file(top)
    line = attribute_line(top)
    text = path.read_bytes().decode("utf-8", "surrogateescape") if path.exists() else ""
    if line in text.splitlines():
        return f".gitattributes: already has `{line}`"
    newline = "\r\n" if "\r\n" in text else "\n"
    separator = "" if not text or text.endswith("\n") else newline
    write_file(path, (text + separator + line + newline).encode("utf-8", "surrogateescape"),
               overwrite=True)
    return f".gitattributes: added `{line}`"


def _remove_attribute(top: Path) -> str:
    path = _attributes_file(top)
    line = attribute_line(top)
    if not path.exists():
        return ".gitattributes: none"
    text = path.read_bytes().decode("utf-8", "surrogateescape")
    kept = [row for row in text.splitlines(keepends=True) if row.rstrip("\r\n") != line]
    if len(kept) == len(text.splitlines()):
        return f".gitattributes: no `{line}`, left alone"
    rest = "".join(kept)
    if rest.strip():
        write_file(path, rest.encode("utf-8", "surrogateescape"), overwrite=True)
    else:
        path.unlink()  # it held only our line: install created it
    return f".gitattributes: removed `{line}`"


def _attributes_file(top: Path) -> Path:
    """.gitattributes, through a symlink (so the link stays), but never out of the work tree.

    The file comes with the repository: a link to `~/.bashrc` must not get our line.
    """
    path = (top / ".gitattributes").resolve()
    try:
        path.relative_to(top.resolve())
    except ValueError:
        raise PolicyDiffError(f".gitattributes is a symbolic link to {str(path)!r}, outside the "
                              f"repository; refusing to write through it") from None
    return path


def git_config(top: Path, key: str, *scope: str) -> str:
    """A git config value, "" when unset (the hook runtime reads core.commentChar with it)."""
    out = history.git("config", *scope, "--get", key, cwd=top, check=False)
    return os.fsdecode(out).rstrip("\n")


def _read_lines(path: Path) -> list[str]:
    return path.read_bytes().decode("utf-8", "surrogateescape").splitlines() \
        if path.is_file() else []


def _shown(path: Path, top: Path) -> str:
    try:
        return path.relative_to(top).as_posix()
    except ValueError:
        return str(path)


# ------------------------------------------------------------------ entry point


def main(argv: list[str] | None = None) -> int:
    """`python -m policy_diff.hooks HOOK [ARGS...]`, as the installed scripts call it."""
    from .hookrun import main as run  # the runtime loads only when a hook runs

    return run(argv)


if __name__ == "__main__":
    from .launch import short_lived_process

    with short_lived_process():
        sys.exit(main())
