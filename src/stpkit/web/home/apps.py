from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The cross-area pages: the home dashboard and the programme dashboard (which shows
    the board's delivery confidence ratings beside the programme's own figures)."""

    name = "stpkit.web.home"
    label = "home"
