from django.apps import AppConfig


class ProgrammeConfig(AppConfig):
    name = "stpkit.web.programme"
    label = "programme"
