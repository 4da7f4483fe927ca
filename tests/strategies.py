"""Hypothesis strategies shared by the property tests: documents, Markdown lines, hostile records.

Each is defined once here; a test module narrows one to its subject (its own vocabulary,
headings or sizes) rather than writing its own copy.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

# ------------------------------------------------------------------ documents of sections

# Words of a policy, with the spacing, punctuation and lone letters a word diff must survive.
WORDS = ["shall", "not", "use", "mines", "outside", "Korea", "the", "President", "may",
         "destroy", "stockpiles", ",", ".", "all", "only", "  ", "\n", "-", "(a)", "é"]
HEADINGS = ["Scope", "Authority", "Stockpile", "Transfer", "Review", "Notes"]


def sentences(vocabulary: list[str], max_words: int = 12) -> st.SearchStrategy[str]:
    """Words of VOCABULARY joined by spaces; never empty."""
    return st.lists(st.sampled_from(vocabulary), min_size=1, max_size=max_words).map(
        lambda ws: " ".join(ws).strip() or "text")


def documents_of(blocks: st.SearchStrategy[str], headings: list[str] = HEADINGS,
                 max_sections: int = 5, max_blocks: int = 5) -> st.SearchStrategy[Any]:
    """A document as [(heading, [block, ...]), ...]; `render` writes it as Markdown."""
    return st.lists(st.tuples(st.sampled_from(headings), st.lists(blocks, max_size=max_blocks)),
                    max_size=max_sections)


sentence = sentences(WORDS)
paragraphs = st.lists(sentence, min_size=1, max_size=3).map(lambda s: ". ".join(s) + ".")
documents = documents_of(paragraphs)


def render(doc: list[tuple[str, list[str]]], front: str = "") -> str:
    """A title, a preamble and one `##` section per entry, blocks apart by blank lines."""
    parts = [f"---\n{front}---\n" if front else "", "# Title\n\nPreamble text.\n"]
    for heading, body in doc:
        parts.append(f"\n## {heading}\n\n" + "\n\n".join(p.replace("\n", " ") for p in body) + "\n")
    return "".join(parts)


@st.composite
def edited(draw):  # type: ignore[no-untyped-def]
    """A document and a copy with random edits, moves and renames applied."""
    doc = draw(documents)
    new = [(h, list(body)) for h, body in doc]
    for _ in range(draw(st.integers(0, 6))):
        action = draw(st.sampled_from(["edit", "insert", "delete", "move", "rename", "swap"]))
        if not new:
            break
        s = draw(st.integers(0, len(new) - 1))
        heading, body = new[s]
        if action == "edit" and body:
            k = draw(st.integers(0, len(body) - 1))
            body[k] = body[k] + " " + draw(sentence)
        elif action == "insert":
            body.insert(draw(st.integers(0, len(body))), draw(paragraphs))
        elif action == "delete" and body:
            body.pop(draw(st.integers(0, len(body) - 1)))
        elif action == "move" and body:
            paragraph = body.pop(draw(st.integers(0, len(body) - 1)))
            target = new[draw(st.integers(0, len(new) - 1))][1]
            target.insert(draw(st.integers(0, len(target))), paragraph)
        elif action == "rename":
            new[s] = (heading + " Revised", body)
        elif action == "swap" and len(new) > 1:
            t = draw(st.integers(0, len(new) - 1))
            new[s], new[t] = new[t], new[s]
    return doc, new


# ------------------------------------------------------------------ Markdown, line by line

# Lines that start, end or interrupt blocks in CommonMark, and lines that only look as if they do.
MARKDOWN_LINES = [
    "Plain words here.", "More text", "# Title", "## Scope", "### Sub ##", "#hashtag",
    "## ###", "##", "- item", "* item", "1. first", "2) second", "> quote", "```",
    "~~~", "```python", "    indented", "\tTabbed", "  two spaces", "| a | b |",
    "|---|---|", "a | b", "--|--", "===", "---", "***", "<div>", "<!-- c", "-->",
    "<script>", "</script>", "[ref]: http://x", "3.5 million", "12. item", "12.3 Clause text", "7)", "Text with # inside",
    "\x0cform feed", "Setext", "  - nested", "1996 text", ": colon", "_under_", " \t1", "- a", "- b", "1. one", "2) two", "- - -", "* * *", "-\ttab",
    "- ```", "  cont", "+ plus", "- [x] done", "- > q", "10. ten"]


def markdown_line(*more: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """One of MARKDOWN_LINES, or of the strategies MORE."""
    return st.one_of(st.sampled_from(MARKDOWN_LINES), *more)


def markdown_lines(*more: st.SearchStrategy[str], max_size: int) -> st.SearchStrategy[list[str]]:
    """A body as a list of lines, each a `markdown_line(*more)`."""
    return st.lists(markdown_line(*more), max_size=max_size)


# ------------------------------------------------------------------ hostile records

HOSTILE_CHARS = "\x1b\x07\x9b\x9d\x00\r\u202e\u2066\u200b\u2028\ufeff\u00ad\U000e0041é中"
MARKDOWN_CHARS = "#>-*+_=`~|[]()!<>:.\\\"' \t\n0123456789"
text_pieces = st.text(alphabet=st.sampled_from(list("abc xyz" + HOSTILE_CHARS + MARKDOWN_CHARS)),
                      max_size=40)
words = st.lists(st.sampled_from(list("abcdefgh ") + ["é", "\x1b[1m", "\u202e", "<b>", "[i]"]),
                 min_size=1, max_size=12).map("".join)


@st.composite
def markdown_fragment(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["heading", "para", "list", "quote", "fence", "table", "html",
                                 "definition", "setext", "indented", "raw"]))
    text = draw(words)
    depth = draw(st.integers(1, 6))
    return {
        "heading": f"{'#' * depth} {text}",
        "para": f"{text}\n{draw(words)}",
        "list": "\n".join(f"{'  ' * i}- {draw(words)}" for i in range(depth)),
        "quote": f"{'>' * depth} {text}",
        "fence": f"```{draw(words)}\n{text}\n## not a heading\n```",
        "table": f"| {text} | b |\n|---|---|\n| {draw(words)} | c |",
        "html": f"<div>\n{text}\n</div>",
        "definition": f"[{text}]: http://example.com/{depth}",
        "setext": f"{text}\n{'=-'[depth % 2] * 3}",
        "indented": f"    {text}",
        "raw": draw(text_pieces),
    }[kind]


yaml_scalars = st.one_of(words, st.booleans(), st.none(), text_pieces)
yaml_values = st.recursive(yaml_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(words, inner, max_size=3)), max_leaves=6)


@st.composite
def front_matter(draw: st.DrawFn) -> str:
    import yaml

    kind = draw(st.sampled_from(["none", "mapping", "broken", "provisions"]))
    if kind == "none":
        return ""
    if kind == "broken":
        return f"---\n{draw(text_pieces)}\n---\n"
    data: dict[str, Any] = draw(st.dictionaries(words, yaml_values, max_size=4))
    if kind == "provisions":
        data["provisions"] = draw(st.dictionaries(
            st.sampled_from(["scope", "authority", "text"]),
            st.one_of(words, st.lists(words, max_size=4)), max_size=3))
    return "---\n" + yaml.safe_dump(data, allow_unicode=True) + "---\n"


@st.composite
def record_pair(draw: st.DrawFn) -> tuple[str, str]:
    """A document and an edited copy: fragments changed, inserted, deleted and moved."""
    fragments = draw(st.lists(markdown_fragment(), max_size=10))
    old = list(fragments)
    new = list(fragments)
    for _ in range(draw(st.integers(0, 5))):
        action = draw(st.sampled_from(["edit", "insert", "delete", "move"]))
        if action == "insert" or not new:
            new.insert(draw(st.integers(0, len(new))), draw(markdown_fragment()))
            continue
        k = draw(st.integers(0, len(new) - 1))
        if action == "edit":
            new[k] = new[k] + draw(words)
        elif action == "delete":
            del new[k]
        else:
            new.insert(draw(st.integers(0, len(new) - 1)), new.pop(k))
    front = draw(front_matter())
    new_front = front if draw(st.booleans()) else draw(front_matter())
    return front + "\n\n".join(old) + "\n", new_front + "\n\n".join(new) + "\n"
