"""Forms of the programme page (evidence, governance roles, model figures) and the stage page."""

from __future__ import annotations

from django import forms
from django.shortcuts import get_object_or_404

from stpkit.web.accounts.models import User
from stpkit.web.decisions import services, stroke_source
from stpkit.web.decisions.forms.base import ActionForm, Text, Version, refuse
from stpkit.web.decisions.models import Evidence, RoleHolder

REGION = "Kent and Medway"


class AssignRoleForm(ActionForm):
    user = forms.CharField(required=False)
    role = Text()

    def run(self) -> str:
        prog = self.context["prog"]
        holder = get_object_or_404(User, username=self.cleaned_data["user"])
        r = services.assign_role(
            prog=prog, user=self.user, holder=holder, role=self.cleaned_data["role"]
        )
        return f"{holder.display_name} holds the role {r.get_role_display()}"


class RemoveRoleForm(ActionForm):
    holder = forms.CharField(required=False)
    reason = Text()

    def run(self) -> str:
        prog = self.context["prog"]
        row = get_object_or_404(RoleHolder, programme=prog, pk=self.cleaned_data["holder"] or None)
        services.remove_role(
            prog=prog, user=self.user, holder_row=row, reason=self.cleaned_data["reason"]
        )
        return f"Removed {row.user.display_name} as {row.get_role_display()}"


class ModelFiguresForm(ActionForm):
    def run(self) -> str:
        prog = self.context["prog"]
        if prog.process_key != "stroke":
            raise refuse("Only stroke programmes draw on the stroke model")
        found = services.link_model_figures(
            prog=prog,
            user=self.user,
            option=stroke_source.today_option(REGION),
            metrics=stroke_source.CASE_FOR_CHANGE_METRICS,
            source=stroke_source.SOURCE,
            describe=stroke_source.descriptions(),
        )
        return f"Linked {len(found)} figures from the stroke model"


class AddEvidenceForm(ActionForm):
    kind = forms.CharField(required=False)
    title = Text()
    source = Text()
    link = Text()
    value = Text()

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        kind = data.get("kind") or "document"
        if kind not in dict(Evidence.KINDS):
            raise forms.ValidationError(f"Unknown kind of evidence {kind!r}")
        if not str(data.get("title", "")).strip():
            raise forms.ValidationError("Evidence needs a title")
        data["kind"] = kind
        return data

    def run(self) -> str:
        d = self.cleaned_data
        e = services.add_evidence(
            prog=self.context["prog"],
            user=self.user,
            kind=d["kind"],
            title=d["title"].strip(),
            source=d["source"],
            link=d["link"],
            value=d["value"],
        )
        return f"Linked evidence: {e.title}"


class EvidenceForm(ActionForm):
    """Edit (all its fields) or remove (with a reason) one piece of evidence."""

    evidence = forms.CharField(required=False)
    kind = Text()
    title = Text()
    source = Text()
    link = Text()
    value = Text()
    note = Text()
    reason = Text()
    version = Version()

    def evidence_row(self) -> Evidence:
        pk = self.cleaned_data["evidence"] or None
        return get_object_or_404(Evidence, programme=self.context["prog"], pk=pk)

    def run(self) -> str:
        e = self.evidence_row()
        d = self.cleaned_data
        services.update_evidence(
            e=e,
            user=self.user,
            fields={k: d[k] for k in services.EVIDENCE_FIELDS},
            reason=d["reason"],
            expected_version=d["version"],
        )
        return f"Evidence {e.title!r} saved"


class RemoveEvidenceForm(EvidenceForm):
    def run(self) -> str:
        e = self.evidence_row()
        services.remove_evidence(
            e=e,
            user=self.user,
            reason=self.cleaned_data["reason"],
            expected_version=self.cleaned_data["version"],
        )
        return f"Removed the evidence {e.title!r}"


PROGRAMME_ACTIONS: dict[str, type[ActionForm]] = {
    "assign_role": AssignRoleForm,
    "remove_role": RemoveRoleForm,
    "model_figures": ModelFiguresForm,
    "edit_evidence": EvidenceForm,
    "remove_evidence": RemoveEvidenceForm,
    "evidence": AddEvidenceForm,
}


class OwnerForm(ActionForm):
    owner = forms.CharField(required=False)
    version = Version()

    def run(self) -> str:
        row = services.set_stage_owner(
            stage=self.context["stage"],
            user=self.user,
            owner=self.cleaned_data["owner"],
            expected_version=self.cleaned_data["version"],
        )
        return f"Owner of {row.title} recorded"


class SignOffForm(ActionForm):
    editor_only = False  # the stage's named governance role signs, checked by the service

    def run(self) -> str:
        row = self.context["stage"]
        services.sign_off(stage=row, user=self.user)
        return f"{row.title} signed off"


class ReopenForm(ActionForm):
    editor_only = False  # the sign-off role or the SRO, checked by the service
    reason = Text()

    def run(self) -> str:
        done = services.reopen(
            stage=self.context["stage"], user=self.user, reason=self.cleaned_data["reason"]
        )
        return f"Reopened {len(done)} stage(s): {', '.join(s.title for s in done)}"


STAGE_ACTIONS: dict[str, type[ActionForm]] = {
    "owner": OwnerForm,
    "sign_off": SignOffForm,
    "reopen": ReopenForm,
}
