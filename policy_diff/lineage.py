"""What the store adds to a diff: where a provision that a version leaves unstated was last stated.

A version that does not state a provision says nothing about it.  When the newer version
states it again, "added" alone would hide what a reader wants to know: approval authority,
last stated as the Secretary of Defense in 2020, now given to combatant commanders, is
delegated one step.  This stage runs after `compare`, only for versions of a store.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .errors import PolicyDiffError
from .frozen import replace
from .model import Manifest, PolicyDiff, ProvisionChange, VersionEntry
from .parse import read_front_matter
from .provisions import compare_one
from .store import Store, read_text


def with_last_stated(diff: PolicyDiff, store_root: Path | None,
                     manifest: Manifest | None) -> PolicyDiff:
    """Give each provision the new version states again its change since it was last stated."""
    added = [p for p in diff.provisions if p.change == "added"]
    earlier = _versions_before(diff, store_root) if added else []
    if not earlier:
        return diff
    changes = tuple(_restated(p, earlier, manifest) if p.change == "added" else p
                    for p in diff.provisions)
    return replace(diff, provisions=changes)


def _versions_before(diff: PolicyDiff, store_root: Path | None) -> list[VersionEntry]:
    """The versions up to and including OLD, oldest first, when OLD is a version of the store."""
    policy, version = diff.old.policy, diff.old.version
    if store_root is None or policy is None or version is None:
        return []
    store = Store(store_root)
    if policy not in store.policies:
        return []
    entries = store.versions(policy)
    names = [entry.version for entry in entries]
    return entries[:names.index(version) + 1] if version in names else []


def _restated(provision: ProvisionChange, earlier: list[VersionEntry],
              manifest: Manifest | None) -> ProvisionChange:
    found = _last_value(provision.id, earlier)
    if found is None:
        return provision
    version, value = found
    spec = manifest.spec(provision.id) if manifest else None
    if spec is None:
        return provision
    return replace(provision, last_stated=version,
                   since_stated=compare_one(spec, value, provision.new))


def _last_value(provision_id: str, earlier: list[VersionEntry]) -> tuple[str, Any] | None:
    for entry in reversed(earlier):
        try:
            provisions = read_front_matter(read_text(Path(entry.path)), entry.path).get("provisions")
        except PolicyDiffError:
            continue  # a broken record says nothing; validate reports it
        if isinstance(provisions, dict) and provisions.get(provision_id) is not None:
            return entry.version, provisions[provision_id]
    return None
