"""A strict, safe YAML loader for front matter and manifests.

YAML 1.1 (PyYAML) silently turns `2022-06-21` into a date, `no` into False,
`1.10` into 1.1 and repeats of a key into last-wins.  Policy text must survive
exactly as written, so every scalar stays a string except `true`/`false` and
null, duplicate keys are an error, and mappings remember the line of each key.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from .errors import RecordError
from .limits import MAX_FRONT_MATTER, check_limit

# YAML 1.1 words that PyYAML would read as booleans.  They stay strings here, but
# remember that they were unquoted so `validate` can name the field.
_YAML11_BOOL = re.compile(r"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$")


class Yaml11Bool(str):
    """An unquoted yes/no/on/off: a string that YAML 1.1 tools would read as a boolean."""


class LocatedDict(dict):
    """A mapping that knows the 1-based line of itself and of each key (relative to the YAML)."""

    line: int = 1
    key_lines: dict[str, int]


class _StrictLoader(yaml.SafeLoader):
    """Strings by default; only true/false and null are resolved; duplicate keys raise."""

    def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
        # Aliases let a few lines of YAML expand to billions of nodes ("billion laughs");
        # a policy record never needs them.
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise yaml.composer.ComposerError(None, None, "aliases (*name) are not allowed", mark)
        return super().compose_node(parent, index)


# Explicit tags may build only what an unquoted value could: strings, true/false, null,
# lists and mappings.  SafeLoader's others make values JSON cannot hold (bytes, sets,
# dates, inf/NaN, which is not even equal to itself) or raise bare ValueErrors on bad
# input (`!!int abc`, a 5000-digit `!!int`); an unknown tag is an error that names it.
_ALLOWED_TAGS = ("tag:yaml.org,2002:null", "tag:yaml.org,2002:seq")
_SURROGATE = re.compile("[\ud800-\udfff]")
_StrictLoader.yaml_constructors = {
    tag: yaml.SafeLoader.yaml_constructors[tag] for tag in (*_ALLOWED_TAGS, None)}
_StrictLoader.yaml_implicit_resolvers = {}
_StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
_StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""])
_StrictLoader.add_implicit_resolver("!yaml11-bool", _YAML11_BOOL, list("yYnNoO"))
_StrictLoader.add_constructor("!yaml11-bool",
                              lambda loader, node: Yaml11Bool(loader.construct_scalar(node)))


def _construct_str(loader: _StrictLoader, node: yaml.Node) -> str:
    """A string; a lone surrogate (`"\\ud800"`) is no character and could not be printed."""
    value = loader.construct_scalar(node)
    if _SURROGATE.search(value):
        raise yaml.constructor.ConstructorError(
            None, None, "a lone surrogate escape (\\ud800-\\udfff) is not a character",
            node.start_mark)
    return value


_StrictLoader.add_constructor("tag:yaml.org,2002:str", _construct_str)


def _construct_bool(loader: _StrictLoader, node: yaml.Node) -> bool:
    """`true`/`false` (and an explicit `!!bool`, which must spell one of them)."""
    value = loader.construct_scalar(node).lower()
    if value not in ("true", "false"):
        raise yaml.constructor.ConstructorError(
            None, None, f"!!bool {value!r} is not true or false", node.start_mark)
    return value == "true"


_StrictLoader.add_constructor("tag:yaml.org,2002:bool", _construct_bool)


def _refuse_tag(loader: _StrictLoader, node: yaml.Node) -> None:
    raise yaml.constructor.ConstructorError(
        None, None, f"tag {node.tag!r} is not allowed (front matter holds strings, true/false, "
                    f"null, lists and mappings)", node.start_mark)


_StrictLoader.add_constructor(None, _refuse_tag)


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode) -> LocatedDict:
    if not isinstance(node, yaml.MappingNode):  # `!!map [1]`
        raise yaml.constructor.ConstructorError(
            None, None, f"expected a mapping, but found {node.id}", node.start_mark)
    result = LocatedDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, (str, int, float, bool)) or key is None:
            raise yaml.constructor.ConstructorError(
                None, None, "mapping keys must be plain scalars", key_node.start_mark)
        key = str(key)
        if key in result:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_mapping(text: str, path: str, first_line: int = 1, any_shape: bool = False) -> LocatedDict:
    """Load YAML that must be a mapping; line numbers are shifted so line 1 is `first_line`.

    With `any_shape`, YAML of another shape (a list, a string) is kept under the key
    `front matter`: a plain document's front matter is compared, whatever it holds.

    >>> load_mapping("effective: 2022-06-21\\napproved: no\\n", "x")["effective"]
    '2022-06-21'
    """
    # PyYAML reads about 250 KB a second of dense YAML (a list of a million items: minutes).
    check_limit(MAX_FRONT_MATTER, len(text), "characters of YAML", path or None)
    try:
        data = yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + mark.line if mark else first_line
        raise RecordError(f"invalid YAML: {exc.problem or exc.context}", path, line) from None
    except yaml.reader.ReaderError as exc:
        # Not a MarkedYAMLError: it knows only the character offset, so count lines up to it.
        line = first_line + text.count("\n", 0, exc.position)
        raise RecordError(f"invalid YAML: character U+{exc.character:04X} is not allowed",
                          path, line) from None
    except yaml.YAMLError as exc:
        raise RecordError(f"invalid YAML: {exc}", path, first_line) from None
    except RecursionError:
        # PyYAML composes recursively: `[[[[...` a few thousand deep would be a traceback.
        raise RecordError("invalid YAML: nested too deeply", path, first_line) from None
    if data is None:
        data = LocatedDict()
        data.line, data.key_lines = 1, {}
    if not isinstance(data, LocatedDict) and any_shape:
        wrapped = LocatedDict({"front matter": data})
        wrapped.line, wrapped.key_lines = 1, {"front matter": 1}
        data = wrapped
    if not isinstance(data, LocatedDict):
        raise RecordError(f"front matter must be a mapping, not {_kind(data)}", path, first_line)
    _shift_lines(data, first_line - 1)
    return data


def _kind(value: Any) -> str:
    return {list: "a list", str: "a string", bool: "a boolean"}.get(type(value), type(value).__name__)


def _shift_lines(value: Any, offset: int) -> None:
    """Make every recorded line count from the top of the file, not of the YAML."""
    if isinstance(value, LocatedDict):
        value.line += offset
        value.key_lines = {k: v + offset for k, v in value.key_lines.items()}
        for item in value.values():
            _shift_lines(item, offset)
    elif isinstance(value, list):
        for item in value:
            _shift_lines(item, offset)
