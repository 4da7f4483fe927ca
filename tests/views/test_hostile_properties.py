"""Hostile input, properties: any records, edits and bytes give a diff that keeps every promise
or one policy-diff error, and every view stays inert. The classes and what the tool does
with each are tabled in docs/hostile-input.md.
"""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings, strategies as st

from policy_diff.diff.compare import compare
from policy_diff.errors import PolicyDiffError
from policy_diff.model import Side
from policy_diff.parse.document import parse
from policy_diff.views.text.layout import render
from policy_diff.views.html import to_html
from policy_diff.views.json import to_json
from policy_diff.views.markdown import to_markdown
from policy_diff.views.terminal import render_diff
from policy_diff.source.files import decode

from diffcheck import check_diff
from hostile import PAYLOADS, UNSAFE, assert_inert_terminal, assert_no_live_html, markdown_as_html
from strategies import record_pair


def _pipeline(old_bytes: bytes, new_bytes: bytes, color: str, side_by_side: bool) -> None:
    """What the CLI does with two files; only PolicyDiffError may escape."""
    try:
        a = parse(decode(old_bytes, "old.md"), "old.md", lenient=True)
        b = parse(decode(new_bytes, "new.md"), "new.md", lenient=True)
    except PolicyDiffError:
        return
    old, new = Side("old.md", "old.md", None, None, a), Side("new.md", "new.md", None, None, b)
    assert compare(old, old).identical and compare(new, new).identical
    result = compare(old, new)
    text = to_json(result)
    assert text == to_json(compare(old, new)), "the same inputs gave different JSON"
    check_diff(json.loads(text), a, b)
    assert UNSAFE.search(text) is None
    parts = render_diff(result, color == "never", 1, False, side_by_side)
    assert_inert_terminal(render(parts, 80, colour=color == "always"))
    assert_no_live_html(to_html(result))
    assert_no_live_html(markdown_as_html(to_markdown(result)))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(record_pair(), st.sampled_from(["always", "never"]), st.booleans())
def test_any_records_and_edits_keep_every_promise(pair: tuple[str, str], color: str,
                                                  side_by_side: bool) -> None:
    _pipeline(pair[0].encode("utf-8", "surrogatepass"), pair[1].encode("utf-8", "surrogatepass"),
              color, side_by_side)


@settings(max_examples=120, deadline=None)
@given(st.binary(max_size=300), st.binary(max_size=300), st.sampled_from(["always", "never"]))
def test_any_bytes_are_a_diff_or_a_policy_diff_error(old: bytes, new: bytes, color: str) -> None:
    _pipeline(old, new, color, False)


@settings(max_examples=80, deadline=None)
@given(st.text(max_size=200), st.sampled_from(list(PAYLOADS.values())), st.booleans())
def test_any_text_with_a_payload_is_inert_everywhere(text: str, payload: str,
                                                     side_by_side: bool) -> None:
    old = f"## A\n\n{text}\n\nsame\n"
    new = f"## A {payload}\n\n{text} {payload}\n\n{payload}\n\nsame\n"
    _pipeline(old.encode("utf-8", "surrogatepass"), new.encode("utf-8", "surrogatepass"),
              "always", side_by_side)
