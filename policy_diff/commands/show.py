"""`policy-diff show`: one record laid out for reading."""

from __future__ import annotations

from typing import Annotated

import typer

from .options import Color, ColorOption, PagerOption, StoreOption, WidthOption
from .output import show as emit


def show(
    ref: Annotated[str, typer.Argument(metavar="REF", help="A record: PATH, POLICY@VERSION, POLICY or -.")],
    store: StoreOption = None, color: ColorOption = Color.auto, width: WidthOption = None,
    pager: PagerOption = True,
) -> int:
    """Show one record laid out for reading."""
    # The parser and the view are imported when the command runs: the CLI imports every
    # command to build itself, and the other commands' start-up would pay for them.
    from ..parse.document import parse
    from ..source.refs import resolve
    from ..source.store import Store, find_store
    from ..views.record import body_of, show_record

    root = find_store(store)
    source = resolve(ref, root)
    doc = parse(source.text, source.path)
    manifest = Store(root).manifest(source.policy) if root and source.policy else None
    emit(show_record(doc, manifest, body_of(source.text, source.path)), color.value, width,
         pager, crop=False)  # a URL runs on whole rather than be cut
    return 0
