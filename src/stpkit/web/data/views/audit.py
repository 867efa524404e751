"""The audit log page: every governed read and decision, and whether the chain verifies."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from stpkit.web.accounts.roles import Role, roles_required
from stpkit.web.core.tables import table_download
from stpkit.web.data import services
from stpkit.web.data.views.common import page, role, username

COLUMNS = [
    ("seq", "#"),
    ("at", "When (UTC)"),
    ("user", "Who"),
    ("role", "Role"),
    ("purpose", "Purpose"),
    ("action", "Action"),
    ("what", "What"),
    ("rows", "Rows"),
]
SHOWN = 300


@roles_required(Role.DATA_CONTROLLER, Role.ADMINISTRATOR)
def audit(request: HttpRequest) -> HttpResponse:
    gov = services.governance()
    result = gov.verify_log()
    rows = [
        {
            "seq": e.seq,
            "at": e.at[:19].replace("T", " "),
            "user": e.user,
            "role": e.role,
            "purpose": e.purpose or "",
            "action": e.action,
            "what": e.what,
            "rows": e.rows,
        }
        for e in reversed(gov.entries())
    ]
    download = table_download(request, rows, COLUMNS, "kid-audit-log")
    if download:
        gov.log(username(request), role(request), None, "export", "audit log download", len(rows))
        return download
    action = request.GET.get("action", "")
    shown = [r for r in rows if not action or r["action"] == action][:SHOWN]
    return page(
        request,
        "audit.jinja",
        "Audit log",
        "",
        result=result,
        rows=shown,
        columns=COLUMNS,
        total=len(rows),
        action=action,
    )
