"""Generic option appraisal: options, hurdle and evaluation criteria, MCDA scoring,
sensitivity, switching values. Knows nothing about stroke.

An `Option` is a named set of metric values (and optionally the members it is made of).
The staged appraisal is:

1. **Long list** -> `apply_hurdles(options, rules)` -> `Funnel`: every option is checked
   against every rule (`MetricBound`, `MustInclude`, `MustExclude`, `ExpressionRule`);
   rejected options keep each rule they failed and the shortfall.
2. **Short list** -> `evaluate(options, criteria)` -> `Evaluation`: each `Criterion` has a
   swing weight and a scoring function (linear between anchors, or piecewise); weighted
   totals and ranks; `Evaluation.preferred`.
3. **Sensitivity**: `one_at_a_time`, `monte_carlo` (Dirichlet weights; rank stability) and
   `switching_values` (exact weight share at which the preferred option changes);
   `pairwise_switching` (for every pair of options, the share at which their order swaps).

`read_criteria_file` reads rules, criteria and named options from YAML or TOML.
"""

from stpkit.appraisal.criteria import Criterion, normalised_weights
from stpkit.appraisal.criteria_file import (
    CriteriaSpec,
    NamedOption,
    read_criteria_file,
    read_criteria_text,
)
from stpkit.appraisal.errors import AllOptionsRejectedError, AppraisalError, CriteriaFileError
from stpkit.appraisal.evaluation import Evaluation, evaluate, ranks_of
from stpkit.appraisal.expressions import Expression
from stpkit.appraisal.hurdles import (
    ExpressionRule,
    Failure,
    Funnel,
    MetricBound,
    MustExclude,
    MustInclude,
    Rejection,
    Rule,
    apply_hurdles,
)
from stpkit.appraisal.options import Option
from stpkit.appraisal.sensitivity import (
    MonteCarlo,
    PairSwitch,
    SweepPoint,
    SwitchingValue,
    monte_carlo,
    one_at_a_time,
    pairwise_switching,
    rank_stability,
    switching_values,
)

__all__ = [
    "AllOptionsRejectedError",
    "AppraisalError",
    "CriteriaFileError",
    "CriteriaSpec",
    "Criterion",
    "Evaluation",
    "Expression",
    "ExpressionRule",
    "Failure",
    "Funnel",
    "MetricBound",
    "MonteCarlo",
    "MustExclude",
    "MustInclude",
    "NamedOption",
    "Option",
    "PairSwitch",
    "Rejection",
    "Rule",
    "SweepPoint",
    "SwitchingValue",
    "apply_hurdles",
    "evaluate",
    "monte_carlo",
    "normalised_weights",
    "one_at_a_time",
    "pairwise_switching",
    "rank_stability",
    "ranks_of",
    "read_criteria_file",
    "read_criteria_text",
    "switching_values",
]
