"""The system view: measures and their trajectories, statistical process control, national
standards read from NHS England's own files, the three gaps and the partnership's rating.

Public API:
- `spc`: NHS England "Making Data Count" XmR charts (limits, special-cause rules, icons);
- `catalogue`, `kent_medway`: measure definitions and Kent and Medway's catalogue;
- `trajectory`: plan against actuals, RAG and the measure summary;
- `layouts`, `national`: the published file layouts and their reader (clear errors);
- `synthetic`: synthetic national files in those layouts (demo, tests, benchmark);
- `gaps`: the three Five Year Forward View gaps; `rating`: the 2017 STP progress dashboard;
- `benefits`: realised to date and progress; `own_data`: measures from the programme and
  productivity (the integrated dataset's are published by `stpkit.kid.governed.measures`).
"""

from stpkit.system.catalogue import Frequency, Gap, MeasureDefinition, Source, meets
from stpkit.system.gaps import GapView, three_gaps
from stpkit.system.kent_medway import MEASURE_BY_CODE, MEASURES
from stpkit.system.layouts import LAYOUT_BY_KEY, LAYOUTS, Layout
from stpkit.system.national import (
    Issue,
    NationalFile,
    NationalFileError,
    ProviderValue,
    aggregate,
    parse_period,
    read_national_file,
)
from stpkit.system.organisations import KENT_MEDWAY, PARTNERSHIP_CODES, Organisation, england
from stpkit.system.rating import Category, Rating, rate
from stpkit.system.spc import (
    Assurance,
    Polarity,
    SpcError,
    SpcPoint,
    SpcResult,
    Variation,
    xmr,
)
from stpkit.system.trajectory import MeasureSummary, PeriodValue, Rag, rag, summarise

__all__ = [
    "KENT_MEDWAY",
    "LAYOUTS",
    "LAYOUT_BY_KEY",
    "MEASURES",
    "MEASURE_BY_CODE",
    "PARTNERSHIP_CODES",
    "Assurance",
    "Category",
    "Frequency",
    "Gap",
    "GapView",
    "Issue",
    "Layout",
    "MeasureDefinition",
    "MeasureSummary",
    "NationalFile",
    "NationalFileError",
    "Organisation",
    "PeriodValue",
    "Polarity",
    "ProviderValue",
    "Rag",
    "Rating",
    "Source",
    "SpcError",
    "SpcPoint",
    "SpcResult",
    "Variation",
    "aggregate",
    "england",
    "meets",
    "parse_period",
    "rag",
    "rate",
    "read_national_file",
    "summarise",
    "three_gaps",
    "xmr",
]
