"""A deterministic force-directed layout for the country network (no graph library needed).

Nodes start on a circle in the given order, then a fixed number of Fruchterman–Reingold steps pull
co-mentioned countries together. No randomness, so the same data always gives the same picture.
"""
from __future__ import annotations

import math

import pandas as pd

from ..pairs import pair_key

# A pull towards the centre: without it, a pair linked to nobody else drifts off and the final rescaling
# squeezes the main cluster until its labels overlap (its closest two nodes 0.12 apart instead of 0.44).
GRAVITY = 2.0


def circle(nodes: list[str]) -> dict[str, tuple[float, float]]:
    count = max(len(nodes), 1)
    return {node: (math.cos(2 * math.pi * i / count), math.sin(2 * math.pi * i / count))
            for i, node in enumerate(nodes)}


def layout(nodes: list[str], edges: list[tuple[str, str, float]], iterations: int = 80) -> dict[str, tuple[float, float]]:
    """Positions in roughly [-1, 1]² for `nodes`; `edges` are (a, b, weight) and attract proportionally."""
    position = circle(nodes)
    if len(nodes) < 3:
        return position
    ideal = 2.0 / math.sqrt(len(nodes))
    heaviest = max((w for _, _, w in edges), default=1.0) or 1.0
    for step in range(iterations):
        force = {node: [0.0, 0.0] for node in nodes}
        for i, a in enumerate(nodes):
            for b in nodes[i + 1:]:
                dx, dy, dist = _delta(position, a, b)
                push = ideal * ideal / dist
                _apply(force, a, b, dx / dist * push, dy / dist * push)
        for a, b, weight in edges:
            if a in position and b in position:
                dx, dy, dist = _delta(position, a, b)
                pull = dist * dist / ideal * (0.2 + weight / heaviest)
                _apply(force, a, b, -dx / dist * pull, -dy / dist * pull)
        for node, (x, y) in position.items():  # gravity: a component apart from the rest stays near it
            force[node][0] -= GRAVITY * x
            force[node][1] -= GRAVITY * y
        temperature = 0.1 * (1 - step / iterations)
        for node, (fx, fy) in force.items():
            size = math.hypot(fx, fy) or 1.0
            x, y = position[node]
            position[node] = (x + fx / size * min(size, temperature), y + fy / size * min(size, temperature))
    return _centered(position)


def _delta(position, a: str, b: str) -> tuple[float, float, float]:
    dx = position[a][0] - position[b][0]
    dy = position[a][1] - position[b][1]
    return dx, dy, max(math.hypot(dx, dy), 1e-3)


def _apply(force, a: str, b: str, fx: float, fy: float) -> None:
    force[a][0] += fx
    force[a][1] += fy
    force[b][0] -= fx
    force[b][1] -= fy


def _centered(position: dict[str, tuple[float, float]]) -> dict[str, tuple[float, float]]:
    cx = sum(x for x, _ in position.values()) / len(position)
    cy = sum(y for _, y in position.values()) / len(position)
    scale = max(max(abs(x - cx), abs(y - cy)) for x, y in position.values()) or 1.0
    return {node: ((x - cx) / scale, (y - cy) / scale) for node, (x, y) in position.items()}


def network_frames(totals: pd.DataFrame, pairs: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(nodes: iso3, articles, x, y) and (edges: pair, iso_a, iso_b, together, x, y, x2, y2) ready to draw.
    A country with no edge is left out: on its own it would only push the others together."""
    edges = [(a, b, float(w)) for a, b, w in pairs[["iso_a", "iso_b", "together"]].itertuples(index=False) if w > 0]
    linked = {code for a, b, _ in edges for code in (a, b)}
    totals = totals[totals["iso3"].isin(linked)]
    nodes = list(totals["iso3"])
    position = layout(nodes, edges)
    node_frame = totals.assign(x=[position[n][0] for n in nodes], y=[position[n][1] for n in nodes])
    edge_frame = pd.DataFrame(
        [(pair_key(a, b), a, b, int(w), *position[a], *position[b]) for a, b, w in edges if a in position and b in position],
        columns=["pair", "iso_a", "iso_b", "together", "x", "y", "x2", "y2"])
    return node_frame, edge_frame
