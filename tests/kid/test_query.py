"""Governed aggregate queries: purposes, disclosure control and differencing protection."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from stpkit.disclosure import OpenSafelyRule
from stpkit.kid.governed import (
    AccessRefused,
    AggregateQuery,
    Geography,
    Governance,
    InsightStore,
    Purpose,
    QueryError,
    QueryService,
    open_store,
    population_within,
    run_raw,
)
from stpkit.kid.sources import SampleSpec, write_sample


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> InsightStore:
    path = write_sample(
        tmp_path_factory.mktemp("kid") / "store",
        SampleSpec(people=3_000, practices=12, years=(2024,)),
    )
    return open_store(path)


@pytest.fixture
def service(store: InsightStore, tmp_path: Path) -> QueryService:
    gov = Governance(tmp_path / "gov")
    gov.request(
        Purpose(
            "pop-health",
            "Population health",
            "ana",
            date.today() + timedelta(days=5),
            ("person", "activity"),
        ),
        user="ana",
        role="analyst",
    )
    gov.decide("pop-health", approve=True, user="dc", role="data_controller")
    return QueryService(store, gov)


def ask(service: QueryService, q: AggregateQuery) -> dict[tuple[str, ...], int | None]:
    answer = service.ask(q, user="ana", role="analyst", purpose_key="pop-health")
    return {c.key: c.people for c in answer.cells}


def test_released_counts_follow_the_opensafely_rule_and_the_query_is_logged(
    service: QueryService, store: InsightStore
) -> None:
    q = AggregateQuery.build("person", ["practice_code", "sex"])
    raw = {k: p for k, p, _, _ in run_raw(store, q)}
    shown = ask(service, q)
    for key, n in raw.items():
        if n <= 7:
            assert shown[key] is None
        else:
            assert shown[key] == OpenSafelyRule().apply(n)
    entry = service.governance.entries()[-1]
    assert (
        entry.action == "query"
        and "practice_code" in entry.what
        and entry.rows == len(shown)  # every row the person received, suppressed included
        and f"({sum(v is not None for v in shown.values()):,} of {len(shown):,} rows" in entry.what
    )


def test_small_cells_hide_their_activity_and_cost(service: QueryService) -> None:
    q = AggregateQuery.build("activity", ["lsoa_code", "setting"])
    answer = service.ask(q, user="ana", role="analyst", purpose_key="pop-health")
    hidden = [c for c in answer.cells if c.suppressed]
    assert hidden, "a 3,000-person sample has LSOA x setting cells of 7 people or fewer"
    assert all(c.activity is None and c.cost is None for c in hidden)


def test_differencing_two_allowed_queries_cannot_reveal_a_small_group(
    service: QueryService, store: InsightStore
) -> None:
    # A practice with 1..7 people aged 80+: "all 80+" minus "80+ outside that practice"
    # would expose them, though each total alone is large and passes the rule.
    old = ["80-84", "85-89", "90+"]
    per_practice = run_raw(
        store, AggregateQuery.build("person", ["practice_code"], {"age_band": old})
    )
    practice = next((k[0] for k, p, _, _ in per_practice if 1 <= p <= 7), None)
    if practice is None:
        old = ["90+"]
        per_practice = run_raw(
            store, AggregateQuery.build("person", ["practice_code"], {"age_band": old})
        )
        practice = next(k[0] for k, p, _, _ in per_practice if 1 <= p <= 7)
    others = [k[0] for k, _, _, _ in per_practice if k[0] != practice]
    everyone = AggregateQuery.build("person", ["sex"], {"age_band": old})
    all_but_one = AggregateQuery.build(
        "person", ["sex"], {"age_band": old, "practice_code": others}
    )
    raw_all = {k: p for k, p, _, _ in run_raw(store, everyone)}
    raw_rest = {k: p for k, p, _, _ in run_raw(store, all_but_one)}
    exposing = [k for k in raw_all if 1 <= raw_all[k] - raw_rest.get(k, 0) <= 7]
    assert exposing and all(raw_rest[k] > 7 for k in exposing)

    assert all(v is not None for v in ask(service, everyone).values())
    second = ask(service, all_but_one)
    assert all(second[k] is None for k in exposing)
    # Asked the other way round, the broader query is the one held back.
    service.ledger.path.unlink()
    assert all(v is not None for k, v in ask(service, all_but_one).items() if k in exposing)
    again = ask(service, everyone)
    assert all(again[k] is None for k in exposing)


@pytest.mark.parametrize("policy", ["opensafely", "nhs_digital"])
def test_a_total_cannot_reveal_the_suppressed_cell_of_a_finer_grouping(
    store: InsightStore, tmp_path: Path, policy: str
) -> None:
    # "People 90+ by practice" hides a practice with 1..7 of them; "people 90+" (no grouping)
    # over the same practices would give that practice's count as total minus the cells shown
    # (exactly under the NHS Digital rule, which does not round).
    gov = Governance(tmp_path / "gov")
    gov.request(
        Purpose("pp", "P", "ana", date.today() + timedelta(days=5), ("person",), policy),
        user="ana",
        role="analyst",
    )
    gov.decide("pp", approve=True, user="dc", role="data_controller")
    svc = QueryService(store, gov)
    old = {"age_band": ["85-89", "90+"]}
    counts = run_raw(store, AggregateQuery.build("person", ["practice_code"], old))
    small = next(k[0] for k, n, _, _ in counts if 1 <= n <= 7)
    large = [k[0] for k, n, _, _ in counts if n > 7]
    chosen = {**old, "practice_code": [small, *large]}
    by_practice = svc.ask(
        AggregateQuery.build("person", ["practice_code"], chosen),
        user="ana",
        role="analyst",
        purpose_key="pp",
    )
    assert [c.key[0] for c in by_practice.cells if c.suppressed] == [small]
    assert all(c.people is not None for c in by_practice.cells if c.key[0] != small)
    total = svc.ask(
        AggregateQuery.build("person", [], chosen), user="ana", role="analyst", purpose_key="pp"
    )
    assert [c.suppressed for c in total.cells] == [True] and total.differencing_suppressed == 1
    # Without the finer release on record the same total is released: the check, not the
    # rule, held it back.
    svc.ledger.path.unlink()
    fresh = svc.ask(
        AggregateQuery.build("person", [], chosen), user="ana", role="analyst", purpose_key="pp"
    )
    assert [c.suppressed for c in fresh.cells] == [False]


def test_queries_that_do_not_nest_are_not_suppressed_for_differencing(
    service: QueryService,
) -> None:
    a = service.ask(
        AggregateQuery.build("person", ["sex"], {"age_band": ["40-44"]}),
        user="ana",
        role="analyst",
        purpose_key="pop-health",
    )
    b = service.ask(
        AggregateQuery.build("person", ["sex"], {"age_band": ["45-49"]}),
        user="ana",
        role="analyst",
        purpose_key="pop-health",
    )
    assert a.differencing_suppressed == 0 and b.differencing_suppressed == 0
    assert all(c.people is not None for c in b.cells)


def test_queries_outside_the_purpose_are_refused(service: QueryService) -> None:
    with pytest.raises(AccessRefused, match="does not work under"):
        service.ask(
            AggregateQuery.build("person", ["sex"]),
            user="mallory",
            role="analyst",
            purpose_key="pop-health",
        )
    assert service.governance.entries()[-1].action == "refused"


@pytest.mark.parametrize(
    ("table", "group_by", "filters", "message"),
    [
        ("identifiers", [], {}, "table must be"),
        ("person", ["nhs_number"], {}, "unknown dimension"),
        ("person", ["setting"], {}, "does not apply"),
        ("person", ["sex", "sex"], {}, "at most"),
        ("person", [], {"sex": []}, "needs 1 to"),
    ],
)
def test_malformed_queries_are_rejected_with_the_reason(
    table: str, group_by: list[str], filters: dict[str, list[str]], message: str
) -> None:
    with pytest.raises(QueryError, match=message):
        AggregateQuery.build(table, group_by, filters)


def test_filter_values_are_parameters_not_sql(service: QueryService) -> None:
    q = AggregateQuery.build("person", ["sex"], {"practice_code": ["x' OR 1=1 --"]})
    assert service.ask(q, user="ana", role="analyst", purpose_key="pop-health").cells == []


def _purpose(tmp_path: Path, policy: str) -> Governance:
    gov = Governance(tmp_path / "gov")
    gov.request(
        Purpose("geo", "Places", "ana", date.today() + timedelta(days=5), ("person",), policy),
        user="ana",
        role="analyst",
    )
    gov.decide("geo", approve=True, user="dc", role="data_controller")
    return gov


def _ask(svc: QueryService, q: AggregateQuery) -> dict[tuple[str, ...], int | None]:
    answer = svc.ask(q, user="ana", role="analyst", purpose_key="geo")
    return {c.key: c.people for c in answer.cells}


def _small_lsoa(store: InsightStore) -> tuple[str, str, list[str], int]:
    """A locality with one LSOA of 1..5 people and other LSOAs holding more than 10."""
    by_lsoa = run_raw(store, AggregateQuery.build("person", ["locality", "lsoa_code"]))
    per_locality: dict[str, list[tuple[str, int]]] = {}
    for (locality, lsoa), n, _, _ in by_lsoa:
        per_locality.setdefault(locality, []).append((lsoa, n))
    for locality, lsoas in sorted(per_locality.items()):
        small = [code for code, n in lsoas if 1 <= n <= 5]
        if small and sum(n for _, n in lsoas) - dict(lsoas)[small[0]] > 10:
            rest = [code for code, _ in lsoas if code != small[0]]
            return locality, small[0], rest, dict(lsoas)[small[0]]
    pytest.skip("the sample has no locality with a small LSOA")


@pytest.mark.parametrize("policy", ["opensafely", "nhs_digital"])
def test_a_locality_against_its_lsoas_but_one_cannot_reveal_that_lsoa(
    store: InsightStore, tmp_path: Path, policy: str
) -> None:
    locality, _small, rest, n_small = _small_lsoa(store)
    svc = QueryService(store, _purpose(tmp_path, policy))
    whole = AggregateQuery.build("person", [], {"locality": [locality]})
    all_but_one = AggregateQuery.build("person", [], {"lsoa_code": rest})
    raw_whole = {k: p for k, p, _, _ in run_raw(store, whole)}[()]
    raw_rest = {k: p for k, p, _, _ in run_raw(store, all_but_one)}[()]
    assert raw_whole - raw_rest == n_small  # the attack works on the raw counts
    assert _ask(svc, whole)[()] is not None
    assert _ask(svc, all_but_one)[()] is None, "the LSOA list is nested in the locality"
    # the other way round too, and across groupings (locality grouping vs LSOA grouping)
    svc.ledger.path.unlink()
    assert _ask(svc, all_but_one)[()] is not None
    assert _ask(svc, whole)[()] is None


def test_an_lsoa_grouping_is_compared_with_a_locality_grouping(
    store: InsightStore, tmp_path: Path
) -> None:
    locality, small, rest, _ = _small_lsoa(store)
    svc = QueryService(store, _purpose(tmp_path, "nhs_digital"))
    by_locality = AggregateQuery.build("person", ["locality"], {"locality": [locality]})
    by_lsoa = AggregateQuery.build("person", ["lsoa_code"], {"lsoa_code": [small, *rest]})
    assert _ask(svc, by_locality)[(locality,)] is not None
    shown = _ask(svc, by_lsoa)
    assert shown[(small,)] is None  # primary suppression under the policy
    # the sum of the LSOAs shown set against the locality total would give the small one:
    # the check holds back the LSOAs of that locality that would complete the subtraction
    assert all(shown[(code,)] is None for code in rest)


def test_resolution_of_places_is_by_the_lsoas_they_cover(store: InsightStore) -> None:
    locality, _small, rest, _ = _small_lsoa(store)
    geography = Geography.of(store)
    whole = AggregateQuery.build("person", ["sex"], {"locality": [locality]})
    part = AggregateQuery.build("person", ["sex"], {"lsoa_code": rest})
    other = AggregateQuery.build("person", ["sex"], {"age_band": ["40-44"]})
    assert population_within(part, whole, geography)
    assert not population_within(whole, part, geography)
    assert not population_within(part, whole)  # by names alone they do not nest
    assert not population_within(part, other, geography)
