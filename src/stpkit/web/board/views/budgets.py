"""Resourcing and budgets: annual plans by line, monthly actuals, variance and outturn."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from stpkit.programme import budget
from stpkit.web.accounts.roles import area_required
from stpkit.web.board.forms import ActualForm, BudgetLineForm, WhichForm
from stpkit.web.board.models import BudgetActual, BudgetLine
from stpkit.web.board.permissions import is_office
from stpkit.web.board.services import (
    add_budget_line,
    budget_years,
    position_row,
    programme_budget,
    record_actual,
    save_budget_line,
)
from stpkit.web.core import clock
from stpkit.web.core.audit import StaleEditError, history_for
from stpkit.web.core.tables import table_download
from stpkit.web.programme.models import Workstream

POSITION_COLUMNS = [
    ("plan", "Annual plan (£)"),
    ("plan_to_date", "Plan to date (£)"),
    ("actual_to_date", "Actual to date (£)"),
    ("variance", "Variance to date (£)"),
    ("outturn", "Forecast outturn (£)"),
    ("forecast_variance", "Forecast variance (£)"),
]
NUMERIC = [k for k, _ in POSITION_COLUMNS]


def _year(request: HttpRequest) -> int | None:
    text = request.GET.get("year")
    if text:
        try:
            return budget.parse_financial_year(text)
        except budget.BudgetError:
            return None
    years = budget_years()
    return years[-1] if years else None


@area_required("programme")
def budgets(request: HttpRequest) -> HttpResponse:
    """The programme roll-up for a year: each workstream's plan, actuals and outturn."""
    year = _year(request) or clock.today().year
    summary = programme_budget(year)
    rows = [
        {**position_row(w.workstream.name, w.total), "slug": w.workstream.slug}
        for w in summary.workstreams
    ]
    total = position_row("Programme total", summary.total)
    columns = [("name", "Workstream"), *POSITION_COLUMNS]
    download = table_download(request, [*rows, total], columns, f"budgets-{year}")
    if download:
        return download
    return render(
        request,
        "board/budgets.jinja",
        {
            "title": f"Budgets {summary.year_label}",
            "summary": summary,
            "rows": rows,
            "total": total,
            "columns": columns,
            "numeric": NUMERIC,
            "years": [(y, budget.financial_year_label(y)) for y in budget_years()],
        },
    )


@area_required("programme")
def workstream_budget(request: HttpRequest, year: int, slug: str) -> HttpResponse:
    """A workstream's lines and monthly actuals; the programme office adds lines and spend."""
    ws = get_object_or_404(Workstream, slug=slug)
    months = budget.financial_year_months(year)
    lines = BudgetLine.objects.filter(workstream=ws, financial_year=year)
    which = WhichForm.posted(request.POST, ["line", "actual"])
    line_form = BudgetLineForm(
        request.POST if which == "line" else None,
        instance=BudgetLine(workstream=ws, financial_year=year),
        prefix="line",
    )
    actual_form = ActualForm(
        request.POST if which == "actual" else None,
        lines=lines,
        months=months,
        prefix="actual",
    )
    if request.method == "POST":
        if not is_office(request.user):
            raise PermissionDenied("Only the programme office edits budgets.")
        done = _post_budget(request, ws, year, line_form, actual_form)
        if done:
            return redirect("board:workstream_budget", year, slug)
    summary = programme_budget(year, ws)
    wb = summary.workstreams[0]
    actual_grid = {
        (a.line_id, a.month): a.amount for a in BudgetActual.objects.filter(line__in=lines)
    }
    line_rows = []
    for line, position in wb.lines:
        row: dict[str, Any] = {**position_row(line.name, position), "line": line}
        for m in months:
            row[f"{m:%Y-%m}"] = actual_grid.get((line.pk, m))
        line_rows.append(row)
    month_columns = [(f"{m:%Y-%m}", f"{m:%b %y}") for m in months]
    columns = [("name", "Budget line"), *POSITION_COLUMNS, *month_columns]
    download = table_download(request, line_rows, columns, f"budget-{slug}-{year}")
    if download:
        return download
    return render(
        request,
        "board/workstream_budget.jinja",
        {
            "title": f"{ws.name} budget {summary.year_label}",
            "workstream": ws,
            "summary": summary,
            "total": position_row("Total", wb.total),
            "line_rows": line_rows,
            "position_columns": POSITION_COLUMNS,
            "month_columns": month_columns,
            "numeric": NUMERIC,
            "line_form": line_form,
            "actual_form": actual_form,
            "office": is_office(request.user),
            "year": year,
        },
    )


def _post_budget(
    request: HttpRequest,
    ws: Workstream,
    year: int,
    line_form: BudgetLineForm,
    actual_form: ActualForm,
) -> bool:
    if line_form.is_bound and line_form.is_valid():
        line = line_form.save(commit=False)
        if BudgetLine.objects.filter(workstream=ws, financial_year=year, name=line.name).exists():
            line_form.add_error("name", "This workstream already has a line with that name")
            return False
        add_budget_line(line=line, user=request.user)
        messages.success(request, f"Added the budget line “{line.name}”.")
        return True
    if actual_form.is_bound and actual_form.is_valid():
        line = actual_form.cleaned_data["line"]
        month = date.fromisoformat(actual_form.cleaned_data["month"])
        amount = actual_form.cleaned_data["amount"]
        record_actual(line=line, month=month, amount=amount, user=request.user)
        messages.success(request, f"Recorded £{amount:,.2f} against {line.name} for {month:%B %Y}.")
        return True
    return False


@area_required("programme")
def budget_line(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit one line's plan; a second concurrent edit is refused."""
    line = get_object_or_404(BudgetLine.objects.select_related("workstream"), pk=pk)
    form = BudgetLineForm(request.POST or None, instance=line)
    stale = None
    if request.method == "POST":
        if not is_office(request.user):
            raise PermissionDenied("Only the programme office edits budgets.")
        if form.is_valid():
            try:
                save_budget_line(
                    line=form.save(commit=False),
                    user=request.user,
                    expected_version=form.expected_version,
                )
            except StaleEditError as exc:
                stale = str(exc)
            else:
                messages.success(request, f"Saved the budget line “{line.name}”.")
                return redirect(
                    "board:workstream_budget", line.financial_year, line.workstream.slug
                )
    return render(
        request,
        "board/budget_line.jinja",
        {
            "title": f"Budget line: {line.name}",
            "line": line,
            "form": form,
            "stale": stale,
            "office": is_office(request.user),
            "history": history_for(line),
        },
    )
