from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "stpkit.web.core"
    label = "core"

    def ready(self) -> None:
        # Every write to the app database gives the data a new version, which is what
        # lets computed dashboard figures be cached (stpkit.web.core.datacache).
        from django.db.backends.signals import connection_created

        from stpkit.web.core.datacache import watch_connection

        connection_created.connect(watch_connection, dispatch_uid="stpkit.datacache")
