"""Record linkage: blocking, comparisons, unsupervised parameter estimation, clustering.

Public API (imported lazily so that `import stpkit.kid` stays cheap; Splink and DuckDB load
on first use):
- `ColumnMap`, `LinkageInputError`: the input's columns and the refusal raised on bad input.
- `link_records(con, table, mapping, mode=...)`: dedupe a feed or link it to a registry,
  returning a `LinkResult` (clusters table, comparisons per blocking rule, pair completeness).
- `pairwise_scores`: pairwise precision, recall and F1 against a label column.
- `ReviewStore`: the clerical review queue and decisions (identifiable zone).
- `quality_report`: linkage quality without truth (aggregates per feed and month).
- The pipeline's interface (`train_model`, `trained_settings`, `predict_duckdb`, `pairs_sql`,
  `best_links_sql`, `settings`, `MATCH_PROBABILITY_THRESHOLD`, `TRAINING_SAMPLE`), with the
  meaning of the former `stpkit.kid.linkage`.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "ColumnMap": "prepare",
    "LinkageInputError": "prepare",
    "prepare": "prepare",
    "LinkResult": "link",
    "link_records": "link",
    "THRESHOLD": "link",
    "ReviewStore": "review",
    "quality_report": "quality",
    "QualityRow": "quality",
    "PairScores": "evaluate",
    "pairwise_scores": "evaluate",
    "pair_completeness": "evaluate",
    "train_model": "pipeline",
    "trained_settings": "pipeline",
    "predict_duckdb": "pipeline",
    "pairs_sql": "pipeline",
    "best_links_sql": "pipeline",
    "settings": "pipeline",
    "MATCH_PROBABILITY_THRESHOLD": "pipeline",
    "TRAINING_SAMPLE": "pipeline",
    "IDENTITY_COLUMNS": "pipeline",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
