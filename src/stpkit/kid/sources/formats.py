"""How providers write dates, and the slips injected into identifiers.

Dates are formatted from integer parts, so that impossible dates (31 February) can be
written too; typos and corrupted NHS numbers are the faults linkage has to overcome.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc


def date_parts(dates: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    y = dates.astype("datetime64[Y]").astype(int) + 1970
    m = dates.astype("datetime64[M]").astype(int) % 12 + 1
    d = (dates - dates.astype("datetime64[M]")).astype(int) + 1
    return y, m, d


MONTH_ABBR = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
STRFTIME = {
    "iso": "%Y-%m-%d",
    "dmy_slash": "%d/%m/%Y",
    "dmy_dash": "%d-%m-%Y",
    "ymd_compact": "%Y%m%d",
    "d_mon_y": "%d %b %Y",
}


def py_date(y: int, m: int, d: int, style: str) -> str:
    """One date in a provider's style from its parts (impossible dates included)."""
    if style == "iso":
        return f"{y:04d}-{m:02d}-{d:02d}"
    if style == "dmy_slash":
        return f"{d:02d}/{m:02d}/{y:04d}"
    if style == "dmy_dash":
        return f"{d:02d}-{m:02d}-{y:04d}"
    if style == "ymd_compact":
        return f"{y:04d}{m:02d}{d:02d}"
    if style == "d_mon_y":
        return f"{d:02d} {MONTH_ABBR[m - 1]} {y:04d}"
    raise ValueError(style)


def format_dates(dates: np.ndarray, style: str) -> pa.Array:
    """Valid dates in a provider's style: each distinct day formatted once, then taken."""
    if len(dates) == 0:
        return pa.array([], pa.string())
    days = dates.astype("datetime64[D]").astype(np.int64)
    low, high = int(days.min()), int(days.max())
    every_day = np.arange(low, high + 1).astype("datetime64[D]").astype("datetime64[s]")
    labels = pc.strftime(pa.array(every_day), format=STRFTIME[style], locale="C")
    out: pa.Array = labels.take(pa.array(days - low))
    return out


def replace_where(values: pa.Array, mask: np.ndarray, replacements: list[str]) -> pa.Array:
    if not mask.any():
        return values
    out: pa.Array = pc.replace_with_mask(
        values, pa.array(mask), pa.array(replacements, pa.string())
    )
    return out


def typos(names: list[str], rng: np.random.Generator) -> list[str]:
    out = []
    for s in names:
        if len(s) < 3:
            out.append(s)
            continue
        j = int(rng.integers(1, len(s) - 1))
        kind = int(rng.integers(0, 3))
        if kind == 0:
            s = s[:j] + s[j + 1 :]
        elif kind == 1:
            s = s[: j - 1] + s[j] + s[j - 1] + s[j + 1 :]
        else:
            s = s[:j] + "aeiou"[int(rng.integers(0, 5))] + s[j + 1 :]
        out.append(s)
    return out


def corrupt_nhs(nhs: list[str], rng: np.random.Generator) -> list[str]:
    """Change one digit: modulus 11 always detects it."""
    out = []
    for s in nhs:
        j = int(rng.integers(0, 10))
        d = (int(s[j]) + int(rng.integers(1, 10))) % 10
        out.append(s[:j] + str(d) + s[j + 1 :])
    return out
