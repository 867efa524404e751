from django.apps import AppConfig


class SystemConfig(AppConfig):
    name = "stpkit.web.system"
    label = "system"
    verbose_name = "System view"
