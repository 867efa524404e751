"""Programme views, one module per resource: workstreams, objectives, milestones,
dependencies, risks, imports. (The programme dashboard is in `stpkit.web.home`.)"""
