from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "stpkit.web.core"
    label = "core"
