"""How every view words a provision change, so the terminal, Markdown and HTML agree."""

from __future__ import annotations

import json
from typing import Any

from ..frozen import replace
from ..model import ProvisionChange
from ..text.safe import look_alike_note, reveal
from .provisions import SECTION_CHECKS

NOT_STATED = "(not stated)"


def change_word(provision: ProvisionChange) -> str:
    """Upper case for the two changes of scope, which a reader must not miss; silence in words."""
    if provision.change in ("broadened", "narrowed"):
        return provision.change.upper()
    return "no longer stated" if provision.change == "unstated" else provision.change


def listed(provision: ProvisionChange) -> bool:
    """Whether the key-provisions block gives the provision a row: it changed, or its value
    and its section disagree (a reader of the headline must not miss that)."""
    return provision.change != "unchanged" or provision.section_check is not None


def section_note(provision: ProvisionChange) -> str:
    """`section reworded; recorded value unchanged — check`, or ""."""
    return SECTION_CHECKS.get(provision.section_check or "", "")


def steps(count: int) -> str:
    return f"{count} step{'s' if count != 1 else ''}"


def change_phrase(change: ProvisionChange, shout: bool = True) -> str:
    """`delegated 1 step`, `BROADENED`, `reworded`: the change word with its steps."""
    word = change_word(change) if shout or change.change not in ("broadened", "narrowed") \
        else change.change
    return word if change.steps is None else f"{word} {steps(change.steps)}"


def provision_note(provision: ProvisionChange) -> str:
    """The parenthesis after before → after: set members, scale steps or position."""
    if provision.kind == "set" and (provision.added or provision.removed) \
            and provision.old is not None and provision.new is not None:
        alike = look_alike_note(value_text(provision.old), value_text(provision.new))
        if _all_replaced(provision):
            return alike.strip()
        members = [f"+ {reveal(m)}" for m in provision.added] + \
            [f"− {reveal(m)}" for m in provision.removed]
        return f"({'; '.join(members)}){alike}"
    if provision.steps is not None:
        return f"({steps(provision.steps)} {provision.change})"
    if provision.kind == "scale" and provision.scale_position:
        position, size, word = provision.scale_position
        return f"(step {position} of {size}, toward {word})"
    return ""


def _all_replaced(provision: ProvisionChange) -> bool:
    """Every member went and every one came: `Korean Peninsula → Worldwide` says it all."""
    return sorted(map(str, provision.removed)) == sorted(map(str, provision.old)) \
        and sorted(map(str, provision.added)) == sorted(map(str, provision.new))


def restated(provision: ProvisionChange,
             shout: bool = True) -> tuple[str, ProvisionChange, str]:
    """A provision stated again after silence, as the views lead with it (record-format §3).

    The lead (`delegated 1 step since 2020-01-31`), the change from the value last stated to
    the new one (its steps left out: the lead says them), and the silence in between
    (`; not stated in 2022-06-21`).
    """
    last = provision.last_stated
    assert last is not None
    since = last.change
    if since.change == "unchanged":
        lead = f"stated again as in {last.version}"
    else:
        lead = f"{change_phrase(since, shout)} since {last.version}"
    return lead, replace(since, steps=None), silence(last.unstated_in, value_text(since.new))


def silence(versions: tuple[str, ...], after: str) -> str:
    """`; not stated in 2022-06-21` (or the first and last of a run of silent versions), to
    follow the text AFTER: in parentheses after a sentence that ends with its own stop."""
    if not versions:
        return ""
    what = f"not stated in {versions[0]}" if len(versions) == 1 else \
        f"not stated in {len(versions)} versions, {versions[0]} to {versions[-1]}"
    return f" ({what})" if after.rstrip().endswith((".", "!", "?", ";")) else f"; {what}"


def change_text(provision: ProvisionChange) -> str:
    """The change in words for a table cell: `delegated 1 step since 2020-01-31; not stated in
    2022-06-21`, `no longer stated`, `BROADENED`; with a section check when there is one."""
    if provision.last_stated is not None:
        lead, since, silent = restated(provision)
        if provision.kind != "text":
            lead += f" (then: {value_text(since.old)})"
        text = lead + (f"; {silent.strip(' ;()')}" if silent else "")
    else:
        text = change_phrase(provision)
    return f"{text}; {section_note(provision)}" if section_note(provision) else text


def stated_text(value: Any) -> str:
    """A provision's value in one line, or `not stated` where the version is silent on it."""
    return "not stated" if value is None else value_text(value)


def one_line(provision: ProvisionChange) -> str:
    """The change in a few words, for summaries: `approval authority delegated 1 step since
    2020-01-31`, `transfer and export no longer stated`."""
    label = provision.label[:1].lower() + provision.label[1:]
    if provision.last_stated is not None:
        return f"{label} {restated(provision, shout=False)[0]}"
    return f"{label} {change_phrase(provision, shout=False)}"


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
