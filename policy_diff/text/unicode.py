"""Characters a reader cannot see or tell apart, for the diff and its views.

An edit that inserts a variation selector, swaps a space for a no-break space or a Latin `a`
for a Cyrillic `а` changes the bytes and can change what a machine reads (a search, a
signature, a link), yet shows as nothing or as the same word.  The diff calls such changes
substantive (editorial.meaning_marks) and the views make them visible (text.safe.reveal).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Iterable

from .tokens import tokenize

# Format characters (Unicode category Cf: tests check that none is missing), variation
# selectors, the combining grapheme joiner, Hangul fillers, Khmer inherent vowels and the
# braille blank, which draw nothing; and every space other than U+0020, which looks like it.
HIDDEN = re.compile(
    "[\u00ad\u034f\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u115f\u1160\u17b4\u17b5"
    "\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\u2800\u3164\ufe00-\ufe0f\ufeff"
    "\uffa0\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f\U000e0100-\U000e01ef"
    "\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")

# Letters of other scripts drawn like Latin ones (a subset of Unicode's confusables that
# covers the letters a spoofed word uses); fullwidth forms and ligatures go through NFKC.
_LOOK_ALIKE = str.maketrans(
    "аеорсухіјѕԁԛԝһӏɑАВЕКМНОРСТХУІЈЅԌοινρκχΑΒΕΖΗΙΚΜΝΟΡΤΥΧ",
    "aeopcyxijsdqwhlaABEKMHOPCTXYIJSGoivpkxABEZHIKMNOPTYX")


def hidden_characters(text: str) -> list[str]:
    """The characters of TEXT that draw nothing or look like a plain space, in order."""
    return HIDDEN.findall(text)


def skeleton(text: str) -> str:
    """TEXT as a reader sees it: hidden characters dropped, spaces plain, look-alikes Latin."""
    text = HIDDEN.sub(lambda m: " " if m.group().isspace() else "", text)
    return unicodedata.normalize("NFKC", text).translate(_LOOK_ALIKE)


def look_alike(old: str, new: str) -> bool:
    """Whether two different texts read the same to the eye."""
    return old != new and skeleton(old) == skeleton(new)


@lru_cache(maxsize=256)
def distinguishing(old: str, new: str) -> str:
    """The characters that tell two look-alike texts apart, named: `U+0430 CYRILLIC SMALL
    LETTER A`; at most three."""
    differing = dict.fromkeys(c for c in old + new if (c in old) != (c in new) and
                              (not c.isascii() or HIDDEN.match(c)))
    names = [f"U+{ord(c):04X} {unicodedata.name(c, 'unnamed')}" for c in differing]
    return ", ".join(names[:3]) + (", …" if len(names) > 3 else "")


def split_hidden(ops: Iterable[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """OPS with each `equal` run that differs in a character one cannot see (a no-break or
    ideographic space for a plain one: the diff holds spacing equal) cut so that the token
    that differs is a `replace` of its own, for the views to show."""
    out: list[tuple[str, str, str]] = []
    for tag, old, new in ops:
        if tag != "equal" or old == new or hidden_characters(old) == hidden_characters(new):
            out.append((tag, old, new))
            continue
        pairs = list(zip(tokenize(old), tokenize(new)))
        if "".join(a for a, _ in pairs) != old or "".join(b for _, b in pairs) != new:
            out.append(("replace", old, new))  # not token for token: show the run as changed
            continue
        for a, b in pairs:
            same = a == b or hidden_characters(a) == hidden_characters(b)
            kind = "equal" if same else "replace"
            if out and out[-1][0] == kind == "equal":
                out[-1] = ("equal", out[-1][1] + a, out[-1][2] + b)
            else:
                out.append((kind, a, b))
    return out
