"""Forms for every POST of the decisions area, one module per group of pages; each page
has a mapping from its `action` values to the form that validates and runs it."""

from stpkit.web.decisions.forms.base import ActionChoice, ActionForm
from stpkit.web.decisions.forms.criteria import CRITERIA_ACTIONS, RESULTS_ACTIONS, SCORING_ACTIONS
from stpkit.web.decisions.forms.options import HURDLE_ACTIONS, OPTION_ACTIONS, OPTIONS_ACTIONS
from stpkit.web.decisions.forms.programme import PROGRAMME_ACTIONS, STAGE_ACTIONS
from stpkit.web.decisions.forms.timeline import CONSULTATION_ACTIONS, TIMELINE_ACTIONS

__all__ = [
    "CONSULTATION_ACTIONS",
    "CRITERIA_ACTIONS",
    "HURDLE_ACTIONS",
    "OPTIONS_ACTIONS",
    "OPTION_ACTIONS",
    "PROGRAMME_ACTIONS",
    "RESULTS_ACTIONS",
    "SCORING_ACTIONS",
    "STAGE_ACTIONS",
    "TIMELINE_ACTIONS",
    "ActionChoice",
    "ActionForm",
]
