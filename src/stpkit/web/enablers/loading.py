"""Loading the partners' returns: a whole return or, with every problem listed, none of it.

Each load is one transaction with its audit record; a year of each kind loads once.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from stpkit import enablers as eng
from stpkit.enablers.importers import Source
from stpkit.web.core.audit import record_change, snapshot
from stpkit.web.core.bulk import insert_rows
from stpkit.web.enablers.models import (
    Building,
    Organisation,
    ReturnLoad,
    Site,
    StaffMeasure,
    StaffRecord,
)


def _loaded_years(kind: str) -> set[int]:
    return set(ReturnLoad.objects.filter(kind=kind).values_list("year", flat=True))


def _record_load(load: ReturnLoad, user: Any) -> None:
    try:
        with transaction.atomic():
            load.save()
    except IntegrityError as err:  # someone loaded the same year a moment ago
        raise eng.ReturnRejected(
            [
                eng.Problem(
                    load.files,
                    None,
                    None,
                    f"the {load.kind} return for {load.year} is already loaded",
                )
            ]
        ) from err
    record_change(user, load, "create", {}, snapshot(load), "return loaded")


def import_estates(*, sites: Source, buildings: Source, year: int, user: Any) -> ReturnLoad:
    """Load an estates return (sites and buildings) for `year`: all of it or, with
    ReturnRejected listing every problem, none of it."""
    orgs = {o.code: o for o in Organisation.objects.all()}
    ret = eng.parse_estates(
        sites,
        buildings,
        year=year,
        organisations=set(orgs),
        known_sites=set(Site.objects.values_list("code", flat=True)),
        loaded_years=_loaded_years("estates"),
    )
    names = [s[0] if isinstance(s, tuple) else s.name for s in (sites, buildings)]
    with transaction.atomic():
        load = ReturnLoad(
            kind="estates",
            year=year,
            files=", ".join(names),
            rows=len(ret.sites) + len(ret.buildings),
            loaded_by=user if getattr(user, "is_authenticated", False) else None,
        )
        _record_load(load, user)
        site_by_code = {s.code: s for s in Site.objects.all()}
        for s in ret.sites:
            site = site_by_code.get(s.code)
            if site is None:
                site = Site.objects.create(
                    code=s.code, name=s.name, organisation=orgs[s.organisation], postcode=s.postcode
                )
                site_by_code[s.code] = site
            elif (site.name, site.organisation_id, site.postcode) != (
                s.name,
                orgs[s.organisation].pk,
                s.postcode,
            ):
                site.name, site.organisation, site.postcode = (
                    s.name,
                    orgs[s.organisation],
                    s.postcode,
                )
                site.version += 1  # an edit open in the app is now stale
                site.save()
        Building.objects.bulk_create(
            [
                Building(
                    year=year,
                    site=site_by_code[b.site],
                    code=b.code,
                    name=b.name,
                    use=b.use,
                    tenure=b.tenure,
                    owner=b.owner,
                    floor_area_m2=b.floor_area_m2,
                    condition=b.condition,
                    backlog_high=b.backlog.get("high", 0.0),
                    backlog_significant=b.backlog.get("significant", 0.0),
                    backlog_moderate=b.backlog.get("moderate", 0.0),
                    backlog_low=b.backlog.get("low", 0.0),
                    running_cost_per_m2=b.running_cost_per_m2,
                    utilisation_pct=b.utilisation * 100.0,
                    void_m2=b.void_m2,
                    listed=b.listed,
                    disposal_receipt=b.disposal_receipt,
                    shared_with=";".join(b.shared_with),
                )
                for b in ret.buildings
            ],
            batch_size=500,
        )
    return load


def import_workforce(*, staff: Source, measures: Source, year: int, user: Any) -> ReturnLoad:
    """Load a workforce return (staff in post and measures) for `year`, whole or not at all."""
    orgs = {o.code: o for o in Organisation.objects.all()}
    ret = eng.parse_workforce(
        staff, measures, year=year, organisations=set(orgs), loaded_years=_loaded_years("workforce")
    )
    names = [s[0] if isinstance(s, tuple) else s.name for s in (staff, measures)]
    with transaction.atomic():
        load = ReturnLoad(
            kind="workforce",
            year=year,
            files=", ".join(names),
            rows=len(ret.records) + len(ret.measures),
            loaded_by=user if getattr(user, "is_authenticated", False) else None,
        )
        _record_load(load, user)
        insert_rows(  # 60,000 rows: no model object per row (see core.bulk)
            StaffRecord,
            ["year", "record_id", "organisation_id", "staff_group", "band", "wte", "age"],
            (
                (year, r.record_id, orgs[r.organisation].pk, r.staff_group, r.band, r.wte, r.age)
                for r in ret.records
            ),
        )
        StaffMeasure.objects.bulk_create(
            [
                StaffMeasure(
                    year=year,
                    organisation=orgs[m.organisation],
                    staff_group=m.staff_group,
                    vacancies_wte=m.vacancies_wte,
                    leavers_wte=m.leavers_wte,
                    bank_wte=m.bank_wte,
                    agency_wte=m.agency_wte,
                    agency_spend=m.agency_spend,
                    bank_spend=m.bank_spend,
                )
                for m in ret.measures
            ]
        )
    return load
