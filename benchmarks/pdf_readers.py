"""pypdf against pdfplumber on generated Korean PDFs: time per file and reading order.

    python benchmarks/pdf_readers.py [--write README.md]

Needs fpdf2 (the `test` extra), pdfplumber (the `bench` extra) and a Nanum font (from the
koreanize-matplotlib package or the OS's fonts-nanum). Four PDFs are made here, the way
``tests/test_formats.py`` makes its own: two pages with a running header and page numbers, thirty
pages, a narrow column wrapped at any character, and a page of two columns. "in order" means every
paragraph's opening words come out in the order they were written; time is the median of five reads.
"""

from __future__ import annotations

import glob
import importlib.util
import io
import os
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import Figure, argument_parser

FIGURE = Figure("pdf-readers", "python benchmarks/pdf_readers.py --write README.md")

PARAGRAPHS = [
    f"{n}번째 문단이다. 재단은 2021년 {n % 12 + 1}월 지역아동센터 {n * 3}곳에 학습 도구를 전달했으며, "
    f"임직원 {n * 10}명이 봉사활동에 참여해 아이들과 함께 독서 교실을 열었다."
    for n in range(1, 61)
]


def korean_font() -> str | None:
    """A Nanum TTF shipped with a package (koreanize-matplotlib, found without importing it) or
    with the OS (fonts-nanum), or None."""
    found = []
    spec = importlib.util.find_spec("koreanize_matplotlib")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        found += glob.glob(os.path.join(folder, "fonts", "NanumGothic.ttf"))
    found += glob.glob("/usr/share/fonts/truetype/nanum/NanumGothic.ttf")
    return found[0] if found else None


HEADER = "한빛나눔재단 2021 지속가능경영보고서"


def make_pdf(
    pages: list[list[str]], width: float = 0, wrap: str = "WORD", columns: int = 1, header: str = HEADER
) -> bytes:
    """An A5 PDF with one page per item of ``pages`` (its paragraphs), ``header`` on top of every
    page (none when empty) and its number at the bottom; ``width``: the text column's width in mm
    (0: the page's); ``columns``: 1, or 2 for a page of two columns. Needs fpdf2 and a Nanum font
    (:func:`korean_font`); ``tests/test_formats.py`` makes its PDFs with it too."""
    import fpdf
    from fpdf.enums import WrapMode

    pdf = fpdf.FPDF(format="A5")
    pdf.add_font("nanum", fname=korean_font())
    pdf.set_auto_page_break(False)
    for number, paragraphs in enumerate(pages, start=1):
        pdf.add_page()
        pdf.set_font("nanum", size=8)
        if header:
            pdf.cell(0, 6, header, align="C")
        pdf.ln(10)
        pdf.set_font("nanum", size=9 if columns > 1 else 11)
        if columns > 1:
            col_w = (pdf.w - pdf.l_margin - pdf.r_margin - 6) / 2
            half = (len(paragraphs) + 1) // 2
            top = pdf.get_y()
            for c, part in enumerate((paragraphs[:half], paragraphs[half:])):
                pdf.set_xy(pdf.l_margin + c * (col_w + 6), top)
                for p in part:
                    pdf.set_x(pdf.l_margin + c * (col_w + 6))
                    pdf.multi_cell(col_w, 5, p, wrapmode=WrapMode[wrap], new_x="LEFT", new_y="NEXT")
                    pdf.ln(2)
        else:
            for p in paragraphs:
                pdf.multi_cell(width, 6, p, wrapmode=WrapMode[wrap], new_x="LMARGIN", new_y="NEXT")
                pdf.ln(3)
        pdf.set_y(-15)
        pdf.set_font("nanum", size=8)
        pdf.cell(0, 6, f"- {number} -", align="C")
    return bytes(pdf.output())


def read_pypdf(data: bytes) -> str:
    import pypdf

    return "\n".join(page.extract_text() or "" for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def read_pdfplumber(data: bytes) -> str:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def in_order(text: str, paragraphs: list[str]) -> bool:
    """Whether each paragraph's opening words (``N번째 문단이다``) come out once, in order."""
    squeezed = re.sub(r"\s+", "", text)
    positions = [squeezed.find(re.sub(r"\s+", "", p[: p.index(".")])) for p in paragraphs]
    return all(p >= 0 for p in positions) and positions == sorted(positions)


def measure(read: Callable[[bytes], str], data: bytes, paragraphs: list[str]) -> str:
    times = []
    for _ in range(5):
        t = time.perf_counter()
        text = read(data)
        times.append(time.perf_counter() - t)
    order = "in order" if in_order(text, paragraphs) else "**paragraphs out of order**"
    return f"{statistics.median(times) * 1000:.1f} ms, {order}"


def cases() -> list[tuple[str, bytes, list[str]]]:
    two = [PARAGRAPHS[:4], PARAGRAPHS[4:8]]
    thirty = [PARAGRAPHS[(2 * k) % 60 : (2 * k) % 60 + 2] for k in range(30)]
    return [
        ("2 pages, running header and page numbers", make_pdf(two), [p for page in two for p in page]),
        ("30 pages", make_pdf(thirty), [p for page in thirty for p in page]),
        (
            "a narrow column wrapped at any character",
            make_pdf([PARAGRAPHS[:3]], width=40, wrap="CHAR"),
            PARAGRAPHS[:3],
        ),
        ("two columns", make_pdf([PARAGRAPHS[:6]], columns=2), PARAGRAPHS[:6]),
    ]


def main(argv: list[str] | None = None) -> int:
    args = argument_parser(__doc__, "README.md").parse_args(argv)
    if korean_font() is None:
        print("no Korean font: install fonts-nanum or koreanize-matplotlib", file=sys.stderr)
        return 2
    lines = ["| PDF | pypdf | pdfplumber |", "|---|---|---|"]
    for name, data, paragraphs in cases():
        lines.append(
            f"| {name} | {measure(read_pypdf, data, paragraphs)} | {measure(read_pdfplumber, data, paragraphs)} |"
        )
    FIGURE.publish("\n".join(lines), args.write)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
