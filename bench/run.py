"""Time policy-diff against peers as whole processes, in alternation, and print medians.

Peak memory needs GNU time (/usr/bin/time, Debian package `time`); without it, n/a.

    python bench/run.py                 # 10 KB, 100 KB, 1 MB and 10 MB pairs, 5 runs each
    python bench/run.py --sizes 1m --runs 3

Each run of each tool is a fresh process (start-up included), the tools take
turns within every round so that machine noise hits them alike, and the table
gives the median time and peak memory (max RSS) of each, with the ratio to
`git diff --word-diff`, the fastest peer, measured in the same run.
"""

from __future__ import annotations

import argparse
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.corpus import make_pair  # noqa: E402

SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000, "10m": 10_000_000}
DIFFLIB = ("import difflib,sys; a=open(sys.argv[1]).readlines(); b=open(sys.argv[2]).readlines();"
           " sys.stdout.writelines(difflib.unified_diff(a, b))")


def tools(old: Path, new: Path) -> dict[str, list[str]]:
    policy_diff = [sys.executable, "-m", "policy_diff"]
    found = {
        "policy-diff json": [*policy_diff, "diff", str(old), str(new), "--format", "json"],
        "policy-diff term": [*policy_diff, "diff", str(old), str(new), "--color", "never",
                             "--no-pager"],
        "git diff --word-diff": ["git", "diff", "--no-index", "--word-diff=porcelain",
                                 str(old), str(new)],
        "difflib unified_diff": [sys.executable, "-c", DIFFLIB, str(old), str(new)],
    }
    if shutil.which("wdiff"):
        found["wdiff"] = ["wdiff", str(old), str(new)]
    return found


def measure(command: list[str]) -> tuple[float, int | None]:
    """Wall seconds and peak RSS (KiB) of one process.

    The peak comes from GNU time: Linux keeps a forked child's max RSS across
    exec, so getrusage on a child of this (large) Python process would report
    our own size for small tools.
    """
    import time

    gnu_time = shutil.which("time") if Path("/usr/bin/time").exists() else None
    with tempfile.NamedTemporaryFile("r") as report:
        wrapped = [gnu_time, "-f", "%M", "-o", report.name, *command] if gnu_time else command
        start = time.perf_counter()
        code = subprocess.run(wrapped, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              check=False).returncode
        elapsed = time.perf_counter() - start
        if code not in (0, 1):
            raise RuntimeError(f"{command[0]} failed with exit code {code}")
        rss = report.read().strip().splitlines()
    return elapsed, int(rss[-1]) if gnu_time and rss else None


def bench(size_name: str, runs: int, folder: Path) -> list[tuple[str, float, int | None]]:
    pair = make_pair(SIZES[size_name], seed=7)
    old, new = folder / f"{size_name}-old.md", folder / f"{size_name}-new.md"
    old.write_text(pair.old, encoding="utf-8")
    new.write_text(pair.new, encoding="utf-8")
    commands = tools(old, new)
    times: dict[str, list[float]] = {name: [] for name in commands}
    memory: dict[str, list[int | None]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():  # alternate: every tool once per round
            seconds, rss = measure(command)
            times[name].append(seconds)
            memory[name].append(rss)
    return [(name, statistics.median(times[name]), _peak(memory[name])) for name in commands]


def _peak(values: list[int | None]) -> int | None:
    known = [v for v in values if v is not None]
    return max(known) if known else None


def _cores() -> int:
    import os

    return os.cpu_count() or 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10k,100k,1m,10m")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {_cores()} cores, Python "
          f"{platform.python_version()}, {platform.platform()}")
    print(f"median of {args.runs} runs, whole process; ratio = time / git diff --word-diff\n")
    with tempfile.TemporaryDirectory() as tmp:
        for size_name in args.sizes.split(","):
            rows = bench(size_name, args.runs, Path(tmp))
            base = dict((name, seconds) for name, seconds, _ in rows)["git diff --word-diff"]
            print(f"{size_name} pair")
            for name, seconds, rss in rows:
                memory = f"{rss / 1024:8.1f} MiB" if rss is not None else "     n/a"
                print(f"  {name:24} {seconds:8.3f} s  {seconds / base:7.1f}x  {memory}")
            print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
