"""The weighted ranking of the evaluated options, its sensitivity, and the preferred option."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from stpkit.appraisal import monte_carlo, switching_values
from stpkit.charts import decisions as charts
from stpkit.web.accounts.roles import area_required
from stpkit.web.core.tables import table_download
from stpkit.web.decisions import forms, services
from stpkit.web.decisions.views.common import AREA, page, programme_or_404, run_action


@area_required(AREA)
def results(request: HttpRequest, slug: str) -> HttpResponse:
    prog = programme_or_404(slug)
    back = reverse("decisions:results", args=[slug])
    if request.method == "POST":
        return run_action(request, back, forms.RESULTS_ACTIONS, default="choose", prog=prog)
    ev = services.evaluation(prog)
    ctx: dict[str, Any] = {"evaluation": ev}
    if ev is not None:
        names = {o.code: o.name for o in prog.options.all()}
        rows = ev.rows()
        for r in rows:
            r["name"] = names.get(str(r["option"]), "")
        columns = [("rank", "Rank"), ("option", "Option")]
        columns += [(f"{c.name} score", f"{c.name} (score)") for c in ev.criteria]
        columns += [("weighted score", "Weighted score")]
        download = table_download(
            request, rows, [*columns[:2], ("name", "Description"), *columns[2:]], f"{slug}-ranking"
        )
        if download:
            return download
        mc = monte_carlo(ev, draws=2000)
        ctx.update(
            rows=rows,
            columns=columns,
            numeric=[k for k, _ in columns if k not in ("option", "name")],
            chart=charts.spec(charts.ranking_chart(ev)),
            switching=switching_values(ev),
            mc=[
                {
                    "option": k,
                    "first": round(v * 100, 1),
                    "mean_rank": round(mc.mean_rank[k], 2),
                }
                for k, v in sorted(mc.first_share.items(), key=lambda kv: -kv[1])
            ],
        )
    return page(request, "results.jinja", prog, title=f"Results – {prog.name}", **ctx)
