"""PyYAML's SafeLoader made strict (see yaml_load): imported only when the fast path gives up.

`import yaml` and its pure-Python loader cost tens of milliseconds, so this module is loaded
lazily, by `yaml_load._load_full`, for YAML outside the subset that `yaml_subset` reads.
"""

from __future__ import annotations

import re

import yaml

from .yaml_types import NULL, TRUE_FALSE, YAML11_BOOL, LocatedDict, Yaml11Bool


class StrictLoader(yaml.SafeLoader):
    """Strings by default; only true/false and null are resolved; duplicate keys raise."""

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
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
StrictLoader.yaml_constructors = {
    tag: yaml.SafeLoader.yaml_constructors[tag] for tag in (*_ALLOWED_TAGS, None)}
StrictLoader.yaml_implicit_resolvers = {}
StrictLoader.add_implicit_resolver("tag:yaml.org,2002:bool", TRUE_FALSE, list("tTfF"))
StrictLoader.add_implicit_resolver("tag:yaml.org,2002:null", NULL, ["~", "n", "N", ""])
StrictLoader.add_implicit_resolver("!yaml11-bool", YAML11_BOOL, list("yYnNoO"))


def _scalar(loader: StrictLoader, node: yaml.Node) -> str:
    """The text of a node that an explicit tag or a resolver says is a scalar."""
    # The stubs take a scalar node only, but an explicit tag can sit on any node (`!!str [a]`):
    # construct_scalar checks the node itself and raises a ConstructorError that names it.
    return loader.construct_scalar(node)  # type: ignore[arg-type]


def _construct_yaml11_bool(loader: StrictLoader, node: yaml.Node) -> Yaml11Bool:
    return Yaml11Bool(_scalar(loader, node))


StrictLoader.add_constructor("!yaml11-bool", _construct_yaml11_bool)


def _construct_str(loader: StrictLoader, node: yaml.Node) -> str:
    """A string; a lone surrogate (`"\\ud800"`) is no character and could not be printed."""
    value = _scalar(loader, node)
    if _SURROGATE.search(value):
        raise yaml.constructor.ConstructorError(
            None, None, "a lone surrogate escape (\\ud800-\\udfff) is not a character",
            node.start_mark)
    return value


StrictLoader.add_constructor("tag:yaml.org,2002:str", _construct_str)


def _construct_bool(loader: StrictLoader, node: yaml.Node) -> bool:
    """`true`/`false` (and an explicit `!!bool`, which must spell one of them)."""
    value = _scalar(loader, node).lower()
    if value not in ("true", "false"):
        raise yaml.constructor.ConstructorError(
            None, None, f"!!bool {value!r} is not true or false", node.start_mark)
    return value == "true"


StrictLoader.add_constructor("tag:yaml.org,2002:bool", _construct_bool)


def _refuse_tag(loader: StrictLoader, node: yaml.Node) -> None:
    raise yaml.constructor.ConstructorError(
        None, None, f"tag {node.tag!r} is not allowed (front matter holds strings, true/false, "
                    f"null, lists and mappings)", node.start_mark)


StrictLoader.add_constructor(None, _refuse_tag)


def _construct_mapping(loader: StrictLoader, node: yaml.MappingNode) -> LocatedDict:
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


StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
