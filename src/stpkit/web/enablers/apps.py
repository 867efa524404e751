from django.apps import AppConfig


class EnablersConfig(AppConfig):
    name = "stpkit.web.enablers"
    label = "enablers"
    verbose_name = "Enabling workstreams"

    def ready(self) -> None:
        # the decisions area (a layer below) shows an option's capital from the capital plan
        from stpkit.web.decisions.links import register_capital_source
        from stpkit.web.enablers.links import options_capital

        register_capital_source(options_capital)
