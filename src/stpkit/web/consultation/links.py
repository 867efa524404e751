"""What the consultation app tells decisions (the app below it): which analyses name a
programme. Registered at start-up by `ConsultationConfig.ready`; kept apart from
`services` so starting Django does not load the theming engine."""

from __future__ import annotations

from stpkit.web.consultation.models import Consultation
from stpkit.web.decisions.links import LinkedConsultation


def linked_to_programme(programme_slug: str) -> list[LinkedConsultation]:
    """The analyses that name a programme, as decisions shows them."""
    return [
        LinkedConsultation(c.slug, c.title, c.opens, c.closes)
        for c in Consultation.objects.filter(programme_slug=programme_slug)
    ]
