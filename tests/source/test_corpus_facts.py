"""The sample corpus says no more than its sources: corrections checked against the reference
(claims about the 2025 memo as objectives of its review, the 2004 record's page labels)."""

from __future__ import annotations

from policy_diff.parse.document import parse

from conftest import CORPUS


def record(version: str):  # type: ignore[no-untyped-def]
    path = CORPUS / "us-apl" / f"{version}.md"
    return parse(path.read_text(encoding="utf-8"), str(path))


def test_the_2025_record_states_the_reported_changes_as_objectives_of_the_review() -> None:
    doc = record("2025-12-02")
    body = "\n".join(b.text for b in doc.blocks)
    for enacted in ("The memo lifts geographic limits", "The memo gives combatant commanders",
                    "Destruction of the U.S. anti-personnel landmine (APL) inventory is limited"):
        assert enacted not in body
    assert "objectives" in doc.front["summary"] and "differ" in doc.front["summary"]
    sections = {s.heading: " ".join(b.text for b in s.blocks) for s in doc.sections}
    for heading in ("Geographic Scope", "Approval Authority", "Stockpile Destruction"):
        assert "objective" in sections[heading] and "differ" in sections[heading], heading


def test_the_2004_record_labels_its_pages_as_the_reference_does() -> None:
    doc = record("2004-02-27")
    by_url = {s["url"]: s for s in doc.front["sources"] if "url" in s}
    march = by_url["https://georgewbush-whitehouse.archives.gov/news/releases/2004/03/text/20040302.html"]
    assert "Global Message" in march["title"] and "Defense" in march["publisher"]
    op_ed = by_url["https://2001-2009.state.gov/t/pm/rls/rm/30045.htm"]
    assert op_ed["title"] == "America's Promise on Landmines" and "Bloomfield" in op_ed["note"]
    authority = next(s for s in doc.sections if s.heading == "Approval Authority")
    assert any("only for persistent mines, and only until 2010" in b.text for b in authority.blocks)
