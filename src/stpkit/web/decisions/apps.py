from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "stpkit.web.decisions"
    label = "decisions"
