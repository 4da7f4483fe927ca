"""Property tests for the promises a diff makes, whatever the documents and the edits."""

from __future__ import annotations

import json
import random

from hypothesis import given, settings, strategies as st

from diffcheck import check_diff, check_ops
from strategies import documents, edited, render
from policy_diff.diff.compare import compare
from policy_diff.model import Side
from policy_diff.parse.document import parse
from policy_diff.views.json import to_json
from policy_diff.diff.textdiff import word_ops


def diff_json(old_text: str, new_text: str) -> tuple[dict, object, object]:
    old, new = parse(old_text, "old.md"), parse(new_text, "new.md")
    result = compare(Side("old.md", "old.md", None, None, old), Side("new.md", "new.md", None, None, new))
    return json.loads(to_json(result)), old, new


@given(st.text(), st.text())
def test_word_ops_rebuild_both_sides(old: str, new: str) -> None:
    check_ops([list(op) for op in word_ops(old, new)], old, new)


@given(st.text())
def test_word_ops_of_equal_texts_are_all_equal(text: str) -> None:
    assert all(tag == "equal" for tag, _, _ in word_ops(text, text))


@settings(max_examples=60, deadline=None)
@given(documents)
def test_a_document_is_identical_to_itself(doc) -> None:  # type: ignore[no-untyped-def]
    data, old, new = diff_json(render(doc), render(doc))
    assert data["identical"] is True
    check_diff(data, old, new)


@settings(max_examples=150, deadline=None)
@given(documents, documents)
def test_any_two_documents_keep_every_rule(a, b) -> None:  # type: ignore[no-untyped-def]
    data, old, new = diff_json(render(a), render(b))
    check_diff(data, old, new)


@settings(max_examples=150, deadline=None)
@given(edited())
def test_edits_moves_and_renames_keep_every_rule(pair) -> None:  # type: ignore[no-untyped-def]
    a, b = pair
    data, old, new = diff_json(render(a, "status: draft\n"), render(b, "status: draft\n"))
    check_diff(data, old, new)


distinct_paragraphs = st.lists(
    st.lists(st.text(alphabet="abcdefgh", min_size=5, max_size=9), min_size=10, max_size=14)
    .map(" ".join), min_size=3, max_size=8, unique=True)


@settings(max_examples=80, deadline=None)
@given(distinct_paragraphs, st.data())
def test_a_paragraph_moved_unchanged_to_another_section_is_one_moved_block(paras, data) -> None:  # type: ignore[no-untyped-def]
    k = data.draw(st.integers(0, len(paras) - 1))
    old = render([("One", paras), ("Two", ["Fixed closing paragraph of section two."])])
    rest = paras[:k] + paras[k + 1:]
    new = render([("One", rest), ("Two", ["Fixed closing paragraph of section two.", paras[k]])])
    result, _, _ = diff_json(old, new)
    moved = [b for s in result["sections"] for b in s["blocks"] if b["status"] == "moved"]
    assert [(b["new"], b["from_section"]) for b in moved] == [(paras[k], "One")]
    assert not any(b["status"] == "removed" and b["old"] == paras[k]
                   for s in result["sections"] for b in s["blocks"])


@settings(max_examples=40, deadline=None)
@given(distinct_paragraphs, st.sampled_from(["- Yes", "None.", "See above."]), st.data())
def test_short_or_repeated_text_never_moves(paras, stock, data) -> None:  # type: ignore[no-untyped-def]
    """A stock sentence or a text repeated on a side says nothing about where it was."""
    repeated = paras[0]
    old = render([("One", [stock, repeated] + paras[1:]), ("Two", [repeated, "Closing words of two."])])
    new = render([("One", [repeated] + paras[1:]), ("Two", [repeated, "Closing words of two.", stock])])
    result, _, _ = diff_json(old, new)
    assert not [b for s in result["sections"] for b in s["blocks"] if b["status"] == "moved"]


@settings(max_examples=60, deadline=None)
@given(distinct_paragraphs, st.data())
def test_a_heading_inserted_into_text_moves_nothing(paras, data) -> None:  # type: ignore[no-untyped-def]
    """As `git diff` shows one line added: the heading, not the text under it."""
    k = data.draw(st.integers(0, len(paras)))
    level = data.draw(st.sampled_from(["##", "###"]))
    old = "## One\n\n" + "\n\n".join(paras) + "\n"
    new = "## One\n\n" + "\n\n".join(paras[:k] + [f"{level} Inserted"] + paras[k:]) + "\n"
    result, _, _ = diff_json(old, new)
    blocks = [b for s in result["sections"] for b in s["blocks"]]
    assert all(b["status"] == "unchanged" for b in blocks)
    assert [(s["status"], s["new_heading"]) for s in result["sections"]
            if s["status"] != "unchanged"] == [("added", "One › Inserted" if level == "###" else "Inserted")]


# Prose without full stops, long enough that one LCS over it would pass the memory
# budget: the diff splits it at words unique to both sides, then into windows.
@settings(max_examples=15, deadline=None)
@given(st.integers(min_value=2, max_value=40), st.integers(min_value=0),
       st.lists(st.tuples(st.integers(0, 2999), st.sampled_from(["x", "y z", ""])),
                min_size=1, max_size=6))
def test_long_runs_without_sentences_rebuild_both_sides(vocabulary: int, seed: int,
                                                        edits: list[tuple[int, str]]) -> None:
    rng = random.Random(seed)
    words = [rng.randrange(vocabulary) for _ in range(3000)]
    old_words = [f"w{n}" for n in words]
    new_words = list(old_words)
    for at, text in sorted(edits, reverse=True):
        new_words[at % len(new_words):at % len(new_words) + 1] = text.split()
    old, new = " ".join(old_words), " ".join(new_words)
    ops = word_ops(old, new)
    assert "".join(o[1] for o in ops) == old and "".join(o[2] for o in ops) == new


def test_a_long_run_without_sentences_is_diffed_word_by_word() -> None:
    words = [f"clause{n}" for n in range(6000)]  # every word unique: patience anchors
    new = list(words)
    new[5], new[3000], new[5990] = "first", "middle", "last"
    new[4000:4000] = ["inserted"] * 20
    changes = [op for op in word_ops(" ".join(words), " ".join(new)) if op[0] != "equal"]
    assert [(op[1], op[2].split()[0]) for op in changes] == [
        ("clause5", "first"), ("clause3000", "middle"), ("", "inserted"), ("clause5990", "last")]


@settings(max_examples=40, deadline=None)
@given(distinct_paragraphs, st.data())
def test_text_that_gains_headings_moves_nothing(paras, data) -> None:  # type: ignore[no-untyped-def]
    """A version whose predecessor had no headings: each heading is added, no text moved."""
    cut = data.draw(st.integers(1, len(paras) - 1))
    old = "\n\n".join(paras) + "\n"
    new = "## First\n\n" + "\n\n".join(paras[:cut]) + "\n\n## Second\n\n" + "\n\n".join(paras[cut:]) + "\n"
    result, _, _ = diff_json(old, new)
    assert all(b["status"] == "unchanged" for s in result["sections"] for b in s["blocks"])
    assert not any(s["renamed"] or s["moved"] for s in result["sections"])


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 300), st.integers(0, 299))
def test_json_written_in_chunks_is_one_document(sections: int, edited_at: int) -> None:
    """The JSON goes out a few sections at a time (json_chunks): across chunk boundaries the
    pieces make one JSON document with every section and block in it."""
    from policy_diff.views.json import json_chunks

    body = "".join(f"## Part {n}\n\nText {n}.\n\n- item {n}\n\n" for n in range(sections))
    new_body = body.replace(f"Text {edited_at}.", f"Text {edited_at}, amended.")
    old, new = parse(f"# T\n\n{body}", "old.md"), parse(f"# T\n\n{new_body}", "new.md")
    result = compare(Side("old.md", "old.md", None, None, old),
                     Side("new.md", "new.md", None, None, new))
    chunks = list(json_chunks(result))
    data = json.loads("".join(chunks))
    assert len(data["sections"]) == sections
    assert sum(len(s["blocks"]) for s in data["sections"]) == 2 * sections
    assert len(chunks) >= 3 + sections // 64  # head, sections in pieces, tail
    check_diff(data, old, new)
