"""A policy's key provisions across all its versions: one row per provision, one cell per version.

Each cell holds the value its record states (None where it states none) and how that value
changed from the version before, named by `provisions.compare_one`, so every view reads the
same judgement (broadened, narrowed, delegated...) that `diff` makes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import RefError, UsageError
from ..frozen import frozen
from ..model import LastStated, ProvisionChange, ProvisionSpec, VersionEntry
from .provisions import compare_one, default_spec, with_last_value
from ..source.store import Store, nearest, version_front
from ..source.files import display_path


@frozen
class VersionColumn:
    """One version of the policy, as a column of the matrix."""

    version: str
    effective: str
    status: str


@frozen
class Cell:
    """A provision in one version: its value and its change from the previous version."""

    value: Any  # a string, a list of strings (set), or None where the record does not state it
    # None in the first column: there is nothing before it.  A value stated again after
    # versions that did not state it carries its change from the last version that did, in
    # `change.last_stated` (approval authority 2004 -> 2020 is "delegated", not merely "stated").
    change: ProvisionChange | None

    @property
    def last_stated(self) -> LastStated | None:
        return self.change.last_stated if self.change is not None else None


@frozen
class Row:
    """One key provision across every version."""

    spec: ProvisionSpec
    cells: tuple[Cell, ...]

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def label(self) -> str:
        return self.spec.label


@frozen
class Matrix:
    """Key provisions (rows) by versions (columns, oldest first)."""

    policy: str
    title: str | None
    versions: tuple[VersionColumn, ...]
    rows: tuple[Row, ...]


def build_matrix(store_root: Path | None, policy: str,
                 provisions: list[str] | None = None) -> Matrix:
    """Read every version of POLICY and lay its key provisions out version by version."""
    store = _open_policy(store_root, policy)
    entries = store.versions(policy)
    stated = [_stated_provisions(entry) for entry in entries]
    manifest = store.manifest(policy)
    specs = _specs(manifest.provisions if manifest else (), stated)
    specs = _select(specs, provisions, policy)
    columns = tuple(VersionColumn(e.version, e.effective, e.status) for e in entries)
    rows = tuple(Row(spec, _cells(spec, [s.get(spec.id) for s in stated], columns))
                 for spec in specs)
    return Matrix(policy, manifest.title if manifest else None, columns, rows)


def _open_policy(store_root: Path | None, policy: str) -> Store:
    """The store holding POLICY; a missing store or policy is a user error naming what exists."""
    if store_root is None:
        raise UsageError("no policies/ store found (use --store or $POLICY_DIFF_STORE)")
    store = Store(store_root)
    if policy not in store.policies:
        near = nearest(policy, store.policies)
        hint = f"; nearest: {', '.join(near)}" if near else ""
        raise RefError(f"no policy {policy!r} in {display_path(store_root)}{hint}")
    if not store.versions(policy):
        raise RefError(f"policy {policy!r} has no versions in {display_path(store_root)}")
    return store


def _stated_provisions(entry: VersionEntry) -> dict[str, Any]:
    provisions = version_front(entry).get("provisions")
    return {str(k): v for k, v in provisions.items()} if isinstance(provisions, dict) else {}


def _specs(declared: tuple[ProvisionSpec, ...],
           stated: list[dict[str, Any]]) -> list[ProvisionSpec]:
    """Manifest provisions that some version states, then the others in order of appearance."""
    seen = list(dict.fromkeys(pid for record in stated for pid in record))
    specs = [spec for spec in declared if spec.id in seen]
    declared_ids = {spec.id for spec in declared}
    for pid in seen:
        if pid not in declared_ids:
            first = next((record[pid] for record in stated if record.get(pid) is not None), None)
            specs.append(default_spec(pid, first))
    return specs


def _select(specs: list[ProvisionSpec], wanted: list[str] | None,
            policy: str) -> list[ProvisionSpec]:
    """Keep the provisions asked for, in the order asked; an unknown id is a user error."""
    if not wanted:
        return specs
    by_id = {spec.id: spec for spec in specs}
    for pid in wanted:
        if pid not in by_id:
            raise UsageError(f"{policy} has no provision {pid!r}; its provisions: "
                             f"{', '.join(by_id) or '(none)'}")
    return [by_id[pid] for pid in dict.fromkeys(wanted)]


def _cells(spec: ProvisionSpec, values: list[Any],
           columns: tuple[VersionColumn, ...]) -> tuple[Cell, ...]:
    cells: list[Cell] = []
    previous: Any = None
    last: tuple[str, Any] | None = None  # (version, value) of the last version stating it
    silent: list[str] = []  # the versions since `last` that do not state it
    for index, (value, column) in enumerate(zip(values, columns)):
        step = compare_one(spec, previous, value)
        if step.change == "stated" and last is not None:
            step = with_last_value(spec, step, last[0], last[1], tuple(silent))
        cells.append(Cell(step.new, step if index else None))
        if value is not None:
            last, silent = (column.version, value), []
        else:
            silent.append(column.version)
        previous = value
    return tuple(cells)
