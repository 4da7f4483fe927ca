"""policy-diff: provision-aware, move-aware diffs of versioned policy records.

The library, stage by stage (the CLI is a thin layer over these):

    >>> import policy_diff
    >>> old, new = policy_diff.load_pair("policies/us-apl/2020-01-31.md",
    ...                                  "policies/us-apl/2022-06-21.md", store=None)
    >>> diff = policy_diff.compare(old, new, policy_diff.manifest_for(old, new))
    >>> [p.change for p in diff.provisions if p.id == "geographic_scope"]
    ['narrowed']
    >>> policy_diff.render_json(diff).startswith('{\\n  "format": "policy-diff/2"')
    True

Names load on first use, so that importing one stage (as the git hooks and the diff driver
do) does not import them all.
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import PolicyDiffError, RecordError, RefError, UsageError

if TYPE_CHECKING:
    from .model import Side

__all__ = ["PolicyDiffError", "RecordError", "RefError", "UsageError", "load", "load_pair",
           "manifest_for", "compare", "render_json", "render_markdown", "render_html"]
__version__ = "0.1.0"

# public name -> (module, name there)
_LAZY = {
    "manifest_for": (".source.manifests", "manifest_for"),
    "compare": (".diff.compare", "compare"),
    "render_json": (".views.json", "to_json"),
    "render_markdown": (".views.markdown", "to_markdown"),
    "render_html": (".views.html", "to_html"),
}


def load(ref: str, store: str | None = None) -> Side:
    """One version, by any ref (a path, POLICY@VERSION, REV:PATH), parsed into a Side.
    STORE: the policies/ folder (default: as the CLI finds it)."""
    # refs and the store (10 ms): the hooks, the driver and --help import this package
    from .source.refs import load_side
    from .source.store import find_store

    return load_side(ref, find_store(store))


def load_pair(old: str, new: str, store: str | Path | None = None) -> tuple[Side, Side]:
    """Both sides of a comparison (a side whose front matter is not strict YAML makes the
    other's compared as text too, as the CLI does)."""
    # refs and the store (10 ms): see load
    from .source.refs import load_pair as pair
    from .source.store import find_store

    return pair(old, new, find_store(str(store) if store is not None else None))


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'policy_diff' has no attribute {name!r}")
    module, attribute = _LAZY[name]
    value = getattr(import_module(module, __name__), attribute)
    globals()[name] = value  # once: the next use is a plain lookup
    return value
