"""The corpus-scale part of bench/run.py: `changes` over one commit that edits thousands of
records, and `history` of one record through 500 versions, against git in the same run.

Each command runs as a whole process, in turns with its peers.  Besides the wall time,
two things GNU time cannot give are measured here: the peak memory of the whole process
tree (a process pool's processes and git's together, as PSS sampled from /proc every
20 ms), and the time until the first line of output arrives.
"""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.scale import corpus_repo, long_history

TIMEOUT = 900.0


@dataclass
class Run:
    times: list[float] = field(default_factory=list)
    first: list[float] = field(default_factory=list)  # seconds to the first line of output
    peak_kib: int = 0
    git_kib: int = 0  # git's share at that peak
    lines: int = 0

    @property
    def median(self) -> float:
        return statistics.median(self.times)


def _tree_pss_kib(group: int) -> tuple[int, int]:
    """The proportional set size (PSS: a page shared by N processes counts 1/N in each, so
    forked workers are not counted twice) of every process in process group GROUP, added
    up: (all of them, git's alone).  git's includes the pack files it maps."""
    total = git = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                name, fields = handle.read().rsplit(b")", 1)
            if int(fields.split()[2]) != group:  # pgrp, the 5th field of stat
                continue
            with open(f"/proc/{entry}/smaps_rollup", "rb") as handle:
                pss = next(int(line.split()[1]) for line in handle if line.startswith(b"Pss:"))
        except (OSError, IndexError, ValueError, StopIteration):
            continue  # the process ended while we looked
        total += pss
        if name.endswith(b"(git"):
            git += pss
    return total, git


def measure(command: list[str], cwd: Path) -> tuple[float, float, tuple[int, int], int]:
    """(wall seconds, seconds to the first line, (peak KiB of the tree, git's), lines)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    peak = (0, 0)
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_pss_kib(process.pid))
            done.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    timer = threading.Timer(TIMEOUT, lambda: os.killpg(process.pid, signal.SIGKILL))
    timer.start()
    assert process.stdout is not None
    first = process.stdout.readline()
    first_at = time.perf_counter() - start
    lines = 1 if first else 0
    for _ in iter(lambda: process.stdout.read(1 << 16), b""):  # type: ignore[union-attr]
        pass
    code = process.wait()
    elapsed = time.perf_counter() - start
    done.set()
    timer.cancel()
    sampler.join()
    if code not in (0, 1):
        raise RuntimeError(f"{' '.join(command[:5])} failed with exit code {code}")
    return elapsed, first_at if first else elapsed, peak, lines


def race(commands: dict[str, list[str]], rounds: int, cwd: Path) -> dict[str, Run]:
    results = {name: Run() for name in commands}
    for _ in range(rounds):
        for name, command in commands.items():
            seconds, first, peak, lines = measure(command, cwd)
            run = results[name]
            run.times.append(seconds)
            run.first.append(first)
            if peak[0] > run.peak_kib:
                run.peak_kib, run.git_kib = peak
    return results


def table(title: str, results: dict[str, Run], base: str, note: str) -> list[str]:
    reference = results[base].median
    lines = [f"### {title}", "", note, "",
             f"| command | median | × {base} | first line | peak memory, all processes (git's) |",
             "|---|---:|---:|---:|---:|"]
    for name, run in results.items():
        lines.append(f"| {name} | {run.median:.2f} s | {run.median / reference:.2f} | "
                     f"{statistics.median(run.first):.2f} s | {run.peak_kib / 1024:.0f} MiB "
                     f"({run.git_kib / 1024:.0f} MiB) |")
    return lines + [""]


def scale_report(folder: Path, rounds: int, targets, records: int) -> list[str]:  # type: ignore[no-untyped-def]
    from bench.run import CLI

    corpus = folder / "corpus"
    facts = corpus_repo(corpus, records)
    span = ["HEAD~1", "HEAD"]
    quiet = ["--quiet"]
    changes = {
        "policy-diff changes (term)": [*CLI, "changes", *span, "--color", "never", *quiet],
        "policy-diff changes -f jsonl": [*CLI, "changes", *span, "-f", "jsonl", *quiet],
        "policy-diff changes -j 1 (term)": [*CLI, "changes", *span, "--color", "never", "-j",
                                            "1", *quiet],
        "git diff --word-diff": ["git", "diff", "--word-diff", *span],
    }
    results = race(changes, rounds, corpus)
    note = (f"{facts['records']:,} records, {facts['old_bytes'] / 1e6:.0f} MB before and "
            f"{facts['new_bytes'] / 1e6:.0f} MB after (from {facts['smallest'] / 1e3:.0f} KB to "
            f"{facts['largest'] / 1e6:.1f} MB), every one edited in the last commit; "
            f"{os.cpu_count()} cores, so the default is -j {os.cpu_count()}.")
    lines = table("Corpus scale: `changes` over one commit that edits every record", results,
                  "git diff --word-diff", note)
    git = results["git diff --word-diff"].median
    ours = results["policy-diff changes (term)"]
    targets.check("changes over the big commit at most 10× git diff --word-diff",
                  ours.median <= 10 * git, f"{ours.median / git:.1f}×")
    ours_peak = max(results[n].peak_kib - results[n].git_kib for n in changes
                    if n.startswith("policy-diff"))
    targets.check("changes over the big commit: peak memory at most 300 MB (policy-diff's "
                  "processes; its git cat-file shown apart above)",
                  ours_peak * 1024 <= 300 * 10**6, f"{ours_peak / 1024:.0f} MiB")
    first = max(statistics.median(results[n].first) for n in changes if n.startswith("policy"))
    targets.check("changes: first line within 1 s", first <= 1.0, f"{first:.2f} s")

    history = folder / "long-history"
    path, size = long_history(history)
    commands = {
        "policy-diff history --patch (term)": [*CLI, "history", path, "--patch", "--color",
                                               "never", "--no-pager", *quiet],
        "git log -p --follow --word-diff": ["git", "log", "-p", "--follow", "--word-diff", "--",
                                            path],
        "policy-diff history (term)": [*CLI, "history", path, "--color", "never", "--no-pager",
                                       *quiet],
        "policy-diff history -f jsonl": [*CLI, "history", path, "-f", "jsonl", *quiet],
        "git log --follow -p": ["git", "log", "--follow", "-p", "--", path],
    }
    results = race(commands, rounds, history)
    note = (f"One record of {size / 1e3:.0f} KB through 500 commits (each edits a sentence; "
            f"renamed and edited in one commit halfway).")
    lines += table("Corpus scale: `history` of one record through 500 versions", results,
                   "git log --follow -p", note)
    word = results["git log -p --follow --word-diff"].median
    patch = results["policy-diff history --patch (term)"].median
    targets.check("history --patch of 500 versions at most 5× git log -p --follow --word-diff",
                  patch <= 5 * word, f"{patch / word:.1f}×")
    plain_git = results["git log --follow -p"].median
    plain = results["policy-diff history (term)"].median
    targets.check("history of 500 versions at most 10× git log --follow -p",
                  plain <= 10 * plain_git, f"{plain / plain_git:.1f}×")
    first = max(statistics.median(results[n].first) for n in commands if n.startswith("policy"))
    targets.check("history: first line within 1 s", first <= 1.0, f"{first:.2f} s")
    return lines
