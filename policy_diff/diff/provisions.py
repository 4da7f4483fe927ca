"""Name how each key provision changed: reworded, broadened, narrowed, delegated...

The manifest says what kind each provision is (record-format §3); without one,
a list is a set and anything else is text.
"""

from __future__ import annotations

from typing import Any

from ..frozen import replace
from ..model import LastStated, Manifest, ProvisionChange, ProvisionSpec, SectionDiff, label_from_id
from .editorial import classify
from .textdiff import word_ops


def compare_provisions(old: Any, new: Any, manifest: Manifest | None,
                       sections: tuple[SectionDiff, ...] = ()) -> tuple[ProvisionChange, ...]:
    """Every provision on either side, in manifest order, then in order of first appearance;
    each checked against the change of the body section that spells it out (SECTIONS)."""
    changes = _compare_provisions(old, new, manifest)
    by_provision = {s.provision: s for s in sections if s.provision}
    return tuple(_checked(p, by_provision[p.id]) if p.id in by_provision else p for p in changes)


# A key provision's recorded value and its body section should change together: a reviewer who
# reads only the key provisions must not miss a section reworded under an unchanged value.
SECTION_CHECKS = {
    "section_changed": "section reworded; recorded value unchanged — check",
    "value_changed": "value changed; section text unchanged — check",
}


def _checked(provision: ProvisionChange, section: SectionDiff) -> ProvisionChange:
    if section.status == "modified" and not section.blocks and not section.renamed:
        return provision  # an outline (compare_outline) does not know what changed inside
    section_changed = (section.status in ("added", "removed")
                       or section.rename_class == "substantive"
                       or any(b.change_class == "substantive" for b in section.blocks))
    value_changed = provision.change_class == "substantive"
    if section_changed == value_changed:
        return provision
    return replace(provision, section_check="section_changed" if section_changed
                   else "value_changed")


def _compare_provisions(old: Any, new: Any,
                        manifest: Manifest | None) -> tuple[ProvisionChange, ...]:
    old = old if isinstance(old, dict) else {}
    new = new if isinstance(new, dict) else {}
    ids = [p.id for p in manifest.provisions] if manifest else []
    ids = [i for i in ids if i in old or i in new]
    ids += [i for i in [*old, *new] if i not in ids]
    ids = list(dict.fromkeys(ids))
    changes = []
    for provision_id in ids:
        spec = (manifest.spec(provision_id) if manifest else None) or default_spec(
            provision_id, old.get(provision_id, new.get(provision_id)))
        changes.append(compare_one(spec, old.get(provision_id), new.get(provision_id)))
    return tuple(changes)


def default_spec(provision_id: str, value: Any) -> ProvisionSpec:
    kind = "set" if isinstance(value, list) else "text"
    return ProvisionSpec(id=provision_id, label=label_from_id(provision_id), kind=kind)


def compare_one(spec: ProvisionSpec, old: Any, new: Any) -> ProvisionChange:
    """Name the change; every change but a text rewording that reads the same is substantive."""
    change = _compare_one(spec, old, new)
    if change.change != "unchanged" and change.change_class is None:
        change = replace(change, change_class="substantive")
    return change


def with_last_value(spec: ProvisionSpec, change: ProvisionChange, version: str, value: Any,
                    unstated_in: tuple[str, ...] = ()) -> ProvisionChange:
    """A `stated` change, given the last earlier VERSION that stated the provision (as VALUE)."""
    since = compare_one(spec, value, change.new)
    return replace(change, last_stated=LastStated(version, since, unstated_in))


def _compare_one(spec: ProvisionSpec, old: Any, new: Any) -> ProvisionChange:
    kind = spec.kind if spec.kind in ("text", "set", "scale") else "text"
    old, new = _as_kind(kind, old), _as_kind(kind, new)
    base = dict(id=spec.id, label=spec.label, kind=kind, old=old, new=new, section=spec.section)
    if old is None and new is None:
        return ProvisionChange(**base, change="unchanged")
    if old is None or new is None:  # silence is not removal (record-format §3)
        change = "stated" if old is None else "unstated"
        added, removed = _members(kind, old, new)
        return ProvisionChange(**base, change=change, added=added, removed=removed,
                               scale_position=_position(spec, new if old is None else old))
    if kind == "set":
        return _compare_set(spec, base, old, new)
    if old == new:
        return ProvisionChange(**base, change="unchanged")
    if kind == "scale" and old in spec.scale and new in spec.scale:
        steps = spec.scale.index(new) - spec.scale.index(old)
        word = spec.toward_end if steps > 0 else spec.toward_start
        return ProvisionChange(**base, change=word, steps=abs(steps))
    if kind == "scale":  # off the scale: validate reports it; the diff still says what changed
        return ProvisionChange(**base, change="changed")
    return ProvisionChange(**base, change="reworded", ops=tuple(word_ops(old, new)),
                           change_class=classify(old, new))


def _position(spec: ProvisionSpec, value: Any) -> tuple[int, int, str] | None:
    """Where a scale value stands, for a provision that appears or disappears."""
    if spec.kind != "scale" or value not in spec.scale:
        return None
    index = spec.scale.index(value)
    word = spec.toward_end if index >= len(spec.scale) / 2 else spec.toward_start
    return index + 1, len(spec.scale), word


def _as_kind(kind: str, value: Any) -> Any:
    """Coerce a value to its kind's shape so a mistyped record still diffs sensibly."""
    if value is None:
        return None
    if kind == "set":
        items = value if isinstance(value, list) else [value]
        return [str(v) for v in items]
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value) if not isinstance(value, str) else value


def _members(kind: str, old: Any, new: Any) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(added, removed) members of a set stated or unstated: all of its members."""
    if kind != "set":
        return (), ()
    return tuple(new or ()), tuple(old or ())


def _compare_set(spec: ProvisionSpec, base: dict[str, Any], old: list[str],
                 new: list[str]) -> ProvisionChange:
    """Broadened: only gains, or gains the all-member; narrowed: only losses, or loses it."""
    old_members, new_members = set(old), set(new)  # lists would make this quadratic
    added = tuple(m for m in dict.fromkeys(new) if m not in old_members)
    removed = tuple(m for m in dict.fromkeys(old) if m not in new_members)
    if not added and not removed:
        change = "unchanged"
    elif spec.all and (spec.all in added) != (spec.all in removed):
        change = "broadened" if spec.all in added else "narrowed"
    elif spec.all and spec.all in old and spec.all in new:
        change = "changed"  # both sides already cover everywhere; only the listing differs
    elif added and not removed:
        change = "broadened"
    elif removed and not added:
        change = "narrowed"
    else:
        change = "changed"
    return ProvisionChange(**base, change=change, added=added, removed=removed)
