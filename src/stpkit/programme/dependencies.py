"""Dependencies between milestones: refuse self-dependencies and cycles; find slips.

A dependency (predecessor -> successor) means the successor cannot be done before the
predecessor. It "slips" when the predecessor's forecast date is later than the
successor's forecast date: the plan as forecast cannot happen, and the board should
hear about it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from stpkit.programme.errors import DependencyError

K = TypeVar("K", bound=Hashable)


def _successors(edges: Iterable[tuple[K, K]]) -> dict[K, list[K]]:
    graph: dict[K, list[K]] = defaultdict(list)
    for before, after in edges:
        graph[before].append(after)
    return graph


def path_between(edges: Iterable[tuple[K, K]], start: K, goal: K) -> list[K] | None:
    """A chain of dependencies from `start` to `goal` (inclusive), or None."""
    graph = _successors(edges)
    parent: dict[K, K | None] = {start: None}
    stack = [start]
    while stack:
        node = stack.pop()
        if node == goal:
            chain = [node]
            while (prev := parent[chain[-1]]) is not None:
                chain.append(prev)
            return chain[::-1]
        for nxt in graph.get(node, []):
            if nxt not in parent:
                parent[nxt] = node
                stack.append(nxt)
    return None


def check_new_dependency(
    edges: Iterable[tuple[K, K]],
    predecessor: K,
    successor: K,
    names: Mapping[K, str] | None = None,
) -> None:
    """Raise DependencyError if adding predecessor -> successor is a self-dependency or
    closes a cycle; the message names the chain of milestones that would loop."""
    label = (lambda k: names.get(k, str(k))) if names else str
    if predecessor == successor:
        raise DependencyError(f"“{label(successor)}” cannot depend on itself.")
    edge_list = list(edges)
    if (predecessor, successor) in edge_list:
        raise DependencyError(f"“{label(successor)}” already depends on “{label(predecessor)}”.")
    loop = path_between(edge_list, successor, predecessor)
    if loop is not None:
        chain = " → ".join(f"“{label(k)}”" for k in [*loop, successor])
        raise DependencyError(
            f"“{label(successor)}” cannot depend on “{label(predecessor)}”: that would make a "
            f"cycle ({chain})."
        )


def find_cycle(edges: Iterable[tuple[K, K]]) -> list[K] | None:
    """One cycle in the graph as [a, b, ..., a], or None (used to check imported plans)."""
    graph = _successors(edges)
    state: dict[K, int] = {}  # 1 = on the current path, 2 = finished
    for root in list(graph):
        if state.get(root):
            continue
        path: list[K] = [root]
        iters = [iter(graph.get(root, []))]
        state[root] = 1
        while iters:
            nxt = next(iters[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                iters.pop()
                continue
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if not state.get(nxt):
                state[nxt] = 1
                path.append(nxt)
                iters.append(iter(graph.get(nxt, [])))
    return None


@dataclass(frozen=True)
class Slip:
    """The predecessor is forecast `days` after the milestone that waits for it."""

    predecessor: Hashable
    successor: Hashable
    predecessor_forecast: date
    successor_forecast: date

    @property
    def days(self) -> int:
        return (self.predecessor_forecast - self.successor_forecast).days


def find_slips(
    edges: Iterable[tuple[K, K]],
    forecast: Mapping[K, date | None],
    done: Iterable[K] = (),
) -> list[Slip]:
    """Every dependency whose predecessor is forecast after its successor, worst first.

    Completed predecessors cannot slip any more, so they are skipped.
    """
    finished = set(done)
    slips = []
    for before, after in edges:
        if before in finished:
            continue
        b, a = forecast.get(before), forecast.get(after)
        if b is not None and a is not None and b > a:
            slips.append(Slip(before, after, b, a))
    return sorted(slips, key=lambda s: -s.days)


def driving_path(edges: Iterable[tuple[K, K]], forecast: Mapping[K, date | None]) -> list[K]:
    """The dependency path the programme's end waits on (its critical path), first to last.

    It ends at the milestone with the latest forecast among those that wait on another, and
    walks back through the predecessor each one waits on that is forecast to finish last
    (the one that drives its date). Milestones without a forecast are left out; a cycle,
    which the dependency rules refuse, is never walked twice. Empty when there are no
    dependencies.
    """
    preds: dict[K, list[K]] = {}
    for before, after in edges:
        if forecast.get(before) is not None and forecast.get(after) is not None:
            preds.setdefault(after, []).append(before)
    if not preds:
        return []

    def when(key: K) -> date:
        value = forecast[key]
        assert value is not None
        return value

    end = max(preds, key=lambda k: (when(k), str(k)))
    path, seen = [end], {end}
    while preds.get(path[-1]):
        driver = max(preds[path[-1]], key=lambda k: (when(k), str(k)))
        if driver in seen:
            break
        path.append(driver)
        seen.add(driver)
    return path[::-1]
