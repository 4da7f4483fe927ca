"""A git repository holding one policy record through 500 commits, for the history benchmark."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
from pathlib import Path

from bench.corpus import make_sections, render

RECORD = "policies/bench/record.md"


def history_repo(folder: Path, versions: int = 500, seed: int = 11) -> tuple[Path, str]:
    """Commit `versions` versions of a ~20 KB record, each editing a sentence; renamed once."""
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "policies" / "bench").mkdir(parents=True)
    env = {**os.environ, "GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@example.org",
           "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "bench@example.org"}
    git = ["git", "-c", "commit.gpgsign=false"]
    subprocess.run([*git, "init", "-q", str(folder)], check=True, env=env)
    rng = random.Random(seed)
    sections = make_sections(20_000, seed)
    path = "policies/bench/first-name.md"
    for version in range(versions):
        if version == versions // 2:  # history must follow a rename
            subprocess.run([*git, "mv", path, RECORD], cwd=folder, check=True, env=env)
            path = RECORD
        heading, body = sections[rng.randrange(len(sections))]
        k = rng.randrange(len(body))
        edited = body[k].replace(" the ", f" the {rng.choice(['relevant', 'said', 'same'])} ", 1)
        body[k] = edited if edited != body[k] else f"{body[k]} Amended in version {version + 1}."
        (folder / path).write_text(render(sections, "1"), encoding="utf-8")
        commit_env = {**env, "GIT_AUTHOR_DATE": f"@{1704067200 + version * 3600} +0000",
                      "GIT_COMMITTER_DATE": f"@{1704067200 + version * 3600} +0000"}
        subprocess.run([*git, "add", "-A"], cwd=folder, check=True, env=commit_env)
        subprocess.run([*git, "commit", "-q", "-m", f"Version {version + 1}"], cwd=folder,
                       check=True, env=commit_env)
    return folder, RECORD
