"""The command line as one definition: `--help` tells the defaults and bounds each command really
uses, usage errors speak in the project's voice, shell completion works, and the entry points
git runs never load the CLI framework."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Callable, Iterator

import pytest
from typer.main import get_command

from policy_diff.cli import app

from conftest import REPO, Result
from docbuild import tracked_docx
from gitrepo import RECORDS, commit, git, new_version

Run = Callable[..., Result]


# ------------------------------------------------------------------ --help tells the truth


@pytest.fixture
def history_repo(bare_repo: Path) -> Path:
    """The corpus in one commit (conftest's repository) and a new version in the next."""
    new_version(bare_repo)
    git(bare_repo, "add", "-A")
    assert commit(bare_repo, "-m", "A new version").returncode == 0
    return bare_repo


# Each command run as a user would, in the repository above; each is run with and without every
# default its --help states, passed explicitly.
SAMPLES: dict[str, list[list[str]]] = {
    "diff": [["diff", "us-apl@2022", "us-apl@2025"],
             ["diff", "us-apl@2022", "us-apl@2025", "-o", "{tmp}/redline.docx"]],
    "validate": [["validate", RECORDS]],
    "show": [["show", "us-apl@2022"]],
    "log": [["log", "us-apl"]],
    "new": [["new", "us-apl", "--version", "2031-01-01"]],
    "import": [["import", "{tmp}/tracked.docx", "-o", "{tmp}/imported.md"]],
    "history": [["history", "us-apl"], ["history", f"{RECORDS}/2025-12-02.md", "--patch"]],
    "changes": [["changes", "HEAD~1", "HEAD"]],
    "matrix": [["matrix", "us-apl"]],
    "blame": [["blame", "us-apl@2026"]],
    "check": [["check", "HEAD"]],
    "hooks install": [["hooks", "install"]],
    "hooks uninstall": [["hooks", "uninstall"]],
    "hooks status": [["hooks", "status"]],
}


def command_paths() -> Iterator[str]:
    """Every command of the app, as typed after `policy-diff`."""
    group = get_command(app)
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        subcommands = getattr(command, "commands", None)
        yield from (f"{name} {sub}" for sub in subcommands) if subcommands else (name,)


def option_entries(help_text: str) -> dict[str, str]:
    """Each option of a --help text with its help, lines joined: {"--context": "... [default: 1; x>=0]"}."""
    options = help_text.split("\nOptions:\n", 1)[1]
    entries: dict[str, str] = {}
    name = ""
    for line in options.splitlines():
        found = re.match(r"  (?:-\w, )?(--[\w-]+)", line)
        if found:
            name = found.group(1)
            entries[name] = line[found.end():]
        elif name and line.startswith("    "):
            entries[name] += " " + line.strip()
    return {name: " ".join(text.split()) for name, text in entries.items()}


def stated_defaults(entry: str) -> tuple[str | None, bool, int | None]:
    """The default an option's help states, whether it holds only without -o (`default: from
    -o's extension, else X`), and the least value its `x>=N` bound allows."""
    stated = re.search(r"\[default: ([^;\]]+)", entry)
    worded = re.search(r"from -o's extension.*?else (\w+)", entry)
    bound = re.search(r"x>=(-?\d+)", entry)
    default = stated.group(1) if stated else worded.group(1) if worded else None
    return default, worded is not None, (int(bound.group(1)) if bound else None)


def explicit(option: str, value: str, entry: str) -> list[str]:
    """The arguments that pass VALUE to OPTION: `--pager` for a flag pair's `[default: pager]`."""
    if "/" in entry.split("  ")[0] or value == option.lstrip("-"):
        return [f"--{value}"]
    return [option, value]


def outcome(run: Run, args: list[str], tmp: Path) -> tuple[int, str, str, bytes]:
    """What a command printed and the file it wrote, if any (a Word file: its document text,
    which does not hold the time it was written)."""
    written = [Path(a.replace("{tmp}", str(tmp))) for a in args if "{tmp}" in a]
    for path in written:
        if path.suffix != ".docx" or "tracked" not in path.name:
            path.unlink(missing_ok=True)
    result = run(*(a.replace("{tmp}", str(tmp)) for a in args))
    content = b""
    for path in (p for p in written if p.exists() and "tracked" not in p.name):
        content += zipfile.ZipFile(path).read("word/document.xml") if path.suffix == ".docx" \
            else path.read_bytes()
    return result.code, result.out, result.err, content


def fresh(top: Path, path: str) -> None:
    """Undo what a command that writes into the repository wrote (a new version, hooks)."""
    if path in ("new", "import", "hooks install", "hooks uninstall"):
        git(top, "reset", "-q", "--hard")
        git(top, "clean", "-q", "-fdx")
        shutil.rmtree(top / ".git" / "hooks")
        (top / ".git" / "hooks").mkdir()
        git(top, "config", "--remove-section", "diff.policy", check=False)


def test_help_states_the_defaults_and_bounds_each_command_uses(
        run: Run, history_repo: Path, tmp_path: Path) -> None:
    tracked_docx(tmp_path / "tracked.docx")
    assert set(command_paths()) == set(SAMPLES)
    checked: set[tuple[str, str, str]] = set()
    for path in command_paths():
        help_text = run(*path.split(), "--help").out
        for option, entry in option_entries(help_text).items():
            default, without_output, least = stated_defaults(entry)
            for sample in SAMPLES[path]:
                if default is not None and not (without_output and "-o" in sample):
                    fresh(history_repo, path)
                    implicit = outcome(run, sample, tmp_path)
                    fresh(history_repo, path)
                    stated = outcome(run, [*sample, *explicit(option, default, entry)], tmp_path)
                    assert implicit == stated, (path, option, default)
                    assert implicit[0] in (0, 1), (sample, implicit)
                    checked.add((path, option, default))
                if least is not None:
                    fresh(history_repo, path)
                    refused = run(*(a.replace("{tmp}", str(tmp_path)) for a in sample),
                                  option, str(least - 1))
                    assert refused.code == 2 and f"x>={least}" in refused.err, (path, option)
                    fresh(history_repo, path)
                    allowed = outcome(run, [*sample, option, str(least)], tmp_path)
                    assert allowed[0] in (0, 1), (path, option, least, allowed)
    # The defaults users rely on most are among those checked.
    assert {("diff", "--context", "1"), ("diff", "--format", "term"), ("diff", "--color", "auto"),
            ("diff", "--pager", "pager"), ("diff", "--author", "policy-diff"),
            ("validate", "--format", "text"), ("history", "--format", "term"),
            ("changes", "--format", "term"), ("import", "--changes", "accept")} <= checked


def test_a_default_the_help_misstates_is_caught(run: Run) -> None:
    """The parsing the test above relies on reads what --help says, bounds included."""
    entries = option_entries(run("diff", "--help").out)
    assert stated_defaults(entries["--context"]) == ("1", False, 0)
    assert stated_defaults(entries["--format"]) == ("term", True, None)
    assert stated_defaults(entries["--width"]) == (None, False, 20)
    assert explicit("--pager", "pager", entries["--pager"]) == ["--pager"]
    assert explicit("--context", "1", entries["--context"]) == ["--context", "1"]


# ------------------------------------------------------------------ errors in one voice


@pytest.mark.parametrize("args, said", [
    (["dif", "a", "b"], "No such command 'dif'. Did you mean 'diff'?"),
    (["hooks", "instal"], "Did you mean 'install'"),
    (["diff", "--contxt", "2", "a", "b"], "No such option: --contxt"),
    (["diff", "a", "b", "--colr", "never"], "Possible options: --color"),
    (["diff", "a", "b", "--width", "5"], "5 is not in the range x>=20"),
    (["diff", "a", "b", "--format", "pdf"], "'pdf' is not one of 'term', 'json'"),
    (["show"], "Missing argument"),
    (["check", "a", "b"], "unexpected extra argument"),
])
def test_usage_errors_are_one_line_exit_2_with_suggestions(run: Run, args: list[str],
                                                          said: str) -> None:
    result = run(*args)
    assert (result.code, result.out) == (2, "")
    assert result.err.startswith("policy-diff: error: ") and result.err.count("\n") == 1
    assert said in result.err and "--help')" in result.err


def test_what_the_user_typed_is_echoed_inert(run: Run) -> None:
    result = run("diff", "a", "b", "--format", "\x1b]0;pwned\x07")
    assert result.code == 2 and "\x1b" not in result.err and "\x07" not in result.err


def test_no_command_shows_the_help_on_stderr(run: Run) -> None:
    result = run()
    assert (result.code, result.out) == (2, "")
    assert "Commands:" in result.err and "diff" in result.err


# ------------------------------------------------------------------ shell completion


def complete(words: str, home: Path) -> list[str]:
    """What bash completion offers for WORDS (the last word being completed)."""
    env = {**os.environ, "_POLICY_DIFF_COMPLETE": "complete_bash", "COMP_WORDS": words,
           "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1)),
           "HOME": str(home)}
    result = subprocess.run([sys.executable, "-m", "policy_diff"], env=env, capture_output=True,
                            text=True, cwd=REPO)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_shell_completion_offers_commands_options_and_choices(tmp_path: Path) -> None:
    assert complete("policy-diff di", tmp_path) == ["diff"]
    assert {"--context", "--color"} <= set(complete("policy-diff diff --co", tmp_path))
    assert complete("policy-diff diff --color a", tmp_path) == ["auto", "always"]
    assert complete("policy-diff hooks un", tmp_path) == ["uninstall"]


def test_completion_is_shown_and_installed(tmp_path: Path) -> None:
    def policy_diff(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "policy_diff", *args], capture_output=True,
                              text=True, env={**os.environ, "HOME": str(tmp_path)})

    shown = policy_diff("--show-completion", "bash")
    assert shown.returncode == 0 and "_POLICY_DIFF_COMPLETE=complete_bash" in shown.stdout
    installed = policy_diff("--install-completion", "bash")
    assert installed.returncode == 0, installed.stderr
    script = tmp_path / ".bash_completions" / "policy-diff.sh"
    assert "_POLICY_DIFF_COMPLETE" in script.read_text()
    assert str(script) in (tmp_path / ".bashrc").read_text()


# ------------------------------------------------------------------ what git runs stays lean


def imported(stderr: str) -> set[str]:
    """The modules a process imported, from `-X importtime` lines on its standard error."""
    return {line.split("|")[-1].strip() for line in stderr.splitlines()
            if line.startswith("import time:") and "|" in line}


def test_the_hooks_and_the_diff_driver_do_not_load_the_cli_framework(
        history_repo: Path) -> None:
    """A real commit (pre-commit and prepare-commit-msg hooks), a real push (pre-push) and a
    real `git diff` (the driver), each Python process git starts reporting its imports."""
    from policy_diff.hooks.install import install

    install(history_repo)
    env = {**os.environ, "PYTHONPROFILEIMPORTTIME": "1"}
    path = new_version(history_repo, f"{RECORDS}/2027-01-01.md", "2027-01-01")
    git(history_repo, "add", "-A")
    committed = subprocess.run(["git", "commit", "-q", "-m", "Next"], cwd=history_repo, env=env,
                               capture_output=True, text=True)
    assert committed.returncode == 0, committed.stderr
    remote = history_repo.parent / "remote.git"
    git(history_repo.parent, "init", "-q", "--bare", str(remote))
    pushed = subprocess.run(["git", "push", "-q", str(remote), "main"], cwd=history_repo,
                            env=env, capture_output=True, text=True)
    assert pushed.returncode == 0, pushed.stderr
    diffed = subprocess.run(["git", "diff", "HEAD~2", "HEAD", "--", str(path)],
                            cwd=history_repo, env=env, capture_output=True, text=True)
    assert "policy-diff" in diffed.stdout and diffed.returncode == 0
    for process, ran in ((committed, "policy_diff.hooks.run"), (pushed, "policy_diff.hooks.check"),
                         (diffed, "policy_diff.diff.compare")):
        modules = imported(process.stderr)
        assert ran in modules  # the check below looked at the process that ran it
        assert not {m for m in modules if m.split(".")[0] in ("typer", "click")}, ran


def test_building_the_cli_loads_no_command_s_work() -> None:
    """Every command is imported to build the app; the engine, the views and rich load only
    when a command runs, so a command pays only for its own work."""
    code = "import sys, policy_diff.cli; print(' '.join(sys.modules))"
    modules = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             check=True).stdout.split()
    heavy = {m for m in modules if m.split(".")[0] == "rich" or m.split(".")[:2] in (
        ["policy_diff", part] for part in ("diff", "views", "rules", "convert", "hooks"))
        or m in ("policy_diff.source.store", "policy_diff.source.git")}
    assert "typer" in modules and heavy == set()


def test_the_start_up_yardstick_parses_as_policy_diff_and_does_nothing() -> None:
    """bench/bare_typer.py, which `policy-diff diff` is timed against, is the same app with
    every body idle: the same options are parsed and refused, and nothing is read."""
    def bare(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "bench/bare_typer.py", *args], cwd=REPO,
                              capture_output=True, text=True)

    assert (bare("diff", "no-such-file", "-C", "2").returncode, bare("diff", "a").stdout) == (0, "")
    refused = bare("diff", "a", "b", "--width", "5")
    assert refused.returncode == 2 and "x>=20" in refused.stderr
    assert bare("hooks", "status").returncode == 0
