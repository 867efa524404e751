"""One document, three formats: board papers built once as a list of blocks (headings,
paragraphs, bullets, tables with coloured cells, chart images) and written as Word
(python-docx), PDF (ReportLab, pure Python, no office suite needed) or HTML.

Building the content once keeps the Word, PDF and HTML versions of a paper saying the
same thing; the writers only decide how each block looks.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import (
    Flowable,
    Image,
    KeepTogether,
    ListFlowable,
    ListItem,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from stpkit.errors import StpkitError


class DocumentError(StpkitError):
    """A paper cannot be written (no title, an image that is not a PNG)."""


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1  # 0 title, 1 section, 2 subsection


@dataclass(frozen=True)
class Para:
    text: str
    small: bool = False  # footnotes, the audit witness line
    mono: bool = False


@dataclass(frozen=True)
class Bullets:
    lines: tuple[str, ...]


@dataclass(frozen=True)
class TableBlock:
    """A table; `fills` gives a cell's background colour (hex "#rrggbb") by (row, column)
    of the body, for RAG cells. Every coloured cell also carries its text, so the table
    reads the same in black and white."""

    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    fills: dict[tuple[int, int], str] = field(default_factory=dict)
    widths: tuple[float, ...] = ()  # relative column widths; equal when empty
    empty: str = "None."


@dataclass(frozen=True)
class Picture:
    png: bytes
    caption: str
    width_cm: float = 16.0


Block = Heading | Para | Bullets | TableBlock | Picture


@dataclass(frozen=True)
class Paper:
    title: str
    blocks: tuple[Block, ...]
    landscape: bool = False


def day(value: date | None) -> str:
    """5 Mar 2018 (the date as people write it, never ISO)."""
    return "–" if value is None else f"{value.day} {value:%b %Y}"


# ---------------------------------------------------------------- Word


def _shade(cell: object, hex_colour: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), hex_colour.lstrip("#"))
    cell._tc.get_or_add_tcPr().append(shading)  # type: ignore[attr-defined]


def _text_on(hex_colour: str) -> str:
    """Black or white text, whichever reads better on the fill."""
    r, g, b = (int(hex_colour.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
    return "#000000" if (0.299 * r + 0.587 * g + 0.114 * b) > 150 else "#ffffff"


def to_docx(paper: Paper) -> bytes:
    if not paper.title.strip():
        raise DocumentError("the paper has no title")
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = "Arial"  # type: ignore[attr-defined]
    normal.font.size = Pt(10.5)  # type: ignore[attr-defined]
    document.core_properties.title = paper.title
    if paper.landscape:
        section = document.sections[0]
        section.page_width, section.page_height = section.page_height, section.page_width
    for block in paper.blocks:
        if isinstance(block, Heading):
            document.add_heading(block.text, level=block.level)
        elif isinstance(block, Para):
            run = document.add_paragraph().add_run(block.text)
            if block.small:
                run.font.size = Pt(8)
            if block.mono:
                run.font.name = "Courier New"
        elif isinstance(block, Bullets):
            for line in block.lines:
                document.add_paragraph(line, style="List Bullet")
        elif isinstance(block, TableBlock):
            _docx_table(document, block)
        else:
            document.add_picture(io.BytesIO(block.png), width=Cm(block.width_cm))
            document.add_paragraph().add_run(block.caption).italic = True
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _docx_table(document: object, block: TableBlock) -> None:
    caption = document.add_paragraph()  # type: ignore[attr-defined]
    caption.add_run(block.caption).bold = True
    if not block.rows:
        document.add_paragraph(block.empty)  # type: ignore[attr-defined]
        return
    table = document.add_table(rows=1, cols=len(block.columns))  # type: ignore[attr-defined]
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, block.columns, strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
        _shade(cell, "#e8edee")
    for r, row in enumerate(block.rows):
        cells = table.add_row().cells
        for c, (cell, text) in enumerate(zip(cells, row, strict=True)):
            cell.text = text
            fill = block.fills.get((r, c))
            if fill:
                _shade(cell, fill)
                for run in cell.paragraphs[0].runs:
                    run.font.color.rgb = RGBColor.from_string(_text_on(fill).lstrip("#"))
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(9)


# ---------------------------------------------------------------- PDF

# The PDF's standard fonts (Helvetica) encode WinAnsi: curly quotes, dashes, £ and
# accented letters print; anything else is replaced here rather than drawn as a box.
_WINANSI_EXTRA = set("€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ")


def _pdf_safe(text: str) -> str:
    out = []
    for ch in text:
        if ord(ch) < 256 or ch in _WINANSI_EXTRA:
            out.append(ch)
        elif ch in "≤≥":
            out.append("<=" if ch == "≤" else ">=")
        elif ch in "²³":
            out.append(ch)
        else:
            out.append("?")
    return html.escape("".join(out), quote=False)


def _styles() -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()
    return {
        "title": ParagraphStyle(
            "t", parent=base["Title"], fontSize=18, leading=22, alignment=TA_LEFT
        ),
        "h1": ParagraphStyle(
            "h1", parent=base["Heading1"], fontSize=14, leading=17, spaceBefore=10
        ),
        "h2": ParagraphStyle("h2", parent=base["Heading2"], fontSize=12, leading=15, spaceBefore=8),
        "body": ParagraphStyle("b", parent=base["BodyText"], fontSize=10, leading=13),
        "small": ParagraphStyle("s", parent=base["BodyText"], fontSize=7.5, leading=9.5),
        "mono": ParagraphStyle("m", parent=base["Code"], fontSize=7, leading=9),
        "cell": ParagraphStyle("c", parent=base["BodyText"], fontSize=8.5, leading=10.5),
        "caption": ParagraphStyle("cap", parent=base["Italic"], fontSize=9, leading=11),
    }


# PDF streams are written binary, not ASCII85 text: without ReportLab's optional C
# accelerator the pure-Python encoder took a quarter of a second per board pack for its
# two pictures, and binary streams are a fifth smaller. Every PDF reader reads both.
rl_config.useA85 = 0


def to_pdf(paper: Paper) -> bytes:
    if not paper.title.strip():
        raise DocumentError("the paper has no title")
    size = landscape(A4) if paper.landscape else A4
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=size,
        title=paper.title,
        leftMargin=1.8 * cm,
        rightMargin=1.8 * cm,
        topMargin=1.6 * cm,
        bottomMargin=1.6 * cm,
    )
    styles = _styles()
    story: list[Flowable] = []
    for block in paper.blocks:
        if isinstance(block, Heading):
            key = {0: "title", 1: "h1"}.get(block.level, "h2")
            story.append(Paragraph(_pdf_safe(block.text), styles[key]))
        elif isinstance(block, Para):
            key = "mono" if block.mono else "small" if block.small else "body"
            story.append(Paragraph(_pdf_safe(block.text), styles[key]))
        elif isinstance(block, Bullets):
            items = [ListItem(Paragraph(_pdf_safe(line), styles["body"])) for line in block.lines]
            story.append(ListFlowable(items, bulletType="bullet", leftIndent=12))
        elif isinstance(block, TableBlock):
            story.extend(_pdf_table(block, styles, doc.width))
        else:
            story.extend(_pdf_picture(block, styles, doc.width))
        story.append(Spacer(1, 4))
    doc.build(story)
    return out.getvalue()


def _pdf_table(
    block: TableBlock, styles: dict[str, ParagraphStyle], width: float
) -> list[Flowable]:
    caption = Paragraph(f"<b>{_pdf_safe(block.caption)}</b>", styles["body"])
    if not block.rows:
        return [caption, Paragraph(_pdf_safe(block.empty), styles["body"])]
    cell = styles["cell"]
    data = [[Paragraph(f"<b>{_pdf_safe(c)}</b>", cell) for c in block.columns]]
    for r, row in enumerate(block.rows):
        line = []
        for c, text in enumerate(row):
            fill = block.fills.get((r, c))
            style = cell
            if fill and _text_on(fill) == "#ffffff":
                style = ParagraphStyle("cw", parent=cell, textColor=colors.white)
            line.append(Paragraph(_pdf_safe(text), style))
        data.append(line)
    weights = block.widths or tuple(1.0 for _ in block.columns)
    total = sum(weights)
    table = Table(data, colWidths=[width * w / total for w in weights], repeatRows=1)
    commands: list[tuple[object, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#aeb7bd")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8edee")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    for (r, c), fill in block.fills.items():
        commands.append(("BACKGROUND", (c, r + 1), (c, r + 1), colors.HexColor(fill)))
    table.setStyle(TableStyle(commands))
    return [caption, Spacer(1, 2), table]


def _pdf_picture(block: Picture, styles: dict[str, ParagraphStyle], width: float) -> list[Flowable]:
    if not block.png.startswith(b"\x89PNG"):
        raise DocumentError(f"the chart '{block.caption}' is not a PNG image")
    reader = Image(io.BytesIO(block.png))
    w = min(width, block.width_cm * cm)
    h = w * reader.imageHeight / reader.imageWidth
    image = Image(io.BytesIO(block.png), width=w, height=h)
    return [KeepTogether([image, Paragraph(_pdf_safe(block.caption), styles["caption"])])]


# ---------------------------------------------------------------- HTML


def to_html(paper: Paper) -> str:
    """A standalone HTML page (charts inline as data URIs: it works from a file or e-mail)."""
    esc = html.escape
    out = [
        '<!doctype html>\n<html lang="en-GB">\n<head><meta charset="utf-8">',
        f"<title>{esc(paper.title)}</title>",
        "<style>body{font-family:Arial,sans-serif;max-width:60rem;margin:1rem auto}"
        "table{border-collapse:collapse;margin:.5rem 0}th,td{border:1px solid #aeb7bd;"
        "padding:.2rem .4rem;text-align:left;vertical-align:top}th{background:#e8edee}"
        "img{max-width:100%}.small{font-size:.8rem}</style></head>\n<body>",
    ]
    for block in paper.blocks:
        if isinstance(block, Heading):
            level = min(6, block.level + 1)
            out.append(f"<h{level}>{esc(block.text)}</h{level}>")
        elif isinstance(block, Para):
            cls = ' class="small"' if block.small else ""
            text = f"<code>{esc(block.text)}</code>" if block.mono else esc(block.text)
            out.append(f"<p{cls}>{text}</p>")
        elif isinstance(block, Bullets):
            out.append("<ul>" + "".join(f"<li>{esc(x)}</li>" for x in block.lines) + "</ul>")
        elif isinstance(block, TableBlock):
            out.append(_html_table(block))
        else:
            data = base64.b64encode(block.png).decode("ascii")
            out.append(
                f'<figure><img src="data:image/png;base64,{data}" alt="{esc(block.caption)}">'
                f"<figcaption>{esc(block.caption)}</figcaption></figure>"
            )
    out.append("</body>\n</html>\n")
    return "\n".join(out)


def _html_table(block: TableBlock) -> str:
    esc = html.escape
    if not block.rows:
        return f"<p><strong>{esc(block.caption)}</strong></p><p>{esc(block.empty)}</p>"
    head = "".join(f'<th scope="col">{esc(c)}</th>' for c in block.columns)
    body = []
    for r, row in enumerate(block.rows):
        cells = []
        for c, text in enumerate(row):
            fill = block.fills.get((r, c))
            style = f' style="background:{fill};color:{_text_on(fill)}"' if fill else ""
            cells.append(f"<td{style}>{esc(text)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f"<table><caption>{esc(block.caption)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def sequence(*parts: Sequence[Block]) -> tuple[Block, ...]:
    """Blocks of several parts, in order."""
    return tuple(block for part in parts for block in part)
