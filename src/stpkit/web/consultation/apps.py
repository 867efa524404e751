from django.apps import AppConfig


class ConsultationConfig(AppConfig):
    name = "stpkit.web.consultation"
    label = "consultation"

    def ready(self) -> None:
        # consultation sits above decisions: it tells decisions which analyses name a
        # programme, so decisions never imports this app
        from stpkit.web.consultation.links import linked_to_programme
        from stpkit.web.decisions.links import register_consultation_source

        register_consultation_source(linked_to_programme)
