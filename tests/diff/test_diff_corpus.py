"""The diff on the bundled corpus and on long real documents that are not in this repository."""

from __future__ import annotations

import json

import pytest

from bench.corpus import LICENCES, make_pair
from diffcheck import check_diff
from policy_diff.diff.compare import compare
from policy_diff.diff.lineage import with_last_stated
from policy_diff.parse.document import parse
from policy_diff.views.json import to_json
from policy_diff.source.store import Store
from policy_diff.source.manifests import manifest_for
from policy_diff.source.refs import load_side

from conftest import REPO as ROOT

STORE = ROOT / "policies"
VERSIONS = [e.version for e in Store(STORE).versions("us-apl")]


def corpus_diff(old: str, new: str) -> tuple[dict, object, object]:
    a, b = load_side(f"us-apl@{old}", STORE), load_side(f"us-apl@{new}", STORE)
    manifest = manifest_for(a, b)
    result = with_last_stated(compare(a, b, manifest), STORE, manifest)
    return json.loads(to_json(result)), a.document, b.document


@pytest.mark.parametrize("old,new", list(zip(VERSIONS, VERSIONS[1:])))
def test_every_consecutive_pair_keeps_the_spec_rules(old: str, new: str) -> None:
    data, a, b = corpus_diff(old, new)
    check_diff(data, a, b)
    assert data["identical"] is False


def test_2022_to_2025_names_the_key_provision_changes() -> None:
    data, _, _ = corpus_diff("2022-06-21", "2025-12-02")
    provisions = {p["id"]: p for p in data["provisions"]}
    scope = provisions["geographic_scope"]
    assert (scope["change"], scope["added"], scope["removed"]) == \
        ("broadened", ["Worldwide"], ["Korean Peninsula"])
    assert provisions["stockpile_destruction"]["change"] == "reworded"
    authority = provisions["approval_authority"]
    assert (authority["change"], authority["new"]) == ("stated", "Combatant commanders")
    # 2022 does not state it; 2020, the last version that did, gave it to the Secretary.
    assert authority["last_stated"] == {"version": "2020-01-31", "value": "Secretary of Defense",
                                        "change": "delegated", "steps": 1,
                                        "unstated_in": ["2022-06-21"]}
    # 2025 is silent on production and transfer: that is not a repeal (record-format §3).
    for silent in ("production_acquisition", "transfer_export"):
        assert (provisions[silent]["change"], provisions[silent]["new"]) == ("unstated", None)
    assert [p["id"] for p in data["provisions"]][:2] == ["geographic_scope", "approval_authority"]


def test_scale_change_counts_steps_toward_the_named_end() -> None:
    data, _, _ = corpus_diff("2020-01-31", "2025-12-02")
    authority = next(p for p in data["provisions"] if p["id"] == "approval_authority")
    assert (authority["old"], authority["new"], authority["change"], authority["steps"]) == \
        ("Secretary of Defense", "Combatant commanders", "delegated", 1)
    data, _, _ = corpus_diff("2025-12-02", "2004-02-27")
    authority = next(p for p in data["provisions"] if p["id"] == "approval_authority")
    assert (authority["change"], authority["steps"]) == ("centralized", 2)


def test_key_sections_are_marked_with_their_provision() -> None:
    data, _, _ = corpus_diff("2022-06-21", "2025-12-02")
    marked = {s["new_heading"]: s["provision"] for s in data["sections"] if s["provision"]}
    assert marked["Geographic Scope"] == "geographic_scope"
    assert marked["Approval Authority"] == "approval_authority"


def test_json_is_byte_for_byte_deterministic() -> None:
    first = to_json(compare(load_side("us-apl@2020", STORE), load_side("us-apl@2022", STORE)))
    second = to_json(compare(load_side("us-apl@2020", STORE), load_side("us-apl@2022", STORE)))
    assert first == second


needs_licences = pytest.mark.skipif(not LICENCES.is_dir(), reason="no /usr/share/common-licenses")


@needs_licences
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_long_real_prose_with_moves_and_a_rename(seed: int) -> None:
    pair = make_pair(120_000, seed)
    old, new = parse(pair.old, "old.md"), parse(pair.new, "new.md")
    from policy_diff.model import Side

    data = json.loads(to_json(compare(Side("old", "old.md", None, None, old),
                                      Side("new", "new.md", None, None, new))))
    check_diff(data, old, new)
    moved = {" ".join(b["new"].split()) for s in data["sections"] for b in s["blocks"]
             if b["status"] == "moved"}  # the corpus wraps paragraphs at 72 columns
    for paragraph in pair.moved:
        assert paragraph in moved, "a moved paragraph was shown as removed and added"
    renamed = {(s["old_heading"], s["new_heading"]) for s in data["sections"] if s["renamed"]}
    assert set(pair.renamed) <= renamed


@needs_licences
def test_real_licence_rewrite_gpl2_to_gpl3_keeps_every_rule() -> None:
    old_text = (LICENCES / "GPL-2").read_text(encoding="utf-8")
    new_text = (LICENCES / "GPL-3").read_text(encoding="utf-8")
    old, new = parse(old_text, "GPL-2"), parse(new_text, "GPL-3")
    from policy_diff.model import Side

    data = json.loads(to_json(compare(Side("GPL-2", "GPL-2", None, None, old),
                                      Side("GPL-3", "GPL-3", None, None, new))))
    check_diff(data, old, new)
