"""The corpus-scale part of bench/run.py: `changes` over one commit that edits thousands of
records, and `history` of one record through 500 versions, against git in the same run.

Each command runs as a whole process, in turns with its peers.  Besides the wall time,
two things GNU time cannot give are measured here: the peak memory of the whole process
tree (a process pool's processes together, sampled from /proc every 20 ms), and the
time until the first line of output arrives.
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
    lines: int = 0

    @property
    def median(self) -> float:
        return statistics.median(self.times)


def _tree_rss_kib(group: int) -> int:
    """The resident memory of every process in process group GROUP, added up."""
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
            if int(fields[2]) == group:  # pgrp, the 5th field of stat
                with open(f"/proc/{entry}/statm", "rb") as handle:
                    total += int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024
        except (OSError, IndexError, ValueError):
            continue  # the process ended while we looked
    return total


def measure(command: list[str], cwd: Path) -> tuple[float, float, int, int]:
    """(wall seconds, seconds to the first output line, peak KiB of the tree, output lines)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss_kib(process.pid))
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
            run.peak_kib = max(run.peak_kib, peak)
    return results


def table(title: str, results: dict[str, Run], base: str, note: str) -> list[str]:
    reference = results[base].median
    lines = [f"### {title}", "", note, "",
             f"| command | median | × {base} | first line | peak memory (all processes) |",
             "|---|---:|---:|---:|---:|"]
    for name, run in results.items():
        lines.append(f"| {name} | {run.median:.2f} s | {run.median / reference:.2f} | "
                     f"{statistics.median(run.first):.2f} s | {run.peak_kib / 1024:.0f} MiB |")
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
    peak = max(results[name].peak_kib for name in changes if name.startswith("policy-diff"))
    targets.check("changes over the big commit: peak memory at most 300 MB (all processes)",
                  peak <= 300 * 1000, f"{peak / 1024:.0f} MiB")
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
