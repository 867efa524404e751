"""The vendored public figures load offline and describe the real Kent and Medway."""

from __future__ import annotations

import pytest

from stpkit.reference import public
from stpkit.reference.data import Reference


@pytest.fixture(scope="module")
def km_lsoas() -> list[str]:
    return list(Reference().lsoas("Kent and Medway")["lsoa_code"])


def test_every_kent_and_medway_lsoa_has_deprivation(km_lsoas: list[str]) -> None:
    imd = public.imd(km_lsoas)
    assert len(km_lsoas) == 1065
    assert set(imd["lsoa_code"]) == set(km_lsoas)
    assert imd["imd_decile"].between(1, 10).all()
    assert imd["imd_quintile"].between(1, 5).all()
    # Kent and Medway has both very deprived (coastal towns) and very affluent places
    assert {1, 10} <= set(imd["imd_decile"])
    assert 1_700_000 < imd["population"].sum() < 1_900_000


def test_national_deciles_are_equal_tenths_ranked_from_most_deprived() -> None:
    imd = public.imd()
    sizes = imd.groupby("imd_decile").size()
    assert sizes.max() - sizes.min() <= 1 and len(sizes) == 10
    most = imd.loc[imd["imd_rank"] == 1].iloc[0]
    assert most["imd_decile"] == 1 and most["imd_score"] == imd["imd_score"].max()


def test_registrations_practices_and_qof_join_up(km_lsoas: list[str]) -> None:
    reg = public.registrations(km_lsoas)
    assert 1_800_000 < reg["patients"].sum() < 2_100_000  # July 2022 registered residents
    top = reg.groupby("practice_code")["patients"].sum().sort_values().index[-50:]
    practices = public.practices(list(top))
    assert set(practices["practice_code"]) == set(top)
    qof = public.qof_prevalence(list(top))
    assert len(qof) >= 45
    dm = qof["dm"].dropna()
    assert len(dm) >= 45 and dm.between(0.0, 0.3).all()
    assert 0.05 < dm.median() < 0.10  # about 7% of adults on the diabetes register
    assert set(public.QOF_REGISTERS) <= set(qof.columns)


def test_unknown_file_is_refused_by_name() -> None:
    with pytest.raises(KeyError, match="choose from"):
        public.path("census2021")
