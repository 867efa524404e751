from django.urls import path

from stpkit.web.consultation.views import (
    consultations,
    duplicates,
    framework,
    questions,
    reports,
    responses,
    themes,
)

app_name = "consultation"
urlpatterns = [
    path("", consultations.index, name="index"),
    path("<slug:slug>/", consultations.detail, name="detail"),
    path("<slug:slug>/import/", consultations.upload, name="import"),
    path("<slug:slug>/report/", reports.report_page, name="report"),
    path("<slug:slug>/report.docx", reports.report_docx_download, name="report_docx"),
    path("<slug:slug>/report.html", reports.report_html_download, name="report_html"),
    path("<slug:slug>/q/<slug:code>/", questions.question, name="question"),
    path("<slug:slug>/q/<slug:code>/themes/", themes.themes, name="themes"),
    path("<slug:slug>/q/<slug:code>/framework/", framework.framework, name="framework"),
    path("<slug:slug>/q/<slug:code>/themes/<slug:key>/", themes.theme, name="theme"),
    path("<slug:slug>/q/<slug:code>/review/", themes.review, name="review"),
    path("<slug:slug>/q/<slug:code>/responses/", responses.responses, name="responses"),
    path("<slug:slug>/respondent/<str:response_id>/", responses.respondent, name="respondent"),
    path("<slug:slug>/q/<slug:code>/duplicates/", duplicates.duplicates, name="duplicates"),
]
