"""The linkage quality page, for the data controller: how well records were linked."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from stpkit.kid.governed import linkage_quality as read_quality
from stpkit.web.accounts.roles import Role, roles_required
from stpkit.web.data import services
from stpkit.web.data.views.common import page

MEASURES = {
    "records": "Records",
    "linked": "Records linked to another record",
    "share linked": "Share linked",
    "method": "Linked by",
    "match weight": "Match weight of the strongest link",
    "cluster size": "Records in a person of this many records",
    "estimated false-match rate": "Estimated false-match rate (the model's own)",
}


@roles_required(Role.DATA_CONTROLLER)
def linkage_quality(request: HttpRequest) -> HttpResponse:
    groups = read_quality(services.store_path())
    tables = []
    for group in groups or []:
        lines = []
        for line in group.lines:
            if line.value is None:
                shown = "fewer than 10"
            elif line.measure in ("share linked", "estimated false-match rate"):
                shown = f"{line.value:.1%}"
            else:
                shown = f"{line.value:,.0f}"
            label = MEASURES.get(line.measure, line.measure)
            lines.append({"measure": label, "band": line.band, "value": shown})
        tables.append({"group": group.group, "lines": lines})
    return page(request, "linkage_quality.jinja", "Linkage quality", "", tables=tables)
