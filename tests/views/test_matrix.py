"""The provision matrix: cells and change marks on the corpus, layout, escaping, goldens.

Refresh the goldens with `python -m pytest tests/views/test_matrix.py --update-goldens`, then read
the changed files in `git diff` before committing them.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Callable

import pytest

from conftest import CORPUS, TESTS, record, write
from policy_diff.errors import RefError, UsageError
from policy_diff.diff.matrix import Matrix, Row, build_matrix
from policy_diff.views.text.screen import make_console, render_text
from policy_diff.views.matrix import matrix_html, matrix_json, matrix_markdown, matrix_view

GOLDENS = TESTS / "goldens" / "matrix"


def plain(matrix: Matrix, width: int | None, full: bool = False) -> str:
    return render_text(make_console("never", width), matrix_view(matrix, full=full))


def row(matrix: Matrix, provision: str) -> Row:
    return next(r for r in matrix.rows if r.id == provision)


def cells_by_version(matrix: Matrix, provision: str) -> dict[str, object]:
    return {c.version: cell for c, cell in zip(matrix.versions, row(matrix, provision).cells)}


@pytest.fixture(scope="module")
def apl() -> Matrix:
    return build_matrix(CORPUS, "us-apl")


# Goldens -------------------------------------------------------------------------------------

RENDERERS: dict[str, Callable[[Matrix], str]] = {
    "term-plain-80.txt": lambda m: plain(m, 80),
    "term-plain-120.txt": lambda m: plain(m, 120),
    "term-full-plain-80.txt": lambda m: plain(m, 80, full=True),
    "matrix.md": matrix_markdown,
    "matrix.html": matrix_html,
    "matrix.json": matrix_json,
}


@pytest.mark.parametrize("name", RENDERERS)
def test_matrix_matches_golden(name: str, apl: Matrix, golden: Callable[[str, Path], None]) -> None:
    golden(RENDERERS[name](apl), GOLDENS / name)


# Cells and changes on the corpus ---------------------------------------------------------------

def test_versions_are_columns_oldest_first_and_rows_follow_the_manifest(apl: Matrix) -> None:
    assert [c.version for c in apl.versions][:2] == ["1996-05-16", "1998-05-15"]
    assert len(apl.versions) == 8 and apl.versions[-1].version == "2025-12-02"
    assert [r.id for r in apl.rows] == ["geographic_scope", "approval_authority",
                                         "stockpile_destruction", "production_acquisition",
                                         "transfer_export"]


def test_geographic_scope_narrowed_in_september_2014_and_broadened_in_2020(apl: Matrix) -> None:
    cells = cells_by_version(apl, "geographic_scope")
    september = cells["2014-09-23"]
    assert september.value == ["Korean Peninsula"]
    assert (september.change.change, september.change.removed, september.change.added) == \
        ("narrowed", ("Worldwide",), ("Korean Peninsula",))
    assert cells["2014-06-27"].change.change == "unchanged"
    assert cells["2020-01-31"].change.change == "broadened"
    assert cells["1996-05-16"].change is None  # nothing before the first version


def test_approval_authority_row_states_gaps_and_names_delegation_across_them(apl: Matrix) -> None:
    cells = cells_by_version(apl, "approval_authority")
    assert [c.value for c in cells.values()] == [None, None, "President", None, None,
                                                 "Secretary of Defense", None,
                                                 "Combatant commanders"]
    assert [c.change.change for c in list(cells.values())[1:]] == [
        "unchanged", "stated", "unstated", "unchanged", "stated", "unstated", "stated"]
    since_2004 = cells["2020-01-31"].last_stated
    assert (since_2004.version, since_2004.value, since_2004.change.change,
            since_2004.change.steps, since_2004.unstated_in) == \
        ("2004-02-27", "President", "delegated", 1, ("2014-06-27", "2014-09-23"))
    assert cells["2025-12-02"].last_stated.version == "2020-01-31"
    assert cells["2004-02-27"].last_stated is None  # first stated: nothing to compare with


def test_changes_are_marked_without_colour(apl: Matrix) -> None:
    lines = plain(apl, 80).split("\n")
    line = {version: next(l for l in lines if l.startswith(version))
            for version in ("2014-09-23", "2020-01-31", "2014-06-27")}
    assert "▼ Korean Peninsula" in line["2014-09-23"]
    assert "▲ Worldwide" in line["2020-01-31"]
    assert "+» Secretary of Defense" in line["2020-01-31"]
    assert "− not stated" in line["2014-06-27"] and "▲" not in line["2014-06-27"]
    assert "▲ broadened" in "\n".join(lines[-3:])  # the legend says what the symbols mean


def test_colour_styles_the_marks_when_colour_is_on(apl: Matrix) -> None:
    text = render_text(make_console("always", 100), matrix_view(apl))
    assert "\x1b[1;35m▲ " in text and "\x1b[1;35m▼ " in text  # one hue: the arrow says which way


def test_approval_authority_and_scope_fit_one_screen_at_120_columns(
        apl: Matrix, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "120")
    lines = plain(apl, None).split("\n")
    header = next(i for i, l in enumerate(lines) if "Geographic scope" in l)
    assert "Approval authority" in lines[header]
    last = max(i for i, l in enumerate(lines) if l.startswith("2025-12-02") and "Worldwide" in l)
    assert last < 40 and last - header == 8  # one line per version, all within a screen
    assert "+» Combatant commanders" in lines[last]
    assert max(len(l) for l in lines) <= 120


def test_every_line_fits_80_columns_and_every_wording_is_whole(apl: Matrix) -> None:
    text = plain(apl, 80)
    assert max(len(l) for l in text.split("\n")) <= 80 and "…" not in text
    flat = " ".join(text.split())
    for row in apl.rows:  # every wording a version states, in full (unchanged ones as =)
        for cell in row.cells:
            if isinstance(cell.value, str):
                assert cell.value in flat or cell.change.change == "unchanged", cell.value


def test_compact_cuts_each_wording_to_one_line_with_an_ellipsis(apl: Matrix) -> None:
    lines = render_text(make_console("never", 80), matrix_view(apl, lines=1)).split("\n")
    first = next(l for l in lines if l.startswith("1996-05-16   Non-self-destructing"))
    assert first.endswith("…")


@pytest.mark.parametrize("width", [80, 100, 140])
def test_the_legend_breaks_only_between_entries(apl: Matrix, width: int) -> None:
    lines = plain(apl, width).rstrip("\n").split("\n")
    legend = lines[lines.index("", len(lines) - 4) + 1:]
    assert all(line.split("   ")[0][:1] in "▲▼»~+−—" for line in legend)
    assert "no longer stated" in "\n".join(legend)


# Rows, filters and errors on small stores ------------------------------------------------------

MANIFEST = """policy: demo
provisions:
  scope: {label: Scope, kind: set, all: Everywhere}
  rule: {label: Rule, kind: text}
  never: {label: Never stated, kind: text}
"""


def demo_store(tmp_path: Path, versions: list[str]) -> Path:
    """A store whose demo policy has one record per entry of `versions` (provision lines)."""
    write(tmp_path / "policies" / "demo" / "policy.yaml", MANIFEST)
    for number, provisions in enumerate(versions, 1):
        write(tmp_path / "policies" / "demo" / f"v{number}.md",
              record(version=f"v{number}", effective=f"2020-01-0{number}",
                     extra=f"provisions:\n{provisions}"))
    return tmp_path / "policies"


def test_rows_follow_the_manifest_then_other_ids_as_they_first_appear(tmp_path: Path) -> None:
    store = demo_store(tmp_path, ["  zeta: [a]\n  rule: Text.\n",
                                  "  alpha: Words.\n  scope: [Here]\n  zeta: [a, b]\n"])
    matrix = build_matrix(store, "demo")
    assert [r.id for r in matrix.rows] == ["scope", "rule", "zeta", "alpha"]  # `never` unused
    assert row(matrix, "zeta").spec.kind == "set"
    assert row(matrix, "zeta").cells[1].change.change == "broadened"
    assert row(matrix, "scope").cells[0].value is None


def test_unchanged_text_is_a_ditto_unless_full(tmp_path: Path) -> None:
    store = demo_store(tmp_path, ["  rule: Staff may not smoke on site.\n"] * 2)
    matrix = build_matrix(store, "demo")
    short = plain(matrix, 80)
    assert next(l for l in short.split("\n") if l.startswith("v2")).split() == ["v2", "="]
    assert short.count("Staff may not smoke") == 1
    assert plain(matrix, 80, full=True).count("Staff may not smoke") == 2


def test_provision_filter_keeps_the_order_asked_and_refuses_unknown_ids(tmp_path: Path) -> None:
    matrix = build_matrix(CORPUS, "us-apl", ["approval_authority", "geographic_scope"])
    assert [r.id for r in matrix.rows] == ["approval_authority", "geographic_scope"]
    with pytest.raises(UsageError, match="no provision 'scope'.*geographic_scope"):
        build_matrix(CORPUS, "us-apl", ["scope"])


def test_unknown_policy_names_the_nearest_and_no_store_is_a_usage_error() -> None:
    with pytest.raises(RefError, match="nearest: us-apl"):
        build_matrix(CORPUS, "us-ap")
    with pytest.raises(UsageError, match="no policies/ store"):
        build_matrix(None, "us-apl")


# Escaping --------------------------------------------------------------------------------------

HOSTILE = "<script>alert(1)</script> | **bold** [x](javascript:y) \x1b]0;owned\x07 <img src=x>"


@pytest.fixture
def hostile(tmp_path: Path) -> Matrix:
    value, again = json.dumps(HOSTILE), json.dumps(HOSTILE + " again")  # YAML reads JSON strings
    store = demo_store(tmp_path, [f"  rule: {value}\n  \"<b>odd</b>\": [\"<i>\"]\n",
                                  f"  rule: {again}\n"])
    return build_matrix(store, "demo")


def test_markdown_escapes_record_text(hostile: Matrix) -> None:
    text = matrix_markdown(hostile)
    assert not re.search(r"(?<!\\)[<>]", text)  # no live HTML: every angle bracket escaped
    assert "\x1b" not in text and "\x07" not in text
    rows = [line for line in text.split("\n") if line.startswith("| v1 ")]
    # every `|` of the value is escaped: the row has exactly the table's own separators
    assert all(line.replace("\\|", "").count("|") == 3 for line in rows)
    assert "\\*\\*bold\\*\\*" in text and "\\[x\\]\\(javascript:y\\)" in text


def test_html_escapes_record_text_and_carries_no_script(hostile: Matrix) -> None:
    page = matrix_html(hostile)
    assert "<script" not in page.lower() and "<img" not in page and "<b>odd" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&lt;b&gt;odd" in page
    assert "\x1b" not in page and "\x07" not in page
    assert "default-src 'none'" in page and "http" not in page.replace("http-equiv", "")


def test_terminal_shows_escape_sequences_as_visible_text(hostile: Matrix) -> None:
    text = plain(hostile, 200, full=True)
    assert "\x1b" not in text and "\\x1b]0;owned\\x07" in text


def test_json_is_deterministic_and_keeps_values_whole(hostile: Matrix, apl: Matrix) -> None:
    assert matrix_json(apl) == matrix_json(build_matrix(CORPUS, "us-apl"))
    data = json.loads(matrix_json(hostile))
    rule = next(p for p in data["provisions"] if p["id"] == "rule")
    assert rule["cells"][0]["value"] == HOSTILE and rule["cells"][1]["change"] == "reworded"
    authority = next(p for p in json.loads(matrix_json(apl))["provisions"]
                     if p["id"] == "approval_authority")
    assert authority["cells"][5]["last_stated"] == {"version": "2004-02-27", "value": "President",
                                                    "change": "delegated", "steps": 1}


# The command -----------------------------------------------------------------------------------

@pytest.mark.parametrize("name, args", [
    ("term-plain-120.txt", ["--color", "never", "--width", "120"]),
    ("matrix.md", ["--format", "markdown"]), ("matrix.html", ["--format", "html"]),
    ("matrix.json", ["--format", "json"])])
def test_matrix_command_prints_each_format(run, name: str, args: list[str]) -> None:  # type: ignore[no-untyped-def]
    result = run("matrix", "us-apl", "--store", str(CORPUS), "--no-pager", *args)
    assert (result.code, result.err) == (0, "")
    assert result.out == (GOLDENS / name).read_text(encoding="utf-8")


def test_matrix_command_reports_an_unknown_provision_in_one_line(run) -> None:  # type: ignore[no-untyped-def]
    result = run("matrix", "us-apl", "--store", str(CORPUS), "--provision", "scope")
    assert (result.code, result.out) == (2, "")
    assert result.err.startswith("policy-diff: error: us-apl has no provision 'scope'")
