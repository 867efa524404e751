"""The public "Programme Board meeting update": composed, edited as text, written as HTML
and Word.

The partnership publishes a short update after each board meeting (seed papers 000 and
003): an "About" preamble, then "Update from the Programme Board meeting held on ...",
then one heading per agenda item with what was discussed, the decisions and each
workstream's progress. The programme office edits the generated text before publishing,
so the body is plain text with a tiny markup that anyone can edit in a text box:

    ## Heading          a section heading
    - item              a bullet
    (blank line)        separates paragraphs

This module knows nothing about the web app: it takes plain dataclasses.
"""

from __future__ import annotations

import html
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO

from docx import Document
from docx.shared import Pt

from stpkit.errors import StpkitError


class BoardUpdateError(StpkitError):
    """The update cannot be written (no title, unreadable body, unwritable file)."""


@dataclass(frozen=True)
class Block:
    """A paragraph (one string) or a bullet list (several)."""

    kind: str  # "paragraph" or "bullets"
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Section:
    heading: str
    blocks: tuple[Block, ...] = ()

    def paragraphs(self) -> list[str]:
        return [b.lines[0] for b in self.blocks if b.kind == "paragraph"]

    def bullets(self) -> list[str]:
        return [line for b in self.blocks if b.kind == "bullets" for line in b.lines]


@dataclass(frozen=True)
class DiscussedItem:
    """An agenda item as the public will read it."""

    heading: str
    summary: str
    kind: str = ""  # e.g. "Deep dive"


@dataclass(frozen=True)
class WorkstreamProgress:
    workstream: str
    confidence: str  # label, e.g. "Amber/Green"
    summary: str


@dataclass(frozen=True)
class BoardUpdate:
    """The whole document."""

    title: str
    meeting_heading: str  # "Update from the Programme Board meeting held on 5 March 2018"
    about: tuple[str, ...] = ()
    sections: tuple[Section, ...] = ()
    closing: str = ""


ABOUT_DEFAULT = (
    "The {partnership} has been set up by local health and social care leaders. It is a "
    "collaboration of all NHS organisations across Kent and Medway, Kent County Council and "
    "Medway Council; all of whom are involved in the planning and delivery of health and "
    "social care services.",
    "The Programme Board is an advisory board with a non-affiliated Chair. It oversees the "
    "partnership's work programme and advises local health and social care commissioners, "
    "whose role it is to plan services across Kent and Medway.",
    "The Programme Board meets monthly. This update provides an overview of what was "
    "discussed at the most recent meeting.",
)


def long_date(day: date) -> str:
    """5 March 2018 (no leading zero, as the seed papers write it)."""
    return f"{day.day} {day:%B %Y}"


def compose(
    *,
    partnership: str,
    meeting_date: date,
    discussed: Sequence[DiscussedItem],
    decisions: Sequence[str],
    progress: Sequence[WorkstreamProgress],
    period_label: str = "",
    contact: str = "",
) -> BoardUpdate:
    """The generated first draft, from a meeting's agenda, decisions and the period's updates."""
    sections: list[Section] = []
    for item in discussed:
        text = item.summary.strip() or "The Board discussed this item."
        sections.append(Section(item.heading, tuple(_blocks(text))))
    if decisions:
        sections.append(
            Section("Decisions", (Block("bullets", tuple(d.strip() for d in decisions)),))
        )
    if progress:
        intro = (
            f"Each workstream's delivery confidence as reported for {period_label}."
            if period_label
            else "Each workstream's delivery confidence as last reported."
        )
        lines = tuple(f"{p.workstream} ({p.confidence}): {p.summary.strip()}" for p in progress)
        sections.append(
            Section("Workstream progress", (Block("paragraph", (intro,)), Block("bullets", lines)))
        )
    closing = (
        f"For more information about the work of the {partnership} please contact {contact}."
        if contact
        else f"For more information about the work of the {partnership} please visit our website."
    )
    return BoardUpdate(
        title=f"{partnership}: Programme Board Meeting Update, {meeting_date:%B %Y}",
        meeting_heading="Update from the Programme Board meeting held on "
        + long_date(meeting_date),
        about=tuple(p.format(partnership=partnership) for p in ABOUT_DEFAULT),
        sections=tuple(sections),
        closing=closing,
    )


def _blocks(text: str) -> Iterable[Block]:
    paragraph: list[str] = []
    bullets: list[str] = []

    def flush() -> Iterable[Block]:
        if paragraph:
            yield Block("paragraph", (" ".join(paragraph),))
            paragraph.clear()
        if bullets:
            yield Block("bullets", tuple(bullets))
            bullets.clear()

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            yield from flush()
        elif line.startswith(("- ", "* ", "• ")):
            if paragraph:
                yield from flush()
            bullets.append(line[2:].strip())
        else:
            if bullets:
                yield from flush()
            paragraph.append(line)
    yield from flush()


def body_text(update: BoardUpdate) -> str:
    """The sections as editable text (## headings, - bullets, blank lines between)."""
    parts: list[str] = []
    for section in update.sections:
        parts.append(f"## {section.heading}")
        for block in section.blocks:
            if block.kind == "bullets":
                parts.append("\n".join(f"- {line}" for line in block.lines))
            else:
                parts.append(block.lines[0])
    return "\n\n".join(parts) + "\n"


def parse_body(text: str) -> tuple[Section, ...]:
    """Sections from edited text; text before the first heading is refused with its line."""
    sections: list[tuple[str, list[str]]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if raw.startswith("## "):
            heading = raw[3:].strip()
            if not heading:
                raise BoardUpdateError(f"line {number}: a heading needs some text after '## '")
            sections.append((heading, []))
        elif not sections:
            if raw.strip():
                raise BoardUpdateError(
                    f"line {number}: text before the first heading; start each section with "
                    "a line like '## Workstream progress'"
                )
        else:
            sections[-1][1].append(raw)
    return tuple(Section(h, tuple(_blocks("\n".join(lines)))) for h, lines in sections)


def with_body(update: BoardUpdate, text: str, *, title: str | None = None) -> BoardUpdate:
    """The update with its sections (and optionally title) replaced by edited text."""
    return BoardUpdate(
        title=title if title is not None else update.title,
        meeting_heading=update.meeting_heading,
        about=update.about,
        sections=parse_body(text),
        closing=update.closing,
    )


def to_html(update: BoardUpdate, *, heading_level: int = 1) -> str:
    """An HTML fragment (escaped), headings starting at `heading_level`."""
    h1, h2, h3 = (f"h{min(6, heading_level + i)}" for i in range(3))
    esc = html.escape
    out = [f"<{h1}>{esc(update.title)}</{h1}>"]
    if update.about:
        out.append(f"<{h2}>About the partnership and the Programme Board</{h2}>")
        out.extend(f"<p>{esc(p)}</p>" for p in update.about)
    out.append(f"<{h2}>{esc(update.meeting_heading)}</{h2}>")
    for section in update.sections:
        out.append(f"<{h3}>{esc(section.heading)}</{h3}>")
        for block in section.blocks:
            if block.kind == "bullets":
                items = "".join(f"<li>{esc(line)}</li>" for line in block.lines)
                out.append(f"<ul>{items}</ul>")
            else:
                out.append(f"<p>{esc(block.lines[0])}</p>")
    if update.closing:
        out.append(f"<p>{esc(update.closing)}</p>")
    return "\n".join(out)


def to_html_document(update: BoardUpdate) -> str:
    """A standalone HTML page, for publishing on the partnership's website."""
    return (
        '<!doctype html>\n<html lang="en-GB">\n<head><meta charset="utf-8">'
        f"<title>{html.escape(update.title)}</title></head>\n<body>\n"
        f"{to_html(update)}\n</body>\n</html>\n"
    )


def to_docx(update: BoardUpdate) -> bytes:
    """The update as a Word document (Title, Heading 1 and Heading 2 styles)."""
    if not update.title.strip():
        raise BoardUpdateError("the board update has no title")
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Arial"  # type: ignore[attr-defined]
    style.font.size = Pt(11)  # type: ignore[attr-defined]
    document.core_properties.title = update.title
    document.add_heading(update.title, level=0)
    if update.about:
        document.add_heading("About the partnership and the Programme Board", level=1)
        for paragraph in update.about:
            document.add_paragraph(paragraph)
    document.add_heading(update.meeting_heading, level=1)
    for section in update.sections:
        document.add_heading(section.heading, level=2)
        for block in section.blocks:
            if block.kind == "bullets":
                for line in block.lines:
                    document.add_paragraph(line, style="List Bullet")
            else:
                document.add_paragraph(block.lines[0])
    if update.closing:
        document.add_paragraph(update.closing)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def write(update: BoardUpdate, target: Path | str | IO[bytes]) -> None:
    """Write .docx, or HTML when the path ends in .html/.htm."""
    if isinstance(target, (str, Path)):
        path = Path(target)
        data = (
            to_html_document(update).encode("utf-8")
            if path.suffix.lower() in (".html", ".htm")
            else to_docx(update)
        )
        try:
            path.write_bytes(data)
        except OSError as exc:
            raise BoardUpdateError(f"{path}: cannot write the board update ({exc})") from exc
    else:
        target.write(to_docx(update))


__all__ = [
    "Block",
    "BoardUpdate",
    "BoardUpdateError",
    "DiscussedItem",
    "Section",
    "WorkstreamProgress",
    "body_text",
    "compose",
    "long_date",
    "parse_body",
    "to_docx",
    "to_html",
    "to_html_document",
    "with_body",
    "write",
]
