"""The text of a circulated paper (Word, PDF or plain text), to check what it printed
(the audit trail's witness lines) against the data as it is now."""

from __future__ import annotations

from pathlib import Path


def paper_text(path: Path) -> str:
    """Every paragraph and table cell of a .docx, every page of a .pdf, or the file as text."""
    suffix = path.suffix.lower()
    if suffix == ".docx":
        from docx import Document

        document = Document(str(path))
        lines = [p.text for p in document.paragraphs]
        lines += [c.text for t in document.tables for row in t.rows for c in row.cells]
        return "\n".join(lines)
    if suffix == ".pdf":
        from pypdf import PdfReader

        return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)
    return path.read_text(encoding="utf-8", errors="replace")
