"""How every view words a provision change, so the terminal, Markdown and HTML agree."""

from __future__ import annotations

import json
from typing import Any

from ..model import ProvisionChange

NOT_STATED = "(not stated)"


def change_word(provision: ProvisionChange) -> str:
    """Upper case for the two changes of scope, which a reader must not miss."""
    return provision.change.upper() if provision.change in ("broadened", "narrowed") \
        else provision.change


def steps(count: int) -> str:
    return f"{count} step{'s' if count != 1 else ''}"


def provision_note(provision: ProvisionChange) -> str:
    """The parenthesis after before → after: set members, scale steps or position, or the
    change since the provision was last stated."""
    if provision.kind == "set" and (provision.added or provision.removed) \
            and provision.old is not None and provision.new is not None \
            and not _all_replaced(provision):
        members = [f"+ {m}" for m in provision.added] + [f"− {m}" for m in provision.removed]
        return f"({'; '.join(members)})"
    if provision.steps is not None:
        return f"({steps(provision.steps)} {provision.change})"
    if provision.since_stated is not None:
        return f"({since_stated(provision)})"
    if provision.kind == "scale" and provision.scale_position:
        position, size, word = provision.scale_position
        return f"(step {position} of {size}, toward {word})"
    return ""


def _all_replaced(provision: ProvisionChange) -> bool:
    """Every member went and every one came: `Korean Peninsula → Worldwide` says it all."""
    return sorted(map(str, provision.removed)) == sorted(map(str, provision.old)) \
        and sorted(map(str, provision.added)) == sorted(map(str, provision.new))


def since_stated(provision: ProvisionChange) -> str:
    """`last stated in 2020-01-31 as Secretary of Defense: delegated 1 step`."""
    since = provision.since_stated
    assert since is not None
    change = since.change if since.steps is None else f"{since.change} {steps(since.steps)}"
    value = "" if provision.kind == "text" else f" as {value_text(since.old)}"
    return f"last stated in {provision.last_stated}{value}: {change}"


def value_text(value: Any) -> str:
    """A front matter value in one line: lists joined, mappings by their title or pairs."""
    if value is None:
        return "(none)"
    if isinstance(value, list):
        return "; ".join(value_text(v) for v in value) or "(empty)"
    if isinstance(value, dict):
        if "title" in value:
            return value_text(value["title"])
        return ", ".join(f"{k}: {value_text(v)}" for k, v in value.items())
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def member_text(value: Any) -> str:
    """A list member in one line, a source by its title and publisher: two sources of the
    same title (a story and its copy) must not read as one listed twice."""
    if isinstance(value, dict) and "title" in value and value.get("publisher"):
        return f"{value_text(value['title'])} — {value_text(value['publisher'])}"
    return value_text(value)


def list_delta(old: list[Any], new: list[Any]) -> tuple[list[Any], list[Any]]:
    """Members of OLD not in NEW, and of NEW not in OLD, each in order, each once.

    Linear: `v not in new` over two lists of a large front matter took minutes.

    >>> list_delta(["a", "b", {"x": 1}, "a"], ["b", {"x": 1}, "c"])
    (['a'], ['c'])
    """
    old_keys = {_member_key(v): v for v in old}
    new_keys = {_member_key(v): v for v in new}
    return ([v for k, v in old_keys.items() if k not in new_keys],
            [v for k, v in new_keys.items() if k not in old_keys])


def _member_key(value: Any) -> str:
    """Equal for equal YAML values (strings, true/false, null, lists, mappings in any order)."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
