"""Evidence for the case for change and the service models, and model figures linked as evidence."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction

from stpkit.appraisal import Option as AppraisalOption
from stpkit.decisions import StageError
from stpkit.web.core.audit import audited_save
from stpkit.web.decisions.models import Evidence, Programme
from stpkit.web.decisions.services.rules import (
    check_editable,
    clean_or_refuse,
    need_reason,
    remove_indexed,
)

EVIDENCE_FIELDS = ("kind", "title", "source", "link", "value", "note")


@transaction.atomic
def add_evidence(
    *,
    prog: Programme,
    user: Any,
    kind: str,
    title: str,
    source: str = "",
    link: str = "",
    value: str = "",
    note: str = "",
) -> Evidence:
    """Link a piece of evidence while its stage is open (service models in their own stage)."""
    check_editable(prog, "service_model" if kind == "service_model" else "evidence")
    e = Evidence(
        programme=prog, kind=kind, title=title, source=source, link=link, value=value, note=note
    )
    audited_save(e, user)
    return e


def check_evidence_stage(e: Evidence, kind: str | None = None) -> None:
    for k in {e.kind, kind or e.kind}:
        check_editable(e.programme, "service_model" if k == "service_model" else "evidence")


@transaction.atomic
def update_evidence(
    *,
    e: Evidence,
    user: Any,
    fields: Mapping[str, str],
    reason: str = "",
    expected_version: int | None = None,
) -> Evidence:
    """Correct a piece of evidence while its stage is open (case for change or service
    models; moving it between the two needs both open, which never happens: refused)."""
    unknown = sorted(set(fields) - set(EVIDENCE_FIELDS))
    if unknown:
        raise StageError(f"Evidence fields {unknown} cannot be edited")
    kind = fields.get("kind", e.kind)
    if kind not in dict(Evidence.KINDS):
        raise StageError(f"Unknown kind of evidence {kind!r}")
    check_evidence_stage(e, kind)
    if "title" in fields and not fields["title"].strip():
        raise StageError("Evidence needs a title")
    for k, v in fields.items():
        setattr(e, k, v.strip() if k != "note" else v)
    clean_or_refuse(e, StageError, f"Evidence {e.title!r} was not changed")
    audited_save(e, user, expected_version=expected_version, reason=reason.strip())
    return e


@transaction.atomic
def remove_evidence(
    *, e: Evidence, user: Any, reason: str, expected_version: int | None = None
) -> None:
    check_evidence_stage(e)
    reason = need_reason(reason, f"Removing the evidence {e.title!r}")
    with transaction.atomic():
        remove_indexed(e.programme, e, user, reason, expected_version)


@transaction.atomic
def link_model_figures(
    *,
    prog: Programme,
    user: Any,
    option: AppraisalOption,
    metrics: Sequence[str],
    source: str,
    describe: Mapping[str, str] | None = None,
) -> list[Evidence]:
    """Link a model's figures for one option (e.g. today's configuration) as evidence."""
    describe = describe or {}
    missing = [m for m in metrics if m not in option.metrics]
    if missing:
        raise StageError(f"{source} has no figure {', '.join(missing)} for {option.name}")
    out = []
    with transaction.atomic():
        for metric in metrics:
            value = float(option.metrics[metric])
            out.append(
                add_evidence(
                    prog=prog,
                    user=user,
                    kind="figure",
                    title=f"{option.name}: {describe.get(metric, metric)}",
                    value=f"{value:.1%}" if metric.startswith("share_") else f"{value:,.4g}",
                    source=source,
                    note=f"metric {metric}",
                )
            )
    return out
