"""A plain text page for the platform's PDFs (the receipt, the decision letter): lines and
wrapped paragraphs top-down on A4, a new page when one is full.

Page streams are left uncompressed so that what a PDF says (a reference, a hash, the absence
of a reviewer's name) can be read from its bytes by anyone and by the tests.
"""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas


def wrap(text: str, width: int = 90) -> list[str]:
    """``text`` cut into lines of at most ``width`` characters at spaces; its own line breaks
    are kept (an empty line stays one)."""
    lines = []
    for paragraph in text.splitlines() or [""]:
        current = ""
        for word in paragraph.split():
            if len(current) + len(word) + 1 > width and current:
                lines.append(current)
                current = word
            else:
                current = f"{current} {word}".strip()
        lines.append(current)
    return lines


class TextPage:
    """Write lines from the top of an A4 page down; ``bytes()`` closes the document."""

    def __init__(self, *, title: str, author: str) -> None:
        self._buffer = io.BytesIO()
        self._pdf = canvas.Canvas(self._buffer, pagesize=A4, pageCompression=0, invariant=1)
        self._pdf.setTitle(title)
        self._pdf.setAuthor(author)
        self._top = A4[1] - 25 * mm
        self.y = self._top

    def line(self, text: str, *, size: int = 10, bold: bool = False, gap: float = 5.5) -> None:
        if self.y < 20 * mm:
            self._pdf.showPage()
            self.y = self._top
        self._pdf.setFont("Helvetica-Bold" if bold else "Helvetica", size)
        self._pdf.drawString(20 * mm, self.y, text)
        self.y -= gap * mm

    def paragraph(self, text: str, *, size: int = 10, gap: float = 5.5, width: int = 90) -> None:
        for text_line in wrap(text, width):
            self.line(text_line, size=size, gap=gap)

    def space(self, millimetres: float) -> None:
        self.y -= millimetres * mm

    def bytes(self) -> bytes:
        self._pdf.showPage()
        self._pdf.save()
        return self._buffer.getvalue()
