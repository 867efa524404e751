"""Declared data contracts: what each provider's extract looks like and what is allowed in it.

A contract maps a provider's own column names onto canonical field names, says how its
dates are written, which sex codes and code lists it uses, and which fields are required.
Ingest reads every file through its contract: a file that does not match (missing column,
wrong encoding, not CSV) is refused with the file, row and field; a row that breaks a rule
is quarantined with its reasons. `docs/kid.md` documents the same contracts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from stpkit.kid.pipeline import codes

DATE_FORMATS: dict[str, str] = {
    "iso": "%Y-%m-%d",
    "dmy_slash": "%d/%m/%Y",
    "dmy_dash": "%d-%m-%Y",
    "ymd_compact": "%Y%m%d",
    "d_mon_y": "%d %b %Y",
}
# The same formats for Spark's to_date (Java DateTimeFormatter patterns).
SPARK_DATE_FORMATS: dict[str, str] = {
    "iso": "yyyy-MM-dd",
    "dmy_slash": "dd/MM/yyyy",
    "dmy_dash": "dd-MM-yyyy",
    "ymd_compact": "yyyyMMdd",
    "d_mon_y": "dd MMM yyyy",
}

IDENTITY_FIELDS = ("nhs_number", "forename", "surname", "date_of_birth", "sex", "postcode")


@dataclass(frozen=True)
class Contract:
    """One provider extract: folder of monthly CSV files, columns, formats and rules."""

    name: str
    folder: str
    provider: str
    setting: str | None  # activity setting; None for the registry and condition registers
    columns: dict[str, str]  # canonical field -> provider's column name
    date_style: str
    id_prefix: str
    sex_codes: tuple[str, str] = ("1", "2")  # provider's codes for male, female
    code_lists: dict[str, tuple[str, ...]] = field(default_factory=dict)
    required: tuple[str, ...] = ("record_id", "activity_date")
    date_fields: tuple[str, ...] = ("date_of_birth", "activity_date")
    nhs_spaced: bool = False

    @property
    def date_format(self) -> str:
        return DATE_FORMATS[self.date_style]

    def source_column(self, canonical: str) -> str:
        return self.columns[canonical]


def _identity(
    nhs: str, fore: str, sur: str, dob: str, sex: str, pc: str, rid: str, date: str
) -> dict[str, str]:
    return {
        "nhs_number": nhs, "forename": fore, "surname": sur, "date_of_birth": dob,
        "sex": sex, "postcode": pc, "record_id": rid, "activity_date": date,
    }  # fmt: skip


CONTRACTS: dict[str, Contract] = {
    c.name: c
    for c in [
        Contract(
            "registry", "registry", "GP registrations (the registered population)", None,
            {**_identity("nhs_number", "forename", "surname", "date_of_birth", "sex", "postcode",
                         "registration_id", "registered_from"),
             "practice_code": "practice_code", "date_of_death": "date_of_death"},
            "iso", "REG", sex_codes=("M", "F"),
            required=("record_id", "nhs_number", "date_of_birth", "sex", "practice_code"),
            date_fields=("date_of_birth", "activity_date", "date_of_death"),
        ),
        Contract(
            "gp_conditions", "gp_conditions", "GP condition registers", None,
            {"nhs_number": "NHS_NUMBER", "record_id": "ENTRY_ID", "condition": "REGISTER",
             "activity_date": "DIAGNOSED"},
            "dmy_slash", "LTC", code_lists={"condition": codes.CONDITIONS},
            required=("record_id", "nhs_number", "condition", "activity_date"),
            date_fields=("activity_date",),
        ),
        Contract(
            "gp_appointments", "gp_appointments", "GP practice systems", "gp",
            {**_identity("NHS_NUMBER", "FORENAME", "SURNAME", "DATE_OF_BIRTH", "GENDER",
                         "POSTCODE", "APPT_ID", "APPT_DATE"),
             "staff_type": "STAFF_TYPE", "mode": "APPT_MODE"},
            "dmy_slash", "GPA", sex_codes=("M", "F"),
            code_lists={"staff_type": codes.GP_STAFF, "mode": codes.GP_MODE},
            required=("record_id", "activity_date", "staff_type"),
        ),
        Contract(
            "ae", "ae", "Acute trusts: emergency care (ECDS)", "ae",
            {**_identity("nhs_number", "given_name", "family_name", "birth_date", "sex",
                         "postcode", "attendance_id", "arrival_date"),
             "department_type": "department_type", "hrg": "hrg"},
            "iso", "AE",
            code_lists={"department_type": codes.AE_DEPARTMENT, "hrg": codes.AE_HRG},
            required=("record_id", "activity_date", "department_type", "hrg"),
        ),
        Contract(
            "apc", "apc", "Acute trusts: admitted patient care (SUS spells)", "apc",
            {**_identity("NHSNumber", "Forename", "Surname", "DOB", "Sex", "Postcode",
                         "SpellID", "AdmissionDate"),
             "end_date": "DischargeDate", "admission_method": "AdmissionMethod",
             "diagnosis": "PrimaryDiagnosis", "hrg": "HRG"},
            "ymd_compact", "APC",
            code_lists={"admission_method": codes.ADMISSION_METHOD,
                        "hrg": tuple(codes.APC_HRG)},
            required=("record_id", "activity_date", "end_date", "admission_method", "hrg"),
            date_fields=("date_of_birth", "activity_date", "end_date"),
        ),
        Contract(
            "op", "outpatients", "Acute trusts: outpatient appointments", "op",
            {**_identity("nhs_no", "first_name", "last_name", "dob", "gender", "postcode",
                         "appointment_id", "appointment_date"),
             "specialty": "specialty", "attendance_type": "first_or_follow_up", "hrg": "hrg"},
            "dmy_dash", "OPA", sex_codes=("M", "F"),
            code_lists={"specialty": codes.OP_SPECIALTY, "attendance_type": ("1", "2"),
                        "hrg": codes.OP_HRG},
            required=("record_id", "activity_date", "specialty", "hrg"),
        ),
        Contract(
            "community", "community", "Community health services", "community",
            {**_identity("NHSNumber", "Forename", "Surname", "DateOfBirth", "Gender",
                         "Postcode", "ContactID", "ContactDate"),
             "service": "ServiceType"},
            "iso", "CC", sex_codes=("Male", "Female"),
            code_lists={"service": codes.COMMUNITY_SERVICE},
            required=("record_id", "activity_date", "service"),
        ),
        Contract(
            "mental_health", "mental_health", "Mental health trust (MHSDS contacts)",
            "mental_health",
            {**_identity("NHS_Number", "Person_Given_Name", "Person_Family_Name",
                         "Person_Birth_Date", "Gender_Code", "Postcode", "Care_Contact_ID",
                         "Care_Contact_Date"),
             "team_type": "Team_Type"},
            "dmy_slash", "MH",
            code_lists={"team_type": codes.MH_TEAM},
            required=("record_id", "activity_date", "team_type"),
        ),
        Contract(
            "social_care", "social_care", "Councils: adult social care services", "social_care",
            {**_identity("NHS Number", "First Name", "Last Name", "DOB", "Gender", "Postcode",
                         "Service ID", "Service Start"),
             "service": "Service Type"},
            "d_mon_y", "SC", sex_codes=("Male", "Female"),
            code_lists={"service": codes.SOCIAL_CARE_SERVICE},
            required=("record_id", "activity_date", "service"),
            nhs_spaced=True,
        ),
    ]
}  # fmt: skip

ACTIVITY_CONTRACTS = tuple(c for c in CONTRACTS.values() if c.setting is not None)
# Canonical activity detail fields carried into the store (NULL where a setting lacks one).
ACTIVITY_DETAIL_FIELDS = (
    "hrg", "diagnosis", "admission_method", "specialty", "attendance_type", "department_type",
    "staff_type", "mode", "service", "team_type",
)  # fmt: skip
