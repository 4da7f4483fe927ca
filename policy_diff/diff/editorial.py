"""Editorial versus substantive: does a change alter what the text says?

A change is editorial when the two sides read the same once whitespace and line
wrapping, punctuation, letter case and list or section numbering are set aside;
everything else is substantive.  Only this normal form decides; nothing here
guesses at meaning.
"""

from __future__ import annotations

import re

from ..model import Op
from ..text.unicode import hidden_characters  # the characters the views reveal

# List markers and clause numbers at the start of a line: "- ", "3. ", "(a) ", "iv) ", "2.1 ".
# A number needs its `.` or `)` ("30 days" is not numbering); "2.1" needs none.
_NUMBERING = re.compile(r"^[ \t>]*(?:[-*+]|\(?\d+[.)]|\d+(?:\.\d+)+\.?|\(?[a-z][.)]|\(?[ivxlcdm]+[.)])"
                        r"[ \t]+", re.IGNORECASE | re.MULTILINE)
_PUNCTUATION = re.compile(r"[^\w\s]|_")
# Numbering at the start of a heading: `3.`, `1.2`, `A.2`, `IV.`, `(a)`, and a numbering
# word followed by a number (`Article 5`, `§ 5a`, `Section 3.1`, `Titel 3 –`), repeated
# (`Part II Chapter 3`).  Headings only: numbers inside prose stay substantive.
_ROMAN = r"(?-i:M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3}))"
_HEADING_NUMBER = (r"(?:\d+[a-z]?(?:\.\d+[a-z]?)+\.?|\d{1,3}[a-z]?[.):]?|\d+[.):]"
                   rf"|[a-z](?:\.\d+)+\.?|[a-z][.)]|(?=[MDCLXVI]){_ROMAN}[.):]?)")
_HEADING_WORD = (r"(?:article|art\.|artikel|section|sec\.|§+|part|partie|chapter|chapitre|"
                 r"title|titre|titel|book|buch|livre|kapitel|abschnitt|unterabschnitt|teil|"
                 r"rule|regulation|schedule|annex|anlage|appendix|clause|paragraph|para\.)")
_HEADING_NUMBERING = re.compile(
    rf"^(?:\s*(?:{_HEADING_WORD}\s*{_HEADING_NUMBER}|\(?{_HEADING_NUMBER})"
    r"(?=\s|$)\s*[-–—:]?)+", re.IGNORECASE)

EDITORIAL, SUBSTANTIVE = "editorial", "substantive"


def normal_form(text: str) -> str:
    """The words a text says, in order: no numbering, punctuation, case or spacing.

    >>> normal_form("3. The  Secretary,\\nmay\\tuse")
    'the secretary may use'
    """
    text = _NUMBERING.sub("", text)
    return " ".join(without_punctuation(text).casefold().split())


# What _PUNCTUATION matches among ASCII characters, as a table: most policy text is ASCII,
# and str.translate does the substitution four times faster than the regular expression.
_ASCII_PUNCTUATION = {code: " " for code in range(128) if _PUNCTUATION.match(chr(code))}


def without_punctuation(text: str) -> str:
    """TEXT with each punctuation character (and `_`) replaced by a space."""
    return text.translate(_ASCII_PUNCTUATION) if text.isascii() else _PUNCTUATION.sub(" ", text)


def classify(old: str, new: str) -> str:
    """`editorial` if only spacing, wrapping, punctuation, case or numbering differ."""
    if old.split() == new.split() and hidden_characters(old) == hidden_characters(new):
        return EDITORIAL  # spacing alone (whatever a re-wrap brings), if every space is plain
    same = normal_form(old) == normal_form(new) and meaning_marks(old) == meaning_marks(new)
    return EDITORIAL if same else SUBSTANTIVE


# Marks that normal_form sets aside but that change what a text says, or that a reader cannot
# see: a sign before a number (-40), percent and currency marks, a hyphen that makes two words
# one term (non-binding), quotation marks around a term, and invisible or unusual characters.
_SIGNED = re.compile(r"(?:(?<=^)|(?<=[\s(\[]))[-+\u2212\u2012\u2013\u00b1]\s?(?=\d)", re.MULTILINE)
_UNIT = re.compile(r"[%\u2030\u2031\u00a2-\u00a5\u058f\u060b\u09f2\u09f3\u0e3f\u17db"
                   r"\u20a0-\u20c0\ufdfc\ufe69\uff04\uffe0\uffe1\uffe5\uffe6$]")
_TERM = re.compile(r"[^\W\d_]+(?:[-\u2010\u2011](?:[ \t]*\n[ \t]*)?[^\W\d_]+)+")
_QUOTE = re.compile(r"[\"\u201c-\u201f\u00ab\u00bb\u2039\u203a\u300c-\u300f]"
                    r"|(?<!\w)['\u2018\u2019\u201a\u201b]|['\u2018\u2019\u201a\u201b](?!\w)")
_QUOTED = re.compile(r'"([^"]*)"')
_HYPHENS = str.maketrans("\u2010\u2011", "--")
_MINUS = str.maketrans("\u2212\u2012\u2013", "---")


def meaning_marks(text: str) -> tuple[tuple[str, ...], ...]:
    """What normal_form drops that still tells two texts apart (see above).

    >>> meaning_marks('A "non-binding" fee of -40 $ or 10%') == meaning_marks("A non binding fee")
    False
    >>> meaning_marks("“Korean”  peninsula") == meaning_marks('"Korean" peninsula')
    True
    """
    signs = tuple(m.group().translate(_MINUS).strip() for m in _SIGNED.finditer(text))
    units = tuple(_UNIT.findall(text))
    terms = tuple("".join(t.translate(_HYPHENS).casefold().split()) for t in _TERM.findall(text))
    quoted = _QUOTE.sub('"', text)
    quotes = tuple(normal_form(q) for q in _QUOTED.findall(quoted)) + (str(quoted.count('"')),)
    return signs, units, terms, quotes, tuple(hidden_characters(text))


def heading_form(heading: str) -> str:
    """A heading's words without its numbering.

    >>> heading_form("Article 5 – Scope"), heading_form("§ 12a Rücktritt"), heading_form("A.2 Data")
    ('scope', 'rücktritt', 'data')
    >>> heading_form("2025 Budget"), heading_form("Part II Chapter 3: Fees")
    ('2025 budget', 'fees')
    """
    return normal_form(_HEADING_NUMBERING.sub("", heading))


def classify_heading(old: str, new: str) -> str:
    """`editorial` if two headings differ only in numbering, spacing, punctuation or case."""
    return EDITORIAL if heading_form(old) == heading_form(new) else SUBSTANTIVE


def classify_ops(ops: tuple[Op, ...] | list[Op]) -> tuple[str | None, ...]:
    """A class for each op: None for `equal`, else editorial or substantive."""
    return tuple(None if tag == "equal" else classify(old, new) for tag, old, new in ops)
