from django.apps import AppConfig


class TasksConfig(AppConfig):
    """What is due from each person (My tasks), their notifications and reminders, and
    search across the areas: pages above the areas, beside `home`."""

    name = "stpkit.web.tasks"
    label = "tasks"
    verbose_name = "Tasks, notifications and search"

    def ready(self) -> None:
        from stpkit.web.tasks import signals

        signals.connect()
