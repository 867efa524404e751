from django.apps import AppConfig


class ProductivityConfig(AppConfig):
    name = "stpkit.web.productivity"
    label = "productivity"
