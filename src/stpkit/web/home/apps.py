from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The cross-area pages: the home dashboard and the programme dashboard (which shows
    the board's delivery confidence ratings beside the programme's own figures)."""

    name = "stpkit.web.home"
    label = "home"

    def ready(self) -> None:
        # The board pack carries sections from the system view and the enablers; the
        # board app sits below both, so they are registered with it from here.
        from stpkit.web.home.board_pack import register

        register()
