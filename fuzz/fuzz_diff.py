"""Coverage-guided fuzzing of the parser and the diff (atheris; see fuzz/README.md).

Each input is split into two records.  Both are decoded and parsed as a user's files
would be, compared, and drawn in every format; the run stops on the first input that

- raises anything but PolicyDiffError (a traceback a user would see),
- breaks a promise of spec/diff-json.md (tests/diffcheck.py: ops rebuild both sides,
  every block once, `identical` right), or finds a record different from itself,
- gives different JSON for the same inputs (determinism),
- lets a control character reach the terminal view, or a tag of the input reach the
  HTML report.

Not part of the test suite: run it by hand, for a bounded time (fuzz/README.md).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import atheris

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

with atheris.instrument_imports(include=["policy_diff", "markdown_it", "yaml"]):
    from policy_diff.diff.compare import compare
    from policy_diff.errors import PolicyDiffError
    from policy_diff.model import Side
    from policy_diff.parse.document import parse
    from policy_diff.views.html import to_html
    from policy_diff.views.json import to_json
    from policy_diff.views.text.layout import render
    from policy_diff.views.markdown import to_markdown
    from policy_diff.views.terminal import render_diff
    from policy_diff.source.files import decode

from diffcheck import check_diff  # noqa: E402  (tests/ is on the path above)

SGR = re.compile(r"\x1b\[[0-9;]*m")  # the colour codes rich itself writes
# What must never reach a terminal from a record (tab and newline are fine).
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u200e\u200f\u2028-\u202e\u2060-\u206f"
                    "\ufeff\ud800-\udfff]")
HTML_TAG = re.compile(r"<([A-Za-z][A-Za-z0-9-]*)")
# code and s draw a record's inline Markdown (views/inline.py)
OUR_TAGS = frozenset("html head meta title style body header h1 h2 h3 p dl dt dd span section "
                     "table colgroup col thead tbody tr th td input div label main details "
                     "summary del ins em strong s code br".split())


def side(name: str, data: bytes, lenient: bool, strict_bytes: bool) -> Side | None:
    """Parse as the CLI reads a file, or (most inputs) from the bytes made into text.

    Random bytes are rarely UTF-8 and often hold NUL, which `decode` refuses up front;
    forcing them into text keeps most runs on the parser and the diff.
    """
    try:
        text = decode(data, name) if strict_bytes else \
            data.decode("utf-8", "replace").replace("\x00", "")
        document = parse(text, name, lenient=lenient)
    except PolicyDiffError:
        return None
    return Side(name, name, None, None, document)


def terminal(result, color: str, side_by_side: bool) -> str:  # type: ignore[no-untyped-def]
    plain = color == "never"
    return render(render_diff(result, plain, 1, False, side_by_side), 80, colour=not plain)


def check_outputs(result, data: bytes, draw: int) -> None:  # type: ignore[no-untyped-def]
    text = to_json(result)
    assert text == to_json(result), "JSON is not deterministic"
    check_diff(json.loads(text), result.old.document, result.new.document)
    if draw & 1:
        for color, split in (("never", draw & 2), ("always", not draw & 2)):
            shown = SGR.sub("", terminal(result, color, bool(split)))
            found = UNSAFE.search(shown)
            assert found is None, f"terminal carries {found.group()!r}"
    if draw & 4:
        page = to_html(result)
        tags = {t.lower() for t in HTML_TAG.findall(page)}
        assert tags <= OUR_TAGS, f"live tags in the HTML: {tags - OUR_TAGS}"
        to_markdown(result)


def test_one_input(data: bytes) -> None:
    provider = atheris.FuzzedDataProvider(data)
    flags = provider.ConsumeIntInRange(0, 255)
    cut = provider.ConsumeIntInRange(0, max(0, provider.remaining_bytes()))
    rest = provider.ConsumeBytes(provider.remaining_bytes())
    old_bytes, new_bytes = rest[:cut], rest[cut:]
    lenient, strict = bool(flags & 8), flags & 0x30 == 0x30
    old = side("old.md", old_bytes, lenient, strict)
    new = side("new.md", new_bytes, lenient, strict)
    if old is None or new is None:
        return
    same = compare(old, old)
    assert same.identical, "a record differs from itself"
    check_outputs(compare(old, new), data, flags)


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
