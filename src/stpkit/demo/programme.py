"""Load the Kent and Medway programme of the seed papers (programme.yaml, 2017-2019).

Leads and senior responsible officers for the ten workstreams, their aims and objectives
with the gap each closes, milestones (the stroke consultation timeline of the November
2017 HOSC paper with both Investment Committee scenarios), the dependencies between
workstreams, and the risk register with its score history. The demo login "lead" leads
Hospital care. Idempotent: items are matched by workstream and title.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

from stpkit.demo.clock import AS_AT, at
from stpkit.web.accounts.models import User
from stpkit.web.accounts.roles import Role
from stpkit.web.programme.models import (
    Dependency,
    Milestone,
    Objective,
    Risk,
    RiskPolicy,
    RiskScore,
    Workstream,
)

DATA = Path(__file__).with_name("programme.yaml")


@cache
def demo_data() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    return loaded


def _lead(username: str, workstream: Workstream) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, first_name="Demo", last_name=f"{workstream.name} lead")
        user.set_unusable_password()
    user.role = Role.WORKSTREAM_LEAD.value
    user.save()
    return user


def _load_workstreams(data: dict[str, Any], workstreams: dict[str, Workstream]) -> None:
    for item in data["leadership"]:
        ws = workstreams[item["workstream"]]
        ws.lead = _lead(item["lead"], ws)
        ws.senior_responsible_officer = item["sro"]
        ws.status = item["status"]
        ws.save()
    for slug, objectives in data["objectives"].items():
        for order, item in enumerate(objectives, start=1):
            Objective.objects.update_or_create(
                workstream=workstreams[slug],
                text=item["text"],
                defaults={"gap": item["gap"], "order": order},
            )


def _load_plans(data: dict[str, Any], workstreams: dict[str, Workstream]) -> None:
    milestones: dict[tuple[str, str], Milestone] = {}
    for item in data["milestones"]:
        milestone, _ = Milestone.objects.update_or_create(
            workstream=workstreams[item["workstream"]],
            title=item["title"],
            defaults={
                "start_date": item.get("start"),
                "baseline_date": item["baseline"],
                "forecast_date": item["forecast"],
                "status": item["status"],
                "owner": item["owner"],
                "description": item.get("description", ""),
            },
        )
        milestones[(item["workstream"], item["title"])] = milestone
    for item in data["dependencies"]:
        Dependency.objects.update_or_create(
            predecessor=milestones[(item["waits_for_workstream"], item["waits_for"])],
            successor=milestones[(item["workstream"], item["milestone"])],
            defaults={"note": item.get("note", "")},
        )


def _load_risks(data: dict[str, Any], workstreams: dict[str, Workstream]) -> None:
    for item in data["risks"]:
        risk, _ = Risk.objects.update_or_create(
            workstream=workstreams[item["workstream"]] if item["workstream"] else None,
            title=item["title"],
            defaults={
                k: item[k]
                for k in (
                    "kind",
                    "description",
                    "owner",
                    "likelihood",
                    "consequence",
                    "target_likelihood",
                    "target_consequence",
                    "mitigations",
                    "review_date",
                )
            },
        )
        if risk.scores.exists():
            continue
        history = [
            *item["history"],
            {"date": AS_AT, **{k: item[k] for k in ("likelihood", "consequence")}},
        ]
        for entry in history:
            score = RiskScore.objects.create(
                risk=risk,
                likelihood=entry["likelihood"],
                consequence=entry["consequence"],
                score=entry["likelihood"] * entry["consequence"],
            )
            RiskScore.objects.filter(pk=score.pk).update(recorded_at=at(entry["date"], hour=9))


def load() -> None:
    RiskPolicy.current()
    data = demo_data()
    workstreams = {w.slug: w for w in Workstream.objects.all()}
    _load_workstreams(data, workstreams)
    _load_plans(data, workstreams)
    _load_risks(data, workstreams)
