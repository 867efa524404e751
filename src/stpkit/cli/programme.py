"""`stpkit programme` commands."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from stpkit.cli.django_setup import setup_django

if TYPE_CHECKING:
    from stpkit.web.board.models import BoardMeeting

app = typer.Typer(help="Programme board: workstreams, RAG, the board update.")
console = Console()
err = Console(stderr=True)


@app.callback()
def main() -> None:
    """Programme board: workstreams, RAG, the board update."""


@app.command("board-update")
def board_update(
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            help="File to write: .docx or .pdf (the paper to send, with the RAG table, "
            "charts and escalated risks) or .html (the public update for the website).",
        ),
    ],
    meeting: Annotated[
        str | None,
        typer.Option(
            "--meeting",
            help="The meeting: its date (2018-03-05) or its number; the latest by default.",
        ),
    ] = None,
) -> None:
    """Write the Programme Board meeting update as a paper to send (Word or PDF) or as
    the public update in HTML.

    Uses the update as edited in the web app when there is one, otherwise generates it
    from the meeting's agenda, decisions and the period's accepted workstream updates.
    """
    setup_django()
    from stpkit.reports import board_pack
    from stpkit.reports.board_update import BoardUpdateError, write
    from stpkit.web.board.models import BoardMeeting, BoardUpdateDraft
    from stpkit.web.board.pack import pack_for
    from stpkit.web.board.services import compose_for, update_for

    with console.status("Composing the board update"):
        chosen = _find_meeting(BoardMeeting, meeting)
        draft = BoardUpdateDraft.objects.filter(meeting=chosen).first()
        update = update_for(draft) if draft else compose_for(chosen)
        try:
            if out.suffix.lower() in (".docx", ".pdf"):
                # The paper to send: RAG table, charts, escalated risks, sections, witness.
                pack = pack_for(chosen, draft)
                data = (
                    board_pack.to_pdf(pack)
                    if out.suffix.lower() == ".pdf"
                    else (board_pack.to_docx(pack))
                )
                try:
                    out.write_bytes(data)
                except OSError as exc:
                    raise BoardUpdateError(f"{out}: cannot write the board update ({exc})") from exc
            else:
                write(update, out)
        except BoardUpdateError as exc:
            err.print(f"[red]{exc}[/red]")
            raise typer.Exit(1) from exc
    source = "draft" if draft and not draft.is_published else "published update"
    if draft is None:
        source = "generated from the meeting's records"
    console.print(f"Wrote the board update for {chosen} ({source}) to [bold]{out}[/bold]")


def _find_meeting(model: type[BoardMeeting], meeting: str | None) -> BoardMeeting:
    from datetime import date

    query = model.objects.all()
    if meeting is None:
        found = query.order_by("-date").first()
        if found is None:
            err.print("[red]No board meetings recorded yet.[/red] Load the demo or add one.")
            raise typer.Exit(1)
        return found
    try:
        found = query.filter(date=date.fromisoformat(meeting)).first()
    except ValueError:
        found = query.filter(pk=int(meeting)).first() if meeting.isdigit() else None
    if found is None:
        dates = ", ".join(m.date.isoformat() for m in query.order_by("date"))
        err.print(f"[red]No board meeting {meeting!r}.[/red] Meetings: {dates or 'none'}")
        raise typer.Exit(1)
    return found
