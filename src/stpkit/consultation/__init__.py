"""Consultation analysis: responses, closed-question statistics, open-text themes.

The public API, imported lazily (so `import stpkit.consultation.survey` stays light):

- framework: `load_framework`, `Framework`, `FrameworkTheme`, `FrameworkError`
- several themes per response: `assign_framework`, `ThemeHit`, `MultiThemeResult`
- one call per question: `analyse`, `QuestionAnalysis` (framework=..., labels=...,
  closed_answers=..., stance_labels=...)
- proposing themes: `discover_framework`, `readable_names`
- stance: `Stance`, `stance_of`, `stances`, `closed_stance`
- evaluation: `multilabel_scores`, `load_themefinder_set`, `evaluate_labelled_set`
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "load_framework": "framework",
    "Framework": "framework",
    "FrameworkTheme": "framework",
    "FrameworkError": "framework",
    "assign_framework": "multitheme",
    "ThemeHit": "multitheme",
    "MultiThemeResult": "multitheme",
    "analyse": "analysis",
    "QuestionAnalysis": "analysis",
    "discover_framework": "discovery",
    "readable_names": "discovery",
    "Stance": "stance",
    "stance_of": "stance",
    "stances": "stance",
    "closed_stance": "stance",
    "multilabel_scores": "evaluation",
    "load_themefinder_set": "evaluation",
    "evaluate_labelled_set": "evaluation",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'stpkit.consultation' has no attribute {name!r}")
    return getattr(importlib.import_module(f"stpkit.consultation.{module}"), name)
