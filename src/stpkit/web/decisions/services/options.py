"""Options on the long list: added by hand, imported from a model, edited in the long-list stage."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction

from stpkit.appraisal import Option as AppraisalOption
from stpkit.decisions import StageError
from stpkit.web.core.audit import audited_save
from stpkit.web.decisions.models import Option, Programme
from stpkit.web.decisions.services.rules import check_editable, clean_or_refuse

OPTION_FIELDS = (
    "name",
    "description",
    "members",
    "scope",
    "service_solution",
    "service_delivery",
    "implementation",
    "funding",
    "business_as_usual",
    "do_minimum",
)


@transaction.atomic
def add_option(*, prog: Programme, user: Any, **fields: Any) -> Option:
    check_editable(prog, "options")
    if prog.options.filter(code=fields.get("code")).exists():
        raise StageError(f"{prog} already has an option with code {fields.get('code')!r}")
    o = Option(programme=prog, **fields)
    clean_or_refuse(o, StageError, f"Option {fields.get('code')!r} was not added")
    audited_save(o, user)
    return o


@transaction.atomic
def update_option(
    *, option: Option, user: Any, fields: Mapping[str, Any], expected_version: int | None = None
) -> Option:
    """Change an option's description and options-framework dimensions (long-list stage).

    Model figures and the list it reached are not edited by hand: they come from the model
    and the sift.
    """
    check_editable(option.programme, "options")
    unknown = sorted(set(fields) - set(OPTION_FIELDS))
    if unknown:
        raise StageError(f"Option fields {unknown} cannot be edited by hand")
    for k, v in fields.items():
        setattr(option, k, v)
    clean_or_refuse(option, StageError, f"Option {option.code!r} was not changed")
    audited_save(option, user, expected_version=expected_version)
    return option


@transaction.atomic
def import_options(
    *, prog: Programme, user: Any, options: Sequence[AppraisalOption], scope: str = ""
) -> int:
    """Add generated options (e.g. the stroke model's long list) with their metrics.

    An option whose origin is "business as usual" is marked as such; codes already on the
    programme are refused, so a long list is never imported twice by accident.
    """
    check_editable(prog, "options")
    taken = set(prog.options.values_list("code", flat=True))
    clash = sorted(o.name for o in options if o.name in taken)
    if clash:
        raise StageError(f"{prog} already has options {', '.join(clash[:5])}")
    with transaction.atomic():
        for o in options:
            bau = o.origin == "business as usual"
            add_option(
                prog=prog,
                user=user,
                code=o.name,
                name=("Business as usual: " if bau else "HASUs at ") + "; ".join(o.members),
                members="; ".join(o.members),
                metrics={k: round(float(v), 6) for k, v in o.metrics.items()},
                origin="model",
                business_as_usual=bau,
                scope=scope,
            )
    return len(options)
