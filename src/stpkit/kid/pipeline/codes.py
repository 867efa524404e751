"""Code lists, activity settings and unit costs of the integrated dataset.

The code lists are what the data contracts check against (an unknown code quarantines the
row); the settings describe how often each kind of activity happens (used by the synthetic
generator); the unit costs are by setting and code (HRG where there is one).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

# Long-term conditions (QOF register style codes): (prevalence at age 50, slope per year).
CONDITION_PREVALENCE: dict[str, tuple[float, float]] = {
    "HYP": (0.15, 0.04), "DM": (0.06, 0.03), "COPD": (0.02, 0.05), "AST": (0.06, 0.0),
    "CHD": (0.03, 0.06), "HF": (0.006, 0.08), "AF": (0.01, 0.08), "STIA": (0.01, 0.07),
    "CKD": (0.02, 0.07), "DEM": (0.002, 0.13), "DEP": (0.12, -0.005), "CAN": (0.02, 0.05),
    "SMI": (0.009, 0.0),
}  # fmt: skip
CONDITIONS = tuple(CONDITION_PREVALENCE)

GP_STAFF = ("GP", "NURSE", "OTHER")
GP_MODE = ("F2F", "TEL", "HV")
AE_DEPARTMENT = ("01", "02", "03")
AE_HRG = ("VB01Z", "VB02Z", "VB03Z", "VB04Z", "VB05Z", "VB06Z", "VB07Z", "VB08Z", "VB09Z",
          "VB11Z")  # fmt: skip
ADMISSION_METHOD_ELECTIVE = ("11", "12", "13")
ADMISSION_METHOD_EMERGENCY = ("21", "22", "23", "24", "25", "28")
ADMISSION_METHOD_OTHER = ("31", "32", "81", "82", "83")
ADMISSION_METHOD = ADMISSION_METHOD_ELECTIVE + ADMISSION_METHOD_EMERGENCY + ADMISSION_METHOD_OTHER
# Admitted-patient HRGs with a typical primary diagnosis (ICD-10) for each.
APC_HRG: dict[str, str] = {
    "AA35A": "I63", "AA35C": "G45", "EB03A": "I50", "EB07C": "I48", "DZ65A": "J44",
    "DZ11B": "J18", "FD10A": "K92", "HN12A": "S72", "LA04A": "N18", "WJ06A": "A41",
    "HC04A": "M17", "FF12A": "K80", "BZ34C": "H25", "MA07A": "O80", "PA14B": "J21",
    "EB14A": "I21",
}  # fmt: skip
OP_SPECIALTY = ("100", "101", "110", "120", "130", "300", "301", "320", "330", "340", "400",
                "410", "420", "430", "502", "503")  # fmt: skip
OP_HRG = ("WF01A", "WF01B", "WF01C", "WF02A", "WF02B")
COMMUNITY_SERVICE = ("DN", "PHYSIO", "PODIATRY", "SLT", "OT", "HV", "SCHOOL", "RESP", "CARDIAC")
MH_TEAM = ("A05", "A06", "A08", "C02", "C03", "C10", "E01", "E02")
SOCIAL_CARE_SERVICE = ("HOMECARE", "RESIDENTIAL", "NURSING", "DAYCARE", "DIRECTPAY", "REABLE")

UNIT_COSTS: dict[tuple[str, str], float] = {
    **{("gp", s): c for s, c in zip(GP_STAFF, (42.0, 18.0, 25.0), strict=True)},
    **{("ae", h): 90.0 + 40.0 * i for i, h in enumerate(AE_HRG)},
    **{("op", h): c for h, c in zip(OP_HRG, (165.0, 120.0, 210.0, 110.0, 95.0), strict=True)},
    **{("apc", h): c for h, c in zip(
        APC_HRG, (6800.0, 1900.0, 3100.0, 1500.0, 2600.0, 2900.0, 1800.0, 7900.0, 2400.0,
                  3900.0, 6200.0, 3400.0, 950.0, 2100.0, 1300.0, 2700.0), strict=True)},
    **{("community", s): c for s, c in zip(
        COMMUNITY_SERVICE, (45.0, 60.0, 40.0, 85.0, 75.0, 50.0, 35.0, 70.0, 70.0), strict=True)},
    **{("mental_health", t): c for t, c in zip(
        MH_TEAM, (150.0, 130.0, 160.0, 110.0, 120.0, 180.0, 140.0, 200.0), strict=True)},
    **{("social_care", s): c for s, c in zip(
        SOCIAL_CARE_SERVICE, (420.0, 3200.0, 4100.0, 260.0, 380.0, 640.0), strict=True)},
}  # fmt: skip

FieldMaker = Callable[[np.ndarray, object, np.random.Generator, int], dict[str, np.ndarray]]


def _choice(options: tuple[str, ...], rng: np.random.Generator, n: int) -> np.ndarray:
    return np.asarray(options)[rng.integers(0, len(options), n)]


def _gp(when: np.ndarray, pop: object, rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    staff = np.asarray(GP_STAFF)[rng.choice(3, n, p=[0.55, 0.3, 0.15])]
    return {"staff_type": staff, "mode": np.asarray(GP_MODE)[rng.choice(3, n, p=[0.6, 0.35, 0.05])]}


def _ae(when: np.ndarray, pop: object, rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    return {
        "department_type": np.asarray(AE_DEPARTMENT)[rng.choice(3, n, p=[0.7, 0.05, 0.25])],
        "hrg": _choice(AE_HRG, rng, n),
    }


def _apc(when: np.ndarray, pop: object, rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    hrgs = np.asarray(list(APC_HRG))
    diagnoses = np.asarray(list(APC_HRG.values()))
    pick = rng.integers(0, len(hrgs), n)
    hrg, diag = hrgs[pick], diagnoses[pick]
    kind = rng.random(n)
    method = np.where(
        kind < 0.35,
        _choice(ADMISSION_METHOD_ELECTIVE, rng, n),
        np.where(kind < 0.95, _choice(ADMISSION_METHOD_EMERGENCY, rng, n),
                 _choice(ADMISSION_METHOD_OTHER, rng, n)),
    )  # fmt: skip
    los = np.where(kind < 0.35, rng.integers(0, 3, n), rng.geometric(0.18, n) - 1)
    return {
        "admission_method": method,
        "diagnosis": diag,
        "hrg": hrg,
        "end_date": when + los.astype("timedelta64[D]"),
    }


def _op(when: np.ndarray, pop: object, rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    first = rng.random(n) < 0.35
    return {
        "specialty": _choice(OP_SPECIALTY, rng, n),
        "attendance_type": np.where(first, "1", "2"),
        "hrg": np.where(first, _choice(OP_HRG[:3], rng, n), _choice(OP_HRG[3:], rng, n)),
    }


def _community(
    when: np.ndarray, pop: object, rng: np.random.Generator, n: int
) -> dict[str, np.ndarray]:
    return {"service": _choice(COMMUNITY_SERVICE, rng, n)}


def _mh(when: np.ndarray, pop: object, rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    return {"team_type": _choice(MH_TEAM, rng, n)}


def _sc(when: np.ndarray, pop: object, rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    service = np.asarray(SOCIAL_CARE_SERVICE)[
        rng.choice(6, n, p=[0.45, 0.12, 0.08, 0.1, 0.15, 0.1])
    ]
    return {"service": service}


@dataclass(frozen=True)
class Setting:
    """One kind of activity: how often it happens and what it records."""

    name: str
    base_rate: float
    age_knots: tuple[float, ...]
    age_rates: tuple[float, ...]
    ltc_effect: float
    make_fields: FieldMaker
    coded_field: str
    cost_field: str
    condition_focus: tuple[str, ...] = ()
    focus_multiplier: float = 1.0


KNOTS = (0.0, 5.0, 20.0, 45.0, 65.0, 80.0, 95.0)
SETTINGS: dict[str, Setting] = {
    "gp": Setting("gp", 4.6, KNOTS, (1.4, 0.8, 0.8, 1.0, 1.4, 2.0, 2.3), 0.3, _gp,
                  "staff_type", "staff_type"),
    "ae": Setting("ae", 0.28, KNOTS, (1.3, 1.0, 1.1, 0.8, 0.9, 1.6, 2.2), 0.25, _ae,
                  "department_type", "hrg"),
    "op": Setting("op", 1.4, KNOTS, (0.5, 0.5, 0.6, 1.0, 1.6, 2.0, 1.8), 0.35, _op,
                  "specialty", "hrg"),
    "apc": Setting("apc", 0.1, KNOTS, (0.8, 0.4, 0.5, 0.8, 1.6, 3.0, 4.0), 0.4, _apc,
                   "admission_method", "hrg"),
    "community": Setting("community", 1.6, KNOTS, (0.6, 0.3, 0.2, 0.4, 1.2, 4.0, 7.0), 0.35,
                         _community, "service", "service"),
    "mental_health": Setting("mental_health", 0.3, KNOTS, (0.1, 0.6, 1.4, 1.2, 0.8, 1.2, 1.4),
                             0.1, _mh, "team_type", "team_type", ("DEP", "SMI", "DEM"), 4.0),
    "social_care": Setting("social_care", 0.12, KNOTS, (0.05, 0.05, 0.1, 0.2, 0.6, 3.0, 8.0),
                           0.3, _sc, "service", "service"),
}  # fmt: skip
