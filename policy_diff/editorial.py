"""Editorial versus substantive: does a change alter what the text says?

A change is editorial when the two sides read the same once whitespace and line
wrapping, punctuation, letter case and list or section numbering are set aside;
everything else is substantive.  Only this normal form decides; nothing here
guesses at meaning.
"""

from __future__ import annotations

import re

from .model import Op

# List markers and clause numbers at the start of a line: "- ", "3. ", "(a) ", "iv) ", "2.1 ".
# A number needs its `.` or `)` ("30 days" is not numbering); "2.1" needs none.
_NUMBERING = re.compile(r"^[ \t>]*(?:[-*+]|\(?\d+[.)]|\d+(?:\.\d+)+\.?|\(?[a-z][.)]|\(?[ivxlcdm]+[.)])"
                        r"[ \t]+", re.IGNORECASE | re.MULTILINE)
_PUNCTUATION = re.compile(r"[^\w\s]|_")

EDITORIAL, SUBSTANTIVE = "editorial", "substantive"


def normal_form(text: str) -> str:
    """The words a text says, in order: no numbering, punctuation, case or spacing.

    >>> normal_form("3. The  Secretary,\\nmay\\tuse")
    'the secretary may use'
    """
    text = _NUMBERING.sub("", text)
    return " ".join(_PUNCTUATION.sub(" ", text).casefold().split())


def classify(old: str, new: str) -> str:
    """`editorial` if only spacing, wrapping, punctuation, case or numbering differ."""
    return EDITORIAL if normal_form(old) == normal_form(new) else SUBSTANTIVE


def classify_ops(ops: tuple[Op, ...] | list[Op]) -> tuple[str | None, ...]:
    """A class for each op: None for `equal`, else editorial or substantive."""
    return tuple(None if tag == "equal" else classify(old, new) for tag, old, new in ops)
