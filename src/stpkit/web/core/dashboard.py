"""Figures for the home dashboard, read from the app database and the reference data."""

from __future__ import annotations

from typing import Any

from stpkit.reference import get_reference
from stpkit.web.core.models import Partnership, Site
from stpkit.web.programme.models import Workstream


def home_figures() -> dict[str, Any]:
    partnership = Partnership.objects.first()
    sites = list(Site.objects.all())
    figures: dict[str, Any] = {
        "partnership": partnership,
        "workstream_count": Workstream.objects.count(),
        "workstreams_by_type": {
            label: Workstream.objects.filter(kind=kind).count()
            for kind, label in Workstream.Kind.choices
        },
        "sites": sites,
        "stroke_admissions": None,
        "lsoa_count": None,
    }
    if partnership is not None:
        summary = get_reference().summary(partnership.icb_code)
        figures["stroke_admissions"] = summary["stroke_admissions"]
        figures["lsoa_count"] = summary["lsoas"]
    return figures
