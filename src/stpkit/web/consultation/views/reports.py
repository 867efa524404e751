"""The consultation report: its page, and the Word and HTML downloads."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from stpkit.reports import report_docx, report_html
from stpkit.web.accounts.roles import area_required
from stpkit.web.consultation import services
from stpkit.web.consultation.views.common import AREA, consultation_or_404


@area_required(AREA)
def report_page(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = consultation_or_404(slug)
    return render(
        request,
        "consultation/report.jinja",
        {
            "title": f"Report: {consultation.title}",
            "consultation": consultation,
            "programme": services.programme_of(consultation),
        },
    )


@area_required(AREA)
def report_docx_download(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = consultation_or_404(slug)
    content = report_docx(services.consultation_report(consultation))
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="{consultation.slug}-report.docx"'
    return response


@area_required(AREA)
def report_html_download(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = consultation_or_404(slug)
    return HttpResponse(report_html(services.consultation_report(consultation)))
