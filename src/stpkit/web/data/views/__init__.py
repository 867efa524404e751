"""Data area views, one module per page: population pages over the integrated dataset, the
workstreams' data, and the governance pages (purposes, audit log, queries, API tokens).

Views stay thin: every figure from the store comes from `stpkit.kid.governed` (disclosure
controlled), charts from `stpkit.charts.data`, and every page showing store figures is
logged in the audit log (`services.log_view`). POSTed input is read through `forms`.
"""

from stpkit.web.data.views.audit import audit
from stpkit.web.data.views.costs import costs
from stpkit.web.data.views.linkage_quality import linkage_quality
from stpkit.web.data.views.overview import index
from stpkit.web.data.views.population import population
from stpkit.web.data.views.population_health import capitation, demand, inequalities, risk
from stpkit.web.data.views.practices import practices
from stpkit.web.data.views.projection import projection
from stpkit.web.data.views.purposes import purposes
from stpkit.web.data.views.query import query
from stpkit.web.data.views.segments import segments
from stpkit.web.data.views.tiers import tiers
from stpkit.web.data.views.tokens import tokens
from stpkit.web.data.views.trends import trends
from stpkit.web.data.views.workstreams import WORKSTREAM_TABLES, WORKSTREAM_VIEWS, workstream

__all__ = [
    "WORKSTREAM_TABLES",
    "WORKSTREAM_VIEWS",
    "audit",
    "capitation",
    "costs",
    "demand",
    "index",
    "inequalities",
    "linkage_quality",
    "population",
    "practices",
    "projection",
    "purposes",
    "query",
    "risk",
    "segments",
    "tiers",
    "tokens",
    "trends",
    "workstream",
]
