"""A deterministic corpus of policy-like Markdown pairs built from real licence prose.

`make_pair(size, seed)` returns an old document of about `size` bytes (paragraphs
wrapped at 72 columns) and a new one with about 2% of its sentences edited, a few sentences inserted and
deleted, a few paragraphs moved to other sections, and one section renamed.
The prose comes from the licence texts every Debian machine carries in
/usr/share/common-licenses; the same seed always gives the same pair.
"""

from __future__ import annotations

import random
import re
import textwrap
from functools import lru_cache
from dataclasses import dataclass, field
from pathlib import Path

LICENCES = Path("/usr/share/common-licenses")
_SENTENCE = re.compile(r"(?<=[.;:])\s+(?=[A-Z(\"])")


@dataclass
class Pair:
    old: str
    new: str
    moved: list[str] = field(default_factory=list)         # paragraphs moved unchanged
    renamed: list[tuple[str, str]] = field(default_factory=list)  # (old heading, new heading)


@lru_cache(maxsize=1)
def prose_paragraphs() -> list[str]:
    """Paragraphs of real prose, each on one line, from the licence texts (read once; do
    not change the list)."""
    paragraphs = []
    for path in sorted(LICENCES.glob("*")):
        if path.is_symlink() or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for chunk in re.split(r"\n\s*\n", text):
            line = " ".join(chunk.split())
            if len(line) > 80 and not line.isupper():
                paragraphs.append(line)
    if not paragraphs:
        raise FileNotFoundError(f"no licence prose under {LICENCES}")
    return paragraphs


def make_sections(size: int, seed: int) -> list[tuple[str, list[str]]]:
    """Sections of 3-8 paragraphs until the text reaches about `size` bytes."""
    rng = random.Random(seed)
    prose = prose_paragraphs()
    sections: list[tuple[str, list[str]]] = []
    total, cursor = 0, rng.randrange(len(prose))
    while total < size:
        number = len(sections) + 1
        body = []
        for clause in range(rng.randint(3, 8)):
            # A clause number keeps repeated licence paragraphs distinct, as real clauses are.
            text = f"{number}.{clause + 1} {prose[cursor % len(prose)]}"
            cursor += 1
            body.append(text)
            total += len(text) + 2
        first_words = " ".join(re.findall(r"[A-Za-z]+", body[0])[:3]).title() or "Clause"
        sections.append((f"Part {number}: {first_words}", body))
    return sections


def render(sections: list[tuple[str, list[str]]], version: str) -> str:
    """Markdown as people write it: paragraphs wrapped at 72 columns, as the licences are."""
    head = (f"---\npolicy: bench\nversion: '{version}'\ntitle: Benchmark policy\n"
            f"effective: 2026-01-0{version}\nstatus: draft\n---\n\n# Benchmark policy\n")
    parts = [head]
    for heading, body in sections:
        wrapped = (textwrap.fill(p, 72, break_long_words=False, break_on_hyphens=False)
                   for p in body)
        parts.append(f"\n## {heading}\n\n" + "\n\n".join(wrapped) + "\n")
    return "".join(parts)


def mutate(sections: list[tuple[str, list[str]]], seed: int,
           rate: float = 0.02) -> tuple[list[tuple[str, list[str]]], list[str], list[tuple[str, str]]]:
    """Edit about `rate` of the sentences; move some paragraphs; rename one section."""
    rng = random.Random(seed + 1)
    new = [(heading, [_edit_paragraph(p, rng, rate) for p in body]) for heading, body in sections]
    moved: list[str] = []
    for _ in range(max(1, len(new) // 20)):
        source = rng.randrange(len(new))
        target = rng.randrange(len(new))
        body = new[source][1]
        if len(body) > 2 and source != target:
            paragraph = body.pop(rng.randrange(len(body)))
            new[target][1].insert(rng.randrange(len(new[target][1]) + 1), paragraph)
            moved.append(paragraph)
    index = rng.randrange(len(new))
    old_heading = new[index][0]
    new[index] = (old_heading.replace("Part", "Article", 1) + " (revised)", new[index][1])
    return new, moved, [(old_heading, new[index][0])]


def _edit_paragraph(paragraph: str, rng: random.Random, rate: float) -> str:
    sentences = _SENTENCE.split(paragraph)
    out = []
    for sentence in sentences:
        roll = rng.random()
        if roll < rate * 0.6:
            out.append(_edit_words(sentence, rng))
        elif roll < rate * 0.8:
            continue  # a deleted sentence
        elif roll < rate:
            out += [sentence, "This obligation applies to every covered party without exception."]
        else:
            out.append(sentence)
    return " ".join(out) or paragraph


def _edit_words(sentence: str, rng: random.Random) -> str:
    words = sentence.split(" ")
    if len(words) < 4:
        return sentence + " only"
    at = rng.randrange(1, len(words) - 1)
    choice = rng.randrange(3)
    if choice == 0:
        words[at] = rng.choice(["shall", "must not", "may", "only", "every"])
    elif choice == 1:
        words.insert(at, rng.choice(["promptly", "in writing", "without delay"]))
    else:
        del words[at]
    return " ".join(words)


def make_pair(size: int, seed: int = 1) -> Pair:
    sections = make_sections(size, seed)
    new_sections, moved, renamed = mutate(sections, seed)
    return Pair(render(sections, "1"), render(new_sections, "2"), moved, renamed)


def pathological_pairs(size: int) -> dict[str, tuple[str, str]]:
    """Inputs that defeat hashing or LCS shortcuts, each about `size` bytes, each edited a little."""
    prose = prose_paragraphs()
    paragraph = prose[3]
    same = [paragraph] * max(2, size // len(paragraph))
    edited_same = list(same)
    edited_same[len(same) // 2] = paragraph.replace(" the ", " a ", 1)
    words = max(10, size // 4)
    one_word = "the " * words
    near = [f"{paragraph} Clause {i % 7}." for i in range(max(2, size // (len(paragraph) + 12)))]
    near_edited = [p.replace("Clause 3.", "Clause 4.") for p in near]
    return {
        "identical paragraphs": (_blocks(same), _blocks(edited_same)),
        "one long word run": (one_word, one_word[: len(one_word) // 2] + "a " + one_word[len(one_word) // 2:]),
        "near-duplicates": (_blocks(near), _blocks(near_edited)),
    }


def _blocks(paragraphs: list[str]) -> str:
    return "## Body\n\n" + "\n\n".join(paragraphs) + "\n"
