"""Administrators can correct board records directly (views remain the normal route)."""

from django.contrib import admin

from stpkit.web.board import models

for model in (
    models.ReportingPeriod,
    models.WorkstreamUpdate,
    models.BudgetLine,
    models.BudgetActual,
    models.BoardMeeting,
    models.AgendaItem,
    models.Paper,
    models.Decision,
    models.Action,
    models.BoardUpdateDraft,
):
    admin.site.register(model)
