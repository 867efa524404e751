"""Programme logic without a framework: delivery confidence (RAG), risk scoring,
milestone dependencies, budget variance. The web apps `programme` and `board` store the
data; the rules live here so they are tested once and usable from a notebook.

The names below are the public API. The spreadsheet import (templates, row-level
errors) is the submodule `stpkit.programme.importing`, imported on its own because it
loads openpyxl.
"""

from stpkit.programme.budget import (
    BudgetError,
    BudgetLine,
    ForecastMethod,
    Position,
    financial_year_label,
    financial_year_months,
    financial_year_of,
    line_position,
    parse_financial_year,
    roll_up,
)
from stpkit.programme.dependencies import (
    Slip,
    check_new_dependency,
    driving_path,
    find_cycle,
    find_slips,
)
from stpkit.programme.errors import (
    DependencyError,
    ImportFormatError,
    InvalidScoreError,
    ProgrammeError,
)
from stpkit.programme.rag import CHOICES as RAG_CHOICES
from stpkit.programme.rag import LABELS as RAG_LABELS
from stpkit.programme.rag import ORDER as RAG_ORDER
from stpkit.programme.rag import Rag, mean_rating, worst
from stpkit.programme.risk import (
    CONSEQUENCE_LABELS,
    DEFAULT_BANDS,
    ESCALATION_STATUS,
    LIKELIHOOD_LABELS,
    RiskBands,
    check_level,
    escalated_on,
    heat_map,
    is_escalated,
    review_overdue,
    score,
    score_on,
    should_escalate,
    status_on,
)
from stpkit.programme.statuses import (
    GAPS,
    MILESTONE_STATUSES,
    RISK_KINDS,
    RISK_STATUSES,
    WORKSTREAM_STATUSES,
)

__all__ = [
    "CONSEQUENCE_LABELS",
    "DEFAULT_BANDS",
    "ESCALATION_STATUS",
    "GAPS",
    "LIKELIHOOD_LABELS",
    "MILESTONE_STATUSES",
    "RAG_CHOICES",
    "RAG_LABELS",
    "RAG_ORDER",
    "RISK_KINDS",
    "RISK_STATUSES",
    "WORKSTREAM_STATUSES",
    "BudgetError",
    "BudgetLine",
    "DependencyError",
    "ForecastMethod",
    "ImportFormatError",
    "InvalidScoreError",
    "Position",
    "ProgrammeError",
    "Rag",
    "RiskBands",
    "Slip",
    "check_level",
    "check_new_dependency",
    "driving_path",
    "escalated_on",
    "financial_year_label",
    "financial_year_months",
    "financial_year_of",
    "find_cycle",
    "find_slips",
    "heat_map",
    "is_escalated",
    "line_position",
    "mean_rating",
    "parse_financial_year",
    "review_overdue",
    "roll_up",
    "score",
    "score_on",
    "should_escalate",
    "status_on",
    "worst",
]
