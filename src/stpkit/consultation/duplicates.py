"""Campaign and duplicate detection: identical or near-identical texts counted and flagged.

Texts are compared on character 4-grams, which survive small edits (a different sign-off,
a typo, a changed unit name). Groups are formed by linking every pair at or above the
similarity threshold; a group of `campaign_size` or more substantial texts, mostly exact
copies, is a campaign. Very short texts ("I agree") are often identical by chance and are
never called campaigns.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from sklearn.feature_extraction.text import TfidfVectorizer

from stpkit.consultation.themes import normalised

THRESHOLD = 0.85
CAMPAIGN_SIZE = 10
CAMPAIGN_MIN_WORDS = 15
CHUNK = 2000
CAMPAIGN_VARIETY = 0.2  # a campaign is mostly copies: distinct texts / responses
CAMPAIGN_VARIANTS = 5  # ... or has only a handful of versions


@dataclass(frozen=True)
class DuplicateGroup:
    group: int
    ids: list[str]
    example: str
    identical: bool  # every text in the group is the same once normalised
    campaign: bool

    @property
    def size(self) -> int:
        return len(self.ids)


def find_duplicates(
    ids: Sequence[str],
    texts: Sequence[str],
    threshold: float = THRESHOLD,
    campaign_size: int = CAMPAIGN_SIZE,
) -> list[DuplicateGroup]:
    """Groups of two or more responses with the same or nearly the same text, largest first.

    Identical texts (after normalising case, punctuation and spacing) are grouped first;
    only the distinct texts are then compared with each other, which keeps 10,000
    responses to seconds.
    """
    keys = [normalised(t) for t in texts]
    by_key: dict[str, list[int]] = {}
    for i, k in enumerate(keys):
        if k:
            by_key.setdefault(k, []).append(i)
    distinct = list(by_key)
    if not distinct:
        return []
    labels = _near_duplicate_labels(distinct, threshold)
    members: dict[int, list[int]] = {}
    for key, label in zip(distinct, labels, strict=True):
        members.setdefault(int(label), []).extend(by_key[key])
    groups = []
    for rows_in_group in members.values():
        if len(rows_in_group) < 2:
            continue
        rows_in_group.sort()
        distinct_in = {keys[i] for i in rows_in_group}
        words = float(np.median([len(keys[i].split()) for i in rows_in_group]))
        groups.append(
            DuplicateGroup(
                group=0,
                ids=[ids[i] for i in rows_in_group],
                example=texts[rows_in_group[0]],
                identical=len(distinct_in) == 1,
                campaign=(
                    len(rows_in_group) >= campaign_size
                    and words >= CAMPAIGN_MIN_WORDS
                    and len(distinct_in)
                    <= max(CAMPAIGN_VARIANTS, CAMPAIGN_VARIETY * len(rows_in_group))
                ),
            )
        )
    groups.sort(key=lambda g: (-g.size, g.ids[0]))
    return [
        DuplicateGroup(i, g.ids, g.example, g.identical, g.campaign)
        for i, g in enumerate(groups, start=1)
    ]


def _near_duplicate_labels(distinct: list[str], threshold: float) -> np.ndarray:
    """Connected components of the 'nearly the same text' graph over distinct texts."""
    if len(distinct) == 1:
        return np.zeros(1, dtype=int)
    model = TfidfVectorizer(analyzer="char_wb", ngram_range=(4, 4), sublinear_tf=True)
    matrix = model.fit_transform(distinct)
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    for start in range(0, matrix.shape[0], CHUNK):
        block = (matrix[start : start + CHUNK] @ matrix.T).tocoo()
        keep = block.data >= threshold
        rows.append(block.row[keep] + start)
        cols.append(block.col[keep])
    n = matrix.shape[0]
    r = np.concatenate(rows)
    c = np.concatenate(cols)
    graph = coo_matrix((np.ones(len(r)), (r, c)), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    return np.asarray(labels)
