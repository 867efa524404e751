"""Documents written from the data: board updates and decision packs, as HTML and DOCX.

One module per document family (`reports.board_update`, `reports.board_pack` (the board
update as a paper to send), `reports.highlight` (a workstream's one-page report),
`reports.decision_packs`, `reports.consultation_docx` and `_html`, `reports.productivity`),
with `reports.blocks` writing one paper as Word, PDF (ReportLab) or HTML,
framework-free: each takes engine results or plain records and returns text or bytes.
The names below are the public API; they are loaded on first use, so importing
`stpkit.reports` does not import python-docx.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from stpkit.reports.board_pack import BoardPack
    from stpkit.reports.board_update import (
        BoardUpdate,
        BoardUpdateError,
        DiscussedItem,
        WorkstreamProgress,
        body_text,
        compose,
        parse_body,
        to_docx,
        to_html,
        to_html_document,
        with_body,
        write,
    )
    from stpkit.reports.consultation_docx import report_docx
    from stpkit.reports.consultation_html import report_html
    from stpkit.reports.decision_packs import (
        DecisionPack,
        EqualitySection,
        StageLine,
        write_dmbc_summary,
        write_pcbc_chapter,
    )
    from stpkit.reports.highlight import Highlight

_BOARD = "stpkit.reports.board_update"
_PACKS = "stpkit.reports.decision_packs"
_EXPORTS: dict[str, str] = {
    "BoardPack": "stpkit.reports.board_pack",
    "Highlight": "stpkit.reports.highlight",
    "BoardUpdate": _BOARD,
    "BoardUpdateError": _BOARD,
    "DiscussedItem": _BOARD,
    "WorkstreamProgress": _BOARD,
    "body_text": _BOARD,
    "compose": _BOARD,
    "parse_body": _BOARD,
    "to_docx": _BOARD,
    "to_html": _BOARD,
    "to_html_document": _BOARD,
    "with_body": _BOARD,
    "write": _BOARD,
    "DecisionPack": _PACKS,
    "EqualitySection": _PACKS,
    "StageLine": _PACKS,
    "write_dmbc_summary": _PACKS,
    "write_pcbc_chapter": _PACKS,
    "report_docx": "stpkit.reports.consultation_docx",
    "report_html": "stpkit.reports.consultation_html",
}
__all__ = [
    "BoardPack",
    "BoardUpdate",
    "BoardUpdateError",
    "DecisionPack",
    "DiscussedItem",
    "EqualitySection",
    "Highlight",
    "StageLine",
    "WorkstreamProgress",
    "body_text",
    "compose",
    "parse_body",
    "report_docx",
    "report_html",
    "to_docx",
    "to_html",
    "to_html_document",
    "with_body",
    "write",
    "write_dmbc_summary",
    "write_pcbc_chapter",
]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'stpkit.reports' has no attribute {name!r}")
