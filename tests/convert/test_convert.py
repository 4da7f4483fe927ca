"""Word, PDF and web pages in: `import`, `diff` of such files, and the Word redline out."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import CORPUS, write
from docbuild import DOCS, policy_docx, print_pdf, structured_docx, tracked_docx
from policy_diff.parse.document import parse

pytest.importorskip("docx")
pytest.importorskip("pdfminer")
pytest.importorskip("bs4")


def imported(run, source: Path, target: Path, *options: str) -> tuple[str, str]:
    """Import SOURCE to TARGET; (record text, stderr)."""
    policy = () if "--policy" in options or target.parent.name == "demo" else ("--policy", "demo")
    result = run("import", str(source), "-o", str(target), *policy, *options)
    assert result.code == 0, result.err
    return target.read_text(encoding="utf-8"), result.err


def headings(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("#")]


# Word ------------------------------------------------------------------------------------

def test_word_headings_styles_lists_and_table(run, tmp_path: Path) -> None:
    source = structured_docx(tmp_path / "policy.docx")
    (tmp_path / "demo").mkdir()
    text, _ = imported(run, source, tmp_path / "demo" / "v1.md", "--effective", "2024-05-01")
    assert headings(text) == ["# Mine Policy", "## Scope", "### Details", "#### Fine print",
                              "### Custom clause", "## Outlined part"]
    assert "- first bullet\n- second bullet\n\n1. step one\n1. step two" in text
    assert "| Who | May |\n|---|---|\n| President | authorize |" in text
    front = parse(text, "v1.md").front
    assert (front["policy"], front["version"], front["status"], front["effective"]) == \
        ("demo", "v1", "draft", "2024-05-01")
    assert front["title"] == "Mine Policy"
    [source_entry] = front["sources"]
    assert source_entry["file"] == "policy.docx"
    assert source_entry["sha256"] == hashlib.sha256(source.read_bytes()).hexdigest()


def test_import_into_the_store_and_never_over_a_file(run, tmp_path: Path) -> None:
    store = tmp_path / "policies"
    store.mkdir()
    source = policy_docx(tmp_path / "p.docx")
    first = run("import", str(source), "--policy", "mines", "--version", "v1", "--store",
                str(store), "--effective", "2024-01-02")
    assert first.code == 0, first.err
    written = store / "mines" / "v1.md"
    before = written.read_bytes()
    assert run("validate", str(written)).code == 0
    again = run("import", str(source), "--policy", "mines", "--version", "v1", "--store",
                str(store), "--effective", "2024-01-02")
    assert again.code == 2 and "already exists" in again.err and "Traceback" not in again.err
    assert written.read_bytes() == before


def test_real_word_files(run, tmp_path: Path) -> None:
    notes, _ = imported(run, DOCS / "mammoth_footnotes.docx", tmp_path / "notes.md")
    assert "Ouch[^1].[^2]" in notes and "[^1]: A tachyon walks into a bar." in notes
    tables, _ = imported(run, DOCS / "mammoth_tables.docx", tmp_path / "tables.md")
    assert "| Top left | Top right |\n|---|---|\n| Bottom left | Bottom right |" in tables
    listed, _ = imported(run, DOCS / "mammoth_simple-list.docx", tmp_path / "list.md")
    assert "- Apple\n- Banana" in listed
    styles, _ = imported(run, DOCS / "python-docx_par-known-styles.docx", tmp_path / "s.md")
    assert "## Heading 1" in styles


def test_tracked_changes_read_accepted_with_a_warning_or_rejected(run, tmp_path: Path) -> None:
    source = tracked_docx(tmp_path / "tracked.docx")
    accepted, err = imported(run, source, tmp_path / "a.md", "--effective", "2025-01-01")
    assert "The Secretary may authorize use." in accepted and "A new rule." in accepted
    assert "tracked changes" in err and "accepted" in err and "--changes reject" in err
    rejected, _ = imported(run, source, tmp_path / "r.md", "--effective", "2025-01-01",
                           "--changes", "reject")
    assert "The President may authorize use." in rejected and "A new rule." not in rejected


# PDF -------------------------------------------------------------------------------------

def test_federal_register_rules_become_sections_without_running_headers(run, tmp_path: Path) -> None:
    text, err = imported(run, DOCS / "federal-register-2020-17221.pdf", tmp_path / "fr.md")
    assert "PDF structure is best effort" in err
    sections = [s.heading.rsplit(" › ", 1)[-1] for s in parse(text, "fr.md").sections]
    rules = [h for h in sections if re.match(r"\([a-q]\) ", h)]
    assert [r[:3] for r in rules] == [f"({c})" for c in "abcdefghijklmnopq"]
    assert "(g) Installation/Verification of Flight Control Computer (FCC) Operational " \
           "Program Software (OPS)" in rules
    assert "§ 39.13 [Amended]" in sections
    assert "Federal Register / Vol" not in text and "VerDate" not in text
    assert not re.search(r"^477\d\d$", text, re.MULTILINE)  # page numbers
    assert parse(text, "fr.md").title == "Proposed Rules"


def test_pdf_printed_from_word_keeps_headings_and_drops_its_running_header(
        run, tmp_path: Path) -> None:
    source = policy_docx(tmp_path / "long.docx", header="Landmine Policy - Internal Draft",
                         pages=4)
    pdf = print_pdf(source)
    text, _ = imported(run, pdf, tmp_path / "long.md", "--effective", "2024-01-01")
    found = headings(text)
    assert "## Scope 1" in found and "## Stockpile 4" in found
    assert "Internal Draft" not in text
    assert text.count("Report on the stockpile every year.") == 4 * 6


# Web pages -------------------------------------------------------------------------------

def test_web_page_main_content_is_guessed_and_said_to_be(run, tmp_path: Path) -> None:
    text, err = imported(run, DOCS / "markitdown_blog.html", tmp_path / "blog.md")
    assert "main content guessed" in err
    assert headings(text) == [
        "# Does Model and Inference Parameter Matter in LLM Applications? - A Case Study for MATH",
        "## Experiment Setup", "## Experiment Results", "## Analysis and Discussion",
        "## For Further Reading"]
    assert "Recent posts" not in text and "Community" not in text  # sidebar, footer


def test_web_page_selection_from_policy_yaml(run, tmp_path: Path) -> None:
    folder = tmp_path / "policies" / "blog"
    write(folder / "policy.yaml", "policy: blog\nweb_page:\n  select: [article]\n"
                                  "  remove: ['#for-further-reading ~ *', header]\n")
    result = run("import", str(DOCS / "markitdown_blog.html"), "--policy", "blog", "--version",
                 "v1", "--store", str(tmp_path / "policies"))
    assert result.code == 0, result.err
    text = (folder / "v1.md").read_text(encoding="utf-8")
    assert "main content guessed" not in result.err
    assert "April 21, 2023" not in text  # the removed header
    assert "## Experiment Setup" in text


# diff of documents -------------------------------------------------------------------------

def test_diff_of_two_word_files_shows_the_move_and_the_rewording(run, tmp_path: Path) -> None:
    old = policy_docx(tmp_path / "a.docx")
    new = policy_docx(tmp_path / "b.docx", order=("Scope", "Stockpile", "Authority"),
                      authority="The Secretary of Defense may authorize the use of landmines.")
    result = run("diff", str(old), str(new), "--format", "json")
    assert result.code == 1, result.err
    data = json.loads(result.out)
    assert data["old"]["converter"] == data["new"]["converter"] == "the Word reader"
    sections = {s["new_heading"] or s["old_heading"]: s for s in data["sections"]}
    assert sections["Stockpile"]["moved"] or sections["Authority"]["moved"]
    [block] = [b for b in sections["Authority"]["blocks"] if b["status"] == "modified"]
    assert "Secretary of Defense" in json.dumps(block)
    screen = run("diff", str(old), str(new), "--color", "never", "--no-pager")
    assert "read by the Word reader" in screen.out and "(moved)" in screen.out


def test_diff_of_mixed_formats_and_of_a_committed_word_file(run, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    top = tmp_path / "repo"
    top.mkdir()
    git = ["git", "-C", str(top), "-c", "user.name=Staff", "-c", "user.email=s@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    policy_docx(top / "p.docx")
    subprocess.run([*git, "add", "p.docx"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "first"], check=True)
    policy_docx(top / "p.docx", authority="The Secretary may authorize the use of landmines.")
    monkeypatch.chdir(top)
    result = run("diff", "HEAD:p.docx", "p.docx", "--color", "never", "--no-pager")
    assert result.code == 1 and "Secretary" in result.out, result.err
    markdown = write(top / "p.md", "# Landmine Policy\n\n## Scope\n\nThe United States will "
                                   "not use landmines outside the Korean Peninsula.\n")
    mixed = run("diff", str(markdown), "p.docx", "--format", "json")
    data = json.loads(mixed.out)
    assert "converter" not in data["old"] and data["new"]["converter"] == "the Word reader"


def test_missing_extra_is_one_line_naming_it(run, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pdfminer", None)  # as if the pdf extra were not installed
    result = run("import", str(DOCS / "scotus-transcript-p1.pdf"), "-o", str(tmp_path / "x.md"))
    assert result.code == 2
    assert result.err.strip().splitlines() == [
        "policy-diff: error: this needs the optional pdfminer.six library: "
        "pip install 'policy-diff[pdf]'"]


# The Word redline -----------------------------------------------------------------------

def redline_xml(path: Path):  # type: ignore[no-untyped-def]
    from lxml import etree

    with zipfile.ZipFile(path) as archive:
        return etree.fromstring(archive.read("word/document.xml"))


def expected(ref: str, store: Path | None = CORPUS) -> list[str]:
    from policy_diff.views.docx import paragraphs
    from policy_diff.source.refs import load_side

    return [text for _, text in paragraphs(load_side(ref, store).document)]


@pytest.mark.parametrize("old,new", [("us-apl@2022-06-21", "us-apl@2025-12-02"),
                                     ("us-apl@1996-05-16", "us-apl@2025-12-02"),
                                     ("us-apl@2014-06-27", "us-apl@2014-09-23")])
def test_redline_accept_all_and_reject_all_rebuild_both_versions(run, tmp_path: Path,
                                                                 old: str, new: str) -> None:
    from policy_diff.views.docx import W, apply_all

    target = tmp_path / "redline.docx"
    result = run("diff", old, new, "--store", str(CORPUS), "--format", "docx", "-o", str(target),
                 "--author", "Policy Office")
    assert result.code == 1, result.err
    xml = redline_xml(target)
    assert apply_all(xml, accept=True) == expected(new)
    assert apply_all(xml, accept=False) == expected(old)
    changes = list(xml.iter(f"{W}ins", f"{W}del"))
    assert changes
    ids = [c.get(f"{W}id") for c in changes]
    assert len(ids) == len(set(ids)) and all(ids)
    assert {c.get(f"{W}author") for c in changes} == {"Policy Office"}
    effective = parse((CORPUS / "us-apl" / f"{new.split('@')[1]}.md").read_text(), "x").front
    assert {c.get(f"{W}date") for c in changes} == {f"{effective['effective']}T00:00:00Z"}
    for change in xml.iter(f"{W}del"):
        assert change.find(f".//{W}t") is None  # deleted text is w:delText
    for change in xml.iter(f"{W}ins"):
        assert change.find(f".//{W}delText") is None
    for row in xml.iter(f"{W}tr"):  # a wholly inserted or deleted table row marks the row
        marks = {c.tag for c in row.iter(f"{W}ins", f"{W}del")}
        if marks == {f"{W}ins"}:
            assert row.find(f"{W}trPr/{W}ins") is not None
        if marks == {f"{W}del"}:
            assert row.find(f"{W}trPr/{W}del") is not None
    for p in xml.iter(f"{W}p"):  # a wholly inserted or deleted paragraph marks its mark too
        runs = [r for r in p if r.tag in (f"{W}r", f"{W}ins", f"{W}del")]
        if runs and all(r.tag == f"{W}ins" for r in runs):
            assert p.find(f"{W}pPr/{W}rPr/{W}ins") is not None
        if runs and all(r.tag == f"{W}del" for r in runs):
            assert p.find(f"{W}pPr/{W}rPr/{W}del") is not None


def test_redline_starts_with_the_key_provision_table(run, tmp_path: Path) -> None:
    from policy_diff.views.docx import W

    target = tmp_path / "r.docx"
    run("diff", "us-apl@2022-06-21", "us-apl@2025-12-02", "--store", str(CORPUS), "--format",
        "docx", "-o", str(target))
    body = redline_xml(target).find(f"{W}body")
    table = body[0]
    assert table.tag == f"{W}tbl"
    rows = [["".join(t.text for t in cell.iter(f"{W}t")) for cell in row.iter(f"{W}tc")]
            for row in table.iter(f"{W}tr")]
    assert rows[0][:2] == ["Key provision", "Change"]
    assert ["Geographic scope", "BROADENED", "Korean Peninsula", "Worldwide"] in rows  # as in
    # every view: a change of scope in capitals


def test_redline_with_ignore_editorial_marks_substantive_changes_only(run, tmp_path: Path) -> None:
    from policy_diff.views.docx import SUMMARY, W, apply_all

    old = write(tmp_path / "old.md", "# T\n\n## Scope\n\nthe  rule applies to mines.\n\n"
                "Use is allowed in Korea.\n\n### Detail\n\nKept text.\n")
    new = write(tmp_path / "new.md", "# T\n\n## Scope\n\nThe rule applies to mines.\n\n"
                "Use is allowed worldwide.\n\n## Detail\n\nKept text.\n")
    marked, plain = tmp_path / "marked.docx", tmp_path / "plain.docx"
    assert run("diff", str(old), str(new), "--format", "docx", "-o", str(marked)).code == 1
    assert run("diff", str(old), str(new), "--format", "docx", "-o", str(plain),
               "--ignore-editorial").code == 1
    for target in (marked, plain):
        assert apply_all(redline_xml(target), accept=True) == expected(str(new), None)
    assert apply_all(redline_xml(marked), accept=False) == expected(str(old), None)
    # Hidden, the editorial edits are the new text, unmarked: rejecting every change keeps them.
    assert apply_all(redline_xml(plain), accept=False) == [
        "T", "Scope", "The rule applies to mines.", "Use is allowed in Korea.", "Detail",
        "Kept text."]

    def marks(target: Path) -> dict[str, set[str]]:
        """Each paragraph's marks, by its new text."""
        found = {}
        for p in redline_xml(target).iter(f"{W}p"):
            text = "".join(t.text or "" for t in p.iter(f"{W}t"))
            found[text] = {m.tag.split("}")[1] for m in p.iter(f"{W}ins", f"{W}del",
                                                                f"{W}pPrChange")}
        return found

    shown, hidden = marks(marked), marks(plain)
    assert shown["The rule applies to mines."] == {"ins", "del"}
    assert shown["Detail"] == {"pPrChange"}  # the level change: Heading2 → Heading1
    change = next(redline_xml(marked).iter(f"{W}pPrChange"))
    assert change.find(f"{W}pPr/{W}pStyle").get(f"{W}val") == "Heading2"
    assert hidden["The rule applies to mines."] == set() and hidden["Detail"] == set()
    assert hidden["Use is allowed worldwide."] == {"ins", "del"}
    table = redline_xml(plain).find(f"{W}body")[0]
    assert table.find(f"{W}tblPr/{W}tblCaption").get(f"{W}val") == SUMMARY
    note = "".join(t.text for t in table.iter(f"{W}t"))
    assert "Editorial changes left unmarked (--ignore-editorial): 2 paragraphs, shown as the " \
        "new version's text; rejecting every change keeps them." in note
    assert "Editorial changes left unmarked" not in "".join(
        t.text or "" for t in redline_xml(marked).iter(f"{W}t"))


def test_redline_of_two_word_files_and_refusals(run, tmp_path: Path) -> None:
    from policy_diff.views.docx import apply_all

    old = policy_docx(tmp_path / "a.docx")
    new = policy_docx(tmp_path / "b.docx", order=("Scope", "Stockpile", "Authority"),
                      authority="The Secretary of Defense may authorize the use of landmines.")
    target = tmp_path / "r.docx"
    assert run("diff", str(old), str(new), "--format", "docx", "-o", str(target)).code == 1
    xml = redline_xml(target)
    assert apply_all(xml, accept=True) == expected(str(new), None)
    assert apply_all(xml, accept=False) == expected(str(old), None)
    to_stdout = run("diff", str(old), str(new), "--format", "docx")
    assert to_stdout.code == 2 and "-o FILE.docx" in to_stdout.err
    again = run("diff", str(old), str(new), "--format", "docx", "-o", str(target))
    assert again.code == 2 and "already exists" in again.err


def test_libreoffice_opens_the_redline_with_its_changes(run, tmp_path: Path) -> None:
    from docbuild import soffice

    program = soffice()
    if shutil.which("pdftotext") is None:
        pytest.skip("no pdftotext (apt-get install poppler-utils)")
    target = tmp_path / "redline.docx"
    run("diff", "us-apl@2022-06-21", "us-apl@2025-12-02", "--store", str(CORPUS), "--format",
        "docx", "-o", str(target))
    subprocess.run([program, f"-env:UserInstallation=file://{tmp_path}/lo", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(target)],
                   capture_output=True, timeout=180, check=False)
    text = subprocess.run(["pdftotext", str(tmp_path / "redline.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    # Shown as a redline, the document holds both versions' words.
    assert "Interim DoD" in text and "Changes to U.S. Anti" in text


def test_git_diff_of_a_word_policy_is_a_policy_diff(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The diff driver with `*.docx diff=policy` in .gitattributes, run by git itself."""
    from policy_diff.hooks import install as hooks

    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_EXTERNAL_DIFF"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "gitconfig").write_text("")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    top = tmp_path / "repo"
    git = ["git", "-C", str(top), "-c", "user.name=Staff", "-c", "user.email=s@example.org"]
    subprocess.run(["git", "init", "-q", str(top)], check=True)
    (top / "policies" / "mines").mkdir(parents=True)
    policy_docx(top / "policies" / "mines" / "policy.docx")
    subprocess.run([*git, "config", hooks.DRIVER_KEY, hooks.driver_command()], check=True)
    write(top / ".gitattributes", "policies/**/*.docx diff=policy\npolicies/**/*.pdf diff=policy\n")
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "first"], check=True)
    policy_docx(top / "policies" / "mines" / "policy.docx", order=("Scope", "Stockpile", "Authority"))
    shown = subprocess.run([*git, "diff"], capture_output=True, text=True, check=True).stdout
    assert "diff --policy a/policies/mines/policy.docx" in shown
    assert "read by the Word reader" in shown and "(moved)" in shown


def test_tagged_pdf_structure_is_read_from_its_tags(run, tmp_path: Path) -> None:
    import docx

    source = structured_docx(tmp_path / "tagged.docx")
    document = docx.Document(str(source))
    document.sections[0].header.paragraphs[0].text = "Running head of the tagged copy"
    document.save(str(source))
    pdf = print_pdf(source, tagged=True)
    text, err = imported(run, pdf, tmp_path / "tagged.md", "--effective", "2024-01-01")
    assert "structure tags" in err and "best effort" in err
    assert headings(text) == ["# Mine Policy", "## Scope", "### Details", "#### Fine print",
                              "### Custom clause", "## Outlined part"]
    assert "- first bullet\n- second bullet\n\n1. step one\n1. step two" in text
    assert "| Who | May |\n|---|---|\n| President | authorize |" in text
    assert "Running head" not in text


def test_odt_goes_through_libreoffice(run, tmp_path: Path) -> None:
    from docbuild import soffice

    program = soffice()
    source = structured_docx(tmp_path / "policy.docx")
    subprocess.run([program, f"-env:UserInstallation=file://{tmp_path}/lo", "--headless",
                    "--convert-to", "odt", "--outdir", str(tmp_path), str(source)],
                   capture_output=True, timeout=180, check=False)
    text, _ = imported(run, tmp_path / "policy.odt", tmp_path / "odt.md", "--effective",
                       "2024-01-01")
    assert headings(text)[:4] == ["# Mine Policy", "## Scope", "### Details", "#### Fine print"]
    assert "LibreOffice, then the Word reader" in text


WORDS = ["mines", "shall", "not", "be", "used", "outside", "Korea", "the", "President",
         "may", "authorize", "destroy", "stockpiles", "|", "**", "-", "1."]


@pytest.mark.filterwarnings("ignore")
def test_redline_rebuilds_both_versions_of_any_pair() -> None:
    """Property: for generated pairs of records (moves, rewordings, tables, lists), accepting
    every change gives the new version's text and rejecting every change the old one's."""
    from hypothesis import HealthCheck, given, settings, strategies as st

    from policy_diff.diff.compare import compare
    from policy_diff.model import Side
    from policy_diff.views.docx import apply_all, paragraphs, to_docx
    from strategies import documents_of, render, sentences

    sentence = sentences(WORDS, max_words=8)
    block = st.one_of(sentence, sentence.map(lambda s: f"- {s}"),
                      st.lists(sentence, min_size=1, max_size=3).map(
                          lambda cells: "| " + " | ".join(c.replace("|", "/") for c in cells)
                          + " |"))
    body = documents_of(block, ["Scope", "Authority", "Stockpile", "Review"], max_sections=4,
                        max_blocks=4)

    def side(name: str, sections: list[tuple[str, list[str]]]) -> Side:
        return Side(ref=name, path=name, policy=None, version=None,
                    document=parse(render(sections), name, lenient=True))

    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
    @given(body, body)
    def check(old: list[tuple[str, list[str]]], new: list[tuple[str, list[str]]]) -> None:
        old_side, new_side = side("old.md", old), side("new.md", new)
        data = to_docx(compare(old_side, new_side, None))
        from lxml import etree

        with zipfile.ZipFile(__import__("io").BytesIO(data)) as archive:
            xml = etree.fromstring(archive.read("word/document.xml"))
        assert apply_all(xml, accept=True) == [t for _, t in paragraphs(new_side.document)]
        assert apply_all(xml, accept=False) == [t for _, t in paragraphs(old_side.document)]

    check()
