"""Small input files for the productivity tests, written out by hand."""

from __future__ import annotations

from stpkit.productivity import Direction, MetricDefinition

PEERS = b"""provider,peer_group
A,G1
B,G1
C,G1
D,G1
E,G2
F,G2
G,G2
"""

# Length of stay (lower is better) and theatre utilisation (higher is better).
CATALOGUE = {
    "los": MetricDefinition(
        "los",
        "Length of stay",
        "days per spell",
        Direction.LOWER_IS_BETTER,
        "bed days",
        300.0,
        0.004,
        "beds",
    ),
    "los_elderly": MetricDefinition(
        "los_elderly",
        "Length of stay 75+",
        "days per spell",
        Direction.LOWER_IS_BETTER,
        "bed days",
        300.0,
        0.004,
        "beds",
    ),
    "theatre": MetricDefinition(
        "theatre",
        "Theatre utilisation",
        "share",
        Direction.HIGHER_IS_BETTER,
        "theatre hours",
        1000.0,
        0.001,
    ),
}

METRICS = b"""provider,metric,period,value,denominator
A,los,2015/16,4,1000
B,los,2015/16,5,2000
C,los,2015/16,6,1500
D,los,2015/16,8,500
E,los,2015/16,3,100
F,los,2015/16,4,100
G,los,2015/16,5,100
A,theatre,2015/16,0.70,1000
B,theatre,2015/16,0.80,1000
C,theatre,2015/16,0.90,1000
D,theatre,2015/16,0.60,2000
E,theatre,2015/16,0.5,10
F,theatre,2015/16,0.5,10
G,theatre,2015/16,0.5,10
"""
