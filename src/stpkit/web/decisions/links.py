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


# --- Capital of options from the capital plan ---------------------------------------------
# The enabling workstreams' capital plan (web.enablers, a layer above decisions) links
# schemes to service change options. Decisions never imports it: the enablers app registers
# a source at start-up, and the options pages ask every registered source.

CapitalSource = Callable[[list[tuple[str, str]]], list[float]]
_capital_sources: list[CapitalSource] = []


def register_capital_source(source: CapitalSource) -> None:
    """Add a source of option capital: given (code, name) pairs, the capital of each (GBP).
    Registering the same one twice is a no-op."""
    if source not in _capital_sources:
        _capital_sources.append(source)


def options_capital(options: list[tuple[str, str]]) -> list[float] | None:
    """The capital-plan total of each option (code, name); None when no source is
    registered (the capital plan is not installed), so pages can say so."""
    if not _capital_sources:
        return None
    totals = [0.0] * len(options)
    for source in _capital_sources:
        for i, v in enumerate(source(options)):
            totals[i] += float(v)
    return totals
