"""Synthetic sources for the demo and tests: the only zone that invents people.

`synthesise` (`synth`, over the true population of `population`, the names of `names`
and the date styles and identifier slips of `formats`) writes provider extracts, with
identifiers, slips and faults, that the pipeline ingests; `write_sample` writes a small
pseudonymised-zone store directly, of the shape the governed layer reads, for tests and a
demo without a pipeline build.
"""

from stpkit.kid.sources.names import OUT_OF_AREA_POSTCODES
from stpkit.kid.sources.population import (
    FaultRates,
    SynthResult,
    SynthSpec,
    nhs_check_digits,
    synthetic_nhs_numbers,
)
from stpkit.kid.sources.sample_store import SampleSpec, make_sample, write_sample
from stpkit.kid.sources.synth import synthesise

__all__ = [
    "OUT_OF_AREA_POSTCODES",
    "FaultRates",
    "SampleSpec",
    "SynthResult",
    "SynthSpec",
    "make_sample",
    "nhs_check_digits",
    "synthesise",
    "synthetic_nhs_numbers",
    "write_sample",
]
