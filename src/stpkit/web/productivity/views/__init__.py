"""Productivity area views, one module per resource; each view is thin: it reads the
request through a form or the query string, calls `services` and the `stpkit.productivity`
engine, and renders.

- groups: the programme index, a working group's page and its edit form
- schemes: a scheme's edit form
- opportunity: the benchmark opportunity and a metric's league table
- imports: the benchmark and savings uploads
- bridge: the financial bridge and its upload
- board_summary: the Word summary for the board
"""
