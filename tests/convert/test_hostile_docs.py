"""Hostile Word, PDF and web-page files: a located one-line error or a bounded run, never a
traceback, a hang or a network access (docs/hostile-input.md, "Documents")."""

from __future__ import annotations

import io
import subprocess
import time
import zipfile
import zlib
from pathlib import Path
from typing import Callable

import pytest

from conftest import Result
from docbuild import DOCS, policy_docx, soffice

pytest.importorskip("docx")
pytest.importorskip("pdfminer")
pytest.importorskip("bs4")

Run = Callable[..., Result]
SECONDS = 20  # every case here ends well within this on the 2-core machine


def imported(run: Run, path: Path, *options: str) -> tuple[Result, float]:
    start = time.perf_counter()
    result = run("import", str(path), "-o", str(path.with_suffix(".md")), "--policy", "x",
                 "--effective", "2024-01-01", *options)
    return result, time.perf_counter() - start


def assert_refused(run: Run, path: Path, *fragments: str) -> None:
    result, seconds = imported(run, path)
    assert seconds < SECONDS
    assert result.code == 2 and result.out == "", result
    lines = result.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("policy-diff: error: "), result.err
    assert str(path) in lines[0]  # located: it names the file
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    assert not path.with_suffix(".md").exists()


def docx_with(tmp_path: Path, name: str, parts: dict[str, bytes]) -> Path:
    """A real python-docx document with some parts replaced or added."""
    base = policy_docx(tmp_path / "base.docx")
    out = io.BytesIO()
    with zipfile.ZipFile(base) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zip_:
        for item in source.infolist():
            if item.filename not in parts:
                zip_.writestr(item, source.read(item))
        for part, data in parts.items():
            zip_.writestr(part, data)
    path = tmp_path / name
    path.write_bytes(out.getvalue())
    return path


DOCUMENT = ('<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            '<w:body><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:body></w:document>')


def test_zip_bomb(run: Run, tmp_path: Path) -> None:
    bomb = DOCUMENT.format(" " * 30_000_000).encode()
    assert_refused(run, docx_with(tmp_path, "bomb.docx", {"word/document.xml": bomb}),
                   "zip bomb")


def test_billion_laughs(run: Run, tmp_path: Path) -> None:
    entities = '<!ENTITY a "lol">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9))
    xml = f'<?xml version="1.0"?><!DOCTYPE w:document [{entities}]>' + DOCUMENT.format("&j;")
    assert_refused(run, docx_with(tmp_path, "laughs.docx", {"word/document.xml": xml.encode()}),
                   "word/document.xml", "DTD or entities")


@pytest.mark.parametrize("target", ["file:///etc/passwd", "http://127.0.0.1:9/x"])
def test_external_entity(run: Run, tmp_path: Path, target: str) -> None:
    xml = (f'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY x SYSTEM "{target}">]>'
           + DOCUMENT.format("&x;"))
    assert_refused(run, docx_with(tmp_path, "xxe.docx", {"word/document.xml": xml.encode()}),
                   "external entities")


def test_external_entity_in_a_styles_part(run: Run, tmp_path: Path) -> None:
    xml = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'
    assert_refused(run, docx_with(tmp_path, "styles.docx", {"word/styles.xml": xml}),
                   "word/styles.xml")


def test_malformed_word_files(run: Run, tmp_path: Path) -> None:
    text = tmp_path / "text.docx"
    text.write_text("just text\n")
    assert_refused(run, text, "no zip signature")
    truncated = tmp_path / "truncated.docx"
    truncated.write_bytes(policy_docx(tmp_path / "whole.docx").read_bytes()[:4000])
    assert_refused(run, truncated, "broken zip")
    broken = docx_with(tmp_path, "broken.docx", {"word/document.xml": b"<w:document><w:body>"})
    assert_refused(run, broken, "word/document.xml", "not well-formed XML")
    empty = tmp_path / "empty.docx"
    with zipfile.ZipFile(empty, "w") as zip_:
        zip_.writestr("hello.txt", "hi")
    assert_refused(run, empty, "no main document part")


def test_password_protected_word_file(run: Run, tmp_path: Path) -> None:
    # Word saves a password-protected .docx as an OLE compound file holding the encrypted zip.
    locked = tmp_path / "locked.docx"
    locked.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096))
    assert_refused(run, locked, "password-protected")


def test_huge_image_in_a_word_file_is_not_decoded(run: Run, tmp_path: Path) -> None:
    # A 40 MB "image" of zeros (PNG header, impossible size): never decoded, only skipped.
    image = b"\x89PNG\r\n\x1a\n" + bytes(40_000_000)
    path = docx_with(tmp_path, "image.docx", {"word/media/image1.png": image})
    result, seconds = imported(run, path)
    assert seconds < SECONDS
    # Zeros inflate 1000:1: refused as a bomb, which is what such a file is.
    assert result.code == 2 and "zip bomb" in result.err and "Traceback" not in result.err


def minimal_pdf(content: bytes, extra_objects: list[bytes] = (), filter_: str = "") -> bytes:
    """A one-page PDF whose page content stream is CONTENT (already encoded per FILTER)."""
    resources = b"/Resources << /XObject << /Im1 5 0 R >> >>" if extra_objects else b""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
               + resources + b" >>",
               (f"<< /Length {len(content)}{' /Filter /' + filter_ if filter_ else ''} >>\n"
                f"stream\n").encode() + content + b"\nendstream",
               *extra_objects]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n"
            f"%%EOF\n").encode()
    return bytes(out)


def test_pdf_compression_bomb(run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POLICY_DIFF_MAX_PDF_STREAM", "5000000")
    bomb = zlib.compress(b"BT ET " * 2_000_000, 9)  # 12 MB of no-op text objects
    path = tmp_path / "bomb.pdf"
    path.write_bytes(minimal_pdf(bomb, filter_="FlateDecode"))
    assert_refused(run, path, "compression bomb", "POLICY_DIFF_MAX_PDF_STREAM")


def test_pdf_huge_image_is_not_decoded(run: Run, tmp_path: Path) -> None:
    image = zlib.compress(bytes(50_000_000), 9)
    xobject = (b"<< /Type /XObject /Subtype /Image /Width 100000 /Height 100000 /ColorSpace "
               b"/DeviceRGB /BitsPerComponent 8 /Filter /FlateDecode /Length "
               + str(len(image)).encode() + b" >>\nstream\n" + image + b"\nendstream")
    path = tmp_path / "image.pdf"
    path.write_bytes(minimal_pdf(b"q 612 0 0 792 0 0 cm /Im1 Do Q BT /F1 12 Tf ET",
                                 [xobject]))
    result, seconds = imported(run, path)
    assert seconds < SECONDS and "Traceback" not in result.err
    assert result.code in (0, 1, 2)


def test_malformed_pdfs(run: Run, tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.pdf"
    garbage.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40)
    result, seconds = imported(run, garbage)
    assert seconds < SECONDS and "Traceback" not in result.err and result.code in (0, 1, 2)
    named = tmp_path / "named.pdf"
    named.write_text("not a pdf at all\n")
    assert_refused(run, named, "does not start with %PDF-")
    truncated = tmp_path / "truncated.pdf"
    truncated.write_bytes((DOCS / "federal-register-2020-17221.pdf").read_bytes()[:60_000])
    result, seconds = imported(run, truncated)
    assert seconds < SECONDS and "Traceback" not in result.err and result.code in (0, 1, 2)


def test_encrypted_pdf(run: Run, tmp_path: Path) -> None:
    program = soffice()
    source = policy_docx(tmp_path / "secret.docx")
    options = ('pdf:writer_pdf_Export:{"EncryptFile":{"type":"boolean","value":"true"},'
               '"DocumentOpenPassword":{"type":"string","value":"s3cret"}}')
    subprocess.run([program, f"-env:UserInstallation=file://{tmp_path}/lo", "--headless",
                    "--convert-to", options, "--outdir", str(tmp_path), str(source)],
                   capture_output=True, timeout=180, check=False)
    assert (tmp_path / "secret.pdf").is_file()
    assert_refused(run, tmp_path / "secret.pdf", "encrypted")


def test_deeply_nested_web_page(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "deep.html"
    path.write_text("<html><body><main>" + "<div>" * 50_000 + "deep" + "</div>" * 50_000 +
                    "</main></body></html>")
    result, seconds = imported(run, path)
    assert seconds < SECONDS and "Traceback" not in result.err
    assert result.code == 2 and "nested" in result.err


def test_web_page_entities_and_scripts_stay_text(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text('<!DOCTYPE html [<!ENTITY x SYSTEM "file:///etc/passwd">]><html><body><main>'
                    '<h1>Policy</h1><p>&x; &lt;b&gt; safe</p><script>alert(1)</script>'
                    '<img src="http://127.0.0.1:9/track.png"></main></body></html>')
    result, _ = imported(run, path)
    assert result.code == 0, result.err
    text = path.with_suffix(".md").read_text()
    assert "root:" not in text and "alert" not in text and "127.0.0.1" not in text


def test_diff_of_a_hostile_document_is_one_line(run: Run, tmp_path: Path) -> None:
    good = policy_docx(tmp_path / "good.docx")
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"PK\x03\x04" + bytes(100))
    result = run("diff", str(good), str(bad))
    assert result.code == 2 and result.err.count("\n") == 1 and str(bad) in result.err
