"""What the store adds to a diff: where a provision that a version leaves unstated was last stated.

A version that does not state a provision says nothing about it.  When the newer version
states it again, "stated" alone would hide what a reader wants to know: approval authority,
last stated as the Secretary of Defense in 2020, now given to combatant commanders, is
delegated one step.  This stage runs after `compare`, only for versions of a store.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..frozen import replace
from ..model import Manifest, PolicyDiff, ProvisionChange, VersionEntry
from .provisions import default_spec, with_last_value
from ..source.store import Store, version_front


def with_last_stated(diff: PolicyDiff, store_root: Path | None,
                     manifest: Manifest | None) -> PolicyDiff:
    """Give each provision the new version states again its change since it was last stated."""
    stated = [p for p in diff.provisions if p.change == "stated"]
    earlier = _versions_before(diff, store_root) if stated else []
    if not earlier:
        return diff
    changes = tuple(_restated(p, earlier, manifest) if p.change == "stated" else p
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
    silent: list[str] = []  # the versions after the last one that stated it, newest first
    for entry in reversed(earlier):
        value = _stated_value(provision.id, entry)
        if value is not None:
            spec = (manifest.spec(provision.id) if manifest else None) or default_spec(
                provision.id, value)
            return with_last_value(spec, provision, entry.version, value, tuple(reversed(silent)))
        silent.append(entry.version)
    return provision


def _stated_value(provision_id: str, entry: VersionEntry) -> Any:
    provisions = version_front(entry).get("provisions")
    return provisions.get(provision_id) if isinstance(provisions, dict) else None
