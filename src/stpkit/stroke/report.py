"""Write an appraisal to files: CSV tables, one Excel workbook, and maps."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from stpkit.exports import csv_bytes, xlsx_workbook_bytes
from stpkit.reference import Reference
from stpkit.stroke.appraisal import Appraisal
from stpkit.stroke.business_case import BUSINESS_CASE_METRICS
from stpkit.stroke.maps import write_maps
from stpkit.stroke.model import METRIC_DESCRIPTIONS, ConfigResult


def slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-").lower() or "option"


def long_list_frame(a: Appraisal) -> pd.DataFrame:
    funnel = {row["option"]: row for row in a.funnel.rows()}
    rows = []
    for r in a.results:
        f = funnel.get(r.config.name)
        rows.append(
            {
                "option": r.config.name,
                "sites": ", ".join(r.hasu_sites),
                "thrombectomy_sites": ", ".join(r.thrombectomy_sites),
                "asu_only_sites": ", ".join(r.asu_only_sites),
                "origin": f["origin"] if f else "long list",
                "result": f["result"] if f else "",
                "reasons": f["reasons"] if f else "",
                **{k: round(v, 4) for k, v in r.metrics.items()},
                **{f"volume {k}": round(v, 1) for k, v in r.volumes.items()},
            }
        )
    return pd.DataFrame(rows)


def volumes_frame(results: list[ConfigResult]) -> pd.DataFrame:
    rows = [
        {"option": r.config.name, "unit": unit, "admissions": round(v, 1)}
        for r in results
        for unit, v in r.volumes.items()
    ]
    rows += [
        {"option": r.config.name, "unit": f"{unit} (outside)", "admissions": round(v, 1)}
        for r in results
        for unit, v in r.outside_flows.items()
    ]
    return pd.DataFrame(rows)


def sensitivity_frames(a: Appraisal) -> dict[str, pd.DataFrame]:
    mc = a.monte_carlo
    return {
        "switching_values": pd.DataFrame(
            [
                {
                    "criterion": s.criterion,
                    "weight_share": round(s.current_share, 4),
                    "switch_share": None if s.switch_share is None else round(s.switch_share, 4),
                    "change": None if s.change is None else round(s.change, 4),
                    "new_preferred": s.to_option,
                }
                for s in a.switching
            ]
        ),
        "monte_carlo": pd.DataFrame(
            [
                {
                    "option": name,
                    "share_first": mc.first_share[name],
                    "mean_rank": mc.mean_rank[name],
                }
                for name in mc.first_share
            ]
        ).sort_values("mean_rank"),
        "pairwise_switching": pd.DataFrame(
            [
                {
                    "above": p.above,
                    "below": p.below,
                    "criterion": p.criterion,
                    "weight_share": round(p.current_share, 4),
                    "swap_share": None if p.switch_share is None else round(p.switch_share, 4),
                    "change": None if p.change is None else round(p.change, 4),
                }
                for p in a.pairs
            ],
            columns=["above", "below", "criterion", "weight_share", "swap_share", "change"],
        ),
        "weight_sweep": pd.DataFrame([p.__dict__ for p in a.sweep]),
    }


def business_case_frames(a: Appraisal) -> dict[str, pd.DataFrame]:
    """Per short-listed option: cost, beds and staff totals; beds and staff per unit; the
    equality tables (IMD quintile, age band, the LSOAs that lose most)."""
    short = [o.name for o in a.evaluation.options]
    summary, units, quintiles, ages, losers = [], [], [], [], []
    for name in short:
        case = a.cases[name]
        m = case.metrics()
        summary.append(
            {
                "option": name,
                "capital_gbp": round(m["capital_gbp"]),
                "capital_available_gbp": round(case.cost.capital_available),
                "within_capital": "yes" if case.cost.within_capital else "no",
                "revenue_gbp_a_year": round(m["revenue_gbp_a_year"]),
                "revenue_change_gbp_a_year": round(m["revenue_change_gbp_a_year"]),
                "net_present_cost_gbp": round(m["net_present_cost_gbp"]),
                **{
                    k: round(m[k], 4)
                    for k in (
                        "hasu_beds",
                        "asu_beds",
                        "max_probability_no_bed",
                        "consultants_wte",
                        "nurses_wte",
                        "therapists_wte",
                        "most_deprived_change_minutes",
                        "most_deprived_within_45",
                        "aged_60_plus_change_minutes",
                        "visitor_hours_change",
                    )
                },
            }
        )
        units += [{"option": name, **u.as_row()} for u in case.units]
        eq = case.equality()
        quintiles.append(eq.by_quintile.assign(option=name))
        ages.append(eq.by_age.assign(option=name))
        losers.append(eq.losers.assign(option=name))

    def first(df: pd.DataFrame) -> pd.DataFrame:
        return df[["option", *[c for c in df.columns if c != "option"]]]

    return {
        "business_case": pd.DataFrame(summary),
        "unit_capacity": pd.DataFrame(units),
        "equality_imd_quintile": first(pd.concat(quintiles, ignore_index=True)),
        "equality_age_band": first(pd.concat(ages, ignore_index=True)),
        "equality_lsoas_losing_most": first(pd.concat(losers, ignore_index=True)),
    }


def _plain_rows(df: pd.DataFrame) -> tuple[list[dict[str, object]], list[tuple[str, str]]]:
    """A frame as rows of Python values (None for missing), with its columns as headings."""
    plain = df.astype(object).where(df.notna(), None)
    columns = [(str(c), str(c)) for c in plain.columns]
    rows = [{str(k): v for k, v in row.items()} for row in plain.to_dict("records")]
    return rows, columns


def write_appraisal(a: Appraisal, ref: Reference, out: Path, maps: bool = True) -> list[Path]:
    """CSV per table, `appraisal.xlsx` with a sheet each, maps of the preferred option."""
    out.mkdir(parents=True, exist_ok=True)
    preferred = a.preferred
    tables: dict[str, pd.DataFrame] = {
        "long_list": long_list_frame(a),
        "short_list": pd.DataFrame(a.evaluation.rows()),
        "volumes": volumes_frame([*a.results, a.model.today]),
        **sensitivity_frames(a),
        **business_case_frames(a),
        "preferred_lsoa": preferred.lsoa,
        "today_lsoa": a.model.today.lsoa,
        "metrics": pd.DataFrame(
            [
                {"metric": k, "meaning": v}
                for k, v in {**METRIC_DESCRIPTIONS, **BUSINESS_CASE_METRICS}.items()
            ]
        ),
        "assumptions": pd.DataFrame(
            [
                {"name": k, "value": v, "kind": "pathway"}
                for k, v in a.model.pathway.as_dict().items()
            ]
            + [
                {"name": k, "value": v, "kind": "cohort"}
                for k, v in a.model.cohort.as_dict().items()
            ]
        ),
        "travel_model_errors": a.model.geo.model_errors,
    }
    written = []
    sheets = []
    for name, df in tables.items():
        rows, columns = _plain_rows(df)
        p = out / f"{name}.csv"
        p.write_bytes(csv_bytes(rows, columns))  # text cells can never become formulas
        written.append(p)
        sheets.append((name, rows, columns))
    xlsx = out / "appraisal.xlsx"
    xlsx.write_bytes(xlsx_workbook_bytes(sheets))
    written.append(xlsx)
    if maps:
        written += write_maps(ref, preferred, out / "maps", slug(preferred.config.name))
    return written
