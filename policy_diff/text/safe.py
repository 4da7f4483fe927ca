"""Make untrusted record text inert before it reaches a terminal.

Rich passes ESC sequences through untouched, so a record could retitle the
terminal window, plant a hyperlink or hide text.  Escape sequences and control
characters are shown as visible `\\x..` escapes (safer for a diff than silent
removal: the reader sees that something was there); bidirectional overrides
("Trojan Source") and other invisible characters are shown as `⟨U+202E⟩`.  Where a change
shows text (`reveal`), every character a reader cannot see or tell from a space is shown so.
"""

from __future__ import annotations

import re
import sys

from ..errors import PolicyDiffError

_ESC_SEQ = re.compile(r"""\x1b\[[0-?]*[ -/]*[@-~]      # CSI
  | \x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?                 # OSC, ended by BEL or ST, or never
  | \x1b[PX^_][^\x1b]*(?:\x1b\\)?                      # DCS / SOS / PM / APC
  | \x1b[ -/]*[0-~]                                    # other ESC sequences
  | \x9b[0-?]*[ -/]*[@-~]                              # 8-bit CSI""", re.VERBOSE)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # keeps \t and \n
# Bidi controls ("Trojan Source") and other characters that draw nothing, so that two
# versions differing only by one would look the same: format characters (Unicode Cf:
# zero-width space, word joiner, BOM, soft hyphen, invisible "tag" letters that can
# smuggle text), and the line / paragraph separators U+2028 / U+2029.  Zero-width
# (non-)joiners U+200C / U+200D are kept: Persian, Indic scripts and emoji need them.
_INVISIBLE = re.compile("[\u00ad\u061c\u180e\u200b\u200e\u200f\u2028-\u202e\u2060-\u206f"
                        "\ufeff\ufff9-\ufffb\U000e0000-\U000e007f]")
# Lone surrogates cannot be written as UTF-8 (YAML's "\ud800", a git path read with
# surrogateescape): show the byte a surrogate escape stands for, or the code point.
_SURROGATE = re.compile("[\ud800-\udfff]")
# Every character any of the three above starts with (escape sequences start with a control).
_ANY_UNSAFE = re.compile(f"{_CONTROL.pattern}|{_INVISIBLE.pattern}|{_SURROGATE.pattern}")


def sanitize(text: str) -> str:
    r"""Show escape sequences, control, bidi and invisible characters as visible text.

    >>> sanitize("a\x1b[31mb\u202e\u200b")
    'a\\x1b[31mb⟨U+202E⟩⟨U+200B⟩'
    """
    if _ANY_UNSAFE.search(text) is None:  # the usual case: one pass instead of four
        return text
    text = _ESC_SEQ.sub(lambda m: repr(m.group())[1:-1], text)
    text = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
    text = _SURROGATE.sub(_surrogate, text)
    return _INVISIBLE.sub(_code_point, text)


def _code_point(match: re.Match[str]) -> str:
    return f"⟨U+{ord(match.group()):04X}⟩"


def reveal(text: str) -> str:
    """`sanitize`, and every other character that draws nothing or looks like a space shown
    as `⟨U+XXXX⟩`: for the changed pieces of a diff, where an invisible edit must be seen.
    Unchanged text keeps the joiners and variation selectors that scripts and emoji need.

    >>> reveal("Korean\ufe00\u00a0Peninsula")
    'Korean⟨U+FE00⟩⟨U+00A0⟩Peninsula'
    """
    from .unicode import HIDDEN  # 1 ms that --help and most hook runs do without

    text = sanitize(text)
    return HIDDEN.sub(_code_point, text) if not text.isascii() else text


def look_alike_note(old: str, new: str) -> str:
    """` ⟨look-alike: U+0430 CYRILLIC SMALL LETTER A⟩` after a change whose sides read the
    same to the eye (`invisible:` when only characters that draw nothing differ, `unusual
    space:` for a space of another kind), else ""."""
    from .unicode import HIDDEN, distinguishing, look_alike  # 1 ms: see reveal

    if not look_alike(old, new):
        return ""
    if old.isspace() and new.isspace():
        return f" ⟨unusual space: {distinguishing(old, new)}⟩ "  # stands where the space was
    what = "invisible" if HIDDEN.sub("", old) == HIDDEN.sub("", new) else "look-alike"
    return f" ⟨{what}: {distinguishing(old, new)}⟩"


def _surrogate(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code - 0xdc00:02x}" if 0xdc80 <= code <= 0xdcff else f"⟨U+{code:04X}⟩"


# Characters a terminal could act on (C1: 8-bit CSI and OSC), that reorder or hide text,
# or that are not characters at all (lone surrogates, which UTF-8 cannot encode).
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u00ad\u061c\u180e\u200b\u200e\u200f\u2028-\u202e"
                          "\u2060-\u206f\ufeff\ufff9-\ufffb\ud800-\udfff\U000e0000-\U000e007f]")


def inert_json(text: str) -> str:
    r"""Write such characters in JSON text as `\uXXXX` escapes.

    Outside strings JSON is ASCII, and inside one an escape means the character itself:
    the data is unchanged, but `--format json` printed to a terminal cannot act or hide.

    >>> inert_json('{"a": "x\u009b2J\u202e"}')
    '{"a": "x\\u009b2J\\u202e"}'
    """
    if text.isascii() and "\x7f" not in text:  # two C scans, ten times faster than the regex
        return text
    return _JSON_UNSAFE.sub(_json_escape, text)


def _json_escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code > 0xFFFF:  # JSON spells astral characters as a surrogate pair
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


def safe_name(text: str) -> str:
    r"""A file name, or a string git gave (author, subject), as one printable line.

    Names may hold any character but NUL and `/`: a newline or tab is shown as its
    escape like every other control, so a name can never print as two lines or columns.

    >>> safe_name("a\nb\x1b[2J")
    'a\\x0ab\\x1b[2J'
    """
    return sanitize(text).replace("\n", "\\x0a").replace("\t", "\\x09")


def warn(message: str, path: str | None = None, line: int | None = None) -> None:
    """One line `policy-diff: warning: path:line: message` on stderr; the command goes on."""
    print(f"policy-diff: warning: {sanitize(str(PolicyDiffError(message, path, line)))}",
          file=sys.stderr)
