"""Consultation analyses that name a programme, answered by an app above decisions.

Decisions sits below consultation: it never imports the consultation app. The stage rule
"the consultation analysis is linked" and the consultation page still need to know which
analyses name a programme, so the consultation app registers a source here when Django
starts (`ConsultationConfig.ready`) and decisions asks every registered source.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class LinkedConsultation:
    """A consultation analysis as decisions shows it: where it lives and when it ran."""

    slug: str
    title: str
    opens: date | None = None
    closes: date | None = None


ConsultationSource = Callable[[str], list[LinkedConsultation]]
_sources: list[ConsultationSource] = []


def register_consultation_source(source: ConsultationSource) -> None:
    """Add a source of analyses by programme slug (registering the same one twice is a no-op)."""
    if source not in _sources:
        _sources.append(source)


def linked_consultations(programme_slug: str) -> list[LinkedConsultation]:
    """Every registered source's analyses that name the programme `programme_slug`."""
    return [c for source in _sources for c in source(programme_slug)]
