"""The structure rules on real document histories, as properties of each pair's diff.

Pairs: tests/data/real-pairs (see its README for sources and licences).  Each rule is
stated as the spec states it, and checked independently of how the diff reaches it.
"""

from __future__ import annotations

import collections
import difflib
import gzip
import json

import pytest

from diffcheck import check_diff
from policy_diff.diff.compare import compare
from policy_diff.model import Side
from policy_diff.parse.document import parse
from policy_diff.views.json import to_json
from policy_diff.diff.sections import own_heading

from conftest import TESTS

PAIRS = TESTS / "data" / "real-pairs"
NAMES = sorted(p.name for p in PAIRS.iterdir() if (p / "old.md.gz").is_file())


def load(name: str) -> tuple[str, str]:
    return tuple(gzip.decompress((PAIRS / name / f"{side}.md.gz").read_bytes()).decode("utf-8")
                 for side in ("old", "new"))  # type: ignore[return-value]


def diff_of(old_text: str, new_text: str):  # type: ignore[no-untyped-def]
    old, new = parse(old_text, "old.md", lenient=True), parse(new_text, "new.md", lenient=True)
    result = compare(Side("old.md", "old.md", None, None, old), Side("new.md", "new.md", None, None, new))
    return result, json.loads(to_json(result)), old, new


@pytest.fixture(scope="module", params=NAMES)
def pair(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    try:
        return request.param, *diff_of(*load(request.param))
    except Exception as error:  # parsed as the CLI does; a pair that does not parse is its own failure
        pytest.fail(f"{request.param}: {type(error).__name__}: {error}")


def test_nothing_is_lost_or_invented(pair) -> None:  # type: ignore[no-untyped-def]
    name, _, data, old, new = pair
    check_diff(data, old, new)


def test_no_block_moves_that_keeps_the_document_order(pair) -> None:  # type: ignore[no-untyped-def]
    """An unchanged block reported moved must be out of order in an alignment of the whole
    document's blocks (here difflib's, independent of the diff's own)."""
    name, _, data, _, _ = pair
    olds, news, moved = [], [], []
    for section in data["sections"]:
        for block in section["blocks"]:
            if block["status"] != "added":
                olds.append((block["old_line"], block["old"]))
            if block["status"] != "removed":
                news.append((block["new_line"], block["new"]))
            if block["status"] == "moved" and block["old"] == block["new"]:
                moved.append((block["old_line"], block["new_line"]))
    olds.sort(key=lambda x: x[0])
    news.sort(key=lambda x: x[0])
    matcher = difflib.SequenceMatcher(None, [t for _, t in olds], [t for _, t in news],
                                      autojunk=False)
    in_order = {(olds[a + k][0], news[b + k][0])
                for a, b, n in matcher.get_matching_blocks() for k in range(n)}
    assert [m for m in moved if m in in_order] == []


def test_a_section_whose_own_heading_is_unchanged_is_not_renamed(pair) -> None:  # type: ignore[no-untyped-def]
    name, result, _, _, _ = pair
    assert [s.new_heading for s in result.sections if s.renamed
            and own_heading(s.old) == own_heading(s.new)] == []


def test_headings_once_on_each_side_pair_with_their_namesakes(pair) -> None:  # type: ignore[no-untyped-def]
    name, result, _, old, new = pair
    count_old = collections.Counter(own_heading(s) for s in old.sections)
    count_new = collections.Counter(own_heading(s) for s in new.sections)
    unique = {h for h in count_old if count_old[h] == 1 and count_new[h] == 1}
    paired = {(own_heading(s.old), own_heading(s.new)) for s in result.sections if s.old and s.new}
    assert {h for h in unique if (h, h) not in paired} == set()


def test_one_inserted_heading_is_one_added_heading() -> None:
    result, *_ = diff_of(*load("mini_ins"))
    changed = [(s.status, own_heading(s.new)) for s in result.sections if s.status != "unchanged"]
    assert changed == [("added", "Details")]
    assert all(b.status == "unchanged" for s in result.sections for b in s.blocks)


def test_a_level_change_is_reported_once_on_its_heading() -> None:
    result, *_ = diff_of(*load("mini_lvl"))
    changed = [s for s in result.sections if s.status != "unchanged"]
    assert [(s.old.level, s.new.level, s.renamed, s.heading_class) for s in changed] == [
        (3, 2, False, "editorial")]


@pytest.mark.parametrize("name", ["mini_ren", "mini_tit", "mini_pp"])
def test_a_heading_change_is_reported_where_it_happened(name: str) -> None:
    """A parent's new name or level is the parent's change alone: the children under it,
    whose own heading lines are as they were, are neither renamed nor changed."""
    result, *_ = diff_of(*load(name))
    paired = [s for s in result.sections if s.old and s.new]
    assert [s.new_heading for s in paired
            if (s.heading_class is not None) != (s.old.source != s.new.source)] == []
    assert all(s.heading_class is not None for s in paired if s.renamed)
    assert any(s.heading_class is not None for s in paired)
    assert all(s.new.level <= 3 for s in paired if s.heading_class is not None)


@pytest.mark.parametrize("name", ["mini_num", "mini_t"])
def test_renumbered_headings_are_editorial(name: str) -> None:
    result, *_ = diff_of(*load(name))
    classes = {s.heading_class for s in result.sections if s.old and s.new and s.heading_class}
    assert classes == {"editorial"}
    assert not any(s.rename_class == "substantive" for s in result.sections)


def test_a_stock_sentence_does_not_move() -> None:
    result, *_ = diff_of(*load("mini_mv"))
    assert not [b for s in result.sections for b in s.blocks if b.status == "moved"]
