"""`stpkit stroke` commands: appraise a region's configurations, optimise sites at scale."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

if TYPE_CHECKING:
    import numpy as np

    from stpkit.appraisal import MonteCarlo, Option, PairSwitch
    from stpkit.stroke import Appraisal
    from stpkit.stroke.geography import StrokeGeography

app = typer.Typer(help="Stroke service model: appraise configurations, optimise sites.")
console = Console()


def parse_range(text: str) -> range:
    """'2-4' -> range(2, 5); '3' -> range(3, 4)."""
    m = re.fullmatch(r"\s*(\d+)\s*(?:-\s*(\d+))?\s*", text)
    if not m:
        raise typer.BadParameter(f"{text!r} is not a count or a range like 2-4")
    lo = int(m.group(1))
    hi = int(m.group(2) or lo)
    if hi < lo:
        raise typer.BadParameter(f"{text!r}: the range must go up, e.g. 2-4")
    return range(lo, hi + 1)


def _num(v: float) -> str:
    """A figure for a table: 1,052 / 21.1 / 0.855."""
    if abs(v) >= 100:
        return f"{v:,.0f}"
    if abs(v) >= 1:
        return f"{v:.1f}"
    return f"{v:.3f}"


def _progress() -> Progress:
    return Progress(
        SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=console
    )


def access_summary(options: Sequence[Option]) -> str:
    """One plain sentence: which options meet 95% within 45 minutes and which do not."""
    from stpkit.stroke import meets_access_standard

    met = [o.name for o in options if meets_access_standard(o.metrics)]
    missed = [
        f"{o.name} ({o.metrics['share_within_45']:.1%})"
        for o in options
        if not meets_access_standard(o.metrics)
    ]
    return (
        "95% of patients reach a unit within 45 minutes: "
        + (f"met by {', '.join(met)}" if met else "met by no option")
        + (f"; not met by {', '.join(missed)}" if missed else "; met by every option")
        + "."
    )


def _gbp_m(v: float) -> str:
    return f"{v / 1e6:,.1f}"


def business_case_table(result: Appraisal) -> Table:
    """Per short-listed option: capital against what is available, revenue, net present
    cost, beds (with the chance a patient finds none), staff, and the most deprived
    fifth's change in travel time."""
    first = next(iter(result.cases.values()))
    table = Table(
        title="Business case: cost, beds, workforce, equality (short list)",
        caption=f"GBP millions. Capital available {_gbp_m(first.cost.capital_available)}; "
        "net present cost over the appraisal period at the Green Book 3.5%. Beds: fewest "
        "with at most 5% of patients finding none (Erlang loss). Illustrative cost table: "
        "business_case.csv, unit_capacity.csv and equality_*.csv hold the detail.",
    )
    for col in (
        "Option",
        "Capital",
        "Within capital?",
        "Revenue a year",
        "Against today",
        "Net present cost",
        "HASU beds",
        "Worst chance of no bed",
        "Consultants WTE",
        "Nurses WTE",
        "Most deprived fifth: change (min)",
    ):
        table.add_column(col, justify="left" if col == "Option" else "right")
    for o in result.evaluation.options:
        case = result.cases[o.name]
        m = case.metrics()
        table.add_row(
            o.name,
            _gbp_m(m["capital_gbp"]),
            "yes" if case.cost.within_capital else "no",
            _gbp_m(m["revenue_gbp_a_year"]),
            f"{m['revenue_change_gbp_a_year'] / 1e6:+,.1f}",
            _gbp_m(m["net_present_cost_gbp"]),
            f"{m['hasu_beds']:.0f}",
            f"{m['max_probability_no_bed']:.1%}",
            f"{m['consultants_wte']:.1f}",
            f"{m['nurses_wte']:.0f}",
            f"{m['most_deprived_change_minutes']:+.1f}",
        )
    return table


def monte_carlo_table(mc: MonteCarlo) -> Table:
    """Options ranked by their mean rank over the weight draws."""
    table = Table(title=f"Monte Carlo ranking over {mc.draws:,} weight draws")
    for col in ("Rank", "Option", "Mean rank", "First in"):
        table.add_column(col, justify="left" if col == "Option" else "right")
    for i, (name, mean_rank, first) in enumerate(mc.ranking(), start=1):
        table.add_row(str(i), name, f"{mean_rank:.2f}", f"{first:.1%}")
    return table


PAIRS_SHOWN = 21  # every pair of up to seven options; beyond, the pairs with the preferred


def pair_table(pairs: Sequence[PairSwitch], criteria: Sequence[str], preferred: str) -> Table:
    """For every pair of options (above, below), per criterion: the weight share at which
    their order swaps ('-': none does). With many options, the pairs with the preferred
    option; every pair is in pairwise_switching.csv."""
    keys = list(dict.fromkeys((p.above, p.below) for p in pairs))
    if len(keys) > PAIRS_SHOWN:
        keys = [k for k in keys if preferred in k]
    cell = {(p.above, p.below, p.criterion): p for p in pairs}
    table = Table(
        title="Switching values for pairs of options",
        caption="The weight share on a criterion (others in proportion) at which the lower "
        "option overtakes the higher; now in brackets. '-': no weight swaps them. "
        "Every pair: pairwise_switching.csv.",
    )
    table.add_column("Higher")
    table.add_column("Lower")
    for c in criteria:
        table.add_column(c, justify="right")
    for above, below in keys:
        row = []
        for c in criteria:
            p = cell[(above, below, c)]
            row.append(
                "-" if p.switch_share is None else f"{p.switch_share:.0%} ({p.current_share:.0%})"
            )
        table.add_row(above, below, *row)
    return table


@app.command()
def appraise(
    region: str = typer.Option("Kent and Medway", help="ICB short name"),
    hasus: str = typer.Option("2-4", help="number of HASUs, or a range such as 2-4"),
    criteria: Path | None = typer.Option(None, help="YAML or TOML criteria file"),  # noqa: B008
    out: Path = typer.Option(Path("stroke-appraisal"), help="output directory"),  # noqa: B008
    maps: bool = typer.Option(True, help="write the maps (PNG and SVG)"),
    draws: int = typer.Option(2000, help="Monte Carlo weight draws"),
    mt: list[str] = typer.Option(  # noqa: B008
        [],
        "--mt",
        help="a site that also provides thrombectomy wherever it hosts a HASU (repeatable)",
    ),
    asu: list[str] = typer.Option(  # noqa: B008
        [],
        "--asu",
        help="a site kept as an ASU only (no emergency admissions) wherever it is not a "
        "HASU (repeatable)",
    ),
) -> None:
    """Long list -> hurdles -> weighted evaluation -> preferred option, with files.

    Named options in the criteria file may give their own `mt:` and `asu:` site lists."""
    from stpkit.errors import StpkitError
    from stpkit.reference import get_reference
    from stpkit.stroke import (
        SiteRoles,
        StrokeModel,
        access_statement,
        assumptions,
        load_geography,
        read_stroke_criteria,
        write_appraisal,
    )
    from stpkit.stroke import appraise as appraise_configurations

    sizes = parse_range(hasus)
    try:
        with _progress() as progress:
            task = progress.add_task("Loading geography and travel times", total=None)
            ref = get_reference()
            geo = load_geography(ref, region)
            progress.update(task, description="Outcomes for every LSOA and unit")
            model = StrokeModel(geo)
            # the sites named for every option, as the region's candidate names, checked
            # once against the role rule; they stay names up to the report and the maps
            roles = SiteRoles.resolve(geo, mt=mt, asu_only=asu, labels=("--mt", "--asu"))
            spec = read_stroke_criteria(criteria, model) if criteria else None
            pathway, cohort = assumptions(spec) if spec else (None, None)
            if pathway or cohort:  # the file sets its own timings or patient mix
                model = StrokeModel(geo, pathway, cohort)
            progress.update(task, description="Long list, hurdles, evaluation, sensitivity")
            result = appraise_configurations(model, sizes, spec, draws=draws, roles=roles)
            progress.update(task, description="Writing CSV, Excel" + (" and maps" if maps else ""))
            written = write_appraisal(result, ref, out, maps=maps)
    except StpkitError as exc:
        console.print(f"[red]Error:[/red] {exc}")
        raise typer.Exit(2) from exc

    est = [u.name for u, e in zip(geo.candidates, geo.cand_estimated, strict=True) if e]
    if est:
        err = geo.model_errors
        console.print(
            f"Estimated travel times (no matrix column): {', '.join(est)}. Held-out error over "
            f"{len(err)} nearby units: mean absolute {err.mae_minutes.mean():.1f} min "
            f"(worst unit {err.mae_minutes.max():.1f} min)."
        )
    if roles:
        console.print(f"Site roles in every generated option: {roles.describe()}.")
    funnel = Table(
        title=f"Long list funnel: {geo.region}, {sizes.start}-{sizes.stop - 1} HASUs",
        caption="An option may fail several rules; every failure is counted and recorded "
        "(long_list.csv, with by how much).",
    )
    funnel.add_column("Stage")
    funnel.add_column("Options standing", justify="right")
    funnel.add_column("Rejected by this rule", justify="right")
    for name, n in result.funnel.stages:
        funnel.add_row(name, str(n), str(result.funnel.failures_by_rule.get(name, "")))
    console.print(funnel)

    ev = result.evaluation
    short = Table(
        title="Short list (weighted evaluation)",
        caption="Each criterion: value (score 0-100). Today is the comparator.",
    )
    within_45 = "95% reach a unit within 45 minutes?"
    for col in ("Rank", "Option", "Weighted score", within_45, *(c.name for c in ev.criteria)):
        if col == "Option":
            short.add_column(col, no_wrap=True)
        else:
            short.add_column(col, justify="right")
    by_name = {o.name: o for o in ev.options}
    for row in ev.rows():
        short.add_row(
            str(row["rank"]),
            str(row["option"]),
            f"{row['weighted score']:.1f}",
            access_statement(by_name[str(row["option"])].metrics),
            *(
                f"{_num(float(str(row[f'{c.name} value'])))} "
                f"({float(str(row[f'{c.name} score'])) + 0.0:.0f})"
                for c in ev.criteria
            ),
        )
    console.print(short)
    console.print(access_summary(ev.options))

    best = result.preferred
    m = best.metrics
    console.print(
        f"[bold]Preferred option: {best.config.name}[/bold] "
        f"({', '.join(best.volumes)}"
        + (
            f"; thrombectomy at {', '.join(best.thrombectomy_sites)}"
            if best.thrombectomy_sites
            else ""
        )
        + (f"; ASU only at {', '.join(best.asu_only_sites)}" if best.asu_only_sites else "")
        + f"): mean {m['mean_minutes']:.1f} min, "
        f"{m['share_within_30']:.1%} within 30 min, volumes "
        f"{m['min_unit_volume']:.0f}-{m['max_unit_volume']:.0f}, "
        f"mean onset to thrombectomy {m['mean_onset_to_puncture']:.0f} min, "
        f"{m['added_good_outcomes']:+.1f} good outcomes (mRS 0-2) a year against today."
    )
    mc = result.monte_carlo
    console.print(
        f"Monte Carlo over weights ({mc.draws} draws): first in "
        f"{mc.first_share[best.config.name]:.1%} of draws."
    )
    for s in result.switching:
        console.print(f"  switching value: {s.describe()}")
    console.print(business_case_table(result))
    console.print(monte_carlo_table(result.monte_carlo))
    console.print(pair_table(result.pairs, [c.name for c in ev.criteria], best.config.name))
    console.print(f"Wrote {len(written)} files to {out}")


@app.command()
def optimise(
    region: str = typer.Option("england", help="'england' or an ICB short name"),
    units: int = typer.Option(60, help="number of units to open (p)"),
    min_volume: float = typer.Option(0.0, help="smallest admissions a year per open unit"),
    max_volume: float = typer.Option(float("inf"), help="largest admissions a year per unit"),
    min_share_30: float = typer.Option(0.0, help="least share of admissions within 30 min"),
    time_limit: float = typer.Option(60.0, help="seconds"),
    depth: int = typer.Option(12, help="nearest units per LSOA to start with (grows if needed)"),
    every_unit: bool = typer.Option(
        False,
        help="England: every unit in the reference data, times estimated where the matrix has "
        "no column (slower to load)",
    ),
) -> None:
    """Choose p units minimising mean travel time, nearest-unit assignment, volume bounds."""
    from dataclasses import replace

    from stpkit.errors import StpkitError
    from stpkit.reference import UnknownCodeError, get_reference
    from stpkit.stroke import (
        england_problem,
        load_geography,
        region_problem,
        solve_sites,
        unknown_region,
    )

    try:
        ref = get_reference()
        with _progress() as progress:
            task = progress.add_task("Loading travel times", total=None)
            if region.strip().lower() == "england":
                prob = england_problem(ref, units, min_volume, max_volume, every_unit)
                where = "England"
            else:
                try:
                    ref.icb(region)
                except UnknownCodeError as exc:
                    raise unknown_region(exc, extra=("england",)) from None
                geo = load_geography(ref, region)
                prob = region_problem(geo, units, min_volume, max_volume)
                where = geo.region
            prob = replace(prob, min_share_within_30=min_share_30)
            progress.update(task, description=f"Solving with HiGHS (up to {time_limit:.0f} s)")
            sol = solve_sites(prob, depth=depth, time_limit=time_limit)
    except StpkitError as exc:
        console.print(f"[red]Error:[/red] {exc}")
        raise typer.Exit(2) from exc
    n = int((prob.admissions > 0).sum())
    console.print(
        f"{where}: choose {units} of {prob.minutes.shape[1] - len(prob.fixed_open)} units for "
        f"{n:,} LSOAs ({prob.admissions.sum():,.0f} admissions a year), nearest open unit, "
        f"volumes {min_volume:,.0f}-{max_volume:,.0f}"
        + (f", at least {min_share_30:.0%} within 30 min" if min_share_30 else "")
        + "."
    )
    if prob.estimated:
        console.print(
            f"Estimated travel times for {len(prob.estimated)} units with no matrix column; "
            f"held-out mean absolute error {prob.estimate_mae_minutes:.1f} min."
        )
    if prob.fixed_open:
        console.print(
            "Units outside the region stay open (no volume bounds); residents and neighbours "
            "whose patients may come to the region's units are all counted. Estimated travel "
            "times are used for sites with no matrix column."
        )
    console.print(
        f"{'Proven optimal' if sol.proven else 'Best found'} ({sol.status}): "
        f"mean {sol.mean_minutes:.2f} min, {sol.share_within_30:.1%} within 30 min; "
        f"gap to the proven bound {sol.gap:.3%}, {sol.seconds:.1f} s, {sol.rounds} round(s), "
        f"{sol.set_variables:,} set variables."
    )
    table = Table(title="Open units")
    table.add_column("Unit")
    table.add_column("Admissions a year", justify="right")
    for name, v in sorted(sol.volumes.items(), key=lambda kv: -kv[1]):
        table.add_row(name, f"{v:,.0f}")
    console.print(table)


def _store_demand(
    geo: StrokeGeography,
    store: Path,
    kind: str,
    purpose: str,
    user: str | None,
    role: str,
    year: int | None,
    scale: float,
) -> tuple[np.ndarray, str]:
    """Demand by LSOA from the integrated dataset store, through the governed layer
    (the purpose's disclosure rule; the use logged under it), and how it was made."""
    import getpass

    from stpkit.kid.governed import Governance, governance_dir, open_store
    from stpkit.kid.governed.service_demand import service_demand
    from stpkit.settings import load_settings
    from stpkit.stroke.service import demand_within

    opened = open_store(store)
    try:
        got = service_demand(
            opened,
            Governance(governance_dir(load_settings().data_dir)),
            kind,
            user=user or getpass.getuser(),
            role=role,
            purpose_key=purpose,
            year=year,
            scale=scale,
        )
    finally:
        opened.close()
    counts, outside = demand_within(geo, got.demand(), f"{store} ({kind})")
    note = f"; {outside:,.0f} from LSOAs outside {geo.region}'s model left out" if outside else ""
    return counts, got.describe() + note


@app.command("two-tier")
def two_tier(
    region: str = typer.Option("Kent and Medway", help="an ICB short name"),
    hasus: int = typer.Option(3, help="HASUs to open (p)"),
    mt_centres: int = typer.Option(1, help="of them, thrombectomy centres (q)"),
    min_volume: float = typer.Option(0.0, help="smallest admissions a year per HASU"),
    max_volume: float = typer.Option(float("inf"), help="largest admissions a year per HASU"),
    min_mt_volume: float = typer.Option(
        0.0,
        help="smallest admissions a year in an MT centre's catchment (its own and the "
        "HASUs that send to it)",
    ),
    time_limit: float = typer.Option(60.0, help="seconds (wall time)"),
) -> None:
    """Choose HASUs and thrombectomy centres together (two tiers), exactly: nearest HASU,
    nearest MT centre for drip and ship, volume bounds on both."""
    from stpkit.errors import StpkitError
    from stpkit.reference import UnknownCodeError, get_reference
    from stpkit.stroke import load_geography, region_two_tier, solve_two_tier, unknown_region

    try:
        ref = get_reference()
        with _progress() as progress:
            task = progress.add_task("Loading travel times", total=None)
            try:
                ref.icb(region)
            except UnknownCodeError as exc:
                raise unknown_region(exc) from None
            geo = load_geography(ref, region)
            prob = region_two_tier(geo, hasus, mt_centres, min_volume, max_volume, min_mt_volume)
            progress.update(task, description=f"Solving with HiGHS (up to {time_limit:.0f} s)")
            sol = solve_two_tier(prob, time_limit=time_limit)
    except StpkitError as exc:
        console.print(f"[red]Error:[/red] {exc}")
        raise typer.Exit(2) from exc
    names = prob.unit_names
    console.print(
        f"{geo.region}: {hasus} HASUs of {geo.k} candidates, {mt_centres} of them "
        f"thrombectomy centres; patients to their nearest HASU, HASUs without thrombectomy "
        f"send to their nearest centre (the unit outside the region stays open). "
        f"{'Proven optimal' if sol.proven else 'Best found'} ({sol.status}, gap "
        f"{sol.gap:.3%}, {sol.seconds:.1f} s): mean {sol.mean_travel:.1f} min to the first "
        f"unit; arrival to puncture for thrombectomy patients {sol.mean_to_puncture:.0f} min "
        f"on average (share given thrombectomy {prob.share_mt:.1%})."
    )
    table = Table(title="HASUs")
    table.add_column("Unit")
    table.add_column("Thrombectomy")
    table.add_column("Admissions a year", justify="right")
    table.add_column("Sends thrombectomy patients to")
    for h in sol.hasus:
        mt = h in sol.mt_centres
        table.add_row(
            names[h],
            "yes" if mt else "",
            f"{sol.volumes[h]:,.0f}",
            "" if mt else names[sol.sends_to[h]],
        )
    console.print(table)
    for c in sol.mt_centres:
        console.print(f"{names[c]}: thrombectomy catchment {sol.mt_volumes[c]:,.0f} a year")


@app.command()
def service(
    option: list[str] = typer.Option(  # noqa: B008
        ...,
        "--option",
        help="NAME=SITE,SITE (repeatable): the sites that provide the service in each option",
    ),
    demand: Path | None = typer.Option(  # noqa: B008
        None, help="CSV of lsoa_code,demand (a year); without it or a store, a labelled stand-in"
    ),
    demand_from_store: Path | None = typer.Option(  # noqa: B008
        None,
        "--demand-from-store",
        help="Integrated dataset store: the service's activity by LSOA, under --purpose",
    ),
    purpose: str = typer.Option(
        "", help="Your approved purpose for --demand-from-store (its disclosure rule applies)"
    ),
    user: str | None = typer.Option(None, help="Username under the purpose (default: you)"),
    role: str = typer.Option("analyst", help="Your role, as logged"),
    year: int | None = typer.Option(None, help="Activity year (default: the store's latest)"),
    scale: float = typer.Option(
        1.0, help="Multiply the store's counts (e.g. a sample store to the population)"
    ),
    kind: str = typer.Option(
        "ae",
        "--service",
        help="ae, emergency_medicine, emergency_surgery or elective_orthopaedics",
    ),
    region: str = typer.Option("Kent and Medway", help="ICB short name"),
    baseline: str = typer.Option("", help="SITE,SITE providing it today (default: every site)"),
    stay_open: str = typer.Option(
        "", help="SITE,SITE outside this decision, open in every option (e.g. DA,MD,MW,TU)"
    ),
) -> None:
    """Any acute service whose demand comes by LSOA, on the stroke model's road times:
    access, change, site demand and beds, and the most deprived fifth, per option."""
    from stpkit.errors import StpkitError
    from stpkit.reference import get_reference
    from stpkit.stroke import load_geography
    from stpkit.stroke.service import SERVICES, configurations, population_demand, read_demand

    if demand is not None and demand_from_store is not None:
        raise typer.BadParameter("give --demand or --demand-from-store, not both")
    if demand_from_store is not None and not purpose:
        raise typer.BadParameter("--demand-from-store needs --purpose (an approved purpose)")
    try:
        chosen = SERVICES.get(kind)
        if chosen is None:
            raise typer.BadParameter(f"--service {kind!r}: choose from {', '.join(SERVICES)}")
        options = {}
        for text in option:
            name, _, sites = text.partition("=")
            if not name.strip() or not sites.strip():
                raise typer.BadParameter(f"--option {text!r}: write NAME=SITE,SITE")
            options[name.strip()] = [s.strip() for s in sites.split(",") if s.strip()]
        geo = load_geography(get_reference(), region)
        source = ""
        if demand_from_store is not None:
            counts, source = _store_demand(
                geo, demand_from_store, kind, purpose, user, role, year, scale
            )
        elif demand is not None:
            counts = read_demand(geo, demand)
        else:
            counts = population_demand(geo)
        base = [s.strip() for s in baseline.split(",") if s.strip()] or None
        others = [s.strip() for s in stay_open.split(",") if s.strip()]
        results = configurations(geo, counts, options, chosen, baseline=base, stay_open=others)
    except StpkitError as exc:
        console.print(f"[red]Error:[/red] {exc}")
        raise typer.Exit(2) from exc
    if source:
        console.print(f"Demand: {source}; logged under purpose {purpose}.")
    elif demand is None:
        console.print(
            "Demand: stand-in (population by age band x illustrative attendance rates); give "
            "--demand-from-store or --demand with counts for real figures."
        )
    table = Table(title=f"{chosen.name}: {geo.region}")
    ths = chosen.thresholds
    for col in (
        "Option",
        "Sites",
        "Mean minutes",
        "Change",
        *(f"Within {t} min" for t in ths),
        "Beds",
        "Worst chance of no bed",
        "Most deprived fifth: change",
    ):
        table.add_column(col, justify="left" if col in ("Option", "Sites") else "right")
    for name, r in results.items():
        m = r.metrics
        table.add_row(
            name,
            ", ".join(r.sites),
            f"{m['mean_minutes']:.1f}",
            f"{m['mean_change_minutes']:+.1f}",
            *(f"{m[f'share_within_{t}']:.1%}" for t in ths),
            f"{m['beds']:,.0f}",
            f"{m['max_probability_no_bed']:.1%}",
            f"{m['most_deprived_change_minutes']:+.1f}",
        )
    console.print(table)
