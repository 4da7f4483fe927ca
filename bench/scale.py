"""Git repositories at corpus scale, for `changes` and `history` (bench/run.py --scale).

`corpus_repo`: thousands of Markdown records with the structure real rule books have
(nested `##`/`###` headings, bullet lists with nested items, tables), from 10 KB to
2 MB, committed once, then one commit that edits every one of them as `corpus.mutate`
does (about 2% of sentences edited, paragraphs moved, a section renamed).
`long_history`: one record of about 300 KB through 500 commits, each editing a
sentence or two, renamed halfway.  Both are written with `git fast-import` (a
commit of thousands of files in seconds) and are the same for the same seed.
"""

from __future__ import annotations

import random
import re
import shutil
import subprocess
import textwrap
import zlib
from pathlib import Path

from bench.corpus import make_sections, mutate

Sections = list[tuple[str, list[str]]]
# The licence templates' placeholders (`<signature of Ty Coon>`) may open an HTML block
# in Markdown, which rule books and policies do not have: they are left out.
_PLACEHOLDER = re.compile(r"<[^<>]*>")


def sections_of(size: int, seed: int) -> Sections:
    """corpus.make_sections without the templates' placeholders."""
    return [(heading, [_PLACEHOLDER.sub("", p) for p in body])
            for heading, body in make_sections(size, seed)]
AUTHOR = "Bench <bench@example.org>"


def record_size(rng: random.Random) -> int:
    """10 KB to 2 MB, most records small and a few very large, as in a statute book."""
    return int(10_000 * 200 ** (rng.random() ** 5))


def structured(sections: Sections, policy: str, version: str) -> str:
    """A record: front matter, then each part with subsections, lists and a table now and then.

    A paragraph's shape follows from its clause number (`3.4`), which edits keep: a
    paragraph moved or edited in the new version keeps its shape, as it would in life.
    """
    out = [f"---\npolicy: {policy}\nversion: '{version}'\ntitle: {policy} rules\n"
           f"effective: 2026-01-0{version}\nstatus: draft\n---\n\n# {policy} rules\n"]
    for heading, body in sections:
        out.append(f"\n## {heading}\n")
        for paragraph in body:
            clause = paragraph.split(" ", 1)[0]
            shape = zlib.crc32(clause.encode()) % 20
            if clause.endswith((".4", ".7")):  # a subsection starts here
                out.append(f"\n### {clause} {' '.join(paragraph.split()[1:4])}\n")
            if shape < 4:
                out.append("\n" + _bullets(paragraph) + "\n")
            elif shape < 5:
                out.append("\n" + _table(paragraph) + "\n")
            else:
                out.append("\n" + textwrap.fill(paragraph, 72, break_long_words=False,
                                                break_on_hyphens=False) + "\n")
    return "".join(out)


def _bullets(paragraph: str) -> str:
    """Its sentences as a list, every third one nested under the one before."""
    items = [s for s in paragraph.replace("; ", ". ").split(". ") if s]
    return "\n".join(("  - " if k % 3 == 2 else "- ") + item for k, item in enumerate(items))


def _table(paragraph: str) -> str:
    words = paragraph.split()
    rows = [f"| {' '.join(words[k:k + 2])} | {' '.join(words[k + 2:k + 8])} |"
            for k in range(0, min(len(words), 48), 8)]
    return "| Term | Meaning |\n|---|---|\n" + "\n".join(rows)


def corpus_repo(folder: Path, records: int = 2000, seed: int = 17) -> dict[str, int]:
    """Commit RECORDS records, then one commit editing all of them; return sizes in bytes."""
    rng = random.Random(seed)
    first: dict[str, bytes] = {}
    second: dict[str, bytes] = {}
    for n in range(records):
        name = f"policies/rules-{n // 100:02d}/part-{n:05d}.md"
        size = record_size(rng)
        sections = sections_of(size, seed + n)
        edited, _, _ = mutate(sections, seed + n)
        first[name] = structured(sections, f"rules-{n // 100:02d}", "1").encode()
        second[name] = structured(edited, f"rules-{n // 100:02d}", "2").encode()
    _fast_import(folder, [("Add the rule book", first), ("Amend every part", second)])
    return {"records": records, "old_bytes": sum(map(len, first.values())),
            "new_bytes": sum(map(len, second.values())),
            "largest": max(map(len, second.values())), "smallest": min(map(len, second.values()))}


def long_history(folder: Path, versions: int = 500, size: int = 300_000,
                 seed: int = 23) -> tuple[str, int]:
    """One record of about SIZE bytes through VERSIONS commits, renamed halfway; (path, bytes)."""
    rng = random.Random(seed)
    sections = sections_of(size, seed)
    commits: list[tuple[str, dict[str, bytes | None]]] = []
    path = "policies/privacy/policy-old.md"
    for version in range(versions):
        heading, body = sections[rng.randrange(len(sections))]
        k = rng.randrange(len(body))
        edited = body[k].replace(" the ", f" the {rng.choice(['relevant', 'said', 'same'])} ", 1)
        body[k] = edited if edited != body[k] else f"{body[k]} Amended in version {version + 1}."
        text = structured(sections, "privacy", "1").encode()
        if version == versions // 2:  # renamed and edited in one commit: history must follow
            old, path = path, "policies/privacy/policy.md"
            commits.append((f"Rename, version {version + 1}", {old: None, path: text}))
        else:
            commits.append((f"Version {version + 1}", {path: text}))
    _fast_import(folder, commits)
    return path, len(text)


def _fast_import(folder: Path, commits: list[tuple[str, dict[str, bytes | None]]]) -> None:
    """Write COMMITS (message, {path: content, or None to delete}) to a new repository."""
    if folder.exists():
        shutil.rmtree(folder)
    subprocess.run(["git", "init", "-q", "-b", "main", str(folder)], check=True)
    process = subprocess.Popen(["git", "fast-import", "--quiet"], cwd=folder,
                               stdin=subprocess.PIPE)
    assert process.stdin is not None
    for number, (message, files) in enumerate(commits):
        when = 1704067200 + number * 3600
        data = message.encode()
        process.stdin.write(b"commit refs/heads/main\n" +
                            f"author {AUTHOR} {when} +0000\ncommitter {AUTHOR} {when} +0000\n"
                            .encode() + f"data {len(data)}\n".encode() + data + b"\n")
        for path, content in files.items():
            if content is None:
                process.stdin.write(f"D {path}\n".encode())
            else:
                process.stdin.write(f"M 100644 inline {path}\ndata {len(content)}\n".encode()
                                    + content + b"\n")
        process.stdin.write(b"\n")
    process.stdin.close()
    if process.wait() != 0:
        raise RuntimeError("git fast-import failed")
    subprocess.run(["git", "checkout", "-q", "-f", "main"], cwd=folder, check=True)
