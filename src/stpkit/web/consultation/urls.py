from django.urls import path

from stpkit.web.consultation import views

app_name = "consultation"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/import/", views.upload, name="import"),
    path("<slug:slug>/report/", views.report_page, name="report"),
    path("<slug:slug>/report.docx", views.report_docx_download, name="report_docx"),
    path("<slug:slug>/report.html", views.report_html_download, name="report_html"),
    path("<slug:slug>/q/<slug:code>/", views.question, name="question"),
    path("<slug:slug>/q/<slug:code>/themes/", views.themes, name="themes"),
    path("<slug:slug>/q/<slug:code>/themes/<slug:key>/", views.theme, name="theme"),
    path("<slug:slug>/q/<slug:code>/review/", views.review, name="review"),
    path("<slug:slug>/q/<slug:code>/duplicates/", views.duplicates, name="duplicates"),
]
