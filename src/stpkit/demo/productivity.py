"""The productivity demo, `load()`: seed 004's eight working groups, targets, focus areas
and bridge; schemes with planned and actual savings; synthetic metrics for the four Kent
and Medway acute trusts and ten peers each. Idempotent: running it again gives the same state.

On the demo's clock (as at 5 March 2018): schemes in 2017/18 with actuals to January 2018
and in 2018/19 as plans; targets for both years (the seed's 2020/21 opportunity phased,
`kent_medway.TARGET_PHASING`) and the seed's own 2020/21 figures.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from stpkit.productivity import kent_medway as km
from stpkit.web.productivity import models as m
from stpkit.web.productivity import services


def load() -> None:
    with transaction.atomic():
        for order, seed in enumerate(km.WORKING_GROUPS, start=1):
            group, _ = m.WorkingGroup.objects.update_or_create(
                slug=seed.slug,
                defaults={
                    "name": seed.name,
                    "kind": seed.kind,
                    "scope": seed.scope,
                    "status": seed.status,
                    "order": order,
                },
            )
            group.focus_areas.all().delete()
            m.FocusArea.objects.bulk_create(
                m.FocusArea(working_group=group, name=name, order=i)
                for i, name in enumerate(seed.focus_areas, start=1)
            )
            for year in km.TARGET_PHASING:
                target = km.target_for(seed, year)
                m.Target.objects.update_or_create(
                    working_group=group,
                    plan_year=year,
                    defaults={"amount": None if target is None else Decimal(target)},
                )
        m.BridgeStep.objects.all().delete()
        m.BridgeStep.objects.bulk_create(
            m.BridgeStep(
                order=i,
                label=s.label,
                kind=s.kind.value,
                amount=None if s.amount is None else Decimal(str(s.amount)),
                note=s.note,
            )
            for i, s in enumerate(km.BRIDGE, start=1)
        )
        services.save_catalogue(definitions=km.catalogue())
        latest = services.import_benchmarks(
            metrics=km.to_csv(km.synthetic_metrics()),
            metrics_name="demo-metrics.csv",
            peers=km.to_csv(km.peer_group_rows()),
            peers_name="demo-peer-groups.csv",
            user=None,
        )
        m.BenchmarkImport.objects.filter(metrics_file="demo-metrics.csv").exclude(
            pk=latest.pk
        ).delete()
        for year in (km.PLAN_YEAR, km.NEXT_PLAN_YEAR):
            services.save_schemes(
                schemes=km.demo_schemes(plan_year=year), plan_year=year, user=None
            )
