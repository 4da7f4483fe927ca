"""Hostile input, encodings: a file that is not UTF-8 text is one located error; any line ends
give the same diff. The classes and what the tool does with each are tabled in
docs/hostile-input.md.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from conftest import write
from hostile import UTF8_RECORD, Run, assert_error, diff_json


@pytest.mark.parametrize("name, data, fragments", [
    ("invalid UTF-8", b"---\npolicy: p\n---\n## A\nbad \xff\xfe here\n", [":5:", "not valid UTF-8"]),
    ("UTF-16 with BOM", UTF8_RECORD.encode("utf-16"), [":1:", "UTF-16"]),
    ("UTF-16 without BOM", UTF8_RECORD.encode("utf-16-le"), [":1:", "NUL byte"]),
    ("UTF-32 with BOM", UTF8_RECORD.encode("utf-32"), [":1:", "UTF-32"]),
    ("NUL in the body", b"## A\n\nhel\x00lo\n", [":3:", "NUL byte"]),
    ("NUL in front matter", b"---\npolicy: p\x00\n---\n", [":2:", "NUL byte"]),
    ("a PNG", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8, ["NUL byte"]),
    ("a lone continuation byte", b"## A\n\n\x80\n", [":3:", "0x80"]),
    ("an overlong encoding", b"## A\n\n\xc0\xaf\n", [":3:", "0xc0"]),
    ("an encoded surrogate", b"## A\n\n\xed\xa0\x80\n", [":3:", "0xed"]),
])
def test_a_file_that_is_not_utf8_text_is_one_error_naming_the_line(
        run: Run, tmp_path: Path, name: str, data: bytes, fragments: list[str]) -> None:
    bad = tmp_path / "bad.md"
    bad.write_bytes(data)
    good = write(tmp_path / "good.md", UTF8_RECORD)
    for args in (["diff", str(good), str(bad)], ["show", str(bad)],
                 ["diff", str(bad), str(good), "--format", "html"]):
        assert_error(run(*args), "bad.md", *fragments)
    result = run("validate", str(bad))
    assert result.code == 1 and fragments[-1] in result.out and "Traceback" not in result.err


def test_binary_on_standard_input_is_one_error(run: Run, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    good = write(tmp_path / "good.md", UTF8_RECORD)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"\xff\xfe\x00b\x00")))
    assert_error(run("diff", "-", str(good)), "<stdin>:1:", "UTF-16")


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\n", "mixed"])
def test_any_line_ends_give_the_same_diff_and_line_numbers(run: Run, tmp_path: Path,
                                                           newline: str) -> None:
    lines = ["---", "policy: p", "---", "# T", "", "## A", "one", "two", "", "## B",
             "three little words"]
    if newline == "mixed":
        text = "".join(line + ("\r\n", "\n", "\r")[i % 3] for i, line in enumerate(lines))
    else:
        text = newline.join(lines) + newline
    old = tmp_path / "old.md"
    old.write_bytes(text.encode())
    new = write(tmp_path / "new.md", "\n".join(lines).replace("little", "small") + "\n")
    data = diff_json(run, old, new)
    block = data["sections"][1]["blocks"][0]
    assert (block["old"], block["new"], block["old_line"], block["new_line"]) == \
        ("three little words", "three small words", 11, 11)
    assert data["sections"][0]["blocks"][0]["old"] == "one\ntwo"  # no stray \r in the text
