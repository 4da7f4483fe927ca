"""Time to read a 50-page Word document and its PDF into a record, against peers.

    pip install -e '.[docx,pdf,html]'; apt-get install libreoffice-writer-nogui poppler-utils
    python bench/documents.py            # about a minute; prints a Markdown table

The Word document is built with python-docx (Title, 50 pages of Heading 1/2 sections, lists,
a table per page, a running header) and printed to PDF by LibreOffice.  Each reader runs
in this process (start-up excluded), median of 5 rounds, readers taking turns.  Peers:
python-docx's own paragraph text (no headings, lists or tables), pdfminer.six's plain
`extract_text` (no structure) and poppler's `pdftotext` (a C program, as a whole process).
"""

from __future__ import annotations

import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

PAGES = 50
ROUNDS = 5
SENTENCE = ("The Secretary of Defense may authorize the use of anti-personnel landmines in "
            "combat zones when commanders certify that no other means will do. ")


def build(folder: Path) -> tuple[Path, Path | None]:
    import docx

    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "Landmine Policy - Draft for review"
    document.add_paragraph("Landmine Policy", style="Title")
    for page in range(1, PAGES + 1):
        document.add_heading(f"Part {page}", 1)
        document.add_heading(f"Scope of part {page}", 2)
        for _ in range(3):
            document.add_paragraph(SENTENCE * 4)
        for item in range(3):
            document.add_paragraph(f"Condition {item + 1} of part {page}", style="List Bullet")
        table = document.add_table(rows=2, cols=3)
        for col, text in enumerate(("Who", "May", "When")):
            table.cell(0, col).text = text
            table.cell(1, col).text = f"{text} {page}"
        document.add_page_break()
    path = folder / "policy-50.docx"
    document.save(path)
    soffice = shutil.which("soffice")
    if soffice is None:
        return path, None
    subprocess.run([soffice, f"-env:UserInstallation=file://{folder}/lo", "--headless",
                    "--convert-to", "pdf", "--outdir", str(folder), str(path)],
                   capture_output=True, timeout=300, check=False)
    pdf = path.with_suffix(".pdf")
    return path, pdf if pdf.is_file() else None


def median_time(work: Callable[[], object]) -> float:
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    from policy_diff.convert.pick import convert

    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        word, pdf = build(folder)
        rows: list[tuple[str, str, float]] = []
        data = word.read_bytes()

        def paragraph_text() -> object:
            import docx

            return [p.text for p in docx.Document(str(word)).paragraphs]

        rows.append(("Word", "policy-diff import (headings, lists, tables)",
                     median_time(lambda: convert(data, word.name))))
        rows.append(("Word", "python-docx paragraph text (peer)", median_time(paragraph_text)))
        if pdf is not None:
            pdf_data = pdf.read_bytes()
            from pdfminer.high_level import extract_text

            pages = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                                   check=False).stdout if shutil.which("pdfinfo") else ""
            count = next((line.split()[-1] for line in pages.splitlines()
                          if line.startswith("Pages:")), "?")
            rows.append(("PDF", f"policy-diff import ({count} pages, headings guessed)",
                         median_time(lambda: convert(pdf_data, pdf.name))))
            rows.append(("PDF", "pdfminer.six extract_text (peer)",
                         median_time(lambda: extract_text(str(pdf)))))
            if shutil.which("pdftotext"):
                rows.append(("PDF", "pdftotext process (peer)", median_time(
                    lambda: subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True,
                                           check=True))))
    print(f"machine: {platform.machine()}, {platform.python_implementation()} "
          f"{platform.python_version()}; {PAGES} pages; medians of {ROUNDS}\n")
    print("| format | reader | seconds | ratio to the first peer |")
    print("|---|---|---:|---:|")
    for kind in ("Word", "PDF"):
        mine = [r for r in rows if r[0] == kind]
        if len(mine) < 2:
            continue
        peer = mine[1][2]
        for _, reader, seconds in mine:
            print(f"| {kind} | {reader} | {seconds:.3f} | {seconds / peer:.2f}× |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
