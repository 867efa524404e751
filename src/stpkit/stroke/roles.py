"""Roles a candidate site plays in a configuration, and the one rule they obey.

A site may host a hyper acute stroke unit (HASU). A HASU site may also provide
thrombectomy (MT): thrombectomy needs a HASU on the same site. A site that hosts no HASU
may be kept as an acute stroke unit only (ASU-only, no emergency admissions): a site is
never both a HASU and ASU-only, and a site named to provide thrombectomy is not also
named ASU-only.

The rule is written here once, over site keys of any kind (names or indices); the model,
the criteria file, the CLI and the web page each call it and word the refusal for their
reader. `SiteRoles` carries the sites named for every option, by candidate name, from the
CLI to the appraisal, the report and the map.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from stpkit.stroke.errors import StrokeError

if TYPE_CHECKING:
    from stpkit.stroke.geography import StrokeGeography

K = TypeVar("K", int, str)


def _in_order(keys: Iterable[K]) -> list[K]:
    return list(dict.fromkeys(keys))


def mt_without_hasu(hasus: Iterable[K], mt: Iterable[K]) -> list[K]:
    """Thrombectomy sites that host no HASU (refused: MT needs a HASU on the same site)."""
    hosts = set(hasus)
    return [s for s in _in_order(mt) if s not in hosts]


def hasu_and_asu_only(hasus: Iterable[K], asu_only: Iterable[K]) -> list[K]:
    """Sites that are both a HASU and ASU-only (refused: one or the other)."""
    hosts = set(hasus)
    return [s for s in _in_order(asu_only) if s in hosts]


def mt_and_asu_only(mt: Iterable[K], asu_only: Iterable[K]) -> list[K]:
    """Sites named both to provide thrombectomy and to be ASU-only (refused)."""
    named_mt = set(mt)
    return [s for s in _in_order(asu_only) if s in named_mt]


def roles_where(
    hasus: Iterable[K], mt: Iterable[K] = (), asu_only: Iterable[K] = ()
) -> tuple[tuple[K, ...], tuple[K, ...]]:
    """The MT and ASU-only sites of one configuration, from sites named for every option:
    a site named MT provides thrombectomy where it hosts a HASU; a site named ASU-only
    keeps an acute stroke unit where it does not."""
    hosts = set(hasus)
    return (
        tuple(s for s in _in_order(mt) if s in hosts),
        tuple(s for s in _in_order(asu_only) if s not in hosts),
    )


@dataclass(frozen=True)
class SiteRoles:
    """Sites named for every option, by candidate name: those that provide thrombectomy
    wherever they host a HASU, and those kept ASU-only wherever they do not."""

    mt: tuple[str, ...] = ()
    asu_only: tuple[str, ...] = ()
    labels: tuple[str, str] = ("mt", "asu")  # what the reader called the two lists

    def __post_init__(self) -> None:
        both = mt_and_asu_only(self.mt, self.asu_only)
        if both:
            mt_label, asu_label = self.labels
            raise StrokeError(
                f"{', '.join(both)}: a site cannot both provide thrombectomy ({mt_label}) "
                f"and be ASU-only ({asu_label})"
            )

    @classmethod
    def resolve(
        cls,
        geo: StrokeGeography,
        mt: Sequence[str] = (),
        asu_only: Sequence[str] = (),
        labels: tuple[str, str] = ("mt", "asu"),
    ) -> SiteRoles:
        """Sites as a person names them (name, unique partial name, short code or
        postcode) resolved to the region's candidate names, in the candidates' order;
        unknown ones list the valid."""

        def names(keys: Sequence[str]) -> tuple[str, ...]:
            found = sorted({geo.site_index(k) for k in keys})
            return tuple(geo.candidates[i].name for i in found)

        return cls(names(mt), names(asu_only), labels)

    def __bool__(self) -> bool:
        return bool(self.mt or self.asu_only)

    def where(self, hasus: Iterable[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The MT and ASU-only sites of a configuration with these HASU sites."""
        return roles_where(hasus, self.mt, self.asu_only)

    def describe(self) -> str:
        """'thrombectomy where a HASU: A, B; ASU only where not a HASU: C' (empty if none)."""
        parts = []
        if self.mt:
            parts.append("thrombectomy where a HASU: " + ", ".join(self.mt))
        if self.asu_only:
            parts.append("ASU only where not a HASU: " + ", ".join(self.asu_only))
        return "; ".join(parts)
