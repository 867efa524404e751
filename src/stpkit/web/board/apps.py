from django.apps import AppConfig


class BoardConfig(AppConfig):
    name = "stpkit.web.board"
    label = "board"
    verbose_name = "Programme board: reporting periods, updates, budgets, meetings"
