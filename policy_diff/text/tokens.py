"""Word, punctuation and whitespace tokens: the units every diff and view counts in."""

from __future__ import annotations

import re

TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


def tokenize(text: str) -> list[str]:
    """Split text into tokens that join back to it exactly.

    >>> tokenize("Use only, worldwide.")
    ['Use', ' ', 'only', ',', ' ', 'worldwide', '.']
    """
    return TOKEN.findall(text)
