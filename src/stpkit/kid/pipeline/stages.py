"""Every pipeline stage written once, as SQL in DuckDB's dialect.

The DuckDB engine runs these statements as they are; the Spark engine transpiles them
with sqlglot (`stpkit.kid.pipeline.duckdb_engine`). Keeping each rule in one place is what makes the
engine-parity test meaningful: both engines apply the same contract checks, the same
modulus 11 check, the same HMAC and the same joins.
"""

from __future__ import annotations

from stpkit.kid.pipeline.codes import SETTINGS
from stpkit.kid.pipeline.contracts import (
    ACTIVITY_CONTRACTS,
    ACTIVITY_DETAIL_FIELDS,
    CONTRACTS,
    DATE_FORMATS,
    Contract,
)
from stpkit.kid.pipeline.pseudonymise import PseudonymKey, nhs_digits_sql, nhs_valid_sql, token_sql


def _q(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _text(col: str) -> str:
    return f"nullif(trim({col}), '')"


def parse_date(col: str, contract: Contract) -> str:
    return f"CAST(try_strptime(trim({col}), {_q(contract.date_format)}) AS DATE)"


def raw_table(contract: Contract) -> str:
    return f"raw_{contract.name}"


def _shown_code(field: str) -> str:
    """The rejected value as the quarantine may show it: only if it is shaped like a code.

    The quarantine lives in the pseudonymised store, so a value that could be an identifier
    typed into the wrong column (an NHS number, a name, a postcode, a date of birth) must
    not be copied there. Short upper-case codes (specialty 999, HRG AA22C, ICD-10 I63.9)
    are shown, as they help the provider fix the file; anything else is described by its
    length, and the file and row let the provider find it.
    """
    value = f"trim({field})"
    return (
        f"CASE WHEN regexp_matches({value}, '^[A-Z0-9.]{{1,5}}$') THEN {value} "
        f"ELSE concat('(a value of ', CAST(length({value}) AS VARCHAR), "
        "' characters, not shown)') END"
    )


def _reasons(contract: Contract) -> list[str]:
    """One CASE per rule, giving the reason text when the row breaks it."""
    out: list[str] = []
    for field in contract.required:
        out.append(f"CASE WHEN {_text(field)} IS NULL THEN '{field}: missing' END")
    for field in contract.date_fields:
        if field == "date_of_birth":
            continue  # a bad date of birth only weakens linkage; the activity still counts
        out.append(
            f"CASE WHEN {_text(field)} IS NOT NULL AND {parse_date(field, contract)} IS NULL "
            f"THEN '{field}: not a valid date in format {contract.date_format}' END"
        )
    for field, allowed in contract.code_lists.items():
        listed = ", ".join(_q(v) for v in allowed)
        out.append(
            f"CASE WHEN {_text(field)} IS NOT NULL AND trim({field}) NOT IN ({listed}) "
            f"THEN concat('{field}: unknown code ', {_shown_code(field)}) END"
        )
    if "sex" in contract.columns:
        codes = ", ".join(_q(v) for v in contract.sex_codes)
        out.append(
            f"CASE WHEN {_text('sex')} IS NOT NULL AND trim(sex) NOT IN ({codes}) "
            "THEN 'sex: unknown code' END"
        )
    if "end_date" in contract.columns:
        out.append(
            f"CASE WHEN {parse_date('end_date', contract)} < "
            f"{parse_date('activity_date', contract)}"
            " THEN 'end_date: before activity_date' END"
        )
    return out


def _identity_columns(contract: Contract) -> list[str]:
    male, female = contract.sex_codes
    return [
        "nhs_number AS nhs_raw",
        "upper(trim(forename)) AS forename",
        "upper(trim(surname)) AS surname",
        f"{parse_date('date_of_birth', contract)} AS date_of_birth",
        f"CASE trim(sex) WHEN {_q(male)} THEN 'M' WHEN {_q(female)} THEN 'F' END AS sex",
        "upper(regexp_replace(trim(postcode), '\\s+', ' ', 'g')) AS postcode",
    ]


def staged_activity_sql(contract: Contract) -> str:
    """One provider's rows in canonical form, with the reasons each breaks its contract."""
    assert contract.setting is not None
    details = [
        f"{_text(f)} AS {f}" if f in contract.columns else f"CAST(NULL AS VARCHAR) AS {f}"
        for f in ACTIVITY_DETAIL_FIELDS
    ]
    end = (
        parse_date("end_date", contract) if "end_date" in contract.columns else "CAST(NULL AS DATE)"
    )
    cost_field = SETTINGS[contract.setting].cost_field
    cols = [
        f"{_q(contract.name)} AS provider",
        f"{_q(contract.setting)} AS setting",
        "source_file",
        "row_number",
        f"{_text('record_id')} AS record_id",
        *_identity_columns(contract),
        f"{parse_date('activity_date', contract)} AS activity_date",
        f"{end} AS end_date",
        *details,
        f"{_text(cost_field)} AS cost_code",
        f"concat_ws('; ', {', '.join(_reasons(contract))}) AS reasons",
    ]
    return f"SELECT {', '.join(cols)} FROM {raw_table(contract)}"


ACTIVITY_STAGED_COLUMNS = (
    "provider", "setting", "source_file", "row_number", "record_id", "nhs_raw", "forename",
    "surname", "date_of_birth", "sex", "postcode", "activity_date", "end_date",
    *ACTIVITY_DETAIL_FIELDS, "cost_code", "reasons",
)  # fmt: skip


def staged_table(contract: Contract) -> str:
    """The table one contract's extracts are staged into, straight from the CSV stream."""
    return "staged_conditions" if contract.name == "gp_conditions" else f"staged_{contract.name}"


def _activity_union(present: list[str], columns: str) -> str:
    parts = [
        f"SELECT {columns} FROM {staged_table(c)}" for c in ACTIVITY_CONTRACTS if c.name in present
    ]
    return " UNION ALL ".join(f"({p})" for p in parts)


def duplicate_rows_sql(present: list[str]) -> str:
    """Where a record id repeats an earlier row's (by file, then row): a narrow table.

    Only record ids seen more than once are ranked: a grouping finds them, so the window
    (which sorts) runs over a handful of rows instead of every activity record.
    """
    union = _activity_union(present, "provider, record_id, source_file, row_number")
    return (
        f"WITH u AS (SELECT * FROM ({union}) a WHERE record_id IS NOT NULL), "
        "k AS (SELECT provider, record_id FROM u GROUP BY provider, record_id "
        "HAVING count(*) > 1) "
        "SELECT provider, source_file, row_number FROM ("
        "SELECT u.provider, u.source_file, u.row_number, row_number() OVER ("
        "PARTITION BY u.provider, u.record_id ORDER BY u.source_file, u.row_number) AS dup_rank "
        "FROM u JOIN k ON u.provider = k.provider AND u.record_id = k.record_id) d "
        "WHERE dup_rank > 1"
    )


def staged_all_activity_sql(present: list[str]) -> str:
    """All activity rows, with later copies of a record id (`duplicate_rows`) quarantined.

    Meant as a view over the per-provider staged tables: the join is with a small table,
    so reading it again costs less than storing every activity record once more.
    """
    union = _activity_union(present, ", ".join(ACTIVITY_STAGED_COLUMNS))
    keep = ", ".join(f"u.{c}" for c in ACTIVITY_STAGED_COLUMNS if c != "reasons")
    return (
        f"SELECT {keep}, "
        "concat_ws('; ', nullif(u.reasons, ''), CASE WHEN d.row_number IS NOT NULL "
        "THEN 'record_id: duplicate of an earlier row' END) AS reasons "
        f"FROM ({union}) u LEFT JOIN duplicate_rows d ON u.provider = d.provider "
        "AND u.source_file = d.source_file AND u.row_number = d.row_number"
    )


def staged_registry_sql() -> str:
    c = CONTRACTS["registry"]
    digits = nhs_digits_sql("nhs_number")
    reasons = [
        *_reasons(c),
        f"CASE WHEN {_text('nhs_number')} IS NOT NULL AND NOT ({nhs_valid_sql(digits)}) "
        "THEN 'nhs_number: fails the modulus 11 check' END",
        f"CASE WHEN {_text('date_of_birth')} IS NOT NULL AND {parse_date('date_of_birth', c)} "
        f"IS NULL THEN 'date_of_birth: not a valid date in format {c.date_format}' END",
    ]
    cols = [
        "'registry' AS provider", "source_file", "row_number",
        f"{_text('record_id')} AS record_id", *_identity_columns(c),
        f"{digits} AS nhs_digits", f"{_text('practice_code')} AS practice_code",
        f"{parse_date('activity_date', c)} AS registered_from",
        f"{parse_date('date_of_death', c)} AS date_of_death",
        f"concat_ws('; ', {', '.join(reasons)}) AS reasons",
    ]  # fmt: skip
    inner = f"SELECT {', '.join(cols)} FROM {raw_table(c)}"
    keep = ", ".join(c.split(" AS ")[-1] for c in cols[:-1])
    return (
        f"SELECT {keep}, "
        "concat_ws('; ', nullif(reasons, ''), CASE WHEN dup_rank > 1 AND nhs_digits <> '' "
        "THEN 'nhs_number: registered twice (duplicate of an earlier row)' END) AS reasons "
        "FROM (SELECT *, row_number() OVER (PARTITION BY nhs_digits "
        f"ORDER BY source_file, row_number) AS dup_rank FROM ({inner}) r) d"
    )


def staged_conditions_sql() -> str:
    c = CONTRACTS["gp_conditions"]
    digits = nhs_digits_sql("nhs_number")
    reasons = [
        *_reasons(c),
        f"CASE WHEN {_text('nhs_number')} IS NOT NULL AND NOT ({nhs_valid_sql(digits)}) "
        "THEN 'nhs_number: fails the modulus 11 check' END",
    ]
    return (
        f"SELECT 'gp_conditions' AS provider, source_file, row_number, "
        f"{_text('record_id')} AS record_id, {digits} AS nhs_digits, trim(condition) AS condition, "
        f"{parse_date('activity_date', c)} AS diagnosed, "
        f"concat_ws('; ', {', '.join(reasons)}) AS reasons FROM {raw_table(c)}"
    )


def quarantine_sql() -> str:
    """Rows refused, with where they are and why (no values: identifiers stay in raw)."""
    parts = [
        f"SELECT provider, source_file, row_number, reasons FROM {t} WHERE reasons <> ''"
        for t in ("staged_registry", "staged_conditions", "staged_activity")
    ]
    return " UNION ALL ".join(parts)


def load_log_sql() -> str:
    parts = [
        f"SELECT provider, source_file, count(*) AS rows_in, "
        f"sum(CASE WHEN reasons = '' THEN 1 ELSE 0 END) AS accepted, "
        f"sum(CASE WHEN reasons <> '' THEN 1 ELSE 0 END) AS quarantined FROM {t} "
        "GROUP BY provider, source_file"
        for t in ("staged_registry", "staged_conditions", "staged_activity")
    ]
    inner = " UNION ALL ".join(parts)
    return (
        "SELECT provider, source_file, CAST(rows_in AS BIGINT) AS rows_in, "
        "CAST(accepted AS BIGINT) AS accepted, CAST(quarantined AS BIGINT) AS quarantined "
        f"FROM ({inner}) x"
    )


def activity_nhs_sql() -> str:
    """Each distinct NHS number as delivered in accepted activity, with its digits.

    Cleaning and checking once per distinct value (about one per person) instead of once
    per record: records outnumber people ten to one.
    """
    return (
        f"SELECT nhs_raw, {nhs_digits_sql('nhs_raw')} AS nhs_digits FROM ("
        "SELECT DISTINCT nhs_raw FROM staged_activity WHERE reasons = '') r"
    )


def nhs_token_map_sql(key: PseudonymKey) -> str:
    """Every distinct NHS number (activity, registry, conditions): modulus 11 and token.

    The HMAC (two SHA-256 each) is the costliest expression of the build, so it is
    computed once per person here and joined, not once per record.
    """
    digits = (
        "SELECT nhs_digits FROM activity_nhs UNION "
        "SELECT nhs_digits FROM staged_registry WHERE reasons = '' UNION "
        "SELECT nhs_digits FROM staged_conditions WHERE reasons = ''"
    )
    return (
        "SELECT nhs_digits, nhs_valid, "
        f"CASE WHEN nhs_valid THEN {token_sql(key, 'nhs_digits')} END AS nhs_token FROM ("
        f"SELECT nhs_digits, {nhs_valid_sql('nhs_digits')} AS nhs_valid FROM ({digits}) d) v"
    )


def registry_identity_sql() -> str:
    """The registered population with tokens: the hub every record is linked to."""
    return (
        "SELECT m.nhs_token AS person_token, r.forename, r.surname, r.date_of_birth, r.sex, "
        "r.postcode, r.practice_code, r.registered_from, r.date_of_death "
        "FROM staged_registry r LEFT JOIN nhs_token_map m ON r.nhs_digits = m.nhs_digits "
        "WHERE r.reasons = ''"
    )


def activity_identity_sql(key: PseudonymKey) -> str:
    """Accepted activity with NHS number checked, token where valid, identity key otherwise.

    The check and token come from `nhs_token_map` (by the number as delivered); only the
    few records without a valid number get a token of their own (an identity key).
    """
    ident = (
        "concat_ws('|', coalesce(s.forename, ''), coalesce(s.surname, ''), "
        "coalesce(CAST(s.date_of_birth AS VARCHAR), ''), coalesce(s.sex, ''), "
        "coalesce(s.postcode, ''))"
    )
    cols = ", ".join(f"s.{c}" for c in ACTIVITY_STAGED_COLUMNS if c != "reasons")
    return (
        f"SELECT {cols}, coalesce(k.nhs_valid, false) AS nhs_valid, k.nhs_token, "
        f"CASE WHEN NOT coalesce(k.nhs_valid, false) THEN {token_sql(key, ident)} END "
        "AS identity_key FROM staged_activity s LEFT JOIN ("
        "SELECT a.nhs_raw, m.nhs_valid, m.nhs_token FROM activity_nhs a "
        "JOIN nhs_token_map m ON a.nhs_digits = m.nhs_digits) k ON s.nhs_raw = k.nhs_raw "
        "WHERE s.reasons = ''"
    )


def unlinked_identities_sql() -> str:
    """One row per distinct identity among records without a valid NHS number."""
    return (
        "SELECT identity_key, any_value(forename) AS forename, any_value(surname) AS surname, "
        "any_value(CAST(date_of_birth AS VARCHAR)) AS date_of_birth, any_value(sex) AS sex, "
        "any_value(postcode) AS postcode FROM activity_identity WHERE NOT nhs_valid "
        "GROUP BY identity_key"
    )


def _age(birth: str, at: str) -> str:
    months = f"(year({at}) * 12 + month({at}) - year({birth}) * 12 - month({birth}))"
    return f"CAST(floor({months} / 12.0) AS INTEGER)"


def activity_sql() -> str:
    """The pseudonymised activity table: no identifiers, one row per accepted record."""
    details = ", ".join(f"a.{f}" for f in ACTIVITY_DETAIL_FIELDS)
    return (
        "SELECT a.record_id, a.provider, a.setting, a.activity_date, a.end_date, "
        "strftime(a.activity_date, '%Y-%m') AS month, "
        "coalesce(a.nhs_token, l.person_token, a.identity_key) AS person_token, "
        "CASE WHEN a.nhs_valid THEN 'nhs_number' ELSE coalesce(l.link_method, 'provisional') "
        "END AS link_method, "
        "CAST(CASE WHEN NOT a.nhs_valid THEN l.match_weight END AS DOUBLE) AS match_weight, "
        "a.sex, pc.lsoa_code, "
        f"{_age('a.date_of_birth', 'a.activity_date')} AS age_at_activity, "
        f"{details}, "
        "CAST(CASE WHEN a.end_date IS NOT NULL THEN date_diff('day', a.activity_date, a.end_date) "
        "END AS INTEGER) AS length_of_stay, "
        "a.cost_code, CAST(uc.unit_cost_gbp AS DOUBLE) AS unit_cost_gbp "
        "FROM activity_identity a "
        "LEFT JOIN linked_identity l ON a.identity_key = l.identity_key "
        "LEFT JOIN postcode_lookup pc ON a.postcode = pc.postcode "
        "LEFT JOIN unit_cost uc ON a.setting = uc.setting AND a.cost_code = uc.code"
    )


def person_sql() -> str:
    """The person table (the hub): year-month of birth, sex, LSOA, practice; no identifiers."""
    return (
        "SELECT r.person_token, strftime(r.date_of_birth, '%Y-%m') AS birth_year_month, r.sex, "
        "pc.lsoa_code, r.practice_code, strftime(r.registered_from, '%Y-%m') AS "
        "registered_from_month, "
        "strftime(r.date_of_death, '%Y-%m') AS death_month "
        "FROM registry_identity r LEFT JOIN postcode_lookup pc ON r.postcode = pc.postcode"
    )


def condition_sql() -> str:
    return (
        "SELECT m.nhs_token AS person_token, c.condition, "
        "CAST(year(c.diagnosed) AS INTEGER) AS diagnosed_year FROM staged_conditions c "
        "LEFT JOIN nhs_token_map m ON c.nhs_digits = m.nhs_digits WHERE c.reasons = ''"
    )


DATE_FORMAT_VALUES = tuple(DATE_FORMATS.values())


def linkage_quality_sql() -> str:
    """The build's linkage quality report per feed and month: counts and shares only (no
    token, name or date), in the layout `kid.governed.linkage_quality` reads. A record is
    linked when its person is registered (NHS number or probabilistic link) or has another
    record; the cluster size is its person's records across all feeds and months."""
    from stpkit.kid.pipeline.linkage.quality import SIZE_BANDS, WEIGHT_BANDS, band_sql

    base = (
        "SELECT a.provider, strftime(a.activity_date, '%Y-%m') AS month, "
        "CASE WHEN a.nhs_valid THEN 'NHS number' WHEN l.link_method = 'probabilistic' "
        "THEN 'probabilistic' ELSE 'not linked to a registered person' END AS method, "
        "CASE WHEN NOT a.nhs_valid AND l.link_method = 'probabilistic' THEN l.match_weight END "
        "AS match_weight, CASE WHEN NOT a.nhs_valid AND l.link_method = 'probabilistic' "
        "THEN l.match_probability END AS match_probability, "
        "coalesce(a.nhs_token, l.person_token, a.identity_key) AS person "
        "FROM activity_identity a LEFT JOIN linked_identity l ON a.identity_key = l.identity_key"
    )
    sized = (
        f"SELECT b.provider, b.month, b.method, b.match_weight, b.match_probability, s.n, "
        "CASE WHEN b.method <> 'not linked to a registered person' OR s.n > 1 THEN 1 ELSE 0 "
        f"END AS linked FROM ({base}) b JOIN (SELECT person, count(*) AS n FROM ({base}) c "
        "GROUP BY person) s ON s.person = b.person"
    )
    weight = band_sql("match_weight", WEIGHT_BANDS, "weight")
    size = band_sql("n", SIZE_BANDS, "size")
    g = "provider, month"
    parts = [
        f"SELECT {g}, 'records' AS measure, '' AS band, CAST(count(*) AS DOUBLE) AS value "
        f"FROM q GROUP BY {g}",
        f"SELECT {g}, 'linked', '', CAST(sum(linked) AS DOUBLE) FROM q GROUP BY {g}",
        f"SELECT {g}, 'share linked', '', avg(CAST(linked AS DOUBLE)) FROM q GROUP BY {g}",
        f"SELECT {g}, 'method', method, CAST(count(*) AS DOUBLE) FROM q GROUP BY {g}, method",
        f"SELECT {g}, 'match weight', {weight}, CAST(count(*) AS DOUBLE) FROM q "
        f"WHERE match_weight IS NOT NULL GROUP BY {g}, {weight}",
        f"SELECT {g}, 'cluster size', {size}, CAST(count(*) AS DOUBLE) FROM q GROUP BY {g}, {size}",
        f"SELECT {g}, 'estimated false-match rate', '', avg(1 - match_probability) FROM q "
        f"WHERE match_probability IS NOT NULL GROUP BY {g}",
    ]
    return f"WITH q AS ({sized}) " + " UNION ALL ".join(parts)
