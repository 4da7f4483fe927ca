"""Documents the converter tests build: Word files with python-docx, PDFs printed by LibreOffice."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parent / "data" / "docs"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def policy_docx(path: Path, order: tuple[str, ...] = ("Scope", "Authority", "Stockpile"),
                authority: str = "Only the President may authorize the use of landmines.",
                header: str | None = None, pages: int = 1) -> Path:
    """A small policy: Title, Heading 1 sections, paragraphs; optionally a running header."""
    import docx

    texts = {"Scope": ["The United States will not use landmines outside the Korean Peninsula."],
             "Authority": [authority],
             "Stockpile": ["Destroy all stockpiled landmines not required for the defense of "
                           "Korea.", "Report on the stockpile every year."]}
    document = docx.Document()
    if header:
        document.sections[0].header.paragraphs[0].text = header
        document.sections[0].footer.paragraphs[0].text = header + " (footer)"
    document.add_paragraph("Landmine Policy", style="Title")
    for page in range(pages):
        for name in order:
            document.add_heading(f"{name} {page + 1}" if pages > 1 else name, 1)
            for text in texts[name] * (6 if pages > 1 else 1):
                document.add_paragraph(text)
    document.save(path)
    return path


def structured_docx(path: Path) -> Path:
    """Title, Heading 1-3, a custom style based on Heading 2, an outline-level style,
    bulleted and numbered lists, a table."""
    import docx
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml import parse_xml

    document = docx.Document()
    document.add_paragraph("Mine Policy", style="Title")
    document.add_heading("Scope", 1)
    document.add_paragraph("Applies everywhere.")
    document.add_heading("Details", 2)
    document.add_heading("Fine print", 3)
    clause = document.styles.add_style("Policy Clause", WD_STYLE_TYPE.PARAGRAPH)
    clause.base_style = document.styles["Heading 2"]
    document.add_paragraph("Custom clause", style="Policy Clause")
    outlined = document.styles.add_style("Corporate Part", WD_STYLE_TYPE.PARAGRAPH)
    outlined.element.get_or_add_pPr().append(parse_xml(f'<w:outlineLvl xmlns:w="{W_NS}" '
                                                       f'w:val="0"/>'))
    document.add_paragraph("Outlined part", style="Corporate Part")
    document.add_paragraph("first bullet", style="List Bullet")
    document.add_paragraph("second bullet", style="List Bullet")
    document.add_paragraph("step one", style="List Number")
    document.add_paragraph("step two", style="List Number")
    table = document.add_table(rows=2, cols=2)
    for (row, col), text in {(0, 0): "Who", (0, 1): "May", (1, 0): "President",
                             (1, 1): "authorize"}.items():
        table.cell(row, col).text = text
    document.save(path)
    return path


def tracked_docx(path: Path) -> Path:
    """'The President may authorize use.' with 'Secretary' inserted, 'President' deleted,
    and a whole paragraph inserted."""
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    document.add_heading("Authority", 1)
    paragraph = document.add_paragraph()
    attrs = 'w:author="Ann" w:date="2025-01-01T00:00:00Z"'
    for xml in ('<w:r><w:t xml:space="preserve">The </w:t></w:r>',
                f'<w:del w:id="1" {attrs}><w:r><w:delText>President</w:delText></w:r></w:del>',
                f'<w:ins w:id="2" {attrs}><w:r><w:t>Secretary</w:t></w:r></w:ins>',
                '<w:r><w:t xml:space="preserve"> may authorize use.</w:t></w:r>'):
        paragraph._p.append(parse_xml(_ns(xml)))
    added = document.add_paragraph()
    added._p.get_or_add_pPr().append(parse_xml(_ns(f'<w:rPr><w:ins w:id="3" {attrs}/></w:rPr>')))
    added._p.append(parse_xml(_ns(f'<w:ins w:id="4" {attrs}><w:r><w:t>A new rule.</w:t></w:r>'
                                  f'</w:ins>')))
    document.save(path)
    return path


def _ns(xml: str) -> str:
    """Declare the w: namespace on an XML fragment's first element."""
    end = xml.index(">")
    if xml[end - 1] == "/":
        end -= 1
    return xml[:end] + f' xmlns:w="{W_NS}"' + xml[end:]


def soffice() -> str:
    program = shutil.which("soffice") or shutil.which("libreoffice")
    if program is None:
        pytest.skip("no LibreOffice (apt-get install libreoffice-writer-nogui)")
    return program


def print_pdf(docx_path: Path, tagged: bool = False) -> Path:
    """The PDF LibreOffice prints of a Word file (its own profile: runs may overlap)."""
    folder = docx_path.parent
    target = "pdf:writer_pdf_Export:{\"UseTaggedPDF\":{\"type\":\"boolean\",\"value\":\"true\"}}" \
        if tagged else "pdf"
    subprocess.run([soffice(), f"-env:UserInstallation=file://{folder}/lo-profile", "--headless",
                    "--convert-to", target, "--outdir", str(folder), str(docx_path)],
                   capture_output=True, timeout=180, check=False)
    pdf = docx_path.with_suffix(".pdf")
    assert pdf.is_file(), "LibreOffice printed no PDF"
    return pdf
