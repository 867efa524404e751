from django.apps import AppConfig


class DataConfig(AppConfig):
    name = "stpkit.web.data"
    label = "data"
