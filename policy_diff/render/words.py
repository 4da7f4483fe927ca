"""How every view words a provision change, so the terminal, Markdown and HTML agree."""

from __future__ import annotations

from ..model import ProvisionChange
from .redline import value_text

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
            and provision.old is not None and provision.new is not None:
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


def since_stated(provision: ProvisionChange) -> str:
    """`last stated in 2020-01-31 as Secretary of Defense: delegated 1 step`."""
    since = provision.since_stated
    assert since is not None
    change = since.change if since.steps is None else f"{since.change} {steps(since.steps)}"
    value = "" if provision.kind == "text" else f" as {value_text(since.old)}"
    return f"last stated in {provision.last_stated}{value}: {change}"
