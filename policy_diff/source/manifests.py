"""A policy's manifest, `policy.yaml`: the key provisions every version of it states (record-format §3)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..model import Manifest, ProvisionSpec, Side, label_from_id
from ..parse.yaml_load import load_mapping
from .files import check_inside, display_path, read_text

MANIFEST = "policy.yaml"


def load_manifest(path: Path) -> Manifest:
    """Build the manifest from policy.yaml, skipping malformed entries (validate reports them)."""
    data = load_mapping(read_text(path), display_path(path))
    raw = data.get("provisions")
    specs = []
    for provision_id, spec in (raw.items() if isinstance(raw, dict) else []):
        if isinstance(spec, dict):
            specs.append(provision_spec(provision_id, spec))
    title = data.get("title")
    return Manifest(policy=str(data.get("policy", path.parent.name)),
                    title=title if isinstance(title, str) else None, provisions=tuple(specs))


def provision_spec(provision_id: str, spec: dict[str, Any]) -> ProvisionSpec:
    def text(key: str, default: str | None) -> str | None:
        value = spec.get(key)
        return value if isinstance(value, str) else default

    scale = spec.get("scale")
    return ProvisionSpec(
        id=provision_id, label=text("label", None) or label_from_id(provision_id),
        kind=text("kind", "text") or "text", section=text("section", None), all=text("all", None),
        scale=tuple(str(s) for s in scale) if isinstance(scale, list) else (),
        toward_start=text("toward_start", "up") or "up",
        toward_end=text("toward_end", "down") or "down")


def manifest_for(*sides: Side) -> Manifest | None:
    """The manifest beside the newer record, else beside the older one."""
    for side in reversed(sides):
        if side.home is not None and (Path(side.home) / MANIFEST).is_file():
            return manifest_beside(Path(side.home))
    return None


def manifest_beside(folder: Path) -> Manifest | None:
    """FOLDER's policy.yaml read as the store reads it: a link out of the folder's store (the
    folder's parent) is refused, and a FIFO is never opened."""
    path = folder / MANIFEST
    if not path.is_file():  # absent, or a FIFO: none, as Store.manifest has it
        return None
    check_inside(path, folder.parent)
    return load_manifest(path)
