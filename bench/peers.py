"""Peer programs the benchmark times beside policy-diff, each run as `python bench/peers.py NAME OLD NEW`.

Each peer does its own natural job on the pair and prints its result, so that
output is paid for as it is by policy-diff.
"""

from __future__ import annotations

import re
import sys


def floor(old: str, new: str) -> None:
    """Reading both files and splitting them into word tokens: what any Python diff must do."""
    token = re.compile(r"\w+|[^\w\s]+|\s+")
    print(len(token.findall(old)) + len(token.findall(new)))


def unified(old: str, new: str) -> None:
    import difflib

    sys.stdout.writelines(difflib.unified_diff(old.splitlines(True), new.splitlines(True)))


def ndiff(old: str, new: str) -> None:
    import difflib

    sys.stdout.writelines(difflib.ndiff(old.splitlines(True), new.splitlines(True)))


def dmp(old: str, new: str) -> None:
    from diff_match_patch import diff_match_patch

    engine = diff_match_patch()  # default 1 s timeout, as a user would run it
    diffs = engine.diff_main(old, new)
    engine.diff_cleanupSemantic(diffs)
    sys.stdout.write(engine.diff_prettyHtml(diffs))


def redlines(old: str, new: str) -> None:
    from redlines import Redlines

    sys.stdout.write(Redlines(old, new).output_markdown)


PEERS = {"floor": floor, "difflib-unified": unified, "difflib-ndiff": ndiff,
         "diff-match-patch": dmp, "redlines": redlines}

if __name__ == "__main__":
    name, old_path, new_path = sys.argv[1:4]
    with open(old_path, encoding="utf-8") as a, open(new_path, encoding="utf-8") as b:
        PEERS[name](a.read(), b.read())
