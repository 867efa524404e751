from django.apps import AppConfig


class ConsultationConfig(AppConfig):
    name = "stpkit.web.consultation"
    label = "consultation"
