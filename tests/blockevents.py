"""The block events the parser finds in a body, next to markdown-it's, for the fast-path properties."""

from __future__ import annotations

import importlib

parse_module = importlib.import_module("policy_diff.parse.document")


def markdown_it_only(body: list[str]):  # type: ignore[no-untyped-def]
    return parse_module._markdown_events(body)


def trimmed(events, body):  # type: ignore[no-untyped-def]
    """Events as blocks see them: a block's trailing blank lines are not part of its text."""
    out = []
    for start, end, kind, heading in events:
        while end > start + 1 and not body[end - 1].strip(" \t"):
            end -= 1
        out.append((start, end, kind, heading))
    return out
