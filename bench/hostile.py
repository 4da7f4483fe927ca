"""Time and peak memory of policy-diff on each adversarial input class, as whole processes.

    python bench/hostile.py                      # every class, a table on stdout (~10 min)
    python bench/hostile.py --quick              # the classes that take seconds
    python bench/hostile.py --only 'renamed'     # classes whose name contains a word
    python bench/hostile.py --markdown docs/x.md # also write the table to a file

Inputs are generated in a temporary folder (deterministic), never committed.  Each run
is `policy-diff diff OLD NEW ...` under /usr/bin/time (peak RSS) with a time limit and an
address-space limit, so a class that blows up is reported as such instead of taking the
machine down.  A row marked "limits off" sets every POLICY_DIFF_MAX_* to 0 to show what
the limit protects against.  docs/hostile-input.md quotes a run of this script.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
LIMITS_OFF = {name: "0" for name in ("POLICY_DIFF_MAX_BYTES", "POLICY_DIFF_MAX_LINES",
                                     "POLICY_DIFF_MAX_BLOCKS", "POLICY_DIFF_MAX_FRONT_MATTER")}
WORDS = ("the United States shall not use anti-personnel landmines outside the Korean "
         "Peninsula and the President may destroy stockpiles within ten years").split()
FRONT = "---\npolicy: big\nversion: '1'\ntitle: Big\neffective: 2020-01-01\nstatus: draft\n---\n"


@dataclass
class Case:
    name: str
    make: Callable[[], tuple[str | bytes, str | bytes]]
    args: tuple[str, ...] = ("--format", "json")
    env: dict[str, str] = field(default_factory=dict)
    quick: bool = True
    note: str = ""


# ------------------------------------------------------------------ inputs


def _sentence(rng: random.Random, words: int = 20) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def prose(megabytes: float, seed: int = 7) -> str:
    """Sections of paragraphs of sentences, like a (very long) policy."""
    rng = random.Random(seed)
    parts, size, index = [FRONT, "# Big\n\n"], 0, 0
    while size < megabytes * 1_000_000:
        if index % 20 == 0:
            parts.append(f"## Section {index // 20}\n\n")
        paragraph = " ".join(_sentence(rng) for _ in range(4)) + f" ({index})\n\n"
        parts.append(paragraph)
        size += len(paragraph)
        index += 1
    return "".join(parts)


def edited(text: str, count: int = 5, seed: int = 1) -> str:
    """A few words changed in the second half: a typical small edit of a large record."""
    rng = random.Random(seed)
    lines = text.split("\n")
    for _ in range(count):
        k = rng.randrange(len(lines) // 2, len(lines))
        if len(lines[k]) > 40 and not lines[k].startswith(("#", "-", "|")):
            lines[k] = lines[k].replace(" shall ", " must ", 1) + " Amended."
    return "\n".join(lines)


def one_line(megabytes: float) -> tuple[str, str]:
    rng = random.Random(3)
    words = [rng.choice(WORDS) + ("." if i % 20 == 19 else "")
             for i in range(int(megabytes * 1_000_000 / 6))]
    old = FRONT + "## One\n\n" + " ".join(words) + "\n"
    return old, old.replace(" shall ", " must ", 3).replace("Peninsula", "region", 1)


def sections(count: int) -> tuple[str, str]:
    old = FRONT + "".join(f"## Section {i}\n\nText of section {i}.\n\n" for i in range(count))
    new = old.replace("Text of section 500.", "Text of section 500, amended.")
    return old, new.replace("## Section 900\n", "## Renamed 900\n")


def nested_list(levels: int) -> tuple[str, str]:
    old = FRONT + "## Deep\n\n" + "- " * levels + "item\n"
    return old, old.replace("item", "changed")


def indented_list(levels: int) -> tuple[str, str]:
    old = FRONT + "## Deep\n\n" + "".join("  " * i + "- item\n" for i in range(levels))
    return old, old.replace("- item\n", "- changed\n", 1)


def nested_quote(levels: int) -> tuple[str, str]:
    old = FRONT + "## Deep\n\n" + ">" * levels + " quoted\n"
    return old, old.replace("quoted", "changed")


def tiny_blocks(count: int) -> tuple[str, str]:
    old = FRONT + "## Tiny\n\n" + "".join(f"x{i % 10}\n\n" for i in range(count))
    return old, old.replace("x5\n", "y5\n", 3)


def identical_blocks(count: int) -> tuple[str, str]:
    old = FRONT + "## Same\n\n" + "Yes.\n\n" * count
    return old, old.replace("Yes.\n", "No.\n", 50)


def one_word(megabytes: float) -> tuple[str, str]:
    old = FRONT + "## Run\n\n" + ("the " * int(megabytes * 250_000)).strip() + "\n"
    middle = len(old) // 2
    return old, old[:middle] + "dog " + old[middle:]


def rewritten_paragraph(megabytes: float) -> tuple[str, str]:
    """One paragraph rewritten whole: no sentence end, every word from one vocabulary."""
    def text(seed: int) -> str:
        rng = random.Random(seed)
        vocabulary = [f"w{n}" for n in range(2000)]
        words = int(megabytes * 1_000_000 / 6)
        return FRONT + "## Run\n\n" + " ".join(rng.choice(vocabulary) for _ in range(words)) + "\n"
    return text(1), text(2)


def one_letter_lines(count: int) -> tuple[str, str]:
    """A paragraph of one-letter lines, every line changed."""
    return (FRONT + "## Run\n\n" + "a\n" * count,
            FRONT + "## Run\n\n" + "b\n" * count)


def near_duplicates(count: int) -> tuple[str, str]:
    """Blocks alike but for one number: no hash matches, every pair looks similar."""
    def text(seed: int) -> str:
        rng = random.Random(seed)
        return FRONT + "## Near\n\n" + "".join(
            f"The President shall review clause {rng.randrange(10**6)} every year.\n\n"
            for _ in range(count))
    return text(1), text(2)


def unrelated_long_blocks(count: int, words: int, same_heading: bool) -> tuple[str, str]:
    """Long blocks that all differ: fuzzy pairing and move detection compare them pairwise."""
    def text(seed: int, heading: str) -> str:
        rng = random.Random(seed)
        return FRONT + f"## {heading}\n\n" + "".join(
            " ".join(rng.choice(WORDS) for _ in range(words)) + f" {i}.\n\n" for i in range(count))
    return text(1, "Old"), text(2, "Old" if same_heading else "New")


def renamed_sections(count: int) -> tuple[str, str]:
    """Every section renamed, all holding the same block: each may be a rename of each."""
    return ("".join(f"## Old {i}\n\nYes.\n\n" for i in range(count)),
            "".join(f"## New {i}\n\nYes.\n\n" for i in range(count)))


def chained_renames(count: int, shared_by: int = 8) -> tuple[str, str]:
    """Renamed sections whose blocks each recur in only a few new sections, yet chain every
    old section to every new one: the worst case left for rename pairing."""
    groups = -(-count // shared_by)
    old = "".join(f"## Old {i}\n\n" + "".join(f"text {i} {g}.\n\n" for g in range(groups))
                  for i in range(count))
    new = "".join(f"## New {j}\n\n" + "".join(f"text {i} {j // shared_by}.\n\n"
                                               for i in range(count)) for j in range(count))
    return old, new


def yaml_list(items: int) -> tuple[str, str]:
    return (f"---\nx: [{', '.join(['a'] * items)}]\n---\n## A\n\nt\n",
            f"---\nx: [{', '.join(['b'] * items)}]\n---\n## A\n\nt\n")


def set_provision(members: int) -> tuple[str, str]:
    old = [f"m{i}" for i in range(members)]
    return (f"---\nprovisions:\n  s: [{', '.join(old)}]\n---\n## A\n\nt\n",
            f"---\nprovisions:\n  s: [{', '.join(old[1:] + ['new'])}]\n---\n## A\n\nt\n")


def billion_laughs() -> tuple[str, str]:
    lines = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"{c}: &{c} [{', '.join(['*' + p] * 9)}]" for p, c in zip("abcdefgh", "bcdefghi")]
    bomb = "---\n" + "\n".join(lines) + "\n---\n## A\n\nt\n"
    return bomb, bomb


def huge_scalar(megabytes: float) -> tuple[str, str]:
    value = "word " * int(megabytes * 200_000)
    return (f"---\nsummary: {value}\n---\n## A\n\nt\n", f"---\nsummary: {value}end\n---\n## A\n\nt\n")


def binary(megabytes: float) -> tuple[bytes, bytes]:
    rng = random.Random(5)
    data = b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(int(megabytes * 1e6)))
    return data, data[::-1]


def big_pair(megabytes: float) -> tuple[str, str]:
    old = prose(megabytes)
    return old, edited(old)


CASES = [
    Case("50 MB record", lambda: big_pair(50), quick=False),
    Case("50 MB record, limits off", lambda: big_pair(50), env=LIMITS_OFF, quick=False),
    Case("10 MB record", lambda: big_pair(10), quick=False),
    Case("10 MB record, terminal", lambda: big_pair(10), ("--color", "never"), quick=False),
    Case("one 10 MB line", lambda: one_line(10), quick=False),
    Case("one 10 MB line, terminal", lambda: one_line(10), ("--color", "never"), quick=False),
    Case("one 10 MB line, side by side", lambda: one_line(10), ("--color", "never", "-y"),
         quick=False),
    Case("one 1 MB line, terminal", lambda: one_line(1), ("--color", "never")),
    Case("100,000 sections", lambda: sections(100_000)),
    Case("100,000 sections, limits off", lambda: sections(100_000), env=LIMITS_OFF, quick=False),
    Case("49,000 sections, terminal", lambda: sections(49_000), ("--color", "never")),
    Case("10,000 levels of list", lambda: nested_list(10_000), ("--color", "never")),
    Case("10,000 levels of quote", lambda: nested_quote(10_000), ("--color", "never")),
    Case("1,000 indented list levels", lambda: indented_list(1_000), ("--color", "never")),
    Case("1,000,000 tiny blocks", lambda: tiny_blocks(1_000_000)),
    Case("1,000,000 tiny blocks, limits off", lambda: tiny_blocks(1_000_000), env=LIMITS_OFF,
         quick=False),
    Case("99,000 tiny blocks", lambda: tiny_blocks(99_000)),
    Case("99,000 tiny blocks, terminal --full -y", lambda: tiny_blocks(99_000),
         ("--color", "never", "--full", "-y"), quick=False),
    Case("99,000 identical blocks", lambda: identical_blocks(99_000)),
    Case("one word 1,000,000 times", lambda: one_word(4)),
    Case("one word 1,000,000 times, terminal", lambda: one_word(4), ("--color", "never")),
    Case("20,000 near-duplicates", lambda: near_duplicates(20_000)),
    Case("20,000 near-duplicates, terminal", lambda: near_duplicates(20_000),
         ("--color", "never")),
    Case("100 unrelated 6 KB blocks, section renamed", lambda: unrelated_long_blocks(100, 1000, False),
         note="moves._edited"),
    Case("499 unrelated 6 KB blocks, section renamed",
         lambda: unrelated_long_blocks(499, 1000, False), quick=False, note="moves._edited"),
    Case("499 unrelated 6 KB blocks, same section",
         lambda: unrelated_long_blocks(499, 1000, True), quick=False, note="moves._edited"),
    Case("2,000 renamed sections sharing a block", lambda: renamed_sections(2_000),
         note="sections._pair_by_content"),
    Case("4,000 renamed sections sharing a block", lambda: renamed_sections(4_000), quick=False,
         note="sections._pair_by_content"),
    Case("300 renamed sections chained by rare blocks", lambda: chained_renames(300),
         note="sections._pair_by_content"),
    Case("YAML billion laughs", billion_laughs),
    Case("YAML list of 1,000,000 items (3 MB)", lambda: yaml_list(1_000_000)),
    Case("YAML list of 80,000 items (240 KB)", lambda: yaml_list(80_000)),
    Case("YAML list of 80,000 items, terminal", lambda: yaml_list(80_000), ("--color", "never")),
    Case("set provision of 30,000 members", lambda: set_provision(30_000),
         note="provisions._compare_set"),
    Case("5 MB YAML scalar", lambda: huge_scalar(5)),
    Case("240 KB YAML scalar, terminal", lambda: huge_scalar(0.24), ("--color", "never")),
    Case("binary file (1 MB)", lambda: binary(1)),
    Case("one paragraph of 1 MB rewritten", lambda: rewritten_paragraph(1),
         note="align.similarity, textdiff._cleanup"),
    Case("one paragraph of 4 MB rewritten", lambda: rewritten_paragraph(4), quick=False,
         note="align.similarity, textdiff._cleanup"),
    Case("one paragraph of 990,000 one-letter lines", lambda: one_letter_lines(990_000),
         quick=False),
]


# ------------------------------------------------------------------ running


@dataclass
class Row:
    case: Case
    size: int
    code: int | None
    seconds: float
    peak_kb: int | None
    outcome: str


def command() -> list[str]:
    script = Path(sys.executable).parent / "policy-diff"
    return [str(script)] if script.exists() else [sys.executable, "-m", "policy_diff"]


def run_case(case: Case, folder: Path, timeout: float, memory_mb: int) -> Row:
    old, new = case.make()
    paths = []
    for name, content in (("old", old), ("new", new)):
        path = folder / f"{name}.md"
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
        paths.append(str(path))
    size = max(os.path.getsize(p) for p in paths)
    timing = folder / "time.txt"
    timed = ["/usr/bin/time", "-o", str(timing), "-f", "%M"] if shutil.which("time") or \
        Path("/usr/bin/time").exists() else []
    env = {**os.environ, "COLUMNS": "100", **case.env}

    def cap() -> None:  # a runaway case fails with MemoryError instead of swapping
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    start = time.monotonic()
    try:
        result = subprocess.run([*timed, *command(), "diff", *paths, *case.args], env=env,
                                cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                timeout=timeout, preexec_fn=cap)
    except subprocess.TimeoutExpired:
        return Row(case, size, None, time.monotonic() - start, None, f"over {timeout:.0f} s")
    seconds = time.monotonic() - start
    peak = None
    if timed and timing.exists():
        last = timing.read_text().strip().splitlines()
        peak = int(last[-1]) if last and last[-1].isdigit() else None
    return Row(case, size, result.returncode, seconds, peak, _outcome(result))


def _outcome(result: subprocess.CompletedProcess[bytes]) -> str:
    err = result.stderr.decode("utf-8", "replace")
    if "MemoryError" in err:
        return "out of memory"
    if result.returncode == 2:
        line = next((l for l in err.splitlines() if l.startswith("policy-diff: error:")), err)
        message = line.split(": ", 3)[-1] if line.count(": ") >= 3 else line
        return "refused: " + message.split(";")[0][:70]
    if "Traceback" in err:
        return "CRASH: " + err.strip().splitlines()[-1][:70]
    return f"diff, {len(result.stdout):,} bytes out"


def table(rows: list[Row]) -> str:
    lines = ["| input | size | args | exit | time | peak RSS | outcome |",
             "|---|---:|---|---:|---:|---:|---|"]
    for row in rows:
        args = " ".join(a for a in row.case.args if a not in ("--color", "never")) or "term"
        if row.case.env:
            args += " (limits off)"
        peak = f"{row.peak_kb / 1024:,.0f} MB" if row.peak_kb else "?"
        code = "—" if row.code is None else str(row.code)
        note = f" ({row.case.note})" if row.case.note else ""
        lines.append(f"| {row.case.name} | {row.size / 1e6:,.2f} MB | {args} | {code} | "
                     f"{row.seconds:,.1f} s | {peak} | {row.outcome}{note} |")
    return "\n".join(lines)


# ------------------------------------------------------------------ repositories (issue: the guard)


@dataclass
class RepoCase:
    """A command run in a git repository SETUP builds: hooks at scale, FIFOs in the store."""

    name: str
    setup: Callable[[Path], None]
    argv: tuple[str, ...]  # "policy-diff" stands for the command under test
    quick: bool = True
    env: dict[str, str] = field(default_factory=dict)
    note: str = ""

    @property
    def args(self) -> tuple[str, ...]:  # the table's args column: the command run
        return self.argv


def _git(top: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=top, check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "B", "GIT_AUTHOR_EMAIL": "b@example.org",
                        "GIT_COMMITTER_NAME": "B", "GIT_COMMITTER_EMAIL": "b@example.org"})


def small_records(top: Path, policies: int = 30, versions: int = 100, hooks: bool = True) -> None:
    """POLICIES x VERSIONS small valid records, staged for a first commit."""
    _git(top.parent, "init", "-q", str(top))
    for p in range(policies):
        folder = top / "policies" / f"p{p:02d}"
        folder.mkdir(parents=True)
        (folder / "policy.yaml").write_text(f"policy: p{p:02d}\ntitle: P\nprovisions: {{}}\n")
        for v in range(versions):
            (folder / f"v{v:03d}.md").write_text(
                f"---\npolicy: p{p:02d}\nversion: v{v:03d}\ntitle: P\neffective: 2020-01-01\n"
                f"status: in-force\n" + (f"supersedes: v{v - 1:03d}\n" if v else "")
                + f"---\n# P\n\n## Scope\nAll staff {v}.\n")
    if hooks:
        subprocess.run([*command(), "hooks", "install"], cwd=top, check=True, capture_output=True)
    _git(top, "add", "-A")


def draft_history(top: Path, commits: int = 300) -> None:
    """COMMITS commits, each editing a draft and adding a record: a range for `check`."""
    small_records(top, policies=3, versions=10, hooks=False)
    draft = top / "policies" / "p00" / "v009.md"
    draft.write_text(draft.read_text().replace("status: in-force", "status: draft"))
    _git(top, "add", "-A")
    _git(top, "commit", "-q", "-m", "Import")
    for n in range(commits):  # a draft never published: each check walks all its history
        draft.write_text(draft.read_text().replace("All staff", f"All staff ({n})"))
        _git(top, "commit", "-q", "-a", "-m", f"Edit {n}")


def fifo_version(top: Path) -> None:
    small_records(top, policies=1, versions=3, hooks=False)
    _git(top, "commit", "-q", "-m", "Import")
    os.mkfifo(top / "policies" / "p00" / "v100.md")


REPO_CASES = [
    RepoCase("first commit of 3,000 records, hooks on", small_records,
             ("git", "commit", "-q", "-m", "Import")),
    RepoCase("first commit of 3,000 records, hooks skipped", small_records,
             ("git", "commit", "-q", "--no-verify", "-m", "Import"), note="git alone"),
    RepoCase("validate of the same 3,000 records", small_records, ("policy-diff", "validate")),
    RepoCase("check of 300 commits", draft_history, ("policy-diff", "check", "HEAD")),
    RepoCase("FIFO named like a version: validate", fifo_version, ("policy-diff", "validate")),
    RepoCase("FIFO named like a version: log", fifo_version,
             ("policy-diff", "log", "p00", "--no-pager")),
]


def run_repo_case(case: RepoCase, folder: Path, timeout: float, memory_mb: int) -> Row:
    top = folder / "repo"
    shutil.rmtree(top, ignore_errors=True)
    case.setup(top)
    argv = [*command(), *case.argv[1:]] if case.argv[0] == "policy-diff" else list(case.argv)
    timing = folder / "time.txt"
    start = time.monotonic()
    try:
        result = subprocess.run(["/usr/bin/time", "-o", str(timing), "-f", "%M", *argv], cwd=top,
                                env={**os.environ, "COLUMNS": "100", **case.env},
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
    except subprocess.TimeoutExpired:
        return Row(case, 0, None, time.monotonic() - start, None, f"over {timeout:.0f} s")
    seconds = time.monotonic() - start
    last = timing.read_text().strip().splitlines() if timing.exists() else []
    peak = int(last[-1]) if last and last[-1].isdigit() else None
    outcome = "done" if result.returncode in (0, 1) else _outcome(result)
    size = sum(p.stat().st_size for p in (top / "policies").rglob("*") if p.is_file())
    return Row(case, size, result.returncode, seconds, peak, outcome)  # type: ignore[arg-type]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="only the classes that take seconds")
    parser.add_argument("--only", help="only classes whose name contains this")
    parser.add_argument("--timeout", type=float, default=120, help="seconds per run (120)")
    parser.add_argument("--memory", type=int, default=6144, help="MB of address space (6144)")
    parser.add_argument("--markdown", help="also write the table to this file")
    options = parser.parse_args()
    cases = [c for c in CASES if (c.quick or not options.quick)
             and (not options.only or options.only.lower() in c.name.lower())]
    repo_cases = [c for c in REPO_CASES if (c.quick or not options.quick)
                  and (not options.only or options.only.lower() in c.name.lower())]
    rows = []
    with tempfile.TemporaryDirectory(prefix="policy-diff-hostile-") as tmp:
        for case in cases:
            row = run_case(case, Path(tmp), options.timeout, options.memory)
            rows.append(row)
            print(f"{case.name}: {row.seconds:.1f} s, {row.outcome}", file=sys.stderr)
        for repo_case in repo_cases:
            row = run_repo_case(repo_case, Path(tmp), options.timeout, options.memory)
            rows.append(row)
            print(f"{repo_case.name}: {row.seconds:.1f} s, {row.outcome}", file=sys.stderr)
    machine = f"{platform.python_implementation()} {platform.python_version()}, " \
              f"{os.cpu_count()} CPUs, {platform.machine()}"
    text = f"{table(rows)}\n\nMachine: {machine}; time limit {options.timeout:.0f} s, " \
           f"address space {options.memory:,} MB.\n"
    print(text)
    if options.markdown:
        Path(options.markdown).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
