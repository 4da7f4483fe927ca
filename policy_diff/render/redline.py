"""Word-level redlines as rich Text: styles with colour, `[-old-]{+new+}` markers without.

Every piece of record text passes through `sanitize` on its way in, and goes in
as a Text span, never as markup.
"""

from __future__ import annotations

import json
from typing import Any, Iterable

from rich.text import Text

from ..model import Op
from .safe import sanitize

DEL_OPEN, DEL_CLOSE, INS_OPEN, INS_CLOSE = "[-", "-]", "{+", "+}"


def inline(ops: Iterable[Op], plain: bool) -> Text:
    """Both sides in one text: deletions then insertions where they differ."""
    text = Text()
    for tag, old, new in ops:
        if tag == "equal":
            text.append(sanitize(new))
            continue
        if old:
            _deleted(text, old, plain)
        if new:
            _inserted(text, new, plain)
    return text


def one_side(ops: Iterable[Op], side: str, plain: bool) -> Text:
    """The old side with its deletions marked, or the new side with its insertions marked."""
    text = Text()
    for tag, old, new in ops:
        piece = old if side == "old" else new
        if tag == "equal" or not piece:
            text.append(sanitize(piece))
        elif side == "old":
            _deleted(text, piece, plain)
        else:
            _inserted(text, piece, plain)
    return text


def _deleted(text: Text, piece: str, plain: bool) -> None:
    if plain:
        text.append(f"{DEL_OPEN}{sanitize(piece)}{DEL_CLOSE}")
    else:
        text.append(sanitize(piece), style="pd.deleted")


def _inserted(text: Text, piece: str, plain: bool) -> None:
    if plain:
        text.append(f"{INS_OPEN}{sanitize(piece)}{INS_CLOSE}")
    else:
        text.append(sanitize(piece), style="pd.inserted")


def value_text(value: Any) -> str:
    """A front matter value in one line: lists joined, mappings by their title or pairs."""
    if value is None:
        return "(none)"
    if isinstance(value, list):
        return "; ".join(value_text(v) for v in value) or "(empty)"
    if isinstance(value, dict):
        if "title" in value:
            return value_text(value["title"])
        return ", ".join(f"{k}: {value_text(v)}" for k, v in value.items())
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def list_delta(old: list[Any], new: list[Any]) -> tuple[list[Any], list[Any]]:
    """Members of OLD not in NEW, and of NEW not in OLD, each in order, each once.

    Linear: `v not in new` over two lists of a large front matter took minutes.

    >>> list_delta(["a", "b", {"x": 1}, "a"], ["b", {"x": 1}, "c"])
    (['a'], ['c'])
    """
    old_keys = {_member_key(v): v for v in old}
    new_keys = {_member_key(v): v for v in new}
    return ([v for k, v in old_keys.items() if k not in new_keys],
            [v for k, v in new_keys.items() if k not in old_keys])


def _member_key(value: Any) -> str:
    """Equal for equal YAML values (strings, true/false, null, lists, mappings in any order)."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def safe(value: Any, style: str | None = None) -> Text:
    return Text(sanitize(value_text(value) if not isinstance(value, str) else value),
                style=style or "")
