"""Make untrusted record text inert before it reaches a terminal.

Rich passes ESC sequences through untouched, so a record could retitle the
terminal window, plant a hyperlink or hide text.  Escape sequences and control
characters are shown as visible `\\x..` escapes (safer for a diff than silent
removal: the reader sees that something was there); bidirectional overrides
("Trojan Source") are shown as `<U+202E>`.
"""

from __future__ import annotations

import re

_ESC_SEQ = re.compile(r"""\x1b\[[0-?]*[ -/]*[@-~]      # CSI
  | \x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?                 # OSC, ended by BEL or ST, or never
  | \x1b[PX^_][^\x1b]*(?:\x1b\\)?                      # DCS / SOS / PM / APC
  | \x1b[ -/]*[0-~]                                    # other ESC sequences
  | \x9b[0-?]*[ -/]*[@-~]                              # 8-bit CSI""", re.VERBOSE)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # keeps \t and \n
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def sanitize(text: str) -> str:
    r"""Show escape sequences, control and bidi characters as visible text.

    >>> sanitize("a\x1b[31mb\u202e")
    'a\\x1b[31mb<U+202E>'
    """
    text = _ESC_SEQ.sub(lambda m: repr(m.group())[1:-1], text)
    text = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
    return _BIDI.sub(lambda m: f"<U+{ord(m.group()):04X}>", text)
