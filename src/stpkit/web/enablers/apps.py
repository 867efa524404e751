from django.apps import AppConfig


class EnablersConfig(AppConfig):
    name = "stpkit.web.enablers"
    label = "enablers"
    verbose_name = "Enabling workstreams"
