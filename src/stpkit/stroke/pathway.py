"""The emergency stroke pathway: named, configurable timings and the patient mix.

A HASU is faster to treat than a unit that is not one (door-to-needle, door-in-door-out):
that difference, not travel alone, is what a reconfiguration buys, so both are named here.
Units outside the region are taken to work at HASU standard; today's units in the region
at the "other" standard (none is a HASU). Defaults are round figures of the kind used in
published English stroke pathway models (e.g. Allen et al.); they are assumptions to be
set locally, and every figure in a report says which values were used. Times are minutes.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

from stpkit.stroke.errors import StrokeError


@dataclass(frozen=True)
class Pathway:
    onset_to_call: float = 60.0
    call_to_ambulance_arrival: float = 18.0
    ambulance_on_scene: float = 29.0
    arrival_to_needle_hasu: float = 30.0  # door-to-needle at a HASU
    arrival_to_needle_other: float = 50.0  # at a unit that is not a HASU (today's units)
    arrival_to_puncture: float = 90.0  # door-to-groin when the first unit provides MT
    door_in_door_out_hasu: float = 60.0  # at a HASU without MT, before the transfer leaves
    door_in_door_out_other: float = 90.0  # the same at a unit that is not a HASU
    transfer_arrival_to_puncture: float = 60.0  # at the MT centre after a transfer

    def __post_init__(self) -> None:
        for f in fields(self):
            v = getattr(self, f.name)
            if not isinstance(v, int | float) or v < 0:
                raise StrokeError(f"Pathway timing {f.name!r} must be a number >= 0, not {v!r}")

    @property
    def before_travel(self) -> float:
        return self.onset_to_call + self.call_to_ambulance_arrival + self.ambulance_on_scene

    def as_dict(self) -> dict[str, float]:
        return asdict(self)


@dataclass(frozen=True)
class Cohort:
    """Shares of stroke admissions by type and treatment (must each lie in 0-1).

    Only ischaemic strokes (nLVO, LVO) have outcome distributions in `stroke-outcome`;
    outcomes are reported for them and scaled by their share of admissions.
    """

    share_nlvo: float = 0.60
    share_lvo: float = 0.25
    nlvo_ivt: float = 0.15  # share of nLVO given thrombolysis
    lvo_ivt_only: float = 0.10  # share of LVO given thrombolysis alone
    lvo_mt_only: float = 0.10  # share of LVO given thrombectomy alone
    lvo_ivt_and_mt: float = 0.20  # share of LVO given both

    def __post_init__(self) -> None:
        for f in fields(self):
            v = getattr(self, f.name)
            if not 0.0 <= v <= 1.0:
                raise StrokeError(f"Cohort share {f.name!r} must lie in 0-1, not {v!r}")
        if self.share_nlvo + self.share_lvo > 1.0 + 1e-9:
            raise StrokeError("share_nlvo + share_lvo must not exceed 1")
        if self.lvo_ivt_only + self.lvo_mt_only + self.lvo_ivt_and_mt > 1.0 + 1e-9:
            raise StrokeError("The LVO treatment shares must not add up to more than 1")

    @property
    def share_ischaemic(self) -> float:
        return self.share_nlvo + self.share_lvo

    def as_dict(self) -> dict[str, float]:
        return asdict(self)
