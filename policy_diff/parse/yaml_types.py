"""What the YAML readers build: mappings that know their lines, and the words YAML reads."""

from __future__ import annotations

import re

# The only unquoted words that are not strings, shared by the fast path (yaml_subset) and
# the full loader (yaml_strict, which imports PyYAML, so only when the fast path gives up).
TRUE_FALSE = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
# YAML 1.1 words that PyYAML would read as booleans.  They stay strings here, but
# remember that they were unquoted so `validate` can name the field.
YAML11_BOOL = re.compile(r"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$")


class Yaml11Bool(str):
    """An unquoted yes/no/on/off: a string that YAML 1.1 tools would read as a boolean."""


class LocatedDict(dict):
    """A mapping that knows the 1-based line of itself and of each key (relative to the YAML)."""

    line: int = 1
    key_lines: dict[str, int]


def empty_mapping() -> LocatedDict:
    """What empty YAML loads as: a mapping without keys, at line 1."""
    data = LocatedDict()
    data.line, data.key_lines = 1, {}
    return data
