"""Time policy-diff against its peers as whole processes, in alternation, and check the targets.

    python bench/run.py                      # everything, 5 rounds (several minutes)
    python bench/run.py --quick              # 3 rounds, no 10 MB pair
    python bench/run.py --quick --pairs 10k,100k,1m,10m   # 3 rounds, with the 10 MB pair
    python bench/run.py --pairs 10m --pairs-only --rounds 3   # that pair alone (minutes)
    python bench/run.py --markdown bench/RESULTS.md

Every run of every tool is a fresh process, start-up included; within a round
the tools take turns, so machine noise falls on all of them alike.  Medians are
reported with the ratio to a peer from the same run, never as absolute claims.
Peak memory comes from GNU time (`/usr/bin/time -f %M`).  Peers that are not
installed are reported as such: `pip install diff-match-patch redlines`,
`apt-get install wdiff dwdiff` (see bench/README.md).
"""

from __future__ import annotations

import argparse
import math
import os
import signal
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.corpus import LICENCES, make_pair, pathological_pairs  # noqa: E402
from bench.history import history_repo  # noqa: E402

PY = sys.executable
# The command as users run it: the installed script (no `python -m` module lookup).
CLI = [str(Path(PY).with_name("policy-diff"))] if Path(PY).with_name("policy-diff").exists() \
    else [PY, "-m", "policy_diff"]
SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000, "10m": 10_000_000}
TIMEOUT = 60.0
SMALL_PAIR = ("policies/us-apl/2014-09-23.md", "policies/us-apl/2022-06-21.md")


@dataclass
class Result:
    times: list[float] = field(default_factory=list)
    peak_kib: int = 0
    note: str = ""

    @property
    def median(self) -> float | None:
        return statistics.median(self.times) if self.times and not self.note else None


def measure(command: list[str], cwd: Path = ROOT) -> tuple[float | None, int]:
    """Wall seconds (None past the timeout) and peak RSS in KiB of one process."""
    gnu_time = Path("/usr/bin/time")
    with tempfile.NamedTemporaryFile("r") as report:
        wrapped = [str(gnu_time), "-f", "%M", "-o", report.name, *command] \
            if gnu_time.exists() else command
        start = time.perf_counter()
        # A session of its own, so a timeout stops the tool and not just GNU time around it;
        # a timer thread, because Popen.wait(timeout=...) polls in steps of up to 50 ms.
        process = subprocess.Popen(wrapped, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                   cwd=cwd, start_new_session=True)
        expired = threading.Event()

        def stop() -> None:
            expired.set()
            os.killpg(process.pid, signal.SIGKILL)

        timer = threading.Timer(TIMEOUT, stop)
        timer.start()
        code = process.wait()
        elapsed = time.perf_counter() - start
        timer.cancel()
        if expired.is_set():
            return None, 0
        lines = report.read().split()
    if code not in (0, 1):
        raise RuntimeError(f"{' '.join(command[:4])} failed with exit code {code}")
    return elapsed, int(lines[-1]) if lines and lines[-1].isdigit() else 0


def race(commands: dict[str, list[str]], rounds: int, cwd: Path = ROOT) -> dict[str, Result]:
    """Run every command once per round, in turn; a command past the timeout runs no more."""
    results = {name: Result() for name in commands}
    for _ in range(rounds):
        for name, command in commands.items():
            result = results[name]
            if result.note:
                continue
            seconds, peak = measure(command, cwd)
            if seconds is None:
                result.note = f"over {TIMEOUT:.0f} s"
                continue
            result.times.append(seconds)
            result.peak_kib = max(result.peak_kib, peak)
    return results


def peers(old: Path, new: Path, heavy: bool) -> dict[str, list[str]]:
    """policy-diff and each available peer on one pair."""
    commands = {
        "policy-diff json": [*CLI, "diff", str(old), str(new), "--format", "json"],
        "policy-diff term": [*CLI, "diff", str(old), str(new), "--color",
                             "never", "--no-pager"],
        "floor (read + word tokens)": [PY, "bench/peers.py", "floor", str(old), str(new)],
        "git diff --word-diff": ["git", "diff", "--no-index", "--word-diff=porcelain", str(old),
                                 str(new)],
        "difflib unified_diff": [PY, "bench/peers.py", "difflib-unified", str(old), str(new)],
    }
    optional = {"difflib ndiff": ("difflib", "difflib-ndiff"),
                "diff-match-patch": ("diff_match_patch", "diff-match-patch"),
                "redlines": ("redlines", "redlines")}
    for name, (module, peer) in optional.items():
        if _importable(module) and (heavy or name != "difflib ndiff"):
            commands[name] = [PY, "bench/peers.py", peer, str(old), str(new)]
    for tool in ("wdiff", "dwdiff"):
        if shutil.which(tool):
            commands[tool] = [tool, str(old), str(new)]
    return commands


def _importable(module: str) -> bool:
    return subprocess.run([PY, "-c", f"import {module}"], capture_output=True).returncode == 0


def write_pair(folder: Path, name: str, old: str, new: str) -> tuple[Path, Path]:
    paths = folder / f"{name}-old.md", folder / f"{name}-new.md"
    paths[0].write_text(old, encoding="utf-8")
    paths[1].write_text(new, encoding="utf-8")
    return paths


def table(title: str, results: dict[str, Result], base: str) -> list[str]:
    reference = results[base].median
    lines = [f"### {title}", "", "| tool | median | × " + base + " | peak memory |",
             "|---|---:|---:|---:|"]
    for name, result in results.items():
        if result.median is None:
            lines.append(f"| {name} | {result.note or 'n/a'} | | |")
            continue
        ratio = f"{result.median / reference:.2f}" if reference else ""
        lines.append(f"| {name} | {result.median:.3f} s | {ratio} | "
                     f"{result.peak_kib / 1024:.0f} MiB |")
    return lines + [""]


class Targets:
    """The performance targets of the issue, each checked against this run's figures."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, bool, str]] = []

    def check(self, label: str, ok: bool, detail: str) -> None:
        self.rows.append((label, ok, detail))

    def lines(self) -> list[str]:
        out = ["### Targets", "", "| target | met | measured |", "|---|---|---|"]
        out += [f"| {label} | {'yes' if ok else '**no**'} | {detail} |" for label, ok, detail in self.rows]
        return out + [""]


def speed_targets(size: str, results: dict[str, Result], targets: Targets) -> None:
    ours = results["policy-diff json"].median
    assert ours is not None
    for peer in ("diff-match-patch", "difflib unified_diff", "difflib ndiff", "redlines"):
        if peer in results:
            theirs = results[peer].median
            ok = theirs is None or ours < theirs
            shown = results[peer].note or f"{theirs:.3f} s"
            targets.check(f"{size}: faster than {peer}", ok, f"{ours:.3f} s vs {shown}")
    floor = results["floor (read + word tokens)"]
    if size in ("1m", "10m") and floor.median:
        targets.check(f"{size}: at most 3× the Python floor", ours <= 3 * floor.median,
                      f"{ours / floor.median:.2f}×")
        mine = results["policy-diff json"].peak_kib
        targets.check(f"{size}: peak memory at most 3× the floor's", mine <= 3 * floor.peak_kib,
                      f"{mine / max(floor.peak_kib, 1):.2f}×")
    git = results["git diff --word-diff"].median
    if size == "10m" and git:
        for name in ("policy-diff json", "policy-diff term"):
            mine = results[name].median or math.inf
            targets.check(f"10m: {name} at most 10× git diff --word-diff", mine <= 10 * git,
                          f"{mine / git:.1f}×")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="3 rounds, no 10 MB pair")
    parser.add_argument("--markdown", metavar="FILE", help="also write the report to FILE")
    parser.add_argument("--pairs", metavar="SIZES",
                        help=f"the pairs to run, of {','.join(SIZES)} (default: all; with "
                             f"--quick, all but 10m)")
    parser.add_argument("--pairs-only", action="store_true",
                        help="run the pairs and nothing else")
    parser.add_argument("--scale", choices=("yes", "no", "only"), default="yes",
                        help="the corpus-scale runs of changes and history (about 10 minutes; "
                             "only: nothing else)")
    parser.add_argument("--records", type=int, default=2000,
                        help="records in the corpus-scale repository")
    parser.add_argument("--scale-rounds", type=int, default=3,
                        help="rounds of the corpus-scale runs (each is minutes long)")
    args = parser.parse_args()
    rounds = 3 if args.quick else args.rounds
    sizes = [s for s in SIZES if not (args.quick and s == "10m")]
    if args.pairs:
        sizes = [s.strip() for s in args.pairs.split(",")]
        unknown = [s for s in sizes if s not in SIZES]
        if unknown:
            parser.error(f"unknown pair size {unknown[0]!r} (sizes: {', '.join(SIZES)})")
    report = [f"Machine: {platform.machine()}, {_cores()} cores, Python {platform.python_version()}, "
              f"{platform.platform()}; {time.strftime('%Y-%m-%d')}.",
              f"Command: `python bench/run.py{' --quick' if args.quick else ''}"
              f"{f' --pairs {args.pairs}' if args.pairs else ''}"
              f"{' --pairs-only' if args.pairs_only else ''}"
              f"{'' if args.scale == 'yes' or args.pairs_only else ' --scale ' + args.scale}"
              f"{f' --rounds {args.rounds}' if args.rounds != 5 and not args.quick else ''}"
              f"{f' --scale-rounds {args.scale_rounds}' if args.scale_rounds != 3 else ''}`; "
              f"median of "
              f"{rounds} rounds, whole processes, tools in alternation.", ""]
    targets = Targets()
    medians: dict[str, float] = {}
    # Time what a user runs: compiled bytecode, not a compile of every module per process
    # (an editable install of a fresh clone, or PYTHONDONTWRITEBYTECODE, would time that).
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run([PY, "-m", "compileall", "-q", str(ROOT / "policy_diff")], check=True,
                   stdout=subprocess.DEVNULL)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if args.scale == "only":
            sizes = []
        for size in sizes:
            pair = make_pair(SIZES[size], seed=7)
            old, new = write_pair(folder, size, pair.old, pair.new)
            results = race(peers(old, new, heavy=True), rounds)
            report += table(f"{size} pair (2% of sentences edited, paragraphs moved, a section "
                            f"renamed)", results, "git diff --word-diff")
            speed_targets(size, results, targets)
            medians[size] = results["policy-diff json"].median or math.nan
        if "1m" in medians and "10m" in medians:
            exponent = math.log(medians["10m"] / medians["1m"]) / math.log(10)
            targets.check("growth exponent 1 MB → 10 MB at most 1.1", exponent <= 1.1,
                          f"{exponent:.2f}")
        if args.scale != "only" and not args.pairs_only:
            report += _real_pairs(folder, rounds, targets)
            report += _pathological(folder, rounds, targets, medians)
            report += _start_up(rounds, targets)
            report += _history(folder, rounds, targets)
        if args.scale != "no" and not args.pairs_only:
            from bench.scale_run import scale_report

            report += scale_report(folder, args.scale_rounds, targets, args.records)
    report += targets.lines()
    text = "\n".join(report)
    print(text)
    if args.markdown:
        Path(args.markdown).write_text("# Benchmark results\n\n" + text + "\n", encoding="utf-8")
    return 0


def _real_pairs(folder: Path, rounds: int, targets: Targets) -> list[str]:
    old, new = LICENCES / "GPL-2", LICENCES / "GPL-3"
    if not (old.is_file() and new.is_file()):
        return ["Real pair skipped: no /usr/share/common-licenses.", ""]
    results = race(peers(old, new, heavy=True), rounds)
    speed_targets("GPL-2 → GPL-3", results, targets)
    return table("Real rewrite: GPL-2 → GPL-3 (plain text, about 50 KB)", results,
                 "git diff --word-diff")


def _pathological(folder: Path, rounds: int, targets: Targets,
                  medians: dict[str, float]) -> list[str]:
    """Adversarial inputs of 1 MB against the time the 1 MB corpus pair took."""
    expected = medians.get("1m")
    lines = ["### Adversarial inputs (about 1 MB each)", "",
             "| input | policy-diff json | × the 1 MB corpus pair | peak memory |", "|---|---:|---:|---:|"]
    for name, (old_text, new_text) in pathological_pairs(1_000_000).items():
        old, new = write_pair(folder, name.replace(" ", "-"), old_text, new_text)
        result = race({"pd": peers(old, new, heavy=False)["policy-diff json"]}, rounds)["pd"]
        if result.median is None:
            lines.append(f"| {name} | {result.note} | | |")
            targets.check(f"adversarial '{name}' at most 10× its size's prediction", False,
                          result.note)
            continue
        ratio = result.median / expected if expected else math.nan
        lines.append(f"| {name} | {result.median:.3f} s | {ratio:.2f} | {result.peak_kib / 1024:.0f} MiB |")
        targets.check(f"adversarial '{name}' at most 10× its size's prediction", ratio <= 10,
                      f"{ratio:.2f}×")
    return lines + [""]


def _start_up(rounds: int, targets: Targets) -> list[str]:
    old, new = SMALL_PAIR
    rich = 'python -c "import rich.console"'
    bare = "bare typer app (same commands, doing nothing)"
    commands = {
        "policy-diff term": [*CLI, "diff", old, new, "--no-pager"],
        "policy-diff json": [*CLI, "diff", old, new, "--format", "json"],
        bare: [PY, "bench/bare_typer.py", "diff", old, new, "--no-pager"],
        "git driver": [PY, "-m", "policy_diff.gitdriver", "x.md", old, ".", "100644", new, ".",
                       "100644"],
        # The hook scripts' command; with nothing staged it reads the index and stops.
        "pre-commit hook": [PY, "-P", "-m", "policy_diff.hooks", "pre-commit"],
        rich: [PY, "-c", "import rich.console"],
    }
    if _importable("redlines"):
        commands["redlines"] = [PY, "bench/peers.py", "redlines", old, new]
    results = race(commands, max(rounds, 9))
    rich_time = results[rich].median or math.nan
    bare_time = results[bare].median or math.nan
    for name in ("policy-diff term", "policy-diff json"):
        ours = results[name].median or math.nan
        targets.check(f"start-up: {name} at most 1.3× the bare typer app",
                      ours <= 1.3 * bare_time, f"{ours / bare_time:.2f}×")
    # The commands parse their options with typer (the bare app's cost, shown against rich in
    # the table); what git runs loads no CLI framework and is held to rich.console itself.
    for name in ("git driver", "pre-commit hook"):
        ours = results[name].median or math.nan
        targets.check(f"start-up: {name} at most 2× importing rich.console",
                      ours <= 2 * rich_time, f"{ours / rich_time:.2f}×")
    for name in ("policy-diff term", "policy-diff json", "git driver"):
        ours = results[name].median or math.nan
        if "redlines" in results and results["redlines"].median:
            theirs = results["redlines"].median
            targets.check(f"start-up: {name} no slower than redlines", ours <= theirs,
                          f"{ours:.3f} s vs {theirs:.3f} s")
    return table(f"Start-up: two small records ({old} → {new})", results, rich)


def _history(folder: Path, rounds: int, targets: Targets) -> list[str]:
    repo, path = history_repo(folder / "history", versions=500)
    commands = {
        "policy-diff history": [*CLI, "history", path, "--format", "json"],
        "policy-diff history (term)": [*CLI, "history", path, "--color",
                                       "never", "--no-pager"],
        "git log -p --follow": ["git", "log", "-p", "--follow", "--", path],
    }
    results = race(commands, rounds, cwd=repo)
    ours = results["policy-diff history"].median or math.nan
    git = results["git log -p --follow"].median or math.nan
    targets.check("history of 500 versions at most 2× git log -p --follow", ours <= 2 * git,
                  f"{ours / git:.2f}×")
    return table("History: one record with 500 committed versions", results, "git log -p --follow")


def _cores() -> int:
    return os.cpu_count() or 1


if __name__ == "__main__":
    sys.exit(main())
