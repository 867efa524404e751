"""The governed query page: an aggregate question under a purpose the user works under."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse

from stpkit.kid.governed import DIMENSIONS, AggregateQuery, GovernanceError, QueryService
from stpkit.web.accounts.roles import area_required
from stpkit.web.core.paging import paginate
from stpkit.web.core.tables import table_download
from stpkit.web.data import services
from stpkit.web.data.views.common import page, role, username


def _filters(request: HttpRequest) -> dict[str, list[str]]:
    """`filter=dimension=a,b` parameters as {dimension: [a, b]}."""
    filters: dict[str, list[str]] = {}
    for item in request.GET.getlist("filter"):
        dim, _, value = item.partition("=")
        if dim and value:
            filters.setdefault(dim.strip(), []).extend(
                v.strip() for v in value.split(",") if v.strip()
            )
    return filters


@area_required("data", edit=True)
def query(request: HttpRequest) -> HttpResponse:
    gov = services.governance()
    mine = gov.purposes_for(username(request), date.today())
    context: dict[str, Any] = {"mine": mine, "dimensions": DIMENSIONS, "errors": []}
    store = services.get_store()
    if store is None:
        context["errors"].append("No store has been built yet.")
    elif "purpose" in request.GET:
        try:
            q = AggregateQuery.build(
                request.GET.get("table", "person"),
                [g for g in request.GET.getlist("group_by") if g],
                _filters(request),
            )
            export = request.GET.get("format") in {"csv", "xlsx"}
            answer = QueryService(store, gov).ask(
                q,
                user=username(request),
                role=role(request),
                purpose_key=request.GET["purpose"],
                action="export" if export else "query",
            )
            columns = [(d, d.replace("_", " ").capitalize()) for d in q.group_by] + [
                ("people", "People")
            ]
            if q.table == "activity":
                columns += [("activity", "Activity"), ("cost", "Cost (GBP)")]
            download = table_download(request, answer.rows(), columns, "kid-query")
            if download:
                return download
            paged = paginate(request, answer.rows())
            context.update(
                answer=answer, rows=paged.rows, paged=paged, columns=columns, described=q.describe()
            )
        except GovernanceError as exc:
            context["errors"].append(str(exc))
    return page(request, "query.jinja", "Ask a governed question", "", **context)
