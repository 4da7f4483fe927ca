"""Word-level redlines as Styled text: styles with colour, `[-old-]{+new+}` markers without.

Every piece of record text passes through `sanitize` on its way in.
"""

from __future__ import annotations

from typing import Any, Iterable

from ..model import Op
from .text.layout import Styled
from ..text.unicode import split_hidden
from .plan import cut_text
from ..text.safe import look_alike_note, reveal, sanitize
from ..diff.words import value_text

DEL_OPEN, DEL_CLOSE, INS_OPEN, INS_CLOSE = "[-", "-]", "{+", "+}"


def inline(ops: Iterable[Op], plain: bool) -> Styled:
    """Both sides in one text: deletions then insertions where they differ.

    OPS may be a display plan's pieces: a `cut` is drawn `…`, a `marker` as the new marker
    (the row's note names the change).
    """
    text = Styled()
    for tag, old, new in _apart(split_hidden(ops), plain):  # hidden spacing shown as changed
        if tag in ("equal", "marker"):
            text.append(sanitize(new))
            continue
        if tag == "cut":
            text.append(cut_text(new), style="pd.dim")
            continue
        if old:
            _deleted(text, old, plain)
        if new:
            _inserted(text, new, plain)
        text.append(look_alike_note(old, new), style="pd.warning")
    return text


def _apart(ops: Iterable[Op], plain: bool) -> Iterable[Op]:
    """In colour, a space between deleted and inserted words that would touch: strike and
    underline alone left `superseded` + `in-force` reading as `supersededin-force`.
    Without colour the markers `-]{+` keep them apart already."""
    deleted = ""  # the deletion drawn last, if nothing has been drawn after it
    for tag, old, new in ops:
        before = old if tag == "replace" else deleted if tag == "insert" else ""
        if not plain and before and new and not before[-1].isspace() and not new[0].isspace():
            if tag == "replace":
                yield ("delete", old, "")
            yield ("equal", " ", " ")
            yield ("insert", "", new)
        else:
            yield tag, old, new
        deleted = old if tag == "delete" else ""


def one_side(ops: Iterable[Op], side: str, plain: bool) -> Styled:
    """The old side with its deletions marked, or the new side with its insertions marked."""
    text = Styled()
    for tag, old, new in split_hidden(ops):  # spacing one cannot see is shown as changed
        piece = old if side == "old" else new
        if tag == "cut":
            text.append(cut_text(piece), style="pd.dim")
        elif tag in ("equal", "marker") or not piece:
            text.append(sanitize(piece))
        elif side == "old":
            _deleted(text, piece, plain)
        else:
            _inserted(text, piece, plain)
    return text


def _deleted(text: Styled, piece: str, plain: bool) -> None:
    if plain:
        text.append(f"{DEL_OPEN}{reveal(piece)}{DEL_CLOSE}")
    else:
        text.append(reveal(piece), style="pd.deleted")


def _inserted(text: Styled, piece: str, plain: bool) -> None:
    if plain:
        text.append(f"{INS_OPEN}{reveal(piece)}{INS_CLOSE}")
    else:
        text.append(reveal(piece), style="pd.inserted")


def safe(value: Any, style: str = "") -> Styled:
    """A front matter value as inert text."""
    return Styled(sanitize(value_text(value) if not isinstance(value, str) else value), style)
